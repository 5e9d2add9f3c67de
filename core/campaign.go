package core

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// CampaignKind is what backers give and get back.
type CampaignKind string

// The kinds of campaigns.
const (
	CampaignDonation CampaignKind = "donation" // a gift, nothing in return
	CampaignReward   CampaignKind = "reward"   // a gift, with reward tiers
	CampaignLoan     CampaignKind = "loan"     // lent, repaid monthly (with interest, or partly in volunteering hours)
	CampaignEquity   CampaignKind = "equity"   // shares bought at a fixed price
)

// ParseCampaignKind returns the kind named s, in English or French.
func ParseCampaignKind(s string) (CampaignKind, bool) {
	switch fold(s) {
	case "donation", "don", "dons":
		return CampaignDonation, true
	case "reward", "rewards", "contrepartie", "contreparties", "recompense", "recompenses":
		return CampaignReward, true
	case "loan", "pret", "prets":
		return CampaignLoan, true
	case "equity", "capital", "parts", "actions":
		return CampaignEquity, true
	}
	return "", false
}

// CampaignStatus is where a campaign stands.
type CampaignStatus string

// The statuses of a campaign. A campaign is open until its deadline or until an
// organiser closes it; it is then settled once: succeeded when the goal was
// reached (or, keep-it-all, when anyone pledged), failed otherwise, and then every
// pledge is released.
const (
	CampaignOpen      CampaignStatus = "open"
	CampaignSucceeded CampaignStatus = "succeeded"
	CampaignFailed    CampaignStatus = "failed"
)

// Limits of campaigns.
const (
	MaxRewards       = 20        // reward tiers per campaign
	MaxStretch       = 10        // stretch goals per campaign
	MaxRewardQty     = 1_000_000 // units of one tier
	MaxHours         = 10_000    // volunteering hours in one pledge
	MaxCollectors    = 50        // collectors named per campaign
	MaxCampaignYears = 3         // how far a deadline may be
)

// Milestones are the shares of the goal, in percent, announced once each.
var Milestones = []int{25, 50, 75, 100}

// Reward is a reward tier: backers who pledge at least Min may choose it, while
// units are left (Limit 0: unlimited).
type Reward struct {
	Num   int    `json:"num"`
	Min   Money  `json:"min"`
	Title string `json:"title"`
	Limit int    `json:"limit,omitempty"`
	Taken int    `json:"taken"`
}

// ID returns the tier's short ID ("R2").
func (r *Reward) ID() string { return "R" + strconv.Itoa(r.Num) }

// Left returns the units left, or -1 for an unlimited tier.
func (r *Reward) Left() int {
	if r.Limit == 0 {
		return -1
	}
	return max(r.Limit-r.Taken, 0)
}

// Stretch is a stretch goal: an amount above the goal and what it will pay for.
type Stretch struct {
	Amount  Money  `json:"amount"`
	Title   string `json:"title"`
	Reached bool   `json:"reached,omitempty"`
}

// Campaign is a community's fundraising: donations, rewards, loans or equity.
// Pledged and Backers always equal the sum and the count of its pledges;
// Collected, Spent, Allocated and Refunded the sums of its ledger lines; Refunded
// also the sum of the Refunded of its Refunds.
type Campaign struct {
	Community    CommunityID    `json:"community"`
	Num          int            `json:"num"`
	Kind         CampaignKind   `json:"kind"`
	Title        string         `json:"title"`
	Goal         Money          `json:"goal"`
	Start        time.Time      `json:"start"`
	Deadline     time.Time      `json:"deadline"`
	AllOrNothing bool           `json:"all_or_nothing"`
	Project      int            `json:"project,omitempty"` // linked project number (0: none)
	Rate         Rate           `json:"rate,omitempty"`    // loans: nominal annual rate
	Term         int            `json:"term,omitempty"`    // loans: months
	HoursValue   int64          `json:"hours_value,omitempty"`
	SharePrice   int64          `json:"share_price,omitempty"` // equity
	Rewards      []Reward       `json:"rewards,omitempty"`
	Stretch      []Stretch      `json:"stretch,omitempty"`
	Collectors   []PersonID     `json:"collectors,omitempty"`
	Status       CampaignStatus `json:"status"`
	Settled      time.Time      `json:"settled,omitzero"`
	Pledged      int64          `json:"pledged"`
	Backers      int            `json:"backers"`
	Collected    int64          `json:"collected"`
	Spent        int64          `json:"spent"`
	Allocated    int64          `json:"allocated,omitempty"`
	Refunded     int64          `json:"refunded,omitempty"`
	Refunds      []RefundDue    `json:"refunds,omitempty"` // money recorded as paid that is to go back
	HoursPledged int            `json:"hours_pledged,omitempty"`
	HoursGiven   int            `json:"hours_given,omitempty"`
	Announced    []int          `json:"announced,omitempty"` // milestones announced
	Public       []PersonID     `json:"public,omitempty"`    // backers who agreed to be named, in pledge order
	Created      time.Time      `json:"created"`
	CreatedBy    PersonID       `json:"created_by"`
}

