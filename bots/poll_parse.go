package bots

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/engage-org/engage/bots/when"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// This file reads what members type for polls: `/poll new METHOD QUESTION |
// OPTION | OPTION … [settings]` and the CHOICE of `/vote V1 CHOICE` (COMMANDS.md §
// Polls). Both parsers are pure: they take the words of the language (aliases), the
// clock and the zone as arguments, and refuse with core errors whose keys are
// message templates.

// pollContext is what reading a poll command needs besides the text.
type pollContext struct {
	lang    string
	now     time.Time
	loc     *time.Location
	locale  string            // the community's language: how numeric dates read
	aliases map[string]string // French words → English ones
	// mention reports whether a word names a member (@alice, <@U123>).
	mention func(string) bool
	// currency is the community's default currency (budget polls).
	currency string
	// budget: the poll being read is a budget poll, whose settings words are
	// read (and only then).
	budget bool
}

// dates reads the poll's dates (its slots, its deadline).
func (pc *pollContext) dates() when.Reader {
	return when.Reader{Lang: pc.lang, Locale: pc.locale, Now: pc.now, Loc: pc.loc}
}

// pollRequest is a parsed /poll new: the spec for core, and the jury as typed
// (mentions the caller resolves to members).
type pollRequest struct {
	spec core.PollSpec
	jury []string
}

// settingWords are the setting keywords (English; French through the aliases).
var settingWords = map[string]bool{
	"secret": true, "hidden": true, "until": true, "quorum": true, "jury": true,
	"weight": true, "scale": true, "grades": true, "dots": true,
	"seats": true, "meek": true, "lots": true,
	"voters": true, "meeting": true, "remind": true,
}

// settingWithValue are the settings that take a value.
var settingWithValue = map[string]bool{
	"until": true, "quorum": true, "jury": true, "weight": true, "scale": true, "grades": true, "dots": true,
	"seats": true, "lots": true, "voters": true, "meeting": true, "remind": true,
}

// budgetSettingWords are the settings of budget polls only; all take a value.
var budgetSettingWords = map[string]bool{
	"budget": true, "from": true, "rule": true, "min": true, "max": true, "points": true,
}

// word returns the English name of a typed keyword ("" if w is none of words).
// In a budget poll the budget settings are keywords too.
func (pc *pollContext) keyword(w string, words map[string]bool) string {
	f := core.Fold(w)
	a := pc.aliases[f]
	settings := pc.budget && words["secret"] // the settings of a budget poll
	switch {
	case words[f], settings && budgetSettingWords[f]:
		return f
	case words[a], settings && budgetSettingWords[a]:
		return a
	}
	return ""
}

// parsePollNew reads `METHOD QUESTION | OPTION | OPTION … [settings]`. Settings
// follow the last option, in its segment or in a segment of their own; the last
// option ends at the first word from which everything reads as settings.
func parsePollNew(args string, pc *pollContext) (*pollRequest, error) {
	methodWord, rest := cut(args)
	if methodWord == "" || !strings.Contains(rest, "|") {
		return nil, errUsage
	}
	m, ok := parseMethodWord(methodWord, pc.aliases)
	if !ok && core.Fold(methodWord) == string(core.MethodBudget) {
		m, ok = core.MethodBudget, true
	}
	pc.budget = m == core.MethodBudget
	if !ok {
		return nil, core.Errorf(core.CodeInvalid, "err.poll_method", "method", methodWord)
	}
	parts := strings.Split(rest, "|")
	req := &pollRequest{spec: core.PollSpec{Method: m, Question: strings.TrimSpace(parts[0])}}
	opts := parts[1:]
	last := strings.Fields(opts[len(opts)-1])
	split := -1
	for i := range last {
		if pc.keyword(last[i], settingWords) == "" {
			continue
		}
		_, _, err := pc.settings(last[i:])
		if err == nil {
			split = i
			break
		}
		if errors.Is(err, errMeetingTwo) {
			return nil, err
		}
	}
	if split < 0 { // a setting typed wrong is refused rather than taken for a label
		for i := range last {
			if k := pc.keyword(last[i], settingWords); (settingWithValue[k] || budgetSettingWords[k]) && i+1 < len(last) {
				if _, _, err := pc.settings(last[i:]); err != nil && err != errNotSetting {
					return nil, err
				}
			}
		}
	}
	if split > 0 { // an assembly setting typed wrong before the settings read
		for i := range split {
			if k := pc.keyword(last[i], settingWords); assemblyWords[k] {
				if _, _, err := pc.settings(last[i:split]); err != nil && err != errNotSetting {
					return nil, err
				}
			}
		}
	}
	if split >= 0 {
		s, jury, _ := pc.settings(last[split:])
		req.spec.Settings, req.jury = s, jury
		if split == 0 {
			opts = opts[:len(opts)-1]
		} else {
			opts[len(opts)-1] = strings.Join(last[:split], " ")
		}
	}
	for _, o := range opts {
		opt := core.PollOption{Label: strings.TrimSpace(o)}
		if m == core.MethodBudget {
			opt.Label, opt.Cost = pc.splitCost(opt.Label, req.spec.Settings.Budget.Currency)
		}
		if m == tally.Date && opt.Label != "" {
			d, err := pc.dates().Parse(opt.Label)
			if errors.Is(err, when.ErrNoDate) {
				return nil, core.Errorf(core.CodeInvalid, "err.poll_slot", "label", opt.Label)
			} else if err != nil {
				return nil, err // too far, or ambiguous: the command's caller answers
			}
			opt.Slot, opt.AllDay = d.Time, !d.HasTime
		}
		req.spec.Options = append(req.spec.Options, opt)
	}
	return req, nil
}

