package bots_test

import (
	"encoding/base64"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
	bolt "go.etcd.io/bbolt"
)

// voterIDs returns, per voter name, the patterns that identify them in a record:
// their person ID as a whole token and their platform user ID.
func voterIDs(t *testing.T, e *botstest.Env, names []string) map[string][]*regexp.Regexp {
	t.Helper()
	out := map[string][]*regexp.Regexp{}
	for _, m := range e.Snapshot().Communities[0].Members {
		for _, n := range names {
			if m.Name == n {
				out[n] = []*regexp.Regexp{
					regexp.MustCompile(`(^|[^a-z0-9])` + regexp.QuoteMeta(string(m.ID)) + `($|[^0-9])`),
					regexp.MustCompile(`(^|[^a-z0-9])` + regexp.QuoteMeta(strings.ToLower(n)) + `($|[^a-z0-9])`),
				}
			}
		}
	}
	if len(out) != len(names) {
		t.Fatalf("found %d of %d voters", len(out), len(names))
	}
	return out
}

var b64 = regexp.MustCompile(`"([A-Za-z0-9+/]{16,}={0,2})"`)

// withDecoded appends to a JSON record the text of its base64 fields (an event's
// answer, an outbox item's payload), so that what they hold is inspected too.
func withDecoded(v string) string {
	for _, m := range b64.FindAllStringSubmatch(v, -1) {
		if raw, err := base64.StdEncoding.DecodeString(m[1]); err == nil {
			v += " " + string(raw)
		}
	}
	return v
}

// inspect opens the bbolt file and calls fn with every record of every bucket.
func inspect(t *testing.T, path string, fn func(bucket, key, value string)) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				n++
				fn(string(name), string(k), string(v))
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Ensure that in a secret poll nothing in the store links a member to a choice:
// every record of the bbolt file that names a voter holds no ballot and no option
// label, secret ballots name nobody and carry no time, and who voted is known.
// Ballots are cast by typing, by buttons, step by step, changed, and refused.
func TestSecretBallot_StoreHoldsNoLink(t *testing.T) {
	for _, keyed := range []bool{true, false} {
		t.Run(fmt.Sprintf("secret=%v", keyed), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "secret.db")
			opt := botstest.Options{Path: path}
			if keyed {
				opt.BallotSecret = "a server secret, not in the store"
			}
			e := pollEnv(t, "en", opt)
			voters := []string{"Voter-ana", "Voter-ben", "Voter-cyd", "Voter-dee"}
			for _, v := range voters {
				e.Say(v, "hello")
			}
			e.Say("alice", "/poll new single Lunch? | Alphonse | Bertrand | Celestin secret")
			e.Say("alice", "/poll new irv Capital? | Dolomieu | Eustache | Fulgence secret")
			msg := e.Sent.Messages()[0]
			e.Say("Voter-ana", "/vote V1 Alphonse")
			e.Press("Voter-ben", msg, "Bertrand")
			e.Say("Voter-cyd", "/vote V1 Celestinn") // refused: a typo names a choice
			e.Say("Voter-cyd", "/vote V1 Celestin")
			second := e.Say("Voter-ana", "/vote V1 Bertrand") // changed, or refused when final
			if keyed != strings.Contains(second[0].Text, "is changed") {
				t.Fatalf("changing a secret ballot (secret set: %v): %q", keyed, second[0].Text)
			}
			// Step by step, by direct message.
			step := e.Say("Voter-dee", "/vote V2")[0]
			step = e.Press("Voter-dee", step, "Eustache")[0]
			e.Press("Voter-dee", step, "Dolomieu")
			e.Say("Voter-ana", "/vote V2 Fulgence > Dolomieu")
			advance(t, e, 5*time.Second)

			if got := pollShot(t, e, "V1").Ballots; got != 3 {
				t.Fatalf("V1 counts %d ballots, want 3", got)
			}
			if got := pollShot(t, e, "V2").Ballots; got != 2 {
				t.Fatalf("V2 counts %d ballots, want 2", got)
			}
			ids := voterIDs(t, e, voters)
			labels := []string{"Alphonse", "Bertrand", "Celestin", "Dolomieu", "Eustache", "Fulgence"}
			if err := e.DB.Close(); err != nil {
				t.Fatal(err)
			}
			var secret, voted int
			n := inspect(t, path, func(bucket, key, value string) {
				value = withDecoded(value)
				rec := bucket + " " + key + " " + value
				switch bucket {
				case "ballot":
					t.Errorf("a secret poll's ballot is stored as a public one: %s", rec)
				case "sballot":
					secret++
					if strings.Contains(value, `"at"`) || strings.Contains(key, "/u") {
						t.Errorf("secret ballot with a time or a person: %s", rec)
					}
				case "voter":
					voted++
					if value != "1" {
						t.Errorf("voter record holds %q", value)
					}
				}
				for name, pats := range ids {
					named := false
					for _, p := range pats {
						named = named || p.MatchString(key) || p.MatchString(value)
					}
					if !named {
						continue
					}
					if strings.Contains(value, `"v":[`) {
						t.Errorf("a record names %s and holds a ballot: %s", name, rec)
					}
					for _, l := range labels {
						if strings.Contains(value, l) || strings.Contains(key, l) {
							t.Errorf("a record names %s and the option %s: %s", name, l, rec)
						}
					}
				}
			})
			if n < 50 {
				t.Fatalf("only %d records inspected", n)
			}
			if secret != 5 || voted != 5 {
				t.Fatalf("got %d secret ballots and %d voter records, want 5 and 5", secret, voted)
			}
		})
	}
}

