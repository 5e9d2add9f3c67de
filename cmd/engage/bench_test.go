package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-org/engage/store/pgstore"
	"github.com/engage-org/engage/store/pgstore/pgtest"
)

// BenchmarkHandleStores runs the same chat events through bots, core and each store,
// in one run, from 1 and from 64 concurrent senders. Stores are durable (fsync on
// bbolt, synchronous commit on PostgreSQL); PostgreSQL runs when
// ENGAGE_TEST_POSTGRES_DSN is set. Workloads:
//   - handle: the foundation's BenchmarkHandle (bots/bench_test.go): half follows
//     spread over 200 projects, half news posts to a project's chat;
//   - pledge: members pledging (and changing their pledge) on one campaign, the
//     campaigns' BenchmarkPledge_64Concurrent without its dispatcher;
//   - vote: members casting (and changing) a ranked ballot on one poll, the votes'
//     casting benchmark (bots/vote_bench_test.go) through the whole event.
//
// The figure to read is events/s; updates/commit shows PostgreSQL's group commit.
func BenchmarkHandleStores(b *testing.B) {
	for _, driver := range []string{"bolt", "postgres"} {
		for _, work := range []string{"handle", "pledge", "vote"} {
			for _, senders := range []int{1, 64} {
				b.Run(fmt.Sprintf("%s/%s/senders=%d", driver, work, senders), func(b *testing.B) {
					benchStore(b, driver, work, senders)
				})
			}
		}
	}
}

func benchStore(b *testing.B, driver, work string, senders int) {
	cfg := DefaultConfig()
	cfg.Community.Lang = "en"
	cfg.Store.Driver = driver
	if driver == "bolt" {
		cfg.Store.Path = filepath.Join(b.TempDir(), "bench.db")
	} else {
		cfg.Store.DSN = pgtest.FreshDSN(b)
	}
	a, err := openApp(cfg, time.Now, newLogger(LogConfig{Level: "error"}, &strings.Builder{}), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	var seq atomic.Int64
	handle := func(user, text string) {
		ev := event(user, text, fmt.Sprintf("bench:%d", seq.Add(1)))
		out, err := a.bot.Handle(context.Background(), ev)
		if err != nil {
			b.Error(err)
		} else if work == "pledge" && strings.HasPrefix(text, "/pledge") && (len(out) != 1 || !strings.Contains(out[0].Text, "C1")) {
			b.Errorf("pledge refused: %v", out)
		}
	}
	handle("alice", "/community create Bench lang en")
	var op func(k int64)
	switch work {
	case "handle":
		for i := range 201 {
			handle("alice", fmt.Sprintf("/project new Project %d", i+1))
		}
		op = func(k int64) {
			if k%2 == 0 {
				handle(fmt.Sprintf("member%d", k), fmt.Sprintf("/follow P%d", 2+k%200))
			} else {
				handle("alice", fmt.Sprintf("/news P1 bench news %d", k))
			}
		}
	case "pledge":
		handle("alice", "/campaign new donation Oven goal 1 000 000 until in 60 days keep-it-all")
		for i := range 64 {
			handle(fmt.Sprintf("m%d", i), "hello")
		}
		op = func(k int64) { handle(fmt.Sprintf("m%d", k%64), fmt.Sprintf("/pledge C1 %d", 10+k%50)) }
	case "vote":
		handle("alice", "/poll new irv Best? | A | B | C | D | E")
		rankings := []string{"A > B > C", "C > A", "E > D > B", "B = C > A", "D"}
		op = func(k int64) {
			handle(fmt.Sprintf("m%d", k%500), "/vote V1 "+rankings[k%int64(len(rankings))])
		}
	}
	var before pgstore.Stats
	pg, _ := a.store.(*pgstore.DB)
	if pg != nil {
		before = pg.Stats()
	}
	var n atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for range senders {
		wg.Go(func() {
			for {
				k := n.Add(1)
				if k > int64(b.N) {
					return
				}
				op(k)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if pg != nil {
		st := pg.Stats()
		if batches := st.Batches - before.Batches; batches > 0 {
			b.ReportMetric(float64(st.Updates-before.Updates)/float64(batches), "updates/commit")
		}
	}
}
