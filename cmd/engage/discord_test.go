package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/console"
	"github.com/engage-org/engage/adapters/discord"
	"github.com/engage-org/engage/adapters/discord/discordtest"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/outbox"
)

var (
	alice = discordtest.User{ID: "1001", Name: "alice"}
	bob   = discordtest.User{ID: "1002", Name: "bob"}
	here  = discordtest.Where{Guild: "900", Channel: "901"}
)

// serveEngage runs `engage run` with env until the end of the test.
func serveEngage(t *testing.T, env map[string]string) *syncBuffer {
	t.Helper()
	env["ENGAGE_STORE_PATH"] = filepath.Join(t.TempDir(), "engage.db")
	if env["ENGAGE_HTTP_ADDR"] == "" {
		env["ENGAGE_HTTP_ADDR"] = "127.0.0.1:0"
	}
	env["ENGAGE_COMMUNITY_LANG"] = "en"
	stderr := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"run"}, strings.NewReader(""), io.Discard, stderr, func(k string) string { return env[k] })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("engage run exited %d:\n%s", code, stderr)
			}
		case <-time.After(30 * time.Second):
			t.Error("engage run did not stop")
		}
	})
	return stderr
}

func answered(t *testing.T, fake *discordtest.Server, id string) *discordtest.Interaction {
	t.Helper()
	var in *discordtest.Interaction
	fake.Eventually("a response to "+id, func() bool {
		in = fake.Interaction(id)
		return in != nil && len(in.Responses) > 0
	})
	if r := in.Responses[0]; r.After > 3*time.Second || r.Refused != 0 {
		t.Fatalf("interaction %s answered after %v (refused %d)", id, r.After, r.Refused)
	}
	return in
}

func content(t *testing.T, r discordtest.Response) string {
	t.Helper()
	var d struct {
		Content string `json:"content"`
	}
	_ = json.Unmarshal(r.Data, &d)
	return d.Content
}

