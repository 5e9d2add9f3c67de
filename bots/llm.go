package bots

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/llm"
)

// The optional language model.
//
// A model is consulted before a transaction, never inside one: no network I/O may
// happen inside core.Engine.Do. When a bot has a model (Config.Model) and an event
// may need one (a direct message that may answer a check-in, /answer, /digest,
// /checkin, or a job that drafts), the bot first runs the event in a dry run: the
// whole transaction, rolled back at its end, during which the code that could use
// the model records what it would ask (ask). The bot then asks the model, each call
// with its own short timeout, outside any transaction, and runs the event for real
// with the answers at hand as data: the same code finds its answer (by the hash of
// what it asked) and lets its rules check it, counting the call in the community's
// monthly budget in that same transaction. A community whose admin did not switch
// the model on (/community llm on), a budget spent, a failure, a timeout or an
// answer the rules refuse all leave the deterministic path, exactly as without a
// model. A model's answer is data: it never runs a command.

// DefaultModelBudget is each community's monthly budget of model calls when
// Config.ModelBudget is zero.
const DefaultModelBudget = 1000

// maxAsks bounds the calls one event or job makes.
const maxAsks = 4

// errDryRun ends a dry run: what it wrote is discarded.
var errDryRun = errors.New("dry run")

// modelCommands are the commands whose handling may consult the model.
var modelCommands = map[string]bool{"answer": true, "digest": true, "checkin": true}

// modelJobs are the job kinds whose handling may consult the model: the weekly
// slot (the nudge's opening) and its end (the digest's opening).
var modelJobs = map[string]bool{core.JobSlot: true, core.JobSlotEnd: true}

// assist is the model's part of one event or job: in the dry run, what to ask;
// in the real run, what the model answered.
type assist struct {
	dry     bool
	asks    []modelAsk
	answers map[string]modelAnswer
	// counted is what this run of the transaction counted already (reset when the
	// store runs the transaction again).
	counted map[string]bool
}

// modelAsk is one call to make: in is a llm.CheckinInput, DraftInput or
// FAQInput; lang the language of the system prompt.
type modelAsk struct {
	key  string
	comm core.CommunityID
	lang string
	in   any
}

// modelAnswer is what one call gave: a llm.CheckinReading, a draft string or a
// llm.FAQSummary, or the error.
type modelAnswer struct {
	out any
	err error
}

// askKey names a call by what it asks.
func askKey(lang string, in any) string {
	raw, _ := json.Marshal(in)
	sum := sha256.Sum256(append([]byte(fmt.Sprintf("%T/%s/", in, lang)), raw...))
	return hex.EncodeToString(sum[:12])
}

// fresh readies as for one attempt of its transaction (a store may run a
// transaction again): nothing counted yet, and in the dry run nothing asked yet.
// It returns as; nil stays nil (no model for this interaction).
func (as *assist) fresh() *assist {
	if as == nil {
		return nil
	}
	as.counted = map[string]bool{}
	if as.dry {
		as.asks = nil
	}
	return as
}

// modelOn reports whether comm may use the model: the bot has one and an admin
// switched it on.
func (b *Bot) modelOn(comm *core.Community) bool {
	return b.model != nil && comm != nil && comm.LLM
}

// ask consults the model from inside a transaction about comm: in the dry run it
// records the call (within comm's budget) and returns nil; in the real run it
// returns the answer (a llm.CheckinReading, a string, a llm.FAQSummary)
// after counting the call, or nil when there is none to use. The caller's rules
// still check what it returns. The error is the store's.
func (c *turn) ask(comm *core.Community, lang string, in any) (any, error) {
	b, tx, as := c.b, c.tx, c.as
	if as == nil || !b.modelOn(comm) {
		return nil, nil
	}
	k := askKey(lang, in)
	if as.dry {
		pending := 0
		for _, a := range as.asks {
			if a.key == k {
				return nil, nil
			}
			if a.comm == comm.ID {
				pending++
			}
		}
		if len(as.asks) >= maxAsks {
			return nil, nil
		}
		used, err := tx.LLMCalls(comm)
		if err != nil {
			return nil, err
		}
		if used+pending >= b.cfg.ModelBudget {
			b.log.Info("llm budget spent", "community", comm.ID, "used", used, "budget", b.cfg.ModelBudget)
			return nil, nil
		}
		as.asks = append(as.asks, modelAsk{key: k, comm: comm.ID, lang: lang, in: in})
		return nil, nil
	}
	ans, ok := as.answers[k]
	if !ok {
		return nil, nil // the state changed since the dry run: the rules answer
	}
	if !as.counted[k] {
		as.counted[k] = true
		n, err := tx.CountLLMCall(comm)
		if err != nil {
			return nil, err
		}
		if n > b.cfg.ModelBudget {
			return nil, nil
		}
	}
	if ans.err != nil {
		return nil, nil
	}
	return ans.out, nil
}

