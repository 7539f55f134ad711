package proxy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
)

// PoolStatus is a pool as the admin API reports it.
type PoolStatus struct {
	Name     string          `json:"name"`
	Balance  Balance         `json:"balance"`
	Backends []BackendStatus `json:"backends"`
}

// statusAll reports the pool's name, policy and backends.
func (p *Pool) statusAll() PoolStatus {
	return PoolStatus{Name: p.Name(), Balance: p.cfg.Balance, Backends: p.Status()}
}

// backendList is the body of PUT /pools/{name}.
type backendList struct {
	Backends []string `json:"backends"`
}

// adminHandler serves the admin API, JSON in and out:
//
//	GET    /pools                          every pool and its backends
//	GET    /pools/{name}                   one pool
//	PUT    /pools/{name}                   {"backends": [...]}: replace all at once
//	POST   /pools/{name}/backends          {"address": "HOST:PORT"}: add one
//	DELETE /pools/{name}/backends/{addr}   remove one (it drains)
//	GET    /healthz                        200 while the proxy runs
func (s *Server) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /pools", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		var out []PoolStatus
		for _, p := range s.pools {
			out = append(out, p.statusAll())
		}
		s.mu.Unlock()
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		writeJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("GET /pools/{name}", s.adminPool(func(p *Pool, r *http.Request) error {
		return nil
	}))
	mux.HandleFunc("PUT /pools/{name}", s.adminPool(func(p *Pool, r *http.Request) error {
		var body backendList
		if err := readJSON(r, &body); err != nil {
			return err
		}
		return p.Set(body.Backends)
	}))
	mux.HandleFunc("POST /pools/{name}/backends", s.adminPool(func(p *Pool,
		r *http.Request) error {
		var body struct {
			Address string `json:"address"`
		}
		if err := readJSON(r, &body); err != nil {
			return err
		}
		return p.Add(body.Address)
	}))
	mux.HandleFunc("DELETE /pools/{name}/backends/{addr}", s.adminPool(func(p *Pool,
		r *http.Request) error {
		return p.Remove(r.PathValue("addr"))
	}))
	return mux
}

// adminPool finds the pool of the request, applies change to it and
// answers with the pool's status.
func (s *Server) adminPool(change func(*Pool, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.Pool(r.PathValue("name"))
		if err == nil {
			err = change(p, r)
		}
		if err != nil {
			writeJSON(w, statusOf(err), map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, p.statusAll())
	}
}

// statusOf maps the package's errors to HTTP status codes, in one place.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrNoPool), errors.Is(err, ErrNoBackend):
		return http.StatusNotFound
	case errors.Is(err, ErrInvalid):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w request body: %w", ErrInvalid, err)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
