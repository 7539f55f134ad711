package proxy

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"time"
)

// relay copies one message body from a connection's reader to another
// connection's writer, keeping its framing (RFC 9112 section 6): a given
// length, chunks, or everything until the sender closes.
//
// It copies straight out of the reader's buffer (Peek, Write, Discard),
// so no bytes are copied twice and nothing is allocated. It flushes the
// writer only when the reader has nothing more buffered, just before it
// would wait: a small message goes out in one write, and a streamed one
// reaches its reader as soon as each piece arrives.
type relay struct {
	src  net.Conn
	br   *bufio.Reader
	dst  net.Conn
	bw   *bufio.Writer
	idle time.Duration // how long either side may stay silent

	readErr error // set if reading src failed, to tell the sides apart
}

// wait makes sure br holds at least n bytes: if it holds fewer, it
// sends what bw holds and reads, each side bounded by idle.
func (r *relay) wait(n int) error {
	if r.br.Buffered() >= n {
		return nil
	}
	if err := r.flush(); err != nil {
		return err
	}
	r.src.SetReadDeadline(time.Now().Add(r.idle))
	if _, err := r.br.Peek(n); err != nil {
		r.readErr = err
		return err
	}
	return nil
}

// flush sends what bw holds, if anything.
func (r *relay) flush() error {
	if r.bw.Buffered() == 0 {
		return nil
	}
	r.dst.SetWriteDeadline(time.Now().Add(r.idle))
	return r.bw.Flush()
}

// write writes b to bw. A b larger than bw's free space goes to the
// connection at once, so it gets a deadline like a flush.
func (r *relay) write(b []byte) error {
	if len(b) > r.bw.Available() {
		r.dst.SetWriteDeadline(time.Now().Add(r.idle))
	}
	_, err := r.bw.Write(b)
	return err
}

// copyN copies n bytes.
func (r *relay) copyN(n int64) error {
	for n > 0 {
		if err := r.wait(1); err != nil {
			return noEOF(err)
		}
		k := int(min(int64(r.br.Buffered()), n))
		b, _ := r.br.Peek(k)
		if err := r.write(b); err != nil {
			return err
		}
		r.br.Discard(k)
		n -= int64(k)
	}
	return nil
}

// copyAll copies until the sender closes its side (a close-delimited
// body) and returns how many bytes it copied.
func (r *relay) copyAll() (int64, error) {
	var total int64
	for {
		if err := r.wait(1); errors.Is(err, io.EOF) {
			return total, nil
		} else if err != nil {
			return total, err
		}
		k := r.br.Buffered()
		b, _ := r.br.Peek(k)
		if err := r.write(b); err != nil {
			return total, err
		}
		r.br.Discard(k)
		total += int64(k)
	}
}

// copyChunked copies a chunked body as it is, chunk extensions and
// trailer fields included, and returns how many data bytes it held.
func (r *relay) copyChunked() (int64, error) {
	var total int64
	for {
		line, err := r.copyLine()
		if err != nil {
			return total, err
		}
		size, err := chunkSize(line)
		if err != nil {
			return total, err
		}
		if size == 0 {
			break
		}
		if err := r.copyN(size); err != nil {
			return total, err
		}
		if line, err = r.copyLine(); err != nil {
			return total, err
		}
		if len(line) != 2 { // the CRLF after the data
			return total, errMalformed
		}
		total += size
	}
	for { // the trailer section, up to its empty line
		line, err := r.copyLine()
		if err != nil {
			return total, err
		}
		if len(line) == 2 {
			return total, nil
		}
	}
}

// copyLine copies one line, CRLF included, and returns it; the slice is
// valid until the next read.
func (r *relay) copyLine() ([]byte, error) {
	for {
		buf, _ := r.br.Peek(r.br.Buffered())
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			line := buf[:i+1]
			if err := r.write(line); err != nil {
				return nil, err
			}
			r.br.Discard(len(line))
			return line, nil
		}
		if len(buf) == r.br.Size() {
			return nil, errMalformed
		}
		if err := r.wait(len(buf) + 1); err != nil {
			return nil, noEOF(err)
		}
	}
}

// chunkSize reads the hexadecimal size at the start of a chunk line,
// before any extension.
func chunkSize(line []byte) (int64, error) {
	line = bytes.TrimRight(line, "\r\n")
	line, _, _ = bytes.Cut(line, []byte(";"))
	line = bytes.TrimRight(line, " \t")
	if len(line) == 0 || len(line) > 15 {
		return 0, errMalformed
	}
	var n int64
	for _, c := range line {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, errMalformed
		}
		n = n<<4 | int64(c)
	}
	return n, nil
}

// noEOF turns the end of input in the middle of a body into
// io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
