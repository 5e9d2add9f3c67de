package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/engage-org/engage/bots"
)

// This file turns what Slack delivers (Events API callbacks, interaction payloads,
// slash commands) into what the bot needs. The decoders are pure functions over the
// wire format, shared by Socket Mode and HTTP mode, and fuzzed.

// maxPayload bounds a payload the decoders accept (Slack's are a few KB).
const maxPayload = 1 << 20

// errIgnored marks a delivery that is valid but asks nothing of the bot (a message
// from a bot, an edit, a modal closed, a link button pressed).
var errIgnored = errors.New("nothing to do")

// inbound is one delivery decoded: the event for the bot, with the workspace it
// came from and what the adapter needs to answer it. IDs in ev are the workspace's
// own (not yet qualified).
type inbound struct {
	team      string // the workspace's team ID, if Slack said
	ev        bots.Event
	trigger   string // trigger_id: a modal may be opened in answer, briefly
	response  string // response_url: answers may go there when the app cannot post in the chat
	challenge string // url_verification: echo this, nothing else
	botUser   string // the app's bot user in this workspace, if the payload says
	raw       []byte // what the inbox keeps of the delivery (nil: not kept)
}

// eventCallback is the outer envelope of the Events API.
type eventCallback struct {
	Type           string          `json:"type"`
	Challenge      string          `json:"challenge"`
	TeamID         string          `json:"team_id"`
	EventID        string          `json:"event_id"`
	Event          json.RawMessage `json:"event"`
	Authorizations []struct {
		UserID string `json:"user_id"`
		IsBot  bool   `json:"is_bot"`
	} `json:"authorizations"`
}

// innerEvent is the part of an inner event the adapter reads.
type innerEvent struct {
	Type        string `json:"type"`
	Subtype     string `json:"subtype"`
	User        string `json:"user"`
	BotID       string `json:"bot_id"`
	Text        string `json:"text"`
	Channel     string `json:"channel"`
	ChannelType string `json:"channel_type"`
	Team        string `json:"team"`
	TS          string `json:"ts"`
}

// decodeEvent decodes an Events API body: an event_callback (app_mention, or a
// message in the app's direct messages) or a url_verification. Anything else is
// errIgnored; a malformed body is an error.
func decodeEvent(raw []byte) (inbound, error) {
	var in inbound
	if len(raw) > maxPayload {
		return in, errors.New("event payload too large")
	}
	var cb eventCallback
	if err := json.Unmarshal(raw, &cb); err != nil {
		return in, fmt.Errorf("decode event: %w", err)
	}
	switch cb.Type {
	case "url_verification":
		if cb.Challenge == "" {
			return in, errors.New("url_verification without a challenge")
		}
		in.challenge = cb.Challenge
		return in, nil
	case "event_callback":
	default:
		return in, errIgnored
	}
	if cb.EventID == "" {
		return in, errors.New("event_callback without an event_id")
	}
	var e innerEvent
	if err := json.Unmarshal(cb.Event, &e); err != nil {
		return in, fmt.Errorf("decode inner event: %w", err)
	}
	in.team = cb.TeamID
	for _, a := range cb.Authorizations {
		if a.IsBot && a.UserID != "" {
			in.botUser = a.UserID
			break
		}
	}
	if e.BotID != "" || e.Subtype != "" || e.User == "" || e.Channel == "" || (in.botUser != "" && e.User == in.botUser) {
		return in, errIgnored // the app's own messages, edits, joins, other bots
	}
	ev := bots.Event{
		Platform: bots.PlatformSlack, ChatID: e.Channel, UserID: e.User,
		Kind: bots.KindMessage, Key: "slack:" + cb.EventID,
	}
	text, mentions := readText(e.Text)
	switch {
	case e.Type == "app_mention":
		ev.Direct = isDirect(e.Channel)
		ev.Text = asCommand(stripBot(text, in.botUser))
	case e.Type == "message" && (e.ChannelType == "im" || (e.ChannelType == "" && isDirect(e.Channel))):
		if in.botUser != "" && strings.Contains(e.Text, "<@"+in.botUser+">") {
			ev.Text = asCommand(stripBot(text, in.botUser)) // "@Engage projects" in a DM
		} else {
			// Free text: the answer to a question asked by direct message, or a
			// command without its slash ("projects"), which Slack would not let start
			// a message.
			ev.Text, ev.Bare = text, true
		}
		ev.Direct = true
	default:
		return in, errIgnored
	}
	ev.Mentions = mentions
	in.ev = ev
	return in, nil
}

