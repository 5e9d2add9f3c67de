package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// The exports of a published community (README, "Web pages: exports"): the
// impact figures as CSV and JSON, a campaign's ledger and a poll's result as CSV.
// A CSV file follows the page's language like the schedule a member gets in chat:
// in French its fields are separated by ";" and its decimals take a comma, in
// English "," and a point. Column names are the same in both languages (they are
// the schema); amounts are written in major units without a group mark ("1854,02"
// / "1854.02"), with their currency in a column or in the column's name. The JSON
// file gives amounts in integer minor units, as `engage export` does. Nothing
// names a person: no handle, no contact, no backer's amount.

// csvFile writes rows as a CSV file in lang's convention.
func csvFile(lang string, rows [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if lang == "fr" {
		w.Comma = ';'
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// download is a reply that a browser saves under name.
func download(typ, name string, body []byte) *Reply {
	h := http.Header{}
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	return &Reply{Type: typ, Body: body, Header: h}
}

func csvReply(name string, body []byte) *Reply {
	return download("text/csv; charset=utf-8", name, body)
}

// amount writes m's number in lang's convention for a spreadsheet.
func (s *Server) amount(lang string, m core.Money) string { return s.text(lang, "web.amount", m) }

// decimal writes an exact number with two decimals in lang's convention.
func decimal(lang string, r *big.Rat) string {
	if r == nil {
		return ""
	}
	out := r.FloatString(2)
	if lang == "fr" {
		out = strings.Replace(out, ".", ",", 1)
	}
	return out
}

// csvText keeps a text typed by a member from being read as a formula by a
// spreadsheet: one starting with = + - @ or a control character gets a leading '.
func csvText(t string) string {
	if t != "" && strings.ContainsRune("=+-@\t\r", rune(t[0])) {
		return "'" + t
	}
	return t
}

// csvCell writes a figure for a CSV file: its number, or nothing when withheld or
// not measured.
func csvCell(c cell) string {
	if !c.Shown() {
		return ""
	}
	return strconv.Itoa(c.N)
}

// jsonCell is a figure for a JSON file: its number, or null when withheld or not
// measured.
func jsonCell(c cell) *int {
	if !c.Shown() {
		return nil
	}
	n := c.N
	return &n
}

// impactCSV: /c/SLUG/impact.csv — a row a measure, oldest first.
func (s *Server) impactCSV(r *Request) (*Reply, error) {
	c := r.Community
	d, err := readImpact(r.Tx, c, r.Now, func(num int) string { return s.pollURL(c, num) })
	if err != nil {
		return nil, err
	}
	head := []string{"date", "current", "members", "active_30d", "active_pct", "active_90d", "newcomers_30d",
		"checkins_asked", "checkins_answered", "answer_rate_pct", "steps_on_time", "steps_overdue", "steps_undated"}
	for _, st := range core.Stages {
		head = append(head, "projects_"+string(st))
	}
	head = append(head, "stage_changes", "polls_closed", "polls_decided", "hours_pledged", "hours_given")
	for _, cur := range d.Currencies {
		head = append(head, "pledged_"+cur, "collected_"+cur, "spent_"+cur)
	}
	rows := [][]string{head}
	itoa := strconv.Itoa
	for _, p := range d.Points {
		row := []string{p.At.Format(time.DateOnly), strconv.FormatBool(p.Current), itoa(p.Members),
			csvCell(p.Active30), csvCell(p.ActivePct), csvCell(p.Active90), csvCell(p.Newcomers),
			csvCell(p.Asked), csvCell(p.Answered), csvCell(p.AnswerPct), itoa(p.OnTime), itoa(p.Overdue), itoa(p.Undated)}
		for _, n := range p.Stages {
			row = append(row, itoa(n))
		}
		row = append(row, csvCell(p.StageChanges), csvCell(p.PollsClosed), csvCell(p.PollsDecided), itoa(p.HoursPledged), itoa(p.HoursGiven))
		for _, cur := range d.Currencies {
			m := p.money(cur)
			row = append(row, s.amount(r.Lang, m.Pledged), s.amount(r.Lang, m.Collected), s.amount(r.Lang, m.Spent))
		}
		rows = append(rows, row)
	}
	body, err := csvFile(r.Lang, rows)
	if err != nil {
		return nil, err
	}
	return csvReply(c.Slug+"-impact.csv", body), nil
}

// The schema of impact.json (README, section impact.json).
type (
	impactJSON struct {
		Community string        `json:"community"`
		URL       string        `json:"url"`
		Generated time.Time     `json:"generated"`
		MinCell   int           `json:"min_cell"`
		Stages    []string      `json:"stages"`
		Figures   []figuresJSON `json:"figures"`
		Polls     []pollJSON    `json:"polls"`
	}
	figuresJSON struct {
		At               time.Time      `json:"at"`
		Current          bool           `json:"current"`
		Members          int            `json:"members"`
		Active30         *int           `json:"active_30d"`
		ActivePct        *int           `json:"active_pct"`
		Active90         *int           `json:"active_90d"`
		Newcomers        *int           `json:"newcomers_30d"`
		CheckinsAsked    *int           `json:"checkins_asked"`
		CheckinsAnswered *int           `json:"checkins_answered"`
		AnswerPct        *int           `json:"answer_rate_pct"`
		StepsOnTime      int            `json:"steps_on_time"`
		StepsOverdue     int            `json:"steps_overdue"`
		StepsUndated     int            `json:"steps_undated"`
		Projects         map[string]int `json:"projects"`
		StageChanges     *int           `json:"stage_changes"`
		PollsClosed      *int           `json:"polls_closed"`
		PollsDecided     *int           `json:"polls_decided"`
		Money            []moneyJSON    `json:"money"`
		HoursPledged     int            `json:"hours_pledged"`
		HoursGiven       int            `json:"hours_given"`
	}
	moneyJSON struct {
		Currency       string `json:"currency"`
		PledgedMinor   int64  `json:"pledged_minor"`
		CollectedMinor int64  `json:"collected_minor"`
		SpentMinor     int64  `json:"spent_minor"`
	}
	pollJSON struct {
		ID         string    `json:"id"`
		URL        string    `json:"url"`
		Question   string    `json:"question"`
		Method     string    `json:"method"`
		Closed     time.Time `json:"closed"`
		Decided    bool      `json:"decided"`
		Ballots    *int      `json:"ballots"`
		Members    *int      `json:"members"`
		TurnoutPct *int      `json:"turnout_pct"`
	}
)

// impactJSONFile: /c/SLUG/impact.json.
func (s *Server) impactJSON(r *Request) (*Reply, error) {
	c := r.Community
	d, err := readImpact(r.Tx, c, r.Now, func(num int) string { return s.pollURL(c, num) })
	if err != nil {
		return nil, err
	}
	out := impactJSON{Community: c.Name, URL: s.communityURL(c), Generated: r.Now.UTC(), MinCell: MinCell,
		Figures: []figuresJSON{}, Polls: []pollJSON{}}
	for _, st := range core.Stages {
		out.Stages = append(out.Stages, string(st))
	}
	for _, p := range d.Points {
		f := figuresJSON{
			At: p.At.UTC(), Current: p.Current, Members: p.Members,
			Active30: jsonCell(p.Active30), ActivePct: jsonCell(p.ActivePct), Active90: jsonCell(p.Active90), Newcomers: jsonCell(p.Newcomers),
			CheckinsAsked: jsonCell(p.Asked), CheckinsAnswered: jsonCell(p.Answered), AnswerPct: jsonCell(p.AnswerPct),
			StepsOnTime: p.OnTime, StepsOverdue: p.Overdue, StepsUndated: p.Undated, Projects: map[string]int{},
			StageChanges: jsonCell(p.StageChanges), PollsClosed: jsonCell(p.PollsClosed), PollsDecided: jsonCell(p.PollsDecided),
			Money: []moneyJSON{}, HoursPledged: p.HoursPledged, HoursGiven: p.HoursGiven,
		}
		for i, st := range core.Stages {
			f.Projects[string(st)] = p.Stages[i]
		}
		for _, m := range p.Money {
			f.Money = append(f.Money, moneyJSON{Currency: m.Currency, PledgedMinor: m.Pledged.Amount, CollectedMinor: m.Collected.Amount, SpentMinor: m.Spent.Amount})
		}
		out.Figures = append(out.Figures, f)
	}
	for _, p := range d.Polls {
		pj := pollJSON{ID: p.ID, URL: p.URL, Question: p.Question, Method: p.Method, Closed: p.Closed.UTC(), Decided: p.Decided,
			Ballots: jsonCell(p.Ballots), Members: jsonCell(known(p.Members, p.Members > 0)), TurnoutPct: jsonCell(p.Turnout)}
		out.Polls = append(out.Polls, pj)
	}
	body, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return &Reply{Type: "application/json; charset=utf-8", Body: append(body, '\n')}, nil
}

// ledgerCSV: /c/SLUG/campaigns/C1/ledger.csv — the totals, then a row a ledger
// line, oldest first. Money collected or paid back names nobody.
func (s *Server) ledgerCSV(r *Request) (*Reply, error) {
	c := r.Community
	camp, err := r.Tx.Campaign(c.ID, r.HTTP.PathValue("id"))
	if err != nil {
		return nil, err
	}
	lines, err := r.Tx.Ledger(camp)
	if err != nil {
		return nil, err
	}
	lang := r.Lang
	cur := camp.Goal.Currency
	rows := [][]string{{"date", "kind", "amount", "currency", "what", "project", "hours"}}
	for _, l := range lines {
		row := []string{l.At.In(c.Location()).Format(time.DateOnly), string(l.Kind), s.amount(lang, l.Amount), l.Amount.Currency, "", "", ""}
		switch l.Kind {
		case core.LedgerSpend:
			row[4] = csvText(l.Purpose)
		case core.LedgerAllocate:
			row[5] = "P" + strconv.Itoa(l.Project)
			if p, err := r.Tx.Project(c.ID, row[5]); err == nil {
				row[4] = csvText(p.Title)
			}
		case core.LedgerHours:
			row[6] = strconv.Itoa(l.Hours)
		}
		if row[3] == "" {
			row[3] = cur
		}
		rows = append(rows, row)
	}
	for _, t := range []struct {
		kind string
		n    int64
	}{{"total_pledged", camp.Pledged}, {"total_collected", camp.Collected}, {"total_spent", camp.Spent}, {"total_allocated", camp.Allocated}, {"total_refunded", camp.Refunded}, {"total_left", camp.Left()}} {
		rows = append(rows, []string{"", t.kind, s.amount(lang, camp.Money(t.n)), cur, "", "", ""})
	}
	body, err := csvFile(lang, rows)
	if err != nil {
		return nil, err
	}
	return csvReply(c.Slug+"-"+camp.ID()+"-ledger.csv", body), nil
}

// resultsCSV: /c/SLUG/polls/V1/results.csv — a closed poll's result, an option a
// row best first; an open poll's running count, unless the poll is hidden: then
// nothing (404) until it closes.
func (s *Server) resultsCSV(r *Request) (*Reply, error) {
	c := r.Community
	p, err := r.Tx.Poll(c.ID, r.HTTP.PathValue("id"))
	if err != nil {
		return nil, err
	}
	var res *tally.Result
	if p.Open() {
		if p.Settings.Hidden {
			return nil, NotFound()
		}
		res = liveResult(p)
	} else if res, err = r.Tx.PollResult(p); err != nil {
		return nil, err
	}
	body, err := csvFile(r.Lang, s.resultRows(r, p, res))
	if err != nil {
		return nil, err
	}
	return csvReply(c.Slug+"-"+p.ID()+"-results.csv", body), nil
}

// liveResult is an open poll's running count as a result with no ranking.
func liveResult(p *core.Poll) *tally.Result {
	res := &tally.Result{Method: p.Method}
	if l := p.Live; l != nil {
		res.Ballots, res.Counts, res.Maybes, res.JuryCounts, res.JuryBallots, res.Totals, res.Profiles =
			l.Ballots, l.Counts, l.Maybes, l.JuryCounts, l.JuryBallots, l.Totals, l.Profiles
	}
	return res
}

// resultRows writes res's table: rank (empty while open or when nothing was
// decided), option, and the columns the method counts.
func (s *Server) resultRows(r *Request, p *core.Poll, res *tally.Result) [][]string {
	n := len(p.Options)
	lang := r.Lang
	rank := make([]string, n)
	order := make([]int, 0, n)
	decided := !p.Open() && core.Decided(p, res)
	if decided {
		for t, tier := range res.Ranking {
			for _, i := range tier {
				rank[i] = strconv.Itoa(t + 1)
				order = append(order, i)
			}
		}
	}
	for i := range n { // options the ranking leaves out, in their order
		if !containsInt(order, i) {
			order = append(order, i)
		}
	}
	type column struct {
		name  string
		value func(i int) string
	}
	ints := func(v []int) func(int) string {
		return func(i int) string {
			if i < len(v) {
				return strconv.Itoa(v[i])
			}
			return ""
		}
	}
	rats := func(v []*big.Rat) func(int) string {
		return func(i int) string {
			if i < len(v) {
				return decimal(lang, v[i])
			}
			return ""
		}
	}
	var cols []column
	if res.Counts != nil {
		name := "votes"
		switch p.Method {
		case tally.Date:
			name = "yes"
		case tally.Contest:
			name = "public_votes"
		case tally.IRV, tally.Schulze, tally.Borda, tally.STV:
			name = "first_choices"
		}
		cols = append(cols, column{name, ints(res.Counts)})
	}
	if res.Maybes != nil {
		cols = append(cols, column{"maybe", ints(res.Maybes)})
	}
	if res.JuryCounts != nil {
		cols = append(cols, column{"jury_votes", ints(res.JuryCounts)})
	}
	if res.Shares != nil {
		cols = append(cols, column{"share_pct", rats(res.Shares)})
	}
	if res.Totals != nil {
		cols = append(cols, column{"total", ints(res.Totals)})
	}
	if res.Points != nil {
		cols = append(cols, column{"points", rats(res.Points)})
	}
	if len(res.Rounds) > 0 {
		cols = append(cols, column{"last_round_votes", rats(res.Rounds[len(res.Rounds)-1].Votes)})
	}
	if res.Grades != nil {
		grades := p.Grades()
		cols = append(cols, column{"majority_grade", func(i int) string {
			if i < len(res.Grades) && res.Grades[i] >= 0 && res.Grades[i] < len(grades) {
				return grades[res.Grades[i]]
			}
			return ""
		}})
	}
	if len(res.Elected) > 0 || p.Method == tally.STV && !p.Open() {
		cols = append(cols, column{"elected", func(i int) string {
			for k, e := range res.Elected {
				if e == i {
					return strconv.Itoa(k + 1)
				}
			}
			return ""
		}})
	}
	if b := res.Budget; b != nil {
		cols = append(cols,
			column{"score", func(i int) string {
				if i < len(b.Scores) {
					return strconv.FormatInt(b.Scores[i], 10)
				}
				return ""
			}},
			column{"cost", func(i int) string {
				return s.amount(lang, core.Money{Amount: p.Options[i].Cost, Currency: p.Settings.Budget.Currency})
			}},
			column{"funded", func(i int) string { return strconv.FormatBool(containsInt(b.Selected, i)) }})
	}
	head := []string{"rank", "option"}
	for _, col := range cols {
		head = append(head, col.name)
	}
	rows := [][]string{head}
	for _, i := range order {
		row := []string{rank[i], csvText(r.Tx.OptionLabel(p, i))}
		for _, col := range cols {
			row = append(row, col.value(i))
		}
		rows = append(rows, row)
	}
	return rows
}

func containsInt(v []int, x int) bool {
	for _, y := range v {
		if y == x {
			return true
		}
	}
	return false
}
