package web

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/engage-org/engage/core"
)

// Badges are small SVG images other sites embed (<img src=".../badge.svg">): a
// campaign's progress, a community's headline figures. Their text is the
// community's, escaped; nothing in them runs.

// badgeView is what a badge says: a label, and a value on a coloured ground.
type badgeView struct {
	Label, Value string
	Color        string // the value's ground, #rrggbb
	Percent      int    // a progress bar under the value (-1: none)
}

// Badge colours.
const (
	badgeGrey  = "#555555"
	badgeGreen = "#2e7d32"
	badgeBlue  = "#1f77b4"
	badgeAmber = "#b26a00"
)

// maxBadgeLabel bounds the characters of a badge's label.
const maxBadgeLabel = 32

// textWidth estimates the width in pixels of s in 11 px Verdana-like type.
func textWidth(s string) int { return utf8.RuneCountInString(s)*7 + 10 }

// svg draws the badge.
func (b badgeView) svg() []byte {
	label := clipRunes(b.Label, maxBadgeLabel)
	lw, vw := textWidth(label), textWidth(b.Value)
	w := lw + vw
	h := 20
	if b.Percent >= 0 {
		h = 24
	}
	esc := func(s string) string {
		var buf bytes.Buffer
		_ = xml.EscapeText(&buf, []byte(s))
		return buf.String()
	}
	i := strconv.Itoa
	var out bytes.Buffer
	title := esc(label + ": " + b.Value)
	out.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="` + i(w) + `" height="` + i(h) + `" role="img" aria-label="` + title + `">`)
	out.WriteString(`<title>` + title + `</title>`)
	out.WriteString(`<rect width="` + i(lw) + `" height="20" fill="` + badgeGrey + `"/>`)
	out.WriteString(`<rect x="` + i(lw) + `" width="` + i(vw) + `" height="20" fill="` + b.Color + `"/>`)
	if b.Percent >= 0 {
		filled := w * min(max(b.Percent, 0), 100) / 100
		out.WriteString(`<rect y="20" width="` + i(w) + `" height="4" fill="#dddddd"/>`)
		out.WriteString(`<rect y="20" width="` + i(filled) + `" height="4" fill="` + badgeGreen + `"/>`)
	}
	out.WriteString(`<g fill="#ffffff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">`)
	out.WriteString(`<text x="5" y="14">` + esc(label) + `</text>`)
	out.WriteString(`<text x="` + i(lw+5) + `" y="14">` + esc(b.Value) + `</text>`)
	out.WriteString(`</g></svg>`)
	return out.Bytes()
}

// clipRunes cuts s to n characters, an ellipsis ending a cut one.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// svgReply is a badge any site may show.
func svgReply(body []byte) *Reply {
	h := http.Header{}
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	return &Reply{Type: "image/svg+xml", Body: body, Header: h}
}

// campaignBadge: /c/SLUG/campaigns/C1/badge.svg — the share of the goal pledged.
func (s *Server) campaignBadge(r *Request) (*Reply, error) {
	camp, err := r.Tx.Campaign(r.Community.ID, r.HTTP.PathValue("id"))
	if err != nil {
		return nil, err
	}
	it := s.campaignItem(r, camp)
	b := badgeView{Label: camp.ID() + " " + camp.Title, Value: s.text(r.Lang, "web.badge.campaign", it), Color: badgeBlue, Percent: it.Percent}
	switch {
	case it.Percent >= 100:
		b.Color = badgeGreen
	case camp.Status == core.CampaignFailed:
		b.Color = badgeGrey
	case it.Ended:
		b.Color = badgeAmber
	}
	return svgReply(b.svg()), nil
}

// communityBadgeView is the data of a community's badge.
type communityBadgeView struct {
	Members, Projects int
}

// communityBadge: /c/SLUG/badge.svg — members and active projects.
func (s *Server) communityBadge(r *Request) (*Reply, error) {
	c := r.Community
	members, err := r.Tx.CountMembers(c.ID)
	if err != nil {
		return nil, err
	}
	ps, err := r.Tx.Projects(c.ID, nil)
	if err != nil {
		return nil, err
	}
	v := communityBadgeView{Members: members}
	for _, p := range ps {
		if p.Active() {
			v.Projects++
		}
	}
	b := badgeView{Label: c.Name, Value: s.text(r.Lang, "web.badge.community", v), Color: badgeBlue, Percent: -1}
	return svgReply(b.svg()), nil
}

// widgetView is the data of a campaign's widget.
type widgetView struct {
	Lang      string
	Item      campaignItem
	Community string
	Page      string // the campaign page's absolute address
}

// campaignWidget: /c/SLUG/campaigns/C1/widget — a small page other sites show in
// a frame: the campaign's progress and a link to its page. Its answer alone lets
// any site frame it.
func (s *Server) campaignWidget(r *Request) (*Reply, error) {
	camp, err := r.Tx.Campaign(r.Community.ID, r.HTTP.PathValue("id"))
	if err != nil {
		return nil, err
	}
	it := s.campaignItem(r, camp)
	v := widgetView{Lang: r.Lang, Item: it, Community: r.Community.Name, Page: s.base(r.HTTP) + it.URL}
	set := s.pages[r.Lang]
	if set == nil {
		set = s.pages[core.Languages[0]]
	}
	v.Lang = set.lang
	var b bytes.Buffer
	if err := set.tmpl.ExecuteTemplate(&b, "widget", v); err != nil {
		return nil, err
	}
	return &Reply{Body: b.Bytes(), Frame: true}, nil
}
