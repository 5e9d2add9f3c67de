package core_test

import (
	"context"
	"testing"

	"github.com/engage-org/engage/core"
)

// isKey reports whether err carries the message key.
func isKey(err error, key string) bool {
	k, _ := core.ErrorMessage(err)
	return k == key
}

// with runs fn on campaign id as the admin in a transaction and returns its error.
func (w *world) with(id string, fn func(tx *core.Tx, admin *core.Member, c *core.Campaign) error) error {
	return w.try(func(tx *core.Tx) error {
		c, err := tx.Campaign(w.comm, id)
		if err != nil {
			return err
		}
		return fn(tx, w.member(tx, w.admin), c)
	})
}

// Ensure an all-or-nothing campaign's money is held until it succeeds: collected,
// never spent or given before; a keep-it-all campaign spends as it collects; a
// failed one moves no money but refunds.
func TestCampaign_HeldUntilSuccess(t *testing.T) {
	tests := []struct {
		name         string
		allOrNothing bool
		pledge       int64 // major units, before the money moves (goal 100)
		close        bool
		collect      string // "" or the refusal key
		spend        string
	}{
		{"AllOrNothingOpen", true, 50, false, "", "err.spend_held"},
		{"AllOrNothingGoalReachedOpen", true, 100, false, "", "err.spend_held"}, // succeeds at settlement only
		{"AllOrNothingSucceeded", true, 100, true, "", ""},
		{"AllOrNothingFailed", true, 50, true, "err.campaign_failed", "err.campaign_failed"},
		{"KeepItAllOpen", false, 50, false, "", ""},
		{"KeepItAllSucceeded", false, 50, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, 1)
			w.update(t, func(tx *core.Tx) error {
				admin := w.member(tx, w.admin)
				if _, err := tx.CreateProject(admin, "Garden", ""); err != nil {
					return err
				}
				c, err := tx.CreateCampaign(admin, core.CampaignSpec{Kind: core.CampaignDonation, Title: "Roof", Goal: core.Major(100, "EUR"),
					Deadline: t0.AddDate(0, 0, 9), AllOrNothing: tt.allOrNothing})
				if err != nil {
					return err
				}
				if _, err := tx.Pledge(w.member(tx, w.members[0]), c, core.PledgeInput{Amount: core.Major(tt.pledge, "EUR")}); err != nil {
					return err
				}
				if tt.close {
					_, err = tx.CloseCampaign(admin, c)
				}
				return err
			})
			err := w.with("C1", func(tx *core.Tx, admin *core.Member, c *core.Campaign) error {
				_, err := tx.Collect(admin, c, core.Major(40, "EUR"), "", w.members[0])
				return err
			})
			if (tt.collect == "" && err != nil) || (tt.collect != "" && !isKey(err, tt.collect)) {
				t.Fatalf("collect: got %v, want %q", err, tt.collect)
			}
			for what, move := range map[string]func(tx *core.Tx, admin *core.Member, c *core.Campaign) error{
				"spend": func(tx *core.Tx, admin *core.Member, c *core.Campaign) error {
					_, err := tx.Spend(admin, c, core.Major(10, "EUR"), "paint")
					return err
				},
				"allocate": func(tx *core.Tx, admin *core.Member, c *core.Campaign) error {
					_, err := tx.Allocate(admin, c, map[int]int64{1: 1000})
					return err
				},
				"check": func(tx *core.Tx, admin *core.Member, c *core.Campaign) error { return tx.CheckSpend(admin, c) },
			} {
				err := w.with("C1", move)
				if (tt.spend == "" && err != nil) || (tt.spend != "" && !isKey(err, tt.spend)) {
					t.Errorf("%s: got %v, want %q", what, err, tt.spend)
				}
			}
		})
	}
}

