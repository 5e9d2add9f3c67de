package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// Receiving.
const (
	pollWindow    = 100                    // getUpdates' limit: how far ahead of the offset updates are taken
	pollGap       = 20 * time.Millisecond  // least time between two polls while updates are handled
	pollIdle      = 250 * time.Millisecond // most time between two polls while one update is slow
	handleTimeout = 30 * time.Second       // one update's deadline, attempts included
)

// handleBackoff are the waits between the attempts at an update that failed
// inside (a broken store, a bug): after the last one the update is skipped, with
// an apology to the person and an error in the log, so that one bad update never
// holds its chat, or the offset, forever.
var handleBackoff = []time.Duration{100 * time.Millisecond, time.Second, 3 * time.Second}

// allowedUpdates are the updates the adapter asks for (the setting persists on
// Telegram's side, so it is always sent).
const allowedUpdates = `["message","callback_query"]`

// poll is the long-polling loop: getUpdates from the offset, each update handed
// to the orderer, and the offset moved past an update only once it, and every one
// before it, was handled and its changes committed. A crash therefore loses no
// update: Telegram sends the unconfirmed ones again, and the bot's idempotency key
// ("telegram:<update_id>") makes a second delivery change nothing.
func (a *Adapter) poll(ctx context.Context, o *orderer) error {
	tr := newTracker()
	var last time.Time
	fails := 0
	for ctx.Err() == nil {
		if n, _ := tr.busy(); n > 0 {
			if err := pollPause(ctx, tr, last); err != nil {
				return nil
			}
		}
		timeout := a.pollTimeout
		if n, _ := tr.busy(); n > 0 {
			timeout = 0 // the updates being handled come back at once anyway
		}
		last = time.Now()
		offset := tr.offset()
		raws, err := a.updates(ctx, offset, timeout)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			fails++
			if !a.waitAfterFailure(ctx, err, fails) {
				return nil
			}
			continue
		}
		fails = 0
		a.confirm(offset)
		for _, raw := range raws {
			a.take(o, tr, raw)
		}
	}
	return nil
}

// pollPause waits, while updates are being handled, until none is, or half the
// window is free again at least pollGap after the last poll, or pollIdle passed:
// every poll returns the updates still being handled, so polling at each one's
// end would mostly fetch them again.
func pollPause(ctx context.Context, tr busyness, last time.Time) error {
	for {
		n, changed := tr.busy()
		now := time.Now()
		if n == 0 || now.Sub(last) >= pollIdle {
			return nil
		}
		t := time.NewTimer(last.Add(pollIdle).Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-changed:
			t.Stop()
			if d := time.Until(last.Add(pollGap)); d > 0 {
				if err := bots.Sleep(ctx, d); err != nil {
					return err
				}
			}
			if n, _ := tr.busy(); n <= pollWindow/2 {
				return nil // room for half a window of new updates
			}
		case <-t.C:
			return nil
		}
	}
}

// busyness is what pollPause watches: how many updates are being handled, and a
// channel closed when one ends.
type busyness interface {
	busy() (int, <-chan struct{})
}

// updates calls getUpdates and returns the raw updates, each decoded on its own so
// that one this adapter cannot read does not stop the others.
func (a *Adapter) updates(ctx context.Context, offset int, timeout time.Duration) ([]json.RawMessage, error) {
	form := "allowed_updates=" + allowedUpdatesForm + "&limit=" + strconv.Itoa(pollWindow) +
		"&offset=" + strconv.Itoa(offset) + "&timeout=" + strconv.Itoa(int(timeout/time.Second))
	var ups []json.RawMessage
	if err := a.api.post(ctx, "getUpdates", form, &ups, false); err != nil {
		return nil, err
	}
	return ups, nil
}

// allowedUpdatesForm is allowedUpdates as a form value.
var allowedUpdatesForm = url.QueryEscape(allowedUpdates)

