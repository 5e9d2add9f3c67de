package llm

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The checks below are how the rules hold a language model's text to the facts:
// drafts and summaries are used only when they pass, else the template text is.

// ErrUnchecked reports a model's text that failed a check; the caller falls back to
// its deterministic text.
var ErrUnchecked = errors.New("model text refused")

// MaxDraftLen bounds a drafted opening, in runes.
const MaxDraftLen = 300

// numberWords maps number words of French and English (two and above: "un", "une",
// "one" are also articles and pronouns) to their value.
var numberWords = map[string]int64{
	"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"hundred": 100, "thousand": 1000, "dozen": 12, "both": 2, "twice": 2, "thrice": 3,
	"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
	"onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
	"trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "mille": 1000,
	"douzaine": 12, "dizaine": 10, "vingtaine": 20, "centaine": 100,
}

// Number is a number found in a text.
type Number struct {
	Value int64
	Text  string // as written
}

// NumbersIn returns the numbers written in s: each run of digits (a decimal or a
// thousands mark splits it: "12,50" is 12 and 50) and each number word of French or
// English from two up ("three", "trois", "dix-huit" is 10 and 8).
func NumbersIn(s string) []Number {
	var out []Number
	s = norm.NFC.String(strings.ToValidUTF8(s, " "))
	for i := 0; i < len(s); {
		if isDigit(s[i]) {
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			digits := strings.TrimLeft(s[i:j], "0")
			v, err := strconv.ParseInt(digits, 10, 64)
			if digits == "" {
				v, err = 0, nil
			}
			if err != nil || len(digits) > 18 {
				v = -1 // too large to be any fact
			}
			out = append(out, Number{Value: v, Text: s[i:j]})
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) {
			j := i
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r) {
					break
				}
				j += size
			}
			if v, ok := numberWords[strings.ToLower(s[i:j])]; ok {
				out = append(out, Number{Value: v, Text: s[i:j]})
			}
			i = j
			continue
		}
		i += size
	}
	return out
}

var (
	urlRe     = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"]+`)
	commandRe = regexp.MustCompile(`(?:^|[\s(\[{"'«“])/\p{L}`)
)

// CheckDraft checks a drafted opening against the facts it was drafted from:
// present, at most MaxDraftLen runes on at most two lines, no link, no command, no
// @mention, no redaction mark, and every number it writes among allowed (the facts'
// values). It returns the text trimmed, or an error wrapping ErrUnchecked.
func CheckDraft(text string, allowed []int64) (string, error) {
	text = strings.TrimSpace(text)
	if err := checkPlain(text, MaxDraftLen); err != nil {
		return "", err
	}
	if strings.Count(text, "\n") > 1 {
		return "", fmt.Errorf("%w: more than two lines", ErrUnchecked)
	}
	if err := numbersAmong(text, allowed); err != nil {
		return "", err
	}
	if strings.Contains(text, "@") {
		return "", fmt.Errorf("%w: a mention", ErrUnchecked)
	}
	if urlRe.MatchString(text) {
		return "", fmt.Errorf("%w: a link", ErrUnchecked)
	}
	return text, nil
}

// CheckSummary checks text (a FAQ entry's question or answer, at most max runes)
// that a model wrote from sources: every number, link and @mention in it must be
// in the sources, and it holds no command and no redaction mark. It returns the
// text trimmed, or an error wrapping ErrUnchecked.
func CheckSummary(text string, max int, sources ...string) (string, error) {
	text = strings.TrimSpace(text)
	if err := checkPlain(text, max); err != nil {
		return "", err
	}
	var allowed []int64
	src := strings.Join(sources, "\n")
	for _, n := range NumbersIn(src) {
		allowed = append(allowed, n.Value)
	}
	if err := numbersAmong(text, allowed); err != nil {
		return "", err
	}
	for _, u := range urlRe.FindAllString(text, -1) {
		if !strings.Contains(src, strings.TrimRight(u, ".,;:!?)")) {
			return "", fmt.Errorf("%w: a link not in the answers", ErrUnchecked)
		}
	}
	for _, m := range handleRe.FindAllString(text, -1) {
		if !strings.Contains(src, strings.TrimRight(m, ".")) {
			return "", fmt.Errorf("%w: a mention not in the answers", ErrUnchecked)
		}
	}
	return text, nil
}

// checkPlain refuses an empty or too long text, one with a command, a redaction
// mark or control characters.
func checkPlain(text string, max int) error {
	switch {
	case text == "" || !utf8.ValidString(text):
		return fmt.Errorf("%w: empty or invalid", ErrUnchecked)
	case utf8.RuneCountInString(text) > max:
		return fmt.Errorf("%w: longer than %d characters", ErrUnchecked, max)
	case commandRe.MatchString(text):
		return fmt.Errorf("%w: a command", ErrUnchecked)
	case strings.Contains(text, RedactedEmail) || strings.Contains(text, RedactedPhone) || strings.Contains(text, RedactedHandle):
		return fmt.Errorf("%w: a redacted detail", ErrUnchecked)
	}
	letters := 0
	for _, r := range text {
		if unicode.IsControl(r) && r != '\n' {
			return fmt.Errorf("%w: a control character", ErrUnchecked)
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 3 {
		return fmt.Errorf("%w: no words", ErrUnchecked)
	}
	return nil
}

// numbersAmong refuses text that writes a number not in allowed.
func numbersAmong(text string, allowed []int64) error {
	for _, n := range NumbersIn(text) {
		ok := false
		for _, a := range allowed {
			if n.Value == a && n.Value >= 0 {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("%w: the number %q is not among the facts", ErrUnchecked, n.Text)
		}
	}
	return nil
}
