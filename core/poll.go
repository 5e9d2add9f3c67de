package core

import (
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/engage-org/engage/core/tally"
)

// Poll statuses.
const (
	PollOpen   = "open"
	PollClosed = "closed"
)

// JobPollClose is the job kind that closes a poll at its deadline.
const JobPollClose = "poll_close"

// Poll limits and defaults (COMMANDS.md § Polls).
const (
	MinPollOptions  = 2
	MaxPollOptions  = 20
	MaxQuestionLen  = 300 // runes of a poll question
	MaxGradeLen     = 30
	MaxPollDots     = 1000
	MaxPollScale    = 1000 // |A| and |B| of `scale A-B`
	MaxPollQuorum   = 1_000_000
	DefaultScaleMin = 0
	DefaultScaleMax = 5
	DefaultDots     = 8
	DefaultJuryPct  = 50
)

// DefaultGrades are the grades of majority judgment, worst first, when a poll sets
// none: their names are message keys ("grade.reject"…) and what members type.
var DefaultGrades = []string{"reject", "poor", "fair", "good", "very-good", "excellent"}

// PollOption is one option of a poll: free text, a project of the community
// (Project > 0, Label "P3"), or a slot of a date poll (Slot set).
type PollOption struct {
	Label   string    `json:"label"`
	Project int       `json:"project,omitempty"`
	Slot    time.Time `json:"slot,omitzero"`
	AllDay  bool      `json:"all_day,omitempty"` // a date-only slot: the whole day
	// Cost is what the option costs in a budget poll, in minor units of the
	// poll's budget currency.
	Cost int64 `json:"cost,omitempty"`
}

// ProjectID returns the option's project short ID ("P3"), or "".
func (o PollOption) ProjectID() string {
	if o.Project == 0 {
		return ""
	}
	return "P" + strconv.Itoa(o.Project)
}

// PollSettings are a poll's settings, as typed after its options.
type PollSettings struct {
	// Secret: who voted is stored apart from what was chosen (see README).
	Secret bool `json:"secret,omitempty"`
	// Hidden: results only after close; the poll message shows the turnout.
	Hidden bool `json:"hidden,omitempty"`
	// Until is the deadline (zero: closed by hand only).
	Until time.Time `json:"until,omitzero"`
	// Quorum is the fewest ballots for the result to stand (0: none).
	Quorum int `json:"quorum,omitempty"`
	// Jury and JuryWeight (percent) weigh a jury against the public (contest).
	Jury       []PersonID `json:"jury,omitempty"`
	JuryWeight int        `json:"jury_weight,omitempty"`
	// ScaleMin..ScaleMax bound a score (score; default 0–5).
	ScaleMin int `json:"scale_min,omitempty"`
	ScaleMax int `json:"scale_max,omitempty"`
	// Grades names the grades worst first (judgment; nil: DefaultGrades).
	Grades []string `json:"grades,omitempty"`
	// Dots is each member's budget of dots (dot; default 8).
	Dots int `json:"dots,omitempty"`
	// Seats is the number of candidates elected (stv: 1 ≤ Seats < options).
	Seats int `json:"seats,omitempty"`
	// Meek counts an stv poll by Meek's method instead of the Scottish rules.
	Meek bool `json:"meek,omitempty"`
	// LotSeed, when set, lets a lot seeded with it break the ties the STV
	// rules leave (stv); it is published with the result.
	LotSeed *uint64 `json:"lot_seed,omitempty"`
	// Budget polls (poll_budget.go): the money to spend, or From, the
	// campaign whose money left is spent (Budget then records it at opening);
	// Rule mes or greedy; Min and Max projects per ballot (0: no bound);
	// Points each member spreads (0: approval ballots).
	Budget Money  `json:"budget,omitzero"`
	From   string `json:"from,omitempty"`
	Rule   string `json:"rule,omitempty"`
	Min    int    `json:"min,omitempty"`
	Max    int    `json:"max,omitempty"`
	Points int    `json:"points,omitempty"`
	// Assemblies (assembly.go). Voters names the electorate ("" or VotersAll:
	// every member; VotersAtOpen, VotersRole with VotersRole, VotersPresent at
	// Poll.Meeting, VotersShareholders of VotersCampaign).
	Voters         string `json:"voters,omitempty"`
	VotersRole     Role   `json:"voters_role,omitempty"`
	VotersCampaign string `json:"voters_campaign,omitempty"`
	// Meeting is the meeting the poll is attached to, as typed (`meeting M1`);
	// OpenPoll moves it to Poll.Meeting.
	Meeting string `json:"-"`
	// QuorumPresent, a percentage 1..100: the result stands when the ballots
	// reach it of the members present or represented at Poll.Meeting at close.
	QuorumPresent int `json:"quorum_present,omitempty"`
	// WeightShares is the equity campaign ("C1") whose shares weigh each ballot.
	WeightShares string `json:"weight_shares,omitempty"`
	// Remind is how long before the deadline the electorate's non-voters are
	// reminded (0: DefaultRemind); RemindOff: never.
	Remind    time.Duration `json:"remind,omitempty"`
	RemindOff bool          `json:"remind_off,omitempty"`
}

