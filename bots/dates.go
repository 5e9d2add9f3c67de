package bots

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/engage-org/engage/bots/when"
	"github.com/engage-org/engage/core"
)

// connectors are the words that introduce a due date at the end of a text.
var connectors = []string{"by", "before", "until", "pour le", "pour", "d'ici le", "d'ici", "avant le", "avant", "jusqu'au"}

// findDue splits "TEXT [by DATE]" into the text and the due time: the end of the
// day for a date alone, in the community's zone (zero when no date is given). A date
// that is there but cannot be read ("by 31/02") is refused with err.bad_date.
func (c *turn) findDue(s string) (string, time.Time, error) {
	s = strings.TrimSpace(s)
	// A connector left dangling (a form's empty date field: "Plant seeds by").
	for _, w := range connectors {
		if head, ok := cutSuffixFold(s, " "+w); ok {
			s = strings.TrimSpace(head)
			break
		}
	}
	d, rest, err := c.findDate(s, nil)
	if err != nil && !errors.Is(err, when.ErrNoDate) {
		return "", time.Time{}, err
	}
	if err != nil {
		if tail := afterConnector(s); strings.IndexFunc(tail, unicode.IsDigit) >= 0 {
			return "", time.Time{}, core.Errorf(core.CodeInvalid, "err.bad_date", "text", tail)
		}
		return s, time.Time{}, nil
	}
	return strings.TrimSpace(rest), d.End(), nil
}

