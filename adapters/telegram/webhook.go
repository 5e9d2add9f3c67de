package telegram

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
)

// secretHeader carries the webhook's secret token on every delivery.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdateBody bounds a webhook delivery.
const maxUpdateBody = 1 << 20

// WebhookPath is where the webhook is mounted on the service's HTTP listener: the
// path of the webhook URL.
func (a *Adapter) WebhookPath() string {
	u, err := url.Parse(a.cfg.WebhookURL)
	if err != nil || u.Path == "" {
		return "/telegram"
	}
	return u.Path
}

// Webhook returns the handler of webhook deliveries. A delivery without the
// secret token, or with a wrong one, is answered 401 and changes nothing. An
// update is answered 200 only once it is safe: with an Inbox, once it is stored
// there (it is handled from it, after a crash too); without, once it was handled
// and committed, so Telegram delivers again what a crash interrupted. A delivery
// received twice is handled once (the update_id is the idempotency key).
func (a *Adapter) Webhook() http.Handler { return http.HandlerFunc(a.serveWebhook) }

func (a *Adapter) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	got := r.Header.Get(secretHeader)
	if a.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.cfg.WebhookSecret)) != 1 {
		a.log.Warn("webhook delivery refused: wrong or missing secret token", "remote", r.RemoteAddr)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdateBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	o := a.running.Load()
	if o == nil {
		http.Error(w, "not running", http.StatusServiceUnavailable)
		return
	}
	up, err := decodeUpdate(body, a.name)
	if err != nil {
		a.log.Warn("undecodable webhook update refused", "err", err)
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	if a.cfg.Inbox != nil {
		a.keepHooked(w, r, o, up, body)
		return
	}
	j := a.job(up, nil)
	o.submit(j)
	select {
	case <-j.done:
	case <-r.Context().Done():
		return // Telegram gave up waiting; it delivers again, and the key dedupes
	}
	if !j.ok {
		http.Error(w, "stopping", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// setWebhook registers the webhook with its secret token (the library has no
// field for it), retrying while Telegram is unreachable.
func (a *Adapter) setWebhook(ctx context.Context) error {
	p := tgbotapi.Params{
		"url":             a.cfg.WebhookURL,
		"secret_token":    a.cfg.WebhookSecret,
		"allowed_updates": allowedUpdates,
		"max_connections": "40",
	}
	return a.retry(ctx, "setWebhook", func() error {
		_, err := a.api.call(ctx, "setWebhook", p, false)
		return err
	})
}

// deleteWebhook removes a webhook left from an earlier run, so that getUpdates
// works; pending updates are kept.
func (a *Adapter) deleteWebhook(ctx context.Context) error {
	return a.retry(ctx, "deleteWebhook", func() error {
		_, err := a.api.call(ctx, "deleteWebhook", tgbotapi.Params{"drop_pending_updates": "false"}, false)
		return err
	})
}

// retry runs fn until it succeeds, fails for good, or ctx ends.
func (a *Adapter) retry(ctx context.Context, what string, fn func() error) error {
	for try := 1; ; try++ {
		err := fn()
		if err == nil || core.ErrorCode(err) != core.CodeUnavailable || ctx.Err() != nil {
			return err
		}
		wait := min(time.Duration(try)*time.Second, 30*time.Second)
		a.log.Warn(what+" failed, will retry", "err", err, "retry_in", wait)
		if err := bots.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// validSecret reports whether s can be a webhook secret token: 1 to 256 of
// A-Z, a-z, 0-9, _ and -.
func validSecret(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	return strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == ""
}

// keepHooked appends a webhook update to the inbox, answers 200 once it is
// stored (503 when it cannot be: Telegram delivers it again) and hands it to the
// orderer.
func (a *Adapter) keepHooked(w http.ResponseWriter, r *http.Request, o *orderer, up update, body []byte) {
	if !keptUpdate(up) {
		w.WriteHeader(http.StatusOK)
		if up.Callback != "" {
			o.submit(a.job(up, nil))
		}
		return
	}
	id, err := a.cfg.Inbox.Append(r.Context(), body)
	if err != nil {
		a.log.Error("telegram inbox: update not stored, Telegram will deliver it again", "update_id", up.ID, "err", err)
		http.Error(w, "not stored", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
	a.submitKept(o, up, id)
}
