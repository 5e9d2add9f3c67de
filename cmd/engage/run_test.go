package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
)

// testApp wires an app on a fresh database with one community.
func testApp(t *testing.T) (*app, *metrics) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Store.Path = filepath.Join(t.TempDir(), "run.db")
	var m *metrics
	a, err := openApp(cfg, time.Now, newLogger(LogConfig{Level: "error"}, io.Discard), metricsProxy{&m})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	m = newMetrics(a.eng)
	ev := bots.Event{Platform: "test", ChatID: "g", UserID: "alice", UserName: "alice", Kind: bots.KindMessage, Text: "/community create Run Club", Key: "k1"}
	if _, err := a.bot.Handle(t.Context(), ev); err != nil {
		t.Fatal(err)
	}
	ev.Text, ev.Key = "/nope", "k2"
	_, _ = a.bot.Handle(t.Context(), ev)
	return a, m
}

func get(t *testing.T, url string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if len(header) == 2 {
		req.Header.Set(header[0], header[1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// Ensure /healthz answers and /metrics counts events, errors by code and the outbox.
func TestHTTP_HealthAndMetrics(t *testing.T) {
	t.Parallel()
	a, m := testApp(t)
	srv := httptest.NewServer(httpHandler(a, m, nil))
	defer srv.Close()
	if code, body := get(t, srv.URL+"/healthz"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("healthz: %d %s", code, body)
	}
	_, body := get(t, srv.URL+"/metrics")
	for _, want := range []string{
		`engage_events_total{platform="test"} 2`,
		`engage_event_errors_total{code="invalid"} 1`,
		"engage_outbox_depth 0",
		"engage_outbox_oldest_seconds",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// Ensure /backup gives a consistent copy that opens and holds the data with the
// admin token, refuses a request without it or with another, and `engage backup --url`
// uses it.
func TestHTTP_Backup(t *testing.T) {
	t.Parallel()
	a, m := testApp(t)
	a.cfg.HTTP.AdminToken = "s3cret"
	srv := httptest.NewServer(httpHandler(a, m, nil))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "copy.db")
	env := Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string {
		if k == "ENGAGE_HTTP_ADMIN_TOKEN" {
			return "s3cret"
		}
		return ""
	}}
	if err := runBackup(t.Context(), []string{"--url", srv.URL + "/backup", "--out", out}, env); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Store.Path = out
	b, err := openApp(cfg, time.Now, newLogger(LogConfig{Level: "error"}, io.Discard), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_ = b.eng.View(context.Background(), func(tx *core.Tx) error {
		cs, _ := tx.Communities()
		if len(cs) != 1 || cs[0].Name != "Run Club" {
			t.Errorf("backup holds %+v", cs)
		}
		return nil
	})
	for _, h := range [][]string{nil, {"Authorization", "Bearer s3cre"}, {"Authorization", "Bearer s3cret2"}, {"Authorization", "s3cret"}, {"Authorization", "Basic s3cret"}} {
		if code, _ := get(t, srv.URL+"/backup", h...); code != http.StatusForbidden {
			t.Errorf("with %q: got %d, want 403", h, code)
		}
	}
	if code, _ := get(t, srv.URL+"/backup", "Authorization", "Bearer s3cret"); code != 200 {
		t.Errorf("with the token: got %d", code)
	}
}

// Ensure /backup without an admin token is off for everyone, loopback and proxied
// requests included (a reverse proxy on the same host makes every request local):
// 404, no byte of the database, and an answer that says how to turn it on.
func TestHTTP_BackupOffWithoutToken(t *testing.T) {
	a, m := testApp(t)
	a.cfg.HTTP.AdminToken = ""
	srv := httptest.NewServer(httpHandler(a, m, nil)) // listens on 127.0.0.1
	defer srv.Close()
	for _, h := range [][]string{nil, {"X-Forwarded-For", "203.0.113.9"}, {"Authorization", "Bearer "}, {"Authorization", "Bearer x"}} {
		code, body := get(t, srv.URL+"/backup", h...)
		if code != http.StatusNotFound {
			t.Errorf("with %q: got %d, want 404", h, code)
		}
		if !strings.Contains(body, "ENGAGE_HTTP_ADMIN_TOKEN") || strings.Contains(body, "bolt") || len(body) > 200 {
			t.Errorf("with %q: a body of %d bytes, not the hint", h, len(body))
		}
	}
	if adminAllowed(httptest.NewRequest("GET", "/backup", nil), "") {
		t.Error("no token allows a request")
	}
}

// Ensure `engage run` with no platform configured says how to configure one and
// exits non-zero.
func TestRun_NoAdapter(t *testing.T) {
	t.Parallel()
	_, stderr, code := runEngage(t, "", []string{"ENGAGE_STORE_PATH=" + filepath.Join(t.TempDir(), "r.db"), "ENGAGE_HTTP_ADDR=127.0.0.1:0"}, "run")
	if code == 0 || !strings.Contains(stderr, "ENGAGE_TELEGRAM_TOKEN") || !strings.Contains(stderr, "engage console") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}
