package prompts

import (
	"regexp"
	"strings"
	"testing"
	"text/template/parse"
	"unicode"
	"unicode/utf8"

	"github.com/engage-org/engage/core"
)

// frenchSpaces are the spaces French puts before : ; ! ? and %: a plain space,
// a no-break space or a narrow no-break space.
func frenchSpace(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' }

var (
	decimalPoint = regexp.MustCompile(`[0-9]\.[0-9]`)
	// consoleSyntax is what the terminal texts (cli.*) show as typed: a console
	// line's speaker (alice: /projects, NAME: TEXT) and a store (bolt:FILE).
	consoleSyntax = regexp.MustCompile(`^\(?(alice|NAME|bolt|postgres):`)
)

// literalRuns calls fn with each run of literal text of a template: the text
// nodes, where a text that follows an action (whose output may end with any
// character) starts with prevAction set.
func literalRuns(tree *parse.Tree, fn func(text string, afterAction bool)) {
	var walk func(n parse.Node)
	walkList := func(l *parse.ListNode) {
		if l == nil {
			return
		}
		after := false
		for _, c := range l.Nodes {
			if tn, ok := c.(*parse.TextNode); ok {
				fn(string(tn.Text), after)
				after = false
				continue
			}
			_, after = c.(*parse.ActionNode)
			walk(c)
		}
	}
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			walkList(n)
		case *parse.IfNode:
			walkList(n.List)
			walkList(n.ElseList)
		case *parse.RangeNode:
			walkList(n.List)
			walkList(n.ElseList)
		case *parse.WithNode:
			walkList(n.List)
			walkList(n.ElseList)
		}
	}
	walk(tree.Root)
}

