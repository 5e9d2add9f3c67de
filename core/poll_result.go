package core

import "encoding/json"

// PollResultSnapshot is what a closed poll's count holds beyond its ranking, for
// the methods that have more: an stv poll's count (STVResultFields; Rule is
// scottish or meek) and a budget poll's outcome (BudgetResultFields; Rule is mes
// or greedy). Only the fields of the poll's method are written.
type PollResultSnapshot struct {
	Rule string `json:"rule"`
	STVResultFields
	BudgetResultFields
}

// BudgetResultFields are a closed budget poll's outcome: the budget and its
// currency, the funded options' labels in the order funded, the money spent
// (minor units of Currency), and what the greedy rule alone would have funded.
type BudgetResultFields struct {
	Budget   int64    `json:"budget"`
	Currency string   `json:"currency"`
	Selected []string `json:"selected"`
	Spent    int64    `json:"spent"`
	Greedy   []string `json:"greedy"`
}

// MarshalJSON writes the rule and the fields of the poll's method only.
func (r PollResultSnapshot) MarshalJSON() ([]byte, error) {
	if r.Selected != nil || r.Greedy != nil {
		return json.Marshal(struct {
			Rule string `json:"rule"`
			BudgetResultFields
		}{r.Rule, r.BudgetResultFields})
	}
	return json.Marshal(struct {
		Rule string `json:"rule"`
		STVResultFields
	}{r.Rule, r.STVResultFields})
}
