package chart

import "testing"

// BenchmarkBarsSVG measures the chart of a poll page, drawn as SVG.
func BenchmarkBarsSVG(b *testing.B) {
	bars := judgmentBars()
	for b.Loop() {
		if _, err := bars.SVG(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLinesSVG measures the impact chart of a page, drawn as SVG.
func BenchmarkLinesSVG(b *testing.B) {
	l := impactLines()
	for b.Loop() {
		if _, err := l.SVG(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProgressSVG measures a campaign's progress bar, drawn as SVG.
func BenchmarkProgressSVG(b *testing.B) {
	g := campaignProgress()
	for b.Loop() {
		if _, err := g.SVG(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCardPNG measures a poll's preview card, drawn as PNG.
func BenchmarkCardPNG(b *testing.B) {
	j := judgmentBars()
	c := Card{Title: j.Title, Subtitle: "Jardin des Lilas", Lines: []string{"56 votants"}, Bars: &j, Footer: "engage.example.org"}
	for b.Loop() {
		if _, err := c.PNG(); err != nil {
			b.Fatal(err)
		}
	}
}
