package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

var _ outbox.ParallelSender = (*Adapter)(nil)

// Send delivers m: an HTML-escaped text split at 4096 characters (the buttons on
// the last part), an edit in place when m.EditID is set, a photo or document when
// it has an attachment. A direct (or ephemeral) message goes to the private chat
// of m.UserID. It returns the ID of the message that carries the buttons.
//
// Send keeps within the limits (waiting, ctx permitting), waits and retries once
// or twice on 429 and on server errors, and never retries what Telegram refused.
// Its errors have core codes for the dispatcher; a 429 has RetryAfter; a direct
// message to someone who never started the bot wraps bots.NoDirectError.
func (a *Adapter) Send(ctx context.Context, m bots.Message) (string, error) {
	chat, direct, err := target(m)
	if err != nil {
		return "", err
	}
	m.Text = strings.ToValidUTF8(m.Text, "�")
	if m.EditID != "" && m.Attachment == nil {
		id, err := a.edit(ctx, chat, direct, m)
		if err == nil || !editGone(err) {
			return id, err
		}
		a.log.Info("message to edit is gone, sending it anew", "chat_id", chat)
	}
	if m.Attachment != nil {
		return a.sendFile(ctx, chat, direct, m)
	}
	return a.sendText(ctx, chat, direct, m.Text, keyboard(m.Buttons))
}

// Lanes is how many chats the dispatcher may send to at once: twice as many as
// can each take a message while the overall limit allows, so that a lane waiting
// for its chat's gap leaves room for another chat.
func (a *Adapter) Lanes() int {
	l := a.limits
	if l.PerSecond <= 0 || l.ChatGap <= 0 {
		return 32
	}
	return max(1, min(128, 2*int(float64(l.PerSecond)*l.ChatGap.Seconds())))
}

// target is the chat m goes to.
func target(m bots.Message) (chat int64, direct bool, err error) {
	id := m.ChatID
	if m.Direct || m.Ephemeral {
		id, direct = m.UserID, true
		if id == "" {
			id = m.ChatID
		}
	}
	chat, err = strconv.ParseInt(id, 10, 64)
	if err != nil || chat == 0 {
		return 0, false, &core.Error{Code: core.CodeInvalid, Op: "telegram send", Err: fmt.Errorf("bad chat %q", id)}
	}
	return chat, direct, nil
}

// sendText sends text in parts, the keyboard on the last one.
func (a *Adapter) sendText(ctx context.Context, chat int64, direct bool, text string, kb *tgbotapi.InlineKeyboardMarkup) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", &core.Error{Code: core.CodeInvalid, Op: "telegram send", Err: errors.New("empty text")}
	}
	parts := split(text, maxText)
	var id string
	for i, part := range parts {
		raw, err := a.do(ctx, "sendMessage", chat, direct, func(chat int64) tgbotapi.Chattable {
			msg := tgbotapi.NewMessage(chat, escapeHTML(part))
			msg.ParseMode = tgbotapi.ModeHTML
			msg.DisableWebPagePreview = true
			if i == len(parts)-1 && kb != nil {
				msg.ReplyMarkup = kb
			}
			return msg
		})
		if err != nil {
			return id, err
		}
		if id, err = messageID(raw); err != nil {
			return "", err
		}
	}
	return id, nil
}

// edit replaces the text and buttons of message m.EditID.
func (a *Adapter) edit(ctx context.Context, chat int64, direct bool, m bots.Message) (string, error) {
	msgID, err := strconv.Atoi(m.EditID)
	if err != nil {
		return "", &apiError{Method: "editMessageText", Status: 400, Desc: "message to edit not found", code: core.CodeInvalid}
	}
	kb := keyboard(m.Buttons)
	_, err = a.do(ctx, "editMessageText", chat, direct, func(chat int64) tgbotapi.Chattable {
		e := tgbotapi.NewEditMessageText(chat, msgID, escapeHTML(clipUnits(m.Text, maxText)))
		e.ParseMode = tgbotapi.ModeHTML
		e.DisableWebPagePreview = true
		e.ReplyMarkup = kb
		return e
	})
	if noText(err) {
		// A message posted with a file (a meeting's card and its calendar file):
		// its text is the file's caption.
		_, err = a.do(ctx, "editMessageCaption", chat, direct, func(chat int64) tgbotapi.Chattable {
			e := tgbotapi.NewEditMessageCaption(chat, msgID, escapeHTML(clipUnits(m.Text, maxCaption)))
			e.ParseMode = tgbotapi.ModeHTML
			e.ReplyMarkup = kb
			return e
		})
	}
	if err != nil && !notModified(err) {
		return "", err
	}
	return m.EditID, nil
}

