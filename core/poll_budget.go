package core

import (
	"slices"
	"strconv"

	"github.com/engage-org/engage/core/tally"
)

// Participatory-budget polls (method budget): the options are projects with a
// cost, the settings say the budget (an amount, or what is left of a campaign's
// collected money), the rule (mes or greedy), the projects a ballot may choose
// (min, max) and, for a cumulative ballot, the points each member spreads.
// Ballots are approval ballots (points 0) or dot ballots of Points dots; the
// running tally and the ranking are theirs; closing also counts the budget with
// tally.CountBudget and keeps the result. With `from C1`, closing records one
// allocation ledger line of C1 per funded project and moves it to the funded
// stage.

// MethodBudget is the participatory-budget poll method.
const MethodBudget tally.Method = "budget"

// Budget rules a poll may name.
const (
	BudgetRuleMES    = string(tally.RuleMES)
	BudgetRuleGreedy = string(tally.RuleGreedy)
)

// BallotMethod returns the method of p's ballots and running tally: for a
// budget poll approval, or dot with points; the poll's method otherwise.
func (p *Poll) BallotMethod() tally.Method {
	if p.Method != MethodBudget {
		return p.Method
	}
	if p.Settings.Points > 0 {
		return tally.Dot
	}
	return tally.Approval
}

// budgetSettingsSet reports whether any budget setting is set.
func (s *PollSettings) budgetSettingsSet() bool {
	return !s.Budget.IsZero() || s.From != "" || s.Rule != "" || s.Min != 0 || s.Max != 0 || s.Points != 0
}

// campaignLeft returns what is left of campaign c's collected money.
func campaignLeft(c *Campaign) int64 { return c.Collected - c.Spent - c.Allocated }

// checkBudgetPoll checks a budget poll's options and settings and applies the
// default rule. With From, the budget is what the campaign has left now.
func (tx *Tx) checkBudgetPoll(p *Poll) error {
	s := &p.Settings
	if s.Rule == "" {
		s.Rule = BudgetRuleMES
	}
	if s.Rule != BudgetRuleMES && s.Rule != BudgetRuleGreedy {
		return Errorf(CodeInvalid, "err.budget_rule", "rule", s.Rule)
	}
	switch {
	case s.From != "" && !s.Budget.IsZero():
		return Errorf(CodeInvalid, "err.budget_two")
	case s.From != "":
		c, err := tx.Campaign(p.Community, s.From)
		if err != nil {
			return err
		}
		s.From = c.ID()
		left := campaignLeft(c)
		if left <= 0 {
			return Errorf(CodeInvalid, "err.budget_empty", "id", c.ID())
		}
		s.Budget = c.Money(left)
		for _, o := range p.Options {
			if o.Project == 0 {
				return Errorf(CodeInvalid, "err.budget_from_projects", "label", o.Label, "id", c.ID())
			}
		}
	case s.Budget.Amount <= 0:
		return Errorf(CodeInvalid, "err.budget_none")
	}
	if _, ok := MinorUnits(s.Budget.Currency); !ok {
		return Errorf(CodeInvalid, "err.budget_none")
	}
	for _, o := range p.Options {
		if o.Cost <= 0 {
			return Errorf(CodeInvalid, "err.budget_cost", "label", o.Label)
		}
		if o.Cost > s.Budget.Amount {
			return Errorf(CodeInvalid, "err.budget_over", "label", o.Label, "cost", s.Budget.Plus(o.Cost-s.Budget.Amount), "budget", s.Budget)
		}
	}
	if s.Min < 0 || s.Max < 0 || s.Min > len(p.Options) || s.Max > len(p.Options) || (s.Max > 0 && s.Min > s.Max) {
		return Errorf(CodeInvalid, "err.budget_minmax", "min", s.Min, "max", s.Max, "n", len(p.Options))
	}
	if s.Points < 0 || s.Points > MaxPollDots {
		return Errorf(CodeInvalid, "err.poll_dots", "max", MaxPollDots)
	}
	return nil
}

