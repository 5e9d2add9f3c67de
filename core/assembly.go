package core

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Assemblies: who may vote in a poll (its electorate), ballots weighted by the
// shares of an equity campaign, proxies given for a meeting's polls, and the
// reminder sent to the electorate's members who have not voted.

// The electorates of a poll (PollSettings.Voters).
const (
	VotersAll          = "all"             // every member (the default)
	VotersAtOpen       = "members-at-open" // the members when the poll opened
	VotersRole         = "role"            // members of PollSettings.VotersRole or above
	VotersPresent      = "present"         // present or represented at Poll.Meeting
	VotersShareholders = "shareholders"    // holders of shares of PollSettings.VotersCampaign
)

// Reminders of non-voters (PollSettings.Remind).
const (
	// JobPollRemind is the job that reminds a poll's non-voters (Ref: the poll).
	JobPollRemind = "poll_remind"
	DefaultRemind = 24 * time.Hour
	MinRemind     = time.Hour
	MaxRemind     = 30 * 24 * time.Hour
)

// DefaultMaxProxies is how many proxies a member may hold for one meeting when
// the configuration says nothing (community.max_proxies).
const DefaultMaxProxies = 2

// MaxProxiesLimit bounds community.max_proxies.
const MaxProxiesLimit = 20

// checkAssemblySettings checks the electorate, the meeting, the quorum of those
// present and the weight of a poll being opened, and moves the meeting typed in
// the settings to Poll.Meeting.
func (tx *Tx) checkAssemblySettings(p *Poll) error {
	s := &p.Settings
	if s.Meeting != "" {
		m, err := tx.Meeting(p.Community, s.Meeting)
		if err != nil {
			return err
		}
		if !m.Canceled.IsZero() {
			return Errorf(CodeConflict, "err.meeting_canceled_poll", "id", m.ID())
		}
		p.Meeting, s.Meeting = m.ID(), ""
	}
	needMeeting := s.Voters == VotersPresent || s.QuorumPresent > 0
	if needMeeting && p.Meeting == "" {
		return Errorf(CodeInvalid, "err.poll_needs_meeting")
	}
	switch s.Voters {
	case "", VotersAll:
		s.Voters = ""
	case VotersAtOpen, VotersPresent:
	case VotersRole:
		if s.VotersRole != RoleReferent && s.VotersRole != RoleFacilitator && s.VotersRole != RoleAdmin {
			return Errorf(CodeInvalid, "err.poll_voters", "text", string(s.VotersRole))
		}
	case VotersShareholders:
		c, err := tx.equityCampaign(p.Community, s.VotersCampaign)
		if err != nil {
			return err
		}
		s.VotersCampaign = c.ID()
	default:
		return Errorf(CodeInvalid, "err.poll_voters", "text", s.Voters)
	}
	if s.Voters != VotersRole {
		s.VotersRole = ""
	}
	if s.Voters != VotersShareholders {
		s.VotersCampaign = ""
	}
	if s.QuorumPresent < 0 || s.QuorumPresent > 100 {
		return Errorf(CodeInvalid, "err.poll_quorum_present")
	}
	if s.WeightShares != "" {
		c, err := tx.equityCampaign(p.Community, s.WeightShares)
		if err != nil {
			return err
		}
		s.WeightShares = c.ID()
	}
	if s.RemindOff {
		s.Remind = 0
	} else if s.Remind != 0 && (s.Remind < MinRemind || s.Remind > MaxRemind) {
		return Errorf(CodeInvalid, "err.poll_remind")
	} else if s.Remind != 0 && s.Until.IsZero() {
		return Errorf(CodeInvalid, "err.poll_remind_until")
	}
	return nil
}

// equityCampaign returns equity campaign id of community c: CodeNotFound when there
// is none, CodeInvalid ("err.poll_not_equity") for another kind of campaign.
func (tx *Tx) equityCampaign(c CommunityID, id string) (*Campaign, error) {
	camp, err := tx.Campaign(c, id)
	if err != nil {
		return nil, err
	}
	if camp.Kind != CampaignEquity {
		return nil, Errorf(CodeInvalid, "err.poll_not_equity", "id", camp.ID())
	}
	return camp, nil
}

// Weighted reports whether p's ballots are weighted by shares.
func (p *Poll) Weighted() bool { return p.Settings.WeightShares != "" }

