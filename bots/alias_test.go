package bots_test

import (
	"testing"

	"github.com/engage-org/engage/bots/botstest"
)

// A word can mean one thing as a command and another inside one: « /nouvelle P1 … »
// posts news, « /campagne nouvelle … » opens a campaign. French names people type
// naturally (/cagnotte, /promettre, /aime) work like the English ones.
func TestFrenchWordsInsideCommands(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{Lang: "fr"})
	e.Say("alice", "/communauté créer Jardin lang fr")
	e.Say("alice", "/projet nouveau Composteur")
	e.Say("alice", "/campagne nouvelle don Composteur objectif 500 € jusqu'au 31/12/2027")
	e.Say("alice", "/cagnotte nouvel don Graines objectif 100 € jusqu'au 31/12/2027")
	e.Say("alice", "/nouvelle P1 Le bac est livré")
	e.Say("bob", "/promettre C1 25,50")
	e.Say("bob", "/aime P1")
	snap := e.Snapshot()
	c := snap.Communities[0]
	if len(c.Campaigns) != 2 {
		t.Fatalf("campaigns = %d, want 2 (« nouvelle », « nouvel »)", len(c.Campaigns))
	}
	if got := c.Campaigns[0].Pledged; got != 2550 {
		t.Errorf("C1 pledged = %d, want 2550 (/promettre)", got)
	}
	p := c.Projects[0]
	if len(p.News) != 1 {
		t.Errorf("P1 news = %d, want 1 (/nouvelle as a command)", len(p.News))
	}
	if p.Likes != 1 {
		t.Errorf("P1 likes = %d, want 1 (/aime)", p.Likes)
	}
}
