// Package console is the terminal adapter of Engage: a chat in a terminal, and the
// scripted driver of end-to-end tests. It reads lines (NAME: TEXT in the community
// chat, NAME> TEXT to the bot directly, NAME [N] to press a button, :clock to move
// time) and prints every message the bot sends as [group] TEXT or [dm NAME] TEXT.
//
// console imports bots only (and core for nothing but value types); it never
// imports store, prompts or another adapter.
package console

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/engage-org/engage/bots"
)

// GroupChat is the ID of the console's one community chat.
const GroupChat = "group"

// Handler answers events (bots.Bot).
type Handler interface {
	Handle(ctx context.Context, ev bots.Event) ([]bots.Message, error)
}

// Config configures a Console.
type Config struct {
	In      io.Reader
	Out     io.Writer
	Handler Handler
	// Flush sends the outbox now; the console runs it after each line.
	Flush func(ctx context.Context) error
	// Drain sends everything still waiting, delayed edits included; the console
	// runs it at the end of its input (nil: Flush).
	Drain func(ctx context.Context) error
	// Advance moves the clock to a time, firing what falls due on the way.
	Advance func(ctx context.Context, to time.Time) error
	// Now is the engine's clock.
	Now func() time.Time
	// Lang is the language hint given with every event ("" for none).
	Lang string
	// Prompt, when set, is printed before each line is read (interactive use).
	Prompt string
	// Errs receives the console's own complaints (a bad :clock line); nil: Out.
	Errs io.Writer
	// Files is the folder every attachment (a chart, a calendar file, a CSV) is
	// written to, its path printed with it ("": attachments are only named).
	Files string
}

// Console is a terminal chat. It is also the console platform's bots.Sender.
type Console struct {
	cfg     Config
	session string

	mu      sync.Mutex // guards the fields below and writes to Out
	seq     int
	names   map[string]string // user ID → NAME as first typed
	msgs    map[string]*shown // message ID → what was shown
	lastBtn map[string]*shown // "group" or "dm:<user ID>" → last message with buttons
	line    int
}

// shown is a printed message with buttons.
type shown struct {
	seq     int
	buttons []bots.Button
}

var _ bots.Sender = (*Console)(nil)

