package bots

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/prompts"
	"github.com/engage-org/engage/store/boltstore"
)

// Ensure a job that fails is tried again later without holding back the jobs due
// after it, and one refused by the rules is not tried again.
func TestFire_FailingJob(t *testing.T) {
	db, err := boltstore.Open(filepath.Join(t.TempDir(), "b.db"), boltstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat, err := prompts.Load()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := NewClock(start)
	b := New(core.New(db, clock.Now), cat, Config{Lang: "en"})
	runs := map[string]int{}
	b.jobs["test.broken"] = func(c *turn, j *core.Job) error { runs[j.ID]++; return errors.New("bug") }
	b.jobs["test.refused"] = func(c *turn, j *core.Job) error {
		runs[j.ID]++
		return core.Errorf(core.CodeConflict, "err.internal")
	}
	b.jobs["test.ok"] = func(c *turn, j *core.Job) error { runs[j.ID]++; return nil }
	_, err = b.engine.Update(context.Background(), func(tx *core.Tx) error {
		for i, kind := range []string{"test.broken", "test.refused", "test.ok"} {
			if err := tx.Schedule(core.Job{ID: kind, Kind: kind, Due: start.Add(time.Duration(i) * time.Minute)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s := NewScheduler(b)
	flush := func(context.Context) error { return nil }
	if err := s.Advance(context.Background(), start.Add(time.Hour*24), clock, flush); err != nil {
		t.Fatal(err)
	}
	if runs["test.ok"] != 1 || runs["test.refused"] != 1 {
		t.Fatalf("runs: %v", runs)
	}
	if runs["test.broken"] < 3 || runs["test.broken"] > maxJobAttempts {
		t.Fatalf("the failing job ran %d times in a day, want retries up to %d", runs["test.broken"], maxJobAttempts)
	}
	if j, _ := b.NextJob(context.Background()); j != nil && j.ID == "test.refused" {
		t.Fatal("the refused job is still scheduled")
	}
}