// Poll is a community's vote on a question. While it is open its running tally
// is kept in Live, updated with each ballot, so casting a ballot and showing the
// tally cost the same however many ballots were cast; the result is counted once,
// at close, and kept.
type Poll struct {
	Community CommunityID  `json:"community"`
	Num       int          `json:"num"`
	Method    tally.Method `json:"method"`
	Question  string       `json:"question"`
	Options   []PollOption `json:"options"`
	Settings  PollSettings `json:"settings"`
	Status    string       `json:"status"`
	Author    PersonID     `json:"author"`
	Created   time.Time    `json:"created"`
	Closed    time.Time    `json:"closed,omitzero"`
	ClosedBy  PersonID     `json:"closed_by,omitempty"` // "" when the deadline closed it
	QuorumMet bool         `json:"quorum_met,omitempty"`
	// Members is how many members the community had when the poll closed, for its
	// turnout (0: closed before it was recorded).
	Members int `json:"members,omitempty"`
	// Live is kept in a record of its own (bucketLive); records written before
	// hold it here.
	Live *tally.Live `json:"live,omitempty"`
	// Meeting is the meeting the poll is attached to ("M1", "" for none): the
	// meeting's proxies apply to it and its result goes into the minutes.
	Meeting string `json:"meeting,omitempty"`
}

// ID returns the poll's short ID ("V2").
func (p *Poll) ID() string { return "V" + strconv.Itoa(p.Num) }

// Ref names the poll's message in every chat, for edits in place.
func (p *Poll) Ref() string { return "poll:" + string(p.Community) + ":" + p.ID() }

// Open reports whether ballots are still accepted.
func (p *Poll) Open() bool { return p.Status == PollOpen }

// Ballots returns the number of ballots cast so far.
func (p *Poll) Ballots() int {
	if p.Live == nil {
		return 0
	}
	return p.Live.Ballots
}

// Grades returns the names of the poll's grades, worst first (judgment).
func (p *Poll) Grades() []string {
	if len(p.Settings.Grades) > 0 {
		return p.Settings.Grades
	}
	return DefaultGrades
}

// IsJury reports whether person is on the poll's jury (contest).
func (p *Poll) IsJury(person PersonID) bool { return slices.Contains(p.Settings.Jury, person) }

// TallySettings returns the settings the counting method reads.
func (p *Poll) TallySettings() tally.Settings {
	s := p.Settings
	dots := s.Dots
	if p.Method == MethodBudget {
		dots = s.Points
	}
	t := tally.Settings{ScaleMin: s.ScaleMin, ScaleMax: s.ScaleMax, Dots: dots, Grades: len(p.Grades()), JuryWeight: s.JuryWeight, Seats: s.Seats, Meek: s.Meek}
	if s.LotSeed != nil {
		t.Lots, t.LotSeed = true, *s.LotSeed
	}
	return t
}

// Ranked reports whether the method takes ranked ballots (irv, schulze, borda,
// stv). An stv ballot ranks without ties.
func Ranked(m tally.Method) bool {
	return m == tally.IRV || m == tally.Schulze || m == tally.Borda || m == tally.STV
}

// ParseMethod returns the method named s ("" and false when there is none).
func ParseMethod(s string) (tally.Method, bool) {
	s = fold(s)
	for _, m := range tally.Methods() {
		if string(m) == s {
			return m, true
		}
	}
	return "", false
}

// PollSpec is what opening a poll takes: /poll new, or another part of the
// product (a meeting's date poll).
type PollSpec struct {
	Method   tally.Method
	Question string
	// Options in order. A label that is a project ID ("P3") makes the option that
	// project; a date poll's options need a Slot.
	Options  []PollOption
	Settings PollSettings
}

