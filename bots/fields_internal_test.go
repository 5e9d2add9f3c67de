package bots

import (
	"maps"
	"testing"
)

func TestParseFields(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]string // nil: refused
	}{
		{`email=a@b.org`, map[string]string{"email": "a@b.org"}},
		{`phone=+33 6 12 34 56 78 email=a@b.org`, map[string]string{"phone": "+33 6 12 34 56 78", "email": "a@b.org"}},
		{`when=Tuesday evening`, map[string]string{"when": "Tuesday evening"}},
		{`when="Tuesday evening" handle=@al`, map[string]string{"when": "Tuesday evening", "handle": "@al"}},
		{`when=“après 18 h” phone=06`, map[string]string{"when": "après 18 h", "phone": "06"}},
		{`Téléphone=06 12`, map[string]string{"telephone": "06 12"}},
		{`email`, nil},
		{`=x`, nil},
		{`when="open quote`, nil},
		{`two words=x`, nil},
	} {
		got, err := parseFields(tc.in)
		if tc.want == nil {
			if err == nil {
				t.Errorf("parseFields(%q) = %v, want a refusal", tc.in, got)
			}
			continue
		}
		if err != nil || !maps.Equal(got, tc.want) {
			t.Errorf("parseFields(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}
