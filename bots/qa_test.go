package bots_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
	"github.com/google/go-cmp/cmp"
)

// sentTo returns the texts sent through the outbox to user by direct message (or to
// the group when user is "").
func sentTo(e *botstest.Env, user string) []string {
	var out []string
	for _, m := range e.Sent.Messages() {
		if user == "" && !m.Direct || m.Direct && m.UserID == user {
			out = append(out, m.Text)
		}
	}
	return out
}

// lastWithButtons returns the last of msgs that has buttons.
func lastWithButtons(t *testing.T, msgs []bots.Message) bots.Message {
	t.Helper()
	for i := len(msgs) - 1; i >= 0; i-- {
		if len(msgs[i].Buttons) > 0 {
			return msgs[i]
		}
	}
	t.Fatalf("no message with buttons in %q", botstest.Texts(msgs))
	return bots.Message{}
}

func contains(texts []string, sub string) bool {
	for _, s := range texts {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// questions returns C1's questions and FAQ.
func questions(t *testing.T, e *botstest.Env) ([]*core.Question, []*core.FAQEntry) {
	t.Helper()
	var qs []*core.Question
	var es []*core.FAQEntry
	err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
		camp, err := tx.Campaign("c1", "C1")
		if err != nil {
			return err
		}
		if qs, err = tx.Questions(camp); err != nil {
			return err
		}
		es, err = tx.FAQ(camp)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return qs, es
}

// Ensure a member's question reaches the organisers, an organiser's answer reaches
// the asker, and the entry proposed from it (the answer itself, without a model)
// is posted to the community only once an organiser presses the button.
func TestQA_AskAnswerApprove(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			e := campaignEnv(t, lang, nil)
			out := e.Say("bob", "/ask C1 Can I pay by cheque?")
			if len(out) != 1 || !strings.Contains(out[0].Text, "Q1") || out[0].Direct {
				t.Fatalf("ask: %q", botstest.Texts(out))
			}
			answer := map[string]string{"en": "/answer C1 Q1", "fr": "/repondre C1 Q1"}[lang]
			for _, org := range []string{"alice", "fay", "rita"} {
				dms := sentTo(e, org)
				if !contains(dms, "Can I pay by cheque?") || !contains(dms, answer) {
					t.Errorf("%s was not told: %q", org, dms)
				}
			}
			if got := sentTo(e, "bob"); len(got) != 0 {
				t.Errorf("the asker was told of their own question: %q", got)
			}
			e.Sent.Reset()

			before := e.Snapshot()
			out = e.Say("carol", "/answer C1 Q1 Sure")
			if len(out) != 1 || !strings.Contains(out[0].Text, "C1") || len(e.Sent.Messages()) != 0 {
				t.Fatalf("a member answered: %q", botstest.Texts(out))
			}
			if qs, _ := questions(t, e); len(qs[0].Answers) != 0 || cmp.Diff(before, e.Snapshot()) != "" {
				t.Fatal("a refused answer changed something")
			}

			out = e.Say("rita", "> /answer C1 Q1 Yes, to the association, at the Saturday market.")
			if !contains(sentTo(e, "bob"), "Yes, to the association, at the Saturday market.") {
				t.Errorf("the asker was not told: %q", sentTo(e, "bob"))
			}
			prop := lastWithButtons(t, out)
			if !prop.Direct || !strings.Contains(prop.Text, "Can I pay by cheque?") || !strings.Contains(prop.Text, "Yes, to the association, at the Saturday market.") {
				t.Fatalf("proposal: %+v", prop)
			}
			if strings.Contains(strings.ToLower(prop.Text), "mod") && strings.Contains(prop.Text, "langu") {
				t.Errorf("a deterministic entry says a model wrote it: %q", prop.Text)
			}
			if got := sentTo(e, ""); len(got) != 0 {
				t.Fatalf("posted before approval: %q", got)
			}
			if _, es := questions(t, e); len(es) != 0 {
				t.Fatal("an entry exists before approval")
			}
			e.Sent.Reset()

			// A member cannot press the organiser's button.
			out = e.Press("carol", prop, "📌")
			if !strings.Contains(out[0].Text, "C1") || len(sentTo(e, "")) != 0 {
				t.Fatalf("a member approved: %q", botstest.Texts(out))
			}
			e.Press("rita", prop, "📌")
			group := sentTo(e, "")
			if len(group) != 1 || !strings.Contains(group[0], "Can I pay by cheque?") || !strings.Contains(group[0], "/faq C1") {
				t.Fatalf("FAQ post: %q", group)
			}
			_, es := questions(t, e)
			if len(es) != 1 || es[0].Question != "Can I pay by cheque?" || es[0].Answer != "Yes, to the association, at the Saturday market." || es[0].Model {
				t.Fatalf("entry: %+v", es)
			}
			out = e.Press("rita", prop, "📌")
			if !strings.Contains(out[0].Text, "Q1") {
				t.Errorf("second approval: %q", botstest.Texts(out))
			}
			if _, es := questions(t, e); len(es) != 1 {
				t.Errorf("approved twice: %d entries", len(es))
			}
			out = e.Say("carol", "/faq C1")
			if !strings.Contains(out[0].Text, "Can I pay by cheque?") || !strings.Contains(out[0].Text, "Saturday market") {
				t.Errorf("faq: %q", out[0].Text)
			}
			out = e.Say("carol", "/ask C1")
			if !strings.Contains(out[0].Text, "Q1") {
				t.Errorf("questions: %q", out[0].Text)
			}
		})
	}
}

