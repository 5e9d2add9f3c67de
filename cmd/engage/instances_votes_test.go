package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// Ensure two instances on one database count every ballot once under concurrent
// load — each voter's event delivered to both instances, some voters changing their
// ballot — and the deadline closes the poll once, with the same result as a count
// of the final ballots.
func TestTwoInstances_Votes(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := bots.NewClock(start)
	apps := twoApps(t, clock)
	handle := func(a *app, ev bots.Event) {
		if _, err := a.bot.Handle(context.Background(), ev); err != nil {
			t.Error(err)
		}
	}
	handle(apps[0], event("alice", "/community create Club lang en", "v:setup:1"))
	handle(apps[1], event("alice", "/poll new irv Best bakery? | Rose | Lilas | Mimosa | Iris until 2026-12-02", "v:setup:2"))

	const voters = 60
	rankings := []string{"Rose > Lilas > Mimosa", "Lilas > Rose", "Mimosa > Iris > Rose", "Iris > Mimosa > Lilas > Rose"}
	final := map[int]string{}
	var wg sync.WaitGroup
	for i := range voters {
		choice := rankings[i%len(rankings)]
		final[i] = choice
		ev := event(fmt.Sprintf("v%02d", i), "/vote V1 "+choice, fmt.Sprintf("vote:%d", i))
		wg.Go(func() { // delivered to both instances at once
			var both sync.WaitGroup
			for k := range apps {
				both.Go(func() { handle(apps[k], ev) })
			}
			both.Wait()
		})
	}
	wg.Wait()
	// A third of the voters change their mind, through either instance.
	for i := 0; i < voters; i += 3 {
		choice := rankings[(i+1)%len(rankings)]
		final[i] = choice
		ev := event(fmt.Sprintf("v%02d", i), "/vote V1 "+choice, fmt.Sprintf("change:%d", i))
		wg.Go(func() { handle(apps[i%2], ev) })
	}
	wg.Wait()

	// The deadline passes; both schedulers race for the closing job.
	clock.Set(start.Add(48 * time.Hour))
	var fired sync.WaitGroup
	for _, a := range apps {
		fired.Go(func() {
			if err := a.sched.RunDue(context.Background(), clock.Now()); err != nil {
				t.Error(err)
			}
		})
	}
	fired.Wait()

	var snap *core.Snapshot
	if err := apps[0].eng.View(t.Context(), func(tx *core.Tx) error {
		var err error
		snap, err = tx.Snapshot()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	p := snap.Communities[0].Polls[0]
	if p.Status != "closed" || p.Ballots != voters {
		t.Fatalf("poll %s with %d ballots, want closed with %d", p.Status, p.Ballots, voters)
	}
	// The same ranking as a count of the final ballots.
	labels := []string{"Rose", "Lilas", "Mimosa", "Iris"}
	var ballots []tally.Ballot
	for _, choice := range final {
		b := tally.Ballot{Values: make([]int, len(labels))}
		for rank, name := range strings.Split(choice, " > ") {
			for j, l := range labels {
				if l == name {
					b.Values[j] = rank + 1
				}
			}
		}
		ballots = append(ballots, b)
	}
	res, err := tally.Count(tally.IRV, len(labels), ballots, tally.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	var want [][]string
	for _, tier := range res.Ranking {
		var names []string
		for _, i := range tier {
			names = append(names, labels[i])
		}
		want = append(want, names)
	}
	if fmt.Sprint(p.Ranking) != fmt.Sprint(want) {
		t.Fatalf("ranking %v, want %v", p.Ranking, want)
	}
	// Closed once: one result message waits in the (shared) outbox.
	results := 0
	_ = apps[0].eng.View(t.Context(), func(tx *core.Tx) error {
		items, err := tx.Outbox("", tx.Now(), 1000)
		for _, it := range items {
			if strings.Contains(string(it.Payload), "— result") {
				results++
			}
		}
		return err
	})
	if results != 1 {
		t.Fatalf("%d result messages, want 1: the poll was closed more than once", results)
	}
}
