package core

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// The kinds of jobs the facilitation part of the engine schedules; bots runs them.
const (
	JobSlot     = "checkin_slot"     // the weekly hour starts: pick referents, ask them, nudge the host
	JobSlotEnd  = "checkin_end"      // the hour is over: a summary to the host, the weekly digest
	JobRemind   = "checkin_remind"   // a referent has not answered after RemindAfter
	JobEscalate = "checkin_escalate" // still no answer EscalateAfter later: the host is told
	JobStepDue  = "nextstep_due"     // a next step's date passed: its referents are asked
)

// The cadence of the check-ins (J.-M. Cornu, "one hour a week to facilitate a
// community"): at each weekly slot the bot asks 1 to MaxPerSlot referents, the
// longest silent first, so that each is asked about once a month.
const (
	SlotLength        = time.Hour          // the facilitator's hour; the summary comes at its end
	RemindAfter       = 48 * time.Hour     // one reminder to a referent who has not answered
	EscalateAfter     = 48 * time.Hour     // after the reminder, the host is told
	PromptLife        = 7 * 24 * time.Hour // how long the three questions stay open
	MaxPerSlot        = 3                  // referents asked at one slot, at most
	ProjectsPerAsk    = 4                  // one referent a slot for every 4 active projects
	SkipSlots         = 2                  // a referent asked at one of these previous slots is skipped
	MaxAway           = 366 * 24 * time.Hour
	AnswerRateWindow  = 12 * 7 * 24 * time.Hour // the answer rate counts the prompts of the last 12 weeks
	keepRuns          = 8
	maxAwayPeriods    = 20
	stepDueReminderAt = 9 // the hour, the morning after a next step's date, its referents are asked
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
	// Digest is when the last weekly digest was posted (see ClaimDigest).
	Digest time.Time `json:"digest,omitzero"`
}

// ClaimDigest records that community c's weekly digest is posted at `at`, unless
// one was already posted the same day in the community's zone: at most one digest a
// day, however it is triggered (the end of a check-in, /checkin now run twice,
// /digest). ok is false when one was already posted; posted is then when.
func (tx *Tx) ClaimDigest(c CommunityID, at time.Time) (posted time.Time, ok bool, err error) {
	f, posted, already, err := tx.digestOfDay(c, at)
	if err != nil || already {
		return posted, false, err
	}
	f.Digest = at
	return at, true, tx.putFacilitation(f)
}

// DigestPosted reports whether community c's digest was already posted on the day
// of `at` (in its zone), and when.
func (tx *Tx) DigestPosted(c CommunityID, at time.Time) (time.Time, bool, error) {
	_, posted, already, err := tx.digestOfDay(c, at)
	return posted, already, err
}

