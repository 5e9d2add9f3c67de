package core

// Allocation is money campaigns gave one project (/allocate): the campaign, and
// the sum of its allocate lines to the project.
type Allocation struct {
	Campaign string // "C1"
	Title    string // the campaign's title
	Amount   Money
}

// AllocatedTo returns the money each campaign of community cid gave project num,
// oldest campaign first (campaigns that gave nothing are left out).
func (tx *Tx) AllocatedTo(cid CommunityID, num int) ([]Allocation, error) {
	cs, err := tx.Campaigns(cid)
	if err != nil {
		return nil, err
	}
	var out []Allocation
	for _, c := range cs {
		if c.Allocated == 0 {
			continue
		}
		lines, err := tx.Ledger(c)
		if err != nil {
			return nil, err
		}
		var sum int64
		for _, l := range lines {
			if l.Kind == LedgerAllocate && l.Project == num {
				sum += l.Amount.Amount
			}
		}
		if sum > 0 {
			out = append(out, Allocation{Campaign: c.ID(), Title: c.Title, Amount: c.Money(sum)})
		}
	}
	return out, nil
}
