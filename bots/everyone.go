package bots

import (
	"slices"
	"strings"

	"github.com/engage-org/engage/core"
)

// helpSections lists the commands /help shows, by section. A section's id is also
// what /help SECTION takes (or its French word, from the aliases).
var helpSections = []struct {
	id   string
	cmds []string
}{
	{"everyone", []string{"help", "lang", "me", "link", "forgetme", "find"}},
	{"community", []string{"community", "role", "members"}},
	{"projects", []string{"projects", "project", "referent", "follow", "unfollow", "like", "news", "nextstep", "needs", "offer", "contact"}},
	{"polls", []string{"poll", "polls", "vote", "proxy"}},
	{"campaigns", []string{"campaigns", "campaign", "reward", "stretch", "pledge", "collect", "spend", "refund", "ledger", "allocate", "schedule", "ask", "answer", "faq"}},
	{"facilitation", []string{"slot", "backup", "away", "checkin", "meeting", "digest", "impact", "dashboard"}},
}

// helpRole is the least role that may use any part of a command; /help does not
// show the command to members below it. Referent commands are shown to the
// referents of a project too, whatever their role. Commands absent here are
// everyone's (some of their forms are for organisers: their help says so).
var helpRole = map[string]core.Role{
	"role":    core.RoleAdmin,
	"members": core.RoleFacilitator, "contact": core.RoleFacilitator, "backup": core.RoleFacilitator,
	"digest": core.RoleFacilitator, "impact": core.RoleFacilitator, "allocate": core.RoleFacilitator,
	"dashboard": core.RoleFacilitator,
	"referent":  core.RoleReferent, "news": core.RoleReferent, "nextstep": core.RoleReferent,
	"needs": core.RoleReferent, "checkin": core.RoleReferent, "reward": core.RoleReferent,
	"stretch": core.RoleReferent, "collect": core.RoleReferent, "spend": core.RoleReferent,
	"refund": core.RoleReferent, "answer": core.RoleReferent,
}

// helpShows reports whether /help shows cmd to the asker: always outside a
// community (it is then a manual), else when their role, or their being a
// project's referent, allows some use of it.
func (c *turn) helpShows(cmd string, referent bool) bool {
	need, ok := helpRole[cmd]
	if !ok || c.member == nil {
		return true
	}
	return c.member.Role.AtLeast(need) || need == core.RoleReferent && referent
}

// isReferent reports whether the asker is a referent of a project of the community.
func (c *turn) isReferent() (bool, error) {
	if c.member == nil {
		return false, nil
	}
	ps, err := c.tx.Projects(c.comm.ID, nil)
	if err != nil {
		return false, err
	}
	for _, p := range ps {
		if slices.Contains(p.Referents, c.member.Person) {
			return true, nil
		}
	}
	return false, nil
}

type section struct {
	ID, Title, Topic string   // Topic: what to type after /help for this section
	Names            []string // the commands, for the overview
	Lines            []string // their help, for the section
}

// cmdHelp: /help — a short overview of what the asker may do, by section;
// /help SECTION — that section's commands in full; /help COMMAND — one command.
func cmdHelp(c *turn) error {
	referent, err := c.isReferent()
	if err != nil {
		return err
	}
	sectionOf := func(i int) section {
		s := helpSections[i]
		sec := section{ID: s.id, Title: c.text("help.section."+s.id, nil), Topic: c.text("help.topic."+s.id, nil)}
		for _, name := range s.cmds {
			if c.helpShows(name, referent) {
				line := c.text("help."+name, nil)
				// The command as its help writes it in this language (/aide, /sondage).
				shown := "/" + name
				if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], "/") {
					shown = f[0]
				}
				sec.Names = append(sec.Names, shown)
				sec.Lines = append(sec.Lines, line)
			}
		}
		return sec
	}
	for i, s := range helpSections {
		if c.sub(s.id) {
			c.reply("help.section", sectionOf(i))
			return nil
		}
	}
	if name := strings.TrimPrefix(c.word(), "/"); name != "" {
		full, cmd := c.b.lookup(strings.ToLower(name))
		if cmd == nil {
			return core.Errorf(core.CodeNotFound, "err.unknown_command", "name", "/"+name)
		}
		c.reply("help."+full, nil)
		return nil
	}
	var sections []section
	for i := range helpSections {
		if sec := sectionOf(i); len(sec.Names) > 0 {
			sections = append(sections, sec)
		}
	}
	c.reply("help", helpText{Sections: sections, InCommunity: c.comm != nil})
	return nil
}

