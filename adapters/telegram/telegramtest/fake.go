// Package telegramtest is a fake Telegram Bot API server for tests. It speaks the
// real wire format (form-encoded and multipart requests, JSON answers, getUpdates
// with offsets and long polling, webhooks with a secret token) and enforces what
// Telegram enforces and an adapter must respect: text and caption lengths after
// HTML parsing, valid HTML entities, callback_data of 1 to 64 bytes, direct
// messages only to people who started the bot ("bot can't initiate conversation
// with a user"), "message is not modified", and the sending limits (messages per
// second overall, per chat, per group per minute), answered with 429 and
// retry_after.
//
// It is for tests only; it imports nothing of Engage.
package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// Token is the bot token the fake accepts.
const Token = "123456:TEST-token_of-the-fake"

// The fake bot.
const (
	BotID   int64 = 987654321
	BotName       = "engage_test_bot"
)

// Limits are the sending limits the fake enforces.
type Limits struct {
	PerSecond      int           // messages in any one second, overall (0: none)
	ChatGap        time.Duration // least time between two messages to one chat (0: none)
	PerGroupMinute int           // messages to one group in any one minute (0: none)
}

// TelegramLimits are Telegram's published limits (Bots FAQ).
var TelegramLimits = Limits{PerSecond: 30, ChatGap: time.Second, PerGroupMinute: 20}

// Scaled returns l with every limit k times looser (for short benchmarks).
func (l Limits) Scaled(k int) Limits {
	return Limits{PerSecond: l.PerSecond * k, ChatGap: l.ChatGap / time.Duration(k), PerGroupMinute: l.PerGroupMinute * k}
}

// User is a Telegram account.
type User struct {
	ID        int64
	FirstName string
	LastName  string
	Username  string
	Lang      string
}

func (u User) json() map[string]any {
	m := map[string]any{"id": u.ID, "is_bot": false, "first_name": u.FirstName}
	if u.LastName != "" {
		m["last_name"] = u.LastName
	}
	if u.Username != "" {
		m["username"] = u.Username
	}
	if u.Lang != "" {
		m["language_code"] = u.Lang
	}
	return m
}

// Button is an inline keyboard button as the fake received it.
type Button struct {
	Text string `json:"text"`
	Data string `json:"callback_data,omitempty"`
	URL  string `json:"url,omitempty"`
}

// Msg is a message the bot sent, as it stands now (after edits).
type Msg struct {
	ID       int
	Chat     int64
	Text     string // after HTML parsing (the text or the caption)
	Keyboard [][]Button
	Edits    int
	File     string // "photo" or "document" with the file's name: "document:a.ics"
	FileSize int
}

// Buttons returns the buttons of m in order.
func (m Msg) Buttons() []Button {
	var out []Button
	for _, row := range m.Keyboard {
		out = append(out, row...)
	}
	return out
}

// Call is one request the fake received.
type Call struct {
	Method string
	Form   url.Values
	At     time.Time
	Status int
	Desc   string
}

// Answer is an answerCallbackQuery the fake received.
type Answer struct {
	QueryID string
	Text    string
	Alert   bool
	Update  int // the update that carried the query
}

// Command is a bot command registered with setMyCommands.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

type chat struct {
	id      int64
	typ     string
	title   string
	movedTo int64 // a group upgraded to a supergroup
	msgs    []*Msg
	sends   []time.Time // accepted messages, for the limits
}

type queued struct {
	id   int
	kind string
	raw  []byte
}

// Server is the fake Bot API. Its fields are read through its methods, which are
// safe for concurrent use.
type Server struct {
	srv    *httptest.Server
	limits Limits
	tb     testing.TB

	mu        sync.Mutex // guards everything below
	now       func() time.Time
	nextID    int // next update_id
	updates   []queued
	confirmed int // updates below it were confirmed
	arrived   chan struct{}
	allowed   []string
	offsets   []int
	hook      struct{ url, secret string }
	commands  map[string][]Command
	chats     map[int64]*chat
	started   map[int64]bool
	queries   map[string]int // callback query ID → update ID
	calls     []Call
	answers   []Answer
	sends     []time.Time // accepted messages overall
	floods    int         // 429 answered
	nextQuery int
	fail      func(method string, form url.Values) (status int, desc string, retryAfter int)
	pollDelay time.Duration
}

