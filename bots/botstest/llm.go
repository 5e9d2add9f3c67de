package botstest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/llm"
)

// FakeLLM is an OpenAI-compatible endpoint for tests: an httptest server that
// answers POST /v1/chat/completions in the real wire format with what its reply
// function says, and keeps every request.
type FakeLLM struct {
	// URL is the base URL to configure, ending in /v1.
	URL string
	srv *httptest.Server

	mu    sync.Mutex // guards reqs and reply
	reqs  []LLMRequest
	reply func(LLMRequest) LLMReply
}

// LLMRequest is one request the fake received.
type LLMRequest struct {
	Task   string         // the response schema's name: llm.TaskCheckin, TaskDraft, TaskFAQ
	System string         // the system prompt
	User   string         // the user message as sent
	Data   map[string]any // the JSON between <data> and </data>
	Auth   string         // the Authorization header
	Raw    []byte         // the whole body
}

// LLMReply is what the fake answers. Content is the assistant message's content
// (Finish "stop" unless set); Status, when not 200, sends Body (or a JSON error)
// with that status instead; Delay waits first.
type LLMReply struct {
	Content string
	Finish  string
	Status  int
	Body    string
	Delay   time.Duration
}

// NewFakeLLM starts a fake that answers with reply; it stops at the end of the test.
func NewFakeLLM(tb testing.TB, reply func(LLMRequest) LLMReply) *FakeLLM {
	tb.Helper()
	f := &FakeLLM{reply: reply}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL + "/v1"
	tb.Cleanup(f.srv.Close)
	return f
}

// SetReply replaces the reply function.
func (f *FakeLLM) SetReply(reply func(LLMRequest) LLMReply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reply = reply
}

// Requests returns the requests received so far.
func (f *FakeLLM) Requests() []LLMRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]LLMRequest(nil), f.reqs...)
}

// Model returns a client of the fake with the given timeout and API key "test-key".
func (f *FakeLLM) Model(tb testing.TB, timeout time.Duration) *llm.Model {
	tb.Helper()
	m, err := llm.NewModel(llm.ModelConfig{BaseURL: f.URL, Name: "fake-model", APIKey: "test-key", Timeout: timeout})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func (f *FakeLLM) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.NotFound(w, r)
		return
	}
	raw, _ := io.ReadAll(r.Body)
	var body struct {
		Messages []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
		ResponseFormat struct {
			JSONSchema struct {
				Name string `json:"name"`
			} `json:"json_schema"`
		} `json:"response_format"`
	}
	req := LLMRequest{Raw: raw, Auth: r.Header.Get("Authorization")}
	if json.Unmarshal(raw, &body) == nil {
		req.Task = body.ResponseFormat.JSONSchema.Name
		for _, m := range body.Messages {
			switch m.Role {
			case "system":
				req.System = m.Content
			case "user":
				req.User = m.Content
				inner := strings.TrimSuffix(strings.TrimPrefix(m.Content, "<data>\n"), "\n</data>")
				_ = json.Unmarshal([]byte(inner), &req.Data)
			}
		}
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	reply := f.reply
	f.mu.Unlock()
	rep := reply(req)
	if rep.Delay > 0 {
		select {
		case <-time.After(rep.Delay):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.Status != 0 && rep.Status != http.StatusOK {
		w.WriteHeader(rep.Status)
		if rep.Body == "" {
			rep.Body = `{"error":{"message":"fake failure","type":"server_error"}}`
		}
		io.WriteString(w, rep.Body)
		return
	}
	if rep.Body != "" {
		io.WriteString(w, rep.Body)
		return
	}
	if rep.Finish == "" {
		rep.Finish = "stop"
	}
	out, _ := json.Marshal(map[string]any{
		"id": "fake-1", "object": "chat.completion", "model": "fake-model",
		"choices": []any{map[string]any{"index": 0, "finish_reason": rep.Finish,
			"message": map[string]any{"role": "assistant", "content": rep.Content}}},
		"usage": map[string]any{"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
	})
	w.Write(out)
}

// JSON marshals v for an LLMReply's Content.
func JSON(v any) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}
