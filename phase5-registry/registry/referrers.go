package registry

import (
	"net/http"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase5-registry/reference"
)

// getReferrers answers end-12a GET /v2/<name>/referrers/<digest>: an
// image index listing the manifests whose subject is <digest>, and
// end-12b, the same filtered by ?artifactType=. An unknown subject has
// an empty list, not a 404.
func (s *Server) getReferrers(w http.ResponseWriter, r *http.Request, res resource) error {
	subject, err := reference.ParseDigest(res.arg)
	if err != nil {
		return fail(codeDigestInvalid, err)
	}
	all, err := s.Store.Referrers(res.name, subject)
	if err != nil {
		return err
	}
	if want := r.URL.Query().Get("artifactType"); want != "" {
		kept := []ocispec.Descriptor{}
		for _, d := range all {
			if d.ArtifactType == want {
				kept = append(kept, d)
			}
		}
		all = kept
		w.Header()["OCI-Filters-Applied"] = []string{"artifactType"}
	}
	idx := ocispec.Index{MediaType: ocispec.MediaTypeImageIndex, Manifests: all}
	idx.SchemaVersion = 2
	return writeJSON(w, ocispec.MediaTypeImageIndex, idx)
}
