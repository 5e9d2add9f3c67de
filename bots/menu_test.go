package bots_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
)

// Ensure the command menu lists the commands /help shows, each once, with a
// short description in the language asked for, never a missing text.
func TestMenu(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	en, fr := e.Bot.Menu("en"), e.Bot.Menu("fr")
	if len(en) < 20 || len(en) != len(fr) {
		t.Fatalf("menus of %d and %d commands", len(en), len(fr))
	}
	seen := map[string]bool{}
	for i, c := range en {
		if seen[c.Name] || c.Name != fr[i].Name {
			t.Fatalf("command %q twice, or not in the same place in French", c.Name)
		}
		seen[c.Name] = true
		for _, d := range []string{c.Description, fr[i].Description} {
			if d == "" || strings.HasPrefix(d, "[") || strings.HasPrefix(d, "/") || utf8.RuneCountInString(d) > bots.MaxMenuDescription {
				t.Fatalf("/%s: description %q", c.Name, d)
			}
		}
		if c.Description == fr[i].Description {
			t.Fatalf("/%s: the same description in both languages: %q", c.Name, c.Description)
		}
	}
	if !seen["help"] || !seen["follow"] || seen["start"] {
		t.Fatalf("menu %v", en)
	}
}
