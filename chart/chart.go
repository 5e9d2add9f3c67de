// Package chart draws Engage's charts and images: bar charts (a poll's result,
// stacked grade profiles, yes and maybe), line charts of figures over time in
// panels, a progress bar, and the preview cards of web pages (Open Graph, 1200 ×
// 630). Each draws as PNG for the chats and SVG for web pages from the same code,
// so that both look alike.
//
// It owns the look (a calm palette, readable sizes, a light grid, no heavy frame,
// room around the bars, a value after each bar, a legend set above the chart so
// it never covers a bar, labels wrapped at word boundaries instead of cut) and the
// writing of numbers in each language (no needless decimals, a decimal comma and a
// thin space between thousands in French). It has no words of its own: titles,
// labels, legend names and any formatted amount come from the caller, already
// translated. It imports gonum/plot's drawing packages and the standard library,
// nothing of the project.
package chart

import (
	"image/color"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The palette: calm colours of a report that stay apart for the colour-blind in
// the pairs used together (green and amber, blue and green, amber and green).
var (
	Blue   = color.RGBA{R: 0x4e, G: 0x79, B: 0xa7, A: 0xff}
	Green  = color.RGBA{R: 0x3f, G: 0x8f, B: 0x5a, A: 0xff}
	Amber  = color.RGBA{R: 0xe8, G: 0xb0, B: 0x4b, A: 0xff}
	Red    = color.RGBA{R: 0xc8, G: 0x4e, B: 0x4e, A: 0xff}
	Purple = color.RGBA{R: 0x8a, G: 0x6f, B: 0xae, A: 0xff}
	Teal   = color.RGBA{R: 0x4a, G: 0x9c, B: 0x9a, A: 0xff}
	Grey   = color.RGBA{R: 0x9a, G: 0xa5, B: 0xb1, A: 0xff}

	ink    = color.RGBA{R: 0x1f, G: 0x29, B: 0x33, A: 0xff} // text
	muted  = color.RGBA{R: 0x52, G: 0x60, B: 0x6d, A: 0xff} // secondary text, ticks
	rule   = color.RGBA{R: 0xe4, G: 0xe7, B: 0xeb, A: 0xff} // grid
	axis   = color.RGBA{R: 0x9a, G: 0xa5, B: 0xb1, A: 0xff} // the zero line
	track  = color.RGBA{R: 0xe9, G: 0xec, B: 0xef, A: 0xff} // a progress bar's empty part
	paper  = color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	cardBg = color.RGBA{R: 0xf7, G: 0xf8, B: 0xfa, A: 0xff}
)

// shades are the stops of the scale of ordered categories, from worst to best
// (ColorBrewer's RdYlGn, slightly softened).
var shades = []color.RGBA{
	{R: 0xd7, G: 0x30, B: 0x27, A: 0xff},
	{R: 0xf4, G: 0x8a, B: 0x5a, A: 0xff},
	{R: 0xfd, G: 0xd4, B: 0x7f, A: 0xff},
	{R: 0xc9, G: 0xe5, B: 0x8b, A: 0xff},
	{R: 0x86, G: 0xc7, B: 0x6a, A: 0xff},
	{R: 0x1a, G: 0x98, B: 0x50, A: 0xff},
}

// Shade returns the colour of step g of k on a scale from red (0, the worst) to
// green (k-1, the best), for ordered categories such as grades.
func Shade(g, k int) color.Color {
	if k <= 1 {
		return shades[len(shades)-1]
	}
	f := float64(min(max(g, 0), k-1)) / float64(k-1) * float64(len(shades)-1)
	i := min(int(f), len(shades)-2)
	t := f - float64(i)
	a, b := shades[i], shades[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
	return color.RGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xff}
}

// Number writes v with no needless decimals (50, 12.5, 0.33: at most two), and
// decimal as the decimal separator ("." when empty). Thousands are grouped: with
// a narrow no-break space when the decimal separator is a comma (French:
// "1 234,5"), with a comma otherwise ("1,234.5").
func Number(v float64, decimal string) string {
	if decimal == "" {
		decimal = "."
	}
	thousands := ","
	if decimal == "," {
		thousands = "\u202f"
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	r := math.Round(v*100) / 100
	s := strconv.FormatFloat(math.Abs(r), 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if r < 0 {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// Percent writes v followed by a percent sign: with a narrow no-break space
// before it in French (decimal ","), "50 %", and none in English, "50%".
func Percent(v float64, decimal string) string {
	if decimal == "," {
		return Number(v, decimal) + "\u202f%"
	}
	return Number(v, decimal) + "%"
}

// Clip cuts s to at most n characters, the last an ellipsis when cut; it cuts
// after a whole word when one ends in the second half of what is kept.
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:max(n-1, 0)]
	if i := strings.LastIndexByte(string(r), ' '); i > 0 && utf8.RuneCountInString(string(r)[:i]) >= len(r)/2 {
		return strings.TrimRight(string(r)[:i], " ,;:·-–") + "…"
	}
	return strings.TrimSpace(string(r)) + "…"
}
