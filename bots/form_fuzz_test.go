package bots

import (
	"strconv"
	"testing"

	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// Ensure a form field accepts as typed exactly what its command accepts: an amount
// field what core.ParseAmount reads, a count field whole numbers from 0 to Max.
func FuzzFieldCheck(f *testing.F) {
	for _, s := range []string{"25", "25,50", "1 000 €", "ten", "-5", "0", "25.505", "$30", "2 000 000", "10", "10001", "2.5", " 7 ", ""} {
		f.Add(s)
	}
	amount := Field{Label: "How much?", Check: outbox.CheckAmount, Currency: "EUR", Max: 1_000_000}
	count := Field{Label: "Hours?", Check: outbox.CheckCount, Max: core.MaxHours}
	f.Fuzz(func(t *testing.T, v string) {
		_, perr := core.ParseAmount(v, "EUR", 1_000_000)
		if err := checkField(amount, v, nil); v != "" && (err == nil) != (perr == nil) {
			t.Fatalf("%q: field says %v, ParseAmount %v", v, err, perr)
		}
		err := checkField(count, v, nil)
		n, aerr := strconv.Atoi(v)
		ok := v == "" || aerr == nil && n >= 0 && n <= core.MaxHours
		if (err == nil) != ok {
			t.Fatalf("%q: field says %v", v, err)
		}
		if err != nil && core.ErrorCode(err) != core.CodeInvalid {
			t.Fatalf("%q: %v is no refusal", v, err)
		}
	})
}
