package tally

import (
	"math/big"
	"slices"
)

// irvCounter runs instant-runoff rounds until the options left all tie (one
// option left is the simplest case). A ballot counts for its best-ranked
// options still in the race, split equally when it ranks several of them
// equal best; all options tied for the fewest votes are eliminated together.
// Rounds run over the aggregated ballots, each distinct ranking once.
type irvCounter struct{ agg *aggregator }

func (c *irvCounter) add(b Ballot) { c.agg.add(b) }

func (c *irvCounter) finish(r *Result) {
	p := c.agg.profile()
	n := p.n
	// Each distinct ranking as options in rank order (ranked options only),
	// with their dense ranks, so a round walks a ballot from its current best.
	start := make([]int, len(p.counts)+1)
	order := make([]uint16, 0, len(p.ranks))
	rankOf := make([]uint16, 0, len(p.ranks))
	byRank := make([][]uint16, n+1)
	for g := range p.counts {
		for rk := range byRank {
			byRank[rk] = byRank[rk][:0]
		}
		for i, rk := range p.group(g) {
			if rk != unranked {
				byRank[rk] = append(byRank[rk], uint16(i))
			}
		}
		for rk := 1; rk <= n; rk++ {
			for _, o := range byRank[rk] {
				order = append(order, o)
				rankOf = append(rankOf, uint16(rk))
			}
		}
		start[g+1] = len(order)
	}
	pos := slices.Clone(start[:len(p.counts)]) // first tier that may hold a live option

	alive := make([]bool, n)
	for i := range alive {
		alive[i] = true
	}
	left := n
	var eliminated [][]int
	// split[o*(n+1)+k]: ballots giving option o a 1/k share this round.
	split := make([]int, n*(n+1))
	for {
		clear(split)
		exhausted := 0
		for g, c := range p.counts {
			end := start[g+1]
			q := pos[g]
			for q < end {
				// The tier [q, t) shares one rank; count its live options.
				t, live := q, 0
				for t < end && rankOf[t] == rankOf[q] {
					if alive[order[t]] {
						live++
					}
					t++
				}
				if live > 0 {
					for _, o := range order[q:t] {
						if alive[o] {
							split[int(o)*(n+1)+live] += c
						}
					}
					break
				}
				q = t
			}
			pos[g] = q
			if q == end {
				exhausted += c
			}
		}

		round := Round{Votes: make([]*big.Rat, n), Exhausted: exhausted}
		var fewest *big.Rat
		for o := range n {
			if !alive[o] {
				continue
			}
			v := new(big.Rat)
			for k := 1; k <= n; k++ {
				if c := split[o*(n+1)+k]; c > 0 {
					v.Add(v, big.NewRat(int64(c), int64(k)))
				}
			}
			round.Votes[o] = v
			if fewest == nil || v.Cmp(fewest) < 0 {
				fewest = v
			}
		}
		var out []int
		for o := range n {
			if alive[o] && round.Votes[o].Cmp(fewest) == 0 {
				out = append(out, o)
			}
		}
		if len(out) == left {
			r.Rounds = append(r.Rounds, round)
			r.Ranking = append(r.Ranking, out)
			break
		}
		round.Eliminated = out
		r.Rounds = append(r.Rounds, round)
		eliminated = append(eliminated, out)
		for _, o := range out {
			alive[o] = false
		}
		left -= len(out)
	}
	for i := len(eliminated) - 1; i >= 0; i-- {
		r.Ranking = append(r.Ranking, slices.Clone(eliminated[i]))
	}
}
