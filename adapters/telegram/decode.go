package telegram

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/engage-org/engage/bots"
)

// update is one decoded Telegram update: what to handle, and what to answer.
type update struct {
	ID int
	// Event is what bots handles; nil for an update there is nothing to do with
	// (a photo, another bot's command, a service message).
	Event *bots.Event
	// Callback is the callback query to answer ("" if the update is no press).
	Callback string
	// MoveFrom and MoveTo are set when a group became a supergroup under a new ID.
	MoveFrom, MoveTo string
	// inbox is the ID under which the inbox keeps the update ("" if it does not).
	inbox string
}

// press reports whether the update is a button press.
func (u *update) press() bool { return u.Event != nil && u.Event.Kind == bots.KindAction }

// errNoID is an update without a usable update_id.
var errNoID = errors.New("telegram update without update_id")

// peekID reads only the update_id of raw, so that an update this adapter cannot
// decode can still be confirmed and skipped.
func peekID(raw []byte) (int, error) {
	// Telegram writes the update_id first: read it without decoding the update.
	if rest, ok := bytes.CutPrefix(raw, []byte(`{"update_id":`)); ok {
		n, i := 0, 0
		for ; i < len(rest) && i < 10 && rest[i] >= '0' && rest[i] <= '9'; i++ {
			n = n*10 + int(rest[i]-'0')
		}
		if i > 0 && i < len(rest) && (rest[i] == ',' || rest[i] == '}') && n > 0 && rest[0] != '0' {
			return n, nil
		}
	}
	var v struct {
		UpdateID int `json:"update_id"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return 0, fmt.Errorf("decode update id: %w", err)
	}
	if v.UpdateID <= 0 {
		return 0, errNoID
	}
	return v.UpdateID, nil
}

// wireUpdate is what the adapter reads of an update: only these fields are
// decoded (the library's Update has hundreds), the others are skipped.
type wireUpdate struct {
	UpdateID      onceInt       `json:"update_id"`
	Message       *wireMessage  `json:"message"`
	CallbackQuery *wireCallback `json:"callback_query"`
}

type wireMessage struct {
	From              *wireUser    `json:"from"`
	Chat              *wireChat    `json:"chat"`
	Text              string       `json:"text"`
	Entities          []wireEntity `json:"entities"`
	MigrateToChatID   int64        `json:"migrate_to_chat_id"`
	MigrateFromChatID int64        `json:"migrate_from_chat_id"`
}

type wireCallback struct {
	ID   string    `json:"id"`
	From *wireUser `json:"from"`
	// Message is the message the button is on: only its chat matters (its text
	// and keyboard, which can be long, are skipped).
	Message *struct {
		Chat *wireChat `json:"chat"`
	} `json:"message"`
	Data string `json:"data"`
}

type wireUser struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	UserName     string `json:"username"`
	LanguageCode string `json:"language_code"`
}

type wireChat struct {
	ID    int64  `json:"id"`
	Type  string `json:"type"`
	Title string `json:"title"`
}

type wireEntity struct {
	Type   string    `json:"type"`
	Offset int       `json:"offset"`
	Length int       `json:"length"`
	User   *wireUser `json:"user"`
}

// onceInt is an integer that may appear once: an update whose update_id comes
// twice (encoding/json would keep the last one, peekID reads the first) is
// refused rather than confirmed under one ID and handled under the other.
type onceInt struct {
	v    int
	seen int
}

var errTwice = errors.New("decode update: ambiguous update_id")

func (n *onceInt) UnmarshalJSON(b []byte) error {
	if n.seen++; n.seen > 1 {
		return errTwice
	}
	if string(b) == "null" {
		return nil
	}
	v, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("update_id %.20s: not an integer", b)
	}
	n.v = v
	return nil
}

// decodeUpdate turns the JSON of one update into what to handle. botName is the
// bot's username: commands addressed to another bot ("/help@OtherBot") are left
// alone. The data comes from the network: nothing in it is trusted.
func decodeUpdate(raw []byte, botName string) (update, error) {
	var u wireUpdate
	if err := json.Unmarshal(raw, &u); err != nil {
		if errors.Is(err, errTwice) {
			return update{}, errTwice
		}
		return update{}, fmt.Errorf("decode update: %w", err)
	}
	return u.update(botName)
}

// update is what to handle of u.
func (u *wireUpdate) update(botName string) (update, error) {
	if u.UpdateID.v <= 0 {
		return update{}, errNoID
	}
	up := update{ID: u.UpdateID.v}
	key := "telegram:" + strconv.Itoa(up.ID)
	switch {
	case u.Message != nil && u.Message.Chat != nil && u.Message.MigrateToChatID != 0:
		up.MoveFrom, up.MoveTo = strconv.FormatInt(u.Message.Chat.ID, 10), strconv.FormatInt(u.Message.MigrateToChatID, 10)
	case u.Message != nil && u.Message.Chat != nil && u.Message.MigrateFromChatID != 0:
		up.MoveFrom, up.MoveTo = strconv.FormatInt(u.Message.MigrateFromChatID, 10), strconv.FormatInt(u.Message.Chat.ID, 10)
	case u.Message != nil:
		up.Event = messageEvent(u.Message, botName, key)
	case u.CallbackQuery != nil:
		up.Callback = u.CallbackQuery.ID
		up.Event = pressEvent(u.CallbackQuery, key)
	}
	return up, nil
}

// messageEvent is the event of a text message, nil when there is none to handle.
func messageEvent(m *wireMessage, botName, key string) *bots.Event {
	if m.From == nil || m.From.IsBot || m.From.ID <= 0 || m.Chat == nil || m.Text == "" {
		return nil // channels, anonymous admins and other bots, service messages, media
	}
	direct, ok := chatKind(m.Chat)
	if !ok {
		return nil
	}
	if !forUs(m.Text, botName) {
		return nil
	}
	ev := baseEvent(m.From, m.Chat, direct, key)
	ev.Kind, ev.Text = bots.KindMessage, m.Text
	ev.Mentions = mentions(m.Text, m.Entities)
	return ev
}

// pressEvent is the event of a button press, nil when there is none to handle.
func pressEvent(q *wireCallback, key string) *bots.Event {
	if q.ID == "" || q.From == nil || q.From.IsBot || q.From.ID <= 0 || q.Message == nil || q.Message.Chat == nil {
		return nil // a press on an inline-mode message: not ours
	}
	direct, ok := chatKind(q.Message.Chat)
	if !ok {
		return nil
	}
	ev := baseEvent(q.From, q.Message.Chat, direct, key)
	ev.Kind, ev.Action = bots.KindAction, callbackToken(q.Data)
	return ev
}

// chatKind says whether chat is a private conversation, and whether it is a chat
// the bot serves at all (not a channel).
func chatKind(c *wireChat) (direct, ok bool) {
	if c.ID == 0 {
		return false, false
	}
	switch c.Type {
	case "private":
		return true, c.ID > 0
	case "group", "supergroup":
		return false, true
	}
	return false, false
}

func baseEvent(from *wireUser, c *wireChat, direct bool, key string) *bots.Event {
	name := strings.TrimSpace(from.FirstName + " " + from.LastName)
	if name == "" {
		name = from.UserName
	}
	return &bots.Event{
		Platform:  bots.PlatformTelegram,
		ChatID:    strconv.FormatInt(c.ID, 10),
		ChatTitle: c.Title,
		Direct:    direct,
		UserID:    strconv.FormatInt(from.ID, 10),
		UserName:  name,
		Handle:    from.UserName,
		Lang:      from.LanguageCode,
		Key:       key,
	}
}

// forUs reports whether text is for this bot: anything but a command addressed
// to another bot by name.
func forUs(text, botName string) bool {
	if !strings.HasPrefix(text, "/") {
		return true
	}
	word := strings.Fields(text)[0]
	_, to, addressed := strings.Cut(word, "@")
	return !addressed || botName == "" || strings.EqualFold(to, botName)
}

// mentions maps the text of each mention that names a user without a username
// (a "text_mention", which carries the user's ID) to that ID, and its first word
// too, since commands read a mention as one word.
func mentions(text string, ents []wireEntity) map[string]string {
	var out map[string]string
	var u16 []uint16
	for _, e := range ents {
		if e.Type != "text_mention" || e.User == nil || e.User.ID <= 0 {
			continue
		}
		if u16 == nil {
			u16 = utf16.Encode([]rune(text))
		}
		if e.Offset < 0 || e.Length <= 0 || e.Offset > len(u16) || e.Length > len(u16)-e.Offset {
			continue
		}
		s := strings.TrimSpace(string(utf16.Decode(u16[e.Offset : e.Offset+e.Length])))
		if s == "" {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		id := strconv.FormatInt(e.User.ID, 10)
		out[s] = id
		if f := strings.Fields(s); len(f) > 1 {
			out[f[0]] = id
		}
	}
	return out
}

// staleToken stands for callback data that cannot be one of ours: the bot answers
// that the button no longer works.
const staleToken = "-"

// callbackToken returns the button token a press carries: 1 to 64 bytes of
// letters, digits and - _ : . = (the bot's tokens are 16 base32 characters).
// Anything else, which only a modified client can send, becomes staleToken.
func callbackToken(data string) string {
	if data == "" || len(data) > maxCallback {
		return staleToken
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-', c == '_', c == ':', c == '.', c == '=':
		default:
			return staleToken
		}
	}
	return data
}
