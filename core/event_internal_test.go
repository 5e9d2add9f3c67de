package core

import (
	"strconv"
	"strings"
	"testing"
)

// Ensure a delivery's number is kept zero-padded after its platform's name, so
// that later deliveries sort after earlier ones, and any other key only as its
// digest.
func TestEventKey_Forms(t *testing.T) {
	for k, want := range map[string]string{
		"telegram:812345678":          "ntelegram:00000000000812345678",
		"discord:1182736455512334336": "ndiscord:01182736455512334336",
		"bench:0":                     "nbench:00000000000000000000",
	} {
		if got := eventKey(k); got != want {
			t.Errorf("eventKey(%q) = %q, want %q", k, got, want)
		}
	}
	for _, k := range []string{
		"slack:action:U99ALICE:1733400000.1", "slack:Ev0123", "telegram:0812", "Telegram:12",
		"telegram:", ":12", "console:s1:3", "telegram:123456789012345678901", "tele gram:1", "telegram:-1",
	} {
		if got := eventKey(k); got != eventDigest(k) || !isEventRecordKey(got) {
			t.Errorf("eventKey(%q) = %q, want its digest", k, got)
		}
	}
	if !(eventKey("telegram:999") < eventKey("telegram:1000")) {
		t.Error("a later update sorts before an earlier one")
	}
	for _, k := range []string{"telegram:12", "ntelegram:12", "ntelegram:0000000000000000001x", "hxyz", "NTELEGRAM:00000000000000000012"} {
		if isEventRecordKey(k) {
			t.Errorf("isEventRecordKey(%q): a key an earlier version kept as typed taken for a record key", k)
		}
	}
}

// FuzzEventKey checks that every idempotency key gets a record key, that a key
// with anything but a platform's name and a number is kept only as its digest,
// and that numbers keep their order.
func FuzzEventKey(f *testing.F) {
	f.Add("telegram:812345678", uint64(7), uint64(1000))
	f.Add("slack:action:U1:2.3", uint64(0), uint64(18446744073709551615))
	f.Add("discord:1182736455512334336", uint64(99), uint64(100))
	f.Fuzz(func(t *testing.T, k string, a, b uint64) {
		rk := eventKey(k)
		if !isEventRecordKey(rk) || rk != eventKey(k) {
			t.Fatalf("eventKey(%q) = %q: not a record key", k, rk)
		}
		if _, _, numbered := numberedKey(k); !numbered && rk != eventDigest(k) {
			t.Fatalf("eventKey(%q) = %q keeps a key that is no delivery number", k, rk)
		}
		ka, kb := eventKey("telegram:"+strconv.FormatUint(a, 10)), eventKey("telegram:"+strconv.FormatUint(b, 10))
		if (a < b) != (ka < kb) || (a == b) != (ka == kb) {
			t.Fatalf("%d, %d: record keys %q, %q out of order", a, b, ka, kb)
		}
		if strings.Contains(rk, ":") && !strings.HasPrefix(rk, "n") {
			t.Fatalf("eventKey(%q) = %q", k, rk)
		}
	})
}
