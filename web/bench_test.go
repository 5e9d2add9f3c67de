package web_test

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/prompts"
	"github.com/engage-org/engage/web"
)

// benchSite is a published community of 1 000 members, 100 open polls and 20
// campaigns with pledges, made through the bot.
func benchSite(b *testing.B) *web.Server {
	b.Helper()
	e := botstest.NewEnv(b, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Grand Quartier")
	for i := range 999 {
		e.Say(fmt.Sprintf("member%d", i), "/help")
	}
	for i := range 10 {
		e.Say("alice", fmt.Sprintf("/project new Project %d — a project of the benchmark", i))
	}
	for i := range 100 {
		e.Say("alice", fmt.Sprintf("/poll new single Question number %d? | Yes | No | Maybe", i))
	}
	for i := range 20 {
		e.Say("alice", fmt.Sprintf("/campaign new donation Campaign %d goal 5000 until 2026-12-30 keep-it-all", i))
		for j := range 5 {
			e.Say(fmt.Sprintf("member%d", j), fmt.Sprintf("/pledge C%d %d public", i+1, 10+j))
		}
	}
	e.Say("alice", "/community publish on")
	cat, err := prompts.Load()
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(e.Engine, cat, web.Options{Rate: 1e9, Burst: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	return srv
}

// BenchmarkCommunityPage measures the community page of a large community, from
// the cache (the same address again) and rendered anew (a query the cache has
// not seen), and reports the median of each (ms-median).
func BenchmarkCommunityPage(b *testing.B) {
	srv := benchSite(b)
	serve := func(path string) {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != 200 {
			b.Fatalf("%s: %d", path, w.Code)
		}
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2]) / float64(time.Millisecond)
	}
	b.Run("cached", func(b *testing.B) {
		serve("/c/grand-quartier")
		var ds []time.Duration
		for b.Loop() {
			t := time.Now()
			serve("/c/grand-quartier")
			ds = append(ds, time.Since(t))
		}
		b.ReportMetric(median(ds), "ms-median")
	})
	n := 0 // across runs: -count runs a sub-benchmark again on the same server
	b.Run("uncached", func(b *testing.B) {
		var ds []time.Duration
		for b.Loop() {
			n++
			t := time.Now()
			serve(fmt.Sprintf("/c/grand-quartier?n=%d", n))
			ds = append(ds, time.Since(t))
		}
		b.ReportMetric(median(ds), "ms-median")
	})
}
