package telegram

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/engage-org/engage/bots"
)

// Telegram's sizes, counted in UTF-16 code units after entity parsing.
const (
	maxText     = 4096 // a message's text
	maxCaption  = 1024 // a photo's or document's caption
	maxToast    = 200  // a callback query's answer
	maxCallback = 64   // a button's callback_data, in bytes
)

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escapeHTML escapes what Telegram's HTML parse mode reads as markup. Templates
// hold plain text, so everything is escaped.
func escapeHTML(s string) string { return htmlEscaper.Replace(s) }

// units returns the length of s in UTF-16 code units, as Telegram counts.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

func runeUnits(r rune) int {
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	return 1
}

// split cuts text into pieces of at most max UTF-16 code units, at the last line
// break of a piece, else its last space, else anywhere (never inside a rune).
func split(text string, max int) []string {
	var out []string
	for units(text) > max {
		cut, n := 0, 0 // cut: byte offset where the piece may end
		lastNL, lastSpace := -1, -1
		for i := 0; i < len(text); {
			r, size := utf8.DecodeRuneInString(text[i:])
			if n+runeUnits(r) > max {
				break
			}
			n += runeUnits(r)
			switch {
			case r == '\n':
				lastNL = i
			case unicode.IsSpace(r):
				lastSpace = i
			}
			i += size
			cut = i
		}
		if cut == 0 { // a rune wider than max: give it a piece of its own
			_, cut = utf8.DecodeRuneInString(text)
		}
		end, next := cut, cut
		switch {
		case lastNL > 0:
			end, next = lastNL, lastNL+1
		case lastSpace > 0:
			end, next = lastSpace, lastSpace+1
		}
		if piece := strings.TrimRight(text[:end], " \t\r\n"); piece != "" {
			out = append(out, piece)
		}
		text = text[next:]
	}
	if strings.TrimSpace(text) != "" || len(out) == 0 {
		out = append(out, text)
	}
	return out
}

// clipUnits cuts s to at most max UTF-16 code units, ending with "…" when cut.
func clipUnits(s string, max int) string {
	if units(s) <= max {
		return s
	}
	n := 0
	for i, r := range s {
		if n+runeUnits(r) > max-1 {
			return s[:i] + "…"
		}
		n += runeUnits(r)
	}
	return s
}

// keyboard turns rows of buttons into an inline keyboard (nil when there are
// none). A press carries the button's token as callback_data; a button whose
// token does not fit Telegram's 64 bytes, or whose link is not a web or tg://
// link, is left out.
func keyboard(rows [][]bots.Button) *tgbotapi.InlineKeyboardMarkup {
	var kb [][]tgbotapi.InlineKeyboardButton
	for _, row := range rows {
		var r []tgbotapi.InlineKeyboardButton
		for _, b := range row {
			label := strings.TrimSpace(b.Label)
			if label == "" {
				continue
			}
			label = clipUnits(label, 128)
			switch {
			case b.URL != "":
				if !strings.HasPrefix(b.URL, "https://") && !strings.HasPrefix(b.URL, "http://") && !strings.HasPrefix(b.URL, "tg://") {
					continue
				}
				r = append(r, tgbotapi.NewInlineKeyboardButtonURL(label, b.URL))
			case b.Token != "" && len(b.Token) <= maxCallback:
				r = append(r, tgbotapi.NewInlineKeyboardButtonData(label, b.Token))
			}
		}
		if len(r) > 0 {
			kb = append(kb, r)
		}
	}
	if len(kb) == 0 {
		return nil
	}
	return &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: kb}
}