// afterConnector returns what follows the last connector word in s ("" if none).
func afterConnector(s string) string {
	low := strings.ToLower(s)
	best := -1
	var tail string
	for _, w := range connectors {
		if i := strings.LastIndex(low, " "+w+" "); i > best {
			best, tail = i, s[i+len(w)+2:]
		}
	}
	return strings.TrimSpace(tail)
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// dateReader reads the dates of this turn's command: the member's words first, the
// community's convention for numeric dates (day first in French; in English a date
// that reads both ways is asked about), in loc (nil: the community's zone).
func (c *turn) dateReader(loc *time.Location) when.Reader {
	if loc == nil {
		loc = c.comm.Location()
	}
	return when.Reader{Lang: c.own, Locale: c.dateLocale(c.comm), Now: c.tx.Now(), Loc: loc}
}

// parseDate reads text, entirely a date. The error is when.ErrNoDate (the caller
// says what it expected) or a date refusal that command answers (see dateRefusal).
func (c *turn) parseDate(text string, loc *time.Location) (when.Date, error) {
	return c.dateReader(loc).Parse(text)
}

// findDate finds the first date in text and returns the rest (see parseDate).
func (c *turn) findDate(text string, loc *time.Location) (when.Date, string, error) {
	return c.dateReader(loc).Find(text)
}

// askDate is the refusal of a numeric date that reads two ways: the answer offers
// both readings as buttons, each running line again with the date written in full.
type askDate struct {
	err  *core.Error
	amb  *when.AmbiguousError
	line string // the command as typed ("" when it cannot be run again)
}

func (e *askDate) Error() string { return e.err.Error() }
func (e *askDate) Unwrap() error { return e.err }

// dateRefusal turns the date errors a command returned into answers: a date too far
// says the horizon; an ambiguous one asks which was meant. Other errors pass.
func (c *turn) dateRefusal(err error, line string) error {
	var far *when.TooFarError
	var amb *when.AmbiguousError
	var df *when.DayFirstError
	switch {
	case errors.As(err, &df):
		t := df.MonthFirst.Time
		return core.Errorf(core.CodeInvalid, "err.date_day_first", "text", df.Text, "date", t,
			"example", fmt.Sprintf("%d/%02d", t.Day(), int(t.Month())))
	case errors.As(err, &far) && far.Past:
		return core.Errorf(core.CodeInvalid, "err.date_past") // no command takes a date that long ago
	case errors.As(err, &far):
		loc := far.Date.Time.Location()
		return core.Errorf(core.CodeInvalid, "err.date_too_far", "text", far.Text, "limit", far.Limit.In(loc), "past", far.Past, "years", when.Horizon)
	case errors.As(err, &amb):
		return &askDate{
			err: core.Errorf(core.CodeInvalid, "err.date_ambiguous", "text", amb.Text,
				"a", amb.DayFirst.Time, "b", amb.MonthFirst.Time, "example", amb.DayFirst.Time.Format("2006-01-02")),
			amb: amb, line: line,
		}
	case errors.Is(err, when.ErrNoDate):
		return core.Errorf(core.CodeInvalid, "err.bad_date", "text", "")
	}
	return err
}

// withDate returns line with the first whole occurrence of typed (a numeric date)
// replaced by day written as 2027-04-05, which reads one way only; ok is false when
// typed is not in line.
func withDate(line, typed string, day time.Time) (string, bool) {
	for from := 0; from < len(line); {
		i := strings.Index(line[from:], typed)
		if i < 0 {
			return "", false
		}
		i += from
		j := i + len(typed)
		if (i == 0 || !dateRune(line[i-1])) && (j == len(line) || !dateRune(line[j])) {
			return line[:i] + day.Format("2006-01-02") + line[j:], true
		}
		from = i + 1
	}
	return "", false
}

// dateRune reports whether b continues a numeric date.
func dateRune(b byte) bool { return b >= '0' && b <= '9' || b == '/' || b == '.' || b == '-' }

// askDateAnswer is the answer to an ambiguous date: the refusal's text with one
// button per reading. It runs in a transaction of its own (the command's changed
// nothing) that records only the buttons, under the event's key.
func (b *Bot) askDateAnswer(ctx context.Context, ev Event, lang string, ask *askDate) ([]Message, bool) {
	msg := b.refusal(ev, lang, ask)
	res, err := b.engine.Do(ctx, ev.Key, func(tx *core.Tx) ([]byte, error) {
		var row []Button
		for _, d := range []when.Date{ask.amb.DayFirst, ask.amb.MonthFirst} {
			line, ok := withDate(ask.line, ask.amb.Text, d.Time)
			if !ok {
				return nil, core.Errorf(core.CodeInvalid, "err.date_ambiguous")
			}
			tok, err := tx.ButtonToken(line)
			if err != nil {
				return nil, err
			}
			row = append(row, Button{Label: b.cat.Text(lang, "date.reading", dateReadingText{At: d.Time, HasTime: d.HasTime}), Token: tok})
		}
		msg.Buttons = [][]Button{row}
		return json.Marshal([]Message{msg})
	})
	if err != nil {
		return nil, false
	}
	out, err := decodeAnswer(res.Answer)
	return out, err == nil
}

// resolveSlots labels each dated option of a date poll with the date it was read as,
// in the community's language ("Thursday 4 March 2027 at 19:00"), not as typed
// ("tomorrow 19:00" would be wrong the next day), as /meeting poll does.
func (c *turn) resolveSlots(spec *core.PollSpec) {
	loc := c.comm.Location()
	for i := range spec.Options {
		if o := &spec.Options[i]; !o.Slot.IsZero() {
			o.Label = c.b.cat.Text(c.comm.Lang, "date.slot", dateSlotText{At: o.Slot.In(loc), AllDay: o.AllDay})
		}
	}
}

// askAmbiguousAnswer answers a free-text reply (a check-in's) holding a numeric date
// that reads two ways by the community's convention: the question, with one button
// per reading that gives the reply again with the date written in full. ok is false
// when the reply has no such date.
func (c *turn) askAmbiguousAnswer(text string, comm *core.Community) (bool, error) {
	r := when.Reader{Lang: c.own, Locale: c.dateLocale(comm), Now: c.tx.Now(), Loc: comm.Location()}
	var amb *when.AmbiguousError
	if _, _, err := r.Find(text); !errors.As(err, &amb) {
		return false, nil
	}
	var pairs []string
	for _, d := range []when.Date{amb.DayFirst, amb.MonthFirst} {
		again, ok := withDate(text, amb.Text, d.Time)
		if !ok {
			return false, nil
		}
		pairs = append(pairs, c.text("date.reading", dateReadingText{At: d.Time}), again)
	}
	row, err := c.buttons(pairs...)
	if err != nil {
		return false, err
	}
	c.reply("err.date_ambiguous", map[string]any{"text": amb.Text, "a": amb.DayFirst.Time, "b": amb.MonthFirst.Time,
		"example": amb.DayFirst.Time.Format("2006-01-02")}, row)
	return true, nil
}

// dateReadingText is what the text date.reading shows.
type dateReadingText struct {
	At      time.Time
	HasTime bool
}

// dateSlotText is what the text date.slot shows.
type dateSlotText struct {
	At     time.Time
	AllDay bool
}
