package slack

import (
	"sync"
	"time"
)

// Slack's Web API limits are per method and per workspace, in tiers (requests per
// minute), and chat.postMessage allows about one message per second per channel
// (https://docs.slack.dev/apis/web-api/rate-limits). The adapter paces itself below
// them, and a 429's Retry-After pauses the method for the whole workspace.

// Method tiers: requests per minute.
const (
	tier3 = 50
	tier4 = 100
	// postMessageRate is the workspace-wide budget of chat.postMessage ("several
	// hundred per minute"); the per-channel pace is what binds in practice.
	postMessageRate = 300
)

// methodRate is the tier of each method the adapter calls.
var methodRate = map[string]int{
	"chat.postMessage":             postMessageRate,
	"chat.update":                  tier3,
	"chat.postEphemeral":           tier4,
	"conversations.open":           tier3,
	"views.open":                   tier4,
	"users.info":                   tier4,
	"auth.test":                    tier4,
	"files.getUploadURLExternal":   tier4,
	"files.completeUploadExternal": tier4,
}

// maxWait is the longest the adapter waits for a limit inside one send; a longer
// wait is returned to the caller as a retry-after.
const maxWait = 3 * time.Second

// limiter paces calls: a token bucket per (workspace, method), a minimum interval
// per channel for posts (with a small burst), and pauses after a 429.
type limiter struct {
	now      func() time.Time
	interval time.Duration // between posts to one channel
	burst    int           // posts to one channel allowed back to back

	mu      sync.Mutex // guards the maps below
	buckets map[string]*bucket
	next    map[string]time.Time // channel → earliest time of its next post slot
	paused  map[string]time.Time // workspace/method → end of a 429 pause
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(interval time.Duration, burst int) *limiter {
	return &limiter{
		now: time.Now, interval: interval, burst: max(burst, 1),
		buckets: map[string]*bucket{}, next: map[string]time.Time{}, paused: map[string]time.Time{},
	}
}

// reserve takes a slot for one call of method in workspace ws (and, for a post, to
// channel; "" for none) and returns how long to wait before making it.
func (l *limiter) reserve(ws, method, channel string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	if until, ok := l.paused[ws+"/"+method]; ok {
		if until.After(now) {
			wait = until.Sub(now)
		} else {
			delete(l.paused, ws+"/"+method)
		}
	}
	rate := methodRate[method]
	if rate == 0 {
		rate = tier3
	}
	key := ws + "/" + method
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: float64(rate), at: now}
		l.buckets[key] = b
	}
	perToken := time.Minute / time.Duration(rate)
	b.tokens = min(float64(rate), b.tokens+float64(now.Sub(b.at))/float64(perToken))
	b.at = now
	b.tokens--
	if b.tokens < 0 {
		wait = max(wait, time.Duration(-b.tokens*float64(perToken)))
	}
	if channel != "" && l.interval > 0 {
		ck := ws + "/" + channel
		t := l.next[ck]
		if floor := now.Add(-time.Duration(l.burst-1) * l.interval); t.Before(floor) {
			t = floor
		}
		t = t.Add(wait) // a paused method delays the channel's slot too
		if t.After(now) {
			wait = max(wait, t.Sub(now))
		}
		l.next[ck] = t.Add(l.interval)
		if len(l.next) > 10000 {
			for k, v := range l.next {
				if v.Before(now) {
					delete(l.next, k)
				}
			}
		}
	}
	return wait
}

// pause stops method in workspace ws for d (a 429's Retry-After).
func (l *limiter) pause(ws, method string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until := l.now().Add(d)
	if until.After(l.paused[ws+"/"+method]) {
		l.paused[ws+"/"+method] = until
	}
}

// recent remembers keys for a while: event keys already taken (so a retried event
// is dropped before it reaches the bot) and request signatures already seen (so a
// replayed request is refused). Two generations bound its memory: a key is kept
// between ttl and 2×ttl.
type recent struct {
	ttl time.Duration
	now func() time.Time

	mu       sync.Mutex // guards the fields below
	cur, old map[string]struct{}
	since    time.Time // when cur was started
}

func newRecent(ttl time.Duration) *recent {
	return &recent{ttl: ttl, now: time.Now, cur: map[string]struct{}{}, old: map[string]struct{}{}}
}

// add records key and reports whether it was new.
func (r *recent) add(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if r.since.IsZero() {
		r.since = now
	}
	if el := now.Sub(r.since); el >= r.ttl {
		r.old = r.cur
		if el >= 2*r.ttl {
			r.old = map[string]struct{}{}
		}
		r.cur, r.since = map[string]struct{}{}, now
	}
	if _, ok := r.cur[key]; ok {
		return false
	}
	if _, ok := r.old[key]; ok {
		return false
	}
	r.cur[key] = struct{}{}
	return true
}

// remove forgets key (its handling failed: a retry may try again).
func (r *recent) remove(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.cur, key)
	delete(r.old, key)
}
