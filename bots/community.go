package bots

import (
	"strings"

	"github.com/engage-org/engage/core"
)

// cmdCommunity: /community create NAME [tz ZONE] [lang fr|en] · invite · join CODE
// · (nothing: show the community).
func cmdCommunity(c *turn) error {
	switch {
	case c.sub("create"):
		return communityCreate(c)
	case c.sub("invite"):
		if err := c.needCommunity(); err != nil {
			return err
		}
		code, err := c.tx.InviteChat(c.member)
		if err != nil {
			return err
		}
		c.replyPrivate("community.invite", communityInviteText{Code: code, Name: c.comm.Name})
		return nil
	case c.sub("llm"):
		return communityLLM(c)
	case c.sub("publish", "share"): // "publier" is share's French alias
		return communityPublish(c)
	case c.sub("join"):
		code := c.word()
		if code == "" {
			return c.usage()
		}
		comm, err := c.tx.JoinChat(c.person.ID, c.chatRef(), c.ev.Direct, code)
		if err != nil {
			return err
		}
		c.comm = comm
		if err := c.post("community.joined", communityJoinedText{Name: comm.Name, Platform: c.ev.Platform, Chats: len(comm.Chats)}, nil); err != nil {
			return err
		}
		return nil
	case strings.TrimSpace(c.args) == "":
		if err := c.needCommunity(); err != nil {
			return err
		}
		c.reply("community.show", communityShowText{C: c.comm, Chats: len(c.comm.Chats)})
		return nil
	}
	return c.usage()
}

func (c *turn) chatRef() core.ChatRef {
	return core.ChatRef{Platform: c.ev.Platform, ChatID: c.ev.ChatID, Title: c.ev.ChatTitle}
}

// communityCreate reads NAME [tz ZONE] [lang fr|en], the settings at the end.
func communityCreate(c *turn) error {
	words := strings.Fields(c.args)
	tz, lang := c.b.cfg.TimeZone, ""
settings:
	for len(words) >= 3 {
		k := core.Fold(words[len(words)-2])
		v := words[len(words)-1]
		switch {
		case k == "tz" || c.b.aliases[k] == "tz":
			tz = v
		case k == "lang" || c.b.aliases[k] == "lang":
			lang = strings.ToLower(v)
		default:
			break settings
		}
		words = words[:len(words)-2]
	}
	if lang == "" {
		lang = c.lang
	}
	name := strings.Join(words, " ")
	if name == "" {
		return c.usage()
	}
	comm, err := c.tx.CreateCommunity(c.person.ID, c.chatRef(), c.ev.Direct, name, tz, lang)
	if err != nil {
		return err
	}
	c.comm = comm
	if c.member, err = c.tx.Member(comm.ID, c.person.ID); err != nil {
		return err
	}
	if c.person.Lang == "" {
		c.own = comm.Lang
	}
	c.lang = c.placeLang()
	c.reply("community.created", communityCreatedText{C: comm, Admin: c.person.Name})
	return nil
}

// mention resolves a mention token ("@alice", "<@U123>") to a member of the
// community in context.
func (c *turn) mention(tok string) (*core.Member, *core.Person, error) {
	if tok == "" {
		return nil, nil, c.usage()
	}
	return c.tx.FindMember(c.comm.ID, c.ev.Platform, c.ev.Mentions[tok], tok)
}

// cmdRole: /role @member ROLE.
func cmdRole(c *turn) error {
	tok := c.word()
	roleName := c.word()
	if tok == "" || roleName == "" {
		return c.usage()
	}
	role, ok := core.ParseRole(roleName)
	if !ok {
		return core.Errorf(core.CodeInvalid, "err.bad_role", "role", roleName)
	}
	if !c.member.Role.AtLeast(core.RoleAdmin) {
		return core.Errorf(core.CodeForbidden, "err.forbidden_role", "role", core.RoleAdmin)
	}
	target, p, err := c.mention(tok)
	if err != nil {
		return err
	}
	if _, err := c.tx.SetRole(c.member, target.Person, role); err != nil {
		return err
	}
	c.reply("role.set", roleSetText{Name: p.Name, Role: string(role)})
	return nil
}

// cmdMembers: /members — counts by role and activity.
func cmdMembers(c *turn) error {
	st, err := c.tx.MemberStats(c.member)
	if err != nil {
		return err
	}
	byRole := map[string]int{}
	for r, n := range st.ByRole {
		byRole[string(r)] = n
	}
	h, err := c.tx.Health(c.comm.ID)
	if err != nil {
		return err
	}
	c.reply("members", membersText{S: st, ByRole: byRole, H: h})
	return nil
}

// communityInviteText is what the text community.invite shows.
type communityInviteText struct {
	Code string
	Name string
}

// communityJoinedText is what the text community.joined shows.
type communityJoinedText struct {
	Name     string
	Platform string
	Chats    int
}

// communityShowText is what the text community.show shows.
type communityShowText struct {
	C     *core.Community
	Chats int
}

// communityCreatedText is what the text community.created shows.
type communityCreatedText struct {
	C     *core.Community
	Admin string
}

// roleSetText is what the text role.set shows.
type roleSetText struct {
	Name string
	Role string
}

// membersText is what the text members shows.
type membersText struct {
	S      *core.MemberStats
	ByRole map[string]int
	H      *core.Health
}
