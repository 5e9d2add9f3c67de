package bots

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// builderTTL is how long a ballot built step by step waits for the next step.
const builderTTL = 24 * time.Hour

// maxValueButtons is the most value buttons a step of a ballot offers; a wider
// scale is typed.
const maxValueButtons = 11

// cmdVote: /vote V1 CHOICE casts or changes a ballot; /vote V1 alone offers the
// ballot (buttons, a form, or a ballot built step by step by direct message).
func cmdVote(c *turn) error {
	c.private = true
	id := c.word()
	if id == "" {
		return c.usage()
	}
	if rest, ok := cutWord(c.args, "step"); ok {
		return voteStep(c, id, rest)
	}
	p, err := c.tx.Poll(c.comm.ID, id)
	if err != nil {
		return err
	}
	if c.secret = p.Settings.Secret; c.secret {
		// Receipts, ballots and steps shown back are not kept with the event key.
		c.tx.ForgetAnswer()
	}
	if !p.Open() {
		return core.Errorf(core.CodeConflict, "err.poll_closed", "id", p.ID())
	}
	text := strings.TrimSpace(c.args)
	if text == "" {
		return voteAsk(c, p)
	}
	var giver *core.Member
	if choice, tok, ok := c.cutProxy(text); ok {
		m, _, err := c.mention(tok)
		if err != nil {
			return err
		}
		if m.Person == c.person.ID {
			return core.Errorf(core.CodeInvalid, "err.proxy_self_vote")
		}
		giver, text = m, choice
		if text == "" {
			return c.usage()
		}
	}
	bc := c.ballotContext(p)
	var values []int
	if rest, ok := strings.CutPrefix(text, "+"); ok && giver == nil && (p.BallotMethod() == tally.Approval || p.BallotMethod() == tally.Date) {
		values, err = c.patchBallot(bc, rest)
	} else {
		values, err = parseChoice(bc, text)
	}
	if errors.Is(err, errUsage) {
		return c.usage()
	} else if err != nil {
		return err
	}
	if giver != nil {
		return c.castBallotFor(c.comm, giver, p, values)
	}
	return c.castBallot(c.comm, c.member, p, values)
}

// patchBallot applies a button's change to the member's ballot: "+N" approves or
// unapproves option N (approval), "+N=yes" answers for slot N (date).
func (c *turn) patchBallot(bc *ballotContext, s string) ([]int, error) {
	p := bc.poll
	current, voted, err := c.tx.MyBallot(c.person.ID, p)
	if err != nil {
		return nil, err
	}
	if voted && current == nil {
		return nil, core.Errorf(core.CodeConflict, "err.vote_final", "id", p.ID())
	}
	values := make([]int, len(p.Options))
	copy(values, current)
	left, right, hasValue := strings.Cut(s, "=")
	i, err := bc.option(left)
	if err != nil {
		return nil, err
	}
	switch {
	case p.BallotMethod() == tally.Approval && !hasValue:
		values[i] = 1 - values[i]
	case hasValue:
		v, err := bc.value(strings.TrimSpace(right))
		if err != nil {
			return nil, err
		}
		values[i] = v
	default:
		return nil, core.Errorf(core.CodeInvalid, "err.vote_pairs", "id", p.ID())
	}
	return values, nil
}

// castBallot records member's ballot, answers with a receipt (privately) and
// schedules the poll message's edit.
func (c *turn) castBallot(comm *core.Community, member *core.Member, p *core.Poll, values []int) error {
	if comm != c.comm { // a ballot by direct message: the poll's community
		return c.within(comm, func() error { return c.castBallot(comm, member, p, values) })
	}
	rc, err := c.tx.Vote(member, p, values)
	if err != nil {
		return err
	}
	if p.Settings.Secret {
		// The receipt shows the choice: it is not kept with the event key.
		c.tx.ForgetAnswer()
	}
	return c.receipt(comm, p, values, rc, "")
}

// castBallotFor records, by the member in context, the ballot of giver, who gave
// them their proxy for p's meeting; the holder gets the receipt and the giver is
// told privately (without the choice in a secret poll).
func (c *turn) castBallotFor(comm *core.Community, giver *core.Member, p *core.Poll, values []int) error {
	rc, err := c.tx.VoteFor(c.member, giver, p, values)
	if err != nil {
		return err
	}
	if p.Settings.Secret {
		c.tx.ForgetAnswer()
	}
	if err := c.tellGiver(p, giver.Person, c.pollBallot(p, values, c.lang), rc.Changed); err != nil {
		return err
	}
	return c.receipt(comm, p, values, rc, c.personName(giver.Person))
}

