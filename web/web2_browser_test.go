package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Ensure the impact page (in both languages), the campaign widget and the
// facilitators' dashboard load in a real headless browser with no console error
// or blocked resource, draw every chart, show their figures, and save their
// screenshots under testdata/screenshots (ignored by git).
func TestBrowser_Web2Pages(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("no Chromium binary found (apt-get install chromium)")
	}
	if testing.Short() {
		t.Skip("browser tests take a few seconds")
	}
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

	dataDir, err := os.MkdirTemp("", "engage-chromium")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for range 50 { // Chromium's children may still write there a moment after it stops
			if os.RemoveAll(dataDir) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	actx, cancelA := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dataDir), chromedp.WindowSize(1000, 900))
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start the browser: %v", err)
	}
	var mu sync.Mutex
	var problems []string
	watch, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go func() {
		for m, err := range chromedp.Console(watch) {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s %s %s", m, m.Source, m.URL))
				mu.Unlock()
			}
		}
	}()
	dir := filepath.Join("testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
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
		mu.Lock()
		problems = nil
		mu.Unlock()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+pg.path), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
			t.Fatalf("%s: %v", pg.name, err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`Array.from(document.images).every(i => i.complete)`)); err != nil {
			t.Fatalf("%s: images: %v", pg.name, err)
		}
		body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
		if err != nil {
			t.Fatalf("%s: %v", pg.name, err)
		}
		body = strings.Join(strings.Fields(body), " ")
		if pg.name == "dashboard.fr" && strings.Contains(body, "membera") {
			t.Errorf("the dashboard lists a pledge paid in full: %q", body)
		}
		for _, w := range pg.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q in %q", pg.name, w, body)
			}
		}
		drawn, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.images).filter(i => i.naturalWidth > 0 && i.alt).length`))
		if err != nil || drawn < pg.images {
			t.Errorf("%s: %d images drawn with their alt text, want %d (%v)", pg.name, drawn, pg.images, err)
		}
		sheets, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.styleSheets.length`))
		if err != nil || sheets != 1 {
			t.Errorf("%s: %d style sheets (%v)", pg.name, sheets, err)
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil || !strings.HasPrefix(string(shot), "\x89PNG") {
			t.Fatalf("%s: screenshot: %v", pg.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, "web2."+pg.name+".png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond) // late console messages
		mu.Lock()
		if len(problems) > 0 {
			t.Errorf("%s: %q", pg.name, problems)
		}
		mu.Unlock()
	}
}
