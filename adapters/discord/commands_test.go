package discord

import (
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func cmdData(t *testing.T, raw string) discordgo.ApplicationCommandInteractionData {
	t.Helper()
	var d discordgo.ApplicationCommandInteractionData
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// Ensure a slash command with options becomes the line a person would type.
func TestCatalog_Line(t *testing.T) {
	c := newCatalog(nil, nil)
	tests := []struct {
		name, data, want string
		mentions         map[string]string
	}{
		{"Engage", `{"name":"engage","options":[{"name":"command","type":3,"value":"news P1  the beds\nare in"}]}`, "/news P1 the beds are in", nil},
		{"EngageSlash", `{"name":"engage","options":[{"name":"command","type":3,"value":"/role <@42> admin"}]}`, "/role <@42> admin", map[string]string{"<@42>": "42"}},
		{"ProjectNew", `{"name":"project","options":[{"name":"new","type":1,"options":[{"name":"title","type":3,"value":"Garden"},{"name":"description","type":3,"value":"beds for all"}]}]}`, "/project new Garden — beds for all", nil},
		{"ProjectNewNoDesc", `{"name":"project","options":[{"name":"new","type":1,"options":[{"name":"title","type":3,"value":"Garden"}]}]}`, "/project new Garden", nil},
		{"ProjectShow", `{"name":"project","options":[{"name":"show","type":1,"options":[{"name":"id","type":3,"value":"P2"}]}]}`, "/project P2", nil},
		{"ProjectStage", `{"name":"project","options":[{"name":"stage","type":1,"options":[{"name":"id","type":3,"value":"P2"},{"name":"stage","type":3,"value":"running"}]}]}`, "/project P2 stage running", nil},
		{"CommunityShow", `{"name":"community","options":[{"name":"show","type":1}]}`, "/community", nil},
		{"CommunityCreate", `{"name":"community","options":[{"name":"create","type":1,"options":[{"name":"name","type":3,"value":"Pôle Sud"},{"name":"tz","type":3,"value":"Europe/Paris"}]}]}`, "/community create Pôle Sud tz Europe/Paris", nil},
		{"Role", `{"name":"role","options":[{"name":"member","type":6,"value":"1002"},{"name":"role","type":3,"value":"facilitator"}]}`, "/role <@1002> facilitator", map[string]string{"<@1002>": "1002"}},
		{"RoleNotAUser", `{"name":"role","options":[{"name":"member","type":6,"value":"bob"},{"name":"role","type":3,"value":"admin"}]}`, "/role admin", nil},
		{"NextStep", `{"name":"nextstep","options":[{"name":"id","type":3,"value":"P1"},{"name":"text","type":3,"value":"Order seeds"},{"name":"by","type":3,"value":"15/12"}]}`, "/nextstep P1 Order seeds by 15/12", nil},
		{"NextStepForm", `{"name":"nextstep","options":[{"name":"id","type":3,"value":"P1"}]}`, "/nextstep P1", nil},
		{"Contact", `{"name":"contact","options":[{"name":"id","type":3,"value":"P1"},{"name":"email","type":3,"value":"a@b.org"},{"name":"when","type":3,"value":"tuesday \"evening\""}]}`, `/contact P1 email=a@b.org when="tuesday evening"`, nil},
		{"Help", `{"name":"help","options":[{"name":"command","type":3,"value":"/news"}]}`, "/help news", nil},
		{"Me", `{"name":"me"}`, "/me", nil},
		{"Unknown", `{"name":"vote","options":[{"name":"x","type":3,"value":"y"}]}`, "/vote", nil},
		{"UnknownSub", `{"name":"project","options":[{"name":"delete","type":1}]}`, "/project", nil},
		{"BadName", `{"name":"a b"}`, "/?", nil},
		{"UnknownOption", `{"name":"follow","options":[{"name":"id","type":3,"value":"P3"},{"name":"x","type":3,"value":"y"}]}`, "/follow P3", nil},
		{"PollNew", `{"name":"poll","options":[{"name":"new","type":1,"options":[{"name":"method","type":3,"value":"judgment"},{"name":"question","type":3,"value":"Where?"},{"name":"options","type":3,"value":"Nashville | Memphis"},{"name":"settings","type":3,"value":"secret until 2026-12-20"}]}]}`, "/poll new judgment Where? | Nashville | Memphis secret until 2026-12-20", nil},
		{"Vote", `{"name":"vote","options":[{"name":"id","type":3,"value":"V1"},{"name":"choice","type":3,"value":"Memphis=good, Nashville=excellent"}]}`, "/vote V1 Memphis=good, Nashville=excellent", nil},
		{"CampaignNew", `{"name":"campaign","options":[{"name":"new","type":1,"options":[{"name":"kind","type":3,"value":"loan"},{"name":"title","type":3,"value":"Oven"},{"name":"goal","type":3,"value":"5 000 €"},{"name":"until","type":3,"value":"2027-03-31"},{"name":"settings","type":3,"value":"rate 0% term 24"}]}]}`, "/campaign new loan Oven goal 5 000 € until 2027-03-31 rate 0% term 24", nil},
		{"Pledge", `{"name":"pledge","options":[{"name":"id","type":3,"value":"C1"},{"name":"amount","type":3,"value":"25,50"},{"name":"hours","type":4,"value":3},{"name":"public","type":5,"value":true}]}`, "/pledge C1 25,50 hours 3 public", nil},
		{"PledgePrivate", `{"name":"pledge","options":[{"name":"id","type":3,"value":"C1"},{"name":"amount","type":3,"value":"cancel"},{"name":"public","type":5,"value":false}]}`, "/pledge C1 cancel", nil},
		{"Collector", `{"name":"campaign","options":[{"name":"collector","type":1,"options":[{"name":"id","type":3,"value":"C1"},{"name":"member","type":6,"value":"77"}]}]}`, "/campaign C1 collector <@77>", map[string]string{"<@77>": "77"}},
		{"Allocate", `{"name":"allocate","options":[{"name":"id","type":3,"value":"C1"},{"name":"poll","type":3,"value":"V2"}]}`, "/allocate C1 by V2", nil},
		{"Slot", `{"name":"slot","options":[{"name":"set","type":1,"options":[{"name":"day","type":3,"value":"tuesday"},{"name":"time","type":3,"value":"18:00"},{"name":"tz","type":3,"value":"Europe/Paris"}]}]}`, "/slot tuesday 18:00 Europe/Paris", nil},
		{"Impact", `{"name":"impact","options":[{"name":"weeks","type":4,"value":12}]}`, "/impact weeks 12", nil},
		{"CheckinNow", `{"name":"checkin","options":[{"name":"now","type":1}]}`, "/checkin now", nil},
		{"Dashboard", `{"name":"dashboard","options":[{"name":"link","type":1}]}`, "/dashboard", nil},
		{"DashboardRevoke", `{"name":"dashboard","options":[{"name":"revoke","type":1}]}`, "/dashboard revoke", nil},
		{"Ask", `{"name":"ask","options":[{"name":"id","type":3,"value":"C1"},{"name":"question","type":3,"value":"Is the oven electric?"}]}`, "/ask C1 Is the oven electric?", nil},
		{"Answer", `{"name":"answer","options":[{"name":"id","type":3,"value":"C1"},{"name":"q","type":3,"value":"Q2"},{"name":"text","type":3,"value":"Wood-fired."}]}`, "/answer C1 Q2 Wood-fired.", nil},
		{"FAQApprove", `{"name":"faq","options":[{"name":"approve","type":1,"options":[{"name":"id","type":3,"value":"C1"},{"name":"q","type":3,"value":"Q2"}]}]}`, "/faq C1 approve Q2", nil},
		{"MeetingNewPlaces", `{"name":"meeting","options":[{"name":"new","type":1,"options":[{"name":"date","type":3,"value":"2027-01-14 19:00"},{"name":"title","type":3,"value":"AGM"},{"name":"places","type":4,"value":30}]}]}`, "/meeting new 2027-01-14 19:00 AGM places 30", nil},
		{"NumberValue", `{"name":"find","options":[{"name":"words","type":4,"value":2026}]}`, "/find 2026", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, m := c.line(cmdData(t, tt.data))
			if line != tt.want {
				t.Fatalf("got %q, want %q", line, tt.want)
			}
			if len(m) != len(tt.mentions) {
				t.Fatalf("got mentions %v, want %v", m, tt.mentions)
			}
			for k, v := range tt.mentions {
				if m[k] != v {
					t.Fatalf("got mentions %v, want %v", m, tt.mentions)
				}
			}
		})
	}
}

// Ensure the registered commands keep Discord's rules: names, lengths, required
// options first, at most 25 options and choices.
func TestCatalog_Commands(t *testing.T) {
	c := newCatalog(func(lang, key string) string {
		if lang == "fr" && key == "discord.name.news" {
			return "Nouvelle"
		}
		if lang == "fr" && key == "discord.name.follow" {
			return "pas un nom"
		}
		return ""
	}, nil)
	var check func(path string, opts []*discordgo.ApplicationCommandOption)
	check = func(path string, opts []*discordgo.ApplicationCommandOption) {
		if len(opts) > 25 {
			t.Errorf("%s: %d options", path, len(opts))
		}
		optional := false
		for _, o := range opts {
			if !reName().MatchString(o.Name) || o.Description == "" || len([]rune(o.Description)) > 100 {
				t.Errorf("%s: option %q / %q", path, o.Name, o.Description)
			}
			if o.Type != discordgo.ApplicationCommandOptionSubCommand {
				if o.Required && optional {
					t.Errorf("%s: required option %s after an optional one", path, o.Name)
				}
				optional = optional || !o.Required
			}
			if o.Autocomplete && len(o.Choices) > 0 || len(o.Choices) > 25 {
				t.Errorf("%s: option %s choices", path, o.Name)
			}
			check(path+" "+o.Name, o.Options)
		}
	}
	cmds := c.appCommands()
	names := map[string]bool{}
	for _, cmd := range cmds {
		if !reName().MatchString(cmd.Name) || names[cmd.Name] || cmd.Description == "" {
			t.Errorf("command %q", cmd.Name)
		}
		names[cmd.Name] = true
		check("/"+cmd.Name, cmd.Options)
		switch cmd.Name {
		case "news":
			if cmd.NameLocalizations == nil || (*cmd.NameLocalizations)[discordgo.French] != "nouvelle" {
				t.Errorf("got /news localisations %v", cmd.NameLocalizations)
			}
		case "follow":
			if cmd.NameLocalizations != nil {
				t.Errorf("an invalid French name was kept: %v", *cmd.NameLocalizations)
			}
		}
	}
	if len(cmds) > 100 {
		t.Fatalf("%d commands, Discord takes 100", len(cmds))
	}
	if canon(cmds) != canon(c.appCommands()) {
		t.Fatal("canon is not stable")
	}
	raw, _ := json.Marshal(cmds)
	var back []*discordgo.ApplicationCommand
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if canon(back) != canon(cmds) {
		t.Fatal("commands read back from Discord's JSON compare different")
	}
}

// Ensure only the commands the bot knows are registered (and /engage).
func TestCatalog_Known(t *testing.T) {
	c := newCatalog(nil, []string{"help", "project", "poll-not-here"})
	var names []string
	for _, cmd := range c.appCommands() {
		names = append(names, cmd.Name)
	}
	if len(names) != 3 || names[0] != "engage" || names[1] != "help" || names[2] != "project" {
		t.Fatalf("got %v", names)
	}
	if line, _ := c.line(cmdData(t, `{"name":"vote","options":[{"name":"id","type":3,"value":"V1"}]}`)); line != "/vote" {
		t.Fatalf("got %q for a command the bot does not know", line)
	}
}
