package bots_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/engage-org/engage/bots/botstest"
)

// Ensure /help is a short overview that fits one Discord message (2 000
// characters) for every role and language, shaped by the asker's role: a plain
// member does not see the commands of admins and facilitators.
func TestHelp_OverviewByRole(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			e := roleEnv(t)
			for _, who := range []string{"alice", "fay", "rita", "mo"} {
				e.Say(who, "/lang "+lang)
			}
			overview := func(who string) string {
				out := botstest.Texts(e.Say(who, "/help"))
				if len(out) != 1 {
					t.Fatalf("%s: %d answers", who, len(out))
				}
				if n := utf8.RuneCountInString(out[0]); n > 2000 {
					t.Fatalf("%s: /help is %d characters, more than a Discord message:\n%s", who, n, out[0])
				}
				return out[0]
			}
			admin, member, referent := overview("alice"), overview("mo"), overview("rita")
			for _, cmd := range []string{"/role", "/members", "/digest", "/contact", "/allocate"} {
				if !strings.Contains(admin, cmd+" ") && !strings.HasSuffix(admin, cmd) && !strings.Contains(admin, cmd+"\n") {
					t.Errorf("the admin's overview lacks %s:\n%s", cmd, admin)
				}
				if strings.Contains(member, cmd) {
					t.Errorf("a member's overview shows %s:\n%s", cmd, member)
				}
			}
			if !strings.Contains(referent, "/news") || strings.Contains(member, "/news") {
				t.Errorf("/news: the referent's overview %q, the member's %q", referent, member)
			}
			for _, cmd := range []string{"/vote", "/pledge", "/follow", "/me"} {
				if !strings.Contains(member, cmd) {
					t.Errorf("a member's overview lacks %s:\n%s", cmd, member)
				}
			}
		})
	}
}

// Ensure /help TOPIC details one topic, by its English or French word, and that
// the detail of a topic keeps the role shaping. mo, who chose French in an
// English community, asks by direct message: in the group the answer is in the
// community's language.
func TestHelp_Topics(t *testing.T) {
	e := roleEnv(t)
	e.Say("mo", "/lang fr")
	for _, tt := range []struct{ who, text, want, not string }{
		{"alice", "/help polls", "/poll new", "/pledge"},
		{"alice", "/help campaigns", "/pledge C1", "/poll new"},
		{"mo", ">/aide sondages", "/sondage nouveau", "/pledge"},
		{"mo", ">/aide votes", "/voter", "/pledge"},
		{"mo", ">/aide campagnes", "/promesse C1", "/encaisser"},
		{"mo", ">/aide animation", "/absent", "/digest"},
		{"alice", "/help facilitation", "/digest", "/pledge"},
		{"mo", ">/aide communauté", "/communaute creer", "/role"},
		{"alice", "/help vote", "/vote", "/pledge"}, // a command, not a topic
	} {
		out := botstest.Texts(e.Say(tt.who, tt.text))
		if len(out) != 1 || !strings.Contains(out[0], tt.want) || strings.Contains(out[0], tt.not) {
			t.Errorf("%s %q: got %q, want %q and no %q", tt.who, tt.text, out, tt.want, tt.not)
		}
	}
}

// Ensure a French community's overview names the commands as its French help
// writes them, shaped by role as in English.
func TestHelp_OverviewFrench(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Club lang fr")
	e.Say("mo", "bonjour")
	admin := botstest.Texts(e.Say("alice", "/aide"))[0]
	member := botstest.Texts(e.Say("mo", "/aide"))[0]
	for _, cmd := range []string{"/membres", "/bilan", "/voter", "/promesse"} {
		if !strings.Contains(admin, cmd) {
			t.Errorf("the admin's French overview lacks %s:\n%s", cmd, admin)
		}
	}
	for _, cmd := range []string{"/voter", "/promesse", "/suivre", "/aide votes"} {
		if !strings.Contains(member, cmd) {
			t.Errorf("a member's French overview lacks %s:\n%s", cmd, member)
		}
	}
	for _, cmd := range []string{"/membres", "/bilan", "/pledge", "/vote "} {
		if strings.Contains(member, cmd) {
			t.Errorf("a member's French overview shows %s:\n%s", cmd, member)
		}
	}
}
