// Package botstest helps other packages test against the real conversation layer: a
// Recorder that stands in for a platform's Sender, and an Env that wires a real bot on
// a real bbolt file in a temporary directory, with a stopped clock.
//
// It is for tests only. It may import store/boltstore (the one place outside
// cmd/engage that does, so that tests use a real store), bots, core and prompts.
package botstest

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/prompts"
	"github.com/engage-org/engage/store/boltstore"
)

// Recorder is a bots.Sender that keeps what it is given.
type Recorder struct {
	mu   sync.Mutex // guards the fields below
	msgs []bots.Message
	n    int
	// Fail, when set, is called before each send; an error it returns is the send's.
	Fail func(m bots.Message) error
}

var _ bots.Sender = (*Recorder)(nil)

// Send records m and returns a fresh message ID.
func (r *Recorder) Send(_ context.Context, m bots.Message) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Fail != nil {
		if err := r.Fail(m); err != nil {
			return "", err
		}
	}
	r.n++
	r.msgs = append(r.msgs, m)
	if m.EditID != "" {
		return m.EditID, nil
	}
	return fmt.Sprintf("m%d", r.n), nil
}

// Messages returns what was sent so far.
func (r *Recorder) Messages() []bots.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bots.Message(nil), r.msgs...)
}

// Reset forgets what was sent.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = nil
}

// Env is a bot on a fresh bbolt file, its dispatcher sending to Sent, and a clock
// stopped at 2026-12-01 09:00 UTC.
type Env struct {
	TB         testing.TB
	DB         *boltstore.DB
	Engine     *core.Engine
	Bot        *bots.Bot
	Dispatcher *outbox.Dispatcher
	Scheduler  *bots.Scheduler
	Clock      *bots.Clock
	Sent       *Recorder
	Platform   string
	Chat       string
	seq        int
	opt        Options
	cat        *prompts.Catalog
	cfg        bots.Config
}

// Start is the time the clock of a new Env shows.
var Start = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// Options tune NewEnv.
type Options struct {
	Lang          string // the bot's default language ("" for en)
	NoSync        bool   // skip fsync (faster tests)
	NoGroupCommit bool   // one transaction and fsync per update
	Path          string // the bbolt file ("" for a temporary one)
	BallotSecret  string // keys secret ballots ("": secret ballots are final)
	// Tune, when set, adjusts the bot's configuration before the bot is built.
	Tune func(*bots.Config)
	// RealTime runs the clock on the real time instead of stopping it at Start
	// (benchmarks with a running dispatcher).
	RealTime bool
}

// NewEnv wires an Env; everything is closed at the end of the test.
func NewEnv(tb testing.TB, opt Options) *Env {
	tb.Helper()
	if opt.Lang == "" {
		opt.Lang = "en"
	}
	if opt.Path == "" {
		opt.Path = filepath.Join(tb.TempDir(), "bolt.db")
	}
	db, err := boltstore.Open(opt.Path, boltstore.Options{NoSync: opt.NoSync, NoGroupCommit: opt.NoGroupCommit})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	// Strict texts: a template that reads a key its data lacks fails the test
	// instead of showing a member "<no value>".
	var report func(key string, err error)
	if f, ok := tb.(*testing.F); ok {
		// Inside a fuzz target only its *testing.T may fail: the failures are
		// told when the fuzz test ends.
		var mu sync.Mutex
		var failed []string
		report = func(key string, err error) {
			mu.Lock()
			defer mu.Unlock()
			failed = append(failed, fmt.Sprintf("text %s: %v", key, err))
		}
		f.Cleanup(func() {
			mu.Lock()
			defer mu.Unlock()
			for _, s := range failed {
				f.Error(s)
			}
		})
	} else {
		report = func(key string, err error) { tb.Errorf("text %s: %v", key, err) }
	}
	cat, err := prompts.LoadStrict(report)
	if err != nil {
		tb.Fatal(err)
	}
	clock := bots.NewClock(Start)
	if opt.RealTime {
		clock = bots.NewClock(time.Time{})
	}
	eng := core.New(db, clock.Now)
	if opt.BallotSecret != "" {
		if err := eng.SetBallotSecret(opt.BallotSecret); err != nil {
			tb.Fatal(err)
		}
	}
	cfg := bots.Config{Lang: opt.Lang, TimeZone: "UTC"}
	if opt.Tune != nil {
		opt.Tune(&cfg)
	}
	e := &Env{TB: tb, DB: db, Clock: clock, Sent: &Recorder{}, Platform: "test", Chat: "group", opt: opt, cat: cat, cfg: cfg}
	e.wire(eng)
	return e
}

