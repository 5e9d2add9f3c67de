package bots_test

import (
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/botstest"
)

// dateEnv is a community in Paris time in lang, where alice is admin, bob a member
// and P1 a project of alice's; the clock is Tuesday 1 December 2026.
func dateEnv(t *testing.T, lang string) *botstest.Env {
	t.Helper()
	e := botstest.NewEnv(t, botstest.Options{NoSync: true, Lang: lang})
	e.Say("alice", "/community create Club tz Europe/Paris lang "+lang)
	e.Say("alice", "/project new Garden")
	e.Say("bob", "hello")
	e.Sent.Reset()
	return e
}

// Ensure every command that reads a date refuses one beyond the horizon as too
// far, saying the limit, and changes nothing: never today at the time given.
func TestDates_TooFarInEveryCommand(t *testing.T) {
	e := dateEnv(t, "en")
	before := e.Snapshot()
	for _, cmd := range []string{
		"/meeting new 12/12/2040 19:00 Far meeting",
		"/meeting new 2040-01-01 19:00 Far meeting",
		"/meeting new 1 January 2040 Far meeting",
		"/nextstep P1 Paint the shed by 2099-01-01",
		"/poll new date When? | 2040-01-01 19:00 | tomorrow 19:00",
		"/poll new single Colour? | Red | Blue until 12/12/2040",
		"/campaign new donation Roof goal 500 until 2040-01-01",
		"/away 2040-01-01",
	} {
		out := e.Say("alice", cmd)
		if len(out) != 1 || !strings.Contains(out[0].Text, "too far ahead") || !strings.Contains(out[0].Text, "up to Monday 1 December 2036") {
			t.Errorf("%s: %q", cmd, botstest.Texts(out))
		}
	}
	if out := e.Say("alice", "/meeting"); !strings.Contains(out[0].Text, "No general meeting is dated") {
		t.Errorf("a meeting was dated: %q", out[0].Text)
	}
	if got := e.Snapshot(); len(got.Communities[0].Polls) != len(before.Communities[0].Polls) || got.Communities[0].Projects[0].NextStep != nil {
		t.Errorf("something changed: %+v", got.Communities[0])
	}
	// French too.
	f := dateEnv(t, "fr")
	if out := f.Say("alice", "/reunion nouvelle le 12/12/2040 à 19h AG"); !strings.Contains(out[0].Text, "est trop loin : Engage accepte les dates jusqu'au") {
		t.Errorf("fr: %q", out[0].Text)
	}
}

