package core

import (
	"slices"
	"strings"
	"time"
)

// LedgerKind says what a ledger line records.
type LedgerKind string

// The kinds of ledger lines.
const (
	LedgerCollect  LedgerKind = "collect"  // money received
	LedgerSpend    LedgerKind = "spend"    // money spent, with its purpose
	LedgerHours    LedgerKind = "hours"    // volunteering hours given back to a lender
	LedgerAllocate LedgerKind = "allocate" // collected money given to a project
	LedgerRefund   LedgerKind = "refund"   // money given back to a backer
)

// LedgerLine is one entry of a campaign's transparent ledger.
type LedgerLine struct {
	Seq        uint64     `json:"seq"`
	Kind       LedgerKind `json:"kind"`
	Amount     Money      `json:"amount"`
	From       string     `json:"from,omitempty"`        // collect: who gave it, as typed
	FromPerson PersonID   `json:"from_person,omitempty"` // collect: the member it came from, if one
	Purpose    string     `json:"purpose,omitempty"`     // spend
	Hours      int        `json:"hours,omitempty"`       // hours
	Lender     PersonID   `json:"lender,omitempty"`      // hours
	Project    int        `json:"project,omitempty"`     // allocate
	To         PersonID   `json:"to,omitempty"`          // refund: the backer paid back
	By         PersonID   `json:"by"`
	At         time.Time  `json:"at"`
}

// SetCollector names (on) or un-names target as a collector of c: a member, such as
// a shop or a restaurant, who may record money collected. Organisers only.
func (tx *Tx) SetCollector(actor *Member, c *Campaign, target PersonID, on bool) error {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return err
	}
	has := slices.Contains(c.Collectors, target)
	switch {
	case on && has:
		return Errorf(CodeConflict, "err.already_collector", "id", c.ID())
	case !on && !has:
		return Errorf(CodeConflict, "err.not_collector", "id", c.ID())
	case on:
		if len(c.Collectors) >= MaxCollectors {
			return Errorf(CodeConflict, "err.too_many_collectors", "max", MaxCollectors)
		}
		c.Collectors = append(c.Collectors, target)
	default:
		c.Collectors = slices.DeleteFunc(c.Collectors, func(p PersonID) bool { return p == target })
	}
	return tx.putCampaign(c)
}

// requireMoneyOpen refuses (CodeConflict, "err.campaign_failed") money moves on a
// campaign whose pledges were released.
func requireMoneyOpen(c *Campaign) error {
	if c.Status == CampaignFailed {
		return Errorf(CodeConflict, "err.campaign_failed", "id", c.ID())
	}
	return nil
}

// addLine writes a ledger line of c.
func (tx *Tx) addLine(c *Campaign, l *LedgerLine) error {
	seq, err := tx.next("ledger/" + campaignKey(c.Community, c.Num))
	if err != nil {
		return err
	}
	l.Seq, l.At = seq, tx.now
	return tx.putJSON(bucketLedger, key(campaignKey(c.Community, c.Num), pad(seq)), l)
}

// Collect records money actually received for c, from whom as typed (from) and, when
// it is a member, who (fromPerson: their pledge records it as paid). Organisers and
// c's collectors only, while the campaign runs or after it succeeded.
func (tx *Tx) Collect(actor *Member, c *Campaign, amount Money, from string, fromPerson PersonID) (*LedgerLine, error) {
	ok, err := tx.IsOrganiser(actor, c)
	if err != nil {
		return nil, err
	}
	if !ok && !slices.Contains(c.Collectors, actor.Person) {
		return nil, Errorf(CodeForbidden, "err.not_collector_role", "id", c.ID())
	}
	if err := requireMoneyOpen(c); err != nil {
		return nil, err
	}
	if amount.Currency != c.Goal.Currency || amount.Amount <= 0 {
		return nil, Errorf(CodeInvalid, "err.amount_currency", "text", "", "currency", c.Goal.Currency)
	}
	if from = strings.TrimSpace(from); from != "" {
		if from, err = checkText(from, MaxNameLen, "name"); err != nil {
			return nil, err
		}
	}
	if c.Collected > MaxMajor*100_000-amount.Amount {
		return nil, Errorf(CodeInvalid, "err.amount_ceiling", "text", "", "max", Major(MaxMajor, c.Goal.Currency))
	}
	l := &LedgerLine{Kind: LedgerCollect, Amount: amount, From: from, FromPerson: fromPerson, By: actor.Person}
	if fromPerson != "" {
		if p, err := tx.MyPledge(fromPerson, c); err != nil {
			return nil, err
		} else if p != nil {
			p.Paid += amount.Amount
			if err := tx.putJSON(bucketPledge, pledgeKey(c.Community, c.Num, p.Person), p); err != nil {
				return nil, err
			}
		}
	}
	c.Collected += amount.Amount
	if err := tx.addLine(c, l); err != nil {
		return nil, err
	}
	return l, tx.putCampaign(c)
}

