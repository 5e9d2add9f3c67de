package bots

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/engage-org/engage/bots/when"
	"github.com/engage-org/engage/core"
)

// dialogCheckin is the dialog of the three check-in questions.
const dialogCheckin = "checkin"

// waitingWindow is how far back the nudge lists prompts still waiting for an answer.
const waitingWindow = 28 * 24 * time.Hour

// cmdCheckin: /checkin now (facilitators) · /checkin P1 (a referent answers the three
// questions about P1 without waiting to be asked).
func cmdCheckin(c *turn) error {
	if c.sub("now") {
		return checkinNow(c)
	}
	if strings.TrimSpace(c.args) == "" {
		return c.usage()
	}
	p, err := c.project()
	if err != nil {
		return err
	}
	if !core.CanManage(c.member, p) {
		return core.Errorf(core.CodeForbidden, "err.not_referent", "id", p.ID())
	}
	if err := startCheckin(c, c.person.ID, nil, []int{p.Num}, checkinExtra{}); err != nil {
		return err
	}
	if !c.ev.Direct { // said in the group: the group learns where the questions went
		c.reply("checkin.self", checkinSelfText{ID: p.ID(), Name: c.name(c.person.ID)})
	}
	return nil
}

// checkinNow: /checkin now — this week's check-in at once; the slot of this week, if
// still to come, is then skipped.
func checkinNow(c *turn) error {
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	now := c.tx.Now()
	f, err := c.tx.Facilitation(c.comm.ID)
	if err != nil {
		return err
	}
	data := checkinStartedText{}
	if j, regular, err := pendingSlot(c.tx, c.comm.ID); err != nil {
		return err
	} else if j != nil && f.HasSlot() && j.Due.After(now) && weekStart(j.Due, f.Location()).Equal(weekStart(now, f.Location())) {
		if _, err := scheduleSlot(c.tx, f, later(regular, j.Due)); err != nil {
			return err
		}
		skipped := j.Due.In(f.Location())
		data.Skipped = &skipped
	}
	run, err := runCheckin(c, now, c.person.ID)
	if err != nil {
		return err
	}
	var names []string
	for _, cd := range run.Asked {
		names = append(names, c.name(cd.Person))
	}
	data.Asked = names
	data.Host = run.Host == c.person.ID
	if at, posted, err := c.tx.DigestPosted(c.comm.ID, now); err != nil {
		return err
	} else if posted { // one digest a day: this check-in gets none
		digest := at.In(c.comm.Location())
		data.Digest = &digest
	}
	c.reply("checkin.started", data)
	return nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// runCheckin runs a check-in of n's community at `at`: the chosen referents get the
// three questions by direct message, the host the nudge (or, when no one can host,
// the admins an alert), and the end of the hour is scheduled. by is who typed
// /checkin now ("" for the weekly slot): they host it.
func runCheckin(c *turn, at time.Time, by core.PersonID) (*core.CheckinRun, error) {
	run, err := c.tx.StartCheckin(c.comm.ID, at, by)
	if err != nil {
		return nil, err
	}
	for i, cd := range run.Asked {
		if err := startCheckin(c, cd.Person, run.Prompts[i], run.Prompts[i].Projects, checkinExtra{}); err != nil {
			return nil, err
		}
	}
	data, rows, err := nudgeData(c, run, at)
	if err != nil {
		return nil, err
	}
	if run.Host != "" {
		if _, _, lang, ok, err := c.recipient(run.Host); err != nil {
			return nil, err
		} else if ok {
			if data.Intro, err = c.draftOpening("nudge", lang, nudgeFacts(data)); err != nil {
				return nil, err
			}
		}
		if err := c.dm(run.Host, "checkin.nudge", data, nil, rows...); err != nil {
			return nil, err
		}
	} else if err := tellAdmins(c, "checkin.nobody", data, rows...); err != nil {
		return nil, err
	}
	return run, c.tx.Schedule(core.Job{
		ID: core.JobSlotEnd + "/" + string(c.comm.ID) + "/" + strconv.Itoa(run.Run.N), Due: at.Add(core.SlotLength),
		Kind: core.JobSlotEnd, Community: c.comm.ID, Ref: strconv.Itoa(run.Run.N),
	})
}

// tellAdmins sends key to every admin of the community.
func tellAdmins(c *turn, key string, data any, rows ...[]btn) error {
	admins, err := c.tx.Admins(c.comm.ID)
	if err != nil {
		return err
	}
	if len(admins) == 0 {
		c.b.log.Warn("no admin to tell", "community", c.comm.ID, "key", key)
	}
	for _, a := range admins {
		if err := c.dm(a, key, data, nil, rows...); err != nil {
			return err
		}
	}
	return nil
}

func projectLabels(ps []*core.Project) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID()+" "+p.Title)
	}
	return out
}

