package discord

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/engage-org/engage/bots"
)

// Discord's limits on what a message holds.
const (
	maxContent     = 2000 // characters of a message's content
	maxEmbedTitle  = 256
	maxEmbedDesc   = 4096
	maxRows        = 5  // action rows of a message
	maxRowButtons  = 5  // buttons of a row
	maxOptions     = 25 // options of a select menu
	maxLabel       = 80 // a button's label
	maxOptionLabel = 100
	maxModalTitle  = 45
	maxModalLabel  = 45
	maxPlaceholder = 100
	maxModalFields = 5
	// MaxFile is the largest attachment a bot may send (10 MiB).
	MaxFile = 10 << 20
)

// noMentions lets no text of ours ping anybody (a title "@everyone" stays text).
var noMentions = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}

// out is a bots.Message as Discord will show it: its text in chunks of at most
// 2000 characters (or one embed), the components and the file riding on the last.
type out struct {
	chunks     []string
	embed      *discordgo.MessageEmbed
	components []discordgo.MessageComponent
	file       *bots.Attachment
}

// render lays m out for Discord. A message that will be edited in place (it has a
// Ref: a tally, a progress bar) is an embed when it fits one, so that it reads as a
// card; the others are plain content. choose is the select menus' placeholder.
func render(m bots.Message, choose string) out {
	o := out{components: components(m.Buttons, choose), file: m.Attachment}
	text := escape(m.Text)
	if m.Ref != "" {
		if e := embedOf(text); e != nil {
			o.embed = e
			return o
		}
	}
	o.chunks = split(text, maxContent)
	return o
}

// embedOf makes a card of text: its first line as title when there is more; nil
// when it does not fit an embed.
func embedOf(text string) *discordgo.MessageEmbed {
	title, desc, ok := strings.Cut(text, "\n")
	if !ok || width(title) > maxEmbedTitle || strings.TrimSpace(desc) == "" {
		title, desc = "", text
	}
	if width(desc) > maxEmbedDesc {
		return nil
	}
	return &discordgo.MessageEmbed{Title: strings.TrimSpace(title), Description: strings.TrimSpace(desc)}
}

// escape makes text show as written: Markdown marks are escaped (Engage's texts
// are plain), and so are headings and quotes at the start of a line.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	start := true
	for _, r := range s {
		switch r {
		case '\\', '*', '_', '~', '`', '|':
			b.WriteByte('\\')
		case '#', '>', '-':
			if start {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
		start = r == '\n' || (start && (r == ' ' || r == '\t'))
	}
	return b.String()
}

// width counts characters as Discord does, conservatively: a character beyond the
// basic plane counts two.
func width(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// split cuts s into chunks of at most max characters, at a line break when it can,
// else at a space, else anywhere (never after a lone escaping backslash).
func split(s string, max int) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return []string{""}
	}
	var chunks []string
	for width(s) > max {
		cut := prefixLen(s, max) // bytes of the longest prefix that fits
		head := s[:cut]
		if i := strings.LastIndexByte(head, '\n'); i > cut/2 {
			cut = i
		} else if i := strings.LastIndexByte(head, ' '); i > cut/2 {
			cut = i
		}
		// Never end a chunk (once trimmed) on a lone backslash, which would escape
		// nothing there and unescape the next chunk's first mark: break before the
		// word that ends so, or inside it when it is the only one.
		for {
			head := strings.TrimSpace(s[:cut])
			if trailingBackslashes(head)%2 == 0 {
				break
			}
			if i := strings.LastIndexAny(head, " \n"); i > 0 {
				cut = i
			} else if _, size := utf8.DecodeLastRuneInString(head); len(head)-size > 0 {
				cut = len(head) - size
			} else {
				break // a lone backslash and nothing else: it goes as it is
			}
		}
		chunks = append(chunks, strings.TrimSpace(s[:cut]))
		s = strings.TrimSpace(s[cut:])
	}
	if s != "" {
		chunks = append(chunks, s)
	}
	return chunks
}

// prefixLen is the length in bytes of the longest prefix of s of at most max
// characters (at least one character).
func prefixLen(s string, max int) int {
	n, w := 0, 0
	for i, r := range s {
		rw := 1
		if r > 0xFFFF {
			rw = 2
		}
		if w+rw > max {
			if i == 0 {
				_, size := utf8.DecodeRuneInString(s)
				return size
			}
			return i
		}
		w += rw
		n = i + utf8.RuneLen(r)
	}
	return n
}

func trailingBackslashes(s string) int {
	n := 0
	for n < len(s) && s[len(s)-1-n] == '\\' {
		n++
	}
	return n
}

// clipText cuts s to at most n characters, with an ellipsis when cut.
func clipText(s string, n int) string {
	s = strings.TrimSpace(s)
	if width(s) <= n {
		return s
	}
	return strings.TrimSpace(s[:prefixLen(s, n-1)]) + "…"
}

// unit is one row to be: buttons, or a select menu of their tokens.
type unit struct {
	buttons []bots.Button
	menu    bool
}

// packable reports whether units, all buttons, fit five rows of five buttons.
func packable(units []unit) bool {
	n := 0
	for _, u := range units {
		if u.menu {
			return false
		}
		n += len(u.buttons)
	}
	return n <= maxRows*maxRowButtons
}

