package dns

import (
	"container/list"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// Default settings of a Cache.
const (
	// DefaultCacheSize is how many answers a Cache keeps when Size is 0.
	DefaultCacheSize = 10000
	// DefaultMaxTTL caps how long an answer is kept, whatever its TTL.
	DefaultMaxTTL = time.Hour
	// DefaultMaxNegativeTTL caps how long a negative answer (NXDOMAIN or
	// NODATA) is kept; RFC 2308 section 5 suggests one to three hours,
	// but a short cap forgets a name that was just created sooner.
	DefaultMaxNegativeTTL = 5 * time.Minute
)

// Cache keeps upstream answers for as long as their TTLs allow, and the
// negative ones for as long as their SOA allows (RFC 2308 section 5).
// It holds at most Size answers and forgets the least recently used one
// first. Its zero value is ready to use; it is safe for concurrent use.
type Cache struct {
	// Size bounds the number of answers kept; 0 means DefaultCacheSize.
	Size int
	// MaxTTL and MaxNegativeTTL cap the time an answer is kept; 0 means
	// DefaultMaxTTL and DefaultMaxNegativeTTL.
	MaxTTL, MaxNegativeTTL time.Duration

	mu      sync.RWMutex
	entries map[cacheKey]*list.Element
	lru     list.List // of *cacheEntry, most recently used first
}

// cacheKey identifies a question. The DO bit is part of it: an answer
// with DNSSEC records must not be given to a client that did not ask
// for them.
type cacheKey struct {
	name         string
	qtype, class uint16
	do           bool
}

type cacheEntry struct {
	key     cacheKey
	msg     *dns.Msg
	stored  time.Time
	expires time.Time
	// aged is msg with its TTLs lowered by age seconds, made by the
	// first Get of that second and handed to every later one: copying
	// every record for every query cost more than answering it.
	aged *dns.Msg
	age  uint32
	// wire is aged packed as a response to key's question, without an
	// OPT record, for the UDP fast path (see getWire); nil when it
	// cannot be.
	wire []byte
	// used is when the entry last moved to the front of the LRU list.
	used time.Time
}

func keyOf(q dns.Question, do bool) cacheKey {
	return cacheKey{strings.ToLower(q.Name), q.Qtype, q.Qclass, do}
}

// Get returns the answer kept for q, with every TTL lowered by the
// time it has spent in the cache, as RFC 1035 section 7.4 asks. The
// answer is shared with other callers: it must not be modified.
func (c *Cache) Get(q dns.Question, do bool, now time.Time) (*dns.Msg, bool) {
	key := keyOf(q, do)
	if msg, ok := c.getShared(key, now); ok {
		return msg, true
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if !now.Before(e.expires) {
		c.remove(el)
		return nil, false
	}
	c.lru.MoveToFront(el)
	e.used = now

	age := e.ageAt(now)
	if e.aged == nil || e.age != age {
		e.aged, e.age = e.msg.Copy(), age
		for _, section := range [][]dns.RR{e.aged.Answer, e.aged.Ns, e.aged.Extra} {
			for _, rr := range section {
				rr.Header().Ttl -= min(age, rr.Header().Ttl)
			}
		}
		e.wire = packAnswer(e.key, e.aged)
	}
	return e.aged, true
}

// getShared is the common case of Get, under the read lock only, so
// that the server's workers do not queue for the cache one by one: the
// entry is fresh, its aged copy is of this second, and it moved to the
// front of the LRU list less than a second ago. (So the list orders
// entries to the second, which is all an eviction needs.)
func (c *Cache) getShared(key cacheKey, now time.Time) (*dns.Msg, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if !e.shared(now) {
		return nil, false
	}
	return e.aged, true
}

// getWire is getShared for the UDP fast path (wire.go): it finds the
// question by its name in lower case, without making a string of it,
// and returns the answer as packAnswer packed it. The bytes are shared
// with other callers: they must not be modified.
func (c *Cache) getWire(name []byte, qtype uint16, do bool, now time.Time) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	el, ok := c.entries[cacheKey{string(name), qtype, dns.ClassINET, do}]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if !e.shared(now) || e.wire == nil {
		return nil, false
	}
	return e.wire, true
}

// shared reports whether e may be handed out under the read lock: it
// is fresh, its aged copy is of this second, and it moved to the front
// of the LRU list less than a second ago.
func (e *cacheEntry) shared(now time.Time) bool {
	return now.Before(e.expires) && e.aged != nil && e.age == e.ageAt(now) &&
		now.Sub(e.used) < time.Second
}

// packAnswer packs msg as the response to key's question, as
// Handler.forward makes it but for the header's ID and flags and the
// OPT record, which depend on the query (see Handler.wireCached). It
// returns nil for an answer it cannot pack so, such as one whose RCODE
// needs the OPT record's extension (RFC 6891 section 6.1.3). Names are
// not compressed, as miekg/dns does not compress a response that fits
// the client's UDP size (dns.Msg.Truncate); those that do not fit are
// left to the general path.
func packAnswer(key cacheKey, msg *dns.Msg) []byte {
	if msg.Rcode > rcodeBits {
		return nil
	}
	m := new(dns.Msg)
	m.Response, m.Rcode, m.AuthenticatedData = true, msg.Rcode, msg.AuthenticatedData
	m.Question = []dns.Question{{Name: key.name, Qtype: key.qtype, Qclass: key.class}}
	m.Answer, m.Ns, m.Extra = msg.Answer, msg.Ns, withoutOPT(msg.Extra)
	b, err := m.Pack()
	if err != nil {
		return nil
	}
	return b
}

// ageAt is how many whole seconds e has spent in the cache at now.
func (e *cacheEntry) ageAt(now time.Time) uint32 {
	return uint32(now.Sub(e.stored) / time.Second)
}

// Put keeps msg, the answer to q, if it may be cached: a positive
// answer for the smallest TTL of its records, a negative one for its
// SOA's negative TTL. Failures (SERVFAIL, REFUSED) and answers without
// a TTL are not kept.
func (c *Cache) Put(q dns.Question, do bool, msg *dns.Msg, now time.Time) {
	ttl, ok := c.lifetime(msg)
	if !ok {
		return
	}
	e := &cacheEntry{key: keyOf(q, do), msg: msg.Copy(), stored: now, expires: now.Add(ttl)}

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[cacheKey]*list.Element{}
	}
	if old, ok := c.entries[e.key]; ok {
		c.remove(old)
	}
	c.entries[e.key] = c.lru.PushFront(e)
	for c.lru.Len() > c.size() {
		c.remove(c.lru.Back())
	}
}

