package bots_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// facEnv makes a community in Paris time where alice is admin, fay facilitator with
// a slot on Tuesdays at 18:00, and rita the referent of P1 "Garden". The clock is
// Tuesday 1 December 2026, 09:00 UTC.
func facEnv(t *testing.T) *botstest.Env {
	t.Helper()
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Club tz Europe/Paris lang en")
	e.Say("rita", "/project new Garden")
	e.Say("fay", "hello")
	e.Say("alice", "/role @fay facilitator")
	e.Say("fay", "/slot tuesday 18:00")
	e.Sent.Reset()
	return e
}

// advance moves the clock by d, firing what falls due.
func advance(t *testing.T, e *botstest.Env, d time.Duration) {
	t.Helper()
	if err := e.Scheduler.Advance(context.Background(), e.Clock.Now().Add(d), e.Clock, e.Dispatcher.Flush); err != nil {
		t.Fatal(err)
	}
}

// dmsTo returns the direct messages user got, and forgets everything sent.
func dmsTo(e *botstest.Env, user string) []bots.Message {
	var out []bots.Message
	for _, m := range e.Sent.Messages() {
		if m.Direct && m.UserID == user {
			out = append(out, m)
		}
	}
	return out
}

// nudges returns the facilitation hour's agendas user got.
func nudges(e *botstest.Env, user string) []bots.Message {
	var out []bots.Message
	for _, m := range dmsTo(e, user) {
		if strings.HasPrefix(m.Text, "🕐") {
			out = append(out, m)
		}
	}
	return out
}

func group(e *botstest.Env) []bots.Message {
	var out []bots.Message
	for _, m := range e.Sent.Messages() {
		if !m.Direct && !m.Ephemeral {
			out = append(out, m)
		}
	}
	return out
}

func lastText(ms []bots.Message) string {
	if len(ms) == 0 {
		return ""
	}
	return ms[len(ms)-1].Text
}

func has(ms []bots.Message, sub string) bool {
	for _, m := range ms {
		if strings.Contains(m.Text, sub) {
			return true
		}
	}
	return false
}

// Ensure the three questions are asked one after the other, with buttons, and the
// answers set the project's next step through the /nextstep rules; a step not yet
// posted gets the share button, which posts it.
func TestCheckin_DialogStepByStep(t *testing.T) {
	e := facEnv(t)
	advance(t, e, 9*time.Hour) // the slot, 18:00 Paris
	q := dmsTo(e, "rita")
	if len(q) != 1 || !strings.Contains(q[0].Text, "P1 Garden: what is the next step?") {
		t.Fatalf("first question: %q", botstest.Texts(q))
	}
	out := e.Say("rita", ">Build the compost bins")
	if !strings.Contains(lastText(out), "by what date?") || len(out[0].Buttons) != 2 || len(out[0].Buttons[0]) != 3 {
		t.Fatalf("date question: %+v", out)
	}
	if got := out[0].Buttons[0][0].Label; got != "Next Friday, 4 Dec" {
		t.Errorf("first date button %q, want Next Friday, 4 Dec", got)
	}
	out = e.Press("rita", out[0], "Next Friday")
	if !strings.Contains(lastText(out), "is it posted for the community?") {
		t.Fatalf("shared question: %q", botstest.Texts(out))
	}
	out = e.Press("rita", out[0], "Not yet")
	if !strings.Contains(out[0].Text, "“Build the compost bins”, by Friday 4 December 2026") || !strings.Contains(out[0].Text, "not posted") {
		t.Fatalf("saved: %q", botstest.Texts(out))
	}
	ns := project(t, e, "P1").NextStep
	if ns == nil || ns.Text != "Build the compost bins" || ns.Shared || ns.Due == nil {
		t.Fatalf("next step %+v", ns)
	}
	if got := ns.Due.Format("2006-01-02 15:04 MST"); got != "2026-12-04 23:59 CET" {
		t.Errorf("due %s, want the end of Friday 4 December in Paris", got)
	}
	e.Sent.Reset()
	e.Press("rita", out[0], "Post it")
	if !project(t, e, "P1").NextStep.Shared || !has(group(e), "Next step for P1 Garden: Build the compost bins") {
		t.Fatalf("share button: %q", botstest.Texts(e.Sent.Messages()))
	}
}

