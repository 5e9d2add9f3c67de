// Package slack is the Slack adapter of Engage. It receives what people do in
// Slack — the /engage slash command, mentions of the app, direct messages to it,
// button presses and menu choices, modals sent — over Socket Mode (the default: no
// public URL) or over HTTP (Events API and interactivity, each request's signature
// checked), acknowledges each delivery at once and turns it into a bots.Event; it
// renders the bot's bots.Messages as Block Kit (mrkdwn sections, buttons carrying
// the bot's tokens, menus, modals for forms) and is the outbox Sender of the
// "slack" platform, within Slack's rate limits.
//
// Conversation IDs are Slack's channel IDs ("C0123"); user IDs are Slack's
// ("U0456"). When several workspaces are served, the IDs of all but the first
// are qualified by their team ID ("T0789:C0123"), so that a message finds its
// workspace's token.
//
// slack imports bots (and core for error codes only); never store, prompts or
// another adapter. Nothing of slack-go crosses into bots.
package slack

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
	slackapi "github.com/slack-go/slack"
)

// Modes of receiving.
const (
	ModeSocket = "socket" // Socket Mode: the app connects out (app-level token)
	ModeHTTP   = "http"   // Events API and interactivity over HTTP (signing secret)
)

// DefaultAPIURL is Slack's Web API.
const DefaultAPIURL = "https://slack.com/api/"

// Handler answers events (bots.Bot).
type Handler interface {
	Handle(ctx context.Context, ev bots.Event) ([]bots.Message, error)
}

// Config configures the adapter.
type Config struct {
	// BotToken ("xoxb-…") is the first workspace's bot token. Required.
	BotToken string
	// AppToken ("xapp-…") is the app-level token Socket Mode connects with.
	AppToken string
	// SigningSecret checks the requests Slack sends in HTTP mode.
	SigningSecret string
	// Mode is ModeSocket (default) or ModeHTTP.
	Mode string
	// APIURL is the Web API's base URL (default DefaultAPIURL); Socket Mode
	// connects to the URL that apps.connections.open returns there.
	APIURL string
	// Workspaces are further workspaces: each has its bot token and, in Socket
	// Mode, may have its own app token (another app); without one its events come
	// through the first workspace's connection (one app installed in several).
	Workspaces []Workspace
	// Handler answers events. Required.
	Handler Handler
	// Inbox, when set, keeps every delivery (HTTP or Socket Mode) durably from
	// before it is acknowledged until its event is handled (see bots.Inbox);
	// without it an acknowledged delivery waits in memory only.
	Inbox bots.Inbox
	// Log receives the adapter's logs; nil discards them.
	Log *slog.Logger
	// HTTPClient makes the Web API calls (default: one with a 30 s timeout).
	HTTPClient *http.Client
	// Workers bounds the events handled at once (default 8); events of one chat
	// are handled in order.
	Workers int
	// ChannelInterval is the pace of posts to one channel (default 1 s, Slack's
	// documented limit); a burst of three is allowed.
	ChannelInterval time.Duration
	// PingInterval is how long Socket Mode waits for Slack's ping before it
	// reconnects (default 30 s).
	PingInterval time.Duration
	// HandleTimeout bounds the handling of one event (default 30 s).
	HandleTimeout time.Duration
}

// Workspace is one further workspace.
type Workspace struct {
	Name     string
	BotToken string
	AppToken string
}

// webAPI is the part of the Slack Web API the adapter calls (*slack.Client).
type webAPI interface {
	AuthTestContext(ctx context.Context) (*slackapi.AuthTestResponse, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slackapi.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slackapi.MsgOption) (string, string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slackapi.MsgOption) (string, error)
	OpenConversationContext(ctx context.Context, params *slackapi.OpenConversationParameters) (*slackapi.Channel, bool, bool, error)
	OpenViewContext(ctx context.Context, triggerID string, view slackapi.ModalViewRequest) (*slackapi.ViewResponse, error)
	UploadFileContext(ctx context.Context, params slackapi.UploadFileParameters) (*slackapi.FileSummary, error)
	GetUserInfoContext(ctx context.Context, user string, options ...slackapi.GetUserInfoOption) (*slackapi.User, error)
}

