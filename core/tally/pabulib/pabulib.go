// Package pabulib reads and writes participatory-budgeting instances in the
// Pabulib format (pabulib.org): a text file of three sections, META,
// PROJECTS and VOTES, each a semicolon-separated table with a header line.
// It owns the format only: counting is [tally.CountBudget]. It imports only
// the standard library and core/tally, and does no I/O of its own beyond the
// reader and writer it is given.
//
//	META
//	key;value
//	budget;100000
//	vote_type;approval          (choose-1 too; or cumulative, with max_sum_points)
//	currency;PLN
//	PROJECTS
//	project_id;cost;name
//	1;60000;Benches
//	VOTES
//	voter_id;vote;points        (points only for cumulative)
//	v1;1,2;3,2
//
// Amounts may have decimals: the instance keeps them as integers in units of
// 10^-Scale, Scale the most decimals any amount has (at most 6).
package pabulib

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"

	"github.com/engage-org/engage/core/tally"
)

// Instance is a parsed Pabulib file.
type Instance struct {
	// Meta holds the META section, keys lower-cased, in file order.
	Meta []KV
	// Projects in file order; Cost in units of 10^-Scale.
	Projects []Project
	// Budget in units of 10^-Scale.
	Budget int64
	// Scale is the number of decimals of the amounts (0..MaxScale).
	Scale int
	// Cumulative is true for vote_type cumulative: ballots hold points.
	Cumulative bool
	// Points is the most points a cumulative ballot may give: max_sum_points,
	// or the largest sum found when the file does not say.
	Points int
	// Ballots hold one value per project (index as in Projects).
	Ballots []tally.Ballot
}

// KV is one META line.
type KV struct{ Key, Value string }

// Project is one PROJECTS line.
type Project struct {
	ID   string
	Cost int64
	Name string
	// Selected is the published outcome's "selected" column (1: funded).
	Selected bool
}

// MaxScale is the most decimals an amount may have.
const MaxScale = 6

// Error is a malformed file: the line and section are named.
type Error struct {
	Line    int
	Section string
	Msg     string
}

