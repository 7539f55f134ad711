package dns

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAPI drives the registration API through Client, and checks each
// change in DNS answers.
func TestAPI(t *testing.T) {
	z := &Zone{}
	srv := httptest.NewServer(API(z))
	t.Cleanup(srv.Close)
	c := &Client{Addr: strings.TrimPrefix(srv.URL, "http://")}
	dnsAddr := serve(t, &Handler{Zone: z})
	ctx := context.Background()

	web := Record{Network: "net1", Name: "web", IPs: addrs("10.0.0.2"), Service: "site",
		Ports: []Port{{Name: "http", Number: 80, Proto: "tcp"}}}
	require.NoError(t, c.Put(ctx, web))
	resp := ask(t, dnsAddr, query{name: "_http._tcp.site.net1.shibafu.internal.",
		qtype: dns.TypeSRV})
	assert.Equal(t, []string{"SRV 0 10 80 web.net1.shibafu.internal."}, answers(resp.Answer))

	list, err := c.List(ctx, "")
	require.NoError(t, err)
	assert.Equal(t, []Record{web}, list)
	list, err = c.List(ctx, "net2")
	require.NoError(t, err)
	assert.Empty(t, list)

	err = c.Put(ctx, Record{Network: "net1", Name: "bad_name", IPs: addrs("10.0.0.3")})
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), "bad_name")

	require.NoError(t, c.Delete(ctx, "net1", "web"))
	assert.ErrorIs(t, c.Delete(ctx, "net1", "web"), ErrNotFound)
	resp = ask(t, dnsAddr, query{name: "web.net1.shibafu.internal.", qtype: dns.TypeA})
	assert.Equal(t, dns.RcodeNameError, resp.Rcode)
}

// TestAPIStatuses checks the HTTP status of each kind of request.
func TestAPIStatuses(t *testing.T) {
	h := API(testZone(t))
	tests := []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/v1/records", "", http.StatusOK},
		{"GET", "/v1/records?network=net2", "", http.StatusOK},
		{"GET", "/v1/records/net1/web", "", http.StatusOK},
		{"GET", "/v1/records/net1/nosuch", "", http.StatusNotFound},
		{"PUT", "/v1/records/net1/new", `{"ips":["10.1.0.9"]}`, http.StatusOK},
		{"PUT", "/v1/records/net1/new", `{"ips":["not an ip"]}`, http.StatusBadRequest},
		{"PUT", "/v1/records/net1/new", `{"ips":["10.1.0.9"],"color":1}`,
			http.StatusBadRequest},
		{"PUT", "/v1/records/net1/new", `{"ips":[]}`, http.StatusBadRequest},
		{"PUT", "/v1/records/net1/new", `[`, http.StatusBadRequest},
		{"DELETE", "/v1/records/net1/db", "", http.StatusNoContent},
		{"DELETE", "/v1/records/net1/db", "", http.StatusNotFound},
		{"POST", "/v1/records", "", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+" "+tt.body, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body)))
			assert.Equal(t, tt.status, rec.Code, rec.Body.String())
		})
	}
}
