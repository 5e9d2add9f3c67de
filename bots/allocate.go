package bots

import (
	"slices"
	"strconv"

	"github.com/engage-org/engage/core"
)

type share struct {
	ID, Title string
	Amount    core.Money
}

// cmdAllocate: /allocate C1 by V1 — share what is left of a campaign's collected
// money between the projects of a closed poll, by its result. The rule:
//   - only the poll's options that are projects (P1…) take part;
//   - methods that measure support (single, approval, date, score, dot, Borda,
//     instant-runoff, contest) split in proportion to that measure (ballots, yes
//     answers, score above the minimum, dots, points, last-round votes, share);
//   - Schulze and majority judgment, which rank without a measure that adds up,
//     split equally between the projects of the first tier;
//   - the split is exact (core.SplitByWeights: largest remainders), and each
//     project's part is a ledger line.
//
// Every option left out is named in the post, with why: not a project, no support,
// not in the first tier (equal split), or a project that no longer exists.
//
// Organisers only (core.Tx.Allocate). Refused while the poll is open, when its
// quorum was missed, when no project got any support, while the money is held (an
// all-or-nothing campaign that has not succeeded) and when nothing is left.
func cmdAllocate(c *turn) error {
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	if !c.sub("by", "par", "selon") {
		return c.usage()
	}
	id := c.word()
	if id == "" || c.args != "" {
		return c.usage()
	}
	out, err := c.tx.PollOutcome(c.comm.ID, id)
	if err != nil {
		return err
	}
	p := out.Poll
	if len(out.Ranking) == 0 {
		return core.Errorf(core.CodeConflict, "err.allocate_undecided", "id", p.ID(), "none", out.Ballots == 0)
	}
	weights := make([]int64, len(p.Options))
	measured := false
	if w, ok := out.IntWeights(); ok {
		copy(weights, w)
		measured = true
	} else {
		for _, i := range out.Ranking[0] {
			weights[i] = 1
		}
	}
	// Every option that gets nothing is named, with why.
	var leftOut []leftOutView
	supported := false
	for i, o := range p.Options {
		why := ""
		switch {
		case o.Project == 0:
			why = "not_project"
		case weights[i] <= 0 && measured:
			why = "no_support"
		case weights[i] <= 0:
			why = "not_first"
		default:
			if _, err := c.tx.Project(c.comm.ID, o.ProjectID()); core.ErrorCode(err) == core.CodeNotFound {
				why = "gone"
			} else if err != nil {
				return err
			}
		}
		if why != "" {
			weights[i] = 0
			label := o.Label
			if pr, err := c.tx.Project(c.comm.ID, o.ProjectID()); o.Project != 0 && err == nil {
				label = pr.ID() + " " + pr.Title
			}
			leftOut = append(leftOut, leftOutView{Label: label, Why: why})
		}
		supported = supported || weights[i] > 0
	}
	if !supported {
		return core.Errorf(core.CodeConflict, "err.allocate_no_project", "id", p.ID())
	}
	if err := c.tx.CheckSpend(c.member, camp); err != nil {
		return err
	}
	left := camp.Left()
	if left <= 0 {
		return core.Errorf(core.CodeConflict, "err.allocate_nothing", "id", camp.ID())
	}
	parts := core.SplitByWeights(left, weights)
	amounts := map[int]int64{}
	for i, a := range parts {
		amounts[p.Options[i].Project] += a
	}
	lines, err := c.tx.Allocate(c.member, camp, amounts)
	if err != nil {
		return err
	}
	var shares []share
	for _, l := range lines {
		pr, err := c.tx.Project(c.comm.ID, "P"+strconv.Itoa(l.Project))
		if err != nil {
			return err
		}
		shares = append(shares, share{ID: pr.ID(), Title: pr.Title, Amount: l.Amount})
	}
	slices.SortStableFunc(shares, func(a, b share) int { return int(b.Amount.Amount - a.Amount.Amount) })
	if err := c.post("allocate.post", allocatePostText{
		ID: camp.ID(), Title: camp.Title, Poll: p.ID(), Question: p.Question,
		Total: camp.Money(left), Shares: shares, LeftOut: leftOut,
	}, nil); err != nil {
		return err
	}
	return c.editCard(camp, false)
}

// leftOutView is a poll option /allocate gives nothing to, and why ("not_project",
// "no_support", "not_first", "gone").
type leftOutView struct {
	Label, Why string
}

// allocatePostText is what the text allocate.post shows.
type allocatePostText struct {
	ID       string
	Title    string
	Poll     string
	Question string
	Total    core.Money
	Shares   []share
	LeftOut  []leftOutView
}
