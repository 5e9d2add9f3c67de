package bots_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/botstest"
)

// dms returns the texts sent by direct message to each user, and the group's.
func dms(e *botstest.Env) (map[string][]string, []string) {
	out := map[string][]string{}
	var group []string
	for _, m := range e.Sent.Messages() {
		if m.Direct {
			out[m.UserID] = append(out[m.UserID], m.Text)
		} else {
			group = append(group, m.Text)
		}
	}
	return out, group
}

// texts phrases one language's expectations of TestCampaign_HeldAndRefunded.
type refundTexts struct {
	held, ledgerHeld, notAttributed, spendHeld                 string
	withdrawn, withdrawnYou, refundDone, refundYou             string
	releasedRefund, releasedNothing, refundsDue, dueLine       string
	refundOver, noRefund, ledgerAfter, ledgerRefunds, meMember string
	backersLine                                                string
}

// Ensure the money of an all-or-nothing campaign is held until it succeeds
// (collected, never spent), an organiser withdraws a paid pledge, and when the
// campaign fails each backer who paid is told who refunds them, the organisers get
// the refunds due, /refund records each, the ledger shows held, refunded and still
// due, and /me no longer lists the released pledge — in both languages.
func TestCampaign_HeldAndRefunded(t *testing.T) {
	for lang, w := range map[string]refundTexts{
		"en": {
			held:          "The money is held until C1 reaches its goal (all or nothing): it can't be spent before.",
			ledgerHeld:    "held: €85.00\n💰 Held for the backers until C1 reaches its goal",
			notAttributed: "• not attributed: €5.00 (1×)", spendHeld: "held for the backers",
			withdrawn:       "Withdrawn: the pledge of dan (€50.00) to C1 Oven. €20.00 was recorded as received from them: it is to be refunded",
			withdrawnYou:    "alice, an organiser, withdrew your pledge of €50.00 to C1 Oven. The €20.00 recorded as received from you will be refunded to you by alice.",
			refundDone:      "Recorded: €20.00 refunded to dan for C1 Oven; nothing more is due to them.",
			refundYou:       "alice recorded €20.00 refunded to you for C1 Oven.",
			releasedRefund:  "your pledge of €100.00 is released. The €60.00 recorded as received from you will be refunded to you by alice.",
			releasedNothing: "your pledge of €30.00 is released, you owe nothing.",
			refundsDue:      "↩️ C1 Oven did not reach its goal: €60.00 recorded as received is to be refunded.",
			dueLine:         "• erin: €60.00 (received by alice)\nRecord each refund with /refund C1 @member AMOUNT",
			refundOver:      "Only €60.00 is still to be refunded", noRefund: "Nothing is to be refunded to this member for C1",
			ledgerAfter:   "refunded: €80.00 · held: €5.00",
			ledgerRefunds: "↩️ Refunds: €80.00 refunded, €0.00 still due.", meMember: "member",
			backersLine: "• dan: €20.00, paid €20.00, to refund €20.00 — withdrawn",
		},
		"fr": {
			held:          "L'argent est conservé jusqu'à ce que C1 atteigne son objectif (tout ou rien) : il ne peut pas être dépensé avant.",
			ledgerHeld:    "conservé : 85,00 €\n💰 Conservé pour les contributeurs jusqu'à ce que C1 atteigne son objectif",
			notAttributed: "• non attribué : 5,00 € (1×)", spendHeld: "conservé pour les contributeurs",
			withdrawn:       "Retirée : la promesse de dan (50,00 €) pour C1 Oven. 20,00 € ont été enregistrés comme reçus de cette personne : ils sont à rembourser",
			withdrawnYou:    "alice, organisateur, a retiré votre promesse de 50,00 € pour C1 Oven. Les 20,00 € enregistrés comme reçus de vous vous seront remboursés par alice.",
			refundDone:      "Enregistré : 20,00 € remboursés à dan pour C1 Oven ; plus rien ne lui est dû.",
			refundYou:       "alice a enregistré un remboursement de 20,00 € en votre faveur pour C1 Oven.",
			releasedRefund:  "votre promesse de 100,00 € est libérée. Les 60,00 € enregistrés comme reçus de vous vous seront remboursés par alice.",
			releasedNothing: "votre promesse de 30,00 € est libérée, vous ne devez rien.",
			refundsDue:      "↩️ C1 Oven n'a pas atteint son objectif : 60,00 € enregistrés comme reçus sont à rembourser.",
			dueLine:         "• erin : 60,00 € (reçus par alice)\nEnregistrez chaque remboursement avec /rembourser C1 @membre MONTANT",
			refundOver:      "Il ne reste que 60,00 € à rembourser", noRefund: "Rien n'est à rembourser à ce membre pour C1",
			ledgerAfter:   "remboursé : 80,00 € · conservé : 5,00 €",
			ledgerRefunds: "↩️ Remboursements : 80,00 € remboursés, 0,00 € encore dus.", meMember: "membre",
			backersLine: "• dan : 20,00 €, payé 20,00 €, à rembourser 20,00 € — retiré",
		},
	} {
		t.Run(lang, func(t *testing.T) {
			e := campaignEnv(t, lang, nil)
			e.Say("erin", "/pledge C1 100")
			e.Say("dan", "/pledge C1 50")
			e.Say("carol", "/pledge C1 30")
			// Held: collected, not spent.
			if out := botstest.Texts(e.Say("alice", "/collect C1 60 from @erin")); !strings.Contains(out[0], w.held) {
				t.Fatalf("collect: %q", out)
			}
			e.Say("alice", "/collect C1 20 from @dan")
			e.Say("alice", "/collect C1 5")
			refuse(t, e, "alice", "/spend C1 10 paint", w.spendHeld)
			led := botstest.Texts(e.Say("bob", "/ledger C1"))[0]
			for _, want := range []string{w.ledgerHeld, w.notAttributed} {
				if !strings.Contains(led, want) {
					t.Errorf("ledger lacks %q:\n%s", want, led)
				}
			}
			// An organiser withdraws dan's paid pledge; a member cannot.
			refuse(t, e, "bob", "/pledge C1 cancel @dan", "C1")
			refuse(t, e, "alice", "/pledge C1 cancel @bob", "C1") // no pledge
			settle(t, e)
			out := botstest.Texts(e.Say("alice", "/pledge C1 cancel @dan"))
			if len(out) != 1 || !strings.Contains(out[0], w.withdrawn) {
				t.Fatalf("withdraw: %q", out)
			}
			e.Clock.Set(e.Clock.Now().Add(time.Minute))
			if err := e.Dispatcher.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
			got, _ := dms(e)
			if len(got["dan"]) != 1 || !strings.Contains(got["dan"][0], w.withdrawnYou) {
				t.Fatalf("dan got %q", got["dan"])
			}
			if c := campaignShot(t, e, "C1"); c.Backers != 2 || c.Pledged != 13000 || c.RefundDue != 2000 {
				t.Fatalf("after the withdrawal: %+v", c)
			}
			if out := botstest.Texts(e.Say("alice", "/campaign C1 backers")); len(out) != 1 || !strings.Contains(out[0], w.backersLine) {
				t.Fatalf("backers: %q, want %q", out, w.backersLine)
			}
			settle(t, e)
			if out := e.Say("alice", "/refund C1 @dan 20"); len(out) != 1 || !strings.Contains(out[0].Text, w.refundDone) || !out[0].Direct {
				t.Fatalf("refund (answered privately): %+v", out)
			}
			e.Clock.Set(e.Clock.Now().Add(time.Minute))
			if err := e.Dispatcher.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got, _ := dms(e); len(got["dan"]) != 1 || !strings.Contains(got["dan"][0], w.refundYou) {
				t.Fatalf("dan got %q", got["dan"])
			}
			// The deadline: the goal is missed.
			settle(t, e)
			if err := e.Scheduler.Advance(context.Background(), time.Date(2026, 12, 22, 9, 0, 0, 0, time.UTC), e.Clock, e.Dispatcher.Flush); err != nil {
				t.Fatal(err)
			}
			got, _ = dms(e)
			if len(got["erin"]) != 1 || !strings.Contains(got["erin"][0], w.releasedRefund) {
				t.Fatalf("erin got %q", got["erin"])
			}
			if len(got["carol"]) != 1 || !strings.Contains(got["carol"][0], w.releasedNothing) {
				t.Fatalf("carol got %q", got["carol"])
			}
			for _, org := range []string{"alice", "fay", "rita"} { // admin, facilitator, referent of P1
				if len(got[org]) != 1 || !strings.Contains(got[org][0], w.refundsDue) || !strings.Contains(got[org][0], w.dueLine) {
					t.Fatalf("%s got %q", org, got[org])
				}
			}
			for _, m := range got["bob"] { // bob only follows P1: he gets its reminders, nothing else
				if !strings.HasPrefix(m, "⏰") {
					t.Fatalf("bob told %q", m)
				}
			}
			if len(got["dan"]) != 0 {
				t.Fatalf("dan told %q", got["dan"])
			}
			refuse(t, e, "alice", "/refund C1 @erin 61", w.refundOver)
			refuse(t, e, "alice", "/refund C1 @carol 1", w.noRefund)
			refuse(t, e, "bob", "/refund C1 @erin 10", "C1")
			refuse(t, e, "alice", "/refund C1 @erin ten", "ten")
			e.Say("alice", "/refund C1 @erin 60")
			led = botstest.Texts(e.Say("bob", "/ledger C1"))[0]
			for _, want := range []string{w.ledgerAfter, w.ledgerRefunds} {
				if !strings.Contains(led, want) {
					t.Errorf("ledger lacks %q:\n%s", want, led)
				}
			}
			if strings.Contains(led, "dan") || strings.Contains(led, "erin") {
				t.Errorf("the ledger names a backer who did not agree:\n%s", led)
			}
			if c := campaignShot(t, e, "C1"); c.Refunded != 8000 || c.RefundDue != 0 || len(c.Refunds) != 2 {
				t.Fatalf("export: %+v", c)
			}
			if me := botstest.Texts(e.Say("erin", "/me"))[0]; strings.Contains(me, "C1") || !strings.Contains(me, w.meMember) {
				t.Fatalf("/me lists the released pledge: %q", me)
			}
		})
	}
}

