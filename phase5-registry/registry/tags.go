package registry

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
)

// tagList is the body of end-8a: {"name": ..., "tags": [...]}.
type tagList struct {
	Name string   `json:"name"`
	Tags []string `json:"tags"`
}

// getTags answers end-8a GET /v2/<name>/tags/list and end-8b, its paged
// form ?n=<count>&last=<tag>: tags in lexical order after last, at most
// n of them, and a Link header to the next page when more remain.
func (s *Server) getTags(w http.ResponseWriter, r *http.Request, res resource) error {
	tags, err := s.Store.Tags(res.name)
	if err != nil {
		return err
	}
	page, more, err := paginate(tags, r.URL.Query())
	if err != nil {
		return err
	}
	if more {
		setNextLink(w, "/v2/"+res.name+"/tags/list", page)
	}
	return writeJSON(w, "application/json", tagList{Name: res.name, Tags: page})
}

// paginate applies ?n= and ?last= to a sorted list.
func paginate(all []string, q url.Values) (page []string, more bool, err error) {
	if last := q.Get("last"); last != "" {
		all = all[sort.SearchStrings(all, last):]
		if len(all) > 0 && all[0] == last {
			all = all[1:]
		}
	}
	page = all
	if q.Has("n") {
		n, err := strconv.Atoi(q.Get("n"))
		if err != nil || n < 0 {
			return nil, false, fail(codePaginationInvalid, fmt.Errorf("bad n %q", q.Get("n")))
		}
		if n < len(all) {
			page, more = all[:n], true
		}
	}
	if page == nil {
		page = []string{}
	}
	return page, more, nil
}

// setNextLink sets the RFC 5988 Link header of end-8b to the next page.
func setNextLink(w http.ResponseWriter, path string, page []string) {
	q := url.Values{"n": {strconv.Itoa(len(page))}}
	if len(page) > 0 {
		q.Set("last", page[len(page)-1])
	}
	w.Header().Set("Link", fmt.Sprintf(`<%s?%s>; rel="next"`, path, q.Encode()))
}

// catalog is the body of GET /v2/_catalog.
type catalog struct {
	Repositories []string `json:"repositories"`
}

// getCatalog answers GET /v2/_catalog, the repository listing that
// Docker's registry offers; the OCI spec leaves it out, but tools use it.
func (s *Server) getCatalog(w http.ResponseWriter, r *http.Request, _ resource) error {
	repos, err := s.Store.Repositories()
	if err != nil {
		return err
	}
	page, more, err := paginate(repos, r.URL.Query())
	if err != nil {
		return err
	}
	if more {
		setNextLink(w, "/v2/_catalog", page)
	}
	return writeJSON(w, "application/json", catalog{Repositories: page})
}

// writeJSON sends v as JSON with a Content-Type and a Content-Length.
func writeJSON(w http.ResponseWriter, contentType string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, err = w.Write(data)
	return err
}