// receipt answers a cast ballot privately (for: the giver's name when a proxy
// voted) and schedules the poll message's edit.
func (c *turn) receipt(comm *core.Community, p *core.Poll, values []int, rc *core.VoteReceipt, forName string) error {
	data := voteReceiptText{
		ID: p.ID(), Question: p.Question, Ballot: c.pollBallot(p, values, c.lang),
		Changed: rc.Changed, Secret: rc.Secret, Final: rc.Final, Until: c.pollUntil(p),
		For: forName, Weight: rc.Weight, Weighted: p.Weighted(), ReplacedProxy: rc.ReplacedProxy,
	}
	m := c.here(true)
	m.Text = c.ownText("vote.receipt", data)
	if p.Settings.Secret {
		// Sent at once it shows the choice; waiting in the outbox, only that
		// the ballot is counted.
		data.Ballot = ""
		m.Kept = c.ownText("vote.receipt_kept", data)
	}
	c.answer(m)
	return c.refreshPoll(p)
}

// voteAsk offers the ballot of p: its buttons for a one-press ballot, otherwise a
// form where the platform has them, else a ballot built step by step by direct
// message.
func voteAsk(c *turn, p *core.Poll) error {
	if err := c.tx.InElectorate(p, c.member); err != nil {
		return err
	}
	if !c.tx.BallotsChangeable(p) {
		if _, voted, err := c.tx.MyBallot(c.person.ID, p); err != nil {
			return err
		} else if voted {
			return core.Errorf(core.CodeConflict, "err.vote_final", "id", p.ID())
		}
	}
	if c.pollPressable(p) {
		rows, err := c.pollVoteRows(p, c.lang)
		if err != nil {
			return err
		}
		c.replyPrivate("poll.message", c.pollViewOf(p, c.lang), rows...)
		return nil
	}
	if c.ev.CanForm {
		return c.askForm(c.ballotForm(p))
	}
	d := &core.Dialog{
		Kind: core.DialogBallot, Community: p.Community, Ref: p.ID(),
		Data: map[string]string{}, Expires: c.tx.Now().Add(builderTTL),
	}
	if !core.Ranked(p.BallotMethod()) {
		d.Data["vals"] = joinInts(defaultValues(p))
	}
	if err := c.tx.SetDialog(c.person.ID, d); err != nil {
		return err
	}
	return c.builderStep(p, d)
}

// defaultValues is a ballot with nothing chosen: unscored, unrated, unranked, no.
func defaultValues(p *core.Poll) []int {
	v := make([]int, len(p.Options))
	if p.BallotMethod() == tally.Score {
		for i := range v {
			v[i] = p.Settings.ScaleMin
		}
	}
	return v
}

// ballotForm is the form of a whole ballot: one field per option.
func (c *turn) ballotForm(p *core.Poll) Form {
	f := Form{Title: clip(c.text("vote.form_title", voteFormTitleText{ID: p.ID(), Question: p.Question}), 45)}
	var pairs []string
	for i := range p.Options {
		name := "o" + strconv.Itoa(i+1)
		fl := Field{Name: name, Label: clip(strconv.Itoa(i+1)+". "+c.tx.OptionLabel(p, i), 45), Optional: true}
		switch {
		case core.Ranked(p.BallotMethod()):
			fl.Placeholder = c.text("vote.form_rank", nil)
		case p.BallotMethod() == tally.Score:
			fl.Placeholder = c.text("vote.form_score", voteFormScoreText{Min: p.Settings.ScaleMin, Max: p.Settings.ScaleMax})
			fl.Blank = blankValue
		case p.BallotMethod() == tally.Dot:
			fl.Placeholder = c.text("vote.form_dots", voteFormDotsText{Dots: p.TallySettings().Dots})
			fl.Blank = blankValue
		case p.BallotMethod() == tally.Judgment:
			fl.Optional = false
			for g, name := range p.Grades() {
				fl.Options = append(fl.Options, Option{Label: c.pollGrade(p, g, c.lang), Value: name})
			}
		default: // approval, date
			fl.Optional = false
			for _, a := range answerKeys(p) {
				fl.Options = append(fl.Options, Option{Label: c.text("answer."+a, nil), Value: a})
			}
		}
		f.Fields = append(f.Fields, fl)
		pairs = append(pairs, strconv.Itoa(i+1)+"={"+name+"}")
	}
	if core.Ranked(p.BallotMethod()) {
		var ranks []string
		for _, fl := range f.Fields {
			ranks = append(ranks, "{"+fl.Name+"}")
		}
		f.Command = "/vote " + p.ID() + " ranks " + strings.Join(ranks, ";")
	} else {
		f.Command = "/vote " + p.ID() + " " + strings.Join(pairs, ", ")
	}
	return f
}