// Ensure a reply that holds all three answers is understood at once, in French.
func TestCheckin_DialogAllAtOnce(t *testing.T) {
	e := facEnv(t)
	e.Say("rita", ">/lang fr")
	advance(t, e, 9*time.Hour)
	if q := dmsTo(e, "rita"); len(q) != 1 || !strings.Contains(q[0].Text, "quelle est la prochaine étape ?") {
		t.Fatalf("question in French: %q", botstest.Texts(q))
	}
	out := e.Say("rita", ">on finit le prototype fin mars, c'est sur la liste")
	if len(out) != 2 || !strings.Contains(out[0].Text, "« on finit le prototype », pour le mercredi 31 mars 2027") || !strings.Contains(out[1].Text, "Merci") {
		t.Fatalf("answers: %q", botstest.Texts(out))
	}
	if ns := project(t, e, "P1").NextStep; ns == nil || !ns.Shared || ns.Due.Format("2006-01-02") != "2027-03-31" {
		t.Fatalf("next step %+v", ns)
	}
}

// Ensure an answer that cannot be understood is asked again once, saying precisely
// what is missing, and a second one leaves that question.
func TestCheckin_AskAgainOnce(t *testing.T) {
	e := facEnv(t)
	advance(t, e, 9*time.Hour)
	out := e.Say("rita", ">fin mars") // a date but no step
	if !strings.Contains(out[0].Text, "I need the step itself") || !strings.Contains(out[0].Text, "I noted the date: Wednesday 31 March 2027") {
		t.Fatalf("asked again: %q", botstest.Texts(out))
	}
	out = e.Say("rita", ">Sow the seeds")
	if !strings.Contains(lastText(out), "is it posted") {
		t.Fatalf("the date was kept, so the next question is the third: %q", botstest.Texts(out))
	}
	out = e.Say("rita", ">hmm")
	if !strings.Contains(out[0].Text, "Just yes or no, please") {
		t.Fatalf("asked again: %q", botstest.Texts(out))
	}
	out = e.Say("rita", ">perhaps")
	if !strings.Contains(out[0].Text, "not posted for the community yet") {
		t.Fatalf("second unclear answer: %q", botstest.Texts(out))
	}
	if ns := project(t, e, "P1").NextStep; ns == nil || ns.Shared || ns.Text != "Sow the seeds" {
		t.Fatalf("next step %+v", ns)
	}
	// The date question, asked again precisely, then left without a date.
	e.Say("rita", ">/checkin P1")
	e.Say("rita", ">Water the seeds")
	out = e.Say("rita", ">whenever")
	if !strings.Contains(out[0].Text, "I couldn't read a date in “whenever”") {
		t.Fatalf("date asked again: %q", botstest.Texts(out))
	}
	out = e.Say("rita", ">yesterday")
	if !strings.Contains(out[0].Text, "is it posted") {
		t.Fatalf("second unclear date leaves the date: %q", botstest.Texts(out))
	}
	e.Say("rita", ">yes")
	if ns := project(t, e, "P1").NextStep; ns.Text != "Water the seeds" || ns.Due != nil || !ns.Shared {
		t.Fatalf("next step %+v", ns)
	}
	// A compound length of time, as the whole answer to "by what date?".
	e.Say("rita", ">/checkin P1")
	e.Say("rita", ">Weed the beds")
	out = e.Say("rita", ">in 1 week and 2 days")
	if !strings.Contains(lastText(out), "by Thursday 10 December 2026: is it posted") {
		t.Fatalf("compound length: %q", botstest.Texts(out))
	}
}

// Ensure "same" keeps the step and offers to keep its date.
func TestCheckin_Same(t *testing.T) {
	e := facEnv(t)
	e.Say("rita", "/nextstep P1 Dig the beds by 2026-12-20")
	advance(t, e, 9*time.Hour)
	out := e.Say("rita", ">same")
	if len(out[0].Buttons) == 0 || !strings.HasPrefix(out[0].Buttons[0][0].Label, "Keep 20 Dec") {
		t.Fatalf("keep button: %+v", out)
	}
	out = e.Press("rita", out[0], "Keep")
	e.Press("rita", out[0], "Yes")
	if ns := project(t, e, "P1").NextStep; ns.Text != "Dig the beds" || ns.Due.Format("01-02") != "12-20" {
		t.Fatalf("next step %+v", ns)
	}
}

