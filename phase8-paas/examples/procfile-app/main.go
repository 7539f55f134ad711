// Command procfile-app is the web process of the PaaS's sample Procfile
// app; its Procfile adds a worker that ticks in the background.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "Hello from procfile-app (web)")
	})
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "ok")
	})
	log.Printf("procfile-app web listening on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
