package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/discord/discordtest"
	"github.com/engage-org/engage/adapters/slack/slackfake"
	"github.com/engage-org/engage/adapters/telegram/telegramtest"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/pgstore/pgtest"
)

// The crash harness: `engage run` (the real binary) on a platform's fake, under a
// steady mixed load — ballots by button press and by typing, pledges, news,
// collects — killed with SIGKILL and started again, over and over, on the same
// store. At the end it counts, from the store's export and what the fake saw:
// deliveries acknowledged and lost, actions done twice, answers sent twice
// (apart from those a kill cut between the send and its record), and for
// Telegram polling how far the offset moved. The default test suite runs a short
// version; the README's Reliability section gives the long one:
//
//	go test ./cmd/engage -run TestCrashHarness -timeout 2h -crash.kills 100 -crash.store bolt
//	go test ./cmd/engage -run TestCrashHarness -timeout 2h -crash.kills 20 -crash.store postgres
var (
	crashKills  = flag.Int("crash.kills", 3, "crash harness: kill -9 cycles per platform and mode")
	crashStore  = flag.String("crash.store", "bolt", "crash harness: bolt, postgres or both")
	crashModes  = flag.String("crash.modes", "telegram-polling,telegram-webhook,slack-http,slack-socket,discord-http,discord-gateway", "crash harness: platforms and modes, comma-separated")
	crashReport = flag.String("crash.report", "", "crash harness: append each mode's figures to this file")
)

// crashOp is one kind of delivery of the load.
type crashOp int

const (
	opPress   crashOp = iota // a ballot by button press, by a new voter
	opVote                   // a ballot typed (/vote V1 N), by a new voter
	opPledge                 // a pledge by a new backer
	opNews                   // news with a text of its own
	opCollect                // money received, 1 unit (by the admin)
	numOps
)

// crashDriver is one platform and mode of the harness.
type crashDriver interface {
	env() map[string]string                  // the environment of `engage run` (no store)
	setup(t *testing.T)                      // a community, project P1, poll V1, campaign C1 (the service runs)
	deliver(op crashOp, n int) (acked bool)  // one delivery of the load; acked: the platform was answered
	receipts() (counted, changed, twice int) // receipts of ballots and pledges seen: first ones, "changed" ones, repeated ones
	offsets() string                         // Telegram polling: how the offset moved ("" elsewhere)
	drained(t *testing.T)                    // waits until the platform holds nothing undelivered
	gap() time.Duration                      // the mean wait of a load worker between deliveries
}

// crashProcess is one `engage run`.
type crashProcess struct {
	cmd  *exec.Cmd
	logs *syncBuffer
}

func startCrashProcess(t *testing.T, env map[string]string) *crashProcess {
	t.Helper()
	cmd := exec.Command(engageBin, "run")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &crashProcess{cmd: cmd, logs: &syncBuffer{}}
	cmd.Stderr = p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *crashProcess) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	_ = p.cmd.Wait()
}

func (p *crashProcess) term(t *testing.T) {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("engage run after SIGTERM: %v\n%s", err, p.logs.String())
	}
}

// crashFigures are the results of one run of the harness.
type crashFigures struct {
	Mode, Store                          string
	Kills, Sent, Acked                   int
	Lost, Doubled, AnswersTwice, Changed int // answers twice: not counting those a kill cut
	Detail, Offsets                      string
	Took                                 time.Duration
}

func (f crashFigures) String() string {
	s := fmt.Sprintf("%s on %s: %d kills, %d deliveries (%d acknowledged): %d lost, %d doubled, %d answers sent twice, %d receipts \"changed\" (%s) in %v",
		f.Mode, f.Store, f.Kills, f.Sent, f.Acked, f.Lost, f.Doubled, f.AnswersTwice, f.Changed, f.Detail, f.Took.Round(time.Second))
	if f.Offsets != "" {
		s += "; offset " + f.Offsets
	}
	return s
}

