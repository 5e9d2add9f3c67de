package bots

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/when"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
	"github.com/engage-org/engage/prompts"
)

// fuzzPollContext is a fixed clock, zone and vocabulary for the poll parsers.
func fuzzPollContext(tb testing.TB, lang string) *pollContext {
	tb.Helper()
	cat, err := prompts.Load()
	if err != nil {
		tb.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/Paris")
	return &pollContext{
		lang: lang, now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), loc: loc,
		aliases: cat.Aliases(), mention: isMention, currency: "EUR",
	}
}

// Ensure /poll new never panics, and what it reads is a well-formed request: a
// known method, the options split on |, slots for a date poll, settings in range.
func FuzzParsePollNew(f *testing.F) {
	for _, s := range []string{
		"single Lunch? | Pizza | Salad",
		"irv Capital? | Memphis | Nashville | Chattanooga | Knoxville until 2026-12-20 secret",
		"score Rate | A | B scale 0-10 quorum 3 hidden",
		"judgment Best? | A | B | grades bad, ok, great",
		"dot Budget | A | B dots 12",
		"date Meet? | 2026-12-10 19:00 | vendredi prochain 18h | 14/12 until next friday",
		"contest Prize | A | B jury @ana <@U12> weight 60%",
		"jugement Qui ? | A | B cache jusqu'au fin décembre",
		"single Vote until we drop | A | B",
		"single Q | Paris hidden gems | Keep it secret",
		"score Q | A | B scale -2..2", "single | |", "approval Q | A, B | C", "single Q|A|B quorum x",
		"budget Quoi ? | P1 1 200 € | Bancs 800 | budget 2 000 € max 2 règle glouton",
		"budget Q | A 10 | B 20,50 | depuis C1 points 10 min 1", "budget Q | A | B budget x", "single Q | Max 3 | Rule 1",
		"single AG ? | Oui | Non votants présents M1 quorum présents M1 50 % poids parts C1 rappel 48h",
		"single Q | A | B voters role facilitator meeting M2 remind off until 2026-12-20",
		"single Q | A | B voters shareholders C3 quorum present M1 100%", "single Q | A | Réunion mensuelle",
		"single Q | A | B meeting M1 voters present M2", "single Q | A | B remind 0h", "single Q | A | B votants membres-à-l'ouverture",
	} {
		f.Add(s)
	}
	pc := fuzzPollContext(f, "fr")
	f.Fuzz(func(t *testing.T, s string) {
		req, err := parsePollNew(s, pc)
		if err != nil {
			// A date too far, ambiguous or written day first is answered by the
			// router (dateRefusal), in the member's language, as for every command.
			var far *when.TooFarError
			var amb *when.AmbiguousError
			var df *when.DayFirstError
			if core.ErrorCode(err) != core.CodeInvalid && !errors.As(err, &far) && !errors.As(err, &amb) && !errors.As(err, &df) {
				t.Fatalf("%q: error %v, want an invalid-input refusal", s, err)
			}
			return
		}
		if _, ok := core.ParseMethod(string(req.spec.Method)); !ok && req.spec.Method != core.MethodBudget {
			t.Fatalf("%q: method %q", s, req.spec.Method)
		}
		if strings.Contains(req.spec.Question, "|") || len(req.spec.Options) > strings.Count(s, "|") {
			t.Fatalf("%q: question %q, %d options", s, req.spec.Question, len(req.spec.Options))
		}
		for _, o := range req.spec.Options {
			if strings.Contains(o.Label, "|") {
				t.Fatalf("%q: option %q", s, o.Label)
			}
			if req.spec.Method == tally.Date && o.Label != "" && o.Slot.IsZero() {
				t.Fatalf("%q: slot %q without a date", s, o.Label)
			}
		}
		st := req.spec.Settings
		if st.Quorum < 0 || st.Quorum > core.MaxPollQuorum || st.Dots < 0 || st.Dots > core.MaxPollDots ||
			st.JuryWeight < 0 || st.JuryWeight > 100 || (st.ScaleMax != 0 || st.ScaleMin != 0) && st.ScaleMin >= st.ScaleMax {
			t.Fatalf("%q: settings out of range %+v", s, st)
		}
		if st.Budget.Amount < 0 || st.Min < 0 || st.Max < 0 || st.Points < 0 || st.Points > core.MaxPollDots {
			t.Fatalf("%q: budget settings out of range %+v", s, st)
		}
		if req.spec.Method != core.MethodBudget && (!st.Budget.IsZero() || st.From != "" || st.Rule != "" || st.Min != 0 || st.Max != 0 || st.Points != 0) {
			t.Fatalf("%q: budget settings read for a %s poll", s, req.spec.Method)
		}
		for _, o := range req.spec.Options {
			if o.Cost < 0 || (o.Cost > 0 && req.spec.Method != core.MethodBudget) {
				t.Fatalf("%q: option %q costs %d", s, o.Label, o.Cost)
			}
		}
		if st.QuorumPresent < 0 || st.QuorumPresent > 100 || (st.QuorumPresent > 0 || st.Voters == core.VotersPresent) && st.Meeting == "" ||
			st.Remind != 0 && (st.Remind < core.MinRemind || st.Remind > core.MaxRemind) || st.RemindOff && st.Remind != 0 {
			t.Fatalf("%q: assembly settings out of range %+v", s, st)
		}
		if st.Voters == core.VotersRole && st.VotersRole == "" || st.Voters == core.VotersShareholders && st.VotersCampaign == "" {
			t.Fatalf("%q: electorate without its argument %+v", s, st)
		}
		if !st.Until.IsZero() && st.Until.Sub(pc.now) > 11*365*24*time.Hour {
			t.Fatalf("%q: deadline %v", s, st.Until)
		}
		for _, j := range req.jury {
			if !isMention(j) {
				t.Fatalf("%q: jury member %q is no mention", s, j)
			}
		}
	})
}

