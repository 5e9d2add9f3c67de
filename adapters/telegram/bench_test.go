package telegram_test

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/engage-org/engage/adapters/telegram"
	"github.com/engage-org/engage/adapters/telegram/telegramtest"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/internal/cputime"
)

// BenchmarkButtonPresses compares, on the same fake Bot API in the same run, the
// presses per second of Engage (getUpdates → adapter → bots → core → bbolt with
// fsync → answerCallbackQuery, the tally edited through the outbox) with those of
// a bare tgbotapi echo bot that only answers each press. Each press is a new
// member's ballot on a single-choice poll in one group.
//
// It also reports the CPU (user and system, of the whole process: the fake's
// share is in both) that Engage and the echo bot spend per press, from the
// first press queued until the run is torn down (the tally edits that follow the
// last answer included, the set-up not).
func BenchmarkButtonPresses(b *testing.B) {
	const presses = 2000
	var engage, bare, echo time.Duration
	var engageCPU, echoCPU time.Duration
	runs := 0
	for b.Loop() {
		d, c := pressEngage(b, presses, true)
		engage += d
		engageCPU += c
		d, _ = pressEngage(b, presses, false)
		bare += d
		d, c = pressEcho(b, presses)
		echo += d
		echoCPU += c
		runs++
	}
	e := float64(presses*runs) / engage.Seconds()
	n := float64(presses*runs) / bare.Seconds()
	x := float64(presses*runs) / echo.Seconds()
	b.ReportMetric(e, "engage_presses/s")
	b.ReportMetric(n, "noinbox_presses/s")
	b.ReportMetric(x, "echo_presses/s")
	b.ReportMetric(e/x, "ratio")
	b.ReportMetric(e/n, "inbox/noinbox")
	ec := float64(engageCPU.Microseconds()) / float64(presses*runs)
	xc := float64(echoCPU.Microseconds()) / float64(presses*runs)
	b.ReportMetric(ec, "engage_cpu_us/press")
	b.ReportMetric(xc, "echo_cpu_us/press")
	b.ReportMetric(ec/xc, "cpu_ratio")
}

// cpuTime is the CPU the process used so far, user and system.
func cpuTime(b *testing.B) time.Duration {
	d, ok := cputime.Now()
	if !ok {
		b.Skip("no CPU clock on this platform")
	}
	return d
}

