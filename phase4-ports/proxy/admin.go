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

// routeList is the body of PUT /routes/{frontend}, and its answer.
type routeList struct {
	Routes []Route `json:"routes"`
}

// adminHandler serves the admin API, JSON in and out:
//
//	GET    /pools                          every pool and its backends
//	POST   /pools                          a PoolConfig: add a pool (AddPool)
//	GET    /pools/{name}                   one pool
//	PUT    /pools/{name}                   {"backends": [...]}: replace all at once
//	DELETE /pools/{name}                   remove an unused pool; it drains (RemovePool)
//	POST   /pools/{name}/backends          {"address": "HOST:PORT"}: add one
//	DELETE /pools/{name}/backends/{addr}   remove one (it drains)
//	GET    /routes/{frontend}              an HTTP frontend's routes
//	PUT    /routes/{frontend}              {"routes": [...]}: replace them (SetRoutes)
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
	mux.HandleFunc("POST /pools", s.adminAddPool)
	mux.HandleFunc("DELETE /pools/{name}", s.adminRemovePool)
	mux.HandleFunc("GET /routes/{frontend}", s.adminRoutes)
	mux.HandleFunc("PUT /routes/{frontend}", s.adminRoutes)
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
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, p.statusAll())
	}
}

// adminAddPool adds the pool of the request body and answers with its
// status.
func (s *Server) adminAddPool(w http.ResponseWriter, r *http.Request) {
	var cfg PoolConfig
	err := readJSON(r, &cfg)
	if err == nil {
		err = s.AddPool(cfg)
	}
	var p *Pool
	if err == nil {
		p, err = s.Pool(cfg.Name)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, p.statusAll())
}

// adminRemovePool removes a pool, answering once it has drained.
func (s *Server) adminRemovePool(w http.ResponseWriter, r *http.Request) {
	if err := s.RemovePool(r.PathValue("name")); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// adminRoutes replaces a frontend's routes if asked (PUT), and answers
// with them.
func (s *Server) adminRoutes(w http.ResponseWriter, r *http.Request) {
	frontend := r.PathValue("frontend")
	var err error
	if r.Method == http.MethodPut {
		var body routeList
		if err = readJSON(r, &body); err == nil {
			err = s.SetRoutes(frontend, body.Routes)
		}
	}
	var out routeList
	if err == nil {
		out.Routes, err = s.Routes(frontend)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	if out.Routes == nil {
		out.Routes = []Route{}
	}
	writeJSON(w, http.StatusOK, out)
}

// statusOf maps the package's errors to HTTP status codes, in one place.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrNoPool), errors.Is(err, ErrNoFrontend),
		errors.Is(err, ErrNoBackend):
		return http.StatusNotFound
	case errors.Is(err, ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, ErrExists), errors.Is(err, ErrInUse):
		return http.StatusConflict
	case errors.Is(err, ErrNotRunning):
		return http.StatusServiceUnavailable
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

// writeError answers with err as {"error": "..."} and its status.
func writeError(w http.ResponseWriter, err error) {
	writeJSON(w, statusOf(err), map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
