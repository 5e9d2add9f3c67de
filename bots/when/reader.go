package when

import (
	"errors"
	"fmt"
	"time"
)

// Horizon is how far from now a date may be, in years, either way: Parse
// and Find never return a date beyond it, and a Reader refuses one with a
// *TooFarError.
const Horizon = 10

// ErrNoDate is a Reader's answer for text that holds no date it can read,
// or an impossible one ("31/02", "25:00").
var ErrNoDate = errors.New("when: no date")

// TooFarError is a Reader's answer for a date it read that lies more than
// Horizon years from now: "12/12/2040" said in 2027 is refused, never
// replaced by another reading.
type TooFarError struct {
	Text string // the expression as typed
	Date Date   // what it reads as
	// Limit is the last instant accepted, or for a Past date the first.
	Limit time.Time
	Past  bool // the date is more than Horizon years ago
}

func (e *TooFarError) Error() string {
	return fmt.Sprintf("when: %q is more than %d years from now", e.Text, Horizon)
}

func tooFar(text string, d Date, now time.Time, loc *time.Location) *TooFarError {
	now = now.In(loc)
	if d.Time.Before(now) {
		return &TooFarError{Text: text, Date: d, Limit: now.AddDate(-Horizon, 0, 0), Past: true}
	}
	return &TooFarError{Text: text, Date: d, Limit: now.AddDate(Horizon, 0, 0)}
}

// AmbiguousError is a Reader's answer for a numeric date that reads both day
// first and month first ("5/4": 5 April or May 4), where the community's
// convention allows both orders. Replacing Text by either reading's ISO form
// (2027-04-05) makes the text unambiguous.
type AmbiguousError struct {
	Text string // the numeric date as typed: "5/4", "05/04/2027"
	// DayFirst and MonthFirst are the two readings, with the time of day
	// that went with the date, if any.
	DayFirst, MonthFirst Date
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("when: %q reads as %s or %s", e.Text, e.DayFirst, e.MonthFirst)
}

// DayFirstError is a Reader's answer for a numeric date that reads only month
// first (4/15) where the community writes dates day first (French).
type DayFirstError struct {
	Text       string // as typed: "4/15"
	MonthFirst Date   // the reading it would have month first: 15 April
}

func (e *DayFirstError) Error() string {
	return fmt.Sprintf("when: %q is no date day first", e.Text)
}

// dayFirstError returns the first numeric date p read that exists only month
// first, or nil.
func (p *parser) dayFirstError(text string) error {
	if p.swapped == nil {
		return nil
	}
	a := p.swapped
	return &DayFirstError{Text: text[p.toks[a.start].start:p.toks[a.end-1].end], MonthFirst: Date{Time: a.alt}}
}

// Reader reads the dates a command is given, and says why it refuses one.
// Parse and Find answer only yes or no; a Reader tells a date too far from
// an unreadable one, and asks about a numeric date that reads two ways.
//
// How numeric dates read is the community's convention, Locale (its
// language): in French (fr, fr-CA…) always day first (12/03 is 12 March,
// 4/15 is no date); in English or an unknown language either order, so a
// date with one possible reading is that one (4/15 is 15 April, 25/12 is 25
// December, 5/5 is 5 May) and a date with two (5/4, 12/03, 05/04/2027) is
// an *AmbiguousError.
type Reader struct {
	Lang   string         // the member's language: its words are tried first (see Parse)
	Locale string         // the community's language: the order of numeric dates
	Now    time.Time      // the only source of the current time
	Loc    *time.Location // the community's time zone; nil means Now's
}

// monthFirst reports whether r's convention allows numeric dates month first.
func (r Reader) monthFirst() bool {
	return languages(r.Locale) != langFR
}

// Parse reads text that is entirely a date (see the package Parse). The
// error is ErrNoDate, a *TooFarError, an *AmbiguousError or a *DayFirstError.
func (r Reader) Parse(text string) (Date, error) {
	d, amb, err := parse(text, r.Lang, r.monthFirst(), r.Now, r.Loc)
	switch {
	case err != nil:
		return Date{}, err
	case amb != nil:
		return Date{}, amb
	}
	return d, nil
}

// Find looks for the first date expression in text (see the package Find)
// and returns it with the rest of the text. The error is ErrNoDate when
// there is none (rest is then text), a *TooFarError, an *AmbiguousError or a
// *DayFirstError. A time of day right after an impossible date is that
// date's: "31/02 19:00" is no date, not 19:00 today.
func (r Reader) Find(text string) (Date, string, error) {
	d, rest, amb, err := find(text, r.Lang, r.monthFirst(), r.Now, r.Loc)
	switch {
	case err != nil:
		return Date{}, text, err
	case amb != nil:
		return Date{}, text, amb
	}
	return d, rest, nil
}

// ambiguityIn returns the first numeric date of tokens [start, end), read
// as d, that also reads month first, or nil.
func (p *parser) ambiguityIn(text string, start, end int, d Date) *AmbiguousError {
	for _, a := range p.ambiguous {
		if a.start < start || a.end > end {
			continue
		}
		alt := a.alt
		if d.HasTime {
			alt = p.at(alt, d.Time.Hour(), d.Time.Minute())
		}
		return &AmbiguousError{
			Text:       text[p.toks[a.start].start:p.toks[a.end-1].end],
			DayFirst:   d,
			MonthFirst: Date{Time: alt, HasTime: d.HasTime},
		}
	}
	return nil
}
