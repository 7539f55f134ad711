package server

import (
	_ "embed"
	"net/http"
)

// openAPI describes the API in OpenAPI 3.1. A test checks that every
// route the server serves is in it, and nothing else.
//
//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPI)
}
