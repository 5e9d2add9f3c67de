package bots

import (
	"strings"
	"unicode"
)

// ChatNotStep reports whether an answer to "what is the next step?" reads as a
// greeting or a question rather than a step, in French or English: it ends with a
// question mark ("hello?", "c'est quoi ?", "Ask the town hall for a room?"), it is
// a greeting, alone or with a name or "everyone" ("hello", "Bonjour à tous", "hi
// Bob!"), or it says the question was not understood ("pardon", "what do you
// mean", "je ne comprends pas"). Such an answer is asked again, never recorded.
func ChatNotStep(s string) bool {
	t := strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '!' || r == '.' || r == '…' || unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r)
	})
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") {
		return true
	}
	words := strings.Fields(foldWords(s))
	if len(words) == 0 {
		return false
	}
	if chatConfused[strings.Join(words, " ")] {
		return true
	}
	// A greeting, then at most a filler ("everyone", "à tous") and a name.
	n := 0
	for k := 1; k <= min(3, len(words)); k++ {
		if chatGreetings[strings.Join(words[:k], " ")] {
			n = k
		}
	}
	if n == 0 {
		return false
	}
	rest := words[n:]
	for k := min(len(rest), 3); k > 0; k-- {
		if chatFillers[strings.Join(rest[:k], " ")] {
			rest = rest[k:]
			break
		}
	}
	return len(rest) <= 1
}

var (
	chatGreetings = set("hello", "hi", "hey", "hiya", "yo", "howdy", "greetings", "good morning", "good afternoon",
		"good evening", "morning", "evening", "bonjour", "bonsoir", "salut", "coucou", "allo", "re", "rebonjour",
		"hello there", "hey there", "hi there", "bonne journee", "bonne soiree", "hola", "ciao", "salutations")
	chatFillers = set("everyone", "everybody", "all", "there", "you", "guys", "folks", "team", "a tous", "a toutes",
		"tout le monde", "vous", "toi", "tous", "la compagnie", "l'equipe", "les amis", "a vous", "a toi")
	chatConfused = set("what", "quoi", "pardon", "hein", "huh", "eh", "comment", "sorry", "excuse me", "what do you mean",
		"je ne comprends pas", "je comprends pas", "j'ai pas compris", "je n'ai pas compris", "i don't understand",
		"i dont understand", "i don't get it", "c'est quoi", "qu'est ce que", "quelle etape", "which step", "what step",
		"help", "aide", "test", "testing")
)
