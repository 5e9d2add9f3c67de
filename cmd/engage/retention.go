package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/engage-org/engage/core"
)

// retention is the timed job of `engage run` that keeps event records within
// their retention: answers dropped after core.AnswerRetention, keys pruned after
// store.event_retention. It runs First after start, then every Every.
//
// Not at start: a pass reads every event record (their keys are digests, in no
// order of time), which on a store with a long history is most of what a start
// would read and keep resident (BenchmarkStartup). A few minutes late is nothing
// next to the answers' 26 hours.
type retention struct {
	eng   *core.Engine
	log   *slog.Logger
	keep  time.Duration // store.event_retention
	First time.Duration
	Every time.Duration
}

// retentionBatch is how many records one transaction trims or prunes.
const retentionBatch = 500

func newRetention(eng *core.Engine, log *slog.Logger, keep time.Duration) *retention {
	return &retention{eng: eng, log: log, keep: keep, First: 5 * time.Minute, Every: time.Hour}
}

// Run prunes until ctx ends.
func (r *retention) Run(ctx context.Context) error {
	wait := r.First
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		if err := r.Once(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("event retention", "err", err)
		}
		wait = r.Every
	}
}

// Once trims the answers and prunes the keys that are past their time, in
// batches, and returns the first error.
func (r *retention) Once(ctx context.Context) error {
	now := r.eng.Now()
	trimmed, pruned := 0, 0
	for after := ""; ; {
		n, next, err := r.eng.TrimEvents(ctx, now.Add(-core.AnswerRetention), after, retentionBatch)
		trimmed += n
		if err != nil {
			return err
		}
		if next == "" {
			break
		}
		after = next
	}
	for after := ""; ; {
		n, next, err := r.eng.PruneEvents(ctx, now.Add(-r.keep), after, retentionBatch)
		pruned += n
		if err != nil {
			return err
		}
		if next == "" {
			break
		}
		after = next
	}
	if trimmed+pruned > 0 {
		r.log.Info("event retention", "answers_dropped", trimmed, "keys_pruned", pruned)
	}
	return nil
}
