package chart

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// layout returns the boxes of what a picture draws, and its height.
func layout(paint func(*painter) vg.Length) ([]box, vg.Length) {
	p := &painter{}
	h := paint(p)
	return p.boxes, h
}

func kind(boxes []box, kinds ...string) []box {
	var out []box
	for _, b := range boxes {
		for _, k := range kinds {
			if b.kind == k {
				out = append(out, b)
			}
		}
	}
	return out
}

func texts(boxes []box) []string {
	var out []string
	for _, b := range boxes {
		out = append(out, b.text)
	}
	return out
}

// apart fails when a box of as overlaps a box of bs.
func apart(t *testing.T, what string, as, bs []box) {
	t.Helper()
	for _, a := range as {
		for _, b := range bs {
			if a != b && a.overlaps(b) {
				t.Errorf("%s: %s %q %.1f,%.1f–%.1f,%.1f overlaps %s %q %.1f,%.1f–%.1f,%.1f", what,
					a.kind, a.text, a.x0, a.y0, a.x1, a.y1, b.kind, b.text, b.x0, b.y0, b.x1, b.y1)
			}
		}
	}
}

// inside fails when a box leaves the picture, w × h.
func inside(t *testing.T, what string, boxes []box, w, h vg.Length) {
	t.Helper()
	for _, b := range boxes {
		if b.x0 < 0 || b.y0 < 0 || b.x1 > w+0.01 || b.y1 > h+0.01 {
			t.Errorf("%s: %s %q at %.1f,%.1f–%.1f,%.1f leaves the %.0f × %.0f picture", what, b.kind, b.text, b.x0, b.y0, b.x1, b.y1, w, h)
		}
	}
}

// Ensure the legend of stacked grade shares (and of every chart with one) stands
// above the bars and covers none of them, nor a label or a value.
func TestBars_LegendCoversNoBar(t *testing.T) {
	for name, b := range map[string]Bars{"judgment": judgmentBars(), "date": dateBars(), "stv": stvBars()} {
		boxes, h := layout(b.page)
		legend, bars := kind(boxes, "legend"), kind(boxes, "bar")
		if len(legend) != 2*len(b.Series) || len(bars) == 0 {
			t.Fatalf("%s: %d legend boxes for %d series, %d bars", name, len(legend), len(b.Series), len(bars))
		}
		apart(t, name, legend, kind(boxes, "bar", "label", "value", "segment", "tick", "plot", "title", "mark"))
		plot := kind(boxes, "plot")[0]
		for _, l := range legend {
			if l.y1 > plot.y0 {
				t.Errorf("%s: legend %q reaches %.1f, below the top of the bars %.1f", name, l.text, l.y1, plot.y0)
			}
		}
		inside(t, name, boxes, chartWidth, h)
	}
}

// Ensure labels are written whole, wrapped at spaces when long ("jeudi 11 mars
// 2027 19:00" is never "jeudi 11 mar"), never over a bar.
func TestBars_LabelsWhole(t *testing.T) {
	for name, b := range map[string]Bars{"long": longBars(), "date": dateBars(), "judgment": judgmentBars()} {
		boxes, h := layout(b.page)
		labels := kind(boxes, "label")
		got := strings.Join(texts(labels), " ")
		if want := strings.Join(b.Labels, " "); got != want {
			t.Errorf("%s: the labels read %q, want %q", name, got, want)
		}
		apart(t, name, labels, kind(boxes, "bar", "value", "legend", "tick"))
		apart(t, name+" (labels)", labels, labels)
		inside(t, name, boxes, chartWidth, h)
	}
	boxes, _ := layout(longBars().page)
	if n := len(kind(boxes, "label")); n < len(longBars().Labels)+2 {
		t.Errorf("the long label is on %d lines in all, not wrapped", n)
	}
	svg, err := dateBars().SVG()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">jeudi 11 mars 2027 19:00<", ">samedi 13 mars 2027 (toute la journée)<"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("the SVG lacks the whole label %s", want)
		}
	}
}