// checkBudgetBallot refuses a ballot choosing fewer than Min or more than Max
// projects.
func checkBudgetBallot(p *Poll, values []int) error {
	if p.Method != MethodBudget {
		return nil
	}
	n := 0
	for _, v := range values {
		if v != 0 {
			n++
		}
	}
	s := p.Settings
	if (s.Min > 0 && n < s.Min) || (s.Max > 0 && n > s.Max) {
		return Errorf(CodeInvalid, "err.vote_budget_count", "id", p.ID(), "min", s.Min, "max", s.Max, "n", n)
	}
	return nil
}

// BudgetOf returns p's options as a budget for tally.CountBudget, with budget
// amount: project options by their ID ("P3"), the others by label.
func BudgetOf(p *Poll, amount int64) tally.Budget {
	digits, _ := MinorUnits(p.Settings.Budget.Currency)
	pb := tally.Budget{Budget: amount, Increment: pow10(digits), Points: p.Settings.Points}
	for _, o := range p.Options {
		pb.Projects = append(pb.Projects, tally.BudgetProject{ID: o.Label, Cost: o.Cost})
	}
	return pb
}

// closeBudget counts budget poll p at close and, with From, allocates the
// campaign's money to the funded projects. It returns nil for another method.
func (tx *Tx) closeBudget(p *Poll, ballots []tally.Ballot) (*tally.BudgetResult, error) {
	if p.Method != MethodBudget {
		return nil, nil
	}
	amount := p.Settings.Budget.Amount
	var camp *Campaign
	if p.Settings.From != "" {
		c, err := tx.Campaign(p.Community, p.Settings.From)
		if err != nil {
			return nil, err
		}
		camp, amount = c, campaignLeft(c)
	}
	res := &tally.BudgetResult{Rule: tally.BudgetRule(p.Settings.Rule), Ballots: len(ballots)}
	if amount > 0 {
		r, err := tally.CountBudget(tally.BudgetRule(p.Settings.Rule), BudgetOf(p, amount), ballots)
		if err != nil {
			return nil, Internal("count budget "+p.ID(), err)
		}
		res = &r
	}
	if camp == nil || len(res.Selected) == 0 || len(ballots) < p.Settings.Quorum {
		return res, nil
	}
	if err := requireMoneyOpen(camp); err != nil {
		return nil, err
	}
	for _, i := range res.Selected {
		o := p.Options[i]
		l := &LedgerLine{Kind: LedgerAllocate, Amount: camp.Money(o.Cost), Project: o.Project, By: p.Author}
		if err := tx.addLine(camp, l); err != nil {
			return nil, err
		}
		camp.Allocated += o.Cost
		pr, err := tx.Project(p.Community, "P"+strconv.Itoa(o.Project))
		if err != nil {
			return nil, err
		}
		if pr.Stage != StageFunded {
			if err := tx.countStageChange(p.Community); err != nil {
				return nil, err
			}
		}
		pr.Stage = StageFunded
		if err := tx.putProject(pr); err != nil {
			return nil, err
		}
	}
	return res, tx.putCampaign(camp)
}

// BudgetBallots returns the ballots of closed budget poll id of community c,
// with nothing naming a voter, sorted by their values so that their order
// tells nothing either (for `engage export --pb`). Returns CodeNotFound for an
// unknown poll, CodeConflict ("err.poll_open") while it is open and
// CodeInvalid ("err.poll_not_budget") for another method.
func (tx *Tx) BudgetBallots(c CommunityID, id string) (*Poll, []tally.Ballot, error) {
	p, err := tx.Poll(c, id)
	if err != nil {
		return nil, nil, err
	}
	if p.Method != MethodBudget {
		return nil, nil, Errorf(CodeInvalid, "err.poll_not_budget", "id", p.ID())
	}
	if p.Open() {
		return nil, nil, Errorf(CodeConflict, "err.poll_open", "id", p.ID())
	}
	bs, err := tx.pollBallots(p)
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(bs, func(a, b tally.Ballot) int { return slices.Compare(a.Values, b.Values) })
	return p, bs, nil
}
