package bots

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CommandInfo is one entry of a platform's command menu (Telegram's
// setMyCommands): the English command name and a short description.
type CommandInfo struct {
	Name        string
	Description string
}

// MaxMenuDescription bounds a menu description, in characters (Telegram's limit).
const MaxMenuDescription = 256

// Menu returns the commands /help shows, in its order, with a short description
// in lang: the "menu.NAME" text, else the part of the "help.NAME" text after its
// first dash, else the name. Platforms register them at start.
func (b *Bot) Menu(lang string) []CommandInfo {
	var out []CommandInfo
	seen := map[string]bool{}
	for _, s := range helpSections {
		for _, name := range s.cmds {
			if seen[name] || b.cmds[name] == nil {
				continue
			}
			seen[name] = true
			out = append(out, CommandInfo{Name: name, Description: b.menuText(lang, name)})
		}
	}
	return out
}

func (b *Bot) menuText(lang, name string) string {
	var d string
	if b.cat.Has(lang, "menu."+name) || b.cat.Has("en", "menu."+name) {
		d = b.cat.Text(lang, "menu."+name, nil)
	} else {
		help := b.cat.Text(lang, "help."+name, nil)
		if _, rest, ok := strings.Cut(help, " — "); ok {
			d, _, _ = strings.Cut(rest, ";")
			if r, size := utf8.DecodeRuneInString(d); size > 0 {
				d = string(unicode.ToUpper(r)) + d[size:]
			}
		}
	}
	d = strings.Join(strings.Fields(d), " ")
	if d == "" || strings.HasPrefix(d, "[") {
		d = "/" + name
	}
	if utf8.RuneCountInString(d) > MaxMenuDescription {
		d = string([]rune(d)[:MaxMenuDescription-1]) + "…"
	}
	return d
}
