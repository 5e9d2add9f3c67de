package prompts

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"
	"time"
)

// fieldsOf returns the field names a template reads (".Amount", "$.ID",
// ".Camp.Goal" gives Amount, ID, Camp and Goal), sorted and without repeats.
func fieldsOf(tree *parse.Tree) []string {
	seen := map[string]bool{}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case nil:
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			for _, id := range n.Ident {
				seen[id] = true
			}
		case *parse.VariableNode:
			for _, id := range n.Ident[1:] {
				seen[id] = true
			}
		case *parse.ChainNode:
			walk(n.Node)
			for _, id := range n.Field {
				seen[id] = true
			}
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		}
	}
	walk(tree.Root)
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// languageOnly are fields that only steer a text's form in some languages: the
// English money format asks whether the currency is a sign ($5) or a code
// (CHF 5); French always writes the number first.
var languageOnly = map[string][]string{"money.format": {"IsSign"}}

// Ensure each text reads the same fields in every language: a field that one
// language shows and the other forgets is a figure a member misses, and a field
// only one language names is a typo that shows nothing.
func TestCatalog_SameFields(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en := c.sets[DefaultLang]
	checked := 0
	for _, lang := range c.langs {
		if lang == DefaultLang {
			continue
		}
		for _, tmpl := range c.sets[lang].Templates() {
			name := tmpl.Name()
			if tmpl.Tree == nil || name == lang {
				continue
			}
			ref := en.Lookup(name)
			if ref == nil || ref.Tree == nil {
				continue // TestCatalog_Complete reports it
			}
			checked++
			drop := func(fs []string) []string {
				return slices.DeleteFunc(fs, func(f string) bool { return slices.Contains(languageOnly[name], f) })
			}
			a, b := drop(fieldsOf(ref.Tree)), drop(fieldsOf(tmpl.Tree))
			if !slices.Equal(a, b) {
				t.Errorf("%s: %s reads %q, %s reads %q", name, DefaultLang, a, lang, b)
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d texts compared: the walk is broken", checked)
	}
}

// Ensure a strict catalog reports a text whose data lacks a key it reads, where
// the ordinary one shows "<no value>" to the member.
func TestLoadStrict_ReportsMissingKeys(t *testing.T) {
	var failed []string
	strict, err := LoadStrict(func(key string, err error) { failed = append(failed, key) })
	if err != nil {
		t.Fatal(err)
	}
	loose, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]any{"Number": "5"} // no Sign
	if got := loose.Text("fr", "money.format", data); !strings.Contains(got, "<no value>") {
		t.Fatalf("loose: got %q", got)
	}
	strict.Text("fr", "money.format", data)
	strict.Text("fr", "no.such.text", nil)
	if !slices.Equal(failed, []string{"money.format", "no.such.text"}) {
		t.Fatalf("reported %q", failed)
	}
}

// Ensure ViewProblems finds a name a text reads that its view lacks, a condition
// on a struct that is never empty, and a text that does not exist, and passes a
// view that fits.
func TestViewProblems(t *testing.T) {
	c, err := LoadStrict(nil)
	if err != nil {
		t.Fatal(err)
	}
	type fits struct{ Cmd string }
	type lacks struct{ Other string }
	if p := c.ViewProblems("cli.unknown", reflect.TypeOf(fits{})); len(p) != 0 {
		t.Errorf("a view that fits: %q", p)
	}
	if p := c.ViewProblems("cli.unknown", reflect.TypeOf(lacks{})); len(p) != len(c.Langs()) {
		t.Errorf("a view without .Cmd: %q, want a problem per language", p)
	}
	if p := c.ViewProblems("no.such.text", reflect.TypeOf(fits{})); len(p) != len(c.Langs()) {
		t.Errorf("a text that does not exist: %q", p)
	}
	type never struct{ D time.Time }
	c.sets["en"] = template.Must(c.sets["en"].New("test.cond").Parse(`{{if .D}}{{date .D}}{{end}}`))
	c.sets["fr"] = template.Must(c.sets["fr"].New("test.cond").Parse(`{{if .D}}{{date .D}}{{end}}`))
	if p := c.ViewProblems("test.cond", reflect.TypeOf(never{})); len(p) != 2 {
		t.Errorf("a condition on a time: %q", p)
	}
	type optional struct{ D *time.Time }
	if p := c.ViewProblems("test.cond", reflect.TypeOf(optional{})); len(p) != 0 {
		t.Errorf("a condition on an optional time: %q", p)
	}
}
