package discord_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/discord"
	"github.com/engage-org/engage/adapters/discord/discordtest"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
)

// scripted answers each event with what answer returns, and keeps the events.
type scripted struct {
	mu     sync.Mutex
	events []bots.Event
	answer func(ev bots.Event) []bots.Message
}

func (s *scripted) Handle(_ context.Context, ev bots.Event) ([]bots.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, ev)
	return s.answer(ev), nil
}

func (s *scripted) Suggest(context.Context, bots.Event, string, string) ([]bots.Suggestion, error) {
	return nil, nil
}

func (s *scripted) seen() []bots.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]bots.Event(nil), s.events...)
}

// Ensure a form too big for a modal (more than five fields) is asked another way:
// the event is handled again as from a platform without forms, under its own key.
func TestAdapter_FormTooBigForModal(t *testing.T) {
	t.Parallel()
	bot := &scripted{answer: func(ev bots.Event) []bots.Message {
		if ev.CanForm {
			f := &bots.Form{Title: "Ballot", Token: "FORM", Command: "/vote V1 {a}"}
			for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
				f.Fields = append(f.Fields, bots.Field{Name: n, Label: n})
			}
			return []bots.Message{{Platform: "discord", ChatID: ev.ChatID, UserID: ev.UserID, Text: f.Title, Form: f}}
		}
		return []bots.Message{{Platform: "discord", Direct: true, UserID: ev.UserID, Text: "Ballot (1/6): a?"}}
	}}
	h := start(t, nil, func(c *discord.Config, _ *botstest.Env) { c.Handler = bot })
	id := h.fake.Click(bob, here, "1", "b:VOTE")
	in := h.answered(id)
	if in.Responses[0].Type != 6 || in.Modal != nil {
		t.Fatalf("got response %d, want a silent acknowledgement", in.Responses[0].Type)
	}
	h.fake.Eventually("the question by direct message", func() bool { return len(h.fake.DMs(bob.ID)) == 1 })
	evs := bot.seen()
	if len(evs) != 2 || evs[1].CanForm || evs[1].Key != evs[0].Key+"/noform" || evs[0].Action != "VOTE" {
		t.Fatalf("got events %+v", evs)
	}
}

// Ensure an answer that comes too late for the interaction still reaches the
// chat, as messages.
func TestAdapter_Expired(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	fake.Deadline = 50 * time.Millisecond
	bot := &scripted{answer: func(ev bots.Event) []bots.Message {
		time.Sleep(200 * time.Millisecond)
		return []bots.Message{{Platform: "discord", ChatID: ev.ChatID, UserID: ev.UserID, Text: "The projects: none"}}
	}}
	h := start(t, fake, func(c *discord.Config, _ *botstest.Env) {
		c.Handler, c.DeferAfter = bot, 5*time.Second
	})
	in := h.answered(h.fake.Command(alice, here, "projects"))
	if in.Responses[0].Refused != 10062 {
		t.Fatalf("got %+v, want a refusal for lateness", in.Responses[0])
	}
	h.message(here.Channel, "The projects: none")
}

// Ensure a select menu's choice runs the chosen option's command, and a custom_id
// of another version is answered as a stale button.
func TestAdapter_SelectAndStale(t *testing.T) {
	t.Parallel()
	bot := &scripted{answer: func(ev bots.Event) []bots.Message {
		return []bots.Message{{Platform: "discord", ChatID: ev.ChatID, UserID: ev.UserID, Ephemeral: true, Text: "action " + ev.Action}}
	}}
	h := start(t, nil, func(c *discord.Config, _ *botstest.Env) { c.Handler = bot })
	in := h.answered(h.fake.Choose(bob, here, "1", "s:0", "TOKEN7"))
	if c, flags := data(t, in.Responses[0]); c != "action TOKEN7" || flags != 64 {
		t.Fatalf("got %q %d", c, flags)
	}
	in = h.answered(h.fake.Click(bob, here, "1", "vote:old-format"))
	if c, _ := data(t, in.Responses[0]); c != "action -" {
		t.Fatalf("got %q", c)
	}
}

// Ensure a slow private answer to a command is deferred, then shown to the actor
// alone: the "thinking" response is deleted, the answer follows up ephemerally.
func TestAdapter_SlowPrivateAnswer(t *testing.T) {
	t.Parallel()
	h := start(t, nil, func(c *discord.Config, env *botstest.Env) {
		c.Handler, c.DeferAfter = slow{Handler: env.Bot, delay: 300 * time.Millisecond}, 30*time.Millisecond
	})
	id := h.fake.Command(alice, here, "me")
	in := h.answered(id)
	if in.Responses[0].Type != 5 {
		t.Fatalf("got %d, want a deferral", in.Responses[0].Type)
	}
	h.fake.Eventually("an ephemeral follow-up", func() bool {
		in = h.fake.Interaction(id)
		return len(in.Followups) == 1 && in.Original.Deleted
	})
	if f := in.Followups[0]; !f.Ephemeral || !strings.Contains(f.Text(), "alice") {
		t.Fatalf("got %+v", f)
	}
}

// Ensure a shard identifies as such, and that with shard_count 0 the process runs
// the shards Discord recommends, sharing one REST client.
func TestAdapter_Shards(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	start(t, fake, func(c *discord.Config, _ *botstest.Env) { c.ShardID, c.ShardCount = 1, 2 })
	var id struct {
		Shard []int `json:"shard"`
	}
	_ = json.Unmarshal(fake.Identifies()[0], &id)
	if len(id.Shard) != 2 || id.Shard[0] != 1 || id.Shard[1] != 2 {
		t.Fatalf("got shard %v, want [1 2]", id.Shard)
	}
	fake2 := discordtest.New(t)
	fake2.Shards, fake2.MaxConcurrency = 2, 2
	start(t, fake2, nil)
	fake2.Eventually("two shards", func() bool { return len(fake2.Identifies()) == 2 })
	got := map[int]bool{}
	for _, raw := range fake2.Identifies() {
		_ = json.Unmarshal(raw, &id)
		if len(id.Shard) == 2 && id.Shard[1] == 2 {
			got[id.Shard[0]] = true
		}
	}
	if !got[0] || !got[1] {
		t.Fatalf("got identifies %s", fake2.Identifies())
	}
}

// Ensure a bad token stops Run with an error instead of retrying for ever.
func TestAdapter_BadToken(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	env := botstest.NewEnv(t, botstest.Options{NoSync: true})
	ad, err := discord.New(discord.Config{Token: "wrong", APIURL: fake.URL(), Handler: env.Bot})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := ad.Run(ctx); err == nil || ctx.Err() != nil {
		t.Fatalf("got %v, want an error at once", err)
	}
}

// Ensure a file answering an interaction rides with the response.
func TestAdapter_AttachmentInResponse(t *testing.T) {
	t.Parallel()
	bot := &scripted{answer: func(ev bots.Event) []bots.Message {
		return []bots.Message{{Platform: "discord", ChatID: ev.ChatID, UserID: ev.UserID, Text: "Next meeting",
			Attachment: &bots.Attachment{Name: "meeting.ics", Type: "text/calendar", Data: []byte("BEGIN:VCALENDAR")}}}
	}}
	h := start(t, nil, func(c *discord.Config, _ *botstest.Env) { c.Handler = bot })
	id := h.fake.Command(alice, here, "help")
	in := h.answered(id)
	if in.Responses[0].Type != 4 || in.Original == nil || len(in.Original.Files) != 1 || in.Original.Files[0].Name != "meeting.ics" {
		t.Fatalf("got %+v", in.Original)
	}
}
