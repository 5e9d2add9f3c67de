package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
	"github.com/google/go-cmp/cmp"
)

// rankedPollScript is 100 members voting on a ranked poll in the console: a third
// of them change their ballot, the deadline passes with :clock. It returns the
// script and each member's last ballot, as tally values over the poll's options
// (Park, Square, School yard, Market hall).
func rankedPollScript() (string, map[string][]int) {
	var b strings.Builder
	b.WriteString("alice: /community create Quartier Solidaire lang en\n")
	b.WriteString("alice: /poll new irv Where do we hold the spring fair? | Park | Square | School yard | Market hall until 2026-12-05\n")
	rankings := []struct {
		typed  string
		values []int
	}{
		{"Park > Square > Market hall", []int{1, 2, 0, 3}},
		{"Square > Park", []int{2, 1, 0, 0}},
		{"School yard > Square > Park", []int{3, 2, 1, 0}},
		{"Market hall > School yard", []int{0, 0, 2, 1}},
		{"Square > Market hall > Park > School yard", []int{3, 1, 4, 2}},
		{"Park", []int{1, 0, 0, 0}},
		{"Market hall > Square = Park", []int{2, 2, 0, 1}},
	}
	last := map[string][]int{}
	vote := func(i, k int) {
		who := fmt.Sprintf("m%03d", i+1)
		r := rankings[k%len(rankings)]
		fmt.Fprintf(&b, "%s: /vote V1 %s\n", who, r.typed)
		last[who] = r.values
	}
	for i := range 100 {
		vote(i, i*i+3*i)
	}
	b.WriteString(":clock +1m\n")
	for i := 0; i < 100; i += 3 { // every third member changes their mind
		vote(i, i+2)
	}
	b.WriteString(":clock +1h\n")
	b.WriteString("m050: /poll V1\n")
	b.WriteString(":clock 2026-12-06T09:00\n")
	b.WriteString("m001: /vote V1 Park\n")
	b.WriteString("alice: /find fair\n")
	return b.String(), last
}

// Ensure the acceptance script of votes: 100 members vote on a ranked poll, some
// change their ballot, the deadline passes via :clock, the result and its chart are
// posted, and `engage export` shows the ranking.
func TestConsole_RankedPoll(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "poll.db")
	script, ballots := rankedPollScript()
	out, stderr, code := runEngage(t, script, nil, "console", "--db", db, "--lang", "en", "--now", "2026-12-01T09:00")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	golden(t, "ranked-poll.golden", out)
	for _, want := range []string{
		"[dm m100] 🗳 Your ballot in V1 is counted",
		"[dm m097] 🗳 Your ballot in V1 is changed",
		"[group] (edit) 🗳 V1 · Where do we hold the spring fair?",
		"100 ballots. Closed: the result follows.",
		"[group] 📊 V1 · Where do we hold the spring fair? — result",
		"📎 V1.png (image/png,",
		"[dm m001] V1 is closed",
		"V1 (result, 5 Dec): Where do we hold the spring fair? →",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(out, "[group] (edit)"); n > 4 {
		t.Errorf("%d edits of the poll message for 134 ballots, want a few", n)
	}
	exp, _, code := runEngage(t, "", nil, "export", "--db", db)
	if code != 0 {
		t.Fatalf("export exit %d", code)
	}
	var snap core.Snapshot
	if err := json.Unmarshal([]byte(exp), &snap); err != nil {
		t.Fatal(err)
	}
	p := snap.Communities[0].Polls[0]
	if p.ID != "V1" || p.Method != "irv" || p.Status != "closed" || p.Ballots != 100 {
		t.Fatalf("exported poll %+v", p)
	}
	// The ranking counted from the ballots the script cast last, directly.
	var bs []tally.Ballot
	for _, v := range ballots {
		bs = append(bs, tally.Ballot{Values: v})
	}
	res, err := tally.Count(tally.IRV, 4, bs, tally.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	labels := []string{"Park", "Square", "School yard", "Market hall"}
	var want [][]string
	for _, tier := range res.Ranking {
		var names []string
		for _, i := range tier {
			names = append(names, labels[i])
		}
		want = append(want, names)
	}
	if !cmp.Equal(p.Ranking, want) {
		t.Fatalf("exported ranking %v, want %v", p.Ranking, want)
	}
	if len(want[0]) != 1 || !strings.Contains(out, "1. "+want[0][0]+" (") {
		t.Fatalf("the result message does not name the winner %v", want[0])
	}
}

// Ensure the poll examples run as written, in English and French: every method,
// buttons, a ballot built step by step, a secret ballot, a quorum missed.
func TestConsole_PollExamples(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile("../../examples/polls.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "polls.db")
			out, stderr, code := runEngage(t, string(script), nil, "console", "--db", db, "--lang", lang, "--now", "2026-12-07T09:00")
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			golden(t, "polls."+lang+".golden", out)
		})
	}
}
