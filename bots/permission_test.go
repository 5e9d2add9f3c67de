package bots_test

import (
	"strings"
	"testing"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/google/go-cmp/cmp"
)

// roleEnv makes a community where alice is admin, fay facilitator, rita the referent
// of P1, and mo a plain member; P1 has a next step, P2 belongs to alice.
func roleEnv(t *testing.T) *botstest.Env {
	t.Helper()
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Club lang en")
	e.Say("rita", "/project new Garden")
	e.Say("alice", "/project new Repair café")
	e.Say("fay", "hello")
	e.Say("mo", "hello")
	e.Say("alice", "/role @fay facilitator")
	e.Say("rita", "/nextstep P1 Plant seeds")
	e.Say("mo", "/follow P2")
	e.Sent.Reset()
	return e
}

// refused reports whether the answers say the role is not enough.
func refused(out []string) bool {
	for _, s := range out {
		if strings.HasPrefix(s, "Only ") {
			return true
		}
	}
	return false
}

// Ensure every command of the foundation obeys its role rule, for every role.
func TestPermissions(t *testing.T) {
	const (
		admin = 1 << iota
		facilitator
		referent
		member
		everyone = admin | facilitator | referent | member
		managers = admin | facilitator | referent
		staff    = admin | facilitator
	)
	commands := []struct {
		text    string
		allowed int
	}{
		{"/help", everyone},
		{"/help news", everyone},
		{"/lang fr", everyone},
		{"/me", everyone},
		{"/link", everyone},
		{"/forgetme", everyone},
		{"/find seeds", everyone},
		{"/community", everyone},
		{"/community invite", admin},
		{"/role @mo referent", admin},
		{"/members", staff},
		{"/projects", everyone},
		{"/project P1", everyone},
		{"/project new Bike workshop", everyone},
		{"/project P1 stage support", managers},
		{"/referent P1 @mo", managers},
		{"/follow P1", everyone},
		{"/like P1", everyone},
		{"/news P1 Seeds are in", managers},
		{"/nextstep P1 Water the seeds by 2026-12-20", managers},
		{"/nextstep P1 share", managers},
		{"/needs P1 carpentry", managers},
		{"/offer P1 I have tools", everyone},
		{"/contact P1", staff},
		{"/contact P1 email=rita@example.org", staff},
		{"/slot", everyone},
		{"/slot tuesday 18:00", staff},
		{"/slot move thursday 10:00", staff},
		{"/backup @fay", staff},
		{"/away 2026-12-10 2026-12-12", everyone},
		{"/checkin now", staff},
		{"/checkin P1", managers},
		{"/meeting", everyone},
		{"/meeting new 2026-12-20 19:00 General meeting", staff},
		{"/meeting poll", staff},
		{"/digest", staff},
		{"/impact", staff},
	}
	roles := []struct {
		name string
		user string
		bit  int
	}{{"Admin", "alice", admin}, {"Facilitator", "fay", facilitator}, {"Referent", "rita", referent}, {"Member", "mo", member}}
	for _, c := range commands {
		for _, r := range roles {
			want := "OK"
			if c.allowed&r.bit == 0 {
				want = "ErrForbidden"
			}
			t.Run(c.text+"/"+r.name+"/"+want, func(t *testing.T) {
				e := roleEnv(t)
				before := e.Snapshot()
				out := botstest.Texts(e.Say(r.user, c.text))
				if got := refused(out); got != (want != "OK") {
					t.Fatalf("refused=%v, want %v; answers %q", got, want != "OK", out)
				}
				if want != "OK" {
					if diff := cmp.Diff(before, e.Snapshot()); diff != "" {
						t.Fatalf("a refused command changed the state:\n%s", diff)
					}
				}
			})
		}
	}
	// /unfollow needs a follow first; mo follows P2.
	e := roleEnv(t)
	if out := botstest.Texts(e.Say("mo", "/unfollow P2")); refused(out) {
		t.Fatalf("unfollow refused: %q", out)
	}
}