// New starts a fake with limits; it is closed at the end of the test.
func New(tb testing.TB, limits Limits) *Server {
	s := &Server{
		limits: limits, tb: tb, now: time.Now, nextID: 1000,
		arrived: make(chan struct{}), commands: map[string][]Command{},
		chats: map[int64]*chat{}, started: map[int64]bool{}, queries: map[string]int{},
	}
	s.srv = httptest.NewServer(s)
	tb.Cleanup(s.srv.Close)
	return s
}

// URL is the API URL to configure (telegram.api_url).
func (s *Server) URL() string { return s.srv.URL }

// Close stops the fake.
func (s *Server) Close() { s.srv.Close() }

// FailWith makes the fake answer a call with an error when fn returns a status
// (0 to answer normally), with retry_after when not 0: for outages, floods and
// refusals in tests. fn runs with the fake locked.
func (s *Server) FailWith(fn func(method string, form url.Values) (status int, desc string, retryAfter int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = fn
}

// SetPollDelay delays every getUpdates before it confirms anything, as a slow
// network would: a client that goes away meanwhile confirms nothing.
func (s *Server) SetPollDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pollDelay = d
}

// Confirmed returns the offset confirmed so far: updates below it are forgotten.
func (s *Server) Confirmed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmed
}

// Group makes a group chat the bot is a member of (id < 0).
func (s *Server) Group(id int64, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(id, "supergroup", title)
}

// Migrate upgrades group old to a supergroup with the ID new, as Telegram does:
// messages to old are refused with migrate_to_chat_id, and the two service
// messages (in the old group and in the new supergroup) are queued.
func (s *Server) Migrate(old, new int64, by User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.chatLocked(old, "group", "")
	o.movedTo = new
	n := s.chatLocked(new, "supergroup", o.title)
	for _, svc := range []struct {
		c     *chat
		field string
		other int64
	}{{o, "migrate_to_chat_id", new}, {n, "migrate_from_chat_id", old}} {
		id := s.nextID
		s.nextID++
		raw, _ := json.Marshal(map[string]any{"update_id": id, "message": map[string]any{
			"message_id": 100000 + id, "date": s.now().Unix(), "chat": s.chatJSON(svc.c), "from": by.json(), svc.field: svc.other,
		}})
		s.queueLocked(id, "message", raw)
	}
}

// Start marks that u started the bot (pressed Start in its private chat): the
// bot may now write to them.
func (s *Server) Start(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.started[u.ID] = true
	s.chatLocked(u.ID, "private", "")
}

// Started reports whether u started the bot.
func (s *Server) Started(u User) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.started[u.ID]
}

func (s *Server) chatLocked(id int64, typ, title string) *chat {
	c := s.chats[id]
	if c == nil {
		c = &chat{id: id, typ: typ, title: title}
		s.chats[id] = c
	}
	return c
}

func (s *Server) chatJSON(c *chat) map[string]any {
	m := map[string]any{"id": c.id, "type": c.typ}
	if c.title != "" {
		m["title"] = c.title
	}
	return m
}

// MessageUpdate builds the update of u writing text in chatID (u.ID for their
// private chat; the bot is then started), with a bot_command entity as Telegram
// adds. It is not queued: see Say, or post it to a webhook.
func (s *Server) MessageUpdate(chatID int64, u User, text string) (int, []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messageLocked(chatID, u, text)
}

