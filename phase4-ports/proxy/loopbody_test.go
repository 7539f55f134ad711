package proxy

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// frameAll feeds b to a chunked frame in pieces of at most size bytes, as
// a loop gets them from the socket, keeping what the frame does not take
// yet for the next piece. It returns how many bytes the body took, and
// whether it ended or failed.
func frameAll(b []byte, size int) (n int, end bool, err error) {
	var fr bodyFrame
	fr.kind = byChunks
	have := 0 // bytes given to the frame so far
	for {
		have = min(have+size, len(b))
		k, end, err := fr.take(b[n:have])
		n += k
		if end || err != nil || have == len(b) {
			return n, end, err
		}
	}
}

func TestBodyFrameChunked(t *testing.T) {
	body := []byte("4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Sum: 42\r\n\r\nNEXT")
	for _, size := range []int{1, 2, 3, 7, 64} {
		n, end, err := frameAll(body, size)
		require.NoError(t, err, "pieces of %d", size)
		assert.True(t, end, "pieces of %d", size)
		assert.Equal(t, len(body)-len("NEXT"), n, "pieces of %d: the next message is not taken", size)
	}

	_, _, err := frameAll([]byte("4\r\nWikiXX\r\n0\r\n\r\n"), 5)
	assert.ErrorIs(t, err, errMalformed, "data longer than its size")
	_, _, err = frameAll([]byte("zz\r\n"), 5)
	assert.ErrorIs(t, err, errMalformed, "a size that is not hexadecimal")
}

func TestBodyFrameLength(t *testing.T) {
	fr := bodyFrame{kind: byLength, left: 5, total: 5}
	n, end, _ := fr.take([]byte("hel"))
	assert.Equal(t, 3, n)
	assert.False(t, end)
	n, end, _ = fr.take([]byte("loNEXT"))
	assert.Equal(t, 2, n)
	assert.True(t, end)
}

// FuzzBodyFrame holds the loops' chunked framing to the goroutine
// path's: for any bytes from a backend, in any pieces, the frame ends
// the body where relay.copyChunked does, or fails where it fails.
func FuzzBodyFrame(f *testing.F) {
	f.Add([]byte("4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"), uint8(3))
	f.Add([]byte("a;name=value\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n"), uint8(1))
	f.Add([]byte("0\r\n\r\n"), uint8(64))
	f.Add([]byte("4\r\nWiki\n"), uint8(2))
	f.Add([]byte("ffffffffffffffff\r\n"), uint8(5))
	f.Fuzz(func(t *testing.T, b []byte, size uint8) {
		n, end, err := frameAll(b, int(size%32)+1)

		// What the goroutine path makes of the same bytes, read from a
		// connection that ends after them.
		src := &readerConn{Reader: bytes.NewReader(b)}
		r := relay{src: src, br: bufio.NewReaderSize(src, backendReadBuffer),
			dst: discardConn{}, bw: bufio.NewWriter(io.Discard)}
		_, rerr := r.copyChunked()
		taken := len(b) - src.Len() - r.br.Buffered()
		if rerr == nil {
			require.NoError(t, err, "the loop refuses what the goroutine path took")
			require.True(t, end, "the loop does not see the end the goroutine path saw")
			require.Equal(t, taken, n, "the two end the body at different bytes")
		} else if err == nil && end {
			t.Fatalf("the loop ended a body the goroutine path refused (%v)", rerr)
		}
	})
}

// readerConn is a connection that reads from a bytes.Reader.
type readerConn struct {
	net.Conn
	*bytes.Reader
}

func (c *readerConn) Read(p []byte) (int, error)      { return c.Reader.Read(p) }
func (c *readerConn) SetReadDeadline(time.Time) error { return nil }

// discardConn is the connection relay writes to; its bufio.Writer
// discards the bytes.
type discardConn struct{ net.Conn }

func (discardConn) SetWriteDeadline(time.Time) error { return nil }
