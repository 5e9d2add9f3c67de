package bots

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/engage-org/engage/core"
)

// The meeting card, answers and attendance.
//
// /meeting new posts the meeting's card to every chat: a live message (live.go)
// with its counts — coming, maybe, waiting, places left, present — and the Coming,
// Maybe and Not coming buttons, plus I'm here while the meeting is under way. Every
// answer and every attendance queues an edit of the card; jobs edit it at the
// meeting's start and end, when the I'm here button comes and goes (an edit queued
// for later would hold back the chat's other messages).

// meetingRef names a meeting's card in every chat, for edits.
func meetingRef(m *core.Meeting) string {
	return "meeting:" + string(m.Community) + ":" + m.ID()
}

// meetingCardView is what the card shows.
type meetingCardView struct {
	M             mView
	C             core.MeetingCounts
	Open          bool // answers are still taken (not canceled, not over)
	Started, Past bool
	Minutes       bool // minutes are posted
	Represented   int  // members represented by a proxy held by one present
}

// meetingCard renders m's card in comm's language, with its buttons.
func (c *turn) meetingCard(m *core.Meeting) (string, [][]Button, error) {
	b, tx, comm := c.b, c.tx, c.comm
	lang := comm.Lang
	if lang == "" {
		lang = b.cfg.Lang
	}
	loc := comm.Location()
	now := tx.Now()
	v := meetingCardView{
		M: meetingView(m, loc), C: m.Counts(),
		Past:    m.End(loc).Before(now),
		Started: !now.Before(m.Start(loc)),
		Minutes: m.Minutes != "",
	}
	v.Open = !v.M.Canceled && !v.Past
	if v.Started {
		n, err := tx.PresentCount(m.Community, m.ID())
		if err != nil {
			return "", nil, err
		}
		v.Represented = n - len(m.Present)
	}
	var rows [][]btn
	if v.Open {
		rows = append(rows, rsvpButtons(m))
		if m.InSession(loc, now) {
			rows = append(rows, []btn{{key: "meeting.btn.here", cmd: "/meeting " + m.ID() + " here"}})
		}
	}
	bs, err := c.rows(lang, rows)
	if err != nil {
		return "", nil, err
	}
	return c.textIn(lang, "meeting.card", v), bs, nil
}

// rsvpButtons is the row of answers to m.
func rsvpButtons(m *core.Meeting) []btn {
	id := m.ID()
	return []btn{
		{key: "meeting.btn.yes", cmd: "/meeting " + id + " yes"},
		{key: "meeting.btn.maybe", cmd: "/meeting " + id + " maybe"},
		{key: "meeting.btn.no", cmd: "/meeting " + id + " no"},
	}
}

// postMeetingCard posts m's card to every chat with the calendar file att (its
// edits change the text and buttons only). The card is edited again when the
// meeting starts and ends (jobMeetingCard), when its I'm here button comes and goes.
func (c *turn) postMeetingCard(m *core.Meeting, att *Attachment) error {
	for _, ch := range c.comm.Chats {
		msg := liveMessage(ch, meetingRef(m), false)
		msg.Attachment = att
		if err := c.send(msg, "", time.Time{}); err != nil {
			return err
		}
	}
	return nil
}

// jobMeetingCard edits a meeting's card at its start and end.
func jobMeetingCard(c *turn, j *core.Job) error {
	tx, comm := c.tx, c.comm
	m, err := tx.Meeting(comm.ID, j.Ref)
	if err != nil {
		return ignoreGone(err)
	}
	return c.queueLive(meetingRef(m), time.Time{})
}

// refreshMeetingCard queues an edit of m's card in every chat, after the edit
// pacing: answers in a burst make one edit.
func (c *turn) refreshMeetingCard(m *core.Meeting) error {
	return c.queueLive(meetingRef(m), c.tx.Now().Add(pollEditDelay))
}

// partstat is the calendar's participation status of an answer.
func partstat(r core.RSVP) ics.ParticipationStatus {
	switch r {
	case core.RSVPYes:
		return ics.ParticipationStatusAccepted
	case core.RSVPMaybe:
		return ics.ParticipationStatusTentative
	case core.RSVPNo:
		return ics.ParticipationStatusDeclined
	}
	return ics.ParticipationStatusNeedsAction
}

// personalICS is m's calendar file for person, carrying their answer as the
// attendee's PARTSTAT.
func personalICS(tx *core.Tx, comm *core.Community, m *core.Meeting, person core.PersonID) *Attachment {
	name := ""
	if p, err := tx.Person(person); err == nil {
		name = p.Name
	}
	return meetingICSFor(comm, m, tx.Now(), &icsAttendee{ID: person, Name: name, Answer: m.Answer(person)})
}

