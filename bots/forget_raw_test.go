package bots_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/engage-org/engage/bots"
)

// Ensure /forgetme erases a member from every record of the store, not only from
// the export: after a member left traces through many commands (a project, the
// tracking sheet, follows, likes, a pledge, a question, a ballot, /me, a linked
// account on another platform, a direct message held for them, an event key
// naming their platform ID), the raw bbolt file holds neither their name, handle,
// platform IDs, e-mail nor phone.
func TestForgetMe_RawStoreHoldsNothing(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	path := e.DB.Path()
	e.Sent.Fail = func(m bots.Message) error {
		if m.Direct && m.UserID == "quentinus" && strings.Contains(m.Text, "Compost") {
			return &bots.NoDirectError{StartURL: "https://t.me/engage_bot?start=dm"}
		}
		return nil
	}
	e.Say("Quentinus", "hello")
	e.Say("Quentinus", "/project new Compost heap — for the gardens")
	e.Say("alice", "/contact P2 email=quentinus.dupont@example.org phone=+33612345678 handle=@Quentinus when=\"mornings\"")
	e.Say("alice", "/contact P1 email=rita@example.org handle=@rita")
	e.Say("alice", "/project new Tool library")
	e.Say("alice", "/contact P3 email=quentinus.dupont@example.org handle=@Quentinus")
	e.Say("Quentinus", "/follow P1")
	e.Say("Quentinus", "/like P1")
	e.Say("Quentinus", "/pledge C1 20 reward R1")
	e.Say("Quentinus", "/ask C1 Can I pay in cash?")
	e.Say("alice", "/poll new single Lunch? | Soup | Salad")
	e.Say("Quentinus", "/vote V1 Soup")
	e.Say("Quentinus", "/me")
	e.Say("alice", "/members")
	e.Say("alice", "/role @Quentinus facilitator")
	e.Say("alice", "/referent P1 @Quentinus")
	e.Say("Quentinus", "/offer P1 I can bake on Sundays")
	e.Say("Quentinus", "/needs P2 wheelbarrows")
	e.Say("Quentinus", "/nextstep P2 Build the bins by 2026-12-20")
	e.Say("Quentinus", "/away 2026-12-10 2026-12-12")
	e.Say("Quentinus", "/slot monday 18:00")
	e.Say("alice", "/collect C1 15 from @Quentinus")
	e.Say("alice", "/collect C1 5 from Quentinus Dupont (cash)")
	e.Say("Quentinus", "/find compost")
	e.Say("Quentinus", "/checkin P2")
	e.Say("Quentinus", ">next friday")
	// A second account on another platform, linked; its event key names its user ID.
	code := regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(e.Say("Quentinus", ">/link")[0].Text)
	link := e.Event("QuentinusOther", "/link "+code)
	link.Platform, link.UserID, link.ChatID, link.Direct = "other", "U7781Q", "dm:U7781Q", true
	link.Key = "other:action:U7781Q:1733400000.123"
	e.Handle(link)
	// News of the project they follow, and of theirs, held by direct message.
	e.Say("Quentinus", "/follow P2")
	e.Say("rita", "/news P1 The oven is here")
	e.Say("alice", "/news P2 Compost bins ordered")
	settle(t, e)

	out := e.Say("Quentinus", "/forgetme")
	e.Press("Quentinus", out[0], "erase")
	settle(t, e)
	if err := e.DB.Close(); err != nil {
		t.Fatal(err)
	}
	needles := regexp.MustCompile(`(?i)quentinus|u7781q|dupont|example\.org.*quentinus|612345678|6 12 34 56 78`)
	kept := false
	n := inspect(t, path, func(bucket, key, value string) {
		rec := bucket + " " + key + " " + withDecoded(value)
		kept = kept || bucket == "contact" && strings.Contains(value, "rita@example.org")
		if m := needles.FindString(rec); m != "" {
			t.Errorf("%q left in %s", m, clipRec(rec))
		}
	})
	if n < 50 {
		t.Fatalf("only %d records inspected", n)
	}
	if !kept {
		t.Fatal("the tracking sheet entry of another member was erased too")
	}
}

func clipRec(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}