// Spend records money spent from what c collected, with its purpose. Organisers
// only; spending more than is left is refused (CodeConflict, "err.spend_over"), and
// so is any spending of an all-or-nothing campaign that has not succeeded yet: the
// money is held for the backers until then (CodeConflict, "err.spend_held").
func (tx *Tx) Spend(actor *Member, c *Campaign, amount Money, purpose string) (*LedgerLine, error) {
	if err := tx.CheckSpend(actor, c); err != nil {
		return nil, err
	}
	if amount.Currency != c.Goal.Currency || amount.Amount <= 0 {
		return nil, Errorf(CodeInvalid, "err.amount_currency", "text", "", "currency", c.Goal.Currency)
	}
	purpose, err := checkText(purpose, MaxNameLen*2, "purpose")
	if err != nil {
		return nil, err
	}
	if left := c.Left(); amount.Amount > left {
		return nil, Errorf(CodeConflict, "err.spend_over", "left", c.Money(left), "amount", amount)
	}
	l := &LedgerLine{Kind: LedgerSpend, Amount: amount, Purpose: purpose, By: actor.Person}
	c.Spent += amount.Amount
	if err := tx.addLine(c, l); err != nil {
		return nil, err
	}
	if err := tx.putCampaign(c); err != nil {
		return nil, err
	}
	return l, tx.indexEntry(c.Community, SearchEntry{Kind: "spend", Ref: c.ID(), Title: c.Title, Text: purpose})
}

// GiveHours records hours of volunteering given back to lender on a zero-interest
// loan: they reduce what lender is owed. Organisers only; not more than the hours
// the lender took (CodeConflict, "err.hours_over_pledged").
func (tx *Tx) GiveHours(actor *Member, c *Campaign, lender PersonID, hours int) (*Pledge, error) {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return nil, err
	}
	if err := requireMoneyOpen(c); err != nil {
		return nil, err
	}
	if c.Kind != CampaignLoan || c.HoursValue <= 0 {
		return nil, Errorf(CodeConflict, "err.hours_not_offered", "id", c.ID())
	}
	if hours <= 0 || hours > MaxHours {
		return nil, Errorf(CodeInvalid, "err.bad_hours", "max", MaxHours)
	}
	p, err := tx.MyPledge(lender, c)
	if err != nil {
		return nil, err
	}
	if p == nil || p.Hours == 0 {
		return nil, Errorf(CodeConflict, "err.no_hours_pledge", "id", c.ID())
	}
	if p.HoursGiven+hours > p.Hours {
		return nil, Errorf(CodeConflict, "err.hours_over_pledged", "left", p.Hours-p.HoursGiven)
	}
	p.HoursGiven += hours
	c.HoursGiven += hours
	if err := tx.putJSON(bucketPledge, pledgeKey(c.Community, c.Num, p.Person), p); err != nil {
		return nil, err
	}
	if err := tx.addLine(c, &LedgerLine{Kind: LedgerHours, Amount: c.Money(int64(hours) * c.HoursValue), Hours: hours, Lender: lender, By: actor.Person}); err != nil {
		return nil, err
	}
	return p, tx.putCampaign(c)
}

// Ledger returns c's ledger lines, oldest first.
func (tx *Tx) Ledger(c *Campaign) ([]*LedgerLine, error) {
	var out []*LedgerLine
	err := scanJSON(tx, bucketLedger, campaignKey(c.Community, c.Num)+"/", false, func(_ string, l *LedgerLine) error {
		out = append(out, l)
		return nil
	})
	return out, err
}

// replaceInLedger rewrites from as to in community cid's ledger lines.
func (tx *Tx) replaceInLedger(cid CommunityID, from, to PersonID) error {
	type kl struct {
		k string
		l *LedgerLine
	}
	var hits []kl
	err := scanJSON(tx, bucketLedger, string(cid)+"/", false, func(k string, l *LedgerLine) error {
		if l.FromPerson == from || l.Lender == from || l.By == from || l.To == from {
			hits = append(hits, kl{k, l})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, h := range hits {
		for _, f := range []*PersonID{&h.l.FromPerson, &h.l.Lender, &h.l.By, &h.l.To} {
			if *f == from {
				*f = to
			}
		}
		if err := tx.putJSON(bucketLedger, h.k, h.l); err != nil {
			return err
		}
	}
	return nil
}
