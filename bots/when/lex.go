package when

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the class of a token.
type tokKind uint8

const (
	tokWord  tokKind = iota + 1 // letters, folded: lower case, no accents
	tokNum                      // ASCII digits
	tokPunct                    // one punctuation rune; apostrophes and dashes are normalised to ' and -
)

// token is one lexical unit of the input. start and end are byte offsets into
// the original text, so that Find can cut the date out of the sentence without
// touching the bytes around it.
type token struct {
	kind  tokKind
	text  string // folded text
	start int
	end   int
	// accented is set for a word typed with a diacritic: "à" is an
	// introducing word where "a" may be the verb ("il a 2h de retard").
	accented bool
}

// foldRune maps a rune to its lower-case form without diacritics, for the
// letters French and English use. It returns "" for a rune that is not a
// letter it knows how to fold (the caller keeps unicode.ToLower of it).
func foldRune(r rune) string {
	switch r {
	case 'à', 'â', 'ä', 'á', 'ã', 'å', 'À', 'Â', 'Ä', 'Á', 'Ã', 'Å':
		return "a"
	case 'ç', 'Ç':
		return "c"
	case 'é', 'è', 'ê', 'ë', 'É', 'È', 'Ê', 'Ë':
		return "e"
	case 'î', 'ï', 'í', 'ì', 'Î', 'Ï', 'Í', 'Ì':
		return "i"
	case 'ô', 'ö', 'ó', 'ò', 'õ', 'Ô', 'Ö', 'Ó', 'Ò', 'Õ':
		return "o"
	case 'ù', 'û', 'ü', 'ú', 'Ù', 'Û', 'Ü', 'Ú':
		return "u"
	case 'ÿ', 'Ÿ':
		return "y"
	case 'ñ', 'Ñ':
		return "n"
	case 'œ', 'Œ':
		return "oe"
	case 'æ', 'Æ':
		return "ae"
	}
	return ""
}

// isApostrophe reports whether r is one of the apostrophes people type.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', '`', '´':
		return true
	}
	return false
}

// isDash reports whether r is one of the dashes people type.
func isDash(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '−':
		return true
	}
	return false
}

// lex splits text into tokens. It never fails: an invalid UTF-8 byte and any
// rune that is neither a letter, a digit nor a space becomes a punctuation
// token of its own, which no rule matches. It runs in time linear in len(text).
func lex(text string) []token {
	toks := make([]token, 0, len(text)/3+1)
	var word strings.Builder
	cur := token{}
	inTok := false
	flush := func(end int) {
		if !inTok {
			return
		}
		cur.end = end
		if cur.kind == tokWord {
			cur.text = word.String()
			word.Reset()
		}
		toks = append(toks, cur)
		inTok = false
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			flush(i)
			toks = append(toks, token{kind: tokPunct, text: "\ufffd", start: i, end: i + size})
		case r >= '0' && r <= '9':
			if inTok && cur.kind != tokNum {
				flush(i)
			}
			if !inTok {
				cur = token{kind: tokNum, start: i}
				inTok = true
			}
			cur.text = text[cur.start : i+size]
		case unicode.IsLetter(r):
			if inTok && cur.kind != tokWord {
				flush(i)
			}
			if !inTok {
				cur = token{kind: tokWord, start: i}
				inTok = true
			}
			if f := foldRune(r); f != "" {
				word.WriteString(f)
				cur.accented = true
			} else {
				word.WriteRune(unicode.ToLower(r))
			}
		case unicode.IsSpace(r):
			flush(i)
		default:
			flush(i)
			p := string(r)
			switch {
			case isApostrophe(r):
				p = "'"
			case isDash(r):
				p = "-"
			}
			toks = append(toks, token{kind: tokPunct, text: p, start: i, end: i + size})
		}
		i += size
	}
	flush(len(text))
	return toks
}
