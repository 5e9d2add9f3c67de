package pollchart

import (
	"testing"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

func text(key string) string { return "[" + key + "]" }

// Ensure each method's chart shows its options in ranking order with the figure it
// ranks by, that nothing is drawn when nothing was decided, and that majority
// judgment stacks the grades best first with the median marked.
func TestBars(t *testing.T) {
	labels := []string{"Bread", "Cake", "Pie"}
	poll := func(m tally.Method) *core.Poll {
		p := &core.Poll{Num: 1, Question: "Q?", Method: m, QuorumMet: true}
		for range labels {
			p.Options = append(p.Options, core.PollOption{})
		}
		return p
	}
	t.Run("single", func(t *testing.T) {
		res, err := tally.Count(tally.Single, 3, []tally.Ballot{{Values: []int{0, 1, 0}}, {Values: []int{0, 1, 0}}, {Values: []int{0, 0, 1}}}, tally.Settings{})
		if err != nil {
			t.Fatal(err)
		}
		bars, order, ok := Bars(poll(tally.Single), &res, labels, text)
		if !ok || order[0] != 1 || bars.Labels[0] != "Cake" || bars.Series[0].Values[0] != 2 || bars.YLabel != "[chart.axis.single]" {
			t.Fatalf("single: ok %v order %v bars %+v", ok, order, bars)
		}
	})
	t.Run("no quorum", func(t *testing.T) {
		res, _ := tally.Count(tally.Single, 3, []tally.Ballot{{Values: []int{0, 1, 0}}}, tally.Settings{})
		p := poll(tally.Single)
		p.QuorumMet = false
		if _, _, ok := Bars(p, &res, labels, text); ok {
			t.Fatal("a chart of a poll that decided nothing")
		}
	})
	t.Run("judgment", func(t *testing.T) {
		p := poll(tally.Judgment)
		g := len(p.Grades())
		res, err := tally.Count(tally.Judgment, 3, []tally.Ballot{{Values: []int{0, 1, g - 1}}, {Values: []int{0, 2, g - 1}}}, tally.Settings{Grades: g})
		if err != nil {
			t.Fatal(err)
		}
		bars, _, ok := Bars(p, &res, labels, text)
		if !ok || len(bars.Series) != g || !bars.Segments || len(bars.Marks) != 1 || bars.Marks[0] != 50 {
			t.Fatalf("judgment: ok %v bars %+v", ok, bars)
		}
		if bars.Series[0].Name != Grade(p, g-1, text) {
			t.Errorf("first series %q, want the best grade %q", bars.Series[0].Name, Grade(p, g-1, text))
		}
	})
	if got := Grade(poll(tally.Judgment), 99, text); got != "" {
		t.Errorf("grade out of range: %q", got)
	}
}
