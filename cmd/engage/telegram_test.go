package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/telegram/telegramtest"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/pgstore/pgtest"
)

// tgWait bounds how long an end-to-end test waits for the service to catch up.
const tgWait = 60 * time.Second

// tgService is `engage run` in this process, configured by the environment only.
type tgService struct {
	t    *testing.T
	logs *tgBuffer
	stop context.CancelFunc
	code chan int
}

// tgStart runs `engage run` with env (plus a temporary store unless given) and
// waits until it polls or set its webhook.
func tgStart(t *testing.T, fake *telegramtest.Server, env map[string]string) *tgService {
	t.Helper()
	full := map[string]string{
		"ENGAGE_TELEGRAM_TOKEN":   telegramtest.Token,
		"ENGAGE_TELEGRAM_API_URL": fake.URL(),
		"ENGAGE_HTTP_ADDR":        "127.0.0.1:0",
		"ENGAGE_COMMUNITY_LANG":   "en",
		"ENGAGE_LOG_LEVEL":        "info",
	}
	for k, v := range env {
		full[k] = v
	}
	if full["ENGAGE_STORE_PATH"] == "" {
		full["ENGAGE_STORE_PATH"] = filepath.Join(t.TempDir(), "engage.db")
	}
	s := &tgService{t: t, logs: &tgBuffer{}, code: make(chan int, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	go func() {
		s.code <- Main(ctx, []string{"run"}, strings.NewReader(""), io.Discard, s.logs, func(k string) string { return full[k] })
	}()
	t.Cleanup(func() { s.Stop() })
	fake.Wait(tgWait, "engage to start", func() bool {
		u, _ := fake.Webhook()
		return len(fake.Offsets()) > 0 || u != ""
	})
	return s
}

// Stop stops the service (SIGTERM) and returns its exit code.
func (s *tgService) Stop() int {
	s.stop()
	select {
	case c := <-s.code:
		s.code <- c
		return c
	case <-time.After(tgWait):
		s.t.Fatal("engage did not stop")
		return -1
	}
}

// Addr is the address the HTTP listener got.
func (s *tgService) Addr() string {
	s.t.Helper()
	var addr string
	deadline := time.Now().Add(tgWait)
	for addr == "" && time.Now().Before(deadline) {
		if m := regexp.MustCompile(`msg="http listening" addr=(\S+)`).FindStringSubmatch(s.logs.String()); m != nil {
			addr = m[1]
		}
		time.Sleep(5 * time.Millisecond)
	}
	if addr == "" {
		s.t.Fatalf("no listening address in the logs:\n%s", s.logs.String())
	}
	return addr
}

// tgExport runs `engage export` on the store env names (ENGAGE_STORE_*).
func tgExport(t *testing.T, env map[string]string) *core.Snapshot {
	t.Helper()
	var out, errs bytes.Buffer
	if code := Main(context.Background(), []string{"export"}, nil, &out, &errs, func(k string) string { return env[k] }); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs.String())
	}
	snap := new(core.Snapshot)
	if err := json.Unmarshal(out.Bytes(), snap); err != nil {
		t.Fatal(err)
	}
	return snap
}

// tgBolt is the environment of a fresh bbolt store.
func tgBolt(t *testing.T) map[string]string {
	return map[string]string{"ENGAGE_STORE_PATH": filepath.Join(t.TempDir(), "engage.db")}
}

// tgSettle waits until every queued update was confirmed and fn holds.
func tgSettle(t *testing.T, fake *telegramtest.Server, what string, fn func() bool) {
	t.Helper()
	fake.Wait(tgWait, "updates confirmed", func() bool { return fake.Pending() == 0 })
	if fn != nil {
		fake.Wait(tgWait, what, fn)
	}
}

func tgUser(id int64, name string) telegramtest.User {
	return telegramtest.User{ID: id, FirstName: name, Username: strings.ToLower(name), Lang: "en"}
}

