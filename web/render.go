package web

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/prompts"
)

// pageSet is the parsed page templates of one language: its functions write the
// catalog's texts, money and dates in that language.
type pageSet struct {
	lang string
	tmpl *template.Template
}

// loadPages parses templates/*.html once per language of the catalog.
func loadPages(cat *prompts.Catalog) (map[string]*pageSet, error) {
	out := map[string]*pageSet{}
	for _, lang := range core.Languages {
		text := func(key string, data ...any) string {
			var d any
			if len(data) > 0 {
				d = data[0]
			}
			return cat.Text(lang, key, d)
		}
		funcs := template.FuncMap{
			// t writes the catalog's text key: {{t "web.goal" .}}.
			"t": text,
			// money writes an amount with its currency as the language does.
			"money": func(m core.Money) string { return cat.Text(lang, "web.money", m) },
			// date and datetime write a day (with its time of day).
			"date":     func(t time.Time) string { return cat.Text(lang, "web.date", t) },
			"datetime": func(t time.Time) string { return cat.Text(lang, "web.datetime", t) },
			// svg makes an SVG image a data: address for an img element.
			"svg": func(b []byte) template.URL {
				return template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(b))
			},
		}
		sub, err := fs.Sub(files, "templates")
		if err != nil {
			return nil, err
		}
		t, err := template.New("").Funcs(funcs).Option("missingkey=error").ParseFS(sub, "*.html")
		if err != nil {
			return nil, err
		}
		out[lang] = &pageSet{lang: lang, tmpl: t}
	}
	return out, nil
}

// pageMeta is what the layout shows around a page: its title, its description
// and the addresses of its preview card.
type pageMeta struct {
	Lang        string
	Title       string // <title> and og:title
	Description string // meta description and og:description
	URL         string // the page's absolute address ("": none)
	Image       string // the preview image's absolute address ("": none)
	ImageAlt    string
	Site        string // og:site_name: the community's name
	// Other is the same page in the other language.
	OtherLang, OtherURL string
}

// layoutView is the data of the "layout" template: the page's meta and its body,
// rendered by html/template already.
type layoutView struct {
	Meta pageMeta
	Body template.HTML
}

// errorView is the data of the "error" page.
type errorView struct {
	Status int
}

// render renders page (a template name) with data inside the layout, in lang.
func (s *Server) render(lang, page string, meta pageMeta, data any) ([]byte, error) {
	set := s.pages[lang]
	if set == nil {
		set = s.pages[core.Languages[0]]
	}
	meta.Lang = set.lang
	var body bytes.Buffer
	if err := set.tmpl.ExecuteTemplate(&body, page, data); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	// The body is html/template's output: escaped already.
	if err := set.tmpl.ExecuteTemplate(&out, "layout", layoutView{Meta: meta, Body: template.HTML(body.String())}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// page renders a public page with the meta every page shares: the community's
// name as site, the page's address, its card and the other language's link.
func (s *Server) page(r *Request, name string, meta pageMeta, data any) (*Reply, error) {
	base := s.base(r.HTTP)
	path := r.HTTP.URL.Path
	meta.URL = base + path
	meta.Image = base + path + "/card.png"
	if r.Community != nil {
		meta.Site = r.Community.Name
	}
	for _, l := range core.Languages {
		if l != r.Lang {
			meta.OtherLang, meta.OtherURL = l, path+"?lang="+l
			break
		}
	}
	body, err := s.render(r.Lang, name, meta, data)
	if err != nil {
		return nil, err
	}
	return &Reply{Body: body}, nil
}

// base is the site's address: Options.BaseURL, or the request's host.
func (s *Server) base(r *http.Request) string {
	if s.opt.BaseURL != "" {
		return s.opt.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func itoa(n int) string { return strconv.Itoa(n) }
