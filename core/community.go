package core

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// CommunityID identifies a community across the whole install ("c1", "c2"…).
type CommunityID string

// ChatRef names one chat on one platform. A community may be linked to several chats
// on several platforms at once: one membership, one tally, one campaign total.
type ChatRef struct {
	Platform string `json:"platform"`
	ChatID   string `json:"chat_id"`
	Title    string `json:"title,omitempty"`
}

// Community is a group that runs projects, votes, campaigns and check-ins together.
type Community struct {
	ID        CommunityID `json:"id"`
	Name      string      `json:"name"`
	TimeZone  string      `json:"tz"`
	Lang      string      `json:"lang"`
	Chats     []ChatRef   `json:"chats"`
	Created   time.Time   `json:"created"`
	CreatedBy PersonID    `json:"created_by"`
	// Counters holds the last short ID handed out per kind ("P", "V", "C", "M").
	Counters map[string]int `json:"counters,omitempty"`
	// LLM says an admin switched the optional language model on for this community
	// (/community llm on); off, every flow takes its deterministic path.
	LLM bool `json:"llm,omitempty"`
	// Slug names the community's public pages (/c/SLUG); Published says an admin
	// opened them (/community publish on). Unpublished, the pages answer 404.
	Slug      string `json:"slug,omitempty"`
	Published bool   `json:"published,omitempty"`
}

// Location returns the community's time zone (UTC if it cannot be loaded).
func (c *Community) Location() *time.Location {
	loc, err := LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

var locations sync.Map // zone name → *time.Location

// LoadLocation is time.LoadLocation, remembered: the standard one reads the zone
// database each time, and a community's zone is needed on most events.
func LoadLocation(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}

// Languages are the languages the templates exist in; the first is the default.
var Languages = []string{"fr", "en"}

// ValidLang reports whether lang is one of Languages.
func ValidLang(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Limits on what members type, so that one message cannot fill the store.
const (
	MaxNameLen  = 100  // community names, titles, option labels (runes)
	MaxTextLen  = 2000 // news, descriptions, next steps (runes)
	MaxChatsPer = 20   // linked chats per community
)

// checkText trims s and checks it is present, holds no control, bidirectional or
// invisible character (newlines allowed in texts of MaxTextLen and more, see
// checkChars), and is not longer than max runes.
// what names the field for the message ("title", "text").
func checkText(s string, max int, what string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Errorf(CodeInvalid, "err.missing", "what", what)
	}
	if !utf8.ValidString(s) {
		return "", Errorf(CodeInvalid, "err.bad_text")
	}
	lines := max >= MaxTextLen // a text may have lines; a name, title or label not
	if lines {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	if err := checkChars(s, lines); err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", Errorf(CodeInvalid, "err.too_long", "what", what, "max", max, "len", n)
	}
	return s, nil
}

// CommunityByChat returns the community linked to the chat. Returns CodeNotFound
// ("err.no_community") when the chat is not part of one.
func (tx *Tx) CommunityByChat(platform, chatID string) (*Community, error) {
	raw, err := tx.kv.Get(bucketChat, key(platform, chatID))
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(CodeNotFound, "err.no_community")
	}
	return tx.Community(CommunityID(raw))
}

// Community returns the community with id. Returns CodeNotFound.
func (tx *Tx) Community(id CommunityID) (*Community, error) {
	c, err := getDecoded(tx, bucketCommunity, string(id), (*Community).clone)
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(CodeNotFound, "err.no_community")
	}
	return c, nil
}

// Communities returns every community, oldest first.
func (tx *Tx) Communities() ([]*Community, error) {
	var out []*Community
	err := scanJSON(tx, bucketCommunity, "", false, func(_ string, c *Community) error {
		out = append(out, c)
		return nil
	})
	// IDs are "c" + a number: order by the number.
	slices.SortFunc(out, func(a, b *Community) int {
		return cmp.Compare(idNum(string(a.ID)), idNum(string(b.ID)))
	})
	return out, err
}

// idNum returns the number after an ID's one-letter prefix ("c12" → 12).
func idNum(s string) int {
	n, _ := strconv.Atoi(strings.TrimLeft(s, "cu"))
	return n
}

func (tx *Tx) putCommunity(c *Community) error {
	return tx.putJSON(bucketCommunity, string(c.ID), c)
}

