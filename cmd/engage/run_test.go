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

// Ensure /backup gives a consistent copy that opens and holds the data, refuses a
// request without the admin token when one is set, and `engage backup --url` uses it.
func TestHTTP_Backup(t *testing.T) {
	t.Parallel()
	a, m := testApp(t)
	srv := httptest.NewServer(httpHandler(a, m, nil))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := runBackup(t.Context(), []string{"--url", srv.URL + "/backup", "--out", out}, Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}); err != nil {
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
	a.cfg.HTTP.AdminToken = "s3cret"
	if code, _ := get(t, srv.URL+"/backup"); code != http.StatusForbidden {
		t.Errorf("without the token: got %d, want 403", code)
	}
	if code, _ := get(t, srv.URL+"/backup", "Authorization", "Bearer s3cret"); code != 200 {
		t.Errorf("with the token: got %d", code)
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
