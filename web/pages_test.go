package web_test

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// checkHTML fails unless body is well-formed HTML (every element closed in order,
// void elements aside) with a lang attribute, exactly one h1 and an alt on every
// image.
func checkHTML(t *testing.T, path, body string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(body))
	var stack []string
	h1, lang := 0, ""
	void := map[string]bool{"meta": true, "link": true, "br": true, "img": true, "input": true, "hr": true}
	// Elements whose end tag HTML lets out: none are used, so all must close.
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatalf("%s: %v", path, z.Err())
			}
			if len(stack) != 0 {
				t.Fatalf("%s: unclosed %v", path, stack)
			}
			if h1 != 1 {
				t.Errorf("%s: %d h1", path, h1)
			}
			if lang == "" {
				t.Errorf("%s: no lang attribute", path)
			}
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			name := tok.Data
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[a.Key] = a.Val
			}
			switch tok.DataAtom {
			case atom.Html:
				lang = attrs["lang"]
			case atom.H1:
				h1++
			case atom.Img:
				if strings.TrimSpace(attrs["alt"]) == "" {
					t.Errorf("%s: an img without alt: %v", path, tok)
				}
			case atom.Script:
				t.Errorf("%s: a script", path)
			}
			if _, ok := attrs["style"]; ok {
				t.Errorf("%s: an inline style on %s", path, name)
			}
			if tt == html.StartTagToken && !void[name] {
				stack = append(stack, name)
			}
		case html.EndTagToken:
			tok := z.Token()
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				t.Fatalf("%s: </%s> closes %v", path, tok.Data, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
}

// text returns body without its tags, spaces collapsed.
func text(body string) string {
	z := html.NewTokenizer(strings.NewReader(body))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			b.Write(z.Text())
			b.WriteByte(' ')
		}
	}
}

var pages = []string{
	"/c/jardin-partage",
	"/c/jardin-partage/campaigns/C1",
	"/c/jardin-partage/polls/V1",
	"/c/jardin-partage/polls/V2",
	"/c/jardin-partage/polls/V3",
	"/c/jardin-partage/projects/P1",
}