// Ensure a referent who does not answer gets one reminder after two days, with the
// question, and the facilitator is told two days later, once.
func TestCheckin_ReminderThenEscalation(t *testing.T) {
	e := facEnv(t)
	advance(t, e, 9*time.Hour)
	e.Sent.Reset()
	advance(t, e, 46*time.Hour) // asked at 18:00 Paris, 47 hours ago
	if n := len(dmsTo(e, "rita")); n != 0 {
		t.Fatalf("reminded too early: %d", n)
	}
	advance(t, e, time.Hour)
	if r := dmsTo(e, "rita"); len(r) != 1 || !strings.Contains(r[0].Text, "A reminder") || !strings.Contains(r[0].Text, "what is the next step?") {
		t.Fatalf("reminder: %q", botstest.Texts(r))
	}
	e.Sent.Reset()
	advance(t, e, 48*time.Hour)
	if f := dmsTo(e, "fay"); len(f) != 1 || !strings.Contains(f[0].Text, "rita has not answered the check-in about P1 Garden") {
		t.Fatalf("escalation: %q", botstest.Texts(e.Sent.Messages()))
	}
	e.Sent.Reset()
	advance(t, e, 4*24*time.Hour) // past the next slot: no more follow-ups
	if has(e.Sent.Messages(), "A reminder") || has(e.Sent.Messages(), "has not answered") {
		t.Fatalf("more follow-ups: %q", botstest.Texts(e.Sent.Messages()))
	}
}

// Ensure an answer stops the reminder.
func TestCheckin_AnswerStopsReminder(t *testing.T) {
	e := facEnv(t)
	advance(t, e, 9*time.Hour)
	e.Say("rita", ">Dig the beds by next friday, it's posted")
	e.Sent.Reset()
	advance(t, e, 5*24*time.Hour)
	if has(e.Sent.Messages(), "reminder") || has(e.Sent.Messages(), "has not answered") {
		t.Fatalf("followed up an answered prompt: %q", botstest.Texts(e.Sent.Messages()))
	}
}

// Ensure a referent who sets the next step with /nextstep instead of answering the
// questions counts as having answered: no reminder.
func TestCheckin_NextStepAnswers(t *testing.T) {
	e := facEnv(t)
	advance(t, e, 9*time.Hour)
	e.Say("rita", "/nextstep P1 Dig the beds by 2026-12-20")
	e.Sent.Reset()
	advance(t, e, 5*24*time.Hour)
	if has(e.Sent.Messages(), "A reminder") || has(e.Sent.Messages(), "has not answered") {
		t.Fatalf("followed up: %q", botstest.Texts(e.Sent.Messages()))
	}
	if out := e.Say("fay", "/members"); !strings.Contains(out[0].Text, "Check-in answers: 100% (1 of 1") {
		t.Errorf("answer rate: %q", out[0].Text)
	}
}

