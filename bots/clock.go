package bots

import (
	"sync"
	"time"
)

// Clock is the engine's clock for the console and tests. A stopped clock stays where
// it is set; a running one follows the real time, shifted by every Set. Its Now
// method is what the engine is given.
type Clock struct {
	mu      sync.Mutex // guards the fields below
	running bool
	at      time.Time     // a stopped clock's time
	offset  time.Duration // a running clock's shift from the real time
}

// NewClock returns a clock stopped at start, or running on the real time when start
// is zero.
func NewClock(start time.Time) *Clock {
	if start.IsZero() {
		return &Clock{running: true}
	}
	return &Clock{at: start}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return time.Now().Add(c.offset)
	}
	return c.at
}

// Set moves the clock to t. It never goes back: an earlier t is ignored.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		if now := time.Now().Add(c.offset); t.After(now) {
			c.offset += t.Sub(now)
		}
		return
	}
	if t.After(c.at) {
		c.at = t
	}
}
