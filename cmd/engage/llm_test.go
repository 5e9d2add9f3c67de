package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/llm"
)

// Ensure a reply in French and one in English go through the language model end
// to end: the console, configured from the environment, asks a fake
// OpenAI-compatible server, and the next steps are the model's readings, checked by
// the rules. The API key is sent, and never printed.
func TestConsole_LLMCheckin(t *testing.T) {
	t.Parallel()
	fake := botstest.NewFakeLLM(t, func(r botstest.LLMRequest) botstest.LLMReply {
		if r.Task != llm.TaskCheckin || r.Auth != "Bearer sk-test-secret" {
			return botstest.LLMReply{Status: 400}
		}
		reply, _ := r.Data["reply"].(string)
		switch {
		case strings.Contains(reply, "Saint-Jean"):
			return botstest.LLMReply{Content: `{"next_step":"boucler le prototype du four","due_date":"2027-06-24","shared":"yes","confidence":0.9}`}
		case strings.Contains(reply, "Easter"):
			return botstest.LLMReply{Content: `{"next_step":"sort the permit paperwork","due_date":"2027-03-19","shared":"yes","confidence":0.85}`}
		}
		return botstest.LLMReply{Content: `{"next_step":"","due_date":"","shared":"unknown","confidence":0}`}
	})
	script, err := os.ReadFile(filepath.Join("testdata", "llm-checkin.txt"))
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "llm.db")
	env := []string{"ENGAGE_LLM_BASE_URL=" + fake.URL, "ENGAGE_LLM_MODEL=fake-model", "ENGAGE_LLM_API_KEY=sk-test-secret"}
	out, stderr, code := runEngage(t, string(script), env, "console", "--db", db, "--lang", "fr", "--now", "2026-12-01T09:00")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	golden(t, "llm-checkin.golden", out)
	for _, want := range []string{"« boucler le prototype du four », pour le jeudi 24 juin 2027", "“sort the permit paperwork”, by Friday 19 March 2027"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "sk-test-secret") {
		t.Error("the API key was printed")
	}
	reqs := fake.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d model calls, want 2", len(reqs))
	}
	exp, _, _ := runEngage(t, "", nil, "export", "--db", db)
	for _, want := range []string{`"text": "boucler le prototype du four"`, `"text": "sort the permit paperwork"`} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	// The same script without a model: the rules answer, and the date is asked again.
	out, _, _ = runEngage(t, string(script), nil, "console", "--db", filepath.Join(t.TempDir(), "rules.db"), "--lang", "fr", "--now", "2026-12-01T09:00")
	if strings.Contains(out, "boucler le prototype du four") || !strings.Contains(out, "pas de modèle configuré") {
		t.Errorf("without a model:\n%s", out)
	}
}

// Ensure the llm settings are checked when a base URL is set, and no model is made
// without one.
func TestOpenModel(t *testing.T) {
	t.Parallel()
	log := newLogger(LogConfig{Level: "error"}, io.Discard)
	ok := LLMConfig{BaseURL: "http://127.0.0.1:11434/v1", Model: "m", Timeout: 8 * time.Second, MonthlyCalls: 10}
	if m, err := openModel(ok, log); err != nil || m == nil {
		t.Fatalf("got %v, %v", m, err)
	}
	if m, err := openModel(LLMConfig{Model: "m", Timeout: time.Second, MonthlyCalls: 1}, log); err != nil || m != nil {
		t.Fatalf("without a base URL: got %v, %v", m, err)
	}
	for name, bad := range map[string]func(*LLMConfig){
		"no model":     func(c *LLMConfig) { c.Model = "" },
		"long timeout": func(c *LLMConfig) { c.Timeout = time.Minute },
		"no timeout":   func(c *LLMConfig) { c.Timeout = 0 },
		"no budget":    func(c *LLMConfig) { c.MonthlyCalls = 0 },
		"not http":     func(c *LLMConfig) { c.BaseURL = "localhost:11434" },
	} {
		c := ok
		bad(&c)
		if _, err := openModel(c, log); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
