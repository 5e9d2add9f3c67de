package core

import (
	"slices"
	"strconv"
	"time"
)

// JobMeetingRemind is the job that reminds the community of a meeting (Ref is the
// meeting's ID, Data the number of days before it).
const JobMeetingRemind = "meeting_remind"

// JobMeetingCard is the job that refreshes a meeting's card when the meeting starts
// and when it ends (Ref is the meeting's ID, Data the JSON string "start" or "end").
const JobMeetingCard = "meeting_card"

// MeetingReminders are the days before a meeting when the community is reminded.
var MeetingReminders = []int{7, 1}

// meetingReminderHour is when an all-day meeting's reminders go out (community time).
const meetingReminderHour = 9

// Meeting is a community's general meeting (rencontre): one of the four activities
// of a living community. A meeting in the past does not count as the next one.
type Meeting struct {
	Community CommunityID `json:"community"`
	Num       int         `json:"num"`
	Title     string      `json:"title"`
	At        time.Time   `json:"at"`
	AllDay    bool        `json:"all_day,omitempty"` // a date without a time of day
	Created   time.Time   `json:"created"`
	By        PersonID    `json:"by,omitempty"`
	// Canceled is when the meeting was called off (zero while it holds): a
	// canceled meeting is never the next one.
	Canceled time.Time `json:"canceled,omitempty"`
	// Sequence counts the moves and the cancellation, for calendar files
	// (a calendar replaces its copy of an event by one of a higher SEQUENCE).
	Sequence int `json:"sequence,omitempty"`
	// Places limits those coming (0: no limit); a yes beyond it waits on Waiting.
	Places int `json:"places,omitempty"`
	// RSVP is each member's answer (meeting_rsvp.go); Waiting the members whose
	// answer is RSVPWaiting, first come first.
	RSVP    map[PersonID]RSVP `json:"rsvp,omitempty"`
	Waiting []PersonID        `json:"waiting,omitempty"`
	// Present is who was recorded present during the meeting, and when.
	Present map[PersonID]time.Time `json:"present,omitempty"`
	// Minutes are the meeting's minutes, posted by MinutesBy at MinutesAt.
	Minutes   string    `json:"minutes,omitempty"`
	MinutesAt time.Time `json:"minutes_at,omitzero"`
	MinutesBy PersonID  `json:"minutes_by,omitempty"`
}

// ID returns the meeting's short ID ("M2").
func (m *Meeting) ID() string { return "M" + strconv.Itoa(m.Num) }

// MeetingLength is how long a meeting with a time lasts, for calendar files.
const MeetingLength = 2 * time.Hour

// End returns when the meeting is over: the end of its day, in loc, for an all-day
// meeting; MeetingLength after its start otherwise.
func (m *Meeting) End(loc *time.Location) time.Time {
	if !m.AllDay {
		return m.At.Add(MeetingLength)
	}
	d := m.At.In(loc)
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc).Add(-time.Nanosecond)
}