// Ensure a secret ballot's receipt that cannot be sent at once (a Telegram member
// who never started the bot votes by typing in the group; a step of a ballot built
// by direct message during an outage) is kept in the outbox, held, without the
// choice: the raw store holds no record that names the voter and an option, and
// the held receipt says only that the ballot is counted.
func TestSecretBallot_HeldReceiptHoldsNoChoice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held.db")
	e := pollEnv(t, "en", botstest.Options{Path: path})
	e.Sent.Fail = func(m bots.Message) error {
		if m.Direct && m.UserID == "voter-eve" {
			return &bots.NoDirectError{StartURL: "https://t.me/engage_bot?start=dm"}
		}
		if m.Direct && m.UserID == "voter-fay" {
			return core.Errorf(core.CodeUnavailable, "err.internal")
		}
		return nil
	}
	// As the Telegram adapter does: an answer the platform cannot take now goes to
	// the outbox.
	answer := func(out []bots.Message) {
		for _, m := range out {
			if _, err := e.Sent.Send(t.Context(), m); err != nil {
				if err := e.Bot.Postpone(t.Context(), m); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := e.Dispatcher.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	voters := []string{"Voter-eve", "Voter-fay"}
	for _, v := range voters {
		e.Say(v, "hello")
	}
	e.Say("alice", "/poll new single Lunch? | Alphonse | Bertrand | Celestin secret")
	e.Say("alice", "/poll new irv Capital? | Dolomieu | Eustache | Fulgence secret")
	answer(e.Say("Voter-eve", "/vote V1 Zanzibar")) // refused: names no option, but a choice
	answer(e.Say("Voter-eve", "/vote V1 Celestin"))
	answer(e.Say("Voter-eve", "/vote V2 Fulgence > Eustache"))
	e.Sent.Fail = nil
	step := e.Say("Voter-fay", "/vote V2")[0]
	e.Sent.Fail = func(m bots.Message) error { return core.Errorf(core.CodeUnavailable, "err.internal") }
	answer(e.Press("Voter-fay", step, "Dolomieu"))
	if got := pollShot(t, e, "V1").Ballots; got != 1 {
		t.Fatalf("V1 counts %d ballots, want 1", got)
	}
	ids := voterIDs(t, e, voters)
	labels := []string{"Alphonse", "Bertrand", "Celestin", "Dolomieu", "Eustache", "Fulgence", "Zanzibar"}
	if err := e.DB.Close(); err != nil {
		t.Fatal(err)
	}
	var held, counted int
	inspect(t, path, func(bucket, key, value string) {
		value = withDecoded(value)
		rec := bucket + " " + key + " " + value
		if bucket == "held" {
			held++
		}
		if bucket == "outbox" && strings.Contains(value, "is counted") {
			counted++
		}
		for name, pats := range ids {
			named := false
			for _, p := range pats {
				named = named || p.MatchString(key) || p.MatchString(value)
			}
			if !named {
				continue
			}
			for _, l := range labels {
				if strings.Contains(value, l) || strings.Contains(key, l) {
					t.Errorf("a record names %s and the option %s: %s", name, l, rec)
				}
			}
		}
	})
	if held == 0 || counted != 2 {
		t.Fatalf("%d held messages, %d receipts saying the ballot is counted; want some and 2", held, counted)
	}
}