// askedView is a referent the check-in asks, and why.
type askedView struct {
	Name     string
	Projects []string
	Kind     string // what their last sign was: news, nextstep, answer, created
	Since    time.Time
	Days     int
}

type awayView struct {
	Name  string
	Until time.Time
}

type overdueView struct {
	ID, Title, Text, Referents string
	Due                        time.Time
}

type waitingView struct {
	Name     string
	Asked    time.Time
	Reminded bool
}

// nudgeData is the facilitator's agenda for the slot at `at`.
func nudgeData(c *turn, run *core.CheckinRun, at time.Time) (*nudgeText, [][]btn, error) {
	tx, comm := c.tx, c.comm
	loc := comm.Location()
	f, err := tx.Facilitation(comm.ID)
	if err != nil {
		return nil, nil, err
	}
	data := &nudgeText{Community: comm.Name, At: at.In(loc), Manual: run.Run.Manual, Active: run.Active}
	if run.Backup {
		data.StandIn = personName(tx, f.Facilitator)
	}
	if run.Host == "" {
		data.Facilitator = personName(tx, f.Facilitator)
		data.Backup = personName(tx, f.Backup)
	}
	var asked []askedView
	for _, cd := range run.Asked {
		asked = append(asked, askedView{
			Name: personName(tx, cd.Person), Projects: projectLabels(cd.Projects), Kind: cd.LastKind,
			Since: cd.LastSign.In(loc), Days: int(at.Sub(cd.LastSign).Hours() / 24),
		})
	}
	data.Asked = asked
	var away []awayView
	for _, cd := range run.Away {
		away = append(away, awayView{Name: personName(tx, cd.Person), Until: cd.AwayUntil.In(loc)})
	}
	data.Away = away
	over, err := tx.Overdue(comm.ID, at)
	if err != nil {
		return nil, nil, err
	}
	var overdue []overdueView
	for _, p := range over {
		var names []string
		for _, r := range p.Referents {
			names = append(names, personName(tx, r))
		}
		overdue = append(overdue, overdueView{ID: p.ID(), Title: p.Title, Text: p.NextStep.Text, Due: p.NextStep.Due.In(loc), Referents: strings.Join(names, ", ")})
	}
	data.Overdue = overdue
	prs, err := tx.Prompts(comm.ID, at.Add(-waitingWindow))
	if err != nil {
		return nil, nil, err
	}
	var waiting []waitingView
	for _, pr := range prs {
		answered, err := tx.AnsweredAt(pr)
		if err != nil {
			return nil, nil, err
		}
		if answered.IsZero() && pr.Person != "" && pr.Run != run.Run.N {
			waiting = append(waiting, waitingView{Name: personName(tx, pr.Person), Asked: pr.Asked.In(loc), Reminded: !pr.Reminded.IsZero()})
		}
	}
	data.Waiting = waiting
	next, _, err := tx.NextMeeting(comm.ID, at)
	if err != nil {
		return nil, nil, err
	}
	var rows [][]btn
	if next != nil {
		mv := meetingView(next, loc)
		data.Meeting = &mv
	} else if poll, err := openDatePollOf(tx, comm.ID); err != nil {
		return nil, nil, err
	} else if poll != nil {
		data.DatePoll = poll.ID() // being decided: no second poll
	} else {
		rows = append(rows, []btn{meetingPollButton()})
	}
	// The health lines that did not change since the last agenda are not repeated.
	h, prev, since, err := tx.AgendaHealth(comm.ID)
	if err != nil {
		return nil, nil, err
	}
	data.Health, data.HealthSame = h, h.Same(prev)
	if prev != nil {
		data.HealthSince = since.In(loc)
	}
	return data, rows, nil
}

