package when

import "strings"

// rel names a fixed relative expression ("demain", "fin du mois").
type rel uint8

const (
	relToday rel = iota + 1
	relTomorrow
	relAfterTomorrow
	relYesterday
	relBeforeYesterday
	relNextWeek
	relNextMonth
	relNextYear
	relEndMonth
	relEndNextMonth
	relStartNextMonth
	relEndWeek
	relEndNextWeek
	relEndYear
	relWeekend
	relNextWeekend
)

// part says which day of a named month a qualifier points to.
type part uint8

const (
	partFirst part = iota + 1 // "début avril", "early April", "en avril", "by April"
	partMid                   // "mi-avril", "mid April"
	partLast                  // "fin avril", "end of April", "late April"
)

// phrase is a sequence of folded words. Apostrophes and dashes between the
// words are skipped when matching, so "d ici" matches "d'ici" and "apres
// demain" matches "après-demain".
type phrase struct {
	words []string
	langs langSet
	val   int // a rel, a part or a marker, depending on the table
}

// phraseTable indexes phrases by their first word.
type phraseTable map[string][]phrase

// newPhraseTable builds a table from "words|val" pairs of one language.
func newPhraseTable(groups ...phraseGroup) phraseTable {
	t := phraseTable{}
	for _, g := range groups {
		for _, s := range g.phrases {
			w := strings.Fields(s)
			t[w[0]] = append(t[w[0]], phrase{words: w, langs: g.langs, val: g.val})
		}
	}
	return t
}

// phraseGroup is a list of phrases that share a language and a value.
type phraseGroup struct {
	langs   langSet
	val     int
	phrases []string
}

// relPhrases are the fixed relative expressions.
var relPhrases = newPhraseTable(
	phraseGroup{langFR, int(relToday), []string{"aujourd hui", "aujourdhui", "ce soir", "ce matin",
		"cet apres midi", "au jour d aujourd hui"}},
	phraseGroup{langEN, int(relToday), []string{"today", "tonight", "this morning", "this afternoon", "this evening"}},
	phraseGroup{langFR, int(relTomorrow), []string{"demain"}},
	phraseGroup{langEN, int(relTomorrow), []string{"tomorrow"}},
	phraseGroup{langFR, int(relAfterTomorrow), []string{"apres demain"}},
	phraseGroup{langEN, int(relAfterTomorrow), []string{"day after tomorrow", "the day after tomorrow"}},
	phraseGroup{langFR, int(relYesterday), []string{"hier"}},
	phraseGroup{langEN, int(relYesterday), []string{"yesterday"}},
	phraseGroup{langFR, int(relBeforeYesterday), []string{"avant hier"}},
	phraseGroup{langEN, int(relBeforeYesterday), []string{"day before yesterday", "the day before yesterday"}},
	phraseGroup{langFR, int(relNextWeek), []string{"la semaine prochaine", "semaine prochaine"}},
	phraseGroup{langEN, int(relNextWeek), []string{"next week"}},
	phraseGroup{langFR, int(relNextMonth), []string{"le mois prochain", "mois prochain"}},
	phraseGroup{langEN, int(relNextMonth), []string{"next month"}},
	phraseGroup{langFR, int(relNextYear), []string{"l annee prochaine", "annee prochaine", "l an prochain", "an prochain"}},
	phraseGroup{langEN, int(relNextYear), []string{"next year"}},
	phraseGroup{langFR, int(relEndMonth), []string{"fin du mois", "fin de mois", "la fin du mois", "a la fin du mois",
		"en fin de mois", "fin de ce mois", "la fin de ce mois", "a la fin de ce mois"}},
	phraseGroup{langEN, int(relEndMonth), []string{"end of the month", "the end of the month", "end of month",
		"end of this month", "the end of this month", "month end"}},
	phraseGroup{langFR, int(relEndNextMonth), []string{"fin du mois prochain", "la fin du mois prochain",
		"a la fin du mois prochain"}},
	phraseGroup{langEN, int(relEndNextMonth), []string{"end of next month", "the end of next month"}},
	phraseGroup{langFR, int(relStartNextMonth), []string{"debut du mois prochain", "au debut du mois prochain",
		"en debut de mois prochain", "debut de mois prochain"}},
	phraseGroup{langEN, int(relStartNextMonth), []string{"early next month", "beginning of next month",
		"the beginning of next month", "start of next month", "the start of next month"}},
	phraseGroup{langFR, int(relEndWeek), []string{"fin de la semaine", "fin de semaine", "la fin de la semaine",
		"a la fin de la semaine", "en fin de semaine", "fin de cette semaine", "la fin de cette semaine"}},
	phraseGroup{langEN, int(relEndWeek), []string{"end of the week", "the end of the week", "end of week",
		"end of this week", "the end of this week"}},
	phraseGroup{langFR, int(relEndNextWeek), []string{"fin de la semaine prochaine", "la fin de la semaine prochaine",
		"a la fin de la semaine prochaine"}},
	phraseGroup{langEN, int(relEndNextWeek), []string{"end of next week", "the end of next week"}},
	phraseGroup{langFR, int(relEndYear), []string{"fin d annee", "fin de l annee", "la fin de l annee",
		"a la fin de l annee", "en fin d annee", "fin de l an", "fin de cette annee", "la fin de cette annee"}},
	phraseGroup{langEN, int(relEndYear), []string{"end of the year", "the end of the year", "end of year",
		"end of this year", "the end of this year", "year end"}},
	phraseGroup{langFR, int(relWeekend), []string{"ce week end", "ce weekend", "ce we"}},
	phraseGroup{langEN, int(relWeekend), []string{"this weekend", "this week end"}},
	phraseGroup{langFR, int(relNextWeekend), []string{"le week end prochain", "week end prochain",
		"le weekend prochain", "weekend prochain"}},
	phraseGroup{langEN, int(relNextWeekend), []string{"next weekend", "next week end"}},
)

