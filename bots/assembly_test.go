package bots_test

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
)

// assemblyEnv is a community where alice (admin), bob, carol, dan and erin are
// members, with meeting M1 tomorrow at 19:00 and an equity campaign C1 (shares of
// 10): bob holds 3 shares, carol 1.
func assemblyEnv(t *testing.T, lang string, opt botstest.Options) *botstest.Env {
	t.Helper()
	e := pollEnv(t, lang, opt)
	for _, u := range []string{"bob", "carol", "dan", "erin"} {
		e.Say(u, "hello")
	}
	e.Say("alice", "/meeting new 2026-12-02 19:00 AGM")
	e.Say("alice", "/campaign new equity Coop goal 1000 until 2026-12-20 share 10")
	e.Say("bob", "/pledge C1 30")
	e.Say("carol", "/pledge C1 10")
	e.Sent.Reset()
	return e
}

// present records people as present at meeting id of the only community, as
// the meetings part does during the meeting; the clock moves to the meeting's
// start (M1: 2 December 19:00) if it is earlier.
func present(t *testing.T, e *botstest.Env, id string, people ...string) {
	t.Helper()
	if at := time.Date(2026, 12, 2, 19, 0, 0, 0, time.UTC); e.Clock.Now().Before(at) {
		e.Clock.Set(at)
	}
	_, err := e.Engine.Update(context.Background(), func(tx *core.Tx) error {
		comms, err := tx.Communities()
		if err != nil {
			return err
		}
		c := comms[0]
		m, err := tx.Meeting(c.ID, id)
		if err != nil {
			return err
		}
		var ids []core.PersonID
		var admin *core.Member
		ms, err := tx.Members(c.ID)
		if err != nil {
			return err
		}
		for _, mb := range ms {
			p, err := tx.Person(mb.Person)
			if err != nil {
				return err
			}
			if mb.Role == core.RoleAdmin {
				admin = mb
			}
			for _, name := range people {
				if strings.EqualFold(p.Name, name) {
					ids = append(ids, p.ID)
				}
			}
		}
		_, err = tx.MarkPresent(admin, m, ids)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// refusedSame says text as user, expects an answer containing want, and checks the
// export did not change.
func refusedSame(t *testing.T, e *botstest.Env, user, text, want string) {
	t.Helper()
	before := e.Snapshot()
	out := e.Say(user, text)
	got := strings.Join(botstest.Texts(out), "\n")
	if !strings.Contains(got, want) {
		t.Fatalf("%s %q: answer %q, want %q", user, text, got, want)
	}
	if after := e.Snapshot(); !reflect.DeepEqual(before, after) {
		t.Fatalf("%s %q changed the state", user, text)
	}
}

// Ensure each electorate lets its members vote and refuses the others with a
// clear answer and nothing changed, however they vote.
func TestAssembly_Electorate(t *testing.T) {
	e := assemblyEnv(t, "en", botstest.Options{})
	e.Say("alice", "/role @carol referent")
	e.Say("alice", "/poll new single Budget? | Yes | No voters role referent")
	refusedSame(t, e, "bob", "/vote V1 Yes", "Only referents, facilitators and admins may vote in V1")
	refusedSame(t, e, "bob", "/vote V1", "Only referents")
	if out := e.Say("carol", "/vote V1 Yes"); !strings.Contains(botstest.Texts(out)[0], "counted") {
		t.Fatalf("referent refused: %q", botstest.Texts(out))
	}

	e.Say("alice", "/poll new single Statutes? | Yes | No voters shareholders C1")
	refusedSame(t, e, "dan", "/vote V2 Yes", "Only the shareholders of C1 may vote in V2")
	e.Say("bob", "/vote V2 Yes")

	e.Say("alice", "/poll new single Now? | Yes | No voters members-at-open")
	e.Clock.Set(e.Clock.Now().Add(time.Minute))
	e.Say("zed", "hello") // joins after V3 opened
	refusedSame(t, e, "zed", "/vote V3 Yes", "Only the members when V3 opened")
	e.Say("dan", "/vote V3 No")

	e.Say("alice", "/poll new single Motion? | Yes | No voters present M1")
	refusedSame(t, e, "bob", "/vote V4 Yes", "present or represented at M1")
	present(t, e, "M1", "bob")
	e.Say("bob", "/vote V4 Yes")

	// A button press is refused too.
	e.Say("alice", "/poll new single Press? | Yes | No voters role facilitator")
	var card bots.Message
	for _, m := range e.Sent.Messages() {
		if strings.Contains(m.Text, "Press?") && len(m.Buttons) > 0 {
			card = m
		}
	}
	before := pollShot(t, e, "V5").Ballots
	out := e.Press("bob", card, "Yes")
	if got := strings.Join(botstest.Texts(out), " "); !strings.Contains(got, "facilitators and admins may vote") {
		t.Fatalf("button press by a member: %q", got)
	}
	if pollShot(t, e, "V5").Ballots != before {
		t.Fatal("a refused press was counted")
	}

	for id, want := range map[string]int{"V1": 1, "V2": 1, "V3": 1, "V4": 1} {
		if got := pollShot(t, e, id).Ballots; got != want {
			t.Errorf("%s ballots = %d, want %d", id, got, want)
		}
	}
	if got := pollShot(t, e, "V4").Voters; got != "present M1" {
		t.Errorf("V4 export voters = %q", got)
	}
}

// Ensure bad assembly settings are refused clearly, and nothing opens.
func TestAssembly_BadSettings(t *testing.T) {
	for _, tt := range []struct{ lang, text, want string }{
		{"en", "/poll new single Q? | A | B voters shareholders C9", "no campaign"},
		{"en", "/poll new single Q? | A | B voters nobody", "who may vote"},
		{"en", "/poll new single Q? | A | B voters role member", "who may vote"},
		{"en", "/poll new single Q? | A | B quorum present M1 150%", "quorum of those present"},
		{"en", "/poll new single Q? | A | B quorum present M1", "quorum of those present"},
		{"en", "/poll new single Q? | A | B weight shares", "weight by shares"},
		{"en", "/poll new single Q? | A | B remind 10m until 2026-12-05", "remind takes"},
		{"en", "/poll new single Q? | A | B meeting M9", "M9"},
		{"en", "/poll new single Q? | A | B meeting M1 voters present M2", "one meeting only"},
		{"en", "/poll new single Q? | A | B remind soon until 2026-12-05 meeting M9", "M9"},
		{"en", "/poll new single Q? | A | B remind 48h", "remind needs a deadline"},
		{"fr", "/sondage nouveau single Q ? | A | B rappel 2j", "rappel demande une échéance"},
		{"fr", "/sondage nouveau single Q ? | A | B votants associés C2", "n'est pas une campagne de parts sociales"},
		{"fr", "/sondage nouveau single Q ? | A | B poids parts C2", "n'est pas une campagne de parts sociales"},
		{"fr", "/sondage nouveau single Q ? | A | B votants personne", "comme les votants"},
	} {
		t.Run(tt.lang+"/"+tt.text, func(t *testing.T) {
			e := assemblyEnv(t, tt.lang, botstest.Options{})
			e.Say("alice", "/campaign new donation Roof goal 1000 until 2026-12-20") // C2, not equity
			refusedSame(t, e, "alice", tt.text, tt.want)
			if n := len(e.Snapshot().Communities[0].Polls); n != 0 {
				t.Fatalf("%d polls opened", n)
			}
		})
	}
}

// Ensure the French settings read as the English ones.
func TestAssembly_FrenchSettings(t *testing.T) {
	e := assemblyEnv(t, "fr", botstest.Options{})
	e.Say("alice", "/sondage nouveau single Budget ? | Oui | Non votants présents M1 quorum présents M1 50 % poids parts C1 rappel 48h jusqu'au 2026-12-10")
	s := pollShot(t, e, "V1")
	if s.Voters != "present M1" || s.Meeting != "M1" || s.QuorumPresent != 50 || s.WeightedBy != "shares C1" {
		t.Fatalf("export %+v", s)
	}
	e.Say("alice", "/sondage nouveau single Statuts ? | Oui | Non votants rôle animateur réunion M1 rappel non jusqu'au 2026-12-10")
	if s := pollShot(t, e, "V2"); s.Voters != "role facilitator" || s.Meeting != "M1" {
		t.Fatalf("export %+v", s)
	}
}

// Ensure a share-weighted poll counts each ballot for its voter's shares, says
// so in the receipt and the result, and shows each ballot's weight in the export;
// a member without shares is refused.
func TestAssembly_WeightedPoll(t *testing.T) {
	e := assemblyEnv(t, "en", botstest.Options{})
	e.Say("alice", "/poll new single Dividend? | Yes | No weight shares C1")
	out := e.Say("bob", "/vote V1 Yes")
	if got := strings.Join(botstest.Texts(out), " "); !strings.Contains(got, "It counts for 3 shares") {
		t.Fatalf("receipt %q", got)
	}
	e.Say("carol", "/vote V1 No")
	refusedSame(t, e, "dan", "/vote V1 No", "none are recorded for this voter")
	e.Sent.Reset()
	e.Say("alice", "/poll V1 close")
	res := sentWith(e, "weighted by the shares of C1: 4 shares counted")
	if len(res) == 0 || !strings.Contains(res[0].Text, "Yes (3 shares)") {
		t.Fatalf("result %q", botstest.Texts(e.Sent.Messages()))
	}
	s := pollShot(t, e, "V1")
	if s.Weight != 4 || s.WeightedBy != "shares C1" || len(s.Ranking) == 0 || s.Ranking[0][0] != "Yes" {
		t.Fatalf("export %+v", s)
	}
	weights := map[string]int{}
	for _, b := range s.BallotList {
		weights[b.Voter] = b.Weight
	}
	if !reflect.DeepEqual(weights, map[string]int{"bob": 3, "carol": 1}) {
		t.Fatalf("ballot weights %v", weights)
	}
}

// Ensure a secret weighted poll shows only the total weight in the export.
func TestAssembly_WeightedSecretShowsOnlyTotal(t *testing.T) {
	e := assemblyEnv(t, "en", botstest.Options{BallotSecret: "0123456789abcdef0123"})
	e.Say("alice", "/poll new single Dividend? | Yes | No weight shares C1 secret")
	e.Say("bob", "/vote V1 Yes")
	e.Say("carol", "/vote V1 No")
	s := pollShot(t, e, "V1")
	if s.Weight != 4 || len(s.BallotList) != 0 {
		t.Fatalf("secret export: weight %d, ballots %v", s.Weight, s.BallotList)
	}
}

// proxyEnv is assemblyEnv with poll V1 (single) attached to M1.
func proxyEnv(t *testing.T, lang string, opt botstest.Options) *botstest.Env {
	e := assemblyEnv(t, lang, opt)
	e.Say("alice", "/poll new single Accounts? | Approve | Reject meeting M1")
	e.Sent.Reset()
	return e
}

// Ensure a proxy holder votes for its giver, both are told, the giver voting in
// person replaces the proxy's ballot and cancels the proxy for that poll.
func TestAssembly_ProxyVote(t *testing.T) {
	e := proxyEnv(t, "en", botstest.Options{})
	out := e.Say("carol", "/proxy M1 @bob")
	if got := botstest.Texts(out)[0]; !strings.Contains(got, "goes to bob") {
		t.Fatalf("proxy answer %q", got)
	}
	if dms := dmsTo(e, "bob"); len(dms) != 1 || !strings.Contains(dms[0].Text, "carol gives you their proxy") {
		t.Fatalf("holder told %q", botstest.Texts(dms))
	}
	e.Sent.Reset()
	out = e.Say("bob", "/vote V1 Approve for @carol")
	if got := strings.Join(botstest.Texts(out), " "); !strings.Contains(got, "The ballot of carol in V1, cast by you as their proxy, is counted") {
		t.Fatalf("holder receipt %q", got)
	}
	dms := dmsTo(e, "carol")
	if len(dms) != 1 || !strings.Contains(dms[0].Text, "bob, who holds your proxy for M1, cast your ballot in V1") || !strings.Contains(dms[0].Text, "Approve") {
		t.Fatalf("giver told %q", botstest.Texts(dms))
	}
	s := pollShot(t, e, "V1")
	if s.Ballots != 1 || s.ByProxy != 1 || len(s.BallotList) != 1 || s.BallotList[0].By != "bob" || s.BallotList[0].Voter != "carol" {
		t.Fatalf("export %+v", s)
	}
	// The giver votes in person: their ballot replaces the proxy's.
	out = e.Say("carol", "/vote V1 Reject")
	if got := strings.Join(botstest.Texts(out), " "); !strings.Contains(got, "replaces the ballot your proxy cast") {
		t.Fatalf("giver receipt %q", got)
	}
	s = pollShot(t, e, "V1")
	if s.Ballots != 1 || s.ByProxy != 0 || s.BallotList[0].By != "" {
		t.Fatalf("export after the giver voted %+v", s)
	}
	// …and the holder may no longer vote for them in this poll.
	refusedSame(t, e, "bob", "/vote V1 Approve for @carol", "cancels the proxy for this poll")
	// bob's own vote is his.
	e.Say("bob", "/vote V1 Approve")
	if s := pollShot(t, e, "V1"); s.Ballots != 2 {
		t.Fatalf("ballots %d, want 2", s.Ballots)
	}
}

// Ensure a proxy in a secret poll: the giver is told a ballot was cast without
// the choice, and nothing links the holder to the ballot.
func TestAssembly_ProxySecret(t *testing.T) {
	e := assemblyEnv(t, "fr", botstest.Options{BallotSecret: "0123456789abcdef0123"})
	e.Say("alice", "/sondage nouveau single Comptes ? | Pour | Contre secret réunion M1")
	e.Say("carol", "/procuration M1 @bob")
	e.Sent.Reset()
	out := e.Say("bob", "/vote V1 Pour pour @carol")
	if got := strings.Join(botstest.Texts(out), " "); !strings.Contains(got, "Le bulletin de carol pour V1") || !strings.Contains(got, "sans le choix") {
		t.Fatalf("holder receipt %q", got)
	}
	dms := dmsTo(e, "carol")
	if len(dms) != 1 || !strings.Contains(dms[0].Text, "vote secret : le choix n'est pas montré") || strings.Contains(dms[0].Text, "Pour :") {
		t.Fatalf("giver told %q", botstest.Texts(dms))
	}
	if s := pollShot(t, e, "V1"); s.ByProxy != 1 || len(s.BallotList) != 0 {
		t.Fatalf("export %+v", s)
	}
}

// Ensure the refusals of proxies, each with nothing changed: to oneself, a third
// proxy, a chain, to a non-member, a vote for someone who gave no proxy, a vote
// by proxy in a poll of no meeting, cancelling none.
func TestAssembly_ProxyRefusals(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			e := proxyEnv(t, lang, botstest.Options{})
			msg := map[string][2]string{
				"self":   {"cannot give your proxy to yourself", "vous donner votre propre procuration"},
				"third":  {"already holds 2 proxies", "détient déjà 2 procurations"},
				"chain":  {"Proxies do not pass on", "ne se transmettent pas"},
				"none":   {"gave you no proxy for M1", "ne vous a pas donné de procuration pour M1"},
				"nomeet": {"belongs to no meeting", "n'est rattaché à aucune réunion"},
				"cancel": {"You gave no proxy for M1", "Vous n'avez donné aucune procuration pour M1"},
				"nomem":  {"zed", "zed"},
			}
			pick := func(k string) string {
				if lang == "fr" {
					return msg[k][1]
				}
				return msg[k][0]
			}
			cmd, cancel, forw := "/proxy", "cancel", "for"
			if lang == "fr" {
				cmd, cancel, forw = "/procuration", "annuler", "pour"
			}
			refusedSame(t, e, "bob", cmd+" M1 @bob", pick("self"))
			e.Say("carol", cmd+" M1 @bob")
			e.Say("dan", cmd+" M1 @bob")
			refusedSame(t, e, "erin", cmd+" M1 @bob", pick("third"))
			refusedSame(t, e, "erin", cmd+" M1 @carol", pick("chain")) // carol gave hers
			refusedSame(t, e, "bob", cmd+" M1 @erin", pick("chain"))   // bob holds some
			refusedSame(t, e, "erin", cmd+" M1 @zed", pick("nomem"))
			refusedSame(t, e, "bob", "/vote V1 1 "+forw+" @erin", pick("none"))
			e.Say("alice", "/poll new single Other? | A | B")
			refusedSame(t, e, "bob", "/vote V2 A "+forw+" @carol", pick("nomeet"))
			refusedSame(t, e, "erin", cmd+" M1 "+cancel, pick("cancel"))
		})
	}
}

