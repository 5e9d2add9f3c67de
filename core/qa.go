package core

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// A campaign's questions and answers become its shared FAQ: any member asks
// (/ask C1 QUESTION), an organiser answers (/answer C1 Q2 TEXT), and an entry made
// from the question and its answers is proposed to the organiser, who approves it
// before it is posted. The entry is the organiser's answer itself, or a summary a
// language model drafted; either way nothing reaches the FAQ without an organiser's
// approval.

// Limits on questions and FAQ entries.
const (
	MaxCampaignQuestionLen = 500 // runes of a question to a campaign
	MaxFAQQuestionLen      = 300 // runes of an entry's question
	MaxAnswersPer          = 10  // answers to one question
	MaxOpenQuestionsBy     = 10  // unanswered questions one member may have on one campaign
)

// Question is a member's question about a campaign, with the organisers' answers.
// Num is per campaign ("Q2" of C1).
type Question struct {
	Community CommunityID `json:"community"`
	Campaign  int         `json:"campaign"`
	Num       int         `json:"num"`
	Asker     PersonID    `json:"asker,omitempty"` // empty once the asker was forgotten
	Text      string      `json:"text"`
	At        time.Time   `json:"at"`
	Answers   []QAAnswer  `json:"answers,omitempty"`
	// Draft is the FAQ entry proposed from this question, waiting for an organiser's
	// approval (nil: none pending).
	Draft *FAQDraft `json:"draft,omitempty"`
	// FAQ is the number of the FAQ entry made from this question (0: none yet).
	FAQ int `json:"faq,omitempty"`
}

// ID returns the question's short ID ("Q2").
func (q *Question) ID() string { return "Q" + strconv.Itoa(q.Num) }