// ID returns the campaign's short ID ("C1").
func (c *Campaign) ID() string { return "C" + strconv.Itoa(c.Num) }

// Money returns n minor units in the campaign's currency.
func (c *Campaign) Money(n int64) Money { return Money{Amount: n, Currency: c.Goal.Currency} }

// Percent returns the share of the goal pledged, in whole percent (may pass 100).
func (c *Campaign) Percent() int {
	if c.Goal.Amount <= 0 {
		return 0
	}
	return int(c.Pledged * 100 / c.Goal.Amount)
}

// Ended reports whether pledges can no longer change at now: the campaign was
// settled or its deadline passed.
func (c *Campaign) Ended(now time.Time) bool {
	return c.Status != CampaignOpen || now.After(c.Deadline)
}

// Reward returns tier num, or nil.
func (c *Campaign) Reward(num int) *Reward {
	for i := range c.Rewards {
		if c.Rewards[i].Num == num {
			return &c.Rewards[i]
		}
	}
	return nil
}

func campaignKey(c CommunityID, num int) string { return key(string(c), pad(uint64(num))) }

// Campaign returns campaign id ("C2") of community c. Returns CodeInvalid for a
// malformed ID and CodeNotFound ("err.no_campaign").
func (tx *Tx) Campaign(c CommunityID, id string) (*Campaign, error) {
	n, err := ParseShortID('C', id)
	if err != nil {
		return nil, err
	}
	camp := new(Campaign)
	err = tx.getJSON(bucketCampaign, campaignKey(c, n), camp)
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(CodeNotFound, "err.no_campaign", "id", strings.ToUpper(strings.TrimSpace(id)))
	}
	return camp, nil
}

// Campaigns returns the campaigns of community c, oldest first.
func (tx *Tx) Campaigns(c CommunityID) ([]*Campaign, error) {
	var out []*Campaign
	err := scanJSON(tx, bucketCampaign, string(c)+"/", false, func(_ string, camp *Campaign) error {
		out = append(out, camp)
		return nil
	})
	return out, err
}

func (tx *Tx) putCampaign(c *Campaign) error {
	return tx.putJSON(bucketCampaign, campaignKey(c.Community, c.Num), c)
}

// CampaignSpec is what /campaign new says.
type CampaignSpec struct {
	Kind         CampaignKind
	Title        string
	Goal         Money
	Deadline     time.Time
	AllOrNothing bool
	Project      *Project // linked project, or nil
	Rate         Rate     // loans
	Term         int      // loans, months
	HoursValue   int64    // zero-interest loans: value of one volunteering hour (minor units)
	SharePrice   int64    // equity (minor units)
	HasRate      bool     // a rate, term or hours-value was given (refused outside loans)
}

// CanOrganise reports whether m organises campaign c: facilitators and admins, and
// the referents of c's linked project p (nil when none).
func CanOrganise(m *Member, p *Project) bool {
	if m.Role.AtLeast(RoleFacilitator) {
		return true
	}
	return p != nil && slices.Contains(p.Referents, m.Person)
}