// Ensure every page answers, parses, has its lang, one h1, alt texts, its card
// tags and the figures of the fixture.
func TestPages_ShowTheFigures(t *testing.T) {
	s := newSite(t, "en")
	fill(t, s)
	want := map[string][]string{
		"/c/jardin-partage": {"4 members", "Next meeting General meeting: Thursday 10 December 2026", "C1 · Soil and seeds",
			"€465.00 pledged of €1,000.00 (46%)", "2 backers", "19 days left", "V1 · Which day for the harvest?", "V2 · Which fruit trees?",
			"Shared garden", "Next step: Order the soil", "by Tuesday 15 December 2026"},
		"/c/jardin-partage/campaigns/C1": {"Soil and seeds", "€465.00", "€1,000.00", "Backers 2", "19 days left",
			"From €50.00: A basket of vegetables — 9 left", "€1,500.00: A greenhouse", "bob: €120.00",
			"Collected €100.00", "Spent €40.00", "Left €60.00", "Seeds and bulbs", "Can I pay cash?", "Yes, at the Saturday market.",
			"/pledge C1 AMOUNT", "For the project"},
		"/c/jardin-partage/polls/V1": {"Which day for the harvest?", "Each member chooses one option", "0 ballots from 4 members (0%)"},
		"/c/jardin-partage/polls/V2": {"Which fruit trees?", "3 ballots from 4 members (75%)", "The results stay hidden until the poll closes."},
		"/c/jardin-partage/polls/V3": {"Which tools do we buy?", "3 ballots from 4 members (75%)", "Chosen: Spade", "1 Spade 3", "Rake 1", "Hoe 1"},
		"/c/jardin-partage/projects/P1": {"Shared garden", "Vegetable beds for the neighbourhood", "Stage: idea", "A carpenter",
			"The beds are built", "C1 · Soil and seeds"},
	}
	for _, path := range pages {
		res, body := s.get(path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d\n%s", path, res.StatusCode, body)
		}
		checkHTML(t, path, body)
		txt := text(body)
		for _, w := range want[path] {
			if !strings.Contains(txt, w) {
				t.Errorf("%s: no %q in\n%s", path, w, txt)
			}
		}
		for _, tag := range []string{`property="og:title"`, `property="og:image" content="https://engage.example.org` + path + `/card.png"`, `name="twitter:card" content="summary_large_image"`, `property="og:url" content="https://engage.example.org` + path + `"`} {
			if !strings.Contains(body, tag) {
				t.Errorf("%s: no %s", path, tag)
			}
		}
		res, card := s.get(path + "/card.png")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(card, "\x89PNG") {
			t.Errorf("%s/card.png: status %d, type %q", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	// The closed poll's chart is an SVG image with its alternative text.
	_, body := s.get("/c/jardin-partage/polls/V3")
	if !regexp.MustCompile(`<img src="data:image/svg(\+|&#43;)xml;base64,([A-Za-z0-9/=]|&#43;)+" alt="Chart of the result of `).MatchString(body) {
		t.Errorf("V3: no chart")
	}
}

// Ensure a hidden poll's tally reaches no page and no card while it is open, and
// shows once it closed.
func TestHiddenPoll_TallyNeverShownWhileOpen(t *testing.T) {
	s := newSite(t, "en")
	fill(t, s)
	for _, path := range []string{"/c/jardin-partage/polls/V2", "/c/jardin-partage", "/c/jardin-partage/polls/V2?lang=fr"} {
		_, body := s.get(path)
		for _, leak := range []string{"Pears", "Apples", "Chosen", "Ranking", "<img", "<table"} {
			if strings.Contains(body, leak) {
				t.Errorf("%s shows %q while the hidden poll is open", path, leak)
			}
		}
	}
	_, openCard := s.get("/c/jardin-partage/polls/V2/card.png")
	s.say("alice", "/poll V2 close")
	_, body := s.get("/c/jardin-partage/polls/V2")
	if txt := text(body); !strings.Contains(txt, "Chosen: Pears") || !strings.Contains(txt, "1 Pears 2") {
		t.Errorf("closed hidden poll: %s", txt)
	}
	if _, closedCard := s.get("/c/jardin-partage/polls/V2/card.png"); closedCard == openCard {
		t.Errorf("the card did not change when the poll closed")
	}
}

// Ensure a private pledge's amount reaches no page, while a public one shows with
// its backer's display name, and no handle or platform ID shows.
func TestPrivatePledge_AmountNeverShown(t *testing.T) {
	s := newSite(t, "en")
	fill(t, s)
	for _, path := range append(pages, "/c/jardin-partage/campaigns/C1?lang=fr") {
		_, body := s.get(path)
		if strings.Contains(body, privateAmount) {
			t.Errorf("%s shows the private pledge's amount %s", path, privateAmount)
		}
		if strings.Contains(text(body), "carol") {
			t.Errorf("%s names the private backer", path)
		}
		for _, id := range []string{"@bob", "dm:", "test:"} {
			if strings.Contains(body, id) {
				t.Errorf("%s shows a handle or platform ID %q", path, id)
			}
		}
	}
	_, body := s.get("/c/jardin-partage/campaigns/C1")
	if !strings.Contains(text(body), "bob: €"+publicAmount+".00") {
		t.Errorf("the public pledge is not named")
	}
}

// Ensure the security headers, no cookie, the cache with its ETag and 304, and
// that a change to the community's data shows at once.
func TestPages_HeadersCacheAndETag(t *testing.T) {
	s := newSite(t, "en")
	fill(t, s)
	path := "/c/jardin-partage/campaigns/C1"
	res, body := s.get(path)
	h := res.Header
	if got := h.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'none'") || !strings.Contains(got, "frame-ancestors 'none'") || strings.Contains(got, "unsafe-inline") || strings.Contains(got, "script-src") {
		t.Errorf("CSP %q", got)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("Set-Cookie") != "" {
		t.Errorf("headers %v", h)
	}
	etag := h.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	res, again := s.get(path, "If-None-Match", etag)
	if res.StatusCode != http.StatusNotModified || again != "" {
		t.Fatalf("If-None-Match: status %d", res.StatusCode)
	}
	s.say("dave", "/pledge C1 10 public")
	res, changed := s.get(path, "If-None-Match", etag)
	if res.StatusCode != 200 || changed == body || !strings.Contains(text(changed), "€475.00") {
		t.Fatalf("after a pledge: status %d, same page %v", res.StatusCode, changed == body)
	}
	// 404s carry the same headers and no cookie.
	res, _ = s.get("/c/jardin-partage/campaigns/C9")
	if res.StatusCode != 404 || res.Header.Get("Content-Security-Policy") == "" || res.Header.Get("Set-Cookie") != "" {
		t.Errorf("unknown campaign: %d %v", res.StatusCode, res.Header)
	}
	res, _ = s.get("/static/web.css")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("css: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// Ensure the language: the community's, then Accept-Language, then ?lang=.
func TestPages_Language(t *testing.T) {
	s := newSite(t, "fr")
	fill(t, s)
	cases := []struct {
		header, query, lang, want string
	}{
		{"", "", "fr", "Collectes ouvertes"},
		{"en-GB,en;q=0.9", "", "en", "Open campaigns"},
		{"de-DE", "", "fr", "Collectes ouvertes"},
		{"en", "?lang=fr", "fr", "Collectes ouvertes"},
		{"", "?lang=en", "en", "Open campaigns"},
		{"", "?lang=xx", "fr", "Collectes ouvertes"},
	}
	for _, c := range cases {
		var hdr []string
		if c.header != "" {
			hdr = []string{"Accept-Language", c.header}
		}
		_, body := s.get("/c/jardin-partage"+c.query, hdr...)
		if !strings.Contains(body, fmt.Sprintf(`<html lang="%s">`, c.lang)) || !strings.Contains(body, c.want) {
			t.Errorf("%q %q: want %s %q", c.header, c.query, c.lang, c.want)
		}
	}
	_, body := s.get("/c/jardin-partage/campaigns/C1")
	if txt := text(body); !strings.Contains(txt, "465,00 €") || !strings.Contains(txt, "46 %") {
		t.Errorf("French figures: %s", txt)
	}
}

// Ensure one client address past its burst gets 429, another still gets pages.
func TestPages_RateLimit(t *testing.T) {
	s := newSiteOpt(t, "en", 1, 3)
	s.say("alice", "/community publish on")
	codes := []int{}
	for range 5 {
		res, _ := s.get("/c/jardin-partage")
		codes = append(codes, res.StatusCode)
	}
	if codes[0] != 200 || codes[4] != http.StatusTooManyRequests {
		t.Fatalf("codes %v", codes)
	}
	res, _ := s.getFrom("198.51.100.7:4000", "/c/jardin-partage")
	if res.StatusCode != 200 {
		t.Fatalf("another client: %d", res.StatusCode)
	}
}

// Ensure how to pledge: with a Telegram chat linked, a deep link to the bot; the
// linked chats named by platform and title; no link without a Telegram chat.
func TestCampaignPage_HowToPledge(t *testing.T) {
	s := newSite(t, "en")
	fill(t, s)
	path := "/c/jardin-partage/campaigns/C1"
	if _, body := s.get(path); strings.Contains(body, "t.me/") {
		t.Fatalf("a Telegram link without a Telegram chat")
	}
	out := s.say("alice", "/community invite")
	code := regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(out)
	join := s.env.Event("zoe", "/community join "+code)
	join.Platform, join.ChatID, join.ChatTitle = "telegram", "-100123", "Jardin & Co"
	s.env.Handle(join)
	_, body := s.get(path)
	if !strings.Contains(body, `href="https://t.me/EngageBot?start=pledge-c1-C1"`) {
		t.Errorf("no deep link in\n%s", body)
	}
	if txt := text(body); !strings.Contains(txt, "Telegram: Jardin & Co") || !strings.Contains(txt, "Pledge on Telegram") {
		t.Errorf("chats not named: %s", txt)
	}
	if !strings.Contains(body, "Jardin &amp; Co") {
		t.Errorf("the chat's title is not escaped")
	}
}

// Ensure every page and card of a community that closed its pages answers the
// same 404 as an unknown community's, cached copies included.
func TestUnpublished_EveryPageNotFound(t *testing.T) {
	s := newSite(t, "en")
	fill(t, s)
	for _, path := range pages { // fill the cache
		if res, _ := s.get(path); res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
	}
	s.say("alice", "/community publish off")
	_, unknown := s.get("/c/nobody-here")
	for _, path := range pages {
		for _, p := range []string{path, path + "/card.png", path + "?lang=fr"} {
			res, body := s.get(p)
			if res.StatusCode != 404 || res.Header.Get("ETag") != "" {
				t.Errorf("%s: %d after publish off", p, res.StatusCode)
			}
			if !strings.Contains(p, "lang=fr") && body != unknown {
				t.Errorf("%s: its 404 differs from an unknown community's", p)
			}
			if strings.Contains(body, "Jardin") || strings.Contains(body, "Soil") {
				t.Errorf("%s: the 404 names the community", p)
			}
		}
	}
}
