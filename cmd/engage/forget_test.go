package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/pgstore/pgtest"
)

// Ensure /forgetme leaves nothing of the member in any record of the store, on
// bbolt and on PostgreSQL (when ENGAGE_TEST_POSTGRES_DSN names a server): after
// the member left traces through many commands, with a platform ID, a handle, an
// e-mail and a phone on the tracking sheet, every record of every bucket (the
// rows of engage_kv on PostgreSQL), base64 fields decoded, is free of them.
func TestForgetMe_EveryRecord(t *testing.T) {
	for _, driver := range []string{"bolt", "postgres"} {
		t.Run(driver, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Store.Driver = driver
			if driver == "postgres" {
				cfg.Store.DSN = pgtest.FreshDSN(t)
			} else {
				cfg.Store.Path = filepath.Join(t.TempDir(), "forget.db")
			}
			now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			a, err := openApp(cfg, func() time.Time { return now }, newLogger(LogConfig{Level: "error"}, io.Discard), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			seq := 0
			say := func(user, id, text string) {
				seq++
				now = now.Add(time.Second)
				ev := bots.Event{Platform: "telegram", ChatID: "-100", UserID: id, UserName: user, Handle: user,
					Kind: bots.KindMessage, Text: text, Key: fmt.Sprintf("telegram:%s:%d", id, seq)}
				if _, err := a.bot.Handle(t.Context(), ev); err != nil {
					t.Fatalf("%s: %v", text, err)
				}
			}
			say("alice", "1001", "/community create Garden Club lang en")
			say("Wenceslas", "7730042", "hello")
			say("Wenceslas", "7730042", "/project new Compost heap")
			say("alice", "1001", "/contact P1 email=wenceslas.k@example.org phone=+33698765432 handle=@Wenceslas")
			say("alice", "1001", "/project new Seed library")
			say("alice", "1001", "/contact P2 email=wenceslas.k@example.org handle=@Wenceslas")
			say("Wenceslas", "7730042", "/follow P2")
			say("Wenceslas", "7730042", "/like P2")
			say("alice", "1001", "/poll new single Lunch? | Soup | Salad")
			say("Wenceslas", "7730042", "/vote V1 Soup")
			say("Wenceslas", "7730042", "/me")
			say("alice", "1001", "/news P2 The shelves are up")
			say("Wenceslas", "7730042", "/forgetme confirm")
			needles := regexp.MustCompile(`(?i)wenceslas|7730042|698765432`)
			n := 0
			err = a.eng.Store().View(context.Background(), func(kv core.StoreTx) error {
				for _, b := range core.Buckets {
					err := kv.Scan(b, "", false, func(k string, v []byte) error {
						n++
						rec := b + " " + k + " " + string(v)
						for _, m := range regexp.MustCompile(`"([A-Za-z0-9+/]{16,}={0,2})"`).FindAllStringSubmatch(string(v), -1) {
							if raw, err := base64.StdEncoding.DecodeString(m[1]); err == nil {
								rec += " " + string(raw)
							}
						}
						if m := needles.FindString(rec); m != "" {
							t.Errorf("%q left in %.300s", m, rec)
						}
						return nil
					})
					if err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n < 20 {
				t.Fatalf("only %d records", n)
			}
		})
	}
}
