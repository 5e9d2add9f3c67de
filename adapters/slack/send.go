package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
	slackapi "github.com/slack-go/slack"
)

// Send delivers one message (bots.Sender): an edit with chat.update, an answer
// only its addressee sees with chat.postEphemeral, a direct message with
// conversations.open and chat.postMessage, anything else with chat.postMessage;
// an attachment is uploaded to the same conversation. It returns the message's ID
// ("CHANNEL/TS") for later edits.
//
// Errors carry core codes: CodeUnavailable for what may work later (a 429, whose
// RetryAfter the dispatcher honours, a 5xx after a few quick retries, the network),
// CodeNotFound, CodeForbidden or CodeInvalid for what never will.
func (a *Adapter) Send(ctx context.Context, m bots.Message) (string, error) {
	if m.Platform != "" && m.Platform != bots.PlatformSlack {
		return "", &core.Error{Code: core.CodeInvalid, Op: "slack send", Err: fmt.Errorf("message for platform %q", m.Platform)}
	}
	blocks, fallback := messageBlocks(m)
	if len(blocks) == 0 && m.Attachment == nil {
		return "", &core.Error{Code: core.CodeInvalid, Op: "slack send", Err: errors.New("empty message")}
	}
	opts := []slackapi.MsgOption{slackapi.MsgOptionText(fallback, false), slackapi.MsgOptionBlocks(blocks...)}

	if m.Edit && m.EditID != "" {
		if id, err := a.update(ctx, m.EditID, opts); err == nil || core.ErrorCode(err) != core.CodeNotFound {
			return id, err
		}
		// The message is gone (deleted, or too old to edit): post it anew.
	}

	if m.Ephemeral && m.Attachment == nil && m.ChatID != "" && m.UserID != "" {
		w, channel, err := a.resolve(m.ChatID)
		if err != nil {
			return "", &core.Error{Code: core.CodeNotFound, Op: "slack send", Err: err}
		}
		if !isDirect(channel) {
			_, user, err := a.resolve(m.UserID)
			if err != nil {
				return "", &core.Error{Code: core.CodeNotFound, Op: "slack send", Err: err}
			}
			err = a.call(ctx, w, "chat.postEphemeral", "", func(ctx context.Context) error {
				_, err := w.api.PostEphemeralContext(ctx, channel, user, opts...)
				return err
			})
			switch core.ErrorCode(err) {
			case "":
				return "", nil // an ephemeral message cannot be edited: no ID
			case core.CodeNotFound, core.CodeForbidden:
				// Not in that channel: the answer goes by direct message instead.
			default:
				return "", err
			}
		}
	}

	var (
		w       *workspace
		channel string
		err     error
	)
	if m.Direct || m.Ephemeral || m.ChatID == "" {
		var user string
		if w, user, err = a.resolve(m.UserID); err == nil {
			channel, err = a.dmChannel(ctx, w, m.UserID, user)
		}
	} else {
		w, channel, err = a.resolve(m.ChatID)
	}
	if err != nil {
		if core.ErrorCode(err) != core.CodeInternal {
			return "", err
		}
		return "", &core.Error{Code: core.CodeNotFound, Op: "slack send", Err: err}
	}

	var ts string
	if len(blocks) > 0 {
		err := a.call(ctx, w, "chat.postMessage", channel, func(ctx context.Context) error {
			var err error
			_, ts, err = w.api.PostMessageContext(ctx, channel, opts...)
			return err
		})
		if err != nil {
			return "", err
		}
	}
	if att := m.Attachment; att != nil {
		err := a.call(ctx, w, "files.getUploadURLExternal", "", func(ctx context.Context) error {
			_, err := w.api.UploadFileContext(ctx, slackapi.UploadFileParameters{
				Filename: att.Name, Title: att.Name, FileSize: len(att.Data),
				Reader: bytes.NewReader(att.Data), Channel: channel,
			})
			return err
		})
		if err != nil {
			if ts == "" {
				return "", err
			}
			// The text is posted: sending the whole message again would repeat it.
			a.log.Warn("slack file not uploaded", "file", att.Name, "err", err)
		}
	}
	if ts == "" {
		return "", nil
	}
	return qualify(w, channel) + "/" + ts, nil
}

// Lanes is how many chats the outbox may send to at once: Send is safe for
// concurrent use, and each channel keeps its own pace.
func (a *Adapter) Lanes() int { return a.cfg.Workers }

