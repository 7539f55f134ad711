// Command benchbackend is the small HTTP server that
// scripts/bench-phase4.sh puts behind each proxy: it answers every
// request with a short text body on each --listen address.
//
// It is a bare keep-alive responder on raw sockets, not net/http: on a
// machine of two CPUs shared by wrk, the proxy under test and three
// backends, a net/http backend took a large share of the CPU from every
// path alike. This one reads request heads and writes a fixed answer for
// each, so that the benchmark measures the proxies, not the backend. It
// ignores request bodies: the benchmark sends none.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:9001", "comma-separated HOST:PORT addresses")
	flag.Parse()

	errc := make(chan error, 1)
	for _, addr := range strings.Split(*listen, ",") {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchbackend:", err)
			os.Exit(1)
		}
		body := "hello from " + addr + "\n"
		answer := []byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"+
			"Content-Length: %d\r\n\r\n%s", len(body), body))
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					errc <- err
					return
				}
				go serve(c, answer)
			}
		}()
	}
	fmt.Fprintln(os.Stderr, "benchbackend:", <-errc)
	os.Exit(1)
}

// serve answers each request head on c, until c closes. Pipelined
// requests get their answers in one write.
func serve(c net.Conn, answer []byte) {
	defer c.Close()
	br := bufio.NewReaderSize(c, 8<<10)
	bw := bufio.NewWriterSize(c, 8<<10)
	for {
		// A head ends with an empty line: read lines until one is empty.
		for {
			line, err := br.ReadSlice('\n')
			if err != nil {
				return
			}
			if len(bytes.TrimRight(line, "\r\n")) == 0 {
				break
			}
		}
		bw.Write(answer)
		if br.Buffered() == 0 && bw.Flush() != nil {
			return
		}
	}
}