// icsAttendee is the person a calendar file is made for.
type icsAttendee struct {
	ID     core.PersonID
	Name   string
	Answer core.RSVP
}

// addAttendee writes a as the event's attendee: no e-mail is known, so the
// address is an URN of the community and person.
func addAttendee(ev *ics.VEvent, comm *core.Community, a *icsAttendee) {
	params := []ics.PropertyParameter{partstat(a.Answer)}
	if a.Name != "" {
		params = append(params, ics.WithCN(a.Name))
	}
	ev.AddProperty(ics.ComponentPropertyAttendee, fmt.Sprintf("urn:engage:%s:%s", comm.ID, a.ID), params...)
}

// rsvpView is what the answers' texts show.
type rsvpView struct {
	M      mView
	Answer string // yes, maybe, no, waiting
	Pos    int    // place on the waiting list
	C      core.MeetingCounts
}

// meetingRSVP: /meeting M1 yes|maybe|no — any member. The answer is confirmed
// privately, with the calendar file carrying it; a place freed goes to the first
// on the waiting list, who is told privately; the card is edited.
func meetingRSVP(c *turn, m *core.Meeting, r core.RSVP) error {
	if strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	got, promoted, err := c.tx.SetRSVP(c.member, m, r)
	if err != nil {
		return err
	}
	loc := c.comm.Location()
	if err := c.tellPromoted(m, promoted); err != nil {
		return err
	}
	if err := c.refreshMeetingCard(m); err != nil {
		return err
	}
	v := rsvpView{M: meetingView(m, loc), Answer: string(got), Pos: m.WaitingPosition(c.person.ID), C: m.Counts()}
	if got == core.RSVPWaiting {
		c.replyPrivate("meeting.rsvp_done", v)
		return nil
	}
	att := personalICS(c.tx, c.comm, m, c.person.ID)
	if c.ev.Direct {
		msg := c.here(true)
		msg.Text, msg.Attachment = c.ownText("meeting.rsvp_done", v), att
		c.answer(msg)
		return nil
	}
	// In a chat: the receipt to the member alone, and for a yes or a maybe the
	// calendar file by direct message.
	c.replyPrivate("meeting.rsvp_done", v)
	if got == core.RSVPNo {
		return nil
	}
	return c.dm(c.person.ID, "meeting.rsvp_ics", v, att)
}

// tellPromoted tells each of promoted privately that a place of m is theirs.
func (c *turn) tellPromoted(m *core.Meeting, promoted []core.PersonID) error {
	tx, comm := c.tx, c.comm
	for _, p := range promoted {
		v := rsvpView{M: meetingView(m, comm.Location()), Answer: string(core.RSVPYes), C: m.Counts()}
		if err := c.dm(p, "meeting.promoted", v, personalICS(tx, comm, m, p), rsvpButtons(m)[1:]); err != nil {
			return err
		}
	}
	return nil
}

// presentView is what the attendance texts show.
type presentView struct {
	M       mView
	Names   []string
	Self    bool
	Already bool // nobody new was recorded
	Present int
}

// meetingHere: /meeting M1 here (and /meeting M1 present without a mention) — a
// member records their own presence while the meeting is under way.
func meetingHere(c *turn, m *core.Meeting) error {
	if strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	return markPresent(c, m, []core.PersonID{c.person.ID}, nil)
}

// meetingPresent: /meeting M1 present @a @b — a facilitator or an admin records
// members present. Every mention must be a member; nothing is recorded otherwise.
func meetingPresent(c *turn, m *core.Meeting) error {
	toks := strings.Fields(c.args)
	if len(toks) == 0 {
		return markPresent(c, m, []core.PersonID{c.person.ID}, nil)
	}
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	var ids []core.PersonID
	var names []string
	for _, tok := range toks {
		mb, p, err := c.mention(tok)
		if err != nil {
			return err
		}
		if !slices.Contains(ids, mb.Person) {
			ids, names = append(ids, mb.Person), append(names, p.Name)
		}
	}
	return markPresent(c, m, ids, names)
}

func markPresent(c *turn, m *core.Meeting, ids []core.PersonID, names []string) error {
	added, err := c.tx.MarkPresent(c.member, m, ids)
	if err != nil {
		return err
	}
	v := presentView{M: meetingView(m, c.comm.Location()), Names: names, Self: names == nil, Already: len(added) == 0, Present: len(m.Present)}
	if len(added) > 0 {
		if err := c.refreshMeetingCard(m); err != nil {
			return err
		}
	}
	if v.Self {
		c.replyPrivate("meeting.here_done", v)
		return nil
	}
	c.reply("meeting.present_done", v)
	return nil
}

