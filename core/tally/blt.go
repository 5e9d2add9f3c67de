package tally

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// BLT is a ballot file in the BLT format read by OpaVote, OpenSTV, eSTV and
// Droop:
//
//	CANDIDATES SEATS
//	-2 -5                   optional: withdrawn candidates, negative
//	(id) WEIGHT C1 C2 … 0   ballots, the id optional, candidates from 1
//	0                       end of ballots
//	"Name 1"                one line per candidate, in double quotes
//	"Title"                 the title; later lines are ignored
//
// Blank lines are skipped. A name or title line without quotes is taken
// whole, as some published files write them.
type BLT struct {
	// Candidates holds the names; option i is candidate i+1 of the file.
	Candidates []string
	Seats      int
	// Withdrawn lists withdrawn options (0-based), as Settings.Withdrawn.
	Withdrawn []int
	// Ballots holds the ballot lines as ranked groups of 0-based options.
	Ballots []RankedGroup
	Title   string
}

// BLTError reports a malformed BLT file: the line (from 1) and what was
// expected there.
type BLTError struct {
	Line int
	Want string
	Got  string
}

func (e *BLTError) Error() string {
	if e.Got == "" {
		return fmt.Sprintf("blt: line %d: want %s", e.Line, e.Want)
	}
	return fmt.Sprintf("blt: line %d: want %s, got %q", e.Line, e.Want, e.Got)
}

// maxBLTLine bounds one line of a BLT file.
const maxBLTLine = 1 << 20

// ParseBLT reads a BLT file. It returns a *BLTError for a malformed file.
func ParseBLT(r io.Reader) (*BLT, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxBLTLine)
	line := 0
	// next returns the next non-blank line, trimmed; ok false at the end.
	next := func() (string, bool) {
		for sc.Scan() {
			line++
			if t := strings.TrimSpace(sc.Text()); t != "" {
				return t, true
			}
		}
		return "", false
	}
	fail := func(want, got string) (*BLT, error) {
		if len(got) > 60 {
			got = got[:60] + "…"
		}
		return nil, &BLTError{Line: line, Want: want, Got: got}
	}
	eof := func(want string) (*BLT, error) {
		if err := sc.Err(); err != nil {
			return nil, &BLTError{Line: line + 1, Want: want, Got: err.Error()}
		}
		return nil, &BLTError{Line: line + 1, Want: want + " before the end of the file"}
	}

	t, ok := next()
	if !ok {
		return eof(`"CANDIDATES SEATS"`)
	}
	head := strings.Fields(t)
	if len(head) != 2 {
		return fail(`"CANDIDATES SEATS", two whole numbers`, t)
	}
	n, err1 := strconv.Atoi(head[0])
	seats, err2 := strconv.Atoi(head[1])
	if err1 != nil || err2 != nil || n < 2 || n > MaxOptions || seats < 1 || seats >= n {
		return fail(fmt.Sprintf(`"CANDIDATES SEATS" with 2 ≤ CANDIDATES ≤ %d and 1 ≤ SEATS < CANDIDATES`, MaxOptions), t)
	}
	f := &BLT{Candidates: make([]string, n), Seats: seats}

	t, ok = next()
	if !ok {
		return eof("a ballot line or 0")
	}
	if strings.HasPrefix(t, "-") {
		seen := make([]bool, n)
		for _, w := range strings.Fields(t) {
			c, err := strconv.Atoi(w)
			if err != nil || c >= 0 || -c > n || seen[-c-1] {
				return fail(fmt.Sprintf("withdrawn candidates as distinct numbers -1..-%d", n), t)
			}
			seen[-c-1] = true
			f.Withdrawn = append(f.Withdrawn, -c-1)
		}
		if t, ok = next(); !ok {
			return eof("a ballot line or 0")
		}
	}

	total := 0
	rank := make([]int, n) // line number + 1 where a candidate was last ranked
	for {
		if t == "0" {
			break
		}
		fields := strings.Fields(t)
		if strings.HasPrefix(fields[0], "(") {
			if !strings.HasSuffix(fields[0], ")") {
				return fail("a ballot id in parentheses, without spaces", t)
			}
			fields = fields[1:]
		}
		const want = `a ballot line "WEIGHT C1 C2 … 0" or 0`
		if len(fields) < 2 {
			return fail(want, t)
		}
		w, err := strconv.Atoi(fields[0])
		if err != nil || w < 0 || w > MaxSTVBallots {
			return fail(fmt.Sprintf("a ballot line starting with a whole weight 0..%d", MaxSTVBallots), t)
		}
		if fields[len(fields)-1] != "0" {
			return fail("a ballot line ending with 0", t)
		}
		order := make([]int, 0, len(fields)-2)
		for _, x := range fields[1 : len(fields)-1] {
			if strings.Contains(x, "=") {
				return fail("one candidate per preference: equal preferences (=) are not allowed in STV", t)
			}
			c, err := strconv.Atoi(x)
			if err != nil || c < 1 || c > n {
				return fail(fmt.Sprintf("candidate numbers 1..%d", n), t)
			}
			if rank[c-1] == line {
				return fail(fmt.Sprintf("each candidate at most once, not candidate %d twice", c), t)
			}
			rank[c-1] = line
			order = append(order, c-1)
		}
		total += w
		if total > MaxSTVBallots {
			return fail(fmt.Sprintf("at most %d ballots in all", MaxSTVBallots), t)
		}
		f.Ballots = append(f.Ballots, RankedGroup{Order: order, Weight: w})
		if t, ok = next(); !ok {
			return eof("a ballot line or 0")
		}
	}

	for i := range n {
		t, ok := next()
		if !ok {
			return eof(fmt.Sprintf("the name of candidate %d of %d", i+1, n))
		}
		name, ok := unquote(t)
		if !ok || name == "" {
			return fail(fmt.Sprintf("the name of candidate %d of %d in double quotes", i+1, n), t)
		}
		f.Candidates[i] = name
	}
	t, ok = next()
	if !ok {
		return eof("the title in double quotes")
	}
	title, ok := unquote(t)
	if !ok {
		return fail("the title in double quotes", t)
	}
	f.Title = title
	return f, nil
}

