package core

import (
	"math/big"
	"slices"
	"strconv"
)

// SplitByWeights splits amount minor units between shares in proportion to weights
// (the largest remainder method): each gets the floor of its exact share, and the
// minor units left go one each to the largest remainders, the earlier share first
// on equal remainders. The parts add up to amount exactly; a zero weight gets
// nothing; all weights zero (or none) give nothing to anyone.
func SplitByWeights(amount int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	var total big.Int
	for _, w := range weights {
		if w > 0 {
			total.Add(&total, big.NewInt(w))
		}
	}
	if amount <= 0 || total.Sign() == 0 {
		return out
	}
	rems := make([]*big.Int, len(weights))
	left := amount
	for i, w := range weights {
		rems[i] = new(big.Int)
		if w <= 0 {
			continue
		}
		q, r := new(big.Int).QuoRem(new(big.Int).Mul(big.NewInt(amount), big.NewInt(w)), &total, new(big.Int))
		out[i], rems[i] = q.Int64(), r
		left -= out[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rems[b].Cmp(rems[a]) })
	for _, i := range order {
		if left == 0 {
			break
		}
		if weights[i] > 0 {
			out[i]++
			left--
		}
	}
	return out
}

// Allocate gives part of what c collected and has left to projects of c's
// community: amounts maps project numbers to minor units (the caller computes them,
// as /allocate C1 by V1 does from a poll's result with SplitByWeights). Each
// becomes a ledger line. Organisers only; not on a failed campaign, nor on an
// all-or-nothing one that has not succeeded yet (CodeConflict, "err.spend_held");
// not more than is left (CodeConflict, "err.spend_over"); every project must exist.
func (tx *Tx) Allocate(actor *Member, c *Campaign, amounts map[int]int64) ([]*LedgerLine, error) {
	if err := tx.CheckSpend(actor, c); err != nil {
		return nil, err
	}
	nums := make([]int, 0, len(amounts))
	var sum int64
	for n, a := range amounts {
		if a < 0 {
			return nil, Errorf(CodeInvalid, "err.amount_negative", "text", "")
		}
		if a == 0 {
			continue
		}
		if _, err := tx.Project(c.Community, "P"+strconv.Itoa(n)); err != nil {
			return nil, err
		}
		nums = append(nums, n)
		sum += a
	}
	slices.Sort(nums)
	if left := c.Left(); sum > left {
		return nil, Errorf(CodeConflict, "err.spend_over", "left", c.Money(left), "amount", c.Money(sum))
	}
	var out []*LedgerLine
	for _, n := range nums {
		l := &LedgerLine{Kind: LedgerAllocate, Amount: c.Money(amounts[n]), Project: n, By: actor.Person}
		if err := tx.addLine(c, l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	c.Allocated += sum
	return out, tx.putCampaign(c)
}

// Allocation is money campaigns gave one project (/allocate): the campaign, and
// the sum of its allocate lines to the project.
type Allocation struct {
	Campaign string // "C1"
	Title    string // the campaign's title
	Amount   Money
}

// AllocatedTo returns the money each campaign of community cid gave project num,
// oldest campaign first (campaigns that gave nothing are left out).
func (tx *Tx) AllocatedTo(cid CommunityID, num int) ([]Allocation, error) {
	cs, err := tx.Campaigns(cid)
	if err != nil {
		return nil, err
	}
	var out []Allocation
	for _, c := range cs {
		if c.Allocated == 0 {
			continue
		}
		lines, err := tx.Ledger(c)
		if err != nil {
			return nil, err
		}
		var sum int64
		for _, l := range lines {
			if l.Kind == LedgerAllocate && l.Project == num {
				sum += l.Amount.Amount
			}
		}
		if sum > 0 {
			out = append(out, Allocation{Campaign: c.ID(), Title: c.Title, Amount: c.Money(sum)})
		}
	}
	return out, nil
}
