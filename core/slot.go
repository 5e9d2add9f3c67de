package core

import (
	"slices"
	"time"
)

// Facilitation is a community's weekly facilitation hour: who runs it, who stands in,
// when it falls (a weekday and a wall-clock time in a zone, kept across daylight-saving
// changes), and the last slots run. A community has at most one.
type Facilitation struct {
	Community   CommunityID  `json:"community"`
	Facilitator PersonID     `json:"facilitator,omitempty"`
	Backup      PersonID     `json:"backup,omitempty"`
	Weekday     time.Weekday `json:"weekday"`
	Hour        int          `json:"hour"`
	Minute      int          `json:"minute"`
	Zone        string       `json:"zone,omitempty"` // "" while no slot is set
	Set         time.Time    `json:"set,omitzero"`
	// Runs are the last slots run, oldest first; Count is how many ran in all.
	Runs  []SlotRun `json:"runs,omitempty"`
	Count int       `json:"count"`
	// Health is the health signals last shown in the facilitator's agenda, at
	// HealthAt (see AgendaHealth).
	Health   *Health   `json:"health,omitempty"`
	HealthAt time.Time `json:"health_at,omitzero"`
	// Digest is when the last weekly digest was posted (see ClaimDigest), and
	// DigestIntro the opening a language model drafted for it ("" for none): the
	// digest is rendered when it is sent.
	Digest      time.Time `json:"digest,omitzero"`
	DigestIntro string    `json:"digest_intro,omitempty"`
	// DashboardGen is the generation of the community's dashboard links: a link
	// works only while it is the one it was signed with (RevokeDashboardLinks).
	DashboardGen int `json:"dashboard_gen,omitempty"`
	// StageChanges counts the projects' changes of stage, for the impact figures.
	StageChanges int `json:"stage_changes,omitempty"`
}

// HasSlot reports whether a weekly slot is set.
func (f *Facilitation) HasSlot() bool { return f.Zone != "" }

// Location returns the slot's time zone (UTC when none or unknown).
func (f *Facilitation) Location() *time.Location {
	if loc, err := LoadLocation(f.Zone); err == nil {
		return loc
	}
	return time.UTC
}

// SlotRun is one check-in that ran: the weekly slot, or one started with /checkin now.
type SlotRun struct {
	N      int        `json:"n"`
	At     time.Time  `json:"at"`
	Host   PersonID   `json:"host,omitempty"` // who got the nudge ("" when no one was available)
	Asked  []PersonID `json:"asked,omitempty"`
	Manual bool       `json:"manual,omitempty"`
}

// Period is a time someone is away, both ends included.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Away is when a member of a community is away: check-ins skip them, and a
// facilitator away hands the week's slot to the backup.
type Away struct {
	Community CommunityID `json:"community"`
	Person    PersonID    `json:"person"`
	Periods   []Period    `json:"periods"`
}

// Facilitation returns community c's facilitation settings (an empty one, without a
// slot, when none was set).
func (tx *Tx) Facilitation(c CommunityID) (*Facilitation, error) {
	f := new(Facilitation)
	err := tx.getJSON(bucketFacil, string(c), f)
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return &Facilitation{Community: c}, nil
	}
	return f, nil
}

func (tx *Tx) putFacilitation(f *Facilitation) error {
	return tx.putJSON(bucketFacil, string(f.Community), f)
}

// requireFacilitator refuses members below facilitator (CodeForbidden).
func requireFacilitator(m *Member) error {
	if !m.Role.AtLeast(RoleFacilitator) {
		return Errorf(CodeForbidden, "err.forbidden_role", "role", RoleFacilitator)
	}
	return nil
}

// SetSlot sets the community's weekly slot to weekday at hour:minute in zone (""
// for the community's zone), with actor as its facilitator: a facilitator who takes
// the slot over from another is handed it. Facilitators and admins only
// (CodeForbidden); CodeInvalid for a time or zone that does not exist. It returns the
// new settings and the facilitator it replaced ("" if none).
func (tx *Tx) SetSlot(actor *Member, weekday time.Weekday, hour, minute int, zone string) (*Facilitation, PersonID, error) {
	if err := requireFacilitator(actor); err != nil {
		return nil, "", err
	}
	if hour < 0 || hour > 23 || minute < 0 || minute > 59 || weekday < time.Sunday || weekday > time.Saturday {
		return nil, "", Errorf(CodeInvalid, "err.bad_slot")
	}
	if zone == "" {
		comm, err := tx.Community(actor.Community)
		if err != nil {
			return nil, "", err
		}
		zone = comm.TimeZone
	}
	if _, err := LoadLocation(zone); err != nil || zone == "" || zone == "Local" {
		return nil, "", Errorf(CodeInvalid, "err.bad_timezone", "tz", zone)
	}
	f, err := tx.Facilitation(actor.Community)
	if err != nil {
		return nil, "", err
	}
	prev := f.Facilitator
	if prev == actor.Person {
		prev = ""
	}
	f.Facilitator, f.Weekday, f.Hour, f.Minute, f.Zone, f.Set = actor.Person, weekday, hour, minute, zone, tx.now
	if f.Backup == actor.Person {
		f.Backup = ""
	}
	return f, prev, tx.putFacilitation(f)
}