// SharesHeld returns the shares person holds in equity campaign id of community c:
// those of their pledge, unless it was released (the goal was missed).
func (tx *Tx) SharesHeld(c CommunityID, id string, person PersonID) (int64, error) {
	camp, err := tx.Campaign(c, id)
	if err != nil {
		return 0, err
	}
	pl, err := tx.MyPledge(person, camp)
	if err != nil || pl == nil || pl.Status == PledgeReleased {
		return 0, err
	}
	return pl.Shares, nil
}

// InElectorate reports whether m may vote in p now. When not, err is the
// member's answer (CodeForbidden): who may vote, and why m may not.
func (tx *Tx) InElectorate(p *Poll, m *Member) error { return tx.inElectorate(p, m, nil) }

// inElectorate is InElectorate; present, when not nil, holds who is present or
// represented at p's meeting (read once for many members).
func (tx *Tx) inElectorate(p *Poll, m *Member, present map[PersonID]bool) error {
	s := p.Settings
	switch s.Voters {
	case VotersAtOpen:
		if m.Joined.After(p.Created) {
			return Errorf(CodeForbidden, "err.voters_at_open", "id", p.ID())
		}
	case VotersRole:
		if !m.Role.AtLeast(s.VotersRole) {
			return Errorf(CodeForbidden, "err.voters_role", "id", p.ID(), "role", string(s.VotersRole))
		}
	case VotersPresent:
		if present == nil {
			var err error
			if present, err = tx.presentOrRepresented(p.Community, p.Meeting); err != nil {
				return err
			}
		}
		if !present[m.Person] {
			return Errorf(CodeForbidden, "err.voters_present", "id", p.ID(), "meeting", p.Meeting)
		}
	case VotersShareholders:
		n, err := tx.SharesHeld(p.Community, s.VotersCampaign, m.Person)
		if err != nil {
			return err
		}
		if n <= 0 {
			return Errorf(CodeForbidden, "err.voters_shareholders", "id", p.ID(), "campaign", s.VotersCampaign)
		}
	}
	if p.Weighted() {
		n, err := tx.SharesHeld(p.Community, s.WeightShares, m.Person)
		if err != nil {
			return err
		}
		if n <= 0 {
			return Errorf(CodeForbidden, "err.vote_no_shares", "id", p.ID(), "campaign", s.WeightShares)
		}
	}
	return nil
}

// ballotWeight returns the weight of person's ballot in p: their shares in a
// weighted poll (at most tally.MaxWeight), 0 (one ballot) otherwise.
func (tx *Tx) ballotWeight(p *Poll, person PersonID) (int, error) {
	if !p.Weighted() {
		return 0, nil
	}
	n, err := tx.SharesHeld(p.Community, p.Settings.WeightShares, person)
	if err != nil {
		return 0, err
	}
	if n > maxBallotWeight {
		return 0, Errorf(CodeInvalid, "err.vote_weight_limit", "max", maxBallotWeight)
	}
	return int(n), nil
}

// maxBallotWeight is tally.MaxWeight, the most shares one ballot counts for.
const maxBallotWeight = 1_000_000

// presentQuorumMet reports whether ballots reach p's QuorumPresent percent of the
// members present or represented at its meeting.
func (tx *Tx) presentQuorumMet(p *Poll, ballots int) (bool, error) {
	n, err := tx.PresentCount(p.Community, p.Meeting)
	if err != nil {
		return false, err
	}
	// ballots / n ≥ pct / 100, exactly.
	return int64(ballots)*100 >= int64(p.Settings.QuorumPresent)*int64(n), nil
}

// PresentQuorum returns the ballots p needs to meet its quorum of those present
// (0 when it has none): ⌈pct × present-or-represented ÷ 100⌉, at least its
// quorum N.
func (tx *Tx) PresentQuorum(p *Poll) (int, error) {
	if p.Settings.QuorumPresent == 0 {
		return 0, nil
	}
	n, err := tx.PresentCount(p.Community, p.Meeting)
	if err != nil {
		return 0, err
	}
	need := (p.Settings.QuorumPresent*n + 99) / 100
	return max(need, p.Settings.Quorum), nil
}

// PresentCount returns how many members are present or represented at meeting id
// of community c.
func (tx *Tx) PresentCount(c CommunityID, id string) (int, error) {
	in, err := tx.presentOrRepresented(c, id)
	return len(in), err
}

