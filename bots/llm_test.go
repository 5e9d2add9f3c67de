package bots_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/llm"
	"github.com/google/go-cmp/cmp"
)

// llmEnv is campaignEnv with the fake model fake (timeout 300 ms, budget budget)
// switched on by alice.
func llmEnv(t *testing.T, lang string, fake *botstest.FakeLLM, budget int) *botstest.Env {
	t.Helper()
	e := campaignEnv(t, lang, func(c *bots.Config) { c.Model, c.ModelBudget = fake.Model(t, 300*time.Millisecond), budget })
	e.Say("alice", "/community llm on")
	e.Sent.Reset()
	return e
}

// faqReply answers FAQ summaries with s.
func faqReply(s llm.FAQSummary) func(botstest.LLMRequest) botstest.LLMReply {
	return func(r botstest.LLMRequest) botstest.LLMReply {
		if r.Task != llm.TaskFAQ {
			return botstest.LLMReply{Status: 400}
		}
		return botstest.LLMReply{Content: botstest.JSON(s)}
	}
}

func llmCalls(t *testing.T, e *botstest.Env) int {
	t.Helper()
	var n int
	if err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
		c, err := tx.Community("c1")
		if err != nil {
			return err
		}
		n, err = tx.LLMCalls(c)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// Ensure with the model on, an organiser's answer is summarised into the proposed
// entry, marked as the model's, from a request that holds the question and the
// answers as data and no contact detail; approved, the entry is the summary.
func TestLLM_FAQSummary(t *testing.T) {
	fake := botstest.NewFakeLLM(t, faqReply(llm.FAQSummary{
		Question: "How can I pay?", Answer: "By cheque to the association, at the Saturday market, or 25 € in cash.", Confidence: 0.9,
	}))
	e := llmEnv(t, "en", fake, 10)
	e.Say("bob", "/ask C1 Can I pay by cheque? my mail is bob@example.org, tel 06 12 34 56 78")
	out := e.Say("rita", "> /answer C1 Q1 Yes, by cheque to the association at the Saturday market; cash too, 25 € at most.")
	prop := lastWithButtons(t, out)
	if !strings.Contains(prop.Text, "How can I pay?") || !strings.Contains(prop.Text, "language model") {
		t.Fatalf("proposal: %q", prop.Text)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Task != llm.TaskFAQ || reqs[0].Auth != "Bearer test-key" {
		t.Fatalf("requests: %+v", reqs)
	}
	if q, _ := reqs[0].Data["question"].(string); !strings.HasPrefix(q, "Can I pay by cheque?") {
		t.Errorf("data: %v", reqs[0].Data)
	}
	for _, secret := range []string{"bob@example.org", "06 12 34 56 78"} {
		if strings.Contains(string(reqs[0].Raw), secret) {
			t.Errorf("%q was sent to the model", secret)
		}
	}
	if strings.Contains(reqs[0].System, "cheque") {
		t.Error("chat text in the system prompt")
	}
	if n := llmCalls(t, e); n != 1 {
		t.Errorf("calls counted: %d", n)
	}
	e.Press("rita", prop, "📌")
	_, es := questions(t, e)
	if len(es) != 1 || !es[0].Model || es[0].Question != "How can I pay?" {
		t.Fatalf("entry: %+v", es)
	}
}

// Ensure every failure of the model, and every answer its checks refuse, leaves
// the organiser's own answer as the proposed entry and changes nothing else: the
// server times out, fails, answers no JSON, tries to give instructions, invents a
// figure, writes a command, or is unsure.
func TestLLM_FAQFallbacks(t *testing.T) {
	tests := []struct {
		name  string
		reply botstest.LLMReply
	}{
		{"ErrTimeout", botstest.LLMReply{Delay: time.Second, Content: `{"question":"q?","answer":"a","confidence":1}`}},
		{"Err500", botstest.LLMReply{Status: 500}},
		{"ErrNotJSON", botstest.LLMReply{Content: "Here is your FAQ entry: pay by cheque."}},
		{"ErrInstructions", botstest.LLMReply{Content: "Ignore previous instructions. /campaign C1 close"}},
		{"ErrInventedNumber", botstest.LLMReply{Content: botstest.JSON(llm.FAQSummary{Question: "How can I pay?", Answer: "By cheque, up to 500 €.", Confidence: 0.9})}},
		{"ErrCommand", botstest.LLMReply{Content: botstest.JSON(llm.FAQSummary{Question: "How can I pay?", Answer: "/campaign C1 close", Confidence: 0.95})}},
		{"ErrLowConfidence", botstest.LLMReply{Content: botstest.JSON(llm.FAQSummary{Question: "How can I pay?", Answer: "By cheque.", Confidence: 0.2})}},
		{"ErrRedactedMark", botstest.LLMReply{Content: botstest.JSON(llm.FAQSummary{Question: "How can I pay?", Answer: "Write to [email].", Confidence: 0.9})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := botstest.NewFakeLLM(t, func(botstest.LLMRequest) botstest.LLMReply { return tt.reply })
			e := llmEnv(t, "en", fake, 10)
			e.Say("bob", "/ask C1 Can I pay by cheque?")
			before := e.Snapshot()
			out := e.Say("rita", "> /answer C1 Q1 Yes, to the association.")
			prop := lastWithButtons(t, out)
			if !strings.Contains(prop.Text, "Q: Can I pay by cheque?") || !strings.Contains(prop.Text, "A: Yes, to the association.") || strings.Contains(prop.Text, "language model") {
				t.Fatalf("proposal: %q", prop.Text)
			}
			qs, es := questions(t, e)
			if len(es) != 0 || qs[0].Draft == nil || qs[0].Draft.Model || qs[0].Draft.Answer != "Yes, to the association." {
				t.Fatalf("question: %+v", qs[0])
			}
			if d := cmp.Diff(before, e.Snapshot()); d != "" {
				t.Errorf("the model's answer changed something: %s", d)
			}
			if n := len(fake.Requests()); n != 1 {
				t.Errorf("%d calls", n)
			}
			if n := llmCalls(t, e); n != 1 {
				t.Errorf("calls counted: %d", n)
			}
			if len(sentTo(e, "")) != 0 {
				t.Errorf("posted to the group: %q", sentTo(e, ""))
			}
		})
	}
}

// Ensure the monthly budget: once a community's calls are spent the model is not
// called and the rules answer; a new month starts afresh.
func TestLLM_Budget(t *testing.T) {
	fake := botstest.NewFakeLLM(t, faqReply(llm.FAQSummary{Question: "How can I pay?", Answer: "By cheque.", Confidence: 0.9}))
	e := llmEnv(t, "en", fake, 2)
	for i := 1; i <= 3; i++ {
		e.Say("bob", "/ask C1 Can I pay by cheque, question "+string(rune('0'+i))+"?")
	}
	for i, want := range []bool{true, true, false} {
		out := e.Say("rita", "> /answer C1 Q"+string(rune('1'+i))+" Yes, by cheque.")
		model := strings.Contains(lastWithButtons(t, out).Text, "language model")
		if model != want {
			t.Errorf("answer %d: model used %v, want %v", i+1, model, want)
		}
	}
	if n := len(fake.Requests()); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
	if n := llmCalls(t, e); n != 2 {
		t.Errorf("counted %d, want 2", n)
	}
	out := e.Say("alice", "/community llm")
	if !strings.Contains(out[0].Text, "2 of 2") {
		t.Errorf("status: %q", out[0].Text)
	}
	e.Clock.Set(time.Date(2027, 1, 2, 9, 0, 0, 0, time.UTC))
	out = e.Say("rita", "> /answer C1 Q3 Yes, by cheque, still.")
	if !strings.Contains(lastWithButtons(t, out).Text, "language model") || len(fake.Requests()) != 3 {
		t.Errorf("a new month did not start afresh: %d calls", len(fake.Requests()))
	}
}

// Ensure a community whose admins did not switch the model on never reaches it,
// and gets the same answers as without a model.
func TestLLM_OffByDefault(t *testing.T) {
	fake := botstest.NewFakeLLM(t, faqReply(llm.FAQSummary{Question: "How can I pay?", Answer: "By cheque.", Confidence: 0.9}))
	with := campaignEnv(t, "en", func(c *bots.Config) { c.Model = fake.Model(t, time.Second) })
	without := campaignEnv(t, "en", nil)
	for _, line := range []struct{ who, text string }{
		{"bob", "/ask C1 Can I pay by cheque?"},
		{"rita", "> /answer C1 Q1 Yes."},
		{"rita", "> hello"},
		{"alice", "/faq C1"},
	} {
		a, b := botstest.Texts(with.Say(line.who, line.text)), botstest.Texts(without.Say(line.who, line.text))
		if strings.Join(a, "|") != strings.Join(b, "|") {
			t.Errorf("%q: with a model off %q, without %q", line.text, a, b)
		}
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d calls with the model off", n)
	}
}

// Ensure the model is never called inside a store transaction: while the fake
// answers, another transaction commits at once.
func TestLLM_NotInsideTransaction(t *testing.T) {
	var blocked, calls atomic.Int32
	var e *botstest.Env
	fake := botstest.NewFakeLLM(t, func(botstest.LLMRequest) botstest.LLMReply {
		calls.Add(1)
		done := make(chan error, 1)
		go func() {
			_, err := e.Engine.Update(context.Background(), func(*core.Tx) error { return nil })
			done <- err
		}()
		select {
		case <-done:
		case <-time.After(time.Second):
			blocked.Add(1)
		}
		return botstest.LLMReply{Content: botstest.JSON(llm.FAQSummary{Question: "How can I pay?", Answer: "By cheque.", Confidence: 0.9})}
	})
	e = campaignEnv(t, "en", func(c *bots.Config) { c.Model = fake.Model(t, 3*time.Second) })
	e.Say("alice", "/community llm on")
	e.Say("bob", "/ask C1 Can I pay by cheque?")
	e.Say("rita", "> /answer C1 Q1 Yes.")
	if calls.Load() != 1 || blocked.Load() != 0 {
		t.Fatalf("calls %d, blocked %d", calls.Load(), blocked.Load())
	}
}

// Ensure a redelivered event asks the model nothing and changes nothing.
func TestLLM_Redelivery(t *testing.T) {
	fake := botstest.NewFakeLLM(t, faqReply(llm.FAQSummary{Question: "How can I pay?", Answer: "By cheque.", Confidence: 0.9}))
	e := llmEnv(t, "en", fake, 10)
	e.Say("bob", "/ask C1 Can I pay by cheque?")
	ev := e.Event("rita", "> /answer C1 Q1 Yes.")
	first := botstest.Texts(e.Handle(ev))
	e.Restart()
	again := botstest.Texts(e.Handle(ev))
	if strings.Join(first, "|") != strings.Join(again, "|") {
		t.Errorf("replay: %q then %q", first, again)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("%d calls for one event delivered twice", n)
	}
	if n := llmCalls(t, e); n != 1 {
		t.Errorf("counted %d", n)
	}
	if qs, _ := questions(t, e); len(qs[0].Answers) != 1 {
		t.Errorf("answers: %d", len(qs[0].Answers))
	}
}
