// Package slackfake is a fake Slack for tests: an httptest server speaking the Web
// API methods the adapter calls (auth.test, chat.postMessage, chat.update,
// chat.postEphemeral, conversations.open, views.open, users.info, the external
// file upload) and Socket Mode (apps.connections.open and a websocket that sends
// envelopes in order, pings, and collects acknowledgements), plus helpers that act
// as people: a slash command, a mention, a direct message, a button pressed, a
// modal sent — over Socket Mode or as signed HTTP requests.
//
// It is for tests only (of adapters/slack and of cmd/engage end to end); it never
// reaches the network.
package slackfake

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Team is a workspace with the app installed.
type Team struct {
	ID       string // "T1"
	BotToken string // "xoxb-…"
	AppToken string // "xapp-…" (Socket Mode; "" if this workspace has none)
	BotUser  string // the app's bot user ("UBOT")
}

// User is a person of a workspace, as users.info tells.
type User struct {
	ID, Name, DisplayName, Locale string
}

// Call is one Web API call the fake received.
type Call struct {
	Method string
	Token  string
	Form   url.Values      // form-encoded methods
	JSON   json.RawMessage // JSON methods (views.open)
}

// Message is a message the app posted, as it stands (edits applied).
type Message struct {
	Team      string
	Channel   string
	TS        string
	Text      string          // the fallback text
	Blocks    json.RawMessage // the Block Kit blocks
	Ephemeral bool
	User      string // the addressee of an ephemeral message
	Edits     int    // how many times chat.update replaced it
	// ViaResponseURL: posted to an interaction's response URL, not with the Web API.
	ViaResponseURL bool
}

// Button is a button or a menu option of a message.
type Button struct {
	Label, ActionID, Value, URL string
	Menu                        bool // an option of a static select
}

// View is a modal the app opened.
type View struct {
	ID, Team, User, Trigger string
	CallbackID, Metadata    string
	Title, Submit, Close    string
	Inputs                  []Input
	Raw                     json.RawMessage
}

// Input is one input block of a modal.
type Input struct {
	BlockID, ActionID, Type, Label string
	Optional, Multiline            bool
	Options                        []string // option values of a static select
}

// File is a file the app uploaded.
type File struct {
	ID, Name, Channel string
	Data              []byte
}

// Server is the fake Slack.
type Server struct {
	tb  testing.TB
	srv *httptest.Server
	// URL is the server's base URL; the Web API is at URL + "/api/".
	URL string

	mu       sync.Mutex // guards everything below
	teams    []Team
	users    map[string]User // by ID
	calls    []Call
	msgs     []*Message
	views    []*View
	files    []*File
	uploads  map[string]*File // by file ID, until completed
	triggers map[string]trigger
	replies  map[string]reply           // response URL ID → where it answers
	closedTo map[string]bool            // private channels the app was not invited to
	conns    map[string]int             // app token → connections made
	acks     map[string]json.RawMessage // envelope ID → ack payload ("null" for none)
	socks    map[string]*sock           // app token → its connection
	fails    map[string][]failure
	seq      int
	http     *HTTPTarget
	changed  chan struct{} // closed and replaced at every change
	closed   chan struct{} // closed when the test ends
}

type trigger struct {
	team, user string
	at         time.Time
	used       bool
}

// reply is where a response URL answers.
type reply struct{ team, channel, user string }

type failure struct {
	status     int
	retryAfter int
	slackErr   string
}

// sock is a Socket Mode connection.
type sock struct {
	push chan []byte
}

// HTTPTarget makes the helpers deliver as signed HTTP requests to a service in
// HTTP mode instead of over Socket Mode.
type HTTPTarget struct {
	URL    string // the service's base URL ("http://127.0.0.1:8080")
	Secret string // the signing secret
}