// answerKeys are the answers of an approval or date ballot, best first.
func answerKeys(p *core.Poll) []string {
	if p.BallotMethod() == tally.Date {
		return []string{"yes", "maybe", "no"}
	}
	return []string{"yes", "no"}
}

// voteStep: /vote V1 step VALUE — the next step of a ballot built by direct message
// (what its buttons run).
func voteStep(c *turn, id, arg string) error {
	d, err := c.tx.Dialog(c.person.ID)
	if err != nil {
		return err
	}
	if d == nil || d.Kind != core.DialogBallot || !strings.EqualFold(d.Ref, strings.TrimSpace(id)) {
		return core.Errorf(core.CodeConflict, "err.vote_no_builder", "id", strings.ToUpper(id))
	}
	return ballotDialog(c, d, arg)
}

// ballotDialog takes one step of a ballot built by direct message: a value for the
// option being asked, or the next choice of a ranking ("done" ends it, "again"
// starts over).
func ballotDialog(c *turn, d *core.Dialog, text string) error {
	comm, err := c.tx.Community(d.Community)
	if err != nil {
		return err
	}
	member, err := c.tx.Member(d.Community, c.person.ID)
	if err != nil {
		return err
	}
	p, err := c.tx.Poll(d.Community, d.Ref)
	if err != nil {
		return err
	}
	c.private = true
	if p.Settings.Secret {
		c.secret = true
		c.tx.ForgetAnswer() // the steps show the choices made so far
	}
	if !p.Open() {
		if err := c.tx.EndDialog(c.person.ID); err != nil {
			return err
		}
		c.reply("err.poll_closed", map[string]any{"id": p.ID()})
		return nil
	}
	bc := c.ballotContext(p)
	text = strings.TrimSpace(text)
	if d.Data == nil {
		d.Data = map[string]string{}
	}
	if core.Ranked(p.BallotMethod()) {
		order := splitInts(d.Data["order"])
		done := false
		switch w := norm(text); {
		case w == "done" || c.b.aliases[w] == "done" || w == "fini" || w == "termine":
			done = len(order) > 0
			if !done {
				return core.Errorf(core.CodeInvalid, "err.vote_ranking", "id", p.ID())
			}
		case w == "again" || w == "restart" || w == "recommencer":
			order = nil
		default:
			i, err := bc.option(text)
			if err != nil {
				return err
			}
			for _, o := range order {
				if o == i {
					return core.Errorf(core.CodeInvalid, "err.vote_repeat", "choice", c.tx.OptionLabel(p, i))
				}
			}
			order = append(order, i)
		}
		if done || len(order) >= len(p.Options)-1 {
			values := make([]int, len(p.Options))
			for k, i := range order {
				values[i] = k + 1
			}
			if err := c.tx.EndDialog(c.person.ID); err != nil {
				return err
			}
			return c.castBallot(comm, member, p, values)
		}
		d.Data["order"] = joinInts(order)
	} else {
		vals := splitInts(d.Data["vals"])
		if len(vals) != len(p.Options) || d.Step >= len(vals) {
			return c.tx.EndDialog(c.person.ID)
		}
		v, err := bc.value(text)
		if err != nil {
			return err
		}
		if p.BallotMethod() == tally.Dot {
			sum := v
			for k := range d.Step {
				sum += vals[k]
			}
			if sum > p.TallySettings().Dots {
				return core.Errorf(core.CodeInvalid, "err.vote_dots", "id", p.ID(), "dots", p.TallySettings().Dots)
			}
		}
		vals[d.Step] = v
		d.Step++
		if d.Step >= len(vals) {
			if err := c.tx.EndDialog(c.person.ID); err != nil {
				return err
			}
			return c.castBallot(comm, member, p, vals)
		}
		d.Data["vals"] = joinInts(vals)
	}
	if err := c.tx.SetDialog(c.person.ID, d); err != nil {
		return err
	}
	return c.builderStep(p, d)
}