// Ensure the meeting check: with no meeting dated, the nudge carries one button that
// opens the date poll over the next three weeks' usual evening; with a meeting, the
// nudge shows it, has no button, and a poll is refused.
func TestCheckin_MeetingCheck(t *testing.T) {
	e := facEnv(t)
	advance(t, e, 9*time.Hour)
	nudge := nudges(e, "fay")
	if len(nudge) != 1 || !strings.Contains(nudge[0].Text, "has no date") || len(nudge[0].Buttons) != 1 {
		t.Fatalf("nudge without a meeting: %+v", nudge)
	}
	out := e.Press("fay", nudge[0], "date poll")
	// The button opens a form; asked field by field here, "-" keeps the default dates.
	if !strings.Contains(lastText(out), "Which dates to offer?") {
		t.Fatalf("form: %q", botstest.Texts(out))
	}
	e.Sent.Reset()
	out = e.Say("fay", ">-")
	want := []string{"Thursday 3 December 2026 at 19:00", "Thursday 10 December 2026 at 19:00", "Thursday 17 December 2026 at 19:00"}
	for _, w := range want {
		if !strings.Contains(lastText(out), w) || !strings.Contains(lastText(out), "V1") {
			t.Errorf("answer lacks V1 and %q: %q", w, lastText(out))
		}
	}
	// The date poll itself is posted in the community chat, one row of buttons a slot.
	posted := group(e)
	if len(posted) != 1 || !strings.Contains(posted[0].Text, "V1") || len(posted[0].Buttons) != 3 {
		t.Fatalf("date poll in the chat: %+v", posted)
	}
	for _, w := range want {
		if !strings.Contains(posted[0].Text, w) {
			t.Errorf("the poll lacks the slot %q: %q", w, posted[0].Text)
		}
	}
	if exp := e.Snapshot().Communities[0].Polls; len(exp) != 1 || exp[0].Method != "date" || exp[0].Status != "open" {
		t.Fatalf("polls: %+v", exp)
	}
	// While it is open, no second poll, and the nudge says so without a button.
	out = e.Say("fay", "/meeting poll 2026-12-10 19:00 | 2026-12-11 18:30")
	if !strings.Contains(lastText(out), "already open: V1") {
		t.Fatalf("a second date poll: %q", botstest.Texts(out))
	}
	e.Sent.Reset()
	e.Say("fay", "/checkin now")
	if nudge := nudges(e, "fay"); len(nudge) == 0 || !strings.Contains(nudge[0].Text, "date poll V1 is open") || len(nudge[0].Buttons) != 0 {
		t.Fatalf("nudge while the date poll is open: %+v", nudge)
	}
	// Closed, the facilitator's own dates open the next one.
	e.Say("fay", "/poll V1 close")
	out = e.Say("fay", "/meeting poll 2026-12-17 19:00 | 2026-12-18 18:30")
	if len(group(e)) == 0 || !strings.Contains(group(e)[len(group(e))-1].Text, "Friday 18 December 2026 at 18:30") {
		t.Fatalf("picked dates: %q / %+v", botstest.Texts(out), group(e))
	}
	e.Say("fay", "/poll V2 close")
	// A meeting dated: no poll.
	e.Sent.Reset()
	e.Say("fay", "/meeting new 2027-01-14 19:00 General meeting")
	if m := group(e); len(m) != 1 || m[0].Attachment == nil || m[0].Attachment.Type != "text/calendar" {
		t.Fatalf("announcement: %+v", m)
	}
	out = e.Say("fay", "/meeting poll")
	if !strings.Contains(lastText(out), "already has a date (M1, Thursday 14 January 2027 at 19:00)") {
		t.Fatalf("poll with a meeting dated: %q", botstest.Texts(out))
	}
	e.Sent.Reset()
	advance(t, e, 7*24*time.Hour)
	nudge = nudges(e, "fay")
	if len(nudge) == 0 || !strings.Contains(nudge[0].Text, "Next general meeting: M1 General meeting, Thursday 14 January 2027 at 19:00") || len(nudge[0].Buttons) != 0 {
		t.Fatalf("nudge with a meeting: %+v", nudge)
	}
	// Once the meeting is past, it counts as no date again.
	e.Sent.Reset()
	advance(t, e, 6*7*24*time.Hour)
	ns := nudges(e, "fay")
	if last := ns[len(ns)-1]; !strings.Contains(last.Text, "has no date") || len(last.Buttons) != 1 {
		t.Fatalf("nudge after the meeting: %q", last.Text)
	}
}