func (tx *Tx) digestOfDay(c CommunityID, at time.Time) (f *Facilitation, posted time.Time, already bool, err error) {
	comm, err := tx.Community(c)
	if err != nil {
		return nil, time.Time{}, false, err
	}
	if f, err = tx.Facilitation(c); err != nil {
		return nil, time.Time{}, false, err
	}
	loc := comm.Location()
	if !f.Digest.IsZero() && sameDay(f.Digest.In(loc), at.In(loc)) {
		return f, f.Digest, true, nil
	}
	return f, time.Time{}, false, nil
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

// Prompt is the three questions asked to one referent about their projects: what is
// the next step, by what date, is it posted for the community.
type Prompt struct {
	Community CommunityID `json:"community"`
	Seq       int         `json:"seq"`
	Run       int         `json:"run,omitempty"` // the slot run that asked (0: asked outside a slot)
	Person    PersonID    `json:"person,omitempty"`
	Projects  []int       `json:"projects"`
	Done      []int       `json:"done,omitempty"` // projects answered so far
	Asked     time.Time   `json:"asked"`
	Answered  time.Time   `json:"answered,omitzero"`
	Reminded  time.Time   `json:"reminded,omitzero"`
	Escalated time.Time   `json:"escalated,omitzero"`
}

// Ref is the prompt's reference in dialogs and jobs.
func (pr *Prompt) Ref() string { return strconv.Itoa(pr.Seq) }

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

// Active reports whether a project still needs check-ins (it is not done).
func (p *Project) Active() bool { return p.Stage != StageDone }

// ReferentsPerSlot is how many referents a slot asks when the community has n active
// projects: one for every ProjectsPerAsk projects, rounded up, at least 1 and at most
// MaxPerSlot (0 when there is no active project). With 1–4 projects one referent a
// week is asked, so each of up to four referents is asked about once a month; 5–8
// projects, two a week; 9 or more, three.
func ReferentsPerSlot(n int) int {
	if n <= 0 {
		return 0
	}
	return min(max((n+ProjectsPerAsk-1)/ProjectsPerAsk, 1), MaxPerSlot)
}

// Candidate is a referent the check-in may ask, with what makes them due.
type Candidate struct {
	Person PersonID
	// Projects are their active projects in the community, the longest silent first.
	Projects []*Project
	// LastSign is their last news, next step or check-in answer across those
	// projects (a project's creation counts when nothing came since), and LastKind
	// says which ("news", "nextstep", "answer", "created").
	LastSign time.Time
	LastKind string
	// AwayUntil is when their absence at the slot ends (zero: not away).
	AwayUntil time.Time
	// AskedRecently: asked at one of the SkipSlots previous slots.
	AskedRecently bool
}

// Eligible reports whether the check-in may ask c.
func (c *Candidate) Eligible() bool { return c.AwayUntil.IsZero() && !c.AskedRecently }

// Candidates returns the referents of community c's active projects who are still
// members, the longest silent first (ties: the earliest member first), seen at `at`.
func (tx *Tx) Candidates(c CommunityID, at time.Time) ([]*Candidate, int, error) {
	ps, err := tx.Projects(c, nil)
	if err != nil {
		return nil, 0, err
	}
	answers, err := tx.lastAnswers(c)
	if err != nil {
		return nil, 0, err
	}
	f, err := tx.Facilitation(c)
	if err != nil {
		return nil, 0, err
	}
	recent := map[PersonID]bool{}
	for i := max(len(f.Runs)-SkipSlots, 0); i < len(f.Runs); i++ {
		for _, p := range f.Runs[i].Asked {
			recent[p] = true
		}
	}
	byPerson := map[PersonID]*Candidate{}
	var out []*Candidate
	active := 0
	sign := map[int]time.Time{}
	for _, p := range ps {
		if !p.Active() {
			continue
		}
		active++
		for _, r := range p.Referents {
			cd := byPerson[r]
			if cd == nil {
				if _, err := tx.Member(c, r); ErrorCode(err) == CodeNotFound {
					continue
				} else if err != nil {
					return nil, 0, err
				}
				cd = &Candidate{Person: r, AskedRecently: recent[r]}
				if until, away, err := tx.AwayAt(c, r, at); err != nil {
					return nil, 0, err
				} else if away {
					cd.AwayUntil = until
				}
				if t, ok := answers[r]; ok {
					cd.LastSign, cd.LastKind = t, "answer"
				}
				byPerson[r] = cd
				out = append(out, cd)
			}
			cd.Projects = append(cd.Projects, p)
			t, kind := projectSign(p)
			sign[p.Num] = t
			if t.After(cd.LastSign) {
				cd.LastSign, cd.LastKind = t, kind
			}
		}
	}
	for _, cd := range out {
		slices.SortStableFunc(cd.Projects, func(a, b *Project) int { return sign[a.Num].Compare(sign[b.Num]) })
	}
	slices.SortStableFunc(out, func(a, b *Candidate) int {
		if n := a.LastSign.Compare(b.LastSign); n != 0 {
			return n
		}
		return cmp.Compare(idNum(string(a.Person)), idNum(string(b.Person)))
	})
	return out, active, nil
}

// projectSign is a project's last sign of life: news, a next step, or its creation.
func projectSign(p *Project) (time.Time, string) {
	t, kind := p.Created, "created"
	if p.LastNews.After(t) {
		t, kind = p.LastNews, "news"
	}
	if p.NextStep != nil && p.NextStep.SetAt.After(t) {
		t, kind = p.NextStep.SetAt, "nextstep"
	}
	return t, kind
}

// lastAnswers returns when each person of c last answered a check-in.
func (tx *Tx) lastAnswers(c CommunityID) (map[PersonID]time.Time, error) {
	out := map[PersonID]time.Time{}
	err := scanJSON(tx, bucketPrompt, string(c)+"/", false, func(_ string, pr *Prompt) error {
		if !pr.Answered.IsZero() && pr.Answered.After(out[pr.Person]) {
			out[pr.Person] = pr.Answered
		}
		return nil
	})
	return out, err
}

// CheckinRun is what StartCheckin did.
type CheckinRun struct {
	Run     SlotRun
	Asked   []*Candidate // the referents asked, each with their prompt in Prompts
	Prompts []*Prompt
	Away    []*Candidate // referents skipped because they are away
	Host    PersonID     // who gets the nudge ("" when no one is available)
	Backup  bool         // the host is the backup
	Active  int          // active projects
}

// StartCheckin runs a check-in of community c at `at`: it picks ReferentsPerSlot
// referents among the eligible Candidates, the longest silent first, records a
// prompt for each (and its reminder), and records the run. by is who started it
// with /checkin now ("" for the weekly slot): they host it, whether or not a
// facilitator is designated or a slot set.
func (tx *Tx) StartCheckin(c CommunityID, at time.Time, by PersonID) (*CheckinRun, error) {
	f, err := tx.Facilitation(c)
	if err != nil {
		return nil, err
	}
	cands, active, err := tx.Candidates(c, at)
	if err != nil {
		return nil, err
	}
	run := &CheckinRun{Active: active}
	manual := by != ""
	if manual {
		run.Host = by
	} else if run.Host, run.Backup, err = tx.Host(f, at); err != nil {
		return nil, err
	}
	n := ReferentsPerSlot(active)
	for _, cd := range cands {
		if !cd.AwayUntil.IsZero() {
			run.Away = append(run.Away, cd)
			continue
		}
		if cd.Eligible() && len(run.Asked) < n {
			run.Asked = append(run.Asked, cd)
		}
	}
	run.Run = SlotRun{N: f.Count + 1, At: at, Host: run.Host, Manual: manual}
	for _, cd := range run.Asked {
		run.Run.Asked = append(run.Run.Asked, cd.Person)
		var nums []int
		for _, p := range cd.Projects {
			nums = append(nums, p.Num)
		}
		pr, err := tx.NewPrompt(c, cd.Person, nums, run.Run.N)
		if err != nil {
			return nil, err
		}
		run.Prompts = append(run.Prompts, pr)
	}
	f.recordRun(run.Run)
	return run, tx.putFacilitation(f)
}

func promptKey(c CommunityID, seq int) string { return key(string(c), pad(uint64(seq))) }

// NewPrompt records that person is asked the three questions about projects (nums)
// and schedules the reminder. run is the slot run that asks (0 for none).
func (tx *Tx) NewPrompt(c CommunityID, person PersonID, nums []int, run int) (*Prompt, error) {
	seq, err := tx.next("prompt/" + string(c))
	if err != nil {
		return nil, err
	}
	pr := &Prompt{Community: c, Seq: int(seq), Run: run, Person: person, Projects: nums, Asked: tx.now}
	if err := tx.putPrompt(pr); err != nil {
		return nil, err
	}
	return pr, tx.Schedule(Job{
		ID: JobRemind + "/" + string(c) + "/" + pr.Ref(), Due: tx.now.Add(RemindAfter),
		Kind: JobRemind, Community: c, Ref: pr.Ref(),
	})
}

func (tx *Tx) putPrompt(pr *Prompt) error {
	return tx.putJSON(bucketPrompt, promptKey(pr.Community, pr.Seq), pr)
}

// Prompt returns prompt ref ("12") of community c. CodeNotFound when there is none.
func (tx *Tx) Prompt(c CommunityID, ref string) (*Prompt, error) {
	seq, err := strconv.Atoi(ref)
	if err != nil || seq <= 0 {
		return nil, Errorf(CodeNotFound, "err.no_prompt")
	}
	pr := new(Prompt)
	err = tx.getJSON(bucketPrompt, promptKey(c, seq), pr)
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(CodeNotFound, "err.no_prompt")
	}
	return pr, nil
}

