package core

import (
	"strconv"
	"time"
)

// RewardSnapshot is one reward tier in a Snapshot.
type RewardSnapshot struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Min   int64  `json:"min"`
	Limit int    `json:"limit,omitempty"`
	Taken int    `json:"taken"`
}

// LenderSchedule is one lender's repayment of a loan in a Snapshot, in minor units.
type LenderSchedule struct {
	Lender      string       `json:"lender"`
	Amount      int64        `json:"amount"`
	Cash        int64        `json:"cash"` // the amount less the hours taken as volunteering
	Hours       int          `json:"hours,omitempty"`
	HoursGiven  int          `json:"hours_given,omitempty"`
	Outstanding int64        `json:"outstanding"`
	Instalments []Instalment `json:"instalments"`
}

// SpendingSnapshot is one spending line in a Snapshot.
type SpendingSnapshot struct {
	Amount  int64     `json:"amount"`
	Purpose string    `json:"purpose"`
	At      time.Time `json:"at"`
}

// RefundSnapshot is what a campaign owes back to one backer in a Snapshot: Due
// was recorded as paid by them, Refunded of it given back; Why is "failed" (the
// all-or-nothing goal was missed) or "withdrawn" (the pledge was withdrawn).
type RefundSnapshot struct {
	Member   string `json:"member"`
	Due      int64  `json:"due"`
	Refunded int64  `json:"refunded"`
	Why      string `json:"why"`
}

// campaignSnapshots returns community c's campaigns for the Snapshot.
func (tx *Tx) campaignSnapshots(comm *Community) ([]CampaignSnapshot, error) {
	cs, err := tx.Campaigns(comm.ID)
	if err != nil {
		return nil, err
	}
	loc := comm.Location()
	out := []CampaignSnapshot{}
	for _, c := range cs {
		s := CampaignSnapshot{
			ID: c.ID(), Kind: string(c.Kind), Status: string(c.Status), Title: c.Title,
			Currency: c.Goal.Currency, Goal: c.Goal.Amount, Pledged: c.Pledged, Collected: c.Collected,
			Spent: c.Spent, Allocated: c.Allocated, Backers: c.Backers, Deadline: c.Deadline.In(loc),
			AllOrNothing: c.AllOrNothing, HoursValue: c.HoursValue, HoursPledged: c.HoursPledged,
			HoursGiven: c.HoursGiven, SharePrice: c.SharePrice, Spending: []SpendingSnapshot{},
			Refunded: c.Refunded, RefundDue: c.RefundsLeft(),
		}
		for _, r := range c.Refunds {
			s.Refunds = append(s.Refunds, RefundSnapshot{Member: tx.personName(r.Person), Due: r.Due, Refunded: r.Refunded, Why: string(r.Why)})
		}
		if c.Project != 0 {
			s.Project = "P" + strconv.Itoa(c.Project)
		}
		if c.Kind == CampaignLoan {
			s.Rate, s.Term = c.Rate.String(), c.Term
		}
		for _, r := range c.Rewards {
			s.Rewards = append(s.Rewards, RewardSnapshot{ID: r.ID(), Title: r.Title, Min: r.Min.Amount, Limit: r.Limit, Taken: r.Taken})
		}
		if c.Kind == CampaignLoan {
			ps, err := tx.Pledges(c)
			if err != nil {
				return nil, err
			}
			s.Schedules = []LenderSchedule{}
			for _, p := range ps {
				rp := c.Repayment(p, loc)
				if rp == nil {
					continue
				}
				s.Schedules = append(s.Schedules, LenderSchedule{
					Lender: tx.personName(p.Person), Amount: p.Amount.Amount, Cash: rp.Cash, Hours: rp.Hours,
					HoursGiven: rp.HoursGiven, Outstanding: rp.Outstanding, Instalments: rp.Schedule,
				})
			}
		}
		lines, err := tx.Ledger(c)
		if err != nil {
			return nil, err
		}
		for _, l := range lines {
			if l.Kind == LedgerSpend {
				s.Spending = append(s.Spending, SpendingSnapshot{Amount: l.Amount.Amount, Purpose: l.Purpose, At: l.At})
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// personName returns a person's name ("" once forgotten or unknown).
func (tx *Tx) personName(id PersonID) string {
	if p, err := tx.Person(id); err == nil {
		return p.Name
	}
	return ""
}

// PledgeRow is one pledge as `engage export --csv pledges` writes it.
type PledgeRow struct {
	Community, Campaign, Member string
	Status                      PledgeStatus
	Amount, Paid                int64 // minor units
	Currency, Reward            string
	Hours, HoursGiven           int
	Shares                      int64
	At                          time.Time
}

// PledgeRows returns every pledge of every community, campaign by campaign.
func (tx *Tx) PledgeRows() ([]PledgeRow, error) {
	var out []PledgeRow
	err := tx.eachCampaign(func(comm *Community, c *Campaign) error {
		ps, err := tx.Pledges(c)
		if err != nil {
			return err
		}
		for _, p := range ps {
			row := PledgeRow{
				Community: string(comm.ID), Campaign: c.ID(), Member: tx.personName(p.Person), Status: p.Status,
				Amount: p.Amount.Amount, Paid: p.Paid, Currency: p.Amount.Currency, Hours: p.Hours,
				HoursGiven: p.HoursGiven, Shares: p.Shares, At: p.At,
			}
			if p.Reward != 0 {
				row.Reward = "R" + strconv.Itoa(p.Reward)
			}
			out = append(out, row)
		}
		return nil
	})
	return out, err
}

// ScheduleRow is one instalment of one lender as `engage export --csv schedules`
// writes it.
type ScheduleRow struct {
	Community, Campaign, Lender, Currency string
	Instalment
}

// ScheduleRows returns every instalment of every lender of every loan.
func (tx *Tx) ScheduleRows() ([]ScheduleRow, error) {
	var out []ScheduleRow
	err := tx.eachCampaign(func(comm *Community, c *Campaign) error {
		if c.Kind != CampaignLoan {
			return nil
		}
		ps, err := tx.Pledges(c)
		if err != nil {
			return err
		}
		for _, p := range ps {
			rp := c.Repayment(p, comm.Location())
			if rp == nil {
				continue
			}
			for _, in := range rp.Schedule {
				out = append(out, ScheduleRow{Community: string(comm.ID), Campaign: c.ID(), Lender: tx.personName(p.Person), Currency: c.Goal.Currency, Instalment: in})
			}
		}
		return nil
	})
	return out, err
}

func (tx *Tx) eachCampaign(fn func(*Community, *Campaign) error) error {
	comms, err := tx.Communities()
	if err != nil {
		return err
	}
	for _, comm := range comms {
		cs, err := tx.Campaigns(comm.ID)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if err := fn(comm, c); err != nil {
				return err
			}
		}
	}
	return nil
}