// nudgeText is what the texts checkin.nudge, checkin.nobody show.
type nudgeText struct {
	Community, Intro             string
	At                           time.Time
	Manual                       bool
	Active                       int
	StandIn, Facilitator, Backup string
	Asked                        []askedView
	Away                         []awayView
	Overdue                      []overdueView
	Waiting                      []waitingView
	Meeting                      *mView // the next general meeting, if dated
	DatePoll                     string // else the open poll dating it
	Health                       *core.Health
	HealthSame                   core.HealthSame
	HealthSince                  time.Time // zero for a first agenda
}

// checkinQuestionText is what the texts checkin.ask.step, checkin.ask.due, checkin.ask.shared show.
type checkinQuestionText struct {
	Community, ID, Title string
	Index, Count         int
	First                bool
	Name                 string
	Text, Current        string
	CurrentDue, Due      *time.Time
	Again, Typed         string // asked again: the key of why, and what was typed
	checkinExtra
}

// checkinDateText is what the texts checkin.btn.keep_due, checkin.btn.friday, checkin.btn.two_weeks, checkin.btn.month_end show: a date offered.
type checkinDateText struct{ D time.Time }

// checkinExtra is what a check-in's first question adds when it is a reminder
// or about an overdue step.
type checkinExtra struct {
	Reminder    bool
	Asked       *time.Time
	Overdue     bool
	OverdueText string
	OverdueDue  *time.Time
}

// checkinState is where a check-in dialog stands.
type checkinState struct {
	comm   *core.Community
	member *core.Member
	prompt *core.Prompt // nil for a check-in outside a slot
	nums   []int
	i      int
	p      *core.Project // the project being asked about (nil: all done)
}

// startCheckin opens the three questions about projects nums with person and sends
// the first by direct message. prompt is the slot's prompt (nil outside a slot);
// extra adds to the first question's data (a reminder, an overdue step).
func startCheckin(c *turn, person core.PersonID, prompt *core.Prompt, nums []int, extra checkinExtra) error {
	var ids []string
	for _, num := range nums {
		ids = append(ids, strconv.Itoa(num))
	}
	d := &core.Dialog{
		Kind: dialogCheckin, Community: c.comm.ID, Data: map[string]string{"projects": strings.Join(ids, ","), "i": "0"},
		Expires: c.tx.Now().Add(core.PromptLife),
	}
	if prompt != nil {
		d.Ref = prompt.Ref()
	}
	if err := c.tx.SetDialog(person, d); err != nil {
		return err
	}
	return askDM(c, person, d, extra)
}

// askDM sends d's current question to person by direct message, in their language.
func askDM(c *turn, person core.PersonID, d *core.Dialog, extra checkinExtra) error {
	st, err := loadCheckin(c.tx, person, d)
	if err != nil || st == nil || st.p == nil {
		return err
	}
	p, _, lang, ok, err := c.recipient(person)
	if err != nil || !ok {
		return err
	}
	key, data, rows := checkinQuestion(st, d, c.tx.Now(), lang)
	data.Name = p.Name
	data.checkinExtra = extra
	return c.dm(person, key, data, nil, rows...)
}

