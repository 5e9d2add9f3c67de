package pabulib

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engage-org/engage/core/tally"
)

const small = `META
key;value
description;"Test; with a semicolon"
budget;10.5
vote_type;cumulative
max_sum_points;5
currency;EUR
PROJECTS
project_id;cost;name
a;4;Benches
b;6.25;"Trees, ""big"" ones"
VOTES
voter_id;vote;points
1;a,b;3,2
2;b;5
3;;
`

func TestParse(t *testing.T) {
	in, err := Parse(strings.NewReader(small))
	if err != nil {
		t.Fatal(err)
	}
	if in.Scale != 2 || in.Budget != 1050 || in.Projects[0].Cost != 400 || in.Projects[1].Cost != 625 {
		t.Errorf("scale %d budget %d costs %d %d, want 2 1050 400 625", in.Scale, in.Budget, in.Projects[0].Cost, in.Projects[1].Cost)
	}
	if !in.Cumulative || in.Points != 5 || len(in.Ballots) != 3 {
		t.Fatalf("cumulative %v points %d ballots %d", in.Cumulative, in.Points, len(in.Ballots))
	}
	if got := in.Ballots[0].Values; got[0] != 3 || got[1] != 2 {
		t.Errorf("ballot 1 %v, want [3 2]", got)
	}
	if in.Value("description") != "Test; with a semicolon" || in.Projects[1].Name != `Trees, "big" ones` {
		t.Errorf("description %q, name %q", in.Value("description"), in.Projects[1].Name)
	}
	if pb := in.TallyBudget(); pb.Increment != 100 || pb.Points != 5 {
		t.Errorf("increment %d points %d, want 100 5", pb.Increment, pb.Points)
	}
	if FormatAmount(in.Budget, in.Scale) != "10.5" || FormatAmount(400, 2) != "4" || FormatAmount(-5, 1) != "-0.5" {
		t.Errorf("budget written %q", FormatAmount(in.Budget, in.Scale))
	}
}

// Write then Parse gives back the same instance.
func TestWriteParse(t *testing.T) {
	in, err := Parse(strings.NewReader(small))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	back, err := Parse(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if back.Budget != in.Budget || back.Scale != in.Scale || len(back.Projects) != 2 || back.Projects[1] != in.Projects[1] || len(back.Ballots) != 3 || back.Ballots[0].Values[0] != 3 {
		t.Errorf("round trip changed the instance:\n%s", buf.String())
	}
}

func TestParseErrors(t *testing.T) {
	base := "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;50\nb;60\nVOTES\nvoter_id;vote\n1;a,b\n"
	cases := []struct {
		name, from, to string
		line           int
		section, msg   string
	}{
		{"no cost", "a;50", "a;", 7, "PROJECTS", "no cost"},
		{"bad cost", "a;50", "a;fifty", 7, "PROJECTS", "amount"},
		{"negative cost", "a;50", "a;-5", 7, "PROJECTS", "amount"},
		{"duplicate project", "b;60", "a;60", 8, "PROJECTS", "twice"},
		{"unknown project", "1;a,b", "1;a,c", 11, "VOTES", "not in PROJECTS"},
		{"project twice in a vote", "1;a,b", "1;a,a", 11, "VOTES", "named twice"},
		{"no budget", "budget;100\n", "", 1, "META", "no budget"},
		{"bad vote type", "approval", "ordinal", 4, "META", "vote_type"},
		{"meta header", "key;value", "k;v", 2, "META", "key;value"},
		{"no cost column", "project_id;cost", "project_id;price", 6, "PROJECTS", "cost column"},
		{"no vote column", "voter_id;vote\n", "voter_id;ballot\n", 10, "VOTES", "vote column"},
		{"sections out of order", "PROJECTS\n", "VOTES\n", 5, "META", "after"},
		{"no votes section", "VOTES\nvoter_id;vote\n1;a,b\n", "", 8, "", "no VOTES"},
		{"cumulative without points", "approval", "cumulative", 10, "VOTES", "points column"},
		{"too many decimals", "a;50", "a;0.1234567", 7, "PROJECTS", "decimals"},
		{"starts without META", "META\n", "", 1, "", "start with META"},
	}
	for _, c := range cases {
		src := strings.Replace(base, c.from, c.to, 1)
		_, err := Parse(strings.NewReader(src))
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%s: error %v, want *Error", c.name, err)
			continue
		}
		if pe.Line != c.line || pe.Section != c.section || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("%s: %v, want line %d section %q message with %q", c.name, err, c.line, c.section, c.msg)
		}
	}
	cum := strings.NewReplacer("approval", "cumulative\nmax_sum_points;3", "voter_id;vote\n", "voter_id;vote;points\n", "1;a,b\n", "1;a,b;2,2\n").Replace(base)
	if _, err := Parse(strings.NewReader(cum)); err == nil || !strings.Contains(err.Error(), "max_sum_points") {
		t.Errorf("4 points of 3 accepted: %v", err)
	}
}

