package core

import (
	"maps"
	"slices"
	"time"
)

// RSVP is a member's answer to a meeting's invitation.
type RSVP string

// The answers. RSVPWaiting is not typed by anyone: it is the answer of a member who
// said yes when every place was taken, while they wait on the meeting's list.
const (
	RSVPYes     RSVP = "yes"
	RSVPMaybe   RSVP = "maybe"
	RSVPNo      RSVP = "no"
	RSVPWaiting RSVP = "waiting"
)

// ParseRSVP reads an English answer (yes, maybe, no); the bots map French words
// to these.
func ParseRSVP(s string) (RSVP, bool) {
	switch RSVP(s) {
	case RSVPYes, RSVPMaybe, RSVPNo:
		return RSVP(s), true
	}
	return "", false
}

// MeetingCounts are the figures a meeting's card shows.
type MeetingCounts struct {
	Yes, Maybe, No, Waiting int
	// Places is the meeting's limit (0: none); Left the places still free (0 when
	// there is no limit or none is left).
	Places, Left int
	Present      int
}

// Counts returns m's RSVP and attendance figures.
func (m *Meeting) Counts() MeetingCounts {
	var c MeetingCounts
	for _, r := range m.RSVP {
		switch r {
		case RSVPYes:
			c.Yes++
		case RSVPMaybe:
			c.Maybe++
		case RSVPNo:
			c.No++
		case RSVPWaiting:
			c.Waiting++
		}
	}
	c.Places = m.Places
	if m.Places > 0 && c.Yes < m.Places {
		c.Left = m.Places - c.Yes
	}
	c.Present = len(m.Present)
	return c
}

// Answer returns p's answer to m ("" when they gave none).
func (m *Meeting) Answer(p PersonID) RSVP { return m.RSVP[p] }

// WaitingPosition returns p's place on m's waiting list, from 1 (0 when not on it).
func (m *Meeting) WaitingPosition(p PersonID) int {
	return slices.Index(m.Waiting, p) + 1
}

// Attendees returns the members who answered r, in a stable order (the waiting
// list in its order).
func (m *Meeting) Attendees(r RSVP) []PersonID {
	if r == RSVPWaiting {
		return slices.Clone(m.Waiting)
	}
	var out []PersonID
	for _, p := range slices.Sorted(maps.Keys(m.RSVP)) {
		if m.RSVP[p] == r {
			out = append(out, p)
		}
	}
	return out
}

// InSession reports whether now is within m's time: from its start to its End.
func (m *Meeting) InSession(loc *time.Location, now time.Time) bool {
	return m.Canceled.IsZero() && !now.Before(m.Start(loc)) && !now.After(m.End(loc))
}

// MaxMeetingPlaces bounds a meeting's places.
const MaxMeetingPlaces = 100000

// SetRSVP records actor's answer r to meeting m. A yes when every place is taken
// puts them on the waiting list (the answer is then RSVPWaiting); a yes, maybe or
// no that frees a place gives it to the first on the list. It returns the answer
// recorded and those given a place (to be told). The same answer again changes
// nothing (CodeInvalid "err.rsvp_same"). CodeConflict for a canceled meeting or one
// that is over.
func (tx *Tx) SetRSVP(actor *Member, m *Meeting, r RSVP) (RSVP, []PersonID, error) {
	if _, ok := ParseRSVP(string(r)); !ok {
		return "", nil, Errorf(CodeInvalid, "err.rsvp_bad", "word", string(r))
	}
	if _, err := tx.meetingOpen(m); err != nil {
		return "", nil, err
	}
	was := m.RSVP[actor.Person]
	if was == r || (was == RSVPWaiting && r == RSVPYes) {
		return "", nil, Errorf(CodeInvalid, "err.rsvp_same", "id", m.ID(), "answer", string(was), "pos", m.WaitingPosition(actor.Person))
	}
	m.dropAnswer(actor.Person)
	got := r
	if r == RSVPYes && m.Places > 0 && m.Counts().Yes >= m.Places {
		got = RSVPWaiting
		m.Waiting = append(m.Waiting, actor.Person)
	}
	if m.RSVP == nil {
		m.RSVP = map[PersonID]RSVP{}
	}
	m.RSVP[actor.Person] = got
	promoted := m.promote()
	return got, promoted, tx.putMeeting(m)
}

// dropAnswer removes p's answer and their place on the waiting list.
func (m *Meeting) dropAnswer(p PersonID) {
	delete(m.RSVP, p)
	m.Waiting = slices.DeleteFunc(m.Waiting, func(q PersonID) bool { return q == p })
}

// promote gives the free places to the waiting list, first come first served, and
// returns those it gave one to.
func (m *Meeting) promote() []PersonID {
	var out []PersonID
	for len(m.Waiting) > 0 && (m.Places == 0 || m.Counts().Yes < m.Places) {
		p := m.Waiting[0]
		m.Waiting = m.Waiting[1:]
		m.RSVP[p] = RSVPYes
		out = append(out, p)
	}
	if len(m.Waiting) == 0 {
		m.Waiting = nil
	}
	return out
}

