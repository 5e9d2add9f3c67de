package chart

import (
	"bytes"
	"fmt"
	"html"
	"image/color"
	"image/png"
	"math"
	"regexp"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The charts are laid out in points on a page chartWidth wide; a PNG of a chart
// is drawn at pngDPI (1 209 pixels wide, sharp on a phone), a card at cardDPI.
const (
	chartWidth = 16 * vg.Centimeter
	pngDPI     = 192
	margin     = vg.Length(14)
)

// The charts' text is set in Liberation Sans (the widths of Arial).
func init() { font.DefaultCache.Add(liberation.Collection()) }

// face is a font at a size, measured the way it is drawn.
type face struct {
	f font.Face
}

func newFace(size vg.Length, bold bool) face {
	fnt := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	if bold {
		fnt.Weight = xfont.WeightBold
	}
	return face{font.DefaultCache.Lookup(fnt, size)}
}

func (f face) width(s string) vg.Length { return f.f.Width(s) }
func (f face) size() vg.Length          { return f.f.Font.Size }
func (f face) ascent() vg.Length        { return f.f.Extents().Ascent }
func (f face) descent() vg.Length       { return f.f.Extents().Descent }

// line is the height of a line of text set in f.
func (f face) line() vg.Length { return f.size() * 1.3 }

// box is the place of one thing drawn, from the top left of the canvas (y down),
// kept so that tests can check that nothing covers anything else.
type box struct {
	kind           string // "title", "legend", "label", "bar", "value", "tick", "plot"
	text           string
	x0, y0, x1, y1 vg.Length
}

func (a box) overlaps(b box) bool {
	const e = 0.01
	return a.x0 < b.x1-e && b.x0 < a.x1-e && a.y0 < b.y1-e && b.y0 < a.y1-e
}

// painter draws on a canvas in coordinates from the top left, y down, and notes
// the box of each thing drawn. With no canvas it only notes.
type painter struct {
	c     vg.Canvas
	h     vg.Length
	boxes []box
}

func (p *painter) note(kind, text string, x0, y0, x1, y1 vg.Length) {
	p.boxes = append(p.boxes, box{kind: kind, text: text, x0: min(x0, x1), y0: min(y0, y1), x1: max(x0, x1), y1: max(y0, y1)})
}

// rect fills the rectangle at x, y (top left) of size w × h.
func (p *painter) rect(kind string, x, y, w, h vg.Length, c color.Color) {
	if kind != "" {
		p.note(kind, "", x, y, x+w, y+h)
	}
	if p.c == nil || w <= 0 || h <= 0 {
		return
	}
	var path vg.Path
	path.Move(vg.Point{X: x, Y: p.h - y})
	path.Line(vg.Point{X: x + w, Y: p.h - y})
	path.Line(vg.Point{X: x + w, Y: p.h - y - h})
	path.Line(vg.Point{X: x, Y: p.h - y - h})
	path.Close()
	p.c.SetColor(c)
	p.c.Fill(path)
}

// round fills a rectangle with round ends (a progress bar), radius r.
func (p *painter) round(kind string, x, y, w, h, r vg.Length, c color.Color) {
	if kind != "" {
		p.note(kind, "", x, y, x+w, y+h)
	}
	if p.c == nil || w <= 0 || h <= 0 {
		return
	}
	r = min(r, w/2, h/2)
	top, bot := p.h-y, p.h-y-h
	var path vg.Path
	path.Move(vg.Point{X: x + r, Y: bot})
	path.Line(vg.Point{X: x + w - r, Y: bot})
	path.Arc(vg.Point{X: x + w - r, Y: bot + r}, r, -math.Pi/2, math.Pi/2)
	path.Line(vg.Point{X: x + w, Y: top - r})
	path.Arc(vg.Point{X: x + w - r, Y: top - r}, r, 0, math.Pi/2)
	path.Line(vg.Point{X: x + r, Y: top})
	path.Arc(vg.Point{X: x + r, Y: top - r}, r, math.Pi/2, math.Pi/2)
	path.Line(vg.Point{X: x, Y: bot + r})
	path.Arc(vg.Point{X: x + r, Y: bot + r}, r, math.Pi, math.Pi/2)
	path.Close()
	p.c.SetColor(c)
	p.c.Fill(path)
}

// stroke draws a line through the points (x, y from the top left).
func (p *painter) stroke(width vg.Length, c color.Color, dash []vg.Length, pts ...vg.Point) {
	if p.c == nil || len(pts) < 2 {
		return
	}
	var path vg.Path
	for i, pt := range pts {
		q := vg.Point{X: pt.X, Y: p.h - pt.Y}
		if i == 0 {
			path.Move(q)
		} else {
			path.Line(q)
		}
	}
	p.c.SetLineWidth(width)
	p.c.SetLineDash(dash, 0)
	p.c.SetColor(c)
	p.c.Stroke(path)
	p.c.SetLineDash(nil, 0)
}

// dot fills a disc of radius r centred at x, y.
func (p *painter) dot(x, y, r vg.Length, c color.Color) {
	if p.c == nil {
		return
	}
	var path vg.Path
	path.Move(vg.Point{X: x + r, Y: p.h - y})
	path.Arc(vg.Point{X: x, Y: p.h - y}, r, 0, 2*math.Pi)
	path.Close()
	p.c.SetColor(c)
	p.c.Fill(path)
}

// text writes s on the baseline y: from x when align is 0, centred on x when
// 0.5, ending at x when 1. It returns its width.
func (p *painter) text(kind string, f face, x, baseline vg.Length, align float64, s string, c color.Color) vg.Length {
	w := f.width(s)
	x0 := x - w*vg.Length(align)
	if kind != "" {
		p.note(kind, s, x0, baseline-f.ascent(), x0+w, baseline+f.descent())
	}
	if p.c != nil && s != "" {
		p.c.SetColor(c)
		p.c.FillString(f.f, vg.Point{X: x0, Y: p.h - baseline}, s)
	}
	return w
}

// lines writes lines of text from the top y, each line f.line() below the last;
// it returns the height used.
func (p *painter) lines(kind string, f face, x, y vg.Length, align float64, ls []string, c color.Color) vg.Length {
	for i, l := range ls {
		p.text(kind, f, x, y+vg.Length(i)*f.line()+f.ascent()+(f.line()-f.size())/2, align, l, c)
	}
	return vg.Length(len(ls)) * f.line()
}

// wrap breaks s into lines no wider than w, at spaces, at most n lines (0: no
// limit); the last line kept ends with an ellipsis when words were left out, and a
// single word wider than w is shortened with one.
func wrap(f face, s string, w vg.Length, n int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		cur := ""
		for _, word := range words {
			if cur == "" {
				cur = fit(f, word, w)
				continue
			}
			if f.width(cur+" "+word) <= w {
				cur += " " + word
				continue
			}
			out = append(out, cur)
			cur = fit(f, word, w)
		}
		out = append(out, cur)
	}
	if n > 0 && len(out) > n {
		out = out[:n]
		last := strings.TrimSuffix(out[n-1], "…")
		for f.width(last+"…") > w {
			if i := strings.LastIndexByte(last, ' '); i > 0 {
				last = strings.TrimRight(last[:i], " ")
				continue
			}
			last = strings.TrimSuffix(fit(f, last, w), "…")
			break
		}
		out[n-1] = strings.TrimRight(last, " ,;:·-–") + "…"
	}
	return out
}

