// Command ferretdb runs FerretDB v1 on 127.0.0.1 with its SQLite handler, so that the
// MongoDB adapter's tests have a real MongoDB-wire server on machines where MongoDB itself
// cannot be installed. It prints the connection string on its first line of standard output
// and serves until it receives SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on; port 0 picks a free port")
	dataDir := flag.String("data", "", "existing directory for the SQLite files (required)")
	uriFile := flag.String("uri-file", "", "file to write the connection string to once listening")
	flag.Parse()

	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "ferretdb: -data is required: pass an existing directory for the SQLite files")
		os.Exit(2)
	}

	absolute, err := filepath.Abs(*dataDir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: invalid -data %q: %v\n", *dataDir, err)
		os.Exit(2)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	// The SQLite handler takes a directory URL, which must end with a slash.
	server, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + absolute + "/",
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: start failed: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = server.Run(ctx)
	}()

	// MongoDBURI waits until Run has bound the listener.
	uri := server.MongoDBURI()
	fmt.Println(uri)

	if *uriFile != "" {
		if err := writeFileAtomic(*uriFile, []byte(uri+"\n")); err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb: writing -uri-file failed: %v\n", err)
			stop()
		}
	}

	<-done
}

// writeFileAtomic writes data to a temporary file next to path and renames it, so that a
// script polling for path never reads it half-written.
func writeFileAtomic(path string, data []byte) error {
	partial := path + ".partial"
	if err := os.WriteFile(partial, data, 0o644); err != nil {
		return err
	}
	return os.Rename(partial, path)
}
