package core_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// unsafeSamples are characters no name, title, label or amount may hold, one of
// each class: C0 controls (BEL, ESC starting a colour sequence, tab, carriage
// return), DEL and C1 controls, bidirectional overrides, isolates and marks,
// zero-width and invisible characters, line separators.
var unsafeSamples = map[string]string{
	"BEL": "\a", "ESC": "\x1b[31m", "TAB": "\t", "CR": "\r", "DEL": "\x7f", "NEL": "\u0085", "C1": "\u0090", "CSI": "\u009b",
	"RLO": "\u202e", "LRE": "\u202a", "LRI": "\u2066", "PDI": "\u2069", "RLM": "\u200f", "ALM": "\u061c",
	"ZWSP": "\u200b", "ZWJ": "\u200d", "WJ": "\u2060", "BOM": "\ufeff", "SHY": "\u00ad", "LS": "\u2028",
}

// badChar reports whether err is the refusal of an unsafe character.
func badChar(err error) bool {
	var ce *core.Error
	return errors.As(err, &ce) && ce.Code == core.CodeInvalid && ce.Msg == "err.bad_char"
}

// Ensure every text that enters the engine refuses control, bidirectional and
// invisible characters wherever they stand, and changes nothing; newlines only in
// texts that may have lines; emoji joined by a zero-width joiner stay allowed.
func TestText_UnsafeCharacters(t *testing.T) {
	entries := map[string]func(tx *core.Tx, m *core.Member, s string) error{
		"ProjectTitle": func(tx *core.Tx, m *core.Member, s string) error { _, err := tx.CreateProject(m, s, ""); return err },
		"ProjectDescription": func(tx *core.Tx, m *core.Member, s string) error {
			_, err := tx.CreateProject(m, "Garden", s)
			return err
		},
		"PollQuestion": func(tx *core.Tx, m *core.Member, s string) error {
			_, err := tx.OpenPoll(m, core.PollSpec{Method: tally.Single, Question: s, Options: opts("A", "B")})
			return err
		},
		"PollOption": func(tx *core.Tx, m *core.Member, s string) error {
			_, err := tx.OpenPoll(m, core.PollSpec{Method: tally.Single, Question: "Q", Options: opts("A", s)})
			return err
		},
		"CommunityName": func(tx *core.Tx, m *core.Member, s string) error {
			_, err := tx.CreateCommunity(m.Person, core.ChatRef{Platform: "test", ChatID: "other"}, false, s, "Europe/Paris", "fr")
			return err
		},
		"Amount": func(_ *core.Tx, _ *core.Member, s string) error {
			_, err := core.ParseAmount(strings.ReplaceAll(s, "Bad", "12"), "EUR", 0)
			return err
		},
	}
	for name, enter := range entries {
		for class, ch := range unsafeSamples {
			for _, at := range []string{"start", "middle", "end"} {
				t.Run(name+"/"+class+"/"+at, func(t *testing.T) {
					e, _ := newEngine(t)
					_, alice := community(t, e)
					s := map[string]string{"start": ch + "Bad", "middle": "Ba" + ch + "d", "end": "Bad" + ch}[at]
					if name == "Amount" {
						s = map[string]string{"start": ch + "12 €", "middle": "1" + ch + "2 €", "end": "12 €" + ch}[at]
					}
					_, err := e.Update(t.Context(), func(tx *core.Tx) error { return enter(tx, alice, s) })
					if (class == "TAB" || class == "CR" || class == "NEL" || class == "LS") && at != "middle" && name != "Amount" {
						return // trimmed away at the ends
					}
					if class == "TAB" && name == "Amount" {
						return // a tab groups thousands
					}
					if !badChar(err) {
						t.Fatalf("%q: got %v, want err.bad_char", s, err)
					}
					if snap := snapshot(t, e); len(snap.Communities) != 1 || len(snap.Communities[0].Projects) != 0 || len(snap.Communities[0].Polls) != 0 {
						t.Fatalf("%q: something was created", s)
					}
				})
			}
		}
	}
	for _, ok := range []struct{ name, s string }{
		{"ProjectTitle", "🥗 Salad bar"}, {"ProjectTitle", "Ferme 👩‍🌾 urbaine"}, {"PollOption", "👍🏽 Oui"},
		{"ProjectDescription", "Line one\nLine two\r\nLine three"}, {"Amount", "1 000 €"}, {"CommunityName", "Jardin partagé"},
	} {
		e, _ := newEngine(t)
		_, alice := community(t, e)
		if _, err := e.Update(t.Context(), func(tx *core.Tx) error { return entries[ok.name](tx, alice, ok.s) }); err != nil {
			t.Fatalf("%s %q: %v", ok.name, ok.s, err)
		}
	}
	e, _ := newEngine(t)
	_, alice := community(t, e)
	if _, err := e.Update(t.Context(), func(tx *core.Tx) error { return entries["ProjectTitle"](tx, alice, "Two\nlines") }); !badChar(err) {
		t.Fatalf("a newline in a title: got %v, want err.bad_char", err)
	}
}

// Ensure a name a platform reports is kept without its unsafe characters.
func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"Chloé":                  "Chloé",
		"Bad\a\x1b[31mred":       "Bad[31mred",
		"\u202egnp.exe":          "gnp.exe",
		"Zoe\u200b":              "Zoe",
		"Ana\nMaria":             "Ana Maria",
		"👩‍🌾 Farmer":             "👩‍🌾 Farmer",
		"\u2066Isolated\u2069 x": "Isolated x",
	} {
		if got := core.SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
	e, _ := newEngine(t)
	var p *core.Person
	update(t, e, func(tx *core.Tx) error {
		var err error
		p, err = tx.ResolveIdentity("test", "chloe", "Chlo\u202ee\x1b[2J", "chl\u200boe")
		return err
	})
	if p.Name != "Chloe[2J" {
		t.Fatalf("person name %q", p.Name)
	}
}

func snapshot(t *testing.T, e *core.Engine) *core.Snapshot {
	t.Helper()
	var s *core.Snapshot
	if err := e.View(t.Context(), func(tx *core.Tx) error {
		var err error
		s, err = tx.Snapshot()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

// Ensure SafeName always gives a name the character check accepts, keeps safe names
// as they are, is stable when applied again, and that CheckChars refuses exactly
// the texts SafeName would change (apart from spacing).
func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"Chloé", "Bad\a\x1b[31mred", "\u202egnp.exe", "Zoe\u200b", "Ana\nMaria", "👩\u200d🌾 Farmer",
		"\u200d👩", "👩\u200d", "\u2066x\u2069", "\x85\u2028\u00ad", "a\tb", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		got := core.SafeName(s)
		if err := core.CheckChars(got, false); err != nil {
			t.Fatalf("SafeName(%q) = %q, refused: %v", s, got, err)
		}
		if again := core.SafeName(got); again != got {
			t.Fatalf("SafeName(%q) = %q, then %q", s, got, again)
		}
		if core.CheckChars(s, false) == nil && got != s {
			t.Fatalf("SafeName changed the safe name %q into %q", s, got)
		}
		if err := core.CheckChars(s, true); err != nil && !badChar(err) {
			t.Fatalf("CheckChars(%q): %v", s, err)
		}
	})
}
