package bots_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
)

const testDashSecret = "dashboard-secret-for-tests"

// dashEnv is a community with a facilitator (fay), a referent (rita) and a member
// (bob), whose bot gives dashboard links when configured.
func dashEnv(t *testing.T, lang string, configured bool) *botstest.Env {
	t.Helper()
	opt := botstest.Options{NoSync: true, Lang: lang}
	if configured {
		opt.DashboardSecret = testDashSecret
		opt.Tune = func(c *bots.Config) { c.WebURL = "https://engage.example.org/" }
	}
	e := botstest.NewEnv(t, opt)
	e.Say("alice", "/community create Club tz Europe/Paris lang "+lang)
	e.Say("rita", "/project new Garden")
	e.Say("bob", "hello")
	e.Say("fay", "hello")
	e.Say("alice", "/role @fay facilitator")
	e.Sent.Reset()
	return e
}

// linkToken returns the token of the dashboard link in out, failing the test when
// there is none or when it was not answered privately.
func linkToken(t *testing.T, out []bots.Message) string {
	t.Helper()
	if len(out) != 1 || !out[0].Direct || !out[0].Ephemeral {
		t.Fatalf("dashboard answer not private: %+v", out)
	}
	const prefix = "https://engage.example.org" + bots.DashboardPath
	i := strings.Index(out[0].Text, prefix)
	if i < 0 {
		t.Fatalf("no link in %q", out[0].Text)
	}
	tok, _, _ := strings.Cut(out[0].Text[i+len(prefix):], "\n")
	return strings.TrimSpace(tok)
}

// open checks tok as the web page would.
func open(t *testing.T, e *botstest.Env, tok string) (core.CommunityID, error) {
	t.Helper()
	var id core.CommunityID
	err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
		c, _, err := tx.OpenDashboard(tok)
		if c != nil {
			id = c.ID
		}
		return err
	})
	return id, err
}

// Ensure /dashboard gives facilitators and admins a private link that opens their
// community's dashboard, refuses the others, and tells that it is not configured
// without a secret, in both languages; the link is not kept with the event.
func TestDashboard_Link(t *testing.T) {
	for _, tt := range []struct {
		lang, cmd, revoke, forbidden, off, until, revoked string
	}{
		{"en", "/dashboard", "/dashboard revoke", "Only facilitators", "not set up on this server", "It works until", "no longer works"},
		{"fr", "/tableau", "/tableau revoquer", "Seuls les animateurs", "n'est pas configuré sur ce serveur", "Il fonctionne jusqu'au", "ne fonctionne plus"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			e := dashEnv(t, tt.lang, true)
			before := e.Snapshot()
			for _, who := range []string{"rita", "bob"} {
				for _, cmd := range []string{tt.cmd, tt.revoke} {
					out := e.Say(who, cmd)
					if len(out) != 1 || !out[0].Direct || !strings.Contains(out[0].Text, tt.forbidden) || strings.Contains(out[0].Text, "https://") {
						t.Fatalf("%s %s: %q", who, cmd, botstest.Texts(out))
					}
				}
			}
			if len(e.Sent.Messages()) != 0 {
				t.Fatalf("refusals sent %q", botstest.Texts(e.Sent.Messages()))
			}
			for _, who := range []string{"fay", "alice"} {
				out := e.Say(who, tt.cmd)
				if !strings.Contains(out[0].Text, tt.until) {
					t.Errorf("%s: %q", who, out[0].Text)
				}
				tok := linkToken(t, out)
				if id, err := open(t, e, tok); err != nil || id == "" {
					t.Fatalf("%s's link: %v", who, err)
				}
			}
			ev := e.Event("fay", tt.cmd)
			tok := linkToken(t, e.Handle(ev))
			if again := e.Handle(ev); len(again) != 0 && strings.Contains(botstest.Texts(again)[0], tok) {
				t.Fatal("the link was kept with the event and given again")
			}
			if out := e.Say("fay", tt.cmd+" now please"); !strings.Contains(out[0].Text, tt.cmd+" —") || strings.Contains(out[0].Text, "https://") {
				t.Errorf("extra words: %q", out[0].Text)
			}
			// A revoke with more words is refused and ends nothing.
			if out := e.Say("fay", tt.revoke+" all"); len(out) != 1 || strings.Contains(out[0].Text, tt.revoked) || !strings.Contains(out[0].Text, tt.cmd) {
				t.Fatalf("revoke all: %q", botstest.Texts(out))
			}
			if _, err := open(t, e, tok); err != nil {
				t.Fatalf("a refused revoke ended a link: %v", err)
			}
			out := e.Say("fay", tt.revoke)
			if len(out) != 1 || !out[0].Direct || !strings.Contains(out[0].Text, tt.revoked) {
				t.Fatalf("revoke: %+v", out)
			}
			if _, err := open(t, e, tok); core.ErrorCode(err) != core.CodeNotFound {
				t.Fatalf("a revoked link opens: %v", err)
			}
			if _, err := open(t, e, linkToken(t, e.Say("fay", tt.cmd))); err != nil {
				t.Fatalf("a link given after revoke: %v", err)
			}
			if len(before.Communities) != 1 {
				t.Fatal("no community")
			}

			off := dashEnv(t, tt.lang, false)
			out = off.Say("fay", tt.cmd)
			if len(out) != 1 || !out[0].Direct || !strings.Contains(out[0].Text, tt.off) {
				t.Fatalf("not configured: %q", botstest.Texts(out))
			}
			// In the asker's own language, whatever the community's.
			other, otherOff := "fr", "n'est pas configuré sur ce serveur"
			if tt.lang == "fr" {
				other, otherOff = "en", "not set up on this server"
			}
			off.Say("fay", "/lang "+other)
			if out := off.Say("fay", tt.cmd); len(out) != 1 || !strings.Contains(out[0].Text, otherOff) {
				t.Fatalf("not configured, in %s: %q", other, botstest.Texts(out))
			}
		})
	}
}