func (s *Server) messageLocked(chatID int64, u User, text string) (int, []byte) {
	typ := "supergroup"
	if chatID > 0 {
		typ = "private"
		s.started[u.ID] = true
	}
	c := s.chatLocked(chatID, typ, "")
	id := s.nextID
	s.nextID++
	msg := map[string]any{
		"message_id": 100000 + id, "date": s.now().Unix(), "chat": s.chatJSON(c),
		"from": u.json(), "text": text,
	}
	if strings.HasPrefix(text, "/") {
		word := strings.Fields(text)[0]
		msg["entities"] = []map[string]any{{"type": "bot_command", "offset": 0, "length": len(utf16.Encode([]rune(word)))}}
	}
	raw, _ := json.Marshal(map[string]any{"update_id": id, "message": msg})
	return id, raw
}

// PressUpdate builds the update of u pressing the button with callback data of
// message msg. It is not queued: see Press.
func (s *Server) PressUpdate(u User, msg Msg, data string) (int, []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pressLocked(u, msg, data)
}

func (s *Server) pressLocked(u User, msg Msg, data string) (int, []byte) {
	c := s.chatLocked(msg.Chat, "supergroup", "")
	id := s.nextID
	s.nextID++
	s.nextQuery++
	qid := "q" + strconv.Itoa(s.nextQuery)
	s.queries[qid] = id
	kb := map[string]any{"inline_keyboard": msg.Keyboard}
	raw, _ := json.Marshal(map[string]any{"update_id": id, "callback_query": map[string]any{
		"id": qid, "from": u.json(), "chat_instance": "ci" + strconv.FormatInt(c.id, 10), "data": data,
		"message": map[string]any{
			"message_id": msg.ID, "date": s.now().Unix(), "chat": s.chatJSON(c),
			"from": map[string]any{"id": BotID, "is_bot": true, "first_name": "Engage", "username": BotName},
			"text": msg.Text, "reply_markup": kb,
		},
	}})
	return id, raw
}

// Say queues the update of u writing text in chatID and returns its update_id.
func (s *Server) Say(chatID int64, u User, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, raw := s.messageLocked(chatID, u, text)
	s.queueLocked(id, "message", raw)
	return id
}

// Press queues the update of u pressing the button of msg whose label contains
// label, and returns its update_id.
func (s *Server) Press(u User, msg Msg, label string) int {
	s.tb.Helper()
	for _, b := range msg.Buttons() {
		if strings.Contains(b.Text, label) && b.Data != "" {
			s.mu.Lock()
			defer s.mu.Unlock()
			id, raw := s.pressLocked(u, msg, b.Data)
			s.queueLocked(id, "callback_query", raw)
			return id
		}
	}
	s.tb.Fatalf("telegramtest: no button %q on message %q", label, msg.Text)
	return 0
}

// Queue queues a raw update (as built by MessageUpdate or PressUpdate, or by
// hand) for getUpdates.
func (s *Server) Queue(raw []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, kind := head(raw)
	if id >= s.nextID {
		s.nextID = id + 1
	}
	s.queueLocked(id, kind, raw)
}

// Redeliver queues update raw again, even if it was confirmed, as Telegram does
// when it is not sure the bot got it.
func (s *Server) Redeliver(raw []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, kind := head(raw)
	if id < s.confirmed {
		s.confirmed = id
	}
	s.queueLocked(id, kind, raw)
}

// head reads the update_id and the kind of a raw update.
func head(raw []byte) (int, string) {
	var h struct {
		UpdateID int             `json:"update_id"`
		Callback json.RawMessage `json:"callback_query"`
	}
	_ = json.Unmarshal(raw, &h)
	if h.Callback != nil {
		return h.UpdateID, "callback_query"
	}
	return h.UpdateID, "message"
}

func (s *Server) queueLocked(id int, kind string, raw []byte) {
	i := len(s.updates)
	for i > 0 && s.updates[i-1].id > id {
		i--
	}
	s.updates = slices.Insert(s.updates, i, queued{id: id, kind: kind, raw: raw})
	close(s.arrived)
	s.arrived = make(chan struct{})
}

// Pending returns how many queued updates are not confirmed yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, u := range s.updates {
		if u.id >= s.confirmed {
			n++
		}
	}
	return n
}

// Offsets returns the offsets getUpdates was called with.
func (s *Server) Offsets() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.offsets)
}

