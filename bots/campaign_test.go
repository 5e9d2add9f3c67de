package bots_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
	"github.com/google/go-cmp/cmp"
)

// campaignEnv makes a community in lang where alice is admin, fay facilitator, rita
// the referent of P1 (followed by bob), carol, dan and erin members; C1 is a reward
// campaign of 500 € until 20 December for P1, all or nothing, with R1 (20 €, 2
// units) and R2 (100 €). Every member speaks lang. Pending edits are sent.
func campaignEnv(t *testing.T, lang string, tune func(*bots.Config)) *botstest.Env {
	t.Helper()
	e := botstest.NewEnv(t, botstest.Options{NoSync: true, Lang: "en", Tune: tune})
	e.Say("alice", "/community create Club lang "+lang)
	e.Say("rita", "/project new Bakery — bread for the street")
	for _, who := range []string{"alice", "rita", "fay", "bob", "carol", "dan", "erin"} {
		e.Say(who, "/lang "+lang)
	}
	e.Say("alice", "/role @fay facilitator")
	e.Say("bob", "/follow P1")
	e.Say("alice", "/campaign new reward Oven goal 500 € until 2026-12-20 for P1")
	e.Say("alice", "/reward C1 20 Loaf limit 2")
	e.Say("alice", "/reward C1 100 Workshop")
	settle(t, e)
	return e
}

// settle moves the clock a minute on and sends what fell due (throttled edits).
func settle(t *testing.T, e *botstest.Env) {
	t.Helper()
	e.Clock.Set(e.Clock.Now().Add(time.Minute))
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.Sent.Reset()
}

// campaignState is everything a campaign command may change.
type campaignState struct {
	Snap    *core.Snapshot
	Pledges []core.PledgeRow
	Ledger  [][]*core.LedgerLine
}

