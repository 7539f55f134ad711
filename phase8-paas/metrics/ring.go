package metrics

// Ring keeps the last Cap values pushed, in a fixed slice: the memory a
// history takes is bounded however long the PaaS runs.
type Ring[T any] struct {
	buf  []T
	next int // where the next value goes
	full bool
}

// NewRing returns a ring of n values (at least 1).
func NewRing[T any](n int) *Ring[T] {
	return &Ring[T]{buf: make([]T, max(n, 1))}
}

// Push adds v, dropping the oldest value if the ring is full.
func (r *Ring[T]) Push(v T) {
	r.buf[r.next] = v
	r.next = (r.next + 1) % len(r.buf)
	if r.next == 0 {
		r.full = true
	}
}

// Len returns how many values the ring holds.
func (r *Ring[T]) Len() int {
	if r.full {
		return len(r.buf)
	}
	return r.next
}

// All returns the values, oldest first, in a new slice.
func (r *Ring[T]) All() []T {
	if !r.full {
		return append([]T{}, r.buf[:r.next]...)
	}
	return append(append([]T{}, r.buf[r.next:]...), r.buf[:r.next]...)
}

// Last returns the newest value, and false if there is none.
func (r *Ring[T]) Last() (T, bool) {
	var zero T
	if r.Len() == 0 {
		return zero, false
	}
	return r.buf[(r.next-1+len(r.buf))%len(r.buf)], true
}
