package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-org/engage/store/pgstore"
)

// BenchmarkHandleStores handles chat events through bots, core and each store, in
// the same run: a member following or unfollowing a project (one transaction that
// reads the member and the project and writes them), and a referent posting news to
// 20 followers (a transaction that also writes 21 outbox messages). Stores are
// durable (fsync on bbolt, synchronous commit on PostgreSQL); senders is the number
// of events in flight at once. PostgreSQL runs when ENGAGE_TEST_POSTGRES_DSN is set.
func BenchmarkHandleStores(b *testing.B) {
	for _, driver := range []string{"bolt", "postgres"} {
		for _, kind := range []string{"follow", "news"} {
			for _, senders := range []int{1, 64} {
				b.Run(fmt.Sprintf("%s/%s/senders=%d", driver, kind, senders), func(b *testing.B) {
					benchHandle(b, driver, kind, senders)
				})
			}
		}
	}
}

func benchHandle(b *testing.B, driver, kind string, senders int) {
	cfg := DefaultConfig()
	cfg.Community.Lang = "en"
	cfg.Store.Driver = driver
	if driver == "bolt" {
		cfg.Store.Path = filepath.Join(b.TempDir(), "bench.db")
	} else {
		cfg.Store.DSN = pgDSN(b)
	}
	a, err := openApp(cfg, time.Now, newLogger(LogConfig{Level: "error"}, &strings.Builder{}), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	var seq atomic.Int64
	handle := func(user, text string) {
		ev := event(user, text, fmt.Sprintf("bench:%d", seq.Add(1)))
		if _, err := a.bot.Handle(context.Background(), ev); err != nil {
			b.Error(err)
		}
	}
	handle("alice", "/community create Club lang en")
	handle("alice", "/project new Garden")
	for i := range 20 {
		handle(fmt.Sprintf("f%02d", i), "/follow P1")
	}
	var n atomic.Int64
	op := func() {
		i := n.Add(1)
		if kind == "news" {
			handle("alice", fmt.Sprintf("/news P1 update %d", i))
			return
		}
		user := fmt.Sprintf("m%03d", i%200)
		if (i/200)%2 == 0 {
			handle(user, "/follow P1")
		} else {
			handle(user, "/unfollow P1")
		}
	}
	var before pgstore.Stats
	pg, _ := a.store.(*pgstore.DB)
	if pg != nil {
		before = pg.Stats()
	}
	b.ResetTimer()
	if senders == 1 {
		for b.Loop() {
			op()
		}
	} else {
		b.SetParallelism(max(1, senders/runtime.GOMAXPROCS(0)))
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				op()
			}
		})
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if pg != nil {
		st := pg.Stats()
		if batches := st.Batches - before.Batches; batches > 0 {
			b.ReportMetric(float64(st.Updates-before.Updates)/float64(batches), "updates/commit")
		}
	}
}