func state(t *testing.T, e *botstest.Env) campaignState {
	t.Helper()
	s := campaignState{Snap: e.Snapshot()}
	if err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
		var err error
		if s.Pledges, err = tx.PledgeRows(); err != nil {
			return err
		}
		cs, err := tx.Communities()
		if err != nil {
			return err
		}
		for _, c := range cs {
			camps, err := tx.Campaigns(c.ID)
			if err != nil {
				return err
			}
			for _, camp := range camps {
				l, err := tx.Ledger(camp)
				if err != nil {
					return err
				}
				s.Ledger = append(s.Ledger, l)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

func campaignShot(t *testing.T, e *botstest.Env, id string) core.CampaignSnapshot {
	t.Helper()
	for _, c := range e.Snapshot().Communities[0].Campaigns {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no campaign %s", id)
	return core.CampaignSnapshot{}
}

// refuse runs text as who and checks the answer is one message holding want, that
// nothing changed and that nothing was sent, even once delayed messages fall due.
func refuse(t *testing.T, e *botstest.Env, who, text, want string) {
	t.Helper()
	settle(t, e) // what earlier commands left to send goes first
	before := state(t, e)
	out := e.Say(who, text)
	e.Clock.Set(e.Clock.Now().Add(time.Minute))
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || !strings.Contains(out[0].Text, want) {
		t.Fatalf("%s: got %q, want an answer containing %q", text, botstest.Texts(out), want)
	}
	if private := strings.HasPrefix(text, "/pledge") || strings.HasPrefix(text, "/schedule") || strings.HasPrefix(text, "/refund"); private && (!out[0].Direct || !out[0].Ephemeral) {
		t.Fatalf("%s: the refusal is not private: %+v", text, out[0])
	}
	if strings.Contains(out[0].Text, "[") && strings.Contains(out[0].Text, "err.") {
		t.Fatalf("%s: template missing: %q", text, out[0].Text)
	}
	if n := len(e.Sent.Messages()); n != 0 {
		t.Fatalf("%s: sent %d messages: %q", text, n, botstest.Texts(e.Sent.Messages()))
	}
	if diff := cmp.Diff(before, state(t, e)); diff != "" {
		t.Fatalf("%s changed the state:\n%s", text, diff)
	}
}

// Ensure every bad amount gets a clear answer in the member's language and changes
// nothing.
func TestCampaign_BadAmounts(t *testing.T) {
	tests := []struct {
		name, who, text, en, fr string
	}{
		{"Negative", "erin", "/pledge C1 -5", "can't be negative", "ne peut pas être négatif"},
		{"NegativeSign", "erin", "/pledge C1 −25 €", "can't be negative", "ne peut pas être négatif"},
		{"Zero", "erin", "/pledge C1 0", "more than zero", "supérieur à zéro"},
		{"ZeroDecimals", "erin", "/pledge C1 0,00 €", "more than zero", "supérieur à zéro"},
		{"Decimals", "erin", "/pledge C1 25.505", "too many decimals", "trop de décimales"},
		{"DecimalsComma", "erin", "/pledge C1 1,000", "too many decimals", "trop de décimales"},
		{"Ceiling", "erin", "/pledge C1 2 000 000", "above the limit of €1,000,000.00", "dépasse la limite de 1 000 000,00 €"},
		{"Absurd", "erin", "/pledge C1 999999999999999999999", "above the limit", "dépasse la limite"},
		{"NotANumber", "erin", "/pledge C1 lots", "as an amount", "comme un montant"},
		{"Mixed", "erin", "/pledge C1 25 € 30", "as an amount", "comme un montant"},
		{"OtherCurrency", "erin", "/pledge C1 $25", "not in EUR", "n'est pas en EUR"},
		{"OtherCode", "erin", "/pledge C1 25 CHF", "not in EUR", "n'est pas en EUR"},
		{"BelowTier", "erin", "/pledge C1 10 reward R1", "at least €20.00", "au moins 20,00 €"},
		{"NoTier", "erin", "/pledge C1 30 reward R9", "has no reward R9", "n'a pas de contrepartie R9"},
		{"BadHours", "erin", "/pledge C1 30 hours 2", "not repaid in volunteering hours", "ne se rembourse pas en heures"},
		{"RewardNegative", "alice", "/reward C1 -3 Mug", "can't be negative", "ne peut pas être négatif"},
		{"RewardDecimals", "alice", "/reward C1 3,333 Mug", "too many decimals", "trop de décimales"},
		{"StretchBelowGoal", "alice", "/stretch C1 100 Small", "above the goal (€500.00)", "dépasser l'objectif (500,00 €)"},
		{"CollectZero", "alice", "/collect C1 0", "more than zero", "supérieur à zéro"},
		{"CollectBad", "alice", "/collect C1 ten from bob", "as an amount", "comme un montant"},
		{"SpendDecimals", "alice", "/spend C1 10,999 paint", "too many decimals", "trop de décimales"},
		{"SpendHeld", "alice", "/spend C1 10 paint", "held for the backers", "conservé pour les contributeurs"},
		{"GoalNegative", "alice", "/campaign new donation Roof goal -100 until 2026-12-24", "can't be negative", "ne peut pas être négatif"},
		{"GoalZero", "alice", "/campaign new donation Roof goal 0 until 2026-12-24", "more than zero", "supérieur à zéro"},
		{"GoalBad", "alice", "/campaign new donation Roof goal 100 XYZ until 2026-12-24", "as an amount", "comme un montant"},
		{"GoalDecimalsYen", "alice", "/campaign new donation Roof goal ¥100.5 until 2026-12-24", "JPY has none", "JPY en a aucune"},
		{"GoalMissing", "alice", "/campaign new donation Roof until 2026-12-24", "goal", "objectif"},
		{"DeadlineMissing", "alice", "/campaign new donation Roof goal 100", "deadline", "date limite"},
		{"DeadlinePast", "alice", "/campaign new donation Roof goal 100 until 2026-11-02", "already past", "déjà passée"},
		{"BadRate", "alice", "/campaign new loan Van goal 1000 until 2026-12-24 rate 150% term 12", "as a rate", "comme un taux"},
		{"LoanNoTerm", "alice", "/campaign new loan Van goal 1000 until 2026-12-24", "term in months", "durée en mois"},
		{"HoursWithInterest", "alice", "/campaign new loan Van goal 1000 until 2026-12-24 rate 2% term 12 hours-value 15", "zero-interest", "taux zéro"},
		{"EquityNoShare", "alice", "/campaign new equity Coop goal 1000 until 2026-12-24", "price of one share", "prix d'une part"},
	}
	for _, lang := range []string{"en", "fr"} {
		for _, tt := range tests {
			t.Run(lang+"/"+tt.name, func(t *testing.T) {
				e := campaignEnv(t, lang, nil)
				want := tt.en
				if lang == "fr" {
					want = tt.fr
				}
				refuse(t, e, tt.who, tt.text, want)
			})
		}
	}
}

// Ensure every command on a closed campaign (succeeded, failed, or past its deadline
// before settlement) gets a clear answer in the member's language and changes
// nothing.
func TestCampaign_ClosedRefused(t *testing.T) {
	type step struct{ who, text, en, fr string }
	closed := []step{
		{"erin", "/pledge C1 10", "C1 is closed", "C1 est close"},
		{"erin", "/pledge C1 600", "C1 is closed", "C1 est close"},
		{"erin", "/pledge C1 cancel", "C1 is closed", "C1 est close"},
		{"erin", "/pledge C1", "C1 is closed", "C1 est close"},
		{"alice", "/reward C1 10 Mug", "C1 is closed", "C1 est close"},
		{"alice", "/stretch C1 900 Bigger", "C1 is closed", "C1 est close"},
		{"alice", "/campaign C1 close", "C1 is closed", "C1 est close"},
	}
	failed := []step{
		{"bob", "/pledge C1 10", "C1 is closed", "C1 est close"},
		{"alice", "/collect C1 10 from bob", "did not reach its goal", "n'a pas atteint son objectif"},
		{"alice", "/spend C1 5 paint", "did not reach its goal", "n'a pas atteint son objectif"},
		{"alice", "/campaign C1 close", "C1 is closed", "C1 est close"},
	}
	deadline := []step{
		{"erin", "/pledge C1 10", "C1 has reached its deadline", "C1 a atteint sa date limite"},
		{"erin", "/pledge C1 cancel", "C1 has reached its deadline", "C1 a atteint sa date limite"},
		{"alice", "/reward C1 10 Mug", "C1 has reached its deadline", "C1 a atteint sa date limite"},
	}
	for _, lang := range []string{"en", "fr"} {
		pick := func(s step) string {
			if lang == "fr" {
				return s.fr
			}
			return s.en
		}
		t.Run(lang+"/Succeeded", func(t *testing.T) {
			e := campaignEnv(t, lang, nil)
			e.Say("erin", "/pledge C1 500")
			e.Say("alice", "/campaign C1 close")
			if got := campaignShot(t, e, "C1").Status; got != "succeeded" {
				t.Fatalf("got status %s", got)
			}
			settle(t, e)
			for _, s := range closed {
				refuse(t, e, s.who, s.text, pick(s))
			}
		})
		t.Run(lang+"/Failed", func(t *testing.T) {
			e := campaignEnv(t, lang, nil)
			e.Say("erin", "/pledge C1 30")
			e.Say("alice", "/campaign C1 close")
			if got := campaignShot(t, e, "C1").Status; got != "failed" {
				t.Fatalf("got status %s", got)
			}
			settle(t, e)
			for _, s := range append(failed, closed...) {
				refuse(t, e, s.who, s.text, pick(s))
			}
		})
		t.Run(lang+"/PastDeadline", func(t *testing.T) {
			e := campaignEnv(t, lang, nil)
			e.Say("erin", "/pledge C1 30")
			settle(t, e)
			e.Clock.Set(time.Date(2026, 12, 21, 0, 0, 1, 0, time.UTC)) // the settlement job has not run yet
			for _, s := range deadline {
				refuse(t, e, s.who, s.text, pick(s))
			}
		})
	}
}

// Ensure a pledge is answered privately, the chat sees totals and backer counts
// only, names appear with consent, and organisers alone list the backers.
func TestCampaign_Privacy(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	out := e.Say("erin", "/pledge C1 30")
	if len(out) != 1 || !out[0].Direct || !out[0].Ephemeral || out[0].UserID != "erin" || !strings.Contains(out[0].Text, "€30.00") {
		t.Fatalf("pledge answer: %+v", out)
	}
	e.Clock.Set(e.Clock.Now().Add(time.Minute))
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	ms := e.Sent.Messages()
	if len(ms) != 1 || !ms[0].Edit || strings.Contains(ms[0].Text, "erin") || !strings.Contains(ms[0].Text, "1 backer") {
		t.Fatalf("group saw: %q", botstest.Texts(ms))
	}
	e.Sent.Reset()
	e.Say("erin", "/pledge C1 30 public")
	e.Clock.Set(e.Clock.Now().Add(time.Minute))
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ms := e.Sent.Messages(); len(ms) != 1 || !strings.Contains(ms[0].Text, "With erin") {
		t.Fatalf("consent not shown: %q", botstest.Texts(ms))
	}
	refuse(t, e, "bob", "/campaign C1 backers", "Only the organisers of C1")
	for _, who := range []string{"rita", "fay", "alice"} {
		out := e.Say(who, "/campaign C1 backers")
		if len(out) != 1 || !out[0].Direct || !strings.Contains(out[0].Text, "erin: €30.00") {
			t.Fatalf("%s: got %+v", who, out)
		}
	}
}

// Ensure the role rules of campaigns: facilitators and admins open campaigns,
// referents for their project only; organisers manage; named collectors collect.
func TestCampaign_Permissions(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	refuse(t, e, "carol", "/campaign new donation Roof goal 100 until 2026-12-24", "Only facilitators and admins open campaigns")
	refuse(t, e, "rita", "/campaign new donation Roof goal 100 until 2026-12-24", "Only facilitators and admins open campaigns")
	e.Say("rita", "/campaign new donation Roof goal 100 until 2026-12-24 for P1")
	e.Say("fay", "/campaign new donation Hall goal 100 until 2026-12-24")
	if got := len(e.Snapshot().Communities[0].Campaigns); got != 3 {
		t.Fatalf("got %d campaigns, want 3", got)
	}
	for _, text := range []string{"/reward C1 10 Mug", "/stretch C1 900 Bigger", "/spend C1 5 paint", "/campaign C1 close", "/campaign C1 collector @erin"} {
		refuse(t, e, "carol", text, "Only the organisers of C1")
	}
	refuse(t, e, "carol", "/collect C1 10", "Only the organisers and collectors of C1")
	refuse(t, e, "rita", "/reward C3 10 Mug", "Only the organisers of C3") // C3 is not her project's
	e.Say("alice", "/campaign C1 collector @carol")
	e.Say("carol", "/collect C1 10")
	refuse(t, e, "carol", "/spend C1 5 paint", "Only the organisers of C1")
	refuse(t, e, "rita", "/spend C1 5 paint", "held for the backers") // an organiser, but C1 has not succeeded
	e.Say("rita", "/stretch C1 900 Bigger")
	c := campaignShot(t, e, "C1")
	if c.Collected != 1000 || c.Spent != 0 {
		t.Fatalf("collected %d, spent %d", c.Collected, c.Spent)
	}
	e.Say("alice", "/campaign C1 collector @carol remove")
	refuse(t, e, "carol", "/collect C1 10", "Only the organisers and collectors of C1")
	e.Say("rita", "/campaign C1 close")
	if got := campaignShot(t, e, "C1").Status; got != "failed" {
		t.Fatalf("got %s", got)
	}
}

// Ensure the progress message is edited at most once per chat per delay whatever
// the pledge rate, and shows the last figures.
func TestCampaign_EditThrottled(t *testing.T) {
	delay := 5 * time.Second
	e := campaignEnv(t, "en", func(c *bots.Config) { c.CampaignEditDelay = delay })
	out := e.Say("alice", "/community invite")
	code := regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(out[0].Text)
	join := e.Event("zoe", "/community join "+code)
	join.Platform, join.ChatID = "other", "chan-9"
	e.Handle(join)
	e.Sent.Reset()
	edits := func() []bots.Message {
		var out []bots.Message
		for _, m := range e.Sent.Messages() {
			if m.Edit {
				out = append(out, m)
			}
		}
		return out
	}
	for i := range 30 {
		e.Say("p"+string(rune('a'+i)), "/pledge C1 10")
	}
	if n := len(edits()); n != 0 {
		t.Fatalf("edits sent before the delay: %d", n)
	}
	e.Clock.Set(e.Clock.Now().Add(delay))
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	var chats []string
	for _, m := range edits() {
		// The chat that joined after the campaign opened never had the message:
		// its first edit posts it (no platform message to replace yet).
		if (m.EditID == "") != (m.ChatID == "chan-9") || !strings.Contains(m.Text, "30 backers") || !strings.Contains(m.Text, "€300.00 of €500.00") {
			t.Fatalf("got %+v", m)
		}
		chats = append(chats, m.Platform+"/"+m.ChatID)
	}
	slices.Sort(chats)
	if want := []string{"other/chan-9", "test/group"}; !slices.Equal(chats, want) {
		t.Fatalf("edited %q, want one edit in each of %q", chats, want)
	}
	e.Sent.Reset()
	e.Say("zed", "/pledge C1 10")
	if n := len(edits()); n != 0 {
		t.Fatalf("an edit went out at once: %d", n)
	}
	e.Clock.Set(e.Clock.Now().Add(delay))
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ms := edits(); len(ms) != 2 || !strings.Contains(ms[0].Text, "31 backers") {
		t.Fatalf("got %q", botstest.Texts(ms))
	}
}

// Ensure milestones and stretch goals are announced once each.
func TestCampaign_MilestonesOnce(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	e.Say("alice", "/stretch C1 800 A second oven")
	count := func() (milestones, stretch []string) {
		for _, m := range e.Sent.Messages() {
			if strings.Contains(m.Text, "has reached") {
				milestones = append(milestones, m.Text)
			}
			if strings.Contains(m.Text, "passed the stretch goal") {
				stretch = append(stretch, m.Text)
			}
		}
		return
	}
	e.Sent.Reset()
	e.Say("erin", "/pledge C1 150") // 30 %
	e.Say("erin", "/pledge C1 cancel")
	e.Say("erin", "/pledge C1 150")
	e.Say("dan", "/pledge C1 250") // 80 %: 75 announced, 50 passed silently
	e.Say("dan", "/pledge C1 700") // 170 %: 100 and the stretch goal
	e.Say("dan", "/pledge C1 10")
	e.Say("dan", "/pledge C1 700")
	ms, st := count()
	want := []string{"25%", "75%", "100%"}
	if len(ms) != len(want) || len(st) != 1 {
		t.Fatalf("milestones %q, stretch %q", ms, st)
	}
	for i, w := range want {
		if !strings.Contains(ms[i], w) {
			t.Fatalf("milestone %d: got %q, want %s", i, ms[i], w)
		}
	}
}

// Ensure the deadline settles the campaign: all or nothing missed releases every
// pledge and tells the backers; keep-it-all keeps what was pledged.
func TestCampaign_Settlement(t *testing.T) {
	ctx := context.Background()
	e := campaignEnv(t, "en", nil)
	e.Say("alice", "/campaign new donation Roof goal 1000 until 2026-12-20 keep-it-all")
	e.Say("erin", "/pledge C1 30 reward R1")
	e.Say("dan", "/pledge C2 40")
	settle(t, e)
	if err := e.Scheduler.Advance(ctx, time.Date(2026, 12, 22, 9, 0, 0, 0, time.UTC), e.Clock, e.Dispatcher.Flush); err != nil {
		t.Fatal(err)
	}
	if s1, s2 := campaignShot(t, e, "C1").Status, campaignShot(t, e, "C2").Status; s1 != "failed" || s2 != "succeeded" {
		t.Fatalf("got %s and %s", s1, s2)
	}
	var erin, dan, group []string
	for _, m := range e.Sent.Messages() {
		switch {
		case m.Direct && m.UserID == "erin":
			erin = append(erin, m.Text)
		case m.Direct && m.UserID == "dan":
			dan = append(dan, m.Text)
		case !m.Direct:
			group = append(group, m.Text)
			if m.Edit && len(m.Buttons) > 0 {
				t.Fatalf("the last edit keeps its buttons: %q", m.Text)
			}
		}
	}
	if len(erin) != 1 || !strings.Contains(erin[0], "is released, you owe nothing") {
		t.Fatalf("erin got %q", erin)
	}
	if len(dan) != 1 || !strings.Contains(dan[0], "You pledged €40.00. It is now due") {
		t.Fatalf("dan got %q", dan)
	}
	joined := strings.Join(group, "\n")
	for _, want := range []string{"One week left for C1", "48 hours left for C1", "C1 Oven is over", "every pledge is released", "C2 Roof is over and succeeded", "ended: succeeded"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the chat did not see %q in:\n%s", want, joined)
		}
	}
	var pledges []core.PledgeStatus
	for _, p := range state(t, e).Pledges {
		pledges = append(pledges, p.Status)
	}
	if !slices.Equal(pledges, []core.PledgeStatus{core.PledgeReleased, core.PledgeDue}) {
		t.Fatalf("pledges %v", pledges)
	}
	// Settled once: the jobs are gone and nothing fires again.
	e.Sent.Reset()
	if err := e.Scheduler.Advance(ctx, time.Date(2027, 1, 22, 9, 0, 0, 0, time.UTC), e.Clock, e.Dispatcher.Flush); err != nil {
		t.Fatal(err)
	}
	if n := len(e.Sent.Messages()); n != 0 {
		t.Fatalf("%d more messages", n)
	}
}

// Ensure followers of the linked project who have not pledged get the reminders,
// and news of the project reaches its backers.
func TestCampaign_RemindersAndNews(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	e.Say("carol", "/follow P1")
	e.Say("carol", "/pledge C1 25")
	e.Say("erin", "/pledge C1 25")
	settle(t, e)
	if err := e.Scheduler.Advance(context.Background(), time.Date(2026, 12, 14, 9, 0, 0, 0, time.UTC), e.Clock, e.Dispatcher.Flush); err != nil {
		t.Fatal(err)
	}
	var reminded []string
	for _, m := range e.Sent.Messages() {
		if m.Direct {
			reminded = append(reminded, m.UserID)
		}
	}
	if !slices.Equal(reminded, []string{"bob"}) {
		t.Fatalf("reminded %q, want bob (follows P1, no pledge)", reminded)
	}
	e.Sent.Reset()
	e.Say("rita", "/news P1 The oven is ordered")
	got := map[string]string{}
	for _, m := range e.Sent.Messages() {
		if m.Direct {
			if got[m.UserID] != "" {
				t.Fatalf("%s got the news twice", m.UserID)
			}
			got[m.UserID] = m.Text
		}
	}
	if len(got) != 3 || !strings.Contains(got["erin"], "a project you backed") || strings.Contains(got["carol"], "backed") || got["bob"] == "" {
		t.Fatalf("news went to %v", got)
	}
}

// Ensure loans: the lender's schedule from the pledge on, volunteering hours that
// reduce what is owed, and the schedules in the export, to the cent.
func TestCampaign_Loan(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	e.Say("alice", "/campaign new loan Truck goal 15 000 until 2026-12-20 rate 0% term 60 hours-value 15")
	e.Say("alice", "/campaign new loan Van goal 200 000 until 2026-12-20 rate 7.5% term 180")
	out := e.Say("bob", "/pledge C2 1 500 hours 20")
	if !strings.Contains(out[0].Text, "€20.00 a month for 60 months from Wednesday 20 January 2027") {
		t.Fatalf("got %q", out[0].Text)
	}
	out = e.Say("dan", "/pledge C3 200 000")
	if !strings.Contains(out[0].Text, "€1,854.02 a month for 180 months") {
		t.Fatalf("got %q", out[0].Text)
	}
	refuse(t, e, "bob", "/pledge C2 200 hours 20", "20 hours are worth €300.00, more than your pledge of €200.00")
	refuse(t, e, "alice", "/campaign C2 hours @bob 21", "Only 20 hours are left")
	refuse(t, e, "alice", "/campaign C2 hours @dan 1", "did not take part of their loan")
	out = e.Say("alice", "/campaign C2 hours @bob 5")
	if !strings.Contains(out[0].Text, "5 hours of volunteering (€75.00) given back to bob") {
		t.Fatalf("got %q", out[0].Text)
	}
	e.Say("bob", "/pledge C2 1 500 hours 20") // changing the pledge keeps the hours given
	out = e.Say("bob", "/schedule C2")
	if len(out) != 1 || !out[0].Direct || !strings.Contains(out[0].Text, "to Saturday 20 December 2031") ||
		!strings.Contains(out[0].Text, "Still owed to you: €1,425.00") || out[0].Attachment == nil ||
		!strings.Contains(string(out[0].Attachment.Data), "\n60,2031-12-20,20.00,") {
		t.Fatalf("got %q", botstest.Texts(out))
	}
	refuse(t, e, "erin", "/schedule C2", "You have no pledge to C2")
	refuse(t, e, "erin", "/schedule C1", "neither a loan nor equity")
	c := campaignShot(t, e, "C3")
	if len(c.Schedules) != 1 || len(c.Schedules[0].Instalments) != 180 {
		t.Fatalf("schedules %+v", c.Schedules)
	}
	var total, interest int64
	for _, in := range c.Schedules[0].Instalments {
		total += in.Payment
		interest += in.Interest
	}
	if first := c.Schedules[0].Instalments[0]; first.Payment != 185402 || first.Interest != 125000 || total != 200_000_00+interest {
		t.Fatalf("first %+v, total %d, interest %d", first, total, interest)
	}
	if c2 := campaignShot(t, e, "C2"); c2.HoursPledged != 20 || c2.HoursGiven != 5 || c2.Schedules[0].Cash != 120000 || c2.Schedules[0].Outstanding != 142500 {
		t.Fatalf("got %+v", c2)
	}
}

// Ensure equity pledges buy whole shares: a remainder is refused with the nearest
// amounts.
func TestCampaign_Equity(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	e.Say("alice", "/campaign new equity Coop goal 10 000 until 2026-12-20 share 50")
	refuse(t, e, "bob", "/pledge C2 120", "pledge €100.00 or €150.00")
	refuse(t, e, "bob", "/pledge C2 30", "pledge €50.00.")
	out := e.Say("bob", "/pledge C2 100")
	if !strings.Contains(out[0].Text, "2 shares at €50.00") {
		t.Fatalf("got %q", out[0].Text)
	}
	if out := e.Say("bob", "/schedule C2"); !strings.Contains(out[0].Text, "Your shares in C2 Coop: 2 at €50.00") {
		t.Fatalf("got %q", out[0].Text)
	}
}

// Ensure the custom amount button asks the amount (field by field in a direct
// conversation, or as a form where the platform has them) and pledges it.
func TestCampaign_CustomAmount(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	card := e.Say("erin", "/campaign C1")[0]
	asked := e.Press("erin", card, "Another amount")
	if len(asked) != 1 || !asked[0].Direct || !strings.Contains(asked[0].Text, "How much (EUR)?") {
		t.Fatalf("got %+v", asked)
	}
	if out := e.Say("erin", "> 40"); !strings.Contains(out[0].Text, "Which reward?") {
		t.Fatalf("got %q", botstest.Texts(out))
	}
	if out := e.Say("erin", "> -"); !strings.Contains(out[0].Text, "You pledged to C1 Oven: €40.00.") {
		t.Fatalf("got %q", botstest.Texts(out))
	}
	// A platform with forms: the press opens one, the filled form pledges.
	ev := e.Event("dan", "")
	ev.Kind, ev.Action, ev.CanForm = bots.KindAction, card.Buttons[len(card.Buttons)-1][0].Token, true
	out := e.Handle(ev)
	if len(out) != 1 || out[0].Form == nil || len(out[0].Form.Fields) != 2 {
		t.Fatalf("got %+v", out)
	}
	sub := e.Event("dan", "")
	sub.Kind, sub.Action, sub.Fields = bots.KindForm, out[0].Form.Token, map[string]string{"amount": "35,50", "reward": "R1"}
	if out := e.Handle(sub); !strings.Contains(out[0].Text, "€35.50, reward R1 Loaf") {
		t.Fatalf("got %q", botstest.Texts(out))
	}
	if c := campaignShot(t, e, "C1"); c.Pledged != 7550 || c.Backers != 2 || c.Rewards[0].Taken != 1 {
		t.Fatalf("got %+v", c)
	}
}

// Ensure a redelivered pledge counts once.
func TestCampaign_PledgeIdempotent(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	ev := e.Event("erin", "/pledge C1 20 reward R1")
	first := e.Handle(ev)
	if again := e.Handle(ev); len(again) != 0 {
		t.Fatalf("redelivered while its answer is being sent: answered again %q", botstest.Texts(again))
	}
	e.Restart() // the answer may not have been delivered: it is given again
	again := e.Handle(ev)
	if diff := cmp.Diff(first, again); diff != "" {
		t.Fatal(diff)
	}
	if c := campaignShot(t, e, "C1"); c.Pledged != 2000 || c.Backers != 1 || c.Rewards[0].Taken != 1 {
		t.Fatalf("got %+v", c)
	}
}

// Ensure linking two identities leaves one pledge per campaign, and /forgetme
// withdraws the pledges of open campaigns.
func TestCampaign_LinkAndForget(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	e.Say("bob", "/pledge C1 30 reward R1")
	e.Clock.Set(e.Clock.Now().Add(time.Minute))
	other := e.Event("bobby", "/pledge C1 50")
	other.Platform, other.UserID, other.ChatID = "other", "U42", "chan-9"
	out := e.Say("alice", "/community invite")
	join := e.Event("bobby", "/community join "+regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(out[0].Text))
	join.Platform, join.UserID, join.ChatID = "other", "U42", "chan-9"
	e.Handle(join)
	e.Handle(other)
	if c := campaignShot(t, e, "C1"); c.Backers != 2 || c.Pledged != 8000 {
		t.Fatalf("before the link: %+v", c)
	}
	code := regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(e.Say("bob", ">/link")[0].Text)
	link := e.Event("bobby", "/link "+code)
	link.Platform, link.UserID, link.ChatID, link.Direct = "other", "U42", "dm:U42", true
	e.Handle(link)
	c := campaignShot(t, e, "C1")
	if c.Backers != 1 || c.Pledged != 5000 || c.Rewards[0].Taken != 0 {
		t.Fatalf("after the link (the latest pledge kept, its tier freed): %+v", c)
	}
	e.Say("erin", "/pledge C1 20 reward R1")
	out = e.Say("erin", "/forgetme")
	e.Press("erin", out[0], "erase")
	c = campaignShot(t, e, "C1")
	if c.Backers != 1 || c.Pledged != 5000 || c.Rewards[0].Taken != 0 {
		t.Fatalf("after /forgetme: %+v", c)
	}
	for _, p := range state(t, e).Pledges {
		if p.Member != "bob" {
			t.Fatalf("pledge left: %+v", p)
		}
	}
}

// Ensure /ledger shows pledged, collected and spent, each spending line, and the
// sources of money without naming backers who did not agree.
func TestCampaign_Ledger(t *testing.T) {
	e := campaignEnv(t, "fr", nil)
	e.Say("erin", "/pledge C1 450")
	e.Say("dan", "/pledge C1 50 public")
	e.Say("alice", "/campaign C1 close")
	e.Say("alice", "/campagne C1 collecteur @carol")
	e.Say("carol", "/encaisser C1 12,50")
	e.Say("alice", "/collect C1 450 de erin")
	e.Say("alice", "/collect C1 50 de dan")
	e.Say("alice", "/depenser C1 100 farine et bois")
	out := e.Say("bob", "/registre C1")
	text := out[0].Text
	for _, want := range []string{
		"Promis : 500,00 € · collecté : 512,50 € · dépensé : 100,00 € · reste : 412,50 €",
		"• non attribué : 12,50 € (1×)", "• dan : 50,00 € (1×)", "• contributeurs : 450,00 € (1×)",
		"100,00 € — farine et bois",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("ledger lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "erin") || strings.Contains(text, "carol") || strings.Contains(text, "alice") {
		t.Errorf("ledger names erin, or who typed the collections:\n%s", text)
	}
}