// frenchTypoFaults returns what in text breaks French typography: a : ; ! ?
// with no space before it (a time 19:00 and a URL's colon excepted), and a
// decimal point in a number.
func frenchTypoFaults(text string, afterAction bool) []string {
	var out []string
	for _, loc := range decimalPoint.FindAllStringIndex(text, -1) {
		if w := wordAround(text, loc[0]); !strings.Contains(w, "://") {
			out = append(out, "decimal point in "+w)
		}
	}
	for i, r := range text {
		if r == '%' && (i == 0 && afterAction || i > 0 && unicode.IsDigit(rune(text[i-1]))) {
			out = append(out, "no space before % in "+wordAround(text, i))
			continue
		}
		if !strings.ContainsRune(":;!?", r) {
			continue
		}
		if i == 0 {
			if afterAction {
				out = append(out, "no space before "+string(r)+" after a field")
			}
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		if frenchSpace(prev) || prev == '\n' {
			continue
		}
		word := wordAround(text, i)
		next, _ := utf8.DecodeRuneInString(text[i+1:])
		switch {
		case r == ':' && unicode.IsDigit(prev) && unicode.IsDigit(next): // a time, 19:00
		case r == ':' && strings.Contains(word, "HH:MM"):
		case r == ':' && strings.Contains(word, "://"):
		case r == '?' && strings.Contains(word, "://"): // a URL's query
		case r == ':' && consoleSyntax.MatchString(word):
		default:
			out = append(out, "no space before "+string(r)+" in "+word)
		}
	}
	return out
}

// wordAround returns the run of non-space characters around text[i].
func wordAround(text string, i int) string {
	start := strings.LastIndexAny(text[:i], " \n\u00a0\u202f") + 1
	end := strings.IndexAny(text[i:], " \n\u00a0\u202f")
	if end < 0 {
		end = len(text) - i
	}
	return text[start : i+end]
}

// Ensure every French text follows French typography: a space before : ; ! ?
// and a decimal comma — in what the text writes itself; numbers it is given
// are formatted by the functions (TestFrench_DecimalComma).
func TestFrench_Typography(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, tmpl := range c.sets["fr"].Templates() {
		// A CSV file's separator is a ; with no space.
		if tmpl.Tree == nil || tmpl.Name() == "fr" || strings.HasSuffix(tmpl.Name(), ".csv") {
			continue
		}
		checked++
		literalRuns(tmpl.Tree, func(text string, after bool) {
			for _, f := range frenchTypoFaults(text, after) {
				t.Errorf("%s: %s", tmpl.Name(), f)
			}
		})
	}
	if checked < 100 {
		t.Fatalf("only %d texts checked: the walk is broken", checked)
	}
}

// Ensure the typography check itself catches each fault and lets French through.
func TestFrenchTypoFaults(t *testing.T) {
	for _, c := range []struct {
		text  string
		after bool
		bad   bool
	}{
		{"Jardin partagé : ouvert", false, false},
		{"Jardin partagé: ouvert", false, true},
		{"Vraiment ?", false, false},
		{"Vraiment?", false, true},
		{"Merci !", false, false},
		{"Merci!", false, true},
		{"un ; deux", false, false},
		{"un; deux", false, true},
		{"à 19:00", false, false},
		{"[HH:MM]", false, false},
		{"--now 2026-12-01T09:00", false, false},
		{"Essayez : alice: /projects", false, false},
		{"http://127.0.0.1:8080/backup", false, false},
		{"écrivez 7.25 %", false, true},
		{"Usage: engage", false, true},
		{"voir https://example.org", false, false},
		{"33,3 %", false, false},
		{"33.3 %", false, true},
		{"33%", false, true},
		{"% des mentions", true, true},
		{"% des mentions", false, false},
		{": suite", true, true},
		{": suite", false, false},
		{"\u202f: suite", true, false},
	} {
		got := frenchTypoFaults(c.text, c.after)
		if (len(got) > 0) != c.bad {
			t.Errorf("%q (after a field %v): faults %q", c.text, c.after, got)
		}
	}
}

// Ensure French texts name commands by their French aliases (/projet nouveau,
// /promesse C1 annuler), which work as typed: a command written with its
// English name where a French one exists is reported. Platform menus and slash
// commands (menu.*, discord.*) and the terminal (cli.*) name commands as
// registered.
func TestFrench_CommandNames(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	english := map[string]bool{} // English commands that have a French alias
	for alias, cmd := range c.aliases {
		if alias != cmd {
			english[cmd] = true
		}
	}
	for alias := range c.aliases {
		delete(english, alias) // "vote" is French too
	}
	delete(english, "referent") // French as well: référent
	command := regexp.MustCompile(`(?:^|[\s(«"'])/([a-z]+)\b`)
	checked := 0
	for _, tmpl := range c.sets["fr"].Templates() {
		name := tmpl.Name()
		if tmpl.Tree == nil || name == "fr" || strings.HasPrefix(name, "menu.") || strings.HasPrefix(name, "discord.") || strings.HasPrefix(name, "cli.") {
			continue
		}
		literalRuns(tmpl.Tree, func(text string, _ bool) {
			for _, m := range command.FindAllStringSubmatch(text, -1) {
				checked++
				if english[m[1]] {
					t.Errorf("%s: /%s is English; use its French alias", name, m[1])
				}
			}
		})
	}
	if checked < 50 {
		t.Fatalf("only %d commands seen: the walk is broken", checked)
	}
}

// Ensure French texts write the decimal numbers they are given with a decimal
// comma and a space before %: a loan's rate 2.5 reads « 2,5 % », in English
// "2.5%".
func TestFrench_DecimalComma(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]any{"Loan": true, "Rate": "2.5", "ID": "C1", "Title": "Four", "Amount": core.Money{Amount: 10000, Currency: "EUR"}}
	for _, tt := range []struct{ lang, want, not string }{
		{"fr", "2,5 %", "2.5"},
		{"en", "2.5%", "2,5"},
	} {
		got := c.Text(tt.lang, "schedule", data)
		if !strings.Contains(got, tt.want) || strings.Contains(got, tt.not) {
			t.Errorf("%s schedule: %q, want %q", tt.lang, got, tt.want)
		}
	}
	if got := decimalMark("fr", "33.3"); got != "33,3" {
		t.Errorf("decimalMark(fr, 33.3) = %q", got)
	}
}
