package discordtest

import (
	"encoding/json"
	"fmt"
	"time"
)

// Opt is an option of a slash command: a value, or a subcommand with options.
type Opt struct {
	Name    string `json:"name"`
	Type    int    `json:"type"`
	Value   any    `json:"value,omitempty"`
	Options []Opt  `json:"options,omitempty"`
	Focused bool   `json:"focused,omitempty"`
}

// S is a string option.
func S(name, value string) Opt { return Opt{Name: name, Type: 3, Value: value} }

// U is a user option.
func U(name, userID string) Opt { return Opt{Name: name, Type: 6, Value: userID} }

// Sub is a subcommand with its options.
func Sub(name string, opts ...Opt) Opt { return Opt{Name: name, Type: 1, Options: opts} }

// Typing is a string option being typed (an autocomplete's focus).
func Typing(name, value string) Opt { return Opt{Name: name, Type: 3, Value: value, Focused: true} }

// Payload builds an interaction payload of type typ by u in w with data, and
// registers it so that its responses are kept. It returns the payload and the
// interaction's ID.
func (s *Server) Payload(typ int, u User, w Where, data any, message string) ([]byte, string) {
	s.mu.Lock()
	s.n++
	id := fmt.Sprintf("%d", 300000000000000000+s.n)
	in := &Interaction{ID: id, Token: fmt.Sprintf("tok-%d-%s", s.n, "aW50ZXJhY3Rpb24"), ChannelID: w.Channel, Sent: time.Now()}
	s.inters[id] = in
	s.mu.Unlock()
	locale := u.Locale
	if locale == "" {
		locale = "en-US"
	}
	user := map[string]any{"id": u.ID, "username": u.Name, "global_name": u.Name}
	p := map[string]any{
		"id": id, "application_id": s.AppID, "type": typ, "token": in.Token, "version": 1,
		"channel_id": w.Channel, "channel": map[string]any{"id": w.Channel, "name": "general"}, "locale": locale, "data": data,
	}
	if w.Guild != "" {
		p["guild_id"] = w.Guild
		p["member"] = map[string]any{"user": user, "nick": ""}
		p["context"] = 0
	} else {
		p["user"] = user
		p["context"] = 1
	}
	if message != "" {
		p["message"] = map[string]any{"id": message, "channel_id": w.Channel}
	}
	raw, err := json.Marshal(p)
	if err != nil {
		s.tb.Fatal(err)
	}
	return raw, id
}

// send dispatches a payload as INTERACTION_CREATE.
func (s *Server) send(raw []byte) {
	s.Dispatch("INTERACTION_CREATE", json.RawMessage(raw))
}

// Command has u run slash command name with options in w, over the gateway; it
// returns the interaction's ID.
func (s *Server) Command(u User, w Where, name string, opts ...Opt) string {
	raw, id := s.Payload(2, u, w, map[string]any{"id": "400000000000000001", "name": name, "type": 1, "options": opts}, "")
	s.send(raw)
	return id
}

// Autocomplete has u type in an option of command name (one of opts is Typing).
func (s *Server) Autocomplete(u User, w Where, name string, opts ...Opt) string {
	raw, id := s.Payload(4, u, w, map[string]any{"id": "400000000000000001", "name": name, "type": 1, "options": opts}, "")
	s.send(raw)
	return id
}

// Click has u press the button customID of message in w.
func (s *Server) Click(u User, w Where, message, customID string) string {
	raw, id := s.Payload(3, u, w, map[string]any{"custom_id": customID, "component_type": 2}, message)
	s.send(raw)
	return id
}

// Choose has u pick value in the select menu customID of message in w.
func (s *Server) Choose(u User, w Where, message, customID, value string) string {
	raw, id := s.Payload(3, u, w, map[string]any{"custom_id": customID, "component_type": 3, "values": []string{value}}, message)
	s.send(raw)
	return id
}

// Submit has u submit the modal customID with values by input custom_id.
func (s *Server) Submit(u User, w Where, customID string, values map[string]string) string {
	var rows []map[string]any
	for k, v := range values {
		rows = append(rows, map[string]any{"type": 1, "components": []map[string]any{{"type": 4, "custom_id": k, "value": v}}})
	}
	raw, id := s.Payload(5, u, w, map[string]any{"custom_id": customID, "components": rows}, "")
	s.send(raw)
	return id
}

// Resend delivers interaction id again (a duplicate delivery).
func (s *Server) Resend(raw []byte) { s.send(raw) }

// Write has u write text in w (a MESSAGE_CREATE); it returns the message's ID.
func (s *Server) Write(u User, w Where, text string) string {
	s.mu.Lock()
	s.n++
	id := fmt.Sprintf("%d", 500000000000000000+s.n)
	s.mu.Unlock()
	p := map[string]any{
		"id": id, "channel_id": w.Channel, "content": text, "type": 0,
		"author": map[string]any{"id": u.ID, "username": u.Name, "global_name": u.Name},
	}
	if w.Guild != "" {
		p["guild_id"] = w.Guild
		p["member"] = map[string]any{"nick": ""}
	}
	s.Dispatch("MESSAGE_CREATE", p)
	return id
}
