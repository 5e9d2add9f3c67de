package bots

import (
	"strconv"
	"strings"
	"time"

	"github.com/engage-org/engage/core"
)

// cmdCollect: /collect C1 AMOUNT [from WHO] — organisers and collectors.
func cmdCollect(c *turn) error {
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	words := strings.Fields(c.args)
	amountWords, rest := c.splitAt(words, "from")
	if len(amountWords) == 0 {
		return c.usage()
	}
	amount, err := core.ParseAmount(strings.Join(amountWords, " "), camp.Goal.Currency, 0)
	if err != nil {
		return err
	}
	var from string
	var fromPerson core.PersonID
	if len(rest) > 0 {
		from = strings.Join(rest[1:], " ")
		if from == "" {
			return c.usage()
		}
		if _, p, err := c.tx.FindMember(c.comm.ID, c.ev.Platform, c.ev.Mentions[from], from); err == nil {
			fromPerson, from = p.ID, p.Name
		} else if strings.HasPrefix(from, "@") || strings.HasPrefix(from, "<@") {
			return err
		}
	}
	l, err := c.tx.Collect(c.member, camp, amount, from, fromPerson)
	if err != nil {
		return err
	}
	c.reply("collect.done", collectDoneText{
		ID: camp.ID(), Title: camp.Title, Amount: l.Amount, From: l.From,
		Collected: camp.Money(camp.Collected), Pledged: camp.Money(camp.Pledged), Held: camp.Held(),
	})
	if fromPerson != "" && fromPerson != c.person.ID {
		return c.dm(fromPerson, "collect.thanks", collectThanksText{ID: camp.ID(), Title: camp.Title, Amount: l.Amount}, nil)
	}
	return nil
}

// cmdSpend: /spend C1 AMOUNT PURPOSE — organisers.
func cmdSpend(c *turn) error {
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	words := strings.Fields(c.args)
	if len(words) < 2 {
		return c.usage()
	}
	amount, purpose, err := amountThenText(words, camp, "purpose")
	if err != nil {
		return err
	}
	l, err := c.tx.Spend(c.member, camp, amount, purpose)
	if err != nil {
		return err
	}
	return c.post("spend.post", spendPostText{
		ID: camp.ID(), Title: camp.Title, Amount: l.Amount, Purpose: l.Purpose,
		Left: camp.Money(camp.Left()),
	}, nil)
}

// sourceView is one source of collected money in the ledger.
type sourceView struct {
	Name   string
	Amount core.Money
	Count  int
}

type spendView struct {
	Amount  core.Money
	Purpose string
	At      time.Time
}

type allocView struct {
	Amount         core.Money
	Project, Title string
}

// cmdLedger: /ledger C1 — pledged, collected, spent, each spending line, and where
// the collected money came from (backers not named unless they agreed).
func cmdLedger(c *turn) error {
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	if strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	lines, err := c.tx.Ledger(camp)
	if err != nil {
		return err
	}
	ps, err := c.tx.Pledges(camp)
	if err != nil {
		return err
	}
	public, backed := map[core.PersonID]bool{}, map[core.PersonID]bool{}
	for _, p := range ps {
		public[p.Person], backed[p.Person] = p.Public, true
	}
	for _, r := range camp.Refunds { // withdrawn pledges stay as private as they were
		backed[r.Person] = true
	}
	loc := c.comm.Location()
	var spends []spendView
	var allocs []allocView
	var sources []sourceView
	var backers sourceView
	add := func(name string, amount int64) {
		for i := range sources {
			if sources[i].Name == name {
				sources[i].Amount.Amount += amount
				sources[i].Count++
				return
			}
		}
		sources = append(sources, sourceView{Name: name, Amount: camp.Money(amount), Count: 1})
	}
	backers.Amount = camp.Money(0)
	for _, l := range lines {
		switch l.Kind {
		case core.LedgerSpend:
			spends = append(spends, spendView{Amount: l.Amount, Purpose: l.Purpose, At: l.At.In(loc)})
		case core.LedgerAllocate:
			av := allocView{Amount: l.Amount, Project: "P" + strconv.Itoa(l.Project)}
			if pr, err := c.tx.Project(c.comm.ID, av.Project); err == nil {
				av.Title = pr.Title
			}
			allocs = append(allocs, av)
		case core.LedgerCollect:
			switch {
			case backed[l.FromPerson] && !public[l.FromPerson]:
				backers.Amount.Amount += l.Amount.Amount
				backers.Count++
			case l.FromPerson != "":
				add(personName(c.tx, l.FromPerson), l.Amount.Amount)
			case l.From != "":
				add(l.From, l.Amount.Amount)
			default: // /collect without from: nobody is named in its place
				add(c.text("ledger.unattributed", nil), l.Amount.Amount)
			}
		}
	}
	more := 0
	if len(spends) > maxListed {
		more, spends = len(spends)-maxListed, spends[len(spends)-maxListed:]
	}
	if len(sources) > maxListed {
		sources = sources[:maxListed]
	}
	c.reply("ledger", ledgerText{
		ID: camp.ID(), Title: camp.Title, Pledged: camp.Money(camp.Pledged), Collected: camp.Money(camp.Collected),
		Spent: camp.Money(camp.Spent), Allocated: camp.Money(camp.Allocated), HasAllocated: camp.Allocated > 0,
		Left: camp.Money(camp.Left()), Spends: spends, More: more,
		Held: camp.Held(), Failed: camp.Status == core.CampaignFailed, Refunded: camp.Money(camp.Refunded),
		RefundDue: camp.Money(camp.RefundsLeft()), HasRefunds: len(camp.Refunds) > 0,
		Sources: sources, Backers: backers, Allocs: allocs, Status: string(camp.Status),
		Hours: camp.HoursValue > 0, HoursPledged: camp.HoursPledged, HoursGiven: camp.HoursGiven,
	})
	return nil
}

// collectDoneText is what the text collect.done shows.
type collectDoneText struct {
	ID        string
	Title     string
	Amount    core.Money
	From      string
	Collected core.Money
	Pledged   core.Money
	Held      bool
}

// collectThanksText is what the text collect.thanks shows.
type collectThanksText struct {
	ID     string
	Title  string
	Amount core.Money
}

// spendPostText is what the text spend.post shows.
type spendPostText struct {
	ID      string
	Title   string
	Amount  core.Money
	Purpose string
	Left    core.Money
}

// ledgerText is what the text ledger shows.
type ledgerText struct {
	ID           string
	Title        string
	Pledged      core.Money
	Collected    core.Money
	Spent        core.Money
	Allocated    core.Money
	HasAllocated bool
	Left         core.Money
	Spends       []spendView
	More         int
	Held         bool
	Failed       bool
	Refunded     core.Money
	RefundDue    core.Money
	HasRefunds   bool
	Sources      []sourceView
	Backers      sourceView
	Allocs       []allocView
	Status       string
	Hours        bool
	HoursPledged int
	HoursGiven   int
}