// New starts a fake Slack with the given workspaces; it stops at the end of the test.
func New(tb testing.TB, teams ...Team) *Server {
	tb.Helper()
	s := &Server{
		tb: tb, teams: teams, users: map[string]User{}, uploads: map[string]*File{},
		triggers: map[string]trigger{}, replies: map[string]reply{}, closedTo: map[string]bool{}, conns: map[string]int{}, acks: map[string]json.RawMessage{}, socks: map[string]*sock{},
		fails: map[string][]failure{}, changed: make(chan struct{}), closed: make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/{method}", s.api)
	mux.HandleFunc("/upload/{id}", s.upload)
	mux.HandleFunc("/response/{id}", s.response)
	mux.HandleFunc("/link", s.link)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	tb.Cleanup(func() {
		close(s.closed)
		s.srv.Close()
	})
	return s
}

// APIURL is the Web API's base URL, with its trailing slash.
func (s *Server) APIURL() string { return s.URL + "/api/" }

// AddUser makes users.info know a person.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
}

// DeliverHTTP makes the helpers send signed HTTP requests to t (nil: Socket Mode).
func (s *Server) DeliverHTTP(t *HTTPTarget) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.http = t
}

// Fail makes the next n calls of method fail: with an HTTP status (429 with
// Retry-After seconds, or 5xx), or, when status is 200, with Slack's error string.
func (s *Server) Fail(method string, n, status, retryAfter int, slackErr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.fails[method] = append(s.fails[method], failure{status: status, retryAfter: retryAfter, slackErr: slackErr})
	}
}

// Uninvited makes channels private channels the app was not invited to: it
// cannot post there (channel_not_found), as in Slack.
func (s *Server) Uninvited(channels ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range channels {
		s.closedTo[c] = true
	}
}

// Calls returns the Web API calls of method received so far ("" for all).
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Messages returns copies of the messages posted in channel ("" for all).
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.msgs {
		if channel == "" || m.Channel == channel {
			out = append(out, *m)
		}
	}
	return out
}

// Views returns copies of the modals opened so far.
func (s *Server) Views() []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []View
	for _, v := range s.views {
		out = append(out, *v)
	}
	return out
}

// Files returns copies of the files uploaded so far.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []File
	for _, f := range s.files {
		if f.Channel != "" {
			out = append(out, *f)
		}
	}
	return out
}

// Acked reports whether an envelope was acknowledged, and with what payload.
func (s *Server) Acked(envelopeID string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.acks[envelopeID]
	return p, ok
}

// Wait waits (up to 10 s) until cond holds, checking at every change.
func (s *Server) Wait(what string, cond func() bool) {
	s.tb.Helper()
	deadline := time.After(10 * time.Second)
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			s.tb.Fatalf("slackfake: timed out waiting for %s", what)
		}
	}
}

// WaitMessage waits for a message that matches and returns it.
func (s *Server) WaitMessage(what string, match func(Message) bool) Message {
	s.tb.Helper()
	var got Message
	s.Wait(what, func() bool {
		for _, m := range s.Messages("") {
			if match(m) {
				got = m
				return true
			}
		}
		return false
	})
	return got
}

// WaitText waits for a message in channel whose text contains sub.
func (s *Server) WaitText(channel, sub string) Message {
	s.tb.Helper()
	return s.WaitMessage(fmt.Sprintf("%q in %s", sub, channel), func(m Message) bool {
		return (channel == "" || m.Channel == channel) && strings.Contains(m.Text, sub)
	})
}

// WaitView waits for the n-th modal (from 1) and returns it.
func (s *Server) WaitView(n int) View {
	s.tb.Helper()
	var v View
	s.Wait(fmt.Sprintf("modal %d", n), func() bool {
		vs := s.Views()
		if len(vs) >= n {
			v = vs[n-1]
			return true
		}
		return false
	})
	return v
}

