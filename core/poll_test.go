package core_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
	"github.com/google/go-cmp/cmp"
)

func opts(labels ...string) []core.PollOption {
	var out []core.PollOption
	for _, l := range labels {
		out = append(out, core.PollOption{Label: l})
	}
	return out
}

// openPoll opens a poll as m and fails the test on an error.
func openPoll(t *testing.T, e *core.Engine, m *core.Member, spec core.PollSpec) *core.Poll {
	t.Helper()
	var p *core.Poll
	update(t, e, func(tx *core.Tx) error {
		var err error
		p, err = tx.OpenPoll(m, spec)
		return err
	})
	return p
}

// vote casts values as m in poll id.
func vote(t *testing.T, e *core.Engine, m *core.Member, id string, values ...int) *core.VoteReceipt {
	t.Helper()
	var rc *core.VoteReceipt
	update(t, e, func(tx *core.Tx) error {
		p, err := tx.Poll(m.Community, id)
		if err != nil {
			return err
		}
		rc, err = tx.Vote(m, p, values)
		return err
	})
	return rc
}

func poll(t *testing.T, e *core.Engine, c core.CommunityID, id string) *core.Poll {
	t.Helper()
	var p *core.Poll
	if err := e.View(t.Context(), func(tx *core.Tx) error {
		var err error
		p, err = tx.Poll(c, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return p
}

// Ensure a poll's method, question, options and settings are checked when it opens,
// and defaults are applied.
func TestOpenPoll(t *testing.T) {
	e, _ := newEngine(t)
	c, alice := community(t, e)
	future := start.Add(48 * time.Hour)
	tests := []struct {
		name string
		spec core.PollSpec
		want core.Code
	}{
		{"OK", core.PollSpec{Method: tally.Single, Question: "Lunch?", Options: opts("Pizza", "Salad")}, ""},
		{"ErrMethod", core.PollSpec{Method: "plurality", Question: "Q", Options: opts("A", "B")}, core.CodeInvalid},
		{"ErrNoQuestion", core.PollSpec{Method: tally.Single, Question: "  ", Options: opts("A", "B")}, core.CodeInvalid},
		{"ErrOneOption", core.PollSpec{Method: tally.Single, Question: "Q", Options: opts("A")}, core.CodeInvalid},
		{"ErrTooManyOptions", core.PollSpec{Method: tally.Single, Question: "Q", Options: opts("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21")}, core.CodeInvalid},
		{"ErrDuplicate", core.PollSpec{Method: tally.Single, Question: "Q", Options: opts("Café", "cafe")}, core.CodeInvalid},
		{"ErrSeparator", core.PollSpec{Method: tally.Approval, Question: "Q", Options: opts("A, B", "C")}, core.CodeInvalid},
		{"ErrEmptyOption", core.PollSpec{Method: tally.Single, Question: "Q", Options: opts("A", " ")}, core.CodeInvalid},
		{"ErrMissingProject", core.PollSpec{Method: tally.Single, Question: "Q", Options: opts("P1", "P9")}, core.CodeNotFound},
		{"ErrDateWithoutSlot", core.PollSpec{Method: tally.Date, Question: "Q", Options: opts("Monday", "Tuesday")}, core.CodeInvalid},
		{"ErrSlotPast", core.PollSpec{Method: tally.Date, Question: "Q", Options: []core.PollOption{{Label: "a", Slot: start.Add(-time.Hour)}, {Label: "b", Slot: future}}}, core.CodeInvalid},
		{"ErrScaleOnSingle", core.PollSpec{Method: tally.Single, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{ScaleMax: 10}}, core.CodeInvalid},
		{"ErrScaleUpsideDown", core.PollSpec{Method: tally.Score, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{ScaleMin: 5, ScaleMax: 1}}, core.CodeInvalid},
		{"ErrDotsOnScore", core.PollSpec{Method: tally.Score, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{Dots: 3}}, core.CodeInvalid},
		{"ErrTooManyDots", core.PollSpec{Method: tally.Dot, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{Dots: 5000}}, core.CodeInvalid},
		{"ErrOneGrade", core.PollSpec{Method: tally.Judgment, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{Grades: []string{"ok"}}}, core.CodeInvalid},
		{"ErrSameGrades", core.PollSpec{Method: tally.Judgment, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{Grades: []string{"ok", "OK"}}}, core.CodeInvalid},
		{"ErrJuryOnSingle", core.PollSpec{Method: tally.Single, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{Jury: []core.PersonID{alice.Person}}}, core.CodeInvalid},
		{"ErrWeightWithoutJury", core.PollSpec{Method: tally.Contest, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{JuryWeight: 40}}, core.CodeInvalid},
		{"ErrWeight", core.PollSpec{Method: tally.Contest, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{Jury: []core.PersonID{alice.Person}, JuryWeight: 140}}, core.CodeInvalid},
		{"ErrUntilPast", core.PollSpec{Method: tally.Single, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{Until: start}}, core.CodeInvalid},
		{"ErrQuorum", core.PollSpec{Method: tally.Single, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{Quorum: -1}}, core.CodeInvalid},
	}
	update(t, e, func(tx *core.Tx) error { _, err := tx.CreateProject(alice, "Garden", ""); return err })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := refused(t, e, func(tx *core.Tx) error { _, err := tx.OpenPoll(alice, tt.spec); return err })
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	// Defaults, projects and the deadline job.
	p := openPoll(t, e, alice, core.PollSpec{Method: tally.Score, Question: "Which?", Options: opts("p1", "Other"), Settings: core.PollSettings{Until: future}})
	if p.ID() != "V2" || p.Settings.ScaleMin != 0 || p.Settings.ScaleMax != 5 {
		t.Fatalf("got %s scale %d-%d, want V2 scale 0-5", p.ID(), p.Settings.ScaleMin, p.Settings.ScaleMax)
	}
	if p.Options[0].Label != "P1" || p.Options[0].Project != 1 {
		t.Fatalf("got option %+v, want project P1", p.Options[0])
	}
	d := openPoll(t, e, alice, core.PollSpec{Method: tally.Dot, Question: "Dots", Options: opts("A", "B")})
	j := openPoll(t, e, alice, core.PollSpec{Method: tally.Contest, Question: "Prize", Options: opts("A", "B"), Settings: core.PollSettings{Jury: []core.PersonID{alice.Person, alice.Person}}})
	if d.Settings.Dots != 8 || j.Settings.JuryWeight != 50 || len(j.Settings.Jury) != 1 {
		t.Fatalf("got dots %d, jury weight %d, jury %v; want 8, 50, one juror", d.Settings.Dots, j.Settings.JuryWeight, j.Settings.Jury)
	}
	if err := e.View(t.Context(), func(tx *core.Tx) error {
		job, err := tx.ScheduledJob("poll-close:" + string(c.ID) + ":V2")
		if err != nil {
			return err
		}
		if job == nil || !job.Due.Equal(future) || job.Kind != core.JobPollClose || job.Ref != "V2" {
			t.Errorf("got job %+v, want poll_close of V2 at %v", job, future)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// Ensure a member has one ballot that they may change until close, the running
// tally follows every change, closing is for the author and facilitators, and a
// closed poll takes no ballot.
func TestVote(t *testing.T) {
	e, _ := newEngine(t)
	c, alice := community(t, e)
	bob, carol := member(t, e, c, "bob"), member(t, e, c, "carol")
	p := openPoll(t, e, alice, core.PollSpec{Method: tally.Single, Question: "Lunch?", Options: opts("Pizza", "Salad", "Soup"), Settings: core.PollSettings{Quorum: 2}})
	if rc := vote(t, e, bob, p.ID(), 1, 0, 0); rc.Changed {
		t.Fatal("first ballot reported as changed")
	}
	vote(t, e, carol, p.ID(), 0, 1, 0)
	if rc := vote(t, e, bob, p.ID(), 0, 1, 0); !rc.Changed {
		t.Fatal("second ballot not reported as changed")
	}
	got := poll(t, e, c.ID, "V1").Live
	if got.Ballots != 2 || !cmp.Equal(got.Counts, []int{0, 2, 0}) {
		t.Fatalf("got %d ballots %v, want 2 [0 2 0]", got.Ballots, got.Counts)
	}
	if code := refused(t, e, func(tx *core.Tx) error {
		p, _ := tx.Poll(c.ID, "V1")
		_, err := tx.Vote(bob, p, []int{1, 1, 0})
		return err
	}); code != core.CodeInvalid {
		t.Fatalf("two choices: got %q, want invalid", code)
	}
	close := func(m *core.Member) core.Code {
		return refused(t, e, func(tx *core.Tx) error {
			p, err := tx.Poll(c.ID, "v1")
			if err != nil {
				return err
			}
			_, err = tx.ClosePoll(m, p)
			return err
		})
	}
	if code := close(bob); code != core.CodeForbidden {
		t.Fatalf("member closes: got %q, want forbidden", code)
	}
	if code := close(alice); code != "" {
		t.Fatalf("author closes: got %q", code)
	}
	if code := close(alice); code != core.CodeConflict {
		t.Fatalf("close twice: got %q, want conflict", code)
	}
	if code := refused(t, e, func(tx *core.Tx) error {
		p, _ := tx.Poll(c.ID, "V1")
		_, err := tx.Vote(carol, p, []int{1, 0, 0})
		return err
	}); code != core.CodeConflict {
		t.Fatalf("vote on a closed poll: got %q, want conflict", code)
	}
	var snap *core.Snapshot
	if err := e.View(t.Context(), func(tx *core.Tx) error {
		var err error
		snap, err = tx.Snapshot()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	ps := snap.Communities[0].Polls[0]
	want := core.PollSnapshot{ID: "V1", Method: "single", Status: "closed", Ballots: 2, Ranking: [][]string{{"Salad"}, {"Pizza", "Soup"}},
		Question: "Lunch?", Options: []string{"Pizza", "Salad", "Soup"}, Quorum: 2, QuorumMet: ps.QuorumMet, Closed: ps.Closed}
	if diff := cmp.Diff(want, ps); diff != "" || ps.QuorumMet == nil || !*ps.QuorumMet {
		t.Fatalf("export (-want +got):\n%s", diff)
	}
}

// Ensure a poll that missed its quorum decides nothing, and a closed poll's outcome
// gives the method's weights.
func TestPollOutcome(t *testing.T) {
	e, _ := newEngine(t)
	c, alice := community(t, e)
	bob := member(t, e, c, "bob")
	closePoll := func(id string) {
		update(t, e, func(tx *core.Tx) error {
			p, err := tx.Poll(c.ID, id)
			if err != nil {
				return err
			}
			_, err = tx.ClosePoll(alice, p)
			return err
		})
	}
	openPoll(t, e, alice, core.PollSpec{Method: tally.Score, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{ScaleMin: -2, ScaleMax: 2, Quorum: 3}})
	vote(t, e, alice, "V1", 2, -2)
	vote(t, e, bob, "V1", 1, 0)
	if code := refused(t, e, func(tx *core.Tx) error { _, err := tx.PollOutcome(c.ID, "V1"); return err }); code != core.CodeConflict {
		t.Fatalf("outcome of an open poll: got %q, want conflict", code)
	}
	closePoll("V1")
	var out *core.PollOutcome
	update(t, e, func(tx *core.Tx) error {
		var err error
		out, err = tx.PollOutcome(c.ID, "V1")
		return err
	})
	if len(out.Ranking) != 0 || out.Ballots != 2 {
		t.Fatalf("quorum missed: got ranking %v and %d ballots, want none and 2", out.Ranking, out.Ballots)
	}
	// Totals above the scale's minimum: A 3+4 = 7, B 0+2 = 2.
	if out.Weights[0].Cmp(big.NewRat(7, 1)) != 0 || out.Weights[1].Cmp(big.NewRat(2, 1)) != 0 {
		t.Fatalf("got weights %v, want [7 2]", out.Weights)
	}
	if w, ok := out.IntWeights(); !ok || !cmp.Equal(w, []int64{7, 2}) {
		t.Fatalf("got integer weights %v, %v", w, ok)
	}
	// Borda points in halves scale to whole numbers in the same proportions.
	half := &core.PollOutcome{Weights: []*big.Rat{big.NewRat(5, 2), big.NewRat(1, 3), big.NewRat(0, 1)}}
	if w, ok := half.IntWeights(); !ok || !cmp.Equal(w, []int64{15, 2, 0}) {
		t.Fatalf("got integer weights %v, %v, want [15 2 0]", w, ok)
	}
	openPoll(t, e, alice, core.PollSpec{Method: tally.Schulze, Question: "Q", Options: opts("A", "B")})
	vote(t, e, bob, "V2", 2, 1)
	closePoll("V2")
	update(t, e, func(tx *core.Tx) error {
		var err error
		out, err = tx.PollOutcome(c.ID, "V2")
		return err
	})
	if !cmp.Equal(out.Ranking, [][]int{{1}, {0}}) || out.Weights != nil {
		t.Fatalf("got ranking %v weights %v, want [[1] [0]] and none", out.Ranking, out.Weights)
	}
	if _, ok := out.IntWeights(); ok {
		t.Fatal("Schulze has integer weights")
	}
}

// Ensure a running tally kept in the store survives a restart of the engine.
func TestPoll_LiveStored(t *testing.T) {
	e, _ := newEngine(t)
	c, alice := community(t, e)
	openPoll(t, e, alice, core.PollSpec{Method: tally.Judgment, Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{Grades: []string{"bad", "ok", "great"}}})
	vote(t, e, alice, "V1", 2, 0)
	l := poll(t, e, c.ID, "V1").Live
	if !cmp.Equal(l.Profiles, [][]int{{0, 0, 1}, {1, 0, 0}}) {
		t.Fatalf("got profiles %v", l.Profiles)
	}
	vote(t, e, alice, "V1", 1, 1)
	l = poll(t, e, c.ID, "V1").Live
	if l.Ballots != 1 || !cmp.Equal(l.Profiles, [][]int{{0, 1, 0}, {0, 1, 0}}) {
		t.Fatalf("after a change got %d ballots, profiles %v", l.Ballots, l.Profiles)
	}
}
