package when

import "time"

// parser reads date expressions from one token slice. It belongs to one call
// of Parse or Find and is not shared between goroutines.
type parser struct {
	toks   []token
	langs  langSet
	loc    *time.Location
	now    time.Time // the caller's now, in loc
	today  time.Time // midnight at the start of now's day, in loc
	lo, hi time.Time // results must fall between them: ten years either side of now
	// find is set when reading inside a sentence: lone numbers and bare
	// times such as "2h" ("ça dure 2h") then need a word that introduces them.
	find bool
	// monthFirst allows 12/25 to read as 25 December: set when the
	// community's language is English or unknown, never for French.
	monthFirst bool
	// invalid records that a date- or time-shaped expression had impossible
	// values ("31/02", "25:00"): such text is no date, whatever else it holds.
	invalid bool
	// far is the longest reading at the last start given to read whose
	// date fell outside [lo, hi]: "12/12/2040 19:00" must be refused as too
	// far, not read as a time of day today from "19:00" on.
	far *hit
	// longestFar and hasFar are read's scratch for far.
	longestFar hit
	hasFar     bool
	// ambiguous lists the numeric dates read that also read month first
	// (5/4 is 5 April or May 4), when monthFirst allows that order.
	ambiguous []ambiguity
	// badEnd holds the token indexes where an impossible date ends: in a
	// sentence a reading starting there ("31/02 19:00": 19:00 today) is refused.
	badEnd map[int]bool
	// swapped is the first numeric date that reads only month first where
	// dates are day first (4/15 in French).
	swapped *ambiguity
}

// ambiguity is a numeric date, tokens [start, end), that reads both day
// first (the reading emitted) and month first (alt, a day).
type ambiguity struct {
	start, end int
	alt        time.Time
}

// hit is one reading of the tokens from the reader's start up to end.
type hit struct {
	end     int
	t       time.Time
	hasTime bool
	// exact marks an instant computed from now ("in 2 hours"): no time of
	// day can be added to it.
	exact bool
}

// newParser prepares a reading of toks in langs, relative to now in loc.
func newParser(toks []token, langs langSet, now time.Time, loc *time.Location, find, monthFirst bool) *parser {
	now = now.In(loc)
	y, m, d := now.Date()
	return &parser{
		toks:  toks,
		langs: langs,
		loc:   loc,
		now:   now,
		today: time.Date(y, m, d, 0, 0, 0, 0, loc),
		lo:    now.AddDate(-10, 0, 0),
		hi:    now.AddDate(10, 0, 0),
		find:  find,

		monthFirst: monthFirst,
	}
}

// --- tokens ---

func (p *parser) word(i int) string {
	if i < 0 || i >= len(p.toks) || p.toks[i].kind != tokWord {
		return ""
	}
	return p.toks[i].text
}

func (p *parser) punct(i int) string {
	if i < 0 || i >= len(p.toks) || p.toks[i].kind != tokPunct {
		return ""
	}
	return p.toks[i].text
}

// glued reports whether token i touches token i-1 with no space between.
func (p *parser) glued(i int) bool {
	return i > 0 && i < len(p.toks) && p.toks[i-1].end == p.toks[i].start
}

// digits returns the value of a number token of minDigits to maxDigits digits.
func (p *parser) digits(i, minDigits, maxDigits int) (int, bool) {
	if i < 0 || i >= len(p.toks) || p.toks[i].kind != tokNum {
		return 0, false
	}
	s := p.toks[i].text
	if len(s) < minDigits || len(s) > maxDigits {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s) {
		v = v*10 + int(c-'0')
	}
	return v, true
}

func isNumSep(s string) bool { return s == "/" || s == "." || s == ":" || s == "-" }

// cleanStart reports whether a reading may start at token i: it must not
// continue a word ("P1") or a number ("2026-12-15" read from "12").
func (p *parser) cleanStart(i int) bool {
	if i < 0 || i >= len(p.toks) {
		return false
	}
	if !p.glued(i) {
		return true
	}
	prev := p.toks[i-1]
	if prev.kind != tokPunct {
		return false
	}
	if p.toks[i].kind == tokNum && isNumSep(prev.text) && p.glued(i-1) && p.toks[i-2].kind == tokNum {
		return false
	}
	return true
}

