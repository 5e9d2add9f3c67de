package core_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
)

// Ensure the event records an earlier version kept, under a numbered key's
// digest or under the key as typed, still make a redelivery change nothing, and
// that recording the answer's delivery moves them to the record key of now.
func TestEvents_EarlierRecordsStillCount(t *testing.T) {
	e, _ := newEngine(t)
	digest := func(k string) string { sum := sha256.Sum256([]byte(k)); return "h" + hex.EncodeToString(sum[:]) }
	rec, err := json.Marshal(map[string]any{"at": time.Now(), "answer": []byte(`[{"text":"ok"}]`)})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store().Update(t.Context(), func(kv core.StoreTx) error {
		if err := kv.Put("event", digest("telegram:41"), rec); err != nil {
			return err
		}
		return kv.Put("event", "telegram:42", rec)
	}); err != nil {
		t.Fatal(err)
	}
	keys := func() map[string]bool {
		out := map[string]bool{}
		if err := e.Store().View(t.Context(), func(kv core.StoreTx) error {
			return kv.Scan("event", "", false, func(k string, _ []byte) error { out[k] = true; return nil })
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, k := range []string{"telegram:41", "telegram:42"} {
		ran := false
		res, err := e.Do(t.Context(), k, func(*core.Tx) ([]byte, error) { ran = true; return []byte("again"), nil })
		if err != nil || ran || !res.Replayed || string(res.Answer) != `[{"text":"ok"}]` {
			t.Fatalf("%s delivered again: ran %v, %+v, %v", k, ran, res, err)
		}
		if err := e.AnswerSent(t.Context(), k); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Do(t.Context(), "telegram:43", func(*core.Tx) ([]byte, error) { return nil, nil }); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"ntelegram:00000000000000000041": true, "ntelegram:00000000000000000042": true, "ntelegram:00000000000000000043": true}
	if got := keys(); len(got) != len(want) || !got["ntelegram:00000000000000000041"] || !got["ntelegram:00000000000000000042"] || !got["ntelegram:00000000000000000043"] {
		t.Fatalf("event record keys %v, want %v", got, want)
	}
	res, err := e.Do(t.Context(), "telegram:41", func(*core.Tx) ([]byte, error) { return nil, nil })
	if err != nil || !res.Replayed || !res.Answered {
		t.Fatalf("after its delivery was recorded: %+v, %v", res, err)
	}
}

// Ensure DoLast, for a delivery nothing will repeat, still recognises the key of
// an earlier delivery (fn does not run, the first answer comes back) and records
// neither the key nor the answer of a new one.
func TestDoLast_ChecksButDoesNotRecord(t *testing.T) {
	e, _ := newEngine(t)
	if _, err := e.Do(t.Context(), "telegram:7", func(*core.Tx) ([]byte, error) { return []byte(`"first"`), nil }); err != nil {
		t.Fatal(err)
	}
	ran := false
	res, err := e.DoLast(t.Context(), "telegram:7", func(*core.Tx) ([]byte, error) { ran = true; return nil, nil })
	if err != nil || ran || !res.Replayed || string(res.Answer) != `"first"` {
		t.Fatalf("an earlier delivery's key: ran %v, %+v, %v", ran, res, err)
	}
	for _, k := range []string{"telegram:8", "slack:Ev08"} {
		res, err = e.DoLast(t.Context(), k, func(*core.Tx) ([]byte, error) { ran = true; return []byte(`"new"`), nil })
		if err != nil || !ran || res.Replayed || string(res.Answer) != `"new"` {
			t.Fatalf("%s: ran %v, %+v, %v", k, ran, res, err)
		}
		if rec, err := e.AnswerRecorded(t.Context(), k); err != nil || rec {
			t.Fatalf("%s: answer recorded %v, %v", k, rec, err)
		}
	}
	n := 0
	if err := e.Store().View(t.Context(), func(kv core.StoreTx) error {
		return kv.Scan("event", "", false, func(string, []byte) error { n++; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d event records, want 1 (telegram:7's)", n)
	}
}
