package dns

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRecordValidate lists records that must be refused.
func TestRecordValidate(t *testing.T) {
	ok := Record{Network: "net1", Name: "web", IPs: addrs("10.0.0.2")}
	require.NoError(t, ok.Validate())
	tests := map[string]func(*Record){
		"empty name":        func(r *Record) { r.Name = "" },
		"dot in name":       func(r *Record) { r.Name = "a.b" },
		"underscore":        func(r *Record) { r.Name = "a_b" },
		"leading hyphen":    func(r *Record) { r.Name = "-web" },
		"64-octet label":    func(r *Record) { r.Name = string(make([]byte, 64)) },
		"bad network":       func(r *Record) { r.Network = "n/1" },
		"no address":        func(r *Record) { r.IPs = nil },
		"zoned address":     func(r *Record) { r.IPs = addrs("fe80::1%eth0") },
		"ports, no service": func(r *Record) { r.Ports = []Port{{Number: 80, Proto: "tcp"}} },
		"bad port proto": func(r *Record) {
			r.Service, r.Ports = "s", []Port{{Number: 80, Proto: "sctp"}}
		},
	}
	for name, edit := range tests {
		t.Run(name, func(t *testing.T) {
			r := ok
			edit(&r)
			assert.ErrorIs(t, r.Validate(), ErrInvalid)
		})
	}
}

func TestParsePort(t *testing.T) {
	for in, want := range map[string]Port{
		"80":          {Number: 80, Proto: "tcp"},
		"53/udp":      {Number: 53, Proto: "udp"},
		"http:8080":   {Name: "http", Number: 8080, Proto: "tcp"},
		"dns:53/udp":  {Name: "dns", Number: 53, Proto: "udp"},
		"http:80/tcp": {Name: "http", Number: 80, Proto: "tcp"},
	} {
		p, err := ParsePort(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, p, in)
		back, err := ParsePort(p.String())
		require.NoError(t, err)
		assert.Equal(t, p, back, "String formats what ParsePort reads")
	}
	for _, bad := range []string{"", "x", "0", "70000", "80/sctp", "a_b:80"} {
		_, err := ParsePort(bad)
		assert.ErrorIs(t, err, ErrInvalid, bad)
	}
}

// TestZoneChanges checks Put, Get, List and Delete, and that queries
// see each change at once.
func TestZoneChanges(t *testing.T) {
	z := &Zone{}
	h := &Handler{Zone: z}
	addr := serve(t, h)
	q := query{name: "web.net1.shibafu.internal.", qtype: dns.TypeA}

	require.NoError(t, z.Put(Record{Network: "Net1", Name: "Web", IPs: addrs("10.0.0.2")}))
	got, err := z.Get("net1", "web")
	require.NoError(t, err)
	assert.Equal(t, "web", got.Name, "stored lower case")
	assert.Equal(t, []string{"A 10.0.0.2"}, answers(ask(t, addr, q).Answer))

	require.NoError(t, z.Put(Record{Network: "net1", Name: "web", IPs: addrs("10.0.0.3")}))
	assert.Equal(t, []string{"A 10.0.0.3"}, answers(ask(t, addr, q).Answer), "replaced")
	assert.Len(t, z.List(""), 1)
	assert.Empty(t, z.List("net2"))

	require.NoError(t, z.Delete("net1", "web"))
	assert.Equal(t, dns.RcodeNameError, ask(t, addr, q).Rcode)
	assert.ErrorIs(t, z.Delete("net1", "web"), ErrNotFound)
	_, err = z.Get("net1", "web")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.EqualValues(t, 3, z.Serial(), "one serial per change")
}

// TestZonePersists checks that a zone opened again from its file holds
// the same records and serial, and answers at once.
func TestZonePersists(t *testing.T) {
	path := StateFile(t.TempDir())
	z, err := OpenZone(path)
	require.NoError(t, err)
	assert.Empty(t, z.List(""))
	for _, r := range testZone(t).List("") {
		require.NoError(t, z.Put(r))
	}
	require.NoError(t, z.Delete("net2", "other"))

	again, err := OpenZone(path)
	require.NoError(t, err)
	assert.Equal(t, z.List(""), again.List(""))
	assert.Equal(t, z.Serial(), again.Serial())
	addr := serve(t, &Handler{Zone: again})
	resp := ask(t, addr, query{name: "api.net1.shibafu.internal.", qtype: dns.TypeA})
	assert.Len(t, resp.Answer, 3)

	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left behind")
}

// TestZoneFileErrors checks that a damaged file is reported, not
// served half-read, and that a failed save changes nothing.
func TestZoneFileErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte("{not json"), 0o644))
	_, err := OpenZone(bad)
	assert.Error(t, err)

	invalid := filepath.Join(dir, "invalid.json")
	require.NoError(t, os.WriteFile(invalid,
		[]byte(`{"records":[{"network":"n","name":"a.b","ips":["10.0.0.1"]}]}`), 0o644))
	_, err = OpenZone(invalid)
	assert.ErrorIs(t, err, ErrInvalid)

	z, err := OpenZone(filepath.Join(dir, "file-not-dir", "records.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "file-not-dir"), nil, 0o644))
	err = z.Put(Record{Network: "n", Name: "a", IPs: addrs("10.0.0.1")})
	assert.Error(t, err)
	assert.Empty(t, z.List(""), "a change that cannot be saved is not made")
}