// cleanEnd reports whether a reading may stop before token j: the next token
// must not continue a word or a number ("15/12/2026/3", "mars2").
func (p *parser) cleanEnd(j int) bool {
	if j >= len(p.toks) || !p.glued(j) {
		return true
	}
	t := p.toks[j]
	if t.kind != tokPunct {
		return false
	}
	if isNumSep(t.text) && j+1 < len(p.toks) && p.glued(j+1) && p.toks[j+1].kind == tokNum {
		return false
	}
	if t.text == "'" && p.word(j+1) != "" && p.glued(j+1) {
		return false // "today's", "Friday's"
	}
	return true
}

// matchWords matches words from token i, skipping apostrophes and dashes
// between them, and returns the index after the last word.
func (p *parser) matchWords(i int, words []string) (int, bool) {
	for k, w := range words {
		if k > 0 {
			for s := p.punct(i); s == "'" || s == "-"; s = p.punct(i) {
				i++
			}
		}
		if p.word(i) != w {
			return 0, false
		}
		i++
	}
	return i, true
}

// eachPhrase calls fn for every phrase of table in langs that starts at i.
func (p *parser) eachPhrase(table phraseTable, langs langSet, i int, fn func(end, val int)) {
	w := p.word(i)
	if w == "" {
		return
	}
	for _, ph := range table[w] {
		if ph.langs&langs == 0 {
			continue
		}
		if end, ok := p.matchWords(i, ph.words); ok {
			fn(end, ph.val)
		}
	}
}

// longest returns the longest phrase of table in p's languages starting at i.
func (p *parser) longest(table phraseTable, i int) (end, val int, ok bool) {
	p.eachPhrase(table, p.langs, i, func(e, v int) {
		if !ok || e > end {
			end, val, ok = e, v, true
		}
	})
	return end, val, ok
}

// --- calendar ---

func (p *parser) day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, p.loc)
}

func (p *parser) at(t time.Time, h, m int) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), h, m, 0, 0, p.loc)
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func validDate(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, time.Month(m))
}

// validDayMonth reports whether day d ever exists in month m (29 February does).
func validDayMonth(d, m int) bool {
	return validDate(2000, m, d)
}

