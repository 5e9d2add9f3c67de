package when

import "time"

// The word tables of this file and phrases.go are built once at package
// initialisation and only read afterwards, so concurrent calls share them safely.

// langSet is a set of languages whose words the rules accept.
type langSet uint8

const (
	langFR  langSet = 1 << iota // French words
	langEN                      // English words
	langAll = langFR | langEN
)

// entry is a word of one or both languages with the value it stands for.
type entry struct {
	langs langSet
	val   int
}

// lookup returns the value of word in table when the word belongs to one of langs.
func lookup(table map[string]entry, word string, langs langSet) (int, bool) {
	e, ok := table[word]
	if !ok || e.langs&langs == 0 {
		return 0, false
	}
	return e.val, true
}

// months maps month names and their usual abbreviations to the month number.
// None of them makes a date alone: see the package doc for when a month name counts.
var months = map[string]entry{
	"janvier": {langFR, 1}, "janv": {langFR, 1},
	"fevrier": {langFR, 2}, "fevr": {langFR, 2}, "fev": {langFR, 2},
	"mars":  {langFR, 3},
	"avril": {langFR, 4}, "avr": {langFR, 4},
	"mai":     {langFR, 5},
	"juin":    {langFR, 6},
	"juillet": {langFR, 7}, "juil": {langFR, 7},
	"aout":      {langFR, 8},
	"septembre": {langFR, 9},
	"octobre":   {langFR, 10},
	"novembre":  {langFR, 11},
	"decembre":  {langFR, 12},

	"january": {langEN, 1}, "jan": {langAll, 1},
	"february": {langEN, 2}, "feb": {langEN, 2},
	"march": {langEN, 3}, "mar": {langEN, 3},
	"april": {langEN, 4}, "apr": {langEN, 4},
	"may":  {langEN, 5},
	"june": {langEN, 6}, "jun": {langEN, 6},
	"july": {langEN, 7}, "jul": {langEN, 7},
	"august": {langEN, 8}, "aug": {langEN, 8},
	"september": {langEN, 9}, "sep": {langAll, 9}, "sept": {langAll, 9},
	"october": {langEN, 10}, "oct": {langAll, 10},
	"november": {langEN, 11}, "nov": {langAll, 11},
	"december": {langEN, 12}, "dec": {langAll, 12},
}

// weekdays maps full weekday names to time.Weekday. Only full names make a
// date alone.
var weekdays = map[string]entry{
	"lundi": {langFR, int(time.Monday)}, "mardi": {langFR, int(time.Tuesday)},
	"mercredi": {langFR, int(time.Wednesday)}, "jeudi": {langFR, int(time.Thursday)},
	"vendredi": {langFR, int(time.Friday)}, "samedi": {langFR, int(time.Saturday)},
	"dimanche": {langFR, int(time.Sunday)},
	"monday":   {langEN, int(time.Monday)}, "tuesday": {langEN, int(time.Tuesday)},
	"wednesday": {langEN, int(time.Wednesday)}, "thursday": {langEN, int(time.Thursday)},
	"friday": {langEN, int(time.Friday)}, "saturday": {langEN, int(time.Saturday)},
	"sunday": {langEN, int(time.Sunday)},
}

// weekdayAbbrevs are short weekday names. They are too ambiguous ("sun",
// "sat", "mer") to make a date alone, so they are accepted only in front of a
// date that has a day number ("ven. 12 mars", "Fri, 12 Dec 2026").
var weekdayAbbrevs = map[string]entry{
	"lun": {langFR, 1}, "mar": {langFR, 2}, "mer": {langFR, 3}, "jeu": {langFR, 4},
	"ven": {langFR, 5}, "sam": {langFR, 6}, "dim": {langFR, 0},
	"mon": {langEN, 1}, "tue": {langEN, 2}, "tues": {langEN, 2}, "wed": {langEN, 3},
	"thu": {langEN, 4}, "thur": {langEN, 4}, "thurs": {langEN, 4}, "fri": {langEN, 5},
	"sat": {langEN, 6}, "sun": {langEN, 0},
}