func TestCrashHarness(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the engage binary and kills it")
	}
	stores := []string{*crashStore}
	if *crashStore == "both" {
		stores = []string{"bolt", "postgres"}
	}
	for _, store := range stores {
		for _, mode := range strings.Split(*crashModes, ",") {
			t.Run(store+"/"+mode, func(t *testing.T) {
				if *crashKills <= 3 {
					// The short run of the default suite: the modes side by side (each
					// has its own fake, ports and store). Long runs go one at a time.
					t.Parallel()
				}
				f := crashHarness(t, mode, store, *crashKills)
				t.Log(f)
				if *crashReport != "" {
					if file, err := os.OpenFile(*crashReport, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
						fmt.Fprintln(file, f)
						file.Close()
					}
				}
				if f.Lost != 0 || f.Doubled != 0 || f.AnswersTwice != 0 || f.Changed != 0 {
					t.Errorf("not reliable: %s", f)
				}
			})
		}
	}
}

func crashHarness(t *testing.T, mode, store string, kills int) crashFigures {
	began := time.Now()
	var d crashDriver
	switch mode {
	case "telegram-polling", "telegram-webhook":
		d = newTelegramCrash(t, mode == "telegram-webhook")
	case "slack-http", "slack-socket":
		d = newSlackCrash(t, mode == "slack-http")
	case "discord-http":
		d = newDiscordCrash(t)
	case "discord-gateway":
		d = &discordGatewayCrash{discordCrash: newDiscordCrash(t)}
	default:
		t.Fatalf("no platform and mode %q", mode)
	}
	env := d.env()
	env["ENGAGE_COMMUNITY_LANG"] = "en"
	env["ENGAGE_LOG_LEVEL"] = "warn"
	if _, ok := env["ENGAGE_HTTP_ADDR"]; !ok {
		env["ENGAGE_HTTP_ADDR"] = "127.0.0.1:0"
	}
	storeEnv := map[string]string{"ENGAGE_STORE_PATH": t.TempDir() + "/engage.db"}
	if store == "postgres" {
		storeEnv = map[string]string{"ENGAGE_STORE_DRIVER": "postgres", "ENGAGE_STORE_DSN": pgtest.FreshDSN(t)}
	}
	for k, v := range storeEnv {
		env[k] = v
	}
	var mu sync.Mutex // guards p
	p := startCrashProcess(t, env)
	t.Cleanup(func() { mu.Lock(); p.kill(); mu.Unlock() })
	d.setup(t)

	// The load: workers deliver until told to stop, each delivery of its own.
	var sent, acked [numOps]atomic.Int64
	var next atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for {
				select {
				case <-stop:
					return
				default:
				}
				op := crashOp(rng.IntN(int(numOps)))
				n := int(next.Add(1))
				sent[op].Add(1)
				if d.deliver(op, n) {
					acked[op].Add(1)
				}
				g := int(d.gap() / time.Millisecond)
				time.Sleep(time.Duration(g/2+rng.IntN(g)) * time.Millisecond)
			}
		})
	}
	rng := rand.New(rand.NewPCG(42, uint64(len(mode))))
	var killedAt []time.Time
	for range kills {
		// Up and running about half a second (a start takes about as much),
		// then killed at a moment of the load no one chose.
		time.Sleep(time.Duration(900+rng.IntN(900)) * time.Millisecond)
		mu.Lock()
		p.kill()
		killedAt = append(killedAt, time.Now())
		p = startCrashProcess(t, env)
		mu.Unlock()
	}
	close(stop)
	wg.Wait()
	// Let the last run handle everything (what the platform holds, then what
	// the inbox keeps), then stop it.
	d.drained(t)
	platform, _, _ := strings.Cut(mode, "-")
	mu.Lock()
	for try := 0; ; try++ {
		time.Sleep(3 * time.Second)
		p.term(t)
		left := crashInboxLeft(t, storeEnv, platform)
		if left == 0 {
			break
		}
		if try == 30 {
			t.Errorf("%d deliveries still in the inbox after %d starts", left, try+1)
			break
		}
		p = startCrashProcess(t, env)
	}
	p = &crashProcess{cmd: exec.Command("true")}
	_ = p.cmd.Run()
	mu.Unlock()

	snap := tgExport(t, storeEnv)
	f := crashFigures{Mode: mode, Store: store, Kills: kills, Took: time.Since(began)}
	for op := range numOps {
		f.Sent += int(sent[op].Load())
		f.Acked += int(acked[op].Load())
	}
	c := snap.Communities[0]
	// News: each text once; an acknowledged one never missing.
	newsSeen := map[string]int{}
	for _, n := range c.Projects[0].News {
		newsSeen[n.Text]++
	}
	news := 0
	for _, k := range newsSeen {
		news++
		f.Doubled += k - 1
	}
	ballots := c.Polls[0].Ballots
	camp := c.Campaigns[0]
	collected := int(camp.Collected / 100)
	// Every kind: an acknowledged delivery is applied (applied ≥ acknowledged),
	// and nothing is applied more than it was sent.
	check := func(name string, applied int, ops ...crashOp) {
		var s, a int
		for _, op := range ops {
			s += int(sent[op].Load())
			a += int(acked[op].Load())
		}
		f.Lost += max(0, a-applied)
		f.Doubled += max(0, applied-s)
		f.Detail += fmt.Sprintf("%s %d/%d/%d ", name, a, applied, s)
	}
	check("ballots", ballots, opPress, opVote)
	check("pledges", camp.Backers, opPledge)
	check("news", news, opNews)
	check("collects", collected, opCollect)
	f.Detail = strings.TrimSpace(f.Detail) + " (acknowledged/applied/sent)"
	_, changed, twice := d.receipts()
	f.Changed, f.AnswersTwice = changed, twice
	if c, ok := d.(interface{ cut([]time.Time) int }); ok {
		n := c.cut(killedAt)
		f.AnswersTwice -= n
		f.Detail += fmt.Sprintf("; %d answers sent again after a kill cut them between their send and its record", n)
	}
	f.Offsets = d.offsets()
	return f
}

