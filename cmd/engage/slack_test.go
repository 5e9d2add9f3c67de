package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/slack/slackfake"
	"github.com/engage-org/engage/core"
)

// Teams of the fake Slack for end-to-end tests.
var (
	e2eTeam  = slackfake.Team{ID: "T1", BotToken: "xoxb-e2e", AppToken: "xapp-e2e", BotUser: "UBOT"}
	e2eTeam2 = slackfake.Team{ID: "T2", BotToken: "xoxb-e2e-two", AppToken: "xapp-e2e-two", BotUser: "UBOT2"}
)

const e2eSecret = "e2e-signing-secret"

// syncBuffer is a bytes.Buffer safe for a writer and a reader.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runningService is `engage run` running in the test.
type runningService struct {
	t      *testing.T
	db     string
	stderr *syncBuffer
	addr   string // the HTTP listener's address
	cancel context.CancelFunc
	done   chan int
}

var reListening = regexp.MustCompile(`msg="http listening" addr=(\S+)`)

// startService runs `engage run` with env (and a fresh database) until the test ends
// or stop is called.
func startService(t *testing.T, env map[string]string) *runningService {
	t.Helper()
	s := &runningService{t: t, db: filepath.Join(t.TempDir(), "engage.db"), stderr: &syncBuffer{}, done: make(chan int, 1)}
	env["ENGAGE_STORE_PATH"] = s.db
	env["ENGAGE_HTTP_ADDR"] = "127.0.0.1:0"
	env["ENGAGE_COMMUNITY_LANG"] = "en"
	getenv := func(k string) string { return env[k] }
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go func() { s.done <- Main(ctx, []string{"run"}, strings.NewReader(""), &bytes.Buffer{}, s.stderr, getenv) }()
	t.Cleanup(func() { s.stop() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := reListening.FindStringSubmatch(s.stderr.String()); m != nil {
			s.addr = m[1]
			return s
		}
		select {
		case code := <-s.done:
			s.done <- code
			t.Fatalf("engage run exited with %d:\n%s", code, s.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("engage run did not listen:\n%s", s.stderr.String())
		}
	}
}

// stop stops the service (SIGTERM) and checks it exits 0.
func (s *runningService) stop() {
	s.t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case code := <-s.done:
		if code != 0 {
			s.t.Errorf("engage run exited with %d:\n%s", code, s.stderr.String())
		}
	case <-time.After(20 * time.Second):
		s.t.Errorf("engage run did not stop:\n%s", s.stderr.String())
	}
	if strings.Contains(s.stderr.String(), "xoxb-") || strings.Contains(s.stderr.String(), "xapp-") || strings.Contains(s.stderr.String(), e2eSecret) {
		s.t.Errorf("a secret is in the log:\n%s", s.stderr.String())
	}
}

// export stops the service and returns `engage export`'s state.
func (s *runningService) export() core.Snapshot {
	s.t.Helper()
	s.stop()
	var out, errOut bytes.Buffer
	if code := Main(context.Background(), []string{"export", "--db", s.db}, strings.NewReader(""), &out, &errOut, func(string) string { return "" }); code != 0 {
		s.t.Fatalf("export exited with %d: %s", code, errOut.String())
	}
	var snap core.Snapshot
	if err := json.Unmarshal(out.Bytes(), &snap); err != nil {
		s.t.Fatal(err)
	}
	return snap
}

func slackFake(t *testing.T, teams ...slackfake.Team) *slackfake.Server {
	t.Helper()
	f := slackfake.New(t, teams...)
	for _, u := range []slackfake.User{
		{ID: "U1", Name: "alice", DisplayName: "Alice", Locale: "en-US"},
		{ID: "U2", Name: "bob", DisplayName: "Bob", Locale: "en-US"},
		{ID: "U3", Name: "chloe", DisplayName: "Chloé", Locale: "fr-FR"},
	} {
		f.AddUser(u)
	}
	return f
}

func socketEnv(f *slackfake.Server) map[string]string {
	return map[string]string{
		"ENGAGE_SLACK_BOT_TOKEN": e2eTeam.BotToken,
		"ENGAGE_SLACK_APP_TOKEN": e2eTeam.AppToken,
		"ENGAGE_SLACK_API_URL":   f.APIURL(),
	}
}

// Ensure `engage run` with ENGAGE_SLACK_BOT_TOKEN, ENGAGE_SLACK_APP_TOKEN and
// ENGAGE_SLACK_API_URL serves Slack over Socket Mode end to end: a community
// created with /engage, a project announced with buttons, a press, news asked in a
// modal and pushed to a follower by direct message, a retried event counted once.
func TestRun_SlackSocketMode(t *testing.T) {
	t.Parallel()
	f := slackFake(t, e2eTeam)
	s := startService(t, socketEnv(f))
	f.WaitConnected(e2eTeam.AppToken)

	f.Slash("T1", "C1", "U1", "community create Garden Club")
	f.WaitText("C1", "Garden Club")
	f.Slash("T1", "C1", "U1", "project new Garden — a shared garden")
	announce := f.WaitText("C1", "New project P1")
	f.Press("U2", announce, "Follow")
	f.WaitMessage("bob's follow receipt", func(m slackfake.Message) bool { return m.Ephemeral && m.User == "U2" })

	f.Slash("T1", "C1", "U1", "news P1")
	v := f.WaitView(1)
	f.Submit(v, map[string]string{"text": "The first beds are in"})
	f.WaitText("C1", "The first beds are in")
	f.WaitText(slackfake.DM("U2"), "The first beds are in")

	f.Mention("T1", "C1", "U2", "like P1", "EvLike", 0)
	f.WaitText("C1", "You like P1")
	f.Mention("T1", "C1", "U2", "like P1", "EvLike", 1) // Slack retries: it changes nothing
	f.Mention("T1", "C1", "U1", "nextstep P1 Build the shed by 2026-12-20", "EvNext", 0)
	f.WaitText("C1", "Build the shed")

	snap := s.export()
	c := snap.Communities[0]
	p := c.Projects[0]
	if p.Likes != 1 || p.Followers != 1 || len(p.News) != 1 || p.NextStep == nil || p.NextStep.Text != "Build the shed" {
		t.Fatalf("got project %+v, want 1 like, 1 follower, 1 news, the next step", p)
	}
	if c.Chats[0].Platform != "slack" || c.Chats[0].ChatID != "C1" {
		t.Fatalf("got chats %+v, want slack C1", c.Chats)
	}
}

// Ensure `engage run` in HTTP mode takes Slack's signed requests on its own HTTP
// listener, and refuses a forged signature, a stale timestamp and a replay.
func TestRun_SlackHTTPMode(t *testing.T) {
	t.Parallel()
	f := slackFake(t, e2eTeam)
	env := socketEnv(f)
	delete(env, "ENGAGE_SLACK_APP_TOKEN")
	env["ENGAGE_SLACK_MODE"] = "http"
	env["ENGAGE_SLACK_SIGNING_SECRET"] = e2eSecret
	s := startService(t, env)
	base := "http://" + s.addr
	f.DeliverHTTP(&slackfake.HTTPTarget{URL: base, Secret: e2eSecret})

	f.Slash("T1", "C1", "U1", "community create Garden Club")
	f.WaitText("C1", "Garden Club")
	f.Slash("T1", "C1", "U1", "project new Garden")
	f.Press("U2", f.WaitText("C1", "New project P1"), "Like")
	f.WaitText("C1", "You like P1")

	body := []byte(`{"type":"event_callback","team_id":"T1","event_id":"EvHTTP","event":{"type":"app_mention","user":"U2","text":"<@UBOT> follow P1","channel":"C1"}}`)
	post := func(secret string, at time.Time, ts, sig string) int {
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		if ts == "" {
			ts, sig = slackfake.Sign(secret, at, body)
		}
		h.Set("X-Slack-Request-Timestamp", ts)
		h.Set("X-Slack-Signature", sig)
		return slackfake.Post(t, base+"/slack/events", h, body).StatusCode
	}
	if got := post("forged", time.Now(), "", ""); got != http.StatusUnauthorized {
		t.Fatalf("forged signature: got %d, want 401", got)
	}
	if got := post(e2eSecret, time.Now().Add(-10*time.Minute), "", ""); got != http.StatusUnauthorized {
		t.Fatalf("stale timestamp: got %d, want 401", got)
	}
	ts, sig := slackfake.Sign(e2eSecret, time.Now(), body)
	if got := post("", time.Time{}, ts, sig); got != http.StatusOK {
		t.Fatalf("signed request: got %d, want 200", got)
	}
	if got := post("", time.Time{}, ts, sig); got != http.StatusUnauthorized {
		t.Fatalf("replayed request: got %d, want 401", got)
	}
	f.WaitMessage("bob's follow receipt", func(m slackfake.Message) bool {
		return m.User == "U2" && strings.Contains(m.Text, "You follow P1")
	})
	snap := s.export()
	if p := snap.Communities[0].Projects[0]; p.Likes != 1 || p.Followers != 1 {
		t.Fatalf("got %+v, want 1 like and 1 follower", p)
	}
}

// Ensure further workspaces of the config file get their tokens from the
// environment and are served by the same service: one community spans a channel
// of each.
func TestRun_SlackWorkspaces(t *testing.T) {
	t.Parallel()
	f := slackFake(t, e2eTeam, e2eTeam2)
	cfgFile := filepath.Join(t.TempDir(), "engage.yaml")
	writeFile(t, cfgFile, "slack:\n  workspaces:\n    - name: other-association\n")
	env := socketEnv(f)
	env["ENGAGE_CONFIG"] = cfgFile
	env["ENGAGE_SLACK_WORKSPACE_OTHER_ASSOCIATION_BOT_TOKEN"] = e2eTeam2.BotToken
	env["ENGAGE_SLACK_WORKSPACE_OTHER_ASSOCIATION_APP_TOKEN"] = e2eTeam2.AppToken
	s := startService(t, env)
	f.WaitConnected(e2eTeam.AppToken)
	f.WaitConnected(e2eTeam2.AppToken)

	f.Slash("T1", "C1", "U1", "community create Garden Club")
	f.WaitText("C1", "Garden Club")
	f.Slash("T1", "C1", "U1", "community invite")
	inv := f.WaitMessage("the invite code", func(m slackfake.Message) bool { return m.User == "U1" && strings.Contains(m.Text, "join") })
	code := regexp.MustCompile(`join ([A-Z0-9-]+)`).FindStringSubmatch(inv.Text)[1]
	f.Slash("T2", "C9", "U3", "community join "+code)
	f.WaitText("C9", "joined")
	f.Slash("T1", "C1", "U1", "project new Garden")
	for _, ch := range []string{"C1", "C9"} {
		f.WaitText(ch, "New project P1")
	}
	snap := s.export()
	chats := snap.Communities[0].Chats
	if len(chats) != 2 || chats[1].ChatID != "T2:C9" {
		t.Fatalf("got chats %+v, want C1 and T2:C9", chats)
	}
}

// Ensure a Slack configuration that cannot work is refused at start with a clear
// message.
func TestRun_SlackMisconfigured(t *testing.T) {
	t.Parallel()
	f := slackFake(t, e2eTeam)
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"ErrNoAppToken", map[string]string{"ENGAGE_SLACK_BOT_TOKEN": "xoxb-e2e", "ENGAGE_SLACK_API_URL": f.APIURL()}, "app-level token"},
		{"ErrNoSecret", map[string]string{"ENGAGE_SLACK_BOT_TOKEN": "xoxb-e2e", "ENGAGE_SLACK_MODE": "http", "ENGAGE_SLACK_API_URL": f.APIURL()}, "signing secret"},
		{"ErrBadToken", map[string]string{"ENGAGE_SLACK_BOT_TOKEN": "xoxb-wrong", "ENGAGE_SLACK_APP_TOKEN": "xapp-e2e", "ENGAGE_SLACK_API_URL": f.APIURL()}, "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["ENGAGE_STORE_PATH"] = filepath.Join(t.TempDir(), "engage.db")
			tt.env["ENGAGE_HTTP_ADDR"] = "127.0.0.1:0"
			var errOut syncBuffer
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			code := Main(ctx, []string{"run"}, strings.NewReader(""), &bytes.Buffer{}, &errOut, func(k string) string { return tt.env[k] })
			if code == 0 || !strings.Contains(errOut.String(), tt.want) {
				t.Fatalf("got exit %d and %q, want a failure saying %q", code, errOut.String(), tt.want)
			}
		})
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Ensure a pledge through Slack's modal works under `engage run`, and the
// campaign's card is then updated in place with chat.update.
func TestRun_SlackPledge(t *testing.T) {
	t.Parallel()
	f := slackFake(t, e2eTeam)
	s := startService(t, socketEnv(f))
	f.WaitConnected(e2eTeam.AppToken)
	f.Slash("T1", "C1", "U1", "community create Garden Club")
	f.WaitText("C1", "Garden Club")
	f.Slash("T1", "C1", "U1", "campaign new donation Community oven goal 500 EUR until "+time.Now().AddDate(0, 2, 0).Format("2006-01-02"))
	card := f.WaitText("C1", "C1 Community oven")
	f.Press("U2", card, "Another amount")
	v := f.WaitView(1)
	f.Submit(v, map[string]string{"amount": "25,50"})
	f.WaitMessage("bob's receipt", func(m slackfake.Message) bool {
		return m.Ephemeral && m.User == "U2" && strings.Contains(m.Text, "25.50")
	})
	f.Wait("the card updated in place", func() bool {
		for _, m := range f.Messages("C1") {
			if m.TS == card.TS && m.Edits > 0 && strings.Contains(m.Text, "1 backer") {
				return true
			}
		}
		return false
	})
	snap := s.export()
	if c := snap.Communities[0].Campaigns[0]; c.Pledged != 2550 || c.Backers != 1 {
		t.Fatalf("got campaign %+v, want 25.50 EUR from one backer", c)
	}
}

