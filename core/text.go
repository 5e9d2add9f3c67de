package core

import (
	"fmt"
	"strings"
	"unicode"
)

// What members type reaches terminals, exports and other members' screens: a
// control character can recolour a terminal or end a CSV row, a bidirectional
// override can show "gro.elgoog" as "google.org", and a zero-width character makes
// two names that look the same different. checkChars refuses them in every text
// that enters the engine (checkText, amounts); SafeName drops them from the names
// platforms give, which cannot be refused.

// unsafeRune reports whether r is a character no name, title, label or amount may
// hold: C0 and C1 controls and DEL, bidirectional marks, embeddings, overrides and
// isolates, zero-width and other invisible format characters, line and paragraph
// separators. Newline is for the caller to allow.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f', // bidi marks
		r >= '\u202a' && r <= '\u202e', // embeddings and overrides
		r >= '\u2066' && r <= '\u2069': // isolates
		return true
	case r == '\u200b', r == '\u200c', r == '\u200d', r == '\u2060', r == '\ufeff', r == '\u180e', r == '\u00ad',
		r >= '\u2061' && r <= '\u2064': // zero-width and invisible
		return true
	case r == '\u2028', r == '\u2029':
		return true
	}
	return false
}

// emojiPart reports whether r is part of an emoji sequence a zero-width joiner
// may join ("👩‍🌾"): a symbol, a skin-tone modifier or a variation selector.
func emojiPart(r rune) bool {
	return unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r) || r == '\ufe0f'
}

// checkChars refuses s when it holds an unsafe character (see unsafeRune); lines
// allows newlines. A zero-width joiner between two parts of an emoji is allowed.
// Returns CodeInvalid ("err.bad_char", with the character as U+XXXX).
func checkChars(s string, lines bool) error {
	rs := []rune(s)
	for i, r := range rs {
		if !unsafeRune(r) || lines && r == '\n' {
			continue
		}
		if r == '\u200d' && i > 0 && i+1 < len(rs) && emojiPart(rs[i-1]) && emojiPart(rs[i+1]) {
			continue
		}
		return Errorf(CodeInvalid, "err.bad_char", "char", fmt.Sprintf("U+%04X", r))
	}
	return nil
}

// CheckChars is checkChars for the layers above the engine: a command is refused
// as a whole when it holds an unsafe character, before any part of it is echoed in
// an answer ("“…” is not an option"). lines allows newlines.
func CheckChars(s string, lines bool) error { return checkChars(s, lines) }

// SafeName returns name without the characters checkChars refuses (and without
// newlines): what a platform reports as a member's name is kept, made harmless.
func SafeName(name string) string {
	if checkChars(name, false) == nil {
		return name
	}
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if unsafeRune(r) && !(r == '\u200d' && i > 0 && i+1 < len(rs) && emojiPart(rs[i-1]) && emojiPart(rs[i+1])) {
			if unicode.IsSpace(r) {
				b.WriteRune(' ')
			}
			continue
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
