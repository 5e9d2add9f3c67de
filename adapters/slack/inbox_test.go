package slack_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/slack"
	"github.com/engage-org/engage/adapters/slack/slackfake"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
)

// Ensure a delivery Slack got a 200 for is in the durable inbox: an instance
// that acknowledged signed commands and died before handling any of them loses
// none, and the next start handles each exactly once (one news item each, posted
// once), leaving the inbox empty; a further restart handles nothing again.
func TestHTTP_InboxSurvivesCrash(t *testing.T) {
	h := newHarness(t, options{mode: slack.ModeHTTP})
	h.community()
	// The instance that dies: it acknowledges, but its workers never run.
	cfg := h.cfg
	cfg.Inbox = h.env.Bot.Inbox(bots.PlatformSlack) // a run of its own
	dead, err := slack.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(dead)
	defer srv.Close()
	const n = 60
	for i := range n {
		body := []byte(url.Values{
			"command": {"/engage"}, "text": {fmt.Sprintf("news P1 item-%02d", i)}, "team_id": {"T1"}, "channel_id": {"C1"},
			"channel_name": {"general"}, "user_id": {"U1"}, "user_name": {"alice"}, "trigger_id": {fmt.Sprintf("tr-%d", i)},
		}.Encode())
		ts, sig := slackfake.Sign(secret, time.Now(), body)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/slack/commands", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
		if status, _ := do(t, req); status != http.StatusOK {
			t.Fatalf("command %d: got %d", i, status)
		}
	}
	if got := pending(t, h); got != n {
		t.Fatalf("%d deliveries in the inbox after %d acknowledged, want all", got, n)
	}
	if got := len(h.snapshot().Projects[0].News); got != 0 {
		t.Fatalf("%d news before the restart", got)
	}
	restart := func() {
		cfg := h.cfg
		cfg.Inbox = h.env.Bot.Inbox(bots.PlatformSlack)
		ad, err := slack.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { _ = ad.Run(ctx) })
		t.Cleanup(func() {
			cancel()
			wg.Wait()
		})
	}
	restart()
	deadline := time.Now().Add(20 * time.Second)
	for pending(t, h) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := pending(t, h); got != 0 {
		t.Fatalf("%d deliveries still in the inbox", got)
	}
	restart() // a second restart finds nothing to do
	h.fake.WaitText("C1", fmt.Sprintf("item-%02d", n-1))
	time.Sleep(300 * time.Millisecond)
	if got := len(h.snapshot().Projects[0].News); got != n {
		t.Fatalf("%d news after the restart, want %d", got, n)
	}
	for i := range n {
		k := 0
		for _, m := range h.fake.Messages("C1") {
			if !m.Ephemeral && strings.Contains(m.Text, fmt.Sprintf("item-%02d", i)) {
				k++
			}
		}
		if k != 1 {
			t.Errorf("item-%02d posted %d times", i, k)
		}
	}
}

// pending counts the Slack deliveries in the inbox.
func pending(t *testing.T, h *harness) int {
	t.Helper()
	var n int
	err := h.env.Engine.View(context.Background(), func(tx *core.Tx) error {
		items, err := tx.Inbox("slack", "", 1<<20)
		n = len(items)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Ensure a Socket Mode delivery an earlier run stored in the inbox (and so
// acknowledged) but never handled is handled once at the next start, on the
// workspace it came by.
func TestSocket_InboxRecovered(t *testing.T) {
	h := newHarness(t, options{})
	h.community()
	dead := h.env.Bot.Inbox(bots.PlatformSlack) // the run that stored it, then died
	for i, text := range []string{"news P1 kept-one", "news P1 kept-two"} {
		payload := fmt.Sprintf(`{"command":"/engage","text":%q,"team_id":"T1","channel_id":"C1","channel_name":"general","user_id":"U1","user_name":"alice","trigger_id":"tr-s%d"}`, text, i)
		raw := fmt.Sprintf(`{"type":"slash_commands","payload":%s,"ws":"default"}`, payload)
		if _, err := dead.Append(t.Context(), []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	cfg := h.cfg
	cfg.Inbox = h.env.Bot.Inbox(bots.PlatformSlack)
	ad, err := slack.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = ad.Run(ctx) })
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	h.fake.WaitText("C1", "kept-two")
	deadline := time.Now().Add(10 * time.Second)
	for pending(t, h) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := pending(t, h); got != 0 {
		t.Fatalf("%d deliveries left in the inbox", got)
	}
	if got := len(h.snapshot().Projects[0].News); got != 2 {
		t.Fatalf("%d news, want 2", got)
	}
}