// Start returns when the meeting begins: its time, or the start of its day, in
// loc, for an all-day meeting.
func (m *Meeting) Start(loc *time.Location) time.Time {
	if !m.AllDay {
		return m.At
	}
	d := m.At.In(loc)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

func meetingKey(c CommunityID, num int) string { return key(string(c), pad(uint64(num))) }

// CreateMeeting dates the community's next general meeting: at (the start of its day
// when allDay), titled title. The community is reminded MeetingReminders days before.
// Facilitators and admins only (CodeForbidden); CodeInvalid for a missing or long
// title or a date in the past.
func (tx *Tx) CreateMeeting(actor *Member, at time.Time, allDay bool, title string) (*Meeting, error) {
	if err := requireFacilitator(actor); err != nil {
		return nil, err
	}
	title, err := checkText(title, MaxNameLen, "title")
	if err != nil {
		return nil, err
	}
	comm, err := tx.Community(actor.Community)
	if err != nil {
		return nil, err
	}
	loc := comm.Location()
	m := &Meeting{Community: comm.ID, Title: title, At: at, AllDay: allDay, Created: tx.now, By: actor.Person}
	if !m.End(loc).After(tx.now) || (!allDay && !at.After(tx.now)) {
		return nil, Errorf(CodeInvalid, "err.date_past")
	}
	if m.Num, err = tx.nextShortID(comm, "M"); err != nil {
		return nil, err
	}
	if err := tx.putJSON(bucketMeeting, meetingKey(comm.ID, m.Num), m); err != nil {
		return nil, err
	}
	if err := tx.scheduleMeetingReminders(m, loc); err != nil {
		return nil, err
	}
	return m, tx.index(comm.ID, "meeting", m.ID(), title)
}

// scheduleMeetingReminders schedules m's reminders that are still to come, and
// removes those that are not (a meeting moved closer, or canceled); the same for
// the refreshes of its card at its start and end.
func (tx *Tx) scheduleMeetingReminders(m *Meeting, loc *time.Location) error {
	for _, w := range []struct {
		which string
		due   time.Time
	}{{"start", m.Start(loc)}, {"end", m.End(loc).Add(time.Second)}} {
		id := JobMeetingCard + "/" + string(m.Community) + "/" + m.ID() + "/" + w.which
		if !w.due.After(tx.now) || !m.Canceled.IsZero() {
			if err := tx.Unschedule(id); err != nil {
				return err
			}
			continue
		}
		err := tx.Schedule(Job{ID: id, Due: w.due, Kind: JobMeetingCard, Community: m.Community, Ref: m.ID(), Data: []byte(strconv.Quote(w.which))})
		if err != nil {
			return err
		}
	}
	for _, days := range MeetingReminders {
		id := JobMeetingRemind + "/" + string(m.Community) + "/" + m.ID() + "/" + strconv.Itoa(days)
		d := m.At.In(loc)
		due := time.Date(d.Year(), d.Month(), d.Day()-days, d.Hour(), d.Minute(), 0, 0, loc)
		if m.AllDay {
			due = time.Date(d.Year(), d.Month(), d.Day()-days, meetingReminderHour, 0, 0, 0, loc)
		}
		if !due.After(tx.now) || !m.Canceled.IsZero() {
			if err := tx.Unschedule(id); err != nil {
				return err
			}
			continue
		}
		err := tx.Schedule(Job{
			ID: id, Due: due,
			Kind: JobMeetingRemind, Community: m.Community, Ref: m.ID(), Data: []byte(strconv.Itoa(days)),
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Meeting returns meeting id ("M2") of community c. CodeInvalid for a malformed ID,
// CodeNotFound ("err.no_meeting") when there is none.
func (tx *Tx) Meeting(c CommunityID, id string) (*Meeting, error) {
	n, err := ParseShortID('M', id)
	if err != nil {
		return nil, err
	}
	m := new(Meeting)
	err = tx.getJSON(bucketMeeting, meetingKey(c, n), m)
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(CodeNotFound, "err.no_meeting", "id", "M"+strconv.Itoa(n))
	}
	return m, nil
}

// Meetings returns community c's meetings, in the order they were dated.
func (tx *Tx) Meetings(c CommunityID) ([]*Meeting, error) {
	var out []*Meeting
	err := scanJSON(tx, bucketMeeting, string(c)+"/", false, func(_ string, m *Meeting) error {
		out = append(out, m)
		return nil
	})
	return out, err
}

// NextMeeting returns community c's first meeting not over at `at` (nil when none
// is dated: a meeting in the past without a next one counts as no date), and the
// last meeting before it (nil if none), whose weekday and time are the usual ones.
func (tx *Tx) NextMeeting(c CommunityID, at time.Time) (next, last *Meeting, err error) {
	comm, err := tx.Community(c)
	if err != nil {
		return nil, nil, err
	}
	loc := comm.Location()
	ms, err := tx.Meetings(c)
	if err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(ms, func(a, b *Meeting) int { return a.At.Compare(b.At) })
	for _, m := range ms {
		if !m.Canceled.IsZero() {
			continue
		}
		if m.End(loc).Before(at) {
			last = m
		} else if next == nil {
			next = m
		}
	}
	return next, last, nil
}

// rewriteMeetings sets who dated from's meetings in c, wrote their minutes, answered
// their invitation or was present to `to` ("" to forget: their answers, place on a
// waiting list and attendance go).
func (tx *Tx) rewriteMeetings(c CommunityID, from, to PersonID) error {
	ms, err := tx.Meetings(c)
	if err != nil {
		return err
	}
	for _, m := range ms {
		changed := false
		if m.By == from {
			m.By, changed = to, true
		}
		if m.MinutesBy == from {
			m.MinutesBy, changed = to, true
		}
		if r, ok := m.RSVP[from]; ok {
			_, had := m.RSVP[to] // a person merged into one who answered keeps that answer
			i := slices.Index(m.Waiting, from)
			m.dropAnswer(from)
			if to != "" && !had {
				m.RSVP[to] = r
				if i >= 0 {
					m.Waiting = slices.Insert(m.Waiting, i, to) // their place in the queue
				}
			}
			changed = true // a place freed goes to the next waiting at the next answer
		}
		if at, ok := m.Present[from]; ok {
			delete(m.Present, from)
			if to != "" {
				if _, had := m.Present[to]; !had {
					m.Present[to] = at
				}
			}
			changed = true
		}
		if changed {
			if err := tx.putMeeting(m); err != nil {
				return err
			}
		}
	}
	return nil
}

func (tx *Tx) forgetMeetings(c CommunityID, p PersonID) error { return tx.rewriteMeetings(c, p, "") }