// CreateCommunity makes chat a new community named name, with actor as its admin.
// tz is an IANA zone ("" for UTC) and lang a template language ("" for the default).
// Returns CodeInvalid for a bad name, zone or language, and CodeConflict when the
// chat already belongs to a community or is a direct-message chat.
func (tx *Tx) CreateCommunity(actor PersonID, chat ChatRef, direct bool, name, tz, lang string) (*Community, error) {
	if direct {
		return nil, Errorf(CodeConflict, "err.need_group")
	}
	name, err := checkText(name, MaxNameLen, "name")
	if err != nil {
		return nil, err
	}
	if tz == "" {
		tz = "UTC"
	}
	if _, err := LoadLocation(tz); err != nil || strings.ContainsAny(tz, " \t") {
		return nil, Errorf(CodeInvalid, "err.bad_timezone", "tz", tz)
	}
	if lang == "" {
		lang = Languages[0]
	}
	if !ValidLang(lang) {
		return nil, Errorf(CodeInvalid, "err.bad_lang", "lang", lang)
	}
	if c, err := tx.CommunityByChat(chat.Platform, chat.ChatID); err == nil {
		return nil, Errorf(CodeConflict, "err.chat_taken", "name", c.Name)
	} else if ErrorCode(err) != CodeNotFound {
		return nil, err
	}
	n, err := tx.next("community")
	if err != nil {
		return nil, err
	}
	c := &Community{
		ID: CommunityID("c" + itoa(n)), Name: name, TimeZone: tz, Lang: lang,
		Chats: []ChatRef{chat}, Created: tx.now, CreatedBy: actor,
	}
	if err := tx.putCommunity(c); err != nil {
		return nil, err
	}
	if err := tx.kv.Put(bucketChat, key(chat.Platform, chat.ChatID), []byte(c.ID)); err != nil {
		return nil, err
	}
	if _, err := tx.join(c.ID, actor, RoleAdmin); err != nil {
		return nil, err
	}
	return c, nil
}

// InviteChat returns a one-time code that attaches another chat to the community
// (`/community join CODE`). Admins only: returns CodeForbidden otherwise.
func (tx *Tx) InviteChat(actor *Member) (string, error) {
	if !actor.Role.AtLeast(RoleAdmin) {
		return "", Errorf(CodeForbidden, "err.forbidden_role", "role", RoleAdmin)
	}
	return tx.newCode(codeInvite, string(actor.Community), actor.Person, 24*time.Hour)
}

// JoinChat attaches chat to the community an invitation code was made for, and
// makes actor a member. Returns CodeNotFound for an unknown or expired code and
// CodeConflict when the chat already belongs to a community.
func (tx *Tx) JoinChat(actor PersonID, chat ChatRef, direct bool, code string) (*Community, error) {
	if direct {
		return nil, Errorf(CodeConflict, "err.need_group")
	}
	cd, err := tx.useCode(codeInvite, code)
	if err != nil {
		return nil, err
	}
	if c, err := tx.CommunityByChat(chat.Platform, chat.ChatID); err == nil {
		return nil, Errorf(CodeConflict, "err.chat_taken", "name", c.Name)
	} else if ErrorCode(err) != CodeNotFound {
		return nil, err
	}
	c, err := tx.Community(CommunityID(cd.Target))
	if err != nil {
		return nil, err
	}
	if len(c.Chats) >= MaxChatsPer {
		return nil, Errorf(CodeConflict, "err.too_many_chats", "max", MaxChatsPer)
	}
	c.Chats = append(c.Chats, chat)
	if err := tx.putCommunity(c); err != nil {
		return nil, err
	}
	if err := tx.kv.Put(bucketChat, key(chat.Platform, chat.ChatID), []byte(c.ID)); err != nil {
		return nil, err
	}
	if _, err := tx.Touch(c.ID, actor); err != nil {
		return nil, err
	}
	return c, nil
}

// nextShortID hands out the community's next short ID of kind ("P", "V", "C", "M").
func (tx *Tx) nextShortID(c *Community, kind string) (int, error) {
	if c.Counters == nil {
		c.Counters = map[string]int{}
	}
	c.Counters[kind]++
	return c.Counters[kind], tx.putCommunity(c)
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