// workspace is one Slack workspace the adapter serves.
type workspace struct {
	key      string // its index, for the limits
	name     string
	primary  bool
	api      webAPI
	client   *slackapi.Client // for Socket Mode
	appToken string

	mu      sync.Mutex // guards team and botUser
	team    string     // from auth.test
	botUser string
}

func (w *workspace) ids() (team, botUser string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.team, w.botUser
}

// Adapter is the Slack adapter: its Run receives, its Send sends, its ServeHTTP
// takes HTTP deliveries.
type Adapter struct {
	cfg    Config
	log    *slog.Logger
	spaces []*workspace // the first is the primary
	limits *limiter
	seen   *recent           // event keys taken (a retried event is dropped)
	replay *bots.ReplayGuard // requests seen (a replayed request is refused)
	shards []chan job

	mu     sync.Mutex // guards the fields below
	byTeam map[string]*workspace
	dms    map[string]string   // qualified user → their direct-message channel
	users  map[string]userInfo // qualified user → name and locale
	state  int                 // 0 not started, 1 running, 2 stopped
}

// userInfo is what users.info told about a person, and when.
type userInfo struct {
	name, handle, locale string
	at                   time.Time
}

// job is one delivery to handle.
type job struct {
	ws *workspace
	in inbound
}

var _ bots.Sender = (*Adapter)(nil)

