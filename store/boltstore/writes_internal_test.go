package boltstore

import (
	"fmt"
	"math/rand/v2"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// Ensure an update's writes give, for any key, the latest value written, below
// and past the index, as a map kept alongside does, and reach a layer the same.
func TestWrites_LatestWins(t *testing.T) {
	for _, n := range []int{1, indexFrom, indexFrom + 1, 200} {
		rng := rand.New(rand.NewPCG(uint64(n), 7))
		var w *writes
		if _, ok := w.get("b", "k"); ok {
			t.Fatal("a nil list has a write")
		}
		w = &writes{}
		model := map[writeKey][]byte{}
		for i := range n {
			k := writeKey{fmt.Sprintf("b%d", rng.IntN(3)), fmt.Sprintf("k%d", rng.IntN(n/2+1))}
			var v []byte
			if rng.IntN(4) > 0 {
				v = fmt.Appendf(nil, "v%d", i)
			}
			w.set(k.bucket, k.key, v)
			model[k] = v
		}
		l := newLayer()
		w.into(l)
		for k, want := range model {
			got, ok := w.get(k.bucket, k.key)
			if !ok || string(got) != string(want) || (got == nil) != (want == nil) {
				t.Fatalf("n=%d %v: got %q %v, want %q", n, k, got, ok, want)
			}
			if got, ok := l.get(k.bucket, k.key); !ok || string(got) != string(want) || (got == nil) != (want == nil) {
				t.Fatalf("n=%d %v: the layer has %q %v, want %q", n, k, got, ok, want)
			}
			if got, ok := w.inBucket(k.bucket)[k.key]; !ok || string(got) != string(want) {
				t.Fatalf("n=%d %v: inBucket has %q %v, want %q", n, k, got, ok, want)
			}
		}
		if _, ok := w.get("b0", "absent"); ok {
			t.Fatalf("n=%d: a key never written has a write", n)
		}
	}
}

// Ensure a committed batch, emptied for the next one, keeps nothing of what it
// held: the next batch's commit writes only its own keys (a bucket the earlier
// batch wrote is not created, and its keys are not written again), and a map a
// large update grew is not kept.
func TestLayer_ClearedForTheNextBatch(t *testing.T) {
	d, err := Open(t.TempDir()+"/db", Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	l := newLayer()
	l.set("earlier", "k", []byte("v"))
	for i := range keptLen + 1 {
		l.set("large", fmt.Sprint(i), []byte("v"))
	}
	l.clear()
	if _, ok := l.get("earlier", "k"); ok {
		t.Fatal("an emptied batch still has a write")
	}
	if _, ok := l.writes["large"]; ok {
		t.Fatalf("a map of %d writes was kept", keptLen+1)
	}
	l.set("next", "k2", []byte("v2"))
	if err := d.db.Update(l.apply); err != nil {
		t.Fatal(err)
	}
	err = d.db.View(func(btx *bolt.Tx) error {
		if btx.Bucket([]byte("earlier")) != nil {
			t.Error("the bucket of the emptied batch was created")
		}
		if b := btx.Bucket([]byte("next")); b == nil || string(b.Get([]byte("k2"))) != "v2" {
			t.Error("the next batch's write is missing")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