// Ensure at success each backer is told what is still due: all of it, the rest
// once part is paid, nothing (and no one to pay) once all is paid.
func TestCampaign_StillDue(t *testing.T) {
	for lang, want := range map[string][3]string{
		"en": {"You pledged €40.00. It is now due.\nNo card payment goes through me: give it to an organiser",
			"You pledged €40.00. €15.00 is already recorded as received: €25.00 is still due.\nNo card payment",
			"You pledged €40.00. It is all recorded as received: nothing more is due."},
		"fr": {"Vous avez promis 40,00 €. C'est maintenant dû.\nAucun paiement par carte ne passe par moi : remettez-le à un organisateur",
			"Vous avez promis 40,00 €. 15,00 € sont déjà enregistrés comme reçus : il reste 25,00 € à régler.\nAucun paiement",
			"Vous avez promis 40,00 €. Tout est enregistré comme reçu : vous n'avez plus rien à régler."},
	} {
		t.Run(lang, func(t *testing.T) {
			e := campaignEnv(t, lang, nil)
			e.Say("alice", "/campaign new donation Roof goal 1000 until 2026-12-20 keep-it-all")
			for _, who := range []string{"carol", "dan", "bob"} {
				e.Say(who, "/pledge C2 40")
			}
			e.Say("alice", "/collect C2 15 from @dan")
			e.Say("alice", "/collect C2 25 from @bob")
			e.Say("alice", "/collect C2 15 from @bob")
			settle(t, e)
			if err := e.Scheduler.Advance(context.Background(), time.Date(2026, 12, 22, 9, 0, 0, 0, time.UTC), e.Clock, e.Dispatcher.Flush); err != nil {
				t.Fatal(err)
			}
			got, _ := dms(e)
			for i, who := range []string{"carol", "dan", "bob"} {
				var settled []string // bob follows P1: C1's reminders reach him too
				for _, m := range got[who] {
					if strings.Contains(m, "C2") {
						settled = append(settled, m)
					}
				}
				if len(settled) != 1 || !strings.Contains(settled[0], want[i]) {
					t.Fatalf("%s got %q, want %q", who, settled, want[i])
				}
				if i == 2 && strings.Contains(settled[0], "organis") {
					t.Errorf("bob, who paid everything, is told to pay: %q", settled[0])
				}
			}
		})
	}
}

