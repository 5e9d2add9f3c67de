package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"
)

// Routes are the paths the adapter serves in HTTP mode, on the service's HTTP
// listener; the manifest points Slack's Events API, interactivity and slash
// command at them. Each takes any of the three kinds of delivery.
var Routes = []string{"POST /slack/events", "POST /slack/interactions", "POST /slack/commands"}

// maxBody bounds a request body.
const maxBody = 1 << 20

// ServeHTTP takes one delivery over HTTP. The request must be signed with the
// app's signing secret (v0 HMAC-SHA256 over the timestamp and the raw body,
// compared in constant time) less than 5 minutes ago, and not be seen before (a
// replayed request is refused even within the 5 minutes). With an Inbox, the
// delivery is stored durably before the 200 (a 503 when it cannot be, so that
// Slack retries), and the work continues after it from the inbox.
func (a *Adapter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a.cfg.Mode != ModeHTTP {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err := a.verify(r.Header, body); err != nil {
		a.log.Warn("slack request refused", "reason", err, "remote", r.RemoteAddr)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	via := a.spaces[0]
	ctype := r.Header.Get("Content-Type")
	in, err := decodeHTTP(ctype, body)
	if err == nil && in.challenge != "" {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, in.challenge)
		return
	}
	switch {
	case errors.Is(err, errIgnored):
		w.WriteHeader(http.StatusOK)
		return
	case err != nil:
		a.log.Warn("slack delivery not understood", "err", err)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if r.Header.Get("X-Slack-Retry-Num") != "" {
		a.log.Debug("slack retried delivery", "key", in.ev.Key, "retry", r.Header.Get("X-Slack-Retry-Num"), "reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	in.raw, _ = json.Marshal(httpDelivery{ContentType: ctype, Body: body})
	if !a.accept(r.Context(), via, in) {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// httpDelivery is what the inbox keeps of a delivery: enough to decode it again
// after a restart. Over HTTP, its content type and body; over Socket Mode, its
// envelope's type and payload, and the workspace whose connection it came by.
type httpDelivery struct {
	ContentType string          `json:"ctype,omitempty"`
	Body        []byte          `json:"body,omitempty"`
	Type        string          `json:"type,omitempty"`
	Payload     json.RawMessage `json:"payload,omitempty"`
	Workspace   string          `json:"ws,omitempty"`
}

// decode decodes a delivery kept in the inbox, and says which workspace it came by.
func (a *Adapter) decodeKept(d httpDelivery) (*workspace, inbound, error) {
	if d.Type == "" {
		in, err := decodeHTTP(d.ContentType, d.Body)
		return a.spaces[0], in, err
	}
	w := a.spaces[0]
	for _, s := range a.spaces {
		if s.name == d.Workspace {
			w = s
		}
	}
	in, err := decodePayload(d.Type, d.Payload)
	return w, in, err
}

// decodeHTTP decodes the body of a verified HTTP delivery.
func decodeHTTP(ctype string, body []byte) (inbound, error) {
	if strings.HasPrefix(ctype, "application/json") {
		return decodeEvent(body)
	}
	form, err := url.ParseQuery(string(body))
	switch {
	case err != nil:
		return inbound{}, err
	case form.Has("payload"):
		return decodeInteraction([]byte(form.Get("payload")))
	case form.Has("command"):
		return decodeSlashForm(form)
	default:
		return inbound{}, errors.New("neither an event, an interaction nor a command")
	}
}

// recoverInbox queues the deliveries an earlier run acknowledged and never
// handled: each is handled once, as if just received.
func (a *Adapter) recoverInbox(ctx context.Context) {
	if a.cfg.Inbox == nil {
		return
	}
	pending, err := a.cfg.Inbox.Pending(ctx)
	if err != nil {
		a.log.Error("slack inbox: deliveries of the previous run not read", "err", err)
		return
	}
	if len(pending) > 0 {
		a.log.Info("slack inbox: handling deliveries acknowledged before the restart", "n", len(pending))
	}
	for _, d := range pending {
		var hd httpDelivery
		w, in, err := a.spaces[0], inbound{}, json.Unmarshal(d.Payload, &hd)
		if err == nil {
			w, in, err = a.decodeKept(hd)
		}
		if err != nil || in.challenge != "" {
			if err := a.cfg.Inbox.Done(ctx, d.ID); err != nil {
				a.log.Warn("slack inbox", "err", err)
			}
			continue
		}
		in.ev.Inbox = d.ID
		if !a.accept(ctx, w, in) {
			return
		}
	}
}

// verify checks a request's signature and timestamp, and that it was not seen
// before.
func (a *Adapter) verify(h http.Header, body []byte) error {
	sv, err := slackapi.NewSecretsVerifier(h, a.cfg.SigningSecret) // refuses a timestamp 5 minutes off
	if err != nil {
		return err
	}
	if _, err := sv.Write(body); err != nil {
		return err
	}
	if err := sv.Ensure(); err != nil { // hmac.Equal: constant time
		return err
	}
	// A replay is known by what the signature covers (the timestamp and the
	// body), not by the header's text: hex in another case is the same signature.
	ts := h.Get("X-Slack-Request-Timestamp")
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("bad timestamp")
	}
	if !a.replay.First(ts, time.Unix(secs, 0), body) {
		return errors.New("replayed request")
	}
	return nil
}

// Handler returns the HTTP handler to mount on Routes.
func (a *Adapter) Handler() http.Handler { return a }