// Ensure, through `engage run`'s wiring with only ENGAGE_TELEGRAM_TOKEN and
// ENGAGE_TELEGRAM_API_URL set: a group creates a community and a project,
// twenty members press its button and each gets a toast, one press delivered
// again counts once, a member who never started the bot gets the start button
// and their message once they start it, and the menus are registered in both
// languages.
func TestTelegramEndToEnd(t *testing.T) {
	t.Parallel()
	t.Run("bolt", func(t *testing.T) { telegramEndToEnd(t, tgBolt(t)) })
	t.Run("postgres", func(t *testing.T) {
		telegramEndToEnd(t, map[string]string{"ENGAGE_STORE_DRIVER": "postgres", "ENGAGE_STORE_DSN": pgtest.FreshDSN(t)})
	})
}

func telegramEndToEnd(t *testing.T, store map[string]string) {
	fake := telegramtest.New(t, telegramtest.TelegramLimits)
	const group = -1001
	fake.Group(group, "Garden club")
	svc := tgStart(t, fake, store)
	alice := tgUser(11, "Alice")
	fake.Say(group, alice, "/community create Garden club")
	fake.Say(group, alice, "/project new Seed library — swap seeds each spring")
	var proj telegramtest.Msg
	tgSettle(t, fake, "the project's message", func() bool {
		var ok bool
		proj, ok = fake.Last(group, "Seed library")
		return ok && len(proj.Buttons()) > 0
	})
	var again []byte
	for i := range 20 {
		_, raw := fake.PressUpdate(tgUser(int64(100+i), fmt.Sprintf("Member%02d", i)), proj, proj.Buttons()[0].Data)
		fake.Queue(raw)
		if i == 7 {
			again = raw
		}
	}
	tgSettle(t, fake, "20 toasts", func() bool { return len(fake.Answers()) == 20 })
	fake.Redeliver(again)
	carol := tgUser(13, "Carol")
	fake.Say(group, carol, "/me")
	var notice telegramtest.Msg
	tgSettle(t, fake, "the start button", func() bool {
		var ok bool
		notice, ok = fake.Last(group, "private message for you")
		return ok
	})
	if b := notice.Buttons(); len(b) != 1 || b[0].URL != "https://t.me/"+telegramtest.BotName+"?start=dm" {
		t.Fatalf("notice buttons %+v", b)
	}
	fake.Say(carol.ID, carol, "/start dm")
	tgSettle(t, fake, "carol's held message", func() bool { _, ok := fake.Last(carol.ID, "language"); return ok })
	for _, a := range fake.Answers() {
		if !strings.Contains(a.Text, "You follow P1") {
			t.Fatalf("toast %q", a.Text)
		}
	}
	menus := fake.Commands()
	if len(menus) != 3 || len(menus["fr"]) == 0 || menus["fr"][0].Description == menus["en"][0].Description {
		t.Fatalf("menus %+v", menus)
	}
	if code := svc.Stop(); code != 0 {
		t.Fatalf("engage run exited %d:\n%s", code, svc.logs.String())
	}
	if f := fake.Floods(); f != 0 {
		t.Fatalf("%d calls refused with 429", f)
	}
	snap := tgExport(t, store)
	if len(snap.Communities) != 1 || len(snap.Communities[0].Projects) != 1 {
		t.Fatalf("export: %+v", snap)
	}
	if got := snap.Communities[0].Projects[0].Followers; got != 20 {
		t.Fatalf("got %d followers, want 20", got)
	}
	if strings.Contains(svc.logs.String(), telegramtest.Token) {
		t.Fatal("the token is in the logs")
	}
}

