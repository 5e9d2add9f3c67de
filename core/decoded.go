package core

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"sync"
)

// decodedCache keeps, between transactions, the decoded form of the records read
// on nearly every interaction: communities, projects, polls (their running tally is a
// record of its own, bucketLive, so that a ballot leaves the poll's record as it
// was), running tallies, and the outbox items that coalesce a live message's
// edits. An entry is used only when the bytes the store gives
// the transaction are the very bytes it was decoded from, so it is never stale
// whoever wrote: this engine, a transaction that failed, another instance on the
// same PostgreSQL database. The cached value is never handed out: readers get a
// copy they may change.
type decodedCache struct {
	mu sync.Mutex
	m  map[decodedKey]decodedEntry
}

type decodedKey struct{ bucket, key string }

type decodedEntry struct {
	raw []byte
	val any
}

// maxDecoded bounds the entries kept; past it the cache starts again empty (the
// records it serves are a community's and its open polls', a handful per chat).
const maxDecoded = 1024

func (c *decodedCache) get(bucket, key string, raw []byte) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[decodedKey{bucket, key}]
	if !ok || !bytes.Equal(e.raw, raw) {
		return nil, false
	}
	return e.val, true
}

func (c *decodedCache) put(bucket, key string, raw []byte, val any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxDecoded {
		c.m = map[decodedKey]decodedEntry{}
	}
	c.m[decodedKey{bucket, key}] = decodedEntry{raw: raw, val: val}
}

// getDecoded reads the record at bucket/key into a new T, from the cache when
// the stored bytes are those it holds a decoding of; clone copies a T deeply.
// A missing key returns ErrNoKey.
func getDecoded[T any](tx *Tx, bucket, key string, clone func(*T) *T) (*T, error) {
	raw, err := tx.kv.Get(bucket, key)
	if err != nil {
		return nil, err
	}
	if tx.decoded != nil {
		if v, ok := tx.decoded.get(bucket, key, raw); ok {
			return clone(v.(*T)), nil
		}
	}
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, Internal("decode "+bucket, err)
	}
	if tx.decoded != nil {
		tx.decoded.put(bucket, key, raw, clone(v)) // Get returned a copy: raw is ours
	}
	return v, nil
}

// putDecoded writes v at bucket/key and keeps a copy of v as the decoding of the
// bytes written, for a T that decodes to what it was encoded from. Should the
// transaction fail, the store keeps other bytes, and the entry goes unused.
func putDecoded[T any](tx *Tx, bucket, key string, v *T, clone func(*T) *T) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return Internal("encode "+bucket, err)
	}
	if err := tx.kv.Put(bucket, key, raw); err != nil {
		return err
	}
	if tx.decoded != nil {
		tx.decoded.put(bucket, key, raw, clone(v)) // nobody changes raw: it was marshalled here
	}
	return nil
}

// clone returns a deep copy of c.
func (c *Community) clone() *Community {
	d := *c
	d.Chats = slices.Clone(c.Chats)
	d.Counters = maps.Clone(c.Counters)
	return &d
}

// clone returns a deep copy of p.
func (p *Project) clone() *Project {
	q := *p
	q.Referents = slices.Clone(p.Referents)
	q.Followers = slices.Clone(p.Followers)
	q.Likes = slices.Clone(p.Likes)
	q.Needs = slices.Clone(p.Needs)
	q.Offers = slices.Clone(p.Offers)
	if p.NextStep != nil {
		next := *p.NextStep
		q.NextStep = &next
	}
	return &q
}

// clone returns a deep copy of p.
func (p *Poll) clone() *Poll {
	q := *p
	q.Options = slices.Clone(p.Options)
	q.Settings.Jury = slices.Clone(p.Settings.Jury)
	q.Settings.Grades = slices.Clone(p.Settings.Grades)
	if p.Settings.LotSeed != nil {
		seed := *p.Settings.LotSeed
		q.Settings.LotSeed = &seed
	}
	if p.Live != nil {
		q.Live = p.Live.Clone()
	}
	return &q
}
