package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"shibafu.dev/phase8-paas/api"
)

// bodyKinds are the request bodies the API decodes and checks before it
// changes anything, each with the check its handler runs.
var bodyKinds = []struct {
	name  string
	new   func() any
	check func(v any) error
}{
	{"app", func() any { return new(api.CreateAppRequest) }, func(v any) error {
		return api.ValidateAppName(v.(*api.CreateAppRequest).Name)
	}},
	{"domain", func() any { return new(api.DomainRequest) }, func(v any) error {
		return api.ValidateDomain(v.(*api.DomainRequest).Name)
	}},
	{"config", func() any { return new(api.ConfigChange) }, func(v any) error {
		return api.ValidateConfigChange(*v.(*api.ConfigChange))
	}},
	{"scale", func() any { return new(api.ScaleRequest) }, func(v any) error {
		return api.ValidateScale(*v.(*api.ScaleRequest))
	}},
	{"autoscale", func() any { return new(api.Autoscale) }, func(v any) error {
		return api.ValidateAutoscale(v.(*api.Autoscale))
	}},
}

// FuzzRequestBodies sends any bytes as the body of each kind of request.
// Whatever comes in, decoding and checking it must not panic, and a body
// that is refused must be refused as invalid input (a 400 naming the
// problem), never as a failure of the server (500). A body that passes
// must pass again after a round trip through JSON, so that what the
// server stores is what it checked.
func FuzzRequestBodies(f *testing.F) {
	for _, seed := range []string{
		`{"name": "web"}`, `{"name": "WEB"}`, `{"name": "a.example.com"}`,
		`{"name": "web", "health": {"path": "/up"}}`, `{"nam": "web"}`,
		`{"GREETING": "hi", "OLD": null}`, `{"1BAD": "x"}`, `{"A=B": "x"}`,
		`{"web": 2, "worker": 1}`, `{"web": -1}`, `{"web": 100000}`,
		`{"process": "web", "min": 1, "max": 4, "metric": "cpu", "target": 50}`,
		`{"max": 4, "metric": "rps", "target": 10, "window": "30s"}`,
		`{"max": 4, "metric": "p95", "target": 10, "window": "forever"}`,
		`[]`, `null`, `"web"`, `{`, ``, `{"name": "web"} {"name": "db"}`,
	} {
		for i := range bodyKinds {
			f.Add(uint8(i), []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		k := bodyKinds[int(kind)%len(bodyKinds)]
		v := k.new()
		err := decode(httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body))), v)
		if err == nil {
			err = k.check(v)
		}
		if err != nil {
			if api.Status(err) != http.StatusBadRequest || !errors.Is(err, api.ErrInvalid) {
				t.Fatalf("%s: %q refused as %d, not as invalid input: %v",
					k.name, body, api.Status(err), err)
			}
			return
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: encode %#v: %v", k.name, v, err)
		}
		w := k.new()
		err = decode(httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(again))), w)
		if err == nil {
			err = k.check(w)
		}
		if err != nil {
			t.Fatalf("%s: %q passed, but not again as %s: %v", k.name, body, again, err)
		}
		if !reflect.DeepEqual(v, w) {
			t.Fatalf("%s: %q decodes to %#v, and again to %#v", k.name, body, v, w)
		}
	})
}