// Ensure the facilitator's check-in works under `engage run`: the nudge comes by
// direct message with its buttons, a press opens the date poll form as a modal, and
// a referent answers the questions in free text by direct message.
func TestRun_SlackCheckin(t *testing.T) {
	t.Parallel()
	f := slackFake(t, e2eTeam)
	s := startService(t, socketEnv(f))
	f.WaitConnected(e2eTeam.AppToken)
	f.Slash("T1", "C1", "U1", "community create Garden Club")
	f.WaitText("C1", "Garden Club")
	f.Slash("T1", "C1", "U1", "project new Garden")
	f.Press("U2", f.WaitText("C1", "New project P1"), "Like") // bob is a member from then on
	f.WaitText("C1", "You like P1")
	f.Slash("T1", "C1", "U1", "role <@U2|bob> facilitator")
	f.WaitText("C1", "facilitator")
	f.Slash("T1", "C1", "U2", "slot monday 09:00")
	f.WaitText("", "facilitation hour is every Monday")
	f.Slash("T1", "C1", "U2", "checkin now")
	nudge := f.WaitMessage("bob's nudge", func(m slackfake.Message) bool {
		return m.Channel == slackfake.DM("U2") && strings.Contains(m.Text, "Check-in for Garden Club")
	})
	f.Press("U2", nudge, "Open a date poll")
	f.Submit(f.WaitView(1), map[string]string{"slots": ""})
	f.WaitText("C1", "When shall we hold the next general meeting?")
	f.WaitMessage("alice's question", func(m slackfake.Message) bool {
		return m.Channel == slackfake.DM("U1") && strings.Contains(m.Text, "what is the next step?")
	})
	until := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	f.Direct("T1", "U1", "we build the shed by "+until+", it's posted", "EvAnswer", 0)
	f.WaitText(slackfake.DM("U1"), "Noted as posted")
	snap := s.export()
	if ns := snap.Communities[0].Projects[0].NextStep; ns == nil || !strings.Contains(ns.Text, "shed") || !ns.Shared {
		t.Fatalf("got next step %+v, want the shed, shared", ns)
	}
}

