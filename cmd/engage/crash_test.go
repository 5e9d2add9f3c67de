package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// crashHelper is the engine process of TestCrashSafety: it reads events
// ("KEY<TAB>USER<TAB>TEXT") on stdin, handles each through bots + core + boltstore,
// prints "ack KEY" once it is committed, and sends the outbox to the platform at
// $CRASH_URL in the background. At the end of input it waits for the outbox to
// drain and prints "drained".
func crashHelper() int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := DefaultConfig()
	cfg.Store.Path = os.Getenv("CRASH_DB")
	if dsn := os.Getenv("CRASH_DSN"); dsn != "" {
		cfg.Store.Driver, cfg.Store.DSN = "postgres", dsn
	}
	cfg.Community.Lang = "en"
	a, err := openApp(cfg, time.Now, newLogger(LogConfig{Level: "error"}, os.Stderr), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer a.Close()
	disp := outbox.NewDispatcher(a.eng, a.bot, map[string]bots.Sender{"crash": httpSender(os.Getenv("CRASH_URL"))}, nil, nil)
	disp.Poll = 20 * time.Millisecond
	disp.Lease = 300 * time.Millisecond // a killed instance's batch is taken over soon
	a.bot.OnOutbox(disp.Wake)
	var wg sync.WaitGroup
	wg.Go(func() { _ = disp.Run(ctx) })
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "\t", 3)
		if len(parts) != 3 {
			continue
		}
		ev := bots.Event{Platform: "crash", ChatID: "group", UserID: parts[1], UserName: parts[1], Kind: bots.KindMessage, Text: parts[2], Key: parts[0]}
		if _, err := a.bot.Handle(ctx, ev); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("ack %s\n", parts[0])
	}
	for {
		var n int
		_ = a.eng.View(ctx, func(tx *core.Tx) error { n, _, err = tx.OutboxStats(); return err })
		if n == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	fmt.Println("drained")
	return 0
}

// httpSender posts each message to the fake platform.
type httpSender string

func (u httpSender) Send(ctx context.Context, m bots.Message) (string, error) {
	target := m.ChatID
	if m.Direct {
		target = "dm:" + m.UserID
	}
	body, _ := json.Marshal(map[string]string{"to": target, "text": m.Text})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, string(u), bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", core.Errorf(core.CodeUnavailable, "err.internal")
	}
	resp.Body.Close()
	return "1", nil
}

// Ensure that killing the engine with SIGKILL at random moments and restarting it
// loses no acknowledged action, doubles none, and delivers every outbox message
// (a message may repeat only when a kill fell between its send and its record).
func TestCrashSafety(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: several processes killed and restarted")
	}
	crashSafety(t, "")
}