// Ensure wrap breaks at spaces, and marks with an ellipsis after a whole word the
// words it had to leave out.
func TestWrap(t *testing.T) {
	f := newFace(10, false)
	w := f.width("Thursday 11 March")
	if got := wrap(f, "Thursday 11 March 2027 7:00 pm", w, 0); strings.Join(got, "|") != "Thursday 11 March|2027 7:00 pm" {
		t.Errorf("got %q", got)
	}
	got := wrap(f, "one two three four five six seven eight nine ten eleven twelve", f.width("one two three"), 2)
	if len(got) != 2 || !strings.HasSuffix(got[1], "…") || strings.Contains(got[1], "fi…") {
		t.Errorf("got %q", got)
	}
	for _, l := range got {
		if f.width(l) > f.width("one two three") {
			t.Errorf("%q is wider than the box", l)
		}
	}
}

// Ensure each bar carries its value just after its end, clear of every bar, and
// the bars keep away from the top and bottom of the plot.
func TestBars_ValuesAndRoom(t *testing.T) {
	for name, b := range map[string]Bars{"long": longBars(), "date": dateBars(), "stv": stvBars()} {
		boxes, _ := layout(b.page)
		values, bars := kind(boxes, "value"), kind(boxes, "bar")
		want := len(b.Labels)
		if b.Grouped {
			want *= len(b.Series)
		}
		if len(values) != want {
			t.Errorf("%s: %d values written, want %d", name, len(values), want)
		}
		apart(t, name, values, kind(boxes, "bar", "label", "tick", "legend"))
		apart(t, name+" (values)", values, values)
		plot := kind(boxes, "plot")[0]
		for _, bar := range bars {
			if bar.y0 < plot.y0+3 || bar.y1 > plot.y1-3 {
				t.Errorf("%s: a bar at %.1f–%.1f touches the plot's top or bottom %.1f–%.1f", name, bar.y0, bar.y1, plot.y0, plot.y1)
			}
		}
		// Each value follows the end of a bar of its row.
		for _, v := range values {
			near := false
			for _, bar := range bars {
				mid := (v.y0 + v.y1) / 2
				if mid > bar.y0 && mid < bar.y1 && v.x0-bar.x1 >= 2 && v.x0-bar.x1 <= 8 {
					near = true
				}
			}
			if !near && v.text != "0" {
				t.Errorf("%s: the value %q is not just after a bar", name, v.text)
			}
		}
	}
}

func tickTexts(b Bars) []string {
	boxes, _ := layout(b.page)
	return texts(kind(boxes, "tick"))
}

// Ensure ticks are round numbers written without needless decimals, with the
// language's decimal separator and thousands separator, whole for counts.
func TestBars_Ticks(t *testing.T) {
	one := func(dec string, v ...float64) Bars {
		return Bars{Labels: []string{"a", "b"}[:len(v)], Decimal: dec, Values: true, Series: []Series{{Values: v, Color: Green}}}
	}
	for _, tt := range []struct {
		b    Bars
		want string
	}{
		{one(",", 100, 40), "0 25 50 75 100"},
		{one(",", 1.5, 0.75), "0 0,5 1 1,5"},
		{one(".", 1.5, 0.75), "0 0.5 1 1.5"},
		{one(",", 3, 1), "0 1 2 3"},
		{one(",", 1234, 10), "0 500 1\u202f000 1\u202f500"},
		{one(".", 1234, 10), "0 500 1,000 1,500"},
		{judgmentBars(), "0\u202f% 25\u202f% 50\u202f% 75\u202f% 100\u202f%"},
	} {
		if got := strings.Join(tickTexts(tt.b), " "); got != tt.want {
			t.Errorf("ticks of %v: %q, want %q", tt.b.Series[0].Values, got, tt.want)
		}
	}
	boxes, _ := layout(one(",", 1.5, 0.75).page)
	if got := strings.Join(texts(kind(boxes, "value")), " "); got != "1,5 0,75" {
		t.Errorf("values %q", got)
	}
	svg, err := one(",", 100, 40).SVG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte(">50<")) || bytes.Contains(svg, []byte("50.00")) || bytes.Contains(svg, []byte(">50.0<")) {
		t.Error("the SVG does not write the tick 50 as 50")
	}
}