// splitCost splits a budget poll's option "P1 1 200 €" into its label and
// its cost in minor units: the longest run of final words that reads as an
// amount (in currency, else the community's). No amount: cost 0, which core
// refuses with a message saying how to write it.
func (pc *pollContext) splitCost(label, currency string) (string, int64) {
	if currency == "" {
		currency = pc.currency
	}
	words := strings.Fields(label)
	for i := 1; i < len(words); i++ {
		text := strings.Join(words[i:], " ")
		cur := currency
		if c := core.CurrencyIn(text); c != "" {
			cur = c
		}
		if m, err := core.ParseAmount(text, cur, 0); err == nil {
			return strings.Join(words[:i], " "), m.Amount
		}
	}
	return label, 0
}

// errUsage asks the caller to show the command's usage.
var errUsage = core.Errorf(core.CodeInvalid, "err.usage")

// errNotSetting: a word that is no setting.
var errNotSetting = core.Errorf(core.CodeInvalid, "err.poll_setting")

// settings reads words that must all be settings.
func (pc *pollContext) settings(words []string) (core.PollSettings, []string, error) {
	var s core.PollSettings
	var jury []string
	// upTo returns the index of the next keyword after i.
	upTo := func(i int) int {
		j := i
		for j < len(words) && pc.keyword(words[j], settingWords) == "" {
			j++
		}
		return j
	}
	for i := 0; i < len(words); {
		k := pc.keyword(words[i], settingWords)
		arg := ""
		if i+1 < len(words) {
			arg = words[i+1]
		}
		switch k {
		case "secret":
			s.Secret = true
			i++
		case "hidden":
			s.Hidden = true
			i++
		case "until":
			j := upTo(i + 1)
			text := strings.Join(words[i+1:j], " ")
			if text == "" {
				return s, nil, core.Errorf(core.CodeInvalid, "err.bad_date", "text", "")
			}
			d, err := pc.dates().Parse(text)
			if errors.Is(err, when.ErrNoDate) {
				return s, nil, core.Errorf(core.CodeInvalid, "err.bad_date", "text", text)
			} else if err != nil {
				return s, nil, err
			}
			s.Until = d.Time
			if !d.HasTime {
				s.Until = d.End()
			}
			i = j
		case "quorum":
			if present(arg) {
				j, err := pc.quorumPresent(words, i, &s)
				if err != nil {
					return s, nil, err
				}
				i = j
				continue
			}
			n, err := strconv.Atoi(arg)
			if err != nil || n < 1 || n > core.MaxPollQuorum {
				return s, nil, core.Errorf(core.CodeInvalid, "err.poll_quorum", "max", core.MaxPollQuorum)
			}
			s.Quorum = n
			i += 2
		case "jury":
			j := i + 1
			for j < len(words) && pc.mention(words[j]) {
				jury = append(jury, words[j])
				j++
			}
			if j == i+1 {
				return s, nil, core.Errorf(core.CodeInvalid, "err.poll_jury")
			}
			i = j
		case "weight":
			if shareWords[norm(arg)] {
				id := ""
				if i+2 < len(words) {
					id = words[i+2]
				}
				if _, err := core.ParseShortID('C', id); err != nil {
					return s, nil, core.Errorf(core.CodeInvalid, "err.poll_weight_shares")
				}
				s.WeightShares = strings.ToUpper(id)
				i += 3
				continue
			}
			n, err := strconv.Atoi(strings.TrimSuffix(arg, "%"))
			if err != nil || n < 0 || n > 100 {
				return s, nil, core.Errorf(core.CodeInvalid, "err.poll_weight")
			}
			s.JuryWeight = n
			i += 2
		case "scale":
			lo, hi, ok := parseScale(arg)
			if !ok {
				return s, nil, core.Errorf(core.CodeInvalid, "err.poll_scale_syntax", "text", arg, "limit", core.MaxPollScale)
			}
			s.ScaleMin, s.ScaleMax = lo, hi
			i += 2
		case "grades":
			j := upTo(i + 1)
			var grades []string
			for _, g := range strings.Split(strings.Join(words[i+1:j], " "), ",") {
				if g = strings.TrimSpace(g); g != "" {
					grades = append(grades, g)
				}
			}
			if len(grades) < 2 {
				return s, nil, core.Errorf(core.CodeInvalid, "err.poll_grades", "min", 2, "max", 10)
			}
			s.Grades = grades
			i = j
		case "dots":
			n, err := strconv.Atoi(arg)
			if err != nil || n < 1 || n > core.MaxPollDots {
				return s, nil, core.Errorf(core.CodeInvalid, "err.poll_dots", "max", core.MaxPollDots)
			}
			s.Dots = n
			i += 2
		case "seats":
			n, err := strconv.Atoi(arg)
			if err != nil || n < 1 || n >= core.MaxPollOptions {
				return s, nil, core.Errorf(core.CodeInvalid, "err.poll_seats_syntax", "max", core.MaxPollOptions-1)
			}
			s.Seats = n
			i += 2
		case "meek":
			s.Meek = true
			i++
		case "lots":
			seed, err := strconv.ParseUint(arg, 10, 64)
			if err != nil {
				return s, nil, core.Errorf(core.CodeInvalid, "err.poll_lots")
			}
			s.LotSeed = &seed
			i += 2
		case "voters":
			j, err := pc.voters(words, i, &s)
			if err != nil {
				return s, nil, err
			}
			i = j
		case "meeting":
			id, ok := meetingArg(words, i+1)
			if !ok { // "Meeting room" is an option's label
				return s, nil, errNotSetting
			}
			if err := setMeeting(&s, id); err != nil {
				return s, nil, err
			}
			i += 2
		case "remind":
			switch w := norm(arg); {
			case offWords[w] || pc.aliases[w] == "off":
				s.RemindOff, s.Remind = true, 0
			case arg == "" || arg[0] < '0' || arg[0] > '9': // « Rappel des règles » is a label
				return s, nil, errNotSetting
			default:
				d, ok := core.ParseDurationWord(arg)
				if !ok || d < core.MinRemind || d > core.MaxRemind {
					return s, nil, core.Errorf(core.CodeInvalid, "err.poll_remind")
				}
				s.Remind, s.RemindOff = d, false
			}
			i += 2
		case "budget":
			j := upTo(i + 1)
			text := strings.Join(words[i+1:j], " ")
			cur := core.CurrencyIn(text)
			if cur == "" {
				cur = pc.currency
			}
			m, err := core.ParseAmount(text, cur, 0)
			if err != nil || m.Amount <= 0 {
				return s, nil, core.Errorf(core.CodeInvalid, "err.budget_none")
			}
			s.Budget = m
			i = j
		case "from":
			if _, err := core.ParseShortID('C', arg); err != nil {
				return s, nil, core.Errorf(core.CodeInvalid, "err.budget_none")
			}
			s.From = strings.ToUpper(arg)
			i += 2
		case "rule":
			r := core.Fold(arg)
			if a := pc.aliases[r]; a != "" {
				r = a
			}
			if r != core.BudgetRuleMES && r != core.BudgetRuleGreedy {
				return s, nil, core.Errorf(core.CodeInvalid, "err.budget_rule", "rule", arg)
			}
			s.Rule = r
			i += 2
		case "min", "max", "points":
			n, err := strconv.Atoi(arg)
			if err != nil || n < 0 || n > core.MaxPollDots {
				if k == "points" {
					return s, nil, core.Errorf(core.CodeInvalid, "err.poll_dots", "max", core.MaxPollDots)
				}
				return s, nil, core.Errorf(core.CodeInvalid, "err.budget_minmax", "min", 0, "max", 0, "n", core.MaxPollOptions)
			}
			switch k {
			case "min":
				s.Min = n
			case "max":
				s.Max = n
			default:
				s.Points = n
			}
			i += 2
		default:
			return s, nil, errNotSetting
		}
	}
	return s, jury, nil
}

