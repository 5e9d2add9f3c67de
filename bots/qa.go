package bots

import (
	"strings"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/llm"
)

// A campaign's questions and answers, and its FAQ (core/qa.go has the rules).

// faqMinConfidence is the confidence below which a model's FAQ entry is not used.
const faqMinConfidence = 0.5

// maxModelFAQAnswer bounds a model's FAQ answer, in runes (what organisers type may
// be longer: core.MaxTextLen).
const maxModelFAQAnswer = 1000

// cmdAsk: /ask C1 QUESTION — any member asks about a campaign · /ask C1 — its
// questions.
func cmdAsk(c *turn) error {
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	text := strings.TrimSpace(c.args)
	if text == "" {
		return qaList(c, camp)
	}
	q, err := c.tx.AskQuestion(c.member, camp, text)
	if err != nil {
		return err
	}
	data := qaAskedText{ID: q.ID(), Campaign: camp.ID(), Title: camp.Title, Text: q.Text, Name: c.person.Name}
	c.reply("qa.asked", data)
	orgs, err := c.tx.Organisers(camp)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if o == c.person.ID {
			continue
		}
		answer := btn{key: "qa.btn.answer", form: func(c *turn, lang string) Form {
			return Form{
				Title:   c.textIn(lang, "qa.form.title", data),
				Fields:  []Field{{Name: "text", Label: c.textIn(lang, "qa.form.label", nil), Multiline: true}},
				Command: "/answer " + camp.ID() + " " + q.ID() + " {text}",
			}
		}}
		if err := c.dm(o, "qa.new", data, nil, []btn{answer}); err != nil {
			return err
		}
	}
	return nil
}

type qView struct {
	ID, Text        string
	Answered, InFAQ bool
	Pending         bool
}

// qaList answers the questions of camp and where each stands.
func qaList(c *turn, camp *core.Campaign) error {
	qs, err := c.tx.Questions(camp)
	if err != nil {
		return err
	}
	var views []qView
	for _, q := range qs {
		views = append(views, qView{ID: q.ID(), Text: clip(q.Text, 200), Answered: len(q.Answers) > 0, InFAQ: q.FAQ != 0, Pending: q.Draft != nil})
	}
	c.reply("qa.list", qaListText{Campaign: camp.ID(), Title: camp.Title, Questions: views})
	return nil
}

// cmdAnswer: /answer C1 Q2 TEXT — an organiser answers; the asker is told, and
// the FAQ entry made from it is proposed to the organiser.
func cmdAnswer(c *turn) error {
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	qid := c.word()
	text := strings.TrimSpace(c.args)
	if qid == "" || text == "" {
		return c.usage()
	}
	q, err := c.tx.Question(camp, qid)
	if err != nil {
		return err
	}
	if err := c.tx.AnswerQuestion(c.member, camp, q, text); err != nil {
		return err
	}
	answer := q.Answers[len(q.Answers)-1].Text
	data := qaAnsweredText{ID: q.ID(), Campaign: camp.ID(), Title: camp.Title, Question: q.Text, Text: answer}
	told := false
	if q.Asker != "" && q.Asker != c.person.ID {
		if err := c.dm(q.Asker, "qa.answer_you", data, nil); err != nil {
			return err
		}
		if p, err := c.tx.Person(q.Asker); err == nil {
			data.Name, told = p.Name, true
		}
	}
	data.Told = told
	c.reply("qa.answered", data)
	return qaPropose(c, camp, q, answer)
}

// qaPropose proposes the FAQ entry made from q to the organiser, with buttons to
// post or discard it: a model's summary of the question and its answers when the
// model is on and its summary passes the checks, else the question and answer as
// typed.
func qaPropose(c *turn, camp *core.Campaign, q *core.Question, answer string) error {
	d := core.FAQDraft{Question: q.Text, Answer: answer}
	if s, err := qaSummary(c, camp, q); err != nil {
		return err
	} else if s != nil {
		d = *s
	}
	if err := c.tx.ProposeFAQ(c.member, camp, q, d); err != nil {
		return err
	}
	row, err := c.buttons(
		c.text("qa.btn.post", nil), "/faq "+camp.ID()+" approve "+q.ID(),
		c.text("qa.btn.discard", nil), "/faq "+camp.ID()+" discard "+q.ID(),
	)
	if err != nil {
		return err
	}
	c.replyPrivate("qa.proposal", qaProposalText{ID: q.ID(), Campaign: camp.ID(), Q: d.Question, A: d.Answer, Model: d.Model}, row)
	return nil
}

