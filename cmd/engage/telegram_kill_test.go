package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/telegram/telegramtest"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/boltstore"
)

// Ensure killing `engage run` (SIGKILL, no chance to clean up) while it handles
// updates, then starting it again on the same store, loses no update and doubles
// none: the offset only moves past handled and committed updates, and those
// Telegram sends again are recognised by their update_id.
func TestTelegramKillAndRestart(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the engage binary and runs it twice")
	}
	bin := engageBin // built by TestMain
	fake := telegramtest.New(t, telegramtest.TelegramLimits)
	db := filepath.Join(t.TempDir(), "engage.db")
	var logs []*tgBuffer
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "run")
		cmd.Env = []string{
			"ENGAGE_TELEGRAM_TOKEN=" + telegramtest.Token, "ENGAGE_TELEGRAM_API_URL=" + fake.URL(),
			"ENGAGE_STORE_PATH=" + db, "ENGAGE_HTTP_ADDR=127.0.0.1:0", "ENGAGE_COMMUNITY_LANG=en",
		}
		buf := &tgBuffer{}
		logs = append(logs, buf)
		cmd.Stderr = buf
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		return cmd
	}

	const groups, rounds = 10, 6
	p1 := start()
	var projects []telegramtest.Msg
	for g := range groups {
		chat := int64(-3000 - g)
		fake.Group(chat, fmt.Sprintf("Group %d", g))
		admin := tgUser(int64(300+g), fmt.Sprintf("Admin%d", g))
		fake.Say(chat, admin, "/community create Group "+fmt.Sprint(g))
		fake.Say(chat, admin, "/project new Garden")
	}
	for g := range groups {
		chat := int64(-3000 - g)
		var m telegramtest.Msg
		fake.Wait(tgWait, "projects", func() bool {
			var ok bool
			m, ok = fake.Last(chat, "Garden")
			return ok && len(m.Buttons()) > 0
		})
		projects = append(projects, m)
	}
	// A slow network: getUpdates confirms late, so that the kill finds updates
	// handled and committed but not confirmed.
	fake.SetPollDelay(150 * time.Millisecond)
	answered0 := len(fake.Answers())
	for r := range rounds {
		for g := range groups {
			chat := int64(-3000 - g)
			fake.Say(chat, tgUser(int64(300+g), fmt.Sprintf("Admin%d", g)), fmt.Sprintf("/news P1 note %d-%d", g, r))
			fake.Press(tgUser(int64(1000+10*g+r), "Member"), projects[g], "Follow")
		}
	}
	// Kill as soon as a press was answered (its update handled and committed)
	// while Telegram still holds it as unconfirmed.
	fake.Wait(tgWait, "a handled, unconfirmed update", func() bool {
		conf := fake.Confirmed()
		for _, a := range fake.Answers()[answered0:] {
			if a.Update >= conf {
				return true
			}
		}
		return false
	})
	time.Sleep(60 * time.Millisecond) // let a few more be answered (and recorded)
	if err := p1.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p1.Wait()
	confirmedAtKill := fake.Confirmed()
	handledAtKill := map[int]bool{}
	for _, a := range fake.Answers()[answered0:] {
		handledAtKill[a.Update] = true
	}
	// Which answers the killed run had recorded as delivered: only the others,
	// whose send the kill cut before its record, may go out again.
	recorded := map[int]bool{}
	func() {
		st, err := boltstore.Open(db, boltstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		eng := core.New(st, nil)
		for id := range handledAtKill {
			if recorded[id], err = eng.AnswerRecorded(t.Context(), fmt.Sprintf("telegram:%d", id)); err != nil {
				t.Fatal(err)
			}
		}
	}()
	fake.SetPollDelay(0)

	p2 := start()
	news := func() map[string]int {
		seen := map[string]int{}
		for g := range groups {
			for _, m := range fake.Messages(int64(-3000 - g)) {
				if i := strings.Index(m.Text, "note "); i >= 0 {
					seen[strings.Fields(m.Text[i:])[1]]++
				}
			}
		}
		return seen
	}
	fake.Wait(2*tgWait, "every news delivered", func() bool { return fake.Pending() == 0 && len(news()) == groups*rounds })
	fake.Wait(tgWait, "every press answered", func() bool {
		ids := map[int]bool{}
		for _, a := range fake.Answers()[answered0:] {
			ids[a.Update] = true
		}
		return len(ids) == groups*rounds
	})
	if err := p2.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p2.Wait(); err != nil {
		t.Fatalf("engage run after SIGTERM: %v\n%s", err, logs[1].String())
	}

	// Updates handled before the kill but not confirmed came again, and were
	// recognised: the press is acknowledged again (Telegram wants it), but its
	// answer, delivered before the kill, is not sent a second time.
	replayed := 0
	answers := map[int]int{}
	toasts := map[int]int{}
	for _, a := range fake.Answers()[answered0:] {
		answers[a.Update]++
		if a.Text != "" {
			toasts[a.Update]++
		}
	}
	// The one exception: an answer the kill cut between its send and the record
	// of its delivery (a window of one store write, for the presses in flight).
	twice, cut := 0, 0
	for id, n := range toasts {
		twice += n - 1
		if n > 1 && recorded[id] {
			t.Errorf("update %d: its answer, recorded as delivered, was sent %d times", id, n)
		}
		if !recorded[id] && handledAtKill[id] {
			cut++
		}
	}
	for id := range handledAtKill {
		if id >= confirmedAtKill && answers[id] > 1 {
			replayed++
		}
	}
	if replayed == 0 {
		t.Fatalf("no update handled before the kill came again (confirmed %d at the kill)", confirmedAtKill)
	}
	snap := tgExport(t, map[string]string{"ENGAGE_STORE_PATH": db})
	if len(snap.Communities) != groups {
		t.Fatalf("got %d communities, want %d", len(snap.Communities), groups)
	}
	for _, c := range snap.Communities {
		p := c.Projects[0]
		texts := map[string]int{}
		for _, n := range p.News {
			texts[n.Text]++
		}
		if len(p.News) != rounds || len(texts) != rounds {
			t.Fatalf("community %s: %d news (%d distinct), want %d once each: %v", c.Name, len(p.News), len(texts), rounds, texts)
		}
		if p.Followers != rounds {
			t.Fatalf("community %s: %d followers, want %d", c.Name, p.Followers, rounds)
		}
	}
	dups := 0
	for _, n := range news() {
		dups += n - 1
	}
	t.Logf("killed with %d presses handled; %d handled updates came again and were recognised; %d answers sent twice (%d sends cut by the kill before their record), %d messages sent twice (the outbox delivers at least once)",
		len(handledAtKill), replayed, twice, cut, dups)
}
