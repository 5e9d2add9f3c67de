package bots

import (
	"strings"
	"time"

	"github.com/engage-org/engage/core"
)

// This file is the conversation of assemblies: proxies (/proxy M1 @member), the
// ballot a proxy holder casts for its giver (/vote V1 CHOICE for @alice), the
// turnout and the non-voters of a poll (/poll V1 nonvoters), and the reminder of
// the electorate's non-voters before a poll closes.

// assemblyView is what a poll's message and result show of its assembly
// settings: who may vote, the meeting, the quorum of those present, the weight.
type assemblyView struct {
	Voters        string // "", "members-at-open", "role", "present", "shareholders"
	Role          string // voters role ROLE
	Campaign      string // voters shareholders C1
	Meeting       string
	QuorumPresent int    // percent of those present or represented
	Needed        int    // ballots the quorum of those present needs now (0: unknown)
	WeightedBy    string // the equity campaign whose shares weigh ballots
	Weight        int    // the ballots' total weight
	Any           bool   // any of the above is set: the line is shown
	Open          bool   // the poll is open
}

// assembly returns p's assembly view.
func (c *turn) pollAssembly(p *core.Poll, weight int) assemblyView {
	s := p.Settings
	v := assemblyView{
		Voters: s.Voters, Role: string(s.VotersRole), Campaign: s.VotersCampaign, Meeting: p.Meeting,
		QuorumPresent: s.QuorumPresent, WeightedBy: s.WeightShares, Weight: weight, Open: p.Open(),
	}
	if s.QuorumPresent > 0 {
		if need, err := c.tx.PresentQuorum(p); err == nil {
			v.Needed = need
		}
	}
	v.Any = v.Voters != "" || v.Meeting != "" || v.WeightedBy != ""
	return v
}

// proxyView is what the answers to /proxy show.
type proxyView struct {
	Meeting, Title string
	Giver, Holder  string
	Previous       string // the holder of the proxy it replaces ("" if none)
	Held           []string
	Max            int
}

// cmdProxy: /proxy M1 @member gives one's vote for the meeting's polls to a
// member; /proxy M1 cancel withdraws it; /proxy M1 shows whom one gave it to and
// whose one holds. Every member.
func cmdProxy(c *turn) error {
	c.private = true
	id := c.word()
	if id == "" {
		return c.usage()
	}
	m, err := c.tx.Meeting(c.comm.ID, id)
	if err != nil {
		return err
	}
	v := proxyView{Meeting: m.ID(), Title: m.Title, Max: c.maxProxies()}
	switch {
	case c.sub("cancel"):
		if strings.TrimSpace(c.args) != "" {
			return c.usage()
		}
		px, err := c.tx.CancelProxy(c.member, m)
		if err != nil {
			return err
		}
		v.Giver, v.Holder = c.person.Name, c.personName(px.Holder)
		if err := c.proxiesChanged(m); err != nil {
			return err
		}
		c.replyPrivate("proxy.canceled", v)
		return c.dm(px.Holder, "proxy.canceled_holder", v, nil)
	case strings.TrimSpace(c.args) == "":
		return proxyShow(c, m, v)
	}
	tok := c.word()
	if strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	holder, hp, err := c.mention(tok)
	if err != nil {
		return err
	}
	px, previous, err := c.tx.GiveProxy(c.member, m, holder, c.maxProxies(), c.comm.Location())
	if err != nil {
		return err
	}
	v.Giver, v.Holder = c.person.Name, hp.Name
	if previous == px {
		c.replyPrivate("proxy.already", v)
		return nil
	}
	if previous != nil {
		v.Previous = c.personName(previous.Holder)
	}
	if err := c.proxiesChanged(m); err != nil {
		return err
	}
	c.replyPrivate("proxy.given", v)
	if previous != nil {
		if err := c.dm(previous.Holder, "proxy.canceled_holder", proxyView{Meeting: m.ID(), Title: m.Title, Giver: c.person.Name, Max: v.Max}, nil); err != nil {
			return err
		}
	}
	return c.dm(holder.Person, "proxy.given_holder", v, nil)
}

// proxiesChanged refreshes m's card when it shows who is represented (the
// meeting has started).
func (c *turn) proxiesChanged(m *core.Meeting) error {
	if c.tx.Now().Before(m.Start(c.comm.Location())) {
		return nil
	}
	return c.refreshMeetingCard(m)
}