// Ensure a dashboard link is refused once altered, forged under another secret,
// expired (24 hours), or when the engine has no secret.
func TestDashboard_Refused(t *testing.T) {
	e := dashEnv(t, "en", true)
	tok := linkToken(t, e.Say("fay", "/dashboard"))
	comm, err := open(t, e, tok)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 5 {
		t.Fatalf("token %q", tok)
	}
	alter := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, ".")
	}
	flip := func(s string) string {
		b := []byte(s)
		if b[len(b)-1] == 'A' {
			b[len(b)-1] = 'B'
		} else {
			b[len(b)-1] = 'A'
		}
		return string(b)
	}
	// A forged link: the same claims signed under another secret.
	forger := botstest.NewEnv(t, botstest.Options{NoSync: true, DashboardSecret: "another-secret-of-16-bytes",
		Tune: func(c *bots.Config) { c.WebURL = "https://engage.example.org" }})
	forger.Say("alice", "/community create Club tz Europe/Paris lang en")
	forged := linkToken(t, forger.Say("alice", "/dashboard"))
	for name, bad := range map[string]string{
		"empty":        "",
		"garbage":      "not-a-token",
		"signature":    alter(4, flip(parts[4])),
		"no signature": strings.Join(parts[:4], "."),
		"community":    alter(1, "b3RoZXI"), // "other"
		"generation":   alter(2, "7"),
		"expiry":       alter(3, "99999999999"),
		"version":      alter(0, "d2"),
		"forged":       forged,
		"long":         tok + strings.Repeat("A", 600),
	} {
		if id, err := open(t, e, bad); core.ErrorCode(err) != core.CodeNotFound || id != "" {
			t.Errorf("%s: opened %q (%v)", name, id, err)
		}
	}
	e.Clock.Set(e.Clock.Now().Add(23*time.Hour + 59*time.Minute))
	if id, err := open(t, e, tok); err != nil || id != comm {
		t.Fatalf("a link of 23 h 59: %v", err)
	}
	e.Clock.Set(e.Clock.Now().Add(time.Minute))
	if _, err := open(t, e, tok); core.ErrorCode(err) != core.CodeNotFound {
		t.Fatalf("an expired link opens: %v", err)
	}
	// The same store read by an engine without the secret opens nothing.
	bare := core.New(e.DB, e.Clock.Now)
	err = bare.View(context.Background(), func(tx *core.Tx) error {
		_, _, err := tx.OpenDashboard(tok)
		return err
	})
	if core.ErrorCode(err) != core.CodeNotFound {
		t.Fatalf("no secret: %v", err)
	}
}