// Prompts returns community c's prompts asked at or after since, oldest first.
func (tx *Tx) Prompts(c CommunityID, since time.Time) ([]*Prompt, error) {
	var out []*Prompt
	err := scanJSON(tx, bucketPrompt, string(c)+"/", false, func(_ string, pr *Prompt) error {
		if !pr.Asked.Before(since) {
			out = append(out, pr)
		}
		return nil
	})
	return out, err
}

// AnswerPrompt records that the referent answered about project num; once every
// project of the prompt is answered, the prompt is.
func (tx *Tx) AnswerPrompt(pr *Prompt, num int) error {
	if !slices.Contains(pr.Done, num) {
		pr.Done = append(pr.Done, num)
	}
	if pr.Answered.IsZero() && !slices.ContainsFunc(pr.Projects, func(n int) bool { return !slices.Contains(pr.Done, n) }) {
		pr.Answered = tx.now
	}
	return tx.putPrompt(pr)
}

// settle marks pr answered when every one of its projects got a new next step since
// it was asked (the referent answered with /nextstep rather than in the dialog), and
// reports whether pr is answered.
func (tx *Tx) settle(pr *Prompt) (bool, error) {
	if !pr.Answered.IsZero() {
		return true, nil
	}
	at, err := tx.AnsweredAt(pr)
	if err != nil || at.IsZero() {
		return false, err
	}
	pr.Answered, pr.Done = at, slices.Clone(pr.Projects)
	return true, tx.putPrompt(pr)
}