// Ensure in webhook mode, through `engage run`'s wiring: the webhook is set with
// its secret, a delivery with a missing or wrong secret is refused with 401 and
// changes nothing, and a good one is answered 200 (stored) and handled.
func TestTelegramWebhookEndToEnd(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t, telegramtest.TelegramLimits)
	const group = -1001
	fake.Group(group, "Garden club")
	store := tgBolt(t)
	svc := tgStart(t, fake, map[string]string{
		"ENGAGE_STORE_PATH": store["ENGAGE_STORE_PATH"], "ENGAGE_TELEGRAM_MODE": "webhook",
		"ENGAGE_TELEGRAM_WEBHOOK_URL": "https://engage.example.org/telegram/hook", "ENGAGE_TELEGRAM_WEBHOOK_SECRET": "Sh4red_secret",
	})
	if u, s := fake.Webhook(); u != "https://engage.example.org/telegram/hook" || s != "Sh4red_secret" {
		t.Fatalf("webhook %q %q", u, s)
	}
	url := "http://" + svc.Addr() + "/telegram/hook"
	_, raw := fake.MessageUpdate(group, tgUser(11, "Alice"), "/community create Garden club")
	ctx := context.Background()
	for _, sec := range []string{"", "wrong", "Sh4red_secre", "sh4red_secret"} {
		st, err := telegramtest.Post(ctx, url, raw, sec)
		if err != nil {
			t.Fatal(err)
		}
		if st != http.StatusUnauthorized {
			t.Fatalf("secret %q: status %d, want 401", sec, st)
		}
	}
	if n := len(fake.Calls("sendMessage")); n != 0 {
		t.Fatalf("refused deliveries sent %d messages", n)
	}
	if st, err := telegramtest.Post(ctx, url, raw, "Sh4red_secret"); err != nil || st != http.StatusOK {
		t.Fatalf("good delivery: %d %v", st, err)
	}
	// 200 means stored in the inbox: the update is handled from there, at once.
	fake.Wait(tgWait, "the community created", func() bool { _, ok := fake.Last(group, "is now the community"); return ok })
	if code := svc.Stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if snap := tgExport(t, store); len(snap.Communities) != 1 {
		t.Fatalf("got %d communities, want 1", len(snap.Communities))
	}
}

// Ensure a refused webhook delivery changes nothing in the store.
func TestTelegramWebhookRefusedChangesNothing(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t, telegramtest.TelegramLimits)
	store := tgBolt(t)
	svc := tgStart(t, fake, map[string]string{
		"ENGAGE_STORE_PATH": store["ENGAGE_STORE_PATH"], "ENGAGE_TELEGRAM_MODE": "webhook",
		"ENGAGE_TELEGRAM_WEBHOOK_URL": "https://engage.example.org/tg", "ENGAGE_TELEGRAM_WEBHOOK_SECRET": "Sh4red_secret",
	})
	url := "http://" + svc.Addr() + "/tg"
	fake.Group(-1001, "Garden club")
	_, raw := fake.MessageUpdate(-1001, tgUser(11, "Alice"), "/community create Garden club")
	for _, sec := range []string{"", "nope"} {
		if st, err := telegramtest.Post(context.Background(), url, raw, sec); err != nil || st != http.StatusUnauthorized {
			t.Fatalf("secret %q: %d %v", sec, st, err)
		}
	}
	svc.Stop()
	if snap := tgExport(t, store); len(snap.Communities) != 0 {
		t.Fatalf("a refused delivery created %d communities", len(snap.Communities))
	}
}

