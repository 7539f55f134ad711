// Command benchbackend is the small HTTP server that
// scripts/bench-phase4.sh puts behind each proxy: it answers every
// request with a short text body on each --listen address, so that the
// benchmark measures the proxies, not the backend.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:9001", "comma-separated HOST:PORT addresses")
	flag.Parse()

	errc := make(chan error, 1)
	for _, addr := range strings.Split(*listen, ",") {
		body := "hello from " + addr + "\n"
		srv := &http.Server{
			Addr:              addr,
			ReadHeaderTimeout: 10 * time.Second,
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				io.WriteString(w, body)
			}),
		}
		go func() { errc <- srv.ListenAndServe() }()
	}
	fmt.Fprintln(os.Stderr, "benchbackend:", <-errc)
	os.Exit(1)
}
