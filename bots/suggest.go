package bots

import (
	"context"
	"slices"
	"strings"

	"github.com/engage-org/engage/core"
)

// What Suggest completes.
const (
	SuggestProject  = "project"  // project IDs (P1…)
	SuggestPoll     = "poll"     // open polls (V1…)
	SuggestCampaign = "campaign" // campaigns (C1…)
)

// MaxSuggestions bounds the suggestions Suggest returns (Discord shows 25).
const MaxSuggestions = 25

// Suggestion is one completion of an ID being typed: Value is what the command
// takes ("P3"), Label what the person sees ("P3 · Shared garden").
type Suggestion struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Suggest completes an ID of kind that the person of ev is typing in ev's chat (or,
// directly, in the community they were last active in): those whose ID starts with
// prefix or whose title holds it, ignoring case and accents. It only reads: nothing
// is recorded, and an unknown person, chat or kind gets no suggestion.
func (b *Bot) Suggest(ctx context.Context, ev Event, kind, prefix string) ([]Suggestion, error) {
	var out []Suggestion
	err := b.engine.View(ctx, func(tx *core.Tx) error {
		out = nil
		comm, err := suggestCommunity(tx, ev)
		if err != nil || comm == nil {
			return err
		}
		switch kind {
		case SuggestProject:
			ps, err := tx.Projects(comm.ID, nil)
			if err != nil {
				return err
			}
			q := core.Fold(strings.TrimSpace(prefix))
			for _, p := range ps {
				if matches(q, p.ID(), p.Title) {
					out = append(out, Suggestion{Value: p.ID(), Label: clip(p.ID()+" · "+p.Title, 100)})
				}
			}
		case SuggestPoll:
			ps, err := tx.Polls(comm.ID, true)
			if err != nil {
				return err
			}
			q := core.Fold(strings.TrimSpace(prefix))
			for _, p := range ps {
				if matches(q, p.ID(), p.Question) {
					out = append(out, Suggestion{Value: p.ID(), Label: clip(p.ID()+" · "+p.Question, 100)})
				}
			}
		case SuggestCampaign:
			cs, err := tx.Campaigns(comm.ID)
			if err != nil {
				return err
			}
			q := core.Fold(strings.TrimSpace(prefix))
			for _, camp := range cs {
				if matches(q, camp.ID(), camp.Title) {
					out = append(out, Suggestion{Value: camp.ID(), Label: clip(camp.ID()+" · "+camp.Title, 100)})
				}
			}
		}
		return nil
	})
	if len(out) > MaxSuggestions {
		out = out[:MaxSuggestions]
	}
	return out, err
}

// suggestCommunity is the community ev happens in, without writing anything.
func suggestCommunity(tx *core.Tx, ev Event) (*core.Community, error) {
	if !ev.Direct {
		comm, err := tx.CommunityByChat(ev.Platform, ev.ChatID)
		if core.ErrorCode(err) == core.CodeNotFound {
			return nil, nil
		}
		return comm, err
	}
	p, err := tx.PersonByAccount(ev.Platform, ev.UserID)
	if core.ErrorCode(err) == core.CodeNotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	best, err := tx.LatestMembership(p)
	if err != nil || best == nil {
		return nil, err
	}
	return tx.Community(best.Community)
}

// matches reports whether the folded query q starts the ID or is in the title.
func matches(q, id, title string) bool {
	if q == "" {
		return true
	}
	return strings.HasPrefix(core.Fold(id), q) || strings.Contains(core.Fold(title), q)
}

// Commands returns the English names of the chat language's commands, sorted (for
// platforms that register them, such as Discord's slash commands).
func (b *Bot) Commands() []string {
	names := make([]string, 0, len(b.cmds))
	for n := range b.cmds {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