// cmdStart: /start [link-CODE | pledge-COMMUNITY-C1] — the first message of a
// direct conversation (Telegram sends it, with the deep-link payload).
func cmdStart(c *turn) error {
	w := c.word()
	if code, ok := strings.CutPrefix(w, "link-"); ok {
		c.args = code
		return cmdLink(c)
	}
	if ref, ok := strings.CutPrefix(w, "pledge-"); ok {
		return startPledge(c, ref)
	}
	c.reply("start", startText{Name: c.person.Name})
	return nil
}

// cmdLang: /lang fr|en.
func cmdLang(c *turn) error {
	lang := c.word()
	if lang == "" {
		return c.usage()
	}
	if err := c.tx.SetLang(c.person, lang); err != nil {
		return err
	}
	c.lang, c.own = c.person.Lang, c.person.Lang
	c.replyPrivate("lang.set", nil) // a member's own setting: in a group, only they see it
	return nil
}

type membership struct {
	Community, Role string
	Follows         []string
	Pledges         []mePledge
}

// cmdMe: /me — roles, linked accounts, follows and open prompts, privately.
func cmdMe(c *turn) error {
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
	c.replyPrivate("me", meText{
		Name: c.person.Name, Lang: lang, Identities: c.person.Identities,
		Memberships: ms, Prompt: prompt,
	})
	return nil
}

// cmdLink: /link gives a code; /link CODE joins this account to the code's person.
func cmdLink(c *turn) error {
	code := c.word()
	if code == "" {
		code, err := c.tx.LinkCode(c.person)
		if err != nil {
			return err
		}
		c.replyPrivate("link.code", linkCodeText{Code: code, Minutes: 15})
		return nil
	}
	into, err := c.tx.Link(c.person, code)
	if err != nil {
		return err
	}
	c.person = into
	// Two ballots or pledges of one person became one: every posted poll, card
	// and meeting of their communities is shown again.
	comms, err := c.communitiesOf(into)
	if err != nil {
		return err
	}
	if err := c.inEach(comms, c.refreshPeople); err != nil {
		return err
	}
	var platforms []string
	for _, id := range into.Identities {
		if !slices.Contains(platforms, id.Platform) {
			platforms = append(platforms, id.Platform)
		}
	}
	c.replyPrivate("link.done", linkDoneText{Name: into.Name, Platforms: platforms})
	return nil
}

// cmdForgetMe: /forgetme asks to confirm; /forgetme confirm erases.
func cmdForgetMe(c *turn) error {
	switch {
	case c.sub("confirm"):
		comms, err := c.communitiesOf(c.person)
		if err != nil {
			return err
		}
		// A place they held at a meeting goes to the next waiting.
		if err := c.inEach(comms, c.leaveMeetings); err != nil {
			return err
		}
		if err := c.tx.Forget(c.person); err != nil {
			return err
		}
		// Every posted poll, card and meeting is shown again without them.
		if err := c.inEach(comms, c.refreshPeople); err != nil {
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

type hit struct {
	Kind, Ref, Title, Text, Status string
	At                             any
}

// cmdFind: /find WORDS over the community's sharing space.
func cmdFind(c *turn) error {
	if strings.TrimSpace(c.args) == "" {
		return c.usage()
	}
	hits, err := c.tx.Find(c.comm.ID, c.args)
	if err != nil {
		return err
	}
	loc := c.comm.Location()
	var out []hit
	for _, h := range hits {
		out = append(out, hit{Kind: h.Kind, Ref: h.Ref, Title: h.Title, Text: h.Text, Status: h.Status, At: h.At.In(loc)})
	}
	c.reply("find", findText{Query: c.args, Hits: out})
	return nil
}

// directText answers text written to the bot that is not a command: the next step
// of an open dialog, or a hint.
func (c *turn) directText(text string) error {
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

// startText is what the text start shows.
type startText struct {
	Name string
}

// linkCodeText is what the text link.code shows.
type linkCodeText struct {
	Code    string
	Minutes int
}

// linkDoneText is what the text link.done shows.
type linkDoneText struct {
	Name      string
	Platforms []string
}

// helpText is what the text help shows.
type helpText struct {
	Sections    []section
	InCommunity bool
}

// meText is what the text me shows.
type meText struct {
	Name        string
	Lang        string
	Identities  []core.Identity
	Memberships []membership
	Prompt      string
}

// findText is what the text find shows.
type findText struct {
	Query string
	Hits  []hit
}
