// Package core is the engagement engine of Engage: communities and their members,
// projects, and the rules that govern them, with the persistence port (Store) they
// need, event-key idempotency and the outbox of messages to send.
//
// core does no I/O of its own and knows no platform, template or driver: time comes
// from an injected clock, storage from a Store, text from the prompts package of the
// caller. It imports nothing of the project but core/tally.
package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Engine runs the engine's operations against a Store. It is safe for concurrent use.
type Engine struct {
	store Store
	now   func() time.Time
	// ballotKey keys secret ballots (SetBallotSecret); nil: secret ballots are final.
	ballotKey []byte
	// dashKey signs facilitators' dashboard links (SetDashboardSecret); nil: none.
	dashKey []byte
	// inboxSeq orders the deliveries this engine appends to the inbox.
	inboxSeq atomic.Uint64
	// run names this engine's run of the service, in the event records it writes.
	run string
	// versions counts the committed changes per community (DataVersion).
	versions dataVersions
	// decoded keeps communities and polls decoded between transactions.
	decoded decodedCache
	// sent gathers the records of answers delivered (AnswerSent).
	sent sentBatch
}

// New returns an engine on st whose clock is now (time.Now when nil).
func New(st Store, now func() time.Time) *Engine {
	if now == nil {
		now = time.Now
	}
	return &Engine{store: st, now: now, run: NewRun()}
}

// AnswerRecorded reports whether the delivery of the answer to the event key was
// recorded, whole or in part (see AnswerSent, AnswerDelivered).
func (e *Engine) AnswerRecorded(ctx context.Context, key string) (bool, error) {
	var ok bool
	err := e.store.View(ctx, func(kv StoreTx) error {
		raw, _, err := getEvent(kv, key)
		if found, err := found(err); err != nil || !found {
			return err
		}
		var rec eventRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return Internal("read event", err)
		}
		ok = rec.Sent || len(rec.Done) > 0
		return nil
	})
	return ok, err
}

// AnswerDelivered records that part n (1-based) of the answer to the event key
// was delivered: the same event delivered again to another run gets the other
// parts only. Recording each part as it goes keeps the window in which a crash
// makes a part sent twice as short as one send.
func (e *Engine) AnswerDelivered(ctx context.Context, key string, n int) error {
	if key == "" || n <= 0 {
		return nil
	}
	return e.updateEvent(ctx, key, func(rec *eventDelivery) bool {
		if rec.Sent || slices.Contains(rec.Done, n) {
			return false
		}
		rec.Done = append(rec.Done, n)
		return true
	})
}

// AnswerSent records that the answer to the event key was delivered: the same
// event delivered again (a platform's redelivery after a crash, a second
// instance) gets no answer, and the answer is no longer kept. It returns once
// the record is durable. The records of callers that come while one is being
// written are written together, in one update (every press on a busy poll
// records one).
func (e *Engine) AnswerSent(ctx context.Context, key string) error {
	if key == "" {
		return nil
	}
	return e.sent.record(ctx, key, e.answersSent)
}

// answersSent records, in one update, that the answers to keys were delivered,
// and returns the error of each key's own record (one that cannot be read).
func (e *Engine) answersSent(ctx context.Context, keys []string) ([]error, error) {
	var errs []error
	_, err := e.Update(ctx, func(tx *Tx) error {
		errs = make([]error, len(keys))
		for i, k := range keys {
			var err error
			if errs[i], err = tx.changeEvent(k, markSent); err != nil {
				return err
			}
		}
		return nil
	})
	return errs, err
}

// markSent marks an event's answer delivered, and drops it.
func markSent(rec *eventDelivery) bool {
	if rec.Sent && rec.Answer == nil {
		return false
	}
	rec.Sent, rec.Answer, rec.Done = true, nil, nil
	return true
}

// sentBatch gathers the event keys whose answers callers report delivered while
// an update records those before them, for one update to record them all.
type sentBatch struct {
	mu      sync.Mutex // guards the fields below
	keys    []string
	waiters []chan error
	busy    bool // a goroutine is writing batches
}