// Ensure a fan-out of 600 messages to 60 chats (a group and 59 followers' private
// chats: ten news of a project) is delivered in full under Telegram's real
// limits, none exceeded.
func TestTelegramFanOut(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("sends 600 messages at Telegram's pace (about 20 s)")
	}
	fake := telegramtest.New(t, telegramtest.TelegramLimits)
	const group = -1001
	fake.Group(group, "Garden club")
	tgStart(t, fake, nil)
	alice := tgUser(11, "Alice")
	fake.Say(group, alice, "/community create Garden club")
	fake.Say(group, alice, "/project new Seed library")
	var proj telegramtest.Msg
	tgSettle(t, fake, "the project", func() bool {
		var ok bool
		proj, ok = fake.Last(group, "Seed library")
		return ok && len(proj.Buttons()) > 0
	})
	for i := range 59 {
		u := tgUser(int64(200+i), fmt.Sprintf("Follower%02d", i))
		fake.Start(u)
		fake.Press(u, proj, "Follow")
	}
	tgSettle(t, fake, "59 follows", func() bool { return len(fake.Answers()) == 59 })
	n0, _, _ := fake.Sent()
	start := time.Now()
	for i := range 10 {
		fake.Say(group, alice, fmt.Sprintf("/news P1 Harvest note %d", i))
	}
	tgSettle(t, fake, "600 messages", func() bool { n, _, _ := fake.Sent(); return n-n0 == 600 })
	took := time.Since(start)
	news := 0
	for _, id := range append([]int64{group}, func() []int64 {
		var ids []int64
		for i := range 59 {
			ids = append(ids, int64(200+i))
		}
		return ids
	}()...) {
		news += countText(fake.Messages(id), "Harvest note")
		if got := countText(fake.Messages(id), "Harvest note"); got != 10 {
			t.Fatalf("chat %d got %d news, want 10", id, got)
		}
	}
	if f := fake.Floods(); f != 0 {
		t.Fatalf("%d messages refused with 429", f)
	}
	calls := fake.Calls("sendMessage")
	var first, last time.Time
	for _, c := range calls {
		if c.Status == 200 && strings.Contains(c.Form.Get("text"), "Harvest note") {
			if first.IsZero() {
				first = c.At
			}
			last = c.At
		}
	}
	t.Logf("600 messages to 60 chats in %v (%.1f/s; first to last %v; Telegram allows 30/s)", took, 600/took.Seconds(), last.Sub(first))
}

func countText(msgs []telegramtest.Msg, substr string) int {
	n := 0
	for _, m := range msgs {
		if strings.Contains(m.Text, substr) {
			n++
		}
	}
	return n
}

// tgBuffer is a goroutine-safe writer for the service's logs.
type tgBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *tgBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *tgBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Ensure, through `engage run`, twenty members pressing a pledge button on a
// campaign's progress message each get a toast and a receipt by private message,
// the message is edited in place (throttled) rather than posted again, a press
// delivered twice counts once, and "Another amount" asks the amount privately,
// field by field, the answer typed in the private chat completing the pledge.
func TestTelegramCampaignPledges(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t, telegramtest.TelegramLimits)
	const group = -1001
	fake.Group(group, "Garden club")
	store := tgBolt(t)
	svc := tgStart(t, fake, store)
	alice := tgUser(11, "Alice")
	fake.Say(group, alice, "/community create Garden club")
	fake.Say(group, alice, "/campaign new donation Seeds goal 500 EUR until "+time.Now().AddDate(0, 6, 0).Format("2006-01-02"))
	var card telegramtest.Msg
	tgSettle(t, fake, "the campaign's card", func() bool {
		var ok bool
		card, ok = fake.Last(group, "Seeds")
		return ok && len(card.Buttons()) > 1
	})
	preset := card.Buttons()[0]
	var again []byte
	members := make([]telegramtest.User, 20)
	for i := range members {
		members[i] = tgUser(int64(400+i), fmt.Sprintf("Backer%02d", i))
		fake.Start(members[i])
		_, raw := fake.PressUpdate(members[i], card, preset.Data)
		fake.Queue(raw)
		if i == 3 {
			again = raw
		}
	}
	tgSettle(t, fake, "20 toasts", func() bool { return len(fake.Answers()) == 20 })
	fake.Redeliver(again)
	tgSettle(t, fake, "the card showing 20 backers", func() bool {
		m, ok := fake.Last(group, "Seeds")
		return ok && m.ID == card.ID && strings.Contains(m.Text, "20 backers")
	})
	for _, a := range fake.Answers() {
		if !strings.HasPrefix(a.Text, "Thank you! You pledged to C1 Seeds") {
			t.Fatalf("toast %q", a.Text)
		}
	}
	for _, m := range members {
		if _, ok := fake.Last(m.ID, "No payment goes through me"); !ok {
			t.Fatalf("%s got no receipt privately", m.FirstName)
		}
	}
	if n := countText(fake.Messages(group), "Seeds"); n != 1 {
		t.Fatalf("the card was posted %d times, want once and edited", n)
	}
	m, _ := fake.Last(group, "Seeds")
	if m.Edits < 1 || m.Edits > 10 {
		t.Fatalf("the card was edited %d times for 20 pledges: want in place, throttled", m.Edits)
	}

	// Another amount: asked privately, answered privately.
	zoe := tgUser(500, "Zoe")
	fake.Start(zoe)
	fake.Press(zoe, card, "Another amount")
	tgSettle(t, fake, "the amount asked privately", func() bool { _, ok := fake.Last(zoe.ID, "How much"); return ok })
	fake.Say(zoe.ID, zoe, "42")
	tgSettle(t, fake, "zoe's receipt", func() bool { _, ok := fake.Last(zoe.ID, "Thank you! You pledged"); return ok })

	if code := svc.Stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, svc.logs.String())
	}
	if f := fake.Floods(); f != 0 {
		t.Fatalf("%d calls refused with 429", f)
	}
	snap := tgExport(t, store)
	c := snap.Communities[0].Campaigns[0]
	if c.Backers != 21 {
		t.Fatalf("export: %d backers, want 21", c.Backers)
	}
}

