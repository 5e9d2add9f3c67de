package main

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/engage-org/engage/adapters/slack"
	"github.com/engage-org/engage/bots"
)

// addSlack turns the Slack adapter on when a bot token is configured: its
// receiving loop (Socket Mode connections, workers), its sender for the outbox,
// and, in HTTP mode, its routes on the service's listener.
func addSlack(cfg Config, a *app, set *adapterSet) error {
	sc := cfg.Slack
	if sc.BotToken == "" {
		return nil
	}
	var spaces []slack.Workspace
	for _, w := range sc.Workspaces {
		spaces = append(spaces, slack.Workspace{Name: w.Name, BotToken: w.BotToken, AppToken: w.AppToken})
	}
	scfg := slack.Config{
		BotToken: sc.BotToken, AppToken: sc.AppToken, SigningSecret: sc.SigningSecret,
		Mode: sc.Mode, APIURL: sc.APIURL, Workspaces: spaces,
		Handler: a.bot, Log: a.log.With("component", "slack"),
	}
	scfg.Inbox = a.bot.Inbox(bots.PlatformSlack) // acknowledged means stored
	ad, err := slack.New(scfg)
	if err != nil {
		return err
	}
	set.services = append(set.services, ad)
	set.senders[bots.PlatformSlack] = ad
	if sc.Mode == slack.ModeHTTP {
		for _, r := range slack.Routes {
			set.routes[r] = ad
		}
	}
	return nil
}

// applySlackWorkspaceEnv gives further workspaces their tokens from the
// environment, as secrets should be: slack.workspaces[name=other-association] reads
// ENGAGE_SLACK_WORKSPACE_OTHER_ASSOCIATION_BOT_TOKEN and …_APP_TOKEN.
func applySlackWorkspaceEnv(cfg *Config, getenv func(string) string) error {
	seen := map[string]bool{}
	for i := range cfg.Slack.Workspaces {
		w := &cfg.Slack.Workspaces[i]
		if w.Name == "" {
			return fmt.Errorf("slack.workspaces[%d] needs a name", i)
		}
		key := envKey(w.Name)
		if seen[key] {
			return fmt.Errorf("slack.workspaces: two workspaces are named %q", w.Name)
		}
		seen[key] = true
		prefix := "ENGAGE_SLACK_WORKSPACE_" + key
		if v := getenv(prefix + "_BOT_TOKEN"); v != "" {
			w.BotToken = v
		}
		if v := getenv(prefix + "_APP_TOKEN"); v != "" {
			w.AppToken = v
		}
	}
	return nil
}

// envKey turns a name into the part of a variable name: "other-association" →
// "OTHER_ASSOCIATION".
func envKey(name string) string {
	return strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return unicode.ToUpper(r)
		}
		return '_'
	}, name)
}
