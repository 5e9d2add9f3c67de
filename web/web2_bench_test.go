package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/prompts"
	"github.com/engage-org/engage/web"
)

// impactBenchSite is a published community of 1 000 members, 100 polls (half of
// them closed), 20 campaigns with pledges and two years of weekly figures.
func impactBenchSite(b *testing.B) *web.Server {
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
		for j := range 6 {
			e.Say(fmt.Sprintf("member%d", j), fmt.Sprintf("/vote V%d Yes", i+1))
		}
		if i%2 == 0 {
			e.Say("alice", fmt.Sprintf("/poll V%d close", i+1))
		}
	}
	for i := range 20 {
		e.Say("alice", fmt.Sprintf("/campaign new donation Campaign %d goal 5000 until 2029-12-30 keep-it-all", i))
		for j := range 5 {
			e.Say(fmt.Sprintf("member%d", j), fmt.Sprintf("/pledge C%d %d public", i+1, 10+j))
		}
	}
	e.Say("alice", "/community publish on")
	var id core.CommunityID
	for w := range 104 { // a record a week for two years, as the weekly job makes them
		e.Clock.Set(botstest.Start.AddDate(0, 0, 7*(w+1)))
		if w%13 == 0 { // some take part again now and then
			for j := range 50 {
				e.Say(fmt.Sprintf("member%d", (w*50+j)%999), "/help")
			}
		}
		if _, err := e.Engine.Do(context.Background(), "", func(tx *core.Tx) ([]byte, error) {
			cs, err := tx.Communities()
			if err != nil {
				return nil, err
			}
			id = cs[0].ID
			_, err = tx.RecordFigures(id)
			return nil, err
		}); err != nil {
			b.Fatal(err)
		}
	}
	e.Clock.Set(botstest.Start.AddDate(0, 0, 7*104+1))
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

// BenchmarkImpactPage measures the impact page (six charts over two years of
// records) and its exports, from the cache and rendered anew, and reports the
// median of each (ms-median).
func BenchmarkImpactPage(b *testing.B) {
	srv := impactBenchSite(b)
	serve := func(path string) int {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != 200 {
			b.Fatalf("%s: %d", path, w.Code)
		}
		return w.Body.Len()
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2]) / float64(time.Millisecond)
	}
	n := 0 // across runs: -count runs a sub-benchmark again on the same server
	for _, path := range []string{"/c/grand-quartier/impact", "/c/grand-quartier/impact.csv", "/c/grand-quartier/impact.json"} {
		b.Run(path[len("/c/grand-quartier/"):]+"/cached", func(b *testing.B) {
			serve(path)
			var ds []time.Duration
			for b.Loop() {
				t := time.Now()
				serve(path)
				ds = append(ds, time.Since(t))
			}
			b.ReportMetric(median(ds), "ms-median")
		})
		b.Run(path[len("/c/grand-quartier/"):]+"/uncached", func(b *testing.B) {
			var ds []time.Duration
			size := 0
			for b.Loop() {
				n++
				t := time.Now()
				size = serve(fmt.Sprintf("%s?n=%d", path, n))
				ds = append(ds, time.Since(t))
			}
			b.ReportMetric(median(ds), "ms-median")
			b.ReportMetric(float64(size)/1024, "KiB")
		})
	}
}
