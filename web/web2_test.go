package web_test

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/prompts"
	"github.com/engage-org/engage/web"
)

const dashSecret = "a-dashboard-secret-for-tests"

// newSite2 is newSite with a dashboard secret and the web pages' address given
// to the bot, so that /dashboard gives links.
func newSite2(t *testing.T, lang string) *site {
	t.Helper()
	e := botstest.NewEnv(t, botstest.Options{Lang: lang, NoSync: true, DashboardSecret: dashSecret,
		Tune: func(c *bots.Config) { c.WebURL = "https://engage.example.org" }})
	e.Say("alice", "/community create Jardin Partagé tz Europe/Paris lang "+lang)
	cat, err := prompts.LoadStrict(func(key string, err error) { t.Errorf("text %s: %v", key, err) })
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(e.Engine, cat, web.Options{BaseURL: "https://engage.example.org", Rate: 1000, Burst: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return &site{t: t, env: e, srv: srv}
}

// impactCommunity publishes a community of lang with `active` members who
// spoke (alice, its admin, among them), a project, a closed poll and a campaign.
func impactCommunity(t *testing.T, lang string, active int) *site {
	t.Helper()
	s := newSite2(t, lang)
	for i := range active - 1 {
		s.say("member"+string(rune('a'+i)), "hello")
	}
	s.say("alice", "/project new Garden")
	s.say("alice", "/poll new single Lunch? | Pizza | Salad")
	s.say("alice", "/vote V1 Pizza")
	s.say("alice", "/poll V1 close")
	s.say("alice", "/campaign new donation Seeds goal 500 until 2026-12-31")
	s.say("alice", "/community publish on")
	return s
}

// Ensure the impact page shows each theme's chart and table, withholds every
// count of fewer than 5 people (and the rates made from one), and passes the
// HTML checks, in both languages.
func TestImpactPage(t *testing.T) {
	for _, tt := range []struct{ lang, small, h1 string }{{"en", "&lt; 5", "The impact of Jardin Partagé"}, {"fr", "&lt; 5", "L’impact de Jardin Partagé"}} {
		t.Run(tt.lang, func(t *testing.T) {
			s := impactCommunity(t, tt.lang, 3)
			res, body := s.get("/c/jardin-partage/impact")
			if res.StatusCode != 200 {
				t.Fatalf("status %d\n%s", res.StatusCode, body)
			}
			checkHTML(t, "impact", body)
			if !strings.Contains(body, "<h1>"+tt.h1+"</h1>") {
				t.Errorf("no h1 %q", tt.h1)
			}
			for _, id := range []string{"members", "checkins", "steps", "projects", "polls", "money-EUR"} {
				if !strings.Contains(body, `<section id="`+id+`"`) {
					t.Errorf("no section %s", id)
				}
			}
			if n := strings.Count(body, `<img src="data:image/svg&#43;xml;base64,`); n < 4 {
				t.Errorf("%d charts", n)
			}
			// 3 active members of 3: withheld, and their share too; the poll's one ballot too.
			row := regexp.MustCompile(`<tr><th scope="row">[^<]+</th><td class="num">3</td><td class="num">([^<]*)</td><td class="num">([^<]*)</td>`).FindStringSubmatch(body)
			if row == nil || row[1] != tt.small || row[2] != tt.small {
				t.Errorf("members row: %q", row)
			}
			if !strings.Contains(body, "V1 · Lunch?</th>") || !regexp.MustCompile(`V1 · Lunch\?</th><td class="num">[^<]+</td><td class="num">[^<]+</td><td class="num">`+tt.small+`</td><td class="num">`+tt.small+`</td>`).MatchString(body) {
				t.Errorf("the poll's single ballot is shown")
			}
		})
	}
}

// Ensure a community of 6 active members shows its figures, while the same
// figures of 3 are withheld in the CSV (empty) and JSON (null) exports.
func TestImpactExports_SmallCells(t *testing.T) {
	for _, tt := range []struct {
		active int
		want   string
	}{{3, ""}, {6, "6"}} {
		s := impactCommunity(t, "fr", tt.active)
		res, body := s.get("/c/jardin-partage/impact.csv")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "jardin-partage-impact.csv") {
			t.Fatalf("csv: %d %v", res.StatusCode, res.Header)
		}
		r := csv.NewReader(strings.NewReader(body))
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("csv: %v\n%s", err, body)
		}
		if len(rows) != 2 || rows[0][0] != "date" || rows[0][3] != "active_30d" {
			t.Fatalf("csv rows: %q", rows)
		}
		col := func(name string) string {
			for i, h := range rows[0] {
				if h == name {
					return rows[1][i]
				}
			}
			t.Fatalf("no column %s in %q", name, rows[0])
			return ""
		}
		if col("members") != strconv.Itoa(tt.active) || col("active_30d") != tt.want || col("active_90d") != tt.want || col("current") != "true" ||
			col("projects_idea") != "1" || col("polls_closed") != "1" || col("pledged_EUR") != "0,00" {
			t.Errorf("%d active: csv %q", tt.active, rows)
		}
		res, body = s.get("/c/jardin-partage/impact.json")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Fatalf("json: %d", res.StatusCode)
		}
		var doc struct {
			MinCell int `json:"min_cell"`
			Figures []struct {
				Members  int              `json:"members"`
				Active30 *int             `json:"active_30d"`
				Projects map[string]int   `json:"projects"`
				Money    []map[string]any `json:"money"`
			} `json:"figures"`
			Polls []struct {
				ID      string `json:"id"`
				Ballots *int   `json:"ballots"`
				Decided bool   `json:"decided"`
			} `json:"polls"`
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatal(err)
		}
		f := doc.Figures[len(doc.Figures)-1]
		if doc.MinCell != 5 || f.Members != tt.active || (f.Active30 == nil) != (tt.want == "") || f.Projects["idea"] != 1 ||
			len(doc.Polls) != 1 || doc.Polls[0].Ballots != nil || !doc.Polls[0].Decided {
			t.Errorf("%d active: json %s", tt.active, body)
		}
		if f.Active30 != nil && *f.Active30 != tt.active {
			t.Errorf("active %d", *f.Active30)
		}
	}
}