// PresentOrRepresented reports whether person is present at meeting id of
// community c, or gave a proxy for it to a member who is present.
func (tx *Tx) PresentOrRepresented(c CommunityID, id string, person PersonID) (bool, error) {
	in, err := tx.presentOrRepresented(c, id)
	return in[person], err
}

func (tx *Tx) presentOrRepresented(c CommunityID, id string) (map[PersonID]bool, error) {
	m, err := tx.Meeting(c, id)
	if err != nil {
		return nil, err
	}
	present, err := tx.meetingPresent(m)
	if err != nil {
		return nil, err
	}
	here := map[PersonID]bool{}
	for _, p := range present {
		here[p] = true
	}
	proxies, err := tx.MeetingProxies(m)
	if err != nil {
		return nil, err
	}
	in := map[PersonID]bool{}
	for p := range here {
		in[p] = true
	}
	for _, px := range proxies {
		if here[px.Holder] {
			in[px.Giver] = true // represented
		}
	}
	return in, nil
}

// remindJobID names the job reminding p's non-voters.
func remindJobID(p *Poll) string { return "poll-remind:" + string(p.Community) + ":" + p.ID() }

// RemindBefore returns how long before its deadline p's non-voters are reminded,
// and false when they are not (no deadline, or `remind off`).
func (p *Poll) RemindBefore() (time.Duration, bool) {
	if p.Settings.Until.IsZero() || p.Settings.RemindOff {
		return 0, false
	}
	if p.Settings.Remind == 0 {
		return DefaultRemind, true
	}
	return p.Settings.Remind, true
}

// scheduleReminder schedules the reminder of p's non-voters, if it has one that
// falls after now (a deadline closer than the reminder sends none).
func (tx *Tx) scheduleReminder(p *Poll) error {
	d, ok := p.RemindBefore()
	if !ok {
		return nil
	}
	due := p.Settings.Until.Add(-d)
	if !due.After(tx.now) {
		return nil
	}
	return tx.Schedule(Job{ID: remindJobID(p), Due: due, Kind: JobPollRemind, Community: p.Community, Ref: p.ID()})
}

// HasVoted reports whether a ballot was cast for person in p (by them, or by
// their proxy).
func (tx *Tx) HasVoted(p *Poll, person PersonID) (bool, error) {
	if p.Settings.Secret {
		return tx.voted(p, person)
	}
	b, err := tx.getBallot(bucketBallot, ballotKey(p, string(person)))
	return b != nil, err
}

// Electorate returns the members who may vote in p now, and of them those for
// whom no ballot was cast yet, in the order of Members.
func (tx *Tx) Electorate(p *Poll) (electorate, nonVoters []*Member, err error) {
	ms, err := tx.Members(p.Community)
	if err != nil {
		return nil, nil, err
	}
	var present map[PersonID]bool
	if p.Settings.Voters == VotersPresent {
		if present, err = tx.presentOrRepresented(p.Community, p.Meeting); err != nil {
			return nil, nil, err
		}
	}
	for _, m := range ms {
		if err := tx.inElectorate(p, m, present); err != nil {
			if ErrorCode(err) == CodeForbidden {
				continue
			}
			return nil, nil, err
		}
		electorate = append(electorate, m)
		voted, err := tx.HasVoted(p, m.Person)
		if err != nil {
			return nil, nil, err
		}
		if !voted {
			nonVoters = append(nonVoters, m)
		}
	}
	return electorate, nonVoters, nil
}

// Turnout is who voted in a poll out of its electorate.
type Turnout struct {
	Voted, Electorate int
	// Percent is Voted ÷ Electorate in whole percent, rounded down (0 with no
	// electorate).
	Percent int
}

// PollTurnout returns p's turnout among its current electorate and the
// members of it who have not voted. Facilitators and admins only
// (CodeForbidden): who has not voted is not every member's to see.
func (tx *Tx) PollTurnout(actor *Member, p *Poll) (*Turnout, []*Member, error) {
	if actor.Community != p.Community {
		return nil, nil, Errorf(CodeNotFound, "err.no_poll", "id", p.ID())
	}
	if err := requireFacilitator(actor); err != nil {
		return nil, nil, err
	}
	el, non, err := tx.Electorate(p)
	if err != nil {
		return nil, nil, err
	}
	t := &Turnout{Voted: len(el) - len(non), Electorate: len(el)}
	if t.Electorate > 0 {
		t.Percent = t.Voted * 100 / t.Electorate
	}
	return t, non, nil
}

