package chart

import (
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot/vg"
)

// Progress is a progress bar towards a goal: a campaign's money, a count of
// pledges. Value and Goal are in any one unit (minor units of money); Label and
// Note come formatted by the caller ("1 234 € sur 5 000 €", "62 %").
type Progress struct {
	Value, Goal int64
	// Label is written above the bar, on the left; Note above it on the right.
	Label, Note string
	// Marks are further goals (stretch goals), in the unit of Goal. Once the goal
	// is reached the bar runs to the next one not reached, and the goals passed
	// are ticks across it.
	Marks []int64
	// Color is the filled part's colour; nil: Green.
	Color color.Color
}

// progressWidth is the width of a progress bar alone: 12 cm.
const progressWidth = 12 * vg.Centimeter

// PNG draws the bar with its label and note, 12 cm wide at 192 dpi.
func (g Progress) PNG() ([]byte, error) {
	if err := g.check(); err != nil {
		return nil, err
	}
	return g.picture().png()
}

// SVG draws the bar with its label and note as an SVG document.
func (g Progress) SVG() ([]byte, error) {
	if err := g.check(); err != nil {
		return nil, err
	}
	return g.picture().svg()
}

func (g Progress) check() error {
	if g.Goal <= 0 {
		return fmt.Errorf("chart: a progress bar's goal is %d", g.Goal)
	}
	if g.Value < 0 {
		return fmt.Errorf("chart: a progress bar's value is %d", g.Value)
	}
	return nil
}

func (g Progress) page(p *painter) vg.Length {
	const pad = 4
	return g.draw(p, pad, pad, progressWidth-2*pad, 1) + 2*pad
}

// end is the value at the bar's end: the goal until it is reached, then the
// first further goal not reached, or the value itself past the last.
func (g Progress) end() int64 {
	if g.Value < g.Goal {
		return g.Goal
	}
	end := g.Value
	for _, m := range g.Marks {
		if m > g.Value && (end == g.Value || m < end) {
			end = m
		}
	}
	return end
}

// Fraction is how much of the goal is reached, from 0 to 1 (more than 1 past it).
func (g Progress) Fraction() float64 {
	if g.Goal <= 0 {
		return 0
	}
	return float64(g.Value) / float64(g.Goal)
}

// draw lays the bar out from x, y, w wide, text k times the normal size; it
// returns the height used.
func (g Progress) draw(p *painter, x, y, w vg.Length, k float64) vg.Length {
	K := vg.Length(k)
	label := newFace(11*K, true)
	note := newFace(11*K, false)
	top := y
	if g.Label != "" || g.Note != "" {
		nw := note.width(g.Note)
		if g.Note != "" {
			p.text("note", note, x+w, y+label.ascent(), 1, g.Note, muted)
		}
		lw := w - nw - 12*K
		if g.Note == "" {
			lw = w
		}
		y += p.lines("label", label, x, y, 0, wrap(label, g.Label, lw, 2), ink) + 4*K
	}
	end := g.end()
	h := 12 * K
	c := g.Color
	if c == nil {
		c = Green
	}
	p.round("track", x, y, w, h, h/2, track)
	filled := w * vg.Length(min(float64(g.Value)/float64(end), 1))
	if g.Value > 0 {
		p.round("bar", x, y, max(filled, h), h, h/2, c)
	}
	for _, m := range append([]int64{g.Goal}, g.Marks...) {
		if m >= end || m <= 0 {
			continue
		}
		mx := x + w*vg.Length(float64(m)/float64(end))
		p.note("mark", "", mx-K, y, mx+K, y+h)
		p.stroke(2*K, paper, nil, vg.Point{X: mx, Y: y}, vg.Point{X: mx, Y: y + h})
	}
	return y + h + 2*K - top
}

// Card is a page's preview image for Open Graph and Twitter cards, 1200 × 630
// pixels: a title, a subtitle, a few lines, and below them a progress bar or a bar
// chart. Every word comes from the caller, already formatted.
type Card struct {
	Title    string
	Subtitle string   // under the title, in grey: the community, the kind of page
	Lines    []string // key figures, one a line ("42 contributeurs · 12 jours restants")
	Progress *Progress
	Bars     *Bars  // drawn under the lines; its title is not written (the card's is)
	Footer   string // at the bottom left, small: the site ("engage.example.org")
	Accent   color.Color
}