// sendFile sends m's attachment: a photo for an image, else a document, with the
// text as caption when it fits (else the text first, as messages).
func (a *Adapter) sendFile(ctx context.Context, chat int64, direct bool, m bots.Message) (string, error) {
	att := m.Attachment
	caption := m.Text
	if units(caption) > maxCaption {
		if _, err := a.sendText(ctx, chat, direct, caption, nil); err != nil {
			return "", err
		}
		caption = ""
	}
	kb := keyboard(m.Buttons)
	photo := strings.HasPrefix(att.Type, "image/") && att.Type != "image/svg+xml"
	method := "sendDocument"
	if photo {
		method = "sendPhoto"
	}
	raw, err := a.do(ctx, method, chat, direct, func(chat int64) tgbotapi.Chattable {
		file := tgbotapi.FileBytes{Name: att.Name, Bytes: att.Data}
		if photo {
			p := tgbotapi.NewPhoto(chat, file)
			p.Caption, p.ParseMode = escapeHTML(caption), tgbotapi.ModeHTML
			if kb != nil {
				p.ReplyMarkup = kb
			}
			return p
		}
		d := tgbotapi.NewDocument(chat, file)
		d.Caption, d.ParseMode = escapeHTML(caption), tgbotapi.ModeHTML
		if kb != nil {
			d.ReplyMarkup = kb
		}
		return d
	})
	if err != nil {
		return "", err
	}
	return messageID(raw)
}

// Retry policy of one call.
const (
	maxFloodWait = 10 * time.Second // a longer retry_after goes back to the outbox
	maxTries     = 3
)

// do makes one message call to chat within the limits: it waits for the pacer,
// waits out a short retry_after, retries server and network errors with backoff,
// and follows a group that became a supergroup. build makes the request for a
// chat ID.
func (a *Adapter) do(ctx context.Context, method string, chat int64, direct bool, build func(chat int64) tgbotapi.Chattable) (json.RawMessage, error) {
	migrated := false
	for try := 1; ; try++ {
		t, err := a.pace.acquire(ctx, chat)
		if err != nil {
			return nil, err
		}
		raw, err := a.api.request(ctx, method, build(chat), direct)
		t.finish()
		if err == nil {
			return raw, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var e *apiError
		if !errors.As(err, &e) {
			return nil, err
		}
		switch {
		case e.Migrate != 0 && !migrated:
			a.log.Warn("group became a supergroup; its community should be attached again", "chat_id", chat, "new_chat_id", e.Migrate)
			chat, migrated = e.Migrate, true
			try--
			continue
		case e.Status == 429:
			a.pace.block(chat, e.Retry)
			a.log.Warn("rate limited by telegram", "method", method, "chat_id", chat, "retry_after", e.Retry)
			if try < maxTries && e.Retry <= maxFloodWait {
				continue // acquire waits out the block
			}
		case e.code == core.CodeUnavailable && (e.Status == 0 || e.Status >= 500):
			if try < maxTries {
				if err := bots.Sleep(ctx, time.Duration(try)*500*time.Millisecond); err != nil {
					return nil, err
				}
				continue
			}
		}
		return nil, err
	}
}

// answerCallback stops the spinner of a pressed button, with a toast when text
// is not empty. It is not a message: no limit applies.
func (a *Adapter) answerCallback(ctx context.Context, id, text string) {
	form := "callback_query_id=" + url.QueryEscape(id)
	if text != "" {
		form += "&text=" + url.QueryEscape(clipUnits(text, maxToast))
	}
	if err := a.api.post(ctx, "answerCallbackQuery", form, nil, false); err != nil {
		// Typically "query is too old": a press redelivered after a restart.
		a.log.Debug("answer callback query", "err", err)
	}
}

func messageID(raw json.RawMessage) (string, error) {
	var msg struct {
		MessageID int `json:"message_id"`
	}
	if err := json.Unmarshal(raw, &msg); err != nil {
		return "", &core.Error{Code: core.CodeUnavailable, Op: "telegram decode message", Err: err}
	}
	return strconv.Itoa(msg.MessageID), nil
}
