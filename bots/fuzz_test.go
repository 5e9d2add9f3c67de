package bots_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
)

// Ensure the command parser never panics and returns a clean lowercase name.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/help", "/vote@EngageBot V1 Nashville", "/news P1 é", "/ ", "//", "/x@", "hello", "/PROJECT   new  T", "\x00/a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, args, ok := bots.ParseCommand(s)
		if !ok {
			return
		}
		if name == "" || strings.ContainsFunc(name, unicode.IsSpace) || strings.Contains(name, "@") {
			t.Fatalf("bad name %q from %q", name, s)
		}
		if name != strings.ToLower(name) {
			t.Fatalf("name %q not lowercase", name)
		}
		if utf8.ValidString(s) && !strings.Contains(s, args) {
			t.Fatalf("args %q not from %q", args, s)
		}
	})
}

// Ensure any text a member types gets an answer or silence, never an internal
// error, and never a panic.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{
		"/help", "/project new T — d", "/follow P1", "/news P1 hi", "/nextstep P1 x by 2026-12-24",
		"/contact P1 email=a@b.c when=\"x y\"", "/role @bob admin", "/find é", "/community create A tz UTC",
		"/link ABCDEF", "/forgetme confirm", "/projects idee", "/projet P1 stade soutien", "/lang fr",
		"/community join ZZZZZZ", "/referent P1 @bob", "/offer P1", "/needs P1 x", "/like P1", "plain text",
		"/proxy M1 @alice", "/procuration M1 annuler", "/proxy M1", "/vote V1 1 for @alice", "/vote V1 pour @",
		"/poll V1 nonvoters", "/sondage V1 participation x",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	e := botstest.NewEnv(f, botstest.Options{NoSync: true})
	n := 0
	f.Fuzz(func(t *testing.T, text string, direct bool) {
		// A fresh community in a fresh chat every few hundred inputs: what the
		// fuzzer creates piles up (thousands of projects) and would slow every
		// later input.
		e.TB = t
		if n%300 == 0 {
			e.Chat = fmt.Sprintf("group-%d", n/300)
			e.Say("alice", "/community create Club lang en")
			e.Say("alice", "/project new Garden")
			e.Say("alice", "/meeting new 2027-01-14 19:00 AGM")
			e.Say("alice", "/poll new single Q? | A | B meeting M1")
			e.Say("bob", "hello")
		}
		n++
		ev := e.Event("bob", text)
		if direct {
			ev.Direct, ev.ChatID = true, "dm:bob"
		}
		out, err := e.Bot.Handle(context.Background(), ev)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		for _, m := range out {
			if strings.Contains(m.Text, "[err.") || strings.Contains(m.Text, "went wrong") || strings.HasPrefix(m.Text, "[") && strings.Contains(m.Text, ".") && !strings.Contains(m.Text, " ") {
				t.Fatalf("%q: answer %q", text, m.Text)
			}
		}
	})
}