// Proxy is a member's vote for a meeting's polls given to another member.
type Proxy struct {
	Community CommunityID `json:"community"`
	Meeting   int         `json:"meeting"`
	Giver     PersonID    `json:"giver"`
	Holder    PersonID    `json:"holder"`
	At        time.Time   `json:"at"`
}

func proxyKey(c CommunityID, meeting int, giver PersonID) string {
	return key(string(c), pad(uint64(meeting)), string(giver))
}

// MeetingProxies returns the proxies given for m.
func (tx *Tx) MeetingProxies(m *Meeting) ([]*Proxy, error) {
	var out []*Proxy
	err := scanJSON(tx, bucketProxy, meetingKey(m.Community, m.Num)+"/", false, func(_ string, px *Proxy) error {
		out = append(out, px)
		return nil
	})
	return out, err
}

// ProxyOf returns the proxy giver gave for m, or nil.
func (tx *Tx) ProxyOf(m *Meeting, giver PersonID) (*Proxy, error) {
	px := new(Proxy)
	err := tx.getJSON(bucketProxy, proxyKey(m.Community, m.Num, giver), px)
	if ok, err := found(err); err != nil || !ok {
		return nil, err
	}
	return px, nil
}

// GiveProxy gives actor's vote for m's polls to holder, replacing the proxy actor
// gave before (returned as previous, nil if none; previous is px when actor gave
// it to holder already, and nothing changed). maxHeld is the most proxies a
// member may hold for one meeting (0: DefaultMaxProxies). Refused, changing
// nothing: a proxy to oneself ("err.proxy_self"), to a member who holds maxHeld
// proxies already ("err.proxy_full"), chains — to a member who gave their own
// proxy, or by a member who holds proxies ("err.proxy_chain") — and for a
// meeting canceled or over ("err.proxy_meeting_over").
func (tx *Tx) GiveProxy(actor *Member, m *Meeting, holder *Member, maxHeld int, loc *time.Location) (px, previous *Proxy, err error) {
	if maxHeld <= 0 {
		maxHeld = DefaultMaxProxies
	}
	if actor.Community != m.Community || holder.Community != m.Community {
		return nil, nil, Errorf(CodeNotFound, "err.no_meeting", "id", m.ID())
	}
	if err := tx.meetingOpenForProxies(m, loc); err != nil {
		return nil, nil, err
	}
	if holder.Person == actor.Person {
		return nil, nil, Errorf(CodeInvalid, "err.proxy_self")
	}
	if p, err := tx.ProxyOf(m, holder.Person); err != nil {
		return nil, nil, err
	} else if p != nil {
		return nil, nil, Errorf(CodeConflict, "err.proxy_chain", "meeting", m.ID())
	}
	proxies, err := tx.MeetingProxies(m)
	if err != nil {
		return nil, nil, err
	}
	held := 0
	for _, p := range proxies {
		switch {
		case p.Holder == actor.Person:
			return nil, nil, Errorf(CodeConflict, "err.proxy_chain", "meeting", m.ID())
		case p.Giver == actor.Person:
			previous = p
		case p.Holder == holder.Person:
			held++
		}
	}
	if previous != nil && previous.Holder == holder.Person {
		return previous, previous, nil // given already: nothing changes
	}
	if held >= maxHeld {
		return nil, nil, Errorf(CodeConflict, "err.proxy_full", "max", maxHeld, "meeting", m.ID())
	}
	px = &Proxy{Community: m.Community, Meeting: m.Num, Giver: actor.Person, Holder: holder.Person, At: tx.now}
	return px, previous, tx.putJSON(bucketProxy, proxyKey(m.Community, m.Num, actor.Person), px)
}

// CancelProxy withdraws the proxy actor gave for m and returns it. Returns
// CodeNotFound ("err.proxy_none_given") when there is none.
func (tx *Tx) CancelProxy(actor *Member, m *Meeting) (*Proxy, error) {
	px, err := tx.ProxyOf(m, actor.Person)
	if err != nil {
		return nil, err
	}
	if px == nil || actor.Community != m.Community {
		return nil, Errorf(CodeNotFound, "err.proxy_none_given", "meeting", m.ID())
	}
	return px, tx.kv.Delete(bucketProxy, proxyKey(m.Community, m.Num, actor.Person))
}