// Ensure a mark (the median of grade profiles) crosses between the bars, never
// over a bar or what is written in it.
func TestBars_MarkBetweenBars(t *testing.T) {
	boxes, _ := layout(judgmentBars().page)
	marks := kind(boxes, "mark")
	if len(marks) != len(judgmentBars().Labels)+1 {
		t.Fatalf("%d pieces of mark", len(marks))
	}
	apart(t, "mark", marks, kind(boxes, "bar", "segment", "legend"))
	if len(kind(boxes, "segment")) < 12 {
		t.Errorf("only %d shares written in the bars", len(kind(boxes, "segment")))
	}
}

// Ensure people and percentages are on panels of their own: the percent ticks
// in the second panel only, up to 100 %; the last value of each line written
// after it, the values apart, and no two dates of the time axis touching.
func TestLines_PanelsOwnAxes(t *testing.T) {
	l := impactLines()
	boxes, h := layout(l.page)
	plots := kind(boxes, "plot")
	if len(plots) != 2 {
		t.Fatalf("%d panels", len(plots))
	}
	var pct, people int
	for _, tk := range kind(boxes, "tick") {
		mid := (tk.y0 + tk.y1) / 2
		switch {
		case strings.HasSuffix(tk.text, "%"):
			pct++
			if mid < plots[1].y0-6 || mid > plots[1].y1+6 {
				t.Errorf("percent tick %q outside the second panel", tk.text)
			}
		case strings.Contains(tk.text, "/"):
		default:
			people++
			if mid < plots[0].y0-6 || mid > plots[0].y1+6 {
				t.Errorf("tick %q outside the first panel", tk.text)
			}
		}
	}
	if pct != 5 || people < 3 {
		t.Errorf("%d percent ticks, %d people ticks", pct, people)
	}
	if got := strings.Join(texts(kind(boxes, "value")), " "); !strings.Contains(got, "58") || !strings.Contains(got, "30") || !strings.Contains(got, "78\u202f%") {
		t.Errorf("last values %q", got)
	}
	apart(t, "values", kind(boxes, "value"), kind(boxes, "value"))
	var dates []box
	for _, tk := range kind(boxes, "tick") {
		if strings.Contains(tk.text, "/") {
			dates = append(dates, tk)
		}
	}
	apart(t, "dates", dates, dates)
	apart(t, "legend", kind(boxes, "legend"), kind(boxes, "tick", "plot", "value", "panel"))
	inside(t, "impact", boxes, chartWidth, h)
	// Lines ending together at zero: their values apart, above the dates.
	zero := impactLines()
	for i := range zero.Panels {
		for j := range zero.Panels[i].Lines {
			ln := &zero.Panels[i].Lines[j]
			ln.Y = append(ln.Y[:len(ln.Y)-1:len(ln.Y)-1], 0)
		}
	}
	boxes, h = layout(zero.page)
	apart(t, "values at zero", kind(boxes, "value"), kind(boxes, "value", "tick", "legend"))
	inside(t, "values at zero", boxes, chartWidth, h)
	// Many weeks: fewer dates written, still apart.
	for i := range l.Panels {
		for j := range l.Panels[i].Lines {
			ln := &l.Panels[i].Lines[j]
			for k := range 40 {
				ln.At = append(ln.At, ln.At[len(ln.At)-1].AddDate(0, 0, 7))
				ln.Y = append(ln.Y, float64(k%10))
			}
		}
	}
	boxes, _ = layout(l.page)
	dates = nil
	for _, tk := range kind(boxes, "tick") {
		if strings.Contains(tk.text, "/") {
			dates = append(dates, tk)
		}
	}
	apart(t, "dates of a year", dates, dates)
}

