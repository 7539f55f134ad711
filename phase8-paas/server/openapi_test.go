package server

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenAPIDescribesEveryRoute holds the OpenAPI description to the
// routes the server registers: each is described, and nothing else.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var spec struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(openAPI, &spec))
	assert.Equal(t, "3.1.0", spec.OpenAPI)
	var described []string
	for path, ops := range spec.Paths {
		for method := range ops {
			if method != "parameters" {
				described = append(described, strings.ToUpper(method)+" "+path)
			}
		}
	}
	s := &Server{}
	s.Handler()
	served := append([]string(nil), s.patterns...)
	sort.Strings(described)
	sort.Strings(served)
	assert.Equal(t, served, described)
}