// Words of the assembly settings (English and French), compared after norm.
var (
	shareWords   = map[string]bool{"shares": true, "share": true, "parts": true, "part": true, "actions": true}
	offWords     = map[string]bool{"off": true, "no": true, "non": true, "aucun": true, "jamais": true, "never": true, "none": true}
	allWords     = map[string]bool{"all": true, "everyone": true, "tous": true, "toutes": true, "toutlemonde": true}
	atOpenWords  = map[string]bool{"membersatopen": true, "membresalouverture": true, "membresouverture": true, "membresaouverture": true}
	roleWords    = map[string]bool{"role": true, "roles": true}
	presentWords = map[string]bool{"present": true, "presents": true, "presente": true, "presentes": true}
	holderWords  = map[string]bool{"shareholders": true, "shareholder": true, "actionnaires": true, "associes": true, "associees": true, "societaires": true}
)

// present reports whether w says "present" (quorum present M1 50%).
func present(w string) bool { return presentWords[norm(w)] }

// meetingArg reads the meeting ID at words[i]: "" and false when it is none.
func meetingArg(words []string, i int) (string, bool) {
	if i >= len(words) {
		return "", false
	}
	if _, err := core.ParseShortID('M', words[i]); err != nil {
		return "", false
	}
	return strings.ToUpper(words[i]), true
}

