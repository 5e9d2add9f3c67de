package bots

import (
	"strings"
	"time"
	"unicode"

	"github.com/engage-org/engage/bots/when"
	"github.com/engage-org/engage/core"
)

// connectors are the words that introduce a due date at the end of a text.
var connectors = []string{"by", "before", "until", "pour le", "pour", "d'ici le", "d'ici", "avant le", "avant", "jusqu'au"}

// findDue splits "TEXT [by DATE]" into the text and the due time: the end of the
// day for a date alone, in the community's zone (zero when no date is given). A date
// that is there but cannot be read ("by 31/02") is refused with err.bad_date.
func (c *call) findDue(s string) (string, time.Time, error) {
	s = strings.TrimSpace(s)
	// A connector left dangling (a form's empty date field: "Plant seeds by").
	for _, w := range connectors {
		if head, ok := cutSuffixFold(s, " "+w); ok {
			s = strings.TrimSpace(head)
			break
		}
	}
	d, rest, ok := when.Find(s, c.own, c.tx.Now(), c.comm.Location())
	if !ok {
		if tail := afterConnector(s); strings.IndexFunc(tail, unicode.IsDigit) >= 0 {
			return "", time.Time{}, core.Errorf(core.CodeInvalid, "err.bad_date", "text", tail)
		}
		return s, time.Time{}, nil
	}
	return strings.TrimSpace(rest), d.End(), nil
}

// afterConnector returns what follows the last connector word in s ("" if none).
func afterConnector(s string) string {
	low := strings.ToLower(s)
	best := -1
	var tail string
	for _, w := range connectors {
		if i := strings.LastIndex(low, " "+w+" "); i > best {
			best, tail = i, s[i+len(w)+2:]
		}
	}
	return strings.TrimSpace(tail)
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}