// linkedProject returns the project c is linked to, or nil.
func (tx *Tx) linkedProject(c *Campaign) (*Project, error) {
	if c.Project == 0 {
		return nil, nil
	}
	p := new(Project)
	err := tx.getJSON(bucketProject, projectKey(c.Community, c.Project), p)
	if ok, err := found(err); err != nil || !ok {
		return nil, err
	}
	return p, nil
}

// requireOrganiser refuses (CodeForbidden, "err.not_organiser") a member who does
// not organise c.
func (tx *Tx) requireOrganiser(m *Member, c *Campaign) error {
	p, err := tx.linkedProject(c)
	if err != nil {
		return err
	}
	if !CanOrganise(m, p) {
		return Errorf(CodeForbidden, "err.not_organiser", "id", c.ID())
	}
	return nil
}

// IsOrganiser reports whether m organises c (see CanOrganise).
func (tx *Tx) IsOrganiser(m *Member, c *Campaign) (bool, error) {
	p, err := tx.linkedProject(c)
	return err == nil && CanOrganise(m, p), err
}

// requireOpen refuses (CodeConflict, "err.campaign_closed") a change to a campaign
// whose pledges can no longer change.
func (tx *Tx) requireOpen(c *Campaign) error {
	if c.Ended(tx.now) {
		return Errorf(CodeConflict, "err.campaign_closed", "id", c.ID(), "status", string(c.Status))
	}
	return nil
}

// CreateCampaign opens a campaign in actor's community. Facilitators and admins may
// open any; a referent may open one linked to their project (`for P1`). The deadline
// must be to come and within MaxCampaignYears. Loans need a term; a rate must be
// zero for volunteering hours; equity needs a share price not above the goal.
// Returns CodeForbidden ("err.campaign_forbidden") and CodeInvalid.
func (tx *Tx) CreateCampaign(actor *Member, s CampaignSpec) (*Campaign, error) {
	if !CanOrganise(actor, s.Project) {
		return nil, Errorf(CodeForbidden, "err.campaign_forbidden")
	}
	title, err := checkText(s.Title, MaxNameLen, "title")
	if err != nil {
		return nil, err
	}
	if s.Goal.Amount <= 0 || !ValidCurrency(s.Goal.Currency) {
		return nil, Errorf(CodeInvalid, "err.missing", "what", "goal")
	}
	if !s.Deadline.After(tx.now) {
		return nil, Errorf(CodeInvalid, "err.date_past")
	}
	if s.Deadline.After(tx.now.AddDate(MaxCampaignYears, 0, 0)) {
		return nil, Errorf(CodeInvalid, "err.deadline_far", "years", MaxCampaignYears)
	}
	switch s.Kind {
	case CampaignLoan:
		if s.Term < 1 || s.Term > MaxTerm {
			return nil, Errorf(CodeInvalid, "err.loan_term", "max", MaxTerm)
		}
		if s.Rate < 0 || s.Rate > MaxRate {
			return nil, Errorf(CodeInvalid, "err.bad_rate", "text", s.Rate.String())
		}
		if s.HoursValue < 0 || s.HoursValue > 0 && s.Rate != 0 {
			return nil, Errorf(CodeInvalid, "err.hours_need_zero_rate")
		}
		if s.SharePrice != 0 {
			return nil, Errorf(CodeInvalid, "err.setting_kind", "setting", "share", "kind", string(s.Kind))
		}
	case CampaignEquity:
		if s.SharePrice <= 0 {
			return nil, Errorf(CodeInvalid, "err.equity_share")
		}
		if s.SharePrice > s.Goal.Amount {
			return nil, Errorf(CodeInvalid, "err.equity_share_goal")
		}
		if s.HasRate {
			return nil, Errorf(CodeInvalid, "err.setting_kind", "setting", "rate", "kind", string(s.Kind))
		}
	case CampaignDonation, CampaignReward:
		if s.HasRate {
			return nil, Errorf(CodeInvalid, "err.setting_kind", "setting", "rate", "kind", string(s.Kind))
		}
		if s.SharePrice != 0 {
			return nil, Errorf(CodeInvalid, "err.setting_kind", "setting", "share", "kind", string(s.Kind))
		}
	default:
		return nil, Errorf(CodeInvalid, "err.bad_campaign_kind", "kind", string(s.Kind))
	}
	comm, err := tx.Community(actor.Community)
	if err != nil {
		return nil, err
	}
	n, err := tx.nextShortID(comm, "C")
	if err != nil {
		return nil, err
	}
	c := &Campaign{
		Community: comm.ID, Num: n, Kind: s.Kind, Title: title, Goal: s.Goal,
		Start: tx.now, Deadline: s.Deadline, AllOrNothing: s.AllOrNothing,
		Rate: s.Rate, Term: s.Term, HoursValue: s.HoursValue, SharePrice: s.SharePrice,
		Status: CampaignOpen, Created: tx.now, CreatedBy: actor.Person,
	}
	if s.Project != nil {
		c.Project = s.Project.Num
	}
	if err := tx.putCampaign(c); err != nil {
		return nil, err
	}
	return c, tx.index(comm.ID, "campaign", c.ID(), title)
}

