package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/bwmarrin/discordgo"
)

// choose is the placeholder of select menus, in the adapter's language.
func (a *Adapter) choose() string {
	if t := a.cat.text(a.cfg.Lang, "discord.choose", 150); t != "" {
		return t
	}
	return "…"
}

// applicationID returns the application's ID: configured, learnt from READY, or
// asked of Discord with the token.
func (a *Adapter) applicationID(ctx context.Context) (string, error) {
	a.mu.Lock()
	id := a.appID
	a.mu.Unlock()
	if id != "" {
		return id, nil
	}
	endpoint := discordgo.EndpointOAuth2Application("@me")
	raw, err := a.rest.RequestWithBucketID("GET", endpoint, nil, endpoint, discordgo.WithContext(ctx))
	if err != nil {
		return "", err
	}
	var app struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &app); err != nil || app.ID == "" {
		return "", fmt.Errorf("read application: %w", err)
	}
	a.mu.Lock()
	a.appID = app.ID
	a.mu.Unlock()
	return app.ID, nil
}

// register makes Discord's commands those of the chat language: in GuildID when
// set (at once, for development), else globally. It overwrites them in bulk only
// when they differ, since Discord allows 200 command creations a day per server.
func (a *Adapter) register(ctx context.Context) error {
	app, err := a.applicationID(ctx)
	if err != nil {
		return err
	}
	want := a.cat.appCommands()
	have, err := a.rest.ApplicationCommands(app, a.cfg.GuildID, discordgo.WithContext(ctx))
	if err != nil {
		return err
	}
	if canon(have) == canon(want) {
		a.log.Info("discord commands up to date", "commands", len(want), "guild", a.cfg.GuildID)
		return nil
	}
	if _, err := a.rest.ApplicationCommandBulkOverwrite(app, a.cfg.GuildID, want, discordgo.WithContext(ctx)); err != nil {
		return err
	}
	a.log.Info("discord commands registered", "commands", len(want), "guild", a.cfg.GuildID)
	return nil
}

// canonCmd is what of a command matters when comparing registrations; Discord
// adds IDs and versions, and leaves out empty fields.
type canonCmd struct {
	Name     string                      `json:"n"`
	NameLoc  map[discordgo.Locale]string `json:"nl,omitempty"`
	Desc     string                      `json:"d"`
	DescLoc  map[discordgo.Locale]string `json:"dl,omitempty"`
	Contexts []int                       `json:"c,omitempty"`
	Options  []canonOpt                  `json:"o,omitempty"`
}

type canonOpt struct {
	Type     int                         `json:"t"`
	Name     string                      `json:"n"`
	NameLoc  map[discordgo.Locale]string `json:"nl,omitempty"`
	Desc     string                      `json:"d"`
	DescLoc  map[discordgo.Locale]string `json:"dl,omitempty"`
	Required bool                        `json:"r,omitempty"`
	Auto     bool                        `json:"a,omitempty"`
	Max      int                         `json:"m,omitempty"`
	MinValue *float64                    `json:"mn,omitempty"`
	MaxValue float64                     `json:"mx,omitempty"`
	Choices  []canonChoice               `json:"ch,omitempty"`
	Options  []canonOpt                  `json:"o,omitempty"`
}

type canonChoice struct {
	Name    string                      `json:"n"`
	NameLoc map[discordgo.Locale]string `json:"nl,omitempty"`
	Value   any                         `json:"v"`
}

// canon is a comparable rendering of commands, in name order.
func canon(cmds []*discordgo.ApplicationCommand) string {
	var out []canonCmd
	for _, c := range cmds {
		if c == nil {
			continue
		}
		cc := canonCmd{Name: c.Name, Desc: c.Description, Options: canonOpts(c.Options)}
		if c.NameLocalizations != nil {
			cc.NameLoc = *c.NameLocalizations
		}
		if c.DescriptionLocalizations != nil {
			cc.DescLoc = *c.DescriptionLocalizations
		}
		if c.Contexts != nil {
			for _, x := range *c.Contexts {
				cc.Contexts = append(cc.Contexts, int(x))
			}
			slices.Sort(cc.Contexts)
		}
		out = append(out, cc)
	}
	slices.SortFunc(out, func(a, b canonCmd) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	raw, _ := json.Marshal(out)
	return string(raw)
}

func canonOpts(opts []*discordgo.ApplicationCommandOption) []canonOpt {
	var out []canonOpt
	for _, o := range opts {
		if o == nil {
			continue
		}
		co := canonOpt{
			Type: int(o.Type), Name: o.Name, NameLoc: o.NameLocalizations, Desc: o.Description, DescLoc: o.DescriptionLocalizations,
			Required: o.Required, Auto: o.Autocomplete, Max: o.MaxLength, MinValue: o.MinValue, MaxValue: o.MaxValue,
			Options: canonOpts(o.Options),
		}
		for _, ch := range o.Choices {
			if ch != nil {
				co.Choices = append(co.Choices, canonChoice{Name: ch.Name, NameLoc: ch.NameLocalizations, Value: ch.Value})
			}
		}
		out = append(out, co)
	}
	return out
}
