// Package web owns Engage's web pages: the public pages of a community that opened
// them (/community publish on), server-rendered with html/template from templates
// and one style sheet embedded in the binary, no JavaScript; their preview images;
// and the headers, rate limits and cache every page goes through.
//
// A page reads the engine in one read-only transaction, builds a typed view and
// renders it; every word on a page comes from the prompts catalog (the "web.*"
// texts), in the community's language unless ?lang= or Accept-Language asks for
// another. People appear by their display name only.
//
// web imports core, core/tally, prompts and chart; cmd/engage wires it.
package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/prompts"
	"golang.org/x/time/rate"
)

//go:embed templates static
var files embed.FS

// Options tune a Server.
type Options struct {
	// BaseURL is the address the pages are reached at from outside
	// ("https://engage.example.org"), for the absolute links of preview cards.
	// "": links are made from the request's Host.
	BaseURL string
	// Bots names the bot's username per platform ("telegram" → "EngageBot"), for
	// the deep links that open a conversation with it.
	Bots map[string]string
	// Rate is how many requests a second one client address may make to the public
	// pages, and Burst how many at once (0: 5 a second, bursts of 20).
	Rate  rate.Limit
	Burst int
	// MaxAge bounds how long a rendered page is kept while the data it shows
	// have not changed through this engine (0: 5 minutes): other instances'
	// changes and the passing of time (days left) show after it at the latest.
	MaxAge time.Duration
	// Now is the clock (nil: the engine's).
	Now func() time.Time
	// Log reports failures (nil: slog.Default()).
	Log *slog.Logger
}

// Server serves the web pages. It is an http.Handler, safe for concurrent use.
type Server struct {
	eng   *core.Engine
	cat   *prompts.Catalog
	opt   Options
	mux   *http.ServeMux
	pages map[string]*pageSet // language → parsed templates
	cache pageCache
	limit limiter
}

// New returns a Server reading eng, its texts from cat.
func New(eng *core.Engine, cat *prompts.Catalog, opt Options) (*Server, error) {
	if opt.Rate == 0 {
		opt.Rate = 5
	}
	if opt.Burst == 0 {
		opt.Burst = 20
	}
	if opt.MaxAge == 0 {
		opt.MaxAge = 5 * time.Minute
	}
	if opt.Now == nil {
		opt.Now = eng.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	opt.BaseURL = strings.TrimRight(opt.BaseURL, "/")
	s := &Server{eng: eng, cat: cat, opt: opt, mux: http.NewServeMux()}
	s.limit = limiter{rate: opt.Rate, burst: opt.Burst, clients: map[string]*client{}}
	var err error
	if s.pages, err = loadPages(cat); err != nil {
		return nil, err
	}
	for _, rt := range routes {
		s.mux.Handle(rt.pattern, s.serve(rt))
	}
	s.mux.HandleFunc("GET /static/", s.static)
	s.mux.HandleFunc("/", s.notFound)
	return s, nil
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	secure(w.Header(), false)
	s.mux.ServeHTTP(w, r)
}

// Patterns returns the ServeMux patterns the Server answers, for a caller that
// mounts it beside other handlers.
func Patterns() []string {
	out := []string{"GET /static/"}
	for _, rt := range routes {
		out = append(out, rt.pattern)
	}
	return out
}

// secure sets the headers every answer carries. frame allows any site to show
// the answer in a frame (the campaign widget alone).
func secure(h http.Header, frame bool) {
	ancestors := "'none'"
	if frame {
		ancestors = "*"
	}
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors "+ancestors+"; base-uri 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	if frame {
		h.Del("X-Frame-Options")
	} else {
		h.Set("X-Frame-Options", "DENY")
	}
}

// Request is one request as a page handler sees it: the community of a public
// route (nil on a private one), the language chosen, and a read-only transaction
// valid while the handler runs.
type Request struct {
	HTTP      *http.Request
	Tx        *core.Tx
	Community *core.Community
	Lang      string
	Now       time.Time
}

// Reply is what a page handler answers: a body and its type. A public route's
// reply is cached until the community's data change (or Options.MaxAge).
type Reply struct {
	Status int    // 0: 200
	Type   string // Content-Type ("": an HTML page)
	Body   []byte
	// Frame lets any site show the reply in a frame (the widget).
	Frame bool
	// Header holds more headers (Content-Disposition of a download…).
	Header http.Header
}

// errNotFound makes a handler's answer the 404 page.
var errNotFound = errors.New("not found")

// NotFound is what a handler returns for something that does not exist (or is not
// to be shown): the answer is the same 404 page as for an unknown community.
func NotFound() error { return errNotFound }

// serve wraps a route's handler: rate limit, language, community, cache, headers.
func (s *Server) serve(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.limit.allow(clientAddr(r)) {
			s.tooMany(w, r)
			return
		}
		lang := s.langOf(r, "")
		var key string
		var version uint64
		req := &Request{HTTP: r, Now: s.opt.Now()}
		if rt.public {
			slug := r.PathValue("slug")
			var comm *core.Community
			err := s.eng.View(r.Context(), func(tx *core.Tx) error {
				var err error
				comm, err = tx.PublishedCommunity(slug)
				return err
			})
			if err != nil {
				s.fail(w, r, lang, err)
				return
			}
			lang = s.langOf(r, comm.Lang)
			req.Community = comm
			version = s.eng.DataVersion(comm.ID)
			key = lang + "\x00" + r.URL.Path + "?" + r.URL.RawQuery
			if s.opt.BaseURL == "" {
				key += "\x00" + r.Host // the cards' absolute links name it
			}
			if e := s.cache.get(key, version, req.Now, s.opt.MaxAge); e != nil {
				s.write(w, r, e.reply, e.etag, true)
				return
			}
		}
		req.Lang = lang
		var rep *Reply
		err := s.eng.View(r.Context(), func(tx *core.Tx) error {
			req.Tx = tx
			var err error
			rep, err = rt.handle(s, req)
			return err
		})
		req.Tx = nil
		if err != nil {
			s.fail(w, r, lang, err)
			return
		}
		etag := etagOf(rep.Body)
		if rt.public {
			s.cache.put(key, &cacheEntry{version: version, at: req.Now, reply: rep, etag: etag})
		}
		s.write(w, r, rep, etag, rt.public)
	})
}

