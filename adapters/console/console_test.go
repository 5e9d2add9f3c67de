package console

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engage-org/engage/bots"
)

// Ensure every attachment is written to the Files folder under its own name and its
// path printed; a different file of the same name gets -2, the same file is not
// written twice, a name cannot leave the folder, and without Files nothing is
// written.
func TestSend_WritesAttachments(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	var out bytes.Buffer
	c := New(Config{Out: &out, Files: dir})
	send := func(name string, data []byte) string {
		t.Helper()
		out.Reset()
		if _, err := c.Send(context.Background(), bots.Message{ChatID: GroupChat, Text: "result", Attachment: &bots.Attachment{Name: name, Type: "image/png", Data: data}}); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	tests := []struct {
		name string
		data []byte
		want string // the file written, in dir
	}{
		{"V1.png", []byte("one"), "V1.png"},
		{"V1.png", []byte("one"), "V1.png"},   // the same file again
		{"V1.png", []byte("two"), "V1-2.png"}, // another file of that name
		{"V1.png", []byte("three"), "V1-3.png"},
		{"../../escape.ics", []byte("cal"), "escape.ics"},
		{`..\..\win.csv`, []byte("csv"), "win.csv"},
		{"..", []byte("x"), "attachment"},
	}
	for _, tt := range tests {
		got := send(tt.name, tt.data)
		path := filepath.Join(dir, tt.want)
		if !strings.HasSuffix(got, " → "+path+"\n") {
			t.Fatalf("%s: printed %q, want the path %s", tt.name, got, path)
		}
		if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, tt.data) {
			t.Fatalf("%s: %s holds %q (%v), want %q", tt.name, path, b, err, tt.data)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 6 {
		t.Fatalf("%d files in the folder, want 6", len(entries))
	}
	var plain bytes.Buffer
	c = New(Config{Out: &plain})
	if _, err := c.Send(context.Background(), bots.Message{ChatID: GroupChat, Text: "x", Attachment: &bots.Attachment{Name: "V9.png", Type: "image/png", Data: []byte("z")}}); err != nil {
		t.Fatal(err)
	}
	if got := plain.String(); !strings.HasSuffix(got, "📎 V9.png (image/png, 1 bytes)\n") {
		t.Fatalf("without Files: %q", got)
	}
}
