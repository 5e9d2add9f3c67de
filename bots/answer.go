package bots

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/engage-org/engage/bots/when"
	"github.com/engage-org/engage/core"
)

// Answer is what a referent's free-text reply to the check-in questions holds
// ("on finit le prototype fin mars, c'est sur la liste", "next Friday", "not yet").
type Answer struct {
	// Step is the next step as typed, without the date, the words about sharing and
	// "the next step is" ("" when nothing is left).
	Step string
	// Due is the date given (HasDue), read in the community's zone; a date already
	// past is not taken (PastDue is set and Step keeps it).
	Due     when.Date
	HasDue  bool
	PastDue bool
	// NoDue: the referent says there is no date ("pas de date", "I don't know").
	NoDue bool
	// Shared is +1 when the reply says the step is posted for the community, -1 when it
	// says it is not, 0 when it says nothing about it.
	Shared int
	// Same: the next step is unchanged ("same", "pareil", "idem").
	Same bool
}

// Understood reports whether the reply holds anything ParseAnswer reads.
func (a Answer) Understood() bool {
	return a.Step != "" || a.HasDue || a.NoDue || a.Shared != 0 || a.Same
}

// maxAnswerBytes bounds the text ParseAnswer reads; longer replies are cut (the
// caller refuses them before, MaxInput).
const maxAnswerBytes = 8192

// ParseAnswer reads a reply to the check-in questions, typed in lang ("fr", "en";
// both languages' words are understood), relative to now in loc, the community's
// zone. It never fails: what it cannot read stays in Step, and whether Step is a
// usable next step is for the caller to judge (StepUsable).
func ParseAnswer(text, lang string, now time.Time, loc *time.Location) Answer {
	var a Answer
	if len(text) > maxAnswerBytes {
		text = text[:maxAnswerBytes]
	}
	text = strings.ToValidUTF8(text, "")
	text = strings.Join(strings.Fields(text), " ")
	whole := foldWords(text)
	switch {
	case wholeYes[whole] || strings.TrimSpace(text) == "👍":
		a.Shared = 1
		return a
	case wholeNo[whole] || strings.TrimSpace(text) == "👎":
		a.Shared = -1
		return a
	case wholeSame[whole] || strings.TrimSpace(text) == "=":
		a.Same = true
		return a
	case wholeNoDue[whole] || strings.TrimSpace(text) == "-":
		a.NoDue = true
		return a
	}
	// The first date to come is the due date. A date already past before it ("we met
	// yesterday; next we tidy the hall by Monday") is skipped, and left in the step
	// when no date to come follows.
	rest := text
	search := text
	for range 3 {
		d, r, ok := when.Find(search, lang, now, loc)
		if !ok {
			break
		}
		if !d.End().Before(now) {
			a.Due, a.HasDue, rest = d, true, r
			break
		}
		a.PastDue = true
		search = r
	}
	if v, r, ok := cutPhrase(rest, sharedPhrases); ok {
		a.Shared, rest = v, r
	}
	if _, r, ok := cutPhrase(rest, noDuePhrases); ok && !a.HasDue {
		a.NoDue, rest = true, r
	}
	if _, r, ok := cutPrefixPhrase(rest, stepIntros); ok {
		rest = r
	}
	rest = tidy(rest)
	if wholeSame[foldWords(rest)] { // "same, by next friday"
		a.Same = true
		rest = ""
	}
	a.Step = rest
	return a
}

// StepUsable reports whether s reads as a next step: a few letters, not a bare yes,
// no or "I don't know", nor a greeting or a question (see ChatNotStep).
func StepUsable(s string) bool {
	w := foldWords(s)
	if wholeYes[w] || wholeNo[w] || wholeSame[w] || wholeNoDue[w] || ChatNotStep(s) {
		return false
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 3
}

// phraseWord is one word of a text: its folded form and where it is.
type phraseWord struct {
	f          string
	start, end int
}

// splitWords returns the words of s (letters and digits, with apostrophes inside
// words), folded without case or accents, with their byte offsets.
func splitWords(s string) []phraseWord {
	var out []phraseWord
	start := -1
	isApos := func(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' || r == '`' }
	for i, r := range s {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r)
		if !inWord && isApos(r) && start >= 0 {
			// an apostrophe inside a word ("c'est", "don't") belongs to it
			if next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):]); unicode.IsLetter(next) {
				inWord = true
			}
		}
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, phraseWord{f: foldWord(s[start:i]), start: start, end: i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, phraseWord{f: foldWord(s[start:]), start: start, end: len(s)})
	}
	return out
}

// foldWord lowercases w, strips the accents of French and English letters and
// normalises apostrophes ("C’EST" → "c'est"). It is core.Fold made cheap for the
// many short words of a reply.
func foldWord(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 0x80 || c == '`' || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		switch {
		case r == '’' || r == 'ʼ' || r == '`':
			b.WriteByte('\'')
		case r < 0x80:
			b.WriteRune(unicode.ToLower(r))
		default:
			if f, ok := accents[unicode.ToLower(r)]; ok {
				b.WriteString(f)
			} else {
				b.WriteString(core.Fold(string(r)))
			}
		}
	}
	return b.String()
}