// callModel makes the calls, one after the other, each with the model's timeout,
// outside any transaction.
func (b *Bot) callModel(ctx context.Context, asks []modelAsk) map[string]modelAnswer {
	out := make(map[string]modelAnswer, len(asks))
	for _, a := range asks {
		var ans modelAnswer
		switch in := a.in.(type) {
		case llm.CheckinInput:
			ans.out, ans.err = b.model.ReadCheckin(ctx, a.lang, in)
		case llm.DraftInput:
			ans.out, ans.err = b.model.Draft(ctx, in)
		case llm.FAQInput:
			ans.out, ans.err = b.model.SummariseFAQ(ctx, in)
		default:
			ans.err = fmt.Errorf("no model task for %T", in)
		}
		if ans.err != nil {
			var me *llm.ModelError
			kind := "error"
			if errors.As(ans.err, &me) {
				kind = me.Kind
			}
			// The reason only: the error may quote what the endpoint said.
			b.log.WarnContext(ctx, "llm call failed, the rules answer", "community", a.comm, "kind", kind)
			b.log.DebugContext(ctx, "llm call failed", "community", a.comm, "err", ans.err)
		}
		out[a.key] = ans
	}
	return out
}

// prepare runs ev in a dry run when it may consult the model (a command or message
// that may, concerning a community the model is on for), asks the model what the
// run recorded, and returns the answers for the real run (nil when there is nothing
// to ask: the event then runs as without a model).
func (b *Bot) prepare(ctx context.Context, ev Event) *assist {
	if b.model == nil || !b.mayAsk(ctx, ev) {
		return nil
	}
	var inReach bool
	if err := b.engine.View(ctx, func(tx *core.Tx) error {
		var err error
		inReach, err = tx.LLMInReach(ev.Platform, ev.ChatID, ev.UserID, ev.Direct)
		return err
	}); err != nil || !inReach {
		return nil // no community the model is on for: no dry run
	}
	as := &assist{dry: true}
	_, err := b.engine.Do(ctx, ev.Key, func(tx *core.Tx) ([]byte, error) {
		c := &turn{b: b, ev: ev, tx: tx, lang: b.guessLang(ev), as: as.fresh()}
		if err := c.run(); err != nil {
			return nil, err
		}
		return nil, errDryRun
	})
	if !errors.Is(err, errDryRun) || len(as.asks) == 0 {
		return nil // replayed, refused, or nothing to ask
	}
	as.answers = b.callModel(ctx, as.asks)
	as.dry = false
	return as
}

// prepareJob is prepare for a job.
func (b *Bot) prepareJob(ctx context.Context, j *core.Job) *assist {
	fn := b.jobs[j.Kind]
	if b.model == nil || !modelJobs[j.Kind] || fn == nil {
		return nil
	}
	var on bool
	if err := b.engine.View(ctx, func(tx *core.Tx) error {
		c, err := tx.Community(j.Community)
		on = err == nil && c.LLM
		return nil
	}); err != nil || !on {
		return nil
	}
	as := &assist{dry: true}
	_, err := b.engine.Update(ctx, func(tx *core.Tx) error {
		won, err := tx.TakeJob(j)
		if err != nil || !won {
			return err
		}
		if err := b.runJob(tx, j, as); err != nil {
			return err
		}
		return errDryRun
	})
	if !errors.Is(err, errDryRun) || len(as.asks) == 0 {
		return nil
	}
	as.answers = b.callModel(ctx, as.asks)
	as.dry = false
	return as
}

// mayAsk reports whether ev's handling may consult the model: a direct message
// (it may answer a check-in question), or a command of modelCommands typed, behind
// a button or a form.
func (b *Bot) mayAsk(ctx context.Context, ev Event) bool {
	text := strings.TrimSpace(ev.Text)
	switch ev.Kind {
	case KindMessage:
		if name, _, ok := ParseCommand(text); ok {
			full, _ := b.lookup(name)
			return modelCommands[full]
		}
		return ev.Direct
	case KindAction, KindForm:
		var cmd string
		err := b.engine.View(ctx, func(tx *core.Tx) error {
			var err error
			cmd, err = tx.ButtonCommand(ev.Action)
			return err
		})
		if err != nil {
			return false
		}
		if def, ok := strings.CutPrefix(cmd, formPrefix); ok {
			var f Form
			if json.Unmarshal([]byte(def), &f) != nil {
				return false
			}
			cmd = f.Command
		}
		name, _, ok := ParseCommand(cmd)
		if !ok {
			return false
		}
		full, _ := b.lookup(name)
		return modelCommands[full]
	}
	return false
}

// communityLLM: /community llm [on|off] — the language model's switch and this
// month's calls (admins switch it).
func communityLLM(c *turn) error {
	if err := c.needCommunity(); err != nil {
		return err
	}
	data := func(comm *core.Community) (llmStatusText, error) {
		used, err := c.tx.LLMCalls(comm)
		return llmStatusText{Name: comm.Name, On: comm.LLM, Configured: c.b.model != nil, Used: used, Budget: c.b.cfg.ModelBudget}, err
	}
	on := c.sub("on")
	if !on && !c.sub("off") {
		if strings.TrimSpace(c.args) != "" {
			return c.usage()
		}
		d, err := data(c.comm)
		if err != nil {
			return err
		}
		c.reply("llm.status", d)
		return nil
	}
	if strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	if on && c.b.model == nil {
		return core.Errorf(core.CodeConflict, "err.llm_unconfigured")
	}
	comm, err := c.tx.SetLLM(c.member, on)
	if err != nil {
		return err
	}
	c.comm = comm
	d, err := data(comm)
	if err != nil {
		return err
	}
	c.reply("llm.set", d)
	return nil
}

// llmStatusText is what the texts llm.status, llm.set show.
type llmStatusText struct {
	Name           string
	On, Configured bool
	Used, Budget   int
}
