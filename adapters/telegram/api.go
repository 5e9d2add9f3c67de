package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
)

// client makes Bot API calls with a context. The library takes none, so each call
// runs on a shallow copy of the BotAPI whose HTTP client binds the call's context.
type client struct {
	bot   *tgbotapi.BotAPI // a template: never called directly after New
	http  *http.Client
	token string
	base  string // the URL of a method, but its name: ".../bot<token>/"
}

// newClient checks the token with getMe and returns a client for apiURL.
func newClient(ctx context.Context, token, apiURL string, hc *http.Client) (*client, error) {
	if strings.Contains(apiURL, "%") {
		return nil, errors.New("telegram api_url must not contain %")
	}
	endpoint := strings.TrimRight(apiURL, "/") + "/bot%s/%s"
	c := &client{http: hc, token: token, base: strings.TrimRight(apiURL, "/") + "/bot" + token + "/"}
	bot, err := tgbotapi.NewBotAPIWithClient(token, endpoint, ctxDoer{ctx: ctx, c: hc, token: token})
	if err != nil {
		return nil, c.fail("getMe", nil, err, false)
	}
	c.bot = bot
	return c, nil
}

// with returns a BotAPI whose requests carry ctx.
func (c *client) with(ctx context.Context) *tgbotapi.BotAPI {
	b := *c.bot
	b.Client = ctxDoer{ctx: ctx, c: c.http, token: c.token}
	return &b
}

// call makes a raw call and returns its result.
func (c *client) call(ctx context.Context, method string, p tgbotapi.Params, direct bool) (json.RawMessage, error) {
	resp, err := c.with(ctx).MakeRequest(method, p)
	if err != nil {
		return nil, c.fail(method, resp, err, direct)
	}
	return resp.Result, nil
}

// request sends a library config (files are uploaded as multipart).
func (c *client) request(ctx context.Context, method string, ch tgbotapi.Chattable, direct bool) (json.RawMessage, error) {
	resp, err := c.with(ctx).Request(ch)
	if err != nil {
		return nil, c.fail(method, resp, err, direct)
	}
	return resp.Result, nil
}

// post makes a Bot API call whose parameters are form-encoded already, and
// decodes its result into result (nil: not decoded). It is what the library's
// MakeRequest does, on the same wire and with the same errors, without its copies
// of the parameters, of the client and of the answer: the calls made for every
// update (getUpdates, answerCallbackQuery) take it.
func (c *client) post(ctx context.Context, method, form string, result any, direct bool) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+method, strings.NewReader(form))
	if err != nil {
		return c.fail(method, nil, &redactedError{err: err, token: c.token}, direct)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	d := ctxDoer{ctx: ctx, c: c.http, token: c.token}
	resp, err := d.do(req)
	if err != nil {
		return c.fail(method, nil, err, direct)
	}
	buf := answerBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxKeptBuf {
			buf.Reset()
			answerBufs.Put(buf)
		}
	}()
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return c.fail(method, nil, &redactedError{err: err, token: c.token}, direct)
	}
	body := bytes.TrimSpace(buf.Bytes())
	if result == nil && string(body) == `{"ok":true,"result":true}` {
		return nil // what Telegram answers to most calls
	}
	ans := apiAnswer{Result: result}
	if result == nil {
		ans.Result = skipped{}
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return c.fail(method, nil, err, direct)
	}
	if !ans.Ok {
		r := &tgbotapi.APIResponse{ErrorCode: ans.ErrorCode, Description: ans.Description, Parameters: ans.Parameters}
		e := &tgbotapi.Error{Code: ans.ErrorCode, Message: ans.Description}
		if ans.Parameters != nil {
			e.ResponseParameters = *ans.Parameters
		}
		return c.fail(method, r, e, direct)
	}
	return nil
}

// apiAnswer is the Bot API's answer to a call; Result holds a pointer to decode
// the result into.
type apiAnswer struct {
	Ok          bool                         `json:"ok"`
	Result      any                          `json:"result"`
	ErrorCode   int                          `json:"error_code"`
	Description string                       `json:"description"`
	Parameters  *tgbotapi.ResponseParameters `json:"parameters"`
}

// skipped is a result that is not decoded.
type skipped struct{}

func (skipped) UnmarshalJSON([]byte) error { return nil }

// answerBufs are the buffers answers are read into; one grown past maxKeptBuf (a
// full getUpdates is some 100 kB) is left to the collector.
var answerBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxKeptBuf = 1 << 20

// ctxDoer is the library's HTTP client for one call: it binds ctx, hides the
// token from transport errors (it is part of the URL), and turns an answer that
// is not JSON (a proxy's error page) into a statusError.
type ctxDoer struct {
	ctx   context.Context
	c     *http.Client
	token string
}

func (d ctxDoer) Do(req *http.Request) (*http.Response, error) {
	return d.do(req.WithContext(d.ctx))
}

// do makes the request, which carries its context already.
func (d ctxDoer) do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req)
	if err != nil {
		return nil, &redactedError{err: err, token: d.token}
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); resp.StatusCode >= 300 && mt != "application/json" {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		return nil, &statusError{status: resp.StatusCode}
	}
	return resp, nil
}

// redactedError is a transport error with the bot token masked.
type redactedError struct {
	err   error
	token string
}

