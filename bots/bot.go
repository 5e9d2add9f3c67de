package bots

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/llm"
	"github.com/engage-org/engage/prompts"
)

// Config configures a Bot.
type Config struct {
	// Lang is the language of people and communities that chose none ("fr" or "en").
	Lang string
	// TimeZone is the default zone of new communities (IANA name, "" for UTC).
	TimeZone string
	// Log receives the bot's logs; nil discards them.
	Log *slog.Logger
	// Metrics, when set, counts events and errors.
	Metrics Metrics
	// PledgeCeiling is the largest single pledge, in major units of the campaign's
	// currency (0: core.DefaultPledgeCeiling).
	PledgeCeiling int64
	// MaxProxies is the most proxies a member may hold for one meeting
	// (community.max_proxies; 0: core.DefaultMaxProxies).
	MaxProxies int
	// Currency is the ISO 4217 currency of campaigns whose goal names none ("": EUR).
	Currency string
	// CampaignEditDelay throttles the edits of a campaign's progress message: at most
	// one per chat per delay, whatever the pledge rate (0: DefaultCampaignEditDelay).
	CampaignEditDelay time.Duration
	// Model is the optional language model (nil: none); each community's admins
	// switch it on (/community llm on). See llm.go.
	Model *llm.Model
	// ModelBudget is each community's monthly budget of model calls (0:
	// DefaultModelBudget).
	ModelBudget int
	// WebURL is the address the web pages are served at ("https://engage.example.org",
	// http.public_url), for the links the bot gives ("": the path alone).
	WebURL string
}

// Metrics is what the bot reports to a metrics system.
type Metrics interface {
	Event(platform string, code core.Code) // one handled event, with its error code ("" for none)
}

// MaxInput bounds the bytes of one event's text; longer input is refused.
const MaxInput = 8192

// Bot answers events. It is safe for concurrent use.
type Bot struct {
	engine  *core.Engine
	cat     *prompts.Catalog
	cfg     Config
	log     *slog.Logger
	cmds    map[string]*command
	aliases map[string]string
	words   map[string]string // aliases of words inside commands, where they differ
	jobs    map[string]jobFunc
	dialogs map[string]dialogFunc
	model   *llm.Model

	// wake functions run after a commit that wrote outbox items or jobs.
	wakeOutbox atomic.Pointer[func()]
	wakeJobs   atomic.Pointer[func(time.Time)]
}

