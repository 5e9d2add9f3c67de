package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
)

// eventRecords returns the raw records of the event bucket.
func eventRecords(t *testing.T, a *app) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := a.eng.Store().View(context.Background(), func(kv core.StoreTx) error {
		return kv.Scan("event", "", false, func(k string, v []byte) error {
			out[k] = string(v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// retentionApp opens the service on a fresh store, its clock reading *now.
func retentionApp(t *testing.T, now *time.Time) (*app, Config) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Store.Path = filepath.Join(t.TempDir(), "ret.db")
	a, err := openApp(cfg, func() time.Time { return *now }, newLogger(LogConfig{Level: "error"}, io.Discard), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, cfg
}

// Ensure event records keep only what deduplication needs: the key as a digest
// (a key naming a platform account is not stored), the answer a day, the record
// for store.event_retention; a redelivered event changes nothing at every stage.
func TestRetention_Events(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	a, cfg := retentionApp(t, &now)
	ev := bots.Event{Platform: "test", ChatID: "g", UserID: "U99ALICE", UserName: "Alicia", Kind: bots.KindMessage,
		Text: "/community create Run Club", Key: "slack:action:U99ALICE:1733400000.1"}
	first, err := a.bot.Handle(t.Context(), ev)
	if err != nil || len(first) == 0 {
		t.Fatal(first, err)
	}
	communities := func() int {
		n := 0
		_ = a.eng.View(t.Context(), func(tx *core.Tx) error {
			cs, err := tx.Communities()
			n = len(cs)
			return err
		})
		return n
	}
	recs := eventRecords(t, a)
	if len(recs) != 1 {
		t.Fatalf("%d event records, want 1", len(recs))
	}
	for k, v := range recs {
		if strings.Contains(k, "U99ALICE") || strings.Contains(k, "slack") {
			t.Errorf("event key kept in clear: %q", k)
		}
		if !strings.Contains(v, `"answer"`) {
			t.Errorf("the answer is not kept for a redelivery: %s", v)
		}
	}
	// A redelivery changes nothing and sends nothing again: the first answers
	// were handed to this process's adapter (answers are sent once).
	again, err := a.bot.Handle(t.Context(), ev)
	if err != nil || len(again) != 0 || communities() != 1 {
		t.Fatalf("redelivered at once: %v %v, %d communities", again, err, communities())
	}
	r := newRetention(a.eng, a.log, cfg.Store.EventRetention)
	now = now.Add(core.AnswerRetention + time.Hour)
	if err := r.Once(t.Context()); err != nil {
		t.Fatal(err)
	}
	for k, v := range eventRecords(t, a) {
		if strings.Contains(v, `"answer"`) || strings.Contains(v, "Alicia") {
			t.Errorf("answer kept past its retention: %s %s", k, v)
		}
	}
	if _, err := a.bot.Handle(t.Context(), ev); err != nil || communities() != 1 {
		t.Fatalf("redelivered after a day: %v, %d communities", err, communities())
	}
	now = now.Add(cfg.Store.EventRetention)
	if err := r.Once(t.Context()); err != nil {
		t.Fatal(err)
	}
	if recs := eventRecords(t, a); len(recs) != 0 {
		t.Fatalf("%d event records past the retention", len(recs))
	}
}

// Ensure the event retention is 7 days by default, read from the environment,
// and refused when shorter than a platform's redelivery window.
func TestRetention_Config(t *testing.T) {
	cfg, err := LoadConfig("", func(string) string { return "" })
	if err != nil || cfg.Store.EventRetention != 7*24*time.Hour {
		t.Fatalf("default: %v %v", cfg.Store.EventRetention, err)
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "ENGAGE_STORE_EVENT_RETENTION" {
				return v
			}
			return ""
		}
	}
	if cfg, err := LoadConfig("", env("720h")); err != nil || cfg.Store.EventRetention != 30*24*time.Hour {
		t.Fatalf("720h: %v %v", cfg.Store.EventRetention, err)
	}
	for _, bad := range []string{"1h", "0s", "-5h", "24h"} {
		if _, err := LoadConfig("", env(bad)); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

// Ensure a pass of the event retention goes through more records than one batch
// holds: every answer past its day is dropped, every record past the retention
// deleted, and the records still within it are kept as they were. Each batch is
// found in a read-only transaction and checked again in the one that acts.
func TestRetention_Batches(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	a, cfg := retentionApp(t, &now)
	record := func(n int, prefix string) {
		for i := range n {
			if _, err := a.eng.Remember(t.Context(), fmt.Sprintf("%s:%d", prefix, i), []byte("an answer")); err != nil {
				t.Fatal(err)
			}
		}
	}
	const old, recent = 2*retentionBatch + 7, 30
	start := now
	record(old, "old")
	now = start.Add(30 * time.Hour)
	record(recent, "recent")
	r := newRetention(a.eng, a.log, cfg.Store.EventRetention)
	now = start.Add(cfg.Store.EventRetention + time.Hour) // the old past the retention, the recent past their answers' day
	if err := r.Once(t.Context()); err != nil {
		t.Fatal(err)
	}
	recs := eventRecords(t, a)
	if len(recs) != recent {
		t.Fatalf("%d event records left, want the %d recent ones", len(recs), recent)
	}
	for k, v := range recs {
		if strings.Contains(v, `"answer"`) {
			t.Errorf("answer kept past its day: %s %s", k, v)
		}
	}
}