// Ensure, through `engage run`, a referent who never started the bot is shown the
// start button in the group when a check-in asks them, gets the question in the
// private chat once they start it, and answers it there in free text, which sets
// the project's next step.
func TestTelegramCheckinByPrivateChat(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t, telegramtest.TelegramLimits)
	const group = -1001
	fake.Group(group, "Garden club")
	store := tgBolt(t)
	svc := tgStart(t, fake, store)
	alice, bob := tgUser(11, "Alice"), tgUser(12, "Bob")
	fake.Start(alice) // the facilitator reads her nudge privately
	fake.Say(group, alice, "/community create Garden club")
	fake.Say(group, bob, "/project new Shared garden")
	fake.Say(group, alice, "/checkin now")
	var notice telegramtest.Msg
	tgSettle(t, fake, "bob's start button", func() bool {
		var ok bool
		notice, ok = fake.Last(group, "private message for you")
		return ok
	})
	if !strings.Contains(notice.Text, "@bob") || len(notice.Buttons()) != 1 || notice.Buttons()[0].URL == "" {
		t.Fatalf("notice %+v", notice)
	}
	if len(fake.Messages(bob.ID)) != 0 {
		t.Fatal("bob got a private message before starting the bot")
	}
	fake.Say(bob.ID, bob, "/start dm")
	tgSettle(t, fake, "the check-in question", func() bool { _, ok := fake.Last(bob.ID, "what is the next step?"); return ok })
	fake.Say(bob.ID, bob, "We build three planters by next friday, it's posted")
	tgSettle(t, fake, "the answer taken", func() bool { return len(fake.Messages(bob.ID)) >= 3 })
	if code := svc.Stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, svc.logs.String())
	}
	p := tgExport(t, store).Communities[0].Projects[0]
	if p.NextStep == nil || !strings.Contains(p.NextStep.Text, "planters") || p.NextStep.Due == nil {
		var texts []string
		for _, m := range fake.Messages(bob.ID) {
			texts = append(texts, m.Text)
		}
		t.Fatalf("next step %+v after bob's answer; bob's chat: %q", p.NextStep, texts)
	}
}

// Ensure, through `engage run`, by long polling and by webhook: a group opens a
// single-choice poll, twenty members press its buttons, each press is answered
// with a toast (the ballot receipt), the tally is edited in place (throttled, one
// message), and a press delivered twice counts once. By webhook the second
// delivery reaches the bot, which answers it with the first answer again ("is
// counted", not "is changed"); by polling the offset already passed it.
func TestTelegramPoll(t *testing.T) {
	t.Parallel()
	t.Run("polling", func(t *testing.T) { telegramPoll(t, false) })
	t.Run("webhook", func(t *testing.T) { telegramPoll(t, true) })
}

