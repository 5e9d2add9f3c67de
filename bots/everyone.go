package bots

import (
	"slices"
	"strings"

	"github.com/engage-org/engage/core"
)

// helpSections lists the commands /help shows, by section.
var helpSections = []struct {
	key  string
	cmds []string
}{
	{"help.section.everyone", []string{"help", "lang", "me", "link", "forgetme", "find"}},
	{"help.section.community", []string{"community", "role", "members"}},
	{"help.section.projects", []string{"projects", "project", "referent", "follow", "unfollow", "like", "news", "nextstep", "needs", "offer", "contact"}},
	{"help.section.polls", []string{"poll", "polls", "vote"}},
	{"help.section.campaigns", []string{"campaigns", "campaign", "reward", "stretch", "pledge", "collect", "spend", "refund", "ledger", "allocate", "schedule", "ask", "answer", "faq"}},
	{"help.section.facilitation", []string{"slot", "backup", "away", "checkin", "meeting", "digest", "impact"}},
}

// cmdHelp: /help [command].
func cmdHelp(c *call) error {
	if name := strings.TrimPrefix(c.word(), "/"); name != "" {
		full, cmd := c.b.lookup(strings.ToLower(name))
		if cmd == nil {
			return core.Errorf(core.CodeNotFound, "err.unknown_command", "name", "/"+name)
		}
		c.reply("help."+full, nil)
		return nil
	}
	type section struct {
		Title string
		Lines []string
	}
	var sections []section
	for _, s := range helpSections {
		sec := section{Title: c.text(s.key, nil)}
		for _, name := range s.cmds {
			sec.Lines = append(sec.Lines, c.text("help."+name, nil))
		}
		sections = append(sections, sec)
	}
	c.reply("help", map[string]any{"Sections": sections, "InCommunity": c.comm != nil})
	return nil
}

// cmdStart: /start [link-CODE] — the first message of a direct conversation
// (Telegram sends it, with the deep-link payload).
func cmdStart(c *call) error {
	if code, ok := strings.CutPrefix(c.word(), "link-"); ok {
		c.args = code
		return cmdLink(c)
	}
	c.reply("start", map[string]any{"Name": c.person.Name})
	return nil
}

// cmdLang: /lang fr|en.
func cmdLang(c *call) error {
	lang := c.word()
	if lang == "" {
		return c.usage()
	}
	if err := c.tx.SetLang(c.person, lang); err != nil {
		return err
	}
	c.lang = c.person.Lang
	c.reply("lang.set", nil)
	return nil
}

// cmdMe: /me — roles, linked accounts, follows and open prompts, privately.
func cmdMe(c *call) error {
	type membership struct {
		Community, Role string
		Follows         []string
		Pledges         []map[string]any
	}
	mine, err := c.tx.Memberships(c.person)
	if err != nil {
		return err
	}
	var ms []membership
	for _, m := range mine {
		cid := m.Community
		comm, err := c.tx.Community(cid)
		if err != nil {
			return err
		}
		ps, err := c.tx.Projects(cid, nil)
		if err != nil {
			return err
		}
		var follows []string
		for _, p := range ps {
			if slices.Contains(p.Followers, c.person.ID) {
				follows = append(follows, p.ID())
			}
		}
		pledges, err := mePledges(c.tx, cid, c.person.ID)
		if err != nil {
			return err
		}
		ms = append(ms, membership{Community: comm.Name, Role: string(m.Role), Follows: follows, Pledges: pledges})
	}
	d, err := c.tx.Dialog(c.person.ID)
	if err != nil {
		return err
	}
	var prompt string
	if d != nil {
		prompt = d.Kind
	}
	lang := c.person.Lang
	c.replyPrivate("me", map[string]any{
		"Name": c.person.Name, "Lang": lang, "Identities": c.person.Identities,
		"Memberships": ms, "Prompt": prompt,
	})
	return nil
}

// cmdLink: /link gives a code; /link CODE joins this account to the code's person.
func cmdLink(c *call) error {
	code := c.word()
	if code == "" {
		code, err := c.tx.LinkCode(c.person)
		if err != nil {
			return err
		}
		c.replyPrivate("link.code", map[string]any{"Code": code, "Minutes": 15})
		return nil
	}
	into, err := c.tx.Link(c.person, code)
	if err != nil {
		return err
	}
	c.person = into
	var platforms []string
	for _, id := range into.Identities {
		if !slices.Contains(platforms, id.Platform) {
			platforms = append(platforms, id.Platform)
		}
	}
	c.replyPrivate("link.done", map[string]any{"Name": into.Name, "Platforms": platforms})
	return nil
}

// cmdForgetMe: /forgetme asks to confirm; /forgetme confirm erases.
func cmdForgetMe(c *call) error {
	switch {
	case c.sub("confirm"):
		if err := c.tx.Forget(c.person); err != nil {
			return err
		}
		c.replyPrivate("forgetme.done", nil)
	case c.sub("cancel"):
		c.replyPrivate("forgetme.cancelled", nil)
	default:
		row, err := c.buttons(c.text("forgetme.yes", nil), "/forgetme confirm", c.text("forgetme.no", nil), "/forgetme cancel")
		if err != nil {
			return err
		}
		c.replyPrivate("forgetme.ask", nil, row)
	}
	return nil
}

// cmdFind: /find WORDS over the community's sharing space.
func cmdFind(c *call) error {
	if strings.TrimSpace(c.args) == "" {
		return c.usage()
	}
	hits, err := c.tx.Find(c.comm.ID, c.args)
	if err != nil {
		return err
	}
	loc := c.comm.Location()
	type hit struct {
		Kind, Ref, Text string
		At              any
	}
	var out []hit
	for _, h := range hits {
		out = append(out, hit{Kind: h.Kind, Ref: h.Ref, Text: h.Text, At: h.At.In(loc)})
	}
	c.reply("find", map[string]any{"Query": c.args, "Hits": out})
	return nil
}

// directText answers text written to the bot that is not a command: the next step
// of an open dialog, or a hint.
func (c *call) directText(text string) error {
	d, err := c.tx.Dialog(c.person.ID)
	if err != nil {
		return err
	}
	if d != nil {
		if fn := c.b.dialogs[d.Kind]; fn != nil {
			return fn(c, d, text)
		}
	}
	if c.ev.Bare { // "projects" typed where a slash cannot start a message
		if name, _, ok := ParseCommand("/" + text); ok {
			if _, cmd := c.b.lookup(name); cmd != nil {
				return c.command("/" + text)
			}
		}
	}
	c.reply("dm.hint", nil)
	return nil
}