// AllowedUpdates returns the allowed_updates last asked for.
func (s *Server) AllowedUpdates() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.allowed)
}

// Webhook returns the webhook set (empty when none).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hook.url, s.hook.secret
}

// Commands returns the command menus, by language code ("" for the default).
func (s *Server) Commands() map[string][]Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]Command{}
	for k, v := range s.commands {
		out[k] = slices.Clone(v)
	}
	return out
}

// Messages returns the messages the bot sent to chatID, oldest first.
func (s *Server) Messages(chatID int64) []Msg {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	out := make([]Msg, len(c.msgs))
	for i, m := range c.msgs {
		out[i] = *m
	}
	return out
}

// Last returns the last message the bot sent to chatID whose text contains
// substr, and whether there is one.
func (s *Server) Last(chatID int64, substr string) (Msg, bool) {
	ms := s.Messages(chatID)
	for i := len(ms) - 1; i >= 0; i-- {
		if strings.Contains(ms[i].Text, substr) {
			return ms[i], true
		}
	}
	return Msg{}, false
}

// Calls returns the calls received, of the given methods (all when none given).
func (s *Server) Calls(methods ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if len(methods) == 0 || slices.Contains(methods, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// Answers returns the answered callback queries.
func (s *Server) Answers() []Answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.answers)
}

// AnswerCount returns how many answerCallbackQuery calls were accepted, without
// copying them (a benchmark waits on it).
func (s *Server) AnswerCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.answers)
}

// Floods returns how many calls were refused with 429.
func (s *Server) Floods() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.floods
}

// Sent returns how many messages were accepted (sends and edits), and the times
// of the first and the last.
func (s *Server) Sent() (n int, first, last time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sends) == 0 {
		return 0, time.Time{}, time.Time{}
	}
	return len(s.sends), s.sends[0], s.sends[len(s.sends)-1]
}

// Wait polls cond until it holds, failing the test after timeout.
func (s *Server) Wait(timeout time.Duration, what string, cond func() bool) {
	s.tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			s.tb.Fatalf("telegramtest: timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// ServeHTTP answers one Bot API call: POST /bot<token>/<method>.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tok, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !strings.HasPrefix(r.URL.Path, "/bot") || !ok {
		writeErr(w, 404, "Not Found", nil)
		return
	}
	if tok != Token {
		writeErr(w, 401, "Unauthorized", nil)
		return
	}
	form, err := parseForm(r)
	if err != nil {
		writeErr(w, 400, "Bad Request: "+err.Error(), nil)
		return
	}
	if method == "getUpdates" {
		s.getUpdates(w, r, form)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var status int
	var desc string
	var result any
	var params map[string]any
	if s.fail != nil {
		var ra int
		if status, desc, ra = s.fail(method, form.values); ra > 0 {
			params = map[string]any{"retry_after": ra}
		}
	}
	if status == 0 {
		result, status, desc, params = s.call(method, form)
	}
	s.calls = append(s.calls, Call{Method: method, Form: form.values, At: s.now(), Status: status, Desc: desc})
	if status != 200 {
		if status == 429 {
			s.floods++
		}
		writeErr(w, status, desc, params)
		return
	}
	writeOK(w, result)
}

// form is a request's parameters and uploaded files.
type form struct {
	values url.Values
	files  map[string]int // field → size
	names  map[string]string
}

func parseForm(r *http.Request) (form, error) {
	f := form{values: url.Values{}, files: map[string]int{}, names: map[string]string{}}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		return f, fmt.Errorf("method %s", r.Method)
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "multipart/form-data":
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return f, err
		}
		f.values = url.Values(r.MultipartForm.Value)
		for field, fhs := range r.MultipartForm.File {
			for _, fh := range fhs {
				f.files[field] += int(fh.Size)
				f.names[field] = fh.Filename
			}
		}
	default:
		if err := r.ParseForm(); err != nil {
			return f, err
		}
		f.values = r.PostForm
		for k, v := range r.URL.Query() {
			f.values[k] = v
		}
	}
	return f, nil
}

