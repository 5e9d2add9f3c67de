// Package discord is the Discord adapter of Engage. It receives what people do —
// slash commands, buttons, select menus and modals (interactions), and messages
// written to the bot directly or in a server's channels — over the gateway or, in
// http mode, on a signed interactions endpoint, and turns each into a bots.Event; it
// answers every interaction within Discord's three seconds (at once, or deferred and
// followed up), and it is the outbox Sender of platform "discord": messages, edits in
// place, embeds, attachments, direct messages through a user channel, within
// Discord's rate limits.
//
// It registers the chat language as application commands with typed options,
// completion of IDs as they are typed, and French names and descriptions.
//
// discord imports bots (and discordgo); it never imports store, prompts or another
// adapter. Its texts (command descriptions) are given by cmd/engage through Texts.
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/engage-org/engage/bots"
)

// Handler answers events and completes IDs: the bot.
type Handler interface {
	Handle(ctx context.Context, ev bots.Event) ([]bots.Message, error)
	Suggest(ctx context.Context, ev bots.Event, kind, prefix string) ([]bots.Suggestion, error)
}

// Modes of receiving.
const (
	ModeGateway = "gateway" // a websocket to Discord's gateway (the default)
	ModeHTTP    = "http"    // an interactions endpoint Discord posts to (Route)
)

// reconnectPause is the wait before reconnecting a dropped gateway connection.
const reconnectPause = time.Second

// Route is where the interactions endpoint is served in http mode.
const Route = "POST /discord/interactions"

// DefaultAPIURL is the REST base of Discord's API version discordgo speaks.
const DefaultAPIURL = "https://discord.com/api/v9"

// Config configures an Adapter.
type Config struct {
	Token         string // the bot token, without "Bot "
	ApplicationID string // found from the token when empty
	PublicKey     string // hex; http mode checks signatures with it
	Mode          string // ModeGateway (default) or ModeHTTP
	APIURL        string // REST base (default DefaultAPIURL); the gateway comes from GET /gateway/bot on it
	// GuildID registers the commands in that server only (instant: development);
	// empty registers them globally.
	GuildID string
	// MessageContent asks for the privileged intent to read what members write in
	// servers (typed commands); direct messages are read without it.
	MessageContent bool
	// ShardCount > 0 runs shard ShardID of ShardCount in this process; 0 runs every
	// shard Discord recommends.
	ShardID, ShardCount int

	Handler Handler
	// Commands are the names of the chat language's commands the bot knows
	// (bots.Bot.Commands); only those are registered. Nil registers every one the
	// adapter has a slash command for.
	Commands []string
	Texts    Texts
	// Lang is the language of the adapter's own words where the reader is not
	// known (a select menu's placeholder): "fr" or "en" (default).
	Lang string
	Log  *slog.Logger
	// DeferAfter is how long an interaction's answer may take before the adapter
	// defers it and follows up (default 1.5 s; Discord allows 3 s).
	DeferAfter time.Duration
	// MaxSkew is how far from now a signed request's timestamp may be (default 5 min).
	MaxSkew time.Duration
	// Transport carries the REST requests (default http.DefaultTransport).
	Transport http.RoundTripper
	// Now is the clock signatures are checked against (default time.Now).
	Now func() time.Time
	// Inbox, when set, keeps every interaction and message durably from its
	// receipt until it is handled (see inbox.go).
	Inbox bots.Inbox
}

// Adapter is the Discord adapter. It is safe for concurrent use.
type Adapter struct {
	cfg    Config
	log    *slog.Logger
	client *http.Client
	rest   *discordgo.Session // REST calls (every shard shares its client)
	cat    *catalog
	pub    ed25519.PublicKey
	replay *bots.ReplayGuard // http mode: requests taken (a replay is refused)

	// life is the adapter's own lifetime: follow-ups outlive the HTTP request or
	// gateway event that started them, until Run returns.
	life context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup // in-flight interactions, messages and their follow-ups
	busy chan struct{}  // bounds the events handled at once

	mu    sync.Mutex // guards the fields below
	appID string
	botID string
	dms   map[string]string // user ID → direct-message channel ID
	lanes map[string]*lane  // chat ID → messages waiting, handled in order
}

