package slack_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/slack"
	"github.com/engage-org/engage/adapters/slack/slackfake"
)

// signed builds a request to the adapter in HTTP mode, signed with key at time at.
func signed(t *testing.T, h *harness, path, ctype string, body []byte, key string, at time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.http.URL+path, strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	ts, sig := slackfake.Sign(key, at, body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sig)
	return req
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Ensure the whole flow works over HTTP: slash commands, button presses and modals
// arrive as signed requests and are answered at once.
func TestHTTP_Flow(t *testing.T) {
	h := newHarness(t, options{mode: slack.ModeHTTP})
	h.community()
	d := h.fake.Slash("T1", "C1", "U1", "news P1")
	if d.Status != http.StatusOK {
		t.Fatalf("got status %d, want 200", d.Status)
	}
	v := h.fake.WaitView(1)
	if d := h.fake.Submit(v, map[string]string{"text": "Seeds arrived"}); d.Status != http.StatusOK {
		t.Fatalf("got status %d for the modal, want 200", d.Status)
	}
	h.fake.WaitText("C1", "Seeds arrived")
}

// Ensure Slack's URL check is answered with its challenge.
func TestHTTP_URLVerification(t *testing.T) {
	h := newHarness(t, options{mode: slack.ModeHTTP})
	body := []byte(`{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	status, got := do(t, signed(t, h, "/slack/events", "application/json", body, secret, time.Now()))
	if status != http.StatusOK || got != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("got %d %q, want 200 and the challenge", status, got)
	}
}

// Ensure a forged signature, a stale timestamp and a replayed request are each
// refused, and change nothing.
func TestHTTP_Refused(t *testing.T) {
	h := newHarness(t, options{mode: slack.ModeHTTP})
	form := func(trigger string) []byte {
		return []byte(url.Values{
			"command": {"/engage"}, "text": {"community create Forged"}, "team_id": {"T1"}, "channel_id": {"C7"},
			"channel_name": {"general"}, "user_id": {"U1"}, "user_name": {"alice"}, "trigger_id": {trigger},
		}.Encode())
	}
	const ctype = "application/x-www-form-urlencoded"
	tests := []struct {
		name string
		req  *http.Request
	}{
		{"ErrForgedSignature", signed(t, h, "/slack/commands", ctype, form("t1"), "not-the-secret", time.Now())},
		{"ErrStaleTimestamp", signed(t, h, "/slack/commands", ctype, form("t2"), secret, time.Now().Add(-6*time.Minute))},
		{"ErrFutureTimestamp", signed(t, h, "/slack/commands", ctype, form("t3"), secret, time.Now().Add(6*time.Minute))},
		{"ErrNoSignature", func() *http.Request {
			r := signed(t, h, "/slack/commands", ctype, form("t4"), secret, time.Now())
			r.Header.Del("X-Slack-Signature")
			return r
		}()},
		{"ErrBodyChanged", func() *http.Request {
			r := signed(t, h, "/slack/commands", ctype, form("t5"), secret, time.Now())
			r.Body = io.NopCloser(strings.NewReader(string(form("t6"))))
			return r
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, _ := do(t, tt.req); status != http.StatusUnauthorized {
				t.Fatalf("got %d, want 401", status)
			}
		})
	}
	// A replay: the same signed request twice. The first is taken, the second refused.
	body := form("t7")
	ts, sig := slackfake.Sign(secret, time.Now(), body)
	send := func() int {
		req, _ := http.NewRequest(http.MethodPost, h.http.URL+"/slack/commands", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
		status, _ := do(t, req)
		return status
	}
	if got := send(); got != http.StatusOK {
		t.Fatalf("got %d for the original, want 200", got)
	}
	if got := send(); got != http.StatusUnauthorized {
		t.Fatalf("got %d for the replay, want 401", got)
	}
	h.fake.WaitText("C7", "Forged")
	// Only the original created a community.
	if got := len(h.env.Snapshot().Communities); got != 1 {
		t.Fatalf("got %d communities, want 1", got)
	}
	n := 0
	for _, m := range h.fake.Messages("C7") {
		if strings.Contains(m.Text, "Forged") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("got %d answers, want 1", n)
	}
}

// Ensure an event Slack retries over HTTP (X-Slack-Retry-Num, a new signature)
// is acknowledged and changes nothing.
func TestHTTP_RetriedEvent(t *testing.T) {
	h := newHarness(t, options{mode: slack.ModeHTTP})
	h.community()
	h.fake.Mention("T1", "C1", "U2", "like P1", "Ev300", 0)
	h.fake.WaitText("C1", "You like P1")
	if d := h.fake.Mention("T1", "C1", "U2", "like P1", "Ev300", 1); d.Status != http.StatusOK {
		t.Fatalf("got %d for the retry, want 200", d.Status)
	}
	h.fake.Mention("T1", "C1", "U1", "news P1 sentinel", "Ev301", 0)
	h.fake.WaitText("C1", "sentinel")
	if got := h.snapshot().Projects[0].Likes; got != 1 {
		t.Fatalf("got %d likes, want 1", got)
	}
}

// Ensure malformed deliveries get 400 and unknown ones 200 (nothing to do), and
// that Socket Mode's adapter does not serve HTTP.
func TestHTTP_BadInput(t *testing.T) {
	h := newHarness(t, options{mode: slack.ModeHTTP})
	tests := []struct {
		name, ctype string
		body        string
		want        int
	}{
		{"ErrNotJSON", "application/json", `{"type":`, http.StatusBadRequest},
		{"ErrNoPayload", "application/x-www-form-urlencoded", "a=b", http.StatusBadRequest},
		{"ErrBadPayload", "application/x-www-form-urlencoded", url.Values{"payload": {"[1,2"}}.Encode(), http.StatusBadRequest},
		{"OKOtherEvent", "application/json", `{"type":"app_rate_limited","team_id":"T1"}`, http.StatusOK},
		{"OKViewClosed", "application/x-www-form-urlencoded", url.Values{"payload": {`{"type":"view_closed","user":{"id":"U1"}}`}}.Encode(), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, _ := do(t, signed(t, h, "/slack/events", tt.ctype, []byte(tt.body), secret, time.Now())); status != tt.want {
				t.Fatalf("got %d, want %d", status, tt.want)
			}
		})
	}
	sm := newHarness(t, options{})
	rec := httpRecorder(t, sm.ad, "/slack/events", `{"type":"url_verification","challenge":"x"}`)
	if rec != http.StatusNotFound {
		t.Fatalf("got %d from a Socket Mode adapter, want 404", rec)
	}
}

func httpRecorder(t *testing.T, hd http.Handler, path, body string) int {
	t.Helper()
	rec := httptest.NewRecorder()
	hd.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(body)))
	return rec.Code
}

// Ensure a replay is recognised whatever the case of the signature's hex: the same
// signed request again with its signature in upper or mixed case is refused (401)
// and changes nothing.
func TestHTTP_ReplayAnyCase(t *testing.T) {
	h := newHarness(t, options{mode: slack.ModeHTTP})
	body := []byte(url.Values{
		"command": {"/engage"}, "text": {"community create Replayed"}, "team_id": {"T1"}, "channel_id": {"C8"},
		"channel_name": {"general"}, "user_id": {"U1"}, "user_name": {"alice"}, "trigger_id": {"r1"},
	}.Encode())
	ts, sig := slackfake.Sign(secret, time.Now(), body)
	hexsig, _ := strings.CutPrefix(sig, "v0=")
	mixed := []byte(hexsig)
	for i := range mixed {
		if i%2 == 0 {
			mixed[i] = strings.ToUpper(string(mixed[i]))[0]
		}
	}
	send := func(sig string) int {
		req, _ := http.NewRequest(http.MethodPost, h.http.URL+"/slack/commands", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
		status, _ := do(t, req)
		return status
	}
	if got := send(sig); got != http.StatusOK {
		t.Fatalf("got %d for the original, want 200", got)
	}
	for _, again := range []string{"v0=" + strings.ToUpper(hexsig), "v0=" + string(mixed), sig} {
		if got := send(again); got != http.StatusUnauthorized {
			t.Errorf("got %d for the replay %q, want 401", got, again[:12])
		}
	}
	h.fake.WaitText("C8", "Replayed")
	h.fake.Mention("T1", "C8", "U1", "help", "Ev900", 0) // a sentinel after the replays
	time.Sleep(200 * time.Millisecond)
	if got := len(h.env.Snapshot().Communities); got != 1 {
		t.Fatalf("got %d communities, want 1", got)
	}
}
