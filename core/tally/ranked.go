package tally

import (
	"math"
	"math/bits"
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

// unranked is the dense rank of an unranked option: below every ranked one.
const unranked = math.MaxUint16

// ranker turns a ballot's ranks into dense ranks: 1 for the best rank used,
// 2 for the next, and so on, and unranked for 0. Two ballots expressing the
// same order then have the same dense ranks. It reuses its storage.
type ranker struct {
	dense   []uint16
	scratch []int
}

func newRanker(n int) ranker {
	return ranker{dense: make([]uint16, n), scratch: make([]int, 0, n)}
}

// rank returns the dense ranks of valid ranked values, valid until the next
// call, and the number of distinct ranks used.
func (rk *ranker) rank(values []int) (dense []uint16, levels int) {
	dense = rk.dense
	// Fast path, the usual case: every rank below 64 fits a bit set, and an
	// option's dense rank is the number of distinct ranks up to its own.
	var present uint64
	small := true
	for _, v := range values {
		if v >= 64 {
			small = false
			break
		}
		present |= 1 << v
	}
	if small {
		present &^= 1 // 0 means unranked, not a rank
		for i, v := range values {
			if v == 0 {
				dense[i] = unranked
				continue
			}
			dense[i] = uint16(bits.OnesCount64(present & (1<<(v+1) - 1)))
		}
		return dense, bits.OnesCount64(present)
	}
	s := rk.scratch[:0]
	for _, v := range values {
		if v > 0 {
			s = append(s, v)
		}
	}
	slices.Sort(s)
	s = slices.Compact(s)
	for i, v := range values {
		if v == 0 {
			dense[i] = unranked
			continue
		}
		r, _ := slices.BinarySearch(s, v)
		dense[i] = uint16(r + 1)
	}
	return dense, len(s)
}

// profile is a set of ranked ballots aggregated by ranking: identical
// rankings, once rank gaps are removed, are stored once with their count.
type profile struct {
	n      int
	counts []int    // ballots per distinct ranking
	ranks  []uint16 // dense ranks, n per ranking: 1 = first, unranked last
}

// group returns the dense ranks of distinct ranking g.
func (p *profile) group(g int) []uint16 {
	return p.ranks[g*p.n : (g+1)*p.n]
}

// packedOptions is the most options whose dense ranks (0..15, 4 bits each)
// pack into a uint64.
const packedOptions = 15

// aggregator builds a profile ballot by ballot. Up to packedOptions options,
// each ballot's ranking packs into a uint64 key; the keys are radix sorted at
// the end so that identical rankings sit side by side. That work is linear in
// ballots and streams through memory, where a hash map's lookups would miss
// the cache more as distinct rankings grow. Larger polls use a map keyed by
// the ranking.
type aggregator struct {
	n     int
	rk    ranker
	keys  []uint64       // packed rankings, n ≤ packedOptions
	index map[string]int // ranking bytes → group, n > packedOptions
	key   []byte
	p     profile
}

// newAggregator returns an aggregator for n options expecting about ballots
// ballots, some of them with a Weight when weighted is set.
func newAggregator(n, ballots int, weighted bool) *aggregator {
	a := &aggregator{n: n, rk: newRanker(n), p: profile{n: n}}
	if n <= packedOptions && !weighted {
		a.keys = make([]uint64, 0, ballots)
	} else {
		a.index = make(map[string]int)
		a.key = make([]byte, 2*n)
	}
	return a
}

func (a *aggregator) add(b Ballot) {
	dense, _ := a.rk.rank(b.Values)
	if a.index == nil {
		var key uint64
		for _, r := range dense {
			if r == unranked {
				r = 0
			}
			key = key<<4 | uint64(r)
		}
		a.keys = append(a.keys, key)
		return
	}
	for i, r := range dense {
		a.key[2*i], a.key[2*i+1] = byte(r), byte(r>>8)
	}
	if g, ok := a.index[string(a.key)]; ok {
		a.p.counts[g] += b.weight()
		return
	}
	a.index[string(a.key)] = len(a.p.counts)
	a.p.counts = append(a.p.counts, b.weight())
	a.p.ranks = append(a.p.ranks, dense...)
}

// profile returns the aggregated ballots. Call it once, after the last add.
func (a *aggregator) profile() *profile {
	if a.index != nil {
		return &a.p
	}
	keys, dense := a.keys, a.rk.dense
	radixSort(keys, 4*a.n)
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		a.p.counts = append(a.p.counts, j-i)
		key := keys[i]
		for o := a.n - 1; o >= 0; o-- {
			r := uint16(key & 0xF)
			if r == 0 {
				r = unranked
			}
			dense[o] = r
			key >>= 4
		}
		a.p.ranks = append(a.p.ranks, dense...)
		i = j
	}
	return &a.p
}

// radixSort sorts keys whose set bits are all below width, 8 bits a pass,
// skipping passes where every key has the same digit.
func radixSort(keys []uint64, width int) {
	if len(keys) < 2 {
		return
	}
	src, dst := keys, make([]uint64, len(keys))
	for shift := 0; shift < width; shift += 8 {
		var at [256]int
		for _, k := range src {
			at[byte(k>>shift)]++
		}
		if at[byte(src[0]>>shift)] == len(src) {
			continue
		}
		sum := 0
		for d, c := range at {
			at[d] = sum
			sum += c
		}
		for _, k := range src {
			d := byte(k >> shift)
			dst[at[d]] = k
			at[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}