// crashSetupLines are the commands that set the scene, typed by the admin.
var crashSetupLines = []string{
	"/community create Crash club",
	"/project new Garden",
	"/poll new single Where do we meet? | Library | Café | Park",
	"/campaign new donation Seeds goal 100000 EUR until in 300 days keep-it-all",
}

// crashLine is what a typed delivery of the load says.
func crashLine(op crashOp, n int) string {
	switch op {
	case opVote:
		return fmt.Sprintf("/vote V1 %d", 1+n%3)
	case opPledge:
		return fmt.Sprintf("/pledge C1 %d", 5+n%20)
	case opNews:
		return fmt.Sprintf("/news P1 crash-news-%06d", n)
	case opCollect:
		return "/collect C1 1"
	}
	return ""
}

// receiptKind sorts an answer: a first receipt of a ballot or pledge, or one
// saying it changed (an action taken twice, each voter and backer acting once).
func receiptKind(text string) (receipt, changed bool) {
	switch {
	case strings.Contains(text, "is changed"), strings.Contains(text, "Your pledge to C1 is changed"):
		return true, true
	case strings.Contains(text, "is counted"), strings.Contains(text, "You pledged to C1"):
		return true, false
	}
	return false, false
}

// ---- Telegram ----

type telegramCrash struct {
	fake    *telegramtest.Server
	webhook bool
	url     string
	poll    telegramtest.Msg
}

const crashGroup = -5001

func newTelegramCrash(t *testing.T, webhook bool) *telegramCrash {
	d := &telegramCrash{fake: telegramtest.New(t, telegramtest.TelegramLimits), webhook: webhook}
	d.fake.Group(crashGroup, "Crash club")
	return d
}

func (d *telegramCrash) env() map[string]string {
	env := map[string]string{"ENGAGE_TELEGRAM_TOKEN": telegramtest.Token, "ENGAGE_TELEGRAM_API_URL": d.fake.URL()}
	if d.webhook {
		addr := freeAddrString()
		d.url = "http://" + addr + "/tg"
		env["ENGAGE_HTTP_ADDR"] = addr
		env["ENGAGE_TELEGRAM_MODE"] = "webhook"
		env["ENGAGE_TELEGRAM_WEBHOOK_URL"] = "https://engage.example.org/tg"
		env["ENGAGE_TELEGRAM_WEBHOOK_SECRET"] = "Crash_secret"
	}
	return env
}

