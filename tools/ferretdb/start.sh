#!/usr/bin/env bash
# Builds FerretDB if needed (see build.sh), starts it in the background on 127.0.0.1 and
# prints its connection string once it listens.
#
# Usage: start.sh [--data DIR] [--listen 127.0.0.1:PORT] [--uri-file FILE] [--pid-file FILE]
#   --data      directory for the SQLite files, created if missing;
#               default ${TMPDIR:-/tmp}/state-connector-ferretdb/data
#   --listen    address to listen on; default 127.0.0.1:0, a free port
#   --uri-file  file that receives the connection string; default DATA/../uri
#   --pid-file  file that receives the server's process id; default DATA/../pid
#   --log-file  file that receives the server's standard error; default DATA/../ferretdb.log
# Stop the server with: kill "$(cat PID_FILE)"
#
# Example for a test run:
#   export MONGODB_URL=$(tools/ferretdb/start.sh --data .tmp/ferretdb/data)
set -euo pipefail

base="${TMPDIR:-/tmp}/state-connector-ferretdb"
data="$base/data"
listen="127.0.0.1:0"
uri_file=""
pid_file=""
log_file=""

while [ $# -gt 0 ]; do
  case "$1" in
  --data) data=$2 ;;
  --listen) listen=$2 ;;
  --uri-file) uri_file=$2 ;;
  --pid-file) pid_file=$2 ;;
  --log-file) log_file=$2 ;;
  *)
    echo "start.sh: unknown option $1; see the usage at the top of $0" >&2
    exit 2
    ;;
  esac
  shift 2
done

case "$listen" in
127.0.0.1:*) ;;
*)
  echo "start.sh: --listen must be 127.0.0.1:PORT, got $listen" >&2
  exit 2
  ;;
esac

mkdir -p "$data"
data=$(cd "$data" && pwd)
parent=$(dirname "$data")
uri_file=${uri_file:-$parent/uri}
pid_file=${pid_file:-$parent/pid}
log_file=${log_file:-$parent/ferretdb.log}

bin=$("$(dirname "$0")/build.sh")

rm -f "$uri_file"
nohup "$bin" -listen "$listen" -data "$data" -uri-file "$uri_file" >/dev/null 2>>"$log_file" &
pid=$!
echo "$pid" >"$pid_file"

# The server writes the URI file once it listens; give a slow machine 30 seconds.
for _ in $(seq 300); do
  if [ -s "$uri_file" ]; then
    head -n 1 "$uri_file"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start.sh: FerretDB exited during start-up; see $log_file" >&2
    exit 1
  fi
  sleep 0.1
done
echo "start.sh: FerretDB did not listen within 30 seconds; see $log_file" >&2
kill "$pid" 2>/dev/null || true
exit 1
