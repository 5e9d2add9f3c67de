package llm

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What Redact puts in place of contact details. The system prompts name them.
const (
	RedactedEmail  = "[email]"
	RedactedPhone  = "[phone]"
	RedactedHandle = "[handle]"
)

var (
	emailRe = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}`)
	// handleRe is an @mention: "@alice", "<@U123>" (Slack, Discord).
	handleRe = regexp.MustCompile(`<@[!&]?[A-Za-z0-9]+>|@[\p{L}\p{N}_.]{2,}`)
	isoDate  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// Redact replaces the contact details in s (email addresses, phone numbers,
// @handles) with RedactedEmail, RedactedPhone and RedactedHandle. Everything sent to
// a language model goes through it: personal contact data never leaves Engage.
// It errs on the side of privacy: any run of 9 or more digits, alone or with spaces,
// dots, dashes or brackets between them, is taken for a phone number (an ISO date
// such as 2026-12-15 is not).
func Redact(s string) string {
	s = strings.ToValidUTF8(s, "�")
	s = emailRe.ReplaceAllString(s, RedactedEmail)
	s = handleRe.ReplaceAllString(s, RedactedHandle)
	return redactPhones(s)
}

// redactPhones replaces phone-like runs of digits in s.
func redactPhones(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if !isDigit(c) && !(c == '+' && i+1 < len(s) && isDigit(s[i+1])) {
			b.WriteByte(c)
			i++
			continue
		}
		if n := isoDateAt(s, i); n > 0 { // 2026-12-15 stays a date
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		// A run: digits with at most two separators (space, dot, dash, bracket)
		// between them: "06 12 34 56 78", "+33 (0)6.12.34.56.78", "(555) 123-4567".
		start, end, digits := i, i, 0
		if c == '+' {
			i++
		}
		for i < len(s) {
			if isDigit(s[i]) {
				digits++
				i++
				end = i
				continue
			}
			j := i
			for j < len(s) && j-i < 2 && isSeparator(s[j]) {
				j++
			}
			if j == i || j >= len(s) || !isDigit(s[j]) || isoDateAt(s, j) > 0 {
				break
			}
			i = j
		}
		run := s[start:end]
		compact := !strings.ContainsAny(run, " .-()")
		if digits >= 9 && !(compact && leadingWordDigit(s, start)) {
			b.WriteString(RedactedPhone) // more than 15 digits (an IBAN) is no model's business either
		} else {
			b.WriteString(run)
		}
		i = end
	}
	return b.String()
}

// isoDateAt returns the length of the ISO date (2026-12-15) that starts s[i:], not
// followed by another digit, or 0.
func isoDateAt(s string, i int) int {
	if len(s)-i < 10 || !isoDate.MatchString(s[i:i+10]) || (len(s)-i > 10 && isDigit(s[i+10])) {
		return 0
	}
	if i > 0 && isDigit(s[i-1]) {
		return 0
	}
	return 10
}

func isSeparator(c byte) bool { return c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' }

// leadingWordDigit reports whether the run at i continues a word ("A320123456"):
// written without separators, it is then a reference, not a phone number.
func leadingWordDigit(s string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
