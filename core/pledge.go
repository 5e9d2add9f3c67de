package core

import (
	"slices"
	"strconv"
	"time"
)

// PledgeStatus is where a pledge stands.
type PledgeStatus string

// The statuses of a pledge: live while the campaign is open, then due (the campaign
// succeeded: the backer owes it) or released (an all-or-nothing goal was missed).
const (
	PledgeLive     PledgeStatus = "live"
	PledgeDue      PledgeStatus = "due"
	PledgeReleased PledgeStatus = "released"
)

// Pledge is one member's commitment to a campaign; a member has at most one per
// campaign, and pledging again changes it. Nothing is paid through Engage: Paid is
// what organisers recorded as collected from this backer.
type Pledge struct {
	Community  CommunityID  `json:"community"`
	Campaign   int          `json:"campaign"`
	Person     PersonID     `json:"person"`
	Amount     Money        `json:"amount"`
	Reward     int          `json:"reward,omitempty"`
	Hours      int          `json:"hours,omitempty"`  // loans: hours of the repayment taken as volunteering
	Shares     int64        `json:"shares,omitempty"` // equity
	Public     bool         `json:"public,omitempty"` // the backer agreed to be named
	Status     PledgeStatus `json:"status"`
	Paid       int64        `json:"paid,omitempty"`
	HoursGiven int          `json:"hours_given,omitempty"`
	At         time.Time    `json:"at"`
	Changed    time.Time    `json:"changed"`
}

func pledgeKey(c CommunityID, num int, p PersonID) string {
	return key(string(c), pad(uint64(num)), string(p))
}

// PledgeInput is what /pledge says.
type PledgeInput struct {
	Amount Money
	Reward int   // tier number, 0 for none
	Hours  int   // loans: hours of the repayment taken as volunteering
	Public *bool // nil keeps the earlier consent to be named
	// Ceiling is the largest pledge in major units (community.pledge_ceiling;
	// 0: DefaultPledgeCeiling).
	Ceiling int64
}

// PledgeResult is what a pledge changed: the pledge, the one it replaced (nil for a
// first pledge), and what is now to announce.
type PledgeResult struct {
	Pledge     *Pledge
	Previous   *Pledge
	Milestone  int       // the highest milestone newly reached (0: none)
	Stretch    []Stretch // stretch goals newly reached
	RewardLeft int       // units left of the chosen tier (-1: unlimited)
	// First: the member has no other pledge in the community (a new pledge, not a
	// change): their receipt explains how pledges work; later ones are short.
	First bool
}