// meetingOpenForProxies refuses a proxy for a canceled meeting or one that is
// over.
func (tx *Tx) meetingOpenForProxies(m *Meeting, loc *time.Location) error {
	if !m.Canceled.IsZero() || !tx.now.Before(m.End(loc)) {
		return Errorf(CodeConflict, "err.proxy_meeting_over", "meeting", m.ID())
	}
	return nil
}

// pollMeeting returns the meeting p is attached to; CodeConflict
// ("err.proxy_no_meeting") when it has none.
func (tx *Tx) pollMeeting(p *Poll) (*Meeting, error) {
	if p.Meeting == "" {
		return nil, Errorf(CodeConflict, "err.proxy_no_meeting", "id", p.ID())
	}
	return tx.Meeting(p.Community, p.Meeting)
}

// VoteFor casts, by holder, the ballot of giver in p, which must be attached to a
// meeting for which giver gave holder their proxy ("err.proxy_none"). The giver
// must be in the electorate, and must not have voted in person in p
// ("err.proxy_giver_voted"): their own ballot cancels the proxy for that poll.
// In a secret poll the voters' list records that a ballot was cast for giver by
// proxy; the ballot records nothing of either.
func (tx *Tx) VoteFor(holder, giver *Member, p *Poll, values []int) (*VoteReceipt, error) {
	if holder.Community != p.Community || giver.Community != p.Community {
		return nil, Errorf(CodeNotFound, "err.no_poll", "id", p.ID())
	}
	if !p.Open() {
		return nil, Errorf(CodeConflict, "err.poll_closed", "id", p.ID())
	}
	m, err := tx.pollMeeting(p)
	if err != nil {
		return nil, err
	}
	px, err := tx.ProxyOf(m, giver.Person)
	if err != nil {
		return nil, err
	}
	if px == nil || px.Holder != holder.Person {
		return nil, Errorf(CodeForbidden, "err.proxy_none", "meeting", m.ID())
	}
	inPerson, err := tx.votedInPerson(p, giver.Person)
	if err != nil {
		return nil, err
	}
	if inPerson {
		return nil, Errorf(CodeConflict, "err.proxy_giver_voted", "id", p.ID())
	}
	return tx.cast(holder, giver, p, values)
}

// votedInPerson reports whether person cast their own ballot in p (not by proxy).
func (tx *Tx) votedInPerson(p *Poll, person PersonID) (bool, error) {
	if p.Settings.Secret {
		raw, err := tx.kv.Get(bucketVoter, ballotKey(p, string(person)))
		if ok, err := found(err); err != nil || !ok {
			return false, err
		}
		return string(raw) != voterByProxy, nil
	}
	b, err := tx.getBallot(bucketBallot, ballotKey(p, string(person)))
	return b != nil && b.By == "", err
}

// voterByProxy marks, in the voters' list of a secret poll, a ballot cast by a
// proxy; "1" marks one cast in person.
const voterByProxy = "proxy"

// VotedByProxy reports whether person's ballot in p was cast by their proxy.
func (tx *Tx) VotedByProxy(p *Poll, person PersonID) (bool, error) {
	voted, err := tx.HasVoted(p, person)
	if err != nil || !voted {
		return false, err
	}
	in, err := tx.votedInPerson(p, person)
	return !in, err
}

// ParseDurationWord reads a duration as typed in settings: "48h", "2d" (or "2j",
// French), "90m".
func ParseDurationWord(s string) (time.Duration, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 2 {
		return 0, false
	}
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'j': 24 * time.Hour}[s[len(s)-1]]
	n, err := strconv.Atoi(s[:len(s)-1])
	if unit == 0 || err != nil || n <= 0 || n > 100000 {
		return 0, false
	}
	return time.Duration(n) * unit, true
}

// meetingPresent returns the members recorded present at m.
func (tx *Tx) meetingPresent(m *Meeting) ([]PersonID, error) {
	out := make([]PersonID, 0, len(m.Present))
	for p := range m.Present {
		out = append(out, p)
	}
	return out, nil
}

