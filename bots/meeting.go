package bots

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/engage-org/engage/bots/when"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// The usual evening of a general meeting when the community has had none with a time
// yet: the date poll then offers the next three Thursdays at 19:00.
const (
	defaultMeetingDay    = time.Thursday
	defaultMeetingHour   = 19
	pollSlots            = 3
	maxPollSlots         = 10
	pollNotice           = 24 * time.Hour // the first slot offered is at least this far ahead
	meetingPollSeparator = "|"
)

// mView is what templates show of a meeting.
type mView struct {
	ID, Title string
	At        time.Time
	AllDay    bool
	Canceled  bool
}

func meetingView(m *core.Meeting, loc *time.Location) mView {
	return mView{ID: m.ID(), Title: m.Title, At: m.At.In(loc), AllDay: m.AllDay, Canceled: !m.Canceled.IsZero()}
}

// meetingPollButton opens the form that launches the date poll of the next meeting.
func meetingPollButton() btn {
	return btn{key: "meeting.btn.poll", form: func(c *turn, lang string) Form {
		return Form{
			Title: c.textIn(lang, "form.meeting_poll", nil),
			Fields: []Field{{
				Name: "slots", Label: c.textIn(lang, "form.meeting_poll.slots", nil),
				Placeholder: c.textIn(lang, "form.meeting_poll.hint", nil), Optional: true,
			}},
			Command: "/meeting poll {slots}",
		}
	}}
}

// meetingICS is the calendar file of meeting m.
func meetingICS(comm *core.Community, m *core.Meeting, now time.Time) *Attachment {
	return meetingICSFor(comm, m, now, nil)
}

// meetingICSFor is the calendar file of meeting m for one attendee (nil: for
// everyone), with their answer.
func meetingICSFor(comm *core.Community, m *core.Meeting, now time.Time, a *icsAttendee) *Attachment {
	cal := ics.NewCalendarFor("Engage")
	cal.SetMethod(ics.MethodPublish)
	ev := cal.AddEvent(fmt.Sprintf("%s-%s@engage", comm.ID, m.ID()))
	ev.SetDtStampTime(now)
	ev.SetSequence(m.Sequence)
	if !m.Canceled.IsZero() {
		cal.SetMethod(ics.MethodCancel)
		ev.SetStatus(ics.ObjectStatusCancelled)
	}
	ev.SetSummary(m.Title)
	ev.SetDescription(comm.Name)
	if m.AllDay {
		d := m.At.In(comm.Location())
		day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		ev.SetAllDayStartAt(day)
		ev.SetAllDayEndAt(day.AddDate(0, 0, 1))
	} else {
		ev.SetStartAt(m.At)
		ev.SetEndAt(m.At.Add(core.MeetingLength))
	}
	if a != nil {
		addAttendee(ev, comm, a)
	}
	return &Attachment{Name: m.ID() + ".ics", Type: "text/calendar", Data: []byte(cal.Serialize())}
}