// SetMeetingPlaces limits m to n places. Raising the limit gives the new places to
// the waiting list; lowering it below those coming takes no place back, it only
// stops giving new ones. Facilitators and admins only (CodeForbidden); CodeInvalid
// ("err.meeting_places") for n outside 1..MaxMeetingPlaces, ("err.meeting_places_same")
// for the limit it already has; CodeConflict for a canceled meeting or one that is
// over. It returns those given a place.
func (tx *Tx) SetMeetingPlaces(actor *Member, m *Meeting, n int) ([]PersonID, error) {
	if err := requireFacilitator(actor); err != nil {
		return nil, err
	}
	if n < 1 || n > MaxMeetingPlaces {
		return nil, Errorf(CodeInvalid, "err.meeting_places", "max", MaxMeetingPlaces)
	}
	if _, err := tx.meetingOpen(m); err != nil {
		return nil, err
	}
	if n == m.Places {
		return nil, Errorf(CodeInvalid, "err.meeting_places_same", "id", m.ID(), "n", n)
	}
	m.Places = n
	if m.RSVP == nil {
		m.RSVP = map[PersonID]RSVP{}
	}
	promoted := m.promote()
	return promoted, tx.putMeeting(m)
}

// MarkPresent records people as present at meeting m, now. A member marks
// themself (people is actor alone); marking others takes a facilitator or an admin
// (CodeForbidden). Outside the meeting's time CodeConflict ("err.meeting_not_now");
// every person must be a member of the community (CodeNotFound). Those already
// marked keep their time. It returns those newly marked.
func (tx *Tx) MarkPresent(actor *Member, m *Meeting, people []PersonID) ([]PersonID, error) {
	for _, p := range people {
		if p != actor.Person {
			if err := requireFacilitator(actor); err != nil {
				return nil, err
			}
			break
		}
	}
	comm, err := tx.Community(m.Community)
	if err != nil {
		return nil, err
	}
	loc := comm.Location()
	if !m.Canceled.IsZero() {
		return nil, Errorf(CodeConflict, "err.meeting_canceled", "id", m.ID())
	}
	if !m.InSession(loc, tx.now) {
		return nil, Errorf(CodeConflict, "err.meeting_not_now", "id", m.ID(), "at", m.At.In(loc), "end", m.End(loc).In(loc), "allday", m.AllDay)
	}
	for _, p := range people {
		if _, err := tx.Member(m.Community, p); err != nil {
			return nil, err
		}
	}
	var added []PersonID
	for _, p := range people {
		if _, ok := m.Present[p]; ok {
			continue
		}
		if m.Present == nil {
			m.Present = map[PersonID]time.Time{}
		}
		m.Present[p] = tx.now
		added = append(added, p)
	}
	if len(added) == 0 {
		return nil, nil
	}
	return added, tx.putMeeting(m)
}

// MeetingPresent returns who is recorded present at meeting id ("M2") of community
// c, sorted by ID. Quorums and the electorate "present at M2" read it.
func (tx *Tx) MeetingPresent(c CommunityID, id string) ([]PersonID, error) {
	m, err := tx.Meeting(c, id)
	if err != nil {
		return nil, err
	}
	return slices.Sorted(maps.Keys(m.Present)), nil
}

// MaxMinutesLen bounds a meeting's minutes, in characters.
const MaxMinutesLen = 3000

// SetMinutes records m's minutes (replacing earlier ones) and indexes them for
// /find. Facilitators and admins only (CodeForbidden); CodeConflict for a canceled
// meeting or one that has not started; CodeInvalid for empty or long text.
func (tx *Tx) SetMinutes(actor *Member, m *Meeting, text string) error {
	if err := requireFacilitator(actor); err != nil {
		return err
	}
	text, err := checkText(text, MaxMinutesLen, "text")
	if err != nil {
		return err
	}
	comm, err := tx.Community(m.Community)
	if err != nil {
		return err
	}
	loc := comm.Location()
	if !m.Canceled.IsZero() {
		return Errorf(CodeConflict, "err.meeting_canceled", "id", m.ID())
	}
	if tx.now.Before(m.Start(loc)) {
		return Errorf(CodeConflict, "err.minutes_early", "id", m.ID())
	}
	m.Minutes, m.MinutesAt, m.MinutesBy = text, tx.now, actor.Person
	if err := tx.putMeeting(m); err != nil {
		return err
	}
	return tx.indexEntry(m.Community, SearchEntry{Kind: "minutes", Ref: m.ID(), Title: m.Title, Text: text})
}

// meetingOpen is meetingEditable with the refusal of a meeting that is over as
// "err.meeting_past" (answers and places, not a move).
func (tx *Tx) meetingOpen(m *Meeting) (*time.Location, error) {
	loc, err := tx.meetingEditable(m)
	if ErrorCode(err) == CodeConflict && m.Canceled.IsZero() {
		return nil, Errorf(CodeConflict, "err.meeting_past", "id", m.ID())
	}
	return loc, err
}

func (tx *Tx) putMeeting(m *Meeting) error {
	return tx.putJSON(bucketMeeting, meetingKey(m.Community, m.Num), m)
}

// Promotion is who got a place of Meeting when someone left it.
type Promotion struct {
	Meeting  *Meeting
	Promoted []PersonID
}

// LeaveMeetings drops p's answers to community c's meetings, as if they had said
// no (/forgetme, before the person is erased), and returns, per meeting not over
// yet, those who got the places they held.
func (tx *Tx) LeaveMeetings(c CommunityID, p PersonID) ([]Promotion, error) {
	ms, err := tx.Meetings(c)
	if err != nil {
		return nil, err
	}
	var out []Promotion
	for _, m := range ms {
		if _, ok := m.RSVP[p]; !ok {
			continue
		}
		m.dropAnswer(p)
		if _, err := tx.meetingOpen(m); err == nil { // a place still to be taken
			if promoted := m.promote(); len(promoted) > 0 {
				out = append(out, Promotion{Meeting: m, Promoted: promoted})
			}
		}
		if err := tx.putMeeting(m); err != nil {
			return nil, err
		}
	}
	return out, nil
}