// accents maps the accented lower-case letters of French (and a few more) to their
// plain form.
var accents = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ã': "a", 'å': "a", 'ç': "c", 'é': "e", 'è': "e", 'ê': "e",
	'ë': "e", 'î': "i", 'ï': "i", 'í': "i", 'ì': "i", 'ô': "o", 'ö': "o", 'ó': "o", 'ò': "o", 'õ': "o",
	'ù': "u", 'û': "u", 'ü': "u", 'ú': "u", 'ÿ': "y", 'ñ': "n", 'œ': "oe", 'æ': "ae",
}

// foldWords is s's words, folded, joined by single spaces.
func foldWords(s string) string {
	ws := splitWords(s)
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.f
	}
	return strings.Join(parts, " ")
}

// phrases maps word sequences (folded, space-separated) to a value.
type phrases struct {
	m     map[string]int
	first map[string]bool // the first words of the phrases, to skip the other words fast
	words int             // the longest phrase, in words
}

func newPhrases(m map[string]int) *phrases {
	ps := &phrases{m: m, first: map[string]bool{}}
	for k := range m {
		w := strings.Fields(k)
		ps.first[w[0]] = true
		ps.words = max(ps.words, len(w))
	}
	return ps
}

// cutPhrase finds the leftmost, longest phrase of table in s and returns its value
// and s without it.
func cutPhrase(s string, table *phrases) (int, string, bool) {
	ws := splitWords(s)
	for i := range ws {
		if !table.first[ws[i].f] {
			continue
		}
		best, val := -1, 0
		seq := ""
		for j := i; j < len(ws) && j-i < table.words; j++ {
			if j > i {
				seq += " "
			}
			seq += ws[j].f
			if v, ok := table.m[seq]; ok {
				best, val = j, v
			}
		}
		if best >= 0 {
			return val, s[:ws[i].start] + " " + s[ws[best].end:], true
		}
	}
	return 0, s, false
}

// cutPrefixPhrase removes a phrase of table that starts s.
func cutPrefixPhrase(s string, table *phrases) (int, string, bool) {
	ws := splitWords(s)
	if len(ws) == 0 || strings.TrimFunc(s[:ws[0].start], unicode.IsSpace) != "" || !table.first[ws[0].f] {
		return 0, s, false
	}
	best, val := -1, 0
	seq := ""
	for j := 0; j < len(ws) && j < table.words; j++ {
		if j > 0 {
			seq += " "
		}
		seq += ws[j].f
		if v, ok := table.m[seq]; ok {
			best, val = j, v
		}
	}
	if best < 0 {
		return 0, s, false
	}
	return val, s[ws[best].end:], true
}

// tidy trims what cutting left at the ends: spaces, punctuation, "and", "et".
func tidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, " ,", ",")
	s = strings.ReplaceAll(s, " .", ".")
	for range 8 {
		before := s
		s = strings.TrimFunc(s, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(",;:.-–—!/", r)
		})
		ws := splitWords(s)
		if n := len(ws); n > 0 && danglers[ws[n-1].f] && strings.TrimSpace(s[ws[n-1].end:]) == "" {
			s = s[:ws[n-1].start]
		}
		if len(ws) > 0 && danglers[ws[0].f] && ws[0].start == 0 {
			s = s[ws[0].end:]
		}
		if s == before {
			break
		}
	}
	return strings.TrimSpace(s)
}

// danglers are the words left hanging at an end when a phrase is cut out.
var danglers = map[string]bool{"et": true, "and": true, "mais": true, "but": true, "donc": true, "so": true, "alors": true}