// monthQualifiers come before a month name and say which of its days is meant.
// A month name without a day number needs one of them (or a year).
var monthQualifiers = newPhraseTable(
	phraseGroup{langFR, int(partFirst), []string{"debut", "au debut", "en debut", "des le debut", "en", "d ici",
		"avant", "pour", "jusqu en", "courant", "des", "au mois de", "au mois d", "en mois de"}},
	phraseGroup{langEN, int(partFirst), []string{"early", "in early", "beginning of", "the beginning of",
		"start of", "the start of", "in", "by", "before", "until", "till", "during"}},
	phraseGroup{langFR, int(partMid), []string{"mi", "a la mi", "vers la mi", "milieu", "au milieu de",
		"au milieu d", "milieu de", "milieu d"}},
	phraseGroup{langEN, int(partMid), []string{"mid", "in mid", "by mid", "middle of", "the middle of"}},
	phraseGroup{langFR, int(partLast), []string{"fin", "a la fin", "en fin", "vers la fin"}},
	phraseGroup{langEN, int(partLast), []string{"end of", "the end of", "late", "in late", "by late"}},
)

// durationIntros come before "N days" and mean "from today".
var durationIntros = newPhraseTable(
	phraseGroup{langFR, 0, []string{"dans", "d ici", "sous"}},
	phraseGroup{langEN, 0, []string{"in", "within"}},
)

// weekday prefixes and suffixes: markers for phrase.val.
const (
	wdStrict    = iota + 1 // the next such day strictly after today
	wdInclusive            // the next such day on or after today
	wdWeekAfter            // the next such day strictly after today, plus a week
)

// weekdayPrefixes come before a weekday name.
var weekdayPrefixes = newPhraseTable(
	phraseGroup{langFR, wdInclusive, []string{"ce"}},
	phraseGroup{langEN, wdInclusive, []string{"this", "this coming", "coming", "the coming"}},
	phraseGroup{langEN, wdStrict, []string{"next", "the next"}},
)

// weekdaySuffixes come after a weekday name.
var weekdaySuffixes = newPhraseTable(
	phraseGroup{langFR, wdStrict, []string{"prochain", "qui vient"}},
	phraseGroup{langFR, wdWeekAfter, []string{"en huit"}},
)

// dayParts may follow a date ("vendredi soir", "tomorrow morning"): they go
// with the date but do not set a time of day.
var dayParts = newPhraseTable(
	phraseGroup{langFR, 0, []string{"matin", "soir", "apres midi", "aprem", "midi"}},
	phraseGroup{langEN, 0, []string{"morning", "afternoon", "evening", "night"}},
)

// timeIntros come before a time of day: "à 9h", "at 10am".
var timeIntros = newPhraseTable(
	phraseGroup{langFR, 0, []string{"a", "vers", "des", "a partir de"}},
	phraseGroup{langEN, 0, []string{"at", "around", "from"}},
)

// leadConnectors are the words that introduce a date and go with it when Find
// removes the date from the sentence: "finish by Friday", "d'ici vendredi".
var leadConnectors = newPhraseTable(
	phraseGroup{langFR, 0, []string{"d ici", "d ici a", "d ici au", "avant", "pour", "jusqu a", "jusqu au",
		"jusqu en", "au plus tard", "au plus tard le", "le", "prevu", "prevue", "prevu pour", "prevue pour",
		"pour le", "avant le", "des", "des le", "a partir", "a partir de", "a partir du", "a partir d", "a compter",
		"a compter de", "a compter du", "a compter d", "jusqu"}},
	phraseGroup{langEN, 0, []string{"by", "before", "until", "till", "til", "on", "for", "due", "due on", "due by",
		"no later than", "not later than", "at the latest by", "from", "starting", "starting on", "starting from"}},
)

// trailConnectors follow a date and go with it: "vendredi au plus tard".
var trailConnectors = newPhraseTable(
	phraseGroup{langFR, 0, []string{"au plus tard", "dernier delai"}},
	phraseGroup{langEN, 0, []string{"at the latest", "latest"}},
)