// Ensure a giver cancelling their proxy ends it: the holder is told and can no
// longer vote for them; the freed place lets another give theirs.
func TestAssembly_ProxyCancel(t *testing.T) {
	e := proxyEnv(t, "en", botstest.Options{})
	e.Say("carol", "/proxy M1 @bob")
	e.Say("dan", "/proxy M1 @bob")
	e.Sent.Reset()
	out := e.Say("dan", "/proxy M1 cancel")
	if got := botstest.Texts(out)[0]; !strings.Contains(got, "taken back from bob") {
		t.Fatalf("cancel answer %q", got)
	}
	if dms := dmsTo(e, "bob"); len(dms) != 1 || !strings.Contains(dms[0].Text, "dan took back the proxy") {
		t.Fatalf("holder told %q", botstest.Texts(dms))
	}
	refusedSame(t, e, "bob", "/vote V1 Approve for @dan", "gave you no proxy")
	e.Say("erin", "/proxy M1 @bob")
	out = e.Say("bob", "/proxy M1")
	if got := botstest.Texts(out)[0]; !strings.Contains(got, "You hold the proxies of carol, erin") {
		t.Fatalf("proxy show %q", got)
	}
}

// Ensure represented members count for `voters present` and for the quorum of
// those present: bob present holding carol's proxy makes 2 present or
// represented; a quorum of 100% needs both ballots.
func TestAssembly_RepresentedCountForQuorum(t *testing.T) {
	e := assemblyEnv(t, "en", botstest.Options{})
	e.Say("carol", "/proxy M1 @bob")
	present(t, e, "M1", "bob")
	e.Say("alice", "/poll new single Motion? | Yes | No voters present M1 quorum present M1 100%")
	e.Say("bob", "/vote V1 Yes")
	e.Sent.Reset()
	e.Say("alice", "/poll V1 close")
	if len(sentWith(e, "Quorum not met: 1 of the 2 ballots needed")) == 0 {
		t.Fatalf("result %q", botstest.Texts(e.Sent.Messages()))
	}
	e.Say("alice", "/poll new single Motion 2? | Yes | No voters present M1 quorum present M1 100%")
	e.Say("bob", "/vote V2 Yes")
	e.Say("bob", "/vote V2 No for @carol")
	refusedSame(t, e, "dan", "/vote V2 Yes", "present or represented at M1")
	e.Say("alice", "/poll V2 close")
	if s := pollShot(t, e, "V2"); s.QuorumMet == nil || !*s.QuorumMet || s.Ballots != 2 || s.Turnout == nil || s.Turnout.Electorate != 2 {
		t.Fatalf("export %+v", s)
	}
}