// attendeesView lists the names of a meeting's answers.
type attendeesView struct {
	M                             mView
	C                             core.MeetingCounts
	Yes, Maybe, Waiting, No, Here []string
}

// meetingAttendees: /meeting M1 attendees — the names by answer, the waiting list
// in its order, and who is present (facilitators, admins; answered privately).
func meetingAttendees(c *turn, m *core.Meeting) error {
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	if strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	v := attendeesView{
		M: meetingView(m, c.comm.Location()), C: m.Counts(),
		Yes: c.names(m.Attendees(core.RSVPYes)), Maybe: c.names(m.Attendees(core.RSVPMaybe)),
		Waiting: c.names(m.Attendees(core.RSVPWaiting)), No: c.names(m.Attendees(core.RSVPNo)),
	}
	here, err := c.tx.MeetingPresent(c.comm.ID, m.ID())
	if err != nil {
		return err
	}
	v.Here = c.names(here)
	c.replyPrivate("meeting.attendees", v)
	return nil
}

// placesView is what the places' texts show.
type placesView struct {
	M        mView
	C        core.MeetingCounts
	Promoted []string
}

// meetingPlaces: /meeting M1 places N — set or change the limit (facilitators,
// admins). Places added go to the waiting list, first come first served.
func meetingPlaces(c *turn, m *core.Meeting) error {
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	w := c.word()
	if w == "" || strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	n, err := parsePlaces(w)
	if err != nil {
		return err
	}
	promoted, err := c.tx.SetMeetingPlaces(c.member, m, n)
	if err != nil {
		return err
	}
	if err := c.tellPromoted(m, promoted); err != nil {
		return err
	}
	if err := c.refreshMeetingCard(m); err != nil {
		return err
	}
	c.reply("meeting.places_done", placesView{M: meetingView(m, c.comm.Location()), C: m.Counts(), Promoted: c.names(promoted)})
	return nil
}

// parsePlaces reads a number of places: a whole number from 1.
func parsePlaces(w string) (int, error) {
	n, err := strconv.Atoi(w)
	if err != nil || n < 1 || n > core.MaxMeetingPlaces {
		return 0, core.Errorf(core.CodeInvalid, "err.meeting_places", "max", core.MaxMeetingPlaces)
	}
	return n, nil
}

// cutPlaces takes a trailing "places N" off the arguments of /meeting new.
func (c *turn) cutPlaces(args string) (string, int, error) {
	words := strings.Fields(args)
	if k := len(words); k >= 2 && c.isWord(words[k-2], "places") {
		n, err := parsePlaces(words[k-1])
		if err != nil {
			return "", 0, err
		}
		return strings.Join(words[:k-2], " "), n, nil
	}
	if k := len(words); k >= 1 && c.isWord(words[k-1], "places") {
		return "", 0, core.Errorf(core.CodeInvalid, "err.meeting_places", "max", core.MaxMeetingPlaces)
	}
	return args, 0, nil
}

// remindAttendees sends m's reminder privately to those coming or maybe, each with
// the calendar file carrying their answer.
func (c *turn) remindAttendees(m *core.Meeting, days int) error {
	tx, comm := c.tx, c.comm
	for _, r := range []core.RSVP{core.RSVPYes, core.RSVPMaybe} {
		for _, p := range m.Attendees(r) {
			v := remindView{M: meetingView(m, comm.Location()), Days: days, Answer: string(r)}
			var rows [][]btn
			if r == core.RSVPMaybe {
				rows = append(rows, rsvpButtons(m))
			}
			if err := c.dm(p, "meeting.remind_dm", v, personalICS(tx, comm, m, p), rows...); err != nil {
				return err
			}
		}
	}
	return nil
}

// remindView is what a private reminder shows.
type remindView struct {
	M      mView
	Days   int
	Answer string
}

// leaveMeetings drops a member's answers before /forgetme erases them, tells
// those who get their places, and edits the cards.
func (c *turn) leaveMeetings() error {
	got, err := c.tx.LeaveMeetings(c.comm.ID, c.person.ID)
	if err != nil {
		return err
	}
	for _, g := range got {
		if err := c.tellPromoted(g.Meeting, g.Promoted); err != nil {
			return err
		}
		if err := c.refreshMeetingCard(g.Meeting); err != nil {
			return err
		}
	}
	return nil
}