// loadCheckin reads the state of person's check-in dialog d; nil when the dialog no
// longer makes sense (the community or the membership is gone).
func loadCheckin(tx *core.Tx, person core.PersonID, d *core.Dialog) (*checkinState, error) {
	comm, err := tx.Community(d.Community)
	if core.ErrorCode(err) == core.CodeNotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	m, err := tx.Member(comm.ID, person)
	if core.ErrorCode(err) == core.CodeNotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	st := &checkinState{comm: comm, member: m}
	if d.Ref != "" {
		if st.prompt, err = tx.Prompt(comm.ID, d.Ref); err != nil && core.ErrorCode(err) != core.CodeNotFound {
			return nil, err
		}
	}
	for _, s := range strings.Split(d.Data["projects"], ",") {
		if n, err := strconv.Atoi(s); err == nil {
			st.nums = append(st.nums, n)
		}
	}
	st.i, _ = strconv.Atoi(d.Data["i"])
	return st, st.seek(tx)
}

// seek sets p to the project at i, skipping those gone, done, or no longer the
// referent's.
func (st *checkinState) seek(tx *core.Tx) error {
	st.p = nil
	for ; st.i < len(st.nums); st.i++ {
		p, err := tx.Project(st.comm.ID, "P"+strconv.Itoa(st.nums[st.i]))
		if core.ErrorCode(err) == core.CodeNotFound {
			continue
		} else if err != nil {
			return err
		}
		if p.Active() && core.CanManage(st.member, p) {
			st.p = p
			return nil
		}
	}
	return nil
}

// checkinQuestion returns d's current question: its template key, data and buttons.
func checkinQuestion(st *checkinState, d *core.Dialog, now time.Time, lang string) (string, *checkinQuestionText, [][]btn) {
	loc := st.comm.Location()
	p := st.p
	data := &checkinQuestionText{
		Community: st.comm.Name, ID: p.ID(), Title: p.Title, Index: st.i + 1, Count: len(st.nums),
		First: st.i == 0 && d.Step == 0 && d.Tries == 0 && d.Data["text"] == "", Text: d.Data["text"],
	}
	if ns := p.NextStep; ns != nil {
		data.Current = ns.Text
		if !ns.Due.IsZero() {
			at := ns.Due.In(loc)
			data.CurrentDue = &at
		}
	}
	if due := dialogTime(d, "due"); !due.IsZero() {
		at := due.In(loc)
		data.Due = &at
	}
	switch d.Step {
	case 1:
		var row []btn
		if keep := dialogTime(d, "keep_due"); !keep.IsZero() && keep.After(now) {
			row = append(row, btn{key: "checkin.btn.keep_due", data: checkinDateText{D: keep.In(loc)}, cmd: keep.In(loc).Format("2006-01-02")})
		}
		for _, s := range dateSuggestions(now, loc) {
			if len(row) >= 3 {
				break
			}
			row = append(row, btn{key: s.key, data: checkinDateText{D: s.d}, cmd: s.d.Format("2006-01-02")})
		}
		return "checkin.ask.due", data, [][]btn{row, {{key: "checkin.btn.no_date", cmd: "no date"}}}
	case 2:
		return "checkin.ask.shared", data, [][]btn{{{key: "checkin.btn.yes", cmd: "yes"}, {key: "checkin.btn.no", cmd: "no"}}}
	}
	var rows [][]btn
	if p.NextStep != nil {
		rows = append(rows, []btn{{key: "checkin.btn.same", cmd: "same"}})
	}
	return "checkin.ask.step", data, rows
}

// suggestion is a date offered as a button.
type suggestion struct {
	key string
	d   time.Time
}

// dateSuggestions are the dates offered for "by what date?": next Friday, in two
// weeks, the end of the month (of next month when this one ends within 3 days).
func dateSuggestions(now time.Time, loc *time.Location) []suggestion {
	var out []suggestion
	add := func(key, phrase string) {
		d, ok := when.Parse(phrase, "en", now, loc)
		if !ok || slices.ContainsFunc(out, func(s suggestion) bool { return sameDay(s.d, d.Time) }) {
			return
		}
		out = append(out, suggestion{key, d.Time})
	}
	add("checkin.btn.friday", "next friday")
	add("checkin.btn.two_weeks", "in two weeks")
	if end, ok := when.Parse("end of the month", "en", now, loc); ok && end.Time.Sub(now) > 3*24*time.Hour {
		add("checkin.btn.month_end", "end of the month")
	} else {
		add("checkin.btn.month_end", "end of next month")
	}
	return out
}