// Len returns the number of answers kept.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.lru.Len()
}

// lifetime is how long msg may stay in the cache.
func (c *Cache) lifetime(msg *dns.Msg) (time.Duration, bool) {
	negative := msg.Rcode == dns.RcodeNameError ||
		(msg.Rcode == dns.RcodeSuccess && len(msg.Answer) == 0)
	switch {
	case negative:
		for _, rr := range msg.Ns {
			if soa, ok := rr.(*dns.SOA); ok {
				ttl := seconds(min(soa.Hdr.Ttl, soa.Minttl))
				return min(ttl, orDefault(c.MaxNegativeTTL, DefaultMaxNegativeTTL)), ttl > 0
			}
		}
		return 0, false // without a SOA, RFC 2308 says not to cache
	case msg.Rcode == dns.RcodeSuccess:
		least := msg.Answer[0].Header().Ttl
		for _, rr := range msg.Answer {
			least = min(least, rr.Header().Ttl)
		}
		ttl := seconds(least)
		return min(ttl, orDefault(c.MaxTTL, DefaultMaxTTL)), ttl > 0
	}
	return 0, false
}

// remove drops el; c.mu must be held.
func (c *Cache) remove(el *list.Element) {
	delete(c.entries, el.Value.(*cacheEntry).key)
	c.lru.Remove(el)
}

func (c *Cache) size() int {
	if c.Size <= 0 {
		return DefaultCacheSize
	}
	return c.Size
}

func seconds(ttl uint32) time.Duration { return time.Duration(ttl) * time.Second }

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}
