package discord

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func newTestTransport(t *testing.T, h http.HandlerFunc) (*transport, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL + "/api/v9")
	return newTransport(base, nil, slog.New(slog.DiscardHandler)), srv
}

func get(t *testing.T, tr *transport, ctx context.Context, path string) (*http.Response, error) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "POST", discordgo.EndpointAPI+path, strings.NewReader(`{"content":"x"}`))
	return tr.RoundTrip(req)
}

// Ensure requests go to the configured base, /gateway to /gateway/bot, and the
// rate-limit headers are kept from discordgo.
func TestTransport_Rewrite(t *testing.T) {
	var paths []string
	tr, _ := newTestTransport(t, func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path+"?"+r.URL.RawQuery)
		w.Header().Set("X-RateLimit-Remaining", "4")
		w.Header().Set("X-RateLimit-Reset-After", "1")
		w.Header().Set("X-RateLimit-Bucket", "abc")
		io.WriteString(w, `{}`)
	})
	for _, p := range []string{"gateway", "channels/1/messages?x=1"} {
		resp, err := get(t, tr, context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("X-RateLimit-Remaining") != "" {
			t.Fatal("rate-limit headers reach discordgo")
		}
	}
	if paths[0] != "/api/v9/gateway/bot?" || paths[1] != "/api/v9/channels/1/messages?x=1" {
		t.Fatalf("got %v", paths)
	}
}

// Ensure a 429 is waited out and retried, and given back as a 429 when the wait
// does not fit in the context.
func TestTransport_429(t *testing.T) {
	var n atomic.Int32
	tr, _ := newTestTransport(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(429)
			io.WriteString(w, `{"message":"You are being rate limited.","retry_after":0.05,"global":false}`)
			return
		}
		io.WriteString(w, `{"id":"1"}`)
	})
	resp, err := get(t, tr, context.Background(), "channels/1/messages")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("got %v %v", resp, err)
	}
	if b, _ := io.ReadAll(resp.Body); string(b) != `{"id":"1"}` {
		t.Fatalf("got %s (the retried request lost its body?)", b)
	}
	n.Store(0)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	resp, err = get(t, tr, ctx, "channels/1/messages")
	if err != nil || resp.StatusCode != 429 {
		t.Fatalf("got %v %v, want the 429 back", resp, err)
	}
}

// Ensure a 429 without a JSON body still comes back as one discordgo reads.
func TestTransport_429WithoutBody(t *testing.T) {
	tr, _ := newTestTransport(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(429)
	})
	s, _ := discordgo.New("Bot x")
	s.Client = &http.Client{Transport: tr}
	s.ShouldRetryOnRateLimit = false
	_, err := s.ChannelMessageSend("1", "hello", discordgo.WithContext(context.Background()))
	var rl *discordgo.RateLimitError
	if !asRateLimit(err, &rl) || rl.RetryAfter != 30*time.Second {
		t.Fatalf("got %v, want a rate limit of 30 s", err)
	}
}

func asRateLimit(err error, rl **discordgo.RateLimitError) bool {
	r, ok := err.(*discordgo.RateLimitError)
	*rl = r
	return ok
}

// Ensure a bucket that Discord says is empty makes the next request wait for its
// reset, with the context respected.
func TestTransport_Bucket(t *testing.T) {
	var times []time.Time
	var mu sync.Mutex
	tr, _ := newTestTransport(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		w.Header().Set("X-RateLimit-Bucket", "b1")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset-After", "0.2")
		io.WriteString(w, `{}`)
	})
	for range 2 {
		resp, err := get(t, tr, context.Background(), "channels/7/messages")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if gap := times[1].Sub(times[0]); gap < 150*time.Millisecond {
		t.Fatalf("second request after %v, want after the bucket's reset", gap)
	}
	// Another channel is another bucket: no wait.
	start := time.Now()
	resp, err := get(t, tr, context.Background(), "channels/8/messages")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if time.Since(start) > 150*time.Millisecond {
		t.Fatal("a request waited for another channel's bucket")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := get(t, tr, ctx, "channels/8/messages"); err == nil {
		t.Fatal("a request waited past its context")
	}
}

// Ensure the global budget paces requests at 50 a second, sparing interaction
// callbacks.
func TestPacer(t *testing.T) {
	now := time.Unix(0, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	p := newPacer(GlobalRate, clock)
	for range GlobalRate {
		if err := p.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	if err := p.wait(ctx); err == nil {
		t.Fatal("a 51st request within the same second went through")
	}
	mu.Lock()
	now = now.Add(100 * time.Millisecond)
	mu.Unlock()
	for range 5 {
		if err := p.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// Ensure routes and major parameters are what Discord limits by.
func TestRouteOf(t *testing.T) {
	tests := []struct{ method, path, route, major string }{
		{"POST", "channels/123/messages", "POST channels/:id/messages", "channels/123"},
		{"PATCH", "channels/123/messages/456", "PATCH channels/:id/messages/:id", "channels/123"},
		{"POST", "interactions/9/tok/callback", "POST interactions/:1/:2/callback", "interactions/9/tok"},
		{"PATCH", "webhooks/1/tok/messages/@original", "PATCH webhooks/:1/:2/messages/@original", "webhooks/1/tok"},
		{"GET", "gateway/bot", "GET gateway/bot", ""},
		{"PUT", "applications/1/guilds/2/commands", "PUT applications/:id/guilds/:id/commands", ""},
	}
	for _, tt := range tests {
		r, m := routeOf(tt.method, tt.path)
		if r != tt.route || m != tt.major {
			t.Errorf("routeOf(%s %s) = %q %q, want %q %q", tt.method, tt.path, r, m, tt.route, tt.major)
		}
	}
}