// take hands one raw update to the orderer, unless it is already being handled.
func (a *Adapter) take(o *orderer, tr *tracker, raw json.RawMessage) {
	id, err := peekID(raw)
	if err != nil {
		a.log.Warn("update without an id ignored", "err", err)
		return
	}
	if !tr.take(id) {
		return
	}
	up, err := decodeUpdate(raw, a.name)
	if err != nil {
		a.log.Warn("undecodable update skipped", "update_id", id, "err", err)
		tr.end(id, true)
		return
	}
	o.submit(a.job(up, func(ok bool) { tr.end(id, ok) }))
}

// job wraps an update for the orderer; after runs when it ended.
func (a *Adapter) job(up update, after func(handled bool)) *job {
	j := &job{press: up.press(), after: after, run: func(ctx context.Context) bool { return a.process(ctx, up) }}
	switch {
	case up.Event != nil:
		j.chat, j.user = up.Event.ChatID, up.Event.UserID
	case up.MoveFrom != "":
		j.chat = up.MoveFrom
	default:
		j.chat = "update:" + strconv.Itoa(up.ID) // nothing to order it with
	}
	return j
}

// process handles one update and sends its answers; it reports false only when
// the service is stopping before the update could be handled (it is then handled
// at the next start).
func (a *Adapter) process(ctx context.Context, up update) bool {
	if ctx.Err() != nil {
		return false
	}
	// The update is handled to its end even if the service is asked to stop meanwhile.
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
	defer cancel()
	if up.MoveTo != "" {
		if err := a.handler.MoveChat(hctx, bots.PlatformTelegram, up.MoveFrom, up.MoveTo); err != nil {
			a.log.Error("group became a supergroup: its community could not follow", "from", up.MoveFrom, "to", up.MoveTo, "err", err)
		}
		a.inboxDone(hctx, up.inbox)
		return true
	}
	if up.Event == nil {
		if up.Callback != "" {
			a.answerCallback(hctx, up.Callback, "")
		}
		return true
	}
	log := func() *slog.Logger { return a.log.With("update_id", up.ID, "chat_id", up.Event.ChatID) } // only when there is something to say
	// Confirmed already: Telegram will not send it again, and the inbox hands
	// it out once, so that only earlier deliveries are to be recognised.
	up.Event.Last = !a.mayComeBack(up)
	var out []bots.Message
	var err error
	for attempt := 0; ; attempt++ {
		out, err = a.handler.Handle(hctx, *up.Event)
		if err == nil || attempt == len(handleBackoff) {
			break
		}
		log().Warn("handle update failed, will retry", "attempt", attempt+1, "err", err)
		if bots.Sleep(ctx, handleBackoff[attempt]) != nil {
			return false // nothing was changed: the next start handles it
		}
	}
	if err != nil {
		log().Error("update skipped after failing every attempt; the person got an apology", "err", err)
		a.inboxDone(hctx, up.inbox)
	}
	a.answer(hctx, up, out)
	if r, ok := a.handler.(bots.AnswerRecorder); ok && err == nil && up.Event.Key != "" && !up.Event.Last && a.mayComeBack(up) {
		// The update comes back after a crash until the offset passes it: its
		// answers, sent now, are not sent again.
		if err := r.AnswersSent(hctx, up.Event.Key); err != nil {
			log().Warn("answers sent but not recorded", "err", err)
		}
	}
	return true
}

