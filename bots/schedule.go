package bots

import (
	"time"

	"github.com/engage-org/engage/core"
)

// maxScheduleLines bounds the instalments /schedule lists; a longer schedule is
// summed up, every instalment being in the attached file.
const maxScheduleLines = 12

type line struct {
	N                                     int
	Due                                   time.Time
	Payment, Principal, Interest, Balance core.Money
}

// cmdSchedule: /schedule C1 — the member's repayments (loans) or shares (equity),
// privately.
func cmdSchedule(c *turn) error {
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	if camp.Kind != core.CampaignLoan && camp.Kind != core.CampaignEquity {
		return core.Errorf(core.CodeConflict, "err.schedule_kind", "id", camp.ID())
	}
	p, err := c.tx.MyPledge(c.person.ID, camp)
	if err != nil {
		return err
	}
	if p == nil {
		return core.Errorf(core.CodeConflict, "err.no_pledge", "id", camp.ID())
	}
	data := pledgeView(c.comm, camp, p)
	var csv *Attachment
	rp := camp.Repayment(p, c.comm.Location())
	if rp != nil {
		data.Projected = camp.Status == core.CampaignOpen
	}
	if rp != nil && len(rp.Schedule) > 0 {
		var ls []line
		for _, in := range rp.Schedule {
			ls = append(ls, line{N: in.N, Due: in.Due, Payment: camp.Money(in.Payment), Principal: camp.Money(in.Principal),
				Interest: camp.Money(in.Interest), Balance: camp.Money(in.Balance)})
		}
		// Every instalment goes in a spreadsheet file; the message lists them only
		// when they are few, else sums them up (first and last due dates, monthly
		// amount, total, interest).
		rows := scheduleCsvText{Lines: ls, ID: camp.ID()}
		csv = &Attachment{
			Name: c.ownText("schedule.csv.name", rows), Type: "text/csv",
			Data: []byte(c.ownText("schedule.csv", rows) + "\n"),
		}
		if len(ls) > maxScheduleLines {
			data.Summary = true
		} else {
			data.Lines = ls
		}
	}
	m := c.here(true)
	m.Text, m.Attachment = c.ownText("schedule", data), csv
	c.answer(m)
	return nil
}

// scheduleCsvText is what the text schedule.csv, schedule.csv.name shows.
type scheduleCsvText struct {
	Lines []line
	ID    string
}