// Ensure the reminder reaches only the electorate's non-voters, once, with the
// poll's buttons, secret polls included, and not after a restart; `remind off`
// sends none, and `remind 48h` moves it.
func TestAssembly_RemindNonVoters(t *testing.T) {
	e := assemblyEnv(t, "en", botstest.Options{BallotSecret: "0123456789abcdef0123"})
	e.Say("alice", "/poll new single Budget? | Yes | No secret voters shareholders C1 until 2026-12-05 09:00")
	e.Say("alice", "/poll new single Quiet? | Yes | No until 2026-12-05 09:00 remind off")
	e.Say("alice", "/poll new single Early? | Yes | No until 2026-12-05 09:00 remind 48h")
	e.Say("bob", "/vote V1 Yes")
	e.Say("bob", "/vote V3 Yes")
	e.Sent.Reset()
	advance(t, e, 48*time.Hour) // 3 Dec 09:00: V3's reminder
	early := sentWith(e, "V3 · Early?")
	var to []string
	for _, m := range early {
		if m.Direct {
			to = append(to, m.UserID)
		}
	}
	if strings.Join(to, ",") != "alice,carol,dan,erin,zoe" && len(to) != 5 {
		t.Fatalf("V3 reminders to %v", to)
	}
	e.Sent.Reset()
	e.Restart()
	advance(t, e, 24*time.Hour) // 4 Dec 09:00: V1's reminder
	var got []string
	for _, m := range e.Sent.Messages() {
		if m.Direct && strings.Contains(m.Text, "V1 · Budget?") {
			got = append(got, m.UserID)
			if len(m.Buttons) == 0 {
				t.Errorf("reminder without buttons: %q", m.Text)
			}
		}
		if strings.Contains(m.Text, "Quiet?") {
			t.Errorf("remind off sent %q", m.Text)
		}
		if strings.Contains(m.Text, "V3 · Early?") {
			t.Errorf("V3 reminded twice: %q", m.Text)
		}
	}
	if !reflect.DeepEqual(got, []string{"carol"}) { // bob voted; others hold no share
		t.Fatalf("V1 reminders to %v, want carol only", got)
	}
	e.Restart()
	e.Sent.Reset()
	advance(t, e, 12*time.Hour)
	if n := len(sentWith(e, "you have not voted yet")); n != 0 {
		t.Fatalf("%d reminders again after a restart", n)
	}
}