// Ensure a meeting's reminders go to the community 7 days and 1 day before, once,
// with the calendar file.
func TestMeeting_Reminders(t *testing.T) {
	e := facEnv(t)
	e.Say("fay", "/meeting new 2026-12-17 19:00 General meeting")
	out := e.Say("rita", "/meeting")
	ics := string(out[0].Attachment.Data)
	for _, w := range []string{"BEGIN:VEVENT", "DTSTART:20261217T180000Z", "DTEND:20261217T200000Z", "SUMMARY:General meeting", "DTSTAMP:20261201T090000Z"} {
		if !strings.Contains(ics, w) {
			t.Errorf("calendar file lacks %s:\n%s", w, ics)
		}
	}
	e.Sent.Reset()
	advance(t, e, 20*24*time.Hour)
	var reminders []string
	for _, m := range group(e) {
		if strings.HasPrefix(m.Text, "⏰") {
			reminders = append(reminders, m.Text)
			if m.Attachment == nil {
				t.Errorf("reminder without the calendar file")
			}
		}
	}
	if len(reminders) != 2 || !strings.HasPrefix(reminders[0], "⏰ In 7 days") || !strings.HasPrefix(reminders[1], "⏰ Tomorrow") {
		t.Fatalf("reminders: %q", reminders)
	}
}

// Ensure a slot with nobody to run it (the facilitator away, no backup) is not
// dropped: the referents are asked and the admins are told.
func TestSlot_NobodyAvailable(t *testing.T) {
	e := facEnv(t)
	out := e.Say("fay", "/away 2026-12-01 2026-12-03")
	if !strings.Contains(out[0].Text, "has nobody to run it: the admins will be told") {
		t.Fatalf("away answer: %q", out[0].Text)
	}
	advance(t, e, 9*time.Hour)
	if len(dmsTo(e, "fay")) != 0 {
		t.Fatal("the away facilitator got the nudge")
	}
	a := dmsTo(e, "alice")
	if len(a) != 1 || !strings.Contains(a[0].Text, "No facilitator is available") || !strings.Contains(a[0].Text, "fay is away and no backup is named") {
		t.Fatalf("admins: %q", botstest.Texts(e.Sent.Messages()))
	}
	if len(dmsTo(e, "rita")) != 1 {
		t.Fatal("the referent was not asked")
	}
}

// Ensure the backup gets the slot the week the facilitator is away, and the
// facilitator again afterwards.
func TestSlot_Backup(t *testing.T) {
	e := facEnv(t)
	e.Say("bea", "hi")
	e.Say("alice", "/role @bea facilitator")
	out := e.Say("fay", "/backup @bea")
	if !strings.Contains(out[0].Text, "bea is now the backup") {
		t.Fatalf("backup: %q", out[0].Text)
	}
	e.Say("fay", "/away 2026-12-01 2026-12-02")
	e.Sent.Reset()
	advance(t, e, 9*time.Hour)
	if b := nudges(e, "bea"); len(b) != 1 || !strings.Contains(b[0].Text, "(you stand in for fay)") {
		t.Fatalf("backup's nudge: %q", botstest.Texts(e.Sent.Messages()))
	}
	e.Sent.Reset()
	advance(t, e, 7*24*time.Hour)
	if len(nudges(e, "bea")) != 0 || len(nudges(e, "fay")) != 1 {
		t.Fatalf("next week: %q", botstest.Texts(e.Sent.Messages()))
	}
	// A member who is not a facilitator cannot be the backup.
	e.Say("mo", "hi")
	if out := e.Say("fay", "/backup @mo"); !strings.Contains(out[0].Text, "must be a facilitator or an admin") {
		t.Fatalf("member as backup: %q", out[0].Text)
	}
}

// Ensure /slot reads a day and a time as people type them, in the community's zone
// unless one is given, and refuses what is not one.
func TestSlot_Set(t *testing.T) {
	e := facEnv(t)
	for text, want := range map[string]string{
		"/slot mardi 18h30":                     "every Tuesday at 18:30 (Europe/Paris)",
		"/slot friday 9am America/Montreal":     "every Friday at 9:00 (America/Montreal)",
		"/slot 18:00":                           "as a day and a time",
		"/slot someday 18:00":                   "as a day and a time",
		"/slot tuesday 18:00 Mars/Olympus_Mons": "is not a time zone I know",
	} {
		if out := e.Say("fay", text); !strings.Contains(out[0].Text, want) {
			t.Errorf("%s: got %q, want %q", text, out[0].Text, want)
		}
	}
}

