package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/console"
	"github.com/engage-org/engage/core"
)

// lineFeed hands the console its script one line per Read and notes how much output
// there was before each line, so that what the bot printed can be traced back to the
// line (and the clock time) that caused it. The console reads the next line only once
// the previous one is done.
type lineFeed struct {
	lines   []string
	next    int
	out     *bytes.Buffer
	marks   []int // marks[i]: output length before line i ran
	pending []byte
}

func (f *lineFeed) Read(p []byte) (int, error) {
	if len(f.pending) == 0 {
		if f.next >= len(f.lines) {
			f.marks = append(f.marks, f.out.Len())
			return 0, io.EOF
		}
		f.marks = append(f.marks, f.out.Len())
		f.pending = []byte(f.lines[f.next] + "\n")
		f.next++
	}
	n := copy(p, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

// printed is one message the console printed.
type printed struct {
	where string    // "group" or "dm NAME"
	text  string    // the message with its continuation lines
	line  int       // the script line that caused it
	at    time.Time // the clock when that line ran
	input string    // that line
}

var reMsgStart = regexp.MustCompile(`^\[(group|dm [^\]]+)\] `)

// runScript runs script through Main in this process, from start, and returns
// every message printed with its cause.
func runScript(t *testing.T, script string, start time.Time) []printed {
	t.Helper()
	lines := strings.Split(strings.TrimRight(script, "\n"), "\n")
	var out, errb bytes.Buffer
	feed := &lineFeed{lines: lines, out: &out}
	db := filepath.Join(t.TempDir(), "quarter.db")
	code := Main(context.Background(), []string{"console", "--db", db, "--lang", "en", "--now", start.UTC().Format("2006-01-02T15:04")},
		feed, &out, &errb, func(string) string { return "" })
	if code != 0 || errb.Len() > 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	// The clock at each line: --now, moved by each :clock line after it ran.
	clock := make([]time.Time, len(lines))
	now := start
	for i, l := range lines {
		clock[i] = now
		if arg, ok := strings.CutPrefix(strings.TrimSpace(l), ":clock "); ok {
			to, err := console.ParseClock(strings.TrimSpace(arg), now)
			if err != nil {
				t.Fatalf("line %d: %v", i+1, err)
			}
			now = to
		}
	}
	all := out.String()
	var msgs []printed
	for i := range lines {
		chunk := all[feed.marks[i]:feed.marks[i+1]]
		for _, l := range strings.Split(chunk, "\n") {
			if m := reMsgStart.FindStringSubmatch(l); m != nil {
				msgs = append(msgs, printed{where: m[1], text: l[len(m[0]):], line: i, at: clock[i], input: lines[i]})
			} else if l != "" && len(msgs) > 0 {
				msgs[len(msgs)-1].text += "\n" + l
			}
		}
	}
	return msgs
}

// Ensure a simulated quarter of weekly facilitation (13 weeks, 6 projects, a
// facilitator with a backup, a week away, a referent away, unanswered prompts, the
// change to summer time) asks the stalest eligible referents every week, nobody twice
// within 3 weeks, gives the away week to the backup, skips no week, and sends each
// reminder and escalation once.
func TestConsole_Quarter(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../examples/quarter.txt")
	if err != nil {
		t.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	msgs := runScript(t, string(raw), start)

	for _, m := range msgs {
		for _, refusal := range []string{"didn't understand", "not quite how", "I can't", "I don't know", "Only ", "no longer works"} {
			if strings.Contains(m.text, refusal) {
				t.Errorf("script line %d (%q) was refused: %s", m.line+1, m.input, m.text)
			}
		}
	}

	// The model: each referent's last sign of life (a project started, news, a
	// check-in answer), at the clock time of the script line that caused it; ties go
	// to whoever appeared first, as person IDs do.
	type away struct{ from, to time.Time }
	last := map[string]time.Time{}
	order := map[string]int{}
	referentOf := map[string]string{}
	aways := map[string][]away{}
	reProject := regexp.MustCompile(`^🌱 New project (P\d+): (?s:.*?)\nReferent: (\w+)\.`)
	reNews := regexp.MustCompile(`^📰 (P\d+) `)
	reSaved := regexp.MustCompile(`^✅ (P\d+) `)
	reAway := regexp.MustCompile(`^🏖️ Noted: (\w+) is away from \w+ (\d+ \w+ \d{4}) to \w+ (\d+ \w+ \d{4})`)
	reNudge := regexp.MustCompile(`^🕐 Your facilitation hour for [^,]+, \w+ (\d+ \w+ \d{4} at \d+:\d\d)( \(you stand in for (\w+)\))?`)
	reAsked := regexp.MustCompile(`(?m)^• (\w+) \(P\d+ [^)]*\): silent for`)
	reRemind := regexp.MustCompile(`^⏰ A reminder: I asked you on \w+ (\d+ \w+ \d{4})`)
	reEscalate := regexp.MustCompile(`^📵 (\w+) has not answered the check-in about .*\(asked (\d+ \w+),`)
	for _, l := range strings.Split(string(raw), "\n") {
		if name, _, ok := strings.Cut(l, ":"); ok && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, ":") && !strings.Contains(name, " ") {
			if _, seen := order[name]; !seen {
				order[name] = len(order)
			}
		}
	}

	type nudge struct {
		at    time.Time
		host  string
		stand string
		asked []string
	}
	var nudges []nudge
	var expected [][]string
	reminders := map[string]int{}
	escalations := map[string][]string{}
	summaries, digests, hellos := 0, 0, map[string]int{}
	for _, m := range msgs {
		switch {
		case m.where == "group" && reProject.MatchString(m.text):
			sm := reProject.FindStringSubmatch(m.text)
			referentOf[sm[1]] = sm[2]
			last[sm[2]] = m.at
		case m.where == "group" && reNews.MatchString(m.text):
			last[referentOf[reNews.FindStringSubmatch(m.text)[1]]] = m.at
		case strings.HasPrefix(m.where, "dm ") && reSaved.MatchString(m.text):
			last[strings.TrimPrefix(m.where, "dm ")] = m.at
		case m.where == "group" && reAway.MatchString(m.text):
			sm := reAway.FindStringSubmatch(m.text)
			from, err1 := time.ParseInLocation("2 January 2006", sm[2], paris)
			to, err2 := time.ParseInLocation("2 January 2006", sm[3], paris)
			if err1 != nil || err2 != nil {
				t.Fatalf("away dates in %q: %v %v", m.text, err1, err2)
			}
			aways[sm[1]] = append(aways[sm[1]], away{from, to.AddDate(0, 0, 1)})
		case strings.HasPrefix(m.text, "👋 Hello "):
			hellos[strings.TrimPrefix(m.where, "dm ")]++
		case strings.HasPrefix(m.text, "📋 After the check-in"):
			summaries++
		case strings.HasPrefix(m.text, "🗞️ "):
			digests++
		case reRemind.MatchString(m.text):
			reminders[strings.TrimPrefix(m.where, "dm ")+" "+reRemind.FindStringSubmatch(m.text)[1]]++
		case reEscalate.MatchString(m.text):
			sm := reEscalate.FindStringSubmatch(m.text)
			escalations[sm[1]+" "+sm[2]] = append(escalations[sm[1]+" "+sm[2]], strings.TrimPrefix(m.where, "dm "))
		case reNudge.MatchString(m.text):
			sm := reNudge.FindStringSubmatch(m.text)
			at, err := time.ParseInLocation("2 January 2006 at 15:04", sm[1], paris)
			if err != nil {
				t.Fatal(err)
			}
			n := nudge{at: at, host: strings.TrimPrefix(m.where, "dm "), stand: sm[3]}
			for _, a := range reAsked.FindAllStringSubmatch(m.text, -1) {
				n.asked = append(n.asked, a[1])
			}
			// What the rule says: the referents not away and not asked at either of
			// the two previous slots, the longest silent first, two a week for six
			// active projects.
			var eligible []string
			for _, r := range referentOf {
				if slices.ContainsFunc(aways[r], func(a away) bool { return !at.Before(a.from) && at.Before(a.to) }) {
					continue
				}
				if k := len(expected); (k >= 1 && slices.Contains(expected[k-1], r)) || (k >= 2 && slices.Contains(expected[k-2], r)) {
					continue
				}
				eligible = append(eligible, r)
			}
			slices.SortFunc(eligible, func(a, b string) int {
				if c := last[a].Compare(last[b]); c != 0 {
					return c
				}
				return order[a] - order[b]
			})
			want := eligible[:min(core.ReferentsPerSlot(len(referentOf)), len(eligible))]
			expected = append(expected, want)
			if !slices.Equal(n.asked, want) {
				t.Errorf("slot of %s asked %v, want the stalest eligible %v", at.Format("2 Jan"), n.asked, want)
			}
			nudges = append(nudges, n)
		}
	}

	// No week skipped: 13 slots, a week apart, at 18:00 Paris time before and after
	// the change to summer time (28 March).
	if len(nudges) != 13 {
		t.Fatalf("got %d slots, want 13", len(nudges))
	}
	for i, n := range nudges {
		want := time.Date(2027, 1, 5+7*i, 18, 0, 0, 0, paris)
		if !n.at.Equal(want) {
			t.Errorf("slot %d at %s, want %s", i+1, n.at, want)
		}
		if len(n.asked) == 0 {
			t.Errorf("slot %d asked nobody", i+1)
		}
		// The week fiona is away (8–14 February) goes to gina, her backup.
		host, stand := "fiona", ""
		if n.at.Month() == time.February && n.at.Day() == 9 {
			host, stand = "gina", "fiona"
		}
		if n.host != host || n.stand != stand {
			t.Errorf("slot of %s went to %s (standing in for %q), want %s (%q)", n.at.Format("2 Jan"), n.host, n.stand, host, stand)
		}
		for _, name := range n.asked {
			// Away referents are never asked.
			for _, a := range aways[name] {
				if !n.at.Before(a.from) && n.at.Before(a.to) {
					t.Errorf("%s asked on %s while away", name, n.at.Format("2 Jan"))
				}
			}
		}
	}
	// Nobody is asked twice within 3 weeks; everybody is asked in the quarter.
	askedAt := map[string][]int{}
	for i, n := range nudges {
		for _, name := range n.asked {
			askedAt[name] = append(askedAt[name], i)
		}
	}
	for name, weeks := range askedAt {
		for k := 1; k < len(weeks); k++ {
			if weeks[k]-weeks[k-1] < 3 {
				t.Errorf("%s asked at slots %d and %d", name, weeks[k-1]+1, weeks[k]+1)
			}
		}
		if hellos[name] != len(weeks) {
			t.Errorf("%s asked %d times but got %d first questions", name, len(weeks), hellos[name])
		}
	}
	if len(askedAt) != 6 {
		t.Errorf("asked %d referents over the quarter, want all 6", len(askedAt))
	}
	// One summary and one digest a week.
	if summaries != 13 || digests != 13 {
		t.Errorf("got %d summaries and %d digests, want 13 each", summaries, digests)
	}
	// Reminders and escalations: once each, for the three prompts left unanswered,
	// the escalation to whoever runs the hour at that moment.
	wantRemind := map[string]int{"david 5 January 2027": 1, "farid 9 February 2027": 1, "hugo 16 March 2027": 1}
	if !mapsEqual(reminders, wantRemind) {
		t.Errorf("reminders %v, want %v", reminders, wantRemind)
	}
	wantEsc := map[string][]string{"david 5 Jan": {"fiona"}, "farid 9 Feb": {"gina"}, "hugo 16 Mar": {"fiona"}}
	if len(escalations) != len(wantEsc) {
		t.Errorf("escalations %v, want %v", escalations, wantEsc)
	}
	for k, v := range wantEsc {
		if !slices.Equal(escalations[k], v) {
			t.Errorf("escalation of %s went to %v, want %v", k, escalations[k], v)
		}
	}
	// The figures over the quarter, recorded every Monday, with their chart.
	if last := msgs[len(msgs)-1]; !strings.HasPrefix(last.text, "📈 Les Jardins du Quartier: the figures of the last 12 weeks (12 weekly records since 11 Jan)") ||
		!strings.Contains(last.text, "• Check-in answers: 50% → 91% (21 of 23 in 12 weeks)") || !strings.Contains(last.text, "📎 impact-chart.png (image/png,") {
		t.Errorf("impact: %q", last.text)
	}
	// The meeting's reminders, 7 days and 1 day before, once each.
	var meetingReminders []string
	for _, m := range msgs {
		if m.where == "group" && strings.HasPrefix(m.text, "⏰ ") {
			meetingReminders = append(meetingReminders, strings.SplitN(m.text, ":", 2)[0]+" @"+m.at.Format("2006-01-02"))
		}
	}
	if want := []string{"⏰ In 7 days @2027-02-09", "⏰ Tomorrow @2027-02-16"}; !slices.Equal(meetingReminders, want) {
		t.Errorf("meeting reminders %v, want %v (as fired while the clock moved)", meetingReminders, want)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
