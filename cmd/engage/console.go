package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/engage-org/engage/adapters/console"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// The demo communities of `engage console --demo`, one per language.
var (
	//go:embed demo.txt
	demoScript string
	//go:embed demo.en.txt
	demoScriptEn string
)

// runConsole is `engage console`: a chat in the terminal on an embedded database.
func runConsole(ctx context.Context, args []string, env Env) error {
	fs := flagSet("console", env)
	lang := fs.String("lang", "", "your language: fr or en (default: community.lang)")
	nowFlag := fs.String("now", "", "start the clock at this time (2026-12-01T09:00, UTC unless an offset is given); default: the real clock")
	demo := fs.Bool("demo", false, "first fill the database with an example community (in English with --lang en)")
	files := fs.String("files", "", "the folder attachments (charts, calendar files, CSV) are written to (default: DB-files beside the database)")
	cfg, err := localConfig(fs, "console", args, env)
	if err != nil {
		return err
	}
	if *lang != "" {
		if !core.ValidLang(*lang) {
			fmt.Fprint(env.Stderr, cliText("cli.bad_flag", cliFlagText{Cmd: "console", Flag: "--lang", Value: *lang}))
			return errUsage
		}
		cfg.Community.Lang = *lang
	}
	if *files == "" {
		*files = filesBeside(cfg.Store)
	}
	var start time.Time
	if *nowFlag != "" {
		if start, err = console.ParseClock(*nowFlag, time.Time{}); err != nil || strings.HasPrefix(*nowFlag, "+") {
			fmt.Fprint(env.Stderr, cliText("cli.bad_flag", cliFlagText{Cmd: "console", Flag: "--now", Value: *nowFlag}))
			return errUsage
		}
	}
	clock := bots.NewClock(start)
	log := newLogger(LogConfig{Level: "error"}, env.Stderr)
	a, err := openApp(cfg, clock.Now, log, nil)
	if err != nil {
		return err
	}
	defer a.Close()

	var con *console.Console
	senders := map[string]bots.Sender{}
	disp := outbox.NewDispatcher(a.eng, a.bot, senders, log, nil)
	// One thing at a time: the lines typed, and (with a running clock at a
	// terminal) the ticker that fires what falls due meanwhile.
	var mu sync.Mutex
	serial := func(fn func(context.Context) error) func(context.Context) error {
		return func(ctx context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			return fn(ctx)
		}
	}
	advance := func(ctx context.Context, to time.Time) error { return a.sched.Advance(ctx, to, clock, disp.Flush) }
	mk := func(in io.Reader, out io.Writer, prompt string) *console.Console {
		return console.New(console.Config{
			In: in, Out: out, Errs: env.Stderr, Handler: lockedHandler{&mu, a.bot}, Flush: serial(disp.Flush), Now: clock.Now, Lang: *lang, Prompt: prompt, Files: *files,
			Drain: serial(func(ctx context.Context) error {
				if _, err := a.eng.Update(ctx, func(tx *core.Tx) error { _, err := tx.OutboxDueNow(); return err }); err != nil {
					return err
				}
				return disp.Flush(ctx)
			}),
			Advance: func(ctx context.Context, to time.Time) error {
				return serial(func(ctx context.Context) error { return advance(ctx, to) })(ctx)
			},
		})
	}
	if *demo {
		fresh, err := isEmpty(ctx, a.eng)
		if err != nil {
			return err
		}
		if !fresh { // a community is there already: the demo would be a second one
			fmt.Fprint(env.Stdout, cliTextIn(cfg.Community.Lang, "cli.demo_exists", cliDemoExistsText{DB: cfg.Store.Path}))
		} else {
			script := demoScript
			if cfg.Community.Lang == "en" {
				script = demoScriptEn
			}
			con = mk(strings.NewReader(script), io.Discard, "")
			senders[bots.PlatformConsole] = con
			if err := con.Run(ctx); err != nil {
				return fmt.Errorf("load the demo: %w", err)
			}
			fmt.Fprint(env.Stdout, cliTextIn(cfg.Community.Lang, "cli.demo", nil))
		}
	}
	prompt := ""
	if f, ok := env.Stdin.(*os.File); ok && isTerminal(f) {
		prompt = "> "
	}
	con = mk(env.Stdin, env.Stdout, prompt)
	senders[bots.PlatformConsole] = con
	if prompt == "" || !start.IsZero() {
		return con.Run(ctx)
	}
	// At a terminal on the real clock, deadlines, reminders and throttled edits
	// show when they fall due, not only at the next line typed.
	tickCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-tickCtx.Done():
				return
			case <-t.C:
				mu.Lock()
				err := advance(tickCtx, clock.Now())
				mu.Unlock()
				if err != nil && tickCtx.Err() == nil {
					log.Error("console clock", "err", err)
				}
			}
		}
	})
	err = con.Run(ctx)
	stop()
	wg.Wait()
	return err
}

// filesBeside is the default attachment folder: NAME-files beside a bbolt database
// NAME.db, engage-files in the current folder for another store.
func filesBeside(st StoreConfig) string {
	if st.Driver != "" && st.Driver != "bolt" || st.Path == "" {
		return "engage-files"
	}
	return strings.TrimSuffix(st.Path, filepath.Ext(st.Path)) + "-files"
}

// lockedHandler handles one event at a time under mu.
type lockedHandler struct {
	mu *sync.Mutex
	h  console.Handler
}

func (l lockedHandler) Handle(ctx context.Context, ev bots.Event) ([]bots.Message, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.h.Handle(ctx, ev)
}

// isEmpty reports whether the store holds no community yet.
func isEmpty(ctx context.Context, e *core.Engine) (bool, error) {
	var empty bool
	err := e.View(ctx, func(tx *core.Tx) error {
		cs, err := tx.Communities()
		empty = len(cs) == 0
		return err
	})
	return empty, err
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// cliDemoExistsText is what the text cli.demo_exists shows.
type cliDemoExistsText struct {
	DB string
}