// Pledge records actor's pledge to c, or changes it: one pledge per member per
// campaign. A tier needs its minimum and a unit left (a backer keeping their tier
// keeps their unit); an equity pledge buys whole shares only (a remainder is
// refused, with the two nearest amounts); hours need a zero-interest loan with an
// hours value, and their value may not pass the amount. Returns CodeConflict when the
// campaign has ended or the tier is sold out, CodeInvalid otherwise.
func (tx *Tx) Pledge(actor *Member, c *Campaign, in PledgeInput) (*PledgeResult, error) {
	if err := tx.requireOpen(c); err != nil {
		return nil, err
	}
	if in.Amount.Currency != c.Goal.Currency {
		return nil, Errorf(CodeInvalid, "err.amount_currency", "text", "", "currency", c.Goal.Currency)
	}
	ceiling := in.Ceiling
	if ceiling <= 0 {
		ceiling = DefaultPledgeCeiling
	}
	if in.Amount.Amount <= 0 {
		return nil, Errorf(CodeInvalid, "err.amount_zero", "text", "")
	}
	if in.Amount.Amount > Major(ceiling, c.Goal.Currency).Amount {
		return nil, Errorf(CodeInvalid, "err.amount_ceiling", "text", "", "max", Major(ceiling, c.Goal.Currency))
	}
	old, err := tx.MyPledge(actor.Person, c)
	if err != nil {
		return nil, err
	}
	p := &Pledge{
		Community: c.Community, Campaign: c.Num, Person: actor.Person, Amount: in.Amount,
		Reward: in.Reward, Hours: in.Hours, Status: PledgeLive, At: tx.now, Changed: tx.now,
	}
	if old != nil {
		p.At, p.Public, p.Paid, p.HoursGiven = old.At, old.Public, old.Paid, old.HoursGiven
	}
	if in.Public != nil {
		p.Public = *in.Public
	}
	res := &PledgeResult{Pledge: p, Previous: old, RewardLeft: -1}
	if old == nil {
		others, err := tx.PersonPledges(c.Community, actor.Person)
		if err != nil {
			return nil, err
		}
		res.First = len(others) == 0
	}
	// Reward tiers.
	if in.Reward != 0 {
		if c.Kind != CampaignReward {
			return nil, Errorf(CodeConflict, "err.reward_kind", "id", c.ID())
		}
		r := c.Reward(in.Reward)
		if r == nil {
			return nil, Errorf(CodeNotFound, "err.no_reward", "id", c.ID(), "reward", "R"+strconv.Itoa(in.Reward))
		}
		if in.Amount.Amount < r.Min.Amount {
			return nil, Errorf(CodeInvalid, "err.reward_min", "reward", r.ID(), "title", r.Title, "min", r.Min)
		}
		keeps := old != nil && old.Reward == r.Num
		if !keeps && r.Limit > 0 && r.Taken >= r.Limit {
			return nil, Errorf(CodeConflict, "err.reward_sold_out", "reward", r.ID(), "title", r.Title)
		}
	}
	// Loans: hours.
	if in.Hours < 0 || in.Hours > MaxHours {
		return nil, Errorf(CodeInvalid, "err.bad_hours", "max", MaxHours)
	}
	if in.Hours > 0 {
		if c.Kind != CampaignLoan || c.HoursValue <= 0 {
			return nil, Errorf(CodeConflict, "err.hours_not_offered", "id", c.ID())
		}
		if int64(in.Hours)*c.HoursValue > in.Amount.Amount {
			return nil, Errorf(CodeInvalid, "err.hours_over", "hours", in.Hours, "value", c.Money(int64(in.Hours)*c.HoursValue), "amount", in.Amount)
		}
		if old != nil && in.Hours < old.HoursGiven {
			return nil, Errorf(CodeConflict, "err.hours_below_given", "given", old.HoursGiven)
		}
	}
	// Equity: whole shares.
	if c.Kind == CampaignEquity {
		price := c.SharePrice
		if rem := in.Amount.Amount % price; rem != 0 || in.Amount.Amount < price {
			lower := in.Amount.Amount - rem
			return nil, Errorf(CodeInvalid, "err.equity_remainder",
				"price", c.Money(price), "lower", c.Money(lower), "upper", c.Money(lower+price), "has_lower", lower > 0)
		}
		p.Shares = in.Amount.Amount / price
	}
	// Everything checked: apply.
	before := c.Pledged
	if old != nil {
		c.Pledged -= old.Amount.Amount
		c.HoursPledged -= old.Hours
		if old.Reward != 0 && old.Reward != p.Reward {
			if r := c.Reward(old.Reward); r != nil && r.Taken > 0 {
				r.Taken--
			}
		}
	} else {
		c.Backers++
	}
	c.Pledged += p.Amount.Amount
	c.HoursPledged += p.Hours
	if p.Reward != 0 {
		r := c.Reward(p.Reward)
		if old == nil || old.Reward != p.Reward {
			r.Taken++
		}
		res.RewardLeft = r.Left()
	}
	if c.Pledged > before {
		res.Milestone, res.Stretch = c.reached()
	}
	c.setPublic(p.Person, p.Public)
	if err := tx.putJSON(bucketPledge, pledgeKey(c.Community, c.Num, p.Person), p); err != nil {
		return nil, err
	}
	return res, tx.putCampaign(c)
}

// setPublic records whether person, a backer, agreed to be named.
func (c *Campaign) setPublic(person PersonID, on bool) {
	has := slices.Contains(c.Public, person)
	switch {
	case on && !has:
		c.Public = append(c.Public, person)
	case !on && has:
		c.Public = slices.DeleteFunc(c.Public, func(p PersonID) bool { return p == person })
	}
}

