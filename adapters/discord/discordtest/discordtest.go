// Package discordtest is a fake Discord for tests: an httptest server speaking
// Discord's REST API (v9 paths) and gateway (HELLO, IDENTIFY, READY, heartbeats,
// RESUME, dispatches) over a websocket, with Discord's rules that tests must see
// kept: the three seconds to answer an interaction, one answer per interaction,
// follow-ups only after it, per-route rate limits with 429s, and the bot token.
//
// Tests point the adapter at URL() and drive people's actions with Command, Click,
// Choose, Submit and Write; what the bot did is in Messages, Interaction and
// Requests. It is for tests only.
package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Request is one REST request the fake received.
type Request struct {
	Method, Path, Query string
	Body                string // the JSON (payload_json of a multipart request)
	Files               []File
	Status              int
	At                  time.Time
}

// File is an uploaded attachment.
type File struct {
	Name, Type string
	Data       []byte
}

// Message is a message as the fake keeps it.
type Message struct {
	ID, ChannelID string
	Content       string
	Embeds        []Embed
	Components    []Row
	Files         []File
	Ephemeral     bool
	Edits         int  // times it was edited
	Deleted       bool // deleted (an original response)
}

// Embed is a message's card.
type Embed struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Row is an action row.
type Row struct {
	Components []Component `json:"components"`
}

// Component is a button, a select menu or a text input.
type Component struct {
	Type        int      `json:"type"`
	Label       string   `json:"label"`
	Style       int      `json:"style"`
	CustomID    string   `json:"custom_id"`
	URL         string   `json:"url"`
	Placeholder string   `json:"placeholder"`
	Required    bool     `json:"required"`
	Options     []Option `json:"options"`
}

// Option is a select menu's option.
type Option struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Text is what the message shows: its content, or its embed's title and description.
func (m *Message) Text() string {
	s := m.Content
	for _, e := range m.Embeds {
		s += strings.TrimSpace("\n" + e.Title + "\n" + e.Description)
	}
	return strings.TrimSpace(s)
}

// Buttons returns the message's buttons, row after row.
func (m *Message) Buttons() []Component {
	var out []Component
	for _, r := range m.Components {
		for _, c := range r.Components {
			if c.Type == 2 {
				out = append(out, c)
			}
		}
	}
	return out
}

// Button returns the button whose label contains label, or nil.
func (m *Message) Button(label string) *Component {
	for _, b := range m.Buttons() {
		if strings.Contains(b.Label, label) {
			return &b
		}
	}
	return nil
}

// Interaction is what happened to one interaction the fake sent.
type Interaction struct {
	ID, Token, ChannelID string
	Sent                 time.Time
	// Responses are the initial responses received (Discord takes one: the others
	// got 40060), with how long after the interaction each came.
	Responses []Response
	Original  *Message   // the message of a type 4 or 5 response
	Followups []*Message // follow-up messages
	Modal     *Modal     // a type 9 response
	Choices   []Option   // a type 8 response (autocomplete), Label as name
}

// Response is an initial interaction response.
type Response struct {
	Type    int
	Data    json.RawMessage
	After   time.Duration
	Refused int // Discord's error code when refused (0: taken)
}

// Modal is a modal the bot opened.
type Modal struct {
	CustomID, Title string
	Inputs          []Component
}

// User is a person acting on the fake.
type User struct {
	ID, Name string
	Locale   string // "fr", "en-US"…; "" for en-US
}

// Where is the channel an action happens in: Guild "" is a direct conversation.
type Where struct {
	Guild, Channel string
}