// cmdMeeting: /meeting new DATE TITLE [places N] · /meeting [M1] · /meeting poll
// [DATE | DATE …] · /meeting M1 ACTION (move, cancel, yes, maybe, no, here, present,
// attendees, places, minutes; see idActions).
func cmdMeeting(c *turn) error {
	loc := c.comm.Location()
	switch {
	case c.sub("new", "nouvelle"):
		args, places, err := c.cutPlaces(strings.TrimSpace(c.args))
		if err != nil {
			return err
		}
		if args == "" {
			return c.usage()
		}
		d, title, err := c.findDate(args, loc)
		if errors.Is(err, when.ErrNoDate) {
			return core.Errorf(core.CodeInvalid, "err.meeting_date", "text", args)
		} else if err != nil {
			return err
		}
		m, err := c.tx.CreateMeeting(c.member, d.Time, !d.HasTime, strings.Trim(title, " ,:;-–—"))
		if err != nil {
			return err
		}
		if places > 0 {
			if _, err := c.tx.SetMeetingPlaces(c.member, m, places); err != nil {
				return err
			}
		}
		// The card, live, with the calendar file for everyone.
		if err := c.postMeetingCard(m, meetingICS(c.comm, m, c.tx.Now())); err != nil {
			return err
		}
		if c.ev.Direct {
			c.reply("meeting.created", meetingCreatedText{M: meetingView(m, loc)})
		}
		return nil
	case c.sub("poll"):
		return meetingPoll(c)
	}
	var m *core.Meeting
	if id := c.word(); id != "" {
		var err error
		if m, err = c.tx.Meeting(c.comm.ID, id); err != nil {
			return err
		}
		switch {
		case c.sub("move"):
			return meetingMove(c, m)
		case c.sub("cancel"):
			return meetingCancel(c, m)
		case c.sub("yes"):
			return meetingRSVP(c, m, core.RSVPYes)
		case c.sub("maybe"):
			return meetingRSVP(c, m, core.RSVPMaybe)
		case c.sub("no"):
			return meetingRSVP(c, m, core.RSVPNo)
		case c.sub("here"):
			return meetingHere(c, m)
		case c.sub("present"):
			return meetingPresent(c, m)
		case c.sub("attendees"):
			return meetingAttendees(c, m)
		case c.sub("places"):
			return meetingPlaces(c, m)
		case c.sub("minutes"):
			return meetingMinutes(c, m)
		case strings.TrimSpace(c.args) != "":
			return c.usage()
		}
	} else {
		next, _, err := c.tx.NextMeeting(c.comm.ID, c.tx.Now())
		if err != nil {
			return err
		}
		if next == nil {
			var rows [][]Button
			if c.member.Role.AtLeast(core.RoleFacilitator) {
				rs, err := c.rows(c.lang, [][]btn{{meetingPollButton()}})
				if err != nil {
					return err
				}
				rows = rs
			}
			c.reply("meeting.none", nil, rows...)
			return nil
		}
		m = next
	}
	var att *Attachment
	var rows [][]Button
	past := m.End(loc).Before(c.tx.Now())
	if m.Canceled.IsZero() {
		att = meetingICSFor(c.comm, m, c.tx.Now(), &icsAttendee{ID: c.person.ID, Name: c.person.Name, Answer: m.Answer(c.person.ID)})
		if !past {
			rs, err := c.rows(c.lang, [][]btn{rsvpButtons(m)})
			if err != nil {
				return err
			}
			rows = rs
		}
	}
	msg := c.here(false)
	msg.Text = c.text("meeting.show", meetingShowText{M: meetingView(m, loc), Past: past, C: m.Counts(),
		Answer: string(m.Answer(c.person.ID)), Pos: m.WaitingPosition(c.person.ID)})
	msg.Attachment, msg.Buttons = att, rows
	c.answer(msg)
	return nil
}

// meetingPoll: /meeting poll [DATE | DATE …] — a date poll for the next general
// meeting, over the dates given or the next three weeks' usual evening; refused when
// the next meeting already has a date.
func meetingPoll(c *turn) error {
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	now := c.tx.Now()
	loc := c.comm.Location()
	next, last, err := c.tx.NextMeeting(c.comm.ID, now)
	if err != nil {
		return err
	}
	if next != nil {
		return core.Errorf(core.CodeConflict, "err.meeting_dated", "id", next.ID(), "at", next.At.In(loc))
	}
	slots, err := pollDates(c, strings.TrimSpace(c.args), last, now, loc)
	if err != nil {
		return err
	}
	return openDatePoll(c, slots)
}

// pollDates reads the dates the facilitator picked ("DATE | DATE"), or offers the
// next pollSlots weeks' usual evening: the weekday and time of the last meeting that
// had one, else Thursday at 19:00.
func pollDates(c *turn, args string, last *core.Meeting, now time.Time, loc *time.Location) ([]time.Time, error) {
	var out []time.Time
	if args != "" {
		for _, part := range strings.Split(args, meetingPollSeparator) {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			d, err := c.parseDate(part, loc)
			if errors.Is(err, when.ErrNoDate) {
				return nil, core.Errorf(core.CodeInvalid, "err.bad_date", "text", part)
			} else if err != nil {
				return nil, err
			}
			if !d.End().After(now) {
				return nil, core.Errorf(core.CodeInvalid, "err.date_past")
			}
			out = append(out, d.Time)
		}
		if len(out) < 2 || len(out) > maxPollSlots {
			return nil, core.Errorf(core.CodeInvalid, "err.poll_slots", "min", 2, "max", maxPollSlots)
		}
		return out, nil
	}
	day, hour, minute := defaultMeetingDay, defaultMeetingHour, 0
	if last != nil && !last.AllDay {
		t := last.At.In(loc)
		day, hour, minute = t.Weekday(), t.Hour(), t.Minute()
	}
	from := now.Add(pollNotice).In(loc)
	for k := 0; len(out) < pollSlots; k++ {
		d := time.Date(from.Year(), from.Month(), from.Day()+k, hour, minute, 0, 0, loc)
		if d.Weekday() == day && d.After(from) {
			out = append(out, d)
		}
	}
	return out, nil
}

