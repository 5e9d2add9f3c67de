package bots_test

import (
	"strings"
	"testing"
)

// Ensure the pledge receipt explains how pledges work (no payment through the
// bot, how to change or withdraw) on a member's first pledge in the community
// only: a change and a pledge to another campaign get one short line — in both
// languages.
func TestPledge_BoilerplateOnFirstOnly(t *testing.T) {
	for _, tc := range []struct{ lang, boiler string }{
		{"en", "No payment goes through me"},
		{"fr", "Aucun paiement ne passe par moi"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := campaignEnv(t, tc.lang, nil)
			e.Say("alice", "/campaign new donation Roof goal 300 € until 2026-12-20")
			receipt := func(text string) string {
				t.Helper()
				out := e.Say("bob", text)
				if len(out) != 1 || !out[0].Direct {
					t.Fatalf("%s answered %+v, want one private receipt", text, out)
				}
				return out[0].Text
			}
			first := receipt("/pledge C1 30")
			if !strings.Contains(first, tc.boiler) {
				t.Errorf("first pledge receipt lacks how pledges work: %q", first)
			}
			for _, text := range []string{"/pledge C1 40", "/pledge C2 15"} {
				got := receipt(text)
				if strings.Contains(got, tc.boiler) || strings.Count(got, "\n") > 1 {
					t.Errorf("%s: receipt %q, want one or two lines without the explanation", text, got)
				}
			}
			if got := e.Say("carol", "/pledge C2 10"); len(got) != 1 || !strings.Contains(got[0].Text, tc.boiler) {
				t.Errorf("another member's first pledge: %+v, want the explanation", got)
			}
		})
	}
}
