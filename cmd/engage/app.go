package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/llm"
	"github.com/engage-org/engage/prompts"
	"github.com/engage-org/engage/store/boltstore"
)

// errUsage reports a bad command line; the flag package has printed why.
var errUsage = errors.New("usage")

var catalog = sync.OnceValues(prompts.Load)

// cliText renders a command-line text in the operator's language (cliLang).
func cliText(key string, data any) string { return cliTextIn(cliLang(os.Getenv), key, data) }

// cliLang is the operator's language: ENGAGE_LANG, else the locale's (LC_ALL,
// LC_MESSAGES, LANG: "fr_FR.UTF-8" is French) when Engage speaks it, else English.
func cliLang(getenv func(string) string) string {
	for _, v := range []string{"ENGAGE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		l := strings.ToLower(getenv(v))
		if l == "" {
			continue
		}
		if len(l) >= 2 && core.ValidLang(l[:2]) && (len(l) == 2 || !unicode.IsLetter(rune(l[2]))) {
			return l[:2]
		}
		return "en" // the first one set decides, as for gettext
	}
	return "en"
}

// cliTextIn renders a command-line text in lang.
func cliTextIn(lang, key string, data any) string {
	cat, err := catalog()
	if err != nil {
		return key + "\n"
	}
	return cat.Text(lang, key, data) + "\n"
}

// app is the wired engine: store, engine, bot, dispatcher and scheduler.
type app struct {
	cfg   Config
	log   *slog.Logger
	store core.Store
	bolt  *boltstore.DB // the store when it is bbolt (backups)
	eng   *core.Engine
	bot   *bots.Bot
	sched *bots.Scheduler
}

// openApp opens the configured store and builds the engine and bot on it.
func openApp(cfg Config, now func() time.Time, log *slog.Logger, m bots.Metrics) (*app, error) {
	a := &app{cfg: cfg, log: log}
	if c := cfg.Community.Currency; c != "" && !core.ValidCurrency(c) {
		return nil, fmt.Errorf("community.currency: %q is not an ISO 4217 currency engage knows", c)
	}
	if cfg.Community.PledgeCeiling < 0 || cfg.Community.PledgeCeiling > core.MaxMajor {
		return nil, fmt.Errorf("community.pledge_ceiling: %d is out of range (1 to %d)", cfg.Community.PledgeCeiling, int64(core.MaxMajor))
	}
	if n := cfg.Community.MaxProxies; n < 0 || n > core.MaxProxiesLimit {
		return nil, fmt.Errorf("community.max_proxies: %d is out of range (1 to %d)", n, core.MaxProxiesLimit)
	}
	switch cfg.Store.Driver {
	case "", "bolt":
		db, err := boltstore.Open(cfg.Store.Path, boltstore.Options{Timeout: time.Second})
		if err != nil {
			return nil, fmt.Errorf("%w (is another engage using %s?)", err, cfg.Store.Path)
		}
		a.store, a.bolt = db, db
	case "postgres":
		db, err := openPostgres(cfg.Store.DSN)
		if err != nil {
			return nil, err
		}
		a.store = db
	default:
		return nil, fmt.Errorf("store.driver %q is not supported", cfg.Store.Driver)
	}
	cat, err := catalog()
	if err != nil {
		a.store.Close()
		return nil, err
	}
	model, err := openModel(cfg.LLM, log)
	if err != nil {
		a.store.Close()
		return nil, err
	}
	a.eng = core.New(a.store, now)
	if cfg.Votes.Secret != "" {
		if a.eng.SetBallotSecret(cfg.Votes.Secret) != nil {
			a.store.Close()
			return nil, errors.New("votes.secret (ENGAGE_VOTES_SECRET) must be at least 16 characters long")
		}
	}
	if cfg.Web.Secret != "" {
		if a.eng.SetDashboardSecret(cfg.Web.Secret) != nil {
			a.store.Close()
			return nil, errors.New("web.secret (ENGAGE_WEB_SECRET) must be at least 16 characters long")
		}
	}
	a.bot = bots.New(a.eng, cat, bots.Config{
		Lang: cfg.Community.Lang, TimeZone: cfg.Community.TimeZone, Log: log.With("component", "bots"), Metrics: m,
		PledgeCeiling: cfg.Community.PledgeCeiling, Currency: cfg.Community.Currency,
		MaxProxies: cfg.Community.MaxProxies,
		Model:      model, ModelBudget: cfg.LLM.MonthlyCalls, WebURL: cfg.HTTP.PublicURL,
	})
	a.sched = bots.NewScheduler(a.bot)
	return a, nil
}

// openModel returns the configured language model, or nil when llm.base_url is
// not set. The API key is never logged.
func openModel(cfg LLMConfig, log *slog.Logger) (*llm.Model, error) {
	if strings.TrimSpace(cfg.BaseURL) == "" {
		return nil, nil
	}
	if cfg.Timeout < time.Second || cfg.Timeout > 25*time.Second {
		return nil, fmt.Errorf("llm.timeout: %s is out of range (1s to 25s: a person waits for the answer)", cfg.Timeout)
	}
	if cfg.MonthlyCalls < 1 {
		return nil, fmt.Errorf("llm.monthly_calls: %d is out of range (at least 1)", cfg.MonthlyCalls)
	}
	m, err := llm.NewModel(llm.ModelConfig{
		BaseURL: cfg.BaseURL, Name: cfg.Model, APIKey: cfg.APIKey, Timeout: cfg.Timeout, Log: log.With("component", "llm"),
	})
	if err != nil {
		return nil, err
	}
	log.Info("language model configured", "model", cfg.Model, "timeout", cfg.Timeout, "monthly_calls", cfg.MonthlyCalls)
	return m, nil
}

// Close closes the store.
func (a *app) Close() error { return a.store.Close() }

// newLogger builds the process's logger from the log settings.
func newLogger(cfg LogConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Level))
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(cfg.Format, "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// flagSet returns a flag set that reports errors to env.Stderr.
func flagSet(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet("engage "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// configPath is --config, else ENGAGE_CONFIG.
func configPath(flagValue string, getenv func(string) string) string {
	if flagValue != "" {
		return flagValue
	}
	return getenv("ENGAGE_CONFIG")
}

// cliArgText is what the text cli.unexpected_arg shows.
type cliArgText struct{ Cmd, Arg string }

// cliFlagText is what the text cli.bad_flag shows.
type cliFlagText struct{ Cmd, Flag, Value string }

// localConfig ends the flags of a command that works on a local database (console,
// web): it adds --db and --config to fs, parses args, refuses a stray argument and
// loads the configuration, --db applied.
func localConfig(fs *flag.FlagSet, name string, args []string, env Env) (Config, error) {
	db := fs.String("db", "", "the bbolt database file (default: store.path, engage.db)")
	cfgFile := fs.String("config", "", "configuration file (default: $ENGAGE_CONFIG)")
	if err := fs.Parse(args); err != nil {
		return Config{}, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprint(env.Stderr, cliText("cli.unexpected_arg", cliArgText{Cmd: name, Arg: fs.Arg(0)}))
		return Config{}, errUsage
	}
	cfg, err := LoadConfig(configPath(*cfgFile, env.Getenv), env.Getenv)
	if err != nil {
		return Config{}, err
	}
	if *db != "" {
		cfg.Store.Driver, cfg.Store.Path = "bolt", *db
	}
	return cfg, nil
}