// builderStep asks the next step of a ballot built by direct message.
func (c *turn) builderStep(p *core.Poll, d *core.Dialog) error {
	cmd := "/vote " + p.ID() + " step "
	var pairs []string
	data := builderStepText{ID: p.ID(), Question: p.Question, Method: string(p.BallotMethod()), Steps: len(p.Options)}
	key := "vote.step"
	if core.Ranked(p.BallotMethod()) {
		key = "vote.step_rank"
		order := splitInts(d.Data["order"])
		var sofar []string
		picked := map[int]bool{}
		for _, i := range order {
			sofar = append(sofar, c.tx.OptionLabel(p, i))
			picked[i] = true
		}
		for i := range p.Options {
			if !picked[i] {
				pairs = append(pairs, c.tx.OptionLabel(p, i), cmd+strconv.Itoa(i+1))
			}
		}
		if len(order) > 0 {
			pairs = append(pairs, c.text("button.vote_done", nil), cmd+"done", c.text("button.vote_again", nil), cmd+"again")
		}
		data.SoFar, data.Rank = sofar, len(order)+1
	} else {
		vals := splitInts(d.Data["vals"])
		i := d.Step
		data.Step, data.Label = i+1, c.tx.OptionLabel(p, i)
		s := p.Settings
		switch p.BallotMethod() {
		case tally.Score:
			data.Min, data.Max = s.ScaleMin, s.ScaleMax
			if s.ScaleMax-s.ScaleMin < maxValueButtons {
				for v := s.ScaleMin; v <= s.ScaleMax; v++ {
					pairs = append(pairs, strconv.Itoa(v), cmd+strconv.Itoa(v))
				}
			}
		case tally.Dot:
			left := p.TallySettings().Dots
			for k := range i {
				left -= vals[k]
			}
			data.Left = left
			if left < maxValueButtons {
				for v := 0; v <= left; v++ {
					pairs = append(pairs, strconv.Itoa(v), cmd+strconv.Itoa(v))
				}
			}
		case tally.Judgment:
			for g, name := range p.Grades() {
				pairs = append(pairs, c.pollGrade(p, g, c.lang), cmd+name)
			}
		default:
			for _, a := range answerKeys(p) {
				pairs = append(pairs, c.text("answer."+a, nil), cmd+a)
			}
		}
	}
	var rows [][]Button
	for k := 0; k < len(pairs); k += 2 {
		row, err := c.buttons(pairs[k], pairs[k+1])
		if err != nil {
			return err
		}
		rows = append(rows, row)
	}
	m := c.toActor()
	m.Text, m.Buttons = c.text(key, data), rows
	c.answer(m)
	return nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

func splitInts(s string) []int {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]int, 0, len(parts))
	for _, p := range parts {
		n, _ := strconv.Atoi(p)
		out = append(out, n)
	}
	return out
}

// ballotContext returns what reading a CHOICE for p needs: each option's names.
func (c *turn) ballotContext(p *core.Poll) *ballotContext {
	return newBallotContext(c.tx, p)
}

func newBallotContext(tx *core.Tx, p *core.Poll) *ballotContext {
	bc := &ballotContext{poll: p, names: make([][]string, len(p.Options))}
	for i, o := range p.Options {
		names := []string{core.Fold(o.Label)}
		if o.Project > 0 {
			if pr, err := tx.Project(p.Community, o.Label); err == nil {
				names = append(names, core.Fold(pr.Title), core.Fold(pr.ID()+" "+pr.Title))
			}
		}
		bc.names[i] = names
	}
	return bc
}

// keepSecret gives every answer of a turn about a secret poll the text stored
// should it wait in the outbox (Message.Kept): a receipt says its ballot is
// counted, anything else (a step showing the choices so far) that the ballot is
// to be taken up again.
func (c *turn) keepSecret() {
	for i := range c.out {
		if c.out[i].Kept == "" {
			c.out[i].Kept = c.text("vote.secret_kept", nil)
		}
	}
}

// voteReceiptText is what the text vote.receipt, vote.receipt_kept shows.
type voteReceiptText struct {
	ID            string
	Question      string
	Ballot        string
	Changed       bool
	Secret        bool
	Final         bool
	Until         time.Time
	For           string // the giver's name, when a proxy voted for them
	Weight        int
	Weighted      bool
	ReplacedProxy bool
}

// voteFormTitleText is what the text vote.form_title shows.
type voteFormTitleText struct {
	ID       string
	Question string
}

// voteFormScoreText is what the text vote.form_score shows.
type voteFormScoreText struct {
	Min int
	Max int
}

// voteFormDotsText is what the text vote.form_dots shows.
type voteFormDotsText struct {
	Dots int
}

// builderStepText is what the texts vote.step, vote.step_rank show.
type builderStepText struct {
	ID, Question, Method string
	Steps, Step, Rank    int
	Label                string
	SoFar                []string // ranked: the options ranked so far
	Min, Max, Left       int
}
