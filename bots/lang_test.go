package bots_test

import (
	"strings"
	"testing"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/prompts"
)

// Ensure that in a group whose members chose different languages, what everyone
// sees (a list asked in the group, a refusal shown there) is in the community's
// language, and what only the actor sees (/me, a private refusal, /lang's answer)
// in the actor's — a French community with an English member and the other way
// round.
func TestLang_GroupAnswersInCommunityLanguage(t *testing.T) {
	cat, err := prompts.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ comm, member string }{{"fr", "en"}, {"en", "fr"}} {
		t.Run(tc.comm+"/"+tc.member, func(t *testing.T) {
			e := botstest.NewEnv(t, botstest.Options{Lang: tc.comm, NoSync: true})
			e.Say("alice", "/community create Jardin lang "+tc.comm)
			e.Say("alice", "/project new Compost")
			e.Say("bob", "/projects") // bob joins
			out := e.Say("bob", "/lang "+tc.member)
			if len(out) != 1 || !out[0].Direct || out[0].Text != cat.Text(tc.member, "lang.set", nil) {
				t.Fatalf("/lang answered %+v, want %q privately", out, cat.Text(tc.member, "lang.set", nil))
			}

			out = e.Say("bob", "/projects")
			if len(out) != 1 || out[0].Direct || out[0].Ephemeral {
				t.Fatalf("/projects answered %+v, want one group message", out)
			}
			heading := map[string]string{"en": "Projects:", "fr": "Projets :"}
			if !strings.HasPrefix(out[0].Text, heading[tc.comm]) {
				t.Errorf("/projects in the group = %q, want it in the community's %s", out[0].Text, tc.comm)
			}

			out = e.Say("bob", "/project P9")
			if want := cat.Text(tc.comm, "err.no_project", map[string]any{"id": "P9"}); len(out) != 1 || out[0].Direct || out[0].Text != want {
				t.Errorf("refusal in the group = %+v, want %q", out, want)
			}

			out = e.Say("bob", "/me")
			if len(out) != 1 || !out[0].Direct {
				t.Fatalf("/me answered %+v, want a private answer", out)
			}
			if want := map[string]string{"en": " — language: ", "fr": " — langue : "}[tc.member]; !strings.Contains(out[0].Text, want) {
				t.Errorf("/me = %q, want it in %s (%q)", out[0].Text, tc.member, want)
			}

			out = e.Say("bob", "/pledge C9 10")
			if len(out) != 1 || !out[0].Direct {
				t.Fatalf("refused pledge answered %+v, want a private refusal", out)
			}
			if en, fr := cat.Text("en", "err.no_campaign", map[string]any{"id": "C9"}), cat.Text("fr", "err.no_campaign", map[string]any{"id": "C9"}); en == fr || out[0].Text != map[string]string{"en": en, "fr": fr}[tc.member] {
				t.Errorf("private refusal = %q, want it in %s", out[0].Text, tc.member)
			}

			// The actor's own language still reads what they type privately: in
			// direct messages everything is theirs.
			out = e.Say("bob", ">/projects")
			if len(out) != 1 || !strings.Contains(out[0].Text, "Compost") || !strings.HasPrefix(out[0].Text, heading[tc.member]) {
				t.Errorf("/projects by direct message = %+v, want it in %s", out, tc.member)
			}
		})
	}
}

// Ensure a form opened from the group (/news P1 without its text) is asked, by
// direct message, in the referent's own language, not the community's.
func TestLang_FormInOwnLanguage(t *testing.T) {
	cat, err := prompts.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ comm, member string }{{"fr", "en"}, {"en", "fr"}} {
		t.Run(tc.comm+"/"+tc.member, func(t *testing.T) {
			e := botstest.NewEnv(t, botstest.Options{Lang: tc.comm, NoSync: true})
			e.Say("alice", "/community create Jardin lang "+tc.comm)
			e.Say("bob", "/lang "+tc.member)
			e.Say("bob", "/project new Compost")
			out := e.Say("bob", "/news P1")
			want := cat.Text(tc.member, "form.news.text", nil)
			if len(out) != 1 || !out[0].Direct || !strings.Contains(out[0].Text, want) {
				t.Errorf("/news P1 asked %+v, want %q by direct message", out, want)
			}
		})
	}
}

// Ensure what a member types in the group is read in their own language: an
// English member's "4/15" in a French community's group is 15 April, shown to
// the group in French.
func TestLang_DatesReadInOwnLanguage(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{Lang: "fr", NoSync: true})
	e.Say("alice", "/community create Jardin lang fr tz Europe/Paris")
	e.Say("bob", "/lang en")
	e.Say("bob", "/project new Compost")
	e.Sent.Reset()
	out := e.Say("bob", "/nextstep P1 Buy compost by 4/15")
	out = append(out, e.Sent.Messages()...)
	if got := botstest.Texts(e.Say("carol", "/project P1")); len(got) != 1 || !strings.Contains(got[0], "15 avril 2027") {
		t.Errorf("/project P1 = %q, want the step due on 15 April 2027, in French (answers %q)", got, botstest.Texts(out))
	}
}
