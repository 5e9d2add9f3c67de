package bots_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
)

// meetingEnv is dateEnv (alice admin, bob member, Tuesday 1 December 2026) with
// carol, dave and erin members too, and M1 dated Thursday 17 December at 19:00 with
// places (none when 0).
func meetingEnv(t *testing.T, lang string, places int) *botstest.Env {
	t.Helper()
	e := dateEnv(t, lang)
	for _, u := range []string{"carol", "dave", "erin"} {
		e.Say(u, "hello")
	}
	cmd := "/meeting new 2026-12-17 19:00 General meeting"
	if lang == "fr" {
		cmd = "/reunion nouvelle 2026-12-17 19h AG"
	}
	if places > 0 {
		cmd += " places " + strconv.Itoa(places)
	}
	e.Say("alice", cmd)
	return e
}

// meetingShot returns M1 of the exported state.
func meetingShot(t *testing.T, e *botstest.Env) core.MeetingSnapshot {
	t.Helper()
	ms := e.Snapshot().Communities[0].Meetings
	if len(ms) == 0 {
		t.Fatal("no meeting exported")
	}
	return ms[0]
}

// lastCard returns the last meeting card sent to the group (post or edit).
func lastCard(t *testing.T, e *botstest.Env) bots.Message {
	t.Helper()
	var card *bots.Message
	for _, m := range e.Sent.Messages() {
		if !m.Direct && m.Ref == "meeting:"+string(e.Snapshot().Communities[0].ID)+":M1" {
			m := m
			card = &m
		}
	}
	if card == nil {
		t.Fatalf("no meeting card in %q", botstest.Texts(e.Sent.Messages()))
	}
	return *card
}

// Ensure /meeting new posts one live card with the calendar file and the answers'
// buttons; answers fill the places, then the waiting list in order; a place freed
// (a no, a maybe, places raised) goes to the next waiting, who is told privately
// with a calendar file that says they are coming; the card shows the counts.
func TestMeeting_RSVPWaitingList(t *testing.T) {
	e := dateEnv(t, "en")
	for _, u := range []string{"carol", "dave", "erin"} {
		e.Say(u, "hello")
	}
	e.Sent.Reset()
	e.Say("alice", "/meeting new 2026-12-17 19:00 General meeting places 2")
	card := lastCard(t, e)
	if card.Attachment == nil || !strings.Contains(string(card.Attachment.Data), "BEGIN:VCALENDAR") {
		t.Errorf("the card has no calendar file: %+v", card)
	}
	if !strings.Contains(card.Text, "0 coming · 🤔 0 maybe · 2 of 2 places left") || len(card.Buttons) != 1 || len(card.Buttons[0]) != 3 {
		t.Fatalf("card: %q %+v", card.Text, card.Buttons)
	}
	// bob by the button, carol and dave by command.
	e.Press("bob", card, "Coming")
	if out := e.Say("carol", "/meeting M1 yes"); len(out) != 1 || !strings.Contains(out[0].Text, "You are coming to M1") {
		t.Fatalf("carol: %q", botstest.Texts(out))
	}
	if out := e.Say("dave", "/meeting M1 yes"); !strings.Contains(out[0].Text, "All 2 places of M1 are taken: you are number 1 on the waiting list") {
		t.Fatalf("dave: %q", botstest.Texts(out))
	}
	e.Say("erin", "/meeting M1 yes")
	if out := e.Say("erin", "/meeting M1 yes"); !strings.Contains(out[0].Text, "already number 2 on the waiting list of M1: nothing changed") {
		t.Errorf("erin again: %q", botstest.Texts(out))
	}
	if out := e.Say("carol", "/meeting M1 yes"); !strings.Contains(out[0].Text, "You already answered coming for M1: nothing changed") {
		t.Errorf("carol again: %q", botstest.Texts(out))
	}
	advance(t, e, 5*time.Second) // the card's edit pacing
	if c := lastCard(t, e); !c.Edit || !strings.Contains(c.Text, "2 coming · 🤔 0 maybe · 0 of 2 places left · ⏳ 2 waiting") {
		t.Errorf("card after the answers: %q", c.Text)
	}
	if s := meetingShot(t, e); s.Coming != 2 || s.Waiting != 2 || s.Places != 2 {
		t.Errorf("export: %+v", s)
	}
	// bob says maybe: dave, first waiting, gets his place and is told privately.
	e.Sent.Reset()
	e.Say("bob", "/meeting M1 maybe")
	told := dmsTo(e, "dave")
	if len(told) != 1 || !strings.Contains(told[0].Text, "A place freed up at the general meeting M1") || told[0].Attachment == nil ||
		!strings.Contains(string(told[0].Attachment.Data), "PARTSTAT=ACCEPTED") {
		t.Fatalf("dave told: %+v", told)
	}
	if len(dmsTo(e, "erin")) != 0 {
		t.Errorf("erin told before her turn")
	}
	// Raising the places serves erin.
	if out := e.Say("bob", "/meeting M1 places 3"); !strings.Contains(out[0].Text, "Only facilitators") {
		t.Errorf("member sets places: %q", botstest.Texts(out))
	}
	e.Sent.Reset()
	if out := e.Say("alice", "/meeting M1 places 3"); !strings.Contains(out[0].Text, "M1 now has 3 places: 3 coming, 0 left. Given a place from the waiting list, and told: erin") {
		t.Errorf("places 3: %q", botstest.Texts(out))
	}
	if !has(dmsTo(e, "erin"), "A place freed up") {
		t.Errorf("erin not told")
	}
	s := meetingShot(t, e)
	if s.Coming != 3 || s.Maybe != 1 || s.Waiting != 0 || s.Places != 3 {
		t.Errorf("export: %+v", s)
	}
}

