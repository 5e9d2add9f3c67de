package core

import (
	"github.com/engage-org/engage/core/tally"
)

// STVResultFields are an stv poll's count in the export (PollSnapshot.Result,
// whose Rule is scottish or meek): the elected in order of election, the quota
// as a decimal string (Meek: at the last stage), the stages, and the candidates
// between whom only a lot could decide when that lot would change who is
// elected. Votes are decimal strings to the rule's precision (5 decimals
// Scottish, 9 Meek).
type STVResultFields struct {
	Seats    int             `json:"seats"`
	Quota    string          `json:"quota"`
	Elected  []string        `json:"elected"`
	Excluded []string        `json:"excluded"`
	Stages   []STVStageShown `json:"stages"`
	Tied     []string        `json:"tied"`
	LotSeed  *uint64         `json:"lot_seed,omitempty"`
}

// STVStageShown is one stage of an STV count, candidates by label.
type STVStageShown struct {
	Stage           int               `json:"stage"`
	Action          string            `json:"action"`
	Candidates      []string          `json:"candidates"`
	Elected         []string          `json:"elected"`
	Votes           map[string]string `json:"votes"`
	NonTransferable string            `json:"non_transferable"`
	Lot             bool              `json:"lot,omitempty"`
}

// STVRule names the STV rule of settings s: "meek" or "scottish".
func STVRule(s PollSettings) string {
	if s.Meek {
		return "meek"
	}
	return "scottish"
}

// STVSnapshot shapes an STV result with the given candidate labels.
func STVSnapshot(rule string, labels []string, r *tally.Result) *PollResultSnapshot {
	name := func(os []int) []string {
		out := make([]string, 0, len(os))
		for _, o := range os {
			out = append(out, labels[o])
		}
		return out
	}
	out := &PollResultSnapshot{Rule: rule, STVResultFields: STVResultFields{
		Seats: r.Seats, Quota: r.Quota, Elected: name(r.Elected), Excluded: name(r.Excluded),
		Stages: make([]STVStageShown, 0, len(r.Stages)), Tied: name(r.Tied), LotSeed: r.LotSeed,
	}}
	for i, st := range r.Stages {
		votes := make(map[string]string, len(st.Votes))
		for o, v := range st.Votes {
			votes[labels[o]] = tally.FormatFixed(v, r.Decimals)
		}
		out.Stages = append(out.Stages, STVStageShown{
			Stage: i + 1, Action: st.Action, Candidates: name(st.Candidates), Elected: name(st.Elected),
			Votes: votes, NonTransferable: tally.FormatFixed(st.NonTransferable, r.Decimals), Lot: st.Lot,
		})
	}
	return out
}

// PollBLT returns closed stv poll id of community c as a BLT ballot file, for
// a recount with other software: the ballots without who cast them, one line
// per distinct ranking with its count, in a fixed order. Returns CodeNotFound
// for an unknown poll, CodeInvalid ("err.poll_not_stv") for a poll by another
// method and CodeConflict ("err.poll_open") while it is open.
func (tx *Tx) PollBLT(c CommunityID, id string) (*tally.BLT, error) {
	p, err := tx.Poll(c, id)
	if err != nil {
		return nil, err
	}
	if p.Method != tally.STV {
		return nil, Errorf(CodeInvalid, "err.poll_not_stv", "id", p.ID())
	}
	if p.Open() {
		return nil, Errorf(CodeConflict, "err.poll_open", "id", p.ID())
	}
	ballots, err := tx.pollBallots(p)
	if err != nil {
		return nil, err
	}
	f := &tally.BLT{Seats: p.Settings.Seats, Title: p.Question}
	for i := range p.Options {
		f.Candidates = append(f.Candidates, tx.OptionLabel(p, i))
	}
	f.Ballots = tally.RankedGroups(ballots)
	return f, nil
}