// Ensure the organiser's Answer button asks the answer and records it.
func TestQA_AnswerButton(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	e.Say("bob", "/ask C1 When is the oven built?")
	var dm bots.Message
	for _, m := range e.Sent.Messages() {
		if m.Direct && m.UserID == "rita" {
			dm = m
		}
	}
	out := e.Press("rita", dm, "Answer")
	if len(out) != 1 || !out[0].Direct {
		t.Fatalf("form: %q", botstest.Texts(out))
	}
	e.Say("rita", "> In March, with the volunteers.")
	qs, _ := questions(t, e)
	if len(qs) != 1 || len(qs[0].Answers) != 1 || qs[0].Answers[0].Text != "In March, with the volunteers." || qs[0].Draft == nil {
		t.Fatalf("question: %+v", qs)
	}
}

// Ensure bad Q&A input gets a clear answer in the member's language and changes
// nothing.
func TestQA_BadInput(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			e := campaignEnv(t, lang, nil)
			e.Say("bob", "/ask C1 Is there a reward for 10 €?")
			e.Sent.Reset()
			want := map[string]string{"en": "There is no", "fr": "Il n'y a pas"}[lang]
			for _, tt := range []struct{ who, text, want string }{
				{"bob", "/ask C9 hello?", want},
				{"rita", "/answer C1 Q9 yes", want},
				{"rita", "/answer C1 Q1", "/answer"},
				{"rita", "/answer C1 X1 yes", "Q1"},
				{"bob", "/ask C1 " + strings.Repeat("why ", 200), "500"},
				{"rita", "/faq C1 approve Q1", "Q1"},
				{"rita", "/faq C1 discard Q1", "Q1"},
				{"bob", "/faq C1 approve Q1", "C1"},
				{"bob", "/faq C1 shout", "/faq"},
			} {
				before := e.Snapshot()
				qsBefore, esBefore := questions(t, e)
				out := e.Say(tt.who, tt.text)
				if len(out) != 1 || !strings.Contains(out[0].Text, tt.want) {
					t.Errorf("%s %q: got %q, want %q", tt.who, tt.text, botstest.Texts(out), tt.want)
				}
				qs, es := questions(t, e)
				if d := cmp.Diff(before, e.Snapshot()) + cmp.Diff(qsBefore, qs) + cmp.Diff(esBefore, es); d != "" || len(e.Sent.Messages()) != 0 {
					t.Errorf("%q changed something: %s %q", tt.text, d, botstest.Texts(e.Sent.Messages()))
				}
			}
			// The French words work too.
			if lang == "fr" {
				e.Say("rita", "/repondre C1 Q1 Non, dès 20 €.")
				out := e.Say("rita", "/faq C1 valider Q1")
				if len(out) != 0 {
					t.Errorf("valider in the group: %q", botstest.Texts(out))
				}
				if _, es := questions(t, e); len(es) != 1 {
					t.Errorf("/faq C1 valider Q1 made no entry")
				}
			}
		})
	}
}