// Ensure /slot move moves this week's slot only, within its week.
func TestSlot_Move(t *testing.T) {
	e := facEnv(t)
	out := e.Say("fay", "/slot move thursday 10:00")
	if !strings.Contains(out[0].Text, "moves to Thursday 3 December 2026 at 10:00 (instead of Tuesday 1 December 2026 at 18:00)") {
		t.Fatalf("move: %q", out[0].Text)
	}
	out = e.Say("fay", "/slot move 2026-12-08 10:00")
	if !strings.Contains(out[0].Text, "only move within its own week") {
		t.Fatalf("move out of the week: %q", out[0].Text)
	}
	advance(t, e, 9*time.Hour) // Tuesday 18:00: nothing
	if len(dmsTo(e, "fay")) != 0 {
		t.Fatal("the slot fired at its usual time")
	}
	advance(t, e, 2*24*time.Hour) // Thursday 10:00 Paris has passed
	if f := nudges(e, "fay"); len(f) != 1 || !strings.Contains(f[0].Text, "Thursday 3 December 2026 at 10:00") {
		t.Fatalf("moved slot: %q", botstest.Texts(f))
	}
	e.Sent.Reset()
	advance(t, e, 5*24*time.Hour) // Tuesday 8 December, 18:00 Paris has passed
	if f := nudges(e, "fay"); len(f) != 1 || !strings.Contains(f[0].Text, "Tuesday 8 December 2026 at 18:00") {
		t.Fatalf("the week after: %q", botstest.Texts(e.Sent.Messages()))
	}
}

// Ensure /checkin now runs the check-in at once and skips this week's slot.
func TestCheckin_Now(t *testing.T) {
	e := facEnv(t)
	out := e.Say("fay", "/checkin now")
	if !strings.Contains(out[0].Text, "asking rita") || !strings.Contains(out[0].Text, "This week's slot (Tuesday 1 December 2026 at 18:00) is skipped") {
		t.Fatalf("checkin now: %q", out[0].Text)
	}
	if len(dmsTo(e, "rita")) != 1 || len(nudges(e, "fay")) != 1 {
		t.Fatalf("messages: %q", botstest.Texts(e.Sent.Messages()))
	}
	e.Sent.Reset()
	advance(t, e, 12*time.Hour)
	if has(e.Sent.Messages(), "facilitation hour") {
		t.Fatal("this week's slot still fired")
	}
	if out := e.Say("fay", "/slot"); !strings.Contains(out[0].Text, "Next: Tuesday 8 December 2026 at 18:00") {
		t.Fatalf("next slot: %q", out[0].Text)
	}
}

// Ensure a next step whose date passes asks its referent, the morning after.
func TestCheckin_StepDue(t *testing.T) {
	e := facEnv(t)
	advance(t, e, 9*time.Hour)
	e.Say("rita", ">Dig the beds by 2026-12-03, it's posted") // the slot's questions
	e.Sent.Reset()
	advance(t, e, 38*time.Hour) // Thursday 3 December, 10:00 Paris
	if has(dmsTo(e, "rita"), "has passed") {
		t.Fatal("asked before the date passed")
	}
	advance(t, e, 24*time.Hour) // Friday 4 December, 09:00 Paris
	r := dmsTo(e, "rita")
	if !has(r, "The date of the next step of P1 Garden has passed (“Dig the beds”, by Thursday 3 December 2026)") {
		t.Fatalf("due: %q", botstest.Texts(r))
	}
	e.Say("rita", ">Plant the bulbs by 2026-12-10, it's posted")
	if ns := project(t, e, "P1").NextStep; ns.Text != "Plant the bulbs" {
		t.Fatalf("next step %+v", ns)
	}
}