// Ensure the ledger's CSV has a row a line with amounts in the language's
// decimal convention, and never names whom money came from or went back to.
func TestLedgerCSV(t *testing.T) {
	for _, tt := range []struct {
		lang  string
		comma rune
		spent string
	}{{"en", ',', "12.50"}, {"fr", ';', "12,50"}} {
		s := impactCommunity(t, tt.lang, 2)
		s.say("alice", "/campaign new donation Tools goal 100 until 2026-12-31 keep-it-all")
		s.say("bob", "/pledge C2 25")
		s.say("alice", "/collect C2 20 from bob")
		if out := s.say("alice", "/spend C2 12.50 =Seeds; and soil"); strings.Contains(out, "Only") {
			t.Fatalf("spend: %q", out)
		}
		res, body := s.get("/c/jardin-partage/campaigns/C2/ledger.csv")
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		if strings.Contains(strings.ToLower(body), "bob") {
			t.Errorf("the ledger names a backer:\n%s", body)
		}
		r := csv.NewReader(strings.NewReader(body))
		r.Comma = tt.comma
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tt.lang, err, body)
		}
		want := [][]string{
			{"date", "kind", "amount", "currency", "what", "project", "hours"},
			{"2026-12-01", "collect", strings.Replace("20.00", ".", string(map[rune]rune{',': '.', ';': ','}[tt.comma]), 1), "EUR", "", "", ""},
			{"2026-12-01", "spend", tt.spent, "EUR", "'=Seeds; and soil", "", ""},
		}
		for i, w := range want {
			if i >= len(rows) || strings.Join(rows[i], "|") != strings.Join(w, "|") {
				t.Errorf("%s row %d: got %q, want %q", tt.lang, i, rows[min(i, len(rows)-1)], w)
			}
		}
		if last := rows[len(rows)-1]; last[1] != "total_left" {
			t.Errorf("last row %q", last)
		}
		if res, _ := s.get("/c/jardin-partage/campaigns/C9/ledger.csv"); res.StatusCode != 404 {
			t.Errorf("no such campaign: %d", res.StatusCode)
		}
	}
}

