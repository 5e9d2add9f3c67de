package core

import (
	"encoding/json"
	"fmt"
	"time"
)

// Job is something the scheduler must do at a time: close a poll, nudge a
// facilitator, remind a referent. Jobs live in the store, so none is lost across a
// restart, and taking one is a transactional delete, so each fires once.
type Job struct {
	ID        string          `json:"id"` // stable: scheduling the same ID again moves the job
	Due       time.Time       `json:"due"`
	Kind      string          `json:"kind"`
	Community CommunityID     `json:"community,omitempty"`
	Ref       string          `json:"ref,omitempty"`
	Data      json.RawMessage `json:"data,omitempty"`
	Attempts  int             `json:"attempts,omitempty"` // failed runs so far
}

func jobKey(due time.Time, id string) string {
	ns := due.UnixNano()
	if ns < 0 {
		ns = 0
	}
	return key(pad20(uint64(ns)), id)
}

func pad20(n uint64) string { return fmt.Sprintf("%020d", n) }

// Schedule stores j, replacing any job with the same ID.
func (tx *Tx) Schedule(j Job) error {
	if err := tx.Unschedule(j.ID); err != nil {
		return err
	}
	k := jobKey(j.Due, j.ID)
	if err := tx.putJSON(bucketJob, k, j); err != nil {
		return err
	}
	if tx.Scheduled.IsZero() || j.Due.Before(tx.Scheduled) {
		tx.Scheduled = j.Due
	}
	return tx.kv.Put(bucketJobID, j.ID, []byte(k))
}

// Unschedule removes the job with id, if any.
func (tx *Tx) Unschedule(id string) error {
	raw, err := tx.kv.Get(bucketJobID, id)
	if ok, err := found(err); err != nil || !ok {
		return err
	}
	if err := tx.kv.Delete(bucketJob, string(raw)); err != nil {
		return err
	}
	return tx.kv.Delete(bucketJobID, id)
}

// ScheduledJob returns the job with id, or nil.
func (tx *Tx) ScheduledJob(id string) (*Job, error) {
	raw, err := tx.kv.Get(bucketJobID, id)
	if ok, err := found(err); err != nil || !ok {
		return nil, err
	}
	j := new(Job)
	if err := tx.getJSON(bucketJob, string(raw), j); err != nil {
		if ok, err := found(err); err != nil || !ok {
			return nil, err
		}
	}
	return j, nil
}

// NextJob returns the job due first, or nil when none is scheduled.
func (tx *Tx) NextJob() (*Job, error) {
	var next *Job
	err := scanJSON(tx, bucketJob, "", false, func(_ string, j *Job) error {
		next = j
		return ErrStop
	})
	return next, err
}

// TakeJob removes job j and reports whether it was still there: a job taken by
// another instance (or already fired) returns false and must not run.
func (tx *Tx) TakeJob(j *Job) (bool, error) {
	k := jobKey(j.Due, j.ID)
	if _, err := tx.kv.Get(bucketJob, k); err != nil {
		return found(err)
	}
	if err := tx.kv.Delete(bucketJob, k); err != nil {
		return false, err
	}
	return true, tx.kv.Delete(bucketJobID, j.ID)
}
