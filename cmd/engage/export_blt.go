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
		comms, err := tx.Communities()
		if err != nil {
			return err
		}
		var holders []*core.Community
		for _, c := range comms {
			if community != "" && !strings.EqualFold(c.Name, community) && string(c.ID) != community {
				continue
			}
			if _, err := tx.Poll(c.ID, pollID); err == nil {
				holders = append(holders, c)
			} else if ce := (*core.Error)(nil); !errors.As(err, &ce) || ce.Code != core.CodeNotFound {
				return err
			}
		}
		switch len(holders) {
		case 0:
			return fmt.Errorf("no poll %s%s", pollID, inCommunity(community))
		case 1:
		default:
			var names []string
			for _, c := range holders {
				names = append(names, fmt.Sprintf("%q (%s)", c.Name, c.ID))
			}
			return fmt.Errorf("%s exists in %s: choose one with --community", pollID, strings.Join(names, ", "))
		}
		f, err = tx.PollBLT(holders[0].ID, pollID)
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

func inCommunity(name string) string {
	if name == "" {
		return ""
	}
	return " in community " + name
}
