package slack

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/engage-org/engage/bots"
	slackapi "github.com/slack-go/slack"
)

// Block Kit limits (https://docs.slack.dev/reference/block-kit).
const (
	maxSectionText  = 3000 // characters of a section's text
	maxBlocks       = 50   // blocks of a message or a modal
	maxButtonText   = 75   // characters of a button's or an option's label
	maxOptionValue  = 150  // characters of an option's value
	maxOptions      = 100  // options of a static select
	maxActionsBlock = 25   // elements of an actions block
	maxRowButtons   = 5    // a row with more buttons than this is shown as a menu
	maxModalTitle   = 24   // characters of a modal's title and buttons
	maxPlaceholder  = 150  // characters of a placeholder
	maxLabel        = 2000 // characters of an input's label
	maxFallback     = 4000 // characters of a message's notification text
	maxMetadata     = 3000 // characters of a view's private_metadata
)

// actionPrefix starts the action_id of every element the adapter renders, so a
// press is known to be Engage's: "engage:TOKEN" for a button, "engage:menu:N" for
// a menu (the token is the chosen option's value).
const actionPrefix = "engage:"

// formCallback is the callback_id of the adapter's modals.
const formCallback = "engage_form"

// formMetadata rides in a modal's private_metadata: the form's token and where it
// was asked, so its answer lands in the same chat.
type formMetadata struct {
	Token  string `json:"t"`
	Chat   string `json:"c"`
	Direct bool   `json:"d,omitempty"`
}

// escape makes text safe for mrkdwn and the text field: Slack reads &, < and > as
// markup (mentions, links, @channel), so people's text could otherwise ping a whole
// channel or hide a link.
func escape(s string) string { return escaper.Replace(s) }

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// clipRunes cuts s to at most n characters, marking the cut with "…".
func clipRunes(s string, n int) string {
	end, count := 0, 0
	for end < len(s) {
		if count == n-1 {
			mark := end
			_, size := utf8.DecodeRuneInString(s[end:])
			if end+size == len(s) {
				return s // exactly n characters
			}
			return s[:mark] + "…"
		}
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
		count++
	}
	return s
}

// messageBlocks renders a message as Block Kit: its text in mrkdwn sections, its
// rows of buttons as actions blocks (a row with many buttons as a menu), and the
// plain fallback text for notifications.
func messageBlocks(m bots.Message) ([]slackapi.Block, string) {
	var blocks []slackapi.Block
	text := clipRunes(m.Text, maxBlocks*maxSectionText) // more could not be shown
	for _, chunk := range splitText(escape(text), maxSectionText) {
		blocks = append(blocks, slackapi.NewSectionBlock(slackapi.NewTextBlockObject(slackapi.MarkdownType, chunk, false, false), nil, nil))
	}
	used := map[string]int{}
	menus, links := 0, 0
	for _, row := range m.Buttons {
		var elems []slackapi.BlockElement
		var urls, choices []bots.Button
		for _, b := range row {
			if b.URL != "" {
				urls = append(urls, b)
			} else if b.Token != "" {
				choices = append(choices, b)
			}
		}
		if len(choices) > maxRowButtons {
			for start := 0; start < len(choices); start += maxOptions {
				end := min(start+maxOptions, len(choices))
				menus++
				elems = append(elems, menu(choices[start:end], menus))
			}
		} else {
			for _, b := range choices {
				id := actionPrefix + b.Token
				if n := used[id]; n > 0 { // action_id must be unique in a message
					id += "#" + strconv.Itoa(n)
				}
				used[actionPrefix+b.Token]++
				elems = append(elems, slackapi.NewButtonBlockElement(id, b.Token, plain(clipRunes(b.Label, maxButtonText))))
			}
		}
		for _, b := range urls {
			links++
			btn := slackapi.NewButtonBlockElement("link:"+strconv.Itoa(links), "", plain(clipRunes(b.Label, maxButtonText)))
			btn.URL = b.URL
			elems = append(elems, btn)
		}
		for start := 0; start < len(elems); start += maxActionsBlock {
			end := min(start+maxActionsBlock, len(elems))
			blocks = append(blocks, slackapi.NewActionBlock("", elems[start:end]...))
		}
	}
	if len(blocks) > maxBlocks {
		blocks = blocks[:maxBlocks]
	}
	return blocks, clipRunes(escape(clipRunes(text, maxFallback)), maxFallback)
}

