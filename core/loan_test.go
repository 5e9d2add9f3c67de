package core_test

import (
	"math"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
)

// Ensure monthly payments match published annuity examples to the cent.
//
// Sources (the standard formula P·r/(1−(1+r)^−n), r = annual rate ÷ 12):
//   - issue #4: 200,000 at 7.5 % over 180 months → 1,854.02; 15,000 at 0 % over 60 → 250.00.
//   - https://mathondemand.com/solutions/monthly-loan-payment-on-a-200000-loan-for-15-years-with-a-6-interest-rate
//     200,000 at 6 % over 180 months → 1,687.71.
//   - https://mathondemand.com/solutions/monthly-loan-payment-on-a-250000-loan-for-15-years-with-a-7-interest-rate
//     250,000 at 7 % over 180 months → 2,247.07.
//   - http://www.dollartimes.com/loans/mortgage-rate.php?length=15&amount=312500
//     312,500 over 15 years: 5 % → 2,471.23; 6.5 % → 2,722.21; 7.5 % → 2,896.91; 8.5 % → 3,077.31.
//   - https://qammunity.org/3226225: 200,000 at 7 % over 360 months → 1,330.60; over 180 → 1,797.66.
func TestAnnuity_Published(t *testing.T) {
	tests := []struct {
		name      string
		principal int64 // minor units
		rate      string
		months    int
		want      int64
	}{
		{"Issue_7.5pc_180", 200_000_00, "7.5%", 180, 1_854_02},
		{"Issue_0pc_60", 15_000_00, "0%", 60, 250_00},
		{"MathOnDemand_6pc_180", 200_000_00, "6%", 180, 1_687_71},
		{"MathOnDemand_7pc_180", 250_000_00, "7%", 180, 2_247_07},
		{"DollarTimes_5pc", 312_500_00, "5%", 180, 2_471_23},
		{"DollarTimes_6.5pc", 312_500_00, "6.5%", 180, 2_722_21},
		{"DollarTimes_7.5pc", 312_500_00, "7,5 %", 180, 2_896_91},
		{"DollarTimes_8.5pc", 312_500_00, "8.5", 180, 3_077_31},
		{"Qammunity_7pc_360", 200_000_00, "7%", 360, 1_330_60},
		{"Qammunity_7pc_180", 200_000_00, "7%", 180, 1_797_66},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rate, err := core.ParseRate(tt.rate)
			if err != nil {
				t.Fatal(err)
			}
			if got := core.Annuity(tt.principal, rate, tt.months); got != tt.want {
				t.Fatalf("got %d, want %d", got, tt.want)
			}
			start := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
			s := core.Schedule(tt.principal, rate, tt.months, start)
			if len(s) != tt.months {
				t.Fatalf("got %d instalments, want %d", len(s), tt.months)
			}
			// Due on the start's day, or the month's last day.
			if d := s[0].Due; !d.Equal(time.Date(2027, 2, 28, 0, 0, 0, 0, time.UTC)) {
				t.Fatalf("first due %s", d)
			}
			if d := s[1].Due; !d.Equal(time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)) {
				t.Fatalf("second due %s", d)
			}
			var paid, princ, interest int64
			for i, in := range s {
				if i < len(s)-1 && in.Payment != tt.want {
					t.Fatalf("instalment %d: got %d, want %d", in.N, in.Payment, tt.want)
				}
				if in.Payment != in.Principal+in.Interest {
					t.Fatalf("instalment %d: %d ≠ %d + %d", in.N, in.Payment, in.Principal, in.Interest)
				}
				paid, princ, interest = paid+in.Payment, princ+in.Principal, interest+in.Interest
			}
			if princ != tt.principal || paid != tt.principal+interest || s[len(s)-1].Balance != 0 {
				t.Fatalf("principal %d (want %d), paid %d (want %d), last balance %d", princ, tt.principal, paid, tt.principal+interest, s[len(s)-1].Balance)
			}
			// The last instalment absorbs the rounding: half a minor unit of the payment
			// and half of the interest each month, compounded: at most Σ (1+r)^k.
			r := float64(rate) / 12e6
			bound := float64(tt.months)
			if r > 0 {
				bound = (math.Pow(1+r, float64(tt.months)) - 1) / r
			}
			if d := float64(s[len(s)-1].Payment - tt.want); math.Abs(d) > bound {
				t.Fatalf("last instalment %d too far from %d", s[len(s)-1].Payment, tt.want)
			}
		})
	}
}

// Ensure the rate parser never panics and what it accepts is within bounds and
// reads back the same.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"0%", "7.5%", "7,5 %", "2.25", "100%", "100.0001%", "-1%", "abc", "1e3", ".5", "3.14159"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := core.ParseRate(s)
		if err != nil {
			if core.ErrorCode(err) != core.CodeInvalid {
				t.Fatalf("%q: code %s", s, core.ErrorCode(err))
			}
			return
		}
		if r < 0 || r > core.MaxRate {
			t.Fatalf("%q: got %d", s, r)
		}
		if back, err := core.ParseRate(r.String()); err != nil || back != r {
			t.Fatalf("%q → %d → %q → %d, %v", s, r, r.String(), back, err)
		}
	})
}

// Ensure any schedule adds up: principals to the principal, payments to principal
// plus interest, balances down to zero.
func FuzzSchedule(f *testing.F) {
	f.Add(int64(200_000_00), int64(75_000), 180)
	f.Add(int64(1), int64(0), 60)
	f.Add(int64(999_999_999_99), int64(1_000_000), 600)
	f.Fuzz(func(t *testing.T, principal, rate int64, months int) {
		if principal <= 0 || principal > core.MaxMajor*100 || rate < 0 || rate > int64(core.MaxRate) || months <= 0 || months > core.MaxTerm {
			return
		}
		s := core.Schedule(principal, core.Rate(rate), months, time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC))
		var paid, princ, interest int64
		for _, in := range s {
			if in.Principal < 0 || in.Interest < 0 || in.Payment != in.Principal+in.Interest {
				t.Fatalf("instalment %+v", in)
			}
			paid, princ, interest = paid+in.Payment, princ+in.Principal, interest+in.Interest
		}
		if len(s) != months || princ != principal || paid != principal+interest || s[len(s)-1].Balance != 0 {
			t.Fatalf("%d at %d over %d: %d instalments, principal %d, paid %d", principal, rate, months, len(s), princ, paid)
		}
	})
}