// record adds key to the next batch, starting the goroutine that writes the
// batches if none runs, and returns once its batch is written.
func (b *sentBatch) record(ctx context.Context, key string, write func(context.Context, []string) ([]error, error)) error {
	done := make(chan error, 1)
	b.mu.Lock()
	b.keys, b.waiters = append(b.keys, key), append(b.waiters, done)
	if !b.busy {
		b.busy = true
		go b.flush(context.WithoutCancel(ctx), write)
	}
	b.mu.Unlock()
	return <-done
}

// flush writes batches until none waits.
func (b *sentBatch) flush(ctx context.Context, write func(context.Context, []string) ([]error, error)) {
	for {
		b.mu.Lock()
		keys, waiters := b.keys, b.waiters
		b.keys, b.waiters = nil, nil
		if len(keys) == 0 {
			b.busy = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		errs, err := write(ctx, keys)
		for i, w := range waiters {
			if err != nil {
				w <- err
			} else {
				w <- errs[i]
			}
		}
	}
}

// eventDelivery is an eventRecord as the records of its answer's delivery read
// and write it: the answer stays encoded, as it is only kept or dropped (every
// answer delivered records this, so it is worth not decoding one in vain).
type eventDelivery struct {
	At     time.Time       `json:"at"`
	Answer json.RawMessage `json:"answer,omitempty"`
	Sent   bool            `json:"sent,omitempty"`
	Run    string          `json:"run,omitempty"`
	Done   []int           `json:"done,omitempty"`
}

// updateEvent applies change to the record of the event key in an update of
// its own (see changeEvent).
func (e *Engine) updateEvent(ctx context.Context, key string, change func(*eventDelivery) bool) error {
	var bad error
	_, err := e.Update(ctx, func(tx *Tx) error {
		var err error
		bad, err = tx.changeEvent(key, change)
		return err
	})
	if err != nil {
		return err
	}
	return bad
}

// changeEvent applies change to the record of the event key, if there is one,
// and writes it back under its record key when change reports a change
// (removing a record an earlier version kept elsewhere). A record that cannot
// be read is left as it is and returned as bad; err is the store's.
func (tx *Tx) changeEvent(key string, change func(*eventDelivery) bool) (bad, err error) {
	raw, legacy, err := getEvent(tx.kv, key)
	if ok, err := found(err); err != nil || !ok {
		return nil, err
	}
	var rec eventDelivery
	if err := json.Unmarshal(raw, &rec); err != nil {
		return Internal("read event", err), nil
	}
	if string(rec.Answer) == "null" {
		rec.Answer = nil
	}
	if !change(&rec) {
		return nil, nil
	}
	if legacy {
		if err := deleteLegacyEvent(tx.kv, key); err != nil {
			return nil, err
		}
	}
	return nil, tx.putJSON(bucketEvent, eventKey(key), rec)
}

// Now returns the engine clock's current time.
func (e *Engine) Now() time.Time { return e.now() }

// Store returns the engine's store.
func (e *Engine) Store() Store { return e.store }

// Tx is one transaction of the engine: every operation of the domain is a method of
// Tx, so a whole interaction (checks, writes, the event key, outbox messages) commits
// or fails as one. Now is fixed for the transaction's life.
type Tx struct {
	kv  StoreTx
	now time.Time
	// ballotKey and dashKey are the engine's; forgetAnswer is set by ForgetAnswer.
	ballotKey    []byte
	dashKey      []byte
	forgetAnswer bool
	decoded      *decodedCache
	// Enqueued counts outbox items written in this transaction, so the caller knows
	// whether to wake the dispatcher after commit.
	Enqueued int
	// Scheduled is the earliest job due time written in this transaction (zero if none).
	Scheduled time.Time
}

// Now returns the transaction's time.
func (tx *Tx) Now() time.Time { return tx.now }

// eventRecord is what an event key remembers: when it was handled and its answer.
// It is stored under its record key (eventKey: the delivery's number, or the key's
// digest, so that a key naming a platform account is not kept); the answer is kept for
// AnswerRetention at most (TrimEvents), and the record for the event retention
// (PruneEvents).
//
// Sent records that the answer was delivered (AnswerSent): a redelivered event
// then gets no answer at all, and the answer itself is no longer kept. Run names
// the run of the service that handled it: while that run is the caller's own,
// it is delivering the answer, so a duplicate delivery gets none either.
type eventRecord struct {
	At     time.Time `json:"at"`
	Answer []byte    `json:"answer,omitempty"`
	Sent   bool      `json:"sent,omitempty"`
	Run    string    `json:"run,omitempty"`
	// Done lists the answers (by their 1-based place in Answer) already
	// delivered, when they go one by one (AnswerDelivered).
	Done []int `json:"done,omitempty"`
}

// AnswerRetention is how long an event's answer is kept, to be given again to the
// same event delivered again: longer than any platform redelivers (Telegram keeps
// an update 24 hours). The key alone is kept after it, until PruneEvents.
const AnswerRetention = 26 * time.Hour

// eventKey is the record key of an idempotency key. A key that names a
// delivery by its platform's sequence number ("telegram:812345678", a Discord
// snowflake) is kept as that number, zero-padded after the platform's name:
// deliveries arrive in that order, so the records of those handled together
// are appended side by side, on one page of the store rather than one page
// each. Any other key is kept as its SHA-256 digest, in hex, so that a key
// naming a platform account (a Slack action's user ID) is not kept.
func eventKey(k string) string {
	if platform, n, ok := numberedKey(k); ok {
		return "n" + platform + ":" + padEventNumber(n)
	}
	return eventDigest(k)
}

func eventDigest(k string) string {
	sum := sha256.Sum256([]byte(k))
	return "h" + hex.EncodeToString(sum[:])
}

// numberedKey splits an idempotency key made of a platform's name (lower-case
// letters) and a decimal number without leading zeros, below 10²⁰.
func numberedKey(k string) (platform, n string, ok bool) {
	platform, n, ok = strings.Cut(k, ":")
	if !ok || !lowerWord(platform) || !digits(n) || len(n) > eventNumberDigits || n[0] == '0' && len(n) > 1 {
		return "", "", false
	}
	return platform, n, true
}

// lowerWord reports whether s is one or more lower-case ASCII letters.
func lowerWord(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < 'a' || r > 'z' })
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