// fit shortens a word wider than w to the most that fits with an ellipsis (one
// character at least).
func fit(f face, word string, w vg.Length) string {
	if f.width(word) <= w {
		return word
	}
	r := []rune(word)
	lo, hi := 1, len(r) // the longest prefix that fits is in [lo, hi)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if f.width(string(r[:mid])+"…") <= w {
			lo = mid
		} else {
			hi = mid
		}
	}
	return string(r[:lo]) + "…"
}

func widest(f face, ss []string) vg.Length {
	var w vg.Length
	for _, s := range ss {
		w = max(w, f.width(s))
	}
	return w
}

// niceStep returns a step of 1, 2, 2.5 or 5 times a power of ten that cuts
// 0..hi in about n parts; at least 1 when whole is set (counts of people).
func niceStep(hi float64, n int, whole bool) float64 {
	if hi <= 0 {
		return 1
	}
	raw := hi / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	if whole {
		step = math.Max(1, math.Round(step))
	}
	return step
}

// scale is a linear axis: the values from lo to hi, and the ticks on it.
type scale struct {
	lo, hi float64
	ticks  []float64
}

// niceScale is an axis from min(lo, 0) to a tick at or above hi.
func niceScale(lo, hi float64, whole bool) scale {
	lo = math.Min(lo, 0)
	if hi <= lo {
		hi = lo + 1
	}
	step := niceStep(hi-lo, 4, whole)
	s := scale{lo: math.Floor(lo/step) * step, hi: math.Ceil(hi/step-1e-9) * step}
	for v := s.lo; v <= s.hi+step/1e6; v += step {
		s.ticks = append(s.ticks, math.Round(v/step)*step)
	}
	return s
}

