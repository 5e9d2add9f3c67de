package prompts_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/prompts"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func load(t *testing.T) *prompts.Catalog {
	t.Helper()
	c, err := prompts.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Ensure every text exists in French and in English.
func TestCatalog_Complete(t *testing.T) {
	c := load(t)
	if got := c.Langs(); !slices.Equal(got, []string{"en", "fr"}) {
		t.Fatalf("languages: got %q", got)
	}
	for lang, keys := range c.Missing() {
		if len(keys) > 0 {
			t.Errorf("%s lacks %d texts: %q", lang, len(keys), keys)
		}
	}
}

// Ensure every message key the code names exists in the catalog: a key written in
// code with no template would show as "[key]" to members.
func TestCatalog_KeysInCode(t *testing.T) {
	c := load(t)
	prefixes := map[string]bool{}
	for _, k := range c.Keys("en") {
		prefixes[strings.SplitN(k, ".", 2)[0]] = true
	}
	lit := regexp.MustCompile(`"([a-z]+(?:\.[a-z_]+)+)"`)
	var files []string
	for _, dir := range []string{"../core", "../bots", "../cmd/engage", "../web"} {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		files = append(files, matches...)
	}
	// The web pages name their texts in their templates too.
	pages, _ := filepath.Glob("../web/templates/*.html")
	files = append(files, pages...)
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(src), -1) {
			key := m[1]
			if !prefixes[strings.SplitN(key, ".", 2)[0]] || strings.HasSuffix(key, ".") {
				continue
			}
			if strings.HasSuffix(key, ".go") || strings.HasSuffix(key, ".db") || strings.HasSuffix(key, ".txt") || strings.HasSuffix(key, ".css") || strings.HasSuffix(key, ".svg") {
				continue
			}
			checked++
			for _, lang := range c.Langs() {
				if !c.Has(lang, key) && !hasPrefixKey(c, lang, key) {
					t.Errorf("%s: %q has no %s text", filepath.Base(f), key, lang)
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d keys found in code: the scan is broken", checked)
	}
}

// hasPrefixKey accepts keys the code completes at run time ("help." + name).
func hasPrefixKey(c *prompts.Catalog, lang, key string) bool {
	for _, k := range c.Keys(lang) {
		if strings.HasPrefix(k, key+".") {
			return true
		}
	}
	return false
}

// Ensure plural rules follow each language: French treats 0 and 1 as singular.
func TestPlural(t *testing.T) {
	c := load(t)
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0 members"}, {"en", 1, "1 member,"}, {"en", 2, "2 members"},
		{"fr", 0, "0 membre,"}, {"fr", 1, "1 membre,"}, {"fr", 2, "2 membres"},
	} {
		got := c.Text(tt.lang, "members", map[string]any{
			"S": map[string]any{"Total": tt.n, "Active": 0}, "ByRole": map[string]int{},
		})
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s %d: got %q, want prefix %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

// Ensure a missing key shows itself rather than breaking, and a missing French
// text falls back to English.
func TestText_Fallback(t *testing.T) {
	c := load(t)
	if got := c.Text("fr", "no.such.key", nil); got != "[no.such.key]" {
		t.Errorf("got %q", got)
	}
	if got := c.Text("de", "lang.set", nil); got != c.Text("en", "lang.set", nil) {
		t.Errorf("unknown language: got %q", got)
	}
}

// Ensure sample texts render as the golden files say, in both languages.
func TestGolden(t *testing.T) {
	c := load(t)
	due := time.Date(2026, 12, 15, 23, 59, 59, 0, time.UTC)
	samples := []struct {
		key  string
		data any
	}{
		{"project.show", map[string]any{"P": map[string]any{
			"ID": "P1", "Title": "Garden", "Stage": "support", "Referents": []string{"alice", "bob"},
			"NextStep": "Plant seeds", "Due": due, "Shared": false, "Followers": 1, "Likes": 2, "News": 3,
			"Needs": []string{"carpentry"}, "Latest": []map[string]any{{"Text": "Beds are in", "At": due}},
		}}},
		{"nextstep.post", map[string]any{"ID": "P1", "Title": "Garden", "Text": "Dig", "Due": due}},
		{"err.usage", map[string]any{"cmd": "news", "help": "/news P1 TEXT"}},
		{"err.too_long", map[string]any{"what": "text", "max": 2000, "len": 2500}},
		{"form.ask", map[string]any{"Title": "Next step", "Label": "By what date?", "Placeholder": "15/12", "Optional": true, "Step": 2, "Steps": 2}},
	}
	for _, lang := range c.Langs() {
		var b strings.Builder
		for _, s := range samples {
			b.WriteString("== " + s.key + "\n" + c.Text(lang, s.key, s.data) + "\n")
		}
		path := filepath.Join("testdata", "samples."+lang+".golden")
		if *update {
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if b.String() != string(want) {
			t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", lang, path, b.String())
		}
	}
}
