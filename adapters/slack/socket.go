package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/engage-org/engage/bots"
)

// runSocket keeps a Socket Mode connection for w until ctx ends. Every envelope is
// acknowledged as soon as it arrives, before any work; the work goes to the
// workers. It returns an error only when Slack refuses the app token.
func (a *Adapter) runSocket(ctx context.Context, w *workspace) error {
	log := a.log.With("workspace", w.name)
	for attempt := 0; ; attempt++ {
		sm := socketmode.New(w.client,
			socketmode.OptionPingInterval(a.cfg.PingInterval),
			socketmode.OptionLog(slogWriter{log}))
		done := make(chan error, 1)
		runCtx, cancel := context.WithCancel(ctx)
		go func() { done <- sm.RunContext(runCtx) }() // waited for below
		err := a.consume(runCtx, w, sm, done)
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if refused(err) {
			return fmt.Errorf("slack workspace %s: the app token is refused: %w", w.name, err)
		}
		log.Warn("slack socket mode stopped, reconnecting", "err", err)
		if bots.Sleep(ctx, backoff(attempt)) != nil {
			return nil
		}
	}
}

// consume reads the connection's events until it stops, and returns why.
func (a *Adapter) consume(ctx context.Context, w *workspace, sm *socketmode.Client, done <-chan error) error {
	log := a.log.With("workspace", w.name)
	for {
		select {
		case err := <-done:
			return err
		case evt := <-sm.Events:
			switch evt.Type {
			case socketmode.EventTypeEventsAPI, socketmode.EventTypeInteractive, socketmode.EventTypeSlashCommand:
				if evt.Request == nil {
					continue
				}
				req := evt.Request
				in, err := decodePayload(req.Type, req.Payload)
				if err == nil && a.cfg.Inbox != nil {
					in.raw, _ = json.Marshal(httpDelivery{Type: req.Type, Payload: req.Payload, Workspace: w.name})
				}
				// Stored (in the inbox, when there is one) before it is
				// acknowledged; one store write, well within Slack's 3 s.
				a.take(ctx, w, in, err, req.RetryAttempt)
				a.ack(ctx, sm, req.EnvelopeID)
			case socketmode.EventTypeErrorBadMessage:
				// The library could not read the payload; the adapter's own decoder may.
				bad, ok := evt.Data.(*socketmode.ErrorBadMessage)
				if !ok {
					continue
				}
				env, in, err := decodeEnvelope(bad.Message)
				if env.EnvelopeID != "" {
					a.ack(ctx, sm, env.EnvelopeID)
				}
				if env.Type == "hello" || env.Type == "disconnect" {
					continue
				}
				a.take(ctx, w, in, err, env.RetryAttempt)
			case socketmode.EventTypeConnected:
				log.Info("slack socket mode connected")
			case socketmode.EventTypeConnectionError:
				if ce, ok := evt.Data.(*slackapi.ConnectionErrorEvent); ok {
					log.Warn("slack socket mode connection error", "err", ce.ErrorObj)
				}
			case socketmode.EventTypeInvalidAuth:
				log.Error("slack socket mode: the app token is refused")
			}
		case <-ctx.Done():
			<-done
			return ctx.Err()
		}
	}
}

// ack acknowledges an envelope.
func (a *Adapter) ack(ctx context.Context, sm *socketmode.Client, envelopeID string) {
	if envelopeID == "" {
		return
	}
	if err := sm.AckCtx(ctx, envelopeID, nil); err != nil {
		a.log.Warn("slack ack failed", "envelope_id", envelopeID, "err", err)
	}
}

// take queues a decoded delivery for the workers.
func (a *Adapter) take(ctx context.Context, w *workspace, in inbound, err error, retry int) {
	switch {
	case errors.Is(err, errIgnored):
		return
	case err != nil:
		a.log.Warn("slack delivery not understood", "workspace", w.name, "err", err)
		return
	case in.challenge != "":
		return
	}
	if retry > 0 {
		a.log.Debug("slack retried delivery", "key", in.ev.Key, "retry", retry)
	}
	a.accept(ctx, w, in)
}

// refused reports whether err says the token is refused for good.
func refused(err error) bool {
	if err == nil {
		return false
	}
	var sc slackapi.StatusCodeError
	if errors.As(err, &sc) && (sc.Code == 401 || sc.Code == 403 || sc.Code == 404) {
		return true
	}
	var se slackapi.SlackErrorResponse
	return errors.As(err, &se) && (se.Err == "invalid_auth" || se.Err == "not_authed" || se.Err == "token_revoked" || se.Err == "account_inactive" || se.Err == "not_allowed_token_type")
}

// slogWriter passes slack-go's log lines to the adapter's logger, at debug level
// (they may hold payloads).
type slogWriter struct{ log *slog.Logger }

func (s slogWriter) Output(_ int, line string) error {
	s.log.Debug("slack-go", "line", strings.TrimSpace(line))
	return nil
}
