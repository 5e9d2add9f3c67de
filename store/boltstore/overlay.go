package boltstore

import (
	"bytes"
	"errors"
	"maps"
	"slices"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/internal/merge"
	bolt "go.etcd.io/bbolt"
)

// layer is a set of writes: bucket → key → value, where a nil value is a deletion.
type layer struct {
	writes map[string]map[string][]byte
}

func newLayer() *layer { return &layer{writes: map[string]map[string][]byte{}} }

// clear empties l and keeps its maps, grown to the size of a batch, for the next
// one; a map grown past keptLen by a large update is dropped instead.
func (l *layer) clear() {
	for b, m := range l.writes {
		if len(m) > keptLen {
			delete(l.writes, b)
		} else {
			clear(m)
		}
	}
}

const keptLen = 1024

// get returns the layer's value for key and whether the layer has one (a nil value
// with true is a deletion).
func (l *layer) get(bucket, key string) ([]byte, bool) {
	if l == nil {
		return nil, false
	}
	v, ok := l.writes[bucket][key]
	return v, ok
}

func (l *layer) set(bucket, key string, v []byte) {
	m := l.writes[bucket]
	if m == nil {
		m = map[string][]byte{}
		l.writes[bucket] = m
	}
	m[key] = v
}

// writes are one update's own writes, in the order made (a later write of a
// key wins): a list rather than a layer's maps, as an update writes a handful
// of keys and a map per bucket was most of what an update allocated. Past
// indexFrom writes, an index finds a key's latest write.
type writes struct {
	list  []write
	index map[writeKey]int // position in list of each key's latest write
}

type writeKey struct{ bucket, key string }

type write struct {
	writeKey
	v []byte // nil: a deletion
}

const indexFrom = 16

// get returns the latest value written at key and whether there is one (a nil
// value with true is a deletion).
func (w *writes) get(bucket, key string) ([]byte, bool) {
	if w == nil {
		return nil, false
	}
	if w.index != nil {
		i, ok := w.index[writeKey{bucket, key}]
		if !ok {
			return nil, false
		}
		return w.list[i].v, true
	}
	for i := len(w.list) - 1; i >= 0; i-- {
		if e := w.list[i]; e.bucket == bucket && e.key == key {
			return e.v, true
		}
	}
	return nil, false
}

func (w *writes) set(bucket, key string, v []byte) {
	k := writeKey{bucket, key}
	w.list = append(w.list, write{k, v})
	switch {
	case w.index != nil:
		w.index[k] = len(w.list) - 1
	case len(w.list) > indexFrom:
		w.index = make(map[writeKey]int, 2*len(w.list))
		for i, e := range w.list {
			w.index[e.writeKey] = i
		}
	}
}

// inBucket returns the latest writes in bucket, by key.
func (w *writes) inBucket(bucket string) map[string][]byte {
	var m map[string][]byte
	for _, e := range w.list {
		if e.bucket == bucket {
			if m == nil {
				m = map[string][]byte{}
			}
			m[e.key] = e.v
		}
	}
	return m
}

// into adds the writes, in order, on top of l's.
func (w *writes) into(l *layer) {
	if w == nil {
		return
	}
	for _, e := range w.list {
		l.set(e.bucket, e.key, e.v)
	}
}