// qaSummary asks the model for a FAQ entry from q and its answers and returns it
// when it passes the checks (nil: use the deterministic entry).
func qaSummary(c *turn, camp *core.Campaign, q *core.Question) (*core.FAQDraft, error) {
	if !c.b.modelOn(c.comm) {
		return nil, nil
	}
	in := llm.FAQInput{Language: c.comm.Lang, Campaign: camp.Title, Question: q.Text}
	sources := []string{q.Text}
	for _, a := range q.Answers {
		in.Answers = append(in.Answers, a.Text)
		sources = append(sources, a.Text)
	}
	out, err := c.ask(c.comm, c.comm.Lang, in)
	s, ok := out.(llm.FAQSummary)
	if err != nil || !ok {
		return nil, err
	}
	if s.Confidence < faqMinConfidence {
		c.b.log.Info("llm faq entry not used", "community", c.comm.ID, "why", "low confidence")
		return nil, nil
	}
	question, err1 := llm.CheckSummary(s.Question, core.MaxFAQQuestionLen, sources...)
	answer, err2 := llm.CheckSummary(s.Answer, maxModelFAQAnswer, sources...)
	if err1 != nil || err2 != nil {
		c.b.log.Info("llm faq entry not used", "community", c.comm.ID, "why", firstErr(err1, err2))
		return nil, nil
	}
	return &core.FAQDraft{Question: question, Answer: answer, Model: true}, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// cmdFAQ: /faq C1 — the campaign's FAQ · /faq C1 approve|discard Q2 — an organiser
// posts or drops the entry proposed from Q2.
func cmdFAQ(c *turn) error {
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	approve := c.sub("approve")
	if !approve && !c.sub("discard") {
		if strings.TrimSpace(c.args) != "" {
			return c.usage()
		}
		es, err := c.tx.FAQ(camp)
		if err != nil {
			return err
		}
		c.reply("qa.faq", qaFaqText{Campaign: camp.ID(), Title: camp.Title, Entries: es})
		return nil
	}
	qid := c.word()
	if qid == "" || strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	q, err := c.tx.Question(camp, qid)
	if err != nil {
		return err
	}
	data := qaDiscardedText{ID: q.ID(), Campaign: camp.ID(), Title: camp.Title}
	if !approve {
		if err := c.tx.DiscardFAQ(c.member, camp, q); err != nil {
			return err
		}
		c.reply("qa.discarded", data)
		return nil
	}
	e, err := c.tx.ApproveFAQ(c.member, camp, q)
	if err != nil {
		return err
	}
	data.Q, data.A = e.Question, e.Answer
	if err := c.post("qa.faq_new", data, nil); err != nil {
		return err
	}
	if c.ev.Direct {
		data.Chats = len(c.comm.Chats)
		c.reply("qa.faq_posted", data)
	}
	return nil
}

// qaAskedText is what the text qa.asked, qa.form.title, qa.new shows.
type qaAskedText struct {
	ID       string
	Campaign string
	Title    string
	Text     string
	Name     string
}

// qaAnsweredText is what the text qa.answered, qa.answer_you shows.
type qaAnsweredText struct {
	ID       string
	Campaign string
	Title    string
	Question string
	Text     string
	Told     bool
	Name     string
}

// qaProposalText is what the text qa.proposal shows.
type qaProposalText struct {
	ID       string
	Campaign string
	Q        string
	A        string
	Model    bool
}

// qaFaqText is what the text qa.faq shows.
type qaFaqText struct {
	Campaign string
	Title    string
	Entries  []*core.FAQEntry
}

// qaDiscardedText is what the text qa.discarded, qa.faq_posted, qa.faq_new shows.
type qaDiscardedText struct {
	ID       string
	Campaign string
	Title    string
	A        string
	Q        string
	Chats    int
}

// qaListText is what the text qa.list shows.
type qaListText struct {
	Campaign  string
	Title     string
	Questions []qView
}