// menu renders buttons as a static select whose options carry the tokens.
func menu(choices []bots.Button, n int) slackapi.BlockElement {
	var opts []*slackapi.OptionBlockObject
	for _, b := range choices {
		opts = append(opts, slackapi.NewOptionBlockObject(b.Token, plain(clipRunes(b.Label, maxButtonText)), nil))
	}
	return slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeStatic, plain("…"), actionPrefix+"menu:"+strconv.Itoa(n), opts...)
}

func plain(s string) *slackapi.TextBlockObject {
	if s == "" {
		s = " "
	}
	return slackapi.NewTextBlockObject(slackapi.PlainTextType, s, true, false)
}

// splitText cuts s into at most maxBlocks pieces of at most n characters, at
// line ends where it can (what would go beyond is dropped: a message has at most
// maxBlocks blocks anyway).
func splitText(s string, n int) []string {
	s = strings.TrimRight(s, "\n ")
	var out []string
	for s != "" && len(out) < maxBlocks {
		// end is the byte offset just after the n-th character.
		end, count := 0, 0
		for end < len(s) && count < n {
			_, size := utf8.DecodeRuneInString(s[end:])
			end += size
			count++
		}
		if end == len(s) {
			out = append(out, s)
			break
		}
		cut := end
		if i := strings.LastIndexByte(s[:end], '\n'); i > 0 {
			cut = i
		}
		out = append(out, strings.TrimRight(s[:cut], "\n "))
		s = strings.TrimLeft(s[cut:], "\n")
	}
	return out
}

// modal renders a form as a Slack modal. The form's token and the chat it was
// asked in ride in private_metadata; each field is an input block named after the
// field, so the submission's values come back by field name.
func modal(f *bots.Form, title, chat string, direct bool) (slackapi.ModalViewRequest, bool) {
	if f.Title != "" {
		title = f.Title
	}
	md, err := json.Marshal(formMetadata{Token: f.Token, Chat: chat, Direct: direct})
	if err != nil || len(md) > maxMetadata || f.Token == "" {
		return slackapi.ModalViewRequest{}, false
	}
	v := slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		CallbackID:      formCallback,
		Title:           plain(clipRunes(firstOf(title, "Engage"), maxModalTitle)),
		Submit:          plain(clipRunes(firstOf(f.Submit, "OK"), maxModalTitle)),
		PrivateMetadata: string(md),
	}
	if f.Cancel != "" {
		v.Close = plain(clipRunes(f.Cancel, maxModalTitle))
	}
	var blocks []slackapi.Block
	if utf8.RuneCountInString(title) > maxModalTitle { // the whole title above the fields
		blocks = append(blocks, slackapi.NewSectionBlock(slackapi.NewTextBlockObject(slackapi.MarkdownType, clipRunes(escape(title), maxSectionText), false, false), nil, nil))
	}
	for _, fl := range f.Fields {
		if len(blocks) >= maxBlocks {
			break
		}
		var el slackapi.BlockElement
		if opts, ok := selectOptions(fl); ok {
			sel := slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeStatic, nil, "value", opts...)
			if fl.Placeholder != "" {
				sel.Placeholder = plain(clipRunes(fl.Placeholder, maxPlaceholder))
			}
			el = sel
		} else {
			in := slackapi.NewPlainTextInputBlockElement(nil, "value")
			if fl.Placeholder != "" {
				in.Placeholder = plain(clipRunes(fl.Placeholder, maxPlaceholder))
			}
			in.Multiline = fl.Multiline
			el = in
		}
		ib := slackapi.NewInputBlock(fl.Name, plain(clipRunes(firstOf(fl.Label, fl.Name), maxLabel)), nil, el)
		ib.Optional = fl.Optional
		blocks = append(blocks, ib)
	}
	v.Blocks = slackapi.Blocks{BlockSet: blocks}
	return v, true
}

// selectOptions returns a field's options as a menu's, if they fit one; otherwise
// the field is typed.
func selectOptions(fl bots.Field) ([]*slackapi.OptionBlockObject, bool) {
	if len(fl.Options) == 0 || len(fl.Options) > maxOptions {
		return nil, false
	}
	var opts []*slackapi.OptionBlockObject
	for _, o := range fl.Options {
		if o.Value == "" || utf8.RuneCountInString(o.Value) > maxOptionValue {
			return nil, false
		}
		opts = append(opts, slackapi.NewOptionBlockObject(o.Value, plain(clipRunes(firstOf(o.Label, o.Value), maxButtonText)), nil))
	}
	return opts, true
}
