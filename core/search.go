package core

import (
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// SearchEntry is one findable thing of a community's sharing space: a news post, a
// next step, a need, a decision or a result.
type SearchEntry struct {
	Kind string `json:"kind"` // project, news, nextstep, need, decision, result, meeting
	Ref  string `json:"ref"`  // the short ID it belongs to ("P3", "V2")
	Text string `json:"text"`
	// Title is the title of the project or campaign the entry is about, kept
	// apart from Text so that each language joins them its own way ("Jardin
	// partagé : …"); empty in entries written before it and in those whose Text
	// is the title.
	Title string `json:"title,omitempty"`
	// Status is a campaign result's status ("succeeded"), for the texts to name.
	Status string    `json:"status,omitempty"`
	At     time.Time `json:"at"`
}

// fold lowercases s and strips accents, for accent-insensitive matching. ASCII
// has no accent to strip; other text goes through a pooled transformer (a new
// chain allocates two 4 KB buffers, and a ballot folds every option).
func fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(strings.TrimSpace(s))
	}
	t := accentStrippers.Get().(transform.Transformer)
	out, _, err := transform.String(t, s)
	accentStrippers.Put(t)
	if err != nil {
		out = s
	}
	return strings.ToLower(strings.TrimSpace(out))
}

// accentStrippers holds transformers that decompose, drop combining marks and
// recompose; transform.String resets the one it is given.
var accentStrippers = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// isASCII reports whether s has only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Fold lowercases s and strips accents ("Étape" → "etape").
func Fold(s string) string { return fold(s) }

// Index adds an entry to community c's sharing space (used by other parts of the
// engine, such as poll results).
func (tx *Tx) index(c CommunityID, kind, ref, text string) error {
	return tx.indexEntry(c, SearchEntry{Kind: kind, Ref: ref, Text: text})
}

// indexEntry adds e, dated now, to community c's sharing space.
func (tx *Tx) indexEntry(c CommunityID, e SearchEntry) error {
	seq, err := tx.next("search/" + string(c))
	if err != nil {
		return err
	}
	e.At = tx.now
	return tx.putJSON(bucketSearch, key(string(c), pad(seq)), e)
}

// MaxFindResults bounds what /find returns.
const MaxFindResults = 10

// Find returns the entries of community c's sharing space that contain every word of
// query (case- and accent-insensitive), newest first. Returns CodeInvalid when the
// query has no word.
func (tx *Tx) Find(c CommunityID, query string) ([]SearchEntry, error) {
	words := strings.FieldsFunc(fold(query), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) == 0 {
		return nil, Errorf(CodeInvalid, "err.missing", "what", "words")
	}
	var out []SearchEntry
	err := scanJSON(tx, bucketSearch, string(c)+"/", true, func(_ string, e *SearchEntry) error {
		text := fold(e.Title + " " + e.Text + " " + e.Ref)
		for _, w := range words {
			if !strings.Contains(text, w) {
				return nil
			}
		}
		out = append(out, *e)
		if len(out) >= MaxFindResults {
			return ErrStop
		}
		return nil
	})
	return out, err
}
