package bots_test

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/botstest"
)

// Ensure the pledge receipt explains how pledges work (no payment through the
// bot, how to change or withdraw) on a member's first pledge in the community
// only: a change and a pledge to another campaign get one short line — in both
// languages.
func TestPledge_BoilerplateOnFirstOnly(t *testing.T) {
	for _, tc := range []struct{ lang, boiler string }{
		{"en", "No payment goes through me"},
		{"fr", "Aucun paiement ne passe par moi"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := campaignEnv(t, tc.lang, nil)
			e.Say("alice", "/campaign new donation Roof goal 300 € until 2026-12-20")
			receipt := func(text string) string {
				t.Helper()
				out := e.Say("bob", text)
				if len(out) != 1 || !out[0].Direct {
					t.Fatalf("%s answered %+v, want one private receipt", text, out)
				}
				return out[0].Text
			}
			first := receipt("/pledge C1 30")
			if !strings.Contains(first, tc.boiler) {
				t.Errorf("first pledge receipt lacks how pledges work: %q", first)
			}
			for _, text := range []string{"/pledge C1 40", "/pledge C2 15"} {
				got := receipt(text)
				if strings.Contains(got, tc.boiler) || strings.Count(got, "\n") > 1 {
					t.Errorf("%s: receipt %q, want one or two lines without the explanation", text, got)
				}
			}
			if got := e.Say("carol", "/pledge C2 10"); len(got) != 1 || !strings.Contains(got[0].Text, tc.boiler) {
				t.Errorf("another member's first pledge: %+v, want the explanation", got)
			}
		})
	}
}

// Ensure a like posts nothing to the group: the liker is answered alone, and the
// project's card, where it was posted, is edited to show the count; a repeated
// like is refused to the liker alone — in both languages.
func TestLike_EditsProjectCard(t *testing.T) {
	for _, tc := range []struct{ lang, card, one, two, answer string }{
		{"en", "New project P1", "👍 1 like", "👍 2 likes", "You like P1"},
		{"fr", "Nouveau projet P1", "👍 1 soutien", "👍 2 soutiens", "Vous soutenez P1"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := botstest.NewEnv(t, botstest.Options{Lang: tc.lang, NoSync: true})
			e.Say("alice", "/community create Jardin lang "+tc.lang)
			e.Sent.Reset()
			e.Say("alice", "/project new Compost — a shared bin")
			sent := e.Sent.Messages()
			if len(sent) != 1 || sent[0].Edit || !strings.Contains(sent[0].Text, tc.card) || strings.Contains(sent[0].Text, "👍") || len(sent[0].Buttons) != 1 {
				t.Fatalf("card posted = %+v, want one card with its buttons and no likes", sent)
			}
			card := sent[0]
			for i, who := range []string{"bob", "carol"} {
				e.Sent.Reset()
				out := e.Press(who, card, map[string]string{"en": "Like", "fr": "J'aime"}[tc.lang])
				if len(out) != 1 || !out[0].Direct || !strings.Contains(out[0].Text, tc.answer) {
					t.Fatalf("%s's like answered %+v, want a private answer %q", who, out, tc.answer)
				}
				want := []string{tc.one, tc.two}[i]
				sent := e.Sent.Messages()
				if len(sent) != 1 || !sent[0].Edit || sent[0].EditID == "" || !strings.Contains(sent[0].Text, want) || !strings.Contains(sent[0].Text, tc.card) {
					t.Fatalf("after %s's like the group got %+v, want only an edit of the card showing %q", who, sent, want)
				}
			}
			e.Sent.Reset()
			out := e.Say("bob", "/like P1")
			if len(out) != 1 || !out[0].Direct || len(e.Sent.Messages()) != 0 {
				t.Errorf("a second like by bob: %+v, sent %+v; want a private refusal and nothing posted", out, e.Sent.Messages())
			}
			if out := e.Say("dan", "/project P1"); len(out) != 1 || !strings.Contains(out[0].Text, map[string]string{"en": "2 likes", "fr": "2 soutiens"}[tc.lang]) {
				t.Errorf("/project P1 = %+v, want the like count", out)
			}
		})
	}
}