// pressEngage times presses presses through Engage, with the durable inbox as
// `engage run` has it or (inbox false) without, updates confirmed once handled,
// and returns the time taken and the CPU used.
func pressEngage(b *testing.B, presses int, inbox bool) (took, cpu time.Duration) {
	b.Helper()
	var cpu0 time.Duration
	defer func() { cpu = cpuTime(b) - cpu0 }() // after the teardown below
	fake := telegramtest.New(b, telegramtest.Limits{})
	env := botstest.NewEnv(b, botstest.Options{Lang: "en"}) // bbolt with fsync
	cfg := telegram.Config{
		Token: telegramtest.Token, APIURL: fake.URL(), Handler: env.Bot, PollTimeout: time.Second,
		Limits: telegram.Limits{PerSecond: 1 << 20}, Log: slog.New(slog.DiscardHandler),
	}
	if inbox {
		cfg.Inbox = env.Bot.Inbox(bots.PlatformTelegram)
	}
	tg, err := telegram.New(b.Context(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	disp := outbox.NewDispatcher(env.Engine, env.Bot, map[string]bots.Sender{bots.PlatformTelegram: tg}, nil, nil)
	env.Bot.OnOutbox(disp.Wake)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	wg.Go(func() { _ = tg.Run(ctx) })
	wg.Go(func() { _ = disp.Run(ctx) })
	const group = -1001
	fake.Group(group, "Club")
	alice := user(11, "Alice")
	fake.Say(group, alice, "/community create Club lang en")
	fake.Say(group, alice, "/poll new single Where do we meet? | Library | Café | Park | Garden")
	var poll telegramtest.Msg
	fake.Wait(testWait, "poll", func() bool {
		var ok bool
		poll, ok = fake.Last(group, "Where do we meet?")
		return ok && len(poll.Buttons()) == 4
	})
	raws := make([][]byte, presses)
	for i := range raws {
		_, raws[i] = fake.PressUpdate(user(int64(10000+i), fmt.Sprintf("M%d", i)), poll, poll.Buttons()[i%4].Data)
	}
	cpu0 = cpuTime(b)
	start := time.Now()
	for _, raw := range raws {
		fake.Queue(raw)
	}
	fake.Wait(time.Minute, "presses answered", func() bool { return fake.AnswerCount() == presses })
	return time.Since(start), 0
}

// pressEcho times presses presses through a bare tgbotapi bot that answers each
// press and does nothing else (GetUpdatesChan, Request), and returns the time
// taken and the CPU used.
func pressEcho(b *testing.B, presses int) (took, cpu time.Duration) {
	b.Helper()
	fake := telegramtest.New(b, telegramtest.Limits{})
	bot, err := tgbotapi.NewBotAPIWithClient(telegramtest.Token, fake.URL()+"/bot%s/%s", &http.Client{})
	if err != nil {
		b.Fatal(err)
	}
	const group = -1001
	fake.Group(group, "Club")
	msg := telegramtest.Msg{ID: 1, Chat: group, Keyboard: [][]telegramtest.Button{{{Text: "Follow", Data: "ABCDEFGHIJKLMNOP"}}}}
	raws := make([][]byte, presses)
	for i := range raws {
		_, raws[i] = fake.PressUpdate(user(int64(10000+i), fmt.Sprintf("M%d", i)), msg, "ABCDEFGHIJKLMNOP")
	}
	updates := bot.GetUpdatesChan(tgbotapi.UpdateConfig{Timeout: 1})
	done := make(chan struct{})
	go func() {
		defer close(done)
		n := 0
		for u := range updates {
			if u.CallbackQuery != nil {
				if _, err := bot.Request(tgbotapi.NewCallback(u.CallbackQuery.ID, "ok")); err != nil {
					b.Error(err)
				}
				if n++; n == presses {
					return
				}
			}
		}
	}()
	cpu0 := cpuTime(b)
	start := time.Now()
	for _, raw := range raws {
		fake.Queue(raw)
	}
	<-done
	took = time.Since(start)
	bot.StopReceivingUpdates()
	return took, cpuTime(b) - cpu0
}

// BenchmarkFanOut sends 600 messages to 60 chats (30 groups, 30 private chats)
// through the outbox and the adapter, against a fake that enforces Telegram's
// limits (and five times looser ones, to keep it short), and reports the time the
// limits make necessary divided by the time taken (1 is the fastest the fake
// allows), and the 429s (must be 0). The pacer counts a send from when its answer
// came back, so that no burst can exceed a window however late requests arrive:
// each window thus takes a little longer than the limit, more so when the limits
// are loose and bursts large.
func BenchmarkFanOut(b *testing.B) {
	for _, k := range []int{1, 5} {
		b.Run(fmt.Sprintf("limits×%d", k), func(b *testing.B) {
			limits := telegramtest.TelegramLimits.Scaled(k)
			var ratio float64
			floods, runs := 0, 0
			for b.Loop() {
				r := newRig(b, rigOptions{fakeLimits: limits})
				msgs := fanOut(r, 60, 10)
				if err := r.env.Bot.Postpone(context.Background(), msgs...); err != nil {
					b.Fatal(err)
				}
				r.fake.Wait(time.Minute, "600 messages", func() bool { n, _, _ := r.fake.Sent(); return n == 600 })
				_, first, last := r.fake.Sent()
				ratio += minMakespan(len(msgs), 60, 30, limits).Seconds() / last.Sub(first).Seconds()
				floods += r.fake.Floods()
				runs++
				r.close()
			}
			b.ReportMetric(ratio/float64(runs), "rate/allowed")
			b.ReportMetric(float64(floods)/float64(runs), "429s")
		})
	}
}

// minMakespan is the least time from the first to the last of n messages spread
// evenly over chats chats (groups of them groups) that limits allow: the sliding
// windows filled at once, then once per window.
func minMakespan(n, chats, groups int, l telegramtest.Limits) time.Duration {
	perChat := int(math.Ceil(float64(n) / float64(chats)))
	global := time.Duration(math.Ceil(float64(n)/float64(l.PerSecond))-1) * time.Second
	chat := time.Duration(perChat-1) * l.ChatGap
	group := time.Duration(0)
	if groups > 0 {
		group = time.Duration(math.Ceil(float64(perChat)/float64(l.PerGroupMinute))-1) * time.Minute
	}
	return max(global, chat, group)
}
