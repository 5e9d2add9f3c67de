package bots

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/engage-org/engage/bots/when"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/llm"
)

// The language model's part of check-ins: reading a referent's free-text reply, and
// drafting the opening of the digest and of the facilitator's nudge. In every case
// the rules stay in charge: what the model says is used only where it passes them.

const (
	// checkinMinConfidence is the confidence below which a reading is not used.
	checkinMinConfidence = 0.6
	// maxModelStep bounds a step the model words, in runes.
	maxModelStep = 300
	// maxDueAhead is how far ahead a due date the model gives may lie.
	maxDueAhead = 2 * 365 * 24 * time.Hour
)

// checkinQuestions names the three questions for the model, by dialog step.
var checkinQuestions = []string{"step", "due", "shared"}

// modelReading returns rules, the rules' reading of a check-in reply, completed with
// the model's reading when the model is on for the community and its reading
// passes the rules (mergeReading). Without a model, or on any failure, it is rules.
func (c *turn) modelReading(st *checkinState, d *core.Dialog, text string, rules Answer) (Answer, error) {
	if !c.b.modelOn(st.comm) || d.Step < 0 || d.Step >= len(checkinQuestions) {
		return rules, nil
	}
	loc := st.comm.Location()
	now := c.tx.Now().In(loc)
	in := llm.CheckinInput{
		Today: now.Format("2006-01-02"), Weekday: now.Weekday().String(), TimeZone: loc.String(),
		Language: st.comm.Lang, Question: checkinQuestions[d.Step], Project: st.p.Title, Reply: text,
	}
	if st.p.NextStep != nil {
		in.Current = st.p.NextStep.Text
	}
	out, err := c.ask(st.comm, st.comm.Lang, in)
	r, ok := out.(llm.CheckinReading)
	if err != nil || !ok {
		return rules, err
	}
	a, refused := mergeReading(rules, r, text, in.Current, c.tx.Now(), loc)
	if refused != "" {
		c.b.log.Info("llm check-in reading not used", "community", st.comm.ID, "why", refused)
	}
	return a, nil
}

// mergeReading completes the rules' reading of text with a model's reading r,
// field by field, each only when it passes the rules:
//   - nothing at all below checkinMinConfidence;
//   - the step, worded by the model, when it reads as a step (StepUsable), is at
//     most maxModelStep runes, is drawn from the reply's own words (grounded), and
//     holds no command, link, mention, redaction mark or number the reply lacks;
//     it replaces the rules' step (the rest of a sentence once dates are cut out);
//   - the due date only when the rules read none: a YYYY-MM-DD day from today to
//     maxDueAhead, in the community's zone; "none" counts as "no date";
//   - the shared flag only when the rules read none.
//
// It returns the merged reading and, when something of r was refused, why.
func mergeReading(rules Answer, r llm.CheckinReading, text, current string, now time.Time, loc *time.Location) (Answer, string) {
	if r.Confidence < checkinMinConfidence {
		return rules, "low confidence"
	}
	a := rules
	var refused []string
	if s := strings.TrimSpace(r.NextStep); s != "" {
		if step, why := checkModelStep(s, text, current); why == "" {
			a.Step, a.Same = step, false
		} else {
			refused = append(refused, "step: "+why)
		}
	}
	switch due := strings.TrimSpace(r.DueDate); {
	case due == "" || rules.HasDue:
	case strings.EqualFold(due, "none"):
		a.NoDue = true
	default:
		day, err := time.ParseInLocation("2006-01-02", due, loc)
		today := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 0, 0, 0, 0, loc)
		switch {
		case err != nil:
			refused = append(refused, "due date unreadable")
		case day.Before(today):
			refused = append(refused, "due date past")
		case day.After(now.Add(maxDueAhead)):
			refused = append(refused, "due date too far")
		default:
			a.Due, a.HasDue, a.PastDue, a.NoDue = when.Date{Time: day}, true, false, false
		}
	}
	if rules.Shared == 0 {
		switch r.Shared {
		case "yes":
			a.Shared = 1
		case "no":
			a.Shared = -1
		}
	}
	return a, strings.Join(refused, "; ")
}