// WaitAck waits until envelopeID is acknowledged and fails the test if that took
// more than 3 s (Slack's deadline).
func (s *Server) WaitAck(envelopeID string) {
	s.tb.Helper()
	start := time.Now()
	s.Wait("ack of "+envelopeID, func() bool { _, ok := s.Acked(envelopeID); return ok })
	if d := time.Since(start); d > 3*time.Second {
		s.tb.Fatalf("slackfake: envelope %s acknowledged after %v, Slack waits 3 s", envelopeID, d)
	}
}

// DM returns the direct-message channel of the app with user (as conversations.open gives).
func DM(user string) string { return "D" + strings.TrimPrefix(user, "U") }

// Buttons returns the buttons and menu options of a message (or modal) blocks.
func Buttons(blocks json.RawMessage) []Button {
	var bs []struct {
		Type     string `json:"type"`
		Elements []struct {
			Type     string `json:"type"`
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
			URL      string `json:"url"`
			Text     struct {
				Text string `json:"text"`
			} `json:"text"`
			Options []struct {
				Value string `json:"value"`
				Text  struct {
					Text string `json:"text"`
				} `json:"text"`
			} `json:"options"`
		} `json:"elements"`
	}
	_ = json.Unmarshal(blocks, &bs)
	var out []Button
	for _, b := range bs {
		if b.Type != "actions" {
			continue
		}
		for _, e := range b.Elements {
			switch e.Type {
			case "button":
				out = append(out, Button{Label: e.Text.Text, ActionID: e.ActionID, Value: e.Value, URL: e.URL})
			case "static_select":
				for _, o := range e.Options {
					out = append(out, Button{Label: o.Text.Text, ActionID: e.ActionID, Value: o.Value, Menu: true})
				}
			}
		}
	}
	return out
}

