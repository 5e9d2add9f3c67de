package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/prompts"
	"github.com/engage-org/engage/web"
	"golang.org/x/time/rate"
)

// site is a community run through the bot, and a web server on its store.
type site struct {
	t   *testing.T
	env *botstest.Env
	srv *web.Server
}

// newSite makes the community "Jardin Partagé" (lang) with alice as its admin.
func newSite(t *testing.T, lang string) *site {
	t.Helper()
	return newSiteOpt(t, lang, 1000, 1000)
}

// newSiteOpt is newSite with a rate limit of perSecond and burst.
func newSiteOpt(t *testing.T, lang string, perSecond float64, burst int) *site {
	t.Helper()
	e := botstest.NewEnv(t, botstest.Options{Lang: lang, NoSync: true})
	e.Say("alice", "/community create Jardin Partagé lang "+lang)
	cat, err := prompts.LoadStrict(func(key string, err error) { t.Errorf("text %s: %v", key, err) })
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(e.Engine, cat, web.Options{BaseURL: "https://engage.example.org", Bots: map[string]string{"telegram": "EngageBot"}, Rate: rate.Limit(perSecond), Burst: burst})
	if err != nil {
		t.Fatal(err)
	}
	return &site{t: t, env: e, srv: srv}
}

// say has user type text in the community chat and returns the answers' texts.
func (s *site) say(user, text string) string {
	s.t.Helper()
	return strings.Join(botstest.Texts(s.env.Say(user, text)), "\n")
}

// get requests path and returns the answer and its body.
func (s *site) get(path string, header ...string) (*http.Response, string) {
	s.t.Helper()
	return s.getFrom("192.0.2.1:1234", path, header...)
}

// getFrom is get from the client address addr.
func (s *site) getFrom(addr, path string, header ...string) (*http.Response, string) {
	s.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.RemoteAddr = addr
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	s.srv.ServeHTTP(w, req)
	res := w.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// Ensure a published community's page shows it, and an unpublished one answers
// the same 404 as a slug no community holds.
func TestCommunityPage_PublishedOnly(t *testing.T) {
	s := newSite(t, "en")
	res, notFound := s.get("/c/no-such-community")
	if res.StatusCode != 404 {
		t.Fatalf("unknown slug: status %d", res.StatusCode)
	}
	res, body := s.get("/c/jardin-partage")
	if res.StatusCode != 404 || body != notFound {
		t.Fatalf("unpublished: status %d, body differs from an unknown slug's: %v", res.StatusCode, body != notFound)
	}
	if out := s.say("alice", "/community publish on"); !strings.Contains(out, "https://engage.example.org/c/jardin-partage") && !strings.Contains(out, "/c/jardin-partage") {
		t.Fatalf("publish: %q", out)
	}
	res, body = s.get("/c/jardin-partage")
	if res.StatusCode != 200 || !strings.Contains(body, "<h1>Jardin Partagé</h1>") {
		t.Fatalf("published: status %d\n%s", res.StatusCode, body)
	}
	s.say("alice", "/community publish off")
	res, body = s.get("/c/jardin-partage")
	if res.StatusCode != 404 || body != notFound {
		t.Fatalf("unpublished again: status %d", res.StatusCode)
	}
}
