package prompts

import (
	"strings"

	"github.com/engage-org/engage/core"
)

// moneyMarks are the decimal mark and the thousands separator of each language.
var moneyMarks = map[string][2]string{
	"fr": {",", " "},
	"en": {".", ","},
}

// currencySigns are the signs shown for the commonest currencies; others show
// their ISO code.
var currencySigns = map[string]string{
	"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩", "ILS": "₪", "TRY": "₺",
}

// money renders m in lang through the "money.format" template, which places the
// number and the sign (or code).
// m is a core.Money or a *core.Money; anything else renders empty.
func (c *Catalog) money(lang string, v any) string {
	m, ok := moneyOf(v)
	if !ok {
		return ""
	}
	sign, isSign := currencySigns[m.Currency]
	if !isSign {
		sign = m.Currency
	}
	marks := marksOf(lang)
	return c.Text(lang, "money.format", map[string]any{
		"Number": m.Format(marks[0], marks[1]), "Sign": sign, "IsSign": isSign,
	})
}

// moneyOf reads a template's argument as money: a core.Money or a non-nil
// *core.Money.
func moneyOf(v any) (core.Money, bool) {
	switch x := v.(type) {
	case core.Money:
		return x, true
	case *core.Money:
		if x != nil {
			return *x, true
		}
	}
	return core.Money{}, false
}

// marksOf is lang's decimal mark and thousands separator (English's for a
// language without its own).
func marksOf(lang string) [2]string {
	if marks, ok := moneyMarks[lang]; ok {
		return marks
	}
	return moneyMarks[DefaultLang]
}

// amount renders m's number alone, with lang's decimal mark and no thousands
// separator: a spreadsheet's cell ("1854,02" / "1854.02").
func (c *Catalog) amount(lang string, v any) string {
	m, ok := moneyOf(v)
	if !ok {
		return ""
	}
	return m.Format(marksOf(lang)[0], "")
}

// decimalMark writes the decimal number s ("2.5") with lang's decimal mark:
// a comma in French, a point otherwise.
func decimalMark(lang, s string) string {
	if m, ok := moneyMarks[lang]; ok {
		return strings.Replace(s, ".", m[0], 1)
	}
	return s
}