// interaction is the part of an interaction payload the adapter reads.
type interaction struct {
	Type string `json:"type"`
	Team struct {
		ID string `json:"id"`
	} `json:"team"`
	User struct {
		ID       string `json:"id"`
		Username string `json:"username"`
		Name     string `json:"name"`
		TeamID   string `json:"team_id"`
	} `json:"user"`
	TriggerID   string `json:"trigger_id"`
	ResponseURL string `json:"response_url"`
	Channel     struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"channel"`
	Container struct {
		ChannelID string `json:"channel_id"`
		MessageTS string `json:"message_ts"`
	} `json:"container"`
	Actions []struct {
		ActionID       string `json:"action_id"`
		Value          string `json:"value"`
		URL            string `json:"url"`
		ActionTS       string `json:"action_ts"`
		SelectedOption *struct {
			Value string `json:"value"`
		} `json:"selected_option"`
	} `json:"actions"`
	View struct {
		ID              string `json:"id"`
		CallbackID      string `json:"callback_id"`
		PrivateMetadata string `json:"private_metadata"`
		State           struct {
			Values map[string]map[string]fieldState `json:"values"`
		} `json:"state"`
	} `json:"view"`
}

// fieldState is the value of one input of a submitted modal.
type fieldState struct {
	Type           string `json:"type"`
	Value          string `json:"value"`
	SelectedOption *struct {
		Value string `json:"value"`
	} `json:"selected_option"`
}

// decodeInteraction decodes an interaction payload: a button pressed or an option
// chosen (block_actions), or a form sent (view_submission of one of the adapter's
// modals). A link button, a closed modal and anything else are errIgnored.
func decodeInteraction(raw []byte) (inbound, error) {
	var in inbound
	if len(raw) > maxPayload {
		return in, errors.New("interaction payload too large")
	}
	var ic interaction
	if err := json.Unmarshal(raw, &ic); err != nil {
		return in, fmt.Errorf("decode interaction: %w", err)
	}
	if ic.User.ID == "" {
		return in, errors.New("interaction without a user")
	}
	in.team = ic.Team.ID
	if in.team == "" {
		in.team = ic.User.TeamID
	}
	ev := bots.Event{
		Platform: bots.PlatformSlack, UserID: ic.User.ID,
		UserName: firstOf(ic.User.Name, ic.User.Username), Handle: ic.User.Username,
	}
	switch ic.Type {
	case "block_actions":
		if len(ic.Actions) == 0 {
			return in, errors.New("block_actions without an action")
		}
		a := ic.Actions[0]
		token := a.Value
		if a.SelectedOption != nil {
			token = a.SelectedOption.Value
		}
		if a.URL != "" || !strings.HasPrefix(a.ActionID, actionPrefix) || token == "" || a.ActionTS == "" {
			return in, errIgnored // a link, or an element that is not ours
		}
		ev.ChatID = firstOf(ic.Container.ChannelID, ic.Channel.ID)
		if ev.ChatID == "" {
			return in, errIgnored // a press in a modal or a home tab: nothing here uses them
		}
		ev.ChatTitle = ic.Channel.Name
		ev.Direct = isDirect(ev.ChatID)
		ev.Kind, ev.Action = bots.KindAction, token
		ev.Key = "slack:action:" + ic.User.ID + ":" + a.ActionTS
		in.trigger, in.response = ic.TriggerID, ic.ResponseURL
		ev.CanForm = in.trigger != ""
	case "view_submission":
		if ic.View.CallbackID != formCallback {
			return in, errIgnored
		}
		if ic.View.ID == "" {
			return in, errors.New("view_submission without a view id")
		}
		var md formMetadata
		if err := json.Unmarshal([]byte(ic.View.PrivateMetadata), &md); err != nil || md.Token == "" || md.Chat == "" {
			return in, errors.New("view_submission without the form's metadata")
		}
		ev.ChatID, ev.Direct = md.Chat, md.Direct
		ev.Kind, ev.Action = bots.KindForm, md.Token
		ev.Key = "slack:view:" + ic.View.ID
		ev.Fields = map[string]string{}
		for name, inputs := range ic.View.State.Values {
			for _, st := range inputs {
				v := st.Value
				if st.SelectedOption != nil {
					v = st.SelectedOption.Value
				}
				ev.Fields[name] = v
			}
		}
	default:
		return in, errIgnored
	}
	in.ev = ev
	return in, nil
}

// slashCommand is a slash command's fields (form fields over HTTP, a JSON object in
// Socket Mode).
type slashCommand struct {
	Command     string `json:"command"`
	Text        string `json:"text"`
	TeamID      string `json:"team_id"`
	ChannelID   string `json:"channel_id"`
	ChannelName string `json:"channel_name"`
	UserID      string `json:"user_id"`
	UserName    string `json:"user_name"`
	TriggerID   string `json:"trigger_id"`
	ResponseURL string `json:"response_url"`
}

// decodeSlashJSON decodes a slash command delivered over Socket Mode.
func decodeSlashJSON(raw []byte) (inbound, error) {
	if len(raw) > maxPayload {
		return inbound{}, errors.New("slash command payload too large")
	}
	var sc slashCommand
	if err := json.Unmarshal(raw, &sc); err != nil {
		return inbound{}, fmt.Errorf("decode slash command: %w", err)
	}
	return sc.inbound()
}

// decodeSlashForm decodes a slash command delivered over HTTP.
func decodeSlashForm(v url.Values) (inbound, error) {
	sc := slashCommand{
		Command: v.Get("command"), Text: v.Get("text"), TeamID: v.Get("team_id"),
		ChannelID: v.Get("channel_id"), ChannelName: v.Get("channel_name"),
		UserID: v.Get("user_id"), UserName: v.Get("user_name"), TriggerID: v.Get("trigger_id"),
		ResponseURL: v.Get("response_url"),
	}
	return sc.inbound()
}

// inbound turns "/engage TEXT" into the chat language's "/TEXT". The trigger ID is
// the idempotency key: Slack gives each invocation its own.
func (sc slashCommand) inbound() (inbound, error) {
	var in inbound
	if sc.UserID == "" || sc.ChannelID == "" || sc.TriggerID == "" {
		return in, errors.New("slash command without user, channel or trigger")
	}
	if !strings.HasPrefix(sc.Command, "/") {
		return in, errors.New("slash command without a command")
	}
	text, mentions := readText(sc.Text)
	in.team, in.trigger, in.response = sc.TeamID, sc.TriggerID, sc.ResponseURL
	in.ev = bots.Event{
		Platform: bots.PlatformSlack, ChatID: sc.ChannelID, UserID: sc.UserID,
		UserName: sc.UserName, Handle: sc.UserName,
		Direct: isDirect(sc.ChannelID) || sc.ChannelName == "directmessage",
		Kind:   bots.KindMessage, Text: asCommand(text), Mentions: mentions,
		Key:     "slack:command:" + sc.TriggerID,
		CanForm: true,
	}
	if sc.ChannelName != "directmessage" && sc.ChannelName != "privategroup" {
		in.ev.ChatTitle = sc.ChannelName
	}
	return in, nil
}

// envelope is a Socket Mode message, as far as the adapter reads it itself (when
// the library could not parse the payload, the envelope is still acknowledged and
// decoded here).
type envelope struct {
	Type         string          `json:"type"`
	EnvelopeID   string          `json:"envelope_id"`
	Payload      json.RawMessage `json:"payload"`
	RetryAttempt int             `json:"retry_attempt"`
}

// decodeEnvelope decodes a Socket Mode message into its delivery.
func decodeEnvelope(raw []byte) (envelope, inbound, error) {
	var env envelope
	if len(raw) > maxPayload {
		return env, inbound{}, errors.New("envelope too large")
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return env, inbound{}, fmt.Errorf("decode envelope: %w", err)
	}
	in, err := decodePayload(env.Type, env.Payload)
	return env, in, err
}

// decodePayload decodes the payload of a Socket Mode envelope of type typ.
func decodePayload(typ string, payload []byte) (inbound, error) {
	switch typ {
	case "events_api":
		return decodeEvent(payload)
	case "interactive":
		return decodeInteraction(payload)
	case "slash_commands":
		return decodeSlashJSON(payload)
	}
	return inbound{}, errIgnored
}

// isDirect reports whether a conversation ID is a direct-message conversation.
func isDirect(channel string) bool { return strings.HasPrefix(channel, "D") }

// asCommand turns what follows /engage or a mention into a command line of the chat
// language: "projects" → "/projects"; nothing → "/help".
func asCommand(text string) string {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "/help"
	case strings.HasPrefix(text, "/"):
		return text
	}
	return "/" + text
}

var (
	reMention = regexp.MustCompile(`<@([UW][A-Z0-9]+)(?:\|[^>]*)?>`)
	reLink    = regexp.MustCompile(`<([^<>@#!][^<>|]*)(?:\|([^<>]*))?>`)
	reChannel = regexp.MustCompile(`<#([CG][A-Z0-9]+)(?:\|([^<>]*))?>`)
	reSpecial = regexp.MustCompile(`<!([a-z]+)(?:\^[^<>|]*)?(?:\|([^<>]*))?>`)
)

// readText turns Slack's message text into what people typed: links and channel
// names as shown, entities unescaped. User mentions stay as they are ("<@U123>")
// and are returned with their user IDs, so that /role <@U123> admin names the
// member exactly.
func readText(s string) (string, map[string]string) {
	if !strings.ContainsAny(s, "<&") {
		return strings.TrimSpace(s), nil
	}
	var mentions map[string]string
	for _, m := range reMention.FindAllStringSubmatch(s, 32) {
		if mentions == nil {
			mentions = map[string]string{}
		}
		mentions[m[0]] = m[1]
	}
	s = reChannel.ReplaceAllStringFunc(s, func(tok string) string {
		m := reChannel.FindStringSubmatch(tok)
		if m[2] != "" {
			return "#" + m[2]
		}
		return "#" + m[1]
	})
	s = reSpecial.ReplaceAllStringFunc(s, func(tok string) string {
		m := reSpecial.FindStringSubmatch(tok)
		if m[2] != "" {
			return m[2]
		}
		return "@" + m[1]
	})
	s = reLink.ReplaceAllStringFunc(s, func(tok string) string {
		m := reLink.FindStringSubmatch(tok)
		target := strings.TrimPrefix(m[1], "mailto:")
		if strings.HasPrefix(m[1], "mailto:") || m[2] == "" {
			return target
		}
		return m[2]
	})
	s = unescaper.Replace(s)
	return strings.TrimSpace(s), mentions
}

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// stripBot removes the mentions of the app's bot user (or, when it is unknown, the
// mention the text starts with) from a command typed after "@Engage".
func stripBot(text, botUser string) string {
	if botUser != "" {
		text = reMention.ReplaceAllStringFunc(text, func(tok string) string {
			if reMention.FindStringSubmatch(tok)[1] == botUser {
				return ""
			}
			return tok
		})
		return strings.TrimSpace(text)
	}
	if loc := reMention.FindStringIndex(text); loc != nil && strings.TrimSpace(text[:loc[0]]) == "" {
		text = text[loc[1]:]
	}
	return strings.TrimSpace(text)
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
