package image

import "io"

// Progress is told how far a long operation has got: done bytes out of
// total, or total -1 when the size is not known in advance. It is called
// at most once per progressStep bytes, and once at the end.
type Progress func(done, total int64)

const progressStep = 4 << 20

// progressReader reports the bytes read through it to a Progress.
type progressReader struct {
	r           io.Reader
	fn          Progress
	done, total int64
	last        int64
}

func withProgress(r io.Reader, fn Progress, total int64) io.Reader {
	if fn == nil {
		return r
	}
	return &progressReader{r: r, fn: fn, total: total}
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	if p.done-p.last >= progressStep || err == io.EOF {
		p.last = p.done
		p.fn(p.done, p.total)
	}
	return n, err
}