func writeOK(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func writeErr(w http.ResponseWriter, status int, desc string, params map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	body := map[string]any{"ok": false, "error_code": status, "description": desc}
	if params != nil {
		body["parameters"] = params
	}
	_ = json.NewEncoder(w).Encode(body)
}

// getUpdates confirms the updates below offset, then returns those from offset
// on, waiting up to timeout seconds for one.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, f form) {
	offset, _ := strconv.Atoi(f.values.Get("offset"))
	limit, _ := strconv.Atoi(f.values.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(f.values.Get("timeout"))
	deadline := time.Now().Add(time.Duration(min(max(timeout, 0), 60)) * time.Second)
	s.mu.Lock()
	if d := s.pollDelay; d > 0 {
		s.mu.Unlock()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(d):
		}
		s.mu.Lock()
	}
	s.calls = append(s.calls, Call{Method: "getUpdates", Form: f.values, At: s.now(), Status: 200})
	if s.hook.url != "" {
		s.mu.Unlock()
		writeErr(w, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", nil)
		return
	}
	s.offsets = append(s.offsets, offset)
	if a := f.values.Get("allowed_updates"); a != "" {
		var allowed []string
		if err := json.Unmarshal([]byte(a), &allowed); err != nil {
			s.mu.Unlock()
			writeErr(w, 400, "Bad Request: can't parse allowed updates", nil)
			return
		}
		s.allowed = allowed
	}
	if offset > s.confirmed {
		s.confirmed = offset
		s.updates = slices.DeleteFunc(s.updates, func(q queued) bool { return q.id < offset })
	}
	for {
		var out []json.RawMessage
		for _, q := range s.updates {
			if q.id >= s.confirmed && (len(s.allowed) == 0 || slices.Contains(s.allowed, q.kind)) {
				out = append(out, q.raw)
				if len(out) == limit {
					break
				}
			}
		}
		wait := time.Until(deadline)
		if len(out) > 0 || wait <= 0 {
			s.mu.Unlock()
			if out == nil {
				out = []json.RawMessage{}
			}
			writeOK(w, out)
			return
		}
		arrived := s.arrived
		s.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-arrived:
		case <-t.C:
		}
		t.Stop()
		s.mu.Lock()
	}
}