// Ensure a numeric date that reads two ways in an English community is answered with
// both readings as buttons, each running the command with that date; in a French
// community day first is the rule and nothing is asked.
func TestDates_AmbiguousAsksWithButtons(t *testing.T) {
	e := dateEnv(t, "en")
	out := e.Say("alice", "/meeting new 5/4 19:00 General meeting")
	if len(out) != 1 || len(out[0].Buttons) != 1 || len(out[0].Buttons[0]) != 2 {
		t.Fatalf("want one answer with two buttons: %+v", out)
	}
	if !strings.Contains(out[0].Text, "“5/4” reads two ways: Monday 5 April 2027 or Tuesday 4 May 2027") {
		t.Errorf("question: %q", out[0].Text)
	}
	if m := e.Say("alice", "/meeting"); !strings.Contains(m[0].Text, "No general meeting") {
		t.Fatalf("dated before the answer: %q", m[0].Text)
	}
	e.Press("alice", out[0], "4 May")
	if m := e.Say("bob", "/meeting"); !strings.Contains(m[0].Text, "Tuesday 4 May 2027 at 19:00") || !strings.Contains(m[0].Text, "General meeting") {
		t.Fatalf("after the choice: %q", m[0].Text)
	}
	// Unambiguous numeric dates are read silently: one reading impossible, or the same both ways.
	for cmd, want := range map[string]string{
		"/poll new date When? | 4/15 19:00 | 25/12": "Thursday 15 April 2027 at 19:00",
		"/poll new date Again? | 5/5 | 2027-06-01":  "Wednesday 5 May 2027",
	} {
		e.Sent.Reset()
		e.Say("alice", cmd)
		if msgs := e.Sent.Messages(); len(msgs) == 0 || !strings.Contains(msgs[0].Text, want) {
			t.Errorf("%s: %q", cmd, botstest.Texts(msgs))
		}
	}
	// A French speaker of the English community writes the day first: their 12/03
	// is 12 March, read without a question.
	e.Say("alice", "/lang fr")
	if out := e.Say("alice", "/nextstep P1 Semer by 12/03"); len(out) != 0 && len(out[0].Buttons) != 0 {
		t.Errorf("a French speaker was asked: %+v", out)
	}
	if ns := project(t, e, "P1").NextStep; ns == nil || ns.Due == nil || ns.Due.Month() != 3 || ns.Due.Day() != 12 {
		t.Errorf("French speaker's 12/03: %+v", ns)
	}

	f := dateEnv(t, "fr")
	// An English speaker of the French community is asked, in the group's French.
	f.Say("bob", "/lang en")
	if out := f.Say("bob", "/sondage nouveau date Quand ? | 5/4 | 20/03"); len(out) != 1 || len(out[0].Buttons) != 1 || !strings.Contains(out[0].Text, "« 5/4 » se lit de deux façons") {
		t.Errorf("fr question to an English speaker: %+v", out)
	}
	f.Say("alice", "/reunion nouvelle 5/4 19h AG")
	if m := f.Say("bob", "/reunion"); !strings.Contains(m[0].Text, "lundi 5 avril 2027 à 19 h 00") {
		t.Errorf("fr day first: %q", m[0].Text)
	}
	for _, cmd := range []string{"/sondage nouveau date Quand ? | 4/15 | 20/03", "/reunion nouvelle 4/15 19:00 AG", "/etape P1 Semer avant 4/15"} {
		if out := f.Say("alice", cmd); !strings.Contains(out[0].Text, "« 4/15 » n'est pas une date : ici, le jour s'écrit en premier. Pour le jeudi 15 avril 2027, tapez 15/04.") {
			t.Errorf("%s: %q", cmd, botstest.Texts(out))
		}
	}
	// An impossible date is refused with its time, never read as that time today.
	if out := f.Say("alice", "/reunion nouvelle 31/02 19:00 AG"); !strings.Contains(out[0].Text, "Je ne trouve pas la date") {
		t.Errorf("31/02 19:00: %q", out[0].Text)
	}
	if m := f.Say("bob", "/reunion"); !strings.Contains(m[0].Text, "lundi 5 avril") {
		t.Errorf("another meeting was dated: %q", m[0].Text)
	}
}

// Ensure the slots of a date poll keep the date they were read as, not the words
// typed ("tomorrow" would be wrong the next day).
func TestDates_PollSlotsResolved(t *testing.T) {
	f := dateEnv(t, "fr")
	f.Say("alice", "/sondage nouveau date Quand ? | demain 19h | vendredi prochain 18h30 | 20/03")
	msg := f.Sent.Messages()[0]
	for _, want := range []string{"1. mercredi 2 décembre 2026 à 19 h 00", "2. vendredi 4 décembre 2026 à 18 h 30", "3. samedi 20 mars 2027"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("poll lacks %q: %q", want, msg.Text)
		}
	}
	if strings.Contains(msg.Text, "demain") || strings.Contains(msg.Text, "20/03") {
		t.Errorf("typed words kept: %q", msg.Text)
	}
}

// Ensure a word after an ID that is not an action of the command is refused with the
// list of its actions, for every command that takes an ID, in both languages, and
// changes nothing.
func TestIDActions_UnknownWordRefused(t *testing.T) {
	e := dateEnv(t, "en")
	e.Say("alice", "/meeting new 2026-12-17 19:00 General meeting")
	e.Say("alice", "/poll new single Colour? | Red | Blue")
	e.Sent.Reset()
	before := e.Snapshot()
	for cmd, actions := range map[string]string{
		"/project P1 delete":                "/project P1 stage STAGE",
		"/poll V1 remove":                   "/poll V1 close",
		"/campaign C1 cancel":               "/campaign C1 close, backers",
		"/meeting M1 delete":                "/meeting M1 move DATE, /meeting M1 cancel",
		"/meeting M1 reschedule 2026-12-18": "/meeting M1 move DATE",
	} {
		out := e.Say("alice", cmd)
		w := strings.Fields(cmd)[2]
		if len(out) != 1 || !strings.Contains(out[0].Text, "cannot do “"+w+"”") || !strings.Contains(out[0].Text, actions) {
			t.Errorf("%s: %q", cmd, botstest.Texts(out))
		}
	}
	e.Say("bob", "/lang fr")
	e.Sent.Reset()
	// Refused in the group, in the community's language (English), whatever bob's.
	if out := e.Say("bob", "/reunion M1 supprimer"); !strings.Contains(out[0].Text, "/reunion M1 cannot do “supprimer”") ||
		!strings.Contains(out[0].Text, "/reunion M1 move DATE") {
		t.Errorf("fr: %q", out[0].Text)
	}
	if len(e.Sent.Messages()) != 0 {
		t.Errorf("posted: %q", botstest.Texts(e.Sent.Messages()))
	}
	if after := e.Snapshot(); len(after.Communities[0].Polls) != len(before.Communities[0].Polls) || after.Communities[0].Polls[0].Closed != nil {
		t.Errorf("the poll changed")
	}
	// Known actions and their French aliases still run.
	if out := e.Say("alice", "/project P1 stade soutien"); len(out) != 0 {
		t.Errorf("stage: %q", botstest.Texts(out))
	}
	if project(t, e, "P1").Stage != "support" {
		t.Errorf("stage not set")
	}
	e.Say("alice", "/reunion M1 decaler 2026-12-18")
	if m := e.Say("bob", "/meeting M1"); !strings.Contains(m[0].Text, "Friday 18 December 2026 at 19:00") {
		t.Errorf("décaler: %q", m[0].Text)
	}
}

