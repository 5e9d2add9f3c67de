package main

import (
	"context"
	"io"
	"strconv"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally/pabulib"
)

// exportPB writes closed budget poll id as a Pabulib file: projects by option
// (ID the option's label, name its project title), amounts in the currency's
// major units, ballots numbered 1, 2, … with no voter's name. community
// chooses the community when several have a poll id ("" otherwise).
func exportPB(ctx context.Context, eng *core.Engine, id, community string, w io.Writer) error {
	var in *pabulib.Instance
	err := eng.View(ctx, func(tx *core.Tx) error {
		c, err := pollCommunity(tx, id, community)
		if err != nil {
			return err
		}
		p, ballots, err := tx.BudgetBallots(c.ID, id)
		if err != nil {
			return err
		}
		name := c.Name
		digits, _ := core.MinorUnits(p.Settings.Budget.Currency)
		in = &pabulib.Instance{Scale: digits, Cumulative: p.Settings.Points > 0, Points: p.Settings.Points, Ballots: ballots}
		rule := "equalshares/add1"
		if p.Settings.Rule == core.BudgetRuleGreedy {
			rule = "greedy"
		}
		res, err := tx.PollResult(p)
		if err != nil {
			return err
		}
		in.Budget = p.Settings.Budget.Amount
		if b := res.Budget; b != nil && b.Spent+b.Left > 0 {
			in.Budget = b.Spent + b.Left // from C1: what was left at close
		}
		in.Meta = []pabulib.KV{
			{Key: "description", Value: p.Question},
			{Key: "unit", Value: name},
			{Key: "instance", Value: p.ID()},
			{Key: "rule", Value: rule},
			{Key: "currency", Value: p.Settings.Budget.Currency},
			{Key: "date_begin", Value: p.Created.Format("02.01.2006")},
			{Key: "date_end", Value: p.Closed.Format("02.01.2006")},
		}
		if p.Settings.Min > 0 {
			in.Meta = append(in.Meta, pabulib.KV{Key: "min_length", Value: strconv.Itoa(p.Settings.Min)})
		}
		if p.Settings.Max > 0 {
			in.Meta = append(in.Meta, pabulib.KV{Key: "max_length", Value: strconv.Itoa(p.Settings.Max)})
		}
		for i, o := range p.Options {
			in.Projects = append(in.Projects, pabulib.Project{ID: o.Label, Cost: o.Cost, Name: tx.OptionLabel(p, i)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	return pabulib.Write(w, in)
}
