package bots_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/engage-org/engage/bots"
)

var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// The moments the answers are read at: just before a year ends, at a month's end,
// and on the Friday before summer time starts in Paris (Sunday 28 March 2027).
var (
	yearEnd  = time.Date(2026, 12, 28, 10, 0, 0, 0, paris) // a Monday
	monthEnd = time.Date(2027, 1, 27, 10, 0, 0, 0, paris)  // a Wednesday
	dstEve   = time.Date(2027, 3, 26, 10, 0, 0, 0, paris)  // a Friday
)

// Ensure check-in replies, typed as people type them in French and English, give
// the next step, its date (in the community's zone), whether it is posted, "same"
// and "no date" — across a month end, a year end and a daylight-saving change.
func TestParseAnswer(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		lang   string
		now    time.Time
		step   string
		due    string // 2006-01-02, or 2006-01-02 15:04 MST with a time; "" for none
		shared int
		noDue  bool
		same   bool
	}{
		// French, relative and absolute, over the year end.
		{"fr/fin mars", "on finit le prototype fin mars", "fr", yearEnd, "on finit le prototype", "2027-03-31", 0, false, false},
		{"fr/fin mars posted", "on finit le prototype fin mars, c'est sur la liste", "fr", yearEnd, "on finit le prototype", "2027-03-31", 1, false, false},
		{"fr/le 12/04", "le 12/04", "fr", yearEnd, "", "2027-04-12", 0, false, false},
		{"fr/dans deux semaines", "dans deux semaines", "fr", yearEnd, "", "2027-01-11", 0, false, false},
		{"fr/le 5 janvier", "Réunion avec la mairie le 5 janvier", "fr", yearEnd, "Réunion avec la mairie", "2027-01-05", 0, false, false},
		{"fr/d'ici vendredi", "Trouver une salle d'ici vendredi", "fr", yearEnd, "Trouver une salle", "2027-01-01", 0, false, false},
		{"fr/demain", "demain", "fr", yearEnd, "", "2026-12-29", 0, false, false},
		{"fr/fin du mois", "Envoyer le dossier fin du mois", "fr", yearEnd, "Envoyer le dossier", "2026-12-31", 0, false, false},
		{"fr/début janvier", "Relancer les bénévoles début janvier", "fr", yearEnd, "Relancer les bénévoles", "2027-01-01", 0, false, false},
		{"fr/semaine prochaine", "Voir le menuisier la semaine prochaine", "fr", yearEnd, "Voir le menuisier", "2027-01-04", 0, false, false},
		{"fr/15/01/2027", "Rendre le rapport le 15/01/2027", "fr", yearEnd, "Rendre le rapport", "2027-01-15", 0, false, false},
		{"fr/intro", "La prochaine étape c'est de monter les bacs avant le 15/01, déjà publié", "fr", yearEnd, "monter les bacs", "2027-01-15", 1, false, false},
		{"fr/pas encore inside", "On n'a pas encore la salle, on la cherche pour mi-janvier", "fr", yearEnd, "On n'a pas encore la salle, on la cherche", "2027-01-15", 0, false, false},
		{"fr/au plus tard", "Poser l'affiche au plus tard le 3 avril", "fr", yearEnd, "Poser l'affiche", "2027-04-03", 0, false, false},
		{"fr/1er avril", "Semer les tomates le 1er avril", "fr", yearEnd, "Semer les tomates", "2027-04-01", 0, false, false},
		{"fr/pas de date", "Acheter les graines, pas de date", "fr", yearEnd, "Acheter les graines", "", 0, true, false},
		{"fr/pas encore partagé", "pas encore partagé", "fr", yearEnd, "", "", -1, false, false},
		{"fr/déjà sur la liste", "c'est déjà sur la liste", "fr", yearEnd, "", "", 1, false, false},
		{"fr/oui", "Oui", "fr", yearEnd, "", "", 1, false, false},
		{"fr/non", "non", "fr", yearEnd, "", "", -1, false, false},
		{"fr/pas encore", "pas encore", "fr", yearEnd, "", "", -1, false, false},
		{"fr/pareil", "pareil", "fr", yearEnd, "", "", 0, false, true},
		{"fr/je ne sais pas", "je ne sais pas", "fr", yearEnd, "", "", 0, true, false},
		{"fr/aucune idée", "Aucune idée", "fr", yearEnd, "", "", 0, true, false},
		// French around the change to summer time (Sunday 28 March 2027, 2:00 → 3:00).
		{"fr/vendredi en huit", "vendredi en huit", "fr", dstEve, "", "2027-04-09", 0, false, false},
		{"fr/dans 3 jours dst", "Finir les plans dans 3 jours", "fr", dstEve, "Finir les plans", "2027-03-29", 0, false, false},
		{"fr/lundi 10h dst", "Réunion lundi 10h", "fr", dstEve, "Réunion", "2027-03-29 10:00 CEST", 0, false, false},
		{"fr/dimanche 9h dst", "Marché dimanche à 9h", "fr", dstEve, "Marché", "2027-03-28 09:00 CEST", 0, false, false},
		// English, over the year end.
		{"en/next friday", "next Friday", "en", yearEnd, "", "2027-01-01", 0, false, false},
		{"en/all at once", "We finish the prototype by end of March, it's posted", "en", yearEnd, "We finish the prototype", "2027-03-31", 1, false, false},
		{"en/in two weeks", "in two weeks", "en", yearEnd, "", "2027-01-11", 0, false, false},
		{"en/January 8th", "Call the town hall by January 8th", "en", yearEnd, "Call the town hall", "2027-01-08", 0, false, false},
		{"en/day first", "Paint the shed before 12/03", "en", yearEnd, "Paint the shed", "2027-03-12", 0, false, false},
		{"en/iso", "Order the wood by 2027-01-15, not posted yet", "en", yearEnd, "Order the wood", "2027-01-15", -1, false, false},
		{"en/not yet", "not yet", "en", yearEnd, "", "", -1, false, false},
		{"en/yes", "yes", "en", yearEnd, "", "", 1, false, false},
		{"en/already posted", "Already posted.", "en", yearEnd, "", "", 1, false, false},
		{"en/same", "same", "en", yearEnd, "", "", 0, false, true},
		{"en/same with date", "same, by next friday", "en", yearEnd, "", "2027-01-01", 0, false, true},
		{"en/no date yet", "no date yet", "en", yearEnd, "", "", 0, true, false},
		{"en/no date inside", "Book the room, no date", "en", yearEnd, "Book the room", "", 0, true, false},
		{"en/I don't know", "I don't know", "en", yearEnd, "", "", 0, true, false},
		{"en/it's on the list", "it's on the list", "en", yearEnd, "", "", 1, false, false},
		// English over a month end.
		{"en/end of the month", "Send the newsletter by the end of the month", "en", monthEnd, "Send the newsletter", "2027-01-31", 0, false, false},
		{"en/next month", "Start the choir next month", "en", monthEnd, "Start the choir", "2027-02-01", 0, false, false},
		{"en/in a week", "Fix the bikes in a week", "en", monthEnd, "Fix the bikes", "2027-02-03", 0, false, false},
		{"en/intro", "The next step is to print flyers by tomorrow, already shared", "en", monthEnd, "print flyers", "2027-01-28", 1, false, false},
		// English around the change to summer time.
		{"en/sunday 9am dst", "Market stall on Sunday at 9am", "en", dstEve, "Market stall", "2027-03-28 09:00 CEST", 0, false, false},
		{"en/monday 6pm dst", "Meet the mayor next Monday 6pm", "en", dstEve, "Meet the mayor", "2027-03-29 18:00 CEST", 0, false, false},
		// A past date is skipped for the one to come.
		{"en/past then future", "We met yesterday; next we tidy the hall by Monday", "en", dstEve, "We met; next we tidy the hall", "2027-03-29", 0, false, false},
		{"fr/past only", "On a fini hier", "fr", dstEve, "On a fini hier", "", 0, false, false},
		// Either language in the other's community.
		{"fr community, english words", "Order the bins by next friday, it's posted", "fr", yearEnd, "Order the bins", "2027-01-01", 1, false, false},
		{"en community, french words", "Ranger la salle fin janvier, c'est sur la liste", "en", yearEnd, "Ranger la salle", "2027-01-31", 1, false, false},
	}
	if len(tests) < 40 {
		t.Fatalf("only %d phrasings", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := bots.ParseAnswer(tt.text, tt.lang, tt.now, paris)
			if a.Step != tt.step {
				t.Errorf("step: got %q, want %q", a.Step, tt.step)
			}
			got := ""
			if a.HasDue {
				got = a.Due.Time.Format("2006-01-02")
				if a.Due.HasTime {
					got = a.Due.Time.Format("2006-01-02 15:04 MST")
				}
				if a.Due.Time.Location() != paris {
					t.Errorf("due in %v, want the community's zone", a.Due.Time.Location())
				}
			}
			if got != tt.due {
				t.Errorf("due: got %q, want %q", got, tt.due)
			}
			if a.Shared != tt.shared || a.NoDue != tt.noDue || a.Same != tt.same {
				t.Errorf("shared/noDue/same: got %d/%v/%v, want %d/%v/%v", a.Shared, a.NoDue, a.Same, tt.shared, tt.noDue, tt.same)
			}
		})
	}
}

