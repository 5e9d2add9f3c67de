package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/engage-org/engage/bots"
)

// GlobalRate is Discord's global limit of requests per second per bot.
const GlobalRate = 50

// transport is the http.RoundTripper under every discordgo session of an Adapter:
// it sends discordgo's requests (built for https://discord.com/api/v9/…) to the
// configured API base, and keeps within Discord's rate limits itself, with the
// request's context respected throughout:
//
//   - the global limit, 50 requests a second, paced by a token bucket (interaction
//     callbacks are exempt, as on Discord);
//   - per-route buckets learnt from the X-RateLimit-* headers: a request waits when
//     its bucket is empty until the bucket resets;
//   - a 429 is waited out (retry_after, the global flag) and the request retried, as
//     long as the wait fits in MaxWait and the context's deadline; otherwise the 429
//     goes back to the caller, who reports it as a retry-after error.
//
// discordgo's own limiter sleeps without a context: the rate-limit headers are
// removed from what it sees, so it never waits, and sessions are built with
// ShouldRetryOnRateLimit off. One transport is shared by all the shards of an
// Adapter, so they share one budget.
type transport struct {
	base *url.URL // the API base: discordgo's EndpointAPI is replaced by it
	next http.RoundTripper
	log  *slog.Logger
	// MaxWait is the longest one call waits for a 429 before giving up.
	maxWait time.Duration
	global  *pacer

	mu      sync.Mutex         // guards the fields below
	routes  map[string]string  // route → Discord's bucket hash
	buckets map[string]*bucket // hash|major parameter → state
	until   time.Time          // a global 429 blocks everything until then
}

// bucket is what Discord said of one rate-limit bucket.
type bucket struct {
	remaining int
	reset     time.Time
}

func newTransport(base *url.URL, next http.RoundTripper, log *slog.Logger) *transport {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{
		base: base, next: next, log: log, maxWait: 10 * time.Second,
		global: newPacer(GlobalRate, time.Now), routes: map[string]string{}, buckets: map[string]*bucket{},
	}
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	rest, ours := strings.CutPrefix(req.URL.String(), discordgo.EndpointAPI)
	if !ours {
		return t.next.RoundTrip(req) // a CDN file or the like
	}
	path, query, _ := strings.Cut(rest, "?")
	if path == "gateway" {
		// The gateway address comes from /gateway/bot, as for a bot in production.
		path = "gateway/bot"
	}
	u := *t.base
	u.Path = strings.TrimSuffix(u.Path, "/") + "/" + path
	u.RawPath = ""
	u.RawQuery = query
	route, major := routeOf(req.Method, path)
	exempt := strings.HasPrefix(path, "interactions/")
	for attempt := 0; ; attempt++ {
		if !exempt {
			if err := t.waitGlobal(ctx); err != nil {
				return nil, err
			}
		}
		if err := t.waitBucket(ctx, route, major); err != nil {
			return nil, err
		}
		r := req.Clone(ctx)
		r.URL = &u
		r.Host = u.Host
		if req.Body != nil && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, fmt.Errorf("discord request body: %w", err)
			}
			r.Body = body
		}
		resp, err := t.next.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		t.learn(route, major, resp.Header)
		if resp.StatusCode != http.StatusTooManyRequests {
			stripLimits(resp.Header)
			return resp, nil
		}
		wait, global, body := t.limited(resp)
		t.log.Warn("discord rate limited", "route", route, "retry_after", wait, "global", global)
		deadline, hasDeadline := ctx.Deadline()
		fits := wait <= t.maxWait && (!hasDeadline || time.Until(deadline) > wait)
		if !fits || attempt >= 4 || req.Body != nil && req.GetBody == nil {
			stripLimits(resp.Header)
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			return resp, nil
		}
		if err := bots.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// limited reads a 429: how long to wait, whether the limit is global, and a JSON
// body discordgo can read (Discord's own, or one made from the headers).
func (t *transport) limited(resp *http.Response) (time.Duration, bool, []byte) {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	var tm struct {
		RetryAfter *float64 `json:"retry_after"`
		Global     bool     `json:"global"`
	}
	_ = json.Unmarshal(raw, &tm)
	secs := 1.0
	if tm.RetryAfter != nil {
		secs = *tm.RetryAfter
	} else if s, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64); err == nil {
		secs = s
	} else if s, err := strconv.ParseFloat(resp.Header.Get("X-RateLimit-Reset-After"), 64); err == nil {
		secs = s
	}
	if math.IsNaN(secs) || secs < 0 {
		secs = 1
	}
	secs = min(secs, 24*3600)
	wait := time.Duration(secs * float64(time.Second))
	global := tm.Global || resp.Header.Get("X-RateLimit-Global") != "" || resp.Header.Get("X-RateLimit-Scope") == "global"
	t.mu.Lock()
	if global {
		t.until = time.Now().Add(wait)
	}
	t.mu.Unlock()
	if tm.RetryAfter == nil {
		raw, _ = json.Marshal(map[string]any{"message": "rate limited", "retry_after": secs, "global": global})
	}
	return wait, global, raw
}

