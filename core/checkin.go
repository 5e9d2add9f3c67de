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
