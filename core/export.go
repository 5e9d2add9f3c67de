package core

import (
	"slices"
	"time"
)

// Snapshot is the whole state as `engage export` prints it (COMMANDS.md § The
// console): every community with its members, projects, polls and campaigns. Field
// names are part of the product's interface: change them only with the docs.
type Snapshot struct {
	Communities []CommunitySnapshot `json:"communities"`
}

// CommunitySnapshot is one community in a Snapshot.
type CommunitySnapshot struct {
	ID        CommunityID        `json:"id"`
	Name      string             `json:"name"`
	TimeZone  string             `json:"timezone"`
	Language  string             `json:"language"`
	Chats     []ChatRef          `json:"chats"`
	Members   []MemberSnapshot   `json:"members"`
	Projects  []ProjectSnapshot  `json:"projects"`
	Polls     []PollSnapshot     `json:"polls"`
	Campaigns []CampaignSnapshot `json:"campaigns"`
	Meetings  []MeetingSnapshot  `json:"meetings,omitempty"`
}

// MeetingSnapshot is one general meeting in a Snapshot: its answers' counts, its
// waiting list's length, how many were present, and its minutes.
type MeetingSnapshot struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	At        time.Time  `json:"at"`
	AllDay    bool       `json:"all_day,omitempty"`
	Canceled  *time.Time `json:"canceled,omitempty"`
	Places    int        `json:"places,omitempty"`
	Coming    int        `json:"coming"`
	Maybe     int        `json:"maybe"`
	NotComing int        `json:"not_coming"`
	Waiting   int        `json:"waiting"`
	Present   int        `json:"present"`
	Minutes   string     `json:"minutes,omitempty"`
	MinutesAt *time.Time `json:"minutes_at,omitempty"`
}

// MemberSnapshot is one member in a Snapshot.
type MemberSnapshot struct {
	ID        PersonID `json:"id"`
	Name      string   `json:"name"`
	Role      Role     `json:"role"`
	Platforms []string `json:"platforms"`
}

// ProjectSnapshot is one project in a Snapshot.
type ProjectSnapshot struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Description string         `json:"description,omitempty"`
	Stage       Stage          `json:"stage"`
	Referents   []string       `json:"referents"`
	NextStep    *NextStepShot  `json:"next_step,omitempty"`
	Followers   int            `json:"followers"`
	Likes       int            `json:"likes"`
	Needs       []string       `json:"needs"`
	Offers      int            `json:"offers"`
	News        []NewsSnapshot `json:"news"`
}

// NextStepShot is a project's next step in a Snapshot.
type NextStepShot struct {
	Text   string     `json:"text"`
	Due    *time.Time `json:"due,omitempty"`
	Shared bool       `json:"shared"`
}

// NewsSnapshot is one news post in a Snapshot.
type NewsSnapshot struct {
	Text   string    `json:"text"`
	Author string    `json:"author"`
	At     time.Time `json:"at"`
}

// PollSnapshot is one poll in a Snapshot. Ranking is the result once closed, as
// tiers of option labels, best first (a tier of two is a tie); it is empty while
// the poll is open and when its quorum was not met.
type PollSnapshot struct {
	ID        string     `json:"id"`
	Method    string     `json:"method"`
	Status    string     `json:"status"`
	Ballots   int        `json:"ballots"`
	Ranking   [][]string `json:"ranking"`
	Question  string     `json:"question"`
	Options   []string   `json:"options"`
	Secret    bool       `json:"secret,omitempty"`
	Hidden    bool       `json:"hidden,omitempty"`
	Quorum    int        `json:"quorum,omitempty"`
	QuorumMet *bool      `json:"quorum_met,omitempty"`
	Until     *time.Time `json:"until,omitempty"`
	Closed    *time.Time `json:"closed,omitempty"`
	// Result is what a closed poll's count holds beyond its ranking, for stv and
	// budget polls (see PollResultSnapshot).
	Result *PollResultSnapshot `json:"result,omitempty"`
	// Assemblies (assembly.go), set only for a poll with an electorate, a
	// meeting or a weight: the electorate ("members-at-open", "role
	// facilitator", "present M1", "shareholders C1"), the meeting, the quorum
	// in percent of those present or represented, what weighs the ballots
	// ("shares C1") and their total weight, the turnout (ballots for members
	// of the current electorate, its size), the ballots cast by proxy, and in
	// a public poll each ballot with its voter, weight and proxy holder.
	Voters        string           `json:"voters,omitempty"`
	Meeting       string           `json:"meeting,omitempty"`
	QuorumPresent int              `json:"quorum_present,omitempty"`
	WeightedBy    string           `json:"weighted_by,omitempty"`
	Weight        int              `json:"weight,omitempty"`
	Turnout       *TurnoutSnapshot `json:"turnout,omitempty"`
	ByProxy       int              `json:"by_proxy,omitempty"`
	BallotList    []BallotSnapshot `json:"ballot_list,omitempty"`
}

// TurnoutSnapshot is a poll's turnout in a Snapshot.
type TurnoutSnapshot struct {
	Voted      int `json:"voted"`
	Electorate int `json:"electorate"`
}

// BallotSnapshot is one ballot of a public assembly poll in a Snapshot: whose
// it is, what it counted for (1 when not weighted), and who cast it by proxy.
type BallotSnapshot struct {
	Voter  string `json:"voter"`
	Weight int    `json:"weight"`
	By     string `json:"by,omitempty"`
}

