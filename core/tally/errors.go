package tally

import "fmt"

// Problem says what makes a poll or a ballot uncountable. The values are
// stable strings, for logs and for choosing the message a member sees; core
// maps every Problem to its invalid-input code.
type Problem string

// The problems Validate, Count and Live report.
const (
	ProblemMethod   Problem = "method"    // the method is not one of Methods()
	ProblemOptions  Problem = "options"   // the number of options is outside 1..MaxOptions
	ProblemSettings Problem = "settings"  // a setting the method reads is out of range
	ProblemLength   Problem = "length"    // the ballot does not hold one value per option
	ProblemValue    Problem = "value"     // a value the method does not allow (rank < 0, score off the scale, …)
	ProblemChoice   Problem = "choice"    // single, contest: not exactly one option chosen
	ProblemDots     Problem = "dots"      // dot: more dots than Settings.Dots
	ProblemJury     Problem = "jury"      // Ballot.Jury set outside a contest
	ProblemNotAdded Problem = "not_added" // Live.Remove: the ballot cannot have been added
	ProblemWeight   Problem = "weight"    // Ballot.Weight outside 0..MaxWeight
	// ProblemEqualRanks: stv, two options share a rank (A = B), which an STV
	// paper cannot express.
	ProblemEqualRanks Problem = "equal_ranks"
)

// Error reports why a poll or a ballot cannot be counted. Detail is English
// for logs, not for members: render Problem and Option through prompts.
type Error struct {
	Problem Problem
	// Ballot is the index of the malformed ballot in the slice given to
	// Count, or -1 (Validate, Live, or a problem with the poll itself).
	Ballot int
	// Option is the option whose value is wrong, or -1.
	Option int
	// Detail describes the problem, for logs.
	Detail string
}

// Error returns the detail, prefixed with the ballot index when known.
func (e *Error) Error() string {
	if e.Ballot >= 0 {
		return fmt.Sprintf("tally: ballot %d: %s", e.Ballot, e.Detail)
	}
	return "tally: " + e.Detail
}
