package when

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Date is a point in time read from what someone typed.
type Date struct {
	// Time is in the location given to Parse or Find. For a date without a
	// time of day it is the first instant of that day (midnight, or the
	// first wall-clock time that exists when a daylight-saving change skips
	// midnight).
	Time time.Time
	// HasTime is true when a time of day was given ("vendredi 19h") or the
	// expression is an instant ("in 2 hours").
	HasTime bool
}

// End returns the last instant of the day for a date without a time of day,
// in Time's location; it is what a deadline means: "until 2026-12-20" lasts to
// the end of that day. With a time of day End returns Time itself.
func (d Date) End() time.Time {
	if d.HasTime {
		return d.Time
	}
	y, m, day := d.Time.Date()
	return time.Date(y, m, day+1, 0, 0, 0, 0, d.Time.Location()).Add(-time.Nanosecond)
}

// String formats d as "2006-01-02" or, with a time of day, "2006-01-02 15:04".
func (d Date) String() string {
	if d.HasTime {
		return d.Time.Format("2006-01-02 15:04")
	}
	return d.Time.Format("2006-01-02")
}

// Parse reads text that is entirely a date or a date and time ("vendredi
// 19h", "2026-12-15", "next Friday") and returns it. A leading "by",
// "until", "d'ici", "avant", "le"… and a trailing "au plus tard" or "at the
// latest" are allowed. lang is the community's language, "fr" or "en"
// (regional forms such as "fr-CA" count); its words are tried first, then
// both languages'; any other value tries both at once. now is the only
// source of the current time; loc is the community's time zone (nil means
// now's location). ok is false for text that is not a date, and for
// impossible dates such as "31/02" or "25:00".
func Parse(text, lang string, now time.Time, loc *time.Location) (Date, bool) {
	d, _, err := parse(text, lang, languages(lang)&langEN != 0, now, loc)
	return d, err == nil
}

// parse is Parse, with the reason a date-shaped text was refused (a
// *TooFarError, else ErrNoDate) and the ambiguous numeric dates of the
// reading (monthFirst only).
func parse(text, lang string, monthFirst bool, now time.Time, loc *time.Location) (Date, *AmbiguousError, error) {
	if loc == nil {
		loc = now.Location()
	}
	if t, err := time.Parse(time.RFC3339, strings.TrimSpace(text)); err == nil {
		// A machine-written instant with its own offset: "2026-12-15T18:30:00Z".
		t = t.In(loc)
		if !t.Before(now.AddDate(-10, 0, 0)) && !t.After(now.AddDate(10, 0, 0)) {
			return Date{Time: t, HasTime: true}, nil, nil
		}
		return Date{}, nil, tooFar(strings.TrimSpace(text), Date{Time: t, HasTime: true}, now, loc)
	}
	toks := lex(text)
	var far *hit
	var swapped error
	for _, langs := range passes(lang) {
		p := newParser(toks, langs, now, loc, false, monthFirst)
		if d, ok := p.whole(); ok {
			return d, p.ambiguityIn(text, 0, len(toks), d), nil
		}
		if far == nil && p.far != nil && p.onlyTrailing(p.far.end) {
			far = p.far
		}
		if swapped == nil {
			swapped = p.dayFirstError(text)
		}
	}
	if far != nil {
		return Date{}, nil, tooFar(strings.TrimSpace(text), Date{Time: far.t, HasTime: far.hasTime}, now, loc)
	}
	if swapped != nil {
		return Date{}, nil, swapped
	}
	return Date{}, nil, ErrNoDate
}

// Find looks for the first date expression in text, a sentence, and returns
// it with rest: the sentence without the date words and without a word that
// introduced the date ("by", "before", "on", "d'ici", "avant", "pour",
// "jusqu'au"…) or followed it ("au plus tard"), spaces tidied where the date
// was cut out. Words of lang are tried first over the whole sentence, then
// both languages' (see Parse). When no date is found, ok is false and rest is
// text unchanged.
func Find(text, lang string, now time.Time, loc *time.Location) (d Date, rest string, ok bool) {
	d, rest, _, err := find(text, lang, languages(lang)&langEN != 0, now, loc)
	return d, rest, err == nil
}

