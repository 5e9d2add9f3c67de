package prompts

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed llm
var llmFiles embed.FS

// Instructions are what the optional language model is told: a system prompt per
// task and language (llm/<lang>/<task>.txt) and the JSON schema of each task's
// answer (llm/schema/<task>.json). They are files next to the message templates,
// embedded, so that `engage prompts check` lists them and their translations are
// kept complete like the templates'. A system prompt holds no data: what people
// typed goes in the user message, as JSON between <data> and </data>.
type Instructions struct {
	system  map[string]map[string]string // language → task → system prompt
	schemas map[string]json.RawMessage   // task → schema, compacted
	langs   []string
}

// LoadInstructions reads the embedded system prompts and schemas.
func LoadInstructions() (*Instructions, error) { return LoadInstructionsFS(llmFiles) }

// LoadInstructionsFS reads llm/<lang>/<task>.txt and llm/schema/<task>.json from
// fsys. Every task of every language needs its schema, and every schema must be a
// JSON object schema.
func LoadInstructionsFS(fsys fs.FS) (*Instructions, error) {
	in := &Instructions{system: map[string]map[string]string{}, schemas: map[string]json.RawMessage{}}
	schemas, err := fs.Glob(fsys, "llm/schema/*.json")
	if err != nil {
		return nil, fmt.Errorf("list schemas: %w", err)
	}
	for _, p := range schemas {
		task := strings.TrimSuffix(path.Base(p), ".json")
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("read schema %s: %w", task, err)
		}
		var def struct {
			Type       string                     `json:"type"`
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(raw, &def); err != nil {
			return nil, fmt.Errorf("schema %s: %w", task, err)
		}
		if def.Type != "object" || len(def.Properties) == 0 {
			return nil, fmt.Errorf("schema %s: not an object schema with properties", task)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			return nil, fmt.Errorf("schema %s: %w", task, err)
		}
		in.schemas[task] = compact.Bytes()
	}
	dirs, err := fs.ReadDir(fsys, "llm")
	if err != nil {
		return nil, fmt.Errorf("read llm prompts: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "schema" {
			continue
		}
		lang := d.Name()
		files, err := fs.Glob(fsys, path.Join("llm", lang, "*.txt"))
		if err != nil {
			return nil, fmt.Errorf("list %s prompts: %w", lang, err)
		}
		in.system[lang] = map[string]string{}
		for _, f := range files {
			task := strings.TrimSuffix(path.Base(f), ".txt")
			if _, ok := in.schemas[task]; !ok {
				return nil, fmt.Errorf("%s prompt %s has no schema llm/schema/%s.json", lang, task, task)
			}
			raw, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("read %s prompt %s: %w", lang, task, err)
			}
			in.system[lang][task] = strings.TrimSpace(string(raw))
		}
		in.langs = append(in.langs, lang)
	}
	if len(in.system[DefaultLang]) == 0 {
		return nil, fmt.Errorf("no %s system prompts", DefaultLang)
	}
	slices.Sort(in.langs)
	return in, nil
}

// Langs returns the languages that have system prompts.
func (in *Instructions) Langs() []string { return slices.Clone(in.langs) }

// Tasks returns the tasks lang has a system prompt for, sorted.
func (in *Instructions) Tasks(lang string) []string {
	var out []string
	for t := range in.system[lang] {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// Missing returns, per language, the tasks some other language has a system prompt
// for and it lacks.
func (in *Instructions) Missing() map[string][]string {
	all := map[string]bool{}
	for _, l := range in.langs {
		for t := range in.system[l] {
			all[t] = true
		}
	}
	out := map[string][]string{}
	for _, l := range in.langs {
		for t := range all {
			if _, ok := in.system[l][t]; !ok {
				out[l] = append(out[l], t)
			}
		}
		slices.Sort(out[l])
	}
	return out
}

// System returns task's system prompt in lang, or in English when lang has none.
func (in *Instructions) System(lang, task string) (string, bool) {
	if s, ok := in.system[lang][task]; ok {
		return s, true
	}
	s, ok := in.system[DefaultLang][task]
	return s, ok
}

// Schema returns task's answer schema, compacted: the llm package sends it and
// checks answers against it.
func (in *Instructions) Schema(task string) (json.RawMessage, bool) {
	raw, ok := in.schemas[task]
	return raw, ok
}