// Server is the fake Discord.
type Server struct {
	tb    testing.TB
	srv   *httptest.Server
	Token string // the bot token the fake accepts ("Bot " + Token)
	AppID string
	BotID string
	// Deadline is how long the bot has to answer an interaction (3 s, as Discord).
	Deadline time.Duration
	// Limit and Window are the per-channel rate limit of message posts and edits:
	// Limit requests per Window; one more gets a 429.
	Limit  int
	Window time.Duration
	// Shards and MaxConcurrency are what GET /gateway/bot recommends (1 and 1).
	Shards, MaxConcurrency int

	mu         sync.Mutex // guards the fields below
	reqs       []Request
	msgs       map[string]*Message   // ID → message
	channels   map[string][]*Message // channel ID → its messages, in order
	dms        map[string]string     // user ID → DM channel ID
	inters     map[string]*Interaction
	commands   map[string]json.RawMessage // "" or guild ID → registered commands
	windows    map[string]*window         // channel → its rate-limit window
	limited    int                        // 429s served
	forced     map[string]int             // path prefix → 429s still to serve
	noDMs      map[string]bool            // users who take no direct messages
	identifies []json.RawMessage
	resumes    int
	seq        int64
	n          int
	conn       *websocket.Conn
	wmu        *sync.Mutex // guards writes to conn
	pending    []string    // dispatches waiting for a connection
	connected  chan struct{}
}

type window struct {
	start time.Time
	used  int
}

// New starts a fake Discord, stopped at the end of the test.
func New(tb testing.TB) *Server {
	s := &Server{
		tb: tb, Token: "test-token", AppID: "100000000000000001", BotID: "100000000000000002",
		Deadline: 3 * time.Second, Limit: 5, Window: 500 * time.Millisecond, Shards: 1, MaxConcurrency: 1,
		msgs: map[string]*Message{}, channels: map[string][]*Message{}, dms: map[string]string{},
		inters: map[string]*Interaction{}, commands: map[string]json.RawMessage{}, windows: map[string]*window{},
		forced: map[string]int{}, noDMs: map[string]bool{}, connected: make(chan struct{}, 16),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/gw/", s.gateway)
	mux.HandleFunc("/api/v9/", s.rest)
	s.srv = httptest.NewServer(mux)
	tb.Cleanup(s.srv.Close)
	return s
}

// URL is the REST base to give the adapter (api_url).
func (s *Server) URL() string { return s.srv.URL + "/api/v9" }

// Requests returns the REST requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Limited returns how many 429s the fake served.
func (s *Server) Limited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited
}

// Force makes the next n requests whose path starts with prefix (after /api/v9)
// get a 429 with retry_after.
func (s *Server) Force(prefix string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forced[prefix] = n
}

// RefuseDMs makes messages to user's direct-message channel fail as on Discord
// when a user does not take direct messages from the server's members (403, 50007).
func (s *Server) RefuseDMs(user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noDMs[user] = true
}

// Identifies returns the IDENTIFY payloads received.
func (s *Server) Identifies() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.identifies...)
}

// Resumes returns how many RESUMEs were received.
func (s *Server) Resumes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resumes
}

// Commands returns the commands registered globally (guild "") or in a guild.
func (s *Server) Commands(guild string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[guild]
}

// Messages returns the messages of a channel, in order (edits in place).
func (s *Server) Messages(channel string) []*Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Message
	for _, m := range s.channels[channel] {
		c := *m
		out = append(out, &c)
	}
	return out
}

// DMChannel returns the direct-message channel the bot opened with user ("" if none).
func (s *Server) DMChannel(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dms[user]
}

// DMs returns the messages the bot sent to user directly.
func (s *Server) DMs(user string) []*Message {
	return s.Messages(s.DMChannel(user))
}

// Interaction returns what happened to interaction id.
func (s *Server) Interaction(id string) *Interaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.inters[id]
	if in == nil {
		return nil
	}
	c := *in
	c.Responses = append([]Response(nil), in.Responses...)
	c.Followups = nil
	for _, m := range in.Followups {
		cm := *m
		c.Followups = append(c.Followups, &cm)
	}
	if in.Original != nil {
		o := *in.Original
		c.Original = &o
	}
	if in.Modal != nil {
		md := *in.Modal
		c.Modal = &md
	}
	c.Choices = append([]Option(nil), in.Choices...)
	return &c
}

