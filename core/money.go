package core

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Money is an amount of a currency in integer minor units (cents for EUR, yen for
// JPY): 25.50 € is Money{2550, "EUR"}. Money is never a float.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// currencies maps ISO 4217 codes to their minor units (digits after the decimal
// point). The list holds the currencies a community is likely to use; any other code
// is refused.
var currencies = map[string]int{
	"EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "CAD": 2, "AUD": 2, "NZD": 2, "SEK": 2,
	"NOK": 2, "DKK": 2, "PLN": 2, "CZK": 2, "HUF": 2, "RON": 2, "BGN": 2, "BRL": 2,
	"MXN": 2, "ARS": 2, "INR": 2, "CNY": 2, "HKD": 2, "SGD": 2, "ZAR": 2, "MAD": 2,
	"DZD": 2, "EGP": 2, "TRY": 2, "ILS": 2, "HTG": 2, "XCD": 2, "MUR": 2, "NGN": 2,
	"KES": 2, "GHS": 2, "MGA": 2, "CDF": 2, "UAH": 2, "RUB": 2, "THB": 2, "PHP": 2,
	"JPY": 0, "KRW": 0, "XOF": 0, "XAF": 0, "XPF": 0, "ISK": 0, "CLP": 0, "VND": 0,
	"UGX": 0, "RWF": 0, "GNF": 0, "KMF": 0, "DJF": 0, "PYG": 0, "BIF": 0, "VUV": 0,
	"TND": 3, "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "LYD": 3, "IQD": 3,
}

// symbols maps the currency signs people type to the codes they may stand for; the
// first code is the one a sign means when no currency is set yet.
var symbols = map[string][]string{
	"€": {"EUR"}, "$": {"USD", "CAD", "AUD", "NZD", "MXN", "ARS", "CLP", "HKD", "SGD", "XCD"},
	"£": {"GBP"}, "¥": {"JPY", "CNY"}, "₩": {"KRW"}, "₹": {"INR"}, "₺": {"TRY"},
	"₪": {"ILS"}, "₣": {"CHF"}, "fr": {"CHF"}, "fcfa": {"XOF", "XAF"}, "cfa": {"XOF", "XAF"},
	"kr": {"SEK", "NOK", "DKK", "ISK"}, "zł": {"PLN"}, "r$": {"BRL"}, "us$": {"USD"},
	"ca$": {"CAD"}, "c$": {"CAD"}, "a$": {"AUD"}, "dh": {"MAD"}, "dt": {"TND"},
}

// MinorUnits returns the number of decimals of currency code (ISO 4217) and whether
// the code is known.
func MinorUnits(code string) (int, bool) {
	n, ok := currencies[strings.ToUpper(code)]
	return n, ok
}

// ValidCurrency reports whether code is a currency the engine knows.
func ValidCurrency(code string) bool {
	_, ok := MinorUnits(code)
	return ok
}

// MaxMajor bounds any amount typed, in major units (a goal, a collection): beyond it
// an amount is absurd, and int64 minor units stay far from overflow.
const MaxMajor = 1_000_000_000_000

// DefaultPledgeCeiling is the largest single pledge, in major units, when the
// configuration sets none (community.pledge_ceiling).
const DefaultPledgeCeiling = 1_000_000

// CurrencyIn returns the ISO code that a currency sign or code in text stands for,
// ("" when text names none). A sign that stands for several currencies ("$") gives
// the first of them.
func CurrencyIn(text string) string {
	_, mark, _ := splitMark(text)
	if mark == "" {
		return ""
	}
	if ValidCurrency(mark) {
		return strings.ToUpper(mark)
	}
	if codes := symbols[strings.ToLower(mark)]; len(codes) > 0 {
		return codes[0]
	}
	return ""
}

// ParseAmount reads an amount of currency as people type it: "25", "25.50",
// "25,50", "1 000 €", "€25", "1 000,50", "1,000.50", "EUR 25", "25 EUR". Spaces,
// no-break spaces and apostrophes group thousands; a single "." or "," is always
// the decimal mark ("1,000" is one with three decimals, refused for EUR rather than
// guessed to be a thousand); with both, the last one is the decimal mark, and a mark
// repeated ("1.000.000") groups thousands. ceiling is the largest amount accepted in
// major units (0: only MaxMajor).
//
// Returns CodeInvalid with the message keys err.amount_bad (not an amount),
// err.amount_negative, err.amount_zero, err.amount_decimals (more decimals than the
// currency has), err.amount_currency (another currency's sign or code),
// err.amount_ceiling (above ceiling) and err.bad_currency (an unknown currency).
func ParseAmount(text, currency string, ceiling int64) (Money, error) {
	currency = strings.ToUpper(strings.TrimSpace(currency))
	minor, ok := MinorUnits(currency)
	if !ok {
		return Money{}, Errorf(CodeInvalid, "err.bad_currency", "currency", currency)
	}
	shown := strings.TrimSpace(text)
	if utf8.RuneCountInString(shown) > 40 {
		shown = string([]rune(shown)[:40]) + "…"
	}
	bad := func() error { return Errorf(CodeInvalid, "err.amount_bad", "text", shown) }
	if err := checkChars(strings.ReplaceAll(text, "\t", " "), false); err != nil { // a tab may group thousands
		return Money{}, err
	}
	num, mark, err := splitMark(text)
	if err != nil {
		return Money{}, bad()
	}
	if mark != "" && !markMeans(mark, currency) {
		return Money{}, Errorf(CodeInvalid, "err.amount_currency", "text", shown, "currency", currency)
	}
	neg := false
	for _, m := range []string{"-", "−", "–"} {
		if rest, ok := strings.CutPrefix(num, m); ok {
			neg, num = true, strings.TrimSpace(rest)
		}
	}
	intPart, frac, ok := splitNumber(num)
	if !ok {
		return Money{}, bad()
	}
	if neg {
		return Money{}, Errorf(CodeInvalid, "err.amount_negative", "text", shown)
	}
	if len(frac) > minor {
		return Money{}, Errorf(CodeInvalid, "err.amount_decimals", "text", shown, "currency", currency, "decimals", minor,
			"thousands", len(frac) == 3 && !strings.ContainsAny(intPart, ".,"))
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > 13 {
		return Money{}, ceilingErr(shown, currency, ceiling)
	}
	major := int64(0)
	if intPart != "" {
		if major, err = strconv.ParseInt(intPart, 10, 64); err != nil {
			return Money{}, bad()
		}
	}
	frac += strings.Repeat("0", minor-len(frac))
	var fr int64
	if frac != "" {
		if fr, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return Money{}, bad()
		}
	}
	limit := int64(MaxMajor)
	if ceiling > 0 && ceiling < limit {
		limit = ceiling
	}
	if major > limit || major == limit && fr > 0 {
		return Money{}, ceilingErr(shown, currency, ceiling)
	}
	amount := major*pow10(minor) + fr
	if amount == 0 {
		return Money{}, Errorf(CodeInvalid, "err.amount_zero", "text", shown)
	}
	return Money{Amount: amount, Currency: currency}, nil
}

func ceilingErr(shown, currency string, ceiling int64) error {
	if ceiling <= 0 || ceiling > MaxMajor {
		ceiling = MaxMajor
	}
	return Errorf(CodeInvalid, "err.amount_ceiling", "text", shown, "max", Major(ceiling, currency))
}

// Major returns n major units of currency as Money (Major(25, "EUR") is 25.00 €).
func Major(n int64, currency string) Money {
	minor, _ := MinorUnits(currency)
	return Money{Amount: n * pow10(minor), Currency: strings.ToUpper(currency)}
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// markMeans reports whether a currency sign or code typed stands for currency.
func markMeans(mark, currency string) bool {
	if strings.EqualFold(mark, currency) {
		return true
	}
	for _, c := range symbols[strings.ToLower(mark)] {
		if c == currency {
			return true
		}
	}
	return false
}

// isGroupSpace reports whether r may separate groups of thousands.
func isGroupSpace(r rune) bool {
	return r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\'' || r == '’' || r == '\t'
}

// splitMark separates a currency sign or code at the start or the end of text from
// the number. It fails when text holds letters or signs elsewhere.
func splitMark(text string) (num, mark string, err error) {
	s := strings.TrimSpace(text)
	isMarkRune := func(r rune) bool {
		return unicode.IsLetter(r) || unicode.Is(unicode.Sc, r)
	}
	// A leading mark: letters and currency signs before the first digit or sign.
	i := strings.IndexFunc(s, func(r rune) bool { return !isMarkRune(r) })
	if i < 0 {
		return "", "", errNoAmount
	}
	if i > 0 {
		mark, s = s[:i], strings.TrimSpace(s[i:])
	}
	// A trailing mark.
	j := strings.LastIndexFunc(s, func(r rune) bool { return !isMarkRune(r) })
	if j < 0 {
		return "", "", errNoAmount
	}
	_, size := utf8.DecodeRuneInString(s[j:])
	if tail := s[j+size:]; tail != "" {
		if mark != "" {
			return "", "", errNoAmount // a mark on both sides
		}
		mark, s = tail, strings.TrimSpace(s[:j+size])
	}
	if mark != "" && !ValidCurrency(mark) && symbols[strings.ToLower(mark)] == nil {
		return "", "", errNoAmount
	}
	return s, mark, nil
}

// errNoAmount is splitMark's failure; callers turn it into err.amount_bad.
var errNoAmount = Errorf(CodeInvalid, "err.amount_bad")

// splitNumber reads digits with grouping and a decimal mark and returns the integer
// digits and the decimal digits.
func splitNumber(s string) (intPart, frac string, ok bool) {
	if s == "" {
		return "", "", false
	}
	// Groups separated by spaces: every group after the first has three digits,
	// and only the last may carry a decimal part.
	var b strings.Builder
	groups := strings.FieldsFunc(s, isGroupSpace)
	if len(groups) == 0 {
		return "", "", false
	}
	for i, g := range groups {
		if i > 0 {
			head := g
			if k := strings.IndexAny(g, ".,"); k >= 0 {
				head = g[:k]
			}
			if len(head) != 3 || strings.ContainsAny(groups[i-1], ".,") {
				return "", "", false
			}
		}
		b.WriteString(g)
	}
	s = b.String()
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return "", "", false
		}
	}
	if s[0] == '.' || s[0] == ',' {
		s = "0" + s // ",50"
	}
	dot, comma := strings.Count(s, "."), strings.Count(s, ",")
	var dec byte // the decimal mark, 0 for none
	switch {
	case dot > 0 && comma > 0:
		dec = s[strings.LastIndexAny(s, ".,")]
		if strings.Count(s, string(dec)) > 1 {
			return "", "", false
		}
	case dot+comma == 1:
		dec = s[strings.IndexAny(s, ".,")] // "1,000" is 1 with three decimals
	}
	if dec != 0 {
		k := strings.LastIndexByte(s, dec)
		intPart, frac = s[:k], s[k+1:]
		if frac == "" || strings.ContainsAny(frac, ".,") {
			return "", "", false
		}
	} else {
		intPart = s
	}
	// What is left of the integer part may only group thousands by threes.
	if strings.ContainsAny(intPart, ".,") {
		parts := strings.FieldsFunc(intPart, func(r rune) bool { return r == '.' || r == ',' })
		if strings.Count(intPart, ".")+strings.Count(intPart, ",") != len(parts)-1 {
			return "", "", false
		}
		for i, p := range parts {
			if p == "" || len(p) > 3 || i > 0 && len(p) != 3 {
				return "", "", false
			}
		}
		intPart = strings.Join(parts, "")
	}
	if intPart == "" {
		intPart = "0"
	}
	return intPart, frac, true
}

// Format renders m with decimalMark and groupMark between groups of three digits,
// without any currency sign: Money{185402, "EUR"}.Format(",", " ") is "1 854,02".
func (m Money) Format(decimalMark, groupMark string) string {
	minor, _ := MinorUnits(m.Currency)
	a := m.Amount
	sign := ""
	if a < 0 {
		sign = "-"
		if a == math.MinInt64 {
			a = math.MaxInt64
		} else {
			a = -a
		}
	}
	p := pow10(minor)
	digits := strconv.FormatInt(a/p, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(groupMark)
		}
		b.WriteRune(r)
	}
	if minor > 0 {
		f := strconv.FormatInt(a%p, 10)
		b.WriteString(decimalMark + strings.Repeat("0", minor-len(f)) + f)
	}
	return sign + b.String()
}

// Plus returns m + n (same currency).
func (m Money) Plus(n int64) Money { return Money{Amount: m.Amount + n, Currency: m.Currency} }

// IsZero reports whether m is no money at all.
func (m Money) IsZero() bool { return m.Amount == 0 }
