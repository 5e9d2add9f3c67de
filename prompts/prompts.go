// Package prompts owns every text Engage shows to people: message templates per
// language (French and English), plural rules, date formatting, and the French
// aliases of commands. Templates are text/template files embedded from templates/,
// one folder a language, each file defining named templates such as
// {{define "project.created"}}. No other package writes user-facing text.
//
// prompts also holds what the optional language model is told: its system prompts
// and answer schemas (files under llm/, see Instructions). The client that asks the
// model is the llm package's. prompts holds texts only.
//
// prompts imports core (for value types), the standard library and
// golang.org/x/text, never bots, adapters, store or a model's SDK.
package prompts

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

//go:embed templates
var files embed.FS

// Catalog holds the parsed templates of every language. It is safe for concurrent use.
type Catalog struct {
	sets    map[string]*template.Template // language → templates
	aliases map[string]string             // command alias → English command name
	words   map[string]string             // word alias inside a command → English word, where it differs
	langs   []string
	onError func(key string, err error) // tests: told of every text that fails
	kept    memo                        // texts rendered, by language, key and plain data
}

// DefaultLang is the language used when a text is missing in another one.
const DefaultLang = "en"

// Load parses the embedded templates.
func Load() (*Catalog, error) { return LoadFS(files) }

// LoadStrict parses the embedded templates for tests: a text that reads a key
// its data lacks fails (missingkey=error) instead of showing "<no value>", and
// every failure is reported to onError.
func LoadStrict(onError func(key string, err error)) (*Catalog, error) {
	return loadFS(files, "missingkey=error", onError)
}

// LoadFS parses templates from fsys, which holds templates/<lang>/*.tmpl and
// optionally templates/<lang>/aliases.txt.
func LoadFS(fsys fs.FS) (*Catalog, error) { return loadFS(fsys, "missingkey=zero", nil) }

func loadFS(fsys fs.FS, missing string, onError func(key string, err error)) (*Catalog, error) {
	c := &Catalog{sets: map[string]*template.Template{}, aliases: map[string]string{}, words: map[string]string{}, onError: onError}
	dirs, err := fs.ReadDir(fsys, "templates")
	if err != nil {
		return nil, fmt.Errorf("read templates: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		lang := d.Name()
		t := template.New(lang).Option(missing).Funcs(c.funcs(lang))
		pattern := path.Join("templates", lang, "*.tmpl")
		if _, err := t.ParseFS(fsys, pattern); err != nil {
			return nil, fmt.Errorf("parse %s templates: %w", lang, err)
		}
		c.sets[lang] = t
		c.langs = append(c.langs, lang)
		if raw, err := fs.ReadFile(fsys, path.Join("templates", lang, "aliases.txt")); err == nil {
			if err := c.readAliases(raw); err != nil {
				return nil, fmt.Errorf("%s aliases: %w", lang, err)
			}
		}
	}
	if c.sets[DefaultLang] == nil {
		return nil, fmt.Errorf("no %s templates", DefaultLang)
	}
	slices.Sort(c.langs)
	return c, nil
}

// readAliases reads lines "alias = command" (# starts a comment).
func (c *Catalog) readAliases(raw []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		alias, cmd, ok := strings.Cut(line, "=")
		if !ok {
			return fmt.Errorf("line %d: want alias = command", n)
		}
		alias, cmd = strings.TrimSpace(alias), strings.TrimSpace(cmd)
		if w, ok := strings.CutPrefix(alias, "~"); ok {
			c.words[strings.TrimSpace(w)] = cmd
			continue
		}
		c.aliases[alias] = cmd
	}
	return sc.Err()
}

// Langs returns the languages the catalog has.
func (c *Catalog) Langs() []string { return slices.Clone(c.langs) }

// Aliases returns a copy of the alias → command table of every language.
func (c *Catalog) Aliases() map[string]string {
	out := make(map[string]string, len(c.aliases))
	for k, v := range c.aliases {
		out[k] = v
	}
	return out
}

// WordAliases returns a copy of the table of words that mean something else
// inside a command than as its name ("~nouvelle = new" in aliases.txt: « /campagne
// nouvelle » opens a campaign, « /nouvelle P1 … » posts news).
func (c *Catalog) WordAliases() map[string]string {
	out := make(map[string]string, len(c.words))
	for k, v := range c.words {
		out[k] = v
	}
	return out
}

// Has reports whether lang defines key.
func (c *Catalog) Has(lang, key string) bool {
	t := c.sets[lang]
	return t != nil && t.Lookup(key) != nil
}

// Keys returns the template names lang defines, sorted.
func (c *Catalog) Keys(lang string) []string {
	t := c.sets[lang]
	if t == nil {
		return nil
	}
	var keys []string
	for _, x := range t.Templates() {
		if name := x.Name(); name != lang && !strings.HasSuffix(name, ".tmpl") {
			keys = append(keys, name)
		}
	}
	slices.Sort(keys)
	return keys
}

