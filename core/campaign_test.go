package core_test

import (
	"context"
	"fmt"
	"math/big"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/boltstore"
	"pgregory.net/rapid"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// world is an engine on a real bbolt file with one community, its admin "admin" and
// members m0…m(n-1).
type world struct {
	eng     *core.Engine
	comm    core.CommunityID
	members []core.PersonID
	admin   core.PersonID
	now     atomic.Pointer[time.Time]
}

func newWorld(tb testing.TB, n int) *world {
	tb.Helper()
	db, err := boltstore.Open(filepath.Join(tb.TempDir(), "bolt.db"), boltstore.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	w := &world{}
	now := t0
	w.now.Store(&now)
	w.eng = core.New(db, func() time.Time { return *w.now.Load() })
	w.update(tb, func(tx *core.Tx) error {
		p, err := tx.ResolveIdentity("test", "admin", "admin", "admin")
		if err != nil {
			return err
		}
		c, err := tx.CreateCommunity(p.ID, core.ChatRef{Platform: "test", ChatID: "g"}, false, "Club", "Europe/Paris", "en")
		if err != nil {
			return err
		}
		w.comm, w.admin = c.ID, p.ID
		for i := range n {
			p, err := tx.ResolveIdentity("test", fmt.Sprintf("m%d", i), fmt.Sprintf("m%d", i), "")
			if err != nil {
				return err
			}
			if _, err := tx.Touch(c.ID, p.ID); err != nil {
				return err
			}
			w.members = append(w.members, p.ID)
		}
		return nil
	})
	return w
}

func (w *world) update(tb testing.TB, fn func(tx *core.Tx) error) {
	tb.Helper()
	if _, err := w.eng.Update(context.Background(), fn); err != nil {
		tb.Fatal(err)
	}
}

// try runs fn in a transaction and returns its error (a refusal rolls it back).
func (w *world) try(fn func(tx *core.Tx) error) error {
	_, err := w.eng.Update(context.Background(), fn)
	return err
}

func (w *world) member(tx *core.Tx, p core.PersonID) *core.Member {
	m, err := tx.Member(w.comm, p)
	if err != nil {
		panic(err)
	}
	return m
}

// campaign creates a reward campaign C1 of goal 1 000 € with tiers R1 (10 €, 3
// units) and R2 (50 €, unlimited).
func (w *world) campaign(tb testing.TB) {
	tb.Helper()
	w.update(tb, func(tx *core.Tx) error {
		admin := w.member(tx, w.admin)
		c, err := tx.CreateCampaign(admin, core.CampaignSpec{
			Kind: core.CampaignReward, Title: "Oven", Goal: core.Major(1000, "EUR"),
			Deadline: t0.AddDate(0, 0, 30), AllOrNothing: true,
		})
		if err != nil {
			return err
		}
		if _, err := tx.AddReward(admin, c, core.Major(10, "EUR"), "Sticker", 3); err != nil {
			return err
		}
		_, err = tx.AddReward(admin, c, core.Major(50, "EUR"), "Bread", 0)
		return err
	})
}

func (w *world) get(tb testing.TB) (*core.Campaign, []*core.Pledge) {
	tb.Helper()
	var c *core.Campaign
	var ps []*core.Pledge
	if err := w.eng.View(context.Background(), func(tx *core.Tx) error {
		var err error
		if c, err = tx.Campaign(w.comm, "C1"); err != nil {
			return err
		}
		ps, err = tx.Pledges(c)
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	return c, ps
}

// checkTotals fails unless the campaign's totals are those of its pledges and no
// tier is oversold.
func checkTotals(tb interface {
	Helper()
	Fatalf(string, ...any)
}, c *core.Campaign, ps []*core.Pledge) {
	tb.Helper()
	var sum int64
	taken := map[int]int{}
	for _, p := range ps {
		sum += p.Amount.Amount
		if p.Reward != 0 {
			taken[p.Reward]++
		}
	}
	if c.Pledged != sum || c.Backers != len(ps) {
		tb.Fatalf("got pledged %d, backers %d; pledges sum to %d over %d", c.Pledged, c.Backers, sum, len(ps))
	}
	var public []core.PersonID
	for _, p := range ps {
		if p.Public {
			public = append(public, p.Person)
		}
	}
	if len(public) != len(c.Public) {
		tb.Fatalf("public backers %v, pledges say %v", c.Public, public)
	}
	for _, p := range public {
		if !slices.Contains(c.Public, p) {
			tb.Fatalf("public backers %v, pledges say %v", c.Public, public)
		}
	}
	for _, r := range c.Rewards {
		if r.Taken != taken[r.Num] {
			tb.Fatalf("tier %s: taken %d, pledges %d", r.ID(), r.Taken, taken[r.Num])
		}
		if r.Limit > 0 && r.Taken > r.Limit {
			tb.Fatalf("tier %s oversold: %d of %d", r.ID(), r.Taken, r.Limit)
		}
	}
}

// Ensure the totals equal the sum of live pledges after any sequence of pledges,
// changes, cancellations, collections, withdrawals by an organiser and refunds, a
// limited tier never oversells, and the refunds due are what was paid on withdrawn
// pledges, never refunded beyond.
func TestCampaign_TotalsProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		w := newWorld(t, 6)
		w.campaign(t)
		model := map[core.PersonID]int64{}
		paid, due, refunded := map[core.PersonID]int64{}, map[core.PersonID]int64{}, map[core.PersonID]int64{}
		rt.Repeat(map[string]func(*rapid.T){
			"pledge": func(rt *rapid.T) {
				who := rapid.SampledFrom(w.members).Draw(rt, "who")
				amount := rapid.Int64Range(1, 200_00).Draw(rt, "amount")
				reward := rapid.IntRange(0, 3).Draw(rt, "reward") // 3: no such tier
				var public *bool
				if b := rapid.IntRange(0, 2).Draw(rt, "public"); b < 2 {
					on := b == 1
					public = &on
				}
				err := w.try(func(tx *core.Tx) error {
					c, err := tx.Campaign(w.comm, "C1")
					if err != nil {
						return err
					}
					_, err = tx.Pledge(w.member(tx, who), c, core.PledgeInput{Amount: core.Money{Amount: amount, Currency: "EUR"}, Reward: reward, Public: public})
					return err
				})
				if err == nil {
					model[who] = amount
				} else if core.ErrorCode(err) == core.CodeInternal {
					rt.Fatal(err)
				}
			},
			"cancel": func(rt *rapid.T) {
				who := rapid.SampledFrom(w.members).Draw(rt, "who")
				err := w.try(func(tx *core.Tx) error {
					c, err := tx.Campaign(w.comm, "C1")
					if err != nil {
						return err
					}
					_, err = tx.CancelPledge(w.member(tx, who), c)
					return err
				})
				_, had := model[who]
				switch {
				case err == nil:
					delete(model, who)
				case had && paid[who] > 0 && isKey(err, "err.pledge_paid"): // an organiser withdraws it
				case had || core.ErrorCode(err) != core.CodeConflict:
					rt.Fatalf("cancel: %v (had a pledge: %v)", err, had)
				}
			},
			"collect": func(rt *rapid.T) {
				who := rapid.SampledFrom(w.members).Draw(rt, "who")
				amount := rapid.Int64Range(1, 50_00).Draw(rt, "amount")
				if err := w.try(func(tx *core.Tx) error {
					c, err := tx.Campaign(w.comm, "C1")
					if err != nil {
						return err
					}
					_, err = tx.Collect(w.member(tx, w.admin), c, core.Money{Amount: amount, Currency: "EUR"}, "", who)
					return err
				}); err != nil {
					rt.Fatal(err)
				}
				if _, had := model[who]; had {
					paid[who] += amount
				}
			},
			"withdraw": func(rt *rapid.T) {
				who := rapid.SampledFrom(w.members).Draw(rt, "who")
				err := w.try(func(tx *core.Tx) error {
					c, err := tx.Campaign(w.comm, "C1")
					if err != nil {
						return err
					}
					_, err = tx.WithdrawPledge(w.member(tx, w.admin), c, who)
					return err
				})
				_, had := model[who]
				switch {
				case err == nil && had:
					delete(model, who)
					due[who] += paid[who]
					paid[who] = 0
				case !had && isKey(err, "err.no_pledge_of"):
				default:
					rt.Fatalf("withdraw: %v (had a pledge: %v)", err, had)
				}
			},
			"refund": func(rt *rapid.T) {
				who := rapid.SampledFrom(w.members).Draw(rt, "who")
				amount := rapid.Int64Range(1, 60_00).Draw(rt, "amount")
				err := w.try(func(tx *core.Tx) error {
					c, err := tx.Campaign(w.comm, "C1")
					if err != nil {
						return err
					}
					_, _, err = tx.Refund(w.member(tx, w.admin), c, who, core.Money{Amount: amount, Currency: "EUR"})
					return err
				})
				switch left := due[who] - refunded[who]; {
				case err == nil && amount <= left:
					refunded[who] += amount
				case left <= 0 && isKey(err, "err.no_refund_due"), amount > left && isKey(err, "err.refund_over"):
				default:
					rt.Fatalf("refund %d of %d due: %v", amount, left, err)
				}
			},
			"": func(rt *rapid.T) {
				c, ps := w.get(t)
				checkTotals(rt, c, ps)
				var sum int64
				for _, a := range model {
					sum += a
				}
				if c.Pledged != sum || c.Backers != len(model) {
					rt.Fatalf("got %d over %d backers, model %d over %d", c.Pledged, c.Backers, sum, len(model))
				}
				var allDue, allRefunded int64
				for _, p := range w.members {
					allDue += due[p]
					allRefunded += refunded[p]
					r := c.RefundOf(p)
					if (r == nil) != (due[p] == 0) || r != nil && (r.Due != due[p] || r.Refunded != refunded[p]) {
						rt.Fatalf("%s: refund %+v, model due %d refunded %d", p, r, due[p], refunded[p])
					}
				}
				if c.Refunded != allRefunded || c.RefundsLeft() != allDue-allRefunded || c.Left() < 0 {
					rt.Fatalf("refunded %d (model %d), still due %d (model %d), left %d", c.Refunded, allRefunded, c.RefundsLeft(), allDue-allRefunded, c.Left())
				}
			},
		})
	})
}

// Ensure a limited tier never oversells when many members pledge for it at once,
// even while others cancel.
func TestCampaign_LimitedTierConcurrent(t *testing.T) {
	const n = 64
	w := newWorld(t, n)
	w.campaign(t) // R1: 3 units
	var ok, soldOut atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			err := w.try(func(tx *core.Tx) error {
				c, err := tx.Campaign(w.comm, "C1")
				if err != nil {
					return err
				}
				_, err = tx.Pledge(w.member(tx, w.members[i]), c, core.PledgeInput{Amount: core.Major(10, "EUR"), Reward: 1})
				return err
			})
			switch key, _ := core.ErrorMessage(err); {
			case err == nil:
				ok.Add(1)
			case key == "err.reward_sold_out":
				soldOut.Add(1)
			default:
				t.Error(err)
			}
			if i%4 == 0 && err == nil { // some of the lucky ones change their mind
				if err := w.try(func(tx *core.Tx) error {
					c, err := tx.Campaign(w.comm, "C1")
					if err != nil {
						return err
					}
					_, err = tx.CancelPledge(w.member(tx, w.members[i]), c)
					return err
				}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	c, ps := w.get(t)
	checkTotals(t, c, ps)
	if r := c.Reward(1); r.Taken > 3 || int(ok.Load()) < 3 || int(ok.Load()+soldOut.Load()) != n {
		t.Fatalf("taken %d, %d pledged, %d sold out", r.Taken, ok.Load(), soldOut.Load())
	}
}

// Ensure a split adds up to the amount exactly and gives each weight its exact
// share rounded down or up, never more than one minor unit away.
func TestSplitByWeights_Property(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		amount := rapid.Int64Range(0, 1_000_000_000_000_00).Draw(rt, "amount")
		weights := rapid.SliceOfN(rapid.Int64Range(0, 1_000_000), 0, 12).Draw(rt, "weights")
		parts := core.SplitByWeights(amount, weights)
		var sum, total int64
		for _, w := range weights {
			total += w
		}
		for i, p := range parts {
			sum += p
			if weights[i] == 0 && p != 0 {
				rt.Fatalf("weight 0 got %d", p)
			}
			if total > 0 {
				exact := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(amount), big.NewInt(weights[i])), big.NewInt(total))
				lo := new(big.Rat).Sub(exact, big.NewRat(1, 1))
				hi := new(big.Rat).Add(exact, big.NewRat(1, 1))
				pr := new(big.Rat).SetInt64(p)
				if pr.Cmp(lo) <= 0 || pr.Cmp(hi) >= 0 {
					rt.Fatalf("part %d = %d, exact share %s", i, p, exact.FloatString(3))
				}
			}
		}
		if total > 0 && sum != amount || total == 0 && sum != 0 {
			rt.Fatalf("parts %v add up to %d, amount %d", parts, sum, amount)
		}
	})
}