// assemblyWords are the keywords of the assembly settings.
var assemblyWords = map[string]bool{"voters": true, "meeting": true, "remind": true}

// errMeetingTwo: two different meetings in one poll's settings.
var errMeetingTwo = core.Errorf(core.CodeInvalid, "err.poll_meeting_two")

// setMeeting attaches the poll to meeting id, refusing a second, different one.
func setMeeting(s *core.PollSettings, id string) error {
	if s.Meeting != "" && s.Meeting != id {
		return errMeetingTwo
	}
	s.Meeting = id
	return nil
}

// quorumPresent reads `quorum present M1 50%` (French `quorum présents M1 50 %`)
// from words[i] ("quorum") and returns the index after it.
func (pc *pollContext) quorumPresent(words []string, i int, s *core.PollSettings) (int, error) {
	bad := core.Errorf(core.CodeInvalid, "err.poll_quorum_present")
	id, ok := meetingArg(words, i+2)
	if !ok || i+3 >= len(words) {
		return 0, bad
	}
	pct, next := words[i+3], i+4
	if next < len(words) && words[next] == "%" {
		next++
	} else if !strings.HasSuffix(pct, "%") {
		return 0, bad
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(pct, "%"), "\u00a0")))
	if err != nil || n < 1 || n > 100 {
		return 0, bad
	}
	if err := setMeeting(s, id); err != nil {
		return 0, err
	}
	s.QuorumPresent = n
	return next, nil
}

