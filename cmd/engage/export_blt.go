package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// exportBLT writes `engage export --blt V1 [--community NAME]`: closed stv poll
// V1's ballots as a BLT file, without voter names, for a recount with OpaVote,
// OpenSTV, Droop or `engage count`. The community is the one holding V1, or the
// one named (or given by ID) when several hold a V1.
func exportBLT(ctx context.Context, eng *core.Engine, pollID, community string, out io.Writer) error {
	var f *tally.BLT
	err := eng.View(ctx, func(tx *core.Tx) error {
		c, err := pollCommunity(tx, pollID, community)
		if err != nil {
			return err
		}
		f, err = tx.PollBLT(c.ID, pollID)
		return err
	})
	if err != nil {
		var ce *core.Error
		if errors.As(err, &ce) && ce.Msg != "" {
			return errors.New(strings.TrimSpace(cliText(ce.Msg, ce.Args)))
		}
		return err
	}
	return tally.WriteBLT(out, f)
}

// pollCommunity returns the community holding poll pollID: the only one, or the
// one community names (by name or ID) when several hold such a poll.
func pollCommunity(tx *core.Tx, pollID, community string) (*core.Community, error) {
	comms, err := tx.Communities()
	if err != nil {
		return nil, err
	}
	var holders []*core.Community
	for _, c := range comms {
		if community != "" && !strings.EqualFold(c.Name, community) && string(c.ID) != community {
			continue
		}
		if _, err := tx.Poll(c.ID, pollID); err == nil {
			holders = append(holders, c)
		} else if core.ErrorCode(err) != core.CodeNotFound {
			return nil, err
		}
	}
	switch len(holders) {
	case 0:
		return nil, errors.New(strings.TrimSpace(cliText("cli.no_poll", cliNoPollText{ID: pollID, Community: community})))
	case 1:
		return holders[0], nil
	}
	var names []string
	for _, c := range holders {
		names = append(names, fmt.Sprintf("%q (%s)", c.Name, c.ID))
	}
	return nil, errors.New(strings.TrimSpace(cliText("cli.poll_several", cliPollSeveralText{ID: pollID, Communities: strings.Join(names, ", ")})))
}

// cliNoPollText is what the text cli.no_poll shows.
type cliNoPollText struct {
	ID        string
	Community string
}

// cliPollSeveralText is what the text cli.poll_several shows.
type cliPollSeveralText struct {
	ID          string
	Communities string
}