// crashSafety runs the crash test on bbolt, or on PostgreSQL when dsn is set.
func crashSafety(t *testing.T, dsn string) {
	var mu sync.Mutex
	delivered := map[string]int{} // "to|text" → times
	platform := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]string
		_ = json.NewDecoder(r.Body).Decode(&m)
		mu.Lock()
		delivered[m["to"]+"|"+m["text"]]++
		mu.Unlock()
	}))
	defer platform.Close()

	// The script: a community, a project, then follows, news and next steps.
	type event struct{ key, user, text string }
	events := []event{{"k0", "alice", "/community create Crash Club lang en"}, {"k1", "alice", "/project new Garden"}}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 2; i < 120; i++ {
		k := fmt.Sprintf("k%d", i)
		switch r := rng.IntN(10); {
		case r < 4:
			events = append(events, event{k, fmt.Sprintf("u%d", rng.IntN(25)), "/follow P1"})
		case r < 8:
			events = append(events, event{k, "alice", fmt.Sprintf("/news P1 news number %d", i)})
		default:
			events = append(events, event{k, "alice", fmt.Sprintf("/nextstep P1 step number %d", i)})
		}
	}

	db := filepath.Join(t.TempDir(), "crash.db")
	next, kills := 0, 0
	for round := 0; next < len(events); round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ENGAGE_CRASH_HELPER=1", "CRASH_DB="+db, "CRASH_URL="+platform.URL, "CRASH_DSN="+dsn)
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acks := bufio.NewScanner(stdout)
		killAt := next + 5 + rng.IntN(25)
		last := round >= 6 // the last round runs to the end
		// Resend the one that may have been in flight, and an acknowledged one.
		if next > 0 {
			fmt.Fprintf(stdin, "%s\t%s\t%s\n", events[next-1].key, events[next-1].user, events[next-1].text)
			if !acks.Scan() {
				t.Fatalf("helper died: %v", acks.Err())
			}
		}
		for next < len(events) && (last || next < killAt) {
			e := events[next]
			fmt.Fprintf(stdin, "%s\t%s\t%s\n", e.key, e.user, e.text)
			if !acks.Scan() || acks.Text() != "ack "+e.key {
				t.Fatalf("round %d: no ack for %s: %q", round, e.key, acks.Text())
			}
			next++
		}
		if last {
			stdin.Close()
			for acks.Scan() {
				if acks.Text() == "drained" {
					break
				}
			}
			if err := cmd.Wait(); err != nil {
				t.Fatal(err)
			}
			break
		}
		// Kill while the dispatcher is busy sending, then start again.
		time.Sleep(time.Duration(rng.IntN(20)) * time.Millisecond)
		_ = cmd.Process.Kill()
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
		kills++
	}
	if next != len(events) {
		t.Fatalf("ran %d of %d events", next, len(events))
	}

	// What must be there: replay the script's logic.
	followers := map[string]bool{}
	// Outbox deliveries (direct answers, such as the follow confirmation, go back
	// to the caller, not through the outbox).
	want := map[string]bool{"group|🌱 New project P1: Garden\nReferent: alice. Follow it to get its news.": true}
	var news []string
	var step string
	for _, e := range events[2:] {
		switch {
		case e.text == "/follow P1":
			followers[e.user] = true
		case strings.HasPrefix(e.text, "/news"):
			text := strings.TrimPrefix(e.text, "/news P1 ")
			news = append(news, text)
			want["group|📰 P1 Garden — "+text+"\n(alice)"] = true
			for f := range followers {
				want["dm:"+f+"|📰 News from P1 Garden: "+text+"\n(alice)"] = true
			}
		default:
			step = strings.TrimPrefix(e.text, "/nextstep P1 ")
			want["group|➡️ Next step for P1 Garden: "+step+"."] = true
			for f := range followers {
				want["dm:"+f+"|➡️ P1 Garden has a new next step: "+step+"."] = true
			}
		}
	}
	cfg := DefaultConfig()
	cfg.Store.Path = db
	if dsn != "" {
		cfg.Store.Driver, cfg.Store.DSN = "postgres", dsn
	}
	a, err := openApp(cfg, time.Now, newLogger(LogConfig{Level: "error"}, io.Discard), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var snap *core.Snapshot
	_ = a.eng.View(t.Context(), func(tx *core.Tx) error { snap, err = tx.Snapshot(); return err })
	p := snap.Communities[0].Projects[0]
	if p.Followers != len(followers) {
		t.Errorf("followers: got %d, want %d", p.Followers, len(followers))
	}
	if len(p.News) != len(news) {
		t.Errorf("news: got %d, want %d (each acknowledged once)", len(p.News), len(news))
	}
	for i := range min(len(news), len(p.News)) {
		if p.News[i].Text != news[i] {
			t.Errorf("news %d: got %q, want %q", i, p.News[i].Text, news[i])
		}
	}
	if p.NextStep == nil || p.NextStep.Text != step {
		t.Errorf("next step: got %+v, want %q", p.NextStep, step)
	}
	mu.Lock()
	defer mu.Unlock()
	lost, repeats := 0, 0
	for k := range want {
		if delivered[k] == 0 {
			lost++
			if lost < 5 {
				t.Errorf("never delivered: %q", k)
			}
		}
	}
	for k, n := range delivered {
		if !want[k] {
			t.Errorf("unexpected delivery: %q", k)
		}
		repeats += n - 1
	}
	t.Logf("%d events, %d kills, %d messages, %d lost, %d repeated", len(events), kills, len(want), lost, repeats)
	if lost > 0 {
		t.Fatalf("%d messages lost", lost)
	}
	if repeats > kills {
		t.Fatalf("%d repeats for %d kills: more than one per kill", repeats, kills)
	}
}
