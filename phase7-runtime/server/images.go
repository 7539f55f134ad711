package server

import (
	"context"
	"encoding/json"
	"net/http"

	"shibafu.dev/phase7-runtime/api"
)

func (s *Server) imageRoutes(mux *http.ServeMux) {
	mux.HandleFunc(api.RouteImageList, s.images)
	mux.HandleFunc(api.RouteImageBuildBase, s.buildBase)
	mux.HandleFunc(api.RouteImagePull, s.transfer(s.Daemon.Pull))
	mux.HandleFunc(api.RouteImagePush, s.transfer(s.Daemon.Push))
	mux.HandleFunc(api.RouteImageTag, s.tag)
	mux.HandleFunc(api.RouteImageRemove, s.removeImage)
	mux.HandleFunc(api.RouteImageInspect, s.inspectImage)
}

// transfer serves a pull or a push: progress lines as the blobs move,
// then a last line with the image or the error. An error before any
// progress is an ordinary error response.
func (s *Server) transfer(op func(context.Context, string, func(api.Progress) error) (
	*api.Image, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req api.ImageRequest
		if err := decode(r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
		enc := json.NewEncoder(w)
		started := false
		send := func(p api.Progress) error {
			if !started {
				w.Header().Set("Content-Type", "application/jsonl")
				w.WriteHeader(http.StatusOK)
				started = true
			}
			if err := enc.Encode(p); err != nil {
				return err
			}
			return http.NewResponseController(w).Flush()
		}
		img, err := op(r.Context(), req.Ref, send)
		switch {
		case err != nil && !started:
			s.writeError(w, r, err)
		case err != nil:
			send(api.Progress{Error: err.Error()})
		default:
			send(api.Progress{Image: img})
		}
	}
}

func (s *Server) tag(w http.ResponseWriter, r *http.Request) {
	var req api.TagRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Config != nil {
		img, err := s.Daemon.TagConfig(r.Context(), req.Source, req.Target, *req.Config)
		s.reply(w, r, http.StatusCreated, img, err)
		return
	}
	err := s.Daemon.Tag(r.Context(), req.Source, req.Target)
	s.reply(w, r, http.StatusOK, struct{}{}, err)
}

func (s *Server) inspectImage(w http.ResponseWriter, r *http.Request) {
	img, err := s.Daemon.InspectImage(r.Context(), r.PathValue("ref"))
	s.reply(w, r, http.StatusOK, img, err)
}

func (s *Server) removeImage(w http.ResponseWriter, r *http.Request) {
	var req api.ImageRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	err := s.Daemon.RemoveImage(r.Context(), req.Ref)
	s.reply(w, r, http.StatusOK, struct{}{}, err)
}

func (s *Server) images(w http.ResponseWriter, r *http.Request) {
	list, err := s.Daemon.Images(r.Context())
	s.reply(w, r, http.StatusOK, list, err)
}

func (s *Server) buildBase(w http.ResponseWriter, r *http.Request) {
	var req api.BuildBaseRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	img, err := s.Daemon.BuildBase(r.Context(), req.Ref)
	s.reply(w, r, http.StatusCreated, img, err)
}