// eventNumberDigits is the width numbers are padded to in event record keys.
const eventNumberDigits = 20

func padEventNumber(n string) string { return strings.Repeat("0", eventNumberDigits-len(n)) + n }

// getEvent reads the record of idempotency key k under its record key
// (eventKey) or, written by an earlier version (legacy), under its digest (a
// numbered key's, before numbers were kept) or under k itself.
func getEvent(kv StoreTx, k string) (raw []byte, legacy bool, err error) {
	at := eventKey(k)
	raw, err = kv.Get(bucketEvent, at)
	if !errors.Is(err, ErrNoKey) {
		return raw, false, err
	}
	if d := eventDigest(k); d != at {
		if raw, err = kv.Get(bucketEvent, d); !errors.Is(err, ErrNoKey) {
			return raw, err == nil, err
		}
	}
	raw, err = kv.Get(bucketEvent, k)
	return raw, err == nil, err
}

// deleteLegacyEvent deletes the record an earlier version kept for k under its
// digest or under k itself.
func deleteLegacyEvent(kv StoreTx, k string) error {
	if d := eventDigest(k); d != eventKey(k) {
		if err := kv.Delete(bucketEvent, d); err != nil {
			return err
		}
	}
	return kv.Delete(bucketEvent, k)
}

// Result is what Do reports.
type Result struct {
	Answer   []byte // the answer fn returned, or the first answer for a replayed key
	Replayed bool   // the key had been handled before: nothing was changed
	// Answered, for a replayed key, says its answer was delivered, or is being
	// delivered by this run of the service: it is not to be sent again.
	Answered bool
	// Done, for a replayed key, lists the parts of the answer (1-based) already
	// delivered: only the others are to be sent.
	Done     []int
	Enqueued int // outbox items written
	Next     time.Time
}

