package bots

import (
	"errors"
	"math/big"
	"strings"
	"time"

	"github.com/engage-org/engage/core"
)

// pollEditDelay is how long the poll message waits before it is edited: the
// ballots cast meanwhile make one edit (the outbox coalesces them).
const pollEditDelay = 3 * time.Second

// cmdPoll: /poll new METHOD QUESTION | OPTION | … [settings] · /poll V1 · /poll V1 close.
func cmdPoll(c *turn) error {
	if c.sub("new") {
		return pollNew(c)
	}
	id := c.word()
	if id == "" {
		return c.usage()
	}
	p, err := c.tx.Poll(c.comm.ID, id)
	if err != nil {
		return err
	}
	for _, action := range []string{"nonvoters", "turnout"} {
		if c.sub(action) {
			if strings.TrimSpace(c.args) != "" {
				return c.usage()
			}
			return pollNonVoters(c, p, action == "nonvoters")
		}
	}
	if c.sub("close") {
		if strings.TrimSpace(c.args) != "" {
			return c.usage()
		}
		res, err := c.tx.ClosePoll(c.member, p)
		if err != nil {
			return err
		}
		if err := c.pollClosed(p, res); err != nil {
			return err
		}
		if c.ev.Direct {
			c.reply("poll.closed_done", pollClosedDoneText{ID: p.ID()})
		}
		return nil
	}
	if strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	return pollShow(c, p)
}

// cmdPolls: /polls — the open polls.
func cmdPolls(c *turn) error {
	ps, err := c.tx.Polls(c.comm.ID, true)
	if err != nil {
		return err
	}
	more := 0
	if len(ps) > maxListed {
		more, ps = len(ps)-maxListed, ps[len(ps)-maxListed:]
	}
	var vs []pollView
	for _, p := range ps {
		vs = append(vs, c.pollViewOf(p, c.lang))
	}
	c.reply("polls", pollsText{Polls: vs, More: more})
	return nil
}

// pollNew opens a poll from `/poll new …`.
func pollNew(c *turn) error {
	pc := &pollContext{
		lang: c.own, now: c.tx.Now(), loc: c.comm.Location(), locale: c.dateLocale(c.comm), aliases: c.b.aliases,
		mention:  func(w string) bool { return isMention(w) || c.ev.Mentions[w] != "" },
		currency: c.b.cfg.Currency,
	}
	req, err := parsePollNew(c.args, pc)
	if errors.Is(err, errUsage) {
		return c.usage()
	} else if err != nil {
		return err
	}
	for _, tok := range req.jury {
		m, _, err := c.mention(tok)
		if err != nil {
			return err
		}
		req.spec.Settings.Jury = append(req.spec.Settings.Jury, m.Person)
	}
	c.resolveSlots(&req.spec)
	_, err = c.openPoll(req.spec)
	return err
}

// openPoll opens a poll in the community in context, as the actor, and posts it
// with its buttons to every linked chat. Other commands open polls through it (a
// meeting's date poll: Method tally.Date, one option per slot with Slot set).
func (c *turn) openPoll(spec core.PollSpec) (*core.Poll, error) {
	if err := c.needCommunity(); err != nil {
		return nil, err
	}
	p, err := c.tx.OpenPoll(c.member, spec)
	if err != nil {
		return nil, err
	}
	if err := c.postPoll(p); err != nil {
		return nil, err
	}
	if c.ev.Direct {
		c.reply("poll.opened", pollOpenedText{ID: p.ID(), Question: p.Question})
	}
	return p, nil
}

// pollShow answers /poll V1: the poll with its tally when visible and its buttons
// while open; once closed, the result with its chart.
func pollShow(c *turn, p *core.Poll) error {
	if p.Open() {
		rows, err := c.pollVoteRows(p, c.lang)
		if err != nil {
			return err
		}
		c.reply("poll.message", c.pollViewOf(p, c.lang), rows...)
		return nil
	}
	res, err := c.tx.PollResult(p)
	if err != nil {
		return err
	}
	att, err := c.pollChart(p, res, c.lang)
	if err != nil {
		return err
	}
	c.replyFile(att, "poll.result", c.pollResult(p, res, c.lang))
	return nil
}

// jobPollClose closes a poll at its deadline and posts its result.
func jobPollClose(c *turn, j *core.Job) error {
	tx, comm := c.tx, c.comm
	p, err := tx.Poll(comm.ID, j.Ref)
	if err != nil {
		return err
	}
	if !p.Open() {
		return nil
	}
	res, err := tx.ClosePoll(nil, p)
	if err != nil {
		return err
	}
	return c.pollClosed(p, res)
}

// ratString shows an exact value with at most one decimal, with the decimal
// mark of lang ("12", "12.5", in French "12,5").
func ratString(r *big.Rat, lang string) string {
	if r == nil {
		return "0"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	s := r.FloatString(1)
	if lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// pct shows a percentage with one decimal at most, in lang's decimal mark.
func pct(part, whole int, lang string) string {
	if whole == 0 {
		return "0"
	}
	return ratString(big.NewRat(int64(part)*100, int64(whole)), lang)
}

// pollClosedDoneText is what the text poll.closed_done shows.
type pollClosedDoneText struct {
	ID string
}

// pollsText is what the text polls shows.
type pollsText struct {
	Polls []pollView
	More  int
}

// pollOpenedText is what the text poll.opened shows.
type pollOpenedText struct {
	ID       string
	Question string
}
