package api

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		check func(string) error
		good  []string
		bad   []string
	}{
		{ValidateAppName, []string{"web", "my-app2", "a"},
			[]string{"", "Web", "-web", "web-", "9web", "a--b", "web_1", "../x",
				strings.Repeat("a", 31)}},
		{ValidateProcessName, []string{"web", "worker2"}, []string{"", "Web", "w-1", "1w"}},
		{ValidateEnvName, []string{"GREETING", "_x", "db_url2"},
			[]string{"", "1A", "A-B", "A=B", "PORT", "SHIBAFU_APP"}},
		{ValidateDomain, []string{"www.example.com", "a.b"},
			[]string{"example", "Example.com", "-a.com", "a..com", "a.com.",
				strings.Repeat("a", 64) + ".com"}},
	} {
		for _, s := range tc.good {
			assert.NoError(t, tc.check(s), "%q", s)
		}
		for _, s := range tc.bad {
			assert.ErrorIs(t, tc.check(s), ErrInvalid, "%q", s)
		}
	}
}

func TestConfigChangeAndScale(t *testing.T) {
	v := "x"
	nul := "a\x00b"
	assert.NoError(t, ValidateConfigChange(ConfigChange{"A": &v, "B": nil}))
	assert.ErrorIs(t, ValidateConfigChange(ConfigChange{}), ErrInvalid)
	assert.ErrorIs(t, ValidateConfigChange(ConfigChange{"A": &nul}), ErrInvalid)
	assert.ErrorIs(t, ValidateConfigChange(ConfigChange{"PORT": &v}), ErrInvalid)

	assert.NoError(t, ValidateScale(ScaleRequest{"web": 3, "worker": 0}))
	assert.ErrorIs(t, ValidateScale(ScaleRequest{"web": -1}), ErrInvalid)
	assert.ErrorIs(t, ValidateScale(ScaleRequest{"web": MaxReplicas + 1}), ErrInvalid)
	assert.ErrorIs(t, ValidateScale(ScaleRequest{}), ErrInvalid)
}
