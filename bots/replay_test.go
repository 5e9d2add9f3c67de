package bots_test

import (
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
)

// Ensure the replay guard takes a request once while its timestamp is within the
// window, tells requests apart by timestamp and body, and forgets them once the
// window is past (memory stays bounded).
func TestReplayGuard(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	g := bots.NewReplayGuard(5*time.Minute, func() time.Time { return now })
	at := now
	if !g.First("1", at, []byte("a")) {
		t.Fatal("first request refused")
	}
	if g.First("1", at, []byte("a")) {
		t.Fatal("replay taken")
	}
	if !g.First("2", at, []byte("a")) || !g.First("1", at, []byte("b")) {
		t.Fatal("another timestamp or body refused")
	}
	// "1"+"\x00a" and "1\x00"+"a" must not collide with "1a".
	if !g.First("1a", at, nil) || !g.First("", at, []byte("1a")) {
		t.Fatal("a split of the same bytes refused")
	}
	now = now.Add(4 * time.Minute)
	if g.First("1", at, []byte("a")) {
		t.Fatal("replay within the window taken")
	}
	g.Forget("1", []byte("a"))
	if !g.First("1", at, []byte("a")) {
		t.Fatal("forgotten request refused")
	}
	now = now.Add(20 * time.Minute)
	if !g.First("3", now, []byte("c")) {
		t.Fatal("new request refused")
	}
	if got := g.Len(); got != 1 {
		t.Fatalf("%d entries kept after the window, want 1", got)
	}
}