// CampaignSnapshot is one campaign in a Snapshot (filled by the campaigns part).
// Amounts are integer minor units of Currency.
type CampaignSnapshot struct {
	ID           string             `json:"id"`
	Kind         string             `json:"kind"`
	Status       string             `json:"status"`
	Title        string             `json:"title"`
	Currency     string             `json:"currency"`
	Goal         int64              `json:"goal"`
	Pledged      int64              `json:"pledged"`
	Collected    int64              `json:"collected"`
	Spent        int64              `json:"spent"`
	Allocated    int64              `json:"allocated,omitempty"`
	Refunded     int64              `json:"refunded,omitempty"`   // given back to backers
	RefundDue    int64              `json:"refund_due,omitempty"` // still to give back
	Refunds      []RefundSnapshot   `json:"refunds,omitempty"`    // one per backer owed a refund
	Backers      int                `json:"backers"`
	Deadline     time.Time          `json:"deadline"`
	AllOrNothing bool               `json:"all_or_nothing"`
	Project      string             `json:"project,omitempty"`
	Rewards      []RewardSnapshot   `json:"rewards,omitempty"`
	Rate         string             `json:"rate,omitempty"` // loans: annual, in percent
	Term         int                `json:"term,omitempty"` // loans: months
	HoursValue   int64              `json:"hours_value,omitempty"`
	HoursPledged int                `json:"hours_pledged,omitempty"`
	HoursGiven   int                `json:"hours_given,omitempty"`
	SharePrice   int64              `json:"share_price,omitempty"`
	Schedules    []LenderSchedule   `json:"schedules,omitempty"` // loans: one per lender
	Spending     []SpendingSnapshot `json:"spending"`
}

// Snapshot reads the whole state.
func (tx *Tx) Snapshot() (*Snapshot, error) {
	cs, err := tx.Communities()
	if err != nil {
		return nil, err
	}
	s := &Snapshot{Communities: []CommunitySnapshot{}}
	for _, c := range cs {
		cs, err := tx.communitySnapshot(c)
		if err != nil {
			return nil, err
		}
		s.Communities = append(s.Communities, *cs)
	}
	return s, nil
}

func (tx *Tx) communitySnapshot(c *Community) (*CommunitySnapshot, error) {
	camps, err := tx.campaignSnapshots(c)
	if err != nil {
		return nil, err
	}
	out := &CommunitySnapshot{
		ID: c.ID, Name: c.Name, TimeZone: c.TimeZone, Language: c.Lang, Chats: c.Chats,
		Members: []MemberSnapshot{}, Projects: []ProjectSnapshot{}, Polls: []PollSnapshot{}, Campaigns: camps,
	}
	ms, err := tx.Members(c.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		p, err := tx.Person(m.Person)
		if err != nil {
			return nil, err
		}
		var platforms []string
		for _, id := range p.Identities {
			if !slices.Contains(platforms, id.Platform) {
				platforms = append(platforms, id.Platform)
			}
		}
		out.Members = append(out.Members, MemberSnapshot{ID: p.ID, Name: p.Name, Role: m.Role, Platforms: platforms})
	}
	ps, err := tx.Projects(c.ID, nil)
	if err != nil {
		return nil, err
	}
	name := func(id PersonID) string {
		if p, err := tx.Person(id); err == nil {
			return p.Name
		}
		return ""
	}
	for _, p := range ps {
		ps := ProjectSnapshot{
			ID: p.ID(), Title: p.Title, Description: p.Description, Stage: p.Stage,
			Referents: []string{}, Followers: len(p.Followers), Likes: len(p.Likes),
			Needs: []string{}, Offers: len(p.Offers), News: []NewsSnapshot{},
		}
		for _, r := range p.Referents {
			ps.Referents = append(ps.Referents, name(r))
		}
		if ns := p.NextStep; ns != nil {
			ps.NextStep = &NextStepShot{Text: ns.Text, Shared: ns.Shared}
			if !ns.Due.IsZero() {
				due := ns.Due.In(c.Location())
				ps.NextStep.Due = &due
			}
		}
		for _, n := range p.Needs {
			ps.Needs = append(ps.Needs, n.Text)
		}
		news, err := tx.NewsOf(p, 1<<30)
		if err != nil {
			return nil, err
		}
		for i := len(news) - 1; i >= 0; i-- { // oldest first
			n := news[i]
			ps.News = append(ps.News, NewsSnapshot{Text: n.Text, Author: name(n.Author), At: n.At})
		}
		out.Projects = append(out.Projects, ps)
	}
	if out.Polls, err = tx.pollSnapshots(c.ID); err != nil {
		return nil, err
	}
	if out.Meetings, err = tx.meetingSnapshots(c); err != nil {
		return nil, err
	}
	return out, nil
}

func (tx *Tx) meetingSnapshots(c *Community) ([]MeetingSnapshot, error) {
	ms, err := tx.Meetings(c.ID)
	if err != nil {
		return nil, err
	}
	var out []MeetingSnapshot
	for _, m := range ms {
		n := m.Counts()
		s := MeetingSnapshot{
			ID: m.ID(), Title: m.Title, At: m.At.In(c.Location()), AllDay: m.AllDay, Places: m.Places,
			Coming: n.Yes, Maybe: n.Maybe, NotComing: n.No, Waiting: n.Waiting, Present: n.Present, Minutes: m.Minutes,
		}
		if !m.Canceled.IsZero() {
			at := m.Canceled
			s.Canceled = &at
		}
		if !m.MinutesAt.IsZero() {
			at := m.MinutesAt
			s.MinutesAt = &at
		}
		out = append(out, s)
	}
	return out, nil
}
