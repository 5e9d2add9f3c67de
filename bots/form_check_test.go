package bots_test

import (
	"strings"
	"testing"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
)

// Ensure the "another amount" form checks each field as it is typed: a value the
// pledge would refuse is answered with why and asked again, keeping what was
// answered, in the member's language; a platform form is refused before the
// command runs.
func TestCampaign_FormChecksEachField(t *testing.T) {
	for lang, w := range map[string]struct{ amount, why, hoursAsk, hoursWhy, hoursOver, done, rewardAsk, rewardMin, rewardDone string }{
		"en": {"How much (EUR)?", "as an amount", "How many hours", "is not a whole number from 0 to 10000",
			"41 hours are worth €615.00, more than your pledge of €600.00", "You pledged to C2 Truck: €600.00",
			"Which reward?", "Reward R1 (Loaf) needs a pledge of at least €20.00", "You pledged to C1 Oven: €10.00."},
		"fr": {"Combien (EUR) ?", "comme un montant", "Combien d'heures", "n'est pas un nombre entier de 0 à 10000",
			"41 heures valent 615,00 €", "Vous avez promis pour C2 Truck : 600,00 €",
			"Quelle contrepartie ?", "20,00 €", "Vous avez promis pour C1 Oven : 10,00 €."},
	} {
		t.Run(lang, func(t *testing.T) {
			e := campaignEnv(t, lang, nil)
			e.Say("alice", "/campaign new loan Truck goal 15 000 until 2026-12-20 rate 0% term 60 hours-value 15")
			card := e.Say("erin", "/campaign C2")[0]
			label := card.Buttons[len(card.Buttons)-1][0].Label
			if asked := botstest.Texts(e.Press("erin", card, label)); len(asked) != 1 || !strings.Contains(asked[0], w.amount) {
				t.Fatalf("got %q", asked)
			}
			for _, bad := range []string{"ten", "-5", "0", "25.505", "$30", "2 000 000"} {
				out := botstest.Texts(e.Say("erin", "> "+bad))
				if len(out) != 2 || !strings.Contains(out[1], w.amount) || strings.Contains(out[0], "[") {
					t.Fatalf("%q: got %q, want why and the amount asked again", bad, out)
				}
			}
			if out := botstest.Texts(e.Say("erin", "> ten")); !strings.Contains(out[0], w.why) {
				t.Fatalf("got %q", out)
			}
			if out := botstest.Texts(e.Say("erin", "> 600")); len(out) != 1 || !strings.Contains(out[0], w.hoursAsk) {
				t.Fatalf("got %q", out)
			}
			for _, bad := range []string{"many", "-1", "10001", "2.5"} {
				out := botstest.Texts(e.Say("erin", "> "+bad))
				if len(out) != 2 || !strings.Contains(out[0], w.hoursWhy) || !strings.Contains(out[1], w.hoursAsk) {
					t.Fatalf("%q: got %q", bad, out)
				}
			}
			if out := botstest.Texts(e.Say("erin", "> 41")); len(out) != 2 || !strings.Contains(out[0], w.hoursOver) || !strings.Contains(out[1], w.hoursAsk) {
				t.Fatalf("41 hours of €15 on €600: got %q", out)
			}
			if c := campaignShot(t, e, "C2"); c.Backers != 0 {
				t.Fatalf("pledged while the form was being filled: %+v", c)
			}
			if out := botstest.Texts(e.Say("erin", "> 40")); len(out) != 1 || !strings.Contains(out[0], w.done) {
				t.Fatalf("got %q", out)
			}
			if c := campaignShot(t, e, "C2"); c.Backers != 1 || c.Pledged != 60000 || c.HoursPledged != 40 {
				t.Fatalf("got %+v", c)
			}
			// A tier above the amount typed is refused when picked, and asked again.
			c1 := e.Say("carol", "/campaign C1")[0]
			e.Press("carol", c1, c1.Buttons[len(c1.Buttons)-1][0].Label)
			e.Say("carol", "> 10")
			if out := botstest.Texts(e.Say("carol", "> R1")); len(out) != 2 || !strings.Contains(out[0], w.rewardMin) || !strings.Contains(out[1], w.rewardAsk) {
				t.Fatalf("R1 on €10: got %q", out)
			}
			if out := botstest.Texts(e.Say("carol", "> -")); len(out) != 1 || !strings.Contains(out[0], w.rewardDone) {
				t.Fatalf("got %q", out)
			}
			// A platform form: the typed amount is refused before the command runs.
			ev := e.Event("dan", "")
			ev.Kind, ev.Action, ev.CanForm = bots.KindAction, card.Buttons[len(card.Buttons)-1][0].Token, true
			form := e.Handle(ev)[0].Form
			sub := e.Event("dan", "")
			sub.Kind, sub.Action, sub.Fields = bots.KindForm, form.Token, map[string]string{"amount": "ten", "hours": "3"}
			if out := botstest.Texts(e.Handle(sub)); len(out) != 1 || !strings.Contains(out[0], w.why) {
				t.Fatalf("got %q", out)
			}
		})
	}
}
