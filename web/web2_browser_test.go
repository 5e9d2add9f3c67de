package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Ensure the impact page (in both languages), the campaign widget and the
// facilitators' dashboard load in a real headless browser with no console error
// or blocked resource, draw every chart, show their figures, and save their
// screenshots under testdata/screenshots (ignored by git).
func TestBrowser_Web2Pages(t *testing.T) {
	b := newBrowser(t)
	s := impactCommunity(t, "fr", 7)
	s.say("rita", "/project new Benches")
	s.say("rita", "/nextstep P2 Buy the wood by 2026-12-03")
	s.say("alice", "/campaign new donation Benches goal 500 until 2027-06-30 keep-it-all")
	for i := range 5 { // five weekly records
		s.env.Clock.Set(s.env.Clock.Now().Add(7 * 24 * time.Hour))
		if err := s.env.Scheduler.RunDue(context.Background(), s.env.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		s.say("member"+string(rune('a'+i)), "/pledge C2 "+fmt.Sprint(30+10*i))
	}
	s.say("alice", "/collect C2 30 from membera")
	s.say("alice", "/poll new single Paint? | Green | Blue hidden")
	s.say("memberb", "/vote V2 Blue")
	dash := dashLink(t, s, "alice", "/tableau") + "?lang=fr"
	srv := httptest.NewServer(s.srv)
	defer srv.Close()

	dir := screenshots(t)
	for _, pg := range []struct {
		path, name string
		images     int
		want       []string
	}{
		{"/c/jardin-partage/impact?lang=fr", "impact.fr", 4, []string{"L’impact de Jardin Partagé", "Membres 8", "Actifs (30 jours) 6", "Projets 2", "Projets par étape", "Argent (EUR)", "Promis 250,00 €"}},
		{"/c/jardin-partage/impact?lang=en", "impact.en", 4, []string{"The impact of Jardin Partagé", "Members 8", "Active (30 days) 6", "Projects per stage", "Pledged €250.00"}},
		{"/c/jardin-partage/campaigns/C2/widget?lang=fr", "widget.fr", 0, []string{"C2 · Benches", "250,00 € promis sur 500,00 € (50 %)", "5 contributeurs", "Voir la collecte"}},
		{dash, "dashboard.fr", 0, []string{"Le tableau de bord de Jardin Partagé", "P2 Benches Buy the wood jeudi 3 décembre 2026 rita",
			"Reste à encaisser : 220,00 €", "memberb 40,00 € 0,00 € 40,00 €", "V2 · Paint? ouvert (résultats cachés) 1 13 % de 8"}},
	} {
		body, shot, problems := b.visit(srv.URL + pg.path)
		if pg.name == "dashboard.fr" && strings.Contains(body, "membera") {
			t.Errorf("the dashboard lists a pledge paid in full: %q", body)
		}
		for _, w := range pg.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q in %q", pg.name, w, body)
			}
		}
		if drawn, _ := strconv.Atoi(b.eval(`String(Array.from(document.images).filter(i => i.naturalWidth > 0 && i.alt).length)`)); drawn < pg.images {
			t.Errorf("%s: %d images drawn with their alt text, want %d", pg.name, drawn, pg.images)
		}
		if sheets := b.eval(`String(document.styleSheets.length)`); sheets != "1" {
			t.Errorf("%s: %s style sheets", pg.name, sheets)
		}
		if err := os.WriteFile(filepath.Join(dir, "web2."+pg.name+".png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
		if len(problems) > 0 {
			t.Errorf("%s: %q", pg.name, problems)
		}
	}
}
