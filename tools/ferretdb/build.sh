#!/usr/bin/env bash
# Builds the FerretDB test server once per machine and prints the binary's path.
#
# The binary goes to $FERRETDB_BIN, by default
# ${XDG_CACHE_HOME:-~/.cache}/state-connector/ferretdb-v1.24.2/ferretdb, outside the
# repository, so that every checkout on the machine shares it. It is rebuilt only when
# main.go, go.mod or go.sum change. Go's own build and module caches are used as they are:
# a cold build compiles a pure-Go SQLite and takes several minutes on two cores, a warm one
# seconds. Needs Go 1.24 or newer and the Go module proxy on a first build.
set -euo pipefail

source_dir=$(cd "$(dirname "$0")" && pwd)
default_bin="${XDG_CACHE_HOME:-$HOME/.cache}/state-connector/ferretdb-v1.24.2/ferretdb"
bin=${FERRETDB_BIN:-$default_bin}
stamp="$bin.sources"

if ! command -v go >/dev/null; then
  echo "build.sh: go not found on PATH; install Go 1.24 or newer to build FerretDB" >&2
  exit 1
fi

sources=$(cd "$source_dir" && cat main.go go.mod go.sum | sha256sum | cut -d' ' -f1)
if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sources" ]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$(dirname "$bin")"
# Build to a private name and rename, so that a concurrent build or a test that starts the
# binary never reads a half-written file.
partial="$bin.partial.$$"
trap 'rm -f "$partial"' EXIT
echo "build.sh: building FerretDB into $bin" >&2
(cd "$source_dir" && go build -trimpath -o "$partial" .)
mv -f "$partial" "$bin"
echo "$sources" >"$stamp"
echo "$bin"