// Do runs fn in one transaction under the idempotency key: when key was handled
// before, fn is not run and the first answer is returned with Replayed set. When fn
// succeeds, its answer is recorded under key in the same transaction. When fn fails
// nothing is written and the error is returned; the caller may then Remember a
// refusal's answer. An empty key disables the check.
func (e *Engine) Do(ctx context.Context, key string, fn func(tx *Tx) ([]byte, error)) (Result, error) {
	return e.do(ctx, key, true, fn)
}

// DoLast is Do for the last delivery of key: nothing will deliver it again
// (the platform confirmed it), so that key is checked against the earlier
// deliveries but neither it nor fn's answer is recorded.
func (e *Engine) DoLast(ctx context.Context, key string, fn func(tx *Tx) ([]byte, error)) (Result, error) {
	return e.do(ctx, key, false, fn)
}

func (e *Engine) do(ctx context.Context, key string, record bool, fn func(tx *Tx) ([]byte, error)) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	var res Result
	var w *watchKV
	err := e.store.Update(ctx, func(raw StoreTx) error {
		res = Result{}
		w = &watchKV{StoreTx: raw}
		kv := StoreTx(w)
		now := e.now()
		if key != "" {
			raw, _, err := getEvent(kv, key)
			if err == nil {
				var rec eventRecord
				if err := json.Unmarshal(raw, &rec); err != nil {
					return Internal("read event", err)
				}
				res = Result{Answer: rec.Answer, Replayed: true, Answered: rec.Sent || rec.Run == e.run, Done: rec.Done}
				return nil
			} else if !errors.Is(err, ErrNoKey) {
				return err
			}
		}
		tx := e.tx(kv, now)
		answer, err := fn(tx)
		if err != nil {
			return err
		}
		if key != "" && record {
			kept := answer
			if tx.forgetAnswer {
				kept = nil
			}
			if err := tx.putJSON(bucketEvent, eventKey(key), eventRecord{At: now, Answer: kept, Run: e.run}); err != nil {
				return err
			}
		}
		res = Result{Answer: answer, Enqueued: tx.Enqueued, Next: tx.Scheduled}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	e.versions.bump(w)
	return res, nil
}

// Remember records answer under key unless the key is already known, and returns
// the answer now recorded. It is how a refused command's answer is kept, so a
// redelivered event gets the same refusal even if the state changed meanwhile.
func (e *Engine) Remember(ctx context.Context, key string, answer []byte) ([]byte, error) {
	res, err := e.Do(ctx, key, func(*Tx) ([]byte, error) { return answer, nil })
	return res.Answer, err
}

// View runs fn in a read-only transaction.
func (e *Engine) View(ctx context.Context, fn func(tx *Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := e.now()
	return e.store.View(ctx, func(kv StoreTx) error { return fn(e.tx(kv, now)) })
}

// tx returns a transaction of the engine on kv at now.
func (e *Engine) tx(kv StoreTx, now time.Time) *Tx {
	return &Tx{kv: kv, now: now, ballotKey: e.ballotKey, dashKey: e.dashKey, decoded: &e.decoded}
}

// Update runs fn in one read-write transaction without an event key (scheduler jobs,
// the dispatcher's bookkeeping).
func (e *Engine) Update(ctx context.Context, fn func(tx *Tx) error) (Result, error) {
	return e.Do(ctx, "", func(tx *Tx) ([]byte, error) { return nil, fn(tx) })
}

// PruneEvents deletes event keys older than before, at most limit of them, and
// returns how many it deleted. Platforms redeliver within hours, so a week is plenty.
// The service runs it with TrimEvents on a timer (see the event retention setting).
// It looks at the records after the record key after ("" from the first) and
// returns the key to go on after, "" once it looked at the last.
func (e *Engine) PruneEvents(ctx context.Context, before time.Time, after string, limit int) (n int, next string, err error) {
	return e.sweepEvents(ctx, after, limit, func(_ string, rec *eventRecord) bool { return rec.At.Before(before) },
		func(tx *Tx, k string) error { return tx.kv.Delete(bucketEvent, k) })
}

// sweepEvents applies act, in one transaction, to at most limit event records
// after the record key after that match, and returns how many, and the key the
// search stopped at ("" at the end). The records are found in a read-only
// transaction and checked again in the one that acts: the search decodes the
// records, and must not hold up the writes of the events being handled
// meanwhile. A sweep in batches goes on after the key the batch before stopped
// at, so that it decodes each record once.
func (e *Engine) sweepEvents(ctx context.Context, after string, limit int, match func(k string, rec *eventRecord) bool, act func(tx *Tx, k string) error) (int, string, error) {
	matches := func(k string, v []byte) bool {
		var rec eventRecord
		return json.Unmarshal(v, &rec) == nil && match(k, &rec)
	}
	var keys []string
	var next string
	err := e.store.View(ctx, func(kv StoreTx) error {
		keys, next = keys[:0], ""
		return kv.Scan(bucketEvent, "", false, func(k string, v []byte) error {
			if after != "" && k <= after {
				return nil // looked at by the batch before
			}
			if matches(k, v) {
				keys = append(keys, k)
				if len(keys) >= limit {
					next = k
					return ErrStop
				}
			}
			return nil
		})
	})
	if err != nil || len(keys) == 0 {
		return 0, next, err
	}
	var n int
	_, err = e.Update(ctx, func(tx *Tx) error {
		n = 0
		for _, k := range keys {
			v, err := tx.kv.Get(bucketEvent, k)
			if ok, err := found(err); err != nil {
				return err
			} else if !ok || !matches(k, v) {
				continue // changed since the search
			}
			if err := act(tx, k); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, next, err
}

// TrimEvents drops the answers of events handled before before (keeping their
// keys, so that a redelivery still changes nothing), at most limit of them, and
// returns how many it trimmed. An answer may hold personal data (a /me summary, a
// pledge's receipt): it is kept only as long as a platform may deliver the event
// again (AnswerRetention).
//
// It looks at the records after the record key after, as PruneEvents does.
func (e *Engine) TrimEvents(ctx context.Context, before time.Time, after string, limit int) (n int, next string, err error) {
	return e.sweepEvents(ctx, after, limit, func(k string, rec *eventRecord) bool {
		return rec.At.Before(before) && (len(rec.Answer) > 0 || !isEventRecordKey(k))
	}, func(tx *Tx, k string) error { return tx.trimEvent(k, nil) })
}

// trimEvent drops the answer of the event record at record key k, and moves a
// record an earlier version kept under the plain idempotency key to its record
// key. A record whose at is unreadable is deleted.
func (tx *Tx) trimEvent(k string, v []byte) error {
	if v == nil {
		var err error
		if v, err = tx.kv.Get(bucketEvent, k); err != nil {
			return err
		}
	}
	var rec eventRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return tx.kv.Delete(bucketEvent, k)
	}
	rec.Answer = nil
	to := k
	if !isEventRecordKey(k) {
		to = eventKey(k)
		if err := tx.kv.Delete(bucketEvent, k); err != nil {
			return err
		}
	}
	return tx.putJSON(bucketEvent, to, rec)
}

// isEventRecordKey reports whether k is a record key made by eventKey, or a
// digest an earlier version made of a numbered key.
func isEventRecordKey(k string) bool {
	if rest, ok := strings.CutPrefix(k, "n"); ok {
		platform, n, ok := strings.Cut(rest, ":")
		return ok && lowerWord(platform) && digits(n) && len(n) == eventNumberDigits
	}
	if len(k) != 1+2*sha256.Size || k[0] != 'h' {
		return false
	}
	_, err := hex.DecodeString(k[1:])
	return err == nil
}