func (e *Error) Error() string {
	if e.Section == "" {
		return fmt.Sprintf("pabulib: line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("pabulib: line %d (%s): %s", e.Line, e.Section, e.Msg)
}

// Value returns the META value for key (lower case), or "".
func (in *Instance) Value(key string) string {
	for _, kv := range in.Meta {
		if kv.Key == key {
			return kv.Value
		}
	}
	return ""
}

// TallyBudget returns the instance as a budget poll: Add1 adds one unit of the
// currency (10^Scale) per step.
func (in *Instance) TallyBudget() tally.Budget {
	pb := tally.Budget{Budget: in.Budget, Increment: pow10(in.Scale)}
	for _, p := range in.Projects {
		pb.Projects = append(pb.Projects, tally.BudgetProject{ID: p.ID, Cost: p.Cost})
	}
	if in.Cumulative {
		pb.Points = in.Points
	}
	return pb
}

// FormatAmount writes v units of 10^-scale as a decimal string, without
// trailing zeros: 390 at scale 2 is "3.9", 400 is "4".
func FormatAmount(v int64, scale int) string {
	s := new(big.Rat).SetFrac64(v, pow10(scale)).FloatString(scale)
	if scale > 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// Parse reads a Pabulib file. Errors are *Error, naming line and section.
func Parse(r io.Reader) (*Instance, error) {
	cr := csv.NewReader(r)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	p := &parser{in: &Instance{}}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, &Error{Line: line, Section: p.section, Msg: "unreadable line: " + err.Error()}
		}
		if err := p.record(line, rec); err != nil {
			return nil, err
		}
	}
	return p.finish()
}

type parser struct {
	in      *Instance
	section string // META, PROJECTS, VOTES
	header  []string
	seen    map[string]bool
	// raw amounts, scaled once all are read
	budget    string
	budgetAt  int
	costs     []string
	costAt    []int
	index     map[string]int
	votes     [][]voteItem
	voteLines []int
	line      int
	metaAt    int
}

type voteItem struct {
	p      int
	points int
}

func (p *parser) fail(line int, format string, args ...any) error {
	return &Error{Line: line, Section: p.section, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) record(line int, rec []string) error {
	p.line = line
	if line == 1 && len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	if len(rec) == 1 {
		switch s := strings.ToUpper(rec[0]); s {
		case "META", "PROJECTS", "VOTES":
			if p.seen[s] {
				return p.fail(line, "section %s appears twice", s)
			}
			if p.seen == nil {
				p.seen = map[string]bool{}
			}
			want := map[string]string{"META": "", "PROJECTS": "META", "VOTES": "PROJECTS"}[s]
			if p.section != want {
				return p.fail(line, "section %s must come after %s", s, orStart(want))
			}
			p.seen[s] = true
			p.section, p.header = s, nil
			if s == "META" {
				p.metaAt = line
			}
			return nil
		}
	}
	if p.section == "" {
		return p.fail(line, "the file must start with META")
	}
	if p.header == nil {
		for i := range rec {
			rec[i] = strings.ToLower(rec[i])
		}
		p.header = rec
		return p.checkHeader(line)
	}
	switch p.section {
	case "META":
		return p.meta(line, rec)
	case "PROJECTS":
		return p.project(line, rec)
	default:
		return p.vote(line, rec)
	}
}

func orStart(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}

func (p *parser) col(name string) int {
	for i, h := range p.header {
		if h == name {
			return i
		}
	}
	return -1
}

func (p *parser) checkHeader(line int) error {
	switch p.section {
	case "META":
		if len(p.header) < 2 || p.header[0] != "key" || p.header[1] != "value" {
			return p.fail(line, "the header must be key;value")
		}
	case "PROJECTS":
		if p.col("cost") < 0 {
			return p.fail(line, "the header has no cost column")
		}
	case "VOTES":
		if p.col("vote") < 0 {
			return p.fail(line, "the header has no vote column")
		}
		if p.in.Cumulative && p.col("points") < 0 {
			return p.fail(line, "vote_type is cumulative but the header has no points column")
		}
	}
	return nil
}

func (p *parser) meta(line int, rec []string) error {
	if len(rec) < 2 {
		return p.fail(line, "want key;value, got %q", strings.Join(rec, ";"))
	}
	k, v := strings.ToLower(rec[0]), strings.Join(rec[1:], ";") // an unquoted ; in a value
	for _, kv := range p.in.Meta {
		if kv.Key == k {
			return p.fail(line, "key %q appears twice", k)
		}
	}
	p.in.Meta = append(p.in.Meta, KV{Key: k, Value: v})
	switch k {
	case "budget":
		p.budget, p.budgetAt = v, line
	case "vote_type":
		switch strings.ToLower(v) {
		case "approval", "choose-1": // choose-1: an approval ballot of one project
		case "cumulative":
			p.in.Cumulative = true
		default:
			return p.fail(line, "vote_type %q: only approval and cumulative are counted", v)
		}
	case "max_sum_points":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > tally.MaxSetting {
			return p.fail(line, "max_sum_points %q: want a whole number 1..%d", v, tally.MaxSetting)
		}
		p.in.Points = n
	}
	return nil
}

func (p *parser) field(rec []string, name string) string {
	if i := p.col(name); i >= 0 && i < len(rec) {
		return rec[i]
	}
	return ""
}

// short reports a line too short to hold the named columns.
func (p *parser) short(line int, rec []string, cols ...string) error {
	for _, c := range cols {
		if i := p.col(c); i >= len(rec) {
			return p.fail(line, "%d fields, no %s (column %d of the header)", len(rec), c, i+1)
		}
	}
	return nil
}

func (p *parser) project(line int, rec []string) error {
	if err := p.short(line, rec, "project_id", "cost"); err != nil {
		return err
	}
	id := p.field(rec, "project_id")
	if p.col("project_id") < 0 {
		id = rec[0] // some files name the first column otherwise ("name")
	}
	if id == "" {
		return p.fail(line, "a project without an ID")
	}
	if p.index == nil {
		p.index = map[string]int{}
	}
	if _, dup := p.index[id]; dup {
		return p.fail(line, "project %q appears twice", id)
	}
	cost := p.field(rec, "cost")
	if cost == "" {
		return p.fail(line, "project %q has no cost", id)
	}
	if len(p.in.Projects) >= tally.MaxBudgetProjects {
		return p.fail(line, "more than %d projects", tally.MaxBudgetProjects)
	}
	p.index[id] = len(p.in.Projects)
	p.in.Projects = append(p.in.Projects, Project{ID: id, Name: p.field(rec, "name"), Selected: p.field(rec, "selected") == "1"})
	p.costs = append(p.costs, cost)
	p.costAt = append(p.costAt, line)
	return nil
}

func (p *parser) vote(line int, rec []string) error {
	if err := p.short(line, rec, "vote", "points"); err != nil {
		return err
	}
	ids := splitList(p.field(rec, "vote"))
	var pts []string
	if p.in.Cumulative {
		pts = splitList(p.field(rec, "points"))
		if len(pts) != len(ids) {
			return p.fail(line, "%d projects but %d points", len(ids), len(pts))
		}
	}
	items := make([]voteItem, 0, len(ids))
	seen := map[int]bool{}
	for k, id := range ids {
		i, ok := p.index[id]
		if !ok {
			return p.fail(line, "vote for %q, which is not in PROJECTS", id)
		}
		if seen[i] {
			return p.fail(line, "project %q named twice in one vote", id)
		}
		seen[i] = true
		v := 1
		if p.in.Cumulative {
			n, err := strconv.Atoi(pts[k])
			if err != nil || n < 0 || n > tally.MaxSetting {
				return p.fail(line, "points %q: want a whole number 0..%d", pts[k], tally.MaxSetting)
			}
			v = n
		}
		items = append(items, voteItem{p: i, points: v})
	}
	p.votes = append(p.votes, items)
	p.voteLines = append(p.voteLines, line)
	return nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	out := strings.Split(s, ",")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

func (p *parser) finish() (*Instance, error) {
	in := p.in
	for _, s := range []string{"META", "PROJECTS", "VOTES"} {
		if !p.seen[s] {
			p.section = ""
			return nil, p.fail(p.line, "no %s section", s)
		}
	}
	if p.budget == "" {
		p.section = "META"
		return nil, p.fail(p.metaAt, "no budget")
	}
	// Scale: the most decimals among the budget and the costs.
	amounts := append([]string{p.budget}, p.costs...)
	lines := append([]int{p.budgetAt}, p.costAt...)
	for k, a := range amounts {
		_, frac, ok := strings.Cut(a, ".")
		if ok {
			frac = strings.TrimRight(frac, "0")
			if len(frac) > MaxScale {
				p.section = map[bool]string{true: "META", false: "PROJECTS"}[k == 0]
				return nil, p.fail(lines[k], "amount %q has more than %d decimals", a, MaxScale)
			}
			in.Scale = max(in.Scale, len(frac))
		}
	}
	limit := new(big.Rat).SetFrac64(tally.MaxAmount, pow10(in.Scale))
	parse := func(a string, line int, section string) (int64, error) {
		r, ok := new(big.Rat).SetString(a)
		if !ok || strings.ContainsAny(a, "eE/_") || r.Sign() < 0 || r.Cmp(limit) > 0 {
			p.section = section
			return 0, p.fail(line, "amount %q: want a number 0..%s", a, limit.FloatString(0))
		}
		r.Mul(r, new(big.Rat).SetInt64(pow10(in.Scale)))
		return r.Num().Int64(), nil // an integer: Scale covers every decimal
	}
	var err error
	if in.Budget, err = parse(p.budget, p.budgetAt, "META"); err != nil {
		return nil, err
	}
	if in.Budget == 0 {
		p.section = "META"
		return nil, p.fail(p.budgetAt, "the budget is 0")
	}
	for i := range in.Projects {
		if in.Projects[i].Cost, err = parse(p.costs[i], p.costAt[i], "PROJECTS"); err != nil {
			return nil, err
		}
	}
	if len(in.Projects) == 0 {
		p.section = "PROJECTS"
		return nil, p.fail(p.line, "no project")
	}
	sumMax := 0
	in.Ballots = make([]tally.Ballot, len(p.votes))
	for v, items := range p.votes {
		vals := make([]int, len(in.Projects))
		sum := 0
		for _, it := range items {
			vals[it.p] = it.points
			sum += it.points
		}
		if in.Cumulative && in.Points > 0 && sum > in.Points {
			p.section = "VOTES"
			return nil, p.fail(p.voteLines[v], "%d points given, max_sum_points is %d", sum, in.Points)
		}
		sumMax = max(sumMax, sum)
		in.Ballots[v] = tally.Ballot{Values: vals}
	}
	if in.Cumulative && in.Points == 0 {
		in.Points = max(1, min(sumMax, tally.MaxSetting))
		if sumMax > tally.MaxSetting {
			p.section = "VOTES"
			return nil, p.fail(p.line, "a vote gives more than %d points", tally.MaxSetting)
		}
	}
	return in, nil
}

// Write writes in as a Pabulib file: META in its order (budget, vote_type,
// num_projects and num_votes set from the instance), PROJECTS with
// project_id;cost;name, VOTES with voter_id;vote (and points), voters
// numbered 1, 2, … in order.
func Write(w io.Writer, in *Instance) error {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	set := map[string]string{
		"budget":       FormatAmount(in.Budget, in.Scale),
		"num_projects": strconv.Itoa(len(in.Projects)),
		"num_votes":    strconv.Itoa(len(in.Ballots)),
		"vote_type":    "approval",
	}
	if in.Cumulative {
		set["vote_type"] = "cumulative"
		set["max_sum_points"] = strconv.Itoa(in.Points)
	}
	rows := [][]string{{"META"}, {"key", "value"}}
	done := map[string]bool{}
	for _, kv := range in.Meta {
		v := kv.Value
		if s, ok := set[kv.Key]; ok {
			v = s
		}
		done[kv.Key] = true
		rows = append(rows, []string{kv.Key, v})
	}
	for _, k := range []string{"num_projects", "num_votes", "budget", "vote_type", "max_sum_points"} {
		if v, ok := set[k]; ok && !done[k] {
			rows = append(rows, []string{k, v})
		}
	}
	rows = append(rows, []string{"PROJECTS"}, []string{"project_id", "cost", "name"})
	for _, p := range in.Projects {
		rows = append(rows, []string{p.ID, FormatAmount(p.Cost, in.Scale), p.Name})
	}
	rows = append(rows, []string{"VOTES"})
	if in.Cumulative {
		rows = append(rows, []string{"voter_id", "vote", "points"})
	} else {
		rows = append(rows, []string{"voter_id", "vote"})
	}
	for v, b := range in.Ballots {
		var ids, pts []string
		for i, x := range b.Values {
			if x != 0 {
				ids = append(ids, in.Projects[i].ID)
				pts = append(pts, strconv.Itoa(x))
			}
		}
		row := []string{strconv.Itoa(v + 1), strings.Join(ids, ",")}
		if in.Cumulative {
			row = append(row, strings.Join(pts, ","))
		}
		rows = append(rows, row)
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}
