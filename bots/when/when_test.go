package when_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the tests need Europe/Paris whatever the machine has

	"github.com/engage-org/engage/bots/when"
)

// paris is the zone of most tests: it changes to summer time on the last
// Sunday of March and back on the last Sunday of October.
func paris(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// Reference instants. Weekdays matter: see the comments.
func nows(tb testing.TB) map[string]time.Time {
	tb.Helper()
	loc := paris(tb)
	return map[string]time.Time{
		"dec": time.Date(2026, 12, 28, 15, 4, 0, 0, loc), // Monday, three days before a new year
		"mar": time.Date(2027, 3, 26, 9, 0, 0, 0, loc),   // Friday; summer time starts Sunday 28 March
		"oct": time.Date(2027, 10, 29, 9, 0, 0, 0, loc),  // Friday; summer time ends Sunday 31 October
		"jan": time.Date(2027, 1, 31, 12, 0, 0, 0, loc),  // Sunday, the last day of a 31-day month
		"apr": time.Date(2027, 4, 29, 20, 0, 0, 0, loc),  // Thursday evening, two days before May
		"gap": time.Date(2027, 3, 28, 1, 30, 0, 0, loc),  // half an hour before the clocks jump 02:00 → 03:00
	}
}

// Ensure Parse reads French and English dates as people type them.
func TestParse(t *testing.T) {
	tests := []struct {
		name, text, lang, now string
		want                  string // Date.String(), or "" for ok == false
		offset                string // when set, the UTC offset the result must carry
	}{
		// Absolute dates.
		{"ISO", "2026-12-15", "en", "dec", "2026-12-15", ""},
		{"ISOWithT", "2026-12-15T18:30", "en", "dec", "2026-12-15 18:30", ""},
		{"ISOWithSpace", "2026-12-01 09:00", "fr", "dec", "2026-12-01 09:00", ""},
		{"RFC3339", "2026-12-15T17:30:00Z", "en", "dec", "2026-12-15 18:30", "+01:00"},
		{"DayMonthRollsOver", "15/12", "fr", "dec", "2027-12-15", ""},
		{"DayMonthNextJanuary", "15/01", "fr", "dec", "2027-01-15", ""},
		{"DayMonthToday", "28/12", "fr", "dec", "2026-12-28", ""},
		{"DayMonthYear", "15/12/2026", "fr", "dec", "2026-12-15", ""},
		{"DotsWithYear", "15.12.2026", "fr", "dec", "2026-12-15", ""},
		{"DashesShortYear", "15-12-26", "fr", "dec", "2026-12-15", ""},
		{"LeDayMonth", "le 12/04", "fr", "dec", "2027-04-12", ""},
		{"EnglishDayFirst", "12/04", "en", "dec", "2027-04-12", ""},
		{"EnglishMonthFirstWhenForced", "12/25", "en", "dec", "2027-12-25", ""},
		{"FrenchNeverMonthFirst", "12/25", "fr", "dec", "", ""},
		{"LeapDayNextLeapYear", "29/02", "fr", "dec", "2028-02-29", ""},
		{"FrenchMonthName", "3 janvier", "fr", "dec", "2027-01-03", ""},
		{"FrenchAbbrevDot", "3 janv.", "fr", "dec", "2027-01-03", ""},
		{"FrenchUpperWithYear", "3 JANV 2028", "fr", "dec", "2028-01-03", ""},
		{"FrenchFirst", "le 1er mars", "fr", "dec", "2027-03-01", ""},
		{"NoAccentFevrier", "1er fevrier", "fr", "dec", "2027-02-01", ""},
		{"AccentAout", "15 Août", "fr", "dec", "2027-08-15", ""},
		{"NoAccentAout", "15 aout", "fr", "dec", "2027-08-15", ""},
		{"WeekdayFullDate", "mardi 3 mars 2027 à 17h", "fr", "dec", "2027-03-03 17:00", ""},
		{"EnglishMonthDay", "January 3", "en", "dec", "2027-01-03", ""},
		{"ByMonthDay", "by January 8th", "en", "dec", "2027-01-08", ""},
		{"DiciMonthDay", "d'ici janvier 5", "fr", "dec", "2027-01-05", ""},
		{"EnglishOrdinal", "Jan 3rd", "en", "dec", "2027-01-03", ""},
		{"EnglishOfMonth", "3rd of January", "en", "dec", "2027-01-03", ""},
		{"EnglishWithYear", "January 3rd, 2028", "en", "dec", "2028-01-03", ""},
		{"EnglishWeekdayPrefix", "Tuesday, March 2nd 2027 at 5pm", "en", "dec", "2027-03-02 17:00", ""},
		{"MonthYear", "mars 2027", "fr", "dec", "2027-03-01", ""},
		{"DayOnly", "le 3", "fr", "dec", "2027-01-03", ""},
		{"DayOnlyToday", "le 28", "fr", "dec", "2026-12-28", ""},
		{"DayOnlySkipsShortMonth", "le 31", "fr", "apr", "2027-05-31", ""},
		{"AvantLe", "avant le 12", "fr", "dec", "2027-01-12", ""},
		{"EnglishOnThe", "on the 2nd", "en", "apr", "2027-05-02", ""},

		// Relative days.
		{"Aujourdhui", "aujourd'hui", "fr", "dec", "2026-12-28", ""},
		{"Today", "Today", "en", "dec", "2026-12-28", ""},
		{"Demain", "demain", "fr", "dec", "2026-12-29", ""},
		{"Tomorrow", "tomorrow", "en", "dec", "2026-12-29", ""},
		{"ApresDemain", "après-demain", "fr", "dec", "2026-12-30", ""},
		{"ApresDemainNoAccent", "apres demain", "fr", "dec", "2026-12-30", ""},
		{"DayAfterTomorrow", "the day after tomorrow", "en", "dec", "2026-12-30", ""},
		{"Vendredi", "vendredi", "fr", "dec", "2027-01-01", ""},
		{"Friday", "Friday", "en", "dec", "2027-01-01", ""},
		{"NextFriday", "next friday", "en", "dec", "2027-01-01", ""},
		{"VendrediProchain", "vendredi prochain", "fr", "dec", "2027-01-01", ""},
		{"WeekdayTodayExcluded", "lundi", "fr", "dec", "2027-01-04", ""},
		{"CeWeekdayTodayIncluded", "ce lundi", "fr", "dec", "2026-12-28", ""},
		{"VendrediOnAFriday", "vendredi", "fr", "mar", "2027-04-02", ""},
		{"NextFridayOnAFriday", "next Friday", "en", "mar", "2027-04-02", ""},
		{"CeVendrediOnAFriday", "ce vendredi", "fr", "mar", "2027-03-26", ""},
		{"ThisFridayOnAFriday", "this friday", "en", "mar", "2027-03-26", ""},
		{"VendrediEnHuit", "vendredi en huit", "fr", "mar", "2027-04-09", ""},
		{"DIciVendredi", "d'ici vendredi", "fr", "dec", "2027-01-01", ""},
		{"In2Weeks", "in 2 weeks", "en", "dec", "2027-01-11", ""},
		{"InTwoWeeks", "in two weeks", "en", "dec", "2027-01-11", ""},
		{"DansDeuxSemaines", "dans deux semaines", "fr", "dec", "2027-01-11", ""},
		{"Dans3Jours", "dans 3 jours", "fr", "dec", "2026-12-31", ""},
		{"DIci10Jours", "d'ici 10 jours", "fr", "dec", "2027-01-07", ""},
		{"DansDouzeJours", "dans douze jours", "fr", "dec", "2027-01-09", ""},
		{"InTwelveDays", "in twelve days", "en", "dec", "2027-01-09", ""},
		{"DansDixSeptJours", "dans dix-sept jours", "fr", "dec", "2027-01-14", ""},
		{"Dans3JoursNewMonth", "dans 3 jours", "fr", "apr", "2027-05-02", ""},
		{"DansUnMoisClamped", "dans un mois", "fr", "jan", "2027-02-28", ""},
		{"InAMonthClamped", "in a month", "en", "jan", "2027-02-28", ""},
		{"InAYear", "in a year", "en", "jan", "2028-01-31", ""},
		{"NextWeek", "next week", "en", "dec", "2027-01-04", ""},
		{"SemaineProchaine", "la semaine prochaine", "fr", "dec", "2027-01-04", ""},
		{"NextMonth", "next month", "en", "dec", "2027-01-01", ""},
		{"MoisProchain", "le mois prochain", "fr", "dec", "2027-01-01", ""},
		{"EndOfMonth", "end of the month", "en", "dec", "2026-12-31", ""},
		{"FinDuMois", "fin du mois", "fr", "apr", "2027-04-30", ""},
		{"FinDuMoisOnLastDay", "fin du mois", "fr", "jan", "2027-01-31", ""},
		{"FinMars", "fin mars", "fr", "dec", "2027-03-31", ""},
		{"EndOfMarch", "end of March", "en", "dec", "2027-03-31", ""},
		{"FinFevrier", "fin février", "fr", "jan", "2027-02-28", ""},
		{"FinDecembreThisYear", "fin décembre", "fr", "dec", "2026-12-31", ""},
		{"DebutDecembreNextYear", "début décembre", "fr", "dec", "2027-12-01", ""},
		{"DebutAvril", "début avril", "fr", "dec", "2027-04-01", ""},
		{"EarlyApril", "early April", "en", "dec", "2027-04-01", ""},
		{"MiAvril", "mi-avril", "fr", "dec", "2027-04-15", ""},
		{"MidApril", "mid April", "en", "dec", "2027-04-15", ""},
		{"FinDAnnee", "fin d'année", "fr", "dec", "2026-12-31", ""},
		{"EndOfTheYear", "end of the year", "en", "apr", "2027-12-31", ""},
		{"InMay", "in May", "en", "dec", "2027-05-01", ""},
		{"ByMay", "by May", "en", "dec", "2027-05-01", ""},
		{"FinDeLaSemaine", "fin de la semaine", "fr", "dec", "2027-01-03", ""},
		{"FinYear", "fin 2027", "fr", "dec", "2027-12-31", ""},
		{"EarlyYear", "early 2028", "en", "dec", "2028-01-01", ""},
		{"DayPart", "vendredi soir", "fr", "dec", "2027-01-01", ""},
		{"DayPartTime", "tomorrow morning at 9", "en", "dec", "", ""},
		{"DayPartThenTime", "samedi matin 10h", "fr", "dec", "2027-01-02 10:00", ""},
		{"LeDotted", "le 12.04", "fr", "dec", "2027-04-12", ""},
		{"DottedAloneIsNotADate", "12.04", "fr", "dec", "", ""},
		{"ThisWeekend", "this weekend", "en", "apr", "2027-05-01", ""},

		// Times of day.
		{"Hour", "18h", "fr", "dec", "2026-12-28 18:00", ""},
		{"HourMinutes", "18h30", "fr", "dec", "2026-12-28 18:30", ""},
		{"Colon", "18:30", "fr", "dec", "2026-12-28 18:30", ""},
		{"PM", "6pm", "en", "dec", "2026-12-28 18:00", ""},
		{"PMSpaced", "6:30 pm", "en", "dec", "2026-12-28 18:30", ""},
		{"PastTimeIsTomorrow", "à 9h", "fr", "dec", "2026-12-29 09:00", ""},
		{"PastTimeNewMonth", "19:00", "fr", "apr", "2027-04-30 19:00", ""},
		{"WeekdayTime", "vendredi 19h", "fr", "dec", "2027-01-01 19:00", ""},
		{"TomorrowAt10am", "tomorrow at 10am", "en", "dec", "2026-12-29 10:00", ""},
		{"DemainMidi", "demain midi", "fr", "dec", "2026-12-29 12:00", ""},
		{"TimeThenDate", "à 19h le 12/04", "fr", "dec", "2027-04-12 19:00", ""},
		{"TimeOnDay", "at 7pm on Friday", "en", "dec", "2027-01-01 19:00", ""},
		{"InTwoHours", "dans 2 heures", "fr", "dec", "2026-12-28 17:04", ""},

		// Daylight-saving changes keep wall-clock times.
		{"DSTSpringDays", "dans 3 jours 10h", "fr", "mar", "2027-03-29 10:00", "+02:00"},
		{"DSTSpringSameDay", "dimanche 10h", "fr", "mar", "2027-03-28 10:00", "+02:00"},
		{"DSTSpringWeek", "next friday at 9am", "en", "mar", "2027-04-02 09:00", "+02:00"},
		{"DSTAutumnDays", "dans 3 jours 10h", "fr", "oct", "2027-11-01 10:00", "+01:00"},
		{"DSTAutumnSameDay", "sunday 10am", "en", "oct", "2027-10-31 10:00", "+01:00"},
		{"DSTHoursAreElapsed", "in 2 hours", "en", "gap", "2027-03-28 04:30", "+02:00"},
		{"DSTDateOnlyMidnight", "demain", "fr", "mar", "2027-03-27", "+01:00"},

		// Compound and past lengths of time.
		{"SpanIlYA", "il y a 3 jours", "fr", "dec", "2026-12-25", ""},
		{"SpanAgo", "3 days ago", "en", "dec", "2026-12-25", ""},
		{"SpanCompound", "in 1 week and 2 days", "en", "dec", "2027-01-06", ""},
		{"SpanCompoundFR", "dans 1 semaine et 2 jours", "fr", "dec", "2027-01-06", ""},
		{"SpanComma", "dans 2 jours, 3 heures", "fr", "dec", "2026-12-30 18:04", ""},
		{"SpanHoursAgo", "2 hours ago", "en", "dec", "2026-12-28 13:04", ""},
		{"SpanMonthsAgo", "il y a 2 mois", "fr", "dec", "2026-10-28", ""},
		{"SpanFromNow", "2 weeks and 1 day from now", "en", "dec", "2027-01-12", ""},

		// Refusals.
		{"Empty", "", "fr", "dec", "", ""},
		{"Spaces", "   ", "fr", "dec", "", ""},
		{"Feb31", "31/02", "fr", "dec", "", ""},
		{"Day32", "32/01", "fr", "dec", "", ""},
		{"Month13", "15/13", "fr", "dec", "", ""},
		{"April31", "31 avril", "fr", "dec", "", ""},
		{"NotLeap", "29/02/2027", "fr", "dec", "", ""},
		{"Hour25", "25:00", "fr", "dec", "", ""},
		{"Minute61", "18h61", "fr", "dec", "", ""},
		{"WeekdayHour25", "vendredi 25:00", "fr", "dec", "", ""},
		{"Le32", "le 32", "fr", "dec", "", ""},
		{"PlainNumber", "42", "fr", "dec", "", ""},
		{"PlainYear", "2026", "en", "dec", "", ""},
		{"Timestamp", "1570308760", "en", "dec", "", ""},
		{"NoDateWords", "call the mayor", "en", "dec", "", ""},
		{"BareMonthFR", "mars", "fr", "dec", "", ""},
		{"BareMonthEN", "may", "en", "dec", "", ""},
		{"TooFarBack", "15/12/1990", "fr", "dec", "", ""},
		{"TooFarAhead", "dans 5000 jours", "fr", "dec", "", ""},
		{"InvalidUTF8", "\xff\xfe", "fr", "dec", "", ""},
		{"TrailingWords", "demain matin tôt chez Paul", "fr", "dec", "", ""},
	}
	loc := paris(t)
	ref := nows(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := when.Parse(tt.text, tt.lang, ref[tt.now], loc)
			got := ""
			if ok {
				got = d.String()
			}
			if got != tt.want {
				t.Fatalf("Parse(%q, %q): got %q, want %q", tt.text, tt.lang, got, tt.want)
			}
			if !ok {
				return
			}
			if d.Time.Location() != loc {
				t.Errorf("location: got %v, want %v", d.Time.Location(), loc)
			}
			if tt.offset != "" {
				if got := d.Time.Format("-07:00"); got != tt.offset {
					t.Errorf("offset: got %v, want %v", got, tt.offset)
				}
			}
		})
	}
}

