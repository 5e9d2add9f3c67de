package main

import (
	"github.com/engage-org/engage/adapters/discord"
	"github.com/engage-org/engage/bots"
)

// addDiscord adds the Discord adapter to set when discord.token is set: its
// receiving loop, its sender, and in http mode its interactions endpoint.
func addDiscord(cfg Config, a *app, set *adapterSet) error {
	c := cfg.Discord
	if c.Token == "" {
		return nil
	}
	cat, err := catalog()
	if err != nil {
		return err
	}
	ad, err := discord.New(discord.Config{
		Token: c.Token, ApplicationID: c.ApplicationID, PublicKey: c.PublicKey, Mode: c.Mode, APIURL: c.APIURL,
		GuildID: c.GuildID, MessageContent: c.MessageContent, ShardID: c.ShardID, ShardCount: c.ShardCount,
		Handler: a.bot, Commands: a.bot.Commands(), Lang: cfg.Community.Lang, Log: a.log.With("component", "discord"),
		Inbox: a.bot.Inbox(bots.PlatformDiscord), // received means stored
		Texts: func(lang, key string) string {
			if !cat.Has(lang, key) {
				return ""
			}
			return cat.Text(lang, key, nil)
		},
	})
	if err != nil {
		return err
	}
	set.services = append(set.services, ad)
	set.senders[bots.PlatformDiscord] = ad
	if c.Mode == discord.ModeHTTP {
		set.routes[discord.Route] = ad
	}
	return nil
}
