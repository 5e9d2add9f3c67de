// Package telegram is the Telegram adapter of Engage. It receives updates, by its
// own long-polling loop or by a webhook checked against its secret token, turns
// them into bots.Event (commands typed in groups and private chats, button
// presses), sends the answers (HTML-escaped text split at 4096 characters, inline
// keyboards whose callback_data is the button's token, edits in place, photos and
// documents, a toast for every press), and is the Telegram bots.Sender of the
// outbox dispatcher, within Telegram's sending limits.
//
// It uses go-telegram-bot-api v5.5.1 for the wire types and the encoding of
// requests, and none of its receiving helpers: GetUpdatesChan confirms updates
// before they are handled (a crash loses them) and ListenForWebhook checks no
// secret. Every call carries a context, which the library does not.
//
// telegram imports bots (and core for error codes), never store, prompts or
// another adapter.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/engage-org/engage/bots"
)

// Handler answers events (bots.Bot).
type Handler interface {
	Handle(ctx context.Context, ev bots.Event) ([]bots.Message, error)
	Postpone(ctx context.Context, msgs ...bots.Message) error
	MoveChat(ctx context.Context, platform, from, to string) error
}

// Receiving modes.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// Config configures an Adapter.
type Config struct {
	Token string // from BotFather; never logged
	// APIURL is the Bot API server ("https://api.telegram.org", or a self-hosted one).
	APIURL string
	Mode   string // ModePolling (default) or ModeWebhook
	// WebhookURL is the public HTTPS URL Telegram posts updates to; its path is
	// where Webhook is mounted. WebhookSecret (1-256 of A-Z a-z 0-9 _ -) must
	// come with every delivery.
	WebhookURL    string
	WebhookSecret string
	// Workers bounds the updates handled at once (default 128): button presses
	// of different people run together and share one commit of the store (with
	// 128 rather than 32, a burst of presses costs about a fifth less CPU each:
	// fewer commits, fewer edits of the poll).
	Workers int
	Handler Handler
	// Menus are the command menus to register at start, by language code ("" for
	// everyone else).
	Menus map[string][]bots.CommandInfo
	// Limits are the sending limits (zero: TelegramLimits).
	Limits Limits
	// PollTimeout is the long poll's wait (default 50 s).
	PollTimeout time.Duration
	// HTTPClient makes the calls (default: one whose timeout outlasts a long poll).
	HTTPClient *http.Client
	Log        *slog.Logger
	// Inbox, when set, keeps every update durably from its receipt until it is
	// handled (see inbox.go): the getUpdates offset then moves past updates as
	// soon as they are stored, and the webhook answers 200 once they are.
	Inbox bots.Inbox
}

// Adapter is the Telegram adapter. It is safe for concurrent use.
type Adapter struct {
	cfg         Config
	log         *slog.Logger
	api         *client
	handler     Handler
	name        string // the bot's username
	limits      Limits
	pace        *pacer
	pollTimeout time.Duration
	running     atomic.Pointer[orderer] // set while Run runs
	inflight    *gate                   // updates received and not handled yet (with an Inbox)
	// confirmed is the offset of the last getUpdates Telegram answered: it
	// forgot every update below it, which therefore never comes again.
	confirmed atomic.Int64
}

// New checks the configuration and the token (getMe) and returns the adapter.
func New(ctx context.Context, cfg Config) (*Adapter, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: no token")
	}
	if cfg.Handler == nil {
		return nil, errors.New("telegram: no handler")
	}
	switch cfg.Mode {
	case "":
		cfg.Mode = ModePolling
	case ModePolling:
	case ModeWebhook:
		u, err := url.Parse(cfg.WebhookURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("telegram: webhook mode needs webhook_url, an https URL (got %q)", cfg.WebhookURL)
		}
		if !validSecret(cfg.WebhookSecret) {
			return nil, errors.New("telegram: webhook mode needs webhook_secret: 1 to 256 of A-Z a-z 0-9 _ -")
		}
	default:
		return nil, fmt.Errorf("telegram: mode %q is neither polling nor webhook", cfg.Mode)
	}
	if cfg.APIURL == "" {
		cfg.APIURL = "https://api.telegram.org"
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 128
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = TelegramLimits
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 50 * time.Second
	}
	if cfg.HTTPClient == nil {
		// Answers, sends and polls run at once: keep a connection for each.
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 256
		cfg.HTTPClient = &http.Client{Timeout: cfg.PollTimeout + 20*time.Second, Transport: tr}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	api, err := newClient(ctx, cfg.Token, cfg.APIURL, cfg.HTTPClient)
	if err != nil {
		return nil, fmt.Errorf("telegram: check token: %w", err)
	}
	a := &Adapter{
		cfg: cfg, log: cfg.Log, api: api, handler: cfg.Handler, name: api.bot.Self.UserName,
		limits: cfg.Limits, pace: newPacer(cfg.Limits, nil), pollTimeout: cfg.PollTimeout, inflight: newGate(),
	}
	return a, nil
}

// Username is the bot's @name, without the @.
func (a *Adapter) Username() string { return a.name }

// Run registers the command menus, then receives updates until ctx ends: by long
// polling, or by webhook (Webhook must then be mounted on the HTTP listener). It
// returns once the updates being handled are done.
func (a *Adapter) Run(ctx context.Context) error {
	o := newOrderer(ctx, a.cfg.Workers)
	a.running.Store(o)
	defer func() {
		a.running.Store(nil)
		o.wait()
	}()
	a.setCommands(ctx)
	a.log.Info("telegram adapter running", "bot", a.name, "mode", a.cfg.Mode, "inbox", a.cfg.Inbox != nil)
	recovered := a.recoverInbox(ctx, o)
	if a.cfg.Mode == ModeWebhook {
		if err := a.setWebhook(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("telegram: set webhook: %w", err)
		}
		<-ctx.Done()
		return nil
	}
	if err := a.deleteWebhook(ctx); err != nil && ctx.Err() == nil {
		a.log.Warn("delete webhook", "err", err)
	}
	if a.cfg.Inbox != nil {
		return a.pollInbox(ctx, o, recovered)
	}
	return a.poll(ctx, o)
}

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// setCommands registers the command menus (setMyCommands), once per language.
func (a *Adapter) setCommands(ctx context.Context) {
	for lang, menu := range a.cfg.Menus {
		var cmds []tgbotapi.BotCommand
		for _, c := range menu {
			if commandName.MatchString(c.Name) && c.Description != "" {
				cmds = append(cmds, tgbotapi.BotCommand{Command: c.Name, Description: clipUnits(c.Description, 256)})
			}
		}
		if len(cmds) == 0 {
			continue
		}
		cfg := tgbotapi.NewSetMyCommands(cmds...)
		cfg.LanguageCode = lang
		if _, err := a.api.request(ctx, "setMyCommands", cfg, false); err != nil {
			a.log.Warn("set command menu", "lang", lang, "err", err)
		}
	}
}