// The card's size in pixels, and the points it is laid out in (2 pixels a point).
const (
	CardWidth  = 1200
	CardHeight = 630
	cardDPI    = 144
)

// PNG draws the card, 1200 × 630 pixels.
func (c Card) PNG() ([]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return c.picture().png()
}

// SVG draws the card as an SVG document of the same layout.
func (c Card) SVG() ([]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return c.picture().svg()
}

func (c Card) check() error {
	if c.Progress != nil {
		if err := c.Progress.check(); err != nil {
			return err
		}
	}
	if c.Bars != nil {
		if err := c.Bars.check(); err != nil {
			return err
		}
	}
	return nil
}

func (c Card) draw(p *painter) vg.Length {
	const (
		W   = vg.Length(CardWidth * 72 / cardDPI)
		H   = vg.Length(CardHeight * 72 / cardDPI)
		pad = vg.Length(34)
	)
	accent := c.Accent
	if accent == nil {
		accent = Green
	}
	p.rect("", 0, 0, 8, H, accent)
	var (
		sub  = newFace(15, false)
		line = newFace(16, false)
		foot = newFace(11, false)
	)
	if c.Progress == nil && c.Bars == nil { // the lines are all there is
		line = newFace(19, false)
	}
	x, y, w := pad+4, pad-4, W-2*pad-4
	bottom := H - pad + 6
	if c.Footer != "" {
		p.text("footer", foot, x, bottom-foot.descent(), 0, wrap(foot, c.Footer, w, 1)[0], muted)
		bottom -= foot.line() + 10
	}
	if c.Subtitle != "" {
		y += p.lines("subtitle", sub, x, y, 0, wrap(sub, c.Subtitle, w, 1), muted) + 4
	}
	// The title whole in the largest size that fits: on two lines at most, on
	// one in the large size when a chart needs the room.
	var title face
	var titleLines []string
	for _, size := range []vg.Length{28, 24, 21} {
		title = newFace(size, true)
		titleLines = wrap(title, c.Title, w, 2)
		whole := !strings.HasSuffix(titleLines[len(titleLines)-1], "…")
		if whole && (len(titleLines) == 1 || size < 28 || c.Bars == nil) {
			break
		}
	}
	y += p.lines("title", title, x, y, 0, titleLines, ink) + 10
	var g Progress
	room := bottom // what the lines may fill
	if c.Progress != nil {
		g = *c.Progress
		if g.Color == nil {
			g.Color = accent
		}
		room -= g.draw(&painter{}, x, 0, w, 1.7) + 14
	}
	for _, l := range c.Lines {
		if y+line.line() > room {
			break
		}
		y += p.lines("line", line, x, y, 0, wrap(line, l, w, 1), ink)
	}
	y += 14
	switch {
	case c.Progress != nil:
		// The bar sits at the bottom, above the footer.
		g.draw(p, x, room+14, w, 1.7)
	case c.Bars != nil:
		b := *c.Bars
		b.Title = ""
		room := bottom - y
		// The largest text that fits, then as many rows as fit.
		for _, k := range []float64{1.5, 1.35, 1.2, 1.1, 1} {
			if b.draw(&painter{}, x, y, w, k, len(b.Labels)) <= room || k == 1 {
				rows := len(b.Labels)
				for rows > 1 && b.draw(&painter{}, x, y, w, k, rows) > room {
					rows--
				}
				b.draw(p, x, y, w, k, rows)
				break
			}
		}
	}
	return H
}

func (g Progress) picture() picture {
	title := g.Label
	if g.Note != "" {
		title = strings.TrimPrefix(title+" · "+g.Note, " · ")
	}
	return picture{w: progressWidth, bg: paper, dpi: pngDPI, title: title, paint: g.page}
}

func (c Card) picture() picture {
	return picture{w: CardWidth * 72 / cardDPI, h: CardHeight * 72 / cardDPI, bg: cardBg, dpi: cardDPI, title: c.Title, paint: c.draw}
}
