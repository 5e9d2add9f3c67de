package slack_test

import (
	"regexp"
	"testing"

	"github.com/engage-org/engage/adapters/slack/slackfake"
)

var reCode = regexp.MustCompile(`join ([A-Z0-9-]+)`)

// Ensure one app installed in two workspaces serves both: events of the second
// arrive through the first's connection with their team ID, answers go out with
// the second's token, and one community spans a channel of each.
func TestWorkspaces_OneCommunityTwoWorkspaces(t *testing.T) {
	h := newHarness(t, options{workspaces: true})
	h.community()
	h.fake.Slash("T1", "C1", "U1", "community invite")
	inv := h.fake.WaitMessage("the invite code", func(m slackfake.Message) bool {
		return m.User == "U1" && reCode.MatchString(m.Text)
	})
	code := reCode.FindStringSubmatch(inv.Text)[1]
	h.fake.Slash("T2", "C9", "U9", "community join "+code)
	joined := h.fake.WaitText("C9", "joined the community")
	if joined.Team != "T2" {
		t.Fatalf("got the answer in team %s, want T2 (posted with its token)", joined.Team)
	}
	c := h.snapshot()
	if len(c.Chats) != 2 || c.Chats[1].ChatID != "T2:C9" {
		t.Fatalf("got chats %+v, want C1 and T2:C9", c.Chats)
	}
	// News reaches both channels, each through its workspace.
	h.fake.Slash("T1", "C1", "U1", "news P1 Both workspaces hear this")
	for _, ch := range []string{"C1", "C9"} {
		m := h.fake.WaitText(ch, "Both workspaces hear this")
		if want := map[string]string{"C1": "T1", "C9": "T2"}[ch]; m.Team != want {
			t.Fatalf("got %s's post in team %s, want %s", ch, m.Team, want)
		}
	}
	// A member of the second workspace presses a button there.
	h.fake.Slash("T2", "C9", "U9", "project P1")
	show := h.fake.WaitText("C9", "Referents")
	h.fake.Press("U9", show, "Follow")
	h.fake.WaitMessage("zoe's follow receipt", func(m slackfake.Message) bool {
		return m.Team == "T2" && m.Ephemeral && m.User == "U9"
	})
	if got := h.snapshot().Projects[0].Followers; got != 2 {
		t.Fatalf("got %d followers, want 2", got)
	}
	// A form asked in the second workspace comes back to its channel there.
	h.fake.Slash("T2", "C9", "U9", "project new Shed")
	h.fake.WaitText("C9", "New project P2")
	h.fake.Slash("T2", "C9", "U9", "news P2")
	v := h.fake.WaitView(1)
	if v.Team != "T2" {
		t.Fatalf("got the modal opened in %s, want T2", v.Team)
	}
	h.fake.Submit(v, map[string]string{"text": "Roof is on"})
	for _, ch := range []string{"C1", "C9"} {
		h.fake.WaitText(ch, "Roof is on")
	}
}
