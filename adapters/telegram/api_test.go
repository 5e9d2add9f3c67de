package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/engage-org/engage/core"
)

// Ensure the adapter's own calls (post) send the library's form and read every
// kind of answer as the library's calls do: the result, Telegram's refusals with
// their retry_after and migration, an error page that is not JSON, a broken
// answer, and a network failure, the token never shown.
func TestPostMatchesLibrary(t *testing.T) {
	const token = "123:secret-token"
	answers := map[string]struct {
		status int
		ctype  string
		body   string
	}{
		"ok":      {200, "application/json", `{"ok":true,"result":[{"update_id":1},{"update_id":2}]}`},
		"true":    {200, "application/json", `{"ok":true,"result":true}` + "\n"},
		"flood":   {429, "application/json", `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}`},
		"moved":   {400, "application/json", `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009}}`},
		"old":     {400, "application/json", `{"ok":false,"error_code":400,"description":"Bad Request: query is too old and response timeout expired or query ID is invalid"}`},
		"revoked": {401, "application/json", `{"ok":false,"error_code":401,"description":"Unauthorized"}`},
		"proxy":   {502, "text/html", `<html>Bad Gateway</html>`},
		"broken":  {200, "application/json", `{"ok":true,"result":[`},
	}
	var forms []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		if method == "getMe" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"B","username":"b_bot"}}`))
			return
		}
		if err := r.ParseForm(); err != nil || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("%s: form %v, content type %q", method, err, r.Header.Get("Content-Type"))
		}
		forms = append(forms, r.PostForm.Encode())
		a := answers[r.PostForm.Get("case")]
		w.Header().Set("Content-Type", a.ctype)
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	}))
	defer srv.Close()
	ctx := context.Background()
	c, err := newClient(ctx, token, srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	for name := range answers {
		raw, lerr := c.call(ctx, "getUpdates", tgbotapi.Params{"case": name, "text": "a é&b"}, false)
		var result []json.RawMessage
		into := any(&result)
		if name == "true" {
			into = nil // not a list of updates: not decoded
		}
		perr := c.post(ctx, "getUpdates", "case="+name+"&text=a+%C3%A9%26b", into, false)
		if len(forms) < 2 || forms[len(forms)-1] != forms[len(forms)-2] {
			t.Fatalf("%s: forms %q", name, forms)
		}
		if describe(perr) != describe(lerr) {
			t.Fatalf("%s: post %s\nlibrary %s", name, describe(perr), describe(lerr))
		}
		if lerr == nil && into != nil {
			var want []json.RawMessage
			_ = json.Unmarshal(raw, &want)
			if len(result) != len(want) || len(want) == 0 || string(result[1]) != string(want[1]) {
				t.Fatalf("%s: post read %q, library %q", name, result, want)
			}
		}
		if err := c.post(ctx, "answerCallbackQuery", "case="+name, nil, false); describe(err) != describe(lerr) {
			t.Fatalf("%s: without a result: %s\nlibrary %s", name, describe(err), describe(lerr))
		}
	}
	srv.Close()
	err = c.post(ctx, "getUpdates", "", nil, false)
	if core.ErrorCode(err) != core.CodeUnavailable || strings.Contains(err.Error(), "secret-token") {
		t.Fatalf("network failure: %v", err)
	}
}

// describe is what the adapter makes of a call's error.
func describe(err error) string {
	if err == nil {
		return "ok"
	}
	var e *apiError
	if !errors.As(err, &e) {
		return "not an apiError: " + err.Error()
	}
	var retry time.Duration
	var fe floodError
	if errors.As(err, &fe) {
		retry = fe.RetryAfter()
	}
	cause := ""
	if e.cause != nil {
		cause = "with a cause"
	}
	return fmt.Sprintf("%s | %d %s | retry %v | migrate %d | %s", core.ErrorCode(err), e.Status, e.Desc, retry, e.Migrate, cause)
}
