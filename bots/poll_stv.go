package bots

import (
	"strings"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// stvResultView is what the result message of an stv poll shows: the elected
// in order of election, the quota, and a compact line per stage.
type stvResultView struct {
	ID, Question    string
	Meek            bool
	Seats           int
	Ballots, Valid  int
	QuorumMet       bool
	Quorum          int
	Quota           string
	Elected, Tied   []string
	Stages          []stvStageView
	LotSeed         uint64
	Lots            bool
	NonTransferable string // at the last stage
}

// stvStageView is one stage in the result message.
type stvStageView struct {
	N               int
	Action          string // first, surplus, excluded, elected
	Candidates      string
	Elected         string
	NonTransferable string
	Lot             bool
}

// stvResult returns what the stv result message shows in lang.
func (c *turn) pollSTVResult(p *core.Poll, res *tally.Result, lang string) stvResultView {
	label := func(os []int) []string {
		out := make([]string, 0, len(os))
		for _, o := range os {
			out = append(out, c.tx.OptionLabel(p, o))
		}
		return out
	}
	v := stvResultView{
		ID: p.ID(), Question: p.Question, Meek: p.Settings.Meek, Seats: res.Seats,
		Ballots: res.Ballots, Valid: res.Valid, QuorumMet: p.QuorumMet, Quorum: p.Settings.Quorum,
		Elected: label(res.Elected), Tied: label(res.Tied),
	}
	if res.LotSeed != nil {
		v.Lots, v.LotSeed = true, *res.LotSeed
	}
	if len(res.Stages) > 0 {
		v.Quota = compactFixed(res.Stages[len(res.Stages)-1].Quota, res.Decimals, lang)
		v.NonTransferable = compactFixed(res.Stages[len(res.Stages)-1].NonTransferable, res.Decimals, lang)
	}
	for i, st := range res.Stages {
		v.Stages = append(v.Stages, stvStageView{
			N: i + 1, Action: st.Action, Candidates: strings.Join(label(st.Candidates), ", "),
			Elected: strings.Join(label(st.Elected), ", "), Lot: st.Lot,
			NonTransferable: compactFixed(st.NonTransferable, res.Decimals, lang),
		})
	}
	return v
}

// compactFixed shows a fixed-point vote (units of 10^-decimals) for a chat:
// rounded half up to 2 decimals, trailing zeros dropped, a decimal comma in
// French. The export and `engage count` give the exact figures.
func compactFixed(v int64, decimals int, lang string) string {
	unit := int64(1)
	for range decimals - 2 {
		unit *= 10
	}
	s := tally.FormatFixed((v+unit/2)/unit, 2)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