// Ensure an unknown language reads both languages, and a known one falls
// back to the other when its own words find nothing.
func TestParse_Languages(t *testing.T) {
	tests := []struct {
		name, text, lang, want string
	}{
		{"UnknownFrench", "vendredi prochain", "", "2027-01-01"},
		{"UnknownEnglish", "next friday", "de", "2027-01-01"},
		{"RegionalTag", "fin mars", "fr-CA", "2027-03-31"},
		{"FrenchCommunityEnglishWords", "next friday", "fr", "2027-01-01"},
		{"EnglishCommunityFrenchWords", "fin mars", "en", "2027-03-31"},
		{"SeptIsSevenInFrench", "dans sept jours", "fr", "2027-01-04"},
		{"SeptIsSeptemberWithADay", "3 sept", "en", "2027-09-03"},
	}
	loc := paris(t)
	now := nows(t)["dec"]
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := when.Parse(tt.text, tt.lang, now, loc)
			if !ok || d.String() != tt.want {
				t.Fatalf("Parse(%q, %q): got %v (ok %v), want %v", tt.text, tt.lang, d, ok, tt.want)
			}
		})
	}
}

// Ensure Find takes the date out of a sentence and leaves the other words.
func TestFind(t *testing.T) {
	tests := []struct {
		name, text, lang, now string
		want                  string // Date.String(), or "" when nothing is found
		rest                  string
	}{
		{"FinMars", "on finit le prototype fin mars", "fr", "dec", "2027-03-31", "on finit le prototype"},
		{"ByNextFriday", "Finish the prototype by next Friday", "en", "dec", "2027-01-01", "Finish the prototype"},
		{"NothingFound", "call the mayor", "en", "dec", "", "call the mayor"},
		{"MayIsAVerb", "we may meet", "en", "dec", "", "we may meet"},
		{"MayWithIn", "we may meet in May", "en", "dec", "2027-05-01", "we may meet"},
		{"MayWithDay", "party on May 3rd!", "en", "dec", "2027-05-03", "party!"},
		{"MarsThePlanet", "Mars is red", "en", "dec", "", "Mars is red"},
		{"SurMars", "on va sur mars", "fr", "dec", "", "on va sur mars"},
		{"ShortID", "P1 finish the prototype by fin mars", "fr", "dec", "2027-03-31", "P1 finish the prototype"},
		{"Until", "Which day? | A | B until 2026-12-31", "en", "dec", "2026-12-31", "Which day? | A | B"},
		{"TwoDatesTakesFirst", "2026-12-20 2027-01-03", "fr", "dec", "2026-12-20", "2027-01-03"},
		{"MeetingFR", "vendredi 19h Assemblée", "fr", "dec", "2027-01-01 19:00", "Assemblée"},
		{"MeetingEN", "friday 7pm General assembly", "en", "dec", "2027-01-01 19:00", "General assembly"},
		{"DIci", "Relancer la mairie d'ici 10 jours", "fr", "dec", "2027-01-07", "Relancer la mairie"},
		{"DansAtStart", "dans deux semaines on présente", "fr", "dec", "2027-01-11", "on présente"},
		{"AvantLeWithComma", "on finit avant le 12, promis", "fr", "dec", "2027-01-12", "on finit, promis"},
		{"PourLe", "Préparer le budget pour le 15/01", "fr", "dec", "2027-01-15", "Préparer le budget"},
		{"LeDayMonth", "on finit le prototype le 12/04", "fr", "dec", "2027-04-12", "on finit le prototype"},
		{"TimeAlone", "rdv à 18h au local", "fr", "dec", "2026-12-28 18:00", "rdv au local"},
		{"DurationIsNotATime", "la réunion dure 2h", "fr", "dec", "", "la réunion dure 2h"},
		{"VerbAIsNotA", "il a 2h de retard", "fr", "dec", "", "il a 2h de retard"},
		{"Fraction", "add 1/2 cup of sugar", "en", "dec", "", "add 1/2 cup of sugar"},
		{"Version", "version 3.5.1 ships", "en", "dec", "", "version 3.5.1 ships"},
		{"OrdinalNoun", "discuss the 3rd item", "en", "dec", "", "discuss the 3rd item"},
		{"LeNumberNoun", "on discute le 3 points", "fr", "dec", "", "on discute le 3 points"},
		{"PlainCount", "Buy 3 chairs", "en", "dec", "", "Buy 3 chairs"},
		{"SeptJours", "en sept jours c'est fini", "fr", "dec", "", "en sept jours c'est fini"},
		{"FinSept", "fin sept on livre", "fr", "dec", "2027-09-30", "on livre"},
		{"AuPlusTard", "Envoyer le dossier vendredi au plus tard", "fr", "dec", "2027-01-01", "Envoyer le dossier"},
		{"AtTheLatest", "Send the report by Friday at the latest", "en", "dec", "2027-01-01", "Send the report"},
		{"MidSentenceComma", "Réunion mercredi à 18h30, salle 2", "fr", "dec", "2026-12-30 18:30", "Réunion, salle 2"},
		{"Uppercase", "DÉBUT AVRIL on commence", "fr", "dec", "2027-04-01", "on commence"},
		{"NoAccents", "on se voit apres demain", "fr", "dec", "2026-12-30", "on se voit"},
		{"OtherLanguageFallback", "On livre next friday", "fr", "dec", "2027-01-01", "On livre"},
		{"DSTCheckIn", "on teste dans 3 jours 10h", "fr", "mar", "2027-03-29 10:00", "on teste"},
		{"SemaineProchaine", "on en reparle la semaine prochaine", "fr", "dec", "2027-01-04", "on en reparle"},
		{"InvalidUTF8Kept", "demain \xff ok", "fr", "dec", "2026-12-29", "\xff ok"},
		{"TodaysIsNotToday", "today's agenda", "en", "dec", "", "today's agenda"},
		{"Colon", "Prototype: fin mars", "fr", "dec", "2027-03-31", "Prototype"},
		{"DashTail", "Prototype – fin mars", "fr", "dec", "2027-03-31", "Prototype"},
		{"TimeRangeKeepsStart", "RDV mardi 14h-16h salle B", "fr", "dec", "2026-12-29 14:00", "RDV salle B"},
		{"JusquAu", "bloqué jusqu'au 31 décembre", "fr", "dec", "2026-12-31", "bloqué"},
		{"APartirDu", "absent à partir du 3 janvier", "fr", "dec", "2027-01-03", "absent"},
		{"DayPartKept", "on se voit vendredi soir", "fr", "dec", "2027-01-01", "on se voit"},
		{"MarchTheVerb", "We march in March", "en", "dec", "2027-03-01", "We march"},
		{"WeekdayAndOrdinal", "I'll call on Friday the 8th", "en", "dec", "2027-01-08", "I'll call"},
		{"LeNumberEt", "J'ai vu Jean le 3 et Paul", "fr", "dec", "", "J'ai vu Jean le 3 et Paul"},
		{"PageNumbers", "page 12/40", "fr", "dec", "", "page 12/40"},
	}
	loc := paris(t)
	ref := nows(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, rest, ok := when.Find(tt.text, tt.lang, ref[tt.now], loc)
			got := ""
			if ok {
				got = d.String()
			}
			if got != tt.want {
				t.Errorf("Find(%q) date: got %q, want %q", tt.text, got, tt.want)
			}
			if rest != tt.rest {
				t.Errorf("Find(%q) rest: got %q, want %q", tt.text, rest, tt.rest)
			}
		})
	}
}

