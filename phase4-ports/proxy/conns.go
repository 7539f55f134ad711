package proxy

import (
	"bufio"
	"net"
	"sync"
	"time"
)

// backendConn is one keep-alive connection from the fast path to a
// backend, with its own buffers for the life of the connection.
type backendConn struct {
	net.Conn
	br     *bufio.Reader
	bw     *bufio.Writer
	reused bool      // it served a request before this one
	since  time.Time // when it was last put back idle
}

// Buffer sizes of a backend connection. A response head must fit in the
// reader, as in nginx (proxy_buffer_size): a larger one is a 502.
const (
	backendReadBuffer  = 16 << 10
	backendWriteBuffer = 4 << 10
)

// maxIdlePerBackend bounds the idle connections kept to one backend.
const maxIdlePerBackend = 1024

// idleConns are a backend's idle keep-alive connections. Reusing them
// saves a TCP handshake per request, which costs the proxy and the
// backend more than the request itself. The newest is taken first
// (LIFO), so under light load the old ones age out.
type idleConns struct {
	mu    sync.Mutex
	conns []*backendConn // oldest first
}

// get returns an idle connection not older than maxIdle, or nil.
func (ic *idleConns) get(maxIdle time.Duration) *backendConn {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	for n := len(ic.conns); n > 0; n = len(ic.conns) {
		bc := ic.conns[n-1]
		ic.conns = ic.conns[:n-1]
		if time.Since(bc.since) < maxIdle {
			return bc
		}
		bc.Close() // the newest is stale, so are the rest
		ic.closeAll()
	}
	return nil
}

// put keeps bc for reuse, or closes it if there are too many; it also
// closes connections that have been idle longer than maxIdle.
func (ic *idleConns) put(bc *backendConn, maxIdle time.Duration) {
	bc.reused = true
	bc.since = time.Now()
	ic.mu.Lock()
	defer ic.mu.Unlock()
	for len(ic.conns) > 0 && bc.since.Sub(ic.conns[0].since) >= maxIdle {
		ic.conns[0].Close()
		ic.conns = ic.conns[1:]
	}
	if len(ic.conns) >= maxIdlePerBackend {
		bc.Close()
		return
	}
	ic.conns = append(ic.conns, bc)
}

// close closes every idle connection.
func (ic *idleConns) close() {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	ic.closeAll()
}

func (ic *idleConns) closeAll() {
	for _, bc := range ic.conns {
		bc.Close()
	}
	ic.conns = nil
}

// dialBackend opens a new connection to addr within timeout.
func dialBackend(addr string, timeout time.Duration) (*backendConn, error) {
	d := net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &backendConn{Conn: c, br: bufio.NewReaderSize(c, backendReadBuffer),
		bw: bufio.NewWriterSize(c, backendWriteBuffer)}, nil
}
