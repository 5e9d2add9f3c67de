package chart_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/chart"
)

// Ensure numbers are written without needless decimals, with the language's
// decimal separator.
func TestNumber(t *testing.T) {
	for _, tt := range []struct {
		v       float64
		decimal string
		want    string
	}{
		{50, ",", "50"}, {50, "", "50"}, {12.5, ",", "12,5"}, {12.5, ".", "12.5"},
		{1.0 / 3, ",", "0,33"}, {-0.001, ",", "0"}, {1234567, ",", "1\u202f234\u202f567"}, {1234.5, ".", "1,234.5"}, {-1234, ",", "-1\u202f234"}, {999, ",", "999"}, {-2.25, ".", "-2.25"},
	} {
		if got := chart.Number(tt.v, tt.decimal); got != tt.want {
			t.Errorf("Number(%v, %q) = %q, want %q", tt.v, tt.decimal, got, tt.want)
		}
	}
}

// Ensure Clip keeps short labels whole and ends cut ones with an ellipsis.
func TestClip(t *testing.T) {
	if got := chart.Clip("jeudi 11 mars 2027 19:00", 24); got != "jeudi 11 mars 2027 19:00" {
		t.Errorf("a whole date was cut: %q", got)
	}
	if got := chart.Clip("Une très longue option de sondage", 10); got != "Une très…" {
		t.Errorf("got %q", got)
	}
}

// Ensure a bar chart draws as a PNG of the chart's size, and as an SVG whose
// numbers are written the French way (50, not 50.00; 12,5) with each bar's value.
func TestBars(t *testing.T) {
	b := chart.Bars{
		Title: "V1 · Quel jour ?", YLabel: "votes", Decimal: ",", Values: true, Segments: true,
		Labels: []string{"jeudi 11 mars 2027 19:00", "vendredi 12 mars 2027 19:00", "Salade"},
		Series: []chart.Series{{Name: "oui", Values: []float64{50, 12.5, 0}, Color: chart.Green}, {Name: "si besoin", Values: []float64{3, 0, 1}, Color: chart.Amber}},
	}
	raw, err := b.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w < 400 {
		t.Fatalf("width %d", w)
	}
	svg, err := b.SVG()
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if !strings.Contains(s, "<svg") {
		t.Fatal("no svg")
	}
	for _, want := range []string{">53<", ">12,5<", ">50<", "jeudi 11 mars 2027 19:00", "si besoin"} {
		if !strings.Contains(s, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	if strings.Contains(s, ".00<") || strings.Contains(s, ">12.5<") {
		t.Error("the SVG writes numbers the English way")
	}
}

// Ensure bad input is an error, not a panic or a broken image.
func TestBars_BadInput(t *testing.T) {
	if _, err := (chart.Bars{}).PNG(); err == nil {
		t.Error("no category: no error")
	}
	b := chart.Bars{Labels: []string{"a", "b"}, Series: []chart.Series{{Values: []float64{1}}}}
	if _, err := b.PNG(); err == nil {
		t.Error("a series shorter than the categories: no error")
	}
}

// Ensure a figure of two panels draws people and percentages on their own axes,
// the percent axis stopping at 100.
func TestLines_Panels(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2027, 3, day, 0, 0, 0, 0, time.UTC) }
	at := []time.Time{d(1), d(8), d(15)}
	l := chart.Lines{
		Title: "Club", Decimal: ",", Tick: func(t time.Time) string { return t.Format("2/1") },
		Panels: []chart.Panel{
			{YLabel: "personnes", Lines: []chart.Line{{Name: "membres", At: at, Y: []float64{10, 12, 15}, Color: chart.Blue}}},
			{YLabel: "%", Percent: true, Lines: []chart.Line{{Name: "réponses", At: at, Y: []float64{50, 75, 100}, Color: chart.Red}}},
		},
	}
	svg, err := l.SVG()
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	for _, want := range []string{"personnes", "réponses", "membres", ">100\u202f%<"} {
		if !strings.Contains(s, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	if strings.Contains(s, ">120<") {
		t.Error("the percent axis goes past 100")
	}
	one, err := chart.Lines{Panels: l.Panels[:1]}.PNG()
	if err != nil {
		t.Fatal(err)
	}
	two, err := l.PNG()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := png.Decode(bytes.NewReader(one))
	b, _ := png.Decode(bytes.NewReader(two))
	if b.Bounds().Dy() <= a.Bounds().Dy() {
		t.Errorf("two panels %d px high, one %d", b.Bounds().Dy(), a.Bounds().Dy())
	}
}

// Ensure grouped bars draw each series' value, and the axis fits the tallest
// bar, not the sum of a category's bars.
func TestBars_Grouped(t *testing.T) {
	b := chart.Bars{
		Title: "V9 · Board", Values: true, Grouped: true,
		Labels: []string{"Ana", "Ben"},
		Series: []chart.Series{{Name: "first", Values: []float64{40, 10}, Color: chart.Amber}, {Name: "final", Values: []float64{35.5, 30}, Color: chart.Green}},
	}
	svg, err := b.SVG()
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	for _, want := range []string{">40<", ">35.5<", ">10<", ">30<"} {
		if !strings.Contains(s, want) {
			t.Errorf("the SVG lacks the value %q", want)
		}
	}
	if strings.Contains(s, ">75.5<") {
		t.Error("grouped bars were summed")
	}
}
