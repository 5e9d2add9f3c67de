package core_test

import (
	"testing"
	"time"

	"github.com/engage-org/engage/core"
)

// Ensure zones are read once and then remembered, and unknown ones refused.
func TestLoadLocation(t *testing.T) {
	a, err := core.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	b, err := core.LoadLocation("Europe/Paris")
	if err != nil || a != b {
		t.Errorf("second load = %p, %v; want the same %p", b, err, a)
	}
	if a.String() != "Europe/Paris" {
		t.Errorf("zone = %s", a)
	}
	if _, err := core.LoadLocation("Nowhere/Else"); err == nil {
		t.Error("an unknown zone loads")
	}
	c := &core.Community{TimeZone: "Nowhere/Else"}
	if c.Location() != time.UTC {
		t.Errorf("unknown community zone = %s, want UTC", c.Location())
	}
}
