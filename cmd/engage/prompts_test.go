package main

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/engage-org/engage/prompts"
)

// Ensure `engage prompts check` lists every template and system prompt per
// language and passes on the shipped texts.
func TestPromptsCheck(t *testing.T) {
	t.Parallel()
	out, stderr, code := runEngage(t, "", nil, "prompts", "check")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	for _, want := range []string{"en\tprompt\tcheckin\n", "fr\tprompt\tfaq\n", "fr\ttemplate\tqa.asked\n", "en\ttemplate\tllm.status\n", "no translation missing\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if _, _, code := runEngage(t, "", nil, "prompts"); code != 2 {
		t.Errorf("prompts without check: exit %d, want 2", code)
	}
}

// Ensure a text or a system prompt missing in one language fails the check and is
// named.
func TestCheckPrompts_Missing(t *testing.T) {
	t.Parallel()
	cat, err := prompts.LoadFS(fstest.MapFS{
		"templates/en/a.tmpl": {Data: []byte(`{{define "a.one"}}One{{end}}{{define "a.two"}}Two{{end}}`)},
		"templates/fr/a.tmpl": {Data: []byte(`{{define "a.one"}}Un{{end}}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	ins, err := prompts.LoadInstructionsFS(fstest.MapFS{
		"llm/schema/x.json": {Data: []byte(`{"type":"object","properties":{"t":{"type":"string"}},"required":["t"]}`)},
		"llm/en/x.txt":      {Data: []byte("X")},
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = checkPrompts(&out, cat, ins)
	if err == nil || !strings.Contains(err.Error(), "2 missing") {
		t.Fatalf("err: %v\n%s", err, out.String())
	}
	for _, want := range []string{"missing\tfr\ttemplate\ta.two\n", "missing\tfr\tprompt\tx\n", "en\ttemplate\ta.two\n", "fr: 1 templates, 0 prompts\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
