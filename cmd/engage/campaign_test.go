package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engage-org/engage/core"
)

// engage runs the engage binary with args and stdin, and returns what it printed;
// the test fails unless it exits 0 with nothing on stderr.
func engage(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, stderr, code := runEngage(t, stdin, nil, args...)
	if code != 0 || stderr != "" {
		t.Fatalf("engage %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
	}
	return out
}

// inOrder fails unless every want appears in out, in this order.
func inOrder(t *testing.T, out string, wants []string) {
	t.Helper()
	rest := out
	for _, w := range wants {
		i := strings.Index(rest, w)
		if i < 0 {
			if strings.Contains(out, w) {
				t.Fatalf("%q is out of order in:\n%s", w, out)
			}
			t.Fatalf("%q not found in:\n%s", w, out)
		}
		rest = rest[i+len(w):]
	}
}

// Ensure a whole reward campaign runs in the console (a subprocess) from a script: a limited tier,
// pledges, a cancel, a sold-out tier, bad amounts, the deadline by :clock, the
// settlement messages, and the ledger after collections and spending; then a loan
// whose schedule is exported to the cent.
func TestConsole_Campaign(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile(filepath.Join("testdata", "campaign.txt"))
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "engage.db")
	out := engage(t, string(script), "console", "--db", db, "--lang", "en", "--now", "2026-12-01T09:00")
	golden(t, "campaign.golden", out)
	if strings.Contains(out, "[err.") || strings.Contains(out, "went wrong") || strings.Contains(out, "<no value>") {
		t.Fatalf("a template failed:\n%s", out)
	}
	inOrder(t, out, []string{
		"[group] 💶 C1 Bread oven — donation with rewards, for P1 Bakery\n░░░░░░░░░░ 0% · €0.00 of €500.00 · 0 backers\n⏳ 20 days left, until Sunday 20 December 2026 · all or nothing",
		"  [5] ✏️ Another amount",
		"[group] Reward R1 for C1: Loaf of bread, from €20.00, 2 available.",
		"[group] (edit) 💶 C1 Bread oven",
		"🎁 R1 Loaf of bread — from €20.00 · 2 of 2 left",
		"[dm bob] Thank you! You pledged to C1 Bread oven: €25.00, reward R1 Loaf of bread (1 left).",
		"[dm carol] Thank you! You pledged to C1 Bread oven: €20.00, reward R1 Loaf of bread (0 left).",
		"[dm dan] Reward R1 (Loaf of bread) is sold out. Choose another one, or pledge without a reward. Nothing was changed.",
		"[dm bob] Your pledge of €25.00 to C1 Bread oven is withdrawn.",
		"[dm dan] Thank you! You pledged to C1 Bread oven: €30.00, reward R1 Loaf of bread (0 left).",
		"[dm erin] An amount can't be negative (“-5”). Nothing was changed.",
		"[dm erin] “25.505” has too many decimals: EUR has at most 2.",
		"[dm erin] “2 000 000” is above the limit of €1,000,000.00. Nothing was changed.",
		"[dm erin] I can't read “zero” as an amount.",
		"[group] (edit) 💶 C1 Bread oven — donation with rewards, for P1 Bakery\n█░░░░░░░░░ 10% · €50.00 of €500.00 · 2 backers",
		"🎁 R1 Loaf of bread — from €20.00 · sold out",
		"[dm erin] Pledge to C1 Bread oven (1/2)\nHow much (EUR)?",
		"[dm erin] Thank you! You pledged to C1 Bread oven: €120.00.",
		"[group] 🎉 C1 Bread oven has reached 25% of its goal: €170.00 of €500.00, thanks to 3 backers!",
		"[dm erin] Your pledge to C1 Bread oven is changed: €450.00, reward R2 Baking workshop.",
		"[group] 🎉 C1 Bread oven has reached 100% of its goal: €500.00 of €500.00, thanks to 3 backers!",
		"🙏 With erin",
		"[group] ⏰ One week left for C1 Bread oven",
		"[dm bob] ⏰ One week left to back C1 Bread oven, the campaign of P1 Bakery that you follow",
		"[group] ⏰ 48 hours left for C1 Bread oven",
		"[group] (edit) 💶 C1 Bread oven — donation with rewards, for P1 Bakery\n██████████ 100% · €500.00 of €500.00 · 3 backers\n✅ ended: succeeded",
		"[group] 🎉 C1 Bread oven is over and succeeded: €500.00 pledged of €500.00 (100%) by 3 backers.",
		"[dm carol] 🎉 C1 Bread oven succeeded — thank you for your support!\nYou pledged €20.00 (reward R1 Loaf of bread). It is now due.",
		"[dm dan] 🎉 C1 Bread oven succeeded",
		"[dm erin] 🎉 C1 Bread oven succeeded",
		"[dm dan] C1 is closed: its pledges, rewards and goals can no longer change. Nothing was changed.",
		"[group] C1 is closed: its pledges, rewards and goals can no longer change. Nothing was changed.",
		"[group] C1 is closed: its pledges, rewards and goals can no longer change. Nothing was changed.",
		"[group] Recorded: €30.00 collected for C1 Bread oven from dan. Collected so far: €30.00 of €500.00 pledged.",
		"[dm dan] Thank you! €30.00 from you for C1 Bread oven is recorded as received.",
		"[group] Recorded: €12.50 collected for C1 Bread oven from Le Zinc.",
		"[group] 🧾 C1 Bread oven spent €40.00: flour and firewood. Left to use: €2.50.",
		"[group] 📒 Ledger of C1 Bread oven\nPledged: €500.00 · collected: €42.50 · spent: €40.00 · left: €2.50\nCollected from:\n• Le Zinc: €12.50 (1×)\n• backers: €30.00 (1×)\nSpent on:\n• 21 Dec: €40.00 — flour and firewood",
		"[dm carol] 📰 News from P1 Bakery, a project you backed: The oven is lit",
		"[dm bob] Thank you! You pledged to C2 Van: €200,000.00.\nYou would be repaid €1,854.02 a month for 180 months from Sunday 28 February 2027",
		"[dm bob] Your loan to C2 Van: €200,000.00 at 7.5% a year (projected: the campaign is still open).\n180 monthly payments of €1,854.02 from Sunday 28 February 2027 to Friday 31 January 2042 (last one €1,855.50): €333,725.08 in cash, of which €133,725.08 interest.",
		"📎 C2-schedule.csv (text/csv,",
	})
	// Bob cancelled: he gets the news as a follower only, and no settlement message.
	if strings.Contains(out, "[dm bob] 🎉 C1") || strings.Count(out, "[dm bob] 📰") != 1 {
		t.Fatalf("bob's messages are wrong:\n%s", out)
	}

	var snap core.Snapshot
	if err := json.Unmarshal([]byte(engage(t, "", "export", "--db", db)), &snap); err != nil {
		t.Fatal(err)
	}
	c1, c2 := snap.Communities[0].Campaigns[0], snap.Communities[0].Campaigns[1]
	if c1.Status != "succeeded" || c1.Goal != 50000 || c1.Pledged != 50000 || c1.Collected != 4250 || c1.Spent != 4000 || c1.Backers != 3 || c1.Currency != "EUR" {
		t.Fatalf("C1 exported as %+v", c1)
	}
	if len(c1.Rewards) != 2 || c1.Rewards[0].Taken != 2 || c1.Rewards[0].Limit != 2 || len(c1.Spending) != 1 {
		t.Fatalf("C1 rewards %+v, spending %+v", c1.Rewards, c1.Spending)
	}
	if len(c2.Schedules) != 1 || c2.Schedules[0].Lender != "bob" || len(c2.Schedules[0].Instalments) != 180 || c2.Schedules[0].Instalments[0].Payment != 185402 {
		t.Fatalf("C2 schedules %+v", c2.Schedules)
	}

	pledges, err := csv.NewReader(strings.NewReader(engage(t, "", "export", "--db", db, "--csv", "pledges"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"community", "campaign", "member", "status", "amount_minor", "currency", "reward", "hours", "hours_given", "shares", "paid_minor", "pledged_at"},
		{"c1", "C1", "carol", "due", "2000", "EUR", "R1", "0", "0", "0", "0", "2026-12-01T09:01:00Z"},
		{"c1", "C1", "dan", "due", "3000", "EUR", "R1", "0", "0", "0", "3000", "2026-12-01T09:01:00Z"},
		{"c1", "C1", "erin", "due", "45000", "EUR", "R2", "0", "0", "0", "0", "2026-12-01T09:02:00Z"},
		{"c1", "C2", "bob", "live", "20000000", "EUR", "", "0", "0", "0", "0", "2026-12-21T09:00:00Z"},
	}
	if len(pledges) != len(want) {
		t.Fatalf("got %d rows: %q", len(pledges), pledges)
	}
	for i := range want {
		if strings.Join(pledges[i], ",") != strings.Join(want[i], ",") {
			t.Errorf("row %d: got %q, want %q", i, pledges[i], want[i])
		}
	}
	sched, err := csv.NewReader(strings.NewReader(engage(t, "", "export", "--db", db, "--csv", "schedules"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(sched) != 181 || strings.Join(sched[1], ",") != "c1,C2,bob,1,2027-02-28,185402,60402,125000,19939598,EUR" {
		t.Fatalf("got %d rows, first %q", len(sched), sched[1])
	}
	var total, princ int64
	for _, r := range sched[1:] {
		var p, pr int64
		if err := json.Unmarshal([]byte(r[5]), &p); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(r[6]), &pr); err != nil {
			t.Fatal(err)
		}
		total, princ = total+p, princ+pr
	}
	if princ != 20000000 || sched[180][8] != "0" || total <= princ {
		t.Fatalf("principal %d, total %d, last %q", princ, total, sched[180])
	}
}

// Ensure the same story works in French, with the French aliases, and that an
// all-or-nothing campaign that missed its goal releases its pledges.
func TestConsole_CampaignFrench(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile(filepath.Join("testdata", "campagne.txt"))
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "engage.db")
	out := engage(t, string(script), "console", "--db", db, "--lang", "fr", "--now", "2026-12-01T09:00")
	golden(t, "campagne.golden", out)
	if strings.Contains(out, "[err.") || strings.Contains(out, "<no value>") {
		t.Fatalf("a template failed:\n%s", out)
	}
	inOrder(t, out, []string{
		"[group] 💶 C1 Four — don avec contreparties, pour P1 Fournil\n░░░░░░░░░░ 0 % · 0,00 € sur 500,00 € · 0 contributeur\n⏳ 20 jours restants, jusqu'au dimanche 20 décembre 2026 · tout ou rien",
		"[group] Contrepartie R1 pour C1 : Pain, dès 20,00 €, 1 disponible.",
		"[dm bob] Merci ! Vous avez promis pour C1 Four : 20,00 €, contrepartie R1 Pain (encore 0).",
		"[dm chloe] La contrepartie R1 (Pain) est épuisée.",
		"[dm chloe] Un montant ne peut pas être négatif (« -5 »). Rien n'a été modifié.",
		"[dm chloe] « 12,345 » a trop de décimales : EUR en a au plus 2.",
		"[dm chloe] Merci ! Vous avez promis pour C1 Four : 30,00 €.",
		"[dm chloe] Votre promesse de 30,00 € pour C1 Four est retirée.",
		"[group] ⏰ Plus qu'une semaine",
		"[group] C1 Four est terminée : 20,00 € sur 500,00 € (4 %) ; l'objectif tout-ou-rien n'est pas atteint, toutes les promesses sont libérées. Merci à son unique contributeur.",
		"[dm bob] C1 Four n'a pas atteint son objectif : votre promesse de 20,00 € est libérée, vous ne devez rien.",
		"[dm chloe] C1 est close : ses promesses, contreparties et paliers ne peuvent plus changer. Rien n'a été modifié.",
		"[group] C1 n'a pas atteint son objectif et ses promesses sont libérées : il n'y a pas d'argent à enregistrer. Rien n'a été modifié.",
		"[group] 📒 Registre de C1 Four\nPromis : 20,00 € · collecté : 0,00 € · dépensé : 0,00 € · conservé : 0,00 €\nRien de dépensé pour l'instant.",
	})
}

// Ensure a general meeting runs in the console from its invitation to its minutes:
// bad places refused, the card's button, a waiting list that moves when a place is
// freed, attendance refused before the meeting and taken during it, a poll held
// during it in the minutes, /find finding them; and the figures in the export.
func TestConsole_Meeting(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile(filepath.Join("testdata", "meeting.txt"))
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "engage.db")
	out := engage(t, string(script), "console", "--db", db, "--lang", "en", "--now", "2026-12-01T09:00")
	golden(t, "meeting.golden", out)
	if strings.Contains(out, "[err.") || strings.Contains(out, "went wrong") || strings.Contains(out, "<no value>") {
		t.Fatalf("a template failed:\n%s", out)
	}
	inOrder(t, out, []string{
		"The places are a whole number from 1 to",
		"✅ 0 coming · 🤔 0 maybe · 2 of 2 places left",
		"you are number 1 on the waiting list",
		"(edit) 📅 General meeting M1",
		"✅ 2 coming · 🤔 1 maybe · 0 of 2 places left · ⏳ 1 waiting",
		"/meeting M1 cannot do “delete”",
		"Only facilitators",
		"⏳ Waiting list (1): 1. erin",
		"[dm erin] 🎉 A place freed up at the general meeting M1",
		"M1 is not under way",
		"You are recorded present at M1 (1 present)",
		"Recorded present at M1: erin, fred (3 present)",
		"Only facilitators",
		"I don't know any member called “@nobody”",
		"📝 Minutes of the general meeting M1 Annual general meeting",
		"V1 · Adopt the accounts? — result",
		"M1 is not under way",
		"M1 (minutes",
	})
	var snap core.Snapshot
	if err := json.Unmarshal([]byte(engage(t, "", "export", "--db", db)), &snap); err != nil {
		t.Fatal(err)
	}
	m := snap.Communities[0].Meetings[0]
	if m.Places != 2 || m.Coming != 2 || m.Maybe != 1 || m.NotComing != 1 || m.Waiting != 0 || m.Present != 3 ||
		m.Minutes != "Accounts adopted. The board is renewed for a year." {
		t.Errorf("exported meeting: %+v", m)
	}
}

// Ensure an annual general meeting with an electorate, proxies, a share-weighted
// poll, a poll for those present and the reminders of non-voters, and its figures
// in the export (assembly.txt).
func TestConsole_Assembly(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile(filepath.Join("testdata", "assembly.txt"))
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "engage.db")
	out := engage(t, string(script), "console", "--db", db, "--lang", "en", "--now", "2026-12-01T09:00")
	golden(t, "assembly.golden", out)
	if strings.Contains(out, "[err.") || strings.Contains(out, "went wrong") || strings.Contains(out, "<no value>") {
		t.Fatalf("a template failed:\n%s", out)
	}
	inOrder(t, out, []string{
		"you are number 1 on the waiting list",
		"[dm fred] 🎉 A place freed up",
		"Your vote for the polls of M1 (Annual general meeting) goes to carol",
		"already holds 2 proxies for M1",
		"cannot give your proxy to yourself",
		"Proxies do not pass on",
		"You hold the proxies of",
		"Who may vote: shareholders of C1 · meeting M1",
		"It counts for 5 shares",
		"Only the shareholders of C1 may vote in V1",
		"⏰ V1 · Approve the 2026 accounts?",
		"1 of 4 voters voted (25%)",
		"Not voted yet: carol, dan, erin.",
		"Only facilitators",
		"Your proxy for M1 is taken back from carol",
		"The ballot of erin in V1, cast by you as their proxy, is counted",
		"carol, who holds your proxy for M1, cast your ballot in V1",
		"gave you no proxy for M1",
		"Only the members present or represented at M1 may vote in V2",
		"📊 V2 · Elect the board? — result",
		"🙋 3 present · 🤝 1 represented",
		"📝 Minutes",
		"V1 · Approve the 2026 accounts? — result",
	})
	for _, who := range []string{"alice", "bob", "fred"} { // no share, or voted already
		if strings.Contains(out, "[dm "+who+"] ⏰ V1") {
			t.Errorf("%s was reminded to vote in V1", who)
		}
	}
	if n := strings.Count(out, "] ⏰ V1 · Approve"); n != 3 {
		t.Errorf("%d reminders for V1, want 3 (carol, dan, erin)", n)
	}
	var snap core.Snapshot
	if err := json.Unmarshal([]byte(engage(t, "", "export", "--db", db)), &snap); err != nil {
		t.Fatal(err)
	}
	polls := snap.Communities[0].Polls
	v1, v2 := polls[0], polls[1]
	if v1.Status != "closed" || v1.Weight != 11 || v1.WeightedBy != "shares C1" || v1.ByProxy != 1 ||
		v1.Turnout == nil || v1.Turnout.Voted != 4 || v1.Turnout.Electorate != 4 ||
		len(v1.Ranking) != 2 || v1.Ranking[0][0] != "Yes" {
		t.Errorf("V1 export: %+v", v1)
	}
	weights := map[string]core.BallotSnapshot{}
	for _, b := range v1.BallotList {
		weights[b.Voter] = b
	}
	if weights["bob"].Weight != 5 || weights["carol"].Weight != 3 || weights["dan"].Weight != 2 || weights["erin"].Weight != 1 ||
		weights["erin"].By != "carol" || weights["dan"].By != "" {
		t.Errorf("V1 ballots: %+v", v1.BallotList)
	}
	if v2.Ballots != 3 || v2.QuorumMet == nil || !*v2.QuorumMet || v2.ByProxy != 1 || v2.Voters != "present M1" ||
		v2.Turnout == nil || v2.Turnout.Electorate != 4 || v2.Turnout.Voted != 3 {
		t.Errorf("V2 export: %+v", v2)
	}
}
