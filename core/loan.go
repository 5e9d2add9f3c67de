package core

import (
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Rate is a nominal annual interest rate in millionths: 7.5 % is Rate(75_000). It
// is compounded monthly: the monthly rate is Rate ÷ 12.
type Rate int64

// MaxRate is the highest rate a loan may carry (100 %).
const MaxRate Rate = 1_000_000

// MaxTerm is the longest loan term, in months (50 years).
const MaxTerm = 600

// ParseRate reads a rate as people type it: "0%", "7.5%", "7,5 %", "2.25". Returns
// CodeInvalid ("err.bad_rate") for anything else, a negative rate, more than four
// decimals or more than MaxRate.
func ParseRate(s string) (Rate, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	bad := Errorf(CodeInvalid, "err.bad_rate", "text", clip(s, 20))
	if t == "" {
		return 0, bad
	}
	t = strings.Replace(t, ",", ".", 1)
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" {
		whole = "0"
	}
	if len(frac) > 4 || len(whole) > 3 {
		return 0, bad
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, bad
		}
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac+strings.Repeat("0", 4-len(frac)), 10, 64)
	r := Rate(w*10_000 + f)
	if r > MaxRate {
		return 0, bad
	}
	return r, nil
}

// String renders the rate in percent without the sign: "7.5", "0", "2.25".
func (r Rate) String() string {
	s := strconv.FormatInt(int64(r)/10_000, 10)
	if f := int64(r) % 10_000; f != 0 {
		fs := strconv.FormatInt(f+10_000, 10)[1:]
		s += "." + strings.TrimRight(fs, "0")
	}
	return s
}

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Instalment is one monthly payment of a loan: Payment = Principal + Interest, in
// minor units; Balance is what is still owed once it is paid.
type Instalment struct {
	N         int       `json:"n"`
	Due       time.Time `json:"due"`
	Payment   int64     `json:"payment"`
	Principal int64     `json:"principal"`
	Interest  int64     `json:"interest"`
	Balance   int64     `json:"balance"`
}

// monthlyRate returns rate ÷ 12 as an exact fraction.
func monthlyRate(rate Rate) *big.Rat {
	return big.NewRat(int64(rate), 12*1_000_000)
}

// roundHalfUp rounds a non-negative fraction to the nearest integer, halves up.
func roundHalfUp(x *big.Rat) int64 {
	num := new(big.Int).Mul(x.Num(), big.NewInt(2))
	num.Add(num, x.Denom())
	den := new(big.Int).Mul(x.Denom(), big.NewInt(2))
	return new(big.Int).Quo(num, den).Int64()
}

// Annuity returns the monthly payment of a loan of principal minor units at rate
// over months, rounded to the minor unit (halves up): P·r / (1 − (1+r)^−n) with
// r = rate ÷ 12, computed exactly; P / n for a zero rate.
func Annuity(principal int64, rate Rate, months int) int64 {
	if months <= 0 || principal <= 0 {
		return 0
	}
	p := new(big.Rat).SetInt64(principal)
	if rate == 0 {
		return roundHalfUp(p.Quo(p, new(big.Rat).SetInt64(int64(months))))
	}
	r := monthlyRate(rate)
	g := new(big.Rat).Add(big.NewRat(1, 1), r) // 1 + r
	gn := new(big.Rat).SetInt64(1)             // (1 + r)^n by squaring
	for e := months; e > 0; e >>= 1 {
		if e&1 == 1 {
			gn.Mul(gn, g)
		}
		g.Mul(g, g)
	}
	// P·r·g^n / (g^n − 1)
	num := new(big.Rat).Mul(p, r)
	num.Mul(num, gn)
	den := new(big.Rat).Sub(gn, big.NewRat(1, 1))
	return roundHalfUp(num.Quo(num, den))
}

// Schedule returns the monthly schedule of a loan of principal minor units at rate
// over months that starts on start: instalment k falls due k calendar months after
// start, on start's day of the month (or the month's last day: a loan that starts on
// 31 January is repaid on 28 February, 31 March…). Every payment is the rounded
// annuity but the last, which pays what remains: the principals add up to principal
// exactly, and the payments to principal + interest exactly. Each month's interest
// is the balance times rate ÷ 12, rounded to the minor unit (halves up).
func Schedule(principal int64, rate Rate, months int, start time.Time) []Instalment {
	if months <= 0 || principal <= 0 {
		return nil
	}
	pay := Annuity(principal, rate, months)
	r := monthlyRate(rate)
	out := make([]Instalment, 0, months)
	balance := principal
	for k := 1; k <= months; k++ {
		interest := int64(0)
		if rate != 0 {
			interest = roundHalfUp(new(big.Rat).Mul(new(big.Rat).SetInt64(balance), r))
		}
		princ := pay - interest
		if k == months || princ > balance {
			princ = balance
		}
		if princ < 0 {
			princ = 0
		}
		balance -= princ
		out = append(out, Instalment{
			N: k, Due: AddMonths(start, k), Payment: princ + interest,
			Principal: princ, Interest: interest, Balance: balance,
		})
	}
	return out
}

// AddMonths returns t moved n calendar months, keeping the day of the month or, when
// the target month is shorter, taking its last day (31 January + 1 month is 28 or 29
// February, not 3 March).
func AddMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}