// AddReward adds a reward tier to a reward campaign: min is the least pledge that
// may choose it, limit the units (0: unlimited). Organisers only, while it is open.
func (tx *Tx) AddReward(actor *Member, c *Campaign, min Money, title string, limit int) (*Reward, error) {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return nil, err
	}
	if err := tx.requireOpen(c); err != nil {
		return nil, err
	}
	if c.Kind != CampaignReward {
		return nil, Errorf(CodeConflict, "err.reward_kind", "id", c.ID())
	}
	if min.Currency != c.Goal.Currency || min.Amount <= 0 {
		return nil, Errorf(CodeInvalid, "err.amount_currency", "text", "", "currency", c.Goal.Currency)
	}
	title, err := checkText(title, MaxNameLen, "title")
	if err != nil {
		return nil, err
	}
	if limit < 0 || limit > MaxRewardQty {
		return nil, Errorf(CodeInvalid, "err.reward_limit", "max", MaxRewardQty)
	}
	if len(c.Rewards) >= MaxRewards {
		return nil, Errorf(CodeConflict, "err.too_many_rewards", "max", MaxRewards)
	}
	r := Reward{Num: len(c.Rewards) + 1, Min: min, Title: title, Limit: limit}
	c.Rewards = append(c.Rewards, r)
	return &c.Rewards[len(c.Rewards)-1], tx.putCampaign(c)
}

// AddStretch adds a stretch goal above the goal. Organisers only, while it is open.
func (tx *Tx) AddStretch(actor *Member, c *Campaign, amount Money, title string) (*Stretch, error) {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return nil, err
	}
	if err := tx.requireOpen(c); err != nil {
		return nil, err
	}
	if amount.Currency != c.Goal.Currency {
		return nil, Errorf(CodeInvalid, "err.amount_currency", "text", "", "currency", c.Goal.Currency)
	}
	if amount.Amount <= c.Goal.Amount {
		return nil, Errorf(CodeInvalid, "err.stretch_below_goal", "goal", c.Goal)
	}
	for _, s := range c.Stretch {
		if s.Amount.Amount == amount.Amount {
			return nil, Errorf(CodeConflict, "err.stretch_exists", "amount", amount)
		}
	}
	title, err := checkText(title, MaxNameLen, "title")
	if err != nil {
		return nil, err
	}
	if len(c.Stretch) >= MaxStretch {
		return nil, Errorf(CodeConflict, "err.too_many_stretch", "max", MaxStretch)
	}
	c.Stretch = append(c.Stretch, Stretch{Amount: amount, Title: title, Reached: c.Pledged >= amount.Amount})
	slices.SortFunc(c.Stretch, func(a, b Stretch) int { return int(sign(a.Amount.Amount - b.Amount.Amount)) })
	for i := range c.Stretch {
		if c.Stretch[i].Amount.Amount == amount.Amount {
			return &c.Stretch[i], tx.putCampaign(c)
		}
	}
	return nil, Internal("add stretch", Errorf(CodeInternal, "lost"))
}