func (d *telegramCrash) send(raw []byte) bool {
	if !d.webhook {
		d.fake.Queue(raw) // acknowledged once the offset passes it: by the end, every one
		return true
	}
	for try := 0; try < 200; try++ { // Telegram delivers again until it gets a 200
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		st, err := telegramtest.Post(ctx, d.url, raw, "Crash_secret")
		cancel()
		if err == nil && st == http.StatusOK {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

func (d *telegramCrash) setup(t *testing.T) {
	admin := tgUser(11, "Admin")
	for _, line := range crashSetupLines {
		_, raw := d.fake.MessageUpdate(crashGroup, admin, line)
		d.send(raw)
	}
	d.fake.Wait(tgWait, "the poll", func() bool {
		var ok bool
		d.poll, ok = d.fake.Last(crashGroup, "Where do we meet?")
		return ok && len(d.poll.Buttons()) == 3
	})
	d.fake.Wait(tgWait, "the campaign", func() bool { _, ok := d.fake.Last(crashGroup, "C1"); return ok })
}

func (d *telegramCrash) deliver(op crashOp, n int) bool {
	var raw []byte
	switch op {
	case opPress:
		_, raw = d.fake.PressUpdate(tgUser(int64(100000+n), fmt.Sprintf("Voter%d", n)), d.poll, d.poll.Buttons()[n%3].Data)
	case opCollect, opNews:
		_, raw = d.fake.MessageUpdate(crashGroup, tgUser(11, "Admin"), crashLine(op, n))
	default:
		_, raw = d.fake.MessageUpdate(crashGroup, tgUser(int64(100000+n), fmt.Sprintf("Member%d", n)), crashLine(op, n))
	}
	return d.send(raw)
}

func (d *telegramCrash) receipts() (counted, changed, twice int) {
	seen := map[int]int{}
	for _, a := range d.fake.Answers() {
		receipt, ch := receiptKind(a.Text)
		if !receipt {
			continue
		}
		if ch {
			changed++
		}
		seen[a.Update]++
	}
	for _, k := range seen {
		counted++
		twice += k - 1
	}
	// Typed ballots and pledges are answered privately: held for members who
	// never opened a conversation with the bot, as the load's members.
	return counted, changed, twice
}

// cut counts the toasts sent again whose first send came within a second
// before a kill: the kill came between the send and the record of its delivery
// (a window of one store write), so the update, not confirmed yet, came back with
// its answer not marked as delivered.
func (d *telegramCrash) cut(kills []time.Time) int {
	update := map[string]int{}
	for _, a := range d.fake.Answers() {
		if receipt, _ := receiptKind(a.Text); receipt {
			update[a.QueryID] = a.Update
		}
	}
	first := map[int]time.Time{}
	again := map[int]int{}
	for _, c := range d.fake.Calls("answerCallbackQuery") {
		up, ok := update[c.Form.Get("callback_query_id")]
		if !ok || c.Form.Get("text") == "" {
			continue
		}
		if _, seen := first[up]; !seen {
			first[up] = c.At
			continue
		}
		again[up]++
	}
	n := 0
	for up, k := range again {
		for _, at := range kills {
			if d := at.Sub(first[up]); d >= 0 && d < time.Second {
				n += k
				break
			}
		}
	}
	return n
}

// gap: a Telegram group takes 20 messages a minute from a bot, and the answers
// typed in it wait their turn in its lane: a load a group can follow.
func (d *telegramCrash) gap() time.Duration { return time.Second }

func (d *telegramCrash) drained(t *testing.T) {
	d.fake.Wait(5*time.Minute, "every update confirmed", func() bool { return d.fake.Pending() == 0 })
}

func (d *telegramCrash) offsets() string {
	if d.webhook {
		return ""
	}
	offs := d.fake.Offsets()
	moves := 0
	for i := 1; i < len(offs); i++ {
		if offs[i] > offs[i-1] {
			moves++
		}
	}
	return fmt.Sprintf("moved %d times over %d getUpdates, confirmed up to %d", moves, len(offs), d.fake.Confirmed())
}

// ---- Slack ----

type slackCrash struct {
	fake   *slackfake.Server
	soft   *softTB
	http   bool
	poll   slackfake.Message
	target *slackfake.HTTPTarget
}

// softTB turns the fake's fatal failures (a connection refused while the service
// is down, an envelope not acknowledged) into a panic the harness recovers as
// "not acknowledged".
type softTB struct{ testing.TB }

type softFail struct{ msg string }

func (s softTB) Fatal(args ...any)                 { panic(softFail{fmt.Sprint(args...)}) }
func (s softTB) Fatalf(format string, args ...any) { panic(softFail{fmt.Sprintf(format, args...)}) }
func (s softTB) Helper()                           {}

// soft runs fn, reporting false when the fake gave up on it.
func soft(fn func() bool) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, isSoft := r.(softFail); !isSoft {
				panic(r)
			}
			ok = false
		}
	}()
	return fn()
}

