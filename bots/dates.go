package bots

import (
	"regexp"
	"strings"
	"time"
)

var isoDue = regexp.MustCompile(`(?i)\s+(?:by|pour le|d'ici le|avant le)\s+(\d{4}-\d{2}-\d{2})\s*$`)

// findDue splits "TEXT [by DATE]" into the text and the end of the due day in the
// community's zone (zero when no date is found).
func (c *call) findDue(s string) (string, time.Time) {
	m := isoDue.FindStringSubmatchIndex(s)
	if m == nil {
		return strings.TrimSpace(s), time.Time{}
	}
	d, err := time.ParseInLocation("2006-01-02", s[m[2]:m[3]], c.comm.Location())
	if err != nil {
		return strings.TrimSpace(s), time.Time{}
	}
	return strings.TrimSpace(s[:m[0]]), d.AddDate(0, 0, 1).Add(-time.Second)
}