// find is Find, with the reason the first date-shaped expression was
// refused (a *TooFarError, else ErrNoDate) and its ambiguous numeric dates
// (monthFirst only).
func find(text, lang string, monthFirst bool, now time.Time, loc *time.Location) (Date, string, *AmbiguousError, error) {
	if loc == nil {
		loc = now.Location()
	}
	toks := lex(text)
	var swapped error
	for _, langs := range passes(lang) {
		p := newParser(toks, langs, now, loc, true, monthFirst)
		for i := range toks {
			if !p.cleanStart(i) {
				continue
			}
			h, ok := p.read(i)
			if ok && p.badEnd[i] {
				// Right after an impossible date ("31/02 19:00", "4/15 19:00" in
				// French): the time is that date's, not today's.
				if err := p.dayFirstError(text); err != nil {
					return Date{}, text, nil, err
				}
				return Date{}, text, nil, ErrNoDate
			}
			if !ok {
				if f := p.far; f != nil {
					// A date beyond the horizon is refused, not skipped
					// for a later word ("12/12/2040 19:00" is not 19:00 today).
					return Date{}, text, nil, tooFar(text[toks[i].start:toks[f.end-1].end], Date{Time: f.t, HasTime: f.hasTime}, now, loc)
				}
				continue
			}
			start, end := p.widen(i, h.end)
			d := Date{Time: h.t, HasTime: h.hasTime}
			return d, cut(text, toks[start].start, toks[end-1].end), p.ambiguityIn(text, i, h.end, d), nil
		}
		if swapped == nil {
			swapped = p.dayFirstError(text)
		}
	}
	if swapped != nil {
		return Date{}, text, nil, swapped
	}
	return Date{}, text, nil, ErrNoDate
}

// passes lists the language sets to try, in order, for lang.
func passes(lang string) []langSet {
	switch languages(lang) {
	case langFR:
		return []langSet{langFR, langAll}
	case langEN:
		return []langSet{langEN, langAll}
	}
	return []langSet{langAll}
}

// languages maps a language tag to the set it names; unknown tags name both.
func languages(lang string) langSet {
	l := strings.ToLower(strings.TrimSpace(lang))
	switch {
	case l == "fr" || strings.HasPrefix(l, "fr-") || strings.HasPrefix(l, "fr_"):
		return langFR
	case l == "en" || strings.HasPrefix(l, "en-") || strings.HasPrefix(l, "en_"):
		return langEN
	}
	return langAll
}

// whole reads all of p's tokens as one date expression, allowing leading
// connectors and punctuation and trailing punctuation and connectors.
func (p *parser) whole() (Date, bool) {
	i := 0
	for i < len(p.toks) && p.toks[i].kind == tokPunct && !isNumSep(p.toks[i].text) && p.toks[i].text != "'" {
		i++
	}
	starts := []int{i}
	p.eachPhrase(leadConnectors, langAll, i, func(end, _ int) { starts = append(starts, end) })
	for _, s := range starts {
		h, ok := p.read(s)
		if ok && p.onlyTrailing(h.end) {
			return Date{Time: h.t, HasTime: h.hasTime}, true
		}
	}
	return Date{}, false
}

// onlyTrailing reports whether nothing but a trailing connector and
// punctuation follows token j.
func (p *parser) onlyTrailing(j int) bool {
	if e, _, ok := p.longestIn(trailConnectors, langAll, j); ok {
		j = e
	}
	for ; j < len(p.toks); j++ {
		if p.toks[j].kind != tokPunct || p.toks[j].text == "\ufffd" {
			return false
		}
	}
	return true
}

// longestIn is longest for an explicit language set.
func (p *parser) longestIn(table phraseTable, langs langSet, i int) (end, val int, ok bool) {
	p.eachPhrase(table, langs, i, func(e, v int) {
		if !ok || e > end {
			end, val, ok = e, v, true
		}
	})
	return end, val, ok
}

// widen extends the token range [start, end) of a date found in a sentence
// over the connectors that introduce or follow it, in either language.
func (p *parser) widen(start, end int) (int, int) {
	for range 2 {
		best := -1
		for s := start - 1; s >= 0 && s >= start-8; s-- {
			if !p.cleanStart(s) {
				continue
			}
			p.eachPhrase(leadConnectors, langAll, s, func(e, _ int) {
				for q := p.punct(e); e < start && (q == "'" || q == "-"); q = p.punct(e) {
					e++ // "jusqu'" + "au 31"
				}
				if e == start {
					best = s
				}
			})
		}
		if best < 0 {
			break
		}
		start = best
	}
	if e, _, ok := p.longestIn(trailConnectors, langAll, end); ok {
		end = e
	}
	return start, end
}

// cut removes text[start:end] and tidies the spaces and separators left at
// the seam. It cuts only at rune boundaries, so valid UTF-8 stays valid.
func cut(text string, start, end int) string {
	left := strings.TrimRightFunc(text[:start], unicode.IsSpace)
	right := strings.TrimLeftFunc(text[end:], unicode.IsSpace)
	const seams = ",;:-–—"
	switch {
	case right == "":
		return strings.TrimRightFunc(left, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(seams, r) })
	case left == "":
		return strings.TrimLeftFunc(right, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(seams, r) })
	}
	if r, _ := utf8.DecodeRuneInString(right); strings.ContainsRune(",.;:!?)]…", r) {
		return left + right
	}
	return left + " " + right
}