// Ensure bad places are refused clearly and nothing is dated or changed: places 0,
// negative, not a number, missing; the same number again; and a word after M1
// that is not an action.
func TestMeeting_PlacesRefused(t *testing.T) {
	e := dateEnv(t, "en")
	for _, cmd := range []string{
		"/meeting new 2026-12-17 19:00 General meeting places 0",
		"/meeting new 2026-12-17 19:00 General meeting places -3",
		"/meeting new 2026-12-17 19:00 General meeting places many",
		"/meeting new 2026-12-17 19:00 General meeting places",
	} {
		out := e.Say("alice", cmd)
		if len(out) != 1 || !strings.Contains(out[0].Text, "The places are a whole number from 1 to") {
			t.Errorf("%s: %q", cmd, botstest.Texts(out))
		}
	}
	if ms := e.Snapshot().Communities[0].Meetings; len(ms) != 0 {
		t.Fatalf("a meeting was dated: %+v", ms)
	}
	e.Say("alice", "/meeting new 2026-12-17 19:00 General meeting places 5")
	before := meetingShot(t, e)
	for cmd, want := range map[string]string{
		"/meeting M1 places 0":     "whole number from 1",
		"/meeting M1 places x":     "whole number from 1",
		"/meeting M1 places 5":     "M1 already has 5 places: nothing changed",
		"/meeting M1 places":       "/meeting new DATE TITLE",
		"/meeting M1 yes please":   "/meeting new DATE TITLE",
		"/meeting M1 frobnicate":   "cannot do “frobnicate”",
		"/meeting M1 attendees me": "/meeting new DATE TITLE",
	} {
		if out := e.Say("alice", cmd); len(out) != 1 || !strings.Contains(out[0].Text, want) {
			t.Errorf("%s: %q", cmd, botstest.Texts(out))
		}
	}
	if after := meetingShot(t, e); after != before {
		t.Errorf("changed: %+v → %+v", before, after)
	}
	// French: the same refusals, in French.
	f := dateEnv(t, "fr")
	if out := f.Say("alice", "/reunion nouvelle 2026-12-17 19h AG places 0"); !strings.Contains(out[0].Text, "Les places sont un nombre entier de 1 à") {
		t.Errorf("fr: %q", out[0].Text)
	}
	f.Say("alice", "/reunion nouvelle 2026-12-17 19h AG")
	if out := f.Say("alice", "/reunion M1 bidule"); !strings.Contains(out[0].Text, "ne sait pas faire « bidule »") || !strings.Contains(out[0].Text, "participants") {
		t.Errorf("fr unknown action: %q", out[0].Text)
	}
}