func newSlackCrash(t *testing.T, http bool) *slackCrash {
	soft := &softTB{TB: t}
	d := &slackCrash{fake: slackfake.New(soft, e2eTeam), soft: soft, http: http}
	d.fake.AddUser(slackfake.User{ID: "U1", Name: "admin", DisplayName: "Admin", Locale: "en-US"})
	return d
}

func (d *slackCrash) env() map[string]string {
	env := socketEnv(d.fake)
	if d.http {
		delete(env, "ENGAGE_SLACK_APP_TOKEN")
		addr := freeAddrString()
		env["ENGAGE_HTTP_ADDR"] = addr
		env["ENGAGE_SLACK_MODE"] = "http"
		env["ENGAGE_SLACK_SIGNING_SECRET"] = e2eSecret
		d.target = &slackfake.HTTPTarget{URL: "http://" + addr, Secret: e2eSecret}
		d.fake.DeliverHTTP(d.target)
	}
	return env
}

// user is the load's member n (known to the fake, as Slack knows its members).
func (d *slackCrash) user(n int) string {
	id := fmt.Sprintf("U%d", 100000+n)
	d.fake.AddUser(slackfake.User{ID: id, Name: fmt.Sprintf("m%d", n), DisplayName: fmt.Sprintf("Member %d", n), Locale: "en-US"})
	return id
}

// send delivers until acknowledged, as Slack retries (the same delivery again).
func (d *slackCrash) send(fn func(retry int) slackfake.Delivery) bool {
	for retry := 0; retry < 100; retry++ {
		if soft(func() bool {
			got := fn(retry)
			return !d.http || got.Status == http.StatusOK
		}) {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

func (d *slackCrash) setup(t *testing.T) {
	for _, line := range crashSetupLines {
		if !d.send(func(int) slackfake.Delivery { return d.fake.Slash("T1", "C1", "U1", strings.TrimPrefix(line, "/")) }) {
			t.Fatalf("setup %q not delivered", line)
		}
	}
	d.fake.Wait("the poll", func() bool {
		for _, m := range d.fake.Messages("C1") {
			if strings.Contains(m.Text, "V1 · Where do we meet?") {
				d.poll = m
				return true
			}
		}
		return false
	})
}

func (d *slackCrash) deliver(op crashOp, n int) bool {
	switch op {
	case opPress:
		u := d.user(n)
		return d.send(func(int) slackfake.Delivery {
			return d.fake.Press(u, d.poll, []string{"Library", "Café", "Park"}[n%3])
		})
	case opCollect, opNews:
		return d.send(func(retry int) slackfake.Delivery {
			return d.fake.Mention("T1", "C1", "U1", strings.TrimPrefix(crashLine(op, n), "/"), fmt.Sprintf("EvCrash%d", n), retry)
		})
	default:
		u := d.user(n)
		return d.send(func(retry int) slackfake.Delivery {
			return d.fake.Mention("T1", "C1", u, strings.TrimPrefix(crashLine(op, n), "/"), fmt.Sprintf("EvCrash%d", n), retry)
		})
	}
}

func (d *slackCrash) receipts() (counted, changed, twice int) {
	per := map[string]int{}
	for _, m := range d.fake.Messages("") {
		if receipt, ch := receiptKind(m.Text); receipt {
			if ch {
				changed++
			}
			per[m.User+"\x00"+m.Text]++
		}
	}
	for _, k := range per {
		counted++
		twice += k - 1
	}
	return counted, changed, twice
}

func (d *slackCrash) offsets() string { return "" }

func (d *slackCrash) drained(*testing.T) {}

// gap: Slack takes about a message a second per channel, and the answers posted
// in it wait their turn in its worker.
func (d *slackCrash) gap() time.Duration { return time.Second }

// ---- Discord ----

type discordCrash struct {
	fake *discordtest.Server
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
	url  string
	poll *discordtest.Message

	mu      sync.Mutex     // guards answers and changed
	answers map[string]int // interaction → receipts in its HTTP response
	changed int            // receipts saying "changed"
}

var crashWhere = discordtest.Where{Guild: "900", Channel: "901"}

func newDiscordCrash(t *testing.T) *discordCrash {
	pub, priv, _ := ed25519.GenerateKey(nil)
	return &discordCrash{fake: discordtest.New(t), pub: pub, priv: priv, answers: map[string]int{}}
}

func (d *discordCrash) env() map[string]string {
	addr := freeAddrString()
	d.url = "http://" + addr + "/discord/interactions"
	return map[string]string{
		"ENGAGE_DISCORD_TOKEN": d.fake.Token, "ENGAGE_DISCORD_API_URL": d.fake.URL(), "ENGAGE_DISCORD_MODE": "http",
		"ENGAGE_DISCORD_PUBLIC_KEY": hex.EncodeToString(d.pub), "ENGAGE_DISCORD_APPLICATION_ID": d.fake.AppID,
		"ENGAGE_DISCORD_GUILD_ID": "900", "ENGAGE_HTTP_ADDR": addr,
	}
}

// post sends a signed interaction once (Discord does not send one again): acked
// when answered 200.
func (d *discordCrash) post(raw []byte, id string) bool {
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest("POST", d.url, bytes.NewReader(raw))
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(d.priv, append([]byte(stamp), raw...))))
	req.Header.Set("X-Signature-Timestamp", stamp)
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return false
	}
	if receipt, ch := receiptKind(string(body)); receipt {
		d.mu.Lock()
		d.answers[id]++
		if ch {
			d.changed++
		}
		d.mu.Unlock()
	}
	return true
}