func telegramPoll(t *testing.T, webhook bool) {
	fake := telegramtest.New(t, telegramtest.TelegramLimits)
	const group = -1001
	fake.Group(group, "Garden club")
	store := tgBolt(t)
	env := map[string]string{"ENGAGE_STORE_PATH": store["ENGAGE_STORE_PATH"]}
	if webhook {
		env["ENGAGE_TELEGRAM_MODE"] = "webhook"
		env["ENGAGE_TELEGRAM_WEBHOOK_URL"] = "https://engage.example.org/tg"
		env["ENGAGE_TELEGRAM_WEBHOOK_SECRET"] = "Sh4red_secret"
	}
	svc := tgStart(t, fake, env)
	deliver := func(raws ...[]byte) {
		t.Helper()
		if !webhook {
			for _, raw := range raws {
				fake.Queue(raw)
			}
			return
		}
		url := "http://" + svc.Addr() + "/tg"
		var wg sync.WaitGroup
		for _, raw := range raws { // as Telegram does, several at once
			wg.Go(func() {
				if st, err := telegramtest.Post(context.Background(), url, raw, "Sh4red_secret"); err != nil || st != http.StatusOK {
					t.Errorf("delivery: %d %v", st, err)
				}
			})
		}
		wg.Wait()
	}
	alice := tgUser(11, "Alice")
	_, create := fake.MessageUpdate(group, alice, "/community create Garden club")
	deliver(create)
	tgSettle(t, fake, "the community", func() bool { _, ok := fake.Last(group, "is now the community"); return ok })
	_, open := fake.MessageUpdate(group, alice, "/poll new single Where do we meet? | Library | Café | Park")
	deliver(open)
	var poll telegramtest.Msg
	tgSettle(t, fake, "the poll with its buttons", func() bool {
		var ok bool
		poll, ok = fake.Last(group, "Where do we meet?")
		return ok && len(poll.Buttons()) == 3
	})
	var presses [][]byte
	for i := range 20 {
		_, raw := fake.PressUpdate(tgUser(int64(600+i), fmt.Sprintf("Voter%02d", i)), poll, poll.Buttons()[i%3].Data)
		presses = append(presses, raw)
	}
	deliver(presses...)
	tgSettle(t, fake, "20 toasts", func() bool { return len(fake.Answers()) == 20 })
	want := 20
	if webhook {
		deliver(presses[5])
		want = 21
	} else {
		fake.Redeliver(presses[5])
	}
	tgSettle(t, fake, "the tally showing 20 ballots", func() bool {
		m, ok := fake.Last(group, "Where do we meet?")
		return ok && m.ID == poll.ID && strings.Contains(m.Text, "20 ballots") && len(fake.Answers()) == want
	})
	// Every press is answered (a button must stop spinning), but the receipt of a
	// redelivered press is not sent again: its toast is empty.
	empty := 0
	for _, a := range fake.Answers() {
		switch {
		case a.Text == "":
			empty++
		case !strings.Contains(a.Text, "Your ballot in V1 is counted"):
			t.Fatalf("toast %q", a.Text)
		}
	}
	if empty != want-20 {
		t.Fatalf("%d empty toasts, want %d (the redelivered press)", empty, want-20)
	}
	if n := countText(fake.Messages(group), "Where do we meet?"); n != 1 {
		t.Fatalf("the poll was posted %d times, want once, edited in place", n)
	}
	m, _ := fake.Last(group, "Where do we meet?")
	for _, want := range []string{"Library — 7", "Café — 7", "Park — 6"} {
		if !strings.Contains(m.Text, want) {
			t.Fatalf("tally %q lacks %q", m.Text, want)
		}
	}
	if m.Edits < 1 || m.Edits > 10 {
		t.Fatalf("the tally was edited %d times for 20 ballots: want in place, throttled", m.Edits)
	}
	if len(m.Buttons()) != 3 {
		t.Fatalf("the edited tally lost its buttons: %+v", m.Keyboard)
	}
	if code := svc.Stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, svc.logs.String())
	}
	if f := fake.Floods(); f != 0 {
		t.Fatalf("%d calls refused with 429", f)
	}
	if p := tgExport(t, store).Communities[0].Polls[0]; p.Ballots != 20 {
		t.Fatalf("export: %d ballots, want 20", p.Ballots)
	}
}