// refundWorld: C1 (all or nothing, 1 000 €) where m0 pledged 100 € and paid 60 €,
// m1 pledged 50 € and paid nothing, 10 € came from nobody named; then it failed.
func refundWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t, 3)
	w.campaign(t)
	w.update(t, func(tx *core.Tx) error {
		c, err := tx.Campaign(w.comm, "C1")
		if err != nil {
			return err
		}
		admin := w.member(tx, w.admin)
		for i, a := range []int64{100, 50} {
			if _, err := tx.Pledge(w.member(tx, w.members[i]), c, core.PledgeInput{Amount: core.Major(a, "EUR")}); err != nil {
				return err
			}
		}
		if _, err := tx.Collect(admin, c, core.Major(60, "EUR"), "", w.members[0]); err != nil {
			return err
		}
		if _, err := tx.Collect(admin, c, core.Major(10, "EUR"), "", ""); err != nil {
			return err
		}
		_, err = tx.CloseCampaign(admin, c)
		return err
	})
	return w
}

// Ensure a failed campaign owes back what each backer paid, and /refund records
// each refund: not to whom nothing is due, not more than is due, organisers only;
// the totals and the export follow.
func TestCampaign_RefundsOnFailure(t *testing.T) {
	w := refundWorld(t)
	c, _ := w.get(t)
	if c.Status != core.CampaignFailed || len(c.Refunds) != 1 || c.Refunds[0].Person != w.members[0] || c.Refunds[0].Due != 6000 || c.Refunds[0].Why != core.RefundFailed {
		t.Fatalf("status %s, refunds %+v", c.Status, c.Refunds)
	}
	refund := func(who, to core.PersonID, major int64, cur string) error {
		return w.with("C1", func(tx *core.Tx, _ *core.Member, c *core.Campaign) error {
			_, _, err := tx.Refund(w.member(tx, who), c, to, core.Major(major, cur))
			return err
		})
	}
	for _, tt := range []struct {
		name      string
		who, to   core.PersonID
		major     int64
		cur, want string
	}{
		{"Member", w.members[2], w.members[0], 10, "EUR", "err.not_organiser"},
		{"NothingDue", w.admin, w.members[1], 10, "EUR", "err.no_refund_due"},
		{"NotABacker", w.admin, w.members[2], 10, "EUR", "err.no_refund_due"},
		{"OverDue", w.admin, w.members[0], 61, "EUR", "err.refund_over"},
		{"OtherCurrency", w.admin, w.members[0], 10, "CHF", "err.amount_currency"},
	} {
		if err := refund(tt.who, tt.to, tt.major, tt.cur); !isKey(err, tt.want) {
			t.Errorf("%s: got %v, want %s", tt.name, err, tt.want)
		}
	}
	if after, _ := w.get(t); after.Refunded != 0 || after.Refunds[0].Refunded != 0 {
		t.Fatalf("a refusal changed the refunds: %+v", after)
	}
	if err := refund(w.admin, w.members[0], 40, "EUR"); err != nil {
		t.Fatal(err)
	}
	c, _ = w.get(t)
	if c.Refunded != 4000 || c.RefundsLeft() != 2000 || c.Left() != 3000 {
		t.Fatalf("refunded %d, still due %d, left %d", c.Refunded, c.RefundsLeft(), c.Left())
	}
	if err := refund(w.admin, w.members[0], 21, "EUR"); !isKey(err, "err.refund_over") {
		t.Fatalf("over what is left due: %v", err)
	}
	if err := refund(w.admin, w.members[0], 20, "EUR"); err != nil {
		t.Fatal(err)
	}
	if err := refund(w.admin, w.members[0], 1, "EUR"); !isKey(err, "err.no_refund_due") {
		t.Fatalf("all refunded: %v", err)
	}
	var snap *core.Snapshot
	var lines []*core.LedgerLine
	if err := w.eng.View(context.Background(), func(tx *core.Tx) error {
		var err error
		if snap, err = tx.Snapshot(); err != nil {
			return err
		}
		c, err := tx.Campaign(w.comm, "C1")
		if err != nil {
			return err
		}
		lines, err = tx.Ledger(c)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, l := range lines {
		if l.Kind == core.LedgerRefund {
			if l.To != w.members[0] {
				t.Fatalf("refund line to %s", l.To)
			}
			sum += l.Amount.Amount
		}
	}
	cs := snap.Communities[0].Campaigns[0]
	if sum != 6000 || cs.Refunded != 6000 || cs.RefundDue != 0 || len(cs.Refunds) != 1 || cs.Refunds[0].Member != "m0" || cs.Refunds[0].Due != 6000 || cs.Refunds[0].Why != "failed" {
		t.Fatalf("refund lines %d, export %+v", sum, cs)
	}
}

// Ensure an organiser withdraws a member's pledge, paid in part or not, while the
// campaign is open: the totals drop, what was paid is to be refunded; members
// cannot, and a member without a pledge is refused.
func TestCampaign_WithdrawPledge(t *testing.T) {
	w := newWorld(t, 3)
	w.campaign(t)
	w.update(t, func(tx *core.Tx) error {
		c, err := tx.Campaign(w.comm, "C1")
		if err != nil {
			return err
		}
		if _, err := tx.Pledge(w.member(tx, w.members[0]), c, core.PledgeInput{Amount: core.Major(100, "EUR"), Reward: 1}); err != nil {
			return err
		}
		if _, err := tx.Pledge(w.member(tx, w.members[1]), c, core.PledgeInput{Amount: core.Major(20, "EUR")}); err != nil {
			return err
		}
		_, err = tx.Collect(w.member(tx, w.admin), c, core.Major(30, "EUR"), "", w.members[0])
		return err
	})
	withdraw := func(who, whose core.PersonID) error {
		return w.with("C1", func(tx *core.Tx, _ *core.Member, c *core.Campaign) error {
			_, err := tx.WithdrawPledge(w.member(tx, who), c, whose)
			return err
		})
	}
	if err := w.with("C1", func(tx *core.Tx, _ *core.Member, c *core.Campaign) error {
		_, err := tx.CancelPledge(w.member(tx, w.members[0]), c)
		return err
	}); !isKey(err, "err.pledge_paid") {
		t.Fatalf("the backer withdrew a paid pledge: %v", err)
	}
	if err := withdraw(w.members[1], w.members[0]); !isKey(err, "err.not_organiser") {
		t.Fatalf("a member withdrew another's pledge: %v", err)
	}
	if err := withdraw(w.admin, w.members[2]); !isKey(err, "err.no_pledge_of") {
		t.Fatalf("no pledge: %v", err)
	}
	if err := withdraw(w.admin, w.members[0]); err != nil {
		t.Fatal(err)
	}
	if err := withdraw(w.admin, w.members[1]); err != nil { // nothing paid: nothing to refund
		t.Fatal(err)
	}
	c, ps := w.get(t)
	checkTotals(t, c, ps)
	if len(ps) != 0 || len(c.Refunds) != 1 || c.Refunds[0].Due != 3000 || c.Refunds[0].Why != core.RefundWithdrawn {
		t.Fatalf("pledges %d, refunds %+v", len(ps), c.Refunds)
	}
	// A withdrawn pledge is refunded while the campaign runs, from the money held.
	if err := w.with("C1", func(tx *core.Tx, admin *core.Member, c *core.Campaign) error {
		_, _, err := tx.Refund(admin, c, w.members[0], core.Major(30, "EUR"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	w.update(t, func(tx *core.Tx) error {
		c, err := tx.Campaign(w.comm, "C1")
		if err != nil {
			return err
		}
		_, err = tx.Pledge(w.member(tx, w.members[1]), c, core.PledgeInput{Amount: core.Major(20, "EUR")})
		return err
	})
	next := t0.AddDate(0, 0, 31)
	w.now.Store(&next)
	if err := withdraw(w.admin, w.members[1]); !isKey(err, "err.campaign_closed") {
		t.Fatalf("after the deadline: %v", err)
	}
}