var projectLabel = regexp.MustCompile(`^[Pp][0-9]{1,7}$`)

func pollKey(c CommunityID, num int) string { return key(string(c), pad(uint64(num))) }

// OpenPoll opens a poll in actor's community and, when it has a deadline, schedules
// its closing in the same transaction. Any member may open one. Settings left zero
// get the product's defaults (scale 0–5, 8 dots, the six grades, a jury weighing
// 50%). Returns CodeInvalid for a bad method, question, option or setting (a
// setting that does not apply to the method included), CodeNotFound for an option
// naming a missing project.
func (tx *Tx) OpenPoll(actor *Member, spec PollSpec) (*Poll, error) {
	if _, ok := ParseMethod(string(spec.Method)); !ok && spec.Method != MethodBudget {
		return nil, Errorf(CodeInvalid, "err.poll_method", "method", string(spec.Method))
	}
	m := spec.Method
	question, err := checkText(spec.Question, MaxQuestionLen, "question")
	if err != nil {
		return nil, err
	}
	if n := len(spec.Options); n < MinPollOptions || n > MaxPollOptions {
		return nil, Errorf(CodeInvalid, "err.poll_options", "min", MinPollOptions, "max", MaxPollOptions, "n", n)
	}
	p := &Poll{
		Community: actor.Community, Method: m, Question: question, Settings: spec.Settings,
		Status: PollOpen, Author: actor.Person, Created: tx.now,
	}
	seen := map[string]bool{}
	for _, o := range spec.Options {
		label, err := checkText(o.Label, MaxNameLen, "option")
		if err != nil {
			return nil, err
		}
		if strings.ContainsAny(label, ",>=|") {
			return nil, Errorf(CodeInvalid, "err.poll_option_chars", "label", label)
		}
		o.Label, o.Project = label, 0
		if projectLabel.MatchString(label) {
			pr, err := tx.Project(actor.Community, label)
			if err != nil {
				return nil, err
			}
			o.Label, o.Project = pr.ID(), pr.Num
		}
		if f := fold(o.Label); seen[f] {
			return nil, Errorf(CodeInvalid, "err.poll_option_dup", "label", o.Label)
		} else {
			seen[f] = true
		}
		if m == tally.Date {
			if o.Slot.IsZero() {
				return nil, Errorf(CodeInvalid, "err.poll_slot", "label", o.Label)
			}
			if !o.Slot.After(tx.now) && !(o.AllDay && sameDay(o.Slot, tx.now)) {
				return nil, Errorf(CodeInvalid, "err.poll_slot_past", "label", o.Label)
			}
		} else {
			o.Slot, o.AllDay = time.Time{}, false
		}
		if m != MethodBudget {
			o.Cost = 0
		}
		p.Options = append(p.Options, o)
	}
	if err := tx.checkPollSettings(p); err != nil {
		return nil, err
	}
	if err := tx.checkAssemblySettings(p); err != nil {
		return nil, err
	}
	live, err := tally.NewLive(p.BallotMethod(), len(p.Options), p.TallySettings())
	if err != nil {
		return nil, Internal("open poll", err)
	}
	p.Live = live
	c, err := tx.Community(actor.Community)
	if err != nil {
		return nil, err
	}
	if p.Num, err = tx.nextShortID(c, "V"); err != nil {
		return nil, err
	}
	if err := tx.putPoll(p); err != nil {
		return nil, err
	}
	if !p.Settings.Until.IsZero() {
		if err := tx.Schedule(Job{ID: pollJobID(p), Due: p.Settings.Until, Kind: JobPollClose, Community: p.Community, Ref: p.ID()}); err != nil {
			return nil, err
		}
	}
	if err := tx.scheduleReminder(p); err != nil {
		return nil, err
	}
	return p, nil
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.In(a.Location()).Date()
	return ay == by && am == bm && ad == bd
}

func pollJobID(p *Poll) string { return "poll-close:" + string(p.Community) + ":" + p.ID() }

