package prompts_test

import (
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
)

// Ensure every count of backers reads right in both languages, zero and one
// included: no "0 backers" to join, no "le contributeur" to thank.
func TestCampaign_BackerCounts(t *testing.T) {
	c := load(t)
	eur := func(n int64) core.Money { return core.Major(n, "EUR") }
	for _, tt := range []struct {
		lang, key string
		n         int
		want, not string
	}{
		{"en", "campaign.reminder", 0, "AMOUNT to be its first backer.", "0 backers"},
		{"en", "campaign.reminder", 1, "AMOUNT to join its first backer.", "1 backer"},
		{"en", "campaign.reminder", 2, "AMOUNT to join its 2 backers.", ""},
		{"fr", "campaign.reminder", 0, "MONTANT pour être son premier contributeur.", "0 contributeur"},
		{"fr", "campaign.reminder", 1, "MONTANT pour rejoindre son premier contributeur.", "le contributeur"},
		{"fr", "campaign.reminder", 2, "MONTANT pour rejoindre ses 2 contributeurs.", ""},
		{"en", "campaign.failed", 0, "pledge is released.", "Thank"},
		{"en", "campaign.failed", 1, "Thank you to its one backer.", "1 backer"},
		{"en", "campaign.failed", 3, "Thank you to the 3 backers.", ""},
		{"fr", "campaign.failed", 0, "libérées.", "Merci"},
		{"fr", "campaign.failed", 1, "Merci à son unique contributeur.", "au contributeur"},
		{"fr", "campaign.failed", 3, "Merci aux 3 contributeurs.", ""},
		{"en", "campaign.card", 0, "0 backers", ""},
		{"en", "campaign.card", 1, "1 backer\n", ""},
		{"fr", "campaign.card", 0, "0 contributeur\n", ""},
		{"fr", "campaign.card", 1, "1 contributeur\n", ""},
		{"fr", "campaign.card", 2, "2 contributeurs\n", ""},
		{"en", "campaign.milestone", 1, "thanks to 1 backer!", ""},
		{"fr", "campaign.milestone", 1, "grâce à 1 contributeur !", ""},
	} {
		v := map[string]any{"ID": "C1", "Title": "Oven", "Backers": tt.n, "Pledged": eur(10), "Goal": eur(500),
			"Percent": 2, "AllOrNothing": true, "Status": "failed", "Kind": "donation"}
		data := any(v)
		if tt.key == "campaign.reminder" {
			data = map[string]any{"C": v, "Which": "7d"}
		}
		got := c.Text(tt.lang, tt.key, data)
		if !strings.Contains(got, tt.want) || (tt.not != "" && strings.Contains(got, tt.not)) {
			t.Errorf("%s %s %d: got %q, want %q without %q", tt.lang, tt.key, tt.n, got, tt.want, tt.not)
		}
	}
}

// Ensure a loan repaid all in volunteering hours says so, with no cash sentence,
// and one repaid in part says part; never a double space; months agree in number.
func TestCampaign_LoanHoursWording(t *testing.T) {
	c := load(t)
	eur := func(n int64) core.Money { return core.Major(n, "EUR") }
	first := time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		lang   string
		months int
		want   []string
		not    []string
	}{
		{"en", 0, []string{"40 hours of volunteering (€600.00) repay all of it: nothing is repaid in cash. /schedule C2 shows it."}, []string{"part of it", "You would be repaid"}},
		{"en", 60, []string{"repay part of it. You would be repaid €20.00 a month for 60 months"}, []string{"all of it"}},
		{"en", 1, []string{"a month for 1 month from"}, []string{"1 months"}},
		{"fr", 0, []string{"40 heures de bénévolat (600,00 €) en remboursent la totalité : rien n'est remboursé en numéraire. /echeancier C2 le détaille."}, []string{"une partie", "Vous seriez"}},
		{"fr", 60, []string{"en remboursent une partie. Vous seriez remboursé·e de 20,00 € par mois pendant 60 mois"}, []string{"totalité"}},
	} {
		d := map[string]any{"ID": "C2", "Title": "Truck", "Amount": eur(600), "Loan": true, "Hours": 40,
			"HoursMoney": eur(600), "Public": true, "Rate": ""}
		if tt.months > 0 {
			d["HoursMoney"], d["Amount"] = eur(300), eur(1500)
			d["Months"], d["Monthly"], d["First"], d["LastPay"], d["Total"] = tt.months, eur(20), first, eur(20), eur(1200)
		}
		got := c.Text(tt.lang, "pledge.done", d)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s %d months: got %q, want %q", tt.lang, tt.months, got, w)
			}
		}
		for _, w := range append(tt.not, "  ") {
			if strings.Contains(got, w) {
				t.Errorf("%s %d months: got %q, holding %q", tt.lang, tt.months, got, w)
			}
		}
	}
}

// Ensure the refusals about volunteering hours agree with their count.
func TestCampaign_HoursRefusalCounts(t *testing.T) {
	c := load(t)
	eur := core.Major(15, "EUR")
	for _, tt := range []struct {
		lang, key string
		args      map[string]any
		want      string
	}{
		{"en", "err.hours_over", map[string]any{"hours": 1, "value": eur, "amount": eur}, "1 hour is worth"},
		{"en", "err.hours_over", map[string]any{"hours": 2, "value": eur, "amount": eur}, "2 hours are worth"},
		{"fr", "err.hours_over", map[string]any{"hours": 1, "value": eur, "amount": eur}, "1 heure vaut"},
		{"fr", "err.hours_over", map[string]any{"hours": 2, "value": eur, "amount": eur}, "2 heures valent"},
		{"en", "err.hours_over_pledged", map[string]any{"left": 1}, "Only 1 hour is left"},
		{"en", "err.hours_over_pledged", map[string]any{"left": 0}, "Only 0 hours are left"},
		{"fr", "err.hours_over_pledged", map[string]any{"left": 1}, "Il ne reste qu'une heure à rendre"},
		{"fr", "err.hours_over_pledged", map[string]any{"left": 3}, "Il ne reste que 3 heures à rendre"},
		{"en", "err.hours_below_given", map[string]any{"given": 1}, "1 hour was already"},
		{"fr", "err.hours_below_given", map[string]any{"given": 0}, "0 heure vous a déjà été rendue"},
		{"fr", "err.hours_below_given", map[string]any{"given": 4}, "4 heures vous ont déjà été rendues"},
	} {
		if got := c.Text(tt.lang, tt.key, tt.args); !strings.Contains(got, tt.want) {
			t.Errorf("%s %s %v: got %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
		}
	}
}
