package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
	"github.com/engage-org/engage/core/tally/pabulib"
	"github.com/engage-org/engage/store/boltstore"
)

// engage export --pb V1 writes a closed budget poll as a Pabulib file that
// engage count (and pabutools, equalshares.net) recounts to the same result,
// with no voter's name in it.
func TestExportPB(t *testing.T) {
	file := filepath.Join(t.TempDir(), "engage.db")
	db, err := boltstore.Open(file, boltstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	eng := core.New(db, func() time.Time { return now })
	var want []string
	if _, err := eng.Update(context.Background(), func(tx *core.Tx) error {
		admin, err := tx.ResolveIdentity("test", "admin", "zoé-admin", "admin")
		if err != nil {
			return err
		}
		c, err := tx.CreateCommunity(admin.ID, core.ChatRef{Platform: "test", ChatID: "g"}, false, "Club", "Europe/Paris", "en")
		if err != nil {
			return err
		}
		var members []*core.Member
		for _, name := range []string{"alice-voter", "bob-voter", "chloe-voter", "dan-voter", "eve-voter"} {
			p, err := tx.ResolveIdentity("test", name, name, "")
			if err != nil {
				return err
			}
			m, err := tx.Touch(c.ID, p.ID)
			if err != nil {
				return err
			}
			members = append(members, m)
		}
		opts := []core.PollOption{{Label: "Bench north", Cost: 40000}, {Label: "Bench south", Cost: 40050}, {Label: "Trees", Cost: 50000}}
		p, err := tx.OpenPoll(members[0], core.PollSpec{Method: core.MethodBudget, Question: "What do we fund?", Options: opts,
			Settings: core.PollSettings{Budget: core.Major(1000, "EUR")}})
		if err != nil {
			return err
		}
		for i, b := range [][]int{{1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {0, 0, 1}, {0, 0, 1}} {
			if _, err := tx.Vote(members[i], p, b); err != nil {
				return err
			}
		}
		res, err := tx.ClosePoll(members[0], p)
		if err != nil {
			return err
		}
		for _, i := range res.Budget.Selected {
			want = append(want, p.Options[i].Label)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := countMain(t, "export", "--db", file, "--pb", "V1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, name := range []string{"alice", "bob", "zoé", "admin"} {
		if strings.Contains(out, name) {
			t.Errorf("the file names %q:\n%s", name, out)
		}
	}
	in, err := pabulib.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if pabulib.FormatAmount(in.Budget, in.Scale) != "1000" || pabulib.FormatAmount(in.Projects[1].Cost, in.Scale) != "400.5" || len(in.Ballots) != 5 || in.Value("rule") != "equalshares/add1" {
		t.Fatalf("budget %d scale %d ballots %d rule %q:\n%s", in.Budget, in.Scale, len(in.Ballots), in.Value("rule"), out)
	}
	if !strings.Contains(out, "budget;1000\n") || !strings.Contains(out, "Bench south;400.5;") {
		t.Errorf("amounts not in euros:\n%s", out)
	}
	r, err := tally.CountBudget(tally.RuleMES, in.TallyBudget(), in.Ballots)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, i := range r.Selected {
		got = append(got, in.Projects[i].ID)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") || len(want) == 0 {
		t.Errorf("recount funds %q, the poll funded %q", got, want)
	}
	if _, errOut, code := countMain(t, "export", "--db", file, "--pb", "V9"); code == 0 || !strings.Contains(errOut, "V9") {
		t.Errorf("unknown poll: exit %d, %q", code, errOut)
	}
}
