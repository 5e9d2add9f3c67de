package bots_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
	"github.com/google/go-cmp/cmp"
)

// setup makes a community with alice (admin) and project P1 followed by bob.
func setup(t *testing.T) *botstest.Env {
	t.Helper()
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Garden Club lang en")
	e.Say("alice", "/project new Garden — a shared garden")
	e.Say("bob", "/follow P1")
	e.Sent.Reset()
	return e
}

func project(t *testing.T, e *botstest.Env, id string) core.ProjectSnapshot {
	t.Helper()
	for _, p := range e.Snapshot().Communities[0].Projects {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no project %s", id)
	return core.ProjectSnapshot{}
}

// Ensure an event delivered twice has one effect and gets the first answer again.
func TestBot_Idempotent(t *testing.T) {
	e := setup(t)
	ev := e.Event("alice", "/news P1 First beds are in")
	first := e.Handle(ev)
	sent := len(e.Sent.Messages())
	again := e.Handle(ev)
	if got := project(t, e, "P1").News; len(got) != 1 {
		t.Fatalf("got %d news, want 1", len(got))
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Fatalf("second answer differs (-first +second):\n%s", diff)
	}
	if got := len(e.Sent.Messages()); got != sent {
		t.Fatalf("redelivery sent %d more messages", got-sent)
	}
}

// Ensure the same event delivered concurrently has one effect.
func TestBot_IdempotentConcurrent(t *testing.T) {
	e := setup(t)
	ev := e.Event("alice", "/news P1 Concurrent news")
	var wg sync.WaitGroup
	answers := make([][]bots.Message, 16)
	for i := range answers {
		wg.Go(func() {
			out, err := e.Bot.Handle(context.Background(), ev)
			if err != nil {
				t.Error(err)
			}
			answers[i] = out
		})
	}
	wg.Wait()
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := project(t, e, "P1").News; len(got) != 1 {
		t.Fatalf("got %d news, want 1", len(got))
	}
	var dms int
	for _, m := range e.Sent.Messages() {
		if m.Direct && m.UserID == "bob" {
			dms++
		}
	}
	if dms != 1 {
		t.Fatalf("bob got %d news messages, want 1", dms)
	}
	for i := range answers {
		if diff := cmp.Diff(answers[0], answers[i]); diff != "" {
			t.Fatalf("answer %d differs:\n%s", i, diff)
		}
	}
}

// Ensure a refused event redelivered gets the same refusal, even after the state
// changed in between, when its first answer may not have been delivered (another
// run of the service), and none when it was.
func TestBot_RefusalRemembered(t *testing.T) {
	e := setup(t)
	ev := e.Event("alice", "/news P2 too early")
	first := botstest.Texts(e.Handle(ev))
	e.Say("alice", "/project new Second")
	e.Restart()
	again := botstest.Texts(e.Handle(ev))
	if !slices.Equal(first, again) || len(project(t, e, "P2").News) != 0 {
		t.Fatalf("got %q then %q; P2 news %d", first, again, len(project(t, e, "P2").News))
	}
	if err := e.Bot.AnswersSent(t.Context(), ev.Key); err != nil {
		t.Fatal(err)
	}
	e.Restart()
	if again := e.Handle(ev); len(again) != 0 || len(project(t, e, "P2").News) != 0 {
		t.Fatalf("a refusal delivered once is sent again: %q", botstest.Texts(again))
	}
}

// Ensure news reach followers by direct message and every linked chat.
func TestBot_NewsFanOut(t *testing.T) {
	e := setup(t)
	out := e.Say("alice", "/community invite")
	code := regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(out[0].Text)
	if code == "" || !out[0].Direct {
		t.Fatalf("no invite code sent privately: %+v", out)
	}
	join := e.Event("dan", "/community join "+code)
	join.Platform, join.ChatID = "other", "chan-9"
	e.Handle(join)
	e.Sent.Reset()
	e.Say("alice", "/news P1 Seeds arrived")
	var chats []string
	var dms []string
	for _, m := range e.Sent.Messages() {
		if m.Direct {
			dms = append(dms, m.UserID)
		} else {
			chats = append(chats, m.Platform+"/"+m.ChatID)
		}
	}
	slices.Sort(chats)
	if want := []string{"other/chan-9", "test/group"}; !slices.Equal(chats, want) {
		t.Errorf("chats: got %q, want %q", chats, want)
	}
	if want := []string{"bob"}; !slices.Equal(dms, want) {
		t.Errorf("direct messages: got %q, want %q", dms, want)
	}
}

// Ensure /link joins two identities: one member, follows kept, counted once.
func TestBot_Link(t *testing.T) {
	e := setup(t)
	out := e.Say("bob", ">/link")
	code := regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(out[0].Text)
	if code == "" {
		t.Fatalf("no code in %q", out[0].Text)
	}
	ev := e.Event("bobby", "/follow P1")
	ev.Platform, ev.UserID, ev.ChatID = "other", "U42", "dm:U42"
	ev.Direct = true
	ev.Text = "/link " + code
	out = e.Handle(ev)
	if !strings.Contains(out[0].Text, "other") || !strings.Contains(out[0].Text, "test") {
		t.Fatalf("got %q", out[0].Text)
	}
	members := e.Snapshot().Communities[0].Members
	var bob []core.MemberSnapshot
	for _, m := range members {
		if slices.Contains(m.Platforms, "other") {
			bob = append(bob, m)
		}
	}
	if len(members) != 2 || len(bob) != 1 || !slices.Contains(bob[0].Platforms, "test") {
		t.Fatalf("members after link: %+v", members)
	}
	// The linked identity acts as bob: following again is refused as a repeat.
	ev2 := e.Event("bobby", "/unfollow P1")
	ev2.Platform, ev2.UserID, ev2.ChatID, ev2.Direct = "other", "U42", "dm:U42", true
	e.Handle(ev2)
	if got := project(t, e, "P1").Followers; got != 0 {
		t.Fatalf("got %d followers, want 0", got)
	}
	// A used code does not work twice.
	ev3 := e.Event("eve", "/link "+code)
	if out := e.Handle(ev3); !strings.Contains(out[0].Text, "expired") {
		t.Fatalf("reused code: got %q", out[0].Text)
	}
}

// Ensure /forgetme asks first, then erases the person's data.
func TestBot_ForgetMe(t *testing.T) {
	e := setup(t)
	out := e.Say("bob", "/forgetme")
	if len(project(t, e, "P1").Referents) != 1 || project(t, e, "P1").Followers != 1 {
		t.Fatal("asking changed something")
	}
	e.Press("bob", out[0], "erase")
	if got := project(t, e, "P1").Followers; got != 0 {
		t.Fatalf("got %d followers, want 0", got)
	}
	for _, m := range e.Snapshot().Communities[0].Members {
		if m.Name == "bob" {
			t.Fatalf("bob still a member: %+v", m)
		}
	}
}

// Ensure a next step typed privately is not shared until the button is pressed.
func TestBot_NextStepShare(t *testing.T) {
	e := setup(t)
	out := e.Say("alice", ">/nextstep P1 Plant seeds by 2026-12-15")
	ns := project(t, e, "P1").NextStep
	if ns == nil || ns.Shared || ns.Text != "Plant seeds" || ns.Due == nil || ns.Due.Day() != 15 {
		t.Fatalf("got %+v", ns)
	}
	if n := len(e.Sent.Messages()); n != 0 {
		t.Fatalf("private next step sent %d messages", n)
	}
	e.Press("alice", out[0], "Post")
	if ns := project(t, e, "P1").NextStep; !ns.Shared {
		t.Fatal("not shared after the button")
	}
	if ms := e.Sent.Messages(); len(ms) == 0 || ms[0].ChatID != "group" {
		t.Fatalf("nothing posted to the group: %+v", ms)
	}
}

// Ensure an answer is sent once: the same event delivered again gets no answer
// when the first was delivered (AnswersSent), even to another run of the service
// (a restart, a second instance), and none while this run is delivering it; it
// gets the first answer only from another run when no delivery was recorded (a
// crash came between the change and the send). The state changes once throughout.
func TestBot_AnswerSentOnce(t *testing.T) {
	e := setup(t)
	ev := e.Event("bob", "/like P1")
	first := e.Handle(ev)
	if len(first) == 0 {
		t.Fatal("no answer")
	}
	if again := e.Handle(ev); len(again) != 0 {
		t.Fatalf("same run, delivery under way: answered again %q", botstest.Texts(again))
	}
	e.Restart()
	if again := e.Handle(ev); len(again) != len(first) || again[0].Text != first[0].Text {
		t.Fatalf("after a crash before the send: got %q, want the first answer", botstest.Texts(again))
	}
	if err := e.Bot.AnswersSent(t.Context(), ev.Key); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		e.Restart()
		if again := e.Handle(ev); len(again) != 0 {
			t.Fatalf("delivered, then redelivered to another run: answered again %q", botstest.Texts(again))
		}
	}
	if got := project(t, e, "P1").Likes; got != 1 {
		t.Fatalf("got %d likes, want 1", got)
	}
	// Once delivered, the answer itself is no longer kept.
	if err := e.DB.Close(); err != nil {
		t.Fatal(err)
	}
	inspect(t, e.DB.Path(), func(bucket, key, value string) {
		if bucket == "event" && strings.Contains(withDecoded(value), "like") && strings.Contains(value, `"sent":true`) {
			t.Errorf("a delivered answer is kept: %s", value)
		}
	})
}
