package core_test

import (
	"strings"
	"testing"

	"github.com/engage-org/engage/core"
)

// Ensure amounts typed as people type them are read exactly.
func TestParseAmount_OK(t *testing.T) {
	tests := []struct {
		text, cur string
		want      int64
	}{
		{"25", "EUR", 2500},
		{"25.50", "EUR", 2550},
		{"25,50", "EUR", 2550},
		{"25,5", "EUR", 2550},
		{"1 000 €", "EUR", 100000},
		{"€25", "EUR", 2500},
		{"€ 25", "EUR", 2500},
		{"1 000,50", "EUR", 100050},
		{"1\u00a0000,50\u00a0€", "EUR", 100050},
		{"1\u202f000 €", "EUR", 100000},
		{"1,000.50", "USD", 100050},
		{"1,000,000", "USD", 100000000},
		{"25,000", "TND", 25000},
		{"$1,000.50", "USD", 100050},
		{"$25", "CAD", 2500},
		{"1.000,50", "EUR", 100050},
		{"1.000.000", "EUR", 100000000},
		{"1'000", "CHF", 100000},
		{"25 EUR", "EUR", 2500},
		{"eur 25", "EUR", 2500},
		{"0,50", "EUR", 50},
		{",50", "EUR", 50},
		{"200 000", "JPY", 200000},
		{"¥5000", "JPY", 5000},
		{"12.345", "TND", 12345},
		{"1 000 000", "EUR", 100000000},
		{"007", "EUR", 700},
	}
	for _, tt := range tests {
		t.Run(tt.text+"_"+tt.cur, func(t *testing.T) {
			got, err := core.ParseAmount(tt.text, tt.cur, core.DefaultPledgeCeiling)
			if err != nil {
				t.Fatalf("got %v", err)
			}
			if got.Amount != tt.want || got.Currency != tt.cur {
				t.Fatalf("got %+v, want %d %s", got, tt.want, tt.cur)
			}
		})
	}
}

// Ensure bad amounts are refused with the message that says why.
func TestParseAmount_Refused(t *testing.T) {
	tests := []struct {
		text, cur, key string
	}{
		{"-25", "EUR", "err.amount_negative"},
		{"−25 €", "EUR", "err.amount_negative"},
		{"€-5", "EUR", "err.amount_negative"},
		{"0", "EUR", "err.amount_zero"},
		{"0,00 €", "EUR", "err.amount_zero"},
		{"25.505", "TND", ""}, // three decimals: fine for TND (checked below)
		{"25.5055", "EUR", "err.amount_decimals"},
		{"1,5", "JPY", "err.amount_decimals"},
		{"1,000", "EUR", "err.amount_decimals"},
		{"25.505", "EUR", "err.amount_decimals"},
		{"25,000", "JPY", "err.amount_decimals"},
		{"25.50", "JPY", "err.amount_decimals"},
		{"1 000 001", "EUR", "err.amount_ceiling"},
		{"1 000 000,01", "EUR", "err.amount_ceiling"},
		{"99999999999999999999999", "EUR", "err.amount_ceiling"},
		{"$25", "EUR", "err.amount_currency"},
		{"25 USD", "EUR", "err.amount_currency"},
		{"abc", "EUR", "err.amount_bad"},
		{"", "EUR", "err.amount_bad"},
		{"25abc", "EUR", "err.amount_bad"},
		{"1e5", "EUR", "err.amount_bad"},
		{"1 0000", "EUR", "err.amount_bad"},
		{"12,34,56", "EUR", "err.amount_bad"},
		{"1.2.3", "EUR", "err.amount_bad"},
		{"25.", "EUR", "err.amount_bad"},
		{"€25€", "EUR", "err.amount_bad"},
		{"25 € 30", "EUR", "err.amount_bad"},
		{"NaN", "EUR", "err.amount_bad"},
		{"+-3", "EUR", "err.amount_bad"},
		{"25", "XYZ", "err.bad_currency"},
	}
	for _, tt := range tests {
		t.Run(tt.text+"_"+tt.cur, func(t *testing.T) {
			_, err := core.ParseAmount(tt.text, tt.cur, core.DefaultPledgeCeiling)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			key, _ := core.ErrorMessage(err)
			if key != tt.key || core.ErrorCode(err) != core.CodeInvalid {
				t.Fatalf("got %v, want %s", err, tt.key)
			}
		})
	}
}

// Ensure the ceiling is configurable and 0 means only the absolute bound.
func TestParseAmount_Ceiling(t *testing.T) {
	if _, err := core.ParseAmount("500", "EUR", 100); err == nil {
		t.Fatal("got no error above a ceiling of 100")
	}
	if m, err := core.ParseAmount("2 000 000", "EUR", 0); err != nil || m.Amount != 200000000 {
		t.Fatalf("got %v, %v", m, err)
	}
}

// Ensure formatting groups thousands and writes every decimal.
func TestMoney_Format(t *testing.T) {
	tests := []struct {
		m        core.Money
		dec, grp string
		want     string
	}{
		{core.Money{Amount: 185402, Currency: "EUR"}, ",", " ", "1 854,02"},
		{core.Money{Amount: 5, Currency: "EUR"}, ".", ",", "0.05"},
		{core.Money{Amount: 100000000, Currency: "USD"}, ".", ",", "1,000,000.00"},
		{core.Money{Amount: 200000, Currency: "JPY"}, ".", ",", "200,000"},
		{core.Money{Amount: -1250, Currency: "EUR"}, ",", " ", "-12,50"},
		{core.Money{Amount: 12345, Currency: "TND"}, ",", " ", "12,345"},
	}
	for _, tt := range tests {
		if got := tt.m.Format(tt.dec, tt.grp); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// Ensure the parser never panics, and what it accepts is positive, within the
// ceiling, and reads back to the same amount once formatted.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"25", "25.50", "25,50", "1 000 €", "€25", "1 000,50", "-3", "0", "1,000.50", "1.000,50", "$1", "¥5", "12.345", "1'000", "abc", "99999999999999999999", ",5", "1\u00a0000"} {
		f.Add(s, "EUR")
		f.Add(s, "JPY")
		f.Add(s, "TND")
	}
	f.Fuzz(func(t *testing.T, text, cur string) {
		m, err := core.ParseAmount(text, cur, core.DefaultPledgeCeiling)
		if err != nil {
			if core.ErrorCode(err) != core.CodeInvalid {
				t.Fatalf("%q: got code %s", text, core.ErrorCode(err))
			}
			return
		}
		if m.Amount <= 0 || m.Amount > core.Major(core.DefaultPledgeCeiling, m.Currency).Amount {
			t.Fatalf("%q: got %+v", text, m)
		}
		back, err := core.ParseAmount(m.Format(".", " "), m.Currency, core.DefaultPledgeCeiling)
		if err != nil || back != m {
			t.Fatalf("%q → %+v → %q → %+v, %v", text, m, m.Format(".", " "), back, err)
		}
		if strings.ContainsAny(m.Currency, " ") {
			t.Fatalf("currency %q", m.Currency)
		}
	})
}