func (d *discordCrash) typed(u discordtest.User, line string) bool {
	raw, id := d.fake.Payload(2, u, crashWhere, map[string]any{"id": "1", "name": "engage", "type": 1,
		"options": []discordtest.Opt{discordtest.S("command", line)}}, "")
	return d.post(raw, id)
}

func (d *discordCrash) setup(t *testing.T) {
	admin := discordtest.User{ID: "11", Name: "admin"}
	for _, line := range crashSetupLines {
		ok := false
		for try := 0; try < 100 && !ok; try++ {
			if ok = d.typed(admin, line); !ok {
				time.Sleep(100 * time.Millisecond)
			}
		}
		if !ok {
			t.Fatalf("setup %q not answered", line)
		}
	}
	d.fake.Eventually("the poll", func() bool {
		for _, m := range d.fake.Messages(crashWhere.Channel) {
			if strings.Contains(m.Text(), "Where do we meet?") && len(m.Buttons()) >= 3 {
				d.poll = m
				return true
			}
		}
		return false
	})
}

func (d *discordCrash) deliver(op crashOp, n int) bool {
	u := discordtest.User{ID: strconv.Itoa(100000 + n), Name: fmt.Sprintf("member%d", n)}
	switch op {
	case opPress:
		b := d.poll.Button([]string{"Library", "Café", "Park"}[n%3])
		raw, id := d.fake.Payload(3, u, crashWhere, map[string]any{"custom_id": b.CustomID, "component_type": 2}, d.poll.ID)
		return d.post(raw, id)
	case opCollect, opNews:
		return d.typed(discordtest.User{ID: "11", Name: "admin"}, crashLine(op, n))
	default:
		return d.typed(u, crashLine(op, n))
	}
}

func (d *discordCrash) receipts() (counted, changed, twice int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, k := range d.answers {
		n := k
		if in := d.fake.Interaction(id); in != nil {
			for _, r := range in.Responses { // answered again by REST after a restart
				if receipt, _ := receiptKind(string(r.Data)); receipt {
					n++
				}
			}
			for _, m := range in.Followups {
				if receipt, _ := receiptKind(m.Text()); receipt {
					n++
				}
			}
		}
		counted++
		twice += max(0, n-1)
	}
	return counted, d.changed, twice
}

func (d *discordCrash) offsets() string { return "" }

func (d *discordCrash) drained(*testing.T) {}

func (d *discordCrash) gap() time.Duration { return 200 * time.Millisecond }