var _ bots.Sender = (*Adapter)(nil)

// New checks cfg and returns an adapter; Run starts it.
func New(cfg Config) (*Adapter, error) {
	if cfg.Token == "" {
		return nil, errors.New("discord: no token")
	}
	if cfg.Handler == nil {
		return nil, errors.New("discord: no handler")
	}
	if cfg.Mode == "" {
		cfg.Mode = ModeGateway
	}
	if cfg.Mode != ModeGateway && cfg.Mode != ModeHTTP {
		return nil, fmt.Errorf("discord: mode %q is not gateway or http", cfg.Mode)
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	base, err := url.Parse(strings.TrimSuffix(cfg.APIURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("discord: api_url %q is not an http(s) URL", cfg.APIURL)
	}
	if cfg.ShardCount < 0 || cfg.ShardID < 0 || (cfg.ShardCount > 0 && cfg.ShardID >= cfg.ShardCount) {
		return nil, fmt.Errorf("discord: shard %d of %d does not exist", cfg.ShardID, cfg.ShardCount)
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.DeferAfter <= 0 {
		cfg.DeferAfter = 1500 * time.Millisecond
	}
	if cfg.MaxSkew <= 0 {
		cfg.MaxSkew = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Lang == "" {
		cfg.Lang = "en"
	}
	a := &Adapter{
		cfg: cfg, log: cfg.Log, cat: newCatalog(cfg.Texts, cfg.Commands), appID: cfg.ApplicationID,
		busy: make(chan struct{}, 64), dms: map[string]string{}, lanes: map[string]*lane{},
	}
	if cfg.Mode == ModeHTTP {
		key, err := hex.DecodeString(cfg.PublicKey)
		if err != nil || len(key) != ed25519.PublicKeySize {
			return nil, errors.New("discord: http mode needs public_key, the application's public key in hex")
		}
		a.pub = key
		a.replay = bots.NewReplayGuard(cfg.MaxSkew, cfg.Now)
	}
	a.client = &http.Client{Transport: newTransport(base, cfg.Transport, cfg.Log), Timeout: 30 * time.Second}
	a.rest = a.session(0, 1)
	a.life, a.stop = context.WithCancel(context.Background())
	return a, nil
}

// session returns a discordgo session for shard id of count, on the shared client.
func (a *Adapter) session(id, count int) *discordgo.Session {
	s, _ := discordgo.New("Bot " + a.cfg.Token) // New never fails
	s.Client = a.client
	s.ShouldRetryOnRateLimit = false // the transport waits, with the context
	s.ShouldReconnectOnError = false // runShard reconnects, with the context
	s.StateEnabled = false
	s.SyncEvents = true // events are handed to owned goroutines, never discordgo's
	s.LogLevel = -1     // discordgo logs unstructured to stderr; runShard logs the lifecycle
	s.ShardID, s.ShardCount = id, count
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	if a.cfg.MessageContent {
		s.Identify.Intents |= discordgo.IntentMessageContent
	}
	return s
}

// Run registers the commands, then receives until ctx ends: over the gateway, or
// (http mode) through Route, which the service's HTTP listener serves. In-flight
// interactions finish before it returns.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.shutdown()
	if err := a.register(ctx); err != nil {
		if permanent(err) {
			return fmt.Errorf("discord: register commands: %w", err)
		}
		a.log.Warn("discord commands not registered", "err", err)
	}
	a.recoverInbox(ctx)
	if a.cfg.Mode == ModeHTTP {
		a.log.Info("discord interactions endpoint ready", "route", Route)
		<-ctx.Done()
		return nil
	}
	return a.runGateway(ctx)
}

// shutdown lets in-flight work finish (for a while), then ends the adapter's life.
func (a *Adapter) shutdown() {
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		a.log.Warn("discord: in-flight work cut short at shutdown")
	}
	a.stop()
	<-done
}

// runGateway connects the shards and keeps them connected until ctx ends.
func (a *Adapter) runGateway(ctx context.Context) error {
	ids, count, concurrency := []int{a.cfg.ShardID}, a.cfg.ShardCount, 1
	if count == 0 {
		gb, err := a.rest.GatewayBot(discordgo.WithContext(ctx))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("discord: gateway: %w", err)
		}
		count, concurrency = max(gb.Shards, 1), max(gb.SessionStartLimit.MaxConcurrency, 1)
		ids = ids[:0]
		for i := range count {
			ids = append(ids, i)
		}
	}
	var wg sync.WaitGroup
	for i, id := range ids {
		// Discord allows max_concurrency IDENTIFYs every 5 seconds.
		if i > 0 && i%concurrency == 0 {
			if bots.Sleep(ctx, 5*time.Second) != nil {
				break
			}
		}
		wg.Go(func() { a.runShard(ctx, id, count) })
	}
	wg.Wait()
	return nil
}

// runShard keeps one shard connected until ctx ends, reconnecting (and resuming)
// with backoff when the connection drops.
func (a *Adapter) runShard(ctx context.Context, id, count int) {
	s := a.session(id, count)
	down := make(chan struct{}, 1)
	s.AddHandler(func(_ *discordgo.Session, e *discordgo.Event) { a.dispatch(e) })
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		select {
		case down <- struct{}{}:
		default:
		}
	})
	log := a.log.With("shard", id, "shards", count)
	wait := time.Second
	for ctx.Err() == nil {
		select {
		case <-down: // a stale signal from the last connection
		default:
		}
		if err := s.Open(); err != nil {
			log.Warn("discord gateway connection failed", "err", err, "retry_in", wait)
			if bots.Sleep(ctx, wait) != nil {
				return
			}
			wait = min(2*wait, 2*time.Minute)
			continue
		}
		log.Info("discord gateway connected")
		wait = time.Second
		select {
		case <-ctx.Done():
			if err := s.Close(); err != nil {
				log.Warn("discord gateway close", "err", err)
			}
			return
		case <-down:
			log.Warn("discord gateway disconnected, reconnecting")
		}
		// discordgo's goroutines of the dropped connection may still close "the"
		// connection (whichever is current) once: let them, before opening anew.
		if bots.Sleep(ctx, reconnectPause) != nil {
			return
		}
	}
}

