// Package llm is the client of the optional language model: an OpenAI-compatible
// chat-completions endpoint asked through go-openai (Model), with each task's
// system prompt and answer schema from the prompts package, the redaction of
// contact details from what is sent (Redact), and the checks that hold a model's
// text to its facts (CheckDraft, CheckSummary). A model is never required and never
// obeyed: callers use its answers only as data their rules check.
//
// llm imports prompts (for the instructions) and the standard library, go-openai
// and golang.org/x/text; never bots, adapters or store.
package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/engage-org/engage/prompts"
	openai "github.com/sashabaranov/go-openai"
	"github.com/sashabaranov/go-openai/jsonschema"
)

// The tasks a language model does, each with its system prompts and its schema.
const (
	TaskCheckin = "checkin" // read a check-in reply: {next_step, due_date, shared, confidence}
	TaskDraft   = "draft"   // draft the opening of a digest or a nudge: {text}
	TaskFAQ     = "faq"     // summarise a question and its answers into a FAQ entry
)

// DefaultModelTimeout bounds one call when ModelConfig.Timeout is zero. It is short:
// a person waits for the answer, and the rules answer when the model does not.
const DefaultModelTimeout = 10 * time.Second

// maxOutput bounds the bytes of a model's answer that are read.
const maxOutput = 16 << 10

// ModelConfig configures the client of an OpenAI-compatible chat-completions
// endpoint (a local Ollama, llama.cpp or vLLM server, or a hosted one).
type ModelConfig struct {
	// BaseURL is the endpoint's base, ending in /v1 ("http://localhost:11434/v1");
	// a bare host ("http://localhost:11434") gets /v1 added.
	BaseURL string
	// Name is the model's name on the endpoint.
	Name string
	// APIKey is sent as a bearer token; empty sends none (local servers).
	APIKey string
	// Timeout bounds each call (0: DefaultModelTimeout). There is no retry: a call
	// that fails leaves the rules to answer.
	Timeout time.Duration
	// HTTPClient, when set, replaces the client built with Timeout.
	HTTPClient *http.Client
	// Log receives what is sent and received at debug level, redacted; nil discards.
	Log *slog.Logger
}

// Model asks a language model through go-openai. It is safe for concurrent use.
// Every answer is checked against its task's JSON schema before it is returned;
// whether it is true is for the caller's rules to judge.
type Model struct {
	client  *openai.Client
	name    string
	timeout time.Duration
	log     *slog.Logger
	ins     *prompts.Instructions
}

