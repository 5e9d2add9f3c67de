package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/prompts"
	"github.com/engage-org/engage/web"
)

// benchSite is a published community of 1 000 members, 100 polls (six ballots
// each, half of them closed) and 20 campaigns with pledges, made through the bot;
// with history, two years of weekly figures as the weekly job records them.
func benchSite(b *testing.B, history bool) *web.Server {
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
	for w := range 104 {
		if !history {
			break
		}
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
			_, err = tx.RecordFigures(cs[0].ID)
			return nil, err
		}); err != nil {
			b.Fatal(err)
		}
	}
	if history {
		e.Clock.Set(botstest.Start.AddDate(0, 0, 7*104+1))
	}
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

// benchPages measures each path of srv from the cache (the same address again)
// and rendered anew (a query the cache has not seen), and reports the median of
// each (ms-median) and the size of the page (KiB).
func benchPages(b *testing.B, srv *web.Server, paths ...string) {
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
	for _, path := range paths {
		name := strings.TrimPrefix(strings.TrimPrefix(path, "/c/grand-quartier"), "/")
		if name == "" {
			name = "community"
		}
		b.Run(name+"/cached", func(b *testing.B) {
			serve(path)
			var ds []time.Duration
			for b.Loop() {
				t := time.Now()
				serve(path)
				ds = append(ds, time.Since(t))
			}
			b.ReportMetric(median(ds), "ms-median")
		})
		b.Run(name+"/uncached", func(b *testing.B) {
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

// BenchmarkCommunityPage measures the community page of a large community.
func BenchmarkCommunityPage(b *testing.B) {
	benchPages(b, benchSite(b, false), "/c/grand-quartier")
}

// BenchmarkImpactPage measures the impact page (six charts over two years of
// records) and its exports.
func BenchmarkImpactPage(b *testing.B) {
	benchPages(b, benchSite(b, true), "/c/grand-quartier/impact", "/c/grand-quartier/impact.csv", "/c/grand-quartier/impact.json")
}
