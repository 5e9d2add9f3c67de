package boltstore

import (
	"bytes"
	"errors"
	"slices"
	"strings"

	"github.com/engage-org/engage/core"
	bolt "go.etcd.io/bbolt"
)

// overlay is one update's view of the write transaction: reads see the update's
// own writes over the committed state, and the writes reach bbolt only when the
// update succeeds (apply). In a View it reads bbolt directly.
type overlay struct {
	btx      *bolt.Tx
	readOnly bool
	writes   map[string]map[string][]byte // bucket → key → value; nil value: deleted
}

var errReadOnly = errors.New("boltstore: write in a read-only transaction")

// limits bbolt enforces; checked before apply so that apply cannot fail on them.
const (
	maxKeySize   = 32768
	maxValueSize = (1 << 31) - 2
)

func (o *overlay) Get(bucket, key string) ([]byte, error) {
	if w, ok := o.writes[bucket][key]; ok {
		if w == nil {
			return nil, core.ErrNoKey
		}
		return bytes.Clone(w), nil
	}
	b := o.btx.Bucket([]byte(bucket))
	if b == nil {
		return nil, core.ErrNoKey
	}
	v := b.Get([]byte(key))
	if v == nil {
		return nil, core.ErrNoKey
	}
	return bytes.Clone(v), nil
}

func (o *overlay) Put(bucket, key string, value []byte) error {
	if o.readOnly {
		return errReadOnly
	}
	if key == "" || len(key) > maxKeySize || len(value) > maxValueSize {
		return core.Internal("put "+bucket, errors.New("key or value size out of bounds"))
	}
	v := make([]byte, len(value)) // never nil: nil marks a deletion
	copy(v, value)
	o.set(bucket, key, v)
	return nil
}

func (o *overlay) Delete(bucket, key string) error {
	if o.readOnly {
		return errReadOnly
	}
	o.set(bucket, key, nil)
	return nil
}

func (o *overlay) set(bucket, key string, v []byte) {
	if o.writes == nil {
		o.writes = map[string]map[string][]byte{}
	}
	m := o.writes[bucket]
	if m == nil {
		m = map[string][]byte{}
		o.writes[bucket] = m
	}
	m[key] = v
}

// Scan merges the bbolt cursor with the overlay's writes under prefix.
func (o *overlay) Scan(bucket, prefix string, reverse bool, fn func(string, []byte) error) error {
	var pending []string // overlay keys under prefix, in scan order
	for k := range o.writes[bucket] {
		if strings.HasPrefix(k, prefix) {
			pending = append(pending, k)
		}
	}
	slices.Sort(pending)
	if reverse {
		slices.Reverse(pending)
	}
	before := func(a, b string) bool { // a comes before b in scan order
		if reverse {
			return a > b
		}
		return a < b
	}
	emitPending := func(k string) error {
		if v := o.writes[bucket][k]; v != nil {
			return fn(k, v)
		}
		return nil
	}
	var err error
	if b := o.btx.Bucket([]byte(bucket)); b != nil {
		c := b.Cursor()
		p := []byte(prefix)
		k, v := first(c, p, reverse)
		for ; k != nil && bytes.HasPrefix(k, p); k, v = step(c, reverse) {
			ks := string(k)
			for len(pending) > 0 && before(pending[0], ks) {
				if err = emitPending(pending[0]); err != nil {
					return stopped(err)
				}
				pending = pending[1:]
			}
			if len(pending) > 0 && pending[0] == ks {
				if err = emitPending(ks); err != nil {
					return stopped(err)
				}
				pending = pending[1:]
				continue
			}
			if err = fn(ks, v); err != nil {
				return stopped(err)
			}
		}
	}
	for _, k := range pending {
		if err = emitPending(k); err != nil {
			return stopped(err)
		}
	}
	return nil
}

func stopped(err error) error {
	if errors.Is(err, core.ErrStop) {
		return nil
	}
	return err
}

// first positions c on the first key of the prefix range in scan order.
func first(c *bolt.Cursor, prefix []byte, reverse bool) ([]byte, []byte) {
	if !reverse {
		return c.Seek(prefix)
	}
	upper := successor(prefix)
	if upper == nil {
		return c.Last()
	}
	if k, _ := c.Seek(upper); k == nil {
		return c.Last()
	}
	return c.Prev()
}

func step(c *bolt.Cursor, reverse bool) ([]byte, []byte) {
	if reverse {
		return c.Prev()
	}
	return c.Next()
}

// successor returns the smallest key greater than every key starting with prefix,
// or nil when there is none (empty prefix or all 0xff).
func successor(prefix []byte) []byte {
	s := bytes.Clone(prefix)
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < 0xff {
			s[i]++
			return s[:i+1]
		}
	}
	return nil
}

// apply writes the overlay to the bbolt transaction.
func (o *overlay) apply() error {
	for bucket, m := range o.writes {
		b, err := o.btx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return err
		}
		for k, v := range m {
			if v == nil {
				err = b.Delete([]byte(k))
			} else {
				err = b.Put([]byte(k), v)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