// Ensure the turnout and the list of non-voters: facilitators and the author
// see them, a member is refused; in French too.
func TestAssembly_NonVoters(t *testing.T) {
	e := assemblyEnv(t, "en", botstest.Options{})
	e.Say("alice", "/poll new single Budget? | Yes | No voters shareholders C1")
	e.Say("bob", "/vote V1 Yes")
	out := e.Say("alice", "/poll V1 nonvoters")
	if got := botstest.Texts(out)[0]; !strings.Contains(got, "1 of 2 voters voted (50%)") || !strings.Contains(got, "Not voted yet: carol.") {
		t.Fatalf("nonvoters %q", got)
	}
	out = e.Say("alice", "/poll V1 turnout")
	if got := botstest.Texts(out)[0]; !strings.Contains(got, "1 of 2 voters voted") || strings.Contains(got, "carol") {
		t.Fatalf("turnout %q", got)
	}
	refusedSame(t, e, "dan", "/poll V1 nonvoters", "facilitator")
	e.Say("dan", "/poll new single Mine? | Yes | No")
	refusedSame(t, e, "dan", "/poll V2 nonvoters", "facilitator") // its author is no facilitator
	refusedSame(t, e, "alice", "/poll V1 nonvoters now", "/poll V1")

	f := assemblyEnv(t, "fr", botstest.Options{})
	f.Say("alice", "/sondage nouveau single Budget ? | Oui | Non votants associés C1")
	out = f.Say("alice", "/sondage V1 nonvotants")
	if got := botstest.Texts(out)[0]; !strings.Contains(got, "0 votant sur 2 (0 %)") || !strings.Contains(got, "N'ont pas encore voté : bob, carol.") {
		t.Fatalf("nonvotants %q", got)
	}
}

