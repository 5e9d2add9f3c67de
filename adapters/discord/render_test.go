package discord

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/engage-org/engage/bots"
	"pgregory.net/rapid"
)

// checkLayout fails when comps break one of Discord's layout rules.
func checkLayout(t interface{ Fatalf(string, ...any) }, comps []discordgo.MessageComponent) (tokens map[string]bool) {
	tokens = map[string]bool{}
	if len(comps) > maxRows {
		t.Fatalf("got %d rows, want at most %d", len(comps), maxRows)
	}
	ids := map[string]bool{}
	for _, c := range comps {
		row, ok := c.(discordgo.ActionsRow)
		if !ok {
			t.Fatalf("got %T at the top, want an action row", c)
		}
		if len(row.Components) == 0 || len(row.Components) > maxRowButtons {
			t.Fatalf("got a row of %d components", len(row.Components))
		}
		for _, cc := range row.Components {
			switch x := cc.(type) {
			case discordgo.Button:
				if x.Label == "" || len([]rune(x.Label)) > maxLabel {
					t.Fatalf("bad label %q", x.Label)
				}
				if x.Style == discordgo.LinkButton {
					if x.URL == "" || x.CustomID != "" {
						t.Fatalf("bad link button %+v", x)
					}
					continue
				}
				if len(x.CustomID) > maxCustomID || ids[x.CustomID] {
					t.Fatalf("custom_id %q too long or repeated", x.CustomID)
				}
				ids[x.CustomID] = true
				kind, tok, ok := parseCustomID(x.CustomID)
				if !ok || kind != idButton {
					t.Fatalf("custom_id %q does not read back", x.CustomID)
				}
				tokens[tok] = true
			case discordgo.SelectMenu:
				if len(row.Components) != 1 {
					t.Fatalf("a select menu shares its row")
				}
				if len(x.Options) == 0 || len(x.Options) > maxOptions || ids[x.CustomID] {
					t.Fatalf("select %q with %d options", x.CustomID, len(x.Options))
				}
				ids[x.CustomID] = true
				if kind, _, ok := parseCustomID(x.CustomID); !ok || kind != idSelect {
					t.Fatalf("select custom_id %q does not read back", x.CustomID)
				}
				vals := map[string]bool{}
				for _, o := range x.Options {
					if vals[o.Value] || !validToken(o.Value) || len([]rune(o.Label)) > maxOptionLabel {
						t.Fatalf("bad option %+v", o)
					}
					vals[o.Value] = true
					tokens[o.Value] = true
				}
			default:
				t.Fatalf("unexpected component %T", cc)
			}
		}
	}
	return tokens
}

// Ensure any rows of buttons are laid out within Discord's rules, and that no
// button is lost while they fit (five rows of five, or menus of 25).
func TestComponents_Layout(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		nrows := rapid.IntRange(0, 9).Draw(rt, "rows")
		var rows [][]bots.Button
		want := map[string]bool{}
		total := 0
		for i := range nrows {
			n := rapid.IntRange(0, 30).Draw(rt, fmt.Sprintf("row%d", i))
			var row []bots.Button
			for j := range n {
				tok := fmt.Sprintf("T%02d", rapid.IntRange(0, 60).Draw(rt, fmt.Sprintf("tok%d.%d", i, j)))
				label := strings.Repeat("é", rapid.IntRange(1, 120).Draw(rt, fmt.Sprintf("label%d.%d", i, j)))
				row = append(row, bots.Button{Label: label, Token: tok})
				want[tok] = true
			}
			total += n
			rows = append(rows, row)
		}
		got := checkLayout(rt, components(rows, "Choose…"))
		fits := total <= maxRows*maxRowButtons
		for _, row := range rows {
			if len(row) > maxRowButtons {
				fits = false
			}
		}
		if fits {
			for tok := range want {
				if !got[tok] {
					rt.Fatalf("button %s lost", tok)
				}
			}
		}
	})
}