// unquote returns a name line's text: the first string in double quotes
// when the line starts with one (a doubled quote inside stands for one, as
// in CSV; text after the closing quote is ignored, and a quoted string
// inside the quotes is unwrapped, as some published files write
// """Name"" ""Party"""), else the whole line.
func unquote(t string) (string, bool) {
	if !strings.HasPrefix(t, `"`) {
		return t, true
	}
	var b strings.Builder
	closed := false
	for i := 1; i < len(t); i++ {
		if t[i] != '"' {
			b.WriteByte(t[i])
			continue
		}
		if i+1 < len(t) && t[i+1] == '"' {
			b.WriteByte('"')
			i++
			continue
		}
		closed = true
		break
	}
	if !closed {
		return "", false
	}
	s := strings.TrimSpace(b.String())
	if strings.HasPrefix(s, `"`) {
		return unquote(s)
	}
	return s, true
}

// WriteBLT writes f in the BLT format, one line per ballot group (ids are
// not written). Names and title lose any double quote and line break,
// which the format cannot escape.
func WriteBLT(w io.Writer, f *BLT) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d %d\n", len(f.Candidates), f.Seats)
	if len(f.Withdrawn) > 0 {
		for i, o := range f.Withdrawn {
			if i > 0 {
				bw.WriteByte(' ')
			}
			fmt.Fprintf(bw, "-%d", o+1)
		}
		bw.WriteByte('\n')
	}
	for _, g := range f.Ballots {
		bw.WriteString(strconv.Itoa(g.Weight))
		for _, o := range g.Order {
			bw.WriteByte(' ')
			bw.WriteString(strconv.Itoa(o + 1))
		}
		bw.WriteString(" 0\n")
	}
	bw.WriteString("0\n")
	for _, c := range f.Candidates {
		fmt.Fprintf(bw, "\"%s\"\n", bltText(c))
	}
	fmt.Fprintf(bw, "\"%s\"\n", bltText(f.Title))
	return bw.Flush()
}

// bltText makes s fit one quoted BLT line.
func bltText(s string) string {
	return strings.NewReplacer(`"`, "", "\n", " ", "\r", " ").Replace(s)
}