// Ensure the words of the assembly settings stay free as option labels when
// they are not followed by a setting's value.
func TestAssembly_SettingWordsInLabels(t *testing.T) {
	e := assemblyEnv(t, "fr", botstest.Options{})
	e.Say("alice", "/sondage nouveau single Quoi ? | Repas | Réunion mensuelle")
	e.Say("alice", "/sondage nouveau single Quoi ? | Repas | Rappel des règles jusqu'au 2026-12-05")
	for _, id := range []string{"V1", "V2"} {
		s := pollShot(t, e, id)
		if len(s.Options) != 2 || s.Meeting != "" {
			t.Fatalf("%s: options %q, meeting %q", id, s.Options, s.Meeting)
		}
	}
	if got := pollShot(t, e, "V2").Options[1]; got != "Rappel des règles" {
		t.Fatalf("label %q", got)
	}
}

// Ensure a ballot cast by proxy in a secret poll stays unlinkable: the voters'
// list records that a ballot was cast for the giver by proxy, and no record of
// the bbolt file that names the giver or the holder holds a ballot or a label.
func TestAssembly_SecretProxyHoldsNoLink(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.db")
	e := assemblyEnv(t, "en", botstest.Options{Path: path, BallotSecret: "a server secret, not in the store"})
	e.Say("Voter-gil", "hello")
	e.Say("Voter-hal-for", "hello")
	e.Say("alice", "/poll new single Accounts? | Alphonse | Bertrand secret meeting M1")
	e.Say("Voter-gil", "/proxy M1 @Voter-hal-for")
	e.Say("Voter-hal-for", "/vote V1 Bertrand for @Voter-gil")
	e.Say("Voter-hal-for", "/vote V1 Alphonse")
	advance(t, e, 5*time.Second)
	if got := pollShot(t, e, "V1"); got.Ballots != 2 || got.ByProxy != 1 {
		t.Fatalf("V1: %d ballots, %d by proxy", got.Ballots, got.ByProxy)
	}
	ids := voterIDs(t, e, []string{"Voter-gil", "Voter-hal-for"})
	if err := e.DB.Close(); err != nil {
		t.Fatal(err)
	}
	marks := map[string]int{}
	inspect(t, path, func(bucket, key, value string) {
		value = withDecoded(value)
		rec := bucket + " " + key + " " + value
		switch bucket {
		case "ballot":
			t.Errorf("a secret poll's ballot is stored as a public one: %s", rec)
		case "sballot":
			if strings.Contains(value, `"by"`) || strings.Contains(value, `"at"`) {
				t.Errorf("secret ballot with a proxy or a time: %s", rec)
			}
		case "voter":
			marks[value]++
		}
		for name, pats := range ids {
			for _, p := range pats {
				if !p.MatchString(key) && !p.MatchString(value) {
					continue
				}
				if strings.Contains(value, `"v":[`) || strings.Contains(value, "Alphonse") || strings.Contains(value, "Bertrand") {
					t.Errorf("a record names %s and holds a ballot or a label: %s", name, rec)
				}
			}
		}
	})
	if marks["proxy"] != 1 || marks["1"] != 1 {
		t.Fatalf("voter marks %v, want one in person and one by proxy", marks)
	}
}

// Ensure "for @member" is read from the end of the ballot, whatever the names.
func TestAssembly_VoteForNames(t *testing.T) {
	e := proxyEnv(t, "en", botstest.Options{})
	e.Say("forrest", "hello")
	e.Say("forrest", "/proxy M1 @bob")
	e.Say("bob", "/vote V1 Approve for @forrest")
	s := pollShot(t, e, "V1")
	if len(s.BallotList) != 1 || s.BallotList[0].Voter != "forrest" || s.BallotList[0].By != "bob" {
		t.Fatalf("ballots %+v", s.BallotList)
	}
}
