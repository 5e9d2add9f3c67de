package tally

import (
	"math"
	"slices"
)

// checkRanked accepts ranks ≥ 0 (0 = unranked). Gaps and equal ranks are
// fine: only the order of the ranks counts.
func checkRanked(b Ballot) *Error {
	for i, v := range b.Values {
		if v < 0 {
			return newError(ProblemValue, i, "option %d: rank %d, want 1 or more, or 0 for unranked", i, v)
		}
	}
	return nil
}

// unranked is the dense rank of an unranked option: below every ranked one.
const unranked = math.MaxUint16

// profile is a set of ranked ballots aggregated by ranking: identical
// rankings, once rank gaps are removed, are stored once with their count.
// This makes a count's work grow with distinct rankings, not ballots.
type profile struct {
	n      int
	counts []int    // ballots per distinct ranking
	ranks  []uint16 // dense ranks, n per ranking: 1 = first, unranked last
}

// group returns the dense ranks of distinct ranking g.
func (p *profile) group(g int) []uint16 {
	return p.ranks[g*p.n : (g+1)*p.n]
}

// aggregate builds the profile of valid ranked ballots.
func aggregate(n int, ballots []Ballot) *profile {
	p := &profile{n: n}
	index := make(map[string]int)
	key := make([]byte, 2*n)
	dense := make([]uint16, n)
	distinct := make([]int, 0, n)
	for _, b := range ballots {
		denseRanks(b.Values, distinct, dense)
		for i, r := range dense {
			key[2*i], key[2*i+1] = byte(r), byte(r>>8)
		}
		if g, ok := index[string(key)]; ok {
			p.counts[g]++
			continue
		}
		index[string(key)] = len(p.counts)
		p.counts = append(p.counts, 1)
		p.ranks = append(p.ranks, dense...)
	}
	return p
}

// denseRanks writes into dense the rank of each value among the ballot's
// distinct positive values (1 = smallest), or unranked for 0. scratch is
// reused storage.
func denseRanks(values []int, scratch []int, dense []uint16) {
	scratch = scratch[:0]
	for _, v := range values {
		if v > 0 {
			scratch = append(scratch, v)
		}
	}
	slices.Sort(scratch)
	scratch = slices.Compact(scratch)
	for i, v := range values {
		if v == 0 {
			dense[i] = unranked
			continue
		}
		r, _ := slices.BinarySearch(scratch, v)
		dense[i] = uint16(r + 1)
	}
}

// bestRank returns the best (smallest positive) rank on a valid ranked
// ballot, or 0 for a blank ballot.
func bestRank(b Ballot) int {
	best := 0
	for _, v := range b.Values {
		if v > 0 && (best == 0 || v < best) {
			best = v
		}
	}
	return best
}
