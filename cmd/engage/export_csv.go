package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/engage-org/engage/core"
)

// exportCSV writes `engage export --csv pledges|schedules`: one row a pledge, or one
// row an instalment of a lender's schedule. Amounts are integer minor units of the
// row's currency, dates RFC 3339 (pledges) or YYYY-MM-DD (instalments).
func exportCSV(ctx context.Context, eng *core.Engine, what string, out io.Writer) error {
	w := csv.NewWriter(out)
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	err := eng.View(ctx, func(tx *core.Tx) error {
		switch what {
		case "pledges":
			rows, err := tx.PledgeRows()
			if err != nil {
				return err
			}
			if err := w.Write([]string{"community", "campaign", "member", "status", "amount_minor", "currency", "reward", "hours", "hours_given", "shares", "paid_minor", "pledged_at"}); err != nil {
				return err
			}
			for _, r := range rows {
				if err := w.Write([]string{r.Community, r.Campaign, r.Member, string(r.Status), i64(r.Amount), r.Currency, r.Reward,
					strconv.Itoa(r.Hours), strconv.Itoa(r.HoursGiven), i64(r.Shares), i64(r.Paid), r.At.UTC().Format(time.RFC3339)}); err != nil {
					return err
				}
			}
		case "schedules":
			rows, err := tx.ScheduleRows()
			if err != nil {
				return err
			}
			if err := w.Write([]string{"community", "campaign", "lender", "n", "due", "payment_minor", "principal_minor", "interest_minor", "balance_minor", "currency"}); err != nil {
				return err
			}
			for _, r := range rows {
				if err := w.Write([]string{r.Community, r.Campaign, r.Lender, strconv.Itoa(r.N), r.Due.Format(time.DateOnly),
					i64(r.Payment), i64(r.Principal), i64(r.Interest), i64(r.Balance), r.Currency}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