// QAAnswer is an organiser's answer to a question.
type QAAnswer struct {
	By   PersonID  `json:"by,omitempty"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// FAQDraft is a proposed FAQ entry. Model says a language model summarised it
// (organisers are shown so); otherwise it is the question and answer as typed.
type FAQDraft struct {
	Question string    `json:"question"`
	Answer   string    `json:"answer"`
	Model    bool      `json:"model,omitempty"`
	At       time.Time `json:"at"`
}

// FAQEntry is one approved entry of a campaign's FAQ.
type FAQEntry struct {
	Community  CommunityID `json:"community"`
	Campaign   int         `json:"campaign"`
	Num        int         `json:"num"`
	Question   string      `json:"question"`
	Answer     string      `json:"answer"`
	From       int         `json:"from"` // the question it was made from
	Model      bool        `json:"model,omitempty"`
	ApprovedBy PersonID    `json:"approved_by,omitempty"`
	At         time.Time   `json:"at"`
}

// qaKey is the key of question (or FAQ entry) num of campaign camp.
func qaKey(c CommunityID, camp, num int) string {
	return key(string(c), pad(uint64(camp)), pad(uint64(num)))
}

func (tx *Tx) putQuestion(q *Question) error {
	return tx.putJSON(bucketQuestion, qaKey(q.Community, q.Campaign, q.Num), q)
}

// Question returns question id ("Q2") of campaign c. Returns CodeInvalid for a
// malformed ID and CodeNotFound ("err.no_question").
func (tx *Tx) Question(c *Campaign, id string) (*Question, error) {
	n, err := ParseShortID('Q', id)
	if err != nil {
		return nil, err
	}
	q := new(Question)
	err = tx.getJSON(bucketQuestion, qaKey(c.Community, c.Num, n), q)
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(CodeNotFound, "err.no_question", "id", strings.ToUpper(strings.TrimSpace(id)), "campaign", c.ID())
	}
	return q, nil
}

// Questions returns the questions of campaign c, oldest first.
func (tx *Tx) Questions(c *Campaign) ([]*Question, error) {
	var out []*Question
	err := scanJSON(tx, bucketQuestion, key(string(c.Community), pad(uint64(c.Num)))+"/", false, func(_ string, q *Question) error {
		out = append(out, q)
		return nil
	})
	return out, err
}

// AskQuestion records actor's question about c; any member may ask, before, during
// or after the campaign. Returns CodeInvalid for an empty or too long text and
// CodeConflict ("err.too_many_questions") when actor already has
// MaxOpenQuestionsBy unanswered questions on c.
func (tx *Tx) AskQuestion(actor *Member, c *Campaign, text string) (*Question, error) {
	text, err := checkText(text, MaxCampaignQuestionLen, "question")
	if err != nil {
		return nil, err
	}
	qs, err := tx.Questions(c)
	if err != nil {
		return nil, err
	}
	open := 0
	for _, q := range qs {
		if q.Asker == actor.Person && len(q.Answers) == 0 {
			open++
		}
	}
	if open >= MaxOpenQuestionsBy {
		return nil, Errorf(CodeConflict, "err.too_many_questions", "max", MaxOpenQuestionsBy, "id", c.ID())
	}
	n, err := tx.next("question/" + string(c.Community) + "/" + strconv.Itoa(c.Num))
	if err != nil {
		return nil, err
	}
	q := &Question{Community: c.Community, Campaign: c.Num, Num: int(n), Asker: actor.Person, Text: text, At: tx.now}
	return q, tx.putQuestion(q)
}

// AnswerQuestion adds actor's answer to q. Organisers of c only: returns
// CodeForbidden ("err.not_organiser"), CodeInvalid for an empty or too long text
// and CodeConflict ("err.too_many_answers").
func (tx *Tx) AnswerQuestion(actor *Member, c *Campaign, q *Question, text string) error {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return err
	}
	text, err := checkText(text, MaxTextLen, "text")
	if err != nil {
		return err
	}
	if len(q.Answers) >= MaxAnswersPer {
		return Errorf(CodeConflict, "err.too_many_answers", "max", MaxAnswersPer, "id", q.ID())
	}
	q.Answers = append(q.Answers, QAAnswer{By: actor.Person, Text: text, At: tx.now})
	return tx.putQuestion(q)
}

// ProposeFAQ keeps d as the FAQ entry proposed from q, replacing any earlier
// proposal, until an organiser approves or discards it. Organisers only: returns
// CodeForbidden; CodeInvalid when the entry's question or answer is empty or too
// long, and CodeConflict ("err.faq_unanswered") for a question without an answer.
func (tx *Tx) ProposeFAQ(actor *Member, c *Campaign, q *Question, d FAQDraft) error {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return err
	}
	if len(q.Answers) == 0 {
		return Errorf(CodeConflict, "err.faq_unanswered", "id", q.ID())
	}
	var err error
	if d.Question, err = checkText(d.Question, MaxFAQQuestionLen, "question"); err != nil {
		return err
	}
	if d.Answer, err = checkText(d.Answer, MaxTextLen, "text"); err != nil {
		return err
	}
	d.At = tx.now
	q.Draft = &d
	return tx.putQuestion(q)
}

// ApproveFAQ turns q's proposed entry into an entry of c's FAQ (replacing the
// entry made from q before, if any) and returns it. Organisers only: returns
// CodeForbidden, and CodeConflict ("err.faq_no_draft") when nothing is proposed.
func (tx *Tx) ApproveFAQ(actor *Member, c *Campaign, q *Question) (*FAQEntry, error) {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return nil, err
	}
	if q.Draft == nil {
		return nil, Errorf(CodeConflict, "err.faq_no_draft", "id", q.ID())
	}
	num := q.FAQ
	if num == 0 {
		n, err := tx.next("faq/" + string(c.Community) + "/" + strconv.Itoa(c.Num))
		if err != nil {
			return nil, err
		}
		num = int(n)
	}
	e := &FAQEntry{
		Community: c.Community, Campaign: c.Num, Num: num, Question: q.Draft.Question, Answer: q.Draft.Answer,
		From: q.Num, Model: q.Draft.Model, ApprovedBy: actor.Person, At: tx.now,
	}
	if err := tx.putJSON(bucketFAQ, qaKey(c.Community, c.Num, num), e); err != nil {
		return nil, err
	}
	q.FAQ, q.Draft = num, nil
	return e, tx.putQuestion(q)
}

// DiscardFAQ drops q's proposed entry. Organisers only: returns CodeForbidden and
// CodeConflict ("err.faq_no_draft") when nothing is proposed.
func (tx *Tx) DiscardFAQ(actor *Member, c *Campaign, q *Question) error {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return err
	}
	if q.Draft == nil {
		return Errorf(CodeConflict, "err.faq_no_draft", "id", q.ID())
	}
	q.Draft = nil
	return tx.putQuestion(q)
}

// FAQ returns the entries of c's FAQ in order.
func (tx *Tx) FAQ(c *Campaign) ([]*FAQEntry, error) {
	var out []*FAQEntry
	err := scanJSON(tx, bucketFAQ, key(string(c.Community), pad(uint64(c.Num)))+"/", false, func(_ string, e *FAQEntry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// Organisers returns who organises c: the community's facilitators and admins and
// the referents of c's linked project, in a stable order.
func (tx *Tx) Organisers(c *Campaign) ([]PersonID, error) {
	p, err := tx.linkedProject(c)
	if err != nil {
		return nil, err
	}
	ms, err := tx.Members(c.Community)
	if err != nil {
		return nil, err
	}
	var out []PersonID
	for _, m := range ms {
		if CanOrganise(m, p) {
			out = append(out, m.Person)
		}
	}
	slices.Sort(out)
	return out, nil
}

// questionsPeople rewrites who asked, answered and approved in community cid's
// questions and FAQ entries:
// fn returns the new ID of a person ("" to erase it) and whether it changed.
func (tx *Tx) questionsPeople(cid CommunityID, fn func(PersonID) (PersonID, bool)) error {
	var changed []*Question
	err := scanJSON(tx, bucketQuestion, string(cid)+"/", false, func(_ string, q *Question) error {
		dirty := false
		if id, ok := fn(q.Asker); ok {
			q.Asker, dirty = id, true
		}
		for i := range q.Answers {
			if id, ok := fn(q.Answers[i].By); ok {
				q.Answers[i].By, dirty = id, true
			}
		}
		if dirty {
			changed = append(changed, q)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, q := range changed {
		if err := tx.putQuestion(q); err != nil {
			return err
		}
	}
	var entries []*FAQEntry
	err = scanJSON(tx, bucketFAQ, string(cid)+"/", false, func(_ string, e *FAQEntry) error {
		if id, ok := fn(e.ApprovedBy); ok {
			e.ApprovedBy = id
			entries = append(entries, e)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := tx.putJSON(bucketFAQ, qaKey(e.Community, e.Campaign, e.Num), e); err != nil {
			return err
		}
	}
	return nil
}

// forgetQuestions erases p from community cid's questions and answers; the texts
// stay for the community, without a name (/forgetme).
func (tx *Tx) forgetQuestions(cid CommunityID, p PersonID) error {
	return tx.questionsPeople(cid, func(id PersonID) (PersonID, bool) { return "", id == p && id != "" })
}

// mergeQuestions gives from's questions and answers in cid to into (/link).
func (tx *Tx) mergeQuestions(cid CommunityID, from, into PersonID) error {
	return tx.questionsPeople(cid, func(id PersonID) (PersonID, bool) { return into, id == from && id != "" })
}