func (e *redactedError) Error() string {
	if e.token == "" {
		return e.err.Error()
	}
	return strings.ReplaceAll(e.err.Error(), e.token, "<token>")
}

func (e *redactedError) Unwrap() error { return e.err }

// statusError is an HTTP error answer that is not the Bot API's JSON.
type statusError struct{ status int }

func (e *statusError) Error() string { return "http status " + strconv.Itoa(e.status) }

// apiError is a failed Bot API call, classified for the outbox dispatcher: its
// core code says whether to retry, floodError adds Telegram's retry_after, and a
// direct message to someone who never started the bot carries bots.NoDirectError.
type apiError struct {
	Method  string
	Status  int    // Telegram's error_code or the HTTP status; 0 for a transport error
	Desc    string // Telegram's description
	Retry   time.Duration
	Migrate int64 // the supergroup a group became
	code    core.Code
	cause   error
	direct  *bots.NoDirectError
}

func (e *apiError) Error() string {
	if e.Status == 0 && e.cause != nil {
		return fmt.Sprintf("telegram %s: %v", e.Method, e.cause)
	}
	return fmt.Sprintf("telegram %s: %d %s", e.Method, e.Status, e.Desc)
}

// Unwrap exposes the core code (and the cause, and NoDirectError) to errors.As.
func (e *apiError) Unwrap() []error {
	out := []error{&core.Error{Code: e.code, Op: "telegram " + e.Method}}
	if e.cause != nil {
		out = append(out, e.cause)
	}
	if e.direct != nil {
		out = append(out, e.direct)
	}
	return out
}

// floodError is a 429: RetryAfter says how long Telegram asked to wait.
type floodError struct{ *apiError }

// RetryAfter is Telegram's retry_after.
func (e floodError) RetryAfter() time.Duration { return e.Retry }

// Unwrap returns the apiError.
func (e floodError) Unwrap() error { return e.apiError }

// fail classifies a failed call. Telegram only says what went wrong in its
// description, so the few cases that matter are recognised by their wording.
func (c *client) fail(method string, resp *tgbotapi.APIResponse, err error, direct bool) error {
	e := &apiError{Method: method, code: core.CodeUnavailable}
	var tg *tgbotapi.Error
	var tgv tgbotapi.Error
	var st *statusError
	switch {
	case errors.As(err, &tg):
		e.Status, e.Desc = tg.Code, tg.Message
		e.Retry = time.Duration(tg.RetryAfter) * time.Second
		e.Migrate = tg.MigrateToChatID
	case errors.As(err, &tgv):
		e.Status, e.Desc = tgv.Code, tgv.Message
		e.Retry = time.Duration(tgv.RetryAfter) * time.Second
		e.Migrate = tgv.MigrateToChatID
	case errors.As(err, &st):
		e.Status, e.cause = st.status, err
	default:
		e.cause = err // transport error, or an answer that is not JSON
		return e
	}
	if e.Status == 0 && resp != nil { // UploadFiles leaves Error.Code unset
		e.Status = resp.ErrorCode
	}
	desc := strings.ToLower(e.Desc)
	switch {
	case e.Status == http.StatusTooManyRequests:
		if e.Retry <= 0 {
			e.Retry = time.Second
		}
		return floodError{e}
	case e.Status >= 500, e.Status == http.StatusUnauthorized, e.Status == http.StatusNotFound, e.Status == http.StatusConflict:
		// Outages, and a revoked token or a wrong api_url: nothing to drop.
		e.code = core.CodeUnavailable
	case direct && (strings.Contains(desc, "initiate conversation") || strings.Contains(desc, "blocked by the user") ||
		strings.Contains(desc, "chat not found")):
		e.code = core.CodeForbidden
		e.direct = &bots.NoDirectError{StartURL: c.startURL()}
	case e.Status == http.StatusForbidden:
		e.code = core.CodeForbidden
	case strings.Contains(desc, "chat not found"):
		e.code = core.CodeNotFound
	default:
		e.code = core.CodeInvalid
	}
	return e
}

// startURL opens a private conversation with the bot.
func (c *client) startURL() string {
	if c.bot == nil || c.bot.Self.UserName == "" {
		return ""
	}
	return "https://t.me/" + c.bot.Self.UserName + "?start=" + startPayload
}

// startPayload is what the start button sends (/start dm); any first message to
// the bot releases what waits for the person.
const startPayload = "dm"

// notModified reports an edit that changed nothing: success.
func notModified(err error) bool {
	var e *apiError
	return errors.As(err, &e) && e.Status == http.StatusBadRequest && strings.Contains(strings.ToLower(e.Desc), "message is not modified")
}

// noText reports an editMessageText refused because the message is a file with a
// caption: the caption is edited instead.
func noText(err error) bool {
	var e *apiError
	return errors.As(err, &e) && e.Status == http.StatusBadRequest && strings.Contains(strings.ToLower(e.Desc), "no text in the message to edit")
}

// editGone reports an edit of a message that can no longer be edited (deleted,
// too old): the text is then sent as a new message.
func editGone(err error) bool {
	var e *apiError
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest {
		return false
	}
	d := strings.ToLower(e.Desc)
	return strings.Contains(d, "message to edit not found") || strings.Contains(d, "message can't be edited")
}
