// Command go-web is the PaaS's sample Go web app: it answers on $PORT
// (8080 when unset) and logs one line per request to standard output.
//
//	/              a greeting naming the release and $GREETING
//	/healthz       "ok", for the deploy's health check
//	/env?name=X    the value of the environment variable X
//	/burn?ms=N     keeps one CPU busy for N milliseconds
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", hello)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("GET /env", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, os.Getenv(r.URL.Query().Get("name")))
	})
	mux.HandleFunc("GET /burn", burn)
	log.SetFlags(0)
	log.SetOutput(os.Stdout)
	log.Printf("go-web listening on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, logRequests(mux)))
}

func hello(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "Hello from go-web, release %s: %s\n",
		os.Getenv("SHIBAFU_RELEASE"), os.Getenv("GREETING"))
}

// burn spins for ?ms= milliseconds (at most a minute), to load a CPU.
func burn(w http.ResponseWriter, r *http.Request) {
	ms, err := strconv.Atoi(r.URL.Query().Get("ms"))
	if err != nil || ms < 0 || ms > 60_000 {
		http.Error(w, "want ?ms=N, 0 to 60000", http.StatusBadRequest)
		return
	}
	end := time.Now().Add(time.Duration(ms) * time.Millisecond)
	n := 0
	for time.Now().Before(end) {
		n++
	}
	fmt.Fprintf(w, "burned %d ms (%d loops)\n", ms, n)
}

// logRequests logs "METHOD PATH STATUS DURATION" for every request.
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &status{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		log.Printf("%s %s %d %s", r.Method, r.URL.Path, rec.code, time.Since(start))
	})
}

// status records the status code a handler wrote.
type status struct {
	http.ResponseWriter
	code int
}

func (s *status) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}
