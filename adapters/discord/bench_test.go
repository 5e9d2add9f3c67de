package discord_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/discord/discordtest"
)

// BenchmarkInteraction measures one slash command from the gateway to its answer
// at the fake Discord: decoding, the bot's transaction on bbolt, the response.
// Discord allows 3 s.
func BenchmarkInteraction(b *testing.B) {
	h := start(b, nil, nil)
	h.community()
	var total time.Duration
	n := 0
	for b.Loop() {
		in := h.answered(h.fake.Command(alice, here, "project", discordtest.Sub("show", discordtest.S("id", "P1"))))
		total += in.Responses[0].After
		n++
	}
	b.ReportMetric(float64(total.Microseconds())/float64(n)/1000, "ms/answer")
}

// BenchmarkSend measures sending messages with buttons through the REST path:
// past a burst of 50, the global limit (50 requests a second) sets the pace.
func BenchmarkSend(b *testing.B) {
	fake := discordtest.New(b)
	fake.Limit = 1 << 30
	ad := sender(b, fake)
	m := strings.Repeat("A line of a tally.\n", 40)
	i := 0
	for b.Loop() {
		i++
		msg := testMessage(fmt.Sprint(900+i%50), m)
		if _, err := ad.Send(b.Context(), msg); err != nil {
			b.Fatal(err)
		}
	}
}
