package bots_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/botstest"
)

// englishMethod matches the English method names of /poll new, which French
// texts must not show (they name the French ones).
var englishMethod = regexp.MustCompile(`\b(single|approval|irv|score|dot|judgment|contest|stv|until|scale)\b`)

// Ensure each counting method opens by its French name as typed in
// « /sondage nouveau », singular or plural, with French settings words, and
// that the poll message and the French help name no English method.
func TestPoll_FrenchMethodNames(t *testing.T) {
	for _, tt := range []struct{ word, method, settings string }{
		{"uninominal", "single", ""},
		{"unique", "single", ""},
		{"approbation", "approval", ""},
		{"alternatif", "irv", ""},
		{"schulze", "schulze", ""},
		{"borda", "borda", ""},
		{"notes", "score", " échelle 0-10"},
		{"gommettes", "dot", " gommettes 5"},
		{"jugement", "judgment", ""},
		{"dates", "date", ""},
		{"date", "date", ""},
		{"concours", "contest", ""},
		{"vut", "stv", " sièges 2"},
		{"Alternatif", "irv", " jusqu'au 2026-12-04 18:00"},
	} {
		t.Run(tt.word, func(t *testing.T) {
			e := pollEnv(t, "fr", botstest.Options{})
			opts := "Lyon | Nantes | Lille"
			if tt.method == "date" {
				opts = "2026-12-10 19:00 | 2026-12-11 19:00"
			}
			out := e.Say("alice", "/sondage nouveau "+tt.word+" Où aller ? | "+opts+tt.settings)
			if p := pollShot(t, e, "V1"); string(p.Method) != tt.method {
				t.Fatalf("%s: method %q, want %q; answer %q", tt.word, p.Method, tt.method, botstest.Texts(out))
			}
			for _, m := range e.Sent.Messages() {
				if w := englishMethod.FindString(m.Text); w != "" {
					t.Errorf("French message names %q: %q", w, m.Text)
				}
			}
		})
	}
	e := pollEnv(t, "fr", botstest.Options{})
	out := e.Say("alice", "/sondage nouveau plurality Où ? | Lyon | Nantes")
	if len(out) == 0 || !strings.Contains(out[0].Text, "uninominal") || englishMethod.MatchString(out[0].Text) {
		t.Fatalf("unknown method: %q, want the French method names", botstest.Texts(out))
	}
	for _, cmd := range []string{"/aide sondage", "/aide voter"} {
		for _, m := range e.Say("alice", cmd) {
			if w := englishMethod.FindString(m.Text); w != "" {
				t.Errorf("%s names %q: %q", cmd, w, m.Text)
			}
			if strings.Contains(m.Text, "Nashville") {
				t.Errorf("%s gives Tennessee's cities: %q", cmd, m.Text)
			}
		}
	}
}

// Ensure the votes the French help gives as examples are valid as typed.
func TestVote_FrenchHelpExamples(t *testing.T) {
	for _, tt := range []struct{ method, ballot string }{
		{"uninominal", "Lyon"},
		{"approbation", "Lyon, Nantes"},
		{"alternatif", "Lyon > Lille = Nantes"},
		{"notes", "Lille=4, Lyon=3"},
		{"jugement", "Lille=bien"},
	} {
		e := pollEnv(t, "fr", botstest.Options{})
		e.Say("alice", "/sondage nouveau "+tt.method+" Où aller ? | Lyon | Nantes | Lille")
		e.Sent.Reset()
		out := e.Say("bob", "/voter V1 "+tt.ballot)
		p := pollShot(t, e, "V1")
		if p.Ballots != 1 {
			t.Errorf("%s: /voter V1 %s: %d ballots; answer %q", tt.method, tt.ballot, p.Ballots, botstest.Texts(out))
		}
	}
}

// Ensure a French poll message writes shares with a decimal comma: 1 of 3
// ballots is 33,3 %.
func TestPoll_FrenchDecimalComma(t *testing.T) {
	e := pollEnv(t, "fr", botstest.Options{})
	e.Say("alice", "/sondage nouveau uninominal Où aller ? | Lyon | Nantes | Lille")
	e.Say("alice", "/voter V1 Lyon")
	e.Say("bob", "/voter V1 Nantes")
	e.Sent.Reset()
	e.Say("zoe", "/voter V1 Lille")
	advance(t, e, 5*time.Second)
	found := false
	for _, m := range e.Sent.Messages() {
		if strings.Contains(m.Text, "33.3") {
			t.Errorf("decimal point in French: %q", m.Text)
		}
		found = found || strings.Contains(m.Text, "(33,3 %)")
	}
	if !found {
		t.Fatalf("no 33,3 %% in %q", botstest.Texts(e.Sent.Messages()))
	}
}

// Ensure the commands the French help and receipts show work as typed: a
// community, a project and its stage, a campaign, a pledge and its withdrawal.
func TestFrench_CommandsAsTyped(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true, Lang: "fr"})
	say := func(who, text string) { e.Say(who, text) }
	say("alice", "/communaute creer Club fuseau Europe/Paris langue fr")
	say("alice", "/projet nouveau Jardin partagé — des bacs dans la cour")
	say("alice", "/projet P1 stade soutien")
	say("alice", "/campagne nouvelle don Bacs objectif 500 € jusqu'au 2026-12-20 pour P1")
	say("bob", "/promesse C1 20")
	c := e.Snapshot().Communities[0]
	if len(c.Projects) != 1 || c.Projects[0].Stage != "support" || len(c.Campaigns) != 1 {
		t.Fatalf("projects %+v, campaigns %+v", c.Projects, c.Campaigns)
	}
	if got := c.Campaigns[0].Pledged; got != 2000 {
		t.Fatalf("pledged %d after /promesse C1 20", got)
	}
	say("bob", "/promesse C1 annuler")
	if got := e.Snapshot().Communities[0].Campaigns[0].Pledged; got != 0 {
		t.Fatalf("pledged %d after /promesse C1 annuler", got)
	}
}

// Ensure a French loan's rate is typed as the French help writes it (taux 2,5 %)
// and shown with a decimal comma.
func TestFrench_LoanRateAsTyped(t *testing.T) {
	e := pollEnv(t, "fr", botstest.Options{})
	e.Say("alice", "/campagne nouvelle pret Camion objectif 1 000 € jusqu'au 2026-12-20 taux 2,5 % duree 12")
	c := e.Snapshot().Communities[0]
	if len(c.Campaigns) != 1 || c.Campaigns[0].Rate != "2.5" {
		t.Fatalf("campaigns %+v", c.Campaigns)
	}
	found := false
	for _, m := range e.Sent.Messages() {
		if strings.Contains(m.Text, "2.5") {
			t.Errorf("decimal point in French: %q", m.Text)
		}
		found = found || strings.Contains(m.Text, "2,5 % par an")
	}
	if !found {
		t.Fatalf("no « 2,5 %% par an » in %q", botstest.Texts(e.Sent.Messages()))
	}
}