// nextMonthDay is the first d/m on or after today.
func (p *parser) nextMonthDay(m, d int) (time.Time, bool) {
	for y := p.today.Year(); y <= p.today.Year()+8; y++ {
		if validDate(y, m, d) {
			if t := p.day(y, time.Month(m), d); !t.Before(p.today) {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// nextDayOfMonth is the first day d of a month on or after today.
func (p *parser) nextDayOfMonth(d int) (time.Time, bool) {
	y, m := p.today.Year(), p.today.Month()
	for k := 0; k < 14; k++ {
		first := p.day(y, m+time.Month(k), 1)
		if d <= daysIn(first.Year(), first.Month()) {
			if t := p.day(first.Year(), first.Month(), d); !t.Before(p.today) {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// monthPart is the first, 15th or last day of month m of year y.
func (p *parser) monthPart(y int, m time.Month, pt part) time.Time {
	switch pt {
	case partMid:
		return p.day(y, m, 15)
	case partLast:
		return p.day(y, m+1, 0)
	}
	return p.day(y, m, 1)
}

// monday is the Monday of the current week (weeks run Monday to Sunday).
func (p *parser) monday() time.Time {
	return p.today.AddDate(0, 0, -((int(p.today.Weekday()) + 6) % 7))
}

// weekdayFrom is the next weekday wd after today, by mode (see wdStrict).
func (p *parser) weekdayFrom(wd time.Weekday, mode int) time.Time {
	delta := (int(wd) - int(p.today.Weekday()) + 7) % 7
	if delta == 0 && mode != wdInclusive {
		delta = 7
	}
	if mode == wdWeekAfter {
		delta += 7
	}
	return p.today.AddDate(0, 0, delta)
}

// addMonths adds n months to t, keeping the day but clamping it to the end of
// a shorter month (31 January + 1 month = 28 or 29 February).
func (p *parser) addMonths(t time.Time, n int) time.Time {
	first := p.day(t.Year(), t.Month()+time.Month(n), 1)
	d := min(t.Day(), daysIn(first.Year(), first.Month()))
	return p.day(first.Year(), first.Month(), d)
}

func (p *parser) inRange(t time.Time) bool {
	return !t.Before(p.lo) && !t.After(p.hi)
}

// --- words ---

func (p *parser) monthAt(i int) (time.Month, int, bool) {
	m, ok := lookup(months, p.word(i), p.langs)
	if !ok {
		return 0, 0, false
	}
	end := i + 1
	if monthAbbrevs[p.word(i)] && p.punct(end) == "." && p.glued(end) {
		end++
	}
	return time.Month(m), end, true
}

// monthAbbrevs are the month abbreviations that may carry a dot: "janv.", "Jan.".
var monthAbbrevs = map[string]bool{
	"janv": true, "fevr": true, "fev": true, "avr": true, "juil": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
}

// yearAt reads an optional comma and a four-digit year.
func (p *parser) yearAt(i int) (int, int, bool) {
	if p.punct(i) == "," {
		i++
	}
	if y, ok := p.digits(i, 4, 4); ok && !p.glued(i+1) {
		return y, i + 1, true
	}
	return 0, 0, false
}

// dayNum reads a day of the month: "3", "3rd", "1er", "premier", "first".
func (p *parser) dayNum(i int) (d, end int, ordinal, ok bool) {
	switch w := p.word(i); {
	case w == "premier" && p.langs&langFR != 0, w == "first" && p.langs&langEN != 0:
		return 1, i + 1, true, true
	}
	d, ok = p.digits(i, 1, 2)
	if !ok || (p.glued(i) && p.toks[i-1].kind != tokPunct) {
		return 0, 0, false, false
	}
	end = i + 1
	if p.glued(end) {
		if _, isOrd := lookup(ordinalSuffixes, p.word(end), p.langs); isOrd {
			end++
			ordinal = true
		}
	}
	if p.glued(end) && (p.toks[end].kind != tokPunct || p.punct(end) == ":" || p.punct(end) == "/") {
		return 0, 0, false, false
	}
	return d, end, ordinal, true
}

// number reads a count: digits or a number word.
func (p *parser) number(i int) (int, int, bool) {
	if v, ok := p.digits(i, 1, 5); ok {
		return v, i + 1, true
	}
	w := p.word(i)
	if w == "dix" && p.langs&langFR != 0 {
		j := i + 1
		if p.punct(j) == "-" {
			j++
		}
		switch p.word(j) {
		case "sept":
			return 17, j + 1, true
		case "huit":
			return 18, j + 1, true
		case "neuf":
			return 19, j + 1, true
		}
	}
	if v, ok := lookup(numberWords, w, p.langs); ok {
		return v, i + 1, true
	}
	return 0, 0, false
}

// isUnit reports whether token i is a word for a duration ("jours", "weeks").
func (p *parser) isUnit(i int) bool {
	_, ok := lookup(units, p.word(i), langAll)
	return ok
}

// --- times ---

// ampm reads "am", "pm", "a.m." or "p.m." at i.
func (p *parser) ampm(i int) (pm bool, end int, ok bool) {
	switch p.word(i) {
	case "am":
		return false, i + 1, true
	case "pm":
		return true, i + 1, true
	case "a", "p":
		if p.punct(i+1) == "." && p.glued(i+1) && p.word(i+2) == "m" && p.glued(i+2) {
			end = i + 3
			if p.punct(end) == "." && p.glued(end) {
				end++
			}
			return p.word(i) == "p", end, true
		}
	}
	return false, 0, false
}

// clock reads a time of day at i: "18h", "18h30", "18:30", "6pm", "6:30 pm",
// "midi". bare reports the forms that also read as durations or nouns
// ("2h", "midi"), which need an introducing word inside a sentence.
func (p *parser) clock(i int) (h, m, end int, bare, ok bool) {
	switch w := p.word(i); {
	case w == "midi" && p.langs&langFR != 0, w == "noon" && p.langs&langEN != 0:
		return 12, 0, i + 1, true, true
	case w == "minuit" && p.langs&langFR != 0, w == "midnight" && p.langs&langEN != 0:
		return 0, 0, i + 1, true, true
	}
	h, ok = p.digits(i, 1, 2)
	if !ok {
		return 0, 0, 0, false, false
	}
	j := i + 1
	hasAMPM, pm := false, false
	switch {
	case p.punct(j) == ":" && p.glued(j) && p.glued(j+1):
		mm, ok := p.digits(j+1, 2, 2)
		if !ok {
			return 0, 0, 0, false, false
		}
		m, j = mm, j+2
		if p.punct(j) == ":" && p.glued(j) && p.glued(j+1) {
			s, ok := p.digits(j+1, 2, 2)
			if !ok || s > 59 {
				p.invalid = true
				return 0, 0, 0, false, false
			}
			j += 2
		}
		if isPM, e, ok := p.ampm(j); ok {
			hasAMPM, pm, j = true, isPM, e
		}
	case p.word(j) == "h" || (p.langs&langFR != 0 && (p.word(j) == "heure" || p.word(j) == "heures")):
		j++
		bare = true
		if mm, ok := p.digits(j, 2, 2); ok && (p.glued(j) || p.word(j-1) != "h") {
			m, j, bare = mm, j+1, false
		}
	default:
		isPM, e, ok := p.ampm(j)
		if !ok {
			return 0, 0, 0, false, false
		}
		hasAMPM, pm, j = true, isPM, e
	}
	if m > 59 {
		p.invalid = true
		return 0, 0, 0, false, false
	}
	if hasAMPM {
		if h < 1 || h > 12 {
			p.invalid = true
			return 0, 0, 0, false, false
		}
		h %= 12
		if pm {
			h += 12
		}
	} else if h > 23 {
		p.invalid = true
		return 0, 0, 0, false, false
	}
	return h, m, j, bare, true
}

// clockRange reads a time of day and, when a range follows ("14h-16h",
// "2pm - 4pm"), skips its end: the start is the time that counts.
func (p *parser) clockRange(i int) (h, m, end int, bare, ok bool) {
	h, m, end, bare, ok = p.clock(i)
	if ok && p.punct(end) == "-" {
		saved := p.invalid
		if _, _, e, _, ok2 := p.clock(end + 1); ok2 {
			end = e
		}
		p.invalid = saved
	}
	return h, m, end, bare, ok
}

// timeParts calls fn for each reading of a time of day at i, with or without
// an introducing word ("à 9h", "at 10am").
func (p *parser) timeParts(i int, fn func(h, m, end int, bare, intro bool)) {
	if h, m, end, bare, ok := p.clockRange(i); ok {
		fn(h, m, end, bare, false)
	}
	p.eachPhrase(timeIntros, p.langs, i, func(e, _ int) {
		h, m, end, bare, ok := p.clockRange(e)
		if !ok {
			return
		}
		if bare && e == i+1 && !p.toks[i].accented && (p.word(i) == "a" || p.word(i) == "des") {
			// "il a 2h de retard", "des 3h de route": the verb or the
			// article, not "à"/"dès"; the time alone still counts where a
			// bare time does.
			fn(h, m, end, bare, false)
			return
		}
		fn(h, m, end, bare, true)
	})
}

// timeAfter calls fn for each time of day that follows a date ending at i:
// "vendredi 19h", "demain à 10h", "2026-12-15T18:30", "Friday, at 7pm".
func (p *parser) timeAfter(i int, fn func(h, m, end int)) {
	j := i
	if p.punct(j) == "," {
		j++
	}
	if j == i && p.word(j) == "t" && p.glued(j) && p.glued(j+1) {
		if h, m, end, _, ok := p.clockRange(j + 1); ok {
			fn(h, m, end)
		}
		return
	}
	p.timeParts(j, func(h, m, end int, _, _ bool) { fn(h, m, end) })
}

// --- dates ---

// dates calls fn for every reading of a date (without a time of day) that
// starts at token i.
func (p *parser) dates(i int, fn func(hit)) {
	p.iso(i, fn)
	p.withPrefixes(i, func(j int, introduced bool) {
		p.numeric(j, introduced, fn)
		p.dayMonth(j, fn)
		p.monthDay(j, fn)
	})
	p.monthYear(i, fn)
	p.qualifiedMonth(i, fn)
	p.dayOnly(i, fn)
	p.relative(i, fn)
	p.weekday(i, fn)
	p.duration(i, fn)
}

// withPrefixes calls fn at i and after the words that may precede a full
// date: "le", a weekday ("vendredi 12 mars", "Fri, 12 Dec"), or both.
func (p *parser) withPrefixes(i int, fn func(j int, introduced bool)) {
	fn(i, false)
	j := i
	if p.langs&langFR != 0 && (p.word(j) == "le" || p.word(j) == "du" || p.word(j) == "au") {
		j++
		fn(j, true)
	}
	w := p.word(j)
	_, full := lookup(weekdays, w, p.langs)
	_, abbrev := lookup(weekdayAbbrevs, w, p.langs)
	if !full && !abbrev {
		return
	}
	j++
	if abbrev && p.punct(j) == "." && p.glued(j) {
		j++
	}
	if p.punct(j) == "," {
		j++
	}
	fn(j, true)
	if p.langs&langFR != 0 && p.word(j) == "le" {
		fn(j+1, true)
	}
}

// iso reads 2026-12-15 (or 2026/12/15).
func (p *parser) iso(i int, fn func(hit)) {
	y, ok := p.digits(i, 4, 4)
	sep := p.punct(i + 1)
	if !ok || (sep != "-" && sep != "/") || !p.glued(i+1) || !p.glued(i+2) ||
		p.punct(i+3) != sep || !p.glued(i+3) || !p.glued(i+4) {
		return
	}
	m, ok1 := p.digits(i+2, 1, 2)
	d, ok2 := p.digits(i+4, 1, 2)
	if !ok1 || !ok2 {
		return
	}
	if !validDate(y, m, d) {
		p.badDate(i + 5)
		return
	}
	fn(hit{end: i + 5, t: p.day(y, time.Month(m), d)})
}

// numeric reads day-first numeric dates: 15/12, 15/12/2026, 15.12.2026,
// 15-12-26. In English, 12/25 (second number above 12) reads month first.
func (p *parser) numeric(i int, introduced bool, fn func(hit)) {
	a, ok := p.digits(i, 1, 2)
	sep := p.punct(i + 1)
	if !ok || (sep != "/" && sep != "." && sep != "-") || !p.glued(i+1) || !p.glued(i+2) {
		return
	}
	b, ok := p.digits(i+2, 1, 2)
	if !ok {
		return
	}
	end, year := i+3, 0
	if p.punct(end) == sep && p.glued(end) && p.glued(end+1) {
		if y, ok := p.digits(end+1, 4, 4); ok {
			year, end = y, end+2
		} else if y, ok := p.digits(end+1, 2, 2); ok {
			year, end = 2000+y, end+2
		}
	}
	if year == 0 {
		if sep == "-" || (sep == "." && !introduced) {
			return // "3.5" is a decimal and "3-5" a range; "le 12.04" is a date
		}
	}
	if p.find && !introduced && year == 0 && i > 0 && len(p.toks[i].text) == 1 && len(p.toks[i+2].text) == 1 &&
		!p.timeFollows(end) && !p.connectorBefore(i) {
		return // "1/2" in a sentence is a fraction, unless it starts the text, a time follows ("5/4 19h") or "by" comes before
	}
	d, m := a, b
	if !validDayMonth(d, m) {
		if p.monthFirst && b > 12 && a <= 12 && validDayMonth(b, a) {
			d, m = b, a
		} else {
			p.badDate(end)
			if alt, ok := p.dateOf(year, a, b); ok && b > 12 && p.swapped == nil {
				p.swapped = &ambiguity{start: i, end: end, alt: alt} // 4/15 where dates are day first
			}
			return
		}
	} else if p.monthFirst && a != b && validDayMonth(b, a) {
		// Both orders give a date: the day-first one is emitted, the other
		// recorded for callers that ask which was meant.
		if alt, ok := p.dateOf(year, a, b); ok && p.inRange(alt) {
			p.ambiguous = append(p.ambiguous, ambiguity{start: i, end: end, alt: alt})
		}
	}
	p.emitDate(end, year, m, d, fn)
}

// connectorBefore reports whether a word that introduces a date ("by", "avant",
// "jusqu'au") ends just before token i.
func (p *parser) connectorBefore(i int) bool {
	found := false
	for s := i - 1; s >= 0 && s >= i-5 && !found; s-- {
		p.eachPhrase(leadConnectors, langAll, s, func(e, _ int) {
			for q := p.punct(e); e < i && (q == "'" || q == "-"); q = p.punct(e) {
				e++
			}
			found = found || e == i
		})
	}
	return found
}

// timeFollows reports whether a time of day starts at token j ("19h", "à 19h").
func (p *parser) timeFollows(j int) bool {
	saved, found := p.invalid, false
	p.timeParts(j, func(_, _, _ int, _, _ bool) { found = true })
	p.invalid = saved
	return found
}

// dateOf is d/m/year, or the next d/m when year is 0.
func (p *parser) dateOf(year, m, d int) (time.Time, bool) {
	if year != 0 {
		if !validDate(year, m, d) {
			return time.Time{}, false
		}
		return p.day(year, time.Month(m), d), true
	}
	return p.nextMonthDay(m, d)
}

// badDate records an impossible date in tokens [start, end) ("31/02").
func (p *parser) badDate(end int) {
	p.invalid = true
	if p.badEnd == nil {
		p.badEnd = map[int]bool{}
	}
	p.badEnd[end] = true
}

// emitDate emits d/m/year, or the next d/m when year is 0.
func (p *parser) emitDate(end, year, m, d int, fn func(hit)) {
	if year != 0 {
		if !validDate(year, m, d) {
			p.badDate(end)
			return
		}
		fn(hit{end: end, t: p.day(year, time.Month(m), d)})
		return
	}
	if !validDayMonth(d, m) {
		p.badDate(end)
		return
	}
	if t, ok := p.nextMonthDay(m, d); ok {
		fn(hit{end: end, t: t})
	}
}

// dayMonth reads "3 janvier", "le 1er mars 2027", "3rd of January".
func (p *parser) dayMonth(i int, fn func(hit)) {
	if p.langs&langEN != 0 && p.word(i) == "the" {
		i++
	}
	d, j, _, ok := p.dayNum(i)
	if !ok {
		return
	}
	if p.langs&langEN != 0 && p.word(j) == "of" {
		j++
	}
	m, j, ok := p.monthAt(j)
	if !ok {
		return
	}
	p.emitDate(j, 0, int(m), d, fn)
	if y, e, ok := p.yearAt(j); ok {
		p.emitDate(e, y, int(m), d, fn)
	}
}

// monthDay reads "January 3", "Jan 3rd, 2027", "March the 3rd".
func (p *parser) monthDay(i int, fn func(hit)) {
	m, j, ok := p.monthAt(i)
	if !ok {
		return
	}
	if p.langs&langEN != 0 && p.word(j) == "the" {
		j++
	}
	d, j, _, ok := p.dayNum(j)
	if !ok {
		return
	}
	p.emitDate(j, 0, int(m), d, fn)
	if y, e, ok := p.yearAt(j); ok {
		p.emitDate(e, y, int(m), d, fn)
	}
}

// monthYear reads "mars 2027", "March 2027": the first of that month.
func (p *parser) monthYear(i int, fn func(hit)) {
	m, j, ok := p.monthAt(i)
	if !ok {
		return
	}
	if y, e, ok := p.yearAt(j); ok {
		p.emitDate(e, y, int(m), 1, fn)
	}
}

// qualifiedMonth reads "fin mars", "début avril", "mi-avril", "end of March",
// "early April", "in May": the last, first or 15th of the month, next occurrence.
func (p *parser) qualifiedMonth(i int, fn func(hit)) {
	p.eachPhrase(monthQualifiers, p.langs, i, func(j, val int) {
		pt := part(val)
		if p.punct(j) == "-" {
			j++
		}
		if p.langs&langFR != 0 {
			switch p.word(j) {
			case "de":
				j++
			case "d":
				j++
				if p.punct(j) == "'" {
					j++
				}
			}
		}
		if p.langs&langEN != 0 && p.word(j) == "of" {
			j++
		}
		if y, e, ok := p.yearAt(j); ok && p.punct(j) != "," && !p.isUnit(e) {
			// "fin 2027", "early 2028": the first day, 1 July or 31 December.
			switch pt {
			case partFirst:
				fn(hit{end: e, t: p.day(y, 1, 1)})
			case partMid:
				fn(hit{end: e, t: p.day(y, 7, 1)})
			case partLast:
				fn(hit{end: e, t: p.day(y, 12, 31)})
			}
			return
		}
		m, j, ok := p.monthAt(j)
		if !ok {
			return
		}
		if p.isUnit(j) {
			return // "en sept jours": seven days, not September
		}
		if y, e, ok := p.yearAt(j); ok {
			fn(hit{end: e, t: p.monthPart(y, m, pt)})
		} else if _, _, _, ok := p.dayNum(j); ok && pt == partFirst {
			return // "by January 8th": "by" introduces "January 8th", read from the month on
		}
		for y := p.today.Year(); y <= p.today.Year()+1; y++ {
			if t := p.monthPart(y, m, pt); !t.Before(p.today) {
				fn(hit{end: j, t: t})
				return
			}
		}
	})
}

// dayOnly reads a day of the month alone: "le 3", "avant le 12", "on the
// 3rd", "vendredi 12": the next such day on or after today.
func (p *parser) dayOnly(i int, fn func(hit)) {
	j, introduced := i, false
	if p.langs&langFR != 0 {
		switch p.word(j) {
		case "le", "au", "du":
			j++
			introduced = true
		}
	}
	if _, ok := lookup(weekdays, p.word(j), p.langs); ok {
		j++
		introduced = true
		if p.punct(j) == "," {
			j++
		}
	}
	if p.langs&langEN != 0 && p.word(j) == "the" {
		j++
		introduced = true
	}
	d, end, ordinal, ok := p.dayNum(j)
	if !ok || (!introduced && (p.find || !ordinal)) {
		return
	}
	if !p.dayOnlyMayEnd(end) {
		return
	}
	if d < 1 || d > 31 {
		p.invalid = true
		return
	}
	if t, ok := p.nextDayOfMonth(d); ok {
		fn(hit{end: end, t: t})
	}
}

// dayOnlyMayEnd reports whether "le 3" may stop before token j: at the end,
// before punctuation or a time ("le 3 à 18h"), but not before a noun ("le 3
// points").
func (p *parser) dayOnlyMayEnd(j int) bool {
	if j >= len(p.toks) || p.toks[j].kind == tokPunct {
		return true
	}
	if _, _, ok := p.longest(timeIntros, j); ok {
		return true
	}
	if _, _, ok := p.longest(trailConnectors, j); ok {
		return true
	}
	saved := p.invalid
	_, _, _, _, ok := p.clock(j)
	p.invalid = saved
	return ok
}

// relative reads the fixed expressions of relPhrases.
func (p *parser) relative(i int, fn func(hit)) {
	p.eachPhrase(relPhrases, p.langs, i, func(end, val int) {
		t, y, m := p.today, p.today.Year(), p.today.Month()
		switch rel(val) {
		case relTomorrow:
			t = t.AddDate(0, 0, 1)
		case relAfterTomorrow:
			t = t.AddDate(0, 0, 2)
		case relYesterday:
			t = t.AddDate(0, 0, -1)
		case relBeforeYesterday:
			t = t.AddDate(0, 0, -2)
		case relNextWeek:
			t = p.monday().AddDate(0, 0, 7)
		case relNextMonth, relStartNextMonth:
			t = p.day(y, m+1, 1)
		case relNextYear:
			t = p.day(y+1, 1, 1)
		case relEndMonth:
			t = p.day(y, m+1, 0)
		case relEndNextMonth:
			t = p.day(y, m+2, 0)
		case relEndWeek:
			t = p.monday().AddDate(0, 0, 6)
		case relEndNextWeek:
			t = p.monday().AddDate(0, 0, 13)
		case relEndYear:
			t = p.day(y, 12, 31)
		case relWeekend:
			if t.Weekday() != time.Sunday {
				t = p.monday().AddDate(0, 0, 5)
			}
		case relNextWeekend:
			t = p.monday().AddDate(0, 0, 12)
		}
		fn(hit{end: end, t: t})
	})
}

// weekday reads "vendredi", "le vendredi", "next Friday", "vendredi
// prochain", "this Friday", "ce vendredi", "vendredi en huit".
func (p *parser) weekday(i int, fn func(hit)) {
	j, mode, prefixed := i, wdStrict, false
	if p.langs&langFR != 0 && p.word(j) == "le" {
		j++
	} else if e, v, ok := p.longest(weekdayPrefixes, j); ok {
		j, mode, prefixed = e, v, true
	}
	wd, ok := lookup(weekdays, p.word(j), p.langs)
	if !ok {
		return
	}
	j++
	if !prefixed {
		if e, v, ok := p.longest(weekdaySuffixes, j); ok {
			j, mode = e, v
		}
	}
	fn(hit{end: j, t: p.weekdayFrom(time.Weekday(wd), mode)})
}

// duration reads "dans 3 jours", "in two weeks", "d'ici 10 jours", "within a
// month", "in 2 hours", "3 days from now", "in 1 week and 2 days", and the past
// "il y a 3 jours", "3 days ago".
func (p *parser) duration(i int, fn func(hit)) {
	p.eachPhrase(durationIntros, p.langs, i, func(j, _ int) {
		if sp, end, ok := p.span(j); ok {
			fn(p.moved(sp, end, 1))
		}
	})
	if p.langs&langFR != 0 {
		if j, ok := p.matchWords(i, []string{"il", "y", "a"}); ok {
			if sp, end, ok := p.span(j); ok {
				fn(p.moved(sp, end, -1))
			}
		}
	}
	if p.langs&langEN != 0 {
		if sp, end, ok := p.span(i); ok {
			switch {
			case p.word(end) == "ago":
				fn(p.moved(sp, end+1, -1))
			default:
				for _, w := range []string{"now", "today"} {
					if e, ok := p.matchWords(end, []string{"from", w}); ok {
						fn(p.moved(sp, e, 1))
					}
				}
			}
		}
	}
	// A length in days, weeks, months or years alone is a deadline that far from
	// today ("30 jours" typed as a poll's end), but only as the whole text: in a
	// sentence, "3 days of work" is no date; and "18h" is a time, not a length.
	if !p.find {
		if sp, end, ok := p.span(i); ok && sp.elapsed == 0 {
			fn(p.moved(sp, end, 1))
		}
	}
}

// span is a length of time as typed: calendar months and days, and elapsed
// hours and minutes.
type span struct {
	months, days int
	elapsed      time.Duration
}

// span reads one or more "N unit" joined by "and", "et" or a comma: "3 jours",
// "two weeks", "2h30", "1 week and 2 days", "1 semaine et 2 jours".
func (p *parser) span(i int) (sp span, end int, ok bool) {
	j := i
	for {
		n, k, okN := p.number(j)
		if !okN || n > 10000 {
			break
		}
		u, okU := lookup(units, p.word(k), p.langs)
		if !okU {
			break
		}
		k++
		switch unit(u) {
		case unitDay:
			sp.days += n
		case unitWeek:
			sp.days += 7 * n
		case unitMonth:
			sp.months += n
		case unitYear:
			sp.months += 12 * n
		case unitHour:
			sp.elapsed += time.Duration(n) * time.Hour
			if mm, okM := p.digits(k, 2, 2); okM && p.glued(k) && mm < 60 {
				sp.elapsed += time.Duration(mm) * time.Minute
				k++
			}
		case unitMinute:
			sp.elapsed += time.Duration(n) * time.Minute
		}
		end, ok = k, true
		if p.punct(k) == "," {
			j = k + 1
		} else if w := p.word(k); (w == "and" && p.langs&langEN != 0) || (w == "et" && p.langs&langFR != 0) {
			j = k + 1
		} else {
			break
		}
	}
	if sp.months > 12*100 || sp.days > 10000*7 {
		return span{}, 0, false
	}
	return sp, end, ok
}

// moved is the hit of today (now, when sp has hours or minutes) moved by sp,
// forward (dir 1) or back (dir -1), ending at token end. Days and months move on
// the calendar, so wall-clock times survive daylight-saving changes; hours and
// minutes are elapsed time.
func (p *parser) moved(sp span, end, dir int) hit {
	if sp.elapsed == 0 {
		return hit{end: end, t: p.addMonths(p.today, dir*sp.months).AddDate(0, 0, dir*sp.days)}
	}
	t := p.now
	if sp.months != 0 || sp.days != 0 {
		d := p.addMonths(p.today, dir*sp.months).AddDate(0, 0, dir*sp.days)
		t = p.at(d, p.now.Hour(), p.now.Minute())
	}
	t = t.Add(time.Duration(dir) * sp.elapsed).Truncate(time.Minute)
	return hit{end: end, t: t, hasTime: true, exact: true}
}

// --- whole expressions ---

// read returns the longest date expression starting at token i: a date, a
// date and a time in either order, or a time alone. When a longer reading
// falls outside ten years of now, read finds nothing and leaves it in p.far:
// "12/12/2040 19:00" is a date too far, not 19:00 today, and "vendredi 12
// mars 2040" is not "vendredi 12 mars" followed by a number.
func (p *parser) read(i int) (hit, bool) {
	var best hit
	found := false
	p.far, p.hasFar = nil, false
	consider := func(h hit) {
		if !p.cleanEnd(h.end) {
			return
		}
		if !p.inRange(h.t) {
			if !p.hasFar || h.end > p.longestFar.end {
				p.longestFar, p.hasFar = h, true
			}
			return
		}
		if !found || h.end > best.end {
			best, found = h, true
		}
	}
	p.dates(i, func(d hit) {
		if d.exact {
			consider(d)
			return
		}
		ends := []int{d.end}
		if e, _, ok := p.longest(dayParts, d.end); ok {
			ends = append(ends, e) // "vendredi soir", "demain matin 9h"
		}
		for _, e := range ends {
			consider(hit{end: e, t: d.t})
			p.timeAfter(e, func(h, m, end int) {
				consider(hit{end: end, t: p.at(d.t, h, m), hasTime: true})
			})
		}
	})
	p.timeParts(i, func(h, m, end int, bare, intro bool) {
		j := end
		if p.punct(j) == "," {
			j++
		}
		if p.langs&langEN != 0 && p.word(j) == "on" {
			j++
		}
		p.dates(j, func(d hit) {
			if !d.exact {
				consider(hit{end: d.end, t: p.at(d.t, h, m), hasTime: true})
			}
		})
		if !p.find || intro || !bare {
			t := p.at(p.today, h, m)
			if t.Before(p.now.Truncate(time.Minute)) {
				t = p.at(p.today.AddDate(0, 0, 1), h, m)
			}
			consider(hit{end: end, t: t, hasTime: true})
		}
	})
	if p.hasFar && (!found || p.longestFar.end > best.end) {
		p.far = &p.longestFar
		return hit{}, false
	}
	return best, found
}