// Ensure the progress bar is filled in proportion, runs to the next stretch goal
// once the goal is reached, and refuses a goal of zero or a negative value.
func TestProgress(t *testing.T) {
	g := campaignProgress()
	boxes, h := layout(g.page)
	bar, tr := kind(boxes, "bar"), kind(boxes, "track")
	if len(bar) != 1 || len(tr) != 1 {
		t.Fatalf("%d bars, %d tracks", len(bar), len(tr))
	}
	if f := float64((bar[0].x1 - bar[0].x0) / (tr[0].x1 - tr[0].x0)); math.Abs(f-0.6249) > 0.001 {
		t.Errorf("filled %.4f of the bar, want 0.6249", f)
	}
	if len(kind(boxes, "mark")) != 0 {
		t.Error("a stretch goal not yet in reach is drawn")
	}
	apart(t, "progress", kind(boxes, "label", "note"), kind(boxes, "track"))
	inside(t, "progress", boxes, progressWidth, h)
	over := Progress{Value: 812_000, Goal: 500_000, Marks: []int64{1_000_000, 750_000}}
	boxes, _ = layout(over.page)
	bar, tr = kind(boxes, "bar"), kind(boxes, "track")
	if f := float64((bar[0].x1 - bar[0].x0) / (tr[0].x1 - tr[0].x0)); math.Abs(f-0.812) > 0.001 {
		t.Errorf("past the goal, filled %.4f of the bar, want 0.812 (of the next stretch goal)", f)
	}
	if n := len(kind(boxes, "mark")); n != 2 {
		t.Errorf("%d goals passed drawn, want 2", n)
	}
	svg, err := g.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte(">3 124,50 € sur 5 000 €<")) || !bytes.Contains(svg, []byte(">62 %<")) {
		t.Error("the SVG lacks the label or the note")
	}
	long := Progress{Value: 5, Goal: 10, Label: "1 234 567,89 € promis sur 2 000 000 € par 4 321 contributeurs de la campagne pour le toit de la salle des fêtes", Note: "50 %"}
	boxes, h = layout(long.page)
	if got := strings.Join(texts(kind(boxes, "label")), " "); !strings.HasPrefix(long.Label, strings.TrimSuffix(got, "…")) || len(kind(boxes, "label")) != 2 {
		t.Errorf("a long label reads %q", got)
	}
	apart(t, "long label", kind(boxes, "label"), kind(boxes, "note", "track", "bar"))
	inside(t, "long label", boxes, progressWidth, h)
	for _, bad := range []Progress{{Value: 1, Goal: 0}, {Value: -1, Goal: 10}} {
		if _, err := bad.PNG(); err == nil {
			t.Errorf("%+v: no error", bad)
		}
		if _, err := (Card{Title: "x", Progress: &bad}).PNG(); err == nil {
			t.Errorf("card with %+v: no error", bad)
		}
	}
}

// Ensure a card is a 1200 × 630 PNG whatever it holds, its text wrapped inside
// it, and what it holds never over its text.
func TestCard(t *testing.T) {
	g := campaignProgress()
	j := judgmentBars()
	l := longBars()
	many := make([]string, 12)
	for i := range many {
		many[i] = "Une ligne de chiffres parmi beaucoup trop de lignes"
	}
	for name, c := range map[string]Card{
		"campaign": {Title: "Un four à pain pour le jardin partagé de la rue des Lilas, et un abri pour les outils", Subtitle: "Jardin des Lilas", Lines: []string{"42 contributeurs"}, Progress: &g, Footer: "engage.example.org"},
		"poll":     {Title: j.Title, Subtitle: "Jardin des Lilas", Lines: []string{"56 votants"}, Bars: &j, Footer: "engage.example.org"},
		"long":     {Title: l.Title, Bars: &l},
		"lines":    {Title: "Jardin des Lilas", Lines: many, Progress: &g, Footer: "engage.example.org"},
		"empty":    {},
	} {
		raw, err := c.PNG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != CardWidth || b.Dy() != CardHeight {
			t.Errorf("%s: %d × %d", name, b.Dx(), b.Dy())
		}
		boxes, _ := layout(c.draw)
		inside(t, name, boxes, CardWidth*72/cardDPI, CardHeight*72/cardDPI)
		text := kind(boxes, "title", "subtitle", "line", "footer")
		apart(t, name, text, kind(boxes, "bar", "track", "label", "value", "legend", "tick", "note", "axis"))
		apart(t, name+" (text)", text, text)
	}
	boxes, _ := layout(Card{Title: "Un four à pain pour le jardin partagé de la rue des Lilas", Progress: &g}.draw)
	if got := strings.Join(texts(kind(boxes, "title")), " "); got != "Un four à pain pour le jardin partagé de la rue des Lilas" {
		t.Errorf("the title reads %q", got)
	}
}