// Ensure /forgetme erases who asked a question (the text stays for the
// community), and /link gives the linked account its questions.
func TestQA_ForgetAndLink(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	e.Say("bob", "/ask C1 Can I pay by cheque?")
	e.Say("carol", "/ask C1 Is there a reward for 10 €?")
	e.Say("bob", "/forgetme confirm")
	qs, _ := questions(t, e)
	if qs[0].Asker != "" || qs[0].Text != "Can I pay by cheque?" || qs[1].Asker == "" {
		t.Fatalf("after forget: %+v %+v", qs[0], qs[1])
	}
	e.Sent.Reset()
	out := e.Say("rita", "/answer C1 Q1 Yes.")
	if len(out) == 0 || strings.Contains(out[0].Text, "bob") {
		t.Errorf("answer: %q", botstest.Texts(out))
	}
	// carol links another account: her question follows.
	code := e.Say("carol", "> /link")[0].Text
	tok := code[strings.LastIndex(code, " ")+1:]
	ev := e.Event("carol2", "/link "+strings.Trim(tok, ".«»“”"))
	ev.Platform = "other"
	ev.Direct, ev.ChatID = true, "dm:carol2"
	e.Handle(ev)
	qs, _ = questions(t, e)
	if qs[1].Asker == "" {
		t.Fatalf("after link: %+v", qs[1])
	}
}

// Ensure /community llm: the status for everyone, the switch for admins only, and
// a refusal when this server has no model.
func TestCommunityLLM(t *testing.T) {
	e := campaignEnv(t, "en", nil)
	out := e.Say("alice", "/community llm on")
	if len(out) != 1 || !strings.Contains(out[0].Text, "llm.base_url") {
		t.Fatalf("no model: %q", botstest.Texts(out))
	}
	if e.Snapshot() == nil || llmOn(t, e) {
		t.Fatal("switched on without a model")
	}
	fake := botstest.NewFakeLLM(t, func(botstest.LLMRequest) botstest.LLMReply { return botstest.LLMReply{Status: 500} })
	e = campaignEnv(t, "fr", func(c *bots.Config) { c.Model, c.ModelBudget = fake.Model(t, time.Second), 7 })
	out = e.Say("bob", "/community llm on")
	if !strings.Contains(out[0].Text, "admin") || llmOn(t, e) {
		t.Fatalf("a member switched it: %q", botstest.Texts(out))
	}
	out = e.Say("alice", "/communaute ia activer")
	if !strings.Contains(out[0].Text, "activé") || !llmOn(t, e) {
		t.Fatalf("on: %q", botstest.Texts(out))
	}
	out = e.Say("bob", "/community llm")
	if !strings.Contains(out[0].Text, "0 appels sur 7") {
		t.Errorf("status: %q", out[0].Text)
	}
	e.Say("alice", "/community llm off")
	if llmOn(t, e) {
		t.Error("still on")
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d model calls for switching", n)
	}
}

func llmOn(t *testing.T, e *botstest.Env) bool {
	t.Helper()
	var on bool
	if err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
		c, err := tx.Community("c1")
		on = err == nil && c.LLM
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return on
}