// SectionText returns the mrkdwn text of a message's sections, joined by newlines.
func SectionText(blocks json.RawMessage) string {
	var bs []struct {
		Type string `json:"type"`
		Text struct {
			Text string `json:"text"`
		} `json:"text"`
	}
	_ = json.Unmarshal(blocks, &bs)
	var parts []string
	for _, b := range bs {
		if b.Type == "section" {
			parts = append(parts, b.Text.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func (s *Server) touch() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) nextID(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s%d", prefix, s.seq)
}

// api serves one Web API method.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	body, _ := io.ReadAll(r.Body)
	c := Call{Method: method, Token: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		c.JSON = body
	} else {
		c.Form, _ = url.ParseQuery(string(body))
		if c.Token == "" {
			c.Token = c.Form.Get("token")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	defer s.touch()
	if fs := s.fails[method]; len(fs) > 0 {
		f := fs[0]
		s.fails[method] = fs[1:]
		if f.status != http.StatusOK {
			if f.retryAfter > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(f.retryAfter))
			}
			w.WriteHeader(f.status)
			return
		}
		answer(w, map[string]any{"ok": false, "error": f.slackErr})
		return
	}
	if method == "apps.connections.open" {
		for _, t := range s.teams {
			if t.AppToken != "" && c.Token == t.AppToken {
				answer(w, map[string]any{"ok": true, "url": "ws://" + r.Host + "/link?app=" + url.QueryEscape(t.AppToken)})
				return
			}
		}
		answer(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	team, ok := s.teamOf(c.Token)
	if !ok {
		answer(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	f := c.Form
	if s.closedTo[f.Get("channel")] {
		answer(w, map[string]any{"ok": false, "error": "channel_not_found"})
		return
	}
	switch method {
	case "auth.test":
		answer(w, map[string]any{"ok": true, "team_id": team.ID, "user_id": team.BotUser, "team": team.ID, "user": "engage", "bot_id": "B" + team.ID})
	case "users.info":
		u, ok := s.users[f.Get("user")]
		if !ok {
			answer(w, map[string]any{"ok": false, "error": "user_not_found"})
			return
		}
		answer(w, map[string]any{"ok": true, "user": map[string]any{
			"id": u.ID, "name": u.Name, "real_name": u.DisplayName, "locale": u.Locale,
			"profile": map[string]any{"display_name": u.DisplayName, "real_name": u.DisplayName},
		}})
	case "conversations.open":
		users := f.Get("users")
		if users == "" || strings.Contains(users, ",") {
			answer(w, map[string]any{"ok": false, "error": "invalid_arguments"})
			return
		}
		answer(w, map[string]any{"ok": true, "channel": map[string]any{"id": DM(users)}})
	case "chat.postMessage":
		ch := f.Get("channel")
		if ch == "" || (f.Get("text") == "" && f.Get("blocks") == "") {
			answer(w, map[string]any{"ok": false, "error": "no_text"})
			return
		}
		if !json.Valid([]byte(firstOf(f.Get("blocks"), "[]"))) {
			answer(w, map[string]any{"ok": false, "error": "invalid_blocks"})
			return
		}
		m := &Message{Team: team.ID, Channel: ch, TS: s.ts(), Text: f.Get("text"), Blocks: json.RawMessage(firstOf(f.Get("blocks"), "[]"))}
		s.msgs = append(s.msgs, m)
		answer(w, map[string]any{"ok": true, "channel": ch, "ts": m.TS})
	case "chat.postEphemeral":
		m := &Message{Team: team.ID, Channel: f.Get("channel"), TS: s.ts(), Text: f.Get("text"),
			Blocks: json.RawMessage(firstOf(f.Get("blocks"), "[]")), Ephemeral: true, User: f.Get("user")}
		s.msgs = append(s.msgs, m)
		answer(w, map[string]any{"ok": true, "message_ts": m.TS})
	case "chat.update":
		for _, m := range s.msgs {
			if m.Team == team.ID && m.Channel == f.Get("channel") && m.TS == f.Get("ts") && !m.Ephemeral {
				m.Text, m.Blocks = f.Get("text"), json.RawMessage(firstOf(f.Get("blocks"), "[]"))
				m.Edits++
				answer(w, map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS, "text": m.Text})
				return
			}
		}
		answer(w, map[string]any{"ok": false, "error": "message_not_found"})
	case "views.open":
		s.viewsOpen(w, team, c.JSON)
	case "files.getUploadURLExternal":
		id := s.nextID("F")
		s.uploads[id] = &File{ID: id, Name: f.Get("filename")}
		answer(w, map[string]any{"ok": true, "upload_url": "http://" + r.Host + "/upload/" + id, "file_id": id})
	case "files.completeUploadExternal":
		var files []struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal([]byte(f.Get("files")), &files)
		var done []map[string]any
		for _, x := range files {
			up, ok := s.uploads[x.ID]
			if !ok {
				answer(w, map[string]any{"ok": false, "error": "file_not_found"})
				return
			}
			up.Channel = f.Get("channel_id")
			s.files = append(s.files, up)
			delete(s.uploads, x.ID)
			done = append(done, map[string]any{"id": up.ID, "title": up.Name})
		}
		answer(w, map[string]any{"ok": true, "files": done})
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// viewsOpen opens a modal if the trigger is fresh (3 s) and unused.
func (s *Server) viewsOpen(w http.ResponseWriter, team Team, raw []byte) {
	var req struct {
		TriggerID string          `json:"trigger_id"`
		View      json.RawMessage `json:"view"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		answer(w, map[string]any{"ok": false, "error": "invalid_json"})
		return
	}
	tr, ok := s.triggers[req.TriggerID]
	switch {
	case !ok || tr.team != team.ID:
		answer(w, map[string]any{"ok": false, "error": "invalid_trigger_id"})
		return
	case tr.used || time.Since(tr.at) > 3*time.Second:
		answer(w, map[string]any{"ok": false, "error": "expired_trigger_id"})
		return
	}
	tr.used = true
	s.triggers[req.TriggerID] = tr
	var v struct {
		Type            string `json:"type"`
		CallbackID      string `json:"callback_id"`
		PrivateMetadata string `json:"private_metadata"`
		Title, Submit   *struct {
			Text string `json:"text"`
		}
		Close *struct {
			Text string `json:"text"`
		} `json:"close"`
		Blocks []struct {
			Type     string `json:"type"`
			BlockID  string `json:"block_id"`
			Optional bool   `json:"optional"`
			Label    struct {
				Text string `json:"text"`
			} `json:"label"`
			Element struct {
				Type      string `json:"type"`
				ActionID  string `json:"action_id"`
				Multiline bool   `json:"multiline"`
				Options   []struct {
					Value string `json:"value"`
				} `json:"options"`
			} `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(req.View, &v); err != nil || v.Type != "modal" || v.Title == nil || len(v.Title.Text) == 0 || len([]rune(v.Title.Text)) > 24 {
		answer(w, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	view := &View{ID: s.nextID("V"), Team: team.ID, User: tr.user, Trigger: req.TriggerID,
		CallbackID: v.CallbackID, Metadata: v.PrivateMetadata, Title: v.Title.Text, Raw: req.View}
	if v.Submit != nil {
		view.Submit = v.Submit.Text
	}
	if v.Close != nil {
		view.Close = v.Close.Text
	}
	for _, b := range v.Blocks {
		if b.Type != "input" {
			continue
		}
		in := Input{BlockID: b.BlockID, ActionID: b.Element.ActionID, Type: b.Element.Type, Label: b.Label.Text,
			Optional: b.Optional, Multiline: b.Element.Multiline}
		for _, o := range b.Element.Options {
			in.Options = append(in.Options, o.Value)
		}
		view.Inputs = append(view.Inputs, in)
	}
	if len(view.Inputs) > 0 && view.Submit == "" {
		answer(w, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	s.views = append(s.views, view)
	answer(w, map[string]any{"ok": true, "view": map[string]any{"id": view.ID, "type": "modal", "callback_id": v.CallbackID}})
}

// upload takes a file's bytes (the URL files.getUploadURLExternal gave).
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	f, _, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "no file", http.StatusBadRequest)
		return
	}
	data, _ := io.ReadAll(f)
	s.mu.Lock()
	defer s.mu.Unlock()
	up, ok := s.uploads[r.PathValue("id")]
	if !ok {
		http.Error(w, "unknown upload", http.StatusNotFound)
		return
	}
	up.Data = data
	s.touch()
	_, _ = fmt.Fprintf(w, "OK - %d", len(data))
}

// response takes an answer posted to a response URL: in the channel, or to its
// user alone (response_type "ephemeral").
func (s *Server) response(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Text         string          `json:"text"`
		Blocks       json.RawMessage `json:"blocks"`
		ResponseType string          `json:"response_type"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	to, ok := s.replies[r.PathValue("id")]
	if !ok {
		http.Error(w, "unknown response url", http.StatusNotFound)
		return
	}
	m := &Message{Team: to.team, Channel: to.channel, TS: s.ts(), Text: msg.Text, Blocks: msg.Blocks, ViaResponseURL: true}
	if msg.ResponseType == "ephemeral" {
		m.Ephemeral, m.User = true, to.user
	}
	if m.Blocks == nil {
		m.Blocks = json.RawMessage("[]")
	}
	s.msgs = append(s.msgs, m)
	s.touch()
	answer(w, map[string]any{"ok": true})
}

// responseURL issues a response URL for an interaction.
func (s *Server) responseURL(team, channel, user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextID("r")
	s.replies[id] = reply{team: team, channel: channel, user: user}
	return s.URL + "/response/" + id
}

func (s *Server) ts() string {
	s.seq++
	return fmt.Sprintf("%d.%06d", 1_700_000_000+s.seq, s.seq)
}

func (s *Server) teamOf(token string) (Team, bool) {
	for _, t := range s.teams {
		if t.BotToken == token {
			return t, true
		}
	}
	return Team{}, false
}

func (s *Server) team(id string) Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.teams {
		if t.ID == id {
			return t
		}
	}
	s.tb.Fatalf("slackfake: no team %q", id)
	return Team{}
}

func answer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// link is the Socket Mode websocket: hello, then envelopes in order, pings every
// 100 ms, and every ack recorded.
func (s *Server) link(w http.ResponseWriter, r *http.Request) {
	app := r.URL.Query().Get("app")
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }} // the client says Origin: https://api.slack.com
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	sk := &sock{push: make(chan []byte, 64)}
	s.mu.Lock()
	s.socks[app] = sk
	s.conns[app]++
	s.touch()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.socks[app] == sk {
			delete(s.socks, app)
		}
		s.mu.Unlock()
	}()
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"hello","num_connections":1,"connection_info":{"app_id":"A1"}}`)); err != nil {
		_ = conn.Close()
		return
	}
	readDone := make(chan struct{})
	go func() { // reads acks until the connection ends; the handler waits for it
		defer close(readDone)
		for {
			var m struct {
				EnvelopeID string          `json:"envelope_id"`
				Payload    json.RawMessage `json:"payload"`
			}
			if err := conn.ReadJSON(&m); err != nil {
				return
			}
			s.mu.Lock()
			if m.Payload == nil {
				m.Payload = json.RawMessage("null")
			}
			s.acks[m.EnvelopeID] = m.Payload
			s.touch()
			s.mu.Unlock()
		}
	}()
	defer func() {
		_ = conn.Close()
		<-readDone
	}()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case msg := <-sk.push:
			if err := conn.WriteMessage(websocket.TextMessage, msg); err != nil {
				return
			}
		case <-tick.C:
			if err := conn.WriteControl(websocket.PingMessage, []byte("p"), time.Now().Add(time.Second)); err != nil {
				return
			}
		case <-readDone:
			return
		case <-s.closed:
			return
		}
	}
}

// Disconnect asks the app token's connection to go away, as Slack does before it
// refreshes a connection; it returns the number of connections made so far, for
// WaitReconnected.
func (s *Server) Disconnect(appToken string) int {
	s.tb.Helper()
	s.WaitConnected(appToken)
	s.mu.Lock()
	sk, n := s.socks[appToken], s.conns[appToken]
	s.mu.Unlock()
	sk.push <- []byte(`{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"fake"}}`)
	return n
}

// WaitReconnected waits until the app token has made more than n connections.
func (s *Server) WaitReconnected(appToken string, n int) {
	s.tb.Helper()
	s.Wait("a new connection of "+appToken, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.conns[appToken] > n && s.socks[appToken] != nil
	})
}

// WaitConnected waits until the app token has a Socket Mode connection.
func (s *Server) WaitConnected(appToken string) {
	s.tb.Helper()
	s.Wait("socket mode connection of "+appToken, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.socks[appToken] != nil
	})
}

// Envelope sends a Socket Mode envelope of typ with payload through the team's app
// connection and returns its envelope ID.
func (s *Server) Envelope(team Team, typ string, payload any, retry int) string {
	s.tb.Helper()
	raw, err := json.Marshal(payload)
	if err != nil {
		s.tb.Fatal(err)
	}
	app := team.AppToken
	if app == "" { // one app in several workspaces: its first token
		for _, t := range s.teams {
			if t.AppToken != "" {
				app = t.AppToken
				break
			}
		}
	}
	s.WaitConnected(app)
	s.mu.Lock()
	id := s.nextID("env-")
	sk := s.socks[app]
	s.mu.Unlock()
	env := map[string]any{"type": typ, "envelope_id": id, "payload": json.RawMessage(raw), "accepts_response_payload": typ != "events_api"}
	if retry > 0 {
		env["retry_attempt"], env["retry_reason"] = retry, "timeout"
	}
	msg, _ := json.Marshal(env)
	sk.push <- msg
	return id
}

// Delivery is what a helper sent: the envelope ID (Socket Mode) or the HTTP
// status (HTTP mode).
type Delivery struct {
	EnvelopeID string
	Status     int
}

// deliver sends a payload of kind ("events_api", "interactive", "slash_commands")
// the way the fake is set to.
func (s *Server) deliver(team Team, kind string, payload map[string]any, retry int) Delivery {
	s.tb.Helper()
	s.mu.Lock()
	target := s.http
	s.mu.Unlock()
	if target == nil {
		id := s.Envelope(team, kind, payload, retry)
		s.WaitAck(id)
		return Delivery{EnvelopeID: id}
	}
	var body []byte
	var ctype, path string
	switch kind {
	case "events_api":
		body, _ = json.Marshal(payload)
		ctype, path = "application/json", "/slack/events"
	case "interactive":
		raw, _ := json.Marshal(payload)
		body = []byte(url.Values{"payload": {string(raw)}}.Encode())
		ctype, path = "application/x-www-form-urlencoded", "/slack/interactions"
	default:
		v := url.Values{}
		for k, x := range payload {
			v.Set(k, fmt.Sprint(x))
		}
		body = []byte(v.Encode())
		ctype, path = "application/x-www-form-urlencoded", "/slack/commands"
	}
	h := http.Header{}
	h.Set("Content-Type", ctype)
	if retry > 0 {
		h.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		h.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	ts, sig := Sign(target.Secret, time.Now(), body)
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", sig)
	resp := Post(s.tb, target.URL+path, h, body)
	return Delivery{Status: resp.StatusCode}
}

// Post sends a request and returns its response (body read and closed).
func Post(tb testing.TB, u string, h http.Header, body []byte) *http.Response {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header = h
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp
}

// Sign signs a body as Slack does (v0), at time at; it returns the timestamp and
// signature headers' values.
func Sign(secret string, at time.Time, body []byte) (ts, sig string) {
	ts = strconv.FormatInt(at.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "v0:%s:", ts)
	m.Write(body)
	return ts, "v0=" + hex.EncodeToString(m.Sum(nil))
}

// newTrigger issues a trigger ID for a person's interaction.
func (s *Server) newTrigger(team, user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextID("trigger-")
	s.triggers[id] = trigger{team: team, user: user, at: time.Now()}
	return id
}

func (s *Server) userName(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.users[id]; ok {
		return u.Name
	}
	return strings.ToLower(id)
}

// Slash runs "/engage TEXT" as user in channel of team.
func (s *Server) Slash(team, channel, user, text string) Delivery {
	s.tb.Helper()
	t := s.team(team)
	name := "general"
	if strings.HasPrefix(channel, "D") {
		name = "directmessage"
	}
	return s.deliver(t, "slash_commands", map[string]any{
		"command": "/engage", "text": text, "team_id": team, "channel_id": channel, "channel_name": name,
		"user_id": user, "user_name": s.userName(user), "trigger_id": s.newTrigger(team, user),
		"response_url": s.responseURL(team, channel, user),
	}, 0)
}

// EventCallback wraps an inner event as the Events API does.
func (s *Server) EventCallback(t Team, eventID string, inner map[string]any) map[string]any {
	return map[string]any{
		"type": "event_callback", "team_id": t.ID, "api_app_id": "A1", "event_id": eventID,
		"event_time": time.Now().Unix(), "event": inner,
		"authorizations": []map[string]any{{"team_id": t.ID, "user_id": t.BotUser, "is_bot": true}},
	}
}

// Mention posts "@Engage TEXT" by user in channel, as event eventID (retry > 0:
// a redelivery of it).
func (s *Server) Mention(team, channel, user, text, eventID string, retry int) Delivery {
	s.tb.Helper()
	t := s.team(team)
	s.mu.Lock()
	ts := s.ts()
	s.mu.Unlock()
	return s.deliver(t, "events_api", s.EventCallback(t, eventID, map[string]any{
		"type": "app_mention", "user": user, "text": "<@" + t.BotUser + "> " + text, "channel": channel, "ts": ts, "event_ts": ts,
	}), retry)
}

// Direct writes text to the app in user's direct messages, as event eventID.
func (s *Server) Direct(team, user, text, eventID string, retry int) Delivery {
	s.tb.Helper()
	t := s.team(team)
	s.mu.Lock()
	ts := s.ts()
	s.mu.Unlock()
	return s.deliver(t, "events_api", s.EventCallback(t, eventID, map[string]any{
		"type": "message", "channel_type": "im", "user": user, "text": text, "channel": DM(user), "ts": ts, "event_ts": ts,
	}), retry)
}

// Press presses the button (or chooses the menu option) of m whose label contains
// label, as user.
func (s *Server) Press(user string, m Message, label string) Delivery {
	s.tb.Helper()
	for _, b := range Buttons(m.Blocks) {
		if !strings.Contains(b.Label, label) {
			continue
		}
		t := s.team(m.Team)
		s.mu.Lock()
		actionTS := s.ts()
		s.mu.Unlock()
		action := map[string]any{"type": "button", "action_id": b.ActionID, "block_id": "b1", "value": b.Value, "action_ts": actionTS,
			"text": map[string]any{"type": "plain_text", "text": b.Label}}
		if b.URL != "" {
			action["url"] = b.URL
		}
		if b.Menu {
			action = map[string]any{"type": "static_select", "action_id": b.ActionID, "block_id": "b1", "action_ts": actionTS,
				"selected_option": map[string]any{"value": b.Value, "text": map[string]any{"type": "plain_text", "text": b.Label}}}
		}
		return s.deliver(t, "interactive", map[string]any{
			"type": "block_actions", "team": map[string]any{"id": t.ID}, "api_app_id": "A1",
			"user":         map[string]any{"id": user, "username": s.userName(user), "name": s.userName(user), "team_id": t.ID},
			"trigger_id":   s.newTrigger(t.ID, user),
			"response_url": s.responseURL(t.ID, m.Channel, user),
			"channel":      map[string]any{"id": m.Channel},
			"container":    map[string]any{"type": "message", "channel_id": m.Channel, "message_ts": m.TS, "is_ephemeral": m.Ephemeral},
			"actions":      []any{action},
		}, 0)
	}
	s.tb.Fatalf("slackfake: no button %q in %q (buttons: %v)", label, m.Text, Buttons(m.Blocks))
	return Delivery{}
}

// Submit sends modal v filled with values (by block ID), as its user.
func (s *Server) Submit(v View, values map[string]string) Delivery {
	s.tb.Helper()
	t := s.team(v.Team)
	state := map[string]any{}
	for _, in := range v.Inputs {
		val, ok := values[in.BlockID]
		if !ok {
			continue
		}
		st := map[string]any{"type": in.Type, "value": val}
		if in.Type == "static_select" {
			st = map[string]any{"type": in.Type, "selected_option": map[string]any{"value": val}}
		}
		state[in.BlockID] = map[string]any{in.ActionID: st}
	}
	return s.deliver(t, "interactive", map[string]any{
		"type": "view_submission", "team": map[string]any{"id": t.ID},
		"user":       map[string]any{"id": v.User, "username": s.userName(v.User), "name": s.userName(v.User), "team_id": t.ID},
		"trigger_id": s.newTrigger(t.ID, v.User),
		"view": map[string]any{"id": v.ID, "team_id": t.ID, "type": "modal", "callback_id": v.CallbackID,
			"private_metadata": v.Metadata, "hash": "h" + v.ID, "state": map[string]any{"values": state}},
	}, 0)
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
