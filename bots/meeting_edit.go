package bots

import (
	"errors"
	"strings"
	"time"

	"github.com/engage-org/engage/bots/when"
	"github.com/engage-org/engage/core"
)

// meetingMove: /meeting M1 move DATE (facilitators, admins). A date without a time
// keeps the meeting's time of day. The community is told in its chats, with the new
// calendar file, and each member privately.
func meetingMove(c *turn, m *core.Meeting) error {
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	args := strings.TrimSpace(c.args)
	if args == "" {
		return c.usage()
	}
	loc := c.comm.Location()
	d, err := c.parseDate(args, loc)
	if errors.Is(err, when.ErrNoDate) {
		return core.Errorf(core.CodeInvalid, "err.bad_date", "text", args)
	} else if err != nil {
		return err
	}
	at, allDay := d.Time, !d.HasTime
	if allDay && !m.AllDay {
		t := m.At.In(loc)
		at, allDay = time.Date(at.Year(), at.Month(), at.Day(), t.Hour(), t.Minute(), 0, 0, loc), false
	}
	from := meetingView(m, loc)
	if err := c.tx.MoveMeeting(c.member, m, at, allDay); err != nil {
		return err
	}
	data := meetingEditText{M: meetingView(m, loc), From: &from, By: c.person.Name}
	att := meetingICS(c.comm, m, c.tx.Now())
	if err := c.post("meeting.moved", data, att); err != nil {
		return err
	}
	if err := c.tellMembers(m, "meeting.moved_dm", data, att); err != nil {
		return err
	}
	if err := c.refreshMeetingCard(m); err != nil {
		return err
	}
	if c.ev.Direct {
		c.reply("meeting.moved_done", data)
	}
	return nil
}

// meetingCancel: /meeting M1 cancel asks to confirm, with buttons; /meeting M1
// cancel confirm calls the meeting off (facilitators, admins): its reminders are
// removed, the community is told in its chats and each member privately.
func meetingCancel(c *turn, m *core.Meeting) error {
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	loc := c.comm.Location()
	data := meetingEditText{M: meetingView(m, loc), By: c.person.Name}
	if !c.sub("confirm") {
		if strings.TrimSpace(c.args) != "" {
			return c.usage()
		}
		if !m.Canceled.IsZero() {
			return core.Errorf(core.CodeConflict, "err.meeting_canceled", "id", m.ID())
		}
		row, err := c.buttons(c.text("meeting.cancel_yes", data), "/meeting "+m.ID()+" cancel confirm",
			c.text("meeting.cancel_no", data), "/meeting "+m.ID())
		if err != nil {
			return err
		}
		c.reply("meeting.cancel_ask", data, row)
		return nil
	}
	if strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	if err := c.tx.CancelMeeting(c.member, m); err != nil {
		return err
	}
	att := meetingICS(c.comm, m, c.tx.Now()) // removes the event from calendars that have it
	if err := c.post("meeting.canceled", data, att); err != nil {
		return err
	}
	if err := c.tellMembers(m, "meeting.canceled_dm", data, att); err != nil {
		return err
	}
	if err := c.refreshMeetingCard(m); err != nil {
		return err // the card shows it canceled, without its buttons
	}
	if c.ev.Direct {
		c.reply("meeting.canceled_done", data)
	}
	return nil
}

// tellMembers sends key privately to every member of the community but the actor,
// each in their language. Those who answered m's invitation coming, maybe or
// waiting are told their answer ("Answer" in data, "" for the others), with a
// calendar file carrying it, and the answers' buttons when the meeting is moved.
func (c *turn) tellMembers(m *core.Meeting, key string, data meetingEditText, att *Attachment) error {
	ms, err := c.tx.Members(c.comm.ID)
	if err != nil {
		return err
	}
	for _, mb := range ms {
		if mb.Person == c.person.ID {
			continue
		}
		d := data
		d.Answer = ""
		a, rows := att, [][]btn(nil)
		switch r := m.Answer(mb.Person); r {
		case core.RSVPYes, core.RSVPMaybe, core.RSVPWaiting:
			d.Answer = string(r)
			if m.Canceled.IsZero() {
				a = personalICS(c.tx, c.comm, m, mb.Person)
				rows = [][]btn{rsvpButtons(m)}
			}
		}
		if err := c.dm(mb.Person, key, d, a, rows...); err != nil {
			return err
		}
	}
	return nil
}

// meetingEditText is what the texts meeting.moved, meeting.moved_dm, meeting.moved_done, meeting.cancel_ask, meeting.cancel_yes, meeting.cancel_no, meeting.canceled, meeting.canceled_dm, meeting.canceled_done show.
type meetingEditText struct {
	M      mView
	From   *mView // where a moved meeting was
	By     string
	Answer string // the addressee's answer to the invitation (core.RSVP), if any
}