// Ensure the SVG carries no style attribute (a page's CSP may forbid inline
// styles) and names fonts every browser has.
func TestSVG_PresentationAttributes(t *testing.T) {
	for name, f := range map[string]func() ([]byte, error){"bars": judgmentBars().SVG, "lines": impactLines().SVG, "progress": campaignProgress().SVG} {
		svg, err := f()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(svg, []byte(" style=")) || bytes.Contains(svg, []byte("\tstyle=")) {
			t.Errorf("%s: a style attribute", name)
		}
		if !bytes.Contains(svg, []byte(`font-family="'Liberation Sans', Arial, Helvetica, sans-serif"`)) || !bytes.Contains(svg, []byte(`fill="#`)) {
			t.Errorf("%s: no presentation attributes", name)
		}
		// Well-formed, an image named by its title.
		d := xml.NewDecoder(bytes.NewReader(svg))
		var title string
		role := false
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if se, ok := tok.(xml.StartElement); ok {
				switch se.Name.Local {
				case "svg":
					for _, a := range se.Attr {
						role = role || a.Name.Local == "role" && a.Value == "img"
					}
				case "title":
					if err := d.DecodeElement(&title, &se); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		if !role || title == "" {
			t.Errorf("%s: role img %v, title %q", name, role, title)
		}
	}
	svg, err := Bars{Title: `<script>alert("x")</script> & co`, Labels: []string{"<b>"}, Series: []Series{{Values: []float64{1}}}}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(svg, []byte("<script")) || bytes.Contains(svg, []byte("<b>")) {
		t.Error("text of the caller is not escaped in the SVG")
	}
}

// Ensure negative values are drawn left of zero with their value before them,
// and a figure of a single week draws its one point.
func TestBars_NegativeAndSinglePoint(t *testing.T) {
	b := Bars{Labels: []string{"Plus", "Moins"}, Decimal: ",", Values: true, Series: []Series{{Values: []float64{12, -7.5}, Color: Green}}}
	boxes, h := layout(b.page)
	inside(t, "negative", boxes, chartWidth, h)
	apart(t, "negative", kind(boxes, "value"), kind(boxes, "bar", "label", "tick"))
	if got := strings.Join(texts(kind(boxes, "value")), " "); got != "12 -7,5" {
		t.Errorf("values %q", got)
	}
	if ticks := strings.Join(texts(kind(boxes, "tick")), " "); !strings.HasPrefix(ticks, "-") || !strings.Contains(ticks, " 0 ") {
		t.Errorf("ticks %q", ticks)
	}
	l := impactLines()
	for i := range l.Panels {
		for j := range l.Panels[i].Lines {
			ln := &l.Panels[i].Lines[j]
			ln.At, ln.Y = ln.At[:1], ln.Y[:1]
		}
	}
	boxes, h = layout(l.page)
	inside(t, "one week", boxes, chartWidth, h)
	if n := len(kind(boxes, "value")); n != 3 {
		t.Errorf("%d last values of 3 lines of one point", n)
	}
	if _, err := l.PNG(); err != nil {
		t.Fatal(err)
	}
}
