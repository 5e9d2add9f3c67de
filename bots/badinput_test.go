package bots_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/google/go-cmp/cmp"
)

// Ensure bad input gets a clear answer in the member's language and changes nothing.
func TestBadInput(t *testing.T) {
	long := "/news P1 " + strings.Repeat("blé ", 2600) // > 10 KB
	tests := []struct {
		name string
		text string
		en   string // a phrase the English answer must contain
		fr   string // and the French one
	}{
		{"UnknownCommand", "/frobnicate now", "I don't know the command /frobnicate", "Je ne connais pas la commande /frobnicate"},
		{"UnknownProject", "/follow P9", "There is no project P9", "Il n'y a pas de projet P9"},
		{"MalformedID", "/follow X1", "not a valid ID", "n'est pas un identifiant valable"},
		{"NegativeID", "/follow P-1", "not a valid ID", "n'est pas un identifiant valable"},
		{"MissingProject", "/follow", "/follow P1", "/suivre P1"},
		{"MissingNewsProject", "/news", "/news P1 TEXT", "/nouvelle P1 TEXTE"},
		{"MissingTitle", "/project new", "needs a title", "Il manque un titre"},
		{"TooLong", long, "too long", "trop long"},
		{"InvalidUTF8", "/news P1 caf\xe9 \xff", "invalid characters", "caractères invalides"},
		{"OtherCommunityID", "/project P2", "There is no project P2", "Il n'y a pas de projet P2"},
		{"BadStage", "/project P1 stage flying", "is not a stage", "n'est pas une étape"},
		{"BadRole", "/role @bob king", "is not a role", "n'est pas un rôle"},
		{"UnknownMember", "/referent P1 @nobody", "I don't know any member called", "Je ne connais aucun membre nommé"},
		{"BadLang", "/lang de", "choose fr or en", "choisissez fr ou en"},
		{"BadTimeZone", "/community create X tz Mars/Olympus", "not a time zone", "fuseau horaire"},
		{"ChatTaken", "/community create Again", "already belongs", "appartient déjà"},
		{"BadEmail", "/contact P1 email=nope", "does not look like an email", "ne ressemble pas à une adresse"},
		{"BadFields", "/contact P1 email", "name=value", "nom=valeur"},
		{"StaleButton", "", "no longer works", "ne fonctionne plus"},
		{"EmptySlash", "/", "I don't know the command", "Je ne connais pas la commande"},
		{"AlreadyFollowing", "/follow P1", "", ""}, // set below: a repeat is refused too
	}
	for _, lang := range []string{"en", "fr"} {
		for _, tt := range tests {
			if tt.name == "AlreadyFollowing" {
				tt.text, tt.en, tt.fr = "/follow P1", "You already follow P1", "Vous suivez déjà P1"
			}
			t.Run(lang+"/"+tt.name, func(t *testing.T) {
				e := botstest.NewEnv(t, botstest.Options{NoSync: true, Lang: "en"})
				// Another community owns P1 and P2 elsewhere.
				other := e.Event("zed", "/community create Elsewhere")
				other.ChatID = "elsewhere"
				e.Handle(other)
				e.Handle(withChat(e.Event("zed", "/project new One"), "elsewhere"))
				e.Handle(withChat(e.Event("zed", "/project new Two"), "elsewhere"))
				e.Say("alice", "/community create Club lang "+lang)
				e.Say("alice", "/project new Garden")
				e.Say("bob", "/follow P1")
				e.Say("bob", "/lang "+lang)
				e.Sent.Reset()
				before := e.Snapshot()
				ev := e.Event("bob", tt.text)
				if tt.name == "StaleButton" {
					ev.Kind, ev.Action = bots.KindAction, "NOSUCHTOKEN"
				}
				if tt.name == "BadRole" || tt.name == "BadTimeZone" || tt.name == "ChatTaken" || tt.name == "BadEmail" || tt.name == "BadFields" {
					ev.UserID, ev.UserName = "alice", "alice" // an admin, so only the input is wrong
				}
				out, err := e.Bot.Handle(context.Background(), ev)
				if err != nil {
					t.Fatal(err)
				}
				if err := e.Dispatcher.Flush(context.Background()); err != nil {
					t.Fatal(err)
				}
				want := tt.en
				if lang == "fr" {
					want = tt.fr
				}
				if len(out) != 1 || !strings.Contains(out[0].Text, want) {
					t.Fatalf("got %q, want an answer containing %q", botstest.Texts(out), want)
				}
				if !utf8.ValidString(out[0].Text) || len(out[0].Text) > 2000 {
					t.Fatalf("answer is not short valid text: %d bytes", len(out[0].Text))
				}
				if n := len(e.Sent.Messages()); n != 0 {
					t.Fatalf("bad input sent %d messages", n)
				}
				if diff := cmp.Diff(before, e.Snapshot()); diff != "" {
					t.Fatalf("bad input changed the state:\n%s", diff)
				}
			})
		}
	}
}

func withChat(ev bots.Event, chat string) bots.Event {
	ev.ChatID = chat
	return ev
}
