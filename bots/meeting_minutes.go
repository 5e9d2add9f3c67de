package bots

import (
	"slices"
	"strings"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// minutesView is what the posted minutes show.
type minutesView struct {
	M       mView
	By      string
	Text    string
	C       core.MeetingCounts
	Results []string // each poll's result, as its result message
	Again   bool     // minutes posted before are replaced
}

// meetingMinutes: /meeting M1 minutes TEXT (facilitators, admins), once the meeting
// has started: the minutes are kept, found by /find, and posted to every chat of
// the community with the results of the polls held during the meeting.
func meetingMinutes(c *turn, m *core.Meeting) error {
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	text := strings.TrimSpace(c.args)
	if text == "" {
		return c.usage()
	}
	again := m.Minutes != ""
	if err := c.tx.SetMinutes(c.member, m, text); err != nil {
		return err
	}
	polls, err := meetingPolls(c.tx, c.comm, m)
	if err != nil {
		return err
	}
	lang := c.comm.Lang
	v := minutesView{M: meetingView(m, c.comm.Location()), By: c.person.Name, Text: m.Minutes, C: m.Counts(), Again: again}
	for _, p := range polls {
		res, err := c.tx.PollResult(p)
		if err != nil {
			return err
		}
		if p.Method == tally.STV {
			v.Results = append(v.Results, c.b.cat.Text(lang, "poll.result_stv", c.pollSTVResult(p, res, lang)))
		} else {
			v.Results = append(v.Results, c.b.cat.Text(lang, "poll.result", c.pollResult(p, res, lang)))
		}
	}
	if err := c.post("meeting.minutes", v, nil); err != nil {
		return err
	}
	if err := c.refreshMeetingCard(m); err != nil {
		return err
	}
	if c.ev.Direct {
		c.reply("meeting.minutes_done", v)
	}
	return nil
}

// meetingPolls returns the polls held for meeting m: the community's closed polls
// attached to it (`meeting M1`), and those closed between its start and its end,
// in the order they were opened.
func meetingPolls(tx *core.Tx, comm *core.Community, m *core.Meeting) ([]*core.Poll, error) {
	polls, err := tx.Polls(comm.ID, false)
	if err != nil {
		return nil, err
	}
	loc := comm.Location()
	start, end := m.Start(loc), m.End(loc)
	var out []*core.Poll
	for _, p := range polls {
		held := p.Meeting == m.ID() || !p.Closed.Before(start) && !p.Closed.After(end) // attached, or closed during it
		if p.Status != core.PollClosed || !held {
			continue
		}
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b *core.Poll) int { return a.Num - b.Num })
	return out, nil
}