// AnsweredAt returns when pr was answered: in the dialog, or by new next steps set
// for all its projects within PromptLife of the question (zero: not answered). It
// changes nothing.
func (tx *Tx) AnsweredAt(pr *Prompt) (time.Time, error) {
	if !pr.Answered.IsZero() {
		return pr.Answered, nil
	}
	var last time.Time
	for _, num := range pr.Projects {
		p, err := tx.Project(pr.Community, "P"+strconv.Itoa(num))
		if ErrorCode(err) == CodeNotFound {
			continue
		} else if err != nil {
			return time.Time{}, err
		}
		if p.NextStep == nil || !p.NextStep.SetAt.After(pr.Asked) || !p.NextStep.SetAt.Before(pr.Asked.Add(PromptLife)) {
			return time.Time{}, nil
		}
		last = later(last, p.NextStep.SetAt)
	}
	return last, nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// RemindPrompt returns the prompt ref of c when it still waits for an answer and
// was not reminded yet, marks the reminder sent and schedules the escalation to the
// host; nil when there is nothing to do. A referent who set the next steps by
// /nextstep meanwhile has answered.
func (tx *Tx) RemindPrompt(c CommunityID, ref string) (*Prompt, error) {
	pr, err := tx.Prompt(c, ref)
	if err != nil || !pr.Reminded.IsZero() || pr.Person == "" {
		return nil, ignoreNotFound(err)
	}
	if done, err := tx.settle(pr); err != nil || done {
		return nil, err
	}
	pr.Reminded = tx.now
	if err := tx.putPrompt(pr); err != nil {
		return nil, err
	}
	return pr, tx.Schedule(Job{
		ID: JobEscalate + "/" + string(c) + "/" + pr.Ref(), Due: tx.now.Add(EscalateAfter),
		Kind: JobEscalate, Community: c, Ref: pr.Ref(),
	})
}

// EscalatePrompt returns the prompt ref of c when it still waits for an answer after
// its reminder and the host was not told yet, and marks the host told; nil otherwise.
func (tx *Tx) EscalatePrompt(c CommunityID, ref string) (*Prompt, error) {
	pr, err := tx.Prompt(c, ref)
	if err != nil || !pr.Escalated.IsZero() || pr.Person == "" {
		return nil, ignoreNotFound(err)
	}
	if done, err := tx.settle(pr); err != nil || done {
		return nil, err
	}
	pr.Escalated = tx.now
	return pr, tx.putPrompt(pr)
}

func ignoreNotFound(err error) error {
	if ErrorCode(err) == CodeNotFound {
		return nil
	}
	return err
}

// watchStepDue schedules the question to p's referents the morning after its next
// step's date (9:00 in the community's zone), or cancels it when the step has no date.
func (tx *Tx) watchStepDue(p *Project) error {
	id := JobStepDue + "/" + string(p.Community) + "/" + p.ID()
	if p.NextStep == nil || p.NextStep.Due.IsZero() || !p.Active() {
		return tx.Unschedule(id)
	}
	comm, err := tx.Community(p.Community)
	if err != nil {
		return err
	}
	d := p.NextStep.Due.In(comm.Location())
	at := time.Date(d.Year(), d.Month(), d.Day()+1, stepDueReminderAt, 0, 0, 0, d.Location())
	return tx.Schedule(Job{
		ID: id, Due: at, Kind: JobStepDue, Community: p.Community, Ref: p.ID(),
		Data: []byte(strconv.Quote(p.NextStep.SetAt.Format(time.RFC3339Nano))),
	})
}

// OverdueStep returns project ref of c when its next step, set at setAt (the job's
// record), is still the same and its date has passed; nil when it changed, was done,
// or the project is done.
func (tx *Tx) OverdueStep(c CommunityID, ref string, setAt time.Time) (*Project, error) {
	p, err := tx.Project(c, ref)
	if err != nil {
		return nil, ignoreNotFound(err)
	}
	ns := p.NextStep
	if !p.Active() || ns == nil || ns.Due.IsZero() || !ns.SetAt.Equal(setAt) || !ns.Due.Before(tx.now) {
		return nil, nil
	}
	return p, nil
}

// Overdue returns c's active projects whose next step's date has passed at `at`.
func (tx *Tx) Overdue(c CommunityID, at time.Time) ([]*Project, error) {
	ps, err := tx.Projects(c, nil)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ps, func(p *Project) bool {
		return !p.Active() || p.NextStep == nil || p.NextStep.Due.IsZero() || !p.NextStep.Due.Before(at)
	}), nil
}