// answer sends the answers to an update. The answer to a press is its toast: the
// first answer meant for the presser alone, if it fits; the others are messages.
// An answer that carries a Ref goes through the outbox, whose dispatcher remembers
// its message ID for later edits; an answer Telegram cannot take now (a direct
// message to someone who never started the bot, an outage) is handed to the
// outbox too, which holds or retries it.
//
// Each answer delivered (or handed to the outbox) is recorded at once, so that
// the update, delivered again after a crash until the offset passes it, gets only
// the answers not sent yet.
func (a *Adapter) answer(ctx context.Context, up update, out []bots.Message) {
	rec, _ := a.handler.(bots.AnswerRecorder)
	last := 0 // the part sent last: process records them all at once after it
	if len(out) > 0 {
		last = out[len(out)-1].Part
	}
	done := func(m bots.Message) {
		if rec == nil || up.Event == nil || up.Event.Last || m.Part == 0 || m.Part == last || !a.mayComeBack(up) {
			return
		}
		if err := rec.AnswerDelivered(ctx, up.Event.Key, m); err != nil {
			a.log.Warn("answer sent but not recorded", "update_id", up.ID, "err", err)
		}
	}
	rest := out
	if up.Callback != "" {
		var toast string
		toast, rest = pickToast(up.Event, out)
		if len(rest) == 0 && len(out) > 0 {
			last = out[0].Part // the toast alone
		} else if len(rest) > 0 {
			last = rest[len(rest)-1].Part
		}
		a.answerCallback(ctx, up.Callback, toast)
		if len(rest) < len(out) { // the toast was an answer of its own
			for _, m := range out {
				if !slices.ContainsFunc(rest, func(r bots.Message) bool { return r.Part == m.Part }) {
					done(m)
				}
			}
		}
	}
	for _, m := range rest {
		if m.Ref != "" {
			if err := a.handler.Postpone(ctx, m); err != nil {
				a.log.Error("postpone answer", "err", err)
			} else {
				done(m)
			}
			continue
		}
		_, err := a.Send(ctx, m)
		if err == nil {
			done(m)
			continue
		}
		var nd *bots.NoDirectError
		if errors.As(err, &nd) || core.ErrorCode(err) == core.CodeUnavailable {
			if err := a.handler.Postpone(ctx, m); err != nil {
				a.log.Error("postpone answer", "err", err)
			} else {
				done(m)
			}
			continue
		}
		a.log.Warn("answer not delivered", "update_id", up.ID, "err", err)
	}
}

// confirm records that Telegram answered a getUpdates at offset: it will not
// send an update below it again.
func (a *Adapter) confirm(offset int) {
	for {
		c := a.confirmed.Load()
		if int64(offset) <= c || a.confirmed.CompareAndSwap(c, int64(offset)) {
			return
		}
	}
}

// mayComeBack reports whether Telegram may deliver up again (after a crash, say):
// whether recording the answers sent to it can still prevent sending them twice.
// With an inbox, the offset passes an update as soon as it is stored, and the
// answer to the poll that passes it often comes back before the update is
// handled: it then keeps no event record (Event.Last) and its answers are not
// recorded as delivered. A webhook update always may come back: a 200 lost on
// its way back means a new delivery.
func (a *Adapter) mayComeBack(up update) bool {
	return a.cfg.Mode == ModeWebhook || int64(up.ID) >= a.confirmed.Load()
}

// pickToast returns the toast of a press: the first answer meant for the presser
// alone. When it fits a toast it is taken out of out; when it is longer its first
// line is the toast, and the whole answer is still sent (privately).
func pickToast(ev *bots.Event, out []bots.Message) (string, []bots.Message) {
	for i, m := range out {
		if !m.Ephemeral || m.UserID != ev.UserID || m.Form != nil {
			continue
		}
		if len(m.Buttons) == 0 && m.Attachment == nil && m.Ref == "" && units(m.Text) <= maxToast {
			return m.Text, append(out[:i:i], out[i+1:]...)
		}
		first, _, _ := strings.Cut(strings.TrimSpace(m.Text), "\n")
		return clipUnits(first, maxToast), out
	}
	return "", out
}

// waitAfterFailure logs a failed getUpdates and waits before the next try: a
// second per failure in a row, up to 30 s, or longer when Telegram asked. It
// reports false when ctx ended meanwhile.
func (a *Adapter) waitAfterFailure(ctx context.Context, err error, fails int) bool {
	wait := min(time.Duration(fails)*time.Second, 30*time.Second)
	if ra, ok := outbox.RetryAfter(err); ok {
		wait = max(wait, ra)
	}
	a.log.Warn("get updates failed, will retry", "err", err, "retry_in", wait)
	return bots.Sleep(ctx, wait) == nil
}