// Ensure French answers (oui, peut-être, non) work after /reunion M1 while « oui »
// still confirms elsewhere, and the receipts and card are in French.
func TestMeeting_RSVPFrench(t *testing.T) {
	e := meetingEnv(t, "fr", 1)
	if out := e.Say("bob", "/reunion M1 oui"); !strings.Contains(out[0].Text, "Vous venez à M1 AG") {
		t.Fatalf("oui: %q", botstest.Texts(out))
	}
	if out := e.Say("carol", "/reunion M1 oui"); !strings.Contains(out[0].Text, "vous êtes numéro 1 sur la liste d'attente") {
		t.Fatalf("carol: %q", botstest.Texts(out))
	}
	e.Sent.Reset()
	if out := e.Say("bob", "/reunion M1 peut-être"); !strings.Contains(out[0].Text, "Noté : peut-être pour M1") {
		t.Fatalf("peut-être: %q", botstest.Texts(out))
	}
	if !has(dmsTo(e, "carol"), "Une place s'est libérée") {
		t.Errorf("carol not told")
	}
	if out := e.Say("dave", "/reunion M1 non"); !strings.Contains(out[0].Text, "vous ne venez pas à M1") {
		t.Errorf("non: %q", botstest.Texts(out))
	}
	advance(t, e, 5*time.Second)
	if c := lastCard(t, e); !strings.Contains(c.Text, "1 vient · 🤔 1 peut-être · 0 place libre sur 1") {
		t.Errorf("card: %q", c.Text)
	}
	// « oui » still confirms a cancellation.
	e.Say("alice", "/reunion M1 annuler oui")
	if s := meetingShot(t, e); s.Canceled == nil {
		t.Errorf("/reunion M1 annuler oui did not cancel")
	}
	if out := e.Say("erin", "/reunion M1 oui"); !strings.Contains(out[0].Text, "M1 est annulée") {
		t.Errorf("answer to a canceled meeting: %q", botstest.Texts(out))
	}
}

// Ensure attendance is taken only while the meeting is under way: I'm here (button
// and command) for oneself, /meeting M1 present @a @b for facilitators; a
// non-member mention and a member recording others are refused with nothing
// changed; the card shows the count; after the end it is refused again.
func TestMeeting_Attendance(t *testing.T) {
	e := meetingEnv(t, "en", 0)
	e.Say("carol", "/meeting M1 yes")
	if out := e.Say("bob", "/meeting M1 here"); !strings.Contains(out[0].Text, "M1 is not under way: who is present is recorded from its start to its end (Thursday 17 December 2026 at 19:00 to Thursday 17 December 2026 at 21:00)") {
		t.Fatalf("before: %q", botstest.Texts(out))
	}
	if out := e.Say("alice", "/meeting M1 present @carol"); !strings.Contains(out[0].Text, "not under way") {
		t.Fatalf("before, facilitator: %q", botstest.Texts(out))
	}
	e.Sent.Reset()
	advance(t, e, 16*24*time.Hour+9*time.Hour+10*time.Minute) // Thursday 17 December, 19:10 Paris
	card := lastCard(t, e)
	if len(card.Buttons) != 2 || !strings.Contains(card.Text, "🙋 0 present") {
		t.Fatalf("card at the start: %q %+v", card.Text, card.Buttons)
	}
	if out := e.Press("bob", card, "I'm here"); !strings.Contains(out[0].Text, "You are recorded present at M1 (1 present)") {
		t.Errorf("button: %q", botstest.Texts(out))
	}
	if out := e.Say("bob", "/meeting M1 here"); !strings.Contains(out[0].Text, "already recorded present") {
		t.Errorf("twice: %q", botstest.Texts(out))
	}
	if out := e.Say("bob", "/meeting M1 present @carol"); !strings.Contains(out[0].Text, "Only facilitators") {
		t.Errorf("member records others: %q", botstest.Texts(out))
	}
	if out := e.Say("alice", "/meeting M1 present @carol @nobody"); len(out) != 1 || !strings.Contains(strings.ToLower(out[0].Text), "nobody") {
		t.Errorf("non-member: %q", botstest.Texts(out))
	}
	if s := meetingShot(t, e); s.Present != 1 {
		t.Fatalf("present after refusals = %d, want 1", s.Present)
	}
	if out := e.Say("alice", "/meeting M1 present @carol @dave"); !strings.Contains(out[0].Text, "Recorded present at M1: carol, dave (3 present)") {
		t.Errorf("present: %q", botstest.Texts(out))
	}
	advance(t, e, 5*time.Second)
	if c := lastCard(t, e); !strings.Contains(c.Text, "🙋 3 present") {
		t.Errorf("card: %q", c.Text)
	}
	var present []core.PersonID
	if err := e.Engine.View(t.Context(), func(tx *core.Tx) error {
		var err error
		present, err = tx.MeetingPresent(e.Snapshot().Communities[0].ID, "M1")
		return err
	}); err != nil || len(present) != 3 {
		t.Errorf("MeetingPresent = %v, %v", present, err)
	}
	// Over: refused, the card loses its buttons.
	advance(t, e, 2*time.Hour)
	if out := e.Say("erin", "/meeting M1 here"); !strings.Contains(out[0].Text, "not under way") {
		t.Errorf("after: %q", botstest.Texts(out))
	}
	if c := lastCard(t, e); len(c.Buttons) != 0 || !strings.Contains(c.Text, "over") {
		t.Errorf("card after the end: %q %+v", c.Text, c.Buttons)
	}
	if out := e.Say("erin", "/meeting M1 yes"); !strings.Contains(out[0].Text, "M1 is over: nothing changed") {
		t.Errorf("answer after: %q", botstest.Texts(out))
	}
}