// checkPollSettings applies defaults and refuses settings out of range or foreign
// to the method.
func (tx *Tx) checkPollSettings(p *Poll) error {
	s := &p.Settings
	m := p.Method
	foreign := func(setting string) error {
		return Errorf(CodeInvalid, "err.poll_setting_method", "setting", setting, "method", string(m))
	}
	if m != tally.Score && (s.ScaleMin != 0 || s.ScaleMax != 0) {
		return foreign("scale")
	}
	if m != tally.Judgment && len(s.Grades) > 0 {
		return foreign("grades")
	}
	if m != tally.Dot && s.Dots != 0 {
		return foreign("dots")
	}
	if m != tally.Contest && (len(s.Jury) > 0 || s.JuryWeight != 0) {
		return foreign("jury")
	}
	if m != tally.STV && s.Seats != 0 {
		return foreign("seats")
	}
	if m != tally.STV && s.Meek {
		return foreign("meek")
	}
	if m != tally.STV && s.LotSeed != nil {
		return foreign("lots")
	}
	if m != MethodBudget && s.budgetSettingsSet() {
		return foreign("budget")
	}
	if m == MethodBudget {
		if err := tx.checkBudgetPoll(p); err != nil {
			return err
		}
	}
	if s.Quorum < 0 || s.Quorum > MaxPollQuorum {
		return Errorf(CodeInvalid, "err.poll_quorum", "max", MaxPollQuorum)
	}
	if !s.Until.IsZero() && !s.Until.After(tx.now) {
		return Errorf(CodeInvalid, "err.date_past")
	}
	switch m {
	case tally.Score:
		if s.ScaleMin == 0 && s.ScaleMax == 0 {
			s.ScaleMin, s.ScaleMax = DefaultScaleMin, DefaultScaleMax
		}
		if s.ScaleMin >= s.ScaleMax || s.ScaleMin < -MaxPollScale || s.ScaleMax > MaxPollScale {
			return Errorf(CodeInvalid, "err.poll_scale", "min", s.ScaleMin, "max", s.ScaleMax, "limit", MaxPollScale)
		}
	case tally.Dot:
		if s.Dots == 0 {
			s.Dots = DefaultDots
		}
		if s.Dots < 1 || s.Dots > MaxPollDots {
			return Errorf(CodeInvalid, "err.poll_dots", "max", MaxPollDots)
		}
	case tally.Judgment:
		if len(s.Grades) > 0 {
			if len(s.Grades) < 2 || len(s.Grades) > 10 {
				return Errorf(CodeInvalid, "err.poll_grades", "min", 2, "max", 10)
			}
			seen := map[string]bool{}
			for i, g := range s.Grades {
				g, err := checkText(g, MaxGradeLen, "grade")
				if err != nil {
					return err
				}
				if strings.ContainsAny(g, ",>=|") || seen[fold(g)] {
					return Errorf(CodeInvalid, "err.poll_grades", "min", 2, "max", 10)
				}
				seen[fold(g)] = true
				s.Grades[i] = g
			}
		}
	case tally.STV:
		// Seats fill from the options: at least one option more than seats.
		if s.Seats < 1 || s.Seats >= len(p.Options) {
			return Errorf(CodeInvalid, "err.poll_seats", "seats", s.Seats, "options", len(p.Options), "max", len(p.Options)-1)
		}
	case tally.Contest:
		if len(s.Jury) > 0 && s.JuryWeight == 0 {
			s.JuryWeight = DefaultJuryPct
		}
		if s.JuryWeight < 0 || s.JuryWeight > 100 {
			return Errorf(CodeInvalid, "err.poll_weight")
		}
		if len(s.Jury) == 0 && s.JuryWeight > 0 {
			return Errorf(CodeInvalid, "err.poll_no_jury")
		}
		jury := s.Jury[:0:0]
		for _, id := range s.Jury {
			if !slices.Contains(jury, id) {
				jury = append(jury, id)
			}
		}
		s.Jury = jury
	}
	return nil
}

// Poll returns poll id ("V2") of community c. Returns CodeInvalid for a malformed
// ID and CodeNotFound ("err.no_poll").
func (tx *Tx) Poll(c CommunityID, id string) (*Poll, error) {
	n, err := ParseShortID('V', id)
	if err != nil {
		return nil, err
	}
	p, err := tx.pollNum(c, n)
	if ErrorCode(err) == CodeNotFound {
		return nil, Errorf(CodeNotFound, "err.no_poll", "id", strings.ToUpper(strings.TrimSpace(id)))
	}
	return p, err
}