// dispatch takes one gateway event. It runs on the shard's reading goroutine, so
// it only decodes and hands over.
func (a *Adapter) dispatch(e *discordgo.Event) {
	switch e.Type {
	case "READY":
		var r struct {
			User struct {
				ID string `json:"id"`
			} `json:"user"`
			Application struct {
				ID string `json:"id"`
			} `json:"application"`
		}
		if decodeJSON(e.RawData, &r) == nil {
			a.mu.Lock()
			a.botID = r.User.ID
			if a.appID == "" {
				a.appID = r.Application.ID
			}
			a.mu.Unlock()
		}
	case "INTERACTION_CREATE":
		in, err := decodeInteraction(e.RawData, a.cfg.Now())
		if err != nil {
			a.log.Warn("discord interaction undecodable", "err", err)
			return
		}
		a.wg.Go(func() {
			// Stored first (handled all the same when it cannot be: the
			// gateway acknowledges nothing, and would not send it again).
			a.keepInteraction(a.life, in, e.RawData)
			a.interact(in, a.restResponder(in))
		})
	case "MESSAGE_CREATE":
		a.mu.Lock()
		bot := a.botID
		a.mu.Unlock()
		ev, ok := decodeMessage(e.RawData, bot)
		if ok {
			ev, _ = a.keepMessage(ev, e.RawData, bot)
			a.enqueue(ev)
		}
	}
}