// Ensure the weekly digest goes to every linked chat, split within each platform's
// message size.
func TestDigest_Split(t *testing.T) {
	e := facEnv(t)
	out := e.Say("alice", "/community invite")
	code := regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(out[0].Text)
	join := e.Event("dan", "/community join "+code)
	join.Platform, join.ChatID = bots.PlatformDiscord, "chan-1"
	e.Handle(join)
	// The Env's dispatcher sends the "test" platform; this one sends Discord's.
	d := outbox.NewDispatcher(e.Engine, e.Bot, map[string]bots.Sender{bots.PlatformDiscord: e.Sent}, nil, nil)
	long := strings.Repeat("Dig, sow, water and weed the shared beds. ", 40) // about 1700 characters
	for i := range 5 {
		e.Say("rita", "/project new Garden "+string(rune('A'+i)))
		e.Say("rita", "/nextstep P"+string(rune('2'+i))+" "+long[:1500])
	}
	if err := d.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.Sent.Reset()
	e.Say("fay", "/digest")
	if err := d.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	var discord, test []string
	for _, m := range e.Sent.Messages() {
		switch m.Platform {
		case bots.PlatformDiscord:
			discord = append(discord, m.Text)
		case "test":
			if !m.Direct {
				test = append(test, m.Text)
			}
		}
	}
	if len(discord) < 4 {
		t.Fatalf("discord got %d parts, want the digest split", len(discord))
	}
	for _, p := range discord {
		if n := len([]rune(p)); n > bots.MaxMessageLen(bots.PlatformDiscord) {
			t.Errorf("a discord part holds %d characters", n)
		}
	}
	for _, p := range test {
		if n := len([]rune(p)); n > bots.DefaultMessageLen {
			t.Errorf("a part holds %d characters", n)
		}
	}
	if len(test) >= len(discord) || strings.Join(discord, "\n") != strings.Join(test, "\n") {
		t.Errorf("the %d Discord parts and the %d others do not join into the same digest", len(discord), len(test))
	}
	if !strings.HasPrefix(discord[0], "🗞️ Club: the week's digest") || !strings.Contains(discord[len(discord)-1], "No date yet for the next general meeting") {
		t.Errorf("first or last part: %q … %q", discord[0], discord[len(discord)-1])
	}
}

// Ensure /members shows the health signals against the rules of thumb.
func TestMembers_Health(t *testing.T) {
	e := facEnv(t)
	out := e.Say("fay", "/members")
	for _, w := range []string{"Members: 3, aim for about 100", "Active projects: 1, fewer than the 2–3 recommended", "Check-in answers: none asked yet"} {
		if !strings.Contains(out[0].Text, w) {
			t.Errorf("/members lacks %q:\n%s", w, out[0].Text)
		}
	}
	advance(t, e, 9*time.Hour)
	e.Say("rita", ">Dig the beds by next friday, it's posted")
	out = e.Say("fay", "/members")
	if !strings.Contains(out[0].Text, "Check-in answers: 100% (1 of 1 in 12 weeks)") {
		t.Errorf("/members after an answer:\n%s", out[0].Text)
	}
}

// Ensure /forgetme drops what the check-ins keep about the person, and linking two
// identities carries it over.
func TestCheckin_ForgetAndLink(t *testing.T) {
	e := facEnv(t)
	e.Say("fay", "/away 2026-12-20 2026-12-24")
	advance(t, e, 9*time.Hour)
	// fay links a second account: the slot, her absence and the prompt follow.
	out := e.Say("fay", ">/link")
	code := regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(out[0].Text)
	ev := e.Event("fay2", "/link "+code)
	ev.Platform, ev.UserID, ev.ChatID, ev.Direct = "other", "F2", "dm:F2", true
	e.Handle(ev)
	ev = e.Event("fay2", "/away")
	ev.Platform, ev.UserID, ev.ChatID, ev.Direct = "other", "F2", "dm:F2", true
	if out := e.Handle(ev); !strings.Contains(out[0].Text, "Sunday 20 December 2026 → Thursday 24 December 2026") {
		t.Fatalf("absence after the link: %q", botstest.Texts(out))
	}
	if out := e.Say("alice", "/slot"); !strings.Contains(out[0].Text, "run by fay") {
		t.Fatalf("slot after the link: %q", out[0].Text)
	}
	// rita forgets herself: her prompt stays for the answer rate, without her.
	out = e.Say("rita", "/forgetme")
	e.Press("rita", out[0], "erase")
	var found bool
	err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
		prs, err := tx.Prompts("c1", time.Time{})
		for _, pr := range prs {
			found = true
			if pr.Person != "" {
				t.Errorf("prompt still names %s", pr.Person)
			}
		}
		return err
	})
	if err != nil || !found {
		t.Fatalf("prompts: %v, found %v", err, found)
	}
	// fay forgets herself: the slot stays, with no facilitator; the admins are told.
	out = e.Say("fay", "/forgetme")
	e.Press("fay", out[0], "erase")
	if out := e.Say("alice", "/slot"); !strings.Contains(out[0].Text, "run by nobody") {
		t.Fatalf("slot after forgetting: %q", out[0].Text)
	}
	e.Sent.Reset()
	advance(t, e, 7*24*time.Hour)
	if !has(dmsTo(e, "alice"), "no facilitator is named") {
		t.Fatalf("admins not told: %q", botstest.Texts(e.Sent.Messages()))
	}
}