// openDatePoll opens the date poll of the next meeting over slots, in every chat of
// the community. It closes half a day before the first slot (if that leaves time to
// answer), and is refused while another date poll is open.
func openDatePoll(c *turn, slots []time.Time) error {
	if open, err := openDatePollOf(c.tx, c.comm.ID); err != nil {
		return err
	} else if open != nil {
		return core.Errorf(core.CodeConflict, "err.meeting_poll_open", "id", open.ID())
	}
	loc := c.comm.Location()
	spec := core.PollSpec{
		Method:   tally.Date,
		Question: c.b.cat.Text(c.comm.Lang, "meeting.poll_question", nil),
	}
	for _, s := range slots {
		spec.Options = append(spec.Options, core.PollOption{
			Label: c.b.cat.Text(c.comm.Lang, "meeting.poll_slot", meetingPollSlotText{At: s.In(loc)}),
			Slot:  s,
		})
	}
	slices.SortFunc(spec.Options, func(a, b core.PollOption) int { return a.Slot.Compare(b.Slot) })
	if until := spec.Options[0].Slot.Add(-12 * time.Hour); until.After(c.tx.Now().Add(time.Hour)) {
		spec.Settings.Until = until
	}
	p, err := c.openPoll(spec)
	if err != nil {
		return err
	}
	if !c.ev.Direct {
		return nil // the poll itself is the answer, in the chat
	}
	var in []time.Time
	for _, o := range p.Options {
		in = append(in, o.Slot.In(loc))
	}
	c.reply("meeting.poll_opened", meetingPollOpenedText{ID: p.ID(), Slots: in, Until: p.Settings.Until.In(loc), HasUntil: !p.Settings.Until.IsZero()})
	return nil
}

// openDatePollOf returns community c's open date poll, or nil.
func openDatePollOf(tx *core.Tx, c core.CommunityID) (*core.Poll, error) {
	polls, err := tx.Polls(c, true)
	if err != nil {
		return nil, err
	}
	for _, p := range polls {
		if p.Method == tally.Date {
			return p, nil
		}
	}
	return nil, nil
}

// jobMeetingRemind reminds the community of a meeting, with its calendar file.
func jobMeetingRemind(c *turn, j *core.Job) error {
	tx, comm := c.tx, c.comm
	m, err := tx.Meeting(comm.ID, j.Ref)
	if err != nil {
		return ignoreGone(err)
	}
	days, _ := strconv.Atoi(string(j.Data))
	if err := c.post("meeting.remind", meetingRemindText{M: meetingView(m, comm.Location()), Days: days}, meetingICS(comm, m, tx.Now())); err != nil {
		return err
	}
	return c.remindAttendees(m, days)
}

// meetingCreatedText is what the text meeting.created shows.
type meetingCreatedText struct {
	M mView
}

// meetingPollSlotText is what the text meeting.poll_slot shows.
type meetingPollSlotText struct {
	At time.Time
}

// meetingPollOpenedText is what the text meeting.poll_opened shows.
type meetingPollOpenedText struct {
	ID       string
	Slots    []time.Time
	Until    time.Time
	HasUntil bool
}

// meetingShowText is what the text meeting.show shows.
type meetingShowText struct {
	M      mView
	Past   bool
	C      core.MeetingCounts
	Answer string // the asker's answer to the invitation, if any
	Pos    int    // their place on the waiting list
}

// meetingRemindText is what the text meeting.remind shows.
type meetingRemindText struct {
	M    mView
	Days int
}