// apply writes the layer to a bbolt write transaction, bucket by bucket and each
// bucket's keys in order: successive puts then find the leaf the last one loaded,
// and the pages a commit dirties are the same whatever the order of its updates.
func (l *layer) apply(btx *bolt.Tx) error {
	if l == nil {
		return nil
	}
	for _, bucket := range slices.Sorted(maps.Keys(l.writes)) {
		m := l.writes[bucket]
		if len(m) == 0 {
			continue // a bucket an earlier batch of these maps wrote
		}
		b, err := btx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return err
		}
		keys := slices.Sorted(maps.Keys(m))
		b.FillPercent = fill(b, keys, m)
		for _, k := range keys {
			if v := m[k]; v == nil {
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

// fill returns the fill percent for splitting b's pages in this commit. When
// every key put sorts after b's last key (a log, a queue, a sequence), the pages
// are filled whole: bbolt's default half fill is for keys that land anywhere, so
// that a page has room for them; appended keys never come back to a full page,
// and half-full pages would only double the pages split, written and kept.
func fill(b *bolt.Bucket, keys []string, m map[string][]byte) float64 {
	last, _ := b.Cursor().Last()
	for _, k := range keys { // in order: the first put decides
		if m[k] == nil {
			continue
		}
		if last != nil && k <= string(last) {
			return bolt.DefaultFillPercent
		}
		break
	}
	return 1.0
}

// overlay is one update's view: its own writes over the base layers (the batch
// being committed, then the pending batch) over the committed state in btx. Its own
// writes reach the pending batch only when the update succeeds. In a View it reads
// btx directly.
type overlay struct {
	btx      *bolt.Tx
	readOnly bool
	base     []*layer // lowest first; nil entries are skipped
	own      *writes
	// opened keeps the buckets of btx looked up so far (nil: no such bucket):
	// a read-only bbolt transaction looks a bucket up anew at each call.
	opened map[string]*bolt.Bucket
}

// bucket returns the committed bucket name, or nil.
func (o *overlay) bucket(name string) *bolt.Bucket {
	b, ok := o.opened[name]
	if !ok {
		b = o.btx.Bucket([]byte(name))
		if o.opened == nil {
			o.opened = make(map[string]*bolt.Bucket, 8)
		}
		o.opened[name] = b
	}
	return b
}

var errReadOnly = errors.New("boltstore: write in a read-only transaction")

// limits bbolt enforces; checked at Put so that a commit cannot fail on them.
const (
	maxKeySize   = 32768
	maxValueSize = (1 << 31) - 2
)

// layered returns the value of key in the overlay's layers, top first, and whether
// any layer has it.
func (o *overlay) layered(bucket, key string) ([]byte, bool) {
	if v, ok := o.own.get(bucket, key); ok {
		return v, true
	}
	for i := len(o.base) - 1; i >= 0; i-- {
		if v, ok := o.base[i].get(bucket, key); ok {
			return v, true
		}
	}
	return nil, false
}

func (o *overlay) Get(bucket, key string) ([]byte, error) {
	if v, ok := o.layered(bucket, key); ok {
		if v == nil {
			return nil, core.ErrNoKey
		}
		return bytes.Clone(v), nil
	}
	b := o.bucket(bucket)
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
	v := value // handed over (see core.StoreTx)
	if v == nil {
		v = []byte{} // nil marks a deletion
	}
	o.write(bucket, key, v)
	return nil
}

func (o *overlay) Delete(bucket, key string) error {
	if o.readOnly {
		return errReadOnly
	}
	o.write(bucket, key, nil)
	return nil
}

func (o *overlay) write(bucket, key string, v []byte) {
	if o.own == nil {
		o.own = &writes{list: make([]write, 0, indexFrom)} // the most an update writes, mostly
	}
	o.own.set(bucket, key, v)
}

// Scan merges the bbolt cursor with the layers' writes under prefix.
func (o *overlay) Scan(bucket, prefix string, reverse bool, fn func(string, []byte) error) error {
	var sets []map[string][]byte
	for _, l := range o.base {
		if l != nil {
			sets = append(sets, l.writes[bucket])
		}
	}
	if o.own != nil {
		sets = append(sets, o.own.inBucket(bucket))
	}
	pending := merge.Keys(prefix, reverse, sets...)
	lookup := func(k string) []byte { v, _ := o.layered(bucket, k); return v }
	next := func() (string, []byte, bool, error) { return "", nil, false, nil }
	if b := o.bucket(bucket); b != nil {
		c := b.Cursor()
		p := []byte(prefix)
		started := false
		next = func() (string, []byte, bool, error) {
			var k, v []byte
			if !started {
				k, v = first(c, p, reverse)
				started = true
			} else {
				k, v = step(c, reverse)
			}
			if k == nil || !bytes.HasPrefix(k, p) {
				return "", nil, false, nil
			}
			return string(k), v, true, nil
		}
	}
	return merge.Scan(pending, reverse, lookup, next, fn)
}

// first positions c on the first key of the prefix range in scan order.
func first(c *bolt.Cursor, prefix []byte, reverse bool) ([]byte, []byte) {
	if !reverse {
		return c.Seek(prefix)
	}
	upper := merge.Successor(prefix)
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