// NewModel returns a client for cfg. Returns an error for a missing base URL or
// model name, or a base URL that is not http(s).
func NewModel(cfg ModelConfig) (*Model, error) {
	base, err := normalizeBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.Name) == "" {
		return nil, errors.New("llm: a model name is needed (llm.model)")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultModelTimeout
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	ins, err := prompts.LoadInstructions()
	if err != nil {
		return nil, err
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = base
	if cfg.HTTPClient != nil {
		oc.HTTPClient = cfg.HTTPClient
	} else {
		// The library sets no timeout of its own; the context's is the call's, this one
		// a backstop.
		oc.HTTPClient = &http.Client{Timeout: cfg.Timeout + time.Second}
	}
	return &Model{client: openai.NewClientWithConfig(oc), name: cfg.Name, timeout: cfg.Timeout, log: cfg.Log, ins: ins}, nil
}

// Schema returns task's answer schema as written in ins (to send) and as parsed
// (to check answers with); ok is false when ins has none, or a schema that does
// not parse.
func Schema(ins *prompts.Instructions, task string) (json.RawMessage, jsonschema.Definition, bool) {
	raw, ok := ins.Schema(task)
	if !ok {
		return nil, jsonschema.Definition{}, false
	}
	var def jsonschema.Definition
	if err := json.Unmarshal(raw, &def); err != nil {
		return nil, jsonschema.Definition{}, false
	}
	return raw, def, true
}

// normalizeBaseURL checks raw and makes sure it ends in a path (/v1 when it has
// none), without a trailing slash.
func normalizeBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("llm: base_url %q is not an http(s) URL such as http://localhost:11434/v1", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	if u.Path == "" {
		u.Path = "/v1"
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String(), nil
}

// Timeout returns the bound of one call.
func (m *Model) Timeout() time.Duration { return m.timeout }

// ModelError is a call that gave nothing usable. Kind says why: "timeout",
// "unavailable" (a 5xx or 429, or no connection), "refused" (another HTTP error, or
// the model refused), "invalid" (an answer that is not what the schema asks).
type ModelError struct {
	Task   string
	Kind   string
	Status int // the HTTP status, when there was one
	Err    error
}

func (e *ModelError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("llm %s: %s (status %d): %v", e.Task, e.Kind, e.Status, e.Err)
	}
	return fmt.Sprintf("llm %s: %s: %v", e.Task, e.Kind, e.Err)
}

func (e *ModelError) Unwrap() error { return e.Err }

// ask sends data to the model for task in lang and decodes its answer into out,
// after checking it against the task's schema. data is marshalled as JSON (which
// escapes <, > and &, so no text can close the <data> block) and is never mixed into
// the system prompt.
func (m *Model) ask(ctx context.Context, task, lang string, data, out any) error {
	system, ok := m.ins.System(lang, task)
	if !ok {
		return &ModelError{Task: task, Kind: "invalid", Err: errors.New("no system prompt")}
	}
	schema, def, _ := Schema(m.ins, task)
	payload, err := json.Marshal(data)
	if err != nil {
		return &ModelError{Task: task, Kind: "invalid", Err: err}
	}
	user := "<data>\n" + string(payload) + "\n</data>"
	req := openai.ChatCompletionRequest{
		Model: m.name,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: user},
		},
		ResponseFormat: &openai.ChatCompletionResponseFormat{
			Type:       openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: task, Schema: schema, Strict: true},
		},
	}
	if reasoningModel(m.name) {
		req.MaxCompletionTokens = 2000
	} else {
		// OpenAI-compatible servers (Ollama, vLLM, llama.cpp) read max_tokens only.
		//lint:ignore SA1019 max_completion_tokens is not understood by the compatible servers above.
		req.MaxTokens, req.Temperature = 400, 0.1
	}
	m.log.DebugContext(ctx, "llm request", "task", task, "model", m.name, "data", clipLog(Redact(string(payload))))
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	start := time.Now()
	resp, err := m.client.CreateChatCompletion(ctx, req)
	if err != nil {
		return classify(task, ctx, err)
	}
	if len(resp.Choices) == 0 {
		return &ModelError{Task: task, Kind: "invalid", Err: errors.New("no choice in the answer")}
	}
	ch := resp.Choices[0]
	content := ch.Message.Content
	m.log.DebugContext(ctx, "llm answer", "task", task, "ms", time.Since(start).Milliseconds(), "finish", string(ch.FinishReason), "content", clipLog(Redact(content)))
	if ch.Message.Refusal != "" {
		return &ModelError{Task: task, Kind: "refused", Err: errors.New("the model refused")}
	}
	if ch.FinishReason == openai.FinishReasonLength {
		return &ModelError{Task: task, Kind: "invalid", Err: errors.New("the answer was cut")}
	}
	if err := DecodeAnswer(def, content, out); err != nil {
		return &ModelError{Task: task, Kind: "invalid", Err: err}
	}
	return nil
}

// DecodeAnswer checks a model's answer against a task's schema and decodes it into
// out, refusing anything else: not one JSON object (a code fence around it is
// allowed), a field of the wrong type or not in the schema, a missing field, an
// answer longer than 16 KiB, invalid UTF-8.
func DecodeAnswer(def jsonschema.Definition, content string, out any) error {
	if len(content) > maxOutput {
		return errors.New("answer too long")
	}
	if !utf8.ValidString(content) {
		return errors.New("answer is not UTF-8")
	}
	s := strings.TrimSpace(content)
	if rest, ok := strings.CutPrefix(s, "```"); ok { // ```json … ``` from servers that ignore the format
		rest = strings.TrimPrefix(rest, "json")
		if body, ok := strings.CutSuffix(strings.TrimSpace(rest), "```"); ok {
			s = strings.TrimSpace(body)
		}
	}
	if !strings.HasPrefix(s, "{") {
		return errors.New("answer is not a JSON object")
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("answer is not JSON: %w", err)
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return errors.New("answer is not a JSON object")
	}
	for k := range obj {
		if _, ok := def.Properties[k]; !ok {
			return fmt.Errorf("field %q is not in the schema", k)
		}
	}
	var generic any
	if err := json.Unmarshal([]byte(s), &generic); err != nil {
		return fmt.Errorf("answer is not JSON: %w", err)
	}
	if !jsonschema.Validate(def, generic) {
		return errors.New("answer does not follow the schema")
	}
	strict := json.NewDecoder(bytes.NewReader([]byte(s)))
	strict.DisallowUnknownFields()
	if err := strict.Decode(out); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// classify turns a client error into a ModelError.
func classify(task string, ctx context.Context, err error) error {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || errors.As(err, &netErr) && netErr.Timeout():
		return &ModelError{Task: task, Kind: "timeout", Err: err}
	case errors.As(err, &apiErr):
		return &ModelError{Task: task, Kind: statusKind(apiErr.HTTPStatusCode), Status: apiErr.HTTPStatusCode, Err: errors.New(apiErr.Message)}
	case errors.As(err, &reqErr):
		return &ModelError{Task: task, Kind: statusKind(reqErr.HTTPStatusCode), Status: reqErr.HTTPStatusCode, Err: fmt.Errorf("http %s", reqErr.HTTPStatus)}
	}
	return &ModelError{Task: task, Kind: "unavailable", Err: err}
}