// Eventually waits until cond holds, failing the test after 10 seconds.
func (s *Server) Eventually(what string, cond func() bool) {
	s.tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			s.tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// WaitConnected waits until a gateway session is ready.
func (s *Server) WaitConnected() {
	s.tb.Helper()
	select {
	case <-s.connected:
	case <-time.After(10 * time.Second):
		s.tb.Fatal("the bot did not connect to the gateway")
	}
}

// DropConnection closes the gateway connection (the bot should resume).
func (s *Server) DropConnection() {
	s.mu.Lock()
	c := s.conn
	s.conn = nil
	s.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// Dispatch sends a gateway event (op 0) of type t with data d.
func (s *Server) Dispatch(t string, d any) {
	raw, err := json.Marshal(d)
	if err != nil {
		s.tb.Fatal(err)
	}
	s.mu.Lock()
	s.seq++
	frame := fmt.Sprintf(`{"op":0,"s":%d,"t":%q,"d":%s}`, s.seq, t, raw)
	c, wmu := s.conn, s.wmu
	if c == nil {
		s.pending = append(s.pending, frame)
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	wmu.Lock()
	defer wmu.Unlock()
	if err := c.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
		s.mu.Lock()
		s.pending = append(s.pending, frame)
		s.mu.Unlock()
	}
}

// gateway speaks the gateway protocol on one connection.
func (s *Server) gateway(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{}
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	wmu := &sync.Mutex{}
	write := func(frame string) error {
		wmu.Lock()
		defer wmu.Unlock()
		return c.WriteMessage(websocket.TextMessage, []byte(frame))
	}
	if write(`{"op":10,"d":{"heartbeat_interval":45000}}`) != nil {
		return
	}
	var hello struct {
		Op int             `json:"op"`
		D  json.RawMessage `json:"d"`
	}
	if c.ReadJSON(&hello) != nil {
		return
	}
	switch hello.Op {
	case 2:
		var id struct {
			Token string `json:"token"`
		}
		_ = json.Unmarshal(hello.D, &id)
		if id.Token != "Bot "+s.Token {
			wmu.Lock()
			_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
			wmu.Unlock()
			return
		}
		s.mu.Lock()
		s.identifies = append(s.identifies, hello.D)
		s.seq++
		seq := s.seq
		s.mu.Unlock()
		ready := fmt.Sprintf(`{"op":0,"s":%d,"t":"READY","d":{"v":9,"session_id":"session-1","resume_gateway_url":"ws://%s/gw/","user":{"id":%q,"username":"engage","bot":true},"guilds":[],"application":{"id":%q,"flags":0}}}`,
			seq, s.srv.Listener.Addr(), s.BotID, s.AppID)
		if write(ready) != nil {
			return
		}
	case 6:
		s.mu.Lock()
		s.resumes++
		s.seq++
		seq := s.seq
		s.mu.Unlock()
		if write(fmt.Sprintf(`{"op":0,"s":%d,"t":"RESUMED","d":{}}`, seq)) != nil {
			return
		}
	default:
		return
	}
	s.mu.Lock()
	s.conn, s.wmu = c, wmu
	pending := s.pending
	s.pending = nil
	s.mu.Unlock()
	for _, f := range pending {
		if write(f) != nil {
			return
		}
	}
	select {
	case s.connected <- struct{}{}:
	default:
	}
	for {
		var m struct {
			Op int `json:"op"`
		}
		if err := c.ReadJSON(&m); err != nil {
			s.mu.Lock()
			if s.conn == c {
				s.conn = nil
			}
			s.mu.Unlock()
			return
		}
		if m.Op == 1 {
			if write(`{"op":11}`) != nil {
				return
			}
		}
	}
}

// rest serves the REST API.
func (s *Server) rest(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/api/v9")
	body, files := readBody(r)
	req := Request{Method: r.Method, Path: path, Query: r.URL.RawQuery, Body: string(body), Files: files, At: time.Now()}
	status, out := s.route(r, path, body, files)
	req.Status = status
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if h, ok := out.(limitHeaders); ok {
		for k, v := range h.h {
			w.Header().Set(k, v)
		}
		out = h.body
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(out)
}

// limitHeaders is a body with rate-limit headers.
type limitHeaders struct {
	h    map[string]string
	body any
}

func apiError(code int, msg string) map[string]any {
	return map[string]any{"code": code, "message": msg}
}

func readBody(r *http.Request) ([]byte, []File) {
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		b, _ := io.ReadAll(r.Body)
		return b, nil
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	var payload []byte
	var files []File
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		data, _ := io.ReadAll(p)
		if p.FormName() == "payload_json" {
			payload = data
			continue
		}
		files = append(files, File{Name: p.FileName(), Type: p.Header.Get("Content-Type"), Data: data})
	}
	return payload, files
}

func (s *Server) route(r *http.Request, path string, body []byte, files []File) (int, any) {
	seg := strings.Split(strings.Trim(path, "/"), "/")
	webhook := seg[0] == "webhooks" || seg[0] == "interactions"
	if !webhook && r.Header.Get("Authorization") != "Bot "+s.Token {
		return http.StatusUnauthorized, apiError(0, "401: Unauthorized")
	}
	s.mu.Lock()
	for prefix, n := range s.forced {
		if n > 0 && strings.HasPrefix(path, prefix) {
			s.forced[prefix] = n - 1
			s.limited++
			s.mu.Unlock()
			return http.StatusTooManyRequests, limitHeaders{
				h:    map[string]string{"Retry-After": "1", "X-RateLimit-Scope": "user"},
				body: map[string]any{"message": "You are being rate limited.", "retry_after": 0.05, "global": false},
			}
		}
	}
	s.mu.Unlock()
	switch {
	case path == "/gateway/bot" && r.Method == "GET":
		s.mu.Lock()
		shards, conc := s.Shards, s.MaxConcurrency
		s.mu.Unlock()
		return 200, map[string]any{"url": "ws://" + s.srv.Listener.Addr().String() + "/gw/", "shards": shards,
			"session_start_limit": map[string]int{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": conc}}
	case path == "/gateway" && r.Method == "GET":
		return 200, map[string]any{"url": "ws://" + s.srv.Listener.Addr().String() + "/gw/"}
	case path == "/oauth2/applications/@me" && r.Method == "GET":
		return 200, map[string]any{"id": s.AppID, "name": "Engage"}
	case len(seg) >= 3 && seg[0] == "applications" && seg[len(seg)-1] == "commands":
		guild := ""
		if len(seg) == 5 && seg[2] == "guilds" {
			guild = seg[3]
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if seg[1] != s.AppID {
			return http.StatusForbidden, apiError(50001, "Missing Access")
		}
		if r.Method == "PUT" {
			s.commands[guild] = append(json.RawMessage(nil), body...)
		}
		if s.commands[guild] == nil {
			return 200, []any{}
		}
		return 200, json.RawMessage(s.commands[guild])
	case path == "/users/@me/channels" && r.Method == "POST":
		var p struct {
			RecipientID string `json:"recipient_id"`
		}
		_ = json.Unmarshal(body, &p)
		if p.RecipientID == "" {
			return http.StatusBadRequest, apiError(50035, "Invalid Form Body")
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		id := s.dms[p.RecipientID]
		if id == "" {
			id = "dm-" + p.RecipientID
			s.dms[p.RecipientID] = id
		}
		return 200, map[string]any{"id": id, "type": 1, "recipients": []map[string]string{{"id": p.RecipientID}}}
	case len(seg) == 3 && seg[0] == "channels" && seg[2] == "messages" && r.Method == "POST":
		s.mu.Lock()
		refused := strings.HasPrefix(seg[1], "dm-") && s.noDMs[strings.TrimPrefix(seg[1], "dm-")]
		s.mu.Unlock()
		if refused {
			return http.StatusForbidden, apiError(50007, "Cannot send messages to this user")
		}
		return s.limit(seg[1], func() (int, any) {
			m := s.newMessage(seg[1], body, files)
			return 200, map[string]any{"id": m.ID, "channel_id": m.ChannelID, "content": m.Content}
		})
	case len(seg) == 4 && seg[0] == "channels" && seg[2] == "messages" && r.Method == "PATCH":
		return s.limit(seg[1], func() (int, any) {
			s.mu.Lock()
			defer s.mu.Unlock()
			m := s.msgs[seg[3]]
			if m == nil || m.ChannelID != seg[1] {
				return http.StatusNotFound, apiError(10008, "Unknown Message")
			}
			applyEdit(m, body, files)
			return 200, map[string]any{"id": m.ID, "channel_id": m.ChannelID, "content": m.Content}
		})
	case len(seg) == 4 && seg[0] == "interactions" && seg[3] == "callback" && r.Method == "POST":
		return s.callback(seg[1], seg[2], body, files)
	case len(seg) >= 3 && seg[0] == "webhooks":
		return s.webhook(r.Method, seg, body, files)
	}
	return http.StatusNotFound, apiError(0, "404: Not Found")
}

// limit applies the per-channel rate limit to a message post or edit.
func (s *Server) limit(channel string, fn func() (int, any)) (int, any) {
	s.mu.Lock()
	now := time.Now()
	w := s.windows[channel]
	if w == nil || now.Sub(w.start) >= s.Window {
		w = &window{start: now}
		s.windows[channel] = w
	}
	left := time.Until(w.start.Add(s.Window)).Seconds()
	if w.used >= s.Limit {
		s.limited++
		s.mu.Unlock()
		return http.StatusTooManyRequests, limitHeaders{
			h: map[string]string{"X-RateLimit-Bucket": "msgbucket", "X-RateLimit-Limit": fmt.Sprint(s.Limit),
				"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": fmt.Sprintf("%.3f", left), "X-RateLimit-Scope": "user"},
			body: map[string]any{"message": "You are being rate limited.", "retry_after": left, "global": false},
		}
	}
	w.used++
	remaining := s.Limit - w.used
	s.mu.Unlock()
	status, body := fn()
	return status, limitHeaders{
		h: map[string]string{"X-RateLimit-Bucket": "msgbucket", "X-RateLimit-Limit": fmt.Sprint(s.Limit),
			"X-RateLimit-Remaining": fmt.Sprint(remaining), "X-RateLimit-Reset-After": fmt.Sprintf("%.3f", left)},
		body: body,
	}
}

// payload is the message fields the fake reads.
type payload struct {
	Content    *string  `json:"content"`
	Embeds     *[]Embed `json:"embeds"`
	Components *[]Row   `json:"components"`
	Flags      int      `json:"flags"`
}

// newMessage stores a message posted in channel.
func (s *Server) newMessage(channel string, body []byte, files []File) *Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addMessage(channel, body, files)
}

// addMessage is newMessage with s.mu held.
func (s *Server) addMessage(channel string, body []byte, files []File) *Message {
	var p payload
	_ = json.Unmarshal(body, &p)
	s.n++
	m := &Message{ID: fmt.Sprintf("%d", 200000000000000000+s.n), ChannelID: channel, Files: files, Ephemeral: p.Flags&64 != 0}
	applyPayload(m, p)
	s.msgs[m.ID] = m
	s.channels[channel] = append(s.channels[channel], m)
	return m
}

func applyPayload(m *Message, p payload) {
	if p.Content != nil {
		m.Content = *p.Content
	}
	if p.Embeds != nil {
		m.Embeds = *p.Embeds
	}
	if p.Components != nil {
		m.Components = *p.Components
	}
}

func applyEdit(m *Message, body []byte, files []File) {
	var p payload
	_ = json.Unmarshal(body, &p)
	applyPayload(m, p)
	m.Files = append(m.Files, files...)
	m.Edits++
}

// callback takes an interaction's initial response. What it makes (the original
// message, the modal, the choices) is recorded with the response, at once.
func (s *Server) callback(id, token string, body []byte, files []File) (int, any) {
	var p struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(body, &p) != nil {
		return http.StatusBadRequest, apiError(50035, "Invalid Form Body")
	}
	var choices []Option
	var md *Modal
	switch p.Type {
	case 8:
		var d struct {
			Choices []struct {
				Name  string `json:"name"`
				Value string `json:"value"`
			} `json:"choices"`
		}
		if json.Unmarshal(p.Data, &d) != nil || d.Choices == nil {
			return http.StatusBadRequest, apiError(50035, "Invalid Form Body: choices")
		}
		choices = []Option{}
		for _, c := range d.Choices {
			choices = append(choices, Option{Label: c.Name, Value: c.Value})
		}
	case 9:
		var d struct {
			CustomID   string `json:"custom_id"`
			Title      string `json:"title"`
			Components []Row  `json:"components"`
		}
		_ = json.Unmarshal(p.Data, &d)
		md = &Modal{CustomID: d.CustomID, Title: d.Title}
		for _, r := range d.Components {
			md.Inputs = append(md.Inputs, r.Components...)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.inters[id]
	if in == nil || in.Token != token {
		return http.StatusNotFound, apiError(codeUnknownInteraction, "Unknown interaction")
	}
	resp := Response{Type: p.Type, Data: p.Data, After: time.Since(in.Sent)}
	switch {
	case resp.After > s.Deadline:
		resp.Refused = codeUnknownInteraction
	case hasTaken(in):
		resp.Refused = codeAlreadyAcked
	}
	in.Responses = append(in.Responses, resp)
	switch resp.Refused {
	case codeUnknownInteraction:
		return http.StatusNotFound, apiError(codeUnknownInteraction, "Unknown interaction")
	case codeAlreadyAcked:
		return http.StatusBadRequest, apiError(codeAlreadyAcked, "Interaction has already been acknowledged.")
	}
	switch p.Type {
	case 4, 5:
		data := p.Data
		if p.Type == 5 && len(data) == 0 {
			data = []byte(`{"content":""}`)
		}
		in.Original = s.addMessage(in.ChannelID, data, files)
	case 8:
		in.Choices = choices
	case 9:
		in.Modal = md
	}
	return http.StatusNoContent, nil
}

func hasTaken(in *Interaction) bool {
	for _, r := range in.Responses {
		if r.Refused == 0 {
			return true
		}
	}
	return false
}

// webhook serves follow-ups and edits of the original response.
func (s *Server) webhook(method string, seg []string, body []byte, files []File) (int, any) {
	if seg[1] != s.AppID {
		return http.StatusNotFound, apiError(10015, "Unknown Webhook")
	}
	s.mu.Lock()
	var in *Interaction
	for _, x := range s.inters {
		if x.Token == seg[2] {
			in = x
		}
	}
	taken := in != nil && hasTaken(in)
	s.mu.Unlock()
	if !taken {
		return http.StatusNotFound, apiError(10015, "Unknown Webhook")
	}
	switch {
	case len(seg) == 3 && method == "POST":
		s.mu.Lock()
		m := s.addMessage(in.ChannelID, body, files)
		in.Followups = append(in.Followups, m)
		s.mu.Unlock()
		return 200, map[string]any{"id": m.ID, "channel_id": m.ChannelID}
	case len(seg) == 5 && seg[4] == "@original":
		s.mu.Lock()
		defer s.mu.Unlock()
		if in.Original == nil || in.Original.Deleted {
			return http.StatusNotFound, apiError(10008, "Unknown Message")
		}
		switch method {
		case "PATCH":
			applyEdit(in.Original, body, files)
			return 200, map[string]any{"id": in.Original.ID, "channel_id": in.Original.ChannelID}
		case "DELETE":
			in.Original.Deleted = true
			return http.StatusNoContent, nil
		}
	}
	return http.StatusNotFound, apiError(0, "404: Not Found")
}

// Discord's error codes the fake answers with.
const (
	codeUnknownInteraction = 10062
	codeAlreadyAcked       = 40060
)
