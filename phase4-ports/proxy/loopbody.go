package proxy

import "bytes"

// bodyFrame follows the framing of a response body (RFC 9112 section 6)
// as an event loop passes its bytes on in whatever pieces they arrive,
// to tell where the body ends. It is relay (fastbody.go) turned inside
// out: relay reads until it has what it needs, a frame is given what has
// come and says how much of it belongs to the body.
type bodyFrame struct {
	kind  frameKind
	left  int64      // byLength: bytes to go; chunked: data bytes left in this chunk
	state chunkState // chunked: which part comes next
	total int64      // data bytes in the body, for the access log
}

type frameKind uint8

const (
	byLength   frameKind = iota // Content-Length, or no body at all (0)
	byChunks                    // Transfer-Encoding: chunked
	untilClose                  // neither: the body ends when the backend closes
)

type chunkState uint8

const (
	chunkSizeLine chunkState = iota // "1a;ext\r\n"
	chunkData                       // left bytes of data
	chunkDataEnd                    // the CRLF after the data
	chunkTrailer                    // trailer fields, up to an empty line
)

// frameOf returns the frame of res's body, res answering req.
func frameOf(req *request, res *response) bodyFrame {
	switch {
	case res.bodyless(req):
		return bodyFrame{kind: byLength}
	case res.chunked:
		return bodyFrame{kind: byChunks}
	case res.length != noBody:
		return bodyFrame{kind: byLength, left: res.length, total: res.length}
	}
	return bodyFrame{kind: untilClose}
}

// take returns how many bytes at the start of b belong to the body and
// may be passed on, and whether the body ends with them. A chunk line
// that b holds only the start of is not taken: it is taken whole once the
// rest has come.
func (fr *bodyFrame) take(b []byte) (n int, end bool, err error) {
	switch fr.kind {
	case byLength:
		k := int(min(int64(len(b)), fr.left))
		fr.left -= int64(k)
		return k, fr.left == 0, nil
	case untilClose:
		fr.total += int64(len(b))
		return len(b), false, nil
	}
	for {
		rest := b[n:]
		if fr.state == chunkData {
			k := int(min(int64(len(rest)), fr.left))
			n += k
			if fr.left -= int64(k); fr.left > 0 {
				return n, false, nil
			}
			fr.state = chunkDataEnd
			continue
		}
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			return n, false, nil
		}
		line := rest[:i+1]
		n += len(line)
		switch fr.state {
		case chunkSizeLine:
			size, err := chunkSize(line)
			if err != nil {
				return n, false, err
			}
			fr.total += size
			fr.left, fr.state = size, chunkData
			if size == 0 {
				fr.state = chunkTrailer
			}
		case chunkDataEnd:
			if len(line) != 2 {
				return n, false, errMalformed
			}
			fr.state = chunkSizeLine
		case chunkTrailer:
			if len(line) == 2 {
				return n, true, nil
			}
		}
	}
}