// Ensure a row of more than five buttons becomes a select menu, a link stays a
// link, and duplicate tokens get distinct custom_ids.
func TestComponents_Kinds(t *testing.T) {
	var big []bots.Button
	for i := range 8 {
		big = append(big, bots.Button{Label: fmt.Sprintf("Option %d", i+1), Token: fmt.Sprintf("TOK%d", i)})
	}
	comps := components([][]bots.Button{
		{{Label: "Yes", Token: "SAME"}, {Label: "Yes again", Token: "SAME"}, {Label: "Site", URL: "https://example.org"}},
		big,
		{{Label: "bad", Token: "has:colon"}},
	}, "Choose…")
	checkLayout(t, comps)
	if len(comps) != 2 {
		t.Fatalf("got %d rows, want 2 (the invalid token left out)", len(comps))
	}
	first := comps[0].(discordgo.ActionsRow).Components
	if first[0].(discordgo.Button).CustomID != "b:SAME" || first[1].(discordgo.Button).CustomID != "b:SAME:1" {
		t.Fatalf("got %+v", first)
	}
	if b := first[2].(discordgo.Button); b.Style != discordgo.LinkButton || b.URL != "https://example.org" {
		t.Fatalf("got %+v", b)
	}
	menu, ok := comps[1].(discordgo.ActionsRow).Components[0].(discordgo.SelectMenu)
	if !ok || len(menu.Options) != 8 || menu.Placeholder != "Choose…" || menu.Options[7].Value != "TOK7" {
		t.Fatalf("got %+v", comps[1])
	}
}

// Ensure forms become modals within Discord's limits.
func TestModal(t *testing.T) {
	long := "What is new? Your text goes to the community and to the followers."
	f := &bots.Form{Title: "News for P1 A project with a rather long title indeed", Token: "FORMTOK", Fields: []bots.Field{
		{Name: "text", Label: long, Multiline: true},
		{Name: "grade", Label: "Memphis", Options: []bots.Option{{Label: "good", Value: "good"}, {Label: "excellent", Value: "excellent"}}, Optional: true},
	}}
	d, ok := modal(f)
	if !ok {
		t.Fatal("no modal")
	}
	if d.CustomID != "f:FORMTOK" || len([]rune(d.Title)) > maxModalTitle || len(d.Components) != 2 {
		t.Fatalf("got %+v", d)
	}
	in := d.Components[0].(discordgo.ActionsRow).Components[0].(discordgo.TextInput)
	if len([]rune(in.Label)) > maxModalLabel || in.Placeholder != long || in.Style != discordgo.TextInputParagraph || !in.Required {
		t.Fatalf("got %+v", in)
	}
	in = d.Components[1].(discordgo.ActionsRow).Components[0].(discordgo.TextInput)
	if in.Placeholder != "good / excellent" || in.Required || in.CustomID != "grade" {
		t.Fatalf("got %+v", in)
	}
	f.Fields = append(f.Fields, f.Fields[1], f.Fields[1], f.Fields[1], f.Fields[1])
	if _, ok := modal(f); ok {
		t.Fatal("a modal of six fields (or repeated names)")
	}
}

// Ensure text shows as written: Markdown marks are escaped.
func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, 25,50 €", "plain text, 25,50 €"},
		{"*not bold* and __init__", `\*not bold\* and \_\_init\_\_`},
		{"# not a title\n> not a quote\n- not a list", "\\# not a title\n\\> not a quote\n\\- not a list"},
		{"a - b > c # d", "a - b > c # d"},
		{`back\slash`, `back\\slash`},
		{"||spoiler|| `code` ~~strike~~", "\\|\\|spoiler\\|\\| \\`code\\` \\~\\~strike\\~\\~"},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Ensure long texts are cut into messages of at most 2000 characters, at line
// breaks, losing nothing.
func TestSplit(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		words := rapid.SliceOf(rapid.SampledFrom([]string{"word", "mot", "🌱", "\n", "é\\", strings.Repeat("x", 300), "\\"})).Draw(rt, "words")
		s := strings.Join(words, " ")
		chunks := split(s, maxContent)
		for _, c := range chunks {
			if width(c) > maxContent {
				rt.Fatalf("chunk of %d characters", width(c))
			}
			if trailingBackslashes(c)%2 == 1 && len(chunks) > 1 && c != chunks[len(chunks)-1] {
				rt.Fatalf("chunk ends with a lone backslash: %q", c[len(c)-5:])
			}
		}
		if got, want := strings.Join(strings.Fields(strings.Join(chunks, " ")), " "), strings.Join(strings.Fields(s), " "); got != want {
			rt.Fatalf("split lost text")
		}
	})
	text := strings.Repeat("A line of a long list.\n", 200) // 4600 characters
	chunks := split(text, maxContent)
	if len(chunks) != 3 || !strings.HasSuffix(chunks[0], "list.") {
		t.Fatalf("got %d chunks, first ending %q", len(chunks), chunks[0][len(chunks[0])-10:])
	}
}

