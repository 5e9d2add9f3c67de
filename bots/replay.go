package bots

import (
	"crypto/sha256"
	"sync"
	"time"
)

// ReplayGuard refuses a signed webhook request seen before within the window in
// which its timestamp is accepted. A request is known by the SHA-256 of its
// timestamp and body — what the platform's signature covers — not by the text of
// the signature header, so that the same signature written another way (hex in
// upper or mixed case) is still the same request. An entry is kept until its
// timestamp leaves the window, after which the signature check refuses the
// request anyway: memory is bounded by the requests of one window.
type ReplayGuard struct {
	window time.Duration
	now    func() time.Time

	mu   sync.Mutex                      // guards the fields below
	seen map[[sha256.Size]byte]time.Time // request digest → when it leaves the window
	next time.Time                       // when expired entries are next swept
}

// NewReplayGuard returns a guard for requests whose timestamps are accepted up to
// window away from now (clock, the one the timestamps are checked against).
func NewReplayGuard(window time.Duration, clock func() time.Time) *ReplayGuard {
	return &ReplayGuard{window: window, now: clock, seen: map[[sha256.Size]byte]time.Time{}}
}

// First records the request signed at ts (the platform's timestamp header, as
// sent) with body, and reports whether it is the first time it is seen. Call it
// only once the signature and the timestamp are verified.
func (g *ReplayGuard) First(ts string, at time.Time, body []byte) bool {
	key := replayKey(ts, body)
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	if now.After(g.next) {
		for k, until := range g.seen {
			if now.After(until) {
				delete(g.seen, k)
			}
		}
		g.next = now.Add(g.window)
	}
	if until, ok := g.seen[key]; ok && !now.After(until) {
		return false
	}
	// The request is accepted while at is within the window of now: keep it
	// until then, and a window more for the skew between the clocks.
	if at.Before(now) {
		at = now
	}
	g.seen[key] = at.Add(2 * g.window)
	return true
}

// Forget drops the request signed at ts with body, so that it may be sent again
// (it was refused for a reason a retry may not meet).
func (g *ReplayGuard) Forget(ts string, body []byte) {
	key := replayKey(ts, body)
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.seen, key)
}

func replayKey(ts string, body []byte) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(ts))
	h.Write([]byte{0})
	h.Write(body)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// Len is the number of requests remembered.
func (g *ReplayGuard) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.seen)
}
