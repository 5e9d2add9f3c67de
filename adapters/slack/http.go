package slack

import (
	"bytes"
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
// replayed request is refused even within the 5 minutes). The answer is an
// immediate 200; the work continues after it.
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
	r.Body = io.NopCloser(bytes.NewReader(body)) // verified: the body is read again below
	via := a.spaces[0]
	var in inbound
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		in, err = decodeEvent(body)
		if err == nil && in.challenge != "" {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, in.challenge)
			return
		}
	} else {
		form, perr := url.ParseQuery(string(body))
		switch {
		case perr != nil:
			err = perr
		case form.Has("payload"):
			in, err = decodeInteraction([]byte(form.Get("payload")))
		case form.Has("command"):
			in, err = decodeSlashForm(form)
		default:
			err = errors.New("neither an event, an interaction nor a command")
		}
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
	if !a.accept(r.Context(), via, in) {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
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