// wire builds the bot, its dispatcher and scheduler on eng.
func (e *Env) wire(eng *core.Engine) {
	b := bots.New(eng, e.cat, e.cfg)
	e.Engine, e.Bot = eng, b
	e.Dispatcher = outbox.NewDispatcher(eng, b, map[string]bots.Sender{"test": e.Sent, "other": e.Sent}, nil, nil)
	e.Dispatcher.Notify = true
	e.Scheduler = bots.NewScheduler(b)
}

// Restart replaces the engine and the bot by new ones on the same store, as a
// restart of the service (or a second instance) would: a new run, the same data.
func (e *Env) Restart() {
	e.TB.Helper()
	eng := core.New(e.DB, e.Clock.Now)
	if e.opt.BallotSecret != "" {
		if err := eng.SetBallotSecret(e.opt.BallotSecret); err != nil {
			e.TB.Fatal(err)
		}
	}
	e.wire(eng)
}

// Event builds a message event from user in the Env's group chat (or directly when
// the text starts with ">"), with a fresh idempotency key.
func (e *Env) Event(user, text string) bots.Event {
	e.seq++
	ev := bots.Event{
		Platform: e.Platform, ChatID: e.Chat, UserID: strings.ToLower(user), UserName: user, Handle: user,
		Kind: bots.KindMessage, Text: text, Key: fmt.Sprintf("%s:%d", e.Platform, e.seq),
	}
	if rest, ok := strings.CutPrefix(text, ">"); ok {
		ev.Direct, ev.ChatID, ev.Text = true, "dm:"+ev.UserID, strings.TrimSpace(rest)
	}
	return ev
}

// Say handles text from user (see Event) and returns the direct answers' texts,
// after sending the outbox (what it sent is in Sent).
func (e *Env) Say(user, text string) []bots.Message {
	e.TB.Helper()
	return e.Handle(e.Event(user, text))
}

// Handle handles ev, fails the test on an error, and flushes the outbox.
func (e *Env) Handle(ev bots.Event) []bots.Message {
	e.TB.Helper()
	out, err := e.Bot.Handle(context.Background(), ev)
	if err != nil {
		e.TB.Fatalf("handle %q: %v", ev.Text, err)
	}
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		e.TB.Fatal(err)
	}
	return out
}

// Press presses the button with label containing label in m, as user.
func (e *Env) Press(user string, m bots.Message, label string) []bots.Message {
	e.TB.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.Contains(b.Label, label) {
				ev := e.Event(user, "")
				ev.Kind, ev.Action = bots.KindAction, b.Token
				if m.Direct {
					ev.Direct, ev.ChatID = true, "dm:"+ev.UserID
				}
				return e.Handle(ev)
			}
		}
	}
	e.TB.Fatalf("no button %q in %q", label, m.Text)
	return nil
}

// Snapshot returns the exported state, to compare before and after.
func (e *Env) Snapshot() *core.Snapshot {
	e.TB.Helper()
	var s *core.Snapshot
	if err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
		var err error
		s, err = tx.Snapshot()
		return err
	}); err != nil {
		e.TB.Fatal(err)
	}
	return s
}

// Texts returns the texts of msgs.
func Texts(msgs []bots.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Text)
	}
	return out
}

// Outbox writes m to the outbox in tx as a turn's fan-out is stored (the
// message as JSON under its platform), for tests of the dispatcher.
func Outbox(tx *core.Tx, m bots.Message, coalesce string) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return tx.Enqueue(m.Platform, raw, coalesce, time.Time{})
}