// Ensure a CHOICE never panics under any method, and what it reads is a ballot the
// method accepts, or a refusal for invalid input.
func FuzzParseChoice(f *testing.F) {
	for _, s := range []string{
		"Nashville", "Nashville, Knoxville", "Nashville > Chattanooga = Knoxville", "Memphis=4, Nashville=3",
		"1=yes, 2=maybe, 3=no", "Memphis=good, Nashville=très bien", "ranks 2;1;;3", "#2", "2 > 1 >", ">",
		"=", ",", "Memphis=", "4=yes", "Memphis=-1", "Memphis=99999999999999999999", "P1", "Garden Club",
		"Memphis=, Nashville=2", "Memphis=-, Nashville=2", "ranks 9;;;", "ranks 0;;;", "ranks 5;4;3;2",
		"🥗", "salad", "🥗 salad, ★", "★ > 🥗",
	} {
		for _, m := range tally.Methods() {
			f.Add(string(m), s)
		}
	}
	f.Fuzz(func(t *testing.T, method, s string) {
		m, ok := core.ParseMethod(method)
		if !ok {
			return
		}
		p := &core.Poll{
			Community: "c1", Num: 1, Method: m, Options: []core.PollOption{{Label: "Memphis"}, {Label: "Nashville"}, {Label: "🥗 Salad"}, {Label: "P1", Project: 1}},
			Settings: core.PollSettings{ScaleMin: -2, ScaleMax: 5, Dots: 8},
		}
		if m != tally.Score {
			p.Settings.ScaleMin, p.Settings.ScaleMax = 0, 0
		}
		if m == tally.STV {
			p.Settings.Seats = 2
		}
		bc := &ballotContext{poll: p, names: [][]string{{"memphis"}, {"nashville"}, {"🥗 salad"}, {"p1", "garden club", "p1 garden club"}}}
		values, err := parseChoice(bc, s)
		if err != nil {
			if core.ErrorCode(err) != core.CodeInvalid {
				t.Fatalf("%s %q: error %v, want an invalid-input refusal", m, s, err)
			}
			return
		}
		if err := tally.Validate(m, len(p.Options), tally.Ballot{Values: values}, p.TallySettings()); err != nil {
			// Only a ballot tally accepts may come out of the parser (core would refuse
			// it with a generic message instead of a precise one).
			t.Fatalf("%s %q: parsed %v, which tally refuses: %v", m, s, values, err)
		}
		for _, v := range values {
			if core.Ranked(m) && v > len(p.Options) {
				t.Fatalf("%s %q: rank %d among %d options", m, s, v, len(p.Options))
			}
		}
		if m != tally.Approval && strings.Contains(strings.ReplaceAll(s, " ", "")+",", "=,") {
			t.Fatalf("%s %q: a pair without a value was accepted as %v", m, s, values)
		}
	})
}
