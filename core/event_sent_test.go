package core_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
)

// gatedStore counts updates and holds the first one until released.
type gatedStore struct {
	core.Store
	updates atomic.Int64
	first   sync.Once
	held    chan struct{}
	release chan struct{}
}

func (g *gatedStore) Update(ctx context.Context, fn func(core.StoreTx) error) error {
	g.updates.Add(1)
	g.first.Do(func() { close(g.held); <-g.release })
	return g.Store.Update(ctx, fn)
}

// Ensure the deliveries recorded while one record is written are written
// together, in one update, each recorded, and that a record that cannot be read
// fails its own caller only.
func TestAnswerSent_Batched(t *testing.T) {
	base, _ := newEngine(t)
	const n = 100
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("telegram:%d", 1000+i)
		if _, err := base.Do(t.Context(), keys[i], func(*core.Tx) ([]byte, error) { return []byte(`[{"text":"ok"}]`), nil }); err != nil {
			t.Fatal(err)
		}
	}
	if err := base.Store().Update(t.Context(), func(kv core.StoreTx) error {
		return kv.Put("event", "ntelegram:00000000000000001099", []byte("not json"))
	}); err != nil {
		t.Fatal(err)
	}
	gs := &gatedStore{Store: base.Store(), held: make(chan struct{}), release: make(chan struct{})}
	e := core.New(gs, nil)
	errs := make([]error, n)
	var wg sync.WaitGroup
	wg.Go(func() { errs[0] = e.AnswerSent(t.Context(), keys[0]) })
	<-gs.held // the first record is being written: the others wait for the next update
	for i := 1; i < n; i++ {
		wg.Go(func() { errs[i] = e.AnswerSent(t.Context(), keys[i]) })
	}
	// Let the others queue behind the first write, then release it.
	deadline := time.Now().Add(10 * time.Second)
	for core.SentQueued(e) < n-1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d records queued, want %d", core.SentQueued(e), n-1)
		}
		time.Sleep(time.Millisecond)
	}
	close(gs.release)
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == n-1) {
			t.Errorf("%s: %v", keys[i], err)
		}
	}
	if u := gs.updates.Load(); u != 2 {
		t.Errorf("%d updates for %d records, want 2: the first, then the rest together", u, n)
	}
	for _, k := range keys[:n-1] {
		res, err := e.Do(t.Context(), k, func(*core.Tx) ([]byte, error) { return nil, nil })
		if err != nil || !res.Replayed || !res.Answered {
			t.Fatalf("%s: %+v, %v; want replayed and answered", k, res, err)
		}
	}
}