// Ensure a poll works under `engage run`: ballots from buttons and from a modal,
// the poll message updated in place with chat.update, a retried event counted once.
func TestRun_SlackPoll(t *testing.T) {
	t.Parallel()
	f := slackFake(t, e2eTeam)
	s := startService(t, socketEnv(f))
	f.WaitConnected(e2eTeam.AppToken)
	f.Slash("T1", "C1", "U1", "community create Garden Club")
	f.WaitText("C1", "Garden Club")
	f.Slash("T1", "C1", "U1", "poll new single Where do we meet? | Nashville | Knoxville")
	single := f.WaitText("C1", "V1 · Where do we meet?")
	f.Press("U1", single, "Nashville")
	f.Press("U2", single, "Nashville")
	f.Mention("T1", "C1", "U3", "vote V1 Knoxville", "EvVote", 0)
	f.Mention("T1", "C1", "U3", "vote V1 Knoxville", "EvVote", 1)
	f.Slash("T1", "C1", "U1", "poll new score Best bed? | Roses | Tomatoes")
	score := f.WaitText("C1", "V2 · Best bed?")
	f.Press("U2", score, "Vote")
	f.Submit(f.WaitView(1), map[string]string{"o1": "2", "o2": "5"})
	for _, w := range []struct {
		m    slackfake.Message
		text string
	}{{single, "3 ballots"}, {score, "1 ballot"}} {
		f.Wait("the tally of "+w.text, func() bool {
			for _, m := range f.Messages("C1") {
				if m.TS == w.m.TS && m.Edits > 0 && strings.Contains(m.Text, w.text) {
					return true
				}
			}
			return false
		})
	}
	if n := len(f.Calls("chat.update")); n == 0 {
		t.Fatal("no chat.update")
	}
	snap := s.export()
	got := map[string]int{}
	for _, p := range snap.Communities[0].Polls {
		got[p.ID] = p.Ballots
	}
	if got["V1"] != 3 || got["V2"] != 1 {
		t.Fatalf("got ballots %v, want V1 3 and V2 1", got)
	}
}