// waitGlobal waits out a global 429 and takes a token of the global budget.
func (t *transport) waitGlobal(ctx context.Context) error {
	t.mu.Lock()
	wait := time.Until(t.until)
	t.mu.Unlock()
	if wait > 0 {
		if err := bots.Sleep(ctx, wait); err != nil {
			return err
		}
	}
	return t.global.wait(ctx)
}

// waitBucket waits until the route's bucket has room, and takes it.
func (t *transport) waitBucket(ctx context.Context, route, major string) error {
	for {
		t.mu.Lock()
		hash := t.routes[route]
		b := t.buckets[hash+"|"+major]
		if hash == "" || b == nil {
			t.mu.Unlock()
			return nil
		}
		now := time.Now()
		if b.remaining > 0 || !now.Before(b.reset) {
			if !now.Before(b.reset) && b.remaining <= 0 {
				b.remaining = 1 // the bucket reset: the response will say how much is left
			}
			b.remaining--
			t.mu.Unlock()
			return nil
		}
		wait := b.reset.Sub(now)
		t.mu.Unlock()
		if err := bots.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// learn records what a response's headers say of its bucket.
func (t *transport) learn(route, major string, h http.Header) {
	hash := h.Get("X-RateLimit-Bucket")
	if hash == "" {
		hash = route // no hash: the route is its own bucket
	}
	rem, err1 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	after, err2 := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64)
	if err1 != nil && err2 != nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.routes[route] = hash
	b := t.buckets[hash+"|"+major]
	if b == nil {
		b = &bucket{remaining: 1}
		t.buckets[hash+"|"+major] = b
	}
	if err1 == nil {
		b.remaining = rem
	}
	if err2 == nil && after >= 0 && after < 24*3600 {
		// Reset-After is written to the millisecond, rounded either way: a
		// millisecond more never sends before the bucket is really empty.
		b.reset = time.Now().Add(time.Duration(after*float64(time.Second)) + time.Millisecond)
	}
}

// stripLimits removes the headers discordgo's own limiter would sleep on.
func stripLimits(h http.Header) {
	for k := range h {
		if strings.HasPrefix(strings.ToLower(k), "x-ratelimit-") {
			delete(h, k)
		}
	}
}

// routeOf returns the rate-limit route of a request (its method and path with IDs
// taken out) and its major parameter (the channel, guild or webhook it is about),
// which Discord limits separately.
func routeOf(method, path string) (route, major string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) >= 2 {
		switch segs[0] {
		case "channels", "guilds":
			major = segs[0] + "/" + segs[1]
		case "webhooks", "interactions":
			major = segs[0] + "/" + segs[1]
			if len(segs) >= 3 {
				major += "/" + segs[2]
			}
		}
	}
	out := make([]string, len(segs))
	for i, s := range segs {
		switch {
		case i >= 1 && (segs[0] == "webhooks" || segs[0] == "interactions") && i <= 2:
			out[i] = ":" + strconv.Itoa(i) // the ID and the token
		case isSnowflake(s):
			out[i] = ":id"
		default:
			out[i] = s
		}
	}
	return method + " " + strings.Join(out, "/"), major
}

func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// pacer is a token bucket: rate tokens a second, at most rate at once.
type pacer struct {
	now func() time.Time

	mu     sync.Mutex // guards the fields below
	rate   float64
	tokens float64
	last   time.Time
}

func newPacer(rate int, now func() time.Time) *pacer {
	return &pacer{now: now, rate: float64(rate), tokens: float64(rate), last: now()}
}

// wait takes one token, waiting for it as long as ctx allows.
func (p *pacer) wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		now := p.now()
		p.tokens = min(p.rate, p.tokens+now.Sub(p.last).Seconds()*p.rate)
		p.last = now
		if p.tokens >= 1 {
			p.tokens--
			p.mu.Unlock()
			return nil
		}
		need := time.Duration((1 - p.tokens) / p.rate * float64(time.Second))
		p.mu.Unlock()
		if err := bots.Sleep(ctx, need); err != nil {
			return err
		}
	}
}
