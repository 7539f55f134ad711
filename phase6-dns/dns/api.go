package dns

import (
	"encoding/json"
	"errors"
	"net/http"
)

// DefaultAPIAddr is where shibafu-dns serves its registration API. It
// listens on loopback only: anyone who can reach it can rename a
// container.
const DefaultAPIAddr = "127.0.0.1:8053"

// API returns the HTTP handler of the registration API over zone:
//
//	GET    /v1/records[?network=NET]    list records, as a JSON array
//	GET    /v1/records/NET/NAME         one record
//	PUT    /v1/records/NET/NAME         add or replace it; body: a Record
//	DELETE /v1/records/NET/NAME         remove it
//
// Errors come back as {"error": "..."} with the status of statusOf.
func API(zone *Zone) http.Handler {
	a := &api{zone: zone}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/records", a.list)
	mux.HandleFunc("GET /v1/records/{network}/{name}", a.get)
	mux.HandleFunc("PUT /v1/records/{network}/{name}", a.put)
	mux.HandleFunc("DELETE /v1/records/{network}/{name}", a.delete)
	return mux
}

type api struct{ zone *Zone }

func (a *api) list(w http.ResponseWriter, r *http.Request) {
	list := a.zone.List(r.URL.Query().Get("network"))
	if list == nil {
		list = []Record{}
	}
	writeJSON(w, http.StatusOK, list)
}

func (a *api) get(w http.ResponseWriter, r *http.Request) {
	rec, err := a.zone.Get(r.PathValue("network"), r.PathValue("name"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

func (a *api) put(w http.ResponseWriter, r *http.Request) {
	var rec Record
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		writeError(w, errors.Join(ErrInvalid, err))
		return
	}
	rec.Network, rec.Name = r.PathValue("network"), r.PathValue("name")

	if err := a.zone.Put(rec); err != nil {
		writeError(w, err)
		return
	}
	rec, err := a.zone.Get(rec.Network, rec.Name)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

func (a *api) delete(w http.ResponseWriter, r *http.Request) {
	if err := a.zone.Delete(r.PathValue("network"), r.PathValue("name")); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// statusOf maps this package's error categories to HTTP statuses.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

// apiError is the body of an error response.
type apiError struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, err error) {
	writeJSON(w, statusOf(err), apiError{err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