func (tx *Tx) pollNum(c CommunityID, n int) (*Poll, error) {
	p, err := getDecoded(tx, bucketPoll, pollKey(c, n), (*Poll).clone)
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(CodeNotFound, "err.no_poll", "id", "V"+strconv.Itoa(n))
	}
	return p, tx.readLive(p)
}

// readLive sets p.Live to the poll's running tally, its own record; a poll
// written before the tally had one keeps the tally its record held until its
// next ballot writes the tally's record.
func (tx *Tx) readLive(p *Poll) error {
	live, err := getDecoded(tx, bucketLive, pollKey(p.Community, p.Num), (*tally.Live).Clone)
	if ok, err := found(err); err != nil {
		return err
	} else if ok {
		p.Live = live
	}
	if p.Live == nil {
		return Internal("read poll", Errorf(CodeInternal, "poll without running tally"))
	}
	return nil
}

// Polls returns the polls of community c, oldest first; only the open ones when
// openOnly is set.
func (tx *Tx) Polls(c CommunityID, openOnly bool) ([]*Poll, error) {
	var out []*Poll
	err := scanJSON(tx, bucketPoll, string(c)+"/", false, func(_ string, p *Poll) error {
		if !openOnly || p.Open() {
			out = append(out, p)
		}
		return nil
	})
	for _, p := range out {
		if err != nil {
			break
		}
		err = tx.readLive(p)
	}
	return out, err
}

// putPoll writes p: its record, and its running tally's.
func (tx *Tx) putPoll(p *Poll) error {
	rec := *p
	rec.Live = nil
	if err := tx.putJSON(bucketPoll, pollKey(p.Community, p.Num), &rec); err != nil {
		return err
	}
	return tx.putLive(p)
}

// putLive writes p's running tally, all a ballot changes of the poll. The tally
// is kept decoded as written, so that the poll's next ballot reads it without
// decoding it (a tally decodes to what it was encoded from: TestLive_RoundTrip).
func (tx *Tx) putLive(p *Poll) error {
	return putDecoded(tx, bucketLive, pollKey(p.Community, p.Num), p.Live, (*tally.Live).Clone)
}

// CanClosePoll reports whether m may close p: its author, facilitators and admins.
func CanClosePoll(m *Member, p *Poll) bool {
	return m.Person == p.Author || m.Role.AtLeast(RoleFacilitator)
}

// ClosePoll closes p now and counts it. actor is nil when the deadline closes it;
// otherwise only the author, facilitators and admins may (CodeForbidden). Returns
// CodeConflict when p is already closed. The result is kept and indexed in the
// community's sharing space; the deadline job, if any, is cancelled, and unfinished
// ballot dialogs of the poll are dropped. Counting reads every ballot once.
func (tx *Tx) ClosePoll(actor *Member, p *Poll) (*tally.Result, error) {
	if actor != nil && !CanClosePoll(actor, p) {
		return nil, Errorf(CodeForbidden, "err.poll_close_forbidden", "id", p.ID())
	}
	if !p.Open() {
		return nil, Errorf(CodeConflict, "err.poll_closed", "id", p.ID())
	}
	ballots, err := tx.pollBallots(p)
	if err != nil {
		return nil, err
	}
	res, err := tally.Count(p.BallotMethod(), len(p.Options), ballots, p.TallySettings())
	if err != nil {
		return nil, Internal("count poll "+p.ID(), err)
	}
	res.Method = p.Method
	if res.Budget, err = tx.closeBudget(p, ballots); err != nil {
		return nil, err
	}
	p.Status, p.Closed = PollClosed, tx.now
	if actor != nil {
		p.ClosedBy = actor.Person
	}
	p.QuorumMet = res.Ballots >= p.Settings.Quorum
	if p.QuorumMet && p.Settings.QuorumPresent > 0 {
		if p.QuorumMet, err = tx.presentQuorumMet(p, res.Ballots); err != nil {
			return nil, err
		}
	}
	if p.Members, err = tx.CountMembers(p.Community); err != nil {
		return nil, err
	}
	if err := tx.putPoll(p); err != nil {
		return nil, err
	}
	if err := tx.putJSON(bucketPollResult, pollKey(p.Community, p.Num), &res); err != nil {
		return nil, err
	}
	if err := tx.Unschedule(pollJobID(p)); err != nil {
		return nil, err
	}
	if err := tx.Unschedule(remindJobID(p)); err != nil {
		return nil, err
	}
	if err := tx.dropPollDialogs(p); err != nil {
		return nil, err
	}
	return &res, tx.index(p.Community, "result", p.ID(), tx.resultText(p, &res))
}

