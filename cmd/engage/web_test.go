package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
)

// Ensure what the README's "Try it" says: the console demo, then `engage web`,
// then a browser on /c/SLUG shows the demo community; an unknown slug is a 404.
func TestWeb_DemoCommunity(t *testing.T) {
	for _, tt := range []struct{ lang, slug, want string }{
		{"en", "neighbours-together", "Neighbours Together"},
		{"fr", "quartier-solidaire", "Quartier Solidaire"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "demo.db")
			out, stderr, code := runEngage(t, "", nil, "console", "--demo", "--db", db, "--lang", tt.lang)
			if code != 0 || !strings.Contains(out, "/c/"+tt.slug) {
				t.Fatalf("demo: exit %d\n%s\n%s", code, out, stderr)
			}
			stdout := &syncBuffer{}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan int, 1)
			go func() {
				done <- Main(ctx, []string{"web", "--db", db, "--addr", "127.0.0.1:0"}, strings.NewReader(""), stdout, io.Discard, func(string) string { return "" })
			}()
			defer func() {
				cancel()
				select {
				case code := <-done:
					if code != 0 {
						t.Errorf("engage web exited %d", code)
					}
				case <-time.After(10 * time.Second):
					t.Error("engage web did not stop")
				}
			}()
			addr := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`)
			var base string
			for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				base = addr.FindString(stdout.String())
			}
			if base == "" {
				t.Fatalf("no address in %q", stdout.String())
			}
			get := func(path string) (int, string) {
				res, err := http.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				return res.StatusCode, string(b)
			}
			if code, body := get("/c/" + tt.slug); code != 200 || !strings.Contains(body, "<h1>"+tt.want+"</h1>") || !strings.Contains(body, `lang="`+tt.lang+`"`) {
				t.Fatalf("/c/%s: %d\n%s", tt.slug, code, body)
			}
			if code, _ := get("/c/" + tt.slug + "/campaigns/C1"); code != 200 {
				t.Fatalf("campaign: %d", code)
			}
			if code, _ := get("/c/nobody"); code != 404 {
				t.Fatalf("unknown slug: %d", code)
			}
		})
	}
}

// Ensure `engage run`'s listener serves the web pages beside /healthz, once the
// community is published, under the public address of the configuration.
func TestHTTP_WebPagesMounted(t *testing.T) {
	t.Parallel()
	a, m := testApp(t)
	cfg := a.cfg
	cfg.HTTP.PublicURL = "https://engage.example.org"
	ws, err := newWeb(a, cfg, map[string]string{"telegram": "EngageBot"})
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]http.Handler{}
	mountWeb(routes, ws)
	srv := httptest.NewServer(httpHandler(a, m, routes))
	defer srv.Close()
	if code, _ := get(t, srv.URL+"/c/run-club"); code != 404 {
		t.Fatalf("unpublished: %d", code)
	}
	ev := bots.Event{Platform: "test", ChatID: "g", UserID: "alice", UserName: "alice", Kind: bots.KindMessage, Text: "/community publish on", Key: "k3"}
	if _, err := a.bot.Handle(t.Context(), ev); err != nil {
		t.Fatal(err)
	}
	code, body := get(t, srv.URL+"/c/run-club")
	if code != 200 || !strings.Contains(body, "<h1>Run Club</h1>") || !strings.Contains(body, `content="https://engage.example.org/c/run-club/card.png"`) {
		t.Fatalf("published: %d\n%s", code, body)
	}
	if code, body := get(t, srv.URL+"/healthz"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("healthz: %d %s", code, body)
	}
}
