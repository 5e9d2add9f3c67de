package tally

import "testing"

// Ensure each kind names the method at its index in Methods(), which
// checkPoll relies on to resolve a Method.
func TestKind_FollowsMethods(t *testing.T) {
	want := map[kind]Method{
		kSingle: Single, kApproval: Approval, kIRV: IRV, kSchulze: Schulze, kBorda: Borda,
		kScore: Score, kDot: Dot, kJudgment: Judgment, kDate: Date, kContest: Contest, kSTV: STV,
	}
	methods := Methods()
	if len(methods) != len(want) {
		t.Fatalf("got %v methods, want %v", len(methods), len(want))
	}
	for k, m := range want {
		if got := methods[k]; got != m {
			t.Errorf("Methods()[%d]: got %v, want %v", k, got, m)
		}
	}
}
