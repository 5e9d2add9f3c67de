package slack_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/slack"
	"github.com/engage-org/engage/adapters/slack/slackfake"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// Teams of the fake Slack.
var (
	team1 = slackfake.Team{ID: "T1", BotToken: "xoxb-one", AppToken: "xapp-one", BotUser: "UBOT"}
	team2 = slackfake.Team{ID: "T2", BotToken: "xoxb-two", BotUser: "UBOT2"} // the same app, installed in a second workspace
)

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

// harness is a real bot on a real bbolt file, its outbox sent through the Slack
// adapter, the adapter talking to a fake Slack.
type harness struct {
	t    testing.TB
	env  *botstest.Env
	fake *slackfake.Server
	ad   *slack.Adapter
	http *httptest.Server // HTTP mode: the service's listener
	cfg  slack.Config
}

type options struct {
	mode       string
	workspaces bool // serve team2 too
}

func newHarness(t *testing.T, opt options) *harness { return newHarnessTB(t, opt) }

func newHarnessTB(t testing.TB, opt options) *harness {
	t.Helper()
	h := &harness{t: t, env: botstest.NewEnv(t, botstest.Options{NoSync: true})}
	h.fake = slackfake.New(t, team1, team2)
	for _, u := range []slackfake.User{
		{ID: "U1", Name: "alice", DisplayName: "Alice", Locale: "en-US"},
		{ID: "U2", Name: "bob", DisplayName: "Bob", Locale: "en-GB"},
		{ID: "U3", Name: "chloe", DisplayName: "Chloé", Locale: "fr-FR"},
		{ID: "U9", Name: "zoe", DisplayName: "Zoé", Locale: "en-US"},
	} {
		h.fake.AddUser(u)
	}
	cfg := slack.Config{
		BotToken: team1.BotToken, AppToken: team1.AppToken, SigningSecret: secret, Mode: opt.mode,
		APIURL: h.fake.APIURL(), Handler: h.env.Bot, ChannelInterval: time.Millisecond, PingInterval: 2 * time.Second,
		Log: testLogger(t),
	}
	if opt.workspaces {
		cfg.Workspaces = []slack.Workspace{{Name: "second", BotToken: team2.BotToken}}
	}
	cfg.Inbox = h.env.Bot.Inbox(bots.PlatformSlack)
	h.cfg = cfg
	ad, err := slack.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.ad = ad
	disp := outbox.NewDispatcher(h.env.Engine, h.env.Bot, map[string]bots.Sender{bots.PlatformSlack: ad}, testLogger(t), nil)
	disp.Poll = 100 * time.Millisecond
	h.env.Bot.OnOutbox(disp.Wake)
	if opt.mode == slack.ModeHTTP {
		h.http = httptest.NewServer(ad)
		t.Cleanup(h.http.Close)
		h.fake.DeliverHTTP(&slackfake.HTTPTarget{URL: h.http.URL, Secret: secret})
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := ad.Run(ctx); err != nil {
			t.Errorf("adapter: %v", err)
		}
	})
	wg.Go(func() { _ = disp.Run(ctx) })
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	if opt.mode != slack.ModeHTTP {
		h.fake.WaitConnected(team1.AppToken)
	}
	return h
}

// testLogger logs to the test output when -v is given with ENGAGE_TEST_LOG=1.
func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("ENGAGE_TEST_LOG") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// community makes C1 of team1 a community administered by U1, with project P1
// referred by U1 and followed by U2.
func (h *harness) community() {
	h.t.Helper()
	h.fake.Slash("T1", "C1", "U1", "community create Garden Club lang en")
	h.fake.WaitText("C1", "Garden Club")
	h.fake.Slash("T1", "C1", "U1", "project new Garden — a shared garden")
	m := h.fake.WaitText("C1", "New project P1")
	h.fake.Press("U2", m, "Follow")
	h.fake.WaitMessage("follow receipt", func(m slackfake.Message) bool {
		return m.Ephemeral && m.User == "U2" && strings.Contains(m.Text, "You follow P1")
	})
}

// snapshot returns the state of the first community.
func (h *harness) snapshot() core.CommunitySnapshot {
	h.t.Helper()
	s := h.env.Snapshot()
	if len(s.Communities) == 0 {
		h.t.Fatal("no community")
	}
	return s.Communities[0]
}
