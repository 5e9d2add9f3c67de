// Package storetest is the conformance suite every core.Store must pass: the byte
// semantics of transactions (read-your-writes, rollback, ordered prefix scans) and
// the engine's guarantees built on them (idempotent events, the outbox, jobs taken
// once), under concurrency. boltstore and pgstore each call Run.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
)

// Opener opens a fresh, empty store for one test; the store is closed by the test's
// cleanup, which Opener registers.
type Opener func(tb testing.TB) core.Store

// Run runs the whole suite against stores made by open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, core.Store)
	}{
		{"GetPutDelete", testGetPutDelete},
		{"GetReturnsCopy", testGetReturnsCopy},
		{"ScanOrderAndPrefix", testScan},
		{"ScanSeesOwnWrites", testScanOverlay},
		{"ScanStop", testScanStop},
		{"ScanManyRecords", testScanMany},
		{"RollbackOnError", testRollback},
		{"ConcurrentIncrements", testConcurrentIncrements},
		{"FailureIsolated", testFailureIsolated},
		{"ConcurrentScansSeeEarlierUpdates", testConcurrentScans},
		{"ViewIsReadOnly", testViewReadOnly},
		{"EventIdempotent", testEventIdempotent},
		{"EventIdempotentConcurrent", testEventIdempotentConcurrent},
		{"OutboxOrderAndCoalesce", testOutbox},
		{"OutboxEditInFlight", testOutboxEditInFlight},
		{"JobTakenOnce", testJobTakenOnce},
		{"CanceledContext", testCanceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

func put(t *testing.T, st core.Store, bucket, k, v string) {
	t.Helper()
	if err := st.Update(t.Context(), func(tx core.StoreTx) error { return tx.Put(bucket, k, []byte(v)) }); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, st core.Store, bucket, k string) (string, bool) {
	t.Helper()
	var v []byte
	var err error
	if e := st.View(t.Context(), func(tx core.StoreTx) error { v, err = tx.Get(bucket, k); return nil }); e != nil {
		t.Fatal(e)
	}
	if errors.Is(err, core.ErrNoKey) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(v), true
}

// Ensure a value put can be read back, replaced and deleted, and a missing key
// reports ErrNoKey.
func testGetPutDelete(t *testing.T, st core.Store) {
	if _, ok := get(t, st, "project", "a"); ok {
		t.Fatal("got a value in an empty store")
	}
	put(t, st, "project", "a", "1")
	put(t, st, "project", "a", "2")
	if v, _ := get(t, st, "project", "a"); v != "2" {
		t.Fatalf("got %q, want %q", v, "2")
	}
	put(t, st, "project", "empty", "")
	if v, ok := get(t, st, "project", "empty"); !ok || v != "" {
		t.Fatalf("empty value: got %q, %v; want \"\", true", v, ok)
	}
	if err := st.Update(t.Context(), func(tx core.StoreTx) error { return tx.Delete("project", "a") }); err != nil {
		t.Fatal(err)
	}
	if _, ok := get(t, st, "project", "a"); ok {
		t.Fatal("deleted key still there")
	}
	if err := st.Update(t.Context(), func(tx core.StoreTx) error { return tx.Delete("project", "never") }); err != nil {
		t.Fatalf("deleting a missing key: %v", err)
	}
	put(t, st, "a-bucket-nobody-declared", "k", "v")
	if v, _ := get(t, st, "a-bucket-nobody-declared", "k"); v != "v" {
		t.Fatalf("new bucket: got %q, want %q", v, "v")
	}
}

// Ensure changing a slice Get returned does not change the store.
func testGetReturnsCopy(t *testing.T, st core.Store) {
	put(t, st, "person", "k", "abc")
	_ = st.Update(t.Context(), func(tx core.StoreTx) error {
		v, err := tx.Get("person", "k")
		if err != nil {
			return err
		}
		v[0] = 'X'
		return nil
	})
	if v, _ := get(t, st, "person", "k"); v != "abc" {
		t.Fatalf("got %q, want %q", v, "abc")
	}
}

func scanKeys(t *testing.T, tx core.StoreTx, bucket, prefix string, reverse bool) []string {
	t.Helper()
	var keys []string
	err := tx.Scan(bucket, prefix, reverse, func(k string, v []byte) error {
		if string(v) != "v"+k {
			t.Errorf("value of %q: got %q, want %q", k, v, "v"+k)
		}
		keys = append(keys, k)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// Ensure Scan visits exactly the keys under the prefix, in byte order both ways.
func testScan(t *testing.T, st core.Store) {
	keys := []string{"c1/a", "c1/b", "c1/b/x", "c10/a", "c2/a", "c1", "c1\xff", "d"}
	if err := st.Update(t.Context(), func(tx core.StoreTx) error {
		for _, k := range keys {
			if err := tx.Put("news", k, []byte("v"+k)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_ = st.View(t.Context(), func(tx core.StoreTx) error {
		want := []string{"c1/a", "c1/b", "c1/b/x"}
		if got := scanKeys(t, tx, "news", "c1/", false); !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
		slices.Reverse(want)
		if got := scanKeys(t, tx, "news", "c1/", true); !slices.Equal(got, want) {
			t.Errorf("reverse: got %q, want %q", got, want)
		}
		all := slices.Clone(keys)
		slices.Sort(all)
		if got := scanKeys(t, tx, "news", "", false); !slices.Equal(got, all) {
			t.Errorf("all: got %q, want %q", got, all)
		}
		slices.Reverse(all)
		if got := scanKeys(t, tx, "news", "", true); !slices.Equal(got, all) {
			t.Errorf("all reverse: got %q, want %q", got, all)
		}
		if got := scanKeys(t, tx, "news", "zz", false); len(got) != 0 {
			t.Errorf("absent prefix: got %q", got)
		}
		if got := scanKeys(t, tx, "no-such-bucket", "", true); len(got) != 0 {
			t.Errorf("absent bucket: got %q", got)
		}
		return nil
	})
}

// Ensure a transaction's reads and scans see its own puts and deletes.
func testScanOverlay(t *testing.T, st core.Store) {
	for _, k := range []string{"p/1", "p/3", "p/5"} {
		put(t, st, "member", k, "v"+k)
	}
	err := st.Update(t.Context(), func(tx core.StoreTx) error {
		for _, k := range []string{"p/2", "p/4", "p/6", "p/0"} {
			if err := tx.Put("member", k, []byte("v"+k)); err != nil {
				return err
			}
		}
		if err := tx.Delete("member", "p/3"); err != nil {
			return err
		}
		if err := tx.Put("member", "p/5", []byte("vp/5")); err != nil {
			return err
		}
		want := []string{"p/0", "p/1", "p/2", "p/4", "p/5", "p/6"}
		if got := scanKeys(t, tx, "member", "p/", false); !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
		slices.Reverse(want)
		if got := scanKeys(t, tx, "member", "p/", true); !slices.Equal(got, want) {
			t.Errorf("reverse: got %q, want %q", got, want)
		}
		if _, err := tx.Get("member", "p/3"); !errors.Is(err, core.ErrNoKey) {
			t.Errorf("deleted in tx: got %v, want ErrNoKey", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure long scans (a store may read them in pages) keep byte order both ways,
// including keys that differ only by a trailing NUL, merge the transaction's own
// writes, stop where asked, and let the callback read the store between records.
func testScanMany(t *testing.T, st core.Store) {
	const n = 2500
	var want []string
	err := st.Update(t.Context(), func(tx core.StoreTx) error {
		for _, k := range []string{"j/x", "k", "l/x"} {
			if err := tx.Put("search", k, []byte("v"+k)); err != nil {
				return err
			}
		}
		for i := range n {
			k := fmt.Sprintf("k/%04d", i)
			var ks []string
			switch {
			case i < 300: // runs of keys that differ by trailing NULs
				ks = []string{k, k + "\x00", k + "\x00\x00"}
			case i%100 == 0: // the twin now, the key in the next transaction
				ks = []string{k + "\x00"}
			default:
				ks = []string{k}
			}
			for _, k := range ks {
				if err := tx.Put("search", k, []byte("v"+k)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		k := fmt.Sprintf("k/%04d", i)
		switch {
		case i < 300:
			want = append(want, k, k+"\x00", k+"\x00\x00")
		case i%100 == 0:
			want = append(want, k, k+"\x00")
		case i%7 == 3: // deleted below
		default:
			want = append(want, k)
		}
	}
	err = st.Update(t.Context(), func(tx core.StoreTx) error {
		for i := 300; i < n; i++ {
			k := fmt.Sprintf("k/%04d", i)
			var err error
			switch {
			case i%100 == 0:
				err = tx.Put("search", k, []byte("v"+k))
			case i%7 == 3:
				err = tx.Delete("search", k)
			}
			if err != nil {
				return err
			}
		}
		check := func(reverse bool) {
			var got []string
			err := tx.Scan("search", "k/", reverse, func(k string, v []byte) error {
				if string(v) != "v"+k {
					t.Errorf("value of %q: got %q", k, v)
				}
				if again, err := tx.Get("search", k); err != nil || string(again) != string(v) {
					t.Errorf("get %q inside the scan: %q, %v", k, again, err)
				}
				got = append(got, k)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			w := slices.Clone(want)
			if reverse {
				slices.Reverse(w)
			}
			if !slices.Equal(got, w) {
				t.Errorf("reverse=%v: got %d keys, want %d; first difference at %d", reverse, len(got), len(w), firstDiff(got, w))
			}
		}
		check(false)
		check(true)
		for _, stop := range []int{1, 15, 16, 17, 1000} {
			seen := 0
			if err := tx.Scan("search", "k/", false, func(string, []byte) error {
				seen++
				if seen == stop {
					return core.ErrStop
				}
				return nil
			}); err != nil || seen != stop {
				t.Errorf("stop at %d: saw %d, err %v", stop, seen, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Committed, the same scan from a fresh view.
	_ = st.View(t.Context(), func(tx core.StoreTx) error {
		var got []string
		_ = tx.Scan("search", "k/", false, func(k string, _ []byte) error { got = append(got, k); return nil })
		if !slices.Equal(got, want) {
			t.Errorf("after commit: got %d keys, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
		}
		return nil
	})
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// Ensure returning ErrStop ends a scan without error.
func testScanStop(t *testing.T, st core.Store) {
	for i := range 10 {
		put(t, st, "job", fmt.Sprintf("%02d", i), "x")
	}
	_ = st.View(t.Context(), func(tx core.StoreTx) error {
		n := 0
		err := tx.Scan("job", "", false, func(string, []byte) error {
			n++
			if n == 3 {
				return core.ErrStop
			}
			return nil
		})
		if err != nil || n != 3 {
			t.Errorf("got n=%d err=%v, want 3, nil", n, err)
		}
		boom := errors.New("boom")
		if err := tx.Scan("job", "", true, func(string, []byte) error { return boom }); !errors.Is(err, boom) {
			t.Errorf("got %v, want boom", err)
		}
		return nil
	})
}

// Ensure an update that fails leaves nothing behind.
func testRollback(t *testing.T, st core.Store) {
	put(t, st, "project", "keep", "1")
	boom := errors.New("boom")
	err := st.Update(t.Context(), func(tx core.StoreTx) error {
		_ = tx.Put("project", "new", []byte("x"))
		_ = tx.Put("project", "keep", []byte("2"))
		_ = tx.Delete("project", "keep")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	if _, ok := get(t, st, "project", "new"); ok {
		t.Error("a failed update's put survived")
	}
	if v, _ := get(t, st, "project", "keep"); v != "1" {
		t.Errorf("got %q, want %q", v, "1")
	}
}

func increment(tx core.StoreTx) error {
	n := 0
	if v, err := tx.Get("seq", "n"); err == nil {
		n, _ = strconv.Atoi(string(v))
	} else if !errors.Is(err, core.ErrNoKey) {
		return err
	}
	return tx.Put("seq", "n", []byte(strconv.Itoa(n+1)))
}

// Ensure concurrent read-modify-write updates never lose one.
func testConcurrentIncrements(t *testing.T, st core.Store) {
	const workers, each = 32, 20
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				if err := st.Update(context.Background(), increment); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if v, _ := get(t, st, "seq", "n"); v != strconv.Itoa(workers*each) {
		t.Fatalf("got %s, want %d", v, workers*each)
	}
}

// Ensure one failing update among concurrent ones does not undo or repeat the others.
func testFailureIsolated(t *testing.T, st core.Store) {
	const n = 64
	var wg sync.WaitGroup
	var mu sync.Mutex
	calls := map[int]int{}
	for i := range n {
		wg.Go(func() {
			err := st.Update(context.Background(), func(tx core.StoreTx) error {
				mu.Lock()
				calls[i]++
				mu.Unlock()
				if err := tx.Put("outbox", fmt.Sprintf("k%03d", i), []byte("x")); err != nil {
					return err
				}
				if i%7 == 0 {
					return errors.New("refused")
				}
				return increment(tx)
			})
			if (err != nil) != (i%7 == 0) {
				t.Errorf("update %d: got err %v", i, err)
			}
		})
	}
	wg.Wait()
	want := 0
	for i := range n {
		_, ok := get(t, st, "outbox", fmt.Sprintf("k%03d", i))
		if ok == (i%7 == 0) {
			t.Errorf("update %d: stored=%v", i, ok)
		}
		if i%7 != 0 {
			want++
		}
	}
	if v, _ := get(t, st, "seq", "n"); v != strconv.Itoa(want) {
		t.Errorf("counter: got %s, want %d", v, want)
	}
	// Serializable stores may retry an update after a conflict, but a failing
	// neighbour alone must not make a store re-run successful updates many times.
	for i, c := range calls {
		if c > 3 {
			t.Errorf("update %d ran %d times", i, c)
		}
	}
}

// Ensure each update's scans see every update serialised before it, committed or
// not yet: each appends a key numbered by how many it finds, so a scan that missed
// one would reuse a number and the count would come out short.
func testConcurrentScans(t *testing.T, st core.Store) {
	const n = 96
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			err := st.Update(context.Background(), func(tx core.StoreTx) error {
				count := 0
				if err := tx.Scan("news", "list/", true, func(string, []byte) error { count++; return nil }); err != nil {
					return err
				}
				return tx.Put("news", fmt.Sprintf("list/%04d", count), []byte("x"))
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	_ = st.View(t.Context(), func(tx core.StoreTx) error {
		var keys []string
		_ = tx.Scan("news", "list/", false, func(k string, _ []byte) error { keys = append(keys, k); return nil })
		if len(keys) != n || keys[n-1] != fmt.Sprintf("list/%04d", n-1) {
			t.Errorf("got %d keys ending %q, want %d", len(keys), keys[len(keys)-1], n)
		}
		return nil
	})
}

// Ensure a View cannot write.
func testViewReadOnly(t *testing.T, st core.Store) {
	err := st.View(t.Context(), func(tx core.StoreTx) error { return tx.Put("project", "x", []byte("1")) })
	if err == nil {
		t.Fatal("a put in a View succeeded")
	}
	if _, ok := get(t, st, "project", "x"); ok {
		t.Fatal("a put in a View was stored")
	}
}

// Ensure an event key handled twice runs once and answers the first answer.
func testEventIdempotent(t *testing.T, st core.Store) {
	e := core.New(st, func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) })
	runs := 0
	do := func(answer string) core.Result {
		res, err := e.Do(t.Context(), "telegram:42", func(tx *core.Tx) ([]byte, error) {
			runs++
			return []byte(answer), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := do("first")
	second := do("second")
	if runs != 1 || string(second.Answer) != "first" || !second.Replayed || first.Replayed {
		t.Fatalf("got runs=%d answer=%q replayed=%v/%v; want 1, first, false/true", runs, second.Answer, first.Replayed, second.Replayed)
	}
	// A refusal is remembered too.
	ans, err := e.Remember(t.Context(), "telegram:43", []byte("no"))
	if err != nil || string(ans) != "no" {
		t.Fatalf("got %q, %v", ans, err)
	}
	if ans, _ := e.Remember(t.Context(), "telegram:43", []byte("yes")); string(ans) != "no" {
		t.Fatalf("got %q, want the first refusal", ans)
	}
}

// Ensure the same key delivered concurrently has one effect.
func testEventIdempotentConcurrent(t *testing.T, st core.Store) {
	e := core.New(st, nil)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			_, err := e.Do(context.Background(), "slack:Ev1", func(tx *core.Tx) ([]byte, error) {
				return []byte(strconv.Itoa(i)), tx.Enqueue("slack", []byte("fan-out"), "", time.Time{})
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	var items []*core.OutboxItem
	_ = e.View(t.Context(), func(tx *core.Tx) error {
		var err error
		items, err = tx.Outbox("", tx.Now(), 100)
		return err
	})
	if len(items) != 1 {
		t.Fatalf("got %d outbox items, want 1", len(items))
	}
}

// Ensure the outbox keeps order, coalesces by key and forgets sent items.
func testOutbox(t *testing.T, st core.Store) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	e := core.New(st, func() time.Time { return now })
	_, err := e.Update(t.Context(), func(tx *core.Tx) error {
		for _, p := range []string{"a", "b", "c"} {
			if err := tx.Enqueue("telegram", []byte(p), "", time.Time{}); err != nil {
				return err
			}
		}
		if err := tx.Enqueue("telegram", []byte("tally 1"), "poll:V1", time.Time{}); err != nil {
			return err
		}
		if err := tx.Enqueue("slack", []byte("later"), "", now.Add(time.Hour)); err != nil {
			return err
		}
		return tx.Enqueue("telegram", []byte("tally 2"), "poll:V1", time.Time{})
	})
	if err != nil {
		t.Fatal(err)
	}
	var items []*core.OutboxItem
	list := func(at time.Time) []string {
		var out []string
		_ = e.View(t.Context(), func(tx *core.Tx) error {
			var err error
			items, err = tx.Outbox("", at, 100)
			return err
		})
		for _, it := range items {
			out = append(out, string(it.Payload))
		}
		return out
	}
	if got, want := list(now), []string{"a", "b", "c", "tally 2"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got, want := list(now.Add(2*time.Hour)), []string{"a", "b", "c", "tally 2", "later"}; !slices.Equal(got, want) {
		t.Fatalf("later: got %q, want %q", got, want)
	}
	_, err = e.Update(t.Context(), func(tx *core.Tx) error { return tx.OutboxSent(items[3].Seq) })
	if err != nil {
		t.Fatal(err)
	}
	// Sent: a new tally edit makes a new item rather than reviving the sent one.
	_, _ = e.Update(t.Context(), func(tx *core.Tx) error {
		return tx.Enqueue("telegram", []byte("tally 3"), "poll:V1", time.Time{})
	})
	if got, want := list(now), []string{"a", "b", "c", "tally 3"}; !slices.Equal(got, want) {
		t.Fatalf("after sent: got %q, want %q", got, want)
	}
}

// Ensure concurrent takers of one job: exactly one wins.
func testJobTakenOnce(t *testing.T, st core.Store) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	e := core.New(st, func() time.Time { return now })
	job := core.Job{ID: "poll-close:c1:V1", Due: now, Kind: "poll.close"}
	if _, err := e.Update(t.Context(), func(tx *core.Tx) error { return tx.Schedule(job) }); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	wins := 0
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			var won bool
			_, err := e.Update(context.Background(), func(tx *core.Tx) error {
				var err error
				won, err = tx.TakeJob(&job)
				return err
			})
			if err != nil {
				t.Error(err)
			}
			if won {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("got %d winners, want 1", wins)
	}
}

// Ensure a canceled context stops an update before it runs.
func testCanceled(t *testing.T, st core.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ran := false
	err := st.Update(ctx, func(tx core.StoreTx) error { ran = true; return nil })
	if err == nil || ran {
		t.Fatalf("got err=%v ran=%v, want an error and no run", err, ran)
	}
}

// Ensure a coalesced edit that arrives while the previous payload is being sent is
// kept and sent next, not removed with the sent one.
func testOutboxEditInFlight(t *testing.T, st core.Store) {
	e := core.New(st, func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) })
	enqueue := func(p string) {
		if _, err := e.Update(t.Context(), func(tx *core.Tx) error { return tx.Enqueue("test", []byte(p), "poll:V1", time.Time{}) }); err != nil {
			t.Fatal(err)
		}
	}
	list := func() []*core.OutboxItem {
		var items []*core.OutboxItem
		_ = e.View(t.Context(), func(tx *core.Tx) error {
			var err error
			items, err = tx.Outbox("", tx.Now(), 10)
			return err
		})
		return items
	}
	enqueue("tally 1")
	sending := list()[0] // the dispatcher reads it and starts sending
	enqueue("tally 2")   // meanwhile a newer edit replaces the payload
	if _, err := e.Update(t.Context(), func(tx *core.Tx) error { return tx.OutboxDelivered(sending.Seq, sending.Version) }); err != nil {
		t.Fatal(err)
	}
	items := list()
	if len(items) != 1 || string(items[0].Payload) != "tally 2" {
		t.Fatalf("after the first send: %d items", len(items))
	}
	if _, err := e.Update(t.Context(), func(tx *core.Tx) error { return tx.OutboxDelivered(items[0].Seq, items[0].Version) }); err != nil {
		t.Fatal(err)
	}
	if n := len(list()); n != 0 {
		t.Fatalf("after the second send: %d items", n)
	}
}