// Ensure /meeting M1 attendees lists the names by answer, the waiting list in
// order, to facilitators and admins only.
func TestMeeting_Attendees(t *testing.T) {
	e := meetingEnv(t, "en", 1)
	e.Say("bob", "/meeting M1 yes")
	e.Say("carol", "/meeting M1 yes")
	e.Say("dave", "/meeting M1 yes")
	e.Say("erin", "/meeting M1 no")
	if out := e.Say("bob", "/meeting M1 attendees"); !strings.Contains(out[0].Text, "Only facilitators") {
		t.Errorf("member: %q", botstest.Texts(out))
	}
	out := e.Say("alice", "/meeting M1 attendees")
	for _, want := range []string{"✅ Coming (1): bob", "⏳ Waiting list (2): 1. carol, 2. dave", "❌ Not coming (1): erin", "🤔 Maybe (0): nobody"} {
		if !strings.Contains(out[0].Text, want) {
			t.Errorf("missing %q in %q", want, out[0].Text)
		}
	}
	fr := meetingEnv(t, "fr", 0)
	fr.Say("bob", "/reunion M1 oui")
	if out := fr.Say("alice", "/reunion M1 participants"); !strings.Contains(out[0].Text, "✅ Viennent (1) : bob") {
		t.Errorf("fr: %q", botstest.Texts(out))
	}
}