// voters reads `voters all|members-at-open|role ROLE|present M1|shareholders C1`
// from words[i] ("voters") and returns the index after it.
func (pc *pollContext) voters(words []string, i int, s *core.PollSettings) (int, error) {
	arg, next := "", i+2
	if i+1 < len(words) {
		arg = words[i+1]
	}
	bad := core.Errorf(core.CodeInvalid, "err.poll_voters", "text", arg)
	switch w := norm(arg); {
	case allWords[w]:
		s.Voters = core.VotersAll
	case atOpenWords[w]:
		s.Voters = core.VotersAtOpen
	case roleWords[w]:
		if next >= len(words) {
			return 0, bad
		}
		r, ok := core.ParseRole(core.Fold(words[next]))
		if !ok || r == core.RoleMember {
			return 0, core.Errorf(core.CodeInvalid, "err.poll_voters", "text", words[next])
		}
		s.Voters, s.VotersRole = core.VotersRole, r
		next++
	case presentWords[w]:
		id, ok := meetingArg(words, next)
		if !ok {
			return 0, bad
		}
		if err := setMeeting(s, id); err != nil {
			return 0, err
		}
		s.Voters = core.VotersPresent
		next++
	case holderWords[w]:
		if next >= len(words) {
			return 0, bad
		}
		if _, err := core.ParseShortID('C', words[next]); err != nil {
			return 0, bad
		}
		s.Voters, s.VotersCampaign = core.VotersShareholders, strings.ToUpper(words[next])
		next++
	default:
		return 0, bad
	}
	return next, nil
}

// parseScale reads "A-B" or "A..B" ("0-10", "-2..2", "1–5").
func parseScale(s string) (int, int, bool) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "–", "-"), "..", "~")
	if i := strings.Index(s, "~"); i >= 0 {
		return atoiPair(s[:i], s[i+1:])
	}
	// The dash that separates: the first one that is not a sign.
	for i := 1; i < len(s); i++ {
		if s[i] == '-' {
			return atoiPair(s[:i], s[i+1:])
		}
	}
	return 0, 0, false
}

func atoiPair(a, b string) (int, int, bool) {
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || x < -core.MaxPollScale || y > core.MaxPollScale || x >= y {
		return 0, 0, false
	}
	return x, y, true
}

// isMention reports whether w looks like a mention: @name, or a platform's
// <@U123> form.
func isMention(w string) bool {
	return len(w) > 1 && (w[0] == '@' || strings.HasPrefix(w, "<@"))
}

// ballotContext is what reading a CHOICE needs: the poll, and the names each
// option answers to (its label, and for a project its ID and title).
type ballotContext struct {
	poll  *core.Poll
	names [][]string // per option, folded names
}

// norm folds s and drops spaces, dashes and underscores, to match grades and
// answers however they are written ("very good", "Very-Good", "très bien").
func norm(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '_' || r == '\'' || r == '’' {
			return -1
		}
		return r
	}, core.Fold(s))
}

// option returns the index of the option s names: a label, a project ID or title,
// or the option's number ("2", "#2").
func (bc *ballotContext) option(s string) (int, error) {
	f := core.Fold(s)
	if f == "" {
		return 0, core.Errorf(core.CodeInvalid, "err.vote_option", "choice", s, "id", bc.poll.ID())
	}
	for i, names := range bc.names {
		for _, n := range names {
			if n == f {
				return i, nil
			}
		}
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(f, "#")); err == nil && n >= 1 && n <= len(bc.poll.Options) {
		return n - 1, nil
	}
	if i, ok := bc.bareOption(f); ok {
		return i, nil
	}
	return 0, core.Errorf(core.CodeInvalid, "err.vote_option", "choice", strings.TrimSpace(s), "id", bc.poll.ID())
}

// bareOption returns the one option whose name matches f when leading emoji and
// symbols are ignored: "salad", "🥗" and "🥗salad" all name "🥗 Salad". A word
// that names several options this way names none.
func (bc *ballotContext) bareOption(f string) (int, bool) {
	lead, rest := splitLead(f)
	found := -1
	for i, names := range bc.names {
		for _, n := range names {
			nl, nr := splitLead(n)
			if nl == "" && rest == "" || nl == "" && lead != "" {
				continue // nothing ignored: the exact match already failed
			}
			if rest != "" && rest == nr && (lead == "" || lead == nl) || rest == "" && lead == nl {
				if found >= 0 && found != i {
					return 0, false
				}
				found = i
				break
			}
		}
	}
	return found, found >= 0
}

// splitLead splits a folded name into its leading emoji and symbols (spaces
// dropped) and the rest: "🥗 salad" → "🥗", "salad".
func splitLead(s string) (lead, rest string) {
	i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) })
	if i < 0 {
		i = len(s)
	}
	lead = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s[:i])
	return lead, strings.TrimSpace(s[i:])
}

