package discord_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/discord"
	"github.com/engage-org/engage/adapters/discord/discordtest"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/bots/outbox"
)

var (
	alice = discordtest.User{ID: "1001", Name: "alice"}
	bob   = discordtest.User{ID: "1002", Name: "bob"}
	here  = discordtest.Where{Guild: "900", Channel: "901"}
)

// texts stands for the prompts catalog (adapters do not import it).
func texts(lang, key string) string {
	t := map[string]string{
		"en/discord.done": "Done.", "fr/discord.done": "Fait.", "en/discord.choose": "Choose…",
		"en/discord.project": "A project", "fr/discord.project": "Un projet", "fr/discord.name.project": "projet",
		"en/stage.idea": "idea", "fr/stage.idea": "idée",
	}
	return t[lang+"/"+key]
}

type harness struct {
	t    testing.TB
	fake *discordtest.Server
	env  *botstest.Env
	ad   *discord.Adapter
}

// slow delays the bot's answers.
type slow struct {
	discord.Handler
	delay time.Duration
}

func (s slow) Handle(ctx context.Context, ev bots.Event) ([]bots.Message, error) {
	time.Sleep(s.delay)
	return s.Handler.Handle(ctx, ev)
}

// start runs an adapter (gateway mode unless changed) on a fresh bot and fake
// Discord, with the outbox dispatcher sending through it.
func start(t testing.TB, fake *discordtest.Server, change func(*discord.Config, *botstest.Env)) *harness {
	t.Helper()
	if fake == nil {
		fake = discordtest.New(t)
	}
	env := botstest.NewEnv(t, botstest.Options{NoSync: true})
	cfg := discord.Config{Token: fake.Token, APIURL: fake.URL(), GuildID: "900", Handler: env.Bot, Commands: env.Bot.Commands(), Texts: texts}
	if change != nil {
		change(&cfg, env)
	}
	ad, err := discord.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	disp := outbox.NewDispatcher(env.Engine, env.Bot, map[string]bots.Sender{bots.PlatformDiscord: ad}, nil, nil)
	disp.Poll = 50 * time.Millisecond
	env.Bot.OnOutbox(disp.Wake)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := ad.Run(ctx); err != nil {
			t.Error(err)
		}
	})
	wg.Go(func() { _ = disp.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
	if cfg.Mode != discord.ModeHTTP {
		fake.WaitConnected()
	}
	return &harness{t: t, fake: fake, env: env, ad: ad}
}

// answered waits for interaction id's first response.
func (h *harness) answered(id string) *discordtest.Interaction {
	h.t.Helper()
	var in *discordtest.Interaction
	h.fake.Eventually("a response to "+id, func() bool {
		in = h.fake.Interaction(id)
		return in != nil && len(in.Responses) > 0
	})
	return in
}

// message waits for a message containing text in channel.
func (h *harness) message(channel, text string) *discordtest.Message {
	h.t.Helper()
	var found *discordtest.Message
	h.fake.Eventually("a message with "+text, func() bool {
		for _, m := range h.fake.Messages(channel) {
			if strings.Contains(m.Text(), text) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

func data(t *testing.T, r discordtest.Response) (content string, flags int) {
	t.Helper()
	var d struct {
		Content string `json:"content"`
		Flags   int    `json:"flags"`
	}
	if len(r.Data) > 0 {
		if err := json.Unmarshal(r.Data, &d); err != nil {
			t.Fatal(err)
		}
	}
	return d.Content, d.Flags
}

// community makes "Garden Club" in here with project P1, referent alice.
func (h *harness) community() {
	h.t.Helper()
	h.answered(h.fake.Command(alice, here, "community", discordtest.Sub("create", discordtest.S("name", "Garden Club"), discordtest.S("lang", "en"))))
	h.answered(h.fake.Command(alice, here, "project", discordtest.Sub("new", discordtest.S("title", "Garden"), discordtest.S("description", "beds for all"))))
	h.message(here.Channel, "New project P1")
}

// Ensure the gateway session identifies with the intents Engage needs and no
// privileged one unless asked, and that the commands are registered once.
func TestAdapter_IdentifyAndRegister(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	h := start(t, fake, nil)
	var id struct {
		Intents int `json:"intents"`
		Token   string
	}
	if err := json.Unmarshal(fake.Identifies()[0], &id); err != nil {
		t.Fatal(err)
	}
	if want := 1 | 1<<9 | 1<<12; id.Intents != want {
		t.Fatalf("got intents %d, want %d (guilds, guild messages, direct messages)", id.Intents, want)
	}
	var cmds []struct {
		Name    string            `json:"name"`
		NameLoc map[string]string `json:"name_localizations"`
		DescLoc map[string]string `json:"description_localizations"`
		Options []struct {
			Name string `json:"name"`
			Type int    `json:"type"`
		} `json:"options"`
	}
	fake.Eventually("commands registered", func() bool { return fake.Commands("900") != nil })
	if err := json.Unmarshal(fake.Commands("900"), &cmds); err != nil {
		t.Fatal(err)
	}
	byName := map[string]int{}
	for i, c := range cmds {
		byName[c.Name] = i
	}
	for _, name := range []string{"engage", "help", "community", "project", "projects", "follow", "news", "nextstep", "contact"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("command /%s not registered", name)
		}
	}
	p := cmds[byName["project"]]
	if p.NameLoc["fr"] != "projet" || p.DescLoc["fr"] != "Un projet" || p.DescLoc["en-US"] != "A project" {
		t.Errorf("got /project localisations %v %v", p.NameLoc, p.DescLoc)
	}
	if len(p.Options) != 3 || p.Options[0].Type != 1 {
		t.Errorf("got /project options %+v, want three subcommands", p.Options)
	}
	// The same commands again: no new registration (Discord limits creations).
	h2 := start(t, fake, nil)
	_ = h2
	puts := 0
	for _, r := range fake.Requests() {
		if r.Method == "PUT" && strings.HasSuffix(r.Path, "/guilds/900/commands") {
			puts++
		}
	}
	if puts != 1 {
		t.Fatalf("got %d bulk overwrites, want 1", puts)
	}
	if !strings.Contains(fake.Requests()[0].Path, "/oauth2/applications/@me") {
		t.Errorf("the application ID was not asked first: %s", fake.Requests()[0].Path)
	}
	for _, r := range fake.Requests() {
		if r.Path == "/gateway" {
			t.Errorf("the gateway address came from /gateway, want /gateway/bot")
		}
	}
	_ = h
}

// Ensure the message-content intent is asked only when configured.
func TestAdapter_MessageContentIntent(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	start(t, fake, func(c *discord.Config, _ *botstest.Env) { c.MessageContent = true })
	var id struct {
		Intents int `json:"intents"`
	}
	_ = json.Unmarshal(fake.Identifies()[0], &id)
	if id.Intents&(1<<15) == 0 {
		t.Fatalf("got intents %d without message content", id.Intents)
	}
}

// Ensure slash commands, buttons and a modal carry a project's life: the
// community is created, a project announced with buttons, a member follows it,
// the referent posts news through a modal, and the follower gets it directly.
func TestAdapter_CommandsButtonsModal(t *testing.T) {
	t.Parallel()
	h := start(t, nil, nil)
	in := h.answered(h.fake.Command(alice, here, "community", discordtest.Sub("create", discordtest.S("name", "Garden Club"), discordtest.S("lang", "en"))))
	if r := in.Responses[0]; r.Type != 4 {
		t.Fatalf("got response type %d, want 4", r.Type)
	} else if c, _ := data(t, r); !strings.Contains(c, "Garden Club") {
		t.Fatalf("got %q", c)
	}
	in = h.answered(h.fake.Command(alice, here, "project", discordtest.Sub("new", discordtest.S("title", "Garden"), discordtest.S("description", "beds for all"))))
	if c, flags := data(t, in.Responses[0]); c != "Done." || flags != 64 {
		t.Fatalf("got %q (flags %d), want an ephemeral Done.", c, flags)
	}
	card := h.message(here.Channel, "New project P1")
	if !strings.Contains(card.Text(), "beds for all") {
		t.Fatalf("got %q", card.Text())
	}
	follow := card.Button("Follow")
	if follow == nil || !strings.HasPrefix(follow.CustomID, "b:") {
		t.Fatalf("no Follow button in %+v", card.Components)
	}
	in = h.answered(h.fake.Click(bob, here, card.ID, follow.CustomID))
	if c, flags := data(t, in.Responses[0]); !strings.Contains(c, "You follow P1") || flags != 64 {
		t.Fatalf("got %q (flags %d), want an ephemeral follow", c, flags)
	}

	in = h.answered(h.fake.Command(alice, here, "news", discordtest.S("id", "P1")))
	if in.Responses[0].Type != 9 || in.Modal == nil {
		t.Fatalf("got response %d, want a modal", in.Responses[0].Type)
	}
	if len(in.Modal.Inputs) != 1 || in.Modal.Inputs[0].CustomID != "text" || !strings.HasPrefix(in.Modal.CustomID, "f:") {
		t.Fatalf("got modal %+v", in.Modal)
	}
	in = h.answered(h.fake.Submit(alice, here, in.Modal.CustomID, map[string]string{"text": "First beds are in"}))
	if in.Responses[0].Type != 4 {
		t.Fatalf("got response %d to the modal", in.Responses[0].Type)
	}
	h.message(here.Channel, "Garden — First beds are in")
	h.fake.Eventually("the news in bob's direct messages", func() bool {
		for _, m := range h.fake.DMs(bob.ID) {
			if strings.Contains(m.Text(), "News from P1 Garden: First beds are in") {
				return true
			}
		}
		return false
	})
	if p := h.env.Snapshot().Communities[0].Projects[0]; len(p.News) != 1 || p.Followers != 1 {
		t.Fatalf("got project %+v", p)
	}
}

// Ensure an interaction delivered twice counts once: the second delivery gets
// the same answer from the bot, which Discord refuses (answered already), and
// nothing more is sent.
func TestAdapter_DuplicateInteraction(t *testing.T) {
	t.Parallel()
	h := start(t, nil, nil)
	h.community()
	raw, id := h.fake.Payload(2, bob, here, map[string]any{"id": "1", "name": "like", "type": 1,
		"options": []discordtest.Opt{discordtest.S("id", "P1")}}, "")
	h.fake.Resend(raw)
	in := h.answered(id)
	if c, _ := data(t, in.Responses[0]); !strings.Contains(c, "You like P1") {
		t.Fatalf("got %q", c)
	}
	h.fake.Resend(raw)
	h.fake.Eventually("the duplicate's response", func() bool { return len(h.fake.Interaction(id).Responses) == 2 })
	if r := h.fake.Interaction(id).Responses[1]; r.Refused != 40060 {
		t.Fatalf("got refusal %d, want 40060", r.Refused)
	}
	// The first answer was delivered: the duplicate does not repeat it.
	if c, _ := data(t, h.fake.Interaction(id).Responses[1]); strings.Contains(c, "You like P1") {
		t.Fatalf("the duplicate got the answer again: %q", c)
	}
	if n := h.env.Snapshot().Communities[0].Projects[0].Likes; n != 1 {
		t.Fatalf("got %d likes, want 1", n)
	}
	// A new like by bob is a new event: refused, since he likes it already.
	in = h.answered(h.fake.Command(bob, here, "like", discordtest.S("id", "P1")))
	if c, _ := data(t, in.Responses[0]); !strings.Contains(c, "already like") {
		t.Fatalf("got %q", c)
	}
}

// Ensure an answer slower than DeferAfter is deferred within Discord's three
// seconds, then delivered: the original response edited for a command, a
// follow-up for a button.
func TestAdapter_SlowHandlerDeferred(t *testing.T) {
	t.Parallel()
	h := start(t, nil, func(c *discord.Config, env *botstest.Env) {
		c.Handler = slow{Handler: env.Bot, delay: 400 * time.Millisecond}
		c.DeferAfter = 50 * time.Millisecond
	})
	h.community()
	id := h.fake.Command(alice, here, "projects")
	in := h.answered(id)
	if r := in.Responses[0]; r.Type != 5 || r.After > 3*time.Second {
		t.Fatalf("got response type %d after %v, want a deferral (5) in time", r.Type, r.After)
	}
	h.fake.Eventually("the original response edited", func() bool {
		in = h.fake.Interaction(id)
		return in.Original != nil && in.Original.Edits > 0
	})
	if !strings.Contains(in.Original.Text(), "P1 Garden") {
		t.Fatalf("got %q", in.Original.Text())
	}
	card := h.message(here.Channel, "New project P1")
	id = h.fake.Click(bob, here, card.ID, card.Button("Follow").CustomID)
	in = h.answered(id)
	if r := in.Responses[0]; r.Type != 6 {
		t.Fatalf("got response type %d to a slow button, want 6", r.Type)
	}
	h.fake.Eventually("a follow-up", func() bool { return len(h.fake.Interaction(id).Followups) == 1 })
	f := h.fake.Interaction(id).Followups[0]
	if !strings.Contains(f.Text(), "You follow P1") || !f.Ephemeral {
		t.Fatalf("got follow-up %+v", f)
	}
}

// Ensure IDs are completed as they are typed.
func TestAdapter_Autocomplete(t *testing.T) {
	t.Parallel()
	h := start(t, nil, nil)
	h.community()
	h.answered(h.fake.Command(alice, here, "project", discordtest.Sub("new", discordtest.S("title", "Compost"))))
	h.message(here.Channel, "New project P2")
	in := h.answered(h.fake.Autocomplete(bob, here, "follow", discordtest.Typing("id", "comp")))
	if in.Responses[0].Type != 8 || len(in.Choices) != 1 || in.Choices[0].Value != "P2" || !strings.Contains(in.Choices[0].Label, "Compost") {
		t.Fatalf("got %+v", in.Choices)
	}
	in = h.answered(h.fake.Autocomplete(bob, here, "project", discordtest.Sub("show", discordtest.Typing("id", ""))))
	if len(in.Choices) != 2 {
		t.Fatalf("got %+v, want both projects", in.Choices)
	}
	in = h.answered(h.fake.Autocomplete(bob, discordtest.Where{Guild: "900", Channel: "999"}, "follow", discordtest.Typing("id", "")))
	if in.Responses[0].Type != 8 || len(in.Choices) != 0 {
		t.Fatalf("got %+v in a channel with no community", in.Choices)
	}
}

// Ensure a person can answer the bot in direct messages: a form asked field by
// field (as a check-in is) when typed where no modal can open.
func TestAdapter_DirectMessages(t *testing.T) {
	t.Parallel()
	h := start(t, nil, nil)
	h.community()
	h.answered(h.fake.Command(bob, here, "follow", discordtest.S("id", "P1")))
	dm := discordtest.Where{Channel: "dm-" + alice.ID}
	h.fake.Write(alice, dm, "/news P1")
	h.fake.Eventually("the question in alice's direct messages", func() bool {
		for _, m := range h.fake.DMs(alice.ID) {
			if strings.Contains(m.Text(), "What is new?") {
				return true
			}
		}
		return false
	})
	h.fake.Write(alice, dm, "The seeds arrived")
	h.message(here.Channel, "Garden — The seeds arrived")
	h.fake.Eventually("bob told", func() bool {
		for _, m := range h.fake.DMs(bob.ID) {
			if strings.Contains(m.Text(), "The seeds arrived") {
				return true
			}
		}
		return false
	})
	// Messages of other bots are not events.
	h.fake.Dispatch("MESSAGE_CREATE", map[string]any{"id": "77", "channel_id": here.Channel, "guild_id": here.Guild,
		"content": "/project new Spam", "author": map[string]any{"id": "55", "username": "otherbot", "bot": true}})
	h.fake.Write(alice, here, "/projects")
	h.message(here.Channel, "• P1 Garden")
	if n := len(h.env.Snapshot().Communities[0].Projects); n != 1 {
		t.Fatalf("got %d projects, want 1", n)
	}
}

// Ensure the gateway connection resumes after it drops, and events flow again.
func TestAdapter_Resume(t *testing.T) {
	t.Parallel()
	h := start(t, nil, nil)
	h.fake.DropConnection()
	h.fake.WaitConnected()
	if h.fake.Resumes() != 1 {
		t.Fatalf("got %d resumes, want 1", h.fake.Resumes())
	}
	h.community()
}