// numberWords are the numbers people spell out in "dans deux semaines" or
// "in three days". "a"/"an" count only where a number is expected after
// "in"/"within" ("in a week").
var numberWords = map[string]entry{
	"un": {langFR, 1}, "une": {langFR, 1}, "deux": {langFR, 2}, "trois": {langFR, 3},
	"quatre": {langFR, 4}, "cinq": {langFR, 5}, "six": {langAll, 6}, "sept": {langFR, 7},
	"huit": {langFR, 8}, "neuf": {langFR, 9}, "dix": {langFR, 10}, "onze": {langFR, 11},
	"douze": {langFR, 12}, "treize": {langFR, 13}, "quatorze": {langFR, 14},
	"quinze": {langFR, 15}, "seize": {langFR, 16}, "vingt": {langFR, 20},
	"trente": {langFR, 30},

	"a": {langEN, 1}, "an": {langEN, 1}, "one": {langEN, 1}, "two": {langEN, 2},
	"three": {langEN, 3}, "four": {langEN, 4}, "five": {langEN, 5},
	"seven": {langEN, 7}, "eight": {langEN, 8}, "nine": {langEN, 9}, "ten": {langEN, 10},
	"eleven": {langEN, 11}, "twelve": {langEN, 12}, "thirteen": {langEN, 13},
	"fourteen": {langEN, 14}, "fifteen": {langEN, 15}, "sixteen": {langEN, 16},
	"seventeen": {langEN, 17}, "eighteen": {langEN, 18}, "nineteen": {langEN, 19},
	"twenty": {langEN, 20}, "thirty": {langEN, 30},
}

// unit is a step of relative arithmetic.
type unit uint8

const (
	unitDay unit = iota + 1
	unitWeek
	unitMonth
	unitYear
	unitHour
	unitMinute
)

// units maps the words for durations to their unit.
var units = map[string]entry{
	"jour": {langFR, int(unitDay)}, "jours": {langFR, int(unitDay)}, "j": {langFR, int(unitDay)},
	"semaine": {langFR, int(unitWeek)}, "semaines": {langFR, int(unitWeek)}, "sem": {langFR, int(unitWeek)},
	"mois": {langFR, int(unitMonth)},
	"an":   {langFR, int(unitYear)}, "ans": {langFR, int(unitYear)},
	"annee": {langFR, int(unitYear)}, "annees": {langFR, int(unitYear)},
	"heure": {langFR, int(unitHour)}, "heures": {langFR, int(unitHour)},
	"h": {langAll, int(unitHour)}, "min": {langAll, int(unitMinute)},
	"minute": {langAll, int(unitMinute)}, "minutes": {langAll, int(unitMinute)},
	"mn": {langFR, int(unitMinute)},

	"day": {langEN, int(unitDay)}, "days": {langEN, int(unitDay)},
	"week": {langEN, int(unitWeek)}, "weeks": {langEN, int(unitWeek)},
	"wk": {langEN, int(unitWeek)}, "wks": {langEN, int(unitWeek)},
	"month": {langEN, int(unitMonth)}, "months": {langEN, int(unitMonth)},
	"year": {langEN, int(unitYear)}, "years": {langEN, int(unitYear)},
	"yr": {langEN, int(unitYear)}, "yrs": {langEN, int(unitYear)},
	"hour": {langEN, int(unitHour)}, "hours": {langEN, int(unitHour)},
	"hr": {langEN, int(unitHour)}, "hrs": {langEN, int(unitHour)},
	"mins": {langEN, int(unitMinute)},
}

// ordinalSuffixes are the letters glued to a day number: "1er", "3rd".
var ordinalSuffixes = map[string]entry{
	"er": {langFR, 0}, "re": {langFR, 0}, "ere": {langFR, 0},
	"st": {langEN, 0}, "nd": {langEN, 0}, "rd": {langEN, 0}, "th": {langEN, 0},
}
