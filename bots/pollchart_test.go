package bots_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/chart"
	"github.com/engage-org/engage/core"
)

// pollBars returns the chart of poll V1 of the first community, in lang.
func pollBars(t *testing.T, e *botstest.Env, lang string) (chart.Bars, bool) {
	t.Helper()
	var (
		bars chart.Bars
		ok   bool
	)
	comm := core.CommunityID(e.Snapshot().Communities[0].ID)
	err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
		p, err := tx.Poll(comm, "V1")
		if err != nil {
			return err
		}
		res, err := tx.PollResult(p)
		if err != nil {
			return err
		}
		bars, ok = e.Bot.PollBars(tx, p, res, lang)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return bars, ok
}

// Ensure a majority-judgment result is charted as the chat gets it: grade shares
// stacked best grade first, each share written, the median marked, the axis up to
// 100 %, names in French, and the SVG for the web pages writes 50 %, not 50.00.
func TestPollBars_Judgment(t *testing.T) {
	e := pollEnv(t, "fr", botstest.Options{})
	for _, who := range []string{"b", "c", "d"} {
		e.Say(who, "bonjour")
	}
	e.Say("alice", "/poll new judgment Quel projet pour le printemps ? | Jardin partagé de la rue des Lilas | Repair café")
	e.Say("b", "/vote V1 1=excellent, 2=poor")
	e.Say("c", "/vote V1 1=good, 2=fair")
	e.Say("d", "/vote V1 1=fair, 2=good")
	e.Say("alice", "/poll V1 close")
	bars, ok := pollBars(t, e, "fr")
	if !ok {
		t.Fatal("no chart of a closed judgment poll")
	}
	if len(bars.Labels) != 2 || bars.Labels[0] != "Jardin partagé de la rue des Lilas" {
		t.Errorf("labels %q", bars.Labels)
	}
	if !bars.Percent || !bars.Segments || bars.Max != 100 || len(bars.Marks) != 1 || bars.Marks[0] != 50 || bars.Decimal != "," {
		t.Errorf("look %+v", bars)
	}
	first, last := bars.Series[0], bars.Series[len(bars.Series)-1]
	if first.Name != "excellent" || last.Name != "à rejeter" {
		t.Errorf("grades from %q to %q, want the best first", first.Name, last.Name)
	}
	for i := range bars.Labels {
		sum := 0.0
		for _, s := range bars.Series {
			sum += s.Values[i]
		}
		if sum < 99.99 || sum > 100.01 {
			t.Errorf("%s: shares add up to %v", bars.Labels[i], sum)
		}
	}
	svg, err := bars.SVG()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">Jardin partagé de la rue des Lilas<", ">50\u202f%<", ">excellent<", ">33\u202f%<"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	if strings.Contains(string(svg), ".00<") || strings.Contains(string(svg), ",00<") {
		t.Error("the SVG writes needless decimals")
	}
}

// Ensure the chart of /impact puts people and the answer rate on panels of their
// own, in the community's language.
func TestImpactLines(t *testing.T) {
	e := facEnvLang(t, "fr", false)
	advance(t, e, 2*7*24*time.Hour)
	comm := core.CommunityID(e.Snapshot().Communities[0].ID)
	var points []*core.Figures
	err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
		var err error
		if points, err = tx.FiguresSince(comm, botstest.Start); err != nil {
			return err
		}
		cur, err := tx.Figures(comm)
		points = append(points, cur)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	l := e.Bot.ImpactLines("fr", "Club", points, time.UTC)
	if len(l.Panels) != 2 || l.Panels[0].Percent || !l.Panels[1].Percent || len(l.Panels[0].Lines) != 2 || len(l.Panels[1].Lines) != 1 {
		t.Fatalf("panels %+v", l.Panels)
	}
	if l.Decimal != "," || l.Panels[0].YLabel != "personnes" {
		t.Errorf("not in French: %q, %q", l.Decimal, l.Panels[0].YLabel)
	}
	svg, err := l.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(svg), ">100\u202f%<") || !strings.Contains(string(svg), "Membres actifs") {
		t.Error("the SVG lacks the percent axis or a line's name")
	}
}
