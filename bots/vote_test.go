package bots_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
	"github.com/google/go-cmp/cmp"
)

// pollEnv makes a community in lang with alice as admin and a second chat on the
// "other" platform linked to it.
func pollEnv(t *testing.T, lang string, opt botstest.Options) *botstest.Env {
	t.Helper()
	opt.NoSync = true
	if opt.Lang == "" {
		opt.Lang = lang
	}
	e := botstest.NewEnv(t, opt)
	e.Say("alice", "/community create Club lang "+lang)
	out := e.Say("alice", "/community invite")
	code := regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(out[0].Text)
	join := e.Event("zoe", "/community join "+code)
	join.Platform, join.ChatID = "other", "chan-9"
	e.Handle(join)
	e.Sent.Reset()
	return e
}

// pollShot returns poll id of the export.
func pollShot(t *testing.T, e *botstest.Env, id string) core.PollSnapshot {
	t.Helper()
	for _, p := range e.Snapshot().Communities[0].Polls {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no poll %s", id)
	return core.PollSnapshot{}
}

// one returns the only message of out, failing otherwise.
func one(t *testing.T, out []bots.Message) bots.Message {
	t.Helper()
	if len(out) != 1 {
		t.Fatalf("got %d messages, want 1: %q", len(out), botstest.Texts(out))
	}
	return out[0]
}

// Ensure every method takes ballots typed as COMMANDS.md writes them and ranks its
// options as expected once closed.
func TestVote_Methods(t *testing.T) {
	tests := []struct {
		name    string
		poll    string
		ballots map[string]string
		want    [][]string
	}{
		{"Single", "single Capital? | Memphis | Nashville | Knoxville",
			map[string]string{"b": "Nashville", "c": "nashville", "d": "3"},
			[][]string{{"Nashville"}, {"Knoxville"}, {"Memphis"}}},
		{"Approval", "approval Capital? | Memphis | Nashville | Knoxville",
			map[string]string{"b": "Nashville, Knoxville", "c": "Knoxville", "d": "memphis, 3"},
			[][]string{{"Knoxville"}, {"Memphis", "Nashville"}}},
		{"IRV", "irv Capital? | Memphis | Nashville | Chattanooga | Knoxville",
			map[string]string{"b": "Nashville > Memphis", "c": "Nashville > Chattanooga", "d": "Chattanooga > Nashville", "f": "Knoxville > Chattanooga > Nashville"},
			[][]string{{"Nashville"}, {"Chattanooga", "Knoxville"}, {"Memphis"}}},
		{"Schulze", "schulze Capital? | Memphis | Nashville | Knoxville",
			map[string]string{"b": "Nashville > Knoxville > Memphis", "c": "Memphis > Nashville", "d": "Knoxville = Nashville > Memphis"},
			[][]string{{"Nashville"}, {"Knoxville"}, {"Memphis"}}},
		{"Borda", "borda Capital? | Memphis | Nashville | Knoxville",
			map[string]string{"b": "Memphis > Nashville > Knoxville", "c": "Nashville > Memphis", "d": "Nashville"},
			[][]string{{"Nashville"}, {"Memphis"}, {"Knoxville"}}},
		{"Score", "score Capital? | Memphis | Nashville | Knoxville scale 0-10",
			map[string]string{"b": "Memphis=4, Nashville=10", "c": "Nashville=3, 3=9", "d": "1=2"},
			[][]string{{"Nashville"}, {"Knoxville"}, {"Memphis"}}},
		{"Dot", "dot Capital? | Memphis | Nashville | Knoxville dots 5",
			map[string]string{"b": "Memphis=3, Nashville=2", "c": "Nashville=5", "d": "Knoxville=1"},
			[][]string{{"Nashville"}, {"Memphis"}, {"Knoxville"}}},
		{"Judgment", "judgment Capital? | Memphis | Nashville | Knoxville",
			map[string]string{"b": "Memphis=good, Nashville=excellent, Knoxville=poor", "c": "Memphis=fair, Nashville=Very Good, Knoxville=poor", "d": "1=reject, 2=bien, 3=poor"},
			[][]string{{"Nashville"}, {"Memphis"}, {"Knoxville"}}},
		{"JudgmentOwnGrades", "judgment Capital? | Memphis | Nashville grades bad, ok, great",
			map[string]string{"b": "Memphis=great, Nashville=ok", "c": "Memphis=OK, Nashville=bad"},
			[][]string{{"Memphis"}, {"Nashville"}}},
		{"Date", "date Meeting? | 2026-12-10 19:00 | 2026-12-11 | next friday",
			map[string]string{"b": "1=yes, 2=maybe, 3=no", "c": "1=maybe, 2=yes", "d": "2=oui, 3=peut-être"},
			// Slots are labelled with the date they were read as, not as typed.
			[][]string{{"Friday 11 December 2026"}, {"Thursday 10 December 2026 at 19:00"}, {"Friday 4 December 2026"}}},
		{"Contest", "contest Best stand? | Memphis | Nashville jury @b weight 60",
			map[string]string{"b": "Memphis", "c": "Nashville", "d": "Nashville"},
			[][]string{{"Memphis"}, {"Nashville"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := pollEnv(t, "en", botstest.Options{})
			for _, who := range []string{"b", "c", "d", "f"} {
				e.Say(who, "hello")
			}
			out := e.Say("alice", "/poll new "+tt.poll)
			if len(out) != 0 {
				t.Fatalf("open: got %q", botstest.Texts(out))
			}
			for who, ballot := range tt.ballots {
				m := one(t, e.Say(who, "/vote V1 "+ballot))
				if !strings.Contains(m.Text, "is counted") || !m.Direct {
					t.Fatalf("%s votes %q: got %q", who, ballot, m.Text)
				}
			}
			e.Say("alice", "/poll V1 close")
			got := pollShot(t, e, "V1")
			if got.Status != "closed" || got.Ballots != len(tt.ballots) {
				t.Fatalf("got %s with %d ballots", got.Status, got.Ballots)
			}
			if diff := cmp.Diff(tt.want, got.Ranking); diff != "" {
				t.Fatalf("ranking (-want +got):\n%s", diff)
			}
		})
	}
}

// Ensure bad ballots and bad polls get a clear answer, privately for ballots, in
// the member's language, and change nothing.
func TestVote_BadInput(t *testing.T) {
	tests := []struct {
		name, text, en, fr string
	}{
		{"UnknownOption", "/vote V1 Paris > Memphis", "“Paris” is not an option of V1", "« Paris » n'est pas une option de V1"},
		{"MalformedRanking", "/vote V1 Memphis >> Nashville", "I can't read this ranking", "Je ne comprends pas ce classement"},
		{"RankingWithCommas", "/vote V1 Memphis, Nashville", "I can't read this ranking", "Je ne comprends pas ce classement"},
		{"RepeatedOption", "/vote V1 Memphis > memphis", "is in your ballot twice", "figure deux fois"},
		{"GradeOutsideScale", "/vote V2 Memphis=superb", "“superb” is not a grade of V2", "« superb » n'est pas une mention de V2"},
		{"ScoreOutsideScale", "/vote V3 Memphis=7", "Scores go from 0 to 5", "Les notes vont de 0 à 5"},
		{"ScoreNotPairs", "/vote V3 Memphis 4", "OPTION=VALUE", "OPTION=VALEUR"},
		{"TooManyDots", "/vote V4 Memphis=5, Nashville=4", "You have 8 dots", "Vous avez 8 gommettes"},
		{"TwoChoicesInSingle", "/vote V5 Memphis, Nashville", "V5 takes one choice", "V5 prend un seul choix"},
		{"BadAnswer", "/vote V6 1=perhaps", "“perhaps” is not an answer", "« perhaps » n'est pas une réponse"},
		{"ClosedPoll", "/vote V7 Memphis", "V7 is closed", "V7 est clos"},
		{"UnknownPoll", "/vote V9 Memphis", "There is no poll V9", "Il n'y a pas de vote V9"},
		{"NoChoice", "/vote", "/vote V1 CHOICE", "/voter V1 CHOIX"},
		{"BadMethod", "/poll new plurality Q? | A | B", "“plurality” is not a voting method", "« plurality » n'est pas une méthode de vote"},
		{"OneOption", "/poll new single Q? | A", "A poll needs 2 to 20 options", "Un vote a besoin de 2 à 20 options"},
		{"BadScale", "/poll new score Q? | A | B scale 10-1", "I can't read the scale “10-1”", "Je ne comprends pas l'échelle « 10-1 »"},
		{"ForeignSetting", "/poll new single Q? | A | B dots 3", "does not apply", "ne s'applique pas"},
		{"BadDeadline", "/poll new single Q? | A | B until 31/02", "I can't read “31/02” as a date", "Je ne comprends pas la date « 31/02 »"},
		{"PastDeadline", "/poll new single Q? | A | B until 2026-11-01", "already past", "déjà passée"},
		{"BadSlot", "/poll new date Meet? | soon | later", "I can't read the slot “soon”", "Je ne comprends pas le créneau « soon »"},
		{"NotAuthor", "/poll V1 close", "Only the author of V1", "Seuls l'auteur de V1"},
	}
	for _, lang := range []string{"en", "fr"} {
		for _, tt := range tests {
			t.Run(lang+"/"+tt.name, func(t *testing.T) {
				e := pollEnv(t, lang, botstest.Options{})
				for _, p := range []string{
					"irv Capital? | Memphis | Nashville", "judgment Capital? | Memphis | Nashville",
					"score Capital? | Memphis | Nashville", "dot Capital? | Memphis | Nashville",
					"single Capital? | Memphis | Nashville", "date Meet? | 2026-12-10 | 2026-12-11",
					"single Closed? | Memphis | Nashville",
				} {
					if out := e.Say("alice", "/poll new "+p); len(out) != 0 {
						t.Fatalf("open %q: %q", p, botstest.Texts(out))
					}
				}
				e.Say("alice", "/poll V7 close")
				e.Say("bob", "/vote V1 Nashville")
				e.Sent.Reset()
				before := e.Snapshot()
				m := one(t, e.Say("bob", tt.text))
				want := tt.en
				if lang == "fr" {
					want = tt.fr
				}
				if !strings.Contains(m.Text, want) {
					t.Fatalf("got %q, want it to contain %q", m.Text, want)
				}
				if strings.HasPrefix(tt.text, "/vote") && !m.Direct {
					t.Errorf("a refused ballot is answered in the chat: %+v", m)
				}
				if diff := cmp.Diff(before, e.Snapshot()); diff != "" {
					t.Fatalf("state changed (-before +after):\n%s", diff)
				}
				if sent := e.Sent.Messages(); len(sent) != 0 {
					t.Fatalf("sent %q", botstest.Texts(sent))
				}
			})
		}
	}
}

// Ensure the poll message goes to every linked chat with a button per option, and a
// burst of ballots makes one edit per chat, with the last figures, once the delay
// has passed.
func TestPoll_LiveEdits(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	e.Say("alice", "/poll new single Lunch? | Pizza | Salad | Soup")
	posted := e.Sent.Messages()
	if len(posted) != 2 {
		t.Fatalf("posted %d messages, want one per chat", len(posted))
	}
	for _, m := range posted {
		if m.Ref != "poll:c1:V1" || m.Edit || len(m.Buttons) != 3 || m.Buttons[1][0].Label != "Salad" {
			t.Fatalf("poll message %+v", m)
		}
	}
	e.Sent.Reset()
	for i := range 20 {
		e.Say(fmt.Sprintf("m%02d", i), "/vote V1 "+[]string{"Pizza", "Salad"}[i%2])
		e.Clock.Set(e.Clock.Now().Add(100 * time.Millisecond))
	}
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(e.Sent.Messages()); n != 0 {
		t.Fatalf("%d edits before the delay", n)
	}
	advance(t, e, 3*time.Second)
	edits := e.Sent.Messages()
	if len(edits) != 2 {
		t.Fatalf("got %d edits, want one per chat: %q", len(edits), botstest.Texts(edits))
	}
	for _, m := range edits {
		if !m.Edit || m.EditID == "" || !strings.Contains(m.Text, "20 ballots") || !strings.Contains(m.Text, "Pizza — 10 (50%)") {
			t.Fatalf("edit %+v", m)
		}
	}
	// Hidden: the turnout only.
	e.Say("alice", "/poll new single Secret lunch? | Pizza | Salad hidden")
	e.Say("bob", "/vote V2 Pizza")
	e.Sent.Reset()
	advance(t, e, 5*time.Second)
	for _, m := range e.Sent.Messages() {
		if !strings.Contains(m.Text, "1 ballot") || strings.Contains(m.Text, "100%") {
			t.Fatalf("hidden poll shows %q", m.Text)
		}
	}
}

// Ensure the deadline closes the poll through the scheduler: the message loses its
// buttons, the result and a PNG chart go to every chat, and /find finds it.
func TestPoll_Deadline(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	e.Say("alice", "/project new Garden")
	e.Say("alice", "/poll new borda Which project first? | P1 | Repair café | Bike workshop until 2026-12-03")
	e.Say("bob", "/vote V1 Garden > Bike workshop")
	e.Say("carol", "/vote V1 p1 > 3 > 2")
	e.Sent.Reset()
	advance(t, e, 24*time.Hour)
	if got := pollShot(t, e, "V1").Status; got != "open" {
		t.Fatalf("a day later: %s", got)
	}
	e.Sent.Reset() // the live edits of the two ballots went out meanwhile
	advance(t, e, 48*time.Hour)
	shot := pollShot(t, e, "V1")
	if shot.Status != "closed" || !cmp.Equal(shot.Ranking, [][]string{{"P1 Garden"}, {"Bike workshop"}, {"Repair café"}}) {
		t.Fatalf("after the deadline: %+v", shot)
	}
	if want := "2026-12-03T23:59:59.999999999Z"; shot.Closed == nil || shot.Closed.Format(time.RFC3339Nano) != want {
		t.Fatalf("closed at %v, want %s", shot.Closed, want)
	}
	var results, edits int
	for _, m := range e.Sent.Messages() {
		switch {
		case m.Edit:
			edits++
			if len(m.Buttons) != 0 || !strings.Contains(m.Text, "Closed") {
				t.Errorf("closing edit %+v", m)
			}
		case strings.Contains(m.Text, "📊 V1"):
			results++
			if !strings.Contains(m.Text, "1. P1 Garden (4 points)") {
				t.Errorf("result %q", m.Text)
			}
			if a := m.Attachment; a == nil || a.Type != "image/png" || !bytes.HasPrefix(a.Data, []byte("\x89PNG")) {
				t.Errorf("result without a PNG chart: %+v", m.Attachment)
			}
		}
	}
	if results != 2 || edits != 2 {
		t.Fatalf("got %d results and %d edits, want 2 and 2", results, edits)
	}
	out := e.Say("bob", "/find which project")
	if !strings.Contains(out[0].Text, "V1 (result") || !strings.Contains(out[0].Text, "P1 Garden") {
		t.Fatalf("/find: %q", out[0].Text)
	}
	if m := one(t, e.Say("bob", "/poll V1")); m.Attachment == nil || !strings.Contains(m.Text, "result") {
		t.Fatalf("/poll of a closed poll: %+v", m)
	}
}

// Ensure a date poll is answered per slot with buttons, and its chosen slot comes
// as a calendar file.
func TestPoll_DateButtonsAndCalendar(t *testing.T) {
	e := pollEnv(t, "fr", botstest.Options{})
	e.Say("alice", "/sondage nouveau date Assemblée ? | 2026-12-10 19h | 2026-12-12 10h | 14/12")
	msg := e.Sent.Messages()[0]
	if len(msg.Buttons) != 3 || len(msg.Buttons[0]) != 3 || msg.Buttons[0][0].Label != "✅ jeudi 10 décembre 2026 à 19 h 00" {
		t.Fatalf("buttons %+v", msg.Buttons)
	}
	e.Press("bob", msg, "✅ samedi 12")
	e.Press("bob", msg, "🤔 lundi 14")
	out := e.Press("bob", msg, "❌ jeudi 10")
	if m := one(t, out); !strings.Contains(m.Text, "jeudi 10 décembre 2026 à 19 h 00 : non, samedi 12 décembre 2026 à 10 h 00 : oui, lundi 14 décembre 2026 : si besoin") || !strings.Contains(m.Text, "modifié") {
		t.Fatalf("receipt %q", m.Text)
	}
	e.Press("carol", msg, "✅ samedi 12")
	e.Sent.Reset()
	e.Say("alice", "/sondage V1 fermer")
	var cal *bots.Attachment
	for _, m := range e.Sent.Messages() {
		if a := m.Attachment; a != nil && a.Type == "text/calendar" {
			cal = a
			if !strings.Contains(m.Text, "samedi 12 décembre 2026 à 10 h 00") {
				t.Errorf("calendar text %q", m.Text)
			}
		}
	}
	if cal == nil {
		t.Fatal("no calendar file")
	}
	c, err := ics.ParseCalendar(bytes.NewReader(cal.Data))
	if err != nil {
		t.Fatal(err)
	}
	start, err := c.Events()[0].GetStartAt()
	if err != nil || !start.Equal(time.Date(2026, 12, 12, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("event starts %v (%v)", start, err)
	}
}

// Ensure approval buttons approve and withdraw one option each, and single ballots
// are one press.
func TestPoll_ApprovalButtons(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	e.Say("alice", "/poll new approval Snacks? | Crisps | Fruit | Nuts")
	msg := e.Sent.Messages()[0]
	e.Press("bob", msg, "Crisps")
	e.Press("bob", msg, "Nuts")
	out := e.Press("bob", msg, "Crisps")
	if m := one(t, out); !strings.Contains(m.Text, ": Nuts.") {
		t.Fatalf("receipt %q", m.Text)
	}
	advance(t, e, 5*time.Second)
	shot := pollShot(t, e, "V1")
	if shot.Ballots != 1 {
		t.Fatalf("got %d ballots", shot.Ballots)
	}
	last := e.Sent.Messages()[len(e.Sent.Messages())-1]
	if !strings.Contains(last.Text, "Nuts — 1 (100%)") || !strings.Contains(last.Text, "Crisps — 0 (0%)") {
		t.Fatalf("tally %q", last.Text)
	}
}

// Ensure a ranked ballot is built step by step by direct message where the platform
// has no forms, by buttons or typed answers, and a judgment ballot comes as a form
// where it has them.
func TestVote_StepsAndForms(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	e.Say("alice", "/poll new irv Capital? | Memphis | Nashville | Chattanooga | Knoxville")
	msg := e.Sent.Messages()[0]
	step := one(t, e.Press("bob", msg, "Vote"))
	if !step.Direct || !strings.Contains(step.Text, "choice number 1") || len(step.Buttons) != 4 {
		t.Fatalf("first step %+v", step)
	}
	step = one(t, e.Press("bob", step, "Nashville"))
	if !strings.Contains(step.Text, "so far: Nashville") || len(step.Buttons) != 5 {
		t.Fatalf("second step %+v", step)
	}
	step = one(t, e.Say("bob", ">knoxville"))
	if !strings.Contains(step.Text, "so far: Nashville > Knoxville") {
		t.Fatalf("third step %q", step.Text)
	}
	done := one(t, e.Press("bob", step, "Done"))
	if !strings.Contains(done.Text, "counted: Nashville > Knoxville.") {
		t.Fatalf("receipt %q", done.Text)
	}
	// A stale step button is refused once the ballot is cast.
	if m := one(t, e.Press("bob", step, "Memphis")); !strings.Contains(m.Text, "no longer being filled in") {
		t.Fatalf("stale step %q", m.Text)
	}

	e.Say("alice", "/poll new judgment Best stand? | Bakery | Books")
	e.Sent.Reset()
	ev := e.Event("carol", "/vote V2")
	ev.CanForm = true
	m := one(t, e.Handle(ev))
	f := m.Form
	if f == nil || len(f.Fields) != 2 || len(f.Fields[0].Options) != 6 || f.Fields[0].Options[5].Value != "excellent" {
		t.Fatalf("form %+v", m)
	}
	sub := e.Event("carol", "")
	sub.Kind, sub.Action, sub.Fields = bots.KindForm, f.Token, map[string]string{"o1": "very-good", "o2": "poor"}
	r := one(t, e.Handle(sub))
	if !strings.Contains(r.Text, "Bakery: very good, Books: poor") {
		t.Fatalf("receipt %q", r.Text)
	}
	// A score ballot by form: empty fields are unscored (the scale's minimum).
	e.Say("alice", "/poll new score Rate | Bakery | Books scale 1-10")
	ev = e.Event("dan", "/vote V3")
	ev.CanForm = true
	f = one(t, e.Handle(ev)).Form
	sub = e.Event("dan", "")
	sub.Kind, sub.Action, sub.Fields = bots.KindForm, f.Token, map[string]string{"o1": "8", "o2": ""}
	if r := one(t, e.Handle(sub)); !strings.Contains(r.Text, "Bakery: 8, Books: 1") {
		t.Fatalf("score receipt %q", r.Text)
	}
	// A ranked ballot by form.
	ev = e.Event("dan", "/vote V1")
	ev.CanForm = true
	f = one(t, e.Handle(ev)).Form
	sub = e.Event("dan", "")
	sub.Kind, sub.Action, sub.Fields = bots.KindForm, f.Token, map[string]string{"o1": "2", "o3": "1", "o4": "2"}
	if r := one(t, e.Handle(sub)); !strings.Contains(r.Text, "Chattanooga > Memphis = Knoxville") {
		t.Fatalf("ranked form receipt %q", r.Text)
	}
	if got := pollShot(t, e, "V1").Ballots; got != 2 {
		t.Fatalf("got %d ballots in V1", got)
	}
}

// Ensure ballots from two accounts of one member count once, before and after they
// link them, and the running tally forgets the other ballot.
func TestVote_LinkedIdentities(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	e.Say("alice", "/poll new single Lunch? | Pizza | Salad")
	e.Say("bob", "/vote V1 Pizza")
	other := e.Event("bobby", "/vote V1 Salad")
	other.Platform, other.UserID, other.ChatID = "other", "U42", "chan-9"
	e.Clock.Set(e.Clock.Now().Add(time.Minute))
	e.Handle(other)
	if got := pollShot(t, e, "V1").Ballots; got != 2 {
		t.Fatalf("two persons yet: got %d ballots", got)
	}
	code := regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(e.Say("bob", ">/link")[0].Text)
	link := e.Event("bobby", "/link "+code)
	link.Platform, link.UserID, link.ChatID, link.Direct = "other", "U42", "dm:U42", true
	e.Handle(link)
	if got := pollShot(t, e, "V1").Ballots; got != 1 {
		t.Fatalf("after linking: got %d ballots, want 1", got)
	}
	// The later ballot (Salad) is kept; either account changes it.
	again := e.Event("bob", "/vote V1 Pizza")
	if m := one(t, e.Handle(again)); !strings.Contains(m.Text, "changed") {
		t.Fatalf("receipt %q", m.Text)
	}
	e.Say("alice", "/poll V1 close")
	if got := pollShot(t, e, "V1"); got.Ballots != 1 || got.Ranking[0][0] != "Pizza" {
		t.Fatalf("closed: %+v", got)
	}
}

// Ensure /forgetme withdraws a ballot from an open poll and keeps, unnamed, one
// counted in a closed poll.
func TestVote_ForgetMe(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	e.Say("alice", "/poll new single Open? | A | B")
	e.Say("alice", "/poll new single Closed? | A | B")
	e.Say("bob", "/vote V1 A")
	e.Say("bob", "/vote V2 B")
	e.Say("alice", "/vote V2 A")
	e.Say("alice", "/poll V2 close")
	e.Say("bob", "/forgetme confirm")
	if got := pollShot(t, e, "V1").Ballots; got != 0 {
		t.Fatalf("open poll keeps %d ballots", got)
	}
	if got := pollShot(t, e, "V2"); got.Ballots != 2 || len(got.Ranking) != 1 {
		t.Fatalf("closed poll changed: %+v", got)
	}
}

// Ensure the same vote delivered twice counts once.
func TestVote_Idempotent(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	e.Say("alice", "/poll new approval Snacks? | Crisps | Fruit")
	ev := e.Event("bob", "/vote V1 +1")
	first := e.Handle(ev)
	e.Restart()
	again := e.Handle(ev)
	if diff := cmp.Diff(first, again); diff != "" {
		t.Fatalf("redelivery answers differently:\n%s", diff)
	}
	advance(t, e, 5*time.Second)
	msgs := e.Sent.Messages()
	if last := msgs[len(msgs)-1].Text; !strings.Contains(last, "Crisps — 1 (100%)") {
		t.Fatalf("a toggle delivered twice toggled twice: %q", last)
	}
}

// Ensure the author, facilitators and admins may close a poll, and others not.
func TestPoll_ClosePermissions(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	e.Say("bob", "/poll new single Q? | A | B")
	e.Say("bob", "/poll new single R? | A | B")
	e.Say("carol", "hello")
	e.Say("alice", "/role @carol facilitator")
	if m := one(t, e.Say("dan", "/poll V1 close")); !strings.Contains(m.Text, "Only the author") {
		t.Fatalf("member closes: %q", m.Text)
	}
	e.Say("bob", "/poll V1 close")
	e.Say("carol", "/poll V2 close")
	if pollShot(t, e, "V1").Status != "closed" || pollShot(t, e, "V2").Status != "closed" {
		t.Fatal("author or facilitator could not close")
	}
	out := e.Say("bob", "/polls")
	if !strings.Contains(out[0].Text, "No open poll") {
		t.Fatalf("/polls %q", out[0].Text)
	}
}

// Ensure linking two accounts that both voted in a secret poll keeps one ballot
// when a ballot secret is configured (the one of the account linked into), and
// keeps both without one: then nothing can tell which ballot is whose.
func TestVote_LinkedIdentitiesSecret(t *testing.T) {
	for _, keyed := range []bool{true, false} {
		t.Run(fmt.Sprintf("secret=%v", keyed), func(t *testing.T) {
			opt := botstest.Options{}
			if keyed {
				opt.BallotSecret = "0123456789abcdef0123"
			}
			e := pollEnv(t, "en", opt)
			e.Say("alice", "/poll new single Lunch? | Pizza | Salad secret")
			e.Say("bob", "/vote V1 Pizza")
			other := e.Event("bobby", "/vote V1 Salad")
			other.Platform, other.UserID, other.ChatID = "other", "U42", "chan-9"
			e.Handle(other)
			code := regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(e.Say("bob", ">/link")[0].Text)
			link := e.Event("bobby", "/link "+code)
			link.Platform, link.UserID, link.ChatID, link.Direct = "other", "U42", "dm:U42", true
			e.Handle(link)
			want := 2
			if keyed {
				want = 1
			}
			if got := pollShot(t, e, "V1").Ballots; got != want {
				t.Fatalf("after linking: got %d ballots, want %d", got, want)
			}
			m := one(t, e.Say("bob", "/vote V1 Salad"))
			if keyed != strings.Contains(m.Text, "is changed") {
				t.Fatalf("change after linking: %q", m.Text)
			}
			e.Say("alice", "/poll V1 close")
			if got := pollShot(t, e, "V1"); keyed && (got.Ballots != 1 || got.Ranking[0][0] != "Salad") {
				t.Fatalf("closed: %+v", got)
			}
		})
	}
}

// Ensure an approval poll whose ballots cannot be changed (secret, no ballot
// secret) offers the whole ballot, option by option, instead of one press per
// option, and the ballot is then final.
func TestVote_FinalApprovalBuiltWhole(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	e.Say("alice", "/poll new approval Snacks? | Crisps | Fruit | Cake secret")
	msg := e.Sent.Messages()[0]
	if len(msg.Buttons) != 1 || !strings.Contains(msg.Buttons[0][0].Label, "Vote") {
		t.Fatalf("buttons %+v", msg.Buttons)
	}
	step := one(t, e.Press("bob", msg, "Vote"))
	if !strings.Contains(step.Text, "1/3 — Crisps") || len(step.Buttons) != 2 {
		t.Fatalf("first step %+v", step)
	}
	step = one(t, e.Press("bob", step, "yes"))
	step = one(t, e.Say("bob", ">no"))
	r := one(t, e.Press("bob", step, "yes"))
	if !strings.Contains(r.Text, "counted: Crisps, Cake.") || !strings.Contains(r.Text, "final") {
		t.Fatalf("receipt %q", r.Text)
	}
	if m := one(t, e.Press("bob", msg, "Vote")); !strings.Contains(m.Text, "cannot be changed") || !m.Direct {
		t.Fatalf("the Vote button again: %+v", m)
	}
	// A ballot started before the first one was cast is refused at its end.
	e.Press("carol", msg, "Vote")
	e.Say("carol", "/vote V1 Fruit")
	e.Say("carol", ">yes")
	e.Say("carol", ">yes")
	if m := one(t, e.Say("carol", ">yes")); !strings.Contains(m.Text, "cannot be changed") {
		t.Fatalf("a second secret ballot: %q", m.Text)
	}
	if got := pollShot(t, e, "V1").Ballots; got != 2 {
		t.Fatalf("got %d ballots, want 2", got)
	}
}
