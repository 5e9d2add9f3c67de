package when

import (
	"time"
	"unicode/utf8"

	dps "github.com/markusmobius/go-dateparser"
	"github.com/markusmobius/go-dateparser/date"
)

// libraryMaxLen bounds the text handed to go-dateparser, whose cost grows
// with the input; a date typed alone is never that long.
const libraryMaxLen = 100

// parseWithLibrary asks go-dateparser to read text that the package's own
// rules could not read, and keeps the answer only if it names a day
// (go-dateparser reads "mars" or "2027" alone as a month or a year, filling
// the rest from now). Only its relative and absolute parsers are used: the
// timestamp parser would read plain numbers as dates, and the no-spaces
// parser reads the real clock for two-digit years.
//
// outside reports a day or time read that falls beyond ten years of now: d is
// then that date, and ok is false.
func parseWithLibrary(text string, toks []token, langs langSet, now time.Time, loc *time.Location) (d Date, ok, outside bool) {
	if len(text) > libraryMaxLen || !utf8.ValidString(text) || !hasWord(toks) {
		return Date{}, false, false
	}
	// go-dateparser is a port of a large Python library; a panic in it must
	// not take a chat bot down, so it becomes "not a date".
	defer func() {
		if recover() != nil {
			d, ok, outside = Date{}, false, false
		}
	}()
	// The community's language first, then the other: a French community's
	// "30 days" reads as well as an English one's "30 jours".
	codes := []string{"fr", "en"}
	if langs&langFR == 0 {
		codes = []string{"en", "fr"}
	}
	lp := &dps.Parser{ParserTypes: []dps.ParserType{dps.RelativeTime, dps.AbsoluteTime}}
	now = now.In(loc)
	res, err := lp.Parse(&dps.Configuration{
		Languages:           codes,
		CurrentTime:         now,
		DefaultTimezone:     loc,
		DateOrder:           dps.DMY,
		PreferredDateSource: dps.Future,
		ReturnTimeAsPeriod:  true,
	}, text)
	if err != nil || res.Time.IsZero() {
		return Date{}, false, false
	}
	t := res.Time.In(loc)
	switch {
	case res.Period.IsTime():
		d = Date{Time: t.Truncate(time.Second), HasTime: true}
	case res.Period == date.Day:
		y, m, day := t.Date()
		d = Date{Time: time.Date(y, m, day, 0, 0, 0, 0, loc)}
	default:
		return Date{}, false, false
	}
	if t.Before(now.AddDate(-10, 0, 0)) || t.After(now.AddDate(10, 0, 0)) {
		return d, false, true
	}
	return d, true, false
}

// hasWord reports whether toks hold a word of three letters or more: text
// without one ("42", "12 2026") is not handed to go-dateparser.
func hasWord(toks []token) bool {
	for _, t := range toks {
		if t.kind == tokWord && len(t.text) >= 3 {
			return true
		}
	}
	return false
}