// Ensure /meeting M1 move DATE moves the meeting and tells the community and each
// member privately, keeping the time of day when only a day is given; the same date
// and a member's move are refused.
func TestMeeting_Move(t *testing.T) {
	e := dateEnv(t, "en")
	e.Say("alice", "/meeting new 2026-12-17 19:00 General meeting")
	e.Sent.Reset()
	if out := e.Say("bob", "/meeting M1 move 2026-12-18"); !strings.Contains(out[0].Text, "Only facilitators") {
		t.Fatalf("member: %q", out[0].Text)
	}
	e.Say("alice", "/meeting M1 move 2026-12-18")
	var posted, told bool
	for _, m := range e.Sent.Messages() {
		if !m.Direct && strings.Contains(m.Text, "is moved: Friday 18 December 2026 at 19:00 (instead of Thursday 17 December 2026 at 19:00)") && m.Attachment != nil {
			posted = true
		}
		if m.Direct && m.UserID == "bob" && strings.Contains(m.Text, "moved to Friday 18 December 2026 at 19:00") {
			told = true
		}
		if m.Direct && m.UserID == "alice" {
			t.Errorf("the mover is told privately: %q", m.Text)
		}
	}
	if !posted || !told {
		t.Errorf("posted %v, bob told %v: %q", posted, told, botstest.Texts(e.Sent.Messages()))
	}
	if out := e.Say("alice", "/meeting M1 move 2026-12-18 19:00"); !strings.Contains(out[0].Text, "already on Friday 18 December 2026 at 19:00: nothing changed") {
		t.Errorf("same date: %q", out[0].Text)
	}
	if out := e.Say("alice", "/meeting M1 move 2026-11-18"); !strings.Contains(out[0].Text, "already past") {
		t.Errorf("past: %q", out[0].Text)
	}
	// The reminders follow the meeting: one day before the new date, not the old.
	e.Sent.Reset()
	advance(t, e, (15*24+10)*time.Hour) // Thursday 17 December, 19:00
	if has(e.Sent.Messages(), "⏰ Tomorrow") {
		t.Errorf("a reminder of the old date went out")
	}
	advance(t, e, 24*time.Hour)
	if !has(group(e), "⏰ Tomorrow: general meeting M1") {
		t.Errorf("no reminder for the new date: %q", botstest.Texts(e.Sent.Messages()))
	}
}

