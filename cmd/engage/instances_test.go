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
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/pgstore"
	"github.com/engage-org/engage/store/pgstore/pgtest"
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
	cfg.Store.Driver, cfg.Store.DSN = "postgres", pgtest.FreshDSN(t)
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

// checkSentOnce checks that every message the outbox was given was sent, once:
// only an edit may go again, when a newer version of it was queued while it was
// being sent (it is rendered at send, so the first send may show older figures).
func checkSentOnce(t *testing.T, sent []sentMsg, created int) {
	t.Helper()
	edits := 0
	for _, s := range sent {
		if s.m.Edit {
			edits++
		}
	}
	if len(sent) < created || len(sent)-created > edits {
		t.Errorf("sent %d messages (%d edits), the outbox was given %d", len(sent), edits, created)
	}
}

// Ensure two instances on one database under concurrent load count every event
// once, whichever instance gets it and however often it is delivered, and their two
// dispatchers send every outbox message exactly once between them.
func TestTwoInstances_EventsAndOutbox(t *testing.T) {
	t.Parallel()
	clock := bots.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	apps := twoApps(t, clock)
	rec := &instanceSender{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var running sync.WaitGroup
	for i, a := range apps {
		d := outbox.NewDispatcher(a.eng, a.bot, map[string]bots.Sender{"test": senderOf{rec, i}}, nil, nil)
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
	t.Parallel()
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
	t.Parallel()
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
	d := outbox.NewDispatcher(apps[1].eng, apps[1].bot, map[string]bots.Sender{"test": senderOf{rec, 1}}, nil, nil)
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
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: several processes killed and restarted")
	}
	crashSafety(t, pgtest.FreshDSN(t))
}

// Ensure two instances under concurrent pledges never oversell a limited reward tier
// nor count a pledge twice, and that the campaign's timed jobs (reminders, the
// settlement at the deadline) fire once each when both instances' schedulers race
// for them: every backer is thanked once, every chat post is sent once.
func TestTwoInstances_PledgesAndSettlement(t *testing.T) {
	t.Parallel()
	clock := bots.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	apps := twoApps(t, clock)
	rec := &instanceSender{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var running sync.WaitGroup
	for i, a := range apps {
		d := outbox.NewDispatcher(a.eng, a.bot, map[string]bots.Sender{"test": senderOf{rec, i}}, nil, nil)
		d.Poll, d.Batch = 10*time.Millisecond, 5
		a.bot.OnOutbox(d.Wake)
		running.Go(func() { _ = d.Run(ctx) })
	}
	handle := func(a *app, ev bots.Event) []bots.Message {
		out, err := a.bot.Handle(context.Background(), ev)
		if err != nil {
			t.Error(err)
		}
		return out
	}
	handle(apps[0], event("alice", "/community create Club lang en", "setup:1"))
	handle(apps[1], event("alice", "/campaign new reward Oven goal 300 € until 2026-12-20", "setup:2"))
	handle(apps[0], event("alice", "/reward C1 25 Mug limit 5", "setup:3"))

	const tierPledgers, plainPledgers, limit = 30, 20, 5
	var wg sync.WaitGroup
	var mismatches atomic.Int32
	for i := range tierPledgers + plainPledgers {
		text := "/pledge C1 25 reward R1"
		if i >= tierPledgers {
			text = "/pledge C1 10"
		}
		ev := event(fmt.Sprintf("p%02d", i), text, fmt.Sprintf("pledge:%d", i))
		wg.Go(func() {
			var outs [2][]bots.Message
			var both sync.WaitGroup
			for k := range apps {
				both.Go(func() { outs[k] = handle(apps[k], ev) })
			}
			both.Wait()
			if fmt.Sprint(outs[0]) != fmt.Sprint(outs[1]) {
				mismatches.Add(1)
			}
		})
	}
	wg.Wait()
	if n := mismatches.Load(); n > 0 {
		t.Errorf("%d pledges answered differently by the two instances", n)
	}
	snapshot := func() core.CampaignSnapshot {
		t.Helper()
		var snap *core.Snapshot
		if err := apps[1].eng.View(t.Context(), func(tx *core.Tx) error {
			var err error
			snap, err = tx.Snapshot()
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return snap.Communities[0].Campaigns[0]
	}
	c := snapshot()
	if len(c.Rewards) != 1 || c.Rewards[0].Taken != limit {
		t.Fatalf("rewards %+v: want R1 taken %d times", c.Rewards, limit)
	}
	var rows []core.PledgeRow
	_ = apps[0].eng.View(t.Context(), func(tx *core.Tx) error {
		var err error
		rows, err = tx.PledgeRows()
		return err
	})
	withTier := 0
	for _, r := range rows {
		if r.Reward != "" {
			withTier++
		}
	}
	if withTier != limit || len(rows) != limit+plainPledgers || c.Backers != limit+plainPledgers || c.Pledged != (limit*25+plainPledgers*10)*100 {
		t.Fatalf("%d pledges (%d with the tier), %d backers, %d pledged; want %d (%d), %d, %d",
			len(rows), withTier, c.Backers, c.Pledged, limit+plainPledgers, limit, limit+plainPledgers, (limit*25+plainPledgers*10)*100)
	}

	// Past the deadline, the two instances' schedulers race for the reminders and the
	// settlement.
	var jobs int
	_ = apps[0].store.View(t.Context(), func(tx core.StoreTx) error {
		return tx.Scan("job", "", false, func(string, []byte) error { jobs++; return nil })
	})
	if jobs < 2 {
		t.Fatalf("%d jobs scheduled, want the reminders and the settlement", jobs)
	}
	// Each job at its time: the clock moves to the next due job, then six
	// schedulers, three per instance, race for everything due.
	var mu sync.Mutex
	fired := map[string]int{}
	for {
		next, err := apps[0].bot.NextJob(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if next == nil {
			break
		}
		clock.Set(next.Due)
		for w := range 6 {
			a := apps[w%2]
			wg.Go(func() {
				for {
					j, err := a.bot.NextJob(context.Background())
					if err != nil || j == nil || j.Due.After(clock.Now()) {
						if err != nil {
							t.Error(err)
						}
						return
					}
					ran, err := a.bot.Fire(context.Background(), j)
					if err != nil {
						t.Error(err)
						return
					}
					if ran {
						mu.Lock()
						fired[j.ID]++
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
	}
	if len(fired) < jobs {
		t.Errorf("%d jobs fired, %d were scheduled", len(fired), jobs)
	}
	for id, n := range fired {
		if n != 1 {
			t.Errorf("job %s fired %d times", id, n)
		}
	}
	drain(t, apps[0])
	cancel()
	running.Wait()

	if c := snapshot(); c.Status != "succeeded" {
		t.Errorf("campaign status %q, want succeeded", c.Status)
	}
	sent := rec.all()
	checkSentOnce(t, sent, outboxCreated(t, apps[0]))
	owe, over, reminders := map[string]int{}, 0, 0
	for _, s := range sent {
		switch {
		case s.m.Direct && strings.Contains(s.m.Text, "succeeded — thank you for your support"):
			owe[s.m.UserID]++
		case !s.m.Direct && strings.Contains(s.m.Text, "is over and succeeded"):
			over++
		case !s.m.Direct && strings.Contains(s.m.Text, "left for C1"):
			reminders++
		}
	}
	if len(owe) != limit+plainPledgers || over != 1 || reminders != 2 {
		t.Errorf("%d backers thanked, %d results posted, %d reminders posted; want %d, 1, 2", len(owe), over, reminders, limit+plainPledgers)
	}
	for who, n := range owe {
		if n != 1 {
			t.Errorf("%s thanked %d times", who, n)
		}
	}
}

// drain waits until the outbox is empty (the running dispatchers sent it all).
func drain(t *testing.T, a *app) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		_ = a.eng.View(t.Context(), func(tx *core.Tx) error {
			var err error
			n, _, err = tx.OutboxStats()
			return err
		})
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages still in the outbox", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
