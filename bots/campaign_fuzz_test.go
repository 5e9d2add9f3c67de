package bots_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
)

// Ensure whatever members type to the campaign commands gets an answer or silence,
// never an internal error or a missing text, and the totals of every campaign stay
// the sum of its pledges.
func FuzzCampaign(f *testing.F) {
	for _, s := range []string{
		"/pledge C1 25", "/pledge C1 20 reward R1", "/pledge C1 1 000 € reward R2 public", "/pledge C1 cancel",
		"/pledge C2 1 500 hours 20", "/pledge C3 150", "/pledge C1 -5", "/pledge C1 25.505", "/pledge C1",
		"/reward C1 10 Mug limit 3", "/stretch C1 900 Bigger", "/collect C1 12,50 from Le Zinc", "/collect C1 30 from @bob",
		"/spend C1 5 paint", "/ledger C1", "/schedule C2", "/campaign C1", "/campaigns", "/campaign C1 close",
		"/campaign C1 collector @bob", "/campaign C2 hours @bob 3", "/campaign C1 backers",
		"/campaign new loan Van goal 200 000 until 2026-12-24 rate 7.5% term 180 for P1",
		"/campaign new equity Coop goal 10 000 CHF until fin décembre share 50",
		"/pledge C1 cancel @bob", "/refund C1 @bob 10", "/refund C1 @carol 5,50 €", "/rembourser C1 @bob dix",
		"/promesse C1 25 contrepartie R1", "/campagne nouveau don Toit objectif 1 000 € jusqu'au 24/12 tout-ou-rien",
	} {
		f.Add(s, uint8(0), false)
		f.Add(s, uint8(1), true)
	}
	e := botstest.NewEnv(f, botstest.Options{NoSync: true})
	n := 0
	people := []string{"alice", "bob", "carol"}
	f.Fuzz(func(t *testing.T, text string, who uint8, direct bool) {
		e.TB = t
		if n%200 == 0 { // a fresh community now and then, so that state does not pile up
			e.Chat = fmt.Sprintf("group-%d", n/200)
			e.Say("alice", "/community create Club lang en")
			e.Say("alice", "/project new Bakery")
			e.Say("alice", "/campaign new reward Oven goal 500 € until 2026-12-20 for P1")
			e.Say("alice", "/reward C1 20 Loaf limit 2")
			e.Say("alice", "/campaign new loan Truck goal 15 000 until 2026-12-20 rate 0% term 60 hours-value 15")
			e.Say("alice", "/campaign new equity Coop goal 10 000 until 2026-12-20 share 50")
			e.Say("bob", "hello")
			e.Say("carol", "hello")
		}
		n++
		ev := e.Event(people[int(who)%len(people)], text)
		if direct {
			ev.Direct, ev.ChatID = true, "dm:"+ev.UserID
		}
		out, err := e.Bot.Handle(context.Background(), ev)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		for _, m := range out {
			if strings.Contains(m.Text, "[err.") || strings.Contains(m.Text, "went wrong") || strings.Contains(m.Text, "<no value>") ||
				strings.HasPrefix(m.Text, "[") && !strings.Contains(m.Text, " ") {
				t.Fatalf("%q: answer %q", text, m.Text)
			}
		}
		if err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
			cs, err := tx.Communities()
			if err != nil {
				return err
			}
			for _, c := range cs {
				camps, err := tx.Campaigns(c.ID)
				if err != nil {
					return err
				}
				for _, camp := range camps {
					ps, err := tx.Pledges(camp)
					if err != nil {
						return err
					}
					var sum int64
					for _, p := range ps {
						sum += p.Amount.Amount
					}
					if sum != camp.Pledged || len(ps) != camp.Backers {
						t.Fatalf("%q: %s pledged %d by %d, pledges %d by %d", text, camp.ID(), camp.Pledged, camp.Backers, sum, len(ps))
					}
					var refunded int64
					for _, r := range camp.Refunds {
						if r.Refunded > r.Due || r.Refunded < 0 {
							t.Fatalf("%q: %s refunded %d of %d due", text, camp.ID(), r.Refunded, r.Due)
						}
						refunded += r.Refunded
					}
					if refunded != camp.Refunded || camp.Left() < 0 {
						t.Fatalf("%q: %s refunded %d (refunds say %d), left %d", text, camp.ID(), camp.Refunded, refunded, camp.Left())
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}