// Ensure /schedule on a long loan is a short summary (first and last due dates,
// monthly amount, total, interest) with every instalment in an attached CSV file
// a spreadsheet of the member's language opens; a short loan lists its
// instalments and attaches the file too — in both languages.
func TestSchedule_SummaryAndCSV(t *testing.T) {
	for _, tc := range []struct {
		lang, comma, dec, summary, first, last, name string
	}{
		{"en", ",", ".", "24 monthly payments of", "from Wednesday 20 January 2027", "to Wednesday 20 December 2028", "C2-schedule.csv"},
		{"fr", ";", ",", "24 mensualités de", "du mercredi 20 janvier 2027", "au mercredi 20 décembre 2028", "C2-echeancier.csv"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := campaignEnv(t, tc.lang, nil)
			e.Say("alice", "/campaign new loan Van goal 10 000 until 2026-12-20 rate 3% term 24")
			e.Say("alice", "/campaign new loan Bike goal 1 000 until 2026-12-20 rate 0% term 6")
			e.Say("bob", "/pledge C2 2 400")
			e.Say("bob", "/pledge C3 600")
			out := e.Say("bob", "/schedule C2")
			if len(out) != 1 || !out[0].Direct || out[0].Attachment == nil {
				t.Fatalf("/schedule C2 = %+v, want one private answer with a file", out)
			}
			text, att := out[0].Text, out[0].Attachment
			for _, w := range []string{tc.summary, tc.first, tc.last} {
				if !strings.Contains(text, w) {
					t.Errorf("summary %q lacks %q", text, w)
				}
			}
			if n := strings.Count(text, "\n"); n > 3 {
				t.Errorf("summary has %d lines: %q", n+1, text)
			}
			if att.Name != tc.name || att.Type != "text/csv" {
				t.Errorf("file %s (%s), want %s text/csv", att.Name, att.Type, tc.name)
			}
			r := csv.NewReader(strings.NewReader(string(att.Data)))
			r.Comma = rune(tc.comma[0])
			recs, err := r.ReadAll()
			if err != nil {
				t.Fatalf("csv: %v\n%s", err, att.Data)
			}
			if len(recs) != 25 {
				t.Fatalf("csv has %d records, want a header and 24 instalments:\n%s", len(recs), att.Data)
			}
			minor := func(s string) int64 {
				t.Helper()
				v, err := strconv.ParseInt(strings.Replace(s, tc.dec, "", 1), 10, 64)
				if err != nil || !strings.Contains(s, tc.dec) {
					t.Fatalf("amount %q: %v", s, err)
				}
				return v
			}
			var principal int64
			for i, rec := range recs[1:] {
				if rec[0] != strconv.Itoa(i+1) || len(rec) != 7 || rec[6] != "EUR" {
					t.Fatalf("record %d = %q", i+1, rec)
				}
				if minor(rec[2]) != minor(rec[3])+minor(rec[4]) {
					t.Errorf("record %d: payment is not capital + interest: %q", i+1, rec)
				}
				principal += minor(rec[3])
			}
			if principal != 2400_00 || minor(recs[24][5]) != 0 || recs[1][1] != "2027-01-20" || recs[24][1] != "2028-12-20" {
				t.Errorf("capital repaid %d, last balance %s, dues %s…%s", principal, recs[24][5], recs[1][1], recs[24][1])
			}

			out = e.Say("bob", "/schedule C3") // six instalments: listed
			if len(out) != 1 || out[0].Attachment == nil || !strings.Contains(out[0].Text, "6. 20 ") || strings.Contains(out[0].Text, tc.summary[3:]) {
				t.Errorf("/schedule C3 = %+v, want the six instalments listed and the file", out)
			}
		})
	}
}

// Ensure the facilitator's weekly agenda shows every health line the first time,
// then only the lines that changed since the last agenda (with since when), and
// says so when none did — in both languages.
func TestAgenda_HealthLinesOnlyWhenChanged(t *testing.T) {
	for _, tc := range []struct{ lang, members, projects, changed, unchanged, since string }{
		{"en", "• Members:", "• Active projects:", "(what changed since 1 Dec)", "Health signals unchanged since", " 8 Dec."},
		{"fr", "• Membres :", "• Projets en cours :", "(ce qui a changé depuis le 1 déc.)", "Signaux de santé inchangés depuis le", " 8 déc."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := botstest.NewEnv(t, botstest.Options{NoSync: true, Lang: tc.lang})
			e.Say("alice", "/community create Club tz Europe/Paris lang "+tc.lang)
			e.Say("rita", "/project new Garden")
			e.Say("fay", "hello")
			e.Say("alice", "/role @fay facilitator")
			e.Say("fay", "/slot tuesday 18:00")
			e.Sent.Reset()
			week := func(d time.Duration) string {
				t.Helper()
				e.Sent.Reset()
				advance(t, e, d)
				ns := nudges(e, "fay")
				if len(ns) != 1 {
					t.Fatalf("agendas: %q", botstest.Texts(e.Sent.Messages()))
				}
				return ns[0].Text
			}
			first := week(9 * time.Hour) // Tuesday 18:00 Paris
			if !strings.Contains(first, tc.members) || !strings.Contains(first, tc.projects) || strings.Contains(first, tc.changed) {
				t.Fatalf("first agenda shows every health line: %q", first)
			}
			e.Say("zoe", "hello") // a new member; the projects stay as they were
			second := week(7 * 24 * time.Hour)
			if !strings.Contains(second, tc.changed) || !strings.Contains(second, tc.members) || strings.Contains(second, tc.projects) {
				t.Errorf("second agenda, members changed, projects not: %q", second)
			}
			third := week(7 * 24 * time.Hour)
			if strings.Contains(third, tc.members) || strings.Contains(third, tc.projects) || !strings.Contains(third, tc.unchanged+tc.since) {
				t.Errorf("third agenda repeats unchanged lines: %q", third)
			}
			if fourth := week(7 * 24 * time.Hour); !strings.Contains(fourth, tc.unchanged+tc.since) {
				t.Errorf("a week later, nothing changed still since the second agenda: %q", fourth)
			}
			e.Say("rita", "/project new Library")
			if fifth := week(7 * 24 * time.Hour); !strings.Contains(fifth, tc.projects) || strings.Contains(fifth, tc.members) {
				t.Errorf("fifth agenda, projects changed, members not: %q", fifth)
			}
		})
	}
}

// Ensure a project card no longer names its referent once they are forgotten:
// /forgetme edits the posted card.
func TestProjectCard_Forgotten(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Jardin lang en")
	e.Say("rita", "/project new Compost")
	e.Sent.Reset()
	e.Say("rita", "/forgetme confirm")
	var edited bool
	for _, m := range e.Sent.Messages() {
		if m.Edit && strings.Contains(m.Text, "New project P1") {
			edited = true
			if strings.Contains(m.Text, "rita") {
				t.Errorf("the card still names rita: %q", m.Text)
			}
		}
	}
	if !edited {
		t.Errorf("the card was not edited: %q", botstest.Texts(e.Sent.Messages()))
	}
}
