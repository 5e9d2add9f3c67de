package slack

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
)

func BenchmarkDecodeInteraction(b *testing.B) {
	raw := []byte(interactionSeeds[0])
	for b.Loop() {
		if _, err := decodeInteraction(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeEvent(b *testing.B) {
	raw := []byte(eventSeeds[0])
	for b.Loop() {
		if _, err := decodeEvent(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// A poll message: a tally of six options, a button per option, and a menu row.
func BenchmarkMessageBlocks(b *testing.B) {
	var row, menuRow []bots.Button
	for i := range 6 {
		row = append(row, bots.Button{Label: fmt.Sprintf("Option %d", i), Token: fmt.Sprintf("TOKEN%011d", i)})
		menuRow = append(menuRow, bots.Button{Label: fmt.Sprintf("Rank %d", i), Token: fmt.Sprintf("RANK%012d", i)})
	}
	m := bots.Message{Text: "V1 Where do we meet? — 42 ballots\n• Nashville 20 ████████\n• Knoxville 12 █████\n• Memphis 10 ████", Buttons: [][]bots.Button{row[:4], menuRow}}
	for b.Loop() {
		messageBlocks(m)
	}
}

// The signature check of an HTTP delivery (HMAC-SHA256 and the replay set).
func BenchmarkVerify(b *testing.B) {
	a := &Adapter{cfg: Config{SigningSecret: "s"}, replay: bots.NewReplayGuard(5*time.Minute, time.Now)}
	body := []byte("payload=" + interactionSeeds[0])
	now := time.Now()
	for i := 0; b.Loop(); i++ {
		h := http.Header{}
		ts := fmt.Sprint(now.Unix())
		h.Set("X-Slack-Request-Timestamp", ts)
		h.Set("X-Slack-Signature", sign("s", ts, append(body, fmt.Sprint(i)...)))
		if err := a.verify(h, append(body, fmt.Sprint(i)...)); err != nil {
			b.Fatal(err)
		}
	}
}
