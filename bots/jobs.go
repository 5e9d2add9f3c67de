package bots

import (
	"context"
	"time"

	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// jobFunc does a scheduled job in its turn: the job's community in context, no
// actor.
type jobFunc func(c *turn, j *core.Job) error

// jobFuncs is the typed table of job kinds.
func jobFuncs() map[string]jobFunc {
	return map[string]jobFunc{
		core.JobPollClose: jobPollClose,
		jobCampaignRemind: jobCampaignRemindFunc,
		jobCampaignSettle: jobCampaignSettleFunc,
		core.JobSlot:      jobSlot, core.JobSlotEnd: jobSlotEnd, core.JobRemind: jobRemind,
		core.JobEscalate: jobEscalate, core.JobStepDue: jobStepDue,
		core.JobMeetingRemind: jobMeetingRemind, core.JobFigures: jobFigures,
		core.JobMeetingCard: jobMeetingCard, core.JobPollRemind: jobPollRemind,
	}
}

// dialogFunc handles a person's free-text reply within an open dialog.
type dialogFunc func(c *turn, d *core.Dialog, text string) error

// dialogFuncs is the typed table of dialog kinds.
func dialogFuncs() map[string]dialogFunc {
	return map[string]dialogFunc{dialogForm: formDialog, dialogCheckin: checkinDialog, core.DialogBallot: ballotDialog}
}

// Fire runs job j once: it takes the job in the same transaction as its effects, so
// that across restarts and instances a job fires exactly once. It reports whether
// this call ran it.
func (b *Bot) Fire(ctx context.Context, j *core.Job) (bool, error) {
	as := b.prepareJob(ctx, j) // the language model, if any, is asked before the transaction
	var ran bool
	res, err := b.engine.Update(ctx, func(tx *core.Tx) error {
		ran = false
		won, err := tx.TakeJob(j)
		if err != nil || !won {
			return err
		}
		ran = true
		return b.runJob(tx, j, as)
	})
	if code := core.ErrorCode(err); err != nil && code != core.CodeInternal && code != core.CodeUnavailable && ctx.Err() == nil {
		// A job refused by the rules (the poll was closed by hand meanwhile) is done;
		// a store or platform that is down leaves it for the next try.
		b.log.Info("job refused", "job", j.ID, "err", err)
		_, err = b.engine.Update(ctx, func(tx *core.Tx) error { _, err := tx.TakeJob(j); return err })
		return false, err
	}
	if err != nil && ctx.Err() == nil {
		// A failing job must not hold back the jobs due after it: it is tried
		// again later, with a growing delay, and dropped after maxJobAttempts.
		b.log.Error("job failed", "job", j.ID, "kind", j.Kind, "attempt", j.Attempts+1, "err", err)
		_, rerr := b.engine.Update(ctx, func(tx *core.Tx) error {
			won, err := tx.TakeJob(j)
			if err != nil || !won || j.Attempts+1 >= maxJobAttempts {
				return err
			}
			again := *j
			again.Attempts++
			again.Due = tx.Now().Add(outbox.Backoff(j.Attempts))
			return tx.Schedule(again)
		})
		return false, rerr
	}
	if err != nil {
		return false, err
	}
	b.woke(res)
	return ran, nil
}

// runJob runs j in a turn of its own, its community in context: a job whose
// community is gone has nothing to do.
func (b *Bot) runJob(tx *core.Tx, j *core.Job, as *assist) error {
	fn := b.jobs[j.Kind]
	if fn == nil {
		b.log.Warn("unknown job kind", "kind", j.Kind, "job", j.ID)
		return nil
	}
	var comm *core.Community
	if j.Community != "" {
		var err error
		if comm, err = tx.Community(j.Community); err != nil {
			return ignoreGone(err)
		}
	}
	return fn(b.jobTurn(tx, comm, as.fresh()), j)
}

// maxJobAttempts is how many times a failing job is tried before it is dropped.
const maxJobAttempts = 8

// NextJob returns the job due first, or nil.
func (b *Bot) NextJob(ctx context.Context) (*core.Job, error) {
	var j *core.Job
	err := b.engine.View(ctx, func(tx *core.Tx) error {
		var err error
		j, err = tx.NextJob()
		return err
	})
	return j, err
}

// Scheduler fires jobs when they fall due by the engine's clock.
type Scheduler struct {
	bot  *Bot
	wake chan struct{}
	// Poll bounds how long the scheduler sleeps before looking again (default 30 s),
	// so a clock that jumps or another instance's new job is noticed.
	Poll time.Duration
}

// NewScheduler returns a scheduler for b and registers itself to be woken when a
// job is scheduled.
func NewScheduler(b *Bot) *Scheduler {
	s := &Scheduler{bot: b, wake: make(chan struct{}, 1), Poll: 30 * time.Second}
	b.OnSchedule(func(time.Time) { s.Wake() })
	return s
}

// Wake makes the scheduler look at its jobs again.
func (s *Scheduler) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run fires due jobs until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	for {
		if err := s.RunDue(ctx, s.bot.engine.Now()); err != nil && ctx.Err() == nil {
			s.bot.log.Error("run due jobs", "err", err)
		}
		wait := s.Poll
		if j, err := s.bot.NextJob(ctx); err == nil && j != nil {
			if d := j.Due.Sub(s.bot.engine.Now()); d < wait {
				wait = max(d, 10*time.Millisecond)
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-s.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// RunDue fires, in order of due time, every job due at or before until.
func (s *Scheduler) RunDue(ctx context.Context, until time.Time) error {
	for {
		j, err := s.bot.NextJob(ctx)
		if err != nil || j == nil || j.Due.After(until) {
			return err
		}
		if _, err := s.bot.Fire(ctx, j); err != nil {
			return err
		}
	}
}

// Advance moves clock to `to`, firing on the way, in order, every job that falls due,
// each at its own time, and calling after (the outbox flush) once each job's effects
// are committed and once at the end.
func (s *Scheduler) Advance(ctx context.Context, to time.Time, clock *Clock, after func(context.Context) error) error {
	for {
		j, err := s.bot.NextJob(ctx)
		if err != nil {
			return err
		}
		if j == nil || j.Due.After(to) {
			break
		}
		clock.Set(j.Due)
		if err := after(ctx); err != nil { // what fell due before this job goes first
			return err
		}
		if _, err := s.bot.Fire(ctx, j); err != nil {
			return err
		}
		if err := after(ctx); err != nil {
			return err
		}
	}
	clock.Set(to)
	return after(ctx)
}