// Ensure a poll's results.csv gives the running count of a public poll, nothing
// of a hidden one before it closes, and the ranking once closed.
func TestResultsCSV(t *testing.T) {
	s := impactCommunity(t, "en", 2)
	s.say("alice", "/poll new single Color? | Red | Blue hidden")
	s.say("membera", "/vote V2 Blue")
	s.say("alice", "/poll new approval Day? | Monday | Friday")
	s.say("membera", "/vote V3 Friday")
	res, notFound := s.get("/c/jardin-partage/polls/V2/results.csv")
	if res.StatusCode != 404 || strings.Contains(notFound, "Blue") {
		t.Fatalf("hidden open poll: %d\n%s", res.StatusCode, notFound)
	}
	if _, body := s.get("/c/jardin-partage/polls/V3/results.csv"); body != "rank,option,votes\n,Monday,0\n,Friday,1\n" {
		t.Errorf("running count: %q", body)
	}
	s.say("alice", "/poll V2 close")
	res, body := s.get("/c/jardin-partage/polls/V2/results.csv")
	if res.StatusCode != 200 || body != "rank,option,votes\n1,Blue,1\n2,Red,0\n" {
		t.Errorf("closed: %d %q", res.StatusCode, body)
	}
	for _, p := range []string{"V9", "X1", "V1x"} {
		if res, _ := s.get("/c/jardin-partage/polls/" + p + "/results.csv"); res.StatusCode != 404 {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
}

// Ensure the badges are SVG images any site may show, their text escaped, and the
// widget alone may be framed by another site.
func TestBadgesAndWidget(t *testing.T) {
	s := impactCommunity(t, "en", 2)
	s.say("alice", `/campaign new donation <b>"x"</b> & co goal 100 until 2026-12-31`)
	s.say("membera", "/pledge C2 60")
	res, body := s.get("/c/jardin-partage/campaigns/C2/badge.svg")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("badge: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if strings.Contains(body, "<b>") || !strings.Contains(body, "&lt;b&gt;") || !strings.Contains(body, "&amp; co") || !strings.Contains(body, "60%") {
		t.Errorf("badge:\n%s", body)
	}
	if err := xml.Unmarshal([]byte(body), new(struct{})); err != nil {
		t.Errorf("badge is not XML: %v", err)
	}
	res, body = s.get("/c/jardin-partage/badge.svg")
	if res.StatusCode != 200 || !strings.Contains(body, "2 members · 1 project") || !strings.Contains(body, "Jardin Partagé") {
		t.Errorf("community badge: %d\n%s", res.StatusCode, body)
	}
	res, body = s.get("/c/jardin-partage/campaigns/C2/widget")
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors *") || res.Header.Get("X-Frame-Options") != "" {
		t.Fatalf("widget: %d %v", res.StatusCode, res.Header)
	}
	checkHTML(t, "widget", body)
	if !strings.Contains(body, `href="https://engage.example.org/c/jardin-partage/campaigns/C2"`) || !strings.Contains(body, "60%") {
		t.Errorf("widget:\n%s", body)
	}
	for _, p := range []string{"/c/jardin-partage/impact", "/c/jardin-partage/campaigns/C2/badge.svg", "/c/jardin-partage/impact.csv"} {
		if res, _ := s.get(p); !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s may be framed: %q", p, res.Header.Get("Content-Security-Policy"))
		}
	}
}

// Ensure every page of this part answers 404, the same page as an unknown
// community, once the community is unpublished.
func TestWeb2_Unpublished(t *testing.T) {
	s := impactCommunity(t, "en", 2)
	paths := []string{"/c/jardin-partage/impact", "/c/jardin-partage/impact.csv", "/c/jardin-partage/impact.json",
		"/c/jardin-partage/badge.svg", "/c/jardin-partage/campaigns/C1/ledger.csv", "/c/jardin-partage/campaigns/C1/badge.svg",
		"/c/jardin-partage/campaigns/C1/widget", "/c/jardin-partage/polls/V1/results.csv"}
	for _, p := range paths {
		if res, _ := s.get(p); res.StatusCode != 200 {
			t.Errorf("%s published: %d", p, res.StatusCode)
		}
	}
	_, unknown := s.get("/c/no-such/impact")
	s.say("alice", "/community publish off")
	for _, p := range paths {
		if res, body := s.get(p); res.StatusCode != 404 || body != unknown {
			t.Errorf("%s unpublished: %d", p, res.StatusCode)
		}
	}
}

// dashLink asks /dashboard as who and returns the link's path.
func dashLink(t *testing.T, s *site, who, cmd string) string {
	t.Helper()
	out := s.env.Say(who, cmd)
	if len(out) != 1 {
		t.Fatalf("%s: %q", cmd, botstest.Texts(out))
	}
	m := regexp.MustCompile(`https://engage\.example\.org(/d/[A-Za-z0-9._-]+)`).FindStringSubmatch(out[0].Text)
	if m == nil {
		t.Fatalf("no link in %q", out[0].Text)
	}
	return m[1]
}

