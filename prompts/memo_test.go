package prompts_test

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/engage-org/engage/prompts"
)

func memoCatalog(t *testing.T) *prompts.Catalog {
	t.Helper()
	c, err := prompts.LoadFS(fstest.MapFS{
		"templates/en/t.tmpl": {Data: []byte(`{{define "name"}}{{.Name}}{{end}}` +
			`{{define "list"}}{{range .Items}}[{{.}}]{{end}}{{.N}}{{end}}` +
			`{{define "when"}}{{date .At}}{{end}}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type nameData struct{ Name string }

type listData struct {
	Items []string
	N     int
}

type refData struct{ P *nameData }

// TestText_KeptTextsFollowTheirData checks that a text kept once rendered is
// only ever given for data that renders the same: equal plain values, equal
// slice contents (changed in place too), and never for data behind a pointer.
func TestText_KeptTextsFollowTheirData(t *testing.T) {
	c := memoCatalog(t)
	if got := c.Text("en", "name", nameData{"Ada"}); got != "Ada" {
		t.Fatalf("got %q", got)
	}
	if got := c.Text("en", "name", nameData{"Bob"}); got != "Bob" {
		t.Errorf("another name: got %q", got)
	}
	items := []string{"a", "b"}
	for _, tt := range []struct {
		data listData
		want string
	}{
		{listData{items, 1}, "[a][b]1"},
		{listData{[]string{"a,b"}, 1}, "[a,b]1"},
		{listData{[]string{"a", "b"}, 2}, "[a][b]2"},
		{listData{nil, 1}, "1"},
	} {
		if got := c.Text("en", "list", tt.data); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.data, got, tt.want)
		}
	}
	items[0] = "z" // the same slice, changed in place
	if got := c.Text("en", "list", listData{items, 1}); got != "[z][b]1" {
		t.Errorf("slice changed in place: got %q", got)
	}
	p := &nameData{"Ada"}
	if got := c.Text("en", "name", refData{p}.P); got != "Ada" {
		t.Fatalf("got %q", got)
	}
	p.Name = "Eve"
	if got := c.Text("en", "name", p); got != "Eve" {
		t.Errorf("data behind a pointer changed: got %q", got)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	at := time.Date(2026, 12, 7, 23, 30, 0, 0, time.UTC)
	a, b := c.Text("en", "when", map[string]any{"At": at}), c.Text("en", "when", struct{ At time.Time }{at.In(paris)})
	if a == "" || b == "" {
		t.Fatalf("no date: %q %q", a, b)
	}
	if again := c.Text("en", "when", struct{ At time.Time }{at}); again != a {
		t.Errorf("same instant and zone: %q then %q", a, again)
	}
}