func (s scale) at(v float64, from, to vg.Length) vg.Length {
	return from + (to-from)*vg.Length((v-s.lo)/(s.hi-s.lo))
}

func whole(vs ...[]float64) bool {
	for _, v := range vs {
		for _, x := range v {
			if x != math.Trunc(x) {
				return false
			}
		}
	}
	return true
}

// picture is what a chart draws and how: its width (and height, or 0 for the
// height its layout takes), background, the resolution of its PNG, and the
// accessible name of its SVG.
type picture struct {
	w, h  vg.Length
	bg    color.Color
	dpi   int
	title string
	paint func(p *painter) vg.Length
}

// size is the picture's size, its height told by a dry run of the layout when
// not fixed.
func (pic picture) size() (vg.Length, vg.Length) {
	h := pic.h
	if h == 0 {
		h = pic.paint(&painter{})
	}
	return pic.w, vg.Length(math.Ceil(float64(h)))
}

// png draws the picture as a PNG image at pic.dpi.
func (pic picture) png() ([]byte, error) {
	w, h := pic.size()
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(pic.dpi), vgimg.UseBackgroundColor(pic.bg))
	pic.paint(&painter{c: img, h: h})
	// Compressed for speed: a chart of flat colours stays small anyway.
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img.Image()); err != nil {
		return nil, fmt.Errorf("chart: write png: %w", err)
	}
	return buf.Bytes(), nil
}

// svg draws the picture as an SVG document, its title as its accessible name.
func (pic picture) svg() ([]byte, error) {
	w, h := pic.size()
	svg := vgsvg.New(w, h)
	p := &painter{c: svg, h: h}
	p.rect("", 0, 0, w, h, pic.bg)
	pic.paint(p)
	var buf bytes.Buffer
	if _, err := svg.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: write svg: %w", err)
	}
	return tidySVG(buf.Bytes(), pic.title), nil
}

var (
	styleAttr  = regexp.MustCompile(`style="([^"]*)"`)
	generator  = regexp.MustCompile(`<!-- Generated by [^>]*-->\n`)
	familyName = "'Liberation Sans', Arial, Helvetica, sans-serif"
)

// tidySVG gives the SVG its role of an image and title (its name for screen
// readers when inlined in a page), turns style attributes into presentation attributes, so that a page
// whose Content-Security-Policy forbids inline styles still shows the chart, and
// names fonts a browser has when it lacks Liberation Sans (Arial has the same
// widths).
func tidySVG(b []byte, title string) []byte {
	b = generator.ReplaceAll(b, nil)
	if i := bytes.Index(b, []byte(">\n<g ")); i > 0 && bytes.Contains(b[:i], []byte("<svg ")) {
		head := ` role="img">` + "\n"
		if title != "" {
			head += "<title>" + html.EscapeString(title) + "</title>"
		}
		b = append(b[:i:i], append([]byte(head), b[i+1:]...)...)
	}
	return styleAttr.ReplaceAllFunc(b, func(m []byte) []byte {
		var out []string
		for _, decl := range strings.Split(string(styleAttr.FindSubmatch(m)[1]), ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(decl), ":")
			if !ok || k == "font-variant" && v == "none" {
				continue
			}
			if k == "font-family" {
				v = familyName
			}
			out = append(out, k+`="`+v+`"`)
		}
		return []byte(strings.Join(out, " "))
	})
}