func waitMessage(t *testing.T, fake *discordtest.Server, channel, text string) *discordtest.Message {
	t.Helper()
	var found *discordtest.Message
	fake.Eventually("a message with "+text, func() bool {
		for _, m := range fake.Messages(channel) {
			if strings.Contains(m.Text(), text) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// Ensure `engage run` with ENGAGE_DISCORD_TOKEN and ENGAGE_DISCORD_API_URL runs
// the Discord adapter end to end: commands registered, slash commands, buttons,
// a modal, news to a follower's direct messages, a referent answering in direct
// messages, and a duplicated interaction counted once.
func TestRun_Discord(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	serveEngage(t, map[string]string{
		"ENGAGE_DISCORD_TOKEN": fake.Token, "ENGAGE_DISCORD_API_URL": fake.URL(), "ENGAGE_DISCORD_GUILD_ID": "900",
	})
	fake.WaitConnected()
	if !strings.Contains(string(fake.Commands("900")), `"name_localizations":{"fr":"projet"}`) {
		t.Fatalf("commands not registered with French names: %.300s", fake.Commands("900"))
	}

	in := answered(t, fake, fake.Command(alice, here, "community", discordtest.Sub("create", discordtest.S("name", "Garden Club"))))
	if c := content(t, in.Responses[0]); !strings.Contains(c, "Garden Club") {
		t.Fatalf("got %q", c)
	}
	in = answered(t, fake, fake.Command(alice, here, "project", discordtest.Sub("new", discordtest.S("title", "Garden"), discordtest.S("description", "beds for all"))))
	if c := content(t, in.Responses[0]); c != "✅ Done." {
		t.Fatalf("got %q", c)
	}
	card := waitMessage(t, fake, here.Channel, "New project P1: Garden")
	in = answered(t, fake, fake.Click(bob, here, card.ID, card.Button("Follow").CustomID))
	if c := content(t, in.Responses[0]); !strings.Contains(c, "You follow P1") {
		t.Fatalf("got %q", c)
	}
	// The referent posts news through a modal; the follower gets it directly.
	in = answered(t, fake, fake.Command(alice, here, "news", discordtest.S("id", "P1")))
	if in.Modal == nil {
		t.Fatalf("got response %d, want a modal", in.Responses[0].Type)
	}
	answered(t, fake, fake.Submit(alice, here, in.Modal.CustomID, map[string]string{"text": "First beds are in"}))
	waitMessage(t, fake, here.Channel, "First beds are in")
	fake.Eventually("bob's news", func() bool { return len(fake.DMs(bob.ID)) == 1 })
	if got := fake.DMs(bob.ID)[0].Text(); !strings.Contains(got, "News from P1 Garden: First beds are in") {
		t.Fatalf("got %q", got)
	}
	// The referent answers in direct messages (a form asked field by field).
	dm := discordtest.Where{Channel: "dm-" + alice.ID}
	fake.Write(alice, dm, "/nextstep P1")
	fake.Eventually("the question", func() bool { return len(fake.DMs(alice.ID)) > 0 })
	fake.Write(alice, dm, "Order the seeds")
	fake.Eventually("the second question", func() bool { return len(fake.DMs(alice.ID)) > 1 })
	fake.Write(alice, dm, "15/12")
	fake.Eventually("the step saved", func() bool {
		msgs := fake.DMs(alice.ID)
		return len(msgs) > 2 && strings.Contains(msgs[len(msgs)-1].Text(), "Next step for P1 saved: Order the seeds")
	})
	share := fake.DMs(alice.ID)[2].Button("Post it")
	if share == nil {
		t.Fatalf("no button to post the step: %+v", fake.DMs(alice.ID)[2])
	}
	answered(t, fake, fake.Click(alice, dm, fake.DMs(alice.ID)[2].ID, share.CustomID))
	waitMessage(t, fake, here.Channel, "Next step for P1 Garden: Order the seeds")

	// A duplicated interaction counts once.
	raw, id := fake.Payload(2, bob, here, map[string]any{"id": "1", "name": "like", "type": 1,
		"options": []discordtest.Opt{discordtest.S("id", "P1")}}, "")
	fake.Resend(raw)
	answered(t, fake, id)
	fake.Resend(raw)
	fake.Eventually("the duplicate refused", func() bool { return len(fake.Interaction(id).Responses) == 2 })
	in = answered(t, fake, fake.Command(alice, here, "project", discordtest.Sub("show", discordtest.S("id", "P1"))))
	if c := content(t, in.Responses[0]); !strings.Contains(c, "1 follower · 1 like · 1 news") {
		t.Fatalf("got %q", c)
	}
}

// freeAddr returns a loopback address nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// Ensure http mode serves the interactions endpoint on the service's listener:
// signatures and timestamps checked, PING answered, commands answered.
func TestRun_DiscordHTTP(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	pub, priv, _ := ed25519.GenerateKey(nil)
	addr := freeAddr(t)
	serveEngage(t, map[string]string{
		"ENGAGE_DISCORD_TOKEN": fake.Token, "ENGAGE_DISCORD_API_URL": fake.URL(), "ENGAGE_DISCORD_MODE": "http",
		"ENGAGE_DISCORD_PUBLIC_KEY": hex.EncodeToString(pub), "ENGAGE_DISCORD_APPLICATION_ID": fake.AppID, "ENGAGE_HTTP_ADDR": addr,
	})
	url := "http://" + addr + "/discord/interactions"
	post := func(body []byte, key ed25519.PrivateKey, at time.Time) (int, string) {
		stamp := strconv.FormatInt(at.Unix(), 10)
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(stamp), body...))))
		req.Header.Set("X-Signature-Timestamp", stamp)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	ping := []byte(`{"id":"1","application_id":"` + fake.AppID + `","type":1,"token":"t","version":1}`)
	fake.Eventually("the listener", func() bool { code, _ := post(ping, priv, time.Now()); return code == 200 })
	// The same signed request again is a replay; signed at another second, it is not.
	if code, body := post(ping, priv, time.Now().Add(-2*time.Second)); body != `{"type":1}` {
		t.Fatalf("got %d %s", code, body)
	}
	if code, _ := post(ping, priv, time.Now().Add(-2*time.Second)); code != 401 {
		t.Fatalf("replayed: got %d, want 401", code)
	}
	_, other, _ := ed25519.GenerateKey(nil)
	if code, _ := post(ping, other, time.Now()); code != 401 {
		t.Fatalf("bad signature: got %d", code)
	}
	if code, _ := post(ping, priv, time.Now().Add(-6*time.Minute)); code != 401 {
		t.Fatalf("stale timestamp: got %d", code)
	}
	raw, _ := fake.Payload(2, alice, here, map[string]any{"id": "1", "name": "engage", "type": 1,
		"options": []discordtest.Opt{discordtest.S("command", "/community create Garden Club")}}, "")
	if code, body := post(raw, priv, time.Now()); code != 200 || !strings.Contains(body, `"type":4`) || !strings.Contains(body, "Garden Club") {
		t.Fatalf("got %d %s", code, body)
	}
	if len(fake.Identifies()) != 0 {
		t.Fatal("http mode opened the gateway")
	}
	fake.Eventually("commands registered", func() bool { return fake.Commands("") != nil })
}

// Ensure one community spans a Discord channel and the console: what happens on
// one shows on the other, and a count is one across both: likes, and one poll
// whose tally is edited in place on both.
func TestDiscordAndConsole(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	env := map[string]string{
		"ENGAGE_STORE_PATH": filepath.Join(t.TempDir(), "engage.db"), "ENGAGE_COMMUNITY_LANG": "en",
		"ENGAGE_DISCORD_TOKEN": fake.Token, "ENGAGE_DISCORD_API_URL": fake.URL(), "ENGAGE_DISCORD_GUILD_ID": "900",
	}
	cfg, err := LoadConfig("", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := openApp(cfg, time.Now, newLogger(LogConfig{Level: "error"}, io.Discard), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	set, err := buildAdapters(ctx, cfg, a)
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	pr, pw := io.Pipe()
	senders := set.senders
	// One dispatcher sends to both platforms, as `engage run` does (the console's
	// own flushing would race it: it is for the console alone).
	disp := outbox.NewDispatcher(a.eng, a.bot, senders, nil, nil)
	disp.Poll = 50 * time.Millisecond
	a.bot.OnOutbox(disp.Wake)
	con := console.New(console.Config{In: pr, Out: out, Handler: a.bot, Now: a.eng.Now,
		Flush:   func(context.Context) error { return nil },
		Advance: func(context.Context, time.Time) error { return nil }})
	senders[bots.PlatformConsole] = con
	var wg sync.WaitGroup
	for _, s := range set.services {
		wg.Go(func() { _ = s.Run(ctx) })
	}
	wg.Go(func() { _ = con.Run(ctx) })
	wg.Go(func() { _ = disp.Run(ctx) })
	t.Cleanup(func() { pw.Close(); cancel(); wg.Wait() })
	fake.WaitConnected()
	say := func(line string) {
		t.Helper()
		if _, err := io.WriteString(pw, line+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	printed := func(text string) {
		t.Helper()
		fake.Eventually("the console to print "+text, func() bool { return strings.Contains(out.String(), text) })
	}

	answered(t, fake, fake.Command(alice, here, "community", discordtest.Sub("create", discordtest.S("name", "Garden Club"))))
	in := answered(t, fake, fake.Command(alice, here, "community", discordtest.Sub("invite")))
	code := regexp.MustCompile(`join ([A-Z0-9]{6})`).FindStringSubmatch(content(t, in.Responses[0]))
	if code == nil {
		t.Fatalf("no code in %q", content(t, in.Responses[0]))
	}
	say("carol: /community join " + code[1])
	printed("A console chat joined the community “Garden Club”")
	waitMessage(t, fake, here.Channel, "A console chat joined")

	answered(t, fake, fake.Command(alice, here, "project", discordtest.Sub("new", discordtest.S("title", "Garden"))))
	printed("[group] 🌱 New project P1: Garden")
	waitMessage(t, fake, here.Channel, "New project P1: Garden")

	say("carol: /like P1")
	printed("[dm carol] 👍 You like P1 Garden (1 like in all).")
	in = answered(t, fake, fake.Command(bob, here, "like", discordtest.S("id", "P1")))
	if c := content(t, in.Responses[0]); !strings.Contains(c, "You like P1 Garden (2 likes in all)") {
		t.Fatalf("got %q, want the count across both platforms", c)
	}

	say("carol: /follow P1")
	printed("You follow P1")
	answered(t, fake, fake.Command(alice, here, "news", discordtest.S("id", "P1"), discordtest.S("text", "Seeds are in")))
	printed("[dm carol] 📰 News from P1 Garden: Seeds are in")
	printed("[group] 📰 P1 Garden — Seeds are in")
	waitMessage(t, fake, here.Channel, "P1 Garden — Seeds are in")
	say("carol: /project new Compost")
	printed("[group] 🌱 New project P2: Compost")
	card := waitMessage(t, fake, here.Channel, "New project P2: Compost")
	answered(t, fake, fake.Click(bob, here, card.ID, card.Button("Follow").CustomID))
	say("carol: /news P2 From the console")
	fake.Eventually("bob's news from the console", func() bool {
		for _, m := range fake.DMs(bob.ID) {
			if strings.Contains(m.Text(), "News from P2 Compost: From the console") {
				return true
			}
		}
		return false
	})

	// One poll, one tally, shown and edited on both.
	answered(t, fake, fake.Command(alice, here, "poll", discordtest.Sub("new", discordtest.S("method", "single"),
		discordtest.S("question", "Where to meet?"), discordtest.S("options", "Nashville | Memphis"))))
	printed("[group] 🗳 V1 · Where to meet?")
	card = pollCard(t, fake, here.Channel, "V1", nil)
	say("carol [2]") // Memphis, on the console
	printed("Your ballot in V1 is counted")
	answered(t, fake, fake.Click(bob, here, card.ID, card.Button("Memphis").CustomID))
	fake.Eventually("the tally edited on the console", func() bool { // a few seconds: ballots in a burst make one edit
		return regexp.MustCompile(`\[group\] \(edit\) 🗳 V1 · Where to meet\?[^\[]*Memphis — 2 \(100%\)`).MatchString(out.String())
	})
	edited := pollCard(t, fake, here.Channel, "V1", func(m *discordtest.Message) bool { return m.Edits > 0 && strings.Contains(m.Text(), "2 ballots") })
	if edited.ID != card.ID || !strings.Contains(edited.Text(), "Memphis — 2 (100%)") {
		for _, m := range fake.Messages(here.Channel) {
			t.Logf("%s edits=%d %q", m.ID, m.Edits, m.Text())
		}
		t.Fatalf("got %s %q, want %s", edited.ID, edited.Text(), card.ID)
	}
}

// Ensure every text the Discord adapter asks for exists in English and French,
// and that French names are valid command names.
func TestDiscordTexts(t *testing.T) {
	t.Parallel()
	cat, err := catalog()
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$`)
	for _, key := range discord.TextKeys() {
		for _, lang := range []string{"en", "fr"} {
			if !cat.Has(lang, key) {
				t.Errorf("%s has no text %s", lang, key)
				continue
			}
			text := cat.Text(lang, key, nil)
			switch {
			case strings.HasPrefix(key, "discord.name.") && !name.MatchString(text):
				t.Errorf("%s %s: %q is not a command name", lang, key, text)
			case len([]rune(text)) > 100:
				t.Errorf("%s %s: %d characters, Discord takes 100", lang, key, len([]rune(text)))
			}
		}
	}
}

// Ensure a campaign runs on Discord: its card (an embed with amounts as buttons),
// a pledge by button answered privately, a pledge of another amount through a
// modal, the card edited in place, campaign IDs completed as typed.
func TestRun_DiscordCampaign(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	serveEngage(t, map[string]string{
		"ENGAGE_DISCORD_TOKEN": fake.Token, "ENGAGE_DISCORD_API_URL": fake.URL(), "ENGAGE_DISCORD_GUILD_ID": "900",
	})
	fake.WaitConnected()
	carol := discordtest.User{ID: "1003", Name: "carol"}
	answered(t, fake, fake.Command(alice, here, "community", discordtest.Sub("create", discordtest.S("name", "Garden Club"))))
	until := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	in := answered(t, fake, fake.Command(alice, here, "campaign", discordtest.Sub("new", discordtest.S("kind", "reward"),
		discordtest.S("title", "Oven"), discordtest.S("goal", "500 €"), discordtest.S("until", until))))
	if in.Responses[0].Refused != 0 {
		t.Fatalf("got %+v", in.Responses[0])
	}
	answered(t, fake, fake.Command(alice, here, "reward", discordtest.S("id", "C1"), discordtest.S("amount", "20"), discordtest.S("title", "Loaf")))
	var card *discordtest.Message
	fake.Eventually("the card with its reward", func() bool {
		for _, m := range fake.Messages(here.Channel) {
			if len(m.Embeds) == 1 && strings.Contains(m.Embeds[0].Title, "C1 Oven") && strings.Contains(m.Text(), "R1 Loaf") {
				card = m
				return true
			}
		}
		return false
	})
	in = answered(t, fake, fake.Autocomplete(bob, here, "pledge", discordtest.Typing("id", "ov")))
	if len(in.Choices) != 1 || in.Choices[0].Value != "C1" {
		t.Fatalf("got %+v", in.Choices)
	}

	in = answered(t, fake, fake.Click(bob, here, card.ID, card.Button("25").CustomID))
	var d struct {
		Content string `json:"content"`
		Flags   int    `json:"flags"`
	}
	_ = json.Unmarshal(in.Responses[0].Data, &d)
	if !strings.Contains(d.Content, "You pledged to C1 Oven") || d.Flags != 64 {
		t.Fatalf("got %+v, want a private thank-you", d)
	}
	in = answered(t, fake, fake.Click(carol, here, card.ID, card.Button("Another amount").CustomID))
	if in.Modal == nil || len(in.Modal.Inputs) != 2 || in.Modal.Inputs[1].CustomID != "reward" || !strings.Contains(in.Modal.Inputs[1].Placeholder, "R1 Loaf") {
		t.Fatalf("got modal %+v", in.Modal)
	}
	in = answered(t, fake, fake.Submit(carol, here, in.Modal.CustomID, map[string]string{"amount": "40", "reward": "1"}))
	if c := content(t, in.Responses[0]); !strings.Contains(c, "reward R1 Loaf") {
		t.Fatalf("got %q", c)
	}
	fake.Eventually("the card edited in place", func() bool {
		for _, m := range fake.Messages(here.Channel) {
			if m.ID == card.ID && m.Edits > 0 && strings.Contains(m.Text(), "2 backers") {
				return true
			}
		}
		return false
	})
	cards := 0
	for _, m := range fake.Messages(here.Channel) {
		if len(m.Embeds) == 1 && strings.Contains(m.Embeds[0].Title, "C1 Oven") {
			cards++
		}
	}
	if cards != 1 {
		t.Fatalf("got %d cards, want one edited in place", cards)
	}
}

// Ensure a check-in runs on Discord: the facilitator starts it with a slash
// command, the referent is asked by direct message and answers there in free
// text, then with the buttons of the direct conversation; the shared step reaches
// the community's channel.
func TestRun_DiscordCheckin(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	serveEngage(t, map[string]string{
		"ENGAGE_DISCORD_TOKEN": fake.Token, "ENGAGE_DISCORD_API_URL": fake.URL(), "ENGAGE_DISCORD_GUILD_ID": "900",
	})
	fake.WaitConnected()
	rita := discordtest.User{ID: "1004", Name: "rita"}
	answered(t, fake, fake.Command(alice, here, "community", discordtest.Sub("create", discordtest.S("name", "Garden Club"))))
	answered(t, fake, fake.Command(rita, here, "project", discordtest.Sub("new", discordtest.S("title", "Garden"))))
	answered(t, fake, fake.Command(rita, here, "project", discordtest.Sub("new", discordtest.S("title", "Compost"))))
	in := answered(t, fake, fake.Command(alice, here, "checkin", discordtest.Sub("now")))
	if c := content(t, in.Responses[0]); !strings.Contains(c, "Check-in started: asking rita") {
		t.Fatalf("got %q", c)
	}
	dms := func() []*discordtest.Message { return fake.DMs(rita.ID) }
	fake.Eventually("the first question in rita's direct messages", func() bool {
		return len(dms()) > 0 && strings.Contains(dms()[len(dms())-1].Text(), "what is the next step?")
	})
	dm := discordtest.Where{Channel: fake.DMChannel(rita.ID)}
	// All three answers at once, in free text.
	fake.Write(rita, dm, "We build the compost bins by next friday, it's posted")
	fake.Eventually("the answer saved", func() bool {
		for _, m := range dms() {
			if strings.Contains(m.Text(), "next step “We build the compost bins”") {
				return true
			}
		}
		return false
	})
	in = answered(t, fake, fake.Command(alice, here, "project", discordtest.Sub("show", discordtest.S("id", "P1"))))
	if c := content(t, in.Responses[0]); !strings.Contains(c, "Next step: We build the compost bins") {
		t.Fatalf("got %q", c)
	}
	// The second project, one question at a time, with the buttons.
	fake.Eventually("the question about the second project", func() bool {
		return strings.Contains(dms()[len(dms())-1].Text(), "P2 Compost: what is the next step?")
	})
	fake.Write(rita, dm, "Order the seeds")
	var q *discordtest.Message
	fake.Eventually("the date question with buttons", func() bool {
		q = dms()[len(dms())-1]
		return strings.Contains(q.Text(), "by what date?") && len(q.Buttons()) > 0
	})
	press := func(m *discordtest.Message, label string) *discordtest.Message {
		t.Helper()
		b := m.Button(label)
		if b == nil {
			t.Fatalf("no button %q in %q", label, m.Text())
		}
		in := answered(t, fake, fake.Click(rita, dm, m.ID, b.CustomID))
		if in.Original == nil {
			t.Fatalf("no answer to %q: %+v", label, in.Responses[0])
		}
		return in.Original
	}
	posted := press(q, "Next")
	if !strings.Contains(posted.Text(), "is it posted for the community?") {
		t.Fatalf("got %q", posted.Text())
	}
	saved := press(posted, "Not yet")
	if !strings.Contains(saved.Text(), "next step “Order the seeds”") {
		t.Fatalf("got %q", saved.Text())
	}
	press(saved, "Post it")
	waitMessage(t, fake, here.Channel, "Next step for P2 Compost: Order the seeds")
}

// Ensure every command of the chat language is a slash command on Discord (but
// /start, Telegram's first message): a command added without one is reached only
// through /engage.
func TestDiscordCoversCommands(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Store.Path = filepath.Join(t.TempDir(), "engage.db")
	a, err := openApp(cfg, time.Now, newLogger(LogConfig{Level: "error"}, io.Discard), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	have := map[string]bool{"start": true}
	for _, n := range discord.CommandNames() {
		have[n] = true
	}
	for _, n := range a.bot.Commands() {
		if !have[n] {
			t.Errorf("/%s has no Discord slash command (adapters/discord/commands.go)", n)
		}
	}
}

// pollCard waits for the poll message of id in channel and returns it.
func pollCard(t *testing.T, fake *discordtest.Server, channel, id string, cond func(*discordtest.Message) bool) *discordtest.Message {
	t.Helper()
	var card *discordtest.Message
	fake.Eventually("the poll message of "+id, func() bool {
		for _, m := range fake.Messages(channel) {
			if len(m.Embeds) == 1 && strings.HasPrefix(m.Embeds[0].Title, "🗳 "+id+" ") && (cond == nil || cond(m)) {
				card = m
				return true
			}
		}
		return false
	})
	return card
}

// Ensure polls run on Discord: a slash command opens one, members press its
// buttons, a duplicated press counts once, the tally message is edited in place,
// a judgment ballot is submitted through a modal, poll IDs are completed as typed.
func TestRun_DiscordPoll(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	serveEngage(t, map[string]string{
		"ENGAGE_DISCORD_TOKEN": fake.Token, "ENGAGE_DISCORD_API_URL": fake.URL(), "ENGAGE_DISCORD_GUILD_ID": "900",
	})
	fake.WaitConnected()
	carol := discordtest.User{ID: "1003", Name: "carol"}
	answered(t, fake, fake.Command(alice, here, "community", discordtest.Sub("create", discordtest.S("name", "Garden Club"))))
	in := answered(t, fake, fake.Command(alice, here, "poll", discordtest.Sub("new", discordtest.S("method", "single"),
		discordtest.S("question", "Where to meet?"), discordtest.S("options", "Nashville | Memphis | Knoxville"))))
	if c := content(t, in.Responses[0]); c != "✅ Done." {
		t.Fatalf("got %q", c)
	}
	card := pollCard(t, fake, here.Channel, "V1", nil)
	if len(card.Buttons()) != 3 || card.Button("Memphis") == nil {
		t.Fatalf("got buttons %+v", card.Buttons())
	}
	raw, id := fake.Payload(3, bob, here, map[string]any{"custom_id": card.Button("Memphis").CustomID, "component_type": 2}, card.ID)
	fake.Resend(raw)
	in = answered(t, fake, id)
	var d struct {
		Content string `json:"content"`
		Flags   int    `json:"flags"`
	}
	_ = json.Unmarshal(in.Responses[0].Data, &d)
	if !strings.Contains(d.Content, "Your ballot in V1 is counted") || d.Flags != 64 {
		t.Fatalf("got %+v, want a private receipt", d)
	}
	fake.Resend(raw) // delivered again
	fake.Eventually("the duplicate refused", func() bool { return len(fake.Interaction(id).Responses) == 2 })
	answered(t, fake, fake.Click(carol, here, card.ID, card.Button("Memphis").CustomID))
	edited := pollCard(t, fake, here.Channel, "V1", func(m *discordtest.Message) bool { return m.Edits > 0 && strings.Contains(m.Text(), "2 ballots") })
	if edited.ID != card.ID || !strings.Contains(edited.Text(), "Memphis — 2 (100%)") {
		t.Fatalf("got %q", edited.Text())
	}
	in = answered(t, fake, fake.Autocomplete(bob, here, "vote", discordtest.Typing("id", "where")))
	if len(in.Choices) != 1 || in.Choices[0].Value != "V1" {
		t.Fatalf("got %+v", in.Choices)
	}

	// A judgment ballot, through a modal.
	answered(t, fake, fake.Command(alice, here, "poll", discordtest.Sub("new", discordtest.S("method", "judgment"),
		discordtest.S("question", "Which project first?"), discordtest.S("options", "Bakery | Compost"))))
	card = pollCard(t, fake, here.Channel, "V2", nil)
	vote := card.Button("Vote")
	if vote == nil {
		t.Fatalf("no Vote button in %+v", card.Buttons())
	}
	in = answered(t, fake, fake.Click(bob, here, card.ID, vote.CustomID))
	if in.Modal == nil || len(in.Modal.Inputs) != 2 || !strings.Contains(in.Modal.Inputs[0].Placeholder, "excellent") {
		t.Fatalf("got %+v, want a modal with a grade per option", in.Modal)
	}
	in = answered(t, fake, fake.Submit(bob, here, in.Modal.CustomID, map[string]string{
		in.Modal.Inputs[0].CustomID: "Good", in.Modal.Inputs[1].CustomID: "excellent"}))
	if c := content(t, in.Responses[0]); !strings.Contains(c, "Your ballot in V2 is counted") {
		t.Fatalf("got %q", c)
	}
	pollCard(t, fake, here.Channel, "V2", func(m *discordtest.Message) bool { return m.Edits > 0 && strings.Contains(m.Text(), "1 ballot") })
}