// New returns a bot on engine that speaks with the texts of cat.
func New(engine *core.Engine, cat *prompts.Catalog, cfg Config) *Bot {
	if cfg.Lang == "" || !core.ValidLang(cfg.Lang) {
		cfg.Lang = core.Languages[0]
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.PledgeCeiling <= 0 {
		cfg.PledgeCeiling = core.DefaultPledgeCeiling
	}
	if !core.ValidCurrency(cfg.Currency) {
		cfg.Currency = DefaultCurrency
	}
	cfg.Currency = strings.ToUpper(cfg.Currency)
	if cfg.CampaignEditDelay <= 0 {
		cfg.CampaignEditDelay = DefaultCampaignEditDelay
	}
	if cfg.ModelBudget <= 0 {
		cfg.ModelBudget = DefaultModelBudget
	}
	b := &Bot{engine: engine, cat: cat, cfg: cfg, log: cfg.Log, model: cfg.Model}
	b.cmds = commands()
	b.aliases = cat.Aliases()
	b.words = cat.WordAliases()
	b.jobs = jobFuncs()
	b.dialogs = dialogFuncs()
	return b
}

// Engine returns the bot's engine.
func (b *Bot) Engine() *core.Engine { return b.engine }

// OnOutbox sets the function called after a commit that wrote outbox messages
// (the dispatcher's Wake).
func (b *Bot) OnOutbox(fn func()) { b.wakeOutbox.Store(&fn) }

// OnSchedule sets the function called after a commit that scheduled a job, with
// the earliest due time written (the scheduler's Wake).
func (b *Bot) OnSchedule(fn func(time.Time)) { b.wakeJobs.Store(&fn) }

func (b *Bot) woke(res core.Result) {
	if res.Enqueued > 0 {
		if fn := b.wakeOutbox.Load(); fn != nil {
			(*fn)()
		}
	}
	if !res.Next.IsZero() {
		if fn := b.wakeJobs.Load(); fn != nil {
			(*fn)(res.Next)
		}
	}
}

// Handle answers one event: it returns the messages to send now, in order (answers
// to the actor, in the chat or directly). Fan-out goes to the outbox in the same
// transaction. The same Key delivered again changes nothing, and returns no answer
// when the first one was delivered (AnswersSent) or is being delivered by this
// run of the service; otherwise (a crash came between the change and the
// delivery) it returns the first answer, kept for core.AnswerRetention. Refusals (bad input, missing rights) are answers, not errors: the error
// is for a broken store, a bug or a canceled context: then nothing was changed, and
// the messages hold an apology the adapter may send.
func (b *Bot) Handle(ctx context.Context, ev Event) ([]Message, error) {
	as := b.prepare(ctx, ev) // the language model, if any, is asked before the transaction
	var c *turn
	do := b.engine.Do
	if ev.Last {
		do = b.engine.DoLast
	}
	res, err := do(ctx, ev.Key, func(tx *core.Tx) ([]byte, error) {
		if err := tx.InboxDone(ev.Inbox); err != nil {
			return nil, err
		}
		c = &turn{b: b, ev: ev, tx: tx, lang: b.guessLang(ev), as: as.fresh()}
		if err := c.run(); err != nil {
			return nil, err
		}
		if c.secret {
			c.keepSecret()
		}
		if ev.Key == "" || ev.Last {
			return nil, nil // nothing will deliver it again: no answer to keep
		}
		return json.Marshal(c.out)
	})
	code := core.ErrorCode(err)
	if code == core.CodeInternal || ctx.Err() != nil && err != nil {
		b.count(ev, core.CodeInternal)
		b.log.ErrorContext(ctx, "handle event", "platform", ev.Platform, "key", ev.Key, "err", err)
		sorry := b.refusal(ev, refusalLang(b, c, ev, false), err)
		return []Message{sorry}, fmt.Errorf("handle %s event: %w", ev.Platform, err)
	}
	if err != nil { // a refusal: answer it, remember the answer, change nothing else
		private := c != nil && (c.private || privateRefusals[c.cmd]) && !ev.Direct // a refused pledge or ballot is no one else's business
		lang := refusalLang(b, c, ev, private)
		var ask *askDate
		if errors.As(err, &ask) && ask.line != "" {
			if out, ok := b.askDateAnswer(ctx, ev, lang, ask); ok {
				b.count(ev, code)
				return out, nil
			}
		}
		msg := b.refusal(ev, lang, err)
		if private {
			msg.Direct, msg.Ephemeral = true, true
		}
		raw, _ := json.Marshal([]Message{msg})
		if ev.Key != "" && !ev.Last && (c == nil || !c.secret) {
			if raw, err = b.engine.Remember(ctx, ev.Key, raw); err != nil {
				b.count(ev, core.CodeInternal)
				return nil, fmt.Errorf("remember refusal: %w", err)
			}
		}
		if err := b.engine.InboxDone(ctx, ev.Inbox); err != nil {
			return nil, fmt.Errorf("inbox: %w", err)
		}
		b.count(ev, code)
		out, err := decodeAnswer(raw)
		for i := range out {
			out[i].Part = i + 1
			if c != nil && c.secret { // it may quote a choice typed for a secret poll
				out[i].Kept = b.cat.Text(lang, "vote.secret_kept", nil)
			}
		}
		return out, err
	}
	b.count(ev, "")
	b.woke(res)
	if !res.Replayed && c != nil {
		for i := range c.out {
			c.out[i].Part = i + 1
		}
		return c.out, nil // what was just recorded as the answer, without decoding it back
	}
	if err := b.engine.InboxDone(ctx, ev.Inbox); err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	if res.Answered {
		return nil, nil // delivered once (or being delivered): never twice
	}
	out, err := decodeAnswer(res.Answer)
	var left []Message
	for i, m := range out {
		if !slices.Contains(res.Done, i+1) {
			m.Part = i + 1
			left = append(left, m)
		}
	}
	return left, err
}

// AnswerDelivered records that m, an answer Handle returned for the event key,
// was delivered (or handed to the outbox): the event delivered again gets the
// others only. Adapters that send answers one by one call it after each.
func (b *Bot) AnswerDelivered(ctx context.Context, key string, m Message) error {
	return b.engine.AnswerDelivered(ctx, key, m.Part)
}

// AnswersSent records that the answers to the event key were delivered (or handed
// to the outbox): the same event delivered again then gets none. Adapters call it
// once they sent what Handle returned.
func (b *Bot) AnswersSent(ctx context.Context, key string) error {
	return b.engine.AnswerSent(ctx, key)
}

// AnswerRecorder is what adapters call, when their handler has it, as the answers
// to an event are sent (see Bot.AnswerDelivered and Bot.AnswersSent).
type AnswerRecorder interface {
	AnswerDelivered(ctx context.Context, key string, m Message) error
	AnswersSent(ctx context.Context, key string) error
}

func decodeAnswer(raw []byte) ([]Message, error) {
	var out []Message
	if len(raw) == 0 {
		return nil, nil
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("decode answer: %w", err)
	}
	return out, nil
}

func (b *Bot) count(ev Event, code core.Code) {
	if b.cfg.Metrics != nil {
		b.cfg.Metrics.Event(ev.Platform, code)
	}
}

// refusal renders err as an answer to the actor, where they acted.
func (b *Bot) refusal(ev Event, lang string, err error) Message {
	key, args := core.ErrorMessage(err)
	text := b.cat.Text(lang, "err.internal", nil)
	if key != "" {
		text = b.cat.Text(lang, key, args)
	}
	m := Message{Platform: ev.Platform, ChatID: ev.ChatID, Direct: ev.Direct, UserID: ev.UserID, Text: text, Name: ev.UserName}
	if ev.Kind == KindAction && !ev.Direct {
		// A refused press concerns the presser alone, like replyPrivate's answers
		// (a toast or an ephemeral message where the platform has them).
		m.Direct, m.Ephemeral = true, true
	}
	return m
}

// refusalLang is the language of a refusal: the place's (the community's in its
// group) when everyone there sees it, the actor's own when only they do (a
// direct message, a refused press, a private command's refusal).
func refusalLang(b *Bot, c *turn, ev Event, private bool) string {
	lang := b.guessLang(ev)
	if c == nil {
		return lang
	}
	if private || ev.Direct || ev.Kind == KindAction {
		if c.own != "" {
			return c.own
		}
	} else if c.lang != "" {
		return c.lang
	}
	return lang
}

// guessLang is the language before the person is known: the platform's hint if the
// catalog has it, else the bot's default.
func (b *Bot) guessLang(ev Event) string {
	if l := strings.ToLower(ev.Lang); len(l) >= 2 && core.ValidLang(l[:2]) {
		return l[:2]
	}
	return b.cfg.Lang
}

// run resolves who acts and where, then runs the command, button or dialog step.
func (c *turn) run() error {
	ev := &c.ev
	// Names come from the platform: keep them readable whatever they hold, without
	// control, bidirectional or invisible characters.
	ev.UserName = clip(core.SafeName(strings.ToValidUTF8(ev.UserName, "�")), core.MaxNameLen)
	ev.Handle = clip(core.SafeName(strings.ToValidUTF8(ev.Handle, "�")), core.MaxNameLen)
	ev.ChatTitle = clip(core.SafeName(strings.ToValidUTF8(ev.ChatTitle, "�")), core.MaxNameLen)
	p, err := c.tx.ResolveIdentity(ev.Platform, ev.UserID, ev.UserName, ev.Handle)
	if err != nil {
		return err
	}
	c.person = p
	if !ev.Direct {
		comm, err := c.tx.CommunityByChat(ev.Platform, ev.ChatID)
		switch {
		case err == nil:
			c.comm = comm
			if c.member, err = c.tx.TouchPerson(comm.ID, p); err != nil { // p follows a join
				return err
			}
		case core.ErrorCode(err) != core.CodeNotFound:
			return err
		}
	} else if err := c.directCommunity(); err != nil {
		return err
	} else if err := c.releaseDirect(); err != nil {
		return err
	}
	c.own = c.personLang()
	c.lang = c.placeLang()
	// What people type is checked once they are known, so the refusal is in their language.
	if !utf8.ValidString(ev.Text) {
		return core.Errorf(core.CodeInvalid, "err.bad_text")
	}
	if len(ev.Text) > MaxInput {
		return core.Errorf(core.CodeInvalid, "err.input_too_long", "max", MaxInput)
	}
	text := strings.TrimSpace(ev.Text)
	switch ev.Kind {
	case KindAction:
		if text, err = c.tx.ButtonCommand(ev.Action); err != nil {
			return err
		}
		if strings.HasPrefix(text, formPrefix) { // a button that opens a form
			f, err := c.form(ev.Action)
			if err != nil {
				return err
			}
			return c.askForm(f)
		}
	case KindForm:
		return c.submitForm(ev.Action, ev.Fields)
	}
	if strings.HasPrefix(text, "/") {
		return c.command(text)
	}
	if ev.Direct {
		return c.directText(text)
	}
	return nil // chat in a group: membership recorded, nothing to answer
}

// directCommunity picks the community a direct message is about: the one of the
// person's memberships most recently active.
func (c *turn) directCommunity() error {
	best, err := c.tx.LatestMembership(c.person)
	if err != nil || best == nil {
		return err
	}
	comm, err := c.tx.Community(best.Community)
	if err != nil {
		return err
	}
	c.comm, c.member = comm, best
	return nil
}

// personLang is the person's language, else the community's, else the guess.
func (c *turn) personLang() string {
	if c.person != nil && c.person.Lang != "" {
		return c.person.Lang
	}
	if c.comm != nil && c.comm.Lang != "" && c.ev.Lang == "" {
		return c.comm.Lang
	}
	return c.b.guessLang(c.ev)
}

// needCommunity returns CodeConflict when no community is in context.
func (c *turn) needCommunity() error {
	if c.comm == nil || c.member == nil {
		if c.ev.Direct {
			return core.Errorf(core.CodeConflict, "err.no_community_dm")
		}
		return core.Errorf(core.CodeConflict, "err.no_community")
	}
	return nil
}

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
