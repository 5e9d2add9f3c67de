package web

import (
	"net/http"
	"strings"

	"github.com/engage-org/engage/core"
	"golang.org/x/text/language"
)

var langMatcher = language.NewMatcher(func() []language.Tag {
	var tags []language.Tag
	for _, l := range core.Languages {
		tags = append(tags, language.Make(l))
	}
	return tags
}())

// langOf chooses a page's language: ?lang=, then the browser's Accept-Language
// when it names one of ours, then the community's (def), then the default.
func (s *Server) langOf(r *http.Request, def string) string {
	if l := strings.ToLower(r.URL.Query().Get("lang")); core.ValidLang(l) {
		return l
	}
	if h := r.Header.Get("Accept-Language"); h != "" {
		if tags, _, err := language.ParseAcceptLanguage(h); err == nil && len(tags) > 0 {
			if _, i, conf := langMatcher.Match(tags...); conf != language.No {
				return core.Languages[i]
			}
		}
	}
	if core.ValidLang(def) {
		return def
	}
	return core.Languages[0]
}
