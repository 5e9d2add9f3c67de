package discord

import (
	"strconv"
	"strings"
)

// A component's custom_id (at most 100 characters) says what it is and carries the
// bots token it stands for:
//
//	b:TOKEN[:N]  a button; N tells apart two buttons of one message with the same token
//	s:N          a select menu, the N-th of its message; each option's value is a token
//	f:TOKEN      a modal showing the form TOKEN
const (
	idButton = 'b'
	idSelect = 's'
	idForm   = 'f'

	maxCustomID = 100
	// maxToken leaves room for the kind and a duplicate counter.
	maxToken = maxCustomID - 8
)

// validToken reports whether tok can ride in a custom_id or a select value.
func validToken(tok string) bool {
	return tok != "" && len(tok) <= maxToken && !strings.ContainsAny(tok, ":\x00")
}

// buttonID is the custom_id of a button for tok; dup > 0 numbers a repeat.
func buttonID(tok string, dup int) string {
	id := string(idButton) + ":" + tok
	if dup > 0 {
		id += ":" + strconv.Itoa(dup)
	}
	return id
}

// selectID is the custom_id of the n-th select menu of a message.
func selectID(n int) string { return string(idSelect) + ":" + strconv.Itoa(n) }

// formID is the custom_id of the modal for the form tok.
func formID(tok string) string { return string(idForm) + ":" + tok }

// parseCustomID reads a custom_id: its kind and, for buttons and modals, the token.
// ok is false for anything this adapter did not make.
func parseCustomID(id string) (kind byte, token string, ok bool) {
	if len(id) < 3 || len(id) > maxCustomID || id[1] != ':' {
		return 0, "", false
	}
	kind, rest := id[0], id[2:]
	switch kind {
	case idButton:
		tok, dup, found := strings.Cut(rest, ":")
		if found {
			if n, err := strconv.Atoi(dup); err != nil || n <= 0 || strconv.Itoa(n) != dup {
				return 0, "", false
			}
		}
		if !validToken(tok) {
			return 0, "", false
		}
		return kind, tok, true
	case idForm:
		if !validToken(rest) {
			return 0, "", false
		}
		return kind, rest, true
	case idSelect:
		if n, err := strconv.Atoi(rest); err != nil || n < 0 || strconv.Itoa(n) != rest {
			return 0, "", false
		}
		return kind, "", true
	}
	return 0, "", false
}