// Ensure /meeting M1 cancel asks to confirm with buttons, and the confirmation calls
// the meeting off: the community and each member are told, no reminder follows, and
// the meeting is no longer the next one.
func TestMeeting_Cancel(t *testing.T) {
	e := dateEnv(t, "fr")
	e.Say("alice", "/reunion nouvelle 2026-12-17 19h AG")
	e.Sent.Reset()
	out := e.Say("alice", "/reunion M1 annuler")
	if len(out) != 1 || !strings.Contains(out[0].Text, "Annuler la réunion générale M1 AG") || len(out[0].Buttons) != 1 {
		t.Fatalf("confirmation: %+v", out)
	}
	if m := e.Say("bob", "/reunion"); !strings.Contains(m[0].Text, "M1 AG") {
		t.Fatalf("canceled before the confirmation: %q", m[0].Text)
	}
	e.Press("alice", out[0], "Oui")
	var posted, told bool
	for _, m := range e.Sent.Messages() {
		if !m.Direct && (m.Attachment == nil || !strings.Contains(string(m.Attachment.Data), "STATUS:CANCELLED") || !strings.Contains(string(m.Attachment.Data), "SEQUENCE:1")) {
			t.Errorf("calendar file of the cancellation: %+v", m.Attachment)
		}
		posted = posted || !m.Direct && strings.Contains(m.Text, "❌ La réunion générale M1 AG, jeudi 17 décembre 2026 à 19 h 00, est annulée.")
		told = told || m.Direct && m.UserID == "bob" && strings.Contains(m.Text, "est annulée")
	}
	if !posted || !told {
		t.Errorf("posted %v, bob told %v: %q", posted, told, botstest.Texts(e.Sent.Messages()))
	}
	if m := e.Say("bob", "/reunion"); !strings.Contains(m[0].Text, "Aucune réunion") {
		t.Errorf("still the next meeting: %q", m[0].Text)
	}
	if m := e.Say("bob", "/reunion M1"); !strings.Contains(m[0].Text, "(annulée)") {
		t.Errorf("shown: %q", m[0].Text)
	}
	if m := e.Say("alice", "/reunion M1 annuler confirmer"); !strings.Contains(m[0].Text, "M1 est annulée : datez une nouvelle réunion") {
		t.Errorf("twice: %q", m[0].Text)
	}
	e.Sent.Reset()
	advance(t, e, 20*24*time.Hour)
	if has(e.Sent.Messages(), "⏰") {
		t.Errorf("reminder of a canceled meeting: %q", botstest.Texts(e.Sent.Messages()))
	}
}

// Ensure moving a project to the stage it is in changes nothing and posts nothing,
// and /project P1 stage alone lists the stages.
func TestProject_StageSameOrMissing(t *testing.T) {
	e := dateEnv(t, "en")
	out := e.Say("alice", "/project P1 stage idea")
	if len(out) != 1 || !strings.Contains(out[0].Text, "P1 is already at the stage “idea”: nothing changed") {
		t.Errorf("same stage: %q", botstest.Texts(out))
	}
	if len(e.Sent.Messages()) != 0 {
		t.Errorf("posted: %q", botstest.Texts(e.Sent.Messages()))
	}
	out = e.Say("alice", "/project P1 stage")
	if !strings.Contains(out[0].Text, "Which stage for P1? It is at “idea”. Stages: idea, support") || strings.Contains(out[0].Text, "“”") {
		t.Errorf("no stage: %q", out[0].Text)
	}
	if out := e.Say("alice", "/projet P1 stade"); !strings.Contains(out[0].Text, "Stages:") {
		t.Errorf("alias: %q", out[0].Text)
	}
}

// Ensure the check-in's step question answered with a greeting or a question is
// asked again, in both languages, and the step is not recorded.
func TestCheckin_GreetingOrQuestionAskedAgain(t *testing.T) {
	for _, tc := range []struct{ answer, want string }{
		{"hello?", "“hello?” reads as a greeting or a question"},
		{"Bonjour à tous !", "“Bonjour à tous !” reads as a greeting"},
		{"what do you mean", "reads as a greeting or a question"},
	} {
		e := facEnv(t)
		advance(t, e, 9*time.Hour)
		out := e.Say("rita", ">"+tc.answer)
		if len(out) == 0 || !strings.Contains(out[0].Text, tc.want) {
			t.Fatalf("%q: %q", tc.answer, botstest.Texts(out))
		}
		if ns := project(t, e, "P1").NextStep; ns != nil {
			t.Fatalf("%q recorded: %+v", tc.answer, ns)
		}
		e.Say("rita", ">Sow the seeds")
		e.Say("rita", ">no date")
		e.Say("rita", ">yes")
		if ns := project(t, e, "P1").NextStep; ns == nil || ns.Text != "Sow the seeds" {
			t.Fatalf("next step %+v", ns)
		}
	}
}

// Ensure a check-in answer with a date that reads two ways is asked about with
// buttons that give the answer again with the date in full.
func TestCheckin_AmbiguousDateAsked(t *testing.T) {
	e := facEnv(t) // an English community
	advance(t, e, 9*time.Hour)
	out := e.Say("rita", ">Sow the seeds by 5/4")
	if len(out) != 1 || len(out[0].Buttons) != 1 || !strings.Contains(out[0].Text, "“5/4” reads two ways: Monday 5 April 2027 or Tuesday 4 May 2027") {
		t.Fatalf("question: %+v", out)
	}
	out = e.Press("rita", out[0], "4 May")
	if !strings.Contains(lastText(out), "by Tuesday 4 May 2027: is it posted") {
		t.Fatalf("after the choice: %q", botstest.Texts(out))
	}
}
