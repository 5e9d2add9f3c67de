package bots

import "testing"

// Ensure an option is read from its value or label (any case), else its number —
// except among numbered options (a score), where a number is a value.
func TestPickOption(t *testing.T) {
	grades := Field{Options: []Option{{Label: "Bad", Value: "reject"}, {Label: "Good", Value: "good"}, {Label: "Excellent", Value: "excellent"}}}
	scores := Field{Options: []Option{{Label: "0", Value: "0"}, {Label: "1", Value: "1"}, {Label: "2", Value: "2"}}}
	for _, tt := range []struct {
		f      Field
		in     string
		want   string
		wantOK bool
	}{
		{grades, "good", "good", true},
		{grades, "EXCELLENT", "excellent", true},
		{grades, "bad", "reject", true},
		{grades, "1", "reject", true},
		{grades, "4", "4", false},
		{grades, "great", "great", false},
		{scores, "1", "1", true},
		{scores, "2", "2", true},
		{scores, "3", "3", false},
	} {
		got, ok := pickOption(tt.f, tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("pickOption(%q) = %q %v, want %q %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}