// write sends rep, or 304 when the client holds it already.
func (s *Server) write(w http.ResponseWriter, r *http.Request, rep *Reply, etag string, public bool) {
	h := w.Header()
	secure(h, rep.Frame)
	for k, v := range rep.Header {
		h[k] = v
	}
	typ := rep.Type
	if typ == "" {
		typ = "text/html; charset=utf-8"
	}
	h.Set("Content-Type", typ)
	if public {
		h.Set("Cache-Control", "public, no-cache")
		h.Set("ETag", etag)
		h.Add("Vary", "Accept-Language")
		if match(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	} else {
		h.Set("Cache-Control", "no-store")
	}
	status := rep.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(rep.Body)
	}
}

// match reports whether an If-None-Match header names etag.
func match(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimSpace(t)
		if t == etag || t == "W/"+etag || t == "*" {
			return true
		}
	}
	return false
}

func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// fail answers an error: the 404 page for what does not exist, 500 otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	code := core.ErrorCode(err)
	if errors.Is(err, errNotFound) || code == core.CodeNotFound || code == core.CodeInvalid {
		s.errorPage(w, r, lang, http.StatusNotFound)
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	s.opt.Log.Error("web page", "path", logPath(r.URL.Path), "err", err)
	s.errorPage(w, r, lang, http.StatusInternalServerError)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if !s.limit.allow(clientAddr(r)) {
		s.tooMany(w, r)
		return
	}
	s.errorPage(w, r, s.langOf(r, ""), http.StatusNotFound)
}

func (s *Server) tooMany(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "1")
	s.errorPage(w, r, s.langOf(r, ""), http.StatusTooManyRequests)
}

// errorPage renders the page of an HTTP error status in lang.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, lang string, status int) {
	body, err := s.render(lang, "error", pageMeta{Title: s.text(lang, fmt.Sprintf("web.error.%d", status), nil)}, errorView{Status: status})
	if err != nil {
		s.opt.Log.Error("web error page", "err", err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	h := w.Header()
	secure(h, false)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// staticFiles are the embedded files served under /static/, with their types.
var staticFiles = map[string]string{
	"web.css":     "text/css; charset=utf-8",
	"favicon.svg": "image/svg+xml",
}

// static serves the embedded style sheet and icon.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	typ, ok := staticFiles[name]
	if !ok {
		s.notFound(w, r)
		return
	}
	body, err := files.ReadFile("static/" + name)
	if err != nil {
		s.notFound(w, r)
		return
	}
	s.write(w, r, &Reply{Type: typ, Body: body}, etagOf(body), true)
}

// text renders a catalog text.
func (s *Server) text(lang, key string, data any) string { return s.cat.Text(lang, key, data) }

// pageCache keeps rendered public pages by route and language, each with the
// community's data version it was rendered at.
type pageCache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
	bytes   int
}

type cacheEntry struct {
	version uint64
	at      time.Time
	reply   *Reply
	etag    string
}

// maxCached and maxCachedBytes bound the replies kept (cards are tens of
// kilobytes); past either the cache starts again empty.
const (
	maxCached      = 4096
	maxCachedBytes = 32 << 20
)

func (c *pageCache) get(key string, version uint64, now time.Time, maxAge time.Duration) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil || e.version != version || now.Sub(e.at) >= maxAge || now.Before(e.at) {
		return nil
	}
	return e
}

func (c *pageCache) put(key string, e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[key]; old != nil {
		c.bytes -= len(old.reply.Body)
		delete(c.entries, key)
	}
	if c.entries == nil || len(c.entries) >= maxCached || c.bytes+len(e.reply.Body) > maxCachedBytes {
		c.entries, c.bytes = map[string]*cacheEntry{}, 0
	}
	c.entries[key] = e
	c.bytes += len(e.reply.Body)
}