// Ensure a loan repaid all in volunteering hours says so (and nothing of cash),
// one repaid in part says part, in both languages, without a double space.
func TestCampaign_LoanAllInHours(t *testing.T) {
	for lang, want := range map[string][2]string{
		"en": {"40 hours of volunteering (€600.00) repay all of it: nothing is repaid in cash. /schedule C2 shows it.",
			"20 hours of volunteering (€300.00) repay part of it. You would be repaid €20.00 a month for 60 months"},
		"fr": {"40 heures de bénévolat (600,00 €) en remboursent la totalité : rien n'est remboursé en numéraire. /echeancier C2 le détaille.",
			"20 heures de bénévolat (300,00 €) en remboursent une partie. Vous seriez remboursé·e de 20,00 € par mois pendant 60 mois"},
	} {
		t.Run(lang, func(t *testing.T) {
			e := campaignEnv(t, lang, nil)
			e.Say("alice", "/campaign new loan Truck goal 15 000 until 2026-12-20 rate 0% term 60 hours-value 15")
			for i, text := range []string{"/pledge C2 600 hours 40", "/pledge C2 1 500 hours 20"} {
				out := botstest.Texts(e.Say("bob", text))
				if len(out) != 1 || !strings.Contains(out[0], want[i]) || strings.Contains(out[0], "  ") {
					t.Errorf("%s: got %q, want %q", text, out, want[i])
				}
			}
		})
	}
}