// FuzzParse: any input parses to a countable instance or fails with an
// *Error; what parses writes back to an equal instance.
func FuzzParse(f *testing.F) {
	f.Add([]byte(small))
	seeds, _ := filepath.Glob("../testdata/*.pb")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := Parse(bytes.NewReader(data))
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v, want *Error", err, err)
			}
			return
		}
		if _, err := tally.CountBudget(tally.RuleGreedy, in.TallyBudget(), in.Ballots); err != nil {
			var te *tally.Error
			if !errors.As(err, &te) {
				t.Fatalf("count error %T %v", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, in); err != nil {
			t.Fatal(err)
		}
		back, err := Parse(&buf)
		if err != nil {
			t.Fatalf("written file does not parse: %v\n%s", err, buf.String())
		}
		if back.Budget != in.Budget || back.Scale != in.Scale || len(back.Projects) != len(in.Projects) || len(back.Ballots) != len(in.Ballots) {
			t.Fatalf("round trip changed the instance")
		}
	})
}

// Published instances whose META says rule;greedy carry the city's outcome
// in the selected column: our greedy rule must fund exactly those projects.
func TestPublishedGreedy(t *testing.T) {
	files, _ := filepath.Glob("../testdata/*.pb")
	n := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		in, err := Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if in.Value("rule") != "greedy" {
			continue
		}
		n++
		r, err := tally.CountBudget(tally.RuleGreedy, in.TallyBudget(), in.Ballots)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int]bool{}
		for _, p := range r.Selected {
			got[p] = true
		}
		for i, p := range in.Projects {
			if got[i] != p.Selected {
				t.Errorf("%s: project %s funded %v, published %v", filepath.Base(file), p.ID, got[i], p.Selected)
			}
		}
	}
	if n == 0 {
		t.Fatal("no published greedy instance in testdata")
	}
}

// Published instances counted with rule equalshares/add1 (the Method of
// Equal Shares with the Add1 completion, as equalshares.net computes it) carry
// the outcome in the selected column: the projects our mes rule funds by
// equal shares, before its greedy fill, must be exactly those.
func TestPublishedEqualShares(t *testing.T) {
	files, _ := filepath.Glob("../testdata/*.pb")
	n := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		in, err := Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if in.Value("rule") != "equalshares/add1" {
			continue
		}
		n++
		r, err := tally.CountBudget(tally.RuleMES, in.TallyBudget(), in.Ballots)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int]bool{}
		for _, p := range r.Selected[:r.ByMES] {
			got[p] = true
		}
		for i, p := range in.Projects {
			if got[i] != p.Selected {
				t.Errorf("%s: project %s funded by equal shares %v, published %v", filepath.Base(file), p.ID, got[i], p.Selected)
			}
		}
		for _, p := range r.Selected[r.ByMES:] {
			t.Logf("%s: the greedy fill adds %s (cost %d)", filepath.Base(file), in.Projects[p].ID, in.Projects[p].Cost)
		}
	}
	if n == 0 {
		t.Fatal("no published equal-shares instance in testdata")
	}
}