// freeAddrString returns a loopback address with a free port.
func freeAddrString() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// crashInboxLeft counts the deliveries of platform left in the inbox of the store
// (the service stopped).
func crashInboxLeft(t *testing.T, storeEnv map[string]string, platform string) int {
	t.Helper()
	sp := storeSpec{Driver: "bolt", Target: storeEnv["ENGAGE_STORE_PATH"]}
	if storeEnv["ENGAGE_STORE_DRIVER"] == "postgres" {
		sp = storeSpec{Driver: "postgres", Target: storeEnv["ENGAGE_STORE_DSN"]}
	}
	st, err := sp.open(false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n := 0
	err = core.New(st, nil).View(context.Background(), func(tx *core.Tx) error {
		items, err := tx.Inbox(platform, "", 1<<20)
		n = len(items)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// discordGatewayCrash is Discord over the gateway: an interaction is dispatched on
// the connection, and acknowledged when Discord got its response (the answer or a
// deferral) within the three seconds; one dispatched to a connection that died
// is lost for Discord too (a new session does not replay it).
type discordGatewayCrash struct {
	*discordCrash
}

func (d *discordGatewayCrash) env() map[string]string {
	return map[string]string{
		"ENGAGE_DISCORD_TOKEN": d.fake.Token, "ENGAGE_DISCORD_API_URL": d.fake.URL(),
		"ENGAGE_DISCORD_APPLICATION_ID": d.fake.AppID, "ENGAGE_DISCORD_GUILD_ID": "900",
	}
}

// dispatch sends an interaction and waits for its response.
func (d *discordGatewayCrash) dispatch(raw []byte, id string) bool {
	d.fake.Dispatch("INTERACTION_CREATE", json.RawMessage(raw))
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if in := d.fake.Interaction(id); in != nil && len(in.Responses) > 0 {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

func (d *discordGatewayCrash) typed(u discordtest.User, line string) bool {
	raw, id := d.fake.Payload(2, u, crashWhere, map[string]any{"id": "1", "name": "engage", "type": 1,
		"options": []discordtest.Opt{discordtest.S("command", line)}}, "")
	return d.dispatch(raw, id)
}

func (d *discordGatewayCrash) setup(t *testing.T) {
	d.fake.WaitConnected()
	admin := discordtest.User{ID: "11", Name: "admin"}
	for _, line := range crashSetupLines {
		if !d.typed(admin, line) {
			t.Fatalf("setup %q not answered", line)
		}
	}
	d.fake.Eventually("the poll", func() bool {
		for _, m := range d.fake.Messages(crashWhere.Channel) {
			if strings.Contains(m.Text(), "Where do we meet?") && len(m.Buttons()) >= 3 {
				d.poll = m
				return true
			}
		}
		return false
	})
}

func (d *discordGatewayCrash) deliver(op crashOp, n int) bool {
	u := discordtest.User{ID: strconv.Itoa(100000 + n), Name: fmt.Sprintf("member%d", n)}
	var raw []byte
	var id string
	switch op {
	case opPress:
		b := d.poll.Button([]string{"Library", "Café", "Park"}[n%3])
		raw, id = d.fake.Payload(3, u, crashWhere, map[string]any{"custom_id": b.CustomID, "component_type": 2}, d.poll.ID)
	case opCollect, opNews:
		raw, id = d.fake.Payload(2, discordtest.User{ID: "11", Name: "admin"}, crashWhere, map[string]any{"id": "1", "name": "engage", "type": 1,
			"options": []discordtest.Opt{discordtest.S("command", crashLine(op, n))}}, "")
	default:
		raw, id = d.fake.Payload(2, u, crashWhere, map[string]any{"id": "1", "name": "engage", "type": 1,
			"options": []discordtest.Opt{discordtest.S("command", crashLine(op, n))}}, "")
	}
	d.mu.Lock()
	d.answers[id] = 0
	d.mu.Unlock()
	return d.dispatch(raw, id)
}

// receipts counts, per interaction, the receipts Discord got: in its initial
// responses, the edit of a deferred one, and follow-ups.
func (d *discordGatewayCrash) receipts() (counted, changed, twice int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id := range d.answers {
		in := d.fake.Interaction(id)
		if in == nil {
			continue
		}
		n, deferred := 0, false
		for _, r := range in.Responses {
			if r.Type == 5 || r.Type == 6 {
				deferred = true
			}
			if receipt, ch := receiptKind(string(r.Data)); receipt {
				n++
				if ch {
					changed++
				}
			}
		}
		if deferred && in.Original != nil {
			if receipt, ch := receiptKind(in.Original.Text()); receipt {
				n++
				if ch {
					changed++
				}
			}
		}
		for _, m := range in.Followups {
			if receipt, ch := receiptKind(m.Text()); receipt {
				n++
				if ch {
					changed++
				}
			}
		}
		if n > 0 {
			counted++
			twice += n - 1
		}
	}
	return counted, changed, twice
}