// Missing returns, per language, the keys some other language defines and it lacks.
func (c *Catalog) Missing() map[string][]string {
	all := map[string]bool{}
	for _, l := range c.langs {
		for _, k := range c.Keys(l) {
			all[k] = true
		}
	}
	out := map[string][]string{}
	for _, l := range c.langs {
		for k := range all {
			if !c.Has(l, k) {
				out[l] = append(out[l], k)
			}
		}
		slices.Sort(out[l])
	}
	return out
}

// Text renders key in lang with data. A key missing in lang falls back to English;
// a key missing everywhere, or a template that fails, renders as the key itself in
// brackets, so a gap shows without breaking the conversation (and tests catch it).
func (c *Catalog) Text(lang, key string, data any) string {
	t := c.sets[lang]
	if t == nil || t.Lookup(key) == nil {
		t = c.sets[DefaultLang]
	}
	if t.Lookup(key) == nil {
		if c.onError != nil {
			c.onError(key, fmt.Errorf("no text %q", key))
		}
		return "[" + key + "]"
	}
	k, keep := keyOf(lang, key, data)
	if keep {
		if s, ok := c.kept.get(k); ok {
			return s
		}
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, key, data); err != nil {
		if c.onError != nil {
			c.onError(key, err)
		}
		return "[" + key + ": " + err.Error() + "]"
	}
	s := strings.TrimSpace(b.String())
	if keep {
		c.kept.put(k, s)
	}
	return s
}

// funcs returns the template functions for lang.
func (c *Catalog) funcs(lang string) template.FuncMap {
	tag := language.Make(lang)
	return template.FuncMap{
		// t renders another key of the same language: {{t "role.admin" .}}.
		"t": func(key string, data ...any) string {
			var d any
			if len(data) > 0 {
				d = data[0]
			}
			return c.Text(lang, key, d)
		},
		// plural picks the singular or plural form by the language's rule (French
		// treats 0 and 1 as singular, English only 1): {{plural .N "vote" "votes"}}.
		"plural": func(n any, one, other string) string {
			if isOne(tag, toInt(n)) {
				return one
			}
			return other
		},
		// date formats a day: "mardi 15 décembre 2026" / "Tuesday 15 December 2026".
		"date": func(t time.Time) string { return c.date(lang, t, false) },
		// datetime adds the time of day.
		"datetime": func(t time.Time) string { return c.date(lang, t, true) },
		// short is a compact date: "15/12" or "15 Dec".
		"short": func(t time.Time) string {
			return fmt.Sprintf("%d %s", t.Day(), c.month(lang, t.Month(), true))
		},
		// weekday is the day's name: "mardi" / "Tuesday".
		"weekday": func(t time.Time) string { return c.weekday(lang, t.Weekday()) },
		"join":    strings.Join,
		"upper":   strings.ToUpper,
		"add":     func(a, b int) int { return a + b },
		"sub":     func(a, b int) int { return a - b },
		"half":    func(n int) int { return n / 2 },
		"zero":    func(t time.Time) bool { return t.IsZero() },
		// money writes an amount with its currency as the language does:
		// "1 854,02 €" / "€1,854.02".
		"money": func(m any) string { return c.money(lang, m) },
		// amount writes an amount's number alone, for a spreadsheet: "1854,02" / "1854.02".
		"amount": func(m any) string { return c.amount(lang, m) },
		// decimal writes a decimal number given as text ("2.5", a loan's rate)
		// with the language's decimal mark: "2,5" / "2.5".
		"decimal": func(s string) string { return decimalMark(lang, s) },
	}
}

func toInt(n any) int {
	switch v := n.(type) {
	case int:
		return v
	case int64:
		return int(v)
	case uint64:
		return int(v)
	case float64:
		return int(v)
	}
	return 0
}

func isOne(tag language.Tag, n int) bool {
	if n < 0 {
		n = -n
	}
	return plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0) == plural.One
}

// month returns the month's name from the "cal.months" (or "cal.months_short") key.
func (c *Catalog) month(lang string, m time.Month, short bool) string {
	key := "cal.months"
	if short {
		key = "cal.months_short"
	}
	names := strings.Split(c.Text(lang, key, nil), ",")
	if int(m) > len(names) {
		return m.String()
	}
	return strings.TrimSpace(names[m-1])
}

// weekday returns the day's name from the "cal.days" key.
func (c *Catalog) weekday(lang string, wd time.Weekday) string {
	days := strings.Split(c.Text(lang, "cal.days", nil), ",")
	if int(wd) < len(days) {
		return strings.TrimSpace(days[wd])
	}
	return wd.String()
}

func (c *Catalog) date(lang string, t time.Time, withTime bool) string {
	if t.IsZero() {
		return ""
	}
	day := c.weekday(lang, t.Weekday())
	s := c.Text(lang, "cal.date", map[string]any{
		"Weekday": day, "Day": t.Day(), "Month": c.month(lang, t.Month(), false), "Year": t.Year(),
	})
	if withTime {
		s += " " + c.Text(lang, "cal.time", map[string]any{"Hour": t.Hour(), "Minute": fmt.Sprintf("%02d", t.Minute())})
	}
	return s
}