// sharedPhrases say whether the step is posted for the community; they count
// anywhere in a reply. A bare "yes" or "not yet" counts only as a whole reply
// (wholeYes, wholeNo): inside a step ("on n'a pas encore la salle") it is not about
// sharing.
var sharedPhrases = newPhrases(map[string]int{
	// French, posted
	"c'est sur la liste": 1, "c'est dans la liste": 1, "deja sur la liste": 1, "c'est sur la mailing list": 1,
	"c'est partage": 1, "c'est partagee": 1, "c'est publie": 1, "c'est poste": 1, "c'est annonce": 1,
	"deja partage": 1, "deja partagee": 1, "deja publie": 1, "deja publiee": 1, "deja poste": 1,
	"deja annonce": 1, "deja annoncee": 1, "deja communique": 1, "la communaute est au courant": 1,
	"tout le monde est au courant": 1, "partage avec la communaute": 1, "publie sur la liste": 1,
	"c'est deja partage": 1, "c'est deja publie": 1, "c'est deja sur la liste": 1, "c'est deja annonce": 1,
	// French, not posted
	"pas encore partage": -1, "pas encore partagee": -1, "pas encore publie": -1, "pas encore poste": -1,
	"pas encore annonce": -1, "pas encore sur la liste": -1, "pas sur la liste": -1, "pas partage": -1,
	"pas publie": -1, "pas poste": -1, "pas annonce": -1, "c'est pas partage": -1, "pas encore communique": -1,
	"n'est pas partage": -1, "n'est pas encore partage": -1, "n'est pas sur la liste": -1, "n'est pas publie": -1,
	"n'est pas encore sur la liste": -1, "pas encore dit a la communaute": -1,
	// English, posted
	"it's posted": 1, "it is posted": 1, "it's shared": 1, "it is shared": 1, "already posted": 1,
	"already shared": 1, "already announced": 1, "already on the list": 1, "it's on the list": 1,
	"it is on the list": 1, "posted it": 1, "shared it": 1, "announced it": 1, "the community knows": 1,
	"everyone knows": 1, "posted to the community": 1, "shared with the community": 1, "it's been posted": 1,
	"it has been posted": 1, "it's been shared": 1,
	// English, not posted
	"not posted": -1, "not shared": -1, "not announced": -1, "not on the list": -1, "not yet posted": -1,
	"not yet shared": -1, "isn't posted": -1, "isn't shared": -1, "is not posted": -1, "is not shared": -1,
	"hasn't been posted": -1, "hasn't been shared": -1, "haven't posted": -1, "haven't shared": -1,
	"not posted yet": -1, "not shared yet": -1, "not yet announced": -1, "isn't on the list": -1,
})

// noDuePhrases say there is no date; they count anywhere in a reply.
var noDuePhrases = newPhrases(map[string]int{
	"pas de date": 1, "sans date": 1, "aucune date": 1, "pas encore de date": 1, "pas de date precise": 1,
	"no date": 1, "no date yet": 1, "without a date": 1, "no deadline": 1, "pas de delai": 1, "pas d'echeance": 1,
})

// stepIntros introduce the step ("la prochaine étape c'est…"), and are dropped.
var stepIntros = newPhrases(map[string]int{
	"prochaine etape": 1, "la prochaine etape": 1, "la prochaine etape c'est": 1, "la prochaine etape est": 1,
	"la prochaine etape sera": 1, "prochaine etape c'est": 1, "l'etape suivante": 1, "l'etape suivante c'est": 1,
	"next step": 1, "the next step": 1, "next step is": 1, "the next step is": 1, "the next step will be": 1,
	"our next step is": 1, "notre prochaine etape": 1, "notre prochaine etape est": 1,
	"la prochaine etape c'est de": 1, "la prochaine etape est de": 1, "prochaine etape c'est de": 1,
	"la prochaine etape sera de": 1, "the next step is to": 1, "next step is to": 1, "our next step is to": 1,
	"c'est de": 1,
})

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Whole replies: yes or no to "is it posted?", "same" for an unchanged step, and "I
// don't know" for the date.
var (
	wholeYes = set("oui", "yes", "yep", "yeah", "yup", "ouais", "oui oui", "bien sur", "of course", "sure",
		"y", "o", "ok", "okay", "absolument", "tout a fait", "c'est fait", "done", "oui c'est fait",
		"oui deja", "yes already", "already", "deja", "affirmatif", "si", "evidemment", "certainly", "indeed")
	wholeNo = set("non", "no", "nope", "nah", "nan", "n", "pas encore", "not yet", "non pas encore",
		"no not yet", "pas du tout", "not at all", "negatif", "non merci", "no thanks", "pas vraiment", "not really")
	wholeSame = set("same", "the same", "same as before", "same step", "same thing", "unchanged", "no change",
		"still the same", "pareil", "pareil qu'avant", "la meme", "la meme chose", "meme chose", "meme etape",
		"la meme etape", "toujours la meme", "toujours pareil", "inchange", "inchangee", "idem",
		"pas de changement", "rien de change", "nothing changed", "toujours la meme etape", "same as last time")
	wholeNoDue = set("je ne sais pas", "je sais pas", "sais pas", "chais pas", "aucune idee", "pas d'idee",
		"don't know", "dont know", "i don't know", "i dont know", "not sure", "no idea", "pas sur",
		"je ne sais pas encore", "i don't know yet", "pas de date", "no date", "sans date", "aucune", "none",
		"on verra", "we'll see", "plus tard", "later")
)
