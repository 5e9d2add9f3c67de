package tally_test

import (
	"fmt"

	"github.com/engage-org/engage/core/tally"
)

// Instant-runoff on ranked ballots: 1 = first choice, equal ranks tie, 0 =
// unranked. Options: 0 Memphis, 1 Nashville, 2 Chattanooga, 3 Knoxville.
func ExampleCount() {
	var ballots []tally.Ballot
	for _, group := range []struct {
		count int
		ranks []int
	}{
		{42, []int{1, 2, 3, 4}}, // Memphis > Nashville > Chattanooga > Knoxville
		{26, []int{4, 1, 2, 3}}, // Nashville > Chattanooga > Knoxville > Memphis
		{15, []int{4, 3, 1, 2}}, // Chattanooga > Knoxville > Nashville > Memphis
		{17, []int{4, 3, 2, 1}}, // Knoxville > Chattanooga > Nashville > Memphis
	} {
		for range group.count {
			ballots = append(ballots, tally.Ballot{Values: group.ranks})
		}
	}
	r, err := tally.Count(tally.IRV, 4, ballots, tally.Settings{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("ranking:", r.Ranking)
	for i, round := range r.Rounds {
		fmt.Println("round", i+1, round.Votes, "eliminated", round.Eliminated)
	}
	// Output:
	// ranking: [[3] [0] [1] [2]]
	// round 1 [42/1 26/1 15/1 17/1] eliminated [2]
	// round 2 [42/1 26/1 <nil> 32/1] eliminated [1]
	// round 3 [42/1 <nil> <nil> 58/1] eliminated [0]
	// round 4 [<nil> <nil> <nil> 100/1] eliminated []
}

// A running tally for a poll message: changing a ballot is Remove then Add.
func ExampleLive() {
	l, err := tally.NewLive(tally.Date, 3, tally.Settings{})
	if err != nil {
		fmt.Println(err)
		return
	}
	report := func(err error) {
		if err != nil {
			fmt.Println(err)
		}
	}
	first := tally.Ballot{Values: []int{2, 1, 0}} // yes, maybe, no
	report(l.Add(first))
	report(l.Add(tally.Ballot{Values: []int{2, 2, 0}}))
	report(l.Remove(first)) // the member changes their ballot
	report(l.Add(tally.Ballot{Values: []int{0, 2, 1}}))
	fmt.Println("ballots", l.Ballots, "yes", l.Counts, "maybe", l.Maybes)
	// Output:
	// ballots 2 yes [1 2 0] maybe [0 0 1]
}
