package layer_test

import (
	"bytes"
	"context"
	"testing"

	"shibafu.dev/phase3-overlay/layer"
)

// FuzzApply feeds arbitrary bytes to Apply, in both modes. Whatever the
// input, Apply may fail but must never write beside its target. The
// seed corpus (testdata/fuzz/FuzzApply) holds valid layers and the
// hostile ones of TestHostileLayersAreRefused; run the fuzzer with
//
//	go test -run '^$' -fuzz FuzzApply -fuzztime 60s ./layer
func FuzzApply(f *testing.F) {
	f.Add(tarOf(f, file("a", "b")), false)
	f.Fuzz(func(t *testing.T, data []byte, overlay bool) {
		target, check := sandbox(t)
		opts := layer.Options{Mode: layer.Flat}
		if overlay {
			opts.Mode = layer.Overlay
		}
		_, _ = layer.Apply(context.Background(), target, bytes.NewReader(data), opts)
		check()
	})
}
