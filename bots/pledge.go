package bots

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// privateRefusals are the commands whose refusals are answered to the actor alone,
// like their answers: what a member tried to pledge is private too.
var privateRefusals = map[string]bool{"pledge": true, "schedule": true, "refund": true}

// pledgeForm asks the amount of a pledge to camp, and the tier or the hours when
// the campaign has them.
func (b *Bot) pledgeForm(camp *core.Campaign, lang string) Form {
	tr := func(key string, data any) string { return b.cat.Text(lang, key, data) }
	f := Form{
		Title: tr("form.pledge", formPledgeText{ID: camp.ID(), Title: camp.Title}),
		Fields: []Field{{Name: "amount", Label: tr("form.pledge.amount", formPledgeAmountText{Currency: camp.Goal.Currency}), Placeholder: "25",
			Check: outbox.CheckAmount, Currency: camp.Goal.Currency, Max: b.cfg.PledgeCeiling}},
		Command: "/pledge " + camp.ID() + " {amount}",
	}
	if len(camp.Rewards) > 0 {
		fl := Field{Name: "reward", Label: tr("form.pledge.reward", nil), Optional: true, Of: "amount", Currency: camp.Goal.Currency}
		for i := range camp.Rewards {
			if r := &camp.Rewards[i]; r.Left() != 0 {
				fl.Options = append(fl.Options, Option{Label: r.ID() + " " + r.Title, Value: r.ID(), Min: r.Min.Amount})
			}
		}
		if len(fl.Options) > 0 {
			f.Fields = append(f.Fields, fl)
			f.Command += " reward {reward}"
		}
	}
	if camp.Kind == core.CampaignLoan && camp.HoursValue > 0 {
		f.Fields = append(f.Fields, Field{Name: "hours", Label: tr("form.pledge.hours", formPledgeHoursText{Value: camp.Money(camp.HoursValue)}), Optional: true, Placeholder: "10", Check: outbox.CheckCount, Max: core.MaxHours, Of: "amount", Unit: camp.HoursValue, Currency: camp.Goal.Currency})
		f.Command += " hours {hours}"
	}
	return f
}

// cmdPledge: /pledge C1 AMOUNT [reward R1] [hours H] [public|private] · /pledge C1
// cancel · /pledge C1 cancel @member (organisers) · /pledge C1 (asks the amount).
// Answered privately.
func cmdPledge(c *turn) error {
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	words := strings.Fields(c.args)
	if len(words) == 2 && c.isWord(words[0], "cancel") {
		return pledgeWithdraw(c, camp, words[1])
	}
	if len(words) == 1 && c.isWord(words[0], "cancel") {
		old, err := c.tx.CancelPledge(c.member, camp)
		if err != nil {
			return err
		}
		c.replyPrivate("pledge.cancelled", pledgeCancelledText{ID: camp.ID(), Title: camp.Title, Amount: old.Amount})
		return c.editCard(camp, false)
	}
	if len(words) == 0 { // ask the amount
		if camp.Ended(c.tx.Now()) {
			return core.Errorf(core.CodeConflict, "err.campaign_closed", "id", camp.ID(), "status", string(camp.Status))
		}
		return c.askForm(c.b.pledgeForm(camp, c.lang))
	}
	amountWords, rest := c.splitAt(words, "reward", "hours", "public", "private")
	if len(amountWords) == 0 {
		return c.usage()
	}
	in := core.PledgeInput{Ceiling: c.b.cfg.PledgeCeiling}
	if in.Amount, err = core.ParseAmount(strings.Join(amountWords, " "), camp.Goal.Currency, c.b.cfg.PledgeCeiling); err != nil {
		return err
	}
	set, err := c.settings(rest, []string{"reward", "hours"}, []string{"public", "private"})
	if err != nil {
		return err
	}
	if v := set["reward"]; v != "" {
		if in.Reward, err = core.ParseShortID('R', v); err != nil {
			return err
		}
	}
	if v := set["hours"]; v != "" {
		if in.Hours, err = strconv.Atoi(v); err != nil {
			return core.Errorf(core.CodeInvalid, "err.bad_hours", "max", core.MaxHours)
		}
	}
	if set["public"] != "" || set["private"] != "" {
		pub := set["public"] != ""
		in.Public = &pub
	}
	res, err := c.tx.Pledge(c.member, camp, in)
	if err != nil {
		return err
	}
	data := pledgeView(c.comm, camp, res.Pledge)
	data.Changed = res.Previous != nil
	data.RewardLeft = res.RewardLeft
	data.FirstPledge = res.First // how pledges work, on a member's first one only
	c.replyPrivate("pledge.done", data)
	if res.Milestone > 0 {
		if err := c.post("campaign.milestone", campaignMilestoneText{
			ID: camp.ID(), Title: camp.Title, Percent: res.Milestone, Pledged: camp.Money(camp.Pledged),
			Goal: camp.Goal, Backers: camp.Backers,
		}, nil); err != nil {
			return err
		}
	}
	for _, s := range res.Stretch {
		if err := c.post("campaign.stretch", campaignStretchText{ID: camp.ID(), Title: camp.Title, Amount: s.Amount, Goal: s.Title}, nil); err != nil {
			return err
		}
	}
	return c.editCard(camp, false)
}