// call answers every method but getUpdates. Called with mu held.
func (s *Server) call(method string, f form) (result any, status int, desc string, params map[string]any) {
	v := f.values
	switch method {
	case "getMe":
		return map[string]any{"id": BotID, "is_bot": true, "first_name": "Engage", "username": BotName,
			"can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false}, 200, "", nil
	case "setWebhook":
		u := v.Get("url")
		sec := v.Get("secret_token")
		if sec != "" && !regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`).MatchString(sec) {
			return nil, 400, "Bad Request: secret token contains unallowed characters", nil
		}
		if u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			return nil, 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook", nil
		}
		s.hook.url, s.hook.secret = u, sec
		return true, 200, "", nil
	case "deleteWebhook":
		s.hook.url, s.hook.secret = "", ""
		if v.Get("drop_pending_updates") == "true" {
			s.updates = nil
		}
		return true, 200, "", nil
	case "setMyCommands":
		var cmds []Command
		if err := json.Unmarshal([]byte(v.Get("commands")), &cmds); err != nil {
			return nil, 400, "Bad Request: can't parse commands JSON object", nil
		}
		if len(cmds) > 100 {
			return nil, 400, "Bad Request: too many commands", nil
		}
		for _, c := range cmds {
			if !regexp.MustCompile(`^[a-z0-9_]{1,32}$`).MatchString(c.Command) {
				return nil, 400, "Bad Request: BOT_COMMAND_INVALID", nil
			}
			if n := units(c.Description); n < 1 || n > 256 {
				return nil, 400, "Bad Request: command description must be 1-256 characters", nil
			}
		}
		s.commands[v.Get("language_code")] = cmds
		return true, 200, "", nil
	case "answerCallbackQuery":
		id := v.Get("callback_query_id")
		up, ok := s.queries[id]
		if !ok {
			return nil, 400, "Bad Request: query is too old and response timeout expired or query ID is invalid", nil
		}
		if units(v.Get("text")) > 200 {
			return nil, 400, "Bad Request: MESSAGE_TOO_LONG", nil
		}
		s.answers = append(s.answers, Answer{QueryID: id, Text: v.Get("text"), Alert: v.Get("show_alert") == "true", Update: up})
		return true, 200, "", nil
	case "sendMessage", "sendPhoto", "sendDocument":
		return s.send(method, f)
	case "editMessageText", "editMessageCaption", "editMessageReplyMarkup":
		return s.edit(method, f)
	}
	return nil, 404, "Not Found: method not found", nil
}

// target finds the chat of a message call, refusing what Telegram refuses.
func (s *Server) target(v url.Values) (*chat, int, string) {
	id, err := strconv.ParseInt(v.Get("chat_id"), 10, 64)
	if err != nil || id == 0 {
		return nil, 400, "Bad Request: chat_id is empty"
	}
	c := s.chats[id]
	if id > 0 && !s.started[id] {
		return nil, 403, "Forbidden: bot can't initiate conversation with a user"
	}
	if c == nil {
		return nil, 400, "Bad Request: chat not found"
	}
	if c.movedTo != 0 {
		return c, 400, "Bad Request: group chat was upgraded to a supergroup chat"
	}
	return c, 200, ""
}

// moved is the parameters of an answer about a group that became a supergroup.
func moved(c *chat) map[string]any {
	if c == nil || c.movedTo == 0 {
		return nil
	}
	return map[string]any{"migrate_to_chat_id": c.movedTo}
}

// limit checks the sending limits for one more message to c now; on success the
// message is counted.
func (s *Server) limit(c *chat) (int, string, map[string]any) {
	now := s.now()
	l := s.limits
	var wait time.Duration
	if l.PerSecond > 0 {
		if w := windowWait(s.sends, now, time.Second, l.PerSecond); w > wait {
			wait = w
		}
	}
	if l.ChatGap > 0 {
		if w := windowWait(c.sends, now, l.ChatGap, 1); w > wait {
			wait = w
		}
	}
	if l.PerGroupMinute > 0 && c.id < 0 {
		if w := windowWait(c.sends, now, time.Minute, l.PerGroupMinute); w > wait {
			wait = w
		}
	}
	if wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		return 429, "Too Many Requests: retry after " + strconv.Itoa(secs), map[string]any{"retry_after": secs}
	}
	s.sends = append(s.sends, now)
	c.sends = append(c.sends, now)
	return 200, "", nil
}

// windowWait is how long until one more event fits n per span, given past events
// (0: it fits now). A window is (now-span, now].
func windowWait(past []time.Time, now time.Time, span time.Duration, n int) time.Duration {
	cut := now.Add(-span)
	i, _ := slices.BinarySearchFunc(past, cut, func(t, c time.Time) int {
		if t.After(c) {
			return 1
		}
		return -1
	})
	in := past[i:]
	if len(in) < n {
		return 0
	}
	return in[len(in)-n].Sub(cut)
}

// parseText reads a text in the request's parse_mode and checks its length.
func parseText(v url.Values, field string, max int, required bool) (string, int, string) {
	text := v.Get(field)
	switch v.Get("parse_mode") {
	case "HTML":
		var err error
		if text, err = parseHTML(text); err != nil {
			return "", 400, "Bad Request: can't parse entities: " + err.Error()
		}
	case "":
	default:
		return "", 400, "Bad Request: unsupported parse_mode " + v.Get("parse_mode")
	}
	n := units(text)
	if required && strings.TrimSpace(text) == "" {
		return "", 400, "Bad Request: message text is empty"
	}
	if n > max {
		if field == "caption" {
			return "", 400, "Bad Request: message caption is too long"
		}
		return "", 400, "Bad Request: message is too long"
	}
	return text, 200, ""
}

// parseKeyboard reads reply_markup.
func parseKeyboard(v url.Values) ([][]Button, int, string) {
	raw := v.Get("reply_markup")
	if raw == "" || raw == "null" {
		return nil, 200, ""
	}
	var rm struct {
		InlineKeyboard *[][]Button `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &rm); err != nil || rm.InlineKeyboard == nil {
		return nil, 400, "Bad Request: can't parse reply keyboard markup JSON object"
	}
	for _, row := range *rm.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				return nil, 400, "Bad Request: text buttons are unallowed in the inline keyboard"
			}
			switch {
			case b.Data != "" && b.URL != "":
				return nil, 400, "Bad Request: can't parse inline keyboard button: only one of the optional fields must be used"
			case b.Data != "":
				if len(b.Data) > 64 {
					return nil, 400, "Bad Request: BUTTON_DATA_INVALID"
				}
			case b.URL != "":
				if !strings.HasPrefix(b.URL, "https://") && !strings.HasPrefix(b.URL, "http://") && !strings.HasPrefix(b.URL, "tg://") {
					return nil, 400, "Bad Request: BUTTON_URL_INVALID"
				}
			default:
				return nil, 400, "Bad Request: can't parse inline keyboard button: a field must be used"
			}
		}
	}
	return *rm.InlineKeyboard, 200, ""
}

