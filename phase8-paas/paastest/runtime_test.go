package paastest

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	code := m.Run()
	RemoveShibafud()
	os.Exit(code)
}

func TestStartRuntimeMakesBusybox(t *testing.T) {
	r := StartRuntime(t)
	imgs, err := r.Client.Images(context.Background())
	require.NoError(t, err)
	require.NotEmpty(t, imgs)
}