// Ensure a date-only due date lasts to the end of its day in the community's zone,
// on both sides of a daylight-saving change (a 23-hour day).
func TestParseAnswer_EndOfDay(t *testing.T) {
	a := bots.ParseAnswer("dimanche", "fr", dstEve, paris)
	if !a.HasDue {
		t.Fatal("no date")
	}
	end := a.Due.End()
	if got, want := end.Format("2006-01-02 15:04:05 MST"), "2027-03-28 23:59:59 CEST"; got != want {
		t.Errorf("end of Sunday 28 March: got %s, want %s", got, want)
	}
	if got := end.Sub(a.Due.Time); got >= 23*time.Hour {
		t.Errorf("28 March lasts %v, want under 23 h", got)
	}
}

// Ensure whether a step reads as one.
func TestStepUsable(t *testing.T) {
	for s, want := range map[string]bool{
		"Paint the shed": true, "oui": false, "yes": false, "same": false, "je ne sais pas": false,
		"ok": false, "??": false, "a": false, "Semer": true, "": false,
	} {
		if got := bots.StepUsable(s); got != want {
			t.Errorf("StepUsable(%q) = %v, want %v", s, got, want)
		}
	}
}

// FuzzParseAnswer checks that any reply is read without failing, deterministically,
// into a step no longer than the reply and in valid UTF-8, with a due date to come.
func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{
		"on finit le prototype fin mars, c'est sur la liste", "next Friday", "le 12/04", "dans deux semaines",
		"pas encore", "same, by next friday", "I don't know", "\xff\xfe", "la prochaine étape c'est de", "31/02",
		"yesterday tomorrow next week", "c'est c'est c'est", "’’’", "-", "=", "👍",
	} {
		f.Add(s, "fr")
		f.Add(s, "en")
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		a := bots.ParseAnswer(text, lang, yearEnd, paris)
		b := bots.ParseAnswer(text, lang, yearEnd, paris)
		if a != b {
			t.Fatalf("not deterministic: %+v, %+v", a, b)
		}
		if !utf8.ValidString(a.Step) {
			t.Fatalf("step %q is not valid UTF-8", a.Step)
		}
		if len(a.Step) > len(text) {
			t.Fatalf("step %q longer than the reply %q", a.Step, text)
		}
		if a.HasDue && a.Due.End().Before(yearEnd) {
			t.Fatalf("due %v is past", a.Due)
		}
		if a.Shared < -1 || a.Shared > 1 {
			t.Fatalf("shared %d", a.Shared)
		}
	})
}

// BenchmarkParseAnswer measures reading a typical reply, and the longest one a
// message may hold.
func BenchmarkParseAnswer(b *testing.B) {
	long := strings.Repeat("on finit le prototype fin mars, c'est sur la liste ", 200)[:bots.MaxInput]
	for _, c := range []struct{ name, text string }{
		{"typical", "on finit le prototype fin mars, c'est sur la liste"},
		{"8KB", long},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				bots.ParseAnswer(c.text, "fr", yearEnd, paris)
			}
		})
	}
}
