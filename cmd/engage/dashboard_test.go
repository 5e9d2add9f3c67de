package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Ensure web.secret (ENGAGE_WEB_SECRET) and http.public_url make /dashboard give
// a link under that address, that without them it says it is not set up, that
// a secret shorter than 16 characters stops the start, and that the secret is
// never written out.
func TestDashboard_Config(t *testing.T) {
	t.Parallel()
	const secret = "a-web-secret-of-the-test"
	script := "alice: /community create Club lang en\nalice: /dashboard\n"
	db := filepath.Join(t.TempDir(), "engage.db")
	out, stderr, code := runEngage(t, script, []string{"ENGAGE_WEB_SECRET=" + secret, "ENGAGE_HTTP_PUBLIC_URL=https://engage.example.org/"},
		"console", "--db", db, "--now", "2026-12-07T09:00")
	if code != 0 || !strings.Contains(out, "[dm alice] 🔒 The dashboard of Club, for you alone: https://engage.example.org/d/d1.") {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	if strings.Contains(out+stderr, secret) {
		t.Fatal("the secret was written out")
	}
	out, _, _ = runEngage(t, "alice: /dashboard\n", []string{"ENGAGE_HTTP_PUBLIC_URL=https://engage.example.org"}, "console", "--db", db)
	if !strings.Contains(out, "not set up on this server") || strings.Contains(out, "/d/") {
		t.Fatalf("no secret: %s", out)
	}
	out, _, _ = runEngage(t, "alice: /dashboard\n", []string{"ENGAGE_WEB_SECRET=" + secret}, "console", "--db", db)
	if !strings.Contains(out, "not set up on this server") {
		t.Fatalf("no public address: %s", out)
	}
	_, stderr, code = runEngage(t, "alice: /dashboard\n", []string{"ENGAGE_WEB_SECRET=short"}, "console", "--db", db)
	if code == 0 || !strings.Contains(stderr, "web.secret (ENGAGE_WEB_SECRET) must be at least 16 characters long") {
		t.Fatalf("short secret: exit %d, %q", code, stderr)
	}
}
