package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/pgstore"
)

// instanceSender records what every instance's dispatcher sent.
type instanceSender struct {
	mu   sync.Mutex
	sent []sentMsg
	n    int
}

type sentMsg struct {
	instance int
	m        bots.Message
}

type senderOf struct {
	s        *instanceSender
	instance int
}

func (s senderOf) Send(_ context.Context, m bots.Message) (string, error) {
	s.s.mu.Lock()
	defer s.s.mu.Unlock()
	s.s.n++
	s.s.sent = append(s.s.sent, sentMsg{s.instance, m})
	return fmt.Sprintf("m%d", s.s.n), nil
}

func (s *instanceSender) all() []sentMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sentMsg(nil), s.sent...)
}

// twoApps opens two engage instances on one PostgreSQL database, sharing a clock
// (as two machines share the time of day).
func twoApps(t *testing.T, clock *bots.Clock) [2]*app {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Store.Driver, cfg.Store.DSN = "postgres", pgDSN(t)
	cfg.Community.Lang = "en"
	var apps [2]*app
	for i := range apps {
		a, err := openApp(cfg, clock.Now, newLogger(LogConfig{Level: "error"}, &strings.Builder{}), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		apps[i] = a
	}
	return apps
}

func event(user, text, key string) bots.Event {
	return bots.Event{Platform: "test", ChatID: "group", UserID: user, UserName: user, Handle: user,
		Kind: bots.KindMessage, Text: text, Key: key}
}

// outboxCreated reads how many outbox messages were ever written (the outbox's
// sequence counter).
func outboxCreated(t *testing.T, a *app) int {
	t.Helper()
	var n int
	err := a.store.View(t.Context(), func(tx core.StoreTx) error {
		raw, err := tx.Get("seq", "outbox")
		if err != nil {
			return err
		}
		n, err = strconv.Atoi(string(raw))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Ensure two instances on one database under concurrent load count every event
// once, whichever instance gets it and however often it is delivered, and their two
// dispatchers send every outbox message exactly once between them.
func TestTwoInstances_EventsAndOutbox(t *testing.T) {
	clock := bots.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	apps := twoApps(t, clock)
	rec := &instanceSender{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var running sync.WaitGroup
	for i, a := range apps {
		d := bots.NewDispatcher(a.eng, map[string]bots.Sender{"test": senderOf{rec, i}}, nil, nil)
		d.Poll, d.Batch = 10*time.Millisecond, 5 // small batches: the instances take turns
		a.bot.OnOutbox(d.Wake)
		running.Go(func() { _ = d.Run(ctx) })
	}
	must := func(a *app, ev bots.Event) []bots.Message {
		out, err := a.bot.Handle(context.Background(), ev)
		if err != nil {
			t.Error(err)
		}
		return out
	}
	must(apps[0], event("alice", "/community create Club lang en", "setup:1"))
	must(apps[1], event("alice", "/project new Garden", "setup:2"))

	const members, news = 40, 15
	var wg sync.WaitGroup
	var mismatches atomic.Int32
	// Every event is delivered to both instances at once (a platform retrying on
	// another instance behind the load balancer): the two answers must be the same.
	deliverTwice := func(ev bots.Event) {
		var outs [2][]bots.Message
		var both sync.WaitGroup
		for i := range apps {
			both.Go(func() { outs[i] = must(apps[i], ev) })
		}
		both.Wait()
		if fmt.Sprint(outs[0]) != fmt.Sprint(outs[1]) {
			mismatches.Add(1)
		}
	}
	for i := range members {
		wg.Go(func() {
			deliverTwice(event(fmt.Sprintf("m%02d", i), "/follow P1", fmt.Sprintf("follow:%d", i)))
		})
	}
	for j := range news {
		wg.Go(func() {
			deliverTwice(event("alice", fmt.Sprintf("/news P1 update %d", j), fmt.Sprintf("news:%d", j)))
		})
	}
	wg.Wait()
	if n := mismatches.Load(); n > 0 {
		t.Errorf("%d events answered differently by the two instances", n)
	}
	// Wait for the two dispatchers to drain the outbox.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		_ = apps[0].eng.View(t.Context(), func(tx *core.Tx) error {
			var err error
			n, _, err = tx.OutboxStats()
			return err
		})
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages still in the outbox", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	running.Wait()

	var snap *core.Snapshot
	if err := apps[1].eng.View(t.Context(), func(tx *core.Tx) error {
		var err error
		snap, err = tx.Snapshot()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	p := snap.Communities[0].Projects[0]
	if p.Followers != members || len(p.News) != news || len(snap.Communities[0].Members) != members+1 {
		t.Errorf("got %d followers, %d news, %d members; want %d, %d, %d", p.Followers, len(p.News), len(snap.Communities[0].Members), members, news, members+1)
	}
	sent := rec.all()
	if created := outboxCreated(t, apps[0]); len(sent) != created {
		t.Errorf("sent %d messages, the outbox was given %d", len(sent), created)
	}
	per := map[string]int{}
	byInstance := [2]int{}
	for _, s := range sent {
		byInstance[s.instance]++
		per[fmt.Sprintf("%s|%s|%v|%s", s.m.ChatID, s.m.UserID, s.m.Direct, s.m.Text)]++
	}
	for k, n := range per {
		if n > 1 {
			t.Errorf("sent %d times: %s", n, k)
		}
	}
	posts := 0
	for _, s := range sent {
		if !s.m.Direct && strings.Contains(s.m.Text, "update ") {
			posts++
		}
	}
	if posts != news {
		t.Errorf("%d news posts in the group, want %d", posts, news)
	}
	t.Logf("sent %d messages: %d by instance 0, %d by instance 1", len(sent), byInstance[0], byInstance[1])
	for i, a := range apps {
		t.Logf("instance %d store: %+v", i, a.store.(*pgstore.DB).Stats())
	}
}

// Ensure a scheduled job fires once when both instances' schedulers race for it.
func TestTwoInstances_JobsFireOnce(t *testing.T) {
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := bots.NewClock(start)
	apps := twoApps(t, clock)
	const jobs = 200
	_, err := apps[0].eng.Update(t.Context(), func(tx *core.Tx) error {
		for i := range jobs {
			if err := tx.Schedule(core.Job{ID: fmt.Sprintf("j%03d", i), Due: start.Add(-time.Duration(i) * time.Second), Kind: "test.noop"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var fired sync.Map // job ID → times
	var total atomic.Int32
	var wg sync.WaitGroup
	for w := range 6 {
		a := apps[w%2]
		wg.Go(func() {
			for {
				j, err := a.bot.NextJob(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if j == nil {
					return
				}
				ran, err := a.bot.Fire(context.Background(), j)
				if err != nil {
					t.Error(err)
					return
				}
				if ran {
					total.Add(1)
					n, _ := fired.LoadOrStore(j.ID, new(atomic.Int32))
					n.(*atomic.Int32).Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := total.Load(); n != jobs {
		t.Errorf("fired %d times, want %d", n, jobs)
	}
	fired.Range(func(k, v any) bool {
		if n := v.(*atomic.Int32).Load(); n != 1 {
			t.Errorf("job %s fired %d times", k, n)
		}
		return true
	})
}

// Ensure messages claimed by an instance that died are sent by the other once the
// lease ends, and not before.
func TestTwoInstances_LeaseTakeover(t *testing.T) {
	clock := bots.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	apps := twoApps(t, clock)
	_, err := apps[0].eng.Update(t.Context(), func(tx *core.Tx) error {
		for i := range 3 {
			if err := tx.Enqueue("test", []byte(fmt.Sprintf(`{"platform":"test","chat_id":"group","text":"msg %d"}`, i)), "", time.Time{}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Instance 0 claims everything for a short lease, then "dies" without sending.
	items, err := apps[0].eng.ClaimOutbox(t.Context(), "test", 10, 300*time.Millisecond)
	if err != nil || len(items) != 3 {
		t.Fatalf("claimed %d, %v", len(items), err)
	}
	rec := &instanceSender{}
	d := bots.NewDispatcher(apps[1].eng, map[string]bots.Sender{"test": senderOf{rec, 1}}, nil, nil)
	if err := d.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.all()); n != 0 {
		t.Fatalf("instance 1 sent %d leased messages", n)
	}
	time.Sleep(400 * time.Millisecond)
	if err := d.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.all()); n != 3 {
		t.Fatalf("after the lease: sent %d, want 3", n)
	}
}

// Ensure the crash test holds on PostgreSQL: an instance killed at random moments
// loses no acknowledged action and doubles none, and the batch it had claimed is
// sent by the next instance once its lease ends.
func TestCrashSafety_Postgres(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: several processes killed and restarted")
	}
	crashSafety(t, pgDSN(t))
}