// Ensure a worked split: 100.00 between weights 1, 1, 1 gives 33.34, 33.33, 33.33.
func TestSplitByWeights_Example(t *testing.T) {
	if got := core.SplitByWeights(10000, []int64{1, 1, 1}); !slices.Equal(got, []int64{3334, 3333, 3333}) {
		t.Fatalf("got %v", got)
	}
	if got := core.SplitByWeights(10000, []int64{5, 0, 3}); !slices.Equal(got, []int64{6250, 0, 3750}) {
		t.Fatalf("got %v", got)
	}
}

// Ensure allocating collected money to projects writes ledger lines, and refuses
// more than is left, a failed campaign and members who do not organise it.
func TestCampaign_Allocate(t *testing.T) {
	w := newWorld(t, 2)
	w.campaign(t)
	w.update(t, func(tx *core.Tx) error {
		admin := w.member(tx, w.admin)
		for _, title := range []string{"Garden", "Repair"} {
			if _, err := tx.CreateProject(admin, title, ""); err != nil {
				return err
			}
		}
		c, err := tx.Campaign(w.comm, "C1")
		if err != nil {
			return err
		}
		_, err = tx.Collect(admin, c, core.Major(100, "EUR"), "Le Zinc", "")
		return err
	})
	allocate := func(who core.PersonID, amounts map[int]int64) error {
		return w.try(func(tx *core.Tx) error {
			c, err := tx.Campaign(w.comm, "C1")
			if err != nil {
				return err
			}
			_, err = tx.Allocate(w.member(tx, who), c, amounts)
			return err
		})
	}
	if err := allocate(w.members[0], map[int]int64{1: 100}); core.ErrorCode(err) != core.CodeForbidden {
		t.Fatalf("a member allocated: %v", err)
	}
	if err := allocate(w.admin, map[int]int64{1: 100}); !isKey(err, "err.spend_held") {
		t.Fatalf("all or nothing, not reached yet: %v", err)
	}
	w.update(t, func(tx *core.Tx) error { // the goal is reached: the money is the community's
		c, err := tx.Campaign(w.comm, "C1")
		if err != nil {
			return err
		}
		if _, err := tx.Pledge(w.member(tx, w.members[1]), c, core.PledgeInput{Amount: core.Major(1000, "EUR")}); err != nil {
			return err
		}
		_, err = tx.CloseCampaign(w.member(tx, w.admin), c)
		return err
	})
	if err := allocate(w.admin, map[int]int64{1: 6000, 2: 4001}); core.ErrorCode(err) != core.CodeConflict {
		t.Fatalf("more than collected: %v", err)
	}
	if err := allocate(w.admin, map[int]int64{3: 10}); core.ErrorCode(err) != core.CodeNotFound {
		t.Fatalf("no such project: %v", err)
	}
	parts := core.SplitByWeights(10000, []int64{3, 2})
	if err := allocate(w.admin, map[int]int64{1: parts[0], 2: parts[1]}); err != nil {
		t.Fatal(err)
	}
	c, _ := w.get(t)
	var lines []*core.LedgerLine
	if err := w.eng.View(context.Background(), func(tx *core.Tx) error {
		var err error
		lines, err = tx.Ledger(c)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if c.Allocated != 10000 || len(lines) != 3 || lines[1].Project != 1 || lines[1].Amount.Amount != 6000 || lines[2].Amount.Amount != 4000 {
		t.Fatalf("allocated %d, lines %+v", c.Allocated, lines)
	}
	if err := allocate(w.admin, map[int]int64{1: 1}); core.ErrorCode(err) != core.CodeConflict {
		t.Fatalf("nothing left: %v", err)
	}
	err := w.try(func(tx *core.Tx) error { // a failed campaign has nothing to give
		admin := w.member(tx, w.admin)
		c, err := tx.CreateCampaign(admin, core.CampaignSpec{Kind: core.CampaignDonation, Title: "Roof", Goal: core.Major(10, "EUR"), Deadline: t0.AddDate(0, 0, 9), AllOrNothing: true})
		if err != nil {
			return err
		}
		if _, err := tx.CloseCampaign(admin, c); err != nil {
			return err
		}
		_, err = tx.Allocate(admin, c, map[int]int64{1: 1})
		return err
	})
	if key, _ := core.ErrorMessage(err); key != "err.campaign_failed" {
		t.Fatalf("a failed campaign allocated: %v", err)
	}
}
