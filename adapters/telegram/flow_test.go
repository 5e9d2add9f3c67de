package telegram_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/engage-org/engage/adapters/telegram/telegramtest"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
)

// Ensure a group becomes a community with a command addressed to the bot by name,
// a project gets buttons, twenty members' presses each get a toast and count
// once, a press delivered again changes nothing, and commands for another bot are
// left alone.
func TestGroupCommunityAndPresses(t *testing.T) {
	r := newRig(t, rigOptions{})
	alice := user(11, "Alice")
	r.say(r.group, alice, "/community@"+telegramtest.BotName+" create Garden club lang en")
	r.last(r.group, "is now the community")
	r.say(r.group, alice, "/project new Seed library — swap seeds each spring")
	proj := r.last(r.group, "Seed library")
	if len(proj.Buttons()) == 0 {
		t.Fatalf("project message has no buttons: %+v", proj)
	}
	for _, b := range proj.Buttons() {
		if len(b.Data) != 16 {
			t.Fatalf("callback_data %q is not a 16-character token", b.Data)
		}
	}
	var raws [][]byte
	for i := range 20 {
		_, raw := r.fake.PressUpdate(user(int64(100+i), fmt.Sprintf("Member%02d", i)), proj, proj.Buttons()[0].Data)
		r.fake.Queue(raw)
		raws = append(raws, raw)
	}
	r.settle()
	answers := r.fake.Answers()
	if len(answers) != 20 {
		t.Fatalf("got %d callback answers, want 20", len(answers))
	}
	for _, a := range answers {
		if !strings.Contains(a.Text, "You follow P1") {
			t.Fatalf("toast %q, want the follow confirmation", a.Text)
		}
	}
	if got := followers(t, r); got != 20 {
		t.Fatalf("got %d followers, want 20", got)
	}
	before := r.env.Snapshot()
	sent := len(r.fake.Calls("sendMessage", "editMessageText"))
	r.fake.Redeliver(raws[5]) // Telegram not sure the bot got it
	r.settle()
	if diff := cmp.Diff(before, r.env.Snapshot()); diff != "" {
		t.Fatalf("a redelivered press changed the state:\n%s", diff)
	}
	if got := len(r.fake.Calls("sendMessage", "editMessageText")); got != sent {
		t.Fatalf("a redelivered press sent %d messages", got-sent)
	}

	// A command for another bot in the group is not ours.
	n := len(r.fake.Messages(r.group))
	r.say(r.group, alice, "/help@OtherBot")
	if got := len(r.fake.Messages(r.group)); got != n {
		t.Fatalf("answered a command addressed to another bot")
	}
	// A press the bot does not know (forged or too old) gets the stale-button toast.
	r.press(alice, telegramtest.Msg{ID: proj.ID, Chat: r.group, Keyboard: [][]telegramtest.Button{{{Text: "x", Data: "<script>"}}}}, "x")
	if a := r.fake.Answers(); !strings.Contains(a[len(a)-1].Text, "no longer works") {
		t.Fatalf("forged press: toast %q", a[len(a)-1].Text)
	}
	if !slices.Equal(r.fake.AllowedUpdates(), []string{"message", "callback_query"}) {
		t.Fatalf("allowed_updates %v", r.fake.AllowedUpdates())
	}
}

// Ensure the command menu is registered in both languages at start.
func TestCommandMenus(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.fake.Wait(testWait, "command menus", func() bool { return len(r.fake.Commands()) == 3 })
	menus := r.fake.Commands()
	find := func(lang, name string) string {
		for _, c := range menus[lang] {
			if c.Command == name {
				return c.Description
			}
		}
		t.Fatalf("no /%s in the %q menu: %+v", name, lang, menus[lang])
		return ""
	}
	if en, fr := find("en", "follow"), find("fr", "follow"); en == fr || !strings.Contains(fr, "nouvelles") {
		t.Fatalf("follow: en %q, fr %q", en, fr)
	}
	if got := find("", "help"); got != find("en", "help") {
		t.Fatalf("default menu: %q", got)
	}
}

