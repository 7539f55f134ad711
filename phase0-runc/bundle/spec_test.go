package bundle

import (
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSpecDefaults(t *testing.T) {
	spec, err := Spec(Options{})
	require.NoError(t, err)

	assert.Equal(t, []string{"sh"}, spec.Process.Args)
	assert.Equal(t, "/", spec.Process.Cwd)
	assert.Equal(t, "shibafu", spec.Hostname)
	assert.Equal(t, RootfsDir, spec.Root.Path)
	assert.False(t, spec.Root.Readonly)
	assert.False(t, spec.Process.Terminal, "no terminal: output must stream to a pipe")
	assert.True(t, spec.Process.NoNewPrivileges)
	assert.NotContains(t, spec.Process.Capabilities.Bounding, "CAP_SYS_ADMIN")
	assert.Contains(t, spec.Linux.MaskedPaths, "/proc/kcore")
	assert.Nil(t, spec.Linux.Resources.Memory)
	assert.Nil(t, spec.Linux.Resources.Pids)

	var types []specs.LinuxNamespaceType
	for _, ns := range spec.Linux.Namespaces {
		types = append(types, ns.Type)
	}
	assert.ElementsMatch(t, []specs.LinuxNamespaceType{
		specs.PIDNamespace, specs.IPCNamespace, specs.UTSNamespace,
		specs.MountNamespace, specs.CgroupNamespace, specs.NetworkNamespace,
	}, types)
}

func TestSpecOptions(t *testing.T) {
	spec, err := Spec(Options{
		Args:        []string{"echo", "hi"},
		Env:         []string{"A=1"},
		Cwd:         "/tmp",
		Hostname:    "box-1",
		ReadOnly:    true,
		MemoryLimit: 64 << 20,
		PidsLimit:   20,
		UID:         65534,
		GID:         65534,
		HostNetwork: true,
		Rlimits:     []specs.POSIXRlimit{{Type: "RLIMIT_NOFILE", Soft: 10, Hard: 20}},
	})
	require.NoError(t, err)

	assert.Equal(t, []string{"echo", "hi"}, spec.Process.Args)
	assert.Contains(t, spec.Process.Env, "A=1")
	assert.Equal(t, "/tmp", spec.Process.Cwd)
	assert.Equal(t, "box-1", spec.Hostname)
	assert.True(t, spec.Root.Readonly)
	assert.EqualValues(t, 64<<20, *spec.Linux.Resources.Memory.Limit)
	assert.EqualValues(t, 20, *spec.Linux.Resources.Pids.Limit)
	assert.EqualValues(t, 65534, spec.Process.User.UID)
	assert.Equal(t, uint64(20), spec.Process.Rlimits[0].Hard)
	for _, ns := range spec.Linux.Namespaces {
		assert.NotEqual(t, specs.NetworkNamespace, ns.Type, "host network keeps the host's netns")
	}
}

func TestSpecRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"env without =", Options{Env: []string{"FOO"}}, `env "FOO"`},
		{"env empty name", Options{Env: []string{"=x"}}, `env "=x"`},
		{"relative cwd", Options{Cwd: "tmp"}, "absolute path"},
		{"bad hostname", Options{Hostname: "a_b"}, "hostname"},
		{"hostname dash", Options{Hostname: "-a"}, "hostname"},
		{"negative memory", Options{MemoryLimit: -1}, "memory limit"},
		{"tiny memory", Options{MemoryLimit: 1024}, "memory limit"},
		{"negative pids", Options{PidsLimit: -5}, "pids limit"},
		{"unknown rlimit", Options{Rlimits: []specs.POSIXRlimit{{Type: "RLIMIT_BOGUS"}}}, "unknown type"},
		{"soft above hard", Options{Rlimits: []specs.POSIXRlimit{
			{Type: "RLIMIT_NOFILE", Soft: 2, Hard: 1}}}, "above hard"},
		{"NUL in args", Options{Args: []string{"a\x00b"}}, "NUL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Spec(tt.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestValidateID(t *testing.T) {
	for _, id := range []string{"a", "web-1", "Web_1.2", "0abc"} {
		assert.NoError(t, ValidateID(id), id)
	}
	for _, id := range []string{"", "..", "../x", "a/b", ".hidden", "-x", "a b", string(make([]byte, 65))} {
		err := ValidateID(id)
		assert.ErrorIs(t, err, ErrInvalidID, "%q", id)
	}
}

func TestParseSize(t *testing.T) {
	good := map[string]int64{"0": 0, "1024": 1024, "64m": 64 << 20, "1G": 1 << 30, "512k": 512 << 10, "10b": 10}
	for in, want := range good {
		got, err := ParseSize(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "m", "12q", "-1m", "1.5g", "99999999999999999999"} {
		_, err := ParseSize(in)
		assert.Error(t, err, in)
	}
}

func TestParseUserAndRlimit(t *testing.T) {
	uid, gid, err := ParseUser("1000")
	require.NoError(t, err)
	assert.Equal(t, [2]uint32{1000, 1000}, [2]uint32{uid, gid})
	uid, gid, err = ParseUser("1:2")
	require.NoError(t, err)
	assert.Equal(t, [2]uint32{1, 2}, [2]uint32{uid, gid})
	_, _, err = ParseUser("root")
	assert.Error(t, err)

	rl, err := ParseRlimit("nofile=100:200")
	require.NoError(t, err)
	assert.Equal(t, specs.POSIXRlimit{Type: "RLIMIT_NOFILE", Soft: 100, Hard: 200}, rl)
	for _, in := range []string{"nofile", "=1", "nofile=a", "nofile=1:b"} {
		_, err := ParseRlimit(in)
		assert.Error(t, err, in)
	}
}
