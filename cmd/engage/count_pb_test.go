package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const pbData = "../../core/tally/testdata/"

func countMain(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(""), &out, &errb, func(string) string { return "" })
	return out.String(), errb.String(), code
}

// engage count FILE.pb --json: the rule, the budget, the funded IDs in
// the order funded and the money spent, as decimal strings.
func TestCountPBJSON(t *testing.T) {
	cases := []struct {
		args []string
		want countPBJSON
	}{
		// Lackner & Skowron Example 12: equal shares funds c then a; Add1's
		// next run would overspend; the greedy fill adds d (4 votes).
		{[]string{"count", pbData + "lackner-skowron-example12.pb", "--json"},
			countPBJSON{Rule: "mes", Budget: "3", Selected: []string{"c", "a", "d"}, Spent: "3"}},
		// Assen 2024, published outcome (equalshares/add1) then the greedy fill (7).
		{[]string{"count", "--json", pbData + "netherlands_assen_2024.pb"},
			countPBJSON{Rule: "mes", Budget: "100000", Selected: strings.Split("3 9 2 11 13 14 5 6 12 7", " "), Spent: "88700"}},
		{[]string{"count", "--rule", "greedy", pbData + "netherlands_assen_2024.pb", "--json"},
			countPBJSON{Rule: "greedy", Budget: "100000", Selected: strings.Split("3 9 8 2 11 13 14", " "), Spent: "99200"}},
		// Decimal amounts: Add1 adds one whole unit (1.00) per step.
		{[]string{"count", pbData + "pabutools-appex2.pb", "--json"},
			countPBJSON{Rule: "mes", Budget: "4", Selected: []string{"p2", "p0", "p1"}, Spent: "3.9"}},
	}
	for _, c := range cases {
		out, errOut, code := countMain(t, c.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, errOut)
		}
		var got countPBJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v in %q", c.args, err, out)
		}
		if got.Rule != c.want.Rule || got.Budget != c.want.Budget || got.Spent != c.want.Spent || strings.Join(got.Selected, " ") != strings.Join(c.want.Selected, " ") {
			t.Errorf("%v: got %+v, want %+v", c.args, got, c.want)
		}
	}
}

func TestCountPBText(t *testing.T) {
	out, errOut, code := countMain(t, "count", pbData+"netherlands_assen_2024.pb")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Method of Equal Shares", "Budget 100000 EUR", "84 ballots", "5 LGBTQ+ bijeenkomsten: 5000 · 13 votes · paid by 12 supporters, ", "7 RuBox: 12000 · 10 votes · greedy fill", "Spent 88700 · left 11300", "Greedy would fund: 3, 9, 8, 2, 11, 13, 14"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCountPBBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.pb")
	if err := os.WriteFile(bad, []byte("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;50\nVOTES\nvoter_id;vote\n1;a,z\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"count", bad}, 1, `line 10 (VOTES): vote for "z", which is not in PROJECTS`},
		{[]string{"count", filepath.Join(dir, "ballots.txt")}, 2, "cannot count a .txt file"},
		{[]string{"count", filepath.Join(dir, "ballots")}, 2, "file without an extension"},
		{[]string{"count"}, 2, "Usage: engage count"},
		{[]string{"count", pbData + "lackner-skowron-example12.pb", "--rule", "knapsack"}, 2, `--rule takes mes or greedy, not "knapsack"`},
		{[]string{"count", pbData + "lackner-skowron-example12.pb", pbData + "pabutools-appex2.pb"}, 2, "Usage: engage count"},
		{[]string{"count", filepath.Join(dir, "missing.pb")}, 1, "missing.pb"},
	}
	for _, c := range cases {
		out, errOut, code := countMain(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args[1:], code, out, errOut, c.code, c.want)
		}
	}
}
