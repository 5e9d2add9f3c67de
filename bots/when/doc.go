// Package when reads dates as people type them in chat, in French and
// English: command arguments ("/poll new … until 2026-12-20", "/meeting new
// vendredi 19h Assemblée") and free-text answers to check-ins ("on finit le
// prototype fin mars", "next Friday", "dans deux semaines").
//
// It owns one thing: turning such text into a [Date], relative to a now and
// a time zone that the caller passes in. It never reads the real clock, holds
// no state between calls, and is safe for concurrent use. It must not import
// core, bots, adapters, store or prompts: it is a leaf that any of them may use.
//
// # API
//
//   - [Parse] reads text that is entirely a date expression.
//   - [Find] looks for the first date expression in a sentence and returns
//     it with the rest of the sentence.
//   - [Date] is the answer: Time in the community's zone, and HasTime when a
//     time of day was given. [Date.End] is the end of that day for a
//     date-only value, which is what a deadline means.
//   - [Reader] is Parse and Find for commands: it says why it refuses a date
//     ([ErrNoDate], [TooFarError]) and asks about a numeric date that reads
//     two ways ([AmbiguousError]), by the community's convention.
//
// lang is "fr" or "en" (tags such as "fr-CA" count). Its words are tried
// first, then both languages' words, so a French community's "next friday"
// still reads; any other lang tries both at once. Words are compared without
// case or accents ("fevrier" = "Février", "Aout" = "août").
//
// # Absolute dates
//
//   - ISO: 2026-12-15, 2026-12-15T18:30, 2026-12-01 09:00, and RFC 3339
//     instants with an offset (2026-12-15T17:30:00Z).
//   - Numeric, day first: 15/12, 15/12/2026, 15.12.2026, 15-12-26, "le
//     12/04" (12 April). Two-digit years are 20xx. Day first is the rule in
//     both languages. The one exception: when the community's language is
//     English or unknown and only the month-first reading exists (12/25,
//     second number above 12), it reads month first; in French 12/25 is
//     refused. A [Reader] takes the order from the community's language
//     instead, and in English returns both readings of a date that has two
//     (5/4, 12/03) as an [AmbiguousError]. Without a year only the slash form counts ("3.5" is a
//     decimal), except after "le" ("le 12.04").
//   - Month names, full or abbreviated, with a day: "3 janvier", "3 janv.",
//     "le 1er mars", "January 3", "Jan 3rd", "3rd of January", "January 3rd,
//     2027", optionally after a weekday ("mardi 3 mars", "Fri, 12 Dec 2026"),
//     which is then ignored. A month and a year is the first of that month
//     ("mars 2027").
//   - A day alone needs "le", "au", "du", "the" or a weekday in front: "le
//     3", "avant le 12", "on the 3rd", "vendredi 12": the next such day of a
//     month, on or after today.
//   - A date without a year is its next occurrence on or after today: on 28
//     December "15/01" is next January and "15/12" is next December; "28/12"
//     is today. 29/02 is the next 29 February.
//
// # When a month name counts
//
// A month name alone is not a date: "mars" is also the planet, "may" and
// "march" are English verbs, "sept" is French for seven. A month name counts
// with a day number ("May 3", "3 mai"), a year ("May 2027"), or after one of
// these qualifiers, which also say which day is meant:
//
//   - the last day: "fin", "à la fin de", "end of", "the end of", "late"
//     ("fin mars", "end of March");
//   - the 15th: "mi", "à la mi", "milieu de", "mid", "middle of" ("mi-avril",
//     "mid April");
//   - the 1st: "début", "au début de", "early", "beginning of", "start of",
//     and the plain "en", "d'ici", "avant", "pour", "courant", "in", "by",
//     "before", "until", "during" ("en mai", "in May", "by May").
//
// Each is the next occurrence on or after today ("fin décembre" on 28
// December is the 31st; "début décembre" is next year's). The same
// qualifiers before a year give 1 January, 1 July or 31 December ("fin 2027").
//
// # Relative dates
//
//   - aujourd'hui, today, ce soir, tonight (today); demain, tomorrow;
//     après-demain, the day after tomorrow; hier, yesterday; avant-hier.
//   - A weekday, "le vendredi", "next Friday", "vendredi prochain": the next
//     Friday strictly after today (said on a Friday, a week later). "next"
//     does not mean "of next week", in either language.
//   - "this Friday", "ce vendredi": the next Friday on or after today (said
//     on a Friday, today).
//   - "vendredi en huit": a week after "vendredi".
//   - "dans 3 jours", "in two weeks", "d'ici 10 jours", "sous 15 jours",
//     "within a month", "2 weeks from now": today plus that many calendar
//     days, weeks, months (the day clamped to the end of a shorter month: 31
//     January plus a month is 28 February) or years. Hours and minutes ("in 2
//     hours", "dans 2h30") are elapsed time from now and carry a time.
//   - next week, la semaine prochaine: Monday of next week. next month, le
//     mois prochain: the 1st of next month. next year, l'année prochaine: 1
//     January.
//   - end of the month, fin du mois: the last day of this month (today on
//     the last day). fin du mois prochain, end of next month; début du mois
//     prochain, early next month.
//   - end of the week, fin de la semaine: Sunday of this week (weeks run
//     Monday to Sunday); fin de la semaine prochaine, end of next week.
//   - end of the year, fin d'année: 31 December of this year.
//   - this weekend, ce week-end: Saturday of this week (today on a Sunday);
//     next weekend, le week-end prochain: Saturday of next week.
//
// Numbers may be digits or words from one to twenty, and thirty ("un"/"une" … "douze",
// "quinze", "dix-sept", "vingt"; "a"/"an", "one" … "twelve", "twenty").
//
// # Times of day
//
// 18h, 18h30, 18:30, 6pm, 6:30 pm, 6 p.m., midi, minuit, noon, midnight,
// with or without "à", "vers", "dès", "at", "around", and before or after
// any date: "vendredi 19h", "tomorrow at 10am", "à 19h le 12/04", "at 7pm on
// Friday", "samedi matin 10h" (a day part such as "matin" or "evening"
// goes with the date but sets no time). In a range ("14h-16h") the start
// counts. A time alone is its next occurrence: today if it has not passed,
// otherwise tomorrow.
//
// # Refusals
//
// ok is false for impossible dates and times (31/02, 32/01, 29/02/2027,
// 25:00, 18h61, 13pm), plain numbers (42, 2026), text with no date words,
// and any result more than ten years ([Horizon]) from now. A date beyond the
// horizon is refused whole, never replaced by another reading: "12/12/2040
// 19:00" is not 19:00 today, and "vendredi 12 mars 2040" is not "vendredi 12
// mars"; a Reader calls it a [TooFarError]. Nothing panics, and input of
// any length or encoding (invalid UTF-8 included) is read in linear time.
//
// # Finding a date in a sentence
//
// Find returns the leftmost expression, as long as it can be read; call it
// again on rest for a second date ("/away 2026-12-20 2027-01-03"). It also
// removes a word that introduced the date ("by", "before", "until", "on",
// "for", "from", "d'ici", "avant", "pour", "jusqu'au", "à partir du", "le")
// or followed it ("au plus tard", "at the latest"), then joins the two sides
// with one space. To avoid eating ordinary words, inside a sentence:
//
//   - month names follow the rule above, so "we may meet" and "Mars is red"
//     have no date;
//   - "1/2" (two single digits) is a fraction, unless it starts the text or a
//     time follows it ("5/4 19h Assemblée"); "le 3" and "the 3rd" need to
//     be followed by the end, punctuation or a time ("le 3 points" is no
//     date); "today's" is not "today";
//   - a bare "2h" or "midi" is a duration or a noun ("la réunion dure 2h")
//     unless "à" (with its accent), "vers" or "at" comes before it, or a
//     date ("vendredi 19h"); "18h30", "18:30" and "6pm" count alone.
//
// # Calendar arithmetic
//
// Every date is computed in the caller's location with time.Date and
// AddDate, never by adding 24-hour durations, so wall-clock times survive
// daylight-saving changes: in Europe/Paris, "dans 3 jours 10h" said on Friday
// 26 March 2027 is Monday 29 March at 10:00 summer time. A date without a
// time is the first instant of its day in that location.
//
// # Lengths of time
//
// "dans 3 jours", "in two weeks", "d'ici 10 jours", "within a month", "3 days
// from now", compound lengths ("in 1 week and 2 days", "dans 1 semaine et 2
// jours", "dans 2 jours, 3 heures") and the past ("il y a 3 jours", "3 days
// ago") move today on the calendar (now, for hours and minutes). A length in
// days or more typed alone ("30 jours") counts from today in Parse, never in
// Find. The package reads every phrase with its own rules: an earlier version
// fell back on go-dateparser, whose tables cost about 0.6 s and 95 MB at every
// start of the program, for three phrases the rules now read.
//
// # Not understood
//
// Past weekdays ("vendredi dernier", "last Friday"), quarters ("Q1", "T1"),
// time-zone offsets ("+0100"; a whole RFC 3339 instant is read),
// "Friday week", ranges beyond a time range (only the start date is read),
// and other numbers in words (twenty-one and up).
package when
