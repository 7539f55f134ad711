package layer_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"testing"

	"shibafu.dev/phase3-overlay/layer"
)

// BenchmarkApply measures unpacking a 32 MB layer of 64 files, half
// random and half compressible bytes; b.SetBytes makes go test print the
// throughput.
func BenchmarkApply(b *testing.B) {
	var entries []entry
	for i := range 64 {
		body := bytes.Repeat([]byte("shibafu "), 1<<16)
		if i%2 == 0 {
			body = make([]byte, len(body))
			rand.Read(body)
		}
		entries = append(entries, file(fmt.Sprintf("d%d/f%d", i%8, i), string(body)))
	}
	data := tarOf(b, entries...)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		if _, err := layer.Apply(context.Background(), b.TempDir(), bytes.NewReader(data),
			layer.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
