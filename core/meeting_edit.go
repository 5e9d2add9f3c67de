package core

import "time"

// MoveMeeting moves meeting m to at (the start of its day when allDay) and
// reschedules its reminders. Facilitators and admins only (CodeForbidden);
// CodeConflict ("err.meeting_canceled") for a canceled meeting, ("err.meeting_over")
// for one that is over; CodeInvalid ("err.date_past") for a date in the past and
// ("err.meeting_same") for the date it already has.
func (tx *Tx) MoveMeeting(actor *Member, m *Meeting, at time.Time, allDay bool) error {
	if err := requireFacilitator(actor); err != nil {
		return err
	}
	loc, err := tx.meetingEditable(m)
	if err != nil {
		return err
	}
	moved := *m
	moved.At, moved.AllDay = at, allDay
	if !moved.End(loc).After(tx.now) || (!allDay && !at.After(tx.now)) {
		return Errorf(CodeInvalid, "err.date_past")
	}
	if m.At.Equal(at) && m.AllDay == allDay {
		return Errorf(CodeInvalid, "err.meeting_same", "id", m.ID(), "at", at.In(loc))
	}
	m.At, m.AllDay = at, allDay
	m.Sequence++
	if err := tx.putJSON(bucketMeeting, meetingKey(m.Community, m.Num), m); err != nil {
		return err
	}
	return tx.scheduleMeetingReminders(m, loc)
}

// CancelMeeting calls meeting m off: it is no longer the next meeting and its
// reminders are removed. Facilitators and admins only (CodeForbidden);
// CodeConflict for a meeting already canceled or over.
func (tx *Tx) CancelMeeting(actor *Member, m *Meeting) error {
	if err := requireFacilitator(actor); err != nil {
		return err
	}
	loc, err := tx.meetingEditable(m)
	if err != nil {
		return err
	}
	m.Canceled = tx.now
	m.Sequence++
	if err := tx.putJSON(bucketMeeting, meetingKey(m.Community, m.Num), m); err != nil {
		return err
	}
	return tx.scheduleMeetingReminders(m, loc)
}

// meetingEditable refuses a canceled meeting or one that is over, and returns the
// community's zone.
func (tx *Tx) meetingEditable(m *Meeting) (*time.Location, error) {
	comm, err := tx.Community(m.Community)
	if err != nil {
		return nil, err
	}
	loc := comm.Location()
	switch {
	case !m.Canceled.IsZero():
		return nil, Errorf(CodeConflict, "err.meeting_canceled", "id", m.ID())
	case m.End(loc).Before(tx.now):
		return nil, Errorf(CodeConflict, "err.meeting_over", "id", m.ID())
	}
	return loc, nil
}
