package bots

import (
	"slices"
	"strings"

	"github.com/engage-org/engage/core"
)

// cmdRefund: /refund C1 @member AMOUNT — organisers record money given back to a
// backer the campaign owes a refund (it failed, or their paid pledge was withdrawn).
func cmdRefund(c *turn) error {
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	tok := c.word()
	words := strings.Fields(c.args)
	if tok == "" || len(words) == 0 {
		return c.usage()
	}
	target, person, err := c.mention(tok)
	if err != nil {
		return err
	}
	amount, err := core.ParseAmount(strings.Join(words, " "), camp.Goal.Currency, 0)
	if err != nil {
		return err
	}
	l, r, err := c.tx.Refund(c.member, camp, target.Person, amount)
	if err != nil {
		return err
	}
	data := refundDoneText{
		ID: camp.ID(), Title: camp.Title, Name: person.Name, Amount: l.Amount,
		Left: camp.Money(r.Left()), Refunded: camp.Money(r.Refunded), By: c.person.Name,
	}
	c.replyPrivate("refund.done", data) // who paid and got money back is private
	if target.Person != c.person.ID {
		return c.dm(target.Person, "refund.you", data, nil)
	}
	return nil
}

// pledgeWithdraw: /pledge C1 cancel @member — an organiser withdraws a member's
// pledge, paid in part or not; what was paid is then to be refunded.
func pledgeWithdraw(c *turn, camp *core.Campaign, tok string) error {
	target, person, err := c.mention(tok)
	if err != nil {
		return err
	}
	by, err := receivers(c.tx, camp)
	if err != nil {
		return err
	}
	p, err := c.tx.WithdrawPledge(c.member, camp, target.Person)
	if err != nil {
		return err
	}
	data := pledgeWithdrawnYouText{
		ID: camp.ID(), Title: camp.Title, Name: person.Name, Amount: p.Amount,
		Paid: camp.Money(p.Paid), HasPaid: p.Paid > 0, By: c.person.Name, Receivers: by[target.Person],
	}
	c.replyPrivate("pledge.withdrawn", data)
	if target.Person != c.person.ID {
		if err := c.dm(target.Person, "pledge.withdrawn_you", data, nil); err != nil {
			return err
		}
	}
	return c.editCard(camp, false)
}

// receivers returns, for each member who paid part of a pledge to camp, the names
// of those who recorded it (they hold the money, and give it back).
func receivers(tx *core.Tx, camp *core.Campaign) (map[core.PersonID][]string, error) {
	lines, err := tx.Ledger(camp)
	if err != nil {
		return nil, err
	}
	out := map[core.PersonID][]string{}
	for _, l := range lines {
		if l.Kind != core.LedgerCollect || l.FromPerson == "" {
			continue
		}
		if n := personName(tx, l.By); n != "" && !slices.Contains(out[l.FromPerson], n) {
			out[l.FromPerson] = append(out[l.FromPerson], n)
		}
	}
	return out, nil
}

// refundView is one refund due, as the organisers' list shows it.
type refundView struct {
	Name     string
	Due      core.Money
	Left     core.Money
	Refunded core.Money
	By       []string
}

// refundsDue tells camp's organisers, privately, the refunds it owes once it
// failed: who, how much, who received it, and the command that records each.
func (c *turn) refundsDue(camp *core.Campaign, by map[core.PersonID][]string) error {
	b, tx, comm := c.b, c.tx, c.comm
	var rs []refundView
	for _, r := range camp.Refunds {
		if r.Left() <= 0 {
			continue
		}
		name := personName(tx, r.Person)
		if name == "" {
			name = b.cat.Text(comm.Lang, "member.former", nil)
		}
		rs = append(rs, refundView{Name: name, Due: camp.Money(r.Due), Left: camp.Money(r.Left()), Refunded: camp.Money(r.Refunded), By: by[r.Person]})
	}
	if len(rs) == 0 {
		return nil
	}
	ms, err := tx.Members(comm.ID)
	if err != nil {
		return err
	}
	data := campaignRefundsDueText{ID: camp.ID(), Title: camp.Title, Refunds: rs, Total: camp.Money(camp.RefundsLeft())}
	for _, m := range ms {
		ok, err := tx.IsOrganiser(m, camp)
		if err != nil {
			return err
		}
		if ok {
			if err := c.dm(m.Person, "campaign.refunds_due", data, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// refundDoneText is what the text refund.done, refund.you shows.
type refundDoneText struct {
	ID       string
	Title    string
	Name     string
	Amount   core.Money
	Left     core.Money
	Refunded core.Money
	By       string
}

// pledgeWithdrawnYouText is what the text pledge.withdrawn_you, pledge.withdrawn shows.
type pledgeWithdrawnYouText struct {
	ID        string
	Title     string
	Name      string
	Amount    core.Money
	Paid      core.Money
	HasPaid   bool
	By        string
	Receivers []string
}

// campaignRefundsDueText is what the text campaign.refunds_due shows.
type campaignRefundsDueText struct {
	ID      string
	Title   string
	Refunds []refundView
	Total   core.Money
}