// CancelPledge withdraws actor's pledge to c while it is open; its reward unit is
// freed. Returns CodeConflict ("err.campaign_closed", "err.no_pledge").
func (tx *Tx) CancelPledge(actor *Member, c *Campaign) (*Pledge, error) {
	if err := tx.requireOpen(c); err != nil {
		return nil, err
	}
	old, err := tx.MyPledge(actor.Person, c)
	if err != nil {
		return nil, err
	}
	if old == nil {
		return nil, Errorf(CodeConflict, "err.no_pledge", "id", c.ID())
	}
	if old.Paid > 0 || old.HoursGiven > 0 {
		return nil, Errorf(CodeConflict, "err.pledge_paid", "id", c.ID(), "paid", c.Money(old.Paid))
	}
	return old, tx.dropPledge(c, old)
}

// dropPledge deletes p and takes it out of c's totals.
func (tx *Tx) dropPledge(c *Campaign, p *Pledge) error {
	c.dropTotals(p)
	if err := tx.kv.Delete(bucketPledge, pledgeKey(c.Community, c.Num, p.Person)); err != nil {
		return err
	}
	return tx.putCampaign(c)
}

// MyPledge returns person's pledge to c, or nil.
func (tx *Tx) MyPledge(person PersonID, c *Campaign) (*Pledge, error) {
	p := new(Pledge)
	err := tx.getJSON(bucketPledge, pledgeKey(c.Community, c.Num, person), p)
	if ok, err := found(err); err != nil || !ok {
		return nil, err
	}
	return p, nil
}

// Pledges returns every pledge to c.
func (tx *Tx) Pledges(c *Campaign) ([]*Pledge, error) {
	var out []*Pledge
	prefix := campaignKey(c.Community, c.Num) + "/"
	err := scanJSON(tx, bucketPledge, prefix, false, func(_ string, p *Pledge) error {
		out = append(out, p)
		return nil
	})
	return out, err
}

// PledgesVisible returns c's pledges to an organiser or facilitator of c; others
// get CodeForbidden ("err.not_organiser"): individual pledges are private.
func (tx *Tx) PledgesVisible(actor *Member, c *Campaign) ([]*Pledge, error) {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return nil, err
	}
	return tx.Pledges(c)
}