// New returns a console.
func New(cfg Config) *Console {
	if cfg.Errs == nil {
		cfg.Errs = cfg.Out
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return &Console{
		cfg: cfg, session: hex.EncodeToString(b),
		names: map[string]string{}, msgs: map[string]*shown{}, lastBtn: map[string]*shown{},
	}
}

var (
	reSay   = regexp.MustCompile(`^([\p{L}\p{N}_.\-]+)(:|>)(?:\s(.*)|$)`)
	rePress = regexp.MustCompile(`^([\p{L}\p{N}_.\-]+)\s+\[(\d+)\]$`)
)

// Run reads lines until the end of input or ctx ends. It returns an error only when
// it cannot go on (the input fails, the store breaks); refusals are chat answers.
func (c *Console) Run(ctx context.Context) error {
	sc := bufio.NewScanner(c.cfg.In)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	who, direct := "you", false
	for {
		if c.cfg.Prompt != "" {
			fmt.Fprint(c.cfg.Out, c.cfg.Prompt)
		}
		if !sc.Scan() {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil
		}
		line := strings.TrimRight(sc.Text(), " \t\r")
		var err error
		who, direct, err = c.runLine(ctx, line, who, direct)
		if err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	if c.cfg.Drain != nil {
		return c.cfg.Drain(ctx)
	}
	return c.cfg.Flush(ctx)
}

// runLine runs one input line; who and direct are the last speaker and where they
// spoke, for lines without a name.
func (c *Console) runLine(ctx context.Context, line, who string, direct bool) (string, bool, error) {
	trimmed := strings.TrimSpace(line)
	switch {
	case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		return who, direct, nil
	case strings.HasPrefix(trimmed, ":"):
		return who, direct, c.directive(ctx, trimmed)
	}
	// Fire what fell due since the last line (a running clock moves by itself).
	if err := c.cfg.Advance(ctx, c.cfg.Now()); err != nil {
		return who, direct, err
	}
	ev := bots.Event{Kind: bots.KindMessage}
	if m := rePress.FindStringSubmatch(trimmed); m != nil {
		who = m[1]
		n, _ := strconv.Atoi(m[2])
		ev.Kind = bots.KindAction
		var ok bool
		ev.Action, direct, ok = c.button(who, n)
		if !ok {
			ev.Action = "-" // no such button: the bot answers that it no longer works
		}
	} else if m := reSay.FindStringSubmatch(line); m != nil {
		who, direct = m[1], m[2] == ">"
		ev.Text = m[3]
	} else {
		ev.Text = line
	}
	id := strings.ToLower(who)
	c.mu.Lock()
	if _, ok := c.names[id]; !ok {
		c.names[id] = who
	}
	name := c.names[id]
	c.line++
	ev.Key = fmt.Sprintf("console:%s:%d", c.session, c.line)
	c.mu.Unlock()
	ev.Platform, ev.UserID, ev.UserName, ev.Handle, ev.Lang = bots.PlatformConsole, id, name, name, c.cfg.Lang
	ev.ChatID, ev.ChatTitle, ev.Direct = GroupChat, "console", direct
	if direct {
		ev.ChatID = "dm:" + id
	}
	out, err := c.cfg.Handler.Handle(ctx, ev)
	if err != nil {
		if ctx.Err() != nil {
			return who, direct, nil
		}
		// One line failed (the apology is in out); the chat goes on.
		fmt.Fprintf(c.cfg.Errs, "console: %v\n", err)
	}
	for _, m := range out {
		if _, err := c.Send(ctx, m); err != nil {
			return who, direct, err
		}
	}
	return who, direct, c.cfg.Flush(ctx)
}

// directive runs a console command (:clock).
func (c *Console) directive(ctx context.Context, line string) error {
	word, arg, _ := strings.Cut(strings.TrimPrefix(line, ":"), " ")
	arg = strings.TrimSpace(arg)
	switch word {
	case "clock":
		to, err := ParseClock(arg, c.cfg.Now())
		if err != nil {
			fmt.Fprintf(c.cfg.Errs, "console: %v\n", err)
			return nil
		}
		return c.cfg.Advance(ctx, to)
	}
	fmt.Fprintf(c.cfg.Errs, "console: unknown directive :%s (known: :clock +7d | :clock 2026-12-01T09:00)\n", word)
	return nil
}

// ParseClock reads a :clock argument: "+7d", "+36h", "+1w2d", "+90m", "+30s" from
// now, or an RFC 3339 time whose seconds and offset may be left out (UTC then).
func ParseClock(s string, now time.Time) (time.Time, error) {
	if rest, ok := strings.CutPrefix(s, "+"); ok {
		d, err := parseSpan(rest)
		if err != nil {
			return time.Time{}, err
		}
		return now.Add(d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read the time %q (use +7d or 2026-12-01T09:00)", s)
}

// parseSpan reads a sum of amounts with units w, d, h, m, s ("1w2d", "36h").
func parseSpan(s string) (time.Duration, error) {
	units := map[byte]time.Duration{'w': 7 * 24 * time.Hour, 'd': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute, 's': time.Second}
	var total time.Duration
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) || i > 6 {
			return 0, fmt.Errorf("cannot read the duration %q", s)
		}
		n, _ := strconv.Atoi(s[:i])
		u, ok := units[s[i]]
		if !ok {
			return 0, fmt.Errorf("unknown unit %q (use w, d, h, m, s)", s[i])
		}
		total += time.Duration(n) * u
		s = s[i+1:]
	}
	return total, nil
}

// button returns the token of button n (from 1) of the last message with buttons
// that NAME saw: in the group, or in their direct messages, whichever came last.
func (c *Console) button(who string, n int) (token string, direct, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g, d := c.lastBtn[GroupChat], c.lastBtn["dm:"+strings.ToLower(who)]
	s := g
	if d != nil && (g == nil || d.seq > g.seq) {
		s, direct = d, true
	}
	if s == nil || n < 1 || n > len(s.buttons) {
		return "", direct, false
	}
	return s.buttons[n-1].Token, direct, true
}

// Send prints a message: "[group] TEXT" or "[dm NAME] TEXT", "(edit)" for an edit,
// then each button on its own line.
func (c *Console) Send(_ context.Context, m bots.Message) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	where, place := "group", GroupChat
	if m.Direct || m.Ephemeral || strings.HasPrefix(m.ChatID, "dm:") {
		name := c.names[m.UserID]
		if name == "" {
			name = m.Name
		}
		if name == "" {
			name = m.UserID
		}
		where, place = "dm "+name, "dm:"+m.UserID
	}
	edit := ""
	id := strconv.Itoa(c.seq)
	if m.EditID != "" && c.msgs[m.EditID] != nil {
		edit, id = "(edit) ", m.EditID
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s%s\n", where, edit, m.Text)
	var flat []bots.Button
	for _, row := range m.Buttons {
		flat = append(flat, row...)
	}
	for i, btn := range flat {
		fmt.Fprintf(&b, "  [%d] %s\n", i+1, btn.Label)
	}
	if a := m.Attachment; a != nil {
		fmt.Fprintf(&b, "  📎 %s (%s, %d bytes)", a.Name, a.Type, len(a.Data))
		if c.cfg.Files != "" {
			path, err := writeAttachment(c.cfg.Files, a)
			if err != nil {
				fmt.Fprintf(c.cfg.Errs, "console: %v\n", err)
			} else {
				fmt.Fprintf(&b, " → %s", path)
			}
		}
		b.WriteString("\n")
	}
	if _, err := io.WriteString(c.cfg.Out, b.String()); err != nil {
		return "", fmt.Errorf("print message: %w", err)
	}
	prev := c.msgs[id]
	s := &shown{seq: c.seq, buttons: flat}
	c.msgs[id] = s
	if len(flat) > 0 {
		c.lastBtn[place] = s
	} else if prev != nil && c.lastBtn[place] == prev {
		delete(c.lastBtn, place) // an edit took the buttons away
	}
	return id, nil
}

// writeAttachment writes a to the folder dir (made if missing) under its own name
// and returns the file's path. A file of that name with other content is kept: the
// attachment then gets the first free name with -2, -3… before its extension.
func writeAttachment(dir string, a *bots.Attachment) (string, error) {
	name := filepath.Base(filepath.Clean("/" + strings.ReplaceAll(a.Name, "\\", "/")))
	if name == "/" || name == "." || name == ".." {
		name = "attachment"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("attachment folder: %w", err)
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i <= 1000; i++ {
		path := filepath.Join(dir, name)
		if i > 1 {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d%s", stem, i, ext))
		}
		old, err := os.ReadFile(path)
		switch {
		case err == nil && bytes.Equal(old, a.Data):
			return path, nil
		case err == nil:
			continue
		case !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("write attachment: %w", err)
		}
		if err := os.WriteFile(path, a.Data, 0o644); err != nil {
			return "", fmt.Errorf("write attachment: %w", err)
		}
		return path, nil
	}
	return "", fmt.Errorf("write attachment: a thousand files named %s already", name)
}