// replacePersonInCheckins rewrites from as to in community c's facilitation,
// absences and prompts (two identities linked into one person).
func (tx *Tx) replacePersonInCheckins(c CommunityID, from, to PersonID) error {
	f, err := tx.Facilitation(c)
	if err != nil {
		return err
	}
	changed := false
	for _, p := range []*PersonID{&f.Facilitator, &f.Backup} {
		if *p == from {
			*p, changed = to, true
		}
	}
	if f.Backup == f.Facilitator && f.Backup != "" {
		f.Backup = ""
	}
	for i := range f.Runs {
		if f.Runs[i].Host == from {
			f.Runs[i].Host, changed = to, true
		}
		if slices.Contains(f.Runs[i].Asked, from) {
			f.Runs[i].Asked, changed = replace(f.Runs[i].Asked, from, to), true
		}
	}
	if changed {
		if err := tx.putFacilitation(f); err != nil {
			return err
		}
	}
	a, err := tx.away(c, from)
	if err != nil {
		return err
	}
	if len(a.Periods) > 0 {
		b, err := tx.away(c, to)
		if err != nil {
			return err
		}
		b.Periods = append(b.Periods, a.Periods...)
		slices.SortFunc(b.Periods, func(x, y Period) int { return x.From.Compare(y.From) })
		if err := tx.putJSON(bucketAway, key(string(c), string(to)), b); err != nil {
			return err
		}
		if err := tx.kv.Delete(bucketAway, key(string(c), string(from))); err != nil {
			return err
		}
	}
	if err := tx.rewritePrompts(c, from, to); err != nil {
		return err
	}
	return tx.rewriteMeetings(c, from, to)
}

// rewritePrompts sets the person of from's prompts in c to `to` ("" to forget them:
// the prompt stays, unnamed, for the answer rate).
func (tx *Tx) rewritePrompts(c CommunityID, from, to PersonID) error {
	var hits []*Prompt
	err := scanJSON(tx, bucketPrompt, string(c)+"/", false, func(_ string, pr *Prompt) error {
		if pr.Person == from {
			hits = append(hits, pr)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, pr := range hits {
		pr.Person = to
		if err := tx.putPrompt(pr); err != nil {
			return err
		}
	}
	return nil
}

// forgetCheckins drops what the facilitation part keeps about p in community c: its
// place as facilitator or backup, its absences, its name on slots and prompts.
func (tx *Tx) forgetCheckins(c CommunityID, p PersonID) error {
	f, err := tx.Facilitation(c)
	if err != nil {
		return err
	}
	if f.Facilitator == p {
		f.Facilitator = ""
	}
	if f.Backup == p {
		f.Backup = ""
	}
	for i := range f.Runs {
		if f.Runs[i].Host == p {
			f.Runs[i].Host = ""
		}
		f.Runs[i].Asked = slices.DeleteFunc(f.Runs[i].Asked, func(x PersonID) bool { return x == p })
	}
	if f.HasSlot() || f.Count > 0 {
		if err := tx.putFacilitation(f); err != nil {
			return err
		}
	}
	if err := tx.kv.Delete(bucketAway, key(string(c), string(p))); err != nil {
		return err
	}
	if err := tx.rewritePrompts(c, p, ""); err != nil {
		return err
	}
	return tx.forgetMeetings(c, p)
}