// checkModelStep checks a step the model worded from the reply text (current is
// the step recorded until now, which "same" copies). It returns the step, or why
// it is refused.
func checkModelStep(s, text, current string) (string, string) {
	if !StepUsable(s) {
		return "", "not a step"
	}
	if utf8.RuneCountInString(s) > maxModelStep {
		return "", "too long"
	}
	checked, err := llm.CheckSummary(s, maxModelStep, text, current)
	if err != nil {
		return "", err.Error()
	}
	if !grounded(checked, text+" "+current) {
		return "", "not in the reply's words"
	}
	return checked, ""
}

// grounded reports whether the words of step come from src: at least 60% of its
// words of four letters or more (by their first four letters, so that "finir" and
// "finit" match) appear in src, and at least one does.
func grounded(step, src string) bool {
	have := map[string]bool{}
	for _, w := range splitWords(src) {
		have[stem(w.f)] = true
	}
	total, found := 0, 0
	for _, w := range splitWords(step) {
		if utf8.RuneCountInString(w.f) < 4 {
			continue
		}
		total++
		if have[stem(w.f)] {
			found++
		}
	}
	return found > 0 && found*10 >= total*6
}

// stem is a folded word's first four letters.
func stem(w string) string {
	r := []rune(w)
	if len(r) > 4 {
		r = r[:4]
	}
	return string(r)
}

// draftOpening asks the model for the opening of a digest or a nudge to comm, in
// lang, from facts; it returns "" (the template's text alone) when the model is off,
// fails, or writes anything CheckDraft refuses: a number that is not a fact's, a
// link, a command, a mention.
func (c *turn) draftOpening(kind, lang string, facts map[string]any) (string, error) {
	comm := c.comm
	if !c.b.modelOn(comm) {
		return "", nil
	}
	out, err := c.ask(comm, lang, llm.DraftInput{Kind: kind, Language: lang, Community: comm.Name, Facts: facts})
	text, ok := out.(string)
	if err != nil || !ok {
		return "", err
	}
	checked, err := llm.CheckDraft(text, factNumbers(facts))
	if err != nil {
		c.b.log.Info("llm draft not used", "community", comm.ID, "kind", kind, "why", err)
		return "", nil
	}
	return checked, nil
}

// factNumbers are the numbers a draft may write: the facts' counts, and the day,
// month and year of their dates.
func factNumbers(facts map[string]any) []int64 {
	var out []int64
	for _, v := range facts {
		switch x := v.(type) {
		case int:
			out = append(out, int64(x))
		case string:
			for _, n := range llm.NumbersIn(x) {
				out = append(out, n.Value)
			}
		}
	}
	return out
}

// digestFacts are the facts of a digest a model may draft its opening from.
func digestFacts(dg *digest) map[string]any {
	f := map[string]any{"projects": len(dg.Steps), "news": len(dg.News), "open_campaigns": len(dg.Campaigns)}
	steps, overdue := 0, 0
	for _, s := range dg.Steps {
		if s.Text != "" {
			steps++
		}
		if s.Overdue {
			overdue++
		}
	}
	f["next_steps"], f["overdue_steps"] = steps, overdue
	if dg.Meeting != nil {
		f["next_meeting"] = dg.Meeting.At.Format("2006-01-02")
	}
	return f
}

// nudgeFacts are the facts of a facilitator's agenda (nudgeData) a model may draft
// its opening from.
func nudgeFacts(data *nudgeText) map[string]any {
	f := map[string]any{
		"referents_asked": len(data.Asked), "overdue_steps": len(data.Overdue),
		"unanswered_prompts": len(data.Waiting), "away": len(data.Away),
	}
	if m := data.Meeting; m != nil {
		f["next_meeting"] = m.At.Format("2006-01-02")
	} else {
		f["next_meeting"] = "none"
	}
	if h := data.Health; h != nil {
		f["members"], f["active_members"], f["active_projects"] = h.Members, h.Active, h.Projects
	}
	return f
}
