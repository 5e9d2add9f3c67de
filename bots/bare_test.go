package bots_test

import (
	"strings"
	"testing"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
)

// Ensure a command typed without its slash in a direct message runs where the
// platform says slashes cannot start a message (Event.Bare), in either language,
// and only then; a question waiting for an answer takes the text first.
func TestBot_BareCommandsInDirectMessages(t *testing.T) {
	e := setup(t)
	bare := func(user, text string) []bots.Message {
		ev := e.Event(user, ">"+text)
		ev.Bare = true
		return e.Handle(ev)
	}
	if got := botstest.Texts(bare("alice", "projects")); len(got) != 1 || !strings.Contains(got[0], "P1 Garden") {
		t.Fatalf("got %q, want the projects", got)
	}
	if got := botstest.Texts(bare("alice", "projets")); len(got) != 1 || !strings.Contains(got[0], "P1 Garden") {
		t.Fatalf("got %q for the French alias, want the projects", got)
	}
	hint := botstest.Texts(e.Say("alice", ">projects"))
	if len(hint) != 1 || strings.Contains(hint[0], "P1 Garden") {
		t.Fatalf("got %q without Bare, want the hint", hint)
	}
	if got := botstest.Texts(bare("alice", "what a lovely day")); len(got) != 1 || got[0] != hint[0] {
		t.Fatalf("got %q for free text, want the hint", got)
	}
	// A form asked field by field takes the next text, even a command's name.
	e.Say("alice", ">/news P1")
	bare("alice", "help")
	if news := project(t, e, "P1").News; len(news) != 1 || news[0].Text != "help" {
		t.Fatalf("got news %+v, want the text typed in answer", news)
	}
}
