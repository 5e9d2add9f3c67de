package bots

import (
	"testing"
	"time"

	"github.com/engage-org/engage/core"
)

// Ensure the weekly slot keeps its wall-clock time across daylight-saving changes,
// once a week, including when its time falls in the hour that is skipped (spring) or
// repeated (autumn), where cron alone would skip a week or fire twice.
func TestNextSlot_DST(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		wd        time.Weekday
		h, m      int
		from      time.Time
		want      []string // successive slots, local time
		wantZones []string
	}{
		{"EveningAcrossSpring", time.Tuesday, 18, 0, time.Date(2027, 3, 20, 0, 0, 0, 0, paris),
			[]string{"2027-03-23 18:00", "2027-03-30 18:00", "2027-04-06 18:00"}, []string{"CET", "CEST", "CEST"}},
		{"EveningAcrossAutumn", time.Tuesday, 18, 0, time.Date(2027, 10, 20, 0, 0, 0, 0, paris),
			[]string{"2027-10-26 18:00", "2027-11-02 18:00"}, []string{"CEST", "CET"}},
		{"InTheSpringGap", time.Sunday, 2, 30, time.Date(2027, 3, 20, 0, 0, 0, 0, paris),
			[]string{"2027-03-21 02:30", "2027-03-28 03:30", "2027-04-04 02:30"}, []string{"CET", "CEST", "CEST"}},
		{"InTheRepeatedHour", time.Sunday, 2, 30, time.Date(2027, 10, 24, 5, 0, 0, 0, paris),
			[]string{"2027-10-31 02:30", "2027-11-07 02:30"}, []string{"CEST", "CET"}},
		{"UTC", time.Monday, 9, 15, time.Date(2026, 12, 28, 9, 15, 0, 0, time.UTC),
			[]string{"2027-01-04 09:15", "2027-01-11 09:15"}, []string{"UTC", "UTC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &core.Facilitation{Weekday: tt.wd, Hour: tt.h, Minute: tt.m, Zone: tt.from.Location().String()}
			at := tt.from
			for i, want := range tt.want {
				next, err := nextSlot(f, at)
				if err != nil {
					t.Fatal(err)
				}
				next = next.In(tt.from.Location())
				if got := next.Format("2006-01-02 15:04"); got != want {
					t.Fatalf("slot %d: got %s, want %s", i+1, got, want)
				}
				if zone, _ := next.Zone(); zone != tt.wantZones[i] {
					t.Errorf("slot %d in %s, want %s", i+1, zone, tt.wantZones[i])
				}
				at = next
			}
		})
	}
}

// Ensure splitText cuts between lines, and inside a line only when it alone is too
// long, never losing a character.
func TestSplitText(t *testing.T) {
	tests := []struct {
		text  string
		limit int
		want  []string
	}{
		{"short", 10, []string{"short"}},
		{"aaaa\nbbbb\ncccc", 10, []string{"aaaa\nbbbb", "cccc"}},
		{"aaaa bbbb cccc dddd", 10, []string{"aaaa bbbb", "cccc dddd"}},
		{"ééééééééééé", 5, []string{"ééééé", "ééééé", "é"}},
	}
	for _, tt := range tests {
		got := splitText(tt.text, tt.limit)
		if len(got) != len(tt.want) {
			t.Fatalf("splitText(%q, %d) = %q, want %q", tt.text, tt.limit, got, tt.want)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("splitText(%q, %d) = %q, want %q", tt.text, tt.limit, got, tt.want)
			}
		}
	}
}