// Ensure /impact shows the figures recorded each week, with a PNG chart, and refuses
// a span it cannot show.
func TestImpact(t *testing.T) {
	e := facEnv(t)
	advance(t, e, 9*time.Hour)
	e.Say("rita", ">Dig the beds by next friday, it's posted")
	advance(t, e, 3*7*24*time.Hour)
	out := e.Say("fay", "/impact weeks 8")
	if len(out) != 1 || out[0].Attachment == nil || out[0].Attachment.Type != "image/png" {
		t.Fatalf("impact: %+v", out)
	}
	if png := out[0].Attachment.Data; len(png) < 1000 || string(png[1:4]) != "PNG" {
		t.Fatalf("not a PNG: %d bytes", len(png))
	}
	if !strings.Contains(out[0].Text, "the figures of the last 8 weeks (3 weekly records since 7 Dec)") {
		t.Errorf("impact text: %q", out[0].Text)
	}
	if out := e.Say("rita", "/impact"); !strings.HasPrefix(out[0].Text, "Only ") {
		t.Errorf("a referent saw the figures: %q", out[0].Text)
	}
	if out := e.Say("fay", "/impact weeks 500"); !strings.Contains(out[0].Text, "from 1 to 104") {
		t.Errorf("500 weeks: %q", out[0].Text)
	}
}

// BenchmarkWeeklySlot measures a week of facilitation in a community of 100 members
// and 30 projects: the slot (choosing among the referents, asking, the nudge), the end
// of the hour (summary, digest), reminders and escalations, the weekly figures.
func BenchmarkWeeklySlot(b *testing.B) {
	e := botstest.NewEnv(b, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Club tz Europe/Paris lang en")
	for i := range 30 {
		e.Say("ref"+strconv.Itoa(i), "/project new Project "+strconv.Itoa(i))
	}
	for i := range 70 {
		e.Say("member"+strconv.Itoa(i), "hello")
	}
	e.Say("fay", "hello")
	e.Say("alice", "/role @fay facilitator")
	e.Say("fay", "/slot tuesday 18:00")
	ctx := context.Background()
	for b.Loop() {
		if err := e.Scheduler.Advance(ctx, e.Clock.Now().Add(7*24*time.Hour), e.Clock, e.Dispatcher.Flush); err != nil {
			b.Fatal(err)
		}
		e.Sent.Reset()
	}
}

// Ensure the digest shows the open campaigns' progress and /impact the money
// pledged, collected and spent.
func TestDigest_Campaigns(t *testing.T) {
	e := facEnv(t)
	e.Say("alice", "/campaign new donation Seeds goal 500 until 2026-12-31")
	e.Say("bob", "/pledge C1 25")
	e.Say("alice", "/collect C1 20 from bob")
	e.Sent.Reset()
	e.Say("fay", "/digest")
	if g := group(e); len(g) != 1 || !strings.Contains(g[0].Text, "Campaigns:\n• C1 Seeds: €25.00 of €500.00 (5%), 1 backer, until 31 Dec") {
		t.Fatalf("digest: %q", botstest.Texts(g))
	}
	out := e.Say("fay", "/impact")
	if !strings.Contains(out[0].Text, "• Money: €25.00 pledged · €20.00 collected · €0.00 spent") {
		t.Fatalf("impact: %q", out[0].Text)
	}
}