// PersonPledges returns person's pledges in community cid, oldest campaign first.
func (tx *Tx) PersonPledges(cid CommunityID, person PersonID) ([]*Pledge, error) {
	cs, err := tx.Campaigns(cid)
	if err != nil {
		return nil, err
	}
	var out []*Pledge
	for _, c := range cs {
		p, err := tx.MyPledge(person, c)
		if err != nil {
			return nil, err
		}
		if p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// BackersOf returns the backers of community cid's campaigns linked to project num,
// without repeats: news of the project reaches them.
func (tx *Tx) BackersOf(cid CommunityID, num int) ([]PersonID, error) {
	cs, err := tx.Campaigns(cid)
	if err != nil {
		return nil, err
	}
	var out []PersonID
	for _, c := range cs {
		if c.Project != num {
			continue
		}
		ps, err := tx.Pledges(c)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if !slices.Contains(out, p.Person) {
				out = append(out, p.Person)
			}
		}
	}
	return out, nil
}

// mergePledges moves from's pledges and collector places in community cid to into
// (identity linking). When both pledged to one campaign, an open campaign keeps the
// pledge changed last (the other is withdrawn, its reward unit freed); a settled
// one adds them up, as both were commitments.
func (tx *Tx) mergePledges(cid CommunityID, from, into PersonID) error {
	cs, err := tx.Campaigns(cid)
	if err != nil {
		return err
	}
	for _, c := range cs {
		changed := false
		if slices.Contains(c.Collectors, from) {
			c.Collectors = replace(c.Collectors, from, into)
			changed = true
		}
		if c.mergeRefunds(from, into) {
			changed = true
		}
		pf, err := tx.MyPledge(from, c)
		if err != nil {
			return err
		}
		if pf != nil {
			pi, err := tx.MyPledge(into, c)
			if err != nil {
				return err
			}
			if err := tx.kv.Delete(bucketPledge, pledgeKey(cid, c.Num, from)); err != nil {
				return err
			}
			pf.Person = into
			c.setPublic(from, false)
			if pi != nil {
				pf = c.mergeTwo(pf, pi)
			}
			c.setPublic(into, pf.Public)
			if err := tx.putJSON(bucketPledge, pledgeKey(cid, c.Num, into), pf); err != nil {
				return err
			}
			changed = true
		}
		if changed {
			if err := tx.putCampaign(c); err != nil {
				return err
			}
		}
	}
	return tx.replaceInLedger(cid, from, into)
}

// mergeTwo returns the one pledge left of two pledges of one person to c (pf, of
// the identity linked in, and pi) and fixes c's totals. While c is open the pledge
// changed last is kept, unless only the other was paid in part; otherwise (c
// settled, or both paid in part) they add up, with one reward tier.
func (c *Campaign) mergeTwo(pf, pi *Pledge) *Pledge {
	paidF, paidI := pf.Paid > 0 || pf.HoursGiven > 0, pi.Paid > 0 || pi.HoursGiven > 0
	if c.Status == CampaignOpen && !(paidF && paidI) {
		keepF := pf.Changed.After(pi.Changed)
		if paidF != paidI {
			keepF = paidF
		}
		if keepF {
			c.dropTotals(pi)
			return pf
		}
		c.dropTotals(pf)
		return pi
	}
	c.Backers--
	pi.Amount.Amount += pf.Amount.Amount
	pi.Paid += pf.Paid
	pi.Hours += pf.Hours
	pi.HoursGiven += pf.HoursGiven
	pi.Shares += pf.Shares
	pi.Public = pi.Public && pf.Public
	if pi.Reward == 0 {
		pi.Reward = pf.Reward
	} else if r := c.Reward(pf.Reward); r != nil && r.Taken > 0 && pf.Reward != pi.Reward {
		r.Taken-- // one tier per backer
	}
	return pi
}

// dropTotals takes p out of c's totals (the caller deletes or overwrites p).
func (c *Campaign) dropTotals(p *Pledge) {
	c.setPublic(p.Person, false)
	c.Pledged -= p.Amount.Amount
	c.Backers--
	c.HoursPledged -= p.Hours
	c.HoursGiven -= p.HoursGiven
	if r := c.Reward(p.Reward); r != nil && r.Taken > 0 {
		r.Taken--
	}
}

// forgetPledges drops what campaigns keep about person p in community cid
// (/forgetme): a pledge to an open campaign is withdrawn (its reward unit freed);
// a pledge to a settled campaign stays in the totals, no longer named (the person is
// an empty shell) and without consent to be shown; collector places go.
func (tx *Tx) forgetPledges(cid CommunityID, p PersonID) error {
	cs, err := tx.Campaigns(cid)
	if err != nil {
		return err
	}
	for _, c := range cs {
		changed := false
		if slices.Contains(c.Collectors, p) {
			c.Collectors = slices.DeleteFunc(c.Collectors, func(x PersonID) bool { return x == p })
			changed = true
		}
		pl, err := tx.MyPledge(p, c)
		if err != nil {
			return err
		}
		switch {
		case pl == nil:
		case c.Status == CampaignOpen:
			if pl.Paid > 0 {
				c.owe(p, pl.Paid, RefundWithdrawn)
			}
			if err := tx.dropPledge(c, pl); err != nil {
				return err
			}
			changed = false // dropPledge saved c
		case pl.Public:
			pl.Public = false
			c.setPublic(p, false)
			changed = true
			if err := tx.putJSON(bucketPledge, pledgeKey(cid, c.Num, p), pl); err != nil {
				return err
			}
		}
		if changed {
			if err := tx.putCampaign(c); err != nil {
				return err
			}
		}
	}
	return nil
}
