package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium returns the path of a Chromium (or Chrome) binary, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/lib/chromium/chromium"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// browser is a headless Chromium for a test, started once: it loads pages, and
// gathers every console message, exception and browser log entry of a warning or
// an error (a blocked resource, a failed load, a CSP violation) as a problem.
type browser struct {
	t        *testing.T
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

// newBrowser starts Chromium for t, or skips t where there is none (or -short).
func newBrowser(t *testing.T) *browser {
	t.Helper()
	bin := chromium()
	if bin == "" {
		t.Skip("no Chromium binary found (apt-get install chromium)")
	}
	if testing.Short() {
		t.Skip("browser tests take a few seconds")
	}
	dataDir, err := os.MkdirTemp("", "engage-chromium")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Chromium's children may still write there a moment after it stops.
		for range 50 {
			if os.RemoveAll(dataDir) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	actx, cancelA := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dataDir), chromedp.WindowSize(1000, 900))
	bctx, cancelB := chromedp.NewContext(actx)
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(func() { cancel(); cancelB(); cancelA() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start the browser: %v", err)
	}
	b := &browser{t: t, ctx: ctx}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
				b.mu.Lock()
				b.problems = append(b.problems, fmt.Sprintf("%s %s %s", m, m.Source, m.URL))
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// visit loads url, waits for its h1 and its images, and returns its text (spaces
// folded), its full screenshot (a PNG) and the problems the console reported
// meanwhile.
func (b *browser) visit(url string) (body string, shot []byte, problems []string) {
	b.t.Helper()
	b.mu.Lock()
	b.problems = nil
	b.mu.Unlock()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		b.t.Fatalf("%s: %v", url, err)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`Array.from(document.images).every(i => i.complete)`)); err != nil {
		b.t.Fatalf("%s: images: %v", url, err)
	}
	body, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		b.t.Fatalf("%s: %v", url, err)
	}
	shot, err = chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // quality 100: a PNG
	if err != nil || !strings.HasPrefix(string(shot), "\x89PNG") {
		b.t.Fatalf("%s: screenshot: %v", url, err)
	}
	time.Sleep(100 * time.Millisecond) // late console messages
	b.mu.Lock()
	problems = b.problems
	b.mu.Unlock()
	return strings.Join(strings.Fields(body), " "), shot, problems
}

// eval evaluates a JavaScript expression in the page loaded last.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// screenshots is the folder screenshots are saved in (ignored by git).
func screenshots(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Ensure each page loads in a real headless browser with no console error, no
// failed load and no blocked resource (the CSP holds the style sheet and the
// SVG charts), shows the expected figures with its style applied, and save its
// screenshot under testdata/screenshots (ignored by git).
func TestBrowser_Pages(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, "en")
	fill(t, s)
	srv := httptest.NewServer(s.srv)
	defer srv.Close()
	dir := screenshots(t)
	want := map[string][]string{
		"/c/jardin-partage":              {"Jardin Partagé", "€465.00 pledged of €1,000.00 (46%)", "Which day for the harvest?", "General meeting"},
		"/c/jardin-partage/campaigns/C1": {"Soil and seeds", "€1,500.00: A greenhouse", "bob: €120.00", "Seeds and bulbs", "Can I pay cash?"},
		"/c/jardin-partage/polls/V1":     {"0 ballots from 4 members (0%)"},
		"/c/jardin-partage/polls/V2":     {"3 ballots from 4 members (75%)", "The results stay hidden until the poll closes."},
		"/c/jardin-partage/polls/V3":     {"Chosen: Spade", "Spade"},
		"/c/jardin-partage/projects/P1":  {"Shared garden", "A carpenter", "The beds are built"},
		"/c/jardin-partage?lang=fr":      {"Collectes ouvertes", "465,00 € promis sur 1 000,00 € (46 %)"},
	}
	for _, path := range append(pages, "/c/jardin-partage?lang=fr") {
		body, shot, problems := b.visit(srv.URL + path)
		images := b.eval(`String(document.images.length)`)
		drawn := b.eval(`String(Array.from(document.images).filter(i => i.naturalWidth > 0).length)`)
		sheets := b.eval(`String(document.styleSheets.length)`)
		maxWidth := b.eval(`getComputedStyle(document.querySelector('main')).maxWidth`)
		for _, w := range want[path] {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q in %q", path, w, body)
			}
		}
		if images != drawn {
			t.Errorf("%s: %s of %s images drawn", path, drawn, images)
		}
		if sheets != "1" || maxWidth != "736px" {
			t.Errorf("%s: style sheet not applied (%s sheets, main max-width %q)", path, sheets, maxWidth)
		}
		name := strings.NewReplacer("/", "_", "?", "_", "=", "-").Replace(strings.TrimPrefix(path, "/")) + ".png"
		if err := os.WriteFile(filepath.Join(dir, name), shot, 0o644); err != nil {
			t.Fatal(err)
		}
		// The page's preview card beside it.
		if _, card := s.get(strings.Split(path, "?")[0] + "/card.png"); strings.HasPrefix(card, "\x89PNG") {
			if err := os.WriteFile(filepath.Join(dir, strings.TrimSuffix(name, ".png")+".card.png"), []byte(card), 0o644); err != nil {
				t.Fatal(err)
			}
		} else {
			t.Errorf("%s: no card", path)
		}
		if len(problems) > 0 {
			t.Errorf("%s: %q", path, problems)
		}
		if path == "/c/jardin-partage/polls/V3" && images != "1" {
			t.Errorf("V3: %s images, want its chart", images)
		}
	}
}
