package main

import (
	"context"

	"github.com/engage-org/engage/adapters/telegram"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
)

// addTelegram adds the Telegram adapter to set when a token is configured: its
// receiving loop, its sender under the platform "telegram", and in webhook mode
// its route on the HTTP listener. The command menus are registered in every
// language, the community default serving everyone else.
func addTelegram(ctx context.Context, cfg Config, a *app, set *adapterSet) error {
	tc := cfg.Telegram
	if tc.Token == "" {
		return nil
	}
	menus := map[string][]bots.CommandInfo{"": a.bot.Menu(cfg.Community.Lang)}
	for _, lang := range core.Languages {
		menus[lang] = a.bot.Menu(lang)
	}
	tg, err := telegram.New(ctx, telegram.Config{
		Token: tc.Token, APIURL: tc.APIURL, Mode: tc.Mode,
		WebhookURL: tc.WebhookURL, WebhookSecret: tc.WebhookSecret, Workers: tc.Workers,
		Handler: a.bot, Menus: menus, Log: a.log.With("component", "telegram"),
		Inbox: a.bot.Inbox(bots.PlatformTelegram), // received means stored
	})
	if err != nil {
		return err
	}
	set.services = append(set.services, tg)
	set.senders[bots.PlatformTelegram] = tg
	set.names[bots.PlatformTelegram] = tg.Username()
	if tc.Mode == telegram.ModeWebhook {
		set.routes[tg.WebhookPath()] = tg.Webhook()
	}
	return nil
}