// resultText is what /find searches in a closed poll: its question and the labels
// of its winners (with project titles).
func (tx *Tx) resultText(p *Poll, res *tally.Result) string {
	var b strings.Builder
	b.WriteString(p.Question)
	if !Decided(p, res) || len(res.Ranking) == 0 {
		return b.String()
	}
	b.WriteString(" →")
	for _, i := range res.Ranking[0] {
		b.WriteString(" " + tx.OptionLabel(p, i))
	}
	return b.String()
}

// OptionLabel returns option i's label as people read it: a project option shows
// its title ("P3 Shared garden").
func (tx *Tx) OptionLabel(p *Poll, i int) string {
	o := p.Options[i]
	if o.Project > 0 {
		if pr, err := tx.Project(p.Community, o.Label); err == nil {
			return pr.ID() + " " + pr.Title
		}
	}
	return o.Label
}

// dropPollDialogs ends the ballot dialogs still open on p.
func (tx *Tx) dropPollDialogs(p *Poll) error {
	var drop []string
	err := scanJSON(tx, bucketDialog, "", false, func(k string, d *Dialog) error {
		if d.Kind == DialogBallot && d.Community == p.Community && d.Ref == p.ID() {
			drop = append(drop, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range drop {
		if err := tx.kv.Delete(bucketDialog, k); err != nil {
			return err
		}
	}
	return nil
}

// DialogBallot is the dialog kind of a ballot built step by step by direct message.
const DialogBallot = "ballot"

// PollResult returns the result kept when p closed. Returns CodeConflict
// ("err.poll_open") while p is open.
func (tx *Tx) PollResult(p *Poll) (*tally.Result, error) {
	if p.Open() {
		return nil, Errorf(CodeConflict, "err.poll_open", "id", p.ID())
	}
	res := new(tally.Result)
	if err := tx.getJSON(bucketPollResult, pollKey(p.Community, p.Num), res); err != nil {
		if ok, err := found(err); err != nil || ok {
			return nil, err
		}
		return nil, Internal("read poll result", Errorf(CodeInternal, "closed poll %s without result", p.ID()))
	}
	return res, nil
}

// Decided reports whether closed poll p's result res decided anything: its quorum
// was met and at least one ballot was cast (with none, every option ties and
// nothing was chosen).
func Decided(p *Poll, res *tally.Result) bool { return p.QuorumMet && res.Ballots > 0 }

// PollOutcome is a closed poll's result as other parts of the engine read it (a
// campaign split by a poll, `/allocate C1 by V1`).
type PollOutcome struct {
	Poll *Poll
	// Ranking lists tiers of option indexes, best first; a tier of several is a tie.
	// It is empty when nothing was decided: the quorum was not met, or no ballot
	// was cast.
	Ranking [][]int
	// Weights holds, per option, the method's own measure of support, never
	// negative: single and approval the ballots for it, date the yes answers, score
	// the total above the scale's minimum, dot the dots, borda the points, irv the
	// votes in the last round (0 for options eliminated earlier), contest the
	// weighted share in percent. It is nil for schulze, judgment and stv, which
	// rank without a measure that adds up.
	Weights []*big.Rat
	// Ballots is the number of ballots counted.
	Ballots int
}

// PollOutcome returns the outcome of closed poll id of community c. Returns
// CodeNotFound for an unknown poll and CodeConflict ("err.poll_open") while it is
// open.
func (tx *Tx) PollOutcome(c CommunityID, id string) (*PollOutcome, error) {
	p, err := tx.Poll(c, id)
	if err != nil {
		return nil, err
	}
	res, err := tx.PollResult(p)
	if err != nil {
		return nil, err
	}
	out := &PollOutcome{Poll: p, Ballots: res.Ballots, Ranking: [][]int{}}
	if Decided(p, res) {
		out.Ranking = res.Ranking
	}
	ints := func(v []int, shift int) []*big.Rat {
		w := make([]*big.Rat, len(v))
		for i, x := range v {
			w[i] = big.NewRat(int64(x-shift), 1)
		}
		return w
	}
	switch p.BallotMethod() {
	case tally.Single, tally.Approval, tally.Date:
		out.Weights = ints(res.Counts, 0)
	case tally.Score:
		w := make([]*big.Rat, len(res.Totals))
		counted := res.Ballots
		if res.Weight > 0 { // a weighted count: totals are in weight
			counted = res.Weight
		}
		for i, x := range res.Totals {
			w[i] = big.NewRat(int64(x)-int64(p.Settings.ScaleMin)*int64(counted), 1)
		}
		out.Weights = w
	case tally.Dot:
		out.Weights = ints(res.Totals, 0)
	case tally.Borda:
		out.Weights = cloneRats(res.Points)
	case tally.Contest:
		out.Weights = cloneRats(res.Shares)
	case tally.IRV:
		w := make([]*big.Rat, len(p.Options))
		for i := range w {
			w[i] = new(big.Rat)
		}
		if n := len(res.Rounds); n > 0 {
			for i, v := range res.Rounds[n-1].Votes {
				if v != nil {
					w[i].Set(v)
				}
			}
		}
		out.Weights = w
	}
	return out, nil
}

// IntWeights returns Weights scaled to integers in the same proportions (by the
// least common multiple of their denominators), for splitting money with
// SplitByWeights. ok is false when the method has no weights or they do not fit
// in int64.
func (o *PollOutcome) IntWeights() (w []int64, ok bool) {
	if o.Weights == nil {
		return nil, false
	}
	lcm := big.NewInt(1)
	for _, x := range o.Weights {
		d := x.Denom()
		g := new(big.Int).GCD(nil, nil, lcm, d)
		lcm.Mul(lcm, new(big.Int).Quo(d, g))
	}
	w = make([]int64, len(o.Weights))
	for i, x := range o.Weights {
		n := new(big.Int).Mul(x.Num(), new(big.Int).Quo(lcm, x.Denom()))
		if !n.IsInt64() {
			return nil, false
		}
		w[i] = n.Int64()
	}
	return w, true
}

func cloneRats(v []*big.Rat) []*big.Rat {
	out := make([]*big.Rat, len(v))
	for i, x := range v {
		out[i] = new(big.Rat)
		if x != nil {
			out[i].Set(x)
		}
	}
	return out
}

// pollSnapshots returns community c's polls for the export.
func (tx *Tx) pollSnapshots(c CommunityID) ([]PollSnapshot, error) {
	ps, err := tx.Polls(c, false)
	if err != nil {
		return nil, err
	}
	out := []PollSnapshot{}
	for _, p := range ps {
		s := PollSnapshot{
			ID: p.ID(), Method: string(p.Method), Status: p.Status, Ballots: p.Ballots(),
			Ranking: [][]string{}, Question: p.Question, Options: []string{},
			Secret: p.Settings.Secret, Hidden: p.Settings.Hidden, Quorum: p.Settings.Quorum,
		}
		for i := range p.Options {
			s.Options = append(s.Options, tx.OptionLabel(p, i))
		}
		if !p.Settings.Until.IsZero() {
			until := p.Settings.Until
			s.Until = &until
		}
		if !p.Open() {
			res, err := tx.PollResult(p)
			if err != nil {
				return nil, err
			}
			closed := p.Closed
			s.Closed, s.Ballots = &closed, res.Ballots
			met := p.QuorumMet
			s.QuorumMet = &met
			if b := res.Budget; b != nil && met {
				s.Result = &PollResultSnapshot{Rule: string(b.Rule), BudgetResultFields: BudgetResultFields{
					Budget: p.Settings.Budget.Amount, Currency: p.Settings.Budget.Currency,
					Selected: []string{}, Spent: b.Spent, Greedy: []string{}}}
				if b.Spent+b.Left > 0 {
					s.Result.Budget = b.Spent + b.Left
				}
				for _, i := range b.Selected {
					s.Result.Selected = append(s.Result.Selected, tx.OptionLabel(p, i))
				}
				for _, i := range b.Greedy {
					s.Result.Greedy = append(s.Result.Greedy, tx.OptionLabel(p, i))
				}
			}
			if Decided(p, res) {
				for _, tier := range res.Ranking {
					labels := []string{}
					for _, i := range tier {
						labels = append(labels, tx.OptionLabel(p, i))
					}
					s.Ranking = append(s.Ranking, labels)
				}
				if p.Method == tally.STV {
					s.Result = STVSnapshot(STVRule(p.Settings), s.Options, res)
				}
			}
		}
		if err := tx.assemblySnapshot(p, &s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