// Ensure a member who never started the bot is told in the group, with a button
// that starts it, that a private message waits; the message waits in the outbox
// and is delivered when they start the bot. A second message waiting adds no
// second notice.
func TestDirectMessageWaitsForStart(t *testing.T) {
	r := newRig(t, rigOptions{})
	alice, carol := user(11, "Alice"), user(13, "Carol")
	r.say(r.group, alice, "/community create Garden club lang en")
	r.say(r.group, carol, "/me")
	notice := r.last(r.group, "private message for you")
	if !strings.Contains(notice.Text, "@carol") {
		t.Fatalf("notice %q does not mention @carol", notice.Text)
	}
	bs := notice.Buttons()
	if len(bs) != 1 || bs[0].URL != "https://t.me/"+telegramtest.BotName+"?start=dm" {
		t.Fatalf("notice buttons %+v, want one start link", bs)
	}
	r.say(r.group, carol, "/link")
	if got := countContaining(r.fake.Messages(r.group), "private message for you"); got != 1 {
		t.Fatalf("got %d notices, want 1", got)
	}
	if got := r.outbox(); got != 2 {
		t.Fatalf("got %d messages waiting, want 2", got)
	}
	if msgs := r.fake.Messages(carol.ID); len(msgs) != 0 {
		t.Fatalf("carol got messages before starting the bot: %+v", msgs)
	}

	r.say(carol.ID, carol, "/start dm") // the start button sends this
	msgs := r.fake.Messages(carol.ID)
	var texts []string
	for _, m := range msgs {
		texts = append(texts, m.Text)
	}
	if len(msgs) != 3 || countContaining(msgs, "Hello") != 1 || countContaining(msgs, "language") != 1 || countContaining(msgs, "link code") != 1 {
		t.Fatalf("carol's private chat: %q, want the greeting, /me and /link", texts)
	}
}

// Ensure an answer that is personal reaches the person privately once they
// started the bot, and a press's personal answer that is too long for a toast is
// sent privately while the press still gets answered.
func TestPersonalAnswers(t *testing.T) {
	r := newRig(t, rigOptions{})
	alice := user(11, "Alice")
	r.say(alice.ID, alice, "/start")
	r.say(r.group, alice, "/community create Garden club lang en")
	r.say(r.group, alice, "/forgetme")
	ask := r.last(alice.ID, "erase")
	r.press(alice, ask, "Cancel")
	if got := r.fake.Answers(); len(got) != 1 {
		t.Fatalf("press not answered: %+v", got)
	}
	r.last(alice.ID, "Nothing was erased")
}

func followers(t *testing.T, r *rig) int {
	t.Helper()
	s := r.env.Snapshot()
	if len(s.Communities) == 0 || len(s.Communities[0].Projects) == 0 {
		t.Fatal("no project")
	}
	return s.Communities[0].Projects[0].Followers
}

func countContaining(msgs []telegramtest.Msg, substr string) int {
	n := 0
	for _, m := range msgs {
		if strings.Contains(m.Text, substr) {
			n++
		}
	}
	return n
}

// send sends m through the adapter as the dispatcher does.
func send(t *testing.T, r *rig, m bots.Message) (string, error) {
	t.Helper()
	m.Platform = bots.PlatformTelegram
	return r.tg.Send(context.Background(), m)
}

var _ = core.CodeInvalid

// Ensure a community follows its group when Telegram upgrades it to a supergroup
// under a new ID: commands in the new group work and posts go there, once.
func TestGroupBecomesSupergroup(t *testing.T) {
	r := newRig(t, rigOptions{fakeLimits: telegramtest.TelegramLimits.Scaled(100)})
	alice := user(11, "Alice")
	r.say(r.group, alice, "/community create Garden club lang en")
	const super = -1009999
	r.fake.Migrate(r.group, super, alice)
	r.settle()
	r.say(super, alice, "/project new Seed library")
	if got := countContaining(r.fake.Messages(super), "Seed library"); got != 1 {
		t.Fatalf("the new supergroup got %d project posts, want 1", got)
	}
	s := r.env.Snapshot()
	if len(s.Communities) != 1 || len(s.Communities[0].Chats) != 1 || s.Communities[0].Chats[0].ChatID != "-1009999" {
		t.Fatalf("community chats after the upgrade: %+v", s.Communities)
	}
	// A message already on its way to the old ID follows the group too.
	if _, err := send(t, r, bots.Message{ChatID: "-1001234", Text: "late news"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.fake.Last(super, "late news"); !ok {
		t.Fatal("a message to the old group was not redirected")
	}
}