// pledgeText is what the texts pledge.done, campaign.owe, campaign.released, campaign.released_refund, schedule show.
type pledgeText struct {
	ID, Title, Kind        string
	Amount                 core.Money
	Hours, HoursGiven      int
	Shares                 int64
	Public                 bool
	Paid, Due              core.Money
	HasPaid, HasDue        bool
	Status                 string
	Reward, RewardTitle    string // the tier chosen, if any
	Price                  core.Money
	Loan                   bool
	Rate                   string
	Term, Months           int
	Cash, Outstanding      core.Money
	HoursValue, HoursMoney core.Money
	Monthly, LastPay       core.Money
	First, LastDue         time.Time
	Total, Interest        core.Money
	// pledge.done
	Changed     bool
	RewardLeft  int // units left of the chosen tier (-1: unlimited)
	FirstPledge bool
	// schedule
	Projected, Summary bool
	Lines              []line
	// settlement
	Collectors []string
	Refund     core.Money
	By         []string
}

// pledgeView is what texts show of a member's pledge to camp.
func pledgeView(comm *core.Community, camp *core.Campaign, p *core.Pledge) *pledgeText {
	d := &pledgeText{
		ID: camp.ID(), Title: camp.Title, Kind: string(camp.Kind), Amount: p.Amount,
		Hours: p.Hours, HoursGiven: p.HoursGiven, Shares: p.Shares, Public: p.Public,
		Paid: camp.Money(p.Paid), HasPaid: p.Paid > 0, Status: string(p.Status),
		Due: camp.Money(max(p.Amount.Amount-p.Paid, 0)), HasDue: p.Amount.Amount > p.Paid,
	}
	if r := camp.Reward(p.Reward); r != nil {
		d.Reward, d.RewardTitle = r.ID(), r.Title
	}
	if camp.SharePrice > 0 {
		d.Price = camp.Money(camp.SharePrice)
	}
	if rp := camp.Repayment(p, comm.Location()); rp != nil {
		d.Loan = true
		d.Rate, d.Term = camp.Rate.String(), camp.Term
		d.Cash = camp.Money(rp.Cash)
		d.Outstanding = camp.Money(rp.Outstanding)
		if camp.HoursValue > 0 {
			d.HoursValue = camp.Money(camp.HoursValue)
			d.HoursMoney = camp.Money(int64(p.Hours) * camp.HoursValue)
		}
		if len(rp.Schedule) > 0 {
			first := rp.Schedule[0]
			last := rp.Schedule[len(rp.Schedule)-1]
			var total, interest int64
			for _, in := range rp.Schedule {
				total += in.Payment
				interest += in.Interest
			}
			d.Monthly, d.First, d.LastPay = camp.Money(first.Payment), first.Due, camp.Money(last.Payment)
			d.LastDue, d.Total, d.Interest = last.Due, camp.Money(total), camp.Money(interest)
			d.Months = len(rp.Schedule)
		}
	}
	return d
}

// mePledge is one pledge of /me.
type mePledge struct {
	ID     string
	Amount core.Money
	Status string
}

// mePledges lists person's pledges in community cid for /me ("C1 25,00 €"), but
// those released by a failed campaign.
func mePledges(tx *core.Tx, cid core.CommunityID, person core.PersonID) ([]mePledge, error) {
	ps, err := tx.PersonPledges(cid, person)
	if err != nil {
		return nil, err
	}
	var out []mePledge
	for _, p := range ps {
		if p.Status == core.PledgeReleased {
			continue // nothing pledged any more
		}
		out = append(out, mePledge{ID: fmt.Sprintf("C%d", p.Campaign), Amount: p.Amount, Status: string(p.Status)})
	}
	return out, nil
}

// formPledgeText is what the text form.pledge shows.
type formPledgeText struct {
	ID    string
	Title string
}

// formPledgeAmountText is what the text form.pledge.amount shows.
type formPledgeAmountText struct {
	Currency string
}

// formPledgeHoursText is what the text form.pledge.hours shows.
type formPledgeHoursText struct {
	Value core.Money
}

// pledgeCancelledText is what the text pledge.cancelled shows.
type pledgeCancelledText struct {
	ID     string
	Title  string
	Amount core.Money
}

// campaignMilestoneText is what the text campaign.milestone shows.
type campaignMilestoneText struct {
	ID      string
	Title   string
	Percent int
	Pledged core.Money
	Goal    core.Money
	Backers int
}

// campaignStretchText is what the text campaign.stretch shows.
type campaignStretchText struct {
	ID     string
	Title  string
	Amount core.Money
	Goal   string
}