// dialogTime reads a time kept in a dialog's data.
func dialogTime(d *core.Dialog, k string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, d.Data[k])
	if err != nil {
		return time.Time{}
	}
	return t
}

// checkinDialog takes a referent's reply to the question being asked.
func checkinDialog(c *turn, d *core.Dialog, text string) error {
	st, err := loadCheckin(c.tx, c.person.ID, d)
	if err != nil {
		return err
	}
	if st == nil || st.p == nil {
		if err := c.tx.EndDialog(c.person.ID); err != nil {
			return err
		}
		c.reply("checkin.gone", nil)
		return nil
	}
	if _, err := c.tx.Touch(st.comm.ID, c.person.ID); err != nil { // answering is taking part
		return err
	}
	if asked, err := c.askAmbiguousAnswer(text, st.comm); asked || err != nil {
		return err // "by 5/4" in an English community: which date?
	}
	now := c.tx.Now()
	a := ParseAnswer(text, c.lang, now, st.comm.Location())
	if a, err = c.modelReading(st, d, text, a); err != nil { // the language model, if on, completes the rules' reading
		return err
	}
	absorb := func() {
		if a.HasDue && d.Data["due"] == "" && d.Data["nodue"] == "" {
			d.Data["due"] = a.Due.End().Format(time.RFC3339Nano)
		}
		if a.NoDue && d.Data["due"] == "" {
			d.Data["nodue"] = "1"
		}
		if a.Shared != 0 && d.Data["shared"] == "" {
			d.Data["shared"] = yesNo(a.Shared > 0)
		}
	}
	switch d.Step {
	case 0:
		step := a.Step
		if a.Same {
			if st.p.NextStep == nil {
				return c.checkinRetry(st, d, "checkin.again.same_none", text)
			}
			step = st.p.NextStep.Text
			if due := st.p.NextStep.Due; !due.IsZero() && due.After(now) && !a.HasDue {
				d.Data["keep_due"] = due.Format(time.RFC3339Nano)
			}
		}
		if !StepUsable(step) {
			absorb() // a date or "it's posted" given without the step is kept
			again := "checkin.again.step"
			if ChatNotStep(step) {
				again = "checkin.again.chat" // "hello?" is no step
			}
			return c.checkinRetry(st, d, again, text)
		}
		if n := utf8.RuneCountInString(step); n > core.MaxTextLen {
			return core.Errorf(core.CodeInvalid, "err.too_long", "what", "text", "max", core.MaxTextLen, "len", n)
		}
		d.Data["text"] = step
		absorb()
	case 1:
		// A reply that is only a date is read whole ("in 1 week and 2 days"); a
		// sentence, by ParseAnswer.
		if d, ok := when.Parse(text, c.lang, now, st.comm.Location()); ok {
			a.Due, a.HasDue, a.PastDue = d, !d.End().Before(now), d.End().Before(now)
		}
		switch {
		case a.HasDue:
			absorb()
		case a.Same && d.Data["keep_due"] != "":
			d.Data["due"] = d.Data["keep_due"]
		case a.PastDue:
			return c.checkinRetry(st, d, "checkin.again.past", text)
		case a.NoDue:
			absorb()
		default:
			return c.checkinRetry(st, d, "checkin.again.due", text)
		}
		absorb()
	case 2:
		if a.Shared == 0 {
			return c.checkinRetry(st, d, "checkin.again.shared", text)
		}
		absorb()
	}
	d.Tries = 0
	return c.checkinAdvance(st, d)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// checkinRetry asks the current question again, once, saying precisely what is
// missing; a second reply that cannot be read leaves that question: no date, not
// posted, or (for the step itself) the project as it is.
func (c *turn) checkinRetry(st *checkinState, d *core.Dialog, again, typed string) error {
	if d.Tries >= 1 {
		d.Tries = 0
		switch d.Step {
		case 0:
			c.reply("checkin.skipped", checkinSkippedText{ID: st.p.ID(), Title: st.p.Title})
			if err := c.checkinNextProject(st, d); err != nil {
				return err
			}
		case 1:
			d.Data["nodue"] = "1"
		default:
			d.Data["shared"] = "no"
		}
		return c.checkinAdvance(st, d)
	}
	d.Tries++
	if err := c.tx.SetDialog(c.person.ID, d); err != nil {
		return err
	}
	key, data, rows := checkinQuestion(st, d, c.tx.Now(), c.lang)
	data.Again, data.Typed = again, clip(typed, 200)
	return c.replyBtn(key, data, rows)
}

// replyBtn answers with buttons rendered in the actor's language.
func (c *turn) replyBtn(key string, data any, rows [][]btn) error {
	bs, err := c.rows(c.lang, rows)
	if err != nil {
		return err
	}
	c.reply(key, data, bs...)
	return nil
}

// checkinNextProject records the current project as answered and moves to the next.
func (c *turn) checkinNextProject(st *checkinState, d *core.Dialog) error {
	if st.prompt != nil {
		if err := c.tx.AnswerPrompt(st.prompt, st.p.Num); err != nil {
			return err
		}
	}
	for _, k := range []string{"text", "due", "nodue", "shared", "keep_due"} {
		delete(d.Data, k)
	}
	d.Step, d.Tries = 0, 0
	st.i++
	d.Data["i"] = strconv.Itoa(st.i)
	return st.seek(c.tx)
}

// checkinAdvance saves the project once its three answers are in, and asks the next
// question (or thanks the referent when every project is done).
func (c *turn) checkinAdvance(st *checkinState, d *core.Dialog) error {
	now := c.tx.Now()
	for st.p != nil {
		if due := dialogTime(d, "due"); !due.IsZero() && !due.After(now) {
			delete(d.Data, "due") // the date passed while the dialog waited
		}
		switch {
		case d.Data["text"] == "":
			d.Step = 0
		case d.Data["due"] == "" && d.Data["nodue"] == "":
			d.Step = 1
		case d.Data["shared"] == "":
			d.Step = 2
		default:
			if err := c.checkinSave(st, d); err != nil {
				return err
			}
			if err := c.checkinNextProject(st, d); err != nil {
				return err
			}
			continue
		}
		if err := c.tx.SetDialog(c.person.ID, d); err != nil {
			return err
		}
		key, data, rows := checkinQuestion(st, d, now, c.lang)
		data.Name = c.person.Name
		return c.replyBtn(key, data, rows)
	}
	if err := c.tx.EndDialog(c.person.ID); err != nil {
		return err
	}
	c.reply("checkin.thanks", checkinThanksText{Community: st.comm.Name})
	return nil
}

// checkinSave sets the project's next step from the three answers, through the same
// rule as /nextstep; a step not posted yet gets the button that posts it.
func (c *turn) checkinSave(st *checkinState, d *core.Dialog) error {
	due := dialogTime(d, "due")
	shared := d.Data["shared"] == "yes"
	if err := c.tx.SetNextStep(st.member, st.p, d.Data["text"], due, shared); err != nil {
		return err
	}
	data := checkinSavedText{ID: st.p.ID(), Title: st.p.Title, Text: d.Data["text"], Shared: shared}
	if !due.IsZero() {
		at := due.In(st.comm.Location())
		data.Due = &at
	}
	if shared {
		c.reply("checkin.saved", data)
		return nil
	}
	return c.replyBtn("checkin.saved", data, [][]btn{{{key: "button.share", cmd: "/nextstep " + st.p.ID() + " share"}}})
}

// jobSlot runs the weekly slot and schedules the next one.
func jobSlot(c *turn, j *core.Job) error {
	tx, comm := c.tx, c.comm
	f, err := tx.Facilitation(comm.ID)
	if err != nil || !f.HasSlot() {
		return err
	}
	var sj slotJob
	if json.Unmarshal(j.Data, &sj) != nil || sj.Regular.IsZero() {
		sj.Regular = j.Due
	}
	if _, err := runCheckin(c, j.Due, ""); err != nil {
		return err
	}
	_, err = scheduleSlot(tx, f, later(sj.Regular, tx.Now()))
	return err
}

// ignoreGone turns "not found" into nothing to do: a job for a community or thing
// that no longer exists.
func ignoreGone(err error) error {
	if core.ErrorCode(err) == core.CodeNotFound {
		return nil
	}
	return err
}

// jobSlotEnd sends the host the summary of the slot's answers and posts the digest.
func jobSlotEnd(c *turn, j *core.Job) error {
	tx, comm := c.tx, c.comm
	f, err := tx.Facilitation(comm.ID)
	if err != nil {
		return err
	}
	num, _ := strconv.Atoi(j.Ref)
	var run *core.SlotRun
	for i := range f.Runs {
		if f.Runs[i].N == num {
			run = &f.Runs[i]
		}
	}
	if run != nil && run.Host != "" && len(run.Asked) > 0 {
		data, err := summaryData(tx, comm, run)
		if err != nil {
			return err
		}
		if err := c.dm(run.Host, "checkin.summary", data, nil); err != nil {
			return err
		}
	}
	posted, at, err := postDigest(c, tx.Now())
	if err != nil || posted || at.IsZero() || run == nil || run.Host == "" {
		return err
	}
	// One digest a day: the host learns why this hour gets none.
	return c.dm(run.Host, "digest.skipped", digestSkippedText{At: at.In(comm.Location())}, nil)
}

type stepView struct {
	ID, Title, Text string
	Due             time.Time
	Shared          bool
}

type answerView struct {
	Name     string
	Answered bool
	Steps    []stepView
	Remind   time.Time
}

// summaryData is the summary of a slot's answers, for its host.
func summaryData(tx *core.Tx, comm *core.Community, run *core.SlotRun) (*summaryText, error) {
	loc := comm.Location()
	prs, err := tx.Prompts(comm.ID, run.At)
	if err != nil {
		return nil, err
	}
	var out []answerView
	answered := 0
	for _, pr := range prs {
		if pr.Run != run.N {
			continue
		}
		at, err := tx.AnsweredAt(pr)
		if err != nil {
			return nil, err
		}
		done := pr.Done
		if pr.Answered.IsZero() && !at.IsZero() {
			done = pr.Projects // answered with /nextstep
		}
		v := answerView{Name: personName(tx, pr.Person), Answered: !at.IsZero(), Remind: pr.Asked.Add(core.RemindAfter).In(loc)}
		if v.Answered {
			answered++
		}
		for _, num := range done {
			p, err := tx.Project(comm.ID, "P"+strconv.Itoa(num))
			if err != nil || p.NextStep == nil {
				continue
			}
			sv := stepView{ID: p.ID(), Title: p.Title, Text: p.NextStep.Text, Shared: p.NextStep.Shared}
			if !p.NextStep.Due.IsZero() {
				sv.Due = p.NextStep.Due.In(loc)
			}
			v.Steps = append(v.Steps, sv)
		}
		out = append(out, v)
	}
	return &summaryText{Community: comm.Name, At: run.At.In(loc), Answers: out, Answered: answered, Asked: len(out)}, nil
}

// summaryText is what the text checkin.summary shows.
type summaryText struct {
	Community       string
	At              time.Time
	Answers         []answerView
	Answered, Asked int
}

// jobRemind reminds a referent who has not answered, once, with the question
// they are at.
func jobRemind(c *turn, j *core.Job) error {
	tx, comm := c.tx, c.comm
	pr, err := tx.RemindPrompt(comm.ID, j.Ref)
	if err != nil || pr == nil {
		return err
	}
	asked := pr.Asked.In(comm.Location())
	extra := checkinExtra{Reminder: true, Asked: &asked}
	d, err := tx.Dialog(pr.Person)
	if err != nil {
		return err
	}
	if d == nil || d.Kind != dialogCheckin || d.Community != comm.ID || d.Ref != pr.Ref() {
		var rest []int
		for _, num := range pr.Projects {
			if !slices.Contains(pr.Done, num) {
				rest = append(rest, num)
			}
		}
		return startCheckin(c, pr.Person, pr, rest, extra)
	}
	return askDM(c, pr.Person, d, extra)
}

// jobEscalate tells the host (the admins when no one hosts) that a referent has not
// answered after the reminder.
func jobEscalate(c *turn, j *core.Job) error {
	tx, comm := c.tx, c.comm
	pr, err := tx.EscalatePrompt(comm.ID, j.Ref)
	if err != nil || pr == nil {
		return err
	}
	loc := comm.Location()
	var ps []*core.Project
	for _, num := range pr.Projects {
		if p, err := tx.Project(comm.ID, "P"+strconv.Itoa(num)); err == nil {
			ps = append(ps, p)
		}
	}
	data := checkinEscalateText{
		Name: personName(tx, pr.Person), Projects: projectLabels(ps), Asked: pr.Asked.In(loc),
		Reminded: pr.Reminded.In(loc), Community: comm.Name,
	}
	if len(ps) > 0 {
		data.First = ps[0].ID()
	}
	f, err := tx.Facilitation(comm.ID)
	if err != nil {
		return err
	}
	host, _, err := tx.Host(f, tx.Now())
	if err != nil {
		return err
	}
	if host == "" {
		return tellAdmins(c, "checkin.escalate", data)
	}
	return c.dm(host, "checkin.escalate", data, nil)
}

// jobStepDue asks the referents of a project whose next step's date passed: done?
// what is the next step now?
func jobStepDue(c *turn, j *core.Job) error {
	tx, comm := c.tx, c.comm
	var s string
	if err := json.Unmarshal(j.Data, &s); err != nil {
		return nil
	}
	setAt, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil
	}
	p, err := tx.OverdueStep(comm.ID, j.Ref, setAt)
	if err != nil || p == nil {
		return err
	}
	due := p.NextStep.Due.In(comm.Location())
	extra := checkinExtra{Overdue: true, OverdueText: p.NextStep.Text, OverdueDue: &due}
	for _, r := range p.Referents {
		d, err := tx.Dialog(r)
		if err != nil {
			return err
		}
		if d != nil && d.Kind == dialogCheckin {
			// Already in a check-in: a note, not a second conversation.
			data := checkinOverdueNoteText{ID: p.ID(), Title: p.Title, Text: p.NextStep.Text, Due: p.NextStep.Due.In(comm.Location())}
			if err := c.dm(r, "checkin.overdue_note", data, nil); err != nil {
				return err
			}
			continue
		}
		if err := startCheckin(c, r, nil, []int{p.Num}, extra); err != nil {
			return err
		}
	}
	return nil
}

// checkinSelfText is what the text checkin.self shows.
type checkinSelfText struct {
	ID   string
	Name string
}

// checkinSkippedText is what the text checkin.skipped shows.
type checkinSkippedText struct {
	ID    string
	Title string
}

// checkinThanksText is what the text checkin.thanks shows.
type checkinThanksText struct {
	Community string
}

// digestSkippedText is what the text digest.skipped shows.
type digestSkippedText struct {
	At time.Time
}

// checkinEscalateText is what the text checkin.escalate shows.
type checkinEscalateText struct {
	Name      string
	Projects  []string
	Asked     time.Time
	Reminded  time.Time
	Community string
	First     string
}

// checkinOverdueNoteText is what the text checkin.overdue_note shows.
type checkinOverdueNoteText struct {
	ID    string
	Title string
	Text  string
	Due   time.Time
}

// checkinStartedText is what the text checkin.started shows.
type checkinStartedText struct {
	Digest  *time.Time
	Skipped *time.Time
	Host    bool
	Asked   []string
}

// checkinSavedText is what the text checkin.saved shows.
type checkinSavedText struct {
	ID     string
	Title  string
	Text   string
	Shared bool
	Due    *time.Time
}
