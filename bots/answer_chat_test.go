package bots_test

import (
	"testing"

	"github.com/engage-org/engage/bots"
)

// Ensure greetings and questions, in French and English, are told from next steps.
func TestChatNotStep(t *testing.T) {
	for s, want := range map[string]bool{
		// Questions: a question mark at the end, whatever follows it.
		"hello?": true, "c'est quoi ?": true, "Quelle étape ?": true, "Ask the town hall for a room?": true,
		"on fait quoi ? 🤔": true, "what？": true,
		// Greetings, alone, with a filler or a name.
		"hello": true, "Bonjour": true, "Salut tout le monde !": true, "bonjour à tous": true, "hi Bob": true,
		"Good morning everyone": true, "coucou 👋": true, "hey there": true,
		// Not understood.
		"pardon": true, "je ne comprends pas": true, "what do you mean": true, "I don't understand": true,
		// Steps, including ones that start with a greeting word or contain a question word.
		"Paint the shed": false, "Semer les graines": false, "Salut, on peint le cabanon samedi": false,
		"Hello the neighbours with a flyer in every letterbox": false, "Ask what the mayor thinks": false,
		"Demander au maire ce qu'il en pense.": false, "": false,
	} {
		if got := bots.ChatNotStep(s); got != want {
			t.Errorf("ChatNotStep(%q) = %v, want %v", s, got, want)
		}
		if want && bots.StepUsable(s) {
			t.Errorf("StepUsable(%q) = true for a greeting or a question", s)
		}
	}
}

// FuzzChatNotStep checks that any text is classified without failing, and that a
// greeting or a question is never a usable step.
func FuzzChatNotStep(f *testing.F) {
	for _, s := range []string{"hello?", "Bonjour à tous !", "Paint the shed", "？", "hi 👋 !", "\xff?", "salut salut salut salut"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if bots.ChatNotStep(s) && bots.StepUsable(s) {
			t.Fatalf("%q is both chat and a step", s)
		}
	})
}