// SetBackup names target the backup facilitator, who gets the slot when the
// facilitator is away. Facilitators and admins only (CodeForbidden); the backup must
// be a facilitator or an admin (CodeInvalid) and not the facilitator (CodeConflict).
func (tx *Tx) SetBackup(actor, target *Member) (*Facilitation, error) {
	if err := requireFacilitator(actor); err != nil {
		return nil, err
	}
	f, err := tx.Facilitation(actor.Community)
	if err != nil {
		return nil, err
	}
	if !target.Role.AtLeast(RoleFacilitator) {
		return nil, Errorf(CodeInvalid, "err.backup_role")
	}
	if target.Person == f.Facilitator {
		return nil, Errorf(CodeConflict, "err.backup_self")
	}
	f.Backup = target.Person
	return f, tx.putFacilitation(f)
}

// ClearBackup removes the backup. Facilitators and admins only.
func (tx *Tx) ClearBackup(actor *Member) (*Facilitation, error) {
	if err := requireFacilitator(actor); err != nil {
		return nil, err
	}
	f, err := tx.Facilitation(actor.Community)
	if err != nil {
		return nil, err
	}
	f.Backup = ""
	return f, tx.putFacilitation(f)
}

// RequireFacilitation refuses, with CodeForbidden, members who may not run the
// facilitation (move the slot, start a check-in, post the digest, date meetings).
func RequireFacilitation(m *Member) error { return requireFacilitator(m) }

// recordRun notes that a slot ran, for Candidates' "asked at a previous slot".
func (f *Facilitation) recordRun(r SlotRun) {
	f.Runs = append(f.Runs, r)
	if len(f.Runs) > keepRuns {
		f.Runs = slices.Clone(f.Runs[len(f.Runs)-keepRuns:])
	}
	f.Count = r.N
}

// away returns person's absence record in c (an empty one when none).
func (tx *Tx) away(c CommunityID, person PersonID) (*Away, error) {
	a := &Away{}
	err := tx.getJSON(bucketAway, key(string(c), string(person)), a)
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return &Away{Community: c, Person: person}, nil
	}
	return a, nil
}

// SetAway records that actor is away from `from` to `to` (both included): check-ins
// skip them meanwhile and, for a facilitator, the backup gets the slot. Periods that
// ended are dropped. CodeInvalid when to comes before from, is past, or the
// absence is longer than MaxAway.
func (tx *Tx) SetAway(actor *Member, from, to time.Time) (Period, error) {
	if to.Before(from) {
		return Period{}, Errorf(CodeInvalid, "err.away_order")
	}
	if !to.After(tx.now) {
		return Period{}, Errorf(CodeInvalid, "err.date_past")
	}
	if to.Sub(from) > MaxAway {
		return Period{}, Errorf(CodeInvalid, "err.away_too_long", "days", int(MaxAway.Hours()/24))
	}
	a, err := tx.away(actor.Community, actor.Person)
	if err != nil {
		return Period{}, err
	}
	a.Periods = slices.DeleteFunc(a.Periods, func(p Period) bool { return p.To.Before(tx.now) })
	if len(a.Periods) >= maxAwayPeriods {
		return Period{}, Errorf(CodeConflict, "err.away_too_many", "max", maxAwayPeriods)
	}
	p := Period{From: from, To: to}
	a.Periods = append(a.Periods, p)
	slices.SortFunc(a.Periods, func(x, y Period) int { return x.From.Compare(y.From) })
	return p, tx.putJSON(bucketAway, key(string(actor.Community), string(actor.Person)), a)
}

// ClearAway cancels actor's absences that have not ended. CodeConflict when there is
// none.
func (tx *Tx) ClearAway(actor *Member) error {
	a, err := tx.away(actor.Community, actor.Person)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(a.Periods, func(p Period) bool { return !p.To.Before(tx.now) }) {
		return Errorf(CodeConflict, "err.not_away")
	}
	return tx.kv.Delete(bucketAway, key(string(actor.Community), string(actor.Person)))
}

// Absences returns person's absences in c that have not ended, soonest first.
func (tx *Tx) Absences(c CommunityID, person PersonID) ([]Period, error) {
	a, err := tx.away(c, person)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(a.Periods, func(p Period) bool { return p.To.Before(tx.now) }), nil
}

// AwayAt reports whether person is away in c at `at`, and until when.
func (tx *Tx) AwayAt(c CommunityID, person PersonID, at time.Time) (time.Time, bool, error) {
	a, err := tx.away(c, person)
	if err != nil {
		return time.Time{}, false, err
	}
	for _, p := range a.Periods {
		if !at.Before(p.From) && !at.After(p.To) {
			return p.To, true, nil
		}
	}
	return time.Time{}, false, nil
}

// Host returns who runs the slot at `at`: the facilitator, or the backup when the
// facilitator is away or gone; "" when neither is available (then the admins are
// told). backup reports that the backup stands in.
func (tx *Tx) Host(f *Facilitation, at time.Time) (host PersonID, backup bool, err error) {
	for i, p := range []PersonID{f.Facilitator, f.Backup} {
		if p == "" {
			continue
		}
		m, err := tx.Member(f.Community, p)
		if ErrorCode(err) == CodeNotFound {
			continue
		} else if err != nil {
			return "", false, err
		}
		if !m.Role.AtLeast(RoleFacilitator) {
			continue
		}
		if _, away, err := tx.AwayAt(f.Community, p, at); err != nil {
			return "", false, err
		} else if away {
			continue
		}
		return p, i == 1, nil
	}
	return "", false, nil
}

// Admins returns the admins of community c.
func (tx *Tx) Admins(c CommunityID) ([]PersonID, error) {
	ms, err := tx.Members(c)
	if err != nil {
		return nil, err
	}
	var out []PersonID
	for _, m := range ms {
		if m.Role == RoleAdmin {
			out = append(out, m.Person)
		}
	}
	return out, nil
}
