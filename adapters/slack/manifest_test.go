package slack_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/engage-org/engage/adapters/slack"
	"gopkg.in/yaml.v3"
)

// Ensure the manifest declares what the adapter relies on: the /engage command
// with escaped mentions, the events it reads, interactivity, Socket Mode, and the
// scopes of every Web API method it calls.
func TestManifest(t *testing.T) {
	raw, err := os.ReadFile("manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Features struct {
			AppHome struct {
				MessagesTab bool `yaml:"messages_tab_enabled"`
				ReadOnly    bool `yaml:"messages_tab_read_only_enabled"`
			} `yaml:"app_home"`
			SlashCommands []struct {
				Command      string `yaml:"command"`
				Description  string `yaml:"description"`
				ShouldEscape bool   `yaml:"should_escape"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				BotEvents []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			Interactivity struct {
				Enabled bool `yaml:"is_enabled"`
			} `yaml:"interactivity"`
			SocketMode bool `yaml:"socket_mode_enabled"`
		} `yaml:"settings"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(raw)))
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	cmds := m.Features.SlashCommands
	if len(cmds) != 1 || cmds[0].Command != "/engage" || !cmds[0].ShouldEscape || len(cmds[0].Description) > 100 {
		t.Fatalf("got slash commands %+v, want /engage with escaped mentions", cmds)
	}
	if !m.Features.AppHome.MessagesTab || m.Features.AppHome.ReadOnly {
		t.Fatal("people must be able to write to the app directly")
	}
	for _, e := range []string{"app_mention", "message.im"} {
		if !slices.Contains(m.Settings.Events.BotEvents, e) {
			t.Fatalf("event %s missing from %v", e, m.Settings.Events.BotEvents)
		}
	}
	for _, s := range []string{"app_mentions:read", "chat:write", "chat:write.public", "commands", "im:history", "im:write", "users:read", "files:write"} {
		if !slices.Contains(m.OAuth.Scopes.Bot, s) {
			t.Fatalf("scope %s missing from %v", s, m.OAuth.Scopes.Bot)
		}
	}
	if !m.Settings.Interactivity.Enabled || !m.Settings.SocketMode {
		t.Fatal("interactivity and Socket Mode must be on")
	}
	for _, r := range slack.Routes {
		if _, path, _ := strings.Cut(r, " "); !strings.Contains(string(raw), path) {
			t.Fatalf("the manifest does not mention %s for HTTP mode", path)
		}
	}
}
