package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"

	"github.com/engage-org/engage/core/tally"
	"github.com/engage-org/engage/core/tally/pabulib"
)

// countPBJSON is `engage count FILE.pb --json`: amounts as decimal strings
// in the file's unit, selected as project IDs in the order funded.
type countPBJSON struct {
	Rule     string   `json:"rule"`
	Budget   string   `json:"budget"`
	Selected []string `json:"selected"`
	Spent    string   `json:"spent"`
}

// runCountPB counts a Pabulib file: `engage count FILE.pb [--rule mes|greedy] [--json]`.
func runCountPB(_ context.Context, args []string, env Env) error {
	fs := flagSet("count", env)
	rule := fs.String("rule", "mes", "mes (Method of Equal Shares, Add1, then greedy) or greedy")
	asJSON := fs.Bool("json", false, `print {"rule","budget","selected","spent"} as JSON`)
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		files, args = append(files, args[0]), args[1:]
	}
	if len(files) != 1 {
		fmt.Fprint(env.Stderr, cliText("cli.count_usage", nil))
		return errUsage
	}
	r := tally.BudgetRule(*rule)
	if r != tally.RuleMES && r != tally.RuleGreedy {
		fmt.Fprint(env.Stderr, cliText("cli.count_rule", cliCountRuleText{Rule: *rule}))
		return errUsage
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	in, err := pabulib.Parse(f)
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	res, err := tally.CountBudget(r, in.TallyBudget(), in.Ballots)
	if err != nil {
		var te *tally.Error
		if errors.As(err, &te) && te.Ballot >= 0 {
			return fmt.Errorf("%s: vote %d: %s", files[0], te.Ballot+1, te.Detail)
		}
		return fmt.Errorf("%s: %w", files[0], err)
	}
	amount := func(v int64) string { return pabulib.FormatAmount(v, in.Scale) }
	ids := func(idx []int) []string {
		out := make([]string, len(idx))
		for i, p := range idx {
			out[i] = in.Projects[p].ID
		}
		return out
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		return enc.Encode(countPBJSON{Rule: string(r), Budget: amount(in.Budget), Selected: ids(res.Selected), Spent: amount(res.Spent)})
	}
	var rows []pbFunded
	for k, p := range res.Selected {
		pr := in.Projects[p]
		rw := pbFunded{ID: pr.ID, Name: pr.Name, Cost: amount(pr.Cost), Score: res.Scores[p],
			Payers: res.Payers[k], ByEqualShares: k < res.ByMES}
		if rw.ByEqualShares {
			share := new(big.Rat).Quo(res.Shares[k], new(big.Rat).SetInt64(pabulibUnit(in.Scale)))
			rw.Share = share.FloatString(2)
		}
		rows = append(rows, rw)
	}
	fmt.Fprint(env.Stdout, cliText("cli.count_pb", cliCountPBText{
		Rule: string(r), Budget: amount(in.Budget), Currency: in.Value("currency"),
		Ballots: res.Ballots, Projects: len(in.Projects), Cumulative: in.Cumulative,
		Funded: rows, ByMES: res.ByMES, Spent: amount(res.Spent), Left: amount(res.Left),
		Greedy: ids(res.Greedy),
	}))
	return nil
}

// pabulibUnit is 10^scale: one unit of a file's amounts in its integers.
func pabulibUnit(scale int) int64 {
	u := int64(1)
	for range scale {
		u *= 10
	}
	return u
}

// cliCountRuleText is what the text cli.count_rule shows.
type cliCountRuleText struct {
	Rule string
}

// cliCountPBText is what the text cli.count_pb shows.
type cliCountPBText struct {
	Rule, Budget, Currency string
	Ballots                int
	Projects               int
	Cumulative             bool
	Funded                 []pbFunded
	ByMES                  int
	Spent, Left            string
	Greedy                 []string
}

// pbFunded is one funded project of engage count FILE.pb.
type pbFunded struct {
	ID, Name, Cost string
	Score, Payers  int64
	ByEqualShares  bool
	Share          string // the most one supporter paid (per point), rounded for display
}