// New returns an adapter; it makes no network call.
func New(cfg Config) (*Adapter, error) {
	if cfg.BotToken == "" {
		return nil, errors.New("slack: a bot token is required")
	}
	if cfg.Handler == nil {
		return nil, errors.New("slack: a handler is required")
	}
	switch cfg.Mode {
	case "", ModeSocket:
		cfg.Mode = ModeSocket
		if cfg.AppToken == "" {
			return nil, errors.New("slack: Socket Mode needs an app-level token (xapp-…): set slack.app_token, or slack.mode: http with slack.signing_secret")
		}
	case ModeHTTP:
		if cfg.SigningSecret == "" {
			return nil, errors.New("slack: HTTP mode needs the app's signing secret (slack.signing_secret)")
		}
	default:
		return nil, fmt.Errorf("slack: mode %q is not socket or http", cfg.Mode)
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/" // slack-go appends the method name
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.ChannelInterval == 0 {
		cfg.ChannelInterval = time.Second
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = 30 * time.Second
	}
	if cfg.HandleTimeout <= 0 {
		cfg.HandleTimeout = 30 * time.Second
	}
	a := &Adapter{
		cfg: cfg, log: cfg.Log,
		limits: newLimiter(cfg.ChannelInterval, 3),
		seen:   newRecent(10 * time.Minute),
		replay: bots.NewReplayGuard(5*time.Minute, time.Now),
		byTeam: map[string]*workspace{}, dms: map[string]string{}, users: map[string]userInfo{},
	}
	a.spaces = append(a.spaces, a.newWorkspace("default", cfg.BotToken, cfg.AppToken, true))
	for i, w := range cfg.Workspaces {
		if w.BotToken == "" {
			return nil, fmt.Errorf("slack: workspace %d (%q) has no bot token", i+1, w.Name)
		}
		app := w.AppToken
		if cfg.Mode != ModeSocket {
			app = ""
		}
		a.spaces = append(a.spaces, a.newWorkspace(firstOf(w.Name, fmt.Sprintf("workspace %d", i+2)), w.BotToken, app, false))
	}
	for range cfg.Workers {
		a.shards = append(a.shards, make(chan job, 256))
	}
	return a, nil
}

func (a *Adapter) newWorkspace(name, bot, app string, primary bool) *workspace {
	opts := []slackapi.Option{slackapi.OptionAPIURL(a.cfg.APIURL), slackapi.OptionHTTPClient(a.cfg.HTTPClient)}
	if app != "" {
		opts = append(opts, slackapi.OptionAppLevelToken(app))
	}
	c := slackapi.New(bot, opts...)
	return &workspace{key: fmt.Sprint(len(a.spaces)), name: name, primary: primary, api: c, client: c, appToken: app}
}

// Run receives until ctx ends: it learns who the app is in each workspace, starts
// the workers and, in Socket Mode, the connections. It returns an error when a
// token is refused.
func (a *Adapter) Run(ctx context.Context) error {
	for _, w := range a.spaces {
		if err := a.identify(ctx, w); err != nil {
			return err
		}
	}
	a.mu.Lock()
	if a.state != 0 {
		a.mu.Unlock()
		return errors.New("slack: adapter already run")
	}
	a.state = 1
	a.mu.Unlock()
	a.log.Info("slack adapter running", "mode", a.cfg.Mode, "workspaces", len(a.spaces))

	var wg sync.WaitGroup
	for _, ch := range a.shards {
		wg.Go(func() { a.work(ctx, ch) })
	}
	a.recoverInbox(ctx)
	errs := make(chan error, len(a.spaces))
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if a.cfg.Mode == ModeSocket {
		for _, w := range a.spaces {
			if w.appToken == "" {
				continue
			}
			wg.Go(func() {
				if err := a.runSocket(runCtx, w); err != nil && runCtx.Err() == nil {
					errs <- err
					cancel()
				}
			})
		}
	}
	<-runCtx.Done()
	a.mu.Lock()
	a.state = 2
	a.mu.Unlock()
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// identify asks Slack who the bot is in w (auth.test), retrying while Slack is
// unreachable; a refused token is an error.
func (a *Adapter) identify(ctx context.Context, w *workspace) error {
	for attempt := 0; ; attempt++ {
		res, err := w.api.AuthTestContext(ctx)
		if err == nil {
			w.mu.Lock()
			w.team, w.botUser = res.TeamID, res.UserID
			w.mu.Unlock()
			a.mu.Lock()
			a.byTeam[res.TeamID] = w
			a.mu.Unlock()
			a.log.Info("slack workspace", "workspace", w.name, "team_id", res.TeamID, "bot_user", res.UserID)
			return nil
		}
		var se slackapi.SlackErrorResponse
		if errors.As(err, &se) {
			return fmt.Errorf("slack workspace %s: the bot token is refused: %w", w.name, err)
		}
		a.log.Warn("slack auth.test failed, retrying", "workspace", w.name, "err", err)
		if err := bots.Sleep(ctx, backoff(attempt)); err != nil {
			return nil // shutting down
		}
	}
}

// backoff is the wait after the n-th failure: 1 s doubling up to 1 min.
func backoff(n int) time.Duration {
	return min(time.Second<<min(n, 6), time.Minute)
}

// workspaceOf returns the workspace of a team ("" or unknown: the one the
// delivery came through).
func (a *Adapter) workspaceOf(team string, via *workspace) *workspace {
	a.mu.Lock()
	defer a.mu.Unlock()
	if w, ok := a.byTeam[team]; ok && team != "" {
		return w
	}
	return via
}

// qualify makes a workspace's own ID (channel or user) an adapter-wide one.
func qualify(w *workspace, id string) string {
	if w.primary || id == "" {
		return id
	}
	team, _ := w.ids()
	return team + ":" + id
}

// resolve splits an adapter-wide ID into its workspace and the workspace's own ID.
func (a *Adapter) resolve(id string) (*workspace, string, error) {
	team, raw, ok := strings.Cut(id, ":")
	if !ok {
		return a.spaces[0], id, nil
	}
	a.mu.Lock()
	w := a.byTeam[team]
	a.mu.Unlock()
	if w == nil {
		return nil, "", fmt.Errorf("slack: no workspace of team %q is configured", team)
	}
	return w, raw, nil
}

// accept takes a decoded delivery from w: a retried event is dropped; anything
// else is queued for its chat's worker. It reports false when the adapter is not
// running (HTTP then answers 503, so Slack retries).
func (a *Adapter) accept(ctx context.Context, via *workspace, in inbound) bool {
	w := a.workspaceOf(in.team, via)
	if in.team != "" {
		if team, _ := w.ids(); team != "" && team != in.team {
			a.log.Warn("slack delivery from an unknown workspace dropped", "team_id", in.team)
			a.inboxDone(in)
			return true
		}
	}
	if !a.seen.add(in.ev.Key) {
		a.log.Debug("slack delivery already taken", "key", in.ev.Key)
		a.inboxDone(in)
		return true
	}
	a.mu.Lock()
	stopped := a.state == 2
	a.mu.Unlock()
	if stopped {
		a.seen.remove(in.ev.Key)
		return false
	}
	if a.cfg.Inbox != nil && in.raw != nil && in.ev.Inbox == "" {
		// Durable before it is acknowledged: a crash from here on loses nothing.
		id, err := a.cfg.Inbox.Append(ctx, in.raw)
		if err != nil {
			a.log.Error("slack inbox: delivery not stored, Slack will retry it", "key", in.ev.Key, "err", err)
			a.seen.remove(in.ev.Key)
			return false
		}
		in.ev.Inbox = id
	}
	in.ev = a.qualifyEvent(w, in.ev)
	chat := in.ev.ChatID
	if in.ev.Direct {
		chat = "dm:" + in.ev.UserID
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(chat))
	select {
	case a.shards[h.Sum32()%uint32(len(a.shards))] <- job{ws: w, in: in}:
		return true
	case <-ctx.Done():
		a.seen.remove(in.ev.Key)
		return false
	}
}

// inboxDone deletes from the inbox a recovered delivery that will not be handled.
func (a *Adapter) inboxDone(in inbound) {
	if a.cfg.Inbox == nil || in.ev.Inbox == "" {
		return
	}
	if err := a.cfg.Inbox.Done(context.Background(), in.ev.Inbox); err != nil {
		a.log.Warn("slack inbox", "err", err)
	}
}

// qualifyEvent makes the IDs of an event from w adapter-wide.
func (a *Adapter) qualifyEvent(w *workspace, ev bots.Event) bots.Event {
	ev.ChatID, ev.UserID = qualify(w, ev.ChatID), qualify(w, ev.UserID)
	if len(ev.Mentions) > 0 {
		m := make(map[string]string, len(ev.Mentions))
		for tok, id := range ev.Mentions {
			m[tok] = qualify(w, id)
		}
		ev.Mentions = m
	}
	return ev
}

// work handles the jobs of one shard until ctx ends, then those already queued.
func (a *Adapter) work(ctx context.Context, ch chan job) {
	for {
		select {
		case j := <-ch:
			a.handle(ctx, j)
		case <-ctx.Done():
			// Deliveries already acknowledged are handled before stopping.
			drain, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			for {
				select {
				case j := <-ch:
					a.handle(drain, j)
				default:
					return
				}
			}
		}
	}
}

// handle answers one delivery: who the person is, the bot's answer, and its
// delivery (a modal opened with the trigger, messages sent).
func (a *Adapter) handle(ctx context.Context, j job) {
	ctx, cancel := context.WithTimeout(ctx, a.cfg.HandleTimeout)
	defer cancel()
	ev := j.in.ev
	a.describe(ctx, j.ws, &ev)
	out, err := a.cfg.Handler.Handle(ctx, ev)
	if err != nil {
		a.seen.remove(ev.Key) // nothing changed: a retry may try again
		a.log.Error("slack handle event", "key", ev.Key, "err", err)
	}
	for _, m := range out {
		if m.Form != nil {
			a.openForm(ctx, j.ws, j.in.trigger, ev, m)
			continue
		}
		a.deliver(ctx, m, j.in.response)
	}
	if r, ok := a.cfg.Handler.(bots.AnswerRecorder); ok && err == nil && ev.Key != "" {
		// A retry of this event (after a restart, to another instance) gets no
		// answer again.
		if err := r.AnswersSent(context.WithoutCancel(ctx), ev.Key); err != nil {
			a.log.Warn("slack: answers sent but not recorded", "key", ev.Key, "err", err)
		}
	}
}

// describe fills the person's name, handle and language from users.info (cached
// for an hour), keeping what the delivery said when Slack cannot be asked.
func (a *Adapter) describe(ctx context.Context, w *workspace, ev *bots.Event) {
	a.mu.Lock()
	u, ok := a.users[ev.UserID]
	a.mu.Unlock()
	if !ok || time.Since(u.at) > time.Hour {
		_, raw, err := a.resolve(ev.UserID)
		if err != nil {
			return
		}
		if wait := a.limits.reserve(w.key, "users.info", ""); wait > maxWait {
			return
		} else if bots.Sleep(ctx, wait) != nil {
			return
		}
		info, err := w.api.GetUserInfoContext(ctx, raw)
		if err != nil {
			a.log.Debug("slack users.info failed", "err", err)
			return
		}
		name := firstOf(info.Profile.DisplayName, info.RealName, info.Profile.RealName, info.Name)
		u = userInfo{name: name, handle: info.Name, locale: info.Locale, at: time.Now()}
		a.mu.Lock()
		if len(a.users) > 50000 {
			clear(a.users)
		}
		a.users[ev.UserID] = u
		a.mu.Unlock()
	}
	ev.UserName = firstOf(u.name, ev.UserName)
	ev.Handle = firstOf(u.handle, ev.Handle)
	if ev.Lang == "" {
		ev.Lang = u.locale
	}
}

// openForm shows a form as a modal, with the trigger of the press or command that
// asked for it.
func (a *Adapter) openForm(ctx context.Context, w *workspace, trigger string, ev bots.Event, m bots.Message) {
	if trigger == "" {
		a.log.Warn("slack form without a trigger dropped", "key", ev.Key)
		return
	}
	_, chat, err := a.resolve(ev.ChatID)
	if err != nil {
		return
	}
	view, ok := modal(m.Form, m.Text, chat, ev.Direct)
	if !ok {
		a.log.Warn("slack form cannot be shown", "key", ev.Key)
		return
	}
	// The trigger lasts 3 s: no waiting for a limit here.
	a.limits.reserve(w.key, "views.open", "")
	if _, err := w.api.OpenViewContext(ctx, trigger, view); err != nil {
		a.log.Warn("slack views.open failed", "key", ev.Key, "err", err)
	}
}

// deliver sends a direct answer, retrying a few times on a transient failure
// (these answers are not in the outbox). When the app may not post in the chat
// (a private channel it was not invited to), the answer goes to the interaction's
// response URL instead, which Slack accepts for a while wherever it came from.
func (a *Adapter) deliver(ctx context.Context, m bots.Message, responseURL string) {
	for attempt := 0; ; attempt++ {
		_, err := a.Send(ctx, m)
		if err == nil {
			return
		}
		code := core.ErrorCode(err)
		if (code == core.CodeNotFound || code == core.CodeForbidden) && responseURL != "" && !m.Direct {
			if err := a.respond(ctx, m, responseURL); err != nil {
				a.log.Warn("slack answer not sent to the response url", "err", err)
			}
			return
		}
		wait, ok := outbox.RetryAfter(err)
		if !ok {
			wait = backoff(attempt)
		}
		if !retryable(err) || attempt >= 3 || wait > 30*time.Second {
			a.log.Warn("slack answer not sent", "attempts", attempt+1, "err", err)
			return
		}
		if bots.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// respond posts an answer to an interaction's response URL.
func (a *Adapter) respond(ctx context.Context, m bots.Message, responseURL string) error {
	w, _, err := a.resolve(m.ChatID)
	if err != nil {
		return err
	}
	blocks, fallback := messageBlocks(m)
	kind := slackapi.ResponseTypeInChannel
	if m.Ephemeral {
		kind = slackapi.ResponseTypeEphemeral
	}
	_, _, err = w.api.PostMessageContext(ctx, "", slackapi.MsgOptionResponseURL(responseURL, kind),
		slackapi.MsgOptionText(fallback, false), slackapi.MsgOptionBlocks(blocks...))
	return err
}