func statusKind(status int) string {
	if status == http.StatusTooManyRequests || status >= 500 || status == 0 {
		return "unavailable"
	}
	return "refused"
}

// reasoningModel reports model names that go-openai holds to the reasoning models'
// parameters (no max_tokens, no temperature).
func reasoningModel(name string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5", "gpt-6"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// clipLog cuts what is logged to 500 bytes.
func clipLog(s string) string {
	if len(s) <= 500 {
		return s
	}
	return strings.ToValidUTF8(s[:500], "") + "…"
}

// CheckinInput is what a model is told about a referent's reply to the check-in
// questions. Every text is redacted before it is sent.
type CheckinInput struct {
	Today    string `json:"today"`   // 2006-01-02, in the community's zone
	Weekday  string `json:"weekday"` // "Tuesday"
	TimeZone string `json:"time_zone"`
	Language string `json:"language"`
	Question string `json:"question"` // "step", "due" or "shared": the question asked
	Project  string `json:"project"`
	Current  string `json:"current_step"`
	Reply    string `json:"reply"`
}

// CheckinReading is a model's reading of a check-in reply, as the schema
// llm/schema/checkin.json has it. DueDate is "YYYY-MM-DD", "none" or ""; Shared is
// "yes", "no" or "unknown"; Confidence is within [0, 1].
type CheckinReading struct {
	NextStep   string  `json:"next_step"`
	DueDate    string  `json:"due_date"`
	Shared     string  `json:"shared"`
	Confidence float64 `json:"confidence"`
}

// ReadCheckin asks the model to read a check-in reply. lang is the language of the
// system prompt (the community's).
func (m *Model) ReadCheckin(ctx context.Context, lang string, in CheckinInput) (CheckinReading, error) {
	in.Project, in.Current, in.Reply = Redact(in.Project), Redact(in.Current), Redact(in.Reply)
	var r CheckinReading
	if err := m.ask(ctx, TaskCheckin, lang, in, &r); err != nil {
		return CheckinReading{}, err
	}
	if math.IsNaN(r.Confidence) || r.Confidence < 0 || r.Confidence > 1 {
		return CheckinReading{}, &ModelError{Task: TaskCheckin, Kind: "invalid", Err: fmt.Errorf("confidence %v out of [0, 1]", r.Confidence)}
	}
	return r, nil
}

// DraftInput is what a model is told to draft an opening from: the kind of
// message ("digest" or "nudge"), its language, the community's name and the facts,
// name → a count or a day (2006-01-02).
type DraftInput struct {
	Kind      string         `json:"kind"`
	Language  string         `json:"language"`
	Community string         `json:"community"`
	Facts     map[string]any `json:"facts"`
}

// Draft asks the model for the opening of a message. The text is as the model
// wrote it: CheckDraft holds it to the facts.
func (m *Model) Draft(ctx context.Context, in DraftInput) (string, error) {
	in.Community = Redact(in.Community)
	var out struct {
		Text string `json:"text"`
	}
	if err := m.ask(ctx, TaskDraft, in.Language, in, &out); err != nil {
		return "", err
	}
	return out.Text, nil
}

// FAQInput is a campaign's question and its organisers' answers, oldest first.
type FAQInput struct {
	Language string   `json:"language"`
	Campaign string   `json:"campaign"`
	Question string   `json:"question"`
	Answers  []string `json:"answers"`
}

// FAQSummary is a model's FAQ entry, as the schema llm/schema/faq.json has it.
type FAQSummary struct {
	Question   string  `json:"question"`
	Answer     string  `json:"answer"`
	Confidence float64 `json:"confidence"`
}

// SummariseFAQ asks the model for a FAQ entry made from a question and its
// answers. CheckSummary holds it to the sources.
func (m *Model) SummariseFAQ(ctx context.Context, in FAQInput) (FAQSummary, error) {
	in.Campaign, in.Question = Redact(in.Campaign), Redact(in.Question)
	answers := make([]string, len(in.Answers))
	for i, a := range in.Answers {
		answers[i] = Redact(a)
	}
	in.Answers = answers
	var s FAQSummary
	if err := m.ask(ctx, TaskFAQ, in.Language, in, &s); err != nil {
		return FAQSummary{}, err
	}
	if math.IsNaN(s.Confidence) || s.Confidence < 0 || s.Confidence > 1 {
		return FAQSummary{}, &ModelError{Task: TaskFAQ, Kind: "invalid", Err: fmt.Errorf("confidence %v out of [0, 1]", s.Confidence)}
	}
	return s, nil
}
