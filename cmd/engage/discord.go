package main

import (
	"github.com/engage-org/engage/adapters/discord"
)

// newDiscord builds the Discord adapter from the discord settings.
func newDiscord(cfg Config, a *app) (*discord.Adapter, error) {
	cat, err := catalog()
	if err != nil {
		return nil, err
	}
	c := cfg.Discord
	return discord.New(discord.Config{
		Token: c.Token, ApplicationID: c.ApplicationID, PublicKey: c.PublicKey, Mode: c.Mode, APIURL: c.APIURL,
		GuildID: c.GuildID, MessageContent: c.MessageContent, ShardID: c.ShardID, ShardCount: c.ShardCount,
		Handler: a.bot, Commands: a.bot.Commands(), Lang: cfg.Community.Lang, Log: a.log.With("component", "discord"),
		Texts: func(lang, key string) string {
			if !cat.Has(lang, key) {
				return ""
			}
			return cat.Text(lang, key, nil)
		},
	})
}
