package bots_test

import (
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/llm"
)

// BenchmarkCheckinReply measures a referent's free-text check-in reply, read by
// the rules alone (no model), with a model configured but not switched on for the
// community (the dry run's cost), and with the model on (a fake server on
// loopback: the dry run, the HTTP call, the real run).
func BenchmarkCheckinReply(b *testing.B) {
	const reply = "> Je pense qu'on aura bouclé le prototype du four avant la Saint-Jean, et c'est déjà dans la gazette du quartier"
	for _, mode := range []string{"rules", "model-off", "model-on"} {
		b.Run(mode, func(b *testing.B) {
			var tune func(*bots.Config)
			if mode != "rules" {
				fake := botstest.NewFakeLLM(b, func(botstest.LLMRequest) botstest.LLMReply {
					return botstest.LLMReply{Content: botstest.JSON(llm.CheckinReading{NextStep: "boucler le prototype du four", DueDate: "2027-06-24", Shared: "yes", Confidence: 0.9})}
				})
				tune = func(c *bots.Config) { c.Model, c.ModelBudget = fake.Model(b, time.Second), 1<<30 }
			}
			e := botstest.NewEnv(b, botstest.Options{NoSync: true, Tune: tune})
			e.Say("alice", "/community create Club tz Europe/Paris lang fr")
			e.Say("rita", "/project new Four")
			if mode == "model-on" {
				e.Say("alice", "/community llm on")
			}
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				e.Say("rita", "/checkin P1")
				e.Sent.Reset()
				b.StartTimer()
				e.Say("rita", reply)
			}
		})
	}
}
