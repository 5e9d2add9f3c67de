package core

import (
	"math/big"
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

// PledgeStatus is where a pledge stands.
type PledgeStatus string

// The statuses of a pledge: live while the campaign is open, then due (the campaign
// succeeded: the backer owes it) or released (an all-or-nothing goal was missed).
const (
	PledgeLive     PledgeStatus = "live"
	PledgeDue      PledgeStatus = "due"
	PledgeReleased PledgeStatus = "released"
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

// Pledge is one member's commitment to a campaign; a member has at most one per
// campaign, and pledging again changes it. Nothing is paid through Engage: Paid is
// what organisers recorded as collected from this backer.
type Pledge struct {
	Community  CommunityID  `json:"community"`
	Campaign   int          `json:"campaign"`
	Person     PersonID     `json:"person"`
	Amount     Money        `json:"amount"`
	Reward     int          `json:"reward,omitempty"`
	Hours      int          `json:"hours,omitempty"`  // loans: hours of the repayment taken as volunteering
	Shares     int64        `json:"shares,omitempty"` // equity
	Public     bool         `json:"public,omitempty"` // the backer agreed to be named
	Status     PledgeStatus `json:"status"`
	Paid       int64        `json:"paid,omitempty"`
	HoursGiven int          `json:"hours_given,omitempty"`
	At         time.Time    `json:"at"`
	Changed    time.Time    `json:"changed"`
}

// LedgerKind says what a ledger line records.
type LedgerKind string

// The kinds of ledger lines.
const (
	LedgerCollect  LedgerKind = "collect"  // money received
	LedgerSpend    LedgerKind = "spend"    // money spent, with its purpose
	LedgerHours    LedgerKind = "hours"    // volunteering hours given back to a lender
	LedgerAllocate LedgerKind = "allocate" // collected money given to a project
	LedgerRefund   LedgerKind = "refund"   // money given back to a backer
)

// LedgerLine is one entry of a campaign's transparent ledger.
type LedgerLine struct {
	Seq        uint64     `json:"seq"`
	Kind       LedgerKind `json:"kind"`
	Amount     Money      `json:"amount"`
	From       string     `json:"from,omitempty"`        // collect: who gave it, as typed
	FromPerson PersonID   `json:"from_person,omitempty"` // collect: the member it came from, if one
	Purpose    string     `json:"purpose,omitempty"`     // spend
	Hours      int        `json:"hours,omitempty"`       // hours
	Lender     PersonID   `json:"lender,omitempty"`      // hours
	Project    int        `json:"project,omitempty"`     // allocate
	To         PersonID   `json:"to,omitempty"`          // refund: the backer paid back
	By         PersonID   `json:"by"`
	At         time.Time  `json:"at"`
}

func campaignKey(c CommunityID, num int) string { return key(string(c), pad(uint64(num))) }

func pledgeKey(c CommunityID, num int, p PersonID) string {
	return key(string(c), pad(uint64(num)), string(p))
}

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

// PledgeInput is what /pledge says.
type PledgeInput struct {
	Amount Money
	Reward int   // tier number, 0 for none
	Hours  int   // loans: hours of the repayment taken as volunteering
	Public *bool // nil keeps the earlier consent to be named
	// Ceiling is the largest pledge in major units (community.pledge_ceiling;
	// 0: DefaultPledgeCeiling).
	Ceiling int64
}

// PledgeResult is what a pledge changed: the pledge, the one it replaced (nil for a
// first pledge), and what is now to announce.
type PledgeResult struct {
	Pledge     *Pledge
	Previous   *Pledge
	Milestone  int       // the highest milestone newly reached (0: none)
	Stretch    []Stretch // stretch goals newly reached
	RewardLeft int       // units left of the chosen tier (-1: unlimited)
	// First: the member has no other pledge in the community (a new pledge, not a
	// change): their receipt explains how pledges work; later ones are short.
	First bool
}

// Pledge records actor's pledge to c, or changes it: one pledge per member per
// campaign. A tier needs its minimum and a unit left (a backer keeping their tier
// keeps their unit); an equity pledge buys whole shares only (a remainder is
// refused, with the two nearest amounts); hours need a zero-interest loan with an
// hours value, and their value may not pass the amount. Returns CodeConflict when the
// campaign has ended or the tier is sold out, CodeInvalid otherwise.
func (tx *Tx) Pledge(actor *Member, c *Campaign, in PledgeInput) (*PledgeResult, error) {
	if err := tx.requireOpen(c); err != nil {
		return nil, err
	}
	if in.Amount.Currency != c.Goal.Currency {
		return nil, Errorf(CodeInvalid, "err.amount_currency", "text", "", "currency", c.Goal.Currency)
	}
	ceiling := in.Ceiling
	if ceiling <= 0 {
		ceiling = DefaultPledgeCeiling
	}
	if in.Amount.Amount <= 0 {
		return nil, Errorf(CodeInvalid, "err.amount_zero", "text", "")
	}
	if in.Amount.Amount > Major(ceiling, c.Goal.Currency).Amount {
		return nil, Errorf(CodeInvalid, "err.amount_ceiling", "text", "", "max", Major(ceiling, c.Goal.Currency))
	}
	old, err := tx.MyPledge(actor.Person, c)
	if err != nil {
		return nil, err
	}
	p := &Pledge{
		Community: c.Community, Campaign: c.Num, Person: actor.Person, Amount: in.Amount,
		Reward: in.Reward, Hours: in.Hours, Status: PledgeLive, At: tx.now, Changed: tx.now,
	}
	if old != nil {
		p.At, p.Public, p.Paid, p.HoursGiven = old.At, old.Public, old.Paid, old.HoursGiven
	}
	if in.Public != nil {
		p.Public = *in.Public
	}
	res := &PledgeResult{Pledge: p, Previous: old, RewardLeft: -1}
	if old == nil {
		others, err := tx.PersonPledges(c.Community, actor.Person)
		if err != nil {
			return nil, err
		}
		res.First = len(others) == 0
	}
	// Reward tiers.
	if in.Reward != 0 {
		if c.Kind != CampaignReward {
			return nil, Errorf(CodeConflict, "err.reward_kind", "id", c.ID())
		}
		r := c.Reward(in.Reward)
		if r == nil {
			return nil, Errorf(CodeNotFound, "err.no_reward", "id", c.ID(), "reward", "R"+strconv.Itoa(in.Reward))
		}
		if in.Amount.Amount < r.Min.Amount {
			return nil, Errorf(CodeInvalid, "err.reward_min", "reward", r.ID(), "title", r.Title, "min", r.Min)
		}
		keeps := old != nil && old.Reward == r.Num
		if !keeps && r.Limit > 0 && r.Taken >= r.Limit {
			return nil, Errorf(CodeConflict, "err.reward_sold_out", "reward", r.ID(), "title", r.Title)
		}
	}
	// Loans: hours.
	if in.Hours < 0 || in.Hours > MaxHours {
		return nil, Errorf(CodeInvalid, "err.bad_hours", "max", MaxHours)
	}
	if in.Hours > 0 {
		if c.Kind != CampaignLoan || c.HoursValue <= 0 {
			return nil, Errorf(CodeConflict, "err.hours_not_offered", "id", c.ID())
		}
		if int64(in.Hours)*c.HoursValue > in.Amount.Amount {
			return nil, Errorf(CodeInvalid, "err.hours_over", "hours", in.Hours, "value", c.Money(int64(in.Hours)*c.HoursValue), "amount", in.Amount)
		}
		if old != nil && in.Hours < old.HoursGiven {
			return nil, Errorf(CodeConflict, "err.hours_below_given", "given", old.HoursGiven)
		}
	}
	// Equity: whole shares.
	if c.Kind == CampaignEquity {
		price := c.SharePrice
		if rem := in.Amount.Amount % price; rem != 0 || in.Amount.Amount < price {
			lower := in.Amount.Amount - rem
			return nil, Errorf(CodeInvalid, "err.equity_remainder",
				"price", c.Money(price), "lower", c.Money(lower), "upper", c.Money(lower+price), "has_lower", lower > 0)
		}
		p.Shares = in.Amount.Amount / price
	}
	// Everything checked: apply.
	before := c.Pledged
	if old != nil {
		c.Pledged -= old.Amount.Amount
		c.HoursPledged -= old.Hours
		if old.Reward != 0 && old.Reward != p.Reward {
			if r := c.Reward(old.Reward); r != nil && r.Taken > 0 {
				r.Taken--
			}
		}
	} else {
		c.Backers++
	}
	c.Pledged += p.Amount.Amount
	c.HoursPledged += p.Hours
	if p.Reward != 0 {
		r := c.Reward(p.Reward)
		if old == nil || old.Reward != p.Reward {
			r.Taken++
		}
		res.RewardLeft = r.Left()
	}
	if c.Pledged > before {
		res.Milestone, res.Stretch = c.reached()
	}
	c.setPublic(p.Person, p.Public)
	if err := tx.putJSON(bucketPledge, pledgeKey(c.Community, c.Num, p.Person), p); err != nil {
		return nil, err
	}
	return res, tx.putCampaign(c)
}

// setPublic records whether person, a backer, agreed to be named.
func (c *Campaign) setPublic(person PersonID, on bool) {
	has := slices.Contains(c.Public, person)
	switch {
	case on && !has:
		c.Public = append(c.Public, person)
	case !on && has:
		c.Public = slices.DeleteFunc(c.Public, func(p PersonID) bool { return p == person })
	}
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

// CancelPledge withdraws actor's pledge to c while it is open; its reward unit is
// freed. Returns CodeConflict ("err.campaign_closed", "err.no_pledge").
func (tx *Tx) CancelPledge(actor *Member, c *Campaign) (*Pledge, error) {
	if err := tx.requireOpen(c); err != nil {
		return nil, err
	}
	old, err := tx.MyPledge(actor.Person, c)
	if err != nil {
		return nil, err
	}
	if old == nil {
		return nil, Errorf(CodeConflict, "err.no_pledge", "id", c.ID())
	}
	if old.Paid > 0 || old.HoursGiven > 0 {
		return nil, Errorf(CodeConflict, "err.pledge_paid", "id", c.ID(), "paid", c.Money(old.Paid))
	}
	return old, tx.dropPledge(c, old)
}

// dropPledge deletes p and takes it out of c's totals.
func (tx *Tx) dropPledge(c *Campaign, p *Pledge) error {
	c.dropTotals(p)
	if err := tx.kv.Delete(bucketPledge, pledgeKey(c.Community, c.Num, p.Person)); err != nil {
		return err
	}
	return tx.putCampaign(c)
}

// MyPledge returns person's pledge to c, or nil.
func (tx *Tx) MyPledge(person PersonID, c *Campaign) (*Pledge, error) {
	p := new(Pledge)
	err := tx.getJSON(bucketPledge, pledgeKey(c.Community, c.Num, person), p)
	if ok, err := found(err); err != nil || !ok {
		return nil, err
	}
	return p, nil
}

// Pledges returns every pledge to c.
func (tx *Tx) Pledges(c *Campaign) ([]*Pledge, error) {
	var out []*Pledge
	prefix := campaignKey(c.Community, c.Num) + "/"
	err := scanJSON(tx, bucketPledge, prefix, false, func(_ string, p *Pledge) error {
		out = append(out, p)
		return nil
	})
	return out, err
}

// PledgesVisible returns c's pledges to an organiser or facilitator of c; others
// get CodeForbidden ("err.not_organiser"): individual pledges are private.
func (tx *Tx) PledgesVisible(actor *Member, c *Campaign) ([]*Pledge, error) {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return nil, err
	}
	return tx.Pledges(c)
}

// PersonPledges returns person's pledges in community cid, oldest campaign first.
func (tx *Tx) PersonPledges(cid CommunityID, person PersonID) ([]*Pledge, error) {
	cs, err := tx.Campaigns(cid)
	if err != nil {
		return nil, err
	}
	var out []*Pledge
	for _, c := range cs {
		p, err := tx.MyPledge(person, c)
		if err != nil {
			return nil, err
		}
		if p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// SetCollector names (on) or un-names target as a collector of c: a member, such as
// a shop or a restaurant, who may record money collected. Organisers only.
func (tx *Tx) SetCollector(actor *Member, c *Campaign, target PersonID, on bool) error {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return err
	}
	has := slices.Contains(c.Collectors, target)
	switch {
	case on && has:
		return Errorf(CodeConflict, "err.already_collector", "id", c.ID())
	case !on && !has:
		return Errorf(CodeConflict, "err.not_collector", "id", c.ID())
	case on:
		if len(c.Collectors) >= MaxCollectors {
			return Errorf(CodeConflict, "err.too_many_collectors", "max", MaxCollectors)
		}
		c.Collectors = append(c.Collectors, target)
	default:
		c.Collectors = slices.DeleteFunc(c.Collectors, func(p PersonID) bool { return p == target })
	}
	return tx.putCampaign(c)
}

// requireMoneyOpen refuses (CodeConflict, "err.campaign_failed") money moves on a
// campaign whose pledges were released.
func requireMoneyOpen(c *Campaign) error {
	if c.Status == CampaignFailed {
		return Errorf(CodeConflict, "err.campaign_failed", "id", c.ID())
	}
	return nil
}

// addLine writes a ledger line of c.
func (tx *Tx) addLine(c *Campaign, l *LedgerLine) error {
	seq, err := tx.next("ledger/" + campaignKey(c.Community, c.Num))
	if err != nil {
		return err
	}
	l.Seq, l.At = seq, tx.now
	return tx.putJSON(bucketLedger, key(campaignKey(c.Community, c.Num), pad(seq)), l)
}

// Collect records money actually received for c, from whom as typed (from) and, when
// it is a member, who (fromPerson: their pledge records it as paid). Organisers and
// c's collectors only, while the campaign runs or after it succeeded.
func (tx *Tx) Collect(actor *Member, c *Campaign, amount Money, from string, fromPerson PersonID) (*LedgerLine, error) {
	ok, err := tx.IsOrganiser(actor, c)
	if err != nil {
		return nil, err
	}
	if !ok && !slices.Contains(c.Collectors, actor.Person) {
		return nil, Errorf(CodeForbidden, "err.not_collector_role", "id", c.ID())
	}
	if err := requireMoneyOpen(c); err != nil {
		return nil, err
	}
	if amount.Currency != c.Goal.Currency || amount.Amount <= 0 {
		return nil, Errorf(CodeInvalid, "err.amount_currency", "text", "", "currency", c.Goal.Currency)
	}
	if from = strings.TrimSpace(from); from != "" {
		if from, err = checkText(from, MaxNameLen, "name"); err != nil {
			return nil, err
		}
	}
	if c.Collected > MaxMajor*100_000-amount.Amount {
		return nil, Errorf(CodeInvalid, "err.amount_ceiling", "text", "", "max", Major(MaxMajor, c.Goal.Currency))
	}
	l := &LedgerLine{Kind: LedgerCollect, Amount: amount, From: from, FromPerson: fromPerson, By: actor.Person}
	if fromPerson != "" {
		if p, err := tx.MyPledge(fromPerson, c); err != nil {
			return nil, err
		} else if p != nil {
			p.Paid += amount.Amount
			if err := tx.putJSON(bucketPledge, pledgeKey(c.Community, c.Num, p.Person), p); err != nil {
				return nil, err
			}
		}
	}
	c.Collected += amount.Amount
	if err := tx.addLine(c, l); err != nil {
		return nil, err
	}
	return l, tx.putCampaign(c)
}

// Spend records money spent from what c collected, with its purpose. Organisers
// only; spending more than is left is refused (CodeConflict, "err.spend_over"), and
// so is any spending of an all-or-nothing campaign that has not succeeded yet: the
// money is held for the backers until then (CodeConflict, "err.spend_held").
func (tx *Tx) Spend(actor *Member, c *Campaign, amount Money, purpose string) (*LedgerLine, error) {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return nil, err
	}
	if err := requireMoneyOpen(c); err != nil {
		return nil, err
	}
	if err := requireNotHeld(c); err != nil {
		return nil, err
	}
	if amount.Currency != c.Goal.Currency || amount.Amount <= 0 {
		return nil, Errorf(CodeInvalid, "err.amount_currency", "text", "", "currency", c.Goal.Currency)
	}
	purpose, err := checkText(purpose, MaxNameLen*2, "purpose")
	if err != nil {
		return nil, err
	}
	if left := c.Left(); amount.Amount > left {
		return nil, Errorf(CodeConflict, "err.spend_over", "left", c.Money(left), "amount", amount)
	}
	l := &LedgerLine{Kind: LedgerSpend, Amount: amount, Purpose: purpose, By: actor.Person}
	c.Spent += amount.Amount
	if err := tx.addLine(c, l); err != nil {
		return nil, err
	}
	if err := tx.putCampaign(c); err != nil {
		return nil, err
	}
	return l, tx.indexEntry(c.Community, SearchEntry{Kind: "spend", Ref: c.ID(), Title: c.Title, Text: purpose})
}

// GiveHours records hours of volunteering given back to lender on a zero-interest
// loan: they reduce what lender is owed. Organisers only; not more than the hours
// the lender took (CodeConflict, "err.hours_over_pledged").
func (tx *Tx) GiveHours(actor *Member, c *Campaign, lender PersonID, hours int) (*Pledge, error) {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return nil, err
	}
	if err := requireMoneyOpen(c); err != nil {
		return nil, err
	}
	if c.Kind != CampaignLoan || c.HoursValue <= 0 {
		return nil, Errorf(CodeConflict, "err.hours_not_offered", "id", c.ID())
	}
	if hours <= 0 || hours > MaxHours {
		return nil, Errorf(CodeInvalid, "err.bad_hours", "max", MaxHours)
	}
	p, err := tx.MyPledge(lender, c)
	if err != nil {
		return nil, err
	}
	if p == nil || p.Hours == 0 {
		return nil, Errorf(CodeConflict, "err.no_hours_pledge", "id", c.ID())
	}
	if p.HoursGiven+hours > p.Hours {
		return nil, Errorf(CodeConflict, "err.hours_over_pledged", "left", p.Hours-p.HoursGiven)
	}
	p.HoursGiven += hours
	c.HoursGiven += hours
	if err := tx.putJSON(bucketPledge, pledgeKey(c.Community, c.Num, p.Person), p); err != nil {
		return nil, err
	}
	if err := tx.addLine(c, &LedgerLine{Kind: LedgerHours, Amount: c.Money(int64(hours) * c.HoursValue), Hours: hours, Lender: lender, By: actor.Person}); err != nil {
		return nil, err
	}
	return p, tx.putCampaign(c)
}

// Ledger returns c's ledger lines, oldest first.
func (tx *Tx) Ledger(c *Campaign) ([]*LedgerLine, error) {
	var out []*LedgerLine
	err := scanJSON(tx, bucketLedger, campaignKey(c.Community, c.Num)+"/", false, func(_ string, l *LedgerLine) error {
		out = append(out, l)
		return nil
	})
	return out, err
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

// BackersOf returns the backers of community cid's campaigns linked to project num,
// without repeats: news of the project reaches them.
func (tx *Tx) BackersOf(cid CommunityID, num int) ([]PersonID, error) {
	cs, err := tx.Campaigns(cid)
	if err != nil {
		return nil, err
	}
	var out []PersonID
	for _, c := range cs {
		if c.Project != num {
			continue
		}
		ps, err := tx.Pledges(c)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if !slices.Contains(out, p.Person) {
				out = append(out, p.Person)
			}
		}
	}
	return out, nil
}

// mergePledges moves from's pledges and collector places in community cid to into
// (identity linking). When both pledged to one campaign, an open campaign keeps the
// pledge changed last (the other is withdrawn, its reward unit freed); a settled
// one adds them up, as both were commitments.
func (tx *Tx) mergePledges(cid CommunityID, from, into PersonID) error {
	cs, err := tx.Campaigns(cid)
	if err != nil {
		return err
	}
	for _, c := range cs {
		changed := false
		if slices.Contains(c.Collectors, from) {
			c.Collectors = replace(c.Collectors, from, into)
			changed = true
		}
		if c.mergeRefunds(from, into) {
			changed = true
		}
		pf, err := tx.MyPledge(from, c)
		if err != nil {
			return err
		}
		if pf != nil {
			pi, err := tx.MyPledge(into, c)
			if err != nil {
				return err
			}
			if err := tx.kv.Delete(bucketPledge, pledgeKey(cid, c.Num, from)); err != nil {
				return err
			}
			pf.Person = into
			c.setPublic(from, false)
			if pi != nil {
				pf = c.mergeTwo(pf, pi)
			}
			c.setPublic(into, pf.Public)
			if err := tx.putJSON(bucketPledge, pledgeKey(cid, c.Num, into), pf); err != nil {
				return err
			}
			changed = true
		}
		if changed {
			if err := tx.putCampaign(c); err != nil {
				return err
			}
		}
	}
	return tx.replaceInLedger(cid, from, into)
}

// mergeTwo returns the one pledge left of two pledges of one person to c (pf, of
// the identity linked in, and pi) and fixes c's totals. While c is open the pledge
// changed last is kept, unless only the other was paid in part; otherwise (c
// settled, or both paid in part) they add up, with one reward tier.
func (c *Campaign) mergeTwo(pf, pi *Pledge) *Pledge {
	paidF, paidI := pf.Paid > 0 || pf.HoursGiven > 0, pi.Paid > 0 || pi.HoursGiven > 0
	if c.Status == CampaignOpen && !(paidF && paidI) {
		keepF := pf.Changed.After(pi.Changed)
		if paidF != paidI {
			keepF = paidF
		}
		if keepF {
			c.dropTotals(pi)
			return pf
		}
		c.dropTotals(pf)
		return pi
	}
	c.Backers--
	pi.Amount.Amount += pf.Amount.Amount
	pi.Paid += pf.Paid
	pi.Hours += pf.Hours
	pi.HoursGiven += pf.HoursGiven
	pi.Shares += pf.Shares
	pi.Public = pi.Public && pf.Public
	if pi.Reward == 0 {
		pi.Reward = pf.Reward
	} else if r := c.Reward(pf.Reward); r != nil && r.Taken > 0 && pf.Reward != pi.Reward {
		r.Taken-- // one tier per backer
	}
	return pi
}

// dropTotals takes p out of c's totals (the caller deletes or overwrites p).
func (c *Campaign) dropTotals(p *Pledge) {
	c.setPublic(p.Person, false)
	c.Pledged -= p.Amount.Amount
	c.Backers--
	c.HoursPledged -= p.Hours
	c.HoursGiven -= p.HoursGiven
	if r := c.Reward(p.Reward); r != nil && r.Taken > 0 {
		r.Taken--
	}
}

// replaceInLedger rewrites from as to in community cid's ledger lines.
func (tx *Tx) replaceInLedger(cid CommunityID, from, to PersonID) error {
	type kl struct {
		k string
		l *LedgerLine
	}
	var hits []kl
	err := scanJSON(tx, bucketLedger, string(cid)+"/", false, func(k string, l *LedgerLine) error {
		if l.FromPerson == from || l.Lender == from || l.By == from || l.To == from {
			hits = append(hits, kl{k, l})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, h := range hits {
		for _, f := range []*PersonID{&h.l.FromPerson, &h.l.Lender, &h.l.By, &h.l.To} {
			if *f == from {
				*f = to
			}
		}
		if err := tx.putJSON(bucketLedger, h.k, h.l); err != nil {
			return err
		}
	}
	return nil
}

// forgetPledges drops what campaigns keep about person p in community cid
// (/forgetme): a pledge to an open campaign is withdrawn (its reward unit freed);
// a pledge to a settled campaign stays in the totals, no longer named (the person is
// an empty shell) and without consent to be shown; collector places go.
func (tx *Tx) forgetPledges(cid CommunityID, p PersonID) error {
	cs, err := tx.Campaigns(cid)
	if err != nil {
		return err
	}
	for _, c := range cs {
		changed := false
		if slices.Contains(c.Collectors, p) {
			c.Collectors = slices.DeleteFunc(c.Collectors, func(x PersonID) bool { return x == p })
			changed = true
		}
		pl, err := tx.MyPledge(p, c)
		if err != nil {
			return err
		}
		switch {
		case pl == nil:
		case c.Status == CampaignOpen:
			if pl.Paid > 0 {
				c.owe(p, pl.Paid, RefundWithdrawn)
			}
			if err := tx.dropPledge(c, pl); err != nil {
				return err
			}
			changed = false // dropPledge saved c
		case pl.Public:
			pl.Public = false
			c.setPublic(p, false)
			changed = true
			if err := tx.putJSON(bucketPledge, pledgeKey(cid, c.Num, p), pl); err != nil {
				return err
			}
		}
		if changed {
			if err := tx.putCampaign(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// SplitByWeights splits amount minor units between shares in proportion to weights
// (the largest remainder method): each gets the floor of its exact share, and the
// minor units left go one each to the largest remainders, the earlier share first
// on equal remainders. The parts add up to amount exactly; a zero weight gets
// nothing; all weights zero (or none) give nothing to anyone.
func SplitByWeights(amount int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	var total big.Int
	for _, w := range weights {
		if w > 0 {
			total.Add(&total, big.NewInt(w))
		}
	}
	if amount <= 0 || total.Sign() == 0 {
		return out
	}
	rems := make([]*big.Int, len(weights))
	left := amount
	for i, w := range weights {
		rems[i] = new(big.Int)
		if w <= 0 {
			continue
		}
		q, r := new(big.Int).QuoRem(new(big.Int).Mul(big.NewInt(amount), big.NewInt(w)), &total, new(big.Int))
		out[i], rems[i] = q.Int64(), r
		left -= out[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rems[b].Cmp(rems[a]) })
	for _, i := range order {
		if left == 0 {
			break
		}
		if weights[i] > 0 {
			out[i]++
			left--
		}
	}
	return out
}

// Allocate gives part of what c collected and has left to projects of c's
// community: amounts maps project numbers to minor units (the caller computes them,
// as /allocate C1 by V1 does from a poll's result with SplitByWeights). Each
// becomes a ledger line. Organisers only; not on a failed campaign, nor on an
// all-or-nothing one that has not succeeded yet (CodeConflict, "err.spend_held");
// not more than is left (CodeConflict, "err.spend_over"); every project must exist.
func (tx *Tx) Allocate(actor *Member, c *Campaign, amounts map[int]int64) ([]*LedgerLine, error) {
	if err := tx.requireOrganiser(actor, c); err != nil {
		return nil, err
	}
	if err := requireMoneyOpen(c); err != nil {
		return nil, err
	}
	if err := requireNotHeld(c); err != nil {
		return nil, err
	}
	nums := make([]int, 0, len(amounts))
	var sum int64
	for n, a := range amounts {
		if a < 0 {
			return nil, Errorf(CodeInvalid, "err.amount_negative", "text", "")
		}
		if a == 0 {
			continue
		}
		if _, err := tx.Project(c.Community, "P"+strconv.Itoa(n)); err != nil {
			return nil, err
		}
		nums = append(nums, n)
		sum += a
	}
	slices.Sort(nums)
	if left := c.Left(); sum > left {
		return nil, Errorf(CodeConflict, "err.spend_over", "left", c.Money(left), "amount", c.Money(sum))
	}
	var out []*LedgerLine
	for _, n := range nums {
		l := &LedgerLine{Kind: LedgerAllocate, Amount: c.Money(amounts[n]), Project: n, By: actor.Person}
		if err := tx.addLine(c, l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	c.Allocated += sum
	return out, tx.putCampaign(c)
}