// answers are the words of a date poll's answers, in both languages.
var answers = map[string]int{
	"yes": 2, "y": 2, "oui": 2, "o": 2, "ok": 2, "✅": 2,
	"maybe": 1, "m": 1, "ifneedbe": 1, "peutetre": 1, "sibesoin": 1, "pe": 1, "🤔": 1,
	"no": 0, "n": 0, "non": 0, "❌": 0,
}

// defaultGradeWords are the names the six default grades answer to, worst first,
// in both languages.
var defaultGradeWords = [][]string{
	{"reject", "rejected", "arejeter", "rejeter", "rejet"},
	{"poor", "insuffisant", "insuffisante"},
	{"fair", "passable", "assezbien"},
	{"good", "bien", "bon"},
	{"verygood", "tresbien", "verybien"},
	{"excellent", "excellente"},
}

// grade returns the index of the grade s names.
func (bc *ballotContext) grade(s string) (int, bool) {
	n := norm(s)
	grades := bc.poll.Settings.Grades
	if len(grades) == 0 {
		for i, words := range defaultGradeWords {
			for _, w := range words {
				if n == w {
					return i, true
				}
			}
		}
		return 0, false
	}
	for i, g := range grades {
		if norm(g) == n {
			return i, true
		}
	}
	return 0, false
}

// parseChoice reads the CHOICE of `/vote V1 CHOICE` as a whole ballot: one value
// per option, as core/tally defines them for the poll's method.
func parseChoice(bc *ballotContext, text string) ([]int, error) {
	p := bc.poll
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, errUsage
	}
	values := make([]int, len(p.Options))
	if p.BallotMethod() == tally.Score {
		for i := range values {
			values[i] = p.Settings.ScaleMin
		}
	}
	switch {
	case p.BallotMethod() == tally.Single || p.BallotMethod() == tally.Contest:
		if strings.ContainsAny(text, ",>") {
			return nil, core.Errorf(core.CodeInvalid, "err.vote_one", "id", p.ID())
		}
		i, err := bc.option(text)
		if err != nil {
			return nil, err
		}
		values[i] = 1
	case core.Ranked(p.BallotMethod()):
		for _, w := range []string{"ranks", "rangs"} { // the ranks form, by its English or French word
			if rest, ok := cutWord(text, w); ok {
				return parseRanks(bc, rest)
			}
		}
		if strings.Contains(text, ",") {
			return nil, core.Errorf(core.CodeInvalid, "err.vote_ranking", "id", p.ID())
		}
		for rank, tier := range strings.Split(text, ">") {
			for _, part := range strings.Split(tier, "=") {
				if strings.TrimSpace(part) == "" {
					return nil, core.Errorf(core.CodeInvalid, "err.vote_ranking", "id", p.ID())
				}
				i, err := bc.option(part)
				if err != nil {
					return nil, err
				}
				if values[i] != 0 {
					return nil, core.Errorf(core.CodeInvalid, "err.vote_repeat", "choice", strings.TrimSpace(part))
				}
				values[i] = rank + 1
			}
		}
	case p.BallotMethod() == tally.Approval && !strings.Contains(text, "="):
		if strings.Contains(text, ">") {
			return nil, core.Errorf(core.CodeInvalid, "err.vote_pairs", "id", p.ID())
		}
		for _, part := range strings.Split(text, ",") {
			if strings.TrimSpace(part) == "" { // "A,,B", "A,": a choice is missing
				return nil, core.Errorf(core.CodeInvalid, "err.vote_empty", "id", p.ID())
			}
			i, err := bc.option(part)
			if err != nil {
				return nil, err
			}
			if values[i] != 0 {
				return nil, core.Errorf(core.CodeInvalid, "err.vote_repeat", "choice", strings.TrimSpace(part))
			}
			values[i] = 1
		}
	default: // OPTION=VALUE pairs
		seen := make([]bool, len(values))
		sum := 0
		for _, part := range strings.Split(text, ",") {
			left, right, ok := strings.Cut(part, "=")
			if !ok || strings.Contains(part, ">") {
				return nil, core.Errorf(core.CodeInvalid, "err.vote_pairs", "id", p.ID())
			}
			i, err := bc.option(left)
			if err != nil {
				return nil, err
			}
			if seen[i] {
				return nil, core.Errorf(core.CodeInvalid, "err.vote_repeat", "choice", strings.TrimSpace(left))
			}
			seen[i] = true
			right = strings.TrimSpace(right)
			if right == "" { // OPTION= with nothing after it: a value is missing
				return nil, core.Errorf(core.CodeInvalid, "err.vote_missing", "choice", strings.TrimSpace(left), "id", p.ID())
			}
			if right == blankValue && (p.BallotMethod() == tally.Score || p.BallotMethod() == tally.Dot) {
				continue // left blank on purpose (a form's empty field): unscored, no dots
			}
			v, err := bc.value(right)
			if err != nil {
				return nil, err
			}
			values[i] = v
			sum += v
			if p.BallotMethod() == tally.Dot && sum > p.TallySettings().Dots {
				return nil, core.Errorf(core.CodeInvalid, "err.vote_dots", "id", p.ID(), "dots", p.TallySettings().Dots)
			}
		}
	}
	return values, nil
}

