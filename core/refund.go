package core

// Money held and refunds: an all-or-nothing campaign's money is the backers' until
// the campaign succeeds, so it may be collected but not spent; when the campaign
// fails, or an organiser withdraws a pledge part of which was paid, what was
// recorded as paid is to be refunded, and each refund is a ledger line.

// RefundWhy says why money is to be refunded to a backer.
type RefundWhy string

// The reasons of a refund.
const (
	RefundFailed    RefundWhy = "failed"    // the all-or-nothing campaign failed
	RefundWithdrawn RefundWhy = "withdrawn" // the pledge was withdrawn (by an organiser, or /forgetme)
)

// RefundDue is money a campaign owes back to one backer: Due was recorded as paid
// by them, Refunded of it was given back (/refund).
type RefundDue struct {
	Person   PersonID  `json:"person"`
	Due      int64     `json:"due"`
	Refunded int64     `json:"refunded,omitempty"`
	Why      RefundWhy `json:"why"`
}

// Left returns what is still to be refunded.
func (r *RefundDue) Left() int64 { return r.Due - r.Refunded }

// Left returns the money c has in hand: collected, less spent, given to projects
// and refunded.
func (c *Campaign) Left() int64 { return c.Collected - c.Spent - c.Allocated - c.Refunded }

// Held reports whether c's money is held for its backers: an all-or-nothing
// campaign that has not succeeded (yet) may collect but not spend.
func (c *Campaign) Held() bool { return c.AllOrNothing && c.Status == CampaignOpen }

// RefundsLeft returns what c still has to refund, all backers together.
func (c *Campaign) RefundsLeft() int64 {
	var n int64
	for i := range c.Refunds {
		n += c.Refunds[i].Left()
	}
	return n
}

// RefundOf returns the refund due to person, or nil.
func (c *Campaign) RefundOf(person PersonID) *RefundDue {
	for i := range c.Refunds {
		if c.Refunds[i].Person == person {
			return &c.Refunds[i]
		}
	}
	return nil
}

// owe records that amount recorded as paid by person is to be refunded.
func (c *Campaign) owe(person PersonID, amount int64, why RefundWhy) {
	if r := c.RefundOf(person); r != nil {
		r.Due += amount
		r.Why = why
		return
	}
	c.Refunds = append(c.Refunds, RefundDue{Person: person, Due: amount, Why: why})
}

// mergeRefunds moves the refunds due to from onto into (identity linking) and
// reports whether anything changed.
func (c *Campaign) mergeRefunds(from, into PersonID) bool {
	rf := c.RefundOf(from)
	if rf == nil {
		return false
	}
	moved := *rf
	c.Refunds = deleteRefund(c.Refunds, from)
	if ri := c.RefundOf(into); ri != nil {
		ri.Due += moved.Due
		ri.Refunded += moved.Refunded
		return true
	}
	moved.Person = into
	c.Refunds = append(c.Refunds, moved)
	return true
}

func deleteRefund(rs []RefundDue, p PersonID) []RefundDue {
	out := rs[:0]
	for _, r := range rs {
		if r.Person != p {
			out = append(out, r)
		}
	}
	return out
}

// requireNotHeld refuses (CodeConflict, "err.spend_held") spending the money of a
// campaign that holds it for its backers.
func requireNotHeld(c *Campaign) error {
	if c.Held() {
		return Errorf(CodeConflict, "err.spend_held", "id", c.ID())
	}
	return nil
}

// WithdrawPledge withdraws person's pledge to c on an organiser's behalf while c
// is open (its reward unit is freed), also when part of it was recorded as paid:
// that part is then to be refunded. It returns the pledge withdrawn. Returns
// CodeForbidden ("err.not_organiser") and CodeConflict ("err.campaign_closed",
// "err.no_pledge_of").
func (tx *Tx) WithdrawPledge(actor *Member, c *Campaign, person PersonID) (*Pledge, error) {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return nil, err
	}
	if err := tx.requireOpen(c); err != nil {
		return nil, err
	}
	p, err := tx.MyPledge(person, c)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, Errorf(CodeConflict, "err.no_pledge_of", "id", c.ID())
	}
	if p.Paid > 0 {
		c.owe(person, p.Paid, RefundWithdrawn)
	}
	return p, tx.dropPledge(c, p)
}

// Refund records amount given back to person, a backer c owes a refund to (see
// RefundDue). Organisers only; in c's currency; not more than is still due to
// person (CodeConflict, "err.refund_over") nor than c has left in hand
// (CodeConflict, "err.spend_over"). Returns CodeConflict ("err.no_refund_due")
// when nothing is due to person.
func (tx *Tx) Refund(actor *Member, c *Campaign, person PersonID, amount Money) (*LedgerLine, *RefundDue, error) {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return nil, nil, err
	}
	if amount.Currency != c.Goal.Currency || amount.Amount <= 0 {
		return nil, nil, Errorf(CodeInvalid, "err.amount_currency", "text", "", "currency", c.Goal.Currency)
	}
	r := c.RefundOf(person)
	if r == nil || r.Left() <= 0 {
		return nil, nil, Errorf(CodeConflict, "err.no_refund_due", "id", c.ID())
	}
	if amount.Amount > r.Left() {
		return nil, nil, Errorf(CodeConflict, "err.refund_over", "id", c.ID(), "left", c.Money(r.Left()), "amount", amount)
	}
	if left := c.Left(); amount.Amount > left {
		return nil, nil, Errorf(CodeConflict, "err.spend_over", "left", c.Money(left), "amount", amount)
	}
	l := &LedgerLine{Kind: LedgerRefund, Amount: amount, To: person, By: actor.Person}
	if err := tx.addLine(c, l); err != nil {
		return nil, nil, err
	}
	r.Refunded += amount.Amount
	c.Refunded += amount.Amount
	return l, r, tx.putCampaign(c)
}

// CheckSpend reports whether actor may spend or give away c's money now, as Spend
// and Allocate check it: organisers only (CodeForbidden), not on a failed campaign
// ("err.campaign_failed") nor while the money is held ("err.spend_held").
func (tx *Tx) CheckSpend(actor *Member, c *Campaign) error {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return err
	}
	if err := requireMoneyOpen(c); err != nil {
		return err
	}
	return requireNotHeld(c)
}