func (s *Server) messageJSON(c *chat, m *Msg) map[string]any {
	out := map[string]any{
		"message_id": m.ID, "date": s.now().Unix(), "chat": s.chatJSON(c),
		"from": map[string]any{"id": BotID, "is_bot": true, "first_name": "Engage", "username": BotName},
	}
	if m.File == "" {
		out["text"] = m.Text
	} else if m.Text != "" {
		out["caption"] = m.Text
	}
	if m.Keyboard != nil {
		out["reply_markup"] = map[string]any{"inline_keyboard": m.Keyboard}
	}
	if m.Edits > 0 {
		out["edit_date"] = s.now().Unix()
	}
	return out
}

func (s *Server) send(method string, f form) (any, int, string, map[string]any) {
	v := f.values
	c, status, desc := s.target(v)
	if status != 200 {
		return nil, status, desc, moved(c)
	}
	m := &Msg{Chat: c.id}
	switch method {
	case "sendMessage":
		m.Text, status, desc = parseText(v, "text", 4096, true)
	default:
		field := "photo"
		if method == "sendDocument" {
			field = "document"
		}
		size, ok := f.files[field]
		if !ok || size == 0 {
			return nil, 400, "Bad Request: there is no " + field + " in the request", nil
		}
		m.File, m.FileSize = field+":"+f.names[field], size
		m.Text, status, desc = parseText(v, "caption", 1024, false)
	}
	if status != 200 {
		return nil, status, desc, nil
	}
	if m.Keyboard, status, desc = parseKeyboard(v); status != 200 {
		return nil, status, desc, nil
	}
	status, desc, params := s.limit(c)
	if status != 200 {
		return nil, status, desc, params
	}
	m.ID = len(c.msgs) + 1
	c.msgs = append(c.msgs, m)
	return s.messageJSON(c, m), 200, "", nil
}

func (s *Server) edit(method string, f form) (any, int, string, map[string]any) {
	v := f.values
	id, err := strconv.ParseInt(v.Get("chat_id"), 10, 64)
	c := s.chats[id]
	if err != nil || c == nil {
		return nil, 400, "Bad Request: chat not found", nil
	}
	if c.movedTo != 0 {
		return nil, 400, "Bad Request: group chat was upgraded to a supergroup chat", moved(c)
	}
	n, _ := strconv.Atoi(v.Get("message_id"))
	if n < 1 || n > len(c.msgs) {
		return nil, 400, "Bad Request: message to edit not found", nil
	}
	m := c.msgs[n-1]
	text := m.Text
	switch {
	case method == "editMessageText" && m.File != "":
		return nil, 400, "Bad Request: there is no text in the message to edit", nil
	case method == "editMessageCaption" && m.File == "":
		return nil, 400, "Bad Request: there is no caption in the message to edit", nil
	case method == "editMessageText":
		var status int
		var desc string
		if text, status, desc = parseText(v, "text", 4096, true); status != 200 {
			return nil, status, desc, nil
		}
	case method == "editMessageCaption":
		var status int
		var desc string
		if text, status, desc = parseText(v, "caption", 1024, false); status != 200 {
			return nil, status, desc, nil
		}
	}
	kb, status, desc := parseKeyboard(v)
	if status != 200 {
		return nil, status, desc, nil
	}
	if text == m.Text && keyboardsEqual(kb, m.Keyboard) {
		return nil, 400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message", nil
	}
	status, desc, params := s.limit(c)
	if status != 200 {
		return nil, status, desc, params
	}
	m.Text, m.Keyboard = text, kb
	m.Edits++
	return s.messageJSON(c, m), 200, "", nil
}

