package bots

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/prompts"
	"github.com/engage-org/engage/store/boltstore"
)

// turnFixture is a bot on a real store with a French community linked to a
// Telegram group and a Slack channel, an English-speaking admin (the actor) and
// a French-speaking member.
type turnFixture struct {
	b            *Bot
	cat          *prompts.Catalog
	comm         core.CommunityID
	actor, other *core.Person
}

func newTurnFixture(t *testing.T) *turnFixture {
	t.Helper()
	db, err := boltstore.Open(filepath.Join(t.TempDir(), "b.db"), boltstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := prompts.LoadStrict(func(key string, err error) { t.Errorf("text %s: %v", key, err) })
	if err != nil {
		t.Fatal(err)
	}
	clock := NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	f := &turnFixture{b: New(core.New(db, clock.Now), cat, Config{Lang: "en"}), cat: cat}
	_, err = f.b.engine.Update(context.Background(), func(tx *core.Tx) error {
		if f.actor, err = tx.ResolveIdentity(PlatformTelegram, "1", "Ann", "ann"); err != nil {
			return err
		}
		if err := tx.SetLang(f.actor, "en"); err != nil {
			return err
		}
		comm, err := tx.CreateCommunity(f.actor.ID, core.ChatRef{Platform: PlatformTelegram, ChatID: "-100"}, false, "Jardin", "Europe/Paris", "fr")
		if err != nil {
			return err
		}
		f.comm = comm.ID
		admin, err := tx.TouchPerson(comm.ID, f.actor)
		if err != nil {
			return err
		}
		code, err := tx.InviteChat(admin)
		if err != nil {
			return err
		}
		if _, err := tx.JoinChat(f.actor.ID, core.ChatRef{Platform: PlatformSlack, ChatID: "C1"}, false, code); err != nil {
			return err
		}
		if f.other, err = tx.ResolveIdentity(PlatformSlack, "U2", "Bea", "bea"); err != nil {
			return err
		}
		if err := tx.SetLang(f.other, "fr"); err != nil {
			return err
		}
		_, err = tx.TouchPerson(comm.ID, f.other)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// turn runs fn in a turn of an event from the actor in the Telegram group, and
// returns its answers and what it wrote to the outbox.
func (f *turnFixture) turn(t *testing.T, fn func(c *turn) error) (answers, outbox []Message) {
	t.Helper()
	ev := Event{Platform: PlatformTelegram, ChatID: "-100", UserID: "1", UserName: "Ann"}
	_, err := f.b.engine.Update(context.Background(), func(tx *core.Tx) error {
		comm, err := tx.Community(f.comm)
		if err != nil {
			return err
		}
		c := &turn{b: f.b, ev: ev, tx: tx, comm: comm, person: f.actor, lang: "fr", own: "en"}
		if err := fn(c); err != nil {
			return err
		}
		answers = c.out
		items, err := tx.Outbox("", tx.Now().Add(time.Hour), 100)
		if err != nil {
			return err
		}
		outbox = nil
		for _, it := range items {
			var m Message
			if err := json.Unmarshal(it.Payload, &m); err != nil {
				return err
			}
			outbox = append(outbox, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return answers, outbox
}

// Ensure each outbound operation of a turn addresses its message where it says,
// in the right language, with what goes with it, and nothing else.
func TestTurn_Outbound(t *testing.T) {
	f := newTurnFixture(t) // for the expected texts
	att := &Attachment{Name: "a.csv", Type: "text/csv", Data: []byte("x")}
	offer := []btn{{key: "button.offer", cmd: "/offer P1"}}
	tests := []struct {
		name    string
		do      func(c *turn) error
		answers []Message // Text holds the expected text
		outbox  []Message
	}{{
		name:    "reply: here, in the place's language",
		do:      func(c *turn) error { c.reply("forgetme.done", nil); return nil },
		answers: []Message{{Platform: PlatformTelegram, ChatID: "-100", UserID: "1", Name: "Ann", Text: f.cat.Text("fr", "forgetme.done", nil)}},
	}, {
		name: "replyPrivate: to the actor alone, in their own language",
		do:   func(c *turn) error { c.replyPrivate("forgetme.done", nil); return nil },
		answers: []Message{{Platform: PlatformTelegram, ChatID: "-100", UserID: "1", Name: "Ann", Direct: true, Ephemeral: true,
			Text: f.cat.Text("en", "forgetme.done", nil)}},
	}, {
		name: "replyFile: here, with the file",
		do:   func(c *turn) error { c.replyFile(att, "forgetme.done", nil); return nil },
		answers: []Message{{Platform: PlatformTelegram, ChatID: "-100", UserID: "1", Name: "Ann", Attachment: att,
			Text: f.cat.Text("fr", "forgetme.done", nil)}},
	}, {
		name: "dm: to the person on their platform, in their language, buttons labelled in it",
		do:   func(c *turn) error { return c.dm(f.other.ID, "forgetme.done", nil, att, offer) },
		outbox: []Message{{Platform: PlatformSlack, UserID: "U2", Name: "Bea", Direct: true, Attachment: att,
			Text: f.cat.Text("fr", "forgetme.done", nil), Buttons: [][]Button{{{Label: f.cat.Text("fr", "button.offer", nil)}}}}},
	}, {
		name:   "dm: nobody to write to for a person who does not exist",
		do:     func(c *turn) error { return c.dm("nobody", "forgetme.done", nil, nil) },
		outbox: nil,
	}, {
		name: "post: every linked chat, in the community's language",
		do:   func(c *turn) error { return c.post("forgetme.done", nil, nil, offer) },
		outbox: []Message{
			{Platform: PlatformTelegram, ChatID: "-100", Text: f.cat.Text("fr", "forgetme.done", nil), Buttons: [][]Button{{{Label: f.cat.Text("fr", "button.offer", nil)}}}},
			{Platform: PlatformSlack, ChatID: "C1", Text: f.cat.Text("fr", "forgetme.done", nil), Buttons: [][]Button{{{Label: f.cat.Text("fr", "button.offer", nil)}}}},
		},
	}, {
		name: "postLive: what it shows, in every chat",
		do:   func(c *turn) error { return c.postLive("poll:x:V1") },
		outbox: []Message{
			{Platform: PlatformTelegram, ChatID: "-100", Ref: "poll:x:V1", Live: true},
			{Platform: PlatformSlack, ChatID: "C1", Ref: "poll:x:V1", Live: true},
		},
	}, {
		name: "queueLive: an edit in every chat, coalesced",
		do: func(c *turn) error {
			if err := c.queueLive("poll:x:V2", c.tx.Now()); err != nil {
				return err
			}
			return c.queueLive("poll:x:V2", c.tx.Now())
		},
		outbox: []Message{
			{Platform: PlatformTelegram, ChatID: "-100", Ref: "poll:x:V2", Live: true, Edit: true},
			{Platform: PlatformSlack, ChatID: "C1", Ref: "poll:x:V2", Live: true, Edit: true},
		},
	}, {
		name: "editPosted: only where the message was posted",
		do: func(c *turn) error {
			if err := c.tx.SetMessageRef(PlatformSlack, "C1", "poll:x:V3", "ts1"); err != nil {
				return err
			}
			return c.editPosted("poll:x:V3")
		},
		outbox: []Message{{Platform: PlatformSlack, ChatID: "C1", Ref: "poll:x:V3", Live: true, Edit: true}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newTurnFixture(t)
			answers, outbox := f.turn(t, tt.do)
			check := func(what string, got, want []Message) {
				t.Helper()
				if len(got) != len(want) {
					t.Fatalf("%s: %d messages %+v, want %d", what, len(got), got, len(want))
				}
				for i := range want {
					g := got[i]
					for r := range g.Buttons { // tokens are random
						for k := range g.Buttons[r] {
							if g.Buttons[r][k].Token == "" {
								t.Errorf("%s %d: a button without its token", what, i)
							}
							g.Buttons[r][k].Token = ""
						}
					}
					gj, _ := json.Marshal(g)
					wj, _ := json.Marshal(want[i])
					if string(gj) != string(wj) {
						t.Errorf("%s %d:\n got %s\nwant %s", what, i, gj, wj)
					}
				}
			}
			check("answer", answers, tt.answers)
			check("outbox", outbox, tt.outbox)
		})
	}
}

// Ensure a post longer than a platform's message is split there, its buttons and
// file with the last part, and not split where it fits.
func TestTurn_PostSplits(t *testing.T) {
	f := newTurnFixture(t)
	long := strings.Repeat("mot ", 1100) // 4 400 characters: over Slack's 4 000 and Telegram's 4 096
	_, outbox := f.turn(t, func(c *turn) error {
		return c.postText(long, &Attachment{Name: "f"}, []btn{{key: "button.offer", cmd: "/x"}})
	})
	per := map[string][]Message{}
	for _, m := range outbox {
		per[m.Platform] = append(per[m.Platform], m)
	}
	for _, p := range []string{PlatformTelegram, PlatformSlack} {
		ms := per[p]
		if len(ms) != 2 {
			t.Fatalf("%s: %d parts, want 2", p, len(ms))
		}
		if ms[0].Attachment != nil || ms[0].Buttons != nil || ms[1].Attachment == nil || len(ms[1].Buttons) != 1 {
			t.Errorf("%s: the file and buttons go with the last part only: %+v", p, ms)
		}
	}
}

// Ensure a job's turn speaks the community's language and has the community in
// context.
func TestTurn_Job(t *testing.T) {
	f := newTurnFixture(t)
	_, err := f.b.engine.Update(context.Background(), func(tx *core.Tx) error {
		comm, err := tx.Community(f.comm)
		if err != nil {
			return err
		}
		c := f.b.jobTurn(tx, comm, nil)
		if c.lang != "fr" || c.own != "fr" || c.comm != comm || c.person != nil {
			t.Errorf("job turn: lang %q own %q comm %v person %v", c.lang, c.own, c.comm, c.person)
		}
		if got, want := c.text("forgetme.done", nil), f.cat.Text("fr", "forgetme.done", nil); got != want {
			t.Errorf("job text %q, want %q", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