// Ensure the reminders (7 days and 1 day before) still go to the group, and
// privately to those coming or maybe only, with a calendar file carrying their answer.
func TestMeeting_RemindersToAttendees(t *testing.T) {
	e := meetingEnv(t, "en", 0)
	e.Say("bob", "/meeting M1 yes")
	e.Say("carol", "/meeting M1 maybe")
	e.Say("dave", "/meeting M1 no")
	e.Sent.Reset()
	advance(t, e, (15*24+10)*time.Hour) // Wednesday 16 December, 19:00
	if !has(group(e), "⏰ Tomorrow: general meeting M1") {
		t.Errorf("no group reminder: %q", botstest.Texts(e.Sent.Messages()))
	}
	msgs := e.Sent.Messages()
	var bob, carol []bots.Message
	for _, m := range msgs {
		if m.Direct && m.UserID == "bob" && strings.HasPrefix(m.Text, "⏰") {
			bob = append(bob, m)
		}
		if m.Direct && m.UserID == "carol" && strings.HasPrefix(m.Text, "⏰") {
			carol = append(carol, m)
		}
		if m.Direct && (m.UserID == "dave" || m.UserID == "erin") && strings.HasPrefix(m.Text, "⏰") {
			t.Errorf("reminded privately: %s %q", m.UserID, m.Text)
		}
	}
	// 7 days and 1 day before, like the group.
	if len(bob) != 2 || !strings.HasPrefix(bob[0].Text, "⏰ In 7 days") || !strings.HasPrefix(bob[1].Text, "⏰ Tomorrow") ||
		!strings.Contains(bob[1].Text, "You said: coming") || bob[1].Attachment == nil || !strings.Contains(string(bob[1].Attachment.Data), "PARTSTAT=ACCEPTED") {
		t.Errorf("bob: %+v", bob)
	}
	if len(carol) != 2 || !strings.Contains(carol[1].Text, "Will you come?") || len(carol[1].Buttons) != 1 || !strings.Contains(string(carol[1].Attachment.Data), "PARTSTAT=TENTATIVE") {
		t.Errorf("carol: %+v", carol)
	}
}

// Ensure a move and a cancellation tell those who answered their answer, privately,
// with a calendar file that carries it, and the card follows.
func TestMeeting_MoveCancelTellAttendees(t *testing.T) {
	e := meetingEnv(t, "en", 0)
	e.Say("bob", "/meeting M1 yes")
	e.Sent.Reset()
	e.Say("alice", "/meeting M1 move 2026-12-18")
	bob := dmsTo(e, "bob")
	if len(bob) != 1 || !strings.Contains(bob[0].Text, "You had answered: coming") || !strings.Contains(string(bob[0].Attachment.Data), "PARTSTAT=ACCEPTED") || len(bob[0].Buttons) != 1 {
		t.Errorf("bob told of the move: %+v", bob)
	}
	if carol := dmsTo(e, "carol"); len(carol) != 1 || strings.Contains(carol[0].Text, "You had answered") {
		t.Errorf("carol (no answer): %+v", carol)
	}
	advance(t, e, 5*time.Second)
	if c := lastCard(t, e); !strings.Contains(c.Text, "Friday 18 December 2026 at 19:00") {
		t.Errorf("card not moved: %q", c.Text)
	}
	out := e.Say("alice", "/meeting M1 cancel")
	e.Sent.Reset()
	e.Press("alice", out[0], "Yes")
	if bob := dmsTo(e, "bob"); len(bob) != 1 || !strings.Contains(bob[0].Text, "is canceled. You had answered: coming") {
		t.Errorf("bob told of the cancellation: %+v", bob)
	}
	advance(t, e, 5*time.Second)
	if c := lastCard(t, e); !strings.Contains(c.Text, "canceled") || len(c.Buttons) != 0 {
		t.Errorf("card: %q %+v", c.Text, c.Buttons)
	}
}

