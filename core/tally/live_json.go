package tally

import (
	"encoding/json"
	"fmt"
)

// liveJSON is the stored form of a Live: the poll it counts and its counts.
type liveJSON struct {
	Method      Method   `json:"method"`
	N           int      `json:"n"`
	Settings    Settings `json:"settings"`
	Ballots     int      `json:"ballots"`
	Weight      int      `json:"weight,omitempty"` // omitted: Ballots (no weighted ballot)
	Counts      []int    `json:"counts,omitempty"`
	Maybes      []int    `json:"maybes,omitempty"`
	JuryCounts  []int    `json:"jury_counts,omitempty"`
	JuryBallots int      `json:"jury_ballots,omitempty"`
	Totals      []int    `json:"totals,omitempty"`
	Profiles    [][]int  `json:"profiles,omitempty"`
}

// MarshalJSON encodes the running tally with the poll it counts, so that a
// store can keep it next to the poll and go on counting after a restart.
func (l *Live) MarshalJSON() ([]byte, error) {
	weight := l.Weight
	if weight == l.Ballots {
		weight = 0
	}
	return json.Marshal(liveJSON{
		Method: l.Method, N: l.n, Settings: l.settings, Ballots: l.Ballots, Weight: weight,
		Counts: l.Counts, Maybes: l.Maybes, JuryCounts: l.JuryCounts, JuryBallots: l.JuryBallots,
		Totals: l.Totals, Profiles: l.Profiles,
	})
}

// UnmarshalJSON restores a running tally encoded by MarshalJSON. It returns an
// error, and leaves l unchanged, when the poll is invalid or the counts do not
// have the shape NewLive gives that poll.
func (l *Live) UnmarshalJSON(raw []byte) error {
	var j liveJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return fmt.Errorf("decode running tally: %w", err)
	}
	fresh, err := NewLive(j.Method, j.N, j.Settings)
	if err != nil {
		return err
	}
	same := func(a, b []int) bool { return len(a) == len(b) }
	if j.Weight == 0 {
		j.Weight = j.Ballots
	}
	ok := j.Ballots >= 0 && j.Weight >= j.Ballots && j.JuryBallots >= 0 && j.JuryBallots <= j.Ballots &&
		same(fresh.Counts, j.Counts) && same(fresh.Maybes, j.Maybes) &&
		same(fresh.JuryCounts, j.JuryCounts) && same(fresh.Totals, j.Totals) &&
		len(fresh.Profiles) == len(j.Profiles)
	for i := 0; ok && i < len(j.Profiles); i++ {
		ok = len(j.Profiles[i]) == len(fresh.Profiles[i])
	}
	if !ok {
		return newError(ProblemSettings, -1, "stored running tally does not fit its poll")
	}
	fresh.Ballots, fresh.Weight, fresh.JuryBallots = j.Ballots, j.Weight, j.JuryBallots
	copy(fresh.Counts, j.Counts)
	copy(fresh.Maybes, j.Maybes)
	copy(fresh.JuryCounts, j.JuryCounts)
	copy(fresh.Totals, j.Totals)
	for i := range fresh.Profiles {
		copy(fresh.Profiles[i], j.Profiles[i])
	}
	*l = *fresh
	return nil
}