// Ensure the dashboard a link opens shows what the public pages do not (the
// check-ins unanswered and who has not answered, overdue next steps, what
// backers still owe, polls' turnout), is neither cached nor indexed, and that a
// forged, altered, expired or revoked link gets the 404 page with nothing of the
// community, in both languages.
func TestDashboardPage(t *testing.T) {
	for _, tt := range []struct {
		lang, cmd, revoke string
		want              []string
	}{
		{"en", "/dashboard", "/dashboard revoke", []string{"The dashboard of Jardin Partagé", "rita: 1 check-in", "P1 Garden", "Dig the beds", "Still to collect: €15.00", "bob", "€25.00", "V1 · Lunch?", "25% of 4"}},
		{"fr", "/tableau", "/tableau revoquer", []string{"Le tableau de bord de Jardin Partagé", "rita : 1 point d’étape", "P1 Garden", "Dig the beds", "Reste à encaisser : 15,00 €", "bob", "25,00 €", "V1 · Lunch?", "25 % de 4"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			s := newSite2(t, tt.lang)
			s.say("rita", "/project new Garden")
			s.say("rita", "/nextstep P1 Dig the beds by 2026-12-03")
			s.say("fay", "hello")
			s.say("alice", "/role @fay facilitator")
			s.say("fay", "/checkin now")
			s.say("alice", "/campaign new donation Seeds goal 500 until 2026-12-31")
			s.say("bob", "/pledge C1 25")
			s.say("alice", "/collect C1 10 from bob")
			s.say("alice", "/poll new single Lunch? | Pizza | Salad hidden")
			s.say("bob", "/vote V1 Pizza")
			s.env.Clock.Set(s.env.Clock.Now().Add(3 * 24 * time.Hour))
			if out := s.say("bob", tt.cmd); strings.Contains(out, "/d/") {
				t.Fatalf("a member got a link: %q", out)
			}
			path := dashLink(t, s, "fay", tt.cmd)
			res, body := s.get(path)
			if res.StatusCode != 200 {
				t.Fatalf("status %d\n%s", res.StatusCode, body)
			}
			checkHTML(t, "dashboard", body)
			for _, w := range tt.want {
				if !strings.Contains(body, htmlEscape(w)) {
					t.Errorf("no %q in\n%s", w, body)
				}
			}
			if strings.Contains(body, "Pizza") {
				t.Error("the dashboard shows a hidden poll's tally")
			}
			if res.Header.Get("Cache-Control") != "no-store" || !strings.Contains(res.Header.Get("X-Robots-Tag"), "noindex") ||
				res.Header.Get("Referrer-Policy") != "no-referrer" || strings.Contains(body, path) {
				t.Errorf("headers %v", res.Header)
			}
			_, unknown := s.get("/d/nothing")
			tok := strings.TrimPrefix(path, "/d/")
			parts := strings.Split(tok, ".")
			other := newSite2(t, tt.lang)
			forged := dashLink(t, other, "alice", tt.cmd)
			bad := map[string]string{
				"forged":    forged,
				"altered":   "/d/" + strings.Join(append(append([]string{}, parts[:3]...), "99999999999", parts[4]), "."),
				"truncated": path[:len(path)-2],
			}
			for name, p := range bad {
				if res, body := s.get(p); res.StatusCode != 404 || body != unknown || strings.Contains(body, "Jardin") {
					t.Errorf("%s link: %d", name, res.StatusCode)
				}
			}
			s.env.Clock.Set(s.env.Clock.Now().Add(24 * time.Hour))
			if res, body := s.get(path); res.StatusCode != 404 || strings.Contains(body, "Jardin") {
				t.Errorf("expired link: %d", res.StatusCode)
			}
			fresh := dashLink(t, s, "alice", tt.cmd)
			if res, _ := s.get(fresh); res.StatusCode != 200 {
				t.Fatalf("fresh link: %d", res.StatusCode)
			}
			s.say("fay", tt.revoke)
			if res, body := s.get(fresh); res.StatusCode != 404 || strings.Contains(body, "Jardin") {
				t.Errorf("revoked link: %d", res.StatusCode)
			}
		})
	}
}

// htmlEscape escapes what html/template escapes in text.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// Ensure the impact page's preview card is a PNG image, in both languages.
func TestImpactCard(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		s := impactCommunity(t, lang, 3)
		res, body := s.get("/c/jardin-partage/impact/card.png")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(body, "\x89PNG") {
			t.Fatalf("%s: %d %q", lang, res.StatusCode, res.Header.Get("Content-Type"))
		}
		_, page := s.get("/c/jardin-partage/impact")
		if !strings.Contains(page, `<meta property="og:image" content="https://engage.example.org/c/jardin-partage/impact/card.png">`) {
			t.Errorf("%s: no card on the page", lang)
		}
	}
}

// Ensure a dashboard token never reaches the log, even when the page fails.
func TestLogPath_NoToken(t *testing.T) {
	if got := web.LogPathForTest("/d/d1.YzE.0.1796720400.SIG"); strings.Contains(got, "SIG") || !strings.HasPrefix(got, "/d/") {
		t.Errorf("logged %q", got)
	}
	if got := web.LogPathForTest("/c/club/impact"); got != "/c/club/impact" {
		t.Errorf("logged %q", got)
	}
}