// proxyShow answers /proxy M1: whom the member gave their proxy to, whose they hold.
func proxyShow(c *turn, m *core.Meeting, v proxyView) error {
	proxies, err := c.tx.MeetingProxies(m)
	if err != nil {
		return err
	}
	v.Held = []string{}
	for _, px := range proxies {
		switch c.person.ID {
		case px.Giver:
			v.Holder = c.personName(px.Holder)
		case px.Holder:
			v.Held = append(v.Held, c.personName(px.Giver))
		}
	}
	c.replyPrivate("proxy.show", v)
	return nil
}

// maxProxies is the most proxies a member may hold for one meeting.
func (c *turn) maxProxies() int {
	if c.b.cfg.MaxProxies > 0 {
		return c.b.cfg.MaxProxies
	}
	return core.DefaultMaxProxies
}

// personName returns a person's name ("" when forgotten).
func (c *turn) personName(id core.PersonID) string {
	if p, err := c.tx.Person(id); err == nil {
		return p.Name
	}
	return ""
}

// cutProxy splits "CHOICE for @alice" (French « pour @alice ») into the choice and
// the mention; ok is false when the text does not end so.
func (c *turn) cutProxy(text string) (choice, tok string, ok bool) {
	words := strings.Fields(text)
	if len(words) < 2 {
		return text, "", false
	}
	w := core.Fold(words[len(words)-2])
	last := words[len(words)-1]
	if (w != "for" && c.b.alias(w) != "for") || !(isMention(last) || c.ev.Mentions[last] != "") {
		return text, "", false
	}
	rest := strings.TrimSpace(text[:strings.LastIndex(text, last)])
	rest = strings.TrimSpace(rest[:len(rest)-len(words[len(words)-2])])
	return rest, last, true
}

// proxyCastView is what the giver is told when their proxy voted for them.
type proxyCastView struct {
	ID, Question, Holder, Meeting string
	Ballot                        string // "" in a secret poll
	Changed                       bool
}

// tellGiver writes to the giver that their proxy cast a ballot for them: the
// choice in a public poll, only that a ballot was cast in a secret one.
func (c *turn) tellGiver(p *core.Poll, giver core.PersonID, ballot string, changed bool) error {
	v := proxyCastView{ID: p.ID(), Question: p.Question, Holder: c.person.Name, Meeting: p.Meeting, Changed: changed}
	if !p.Settings.Secret {
		v.Ballot = ballot
	}
	return c.dm(giver, "vote.proxy_cast", v, nil)
}

// turnoutView is what /poll V1 nonvoters shows.
type turnoutView struct {
	ID, Question string
	Voted        int
	Electorate   int
	Percent      int
	Names        []string
	More         int
}

// pollNonVoters answers /poll V1 nonvoters (or turnout): the turnout among the
// electorate, and who has not voted yet. Facilitators and admins.
func pollNonVoters(c *turn, p *core.Poll, names bool) error {
	c.private = true
	t, non, err := c.tx.PollTurnout(c.member, p)
	if err != nil {
		return err
	}
	v := turnoutView{ID: p.ID(), Question: p.Question, Voted: t.Voted, Electorate: t.Electorate, Percent: t.Percent, Names: []string{}}
	if names {
		for i, m := range non {
			if i == maxListed {
				v.More = len(non) - i
				break
			}
			v.Names = append(v.Names, c.personName(m.Person))
		}
	}
	key := "poll.turnout"
	if names {
		key = "poll.nonvoters"
	}
	c.replyPrivate(key, v)
	return nil
}

// pollRemindView is the reminder a non-voter gets before a poll closes.
type pollRemindView struct {
	ID, Question string
	Until        time.Time
	Secret       bool
	Meeting      string
}

// jobPollRemind writes once to each member of the poll's electorate for whom no
// ballot was cast, with the poll's buttons: the job is taken in the transaction
// that queues the messages, so each is sent once across restarts and instances.
// Who voted is known even in a secret poll; what they chose is not read.
func jobPollRemind(c *turn, j *core.Job) error {
	tx, comm := c.tx, c.comm
	p, err := tx.Poll(comm.ID, j.Ref)
	if err != nil {
		return ignoreGone(err)
	}
	if !p.Open() {
		return nil
	}
	_, non, err := tx.Electorate(p)
	if err != nil {
		return err
	}
	v := pollRemindView{ID: p.ID(), Question: p.Question, Until: c.pollUntil(p), Secret: p.Settings.Secret, Meeting: p.Meeting}
	for _, m := range non {
		lang := comm.Lang
		if pr, err := tx.Person(m.Person); err == nil && pr.Lang != "" {
			lang = pr.Lang
		}
		rows, err := c.pollVoteRows(p, lang)
		if err != nil {
			return err
		}
		if err := c.dm(m.Person, "poll.remind", v, nil, made(rows)...); err != nil {
			return err
		}
	}
	return nil
}