func sign(n int64) int64 {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// reached marks the milestones and stretch goals the pledged total reached and
// returns those newly reached: the highest milestone (lower ones reached at the
// same time are marked without being announced) and each stretch goal.
func (c *Campaign) reached() (int, []Stretch) {
	top := 0
	for _, m := range Milestones {
		if c.Pledged*100 >= int64(m)*c.Goal.Amount && !slices.Contains(c.Announced, m) {
			c.Announced = append(c.Announced, m)
			top = m
		}
	}
	var st []Stretch
	for i := range c.Stretch {
		if !c.Stretch[i].Reached && c.Pledged >= c.Stretch[i].Amount.Amount {
			c.Stretch[i].Reached = true
			st = append(st, c.Stretch[i])
		}
	}
	return top, st
}

// CloseCampaign settles c now, before its deadline. Organisers only; a campaign
// already settled is refused (CodeConflict, "err.campaign_closed").
func (tx *Tx) CloseCampaign(actor *Member, c *Campaign) ([]*Pledge, error) {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return nil, err
	}
	if c.Status != CampaignOpen {
		return nil, Errorf(CodeConflict, "err.campaign_closed", "id", c.ID(), "status", string(c.Status))
	}
	return tx.SettleCampaign(c)
}

// SettleCampaign ends c: it succeeded when the goal was reached or, keep-it-all,
// when anyone pledged (pledges become due); otherwise it failed and every pledge is
// released, and what was recorded as paid on a pledge is to be refunded (c.Refunds). It returns the pledges with their new status. A campaign already settled
// is refused (CodeConflict).
func (tx *Tx) SettleCampaign(c *Campaign) ([]*Pledge, error) {
	if c.Status != CampaignOpen {
		return nil, Errorf(CodeConflict, "err.campaign_closed", "id", c.ID(), "status", string(c.Status))
	}
	ps, err := tx.Pledges(c)
	if err != nil {
		return nil, err
	}
	switch {
	case c.Pledged >= c.Goal.Amount && c.Backers > 0:
		c.Status = CampaignSucceeded
	case !c.AllOrNothing && c.Backers > 0:
		c.Status = CampaignSucceeded
	default:
		c.Status = CampaignFailed
	}
	st := PledgeDue
	if c.Status == CampaignFailed {
		st = PledgeReleased
	}
	for _, p := range ps {
		p.Status = st
		if st == PledgeReleased && p.Paid > 0 {
			c.owe(p.Person, p.Paid, RefundFailed)
		}
		if err := tx.putJSON(bucketPledge, pledgeKey(c.Community, c.Num, p.Person), p); err != nil {
			return nil, err
		}
	}
	c.Settled = tx.now
	if err := tx.putCampaign(c); err != nil {
		return nil, err
	}
	return ps, tx.indexEntry(c.Community, SearchEntry{Kind: "result", Ref: c.ID(), Title: c.Title, Status: string(c.Status)})
}

// Repayment is a lender's side of a loan: the cash schedule (the amount less the
// hours taken as volunteering), and the hours.
type Repayment struct {
	Cash        int64        `json:"cash"`
	Schedule    []Instalment `json:"schedule"`
	Hours       int          `json:"hours,omitempty"`
	HoursGiven  int          `json:"hours_given,omitempty"`
	HoursValue  int64        `json:"hours_value,omitempty"`
	Outstanding int64        `json:"outstanding"` // what is still owed: the cash, and the hours not given yet at their value
}

// Repayment returns p's repayment of loan c: monthly annuities from one calendar
// month after the deadline (the day of the deadline in loc), projected while the
// campaign runs. It is nil for other kinds and for a released pledge.
func (c *Campaign) Repayment(p *Pledge, loc *time.Location) *Repayment {
	if c.Kind != CampaignLoan || p.Status == PledgeReleased {
		return nil
	}
	hoursMoney := int64(p.Hours) * c.HoursValue
	cash := p.Amount.Amount - hoursMoney
	end := c.Deadline.In(loc)
	start := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, loc)
	r := &Repayment{Cash: cash, Hours: p.Hours, HoursGiven: p.HoursGiven, HoursValue: c.HoursValue}
	r.Schedule = Schedule(cash, c.Rate, c.Term, start)
	var owed int64
	for _, in := range r.Schedule {
		owed += in.Payment
	}
	r.Outstanding = owed + int64(p.Hours-p.HoursGiven)*c.HoursValue
	return r
}