// blankValue is the value of an OPTION=VALUE pair left blank on purpose: what a
// ballot form's empty score or dots field sends ("1=-, 2=4"). A pair with no value
// at all ("1=") is refused as missing.
const blankValue = "-"

// value reads one OPTION=VALUE value for the poll's method.
func (bc *ballotContext) value(s string) (int, error) {
	p := bc.poll
	switch p.BallotMethod() {
	case tally.Score, tally.Dot:
		n, err := strconv.Atoi(strings.TrimPrefix(s, "+"))
		if p.BallotMethod() == tally.Score && (err != nil || n < p.Settings.ScaleMin || n > p.Settings.ScaleMax) {
			return 0, core.Errorf(core.CodeInvalid, "err.vote_scale", "min", p.Settings.ScaleMin, "max", p.Settings.ScaleMax, "value", s)
		}
		if p.BallotMethod() == tally.Dot && (err != nil || n < 0) {
			return 0, core.Errorf(core.CodeInvalid, "err.vote_dots", "id", p.ID(), "dots", p.TallySettings().Dots)
		}
		return n, nil
	case tally.Judgment:
		g, ok := bc.grade(s)
		if !ok {
			return 0, core.Errorf(core.CodeInvalid, "err.vote_grade", "grade", s, "id", p.ID())
		}
		return g, nil
	case tally.Approval:
		a, ok := answers[norm(s)]
		if !ok || a == 1 {
			return 0, core.Errorf(core.CodeInvalid, "err.vote_answer", "answer", s)
		}
		return a / 2, nil
	default: // date
		a, ok := answers[norm(s)]
		if !ok {
			return 0, core.Errorf(core.CodeInvalid, "err.vote_answer", "answer", s)
		}
		return a, nil
	}
}

// parseRanks reads the ranks a form gives, one per option in order, separated by
// ";" (an empty one: unranked): "2;1;;3".
func parseRanks(bc *ballotContext, s string) ([]int, error) {
	p := bc.poll
	parts := strings.Split(s, ";")
	if len(parts) != len(p.Options) {
		return nil, core.Errorf(core.CodeInvalid, "err.vote_ranking", "id", p.ID())
	}
	values := make([]int, len(parts))
	for i, r := range parts {
		r = strings.TrimSpace(r)
		if r == "" {
			continue
		}
		n, err := strconv.Atoi(r)
		if err != nil || n < 1 || n > len(p.Options) {
			return nil, core.Errorf(core.CodeInvalid, "err.vote_rank", "rank", r, "max", len(p.Options))
		}
		values[i] = n
	}
	return values, nil
}

// cutWord reports whether s starts with the word w (any case) and returns the rest.
func cutWord(s, w string) (string, bool) {
	first, rest := cut(s)
	if strings.EqualFold(first, w) {
		return rest, true
	}
	return s, false
}

// parseMethodWord reads a method as typed: its name, a French alias
// (« uninominal », « alternatif », « notes »), or either in the plural
// (« dates », « gommettes », whose alias is the setting word "dots").
func parseMethodWord(w string, aliases map[string]string) (tally.Method, bool) {
	f := core.Fold(w)
	for _, cand := range []string{f, aliases[f], strings.TrimSuffix(f, "s"), strings.TrimSuffix(aliases[f], "s"), aliases[strings.TrimSuffix(f, "s")]} {
		if cand == "" {
			continue
		}
		if m, ok := core.ParseMethod(cand); ok {
			return m, true
		}
	}
	return "", false
}