// Ensure /meeting M1 minutes (facilitators) is refused before the meeting, posts
// the minutes with the results of the polls closed during it or attached to it
// (not the others), is
// kept in the export and found by /find.
func TestMeeting_Minutes(t *testing.T) {
	e := meetingEnv(t, "en", 0)
	e.Say("alice", "/poll new single Before? | Yes | No")
	e.Say("alice", "/poll V1 close")
	e.Say("alice", "/poll new single Postal vote? | Yes | No meeting M1") // attached: in the minutes wherever it closed
	e.Say("alice", "/poll V2 close")
	if out := e.Say("alice", "/meeting M1 minutes Budget adopted"); !strings.Contains(out[0].Text, "M1 has not started yet") {
		t.Errorf("early: %q", botstest.Texts(out))
	}
	advance(t, e, 16*24*time.Hour+9*time.Hour+10*time.Minute) // during the meeting
	e.Say("alice", "/poll new single Adopt the budget? | Yes | No")
	e.Say("bob", "/vote V3 1")
	e.Say("alice", "/poll V3 close")
	if out := e.Say("bob", "/meeting M1 minutes I was there"); !strings.Contains(out[0].Text, "Only facilitators") {
		t.Errorf("member: %q", botstest.Texts(out))
	}
	if out := e.Say("alice", "/meeting M1 minutes"); !strings.Contains(out[0].Text, "/meeting new DATE TITLE") {
		t.Errorf("empty: %q", botstest.Texts(out))
	}
	e.Sent.Reset()
	e.Say("alice", "/meeting M1 minutes The budget is adopted; next meeting in June.")
	var minutes string
	for _, m := range group(e) {
		if strings.HasPrefix(m.Text, "📝") {
			minutes = m.Text
		}
	}
	if !strings.Contains(minutes, "Minutes of the general meeting M1 General meeting") || !strings.Contains(minutes, "The budget is adopted") ||
		!strings.Contains(minutes, "V3 · Adopt the budget?") || !strings.Contains(minutes, "V2 · Postal vote?") || strings.Contains(minutes, "Before?") {
		t.Errorf("minutes: %q", minutes)
	}
	if s := meetingShot(t, e); s.Minutes != "The budget is adopted; next meeting in June." || s.MinutesAt == nil {
		t.Errorf("export: %+v", s)
	}
	if out := e.Say("bob", "/find budget june"); !strings.Contains(out[0].Text, "M1 (minutes") {
		t.Errorf("find: %q", botstest.Texts(out))
	}
}

// Ensure /forgetme drops the member's answer and attendance, and the place they
// held goes to the next waiting, who is told.
func TestMeeting_ForgetMe(t *testing.T) {
	e := meetingEnv(t, "en", 1)
	e.Say("bob", "/meeting M1 yes")
	e.Say("carol", "/meeting M1 yes")
	e.Sent.Reset()
	e.Say("bob", "/forgetme confirm")
	if !has(dmsTo(e, "carol"), "A place freed up") {
		t.Errorf("carol not told: %q", botstest.Texts(e.Sent.Messages()))
	}
	if s := meetingShot(t, e); s.Coming != 1 || s.Waiting != 0 {
		t.Errorf("export: %+v", s)
	}
	out := e.Say("alice", "/meeting M1 attendees")
	if strings.Contains(out[0].Text, "bob") || !strings.Contains(out[0].Text, "Coming (1): carol") {
		t.Errorf("attendees: %q", out[0].Text)
	}
}

// Ensure attendance and minutes are refused in French too before the meeting, and
// work with their French words during it.
func TestMeeting_AttendanceMinutesFrench(t *testing.T) {
	e := meetingEnv(t, "fr", 0)
	if out := e.Say("bob", "/reunion M1 ici"); !strings.Contains(out[0].Text, "M1 n'est pas en cours : les présents se notent de son début à sa fin") {
		t.Errorf("ici: %q", botstest.Texts(out))
	}
	if out := e.Say("alice", "/reunion M1 compte-rendu Adopté"); !strings.Contains(out[0].Text, "M1 n'a pas encore commencé") {
		t.Errorf("compte-rendu: %q", botstest.Texts(out))
	}
	advance(t, e, 16*24*time.Hour+9*time.Hour+10*time.Minute)
	if out := e.Say("bob", "/reunion M1 ici"); !strings.Contains(out[0].Text, "Vous êtes noté présent à M1 (1 présent)") {
		t.Errorf("ici: %q", botstest.Texts(out))
	}
	if out := e.Say("alice", "/reunion M1 présent @carol @dave"); !strings.Contains(out[0].Text, "Notés présents à M1 : carol, dave (3 présents)") {
		t.Errorf("présent: %q", botstest.Texts(out))
	}
	e.Sent.Reset()
	e.Say("alice", "/reunion M1 compte-rendu Budget adopté.")
	if !has(group(e), "📝 Compte rendu de la réunion générale M1 AG") {
		t.Errorf("minutes: %q", botstest.Texts(e.Sent.Messages()))
	}
	if out := e.Say("bob", "/chercher budget"); !strings.Contains(out[0].Text, "M1 (compte rendu") {
		t.Errorf("chercher: %q", botstest.Texts(out))
	}
}
