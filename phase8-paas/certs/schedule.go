package certs

import (
	"math/rand/v2"
	"time"
)

// DefaultRenewBefore is how long before expiry a certificate is renewed,
// as Let's Encrypt advises for its 90-day certificates: at two thirds
// of their lifetime.
const DefaultRenewBefore = 30 * 24 * time.Hour

// maxBackoff caps the wait between two failed orders of a name.
const maxBackoff = 24 * time.Hour

// RenewAt returns when to renew a certificate valid from notBefore to
// notAfter: before its expiry, but never later than at two thirds of
// its lifetime, so that a short-lived certificate (days, or seconds in
// a test) is renewed well before it ends too.
func RenewAt(notBefore, notAfter time.Time, before time.Duration) time.Time {
	life := notAfter.Sub(notBefore)
	return notAfter.Add(-min(before, life/3))
}

// jitter returns a random time up to a twentieth of a lifetime (at most
// an hour), to take off a renewal time: certificates issued together
// are then not all renewed in the same second, which a CA's rate limits
// would punish.
func jitter(life time.Duration) time.Duration {
	span := min(life/20, time.Hour)
	if span <= 0 {
		return 0
	}
	return rand.N(span)
}

// Backoff returns how long to wait after the nth failed order in a row
// (n from 1): base, doubled for each further failure, at most a day.
func Backoff(base time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}