// Ensure End is the last instant of a date-only day, also on a 23-hour day.
func TestDate_End(t *testing.T) {
	loc := paris(t)
	tests := []struct {
		name string
		d    when.Date
		want time.Time
	}{
		{"DateOnly", when.Date{Time: time.Date(2026, 12, 20, 0, 0, 0, 0, loc)},
			time.Date(2026, 12, 20, 23, 59, 59, 999999999, loc)},
		{"ShortDSTDay", when.Date{Time: time.Date(2027, 3, 28, 0, 0, 0, 0, loc)},
			time.Date(2027, 3, 28, 23, 59, 59, 999999999, loc)},
		{"WithTime", when.Date{Time: time.Date(2026, 12, 20, 18, 30, 0, 0, loc), HasTime: true},
			time.Date(2026, 12, 20, 18, 30, 0, 0, loc)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.End(); !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	// The short day is 23 hours long, so its end is 23 hours minus a nanosecond after its start.
	d := when.Date{Time: time.Date(2027, 3, 28, 0, 0, 0, 0, loc)}
	if got, want := d.End().Sub(d.Time), 23*time.Hour-time.Nanosecond; got != want {
		t.Errorf("length of 28 March 2027: got %v, want %v", got, want)
	}
}

// Ensure a deadline written in the other language still reads: the demo's French
// "30 jours" in an English console, "30 days" in a French community.
func TestParse_OtherLanguage(t *testing.T) {
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	want := time.Date(2026, 12, 25, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ lang, text string }{{"en", "30 jours"}, {"fr", "30 days"}} {
		d, ok := when.Parse(tt.text, tt.lang, now, time.UTC)
		if !ok || !d.Time.Equal(want) {
			t.Errorf("%s %q: got %v, %v; want %v", tt.lang, tt.text, d.Time, ok, want)
		}
	}
}
