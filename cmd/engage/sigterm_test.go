package main

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/telegram/telegramtest"
)

// Ensure `engage run`, as a process: its listener on port 0 is logged and serves
// /healthz and /metrics while Telegram updates are handled, and SIGTERM stops it
// cleanly (exit 0) with every handled update's effect stored.
func TestRun_SIGTERM(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t, telegramtest.TelegramLimits)
	const group = -2002
	fake.Group(group, "Signal club")
	db := filepath.Join(t.TempDir(), "engage.db")
	cmd := exec.Command(engageBin, "run")
	cmd.Env = append(os.Environ(),
		"ENGAGE_TELEGRAM_TOKEN="+telegramtest.Token, "ENGAGE_TELEGRAM_API_URL="+fake.URL(),
		"ENGAGE_HTTP_ADDR=127.0.0.1:0", "ENGAGE_STORE_PATH="+db, "ENGAGE_COMMUNITY_LANG=en")
	// The logs go to a buffer that cmd.Wait does not cut short (a pipe read by
	// another goroutine may lose the last lines once Wait closes it).
	stderr := &tgBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg="http listening" addr=(\S+)`)
		for range 400 {
			if m := re.FindStringSubmatch(stderr.String()); m != nil {
				addr <- m[1]
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case <-time.After(20 * time.Second):
		t.Fatal("no listening address logged")
	}
	alice := tgUser(21, "Alice")
	fake.Say(group, alice, "/community create Signal club")
	fake.Say(group, alice, "/project new Night bus")
	fake.Wait(20*time.Second, "the project posted", func() bool { _, ok := fake.Last(group, "Night bus"); return ok })

	for path, want := range map[string]string{"/healthz": `"ok"`, "/metrics": `engage_events_total{platform="telegram"} 2`} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d, lacks %q", path, resp.StatusCode, want)
		}
	}

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("engage did not stop on SIGTERM")
	}
	t.Logf("stopped in %v", time.Since(start))
	if l := stderr.String(); !strings.Contains(l, "shutting down") {
		t.Errorf("no shutdown in the logs:\n%s", l)
	}
	out, _, code := runEngage(t, "", nil, "export", "--db", db)
	if code != 0 || !strings.Contains(out, `"title": "Night bus"`) {
		t.Fatalf("export after SIGTERM: exit %d\n%s", code, out)
	}
}