// update replaces the message id ("CHANNEL/TS") with opts.
func (a *Adapter) update(ctx context.Context, id string, opts []slackapi.MsgOption) (string, error) {
	i := strings.LastIndexByte(id, '/')
	if i <= 0 || i == len(id)-1 {
		return "", &core.Error{Code: core.CodeNotFound, Op: "slack update", Err: fmt.Errorf("bad message id %q", id)}
	}
	w, channel, err := a.resolve(id[:i])
	if err != nil {
		return "", &core.Error{Code: core.CodeNotFound, Op: "slack update", Err: err}
	}
	ts := id[i+1:]
	err = a.call(ctx, w, "chat.update", "", func(ctx context.Context) error {
		_, _, _, err := w.api.UpdateMessageContext(ctx, channel, ts, opts...)
		return err
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// dmChannel returns the direct-message conversation of the app with a person
// (conversations.open, remembered).
func (a *Adapter) dmChannel(ctx context.Context, w *workspace, qualified, user string) (string, error) {
	a.mu.Lock()
	ch, ok := a.dms[qualified]
	a.mu.Unlock()
	if ok {
		return ch, nil
	}
	err := a.call(ctx, w, "conversations.open", "", func(ctx context.Context) error {
		c, _, _, err := w.api.OpenConversationContext(ctx, &slackapi.OpenConversationParameters{Users: []string{user}})
		if err == nil {
			if c == nil || c.ID == "" {
				return slackapi.SlackErrorResponse{Err: "channel_not_found"}
			}
			ch = c.ID
		}
		return err
	})
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	if len(a.dms) > 50000 {
		clear(a.dms)
	}
	a.dms[qualified] = ch
	a.mu.Unlock()
	return ch, nil
}

// call makes one Web API call within the limits: it waits its turn (or, when
// that would be long, returns a retry-after), retries a 5xx twice with backoff,
// pauses the method after a 429, and classifies the error.
func (a *Adapter) call(ctx context.Context, w *workspace, method, channel string, fn func(context.Context) error) error {
	wait := a.limits.reserve(w.key, method, channel)
	if wait > maxWait {
		return &core.Error{Code: core.CodeUnavailable, Op: "slack " + method, Err: &retryAfterError{after: wait, err: errors.New("paced")}}
	}
	if err := bots.Sleep(ctx, wait); err != nil {
		return &core.Error{Code: core.CodeUnavailable, Op: "slack " + method, Err: err}
	}
	for attempt := 0; ; attempt++ {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		var rl *slackapi.RateLimitedError
		if errors.As(err, &rl) {
			a.limits.pause(w.key, method, rl.RetryAfter)
			a.log.Warn("slack rate limited", "method", method, "retry_after", rl.RetryAfter)
		}
		var sc slackapi.StatusCodeError
		if errors.As(err, &sc) && sc.Code >= 500 && attempt < 2 && ctx.Err() == nil {
			if bots.Sleep(ctx, 200*time.Millisecond<<attempt) == nil {
				continue
			}
		}
		return classify(method, err)
	}
}

// retryAfterError is a failure that says how long to wait (outbox.RetryAfter).
type retryAfterError struct {
	after time.Duration
	err   error
}

func (e *retryAfterError) Error() string {
	return fmt.Sprintf("%v (retry after %s)", e.err, e.after)
}
func (e *retryAfterError) Unwrap() error { return e.err }

// RetryAfter is how long Slack asked to wait.
func (e *retryAfterError) RetryAfter() time.Duration { return e.after }

// classify gives a Web API error its core code.
func classify(method string, err error) error {
	op := "slack " + method
	var rl *slackapi.RateLimitedError
	if errors.As(err, &rl) {
		return &core.Error{Code: core.CodeUnavailable, Op: op, Err: &retryAfterError{after: max(rl.RetryAfter, time.Second), err: err}}
	}
	var sc slackapi.StatusCodeError
	if errors.As(err, &sc) {
		switch {
		case sc.Code >= 500:
			return &core.Error{Code: core.CodeUnavailable, Op: op, Err: err}
		case sc.Code == 401 || sc.Code == 403:
			return &core.Error{Code: core.CodeForbidden, Op: op, Err: err}
		default:
			return &core.Error{Code: core.CodeInvalid, Op: op, Err: err}
		}
	}
	var se slackapi.SlackErrorResponse
	if errors.As(err, &se) {
		return &core.Error{Code: slackErrorCode(se.Err), Op: op, Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &core.Error{Code: core.CodeUnavailable, Op: op, Err: err}
	}
	return &core.Error{Code: core.CodeUnavailable, Op: op, Err: err}
}

// slackErrorCode maps Slack's error strings ({"ok":false,"error":…}) to codes.
// A refused token keeps its messages (CodeUnavailable): the operator may fix it.
func slackErrorCode(e string) core.Code {
	switch e {
	case "channel_not_found", "user_not_found", "message_not_found", "cant_update_message",
		"edit_window_closed", "thread_not_found", "users_not_found":
		return core.CodeNotFound
	case "not_in_channel", "is_archived", "channel_is_archived", "restricted_action",
		"missing_scope", "cannot_dm_bot", "user_disabled", "access_denied", "ekm_access_denied",
		"not_allowed_token_type", "team_access_not_granted", "messages_tab_disabled":
		return core.CodeForbidden
	case "invalid_blocks", "invalid_blocks_format", "msg_too_long", "no_text", "too_many_attachments",
		"invalid_arguments", "invalid_attachments", "too_many_users", "invalid_trigger_id", "expired_trigger_id":
		return core.CodeInvalid
	}
	return core.CodeUnavailable
}

// retryable reports whether a send may work if tried again.
func retryable(err error) bool { return core.ErrorCode(err) == core.CodeUnavailable }