func keyboardsEqual(a, b [][]Button) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// units is the length of s in UTF-16 code units, as Telegram counts.
func units(s string) int { return len(utf16.Encode([]rune(s))) }

// htmlTags are the tags Telegram's HTML parse mode knows.
var htmlTags = []string{"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji", "code", "pre", "blockquote"}

// parseHTML checks text as Telegram's HTML parse mode reads it and returns the
// plain text: known tags only, properly closed, and the entities &lt; &gt; &amp;
// &quot; and numeric ones.
func parseHTML(text string) (string, error) {
	var b strings.Builder
	var open []string
	for i := 0; i < len(text); {
		switch text[i] {
		case '<':
			end := strings.IndexByte(text[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("unclosed start tag at byte offset %d", i)
			}
			tag := text[i+1 : i+end]
			closing := strings.HasPrefix(tag, "/")
			name := strings.Fields(strings.TrimPrefix(tag, "/") + " ")
			if len(name) == 0 || !slices.Contains(htmlTags, strings.ToLower(name[0])) {
				return "", fmt.Errorf("unsupported start tag %q at byte offset %d", tag, i)
			}
			n := strings.ToLower(name[0])
			if closing {
				if len(open) == 0 || open[len(open)-1] != n {
					return "", fmt.Errorf("unmatched end tag at byte offset %d, expected \"</%s>\"", i, n)
				}
				open = open[:len(open)-1]
			} else {
				open = append(open, n)
			}
			i += end + 1
		case '&':
			end := strings.IndexByte(text[i:], ';')
			if end < 0 {
				return "", fmt.Errorf("unsupported entity at byte offset %d", i)
			}
			ent := text[i+1 : i+end]
			switch {
			case ent == "lt":
				b.WriteByte('<')
			case ent == "gt":
				b.WriteByte('>')
			case ent == "amp":
				b.WriteByte('&')
			case ent == "quot":
				b.WriteByte('"')
			case strings.HasPrefix(ent, "#x"):
				n, err := strconv.ParseUint(ent[2:], 16, 32)
				if err != nil {
					return "", fmt.Errorf("unsupported entity at byte offset %d", i)
				}
				b.WriteRune(rune(n))
			case strings.HasPrefix(ent, "#"):
				n, err := strconv.ParseUint(ent[1:], 10, 32)
				if err != nil {
					return "", fmt.Errorf("unsupported entity at byte offset %d", i)
				}
				b.WriteRune(rune(n))
			default:
				return "", fmt.Errorf("unsupported entity %q at byte offset %d", ent, i)
			}
			i += end + 1
		default:
			b.WriteByte(text[i])
			i++
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return b.String(), nil
}

// PostWebhook delivers raw to the webhook set with setWebhook, with secret as
// the secret token header ("" for none), and returns the HTTP status.
func (s *Server) PostWebhook(ctx context.Context, raw []byte, secret string) (int, error) {
	u, _ := s.Webhook()
	if u == "" {
		return 0, fmt.Errorf("telegramtest: no webhook set")
	}
	return Post(ctx, u, raw, secret)
}

// Post delivers raw to url as Telegram delivers a webhook update.
func Post(ctx context.Context, url string, raw []byte, secret string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(string(raw)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}