// rewriteProxies moves from's proxies in community c to `to` (two accounts of one
// person linked), or drops them ("": /forgetme). A proxy that would then be given
// to oneself, or a second one by the same giver for a meeting, is dropped.
func (tx *Tx) rewriteProxies(c CommunityID, from, to PersonID) error {
	var hits []*Proxy
	err := scanJSON(tx, bucketProxy, string(c)+"/", false, func(_ string, px *Proxy) error {
		if px.Giver == from || px.Holder == from {
			hits = append(hits, px)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, px := range hits {
		if err := tx.kv.Delete(bucketProxy, proxyKey(px.Community, px.Meeting, px.Giver)); err != nil {
			return err
		}
		if to == "" {
			continue
		}
		if px.Giver == from {
			px.Giver = to
		}
		if px.Holder == from {
			px.Holder = to
		}
		if px.Giver == px.Holder {
			continue
		}
		k := proxyKey(px.Community, px.Meeting, px.Giver)
		if _, err := tx.kv.Get(bucketProxy, k); err == nil {
			continue // the other account gave one already: it stays
		} else if ok, err := found(err); err != nil || ok {
			return err
		}
		if err := tx.putJSON(bucketProxy, k, px); err != nil {
			return err
		}
	}
	return nil
}

// VotersText returns p's electorate as typed in English ("present M1"), "" for
// every member.
func (p *Poll) VotersText() string {
	s := p.Settings
	switch s.Voters {
	case VotersRole:
		return VotersRole + " " + string(s.VotersRole)
	case VotersPresent:
		return VotersPresent + " " + p.Meeting
	case VotersShareholders:
		return VotersShareholders + " " + s.VotersCampaign
	}
	return s.Voters
}

// assemblySnapshot fills the assembly fields of p's export.
func (tx *Tx) assemblySnapshot(p *Poll, s *PollSnapshot) error {
	if p.Settings.Voters == "" && p.Meeting == "" && !p.Weighted() {
		return nil
	}
	s.Voters, s.Meeting, s.QuorumPresent = p.VotersText(), p.Meeting, p.Settings.QuorumPresent
	if p.Weighted() {
		s.WeightedBy = "shares " + p.Settings.WeightShares
		s.Weight = p.Live.Weight
		if !p.Open() {
			res, err := tx.PollResult(p)
			if err != nil {
				return err
			}
			s.Weight = res.Weight
		}
	}
	el, non, err := tx.Electorate(p)
	if err != nil {
		return err
	}
	s.Turnout = &TurnoutSnapshot{Voted: len(el) - len(non), Electorate: len(el)}
	name := func(id PersonID) string {
		if pr, err := tx.Person(id); err == nil {
			return pr.Name
		}
		return ""
	}
	if p.Settings.Secret {
		return tx.kv.Scan(bucketVoter, pollKey(p.Community, p.Num)+"/", false, func(_ string, raw []byte) error {
			if string(raw) == voterByProxy {
				s.ByProxy++
			}
			return nil
		})
	}
	return tx.kv.Scan(bucketBallot, pollKey(p.Community, p.Num)+"/", false, func(k string, raw []byte) error {
		var b ballotRecord
		if err := json.Unmarshal(raw, &b); err != nil {
			return Internal("decode ballot", err)
		}
		who := PersonID(k[strings.LastIndexByte(k, '/')+1:])
		bs := BallotSnapshot{Voter: name(who), Weight: max(b.Weight, 1)}
		if strings.HasPrefix(string(who), "~") {
			bs.Voter = "" // forgotten
		}
		if b.By != "" {
			bs.By = name(b.By)
			s.ByProxy++
		}
		s.BallotList = append(s.BallotList, bs)
		return nil
	})
}

// forgetProxyHolder drops person's name from the ballots they cast as a proxy in
// public poll p (/forgetme): the ballots stay, their givers' own.
func (tx *Tx) forgetProxyHolder(p *Poll, person PersonID) error {
	return tx.rewriteProxyHolder(p, person, "")
}

// rewriteProxyHolder makes the ballots person cast as a proxy in public poll p
// say they were cast by into ("" for nobody: forgotten; another person: the
// account person was linked into).
func (tx *Tx) rewriteProxyHolder(p *Poll, person, into PersonID) error {
	type hit struct {
		k string
		b ballotRecord
	}
	var hits []hit
	err := tx.kv.Scan(bucketBallot, pollKey(p.Community, p.Num)+"/", false, func(k string, raw []byte) error {
		var b ballotRecord
		if err := json.Unmarshal(raw, &b); err != nil {
			return Internal("decode ballot", err)
		}
		if b.By == person {
			hits = append(hits, hit{k, b})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, h := range hits {
		h.b.By = into
		if err := tx.putJSON(bucketBallot, h.k, &h.b); err != nil {
			return err
		}
	}
	return nil
}
