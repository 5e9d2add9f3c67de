package chart

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// -look writes the charts of these tests as PNG under testdata/look (ignored by
// git), to look at them: go test ./chart -run . -look
var look = flag.Bool("look", false, "write the test charts as PNG under testdata/look")

func keep(t *testing.T, name string, png func() ([]byte, error)) {
	t.Helper()
	raw, err := png()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !*look {
		return
	}
	dir := filepath.Join("testdata", "look")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The charts of the tests, as bots and the web pages draw them.

func dateBars() Bars {
	return Bars{
		Title: "V1 · Quel jour pour l'assemblée générale ?", YLabel: "réponses", Decimal: ",", Values: true,
		Labels: []string{"jeudi 11 mars 2027 19:00", "vendredi 12 mars 2027 19:00", "samedi 13 mars 2027 (toute la journée)"},
		Series: []Series{{Name: "oui", Values: []float64{14, 9, 3}, Color: Green}, {Name: "si besoin", Values: []float64{3, 5, 1}, Color: Amber}},
	}
}

func judgmentBars() Bars {
	grades := []string{"très bien", "bien", "assez bien", "passable", "insuffisant", "à rejeter"}
	shares := [][]float64{{15, 20, 30, 20, 10, 5}, {10, 20, 20, 30, 10, 10}, {10, 10, 20, 20, 20, 20}}
	b := Bars{
		Title: "V2 · Quel projet pour le printemps ?", YLabel: "% des mentions", Decimal: ",", Percent: true, Segments: true, Marks: []float64{50},
		Labels: []string{"Jardin partagé", "Repair café du samedi matin", "Bibliothèque de rue"},
	}
	for g, name := range grades {
		v := make([]float64, len(shares))
		for i := range shares {
			v[i] = shares[i][g]
		}
		b.Series = append(b.Series, Series{Name: name, Values: v, Color: Shade(len(grades)-1-g, len(grades))})
	}
	return b
}

func longBars() Bars {
	return Bars{
		Title: "V3 · Which project should the association fund first this year?", YLabel: "ballots", Values: true,
		Labels: []string{
			"Organise a neighbourhood party with the other associations of the district and the school",
			"Repair café", "A tool library", "Thursday 11 March 2027 7:00 pm", "Bike workshop", "Seed exchange",
		},
		Series: []Series{{Values: []float64{1234, 987, 450, 12, 3, 0}, Color: Green}},
	}
}

func stvBars() Bars {
	return Bars{
		Title: "V9 · Board", YLabel: "votes", Values: true, Grouped: true,
		Labels: []string{"Ana", "Ben", "Chloé"},
		Series: []Series{{Name: "first preferences", Values: []float64{40, 10, 25}, Color: Amber}, {Name: "final votes", Values: []float64{35.5, 30, 0}, Color: Green}},
	}
}

func impactLines() Lines {
	var at []time.Time
	for w := range 12 {
		at = append(at, time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*w))
	}
	members := []float64{31, 33, 34, 34, 38, 41, 45, 44, 47, 52, 55, 58}
	active := []float64{12, 14, 13, 15, 18, 17, 22, 21, 25, 24, 28, 30}
	answers := []float64{50, 55, 48, 60, 62.5, 70, 66, 72, 75, 71, 80, 78}
	return Lines{
		Title: "Jardin des Lilas : membres et points d'étape", Decimal: ",",
		Tick: func(t time.Time) string { return t.Format("2/1") },
		Panels: []Panel{
			{YLabel: "personnes", Lines: []Line{{Name: "Membres", At: at, Y: members, Color: Blue}, {Name: "Membres actifs", At: at, Y: active, Color: Green}}},
			{YLabel: "% de réponses", Percent: true, Lines: []Line{{Name: "Réponses aux points d'étape", At: at, Y: answers, Color: Purple}}},
		},
	}
}

func campaignProgress() Progress {
	return Progress{Value: 312_450, Goal: 500_000, Label: "3 124,50 € sur 5 000 €", Note: "62 %", Marks: []int64{750_000}}
}

func TestLook(t *testing.T) {
	keep(t, "date-fr", dateBars().PNG)
	keep(t, "judgment-fr", judgmentBars().PNG)
	keep(t, "long-en", longBars().PNG)
	keep(t, "stv-en", stvBars().PNG)
	keep(t, "impact-fr", impactLines().PNG)
	keep(t, "negative-fr", Bars{Title: "V4 · Notes", YLabel: "total des notes", Labels: []string{"Plus", "Moins", "Entre les deux"}, Decimal: ",", Values: true, Series: []Series{{Values: []float64{12, -7.5, 0.5}, Color: Green}}}.PNG)
	one := impactLines()
	for i := range one.Panels {
		for j := range one.Panels[i].Lines {
			ln := &one.Panels[i].Lines[j]
			ln.At, ln.Y = ln.At[:1], ln.Y[:1]
		}
	}
	keep(t, "impact-one-week-fr", one.PNG)
	keep(t, "progress-fr", campaignProgress().PNG)
	over := Progress{Value: 812_000, Goal: 500_000, Label: "8 120 € sur 5 000 €", Note: "162 %", Marks: []int64{750_000, 1_000_000}, Color: Blue}
	keep(t, "progress-stretch-fr", over.PNG)
	g := campaignProgress()
	keep(t, "card-campaign-fr", Card{
		Title: "Un four à pain pour le jardin partagé de la rue des Lilas", Subtitle: "Jardin des Lilas · campagne C1",
		Lines: []string{"42 contributeurs · 12 jours restants"}, Progress: &g, Footer: "engage.example.org/c/lilas",
	}.PNG)
	j := judgmentBars()
	keep(t, "card-poll-fr", Card{
		Title: j.Title, Subtitle: "Jardin des Lilas · sondage clos", Lines: []string{"56 votants sur 80 membres"},
		Bars: &j, Footer: "engage.example.org/c/lilas", Accent: Blue,
	}.PNG)
	l := longBars()
	keep(t, "card-poll-long-en", Card{Title: l.Title, Subtitle: "Lilac Garden · closed poll", Lines: []string{"2,686 voters"}, Bars: &l}.PNG)
	keep(t, "card-impact-fr", Card{
		Title: "Jardin des Lilas", Subtitle: "Notre impact",
		Lines:  []string{"58 membres, dont 30 actifs ce mois-ci", "78 % de réponses aux points d'étape", "12 projets, dont 4 réalisés", "1 240 heures de bénévolat"},
		Footer: "engage.example.org/c/lilas", Accent: Purple,
	}.PNG)
}