// components lays out rows of buttons within Discord's rules: at most five rows,
// each of at most five buttons or one select menu of at most 25 options. A row of
// more than five buttons becomes a select menu; more than five rows are packed five
// buttons to a row when they fit, else the rows beyond the fifth are merged into
// select menus as room allows, and what still does not fit is left out.
func components(rows [][]bots.Button, choose string) []discordgo.MessageComponent {
	var units []unit
	for _, row := range rows {
		var valid []bots.Button
		for _, b := range row {
			if b.URL != "" || validToken(b.Token) {
				valid = append(valid, b)
			}
		}
		if len(valid) == 0 {
			continue
		}
		if len(valid) <= maxRowButtons {
			units = append(units, unit{buttons: valid})
			continue
		}
		var links, toks []bots.Button
		for _, b := range valid {
			if b.URL != "" {
				links = append(links, b)
			} else {
				toks = append(toks, b)
			}
		}
		for len(links) > 0 {
			n := min(len(links), maxRowButtons)
			units = append(units, unit{buttons: links[:n]})
			links = links[n:]
		}
		for len(toks) > 0 {
			n := min(len(toks), maxOptions)
			units = append(units, unit{buttons: toks[:n], menu: true})
			toks = toks[n:]
		}
	}
	if len(units) > maxRows && packable(units) {
		// Too many rows of few buttons (a poll's options, one a row): pack them five
		// to a row, in order.
		var all []bots.Button
		for _, u := range units {
			all = append(all, u.buttons...)
		}
		units = nil
		for len(all) > 0 {
			n := min(len(all), maxRowButtons)
			units = append(units, unit{buttons: all[:n]})
			all = all[n:]
		}
	}
	if len(units) > maxRows {
		var rest []bots.Button
		for _, u := range units[maxRows-1:] {
			for _, b := range u.buttons {
				if b.URL == "" {
					rest = append(rest, b)
				}
			}
		}
		units = units[:maxRows-1]
		for len(rest) > 0 && len(units) < maxRows {
			n := min(len(rest), maxOptions)
			units = append(units, unit{buttons: rest[:n], menu: true})
			rest = rest[n:]
		}
	}
	seen := map[string]int{}
	var out []discordgo.MessageComponent
	menus := 0
	total := 0
	for _, u := range units {
		total += len(u.buttons)
	}
	for _, u := range units {
		if u.menu {
			menu := discordgo.SelectMenu{CustomID: selectID(menus), Placeholder: clipText(choose, 150)}
			menus++
			vals := map[string]bool{}
			for _, b := range u.buttons {
				if vals[b.Token] {
					continue
				}
				vals[b.Token] = true
				menu.Options = append(menu.Options, discordgo.SelectMenuOption{Label: clipText(b.Label, maxOptionLabel), Value: b.Token})
			}
			out = append(out, discordgo.ActionsRow{Components: []discordgo.MessageComponent{menu}})
			continue
		}
		var row []discordgo.MessageComponent
		for _, b := range u.buttons {
			label := clipText(b.Label, maxLabel)
			if label == "" {
				label = "…"
			}
			if b.URL != "" {
				row = append(row, discordgo.Button{Label: label, Style: discordgo.LinkButton, URL: b.URL})
				continue
			}
			style := discordgo.SecondaryButton
			if total == 1 {
				style = discordgo.PrimaryButton
			}
			row = append(row, discordgo.Button{Label: label, Style: style, CustomID: buttonID(b.Token, seen[b.Token])})
			seen[b.Token]++
		}
		out = append(out, discordgo.ActionsRow{Components: row})
	}
	return out
}

// modal lays out a form as a modal; ok is false when it cannot be one (more than
// five fields, none, or a token that does not fit). Fields with options become text
// inputs whose placeholder lists them: bots reads a label, a value or a number.
func modal(f *bots.Form) (*discordgo.InteractionResponseData, bool) {
	if f == nil || len(f.Fields) == 0 || len(f.Fields) > maxModalFields || !validToken(f.Token) {
		return nil, false
	}
	names := map[string]bool{}
	var rows []discordgo.MessageComponent
	for _, fl := range f.Fields {
		if fl.Name == "" || len(fl.Name) > maxCustomID || names[fl.Name] {
			return nil, false
		}
		names[fl.Name] = true
		in := discordgo.TextInput{
			CustomID: fl.Name, Label: clipText(fl.Label, maxModalLabel), Style: discordgo.TextInputShort,
			Required: !fl.Optional, MaxLength: 1000,
		}
		if fl.Multiline {
			in.Style, in.MaxLength = discordgo.TextInputParagraph, 4000
		}
		hint := fl.Placeholder
		if len(fl.Options) > 0 {
			var labels []string
			for _, o := range fl.Options {
				labels = append(labels, o.Label)
			}
			hint = strings.Join(labels, " / ")
		}
		if hint == "" && width(fl.Label) > maxModalLabel {
			hint = fl.Label // the whole question, when the label had to be cut
		}
		in.Placeholder = clipText(hint, maxPlaceholder)
		if in.Label == "" {
			in.Label = clipText(fl.Name, maxModalLabel)
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{in}})
	}
	title := clipText(f.Title, maxModalTitle)
	if title == "" {
		title = "…"
	}
	return &discordgo.InteractionResponseData{CustomID: formID(f.Token), Title: title, Components: rows}, true
}

// files turns an attachment into what discordgo uploads.
func files(a *bots.Attachment) []*discordgo.File {
	if a == nil {
		return nil
	}
	return []*discordgo.File{{Name: a.Name, ContentType: a.Type, Reader: bytes.NewReader(a.Data)}}
}