// Ensure a message to be edited in place is a card (embed), and others plain.
func TestRender(t *testing.T) {
	o := render(bots.Message{Text: "📊 V1 Where to meet?\nNashville: 3\nMemphis: 1", Ref: "poll:c1:V1"}, "")
	if o.embed == nil || o.embed.Title != "📊 V1 Where to meet?" || o.embed.Description != "Nashville: 3\nMemphis: 1" || len(o.chunks) != 0 {
		t.Fatalf("got %+v", o)
	}
	o = render(bots.Message{Text: "Hello"}, "")
	if o.embed != nil || len(o.chunks) != 1 {
		t.Fatalf("got %+v", o)
	}
	o = render(bots.Message{Text: strings.Repeat("long text ", 600), Ref: "x"}, "")
	if o.embed != nil || len(o.chunks) != 3 {
		t.Fatalf("got %d chunks, embed %v", len(o.chunks), o.embed != nil)
	}
}

// Ensure custom_ids read back what was written, and nothing else.
func TestCustomID(t *testing.T) {
	for _, tt := range []struct {
		id   string
		kind byte
		tok  string
		ok   bool
	}{
		{buttonID("ABC234", 0), idButton, "ABC234", true},
		{buttonID("ABC234", 3), idButton, "ABC234", true},
		{formID("F0RM"), idForm, "F0RM", true},
		{selectID(2), idSelect, "", true},
		{"b:", 0, "", false},
		{"b:X:0", 0, "", false},
		{"b:X:01", 0, "", false},
		{"s:-1", 0, "", false},
		{"x:ABC", 0, "", false},
		{"vote:proj-A", 0, "", false},
		{"b:" + strings.Repeat("A", 99), 0, "", false},
	} {
		kind, tok, ok := parseCustomID(tt.id)
		if kind != tt.kind || tok != tt.tok || ok != tt.ok {
			t.Errorf("parseCustomID(%q) = %c %q %v, want %c %q %v", tt.id, kind, tok, ok, tt.kind, tt.tok, tt.ok)
		}
	}
}

// Ensure logged errors do not show an interaction's token.
func TestRedact(t *testing.T) {
	err := &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{TooManyRequests: &discordgo.TooManyRequests{}, URL: "https://discord.com/api/v9/webhooks/1/SECRET-TOKEN"}}
	got := redact(err, "SECRET-TOKEN")
	if strings.Contains(got.Error(), "SECRET") {
		t.Fatalf("got %q", got)
	}
	var rl *discordgo.RateLimitError
	if !errors.As(got, &rl) {
		t.Fatal("the cause is lost")
	}
}

// Ensure a poll's eight options, one a row, become two rows of buttons.
func TestComponents_Pack(t *testing.T) {
	var rows [][]bots.Button
	for i := range 8 {
		rows = append(rows, []bots.Button{{Label: fmt.Sprintf("Option %d", i+1), Token: fmt.Sprintf("T%d", i)}})
	}
	comps := components(rows, "")
	checkLayout(t, comps)
	if len(comps) != 2 || len(comps[0].(discordgo.ActionsRow).Components) != 5 {
		t.Fatalf("got %d rows", len(comps))
	}
	if b := comps[1].(discordgo.ActionsRow).Components[2].(discordgo.Button); b.Label != "Option 8" {
		t.Fatalf("got %q last", b.Label)
	}
}

// Ensure a text made of backslashes and spaces is cut, whatever it is, and ends.
func TestSplit_Backslashes(t *testing.T) {
	for _, s := range []string{
		"\\ " + strings.Repeat("x", 2500),
		strings.Repeat("\\ ", 1500),
		strings.Repeat("\\", 4001),
		"é\\ \n " + strings.Repeat("y", 1998) + " z",
	} {
		chunks := split(s, maxContent)
		for i, c := range chunks {
			if width(c) > maxContent {
				t.Fatalf("chunk of %d characters", width(c))
			}
			if c == "" {
				t.Fatalf("empty chunk %d of %q…", i, s[:10])
			}
		}
	}
}
