package bots

import (
	"slices"
	"strconv"
	"time"

	"github.com/engage-org/engage/core"
)

// digestWeek is the span of news a digest covers.
const digestWeek = 7 * 24 * time.Hour

// digest is what the weekly digest shows.
type digest struct {
	// Intro is the opening a language model drafted ("" without one).
	Intro     string
	Community string
	At        time.Time
	Steps     []digestStep
	News      []digestNews
	Campaigns []digestCampaign
	Polls     []digestPoll
	Meeting   *mView
}

type digestPoll struct {
	ID, Question string
	Ballots      int
	Until        time.Time
}

type digestCampaign struct {
	ID, Title     string
	Pledged, Goal core.Money
	Percent       int
	Backers       int
	Deadline      time.Time
}

type digestStep struct {
	ID, Title, Text string
	Due             time.Time
	Overdue         bool
}

type digestNews struct {
	ID, Title, Text string
	At              time.Time
}

// empty reports whether the digest has nothing to say.
func (d *digest) empty() bool {
	return len(d.Steps) == 0 && len(d.News) == 0 && len(d.Campaigns) == 0 && len(d.Polls) == 0 && d.Meeting == nil
}

// digestData is the weekly digest of comm at now: every active project's next step
// and its date, the week's news, the open polls, the open campaigns' progress, and
// the next meeting.
func digestData(tx *core.Tx, comm *core.Community, now time.Time) (*digest, error) {
	loc := comm.Location()
	ps, err := tx.Projects(comm.ID, nil)
	if err != nil {
		return nil, err
	}
	dg := &digest{Community: comm.Name, At: now.In(loc)}
	for _, p := range ps {
		if !p.Active() {
			continue
		}
		v := digestStep{ID: p.ID(), Title: p.Title}
		if ns := p.NextStep; ns != nil {
			v.Text = ns.Text
			if !ns.Due.IsZero() {
				v.Due, v.Overdue = ns.Due.In(loc), ns.Due.Before(now)
			}
		}
		dg.Steps = append(dg.Steps, v)
		if p.LastNews.Before(now.Add(-digestWeek)) {
			continue
		}
		ns, err := tx.NewsOf(p, 20)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if n.At.Before(now.Add(-digestWeek)) {
				break
			}
			dg.News = append(dg.News, digestNews{ID: p.ID(), Title: p.Title, Text: n.Text, At: n.At.In(loc)})
		}
	}
	slices.SortStableFunc(dg.News, func(a, b digestNews) int { return a.At.Compare(b.At) })
	cs, err := tx.Campaigns(comm.ID)
	if err != nil {
		return nil, err
	}
	for _, cp := range cs {
		if cp.Ended(now) {
			continue
		}
		dg.Campaigns = append(dg.Campaigns, digestCampaign{
			ID: cp.ID(), Title: cp.Title, Pledged: cp.Money(cp.Pledged), Goal: cp.Goal,
			Percent: cp.Percent(), Backers: cp.Backers, Deadline: cp.Deadline.In(loc),
		})
	}
	polls, err := tx.Polls(comm.ID, true)
	if err != nil {
		return nil, err
	}
	for _, p := range polls {
		v := digestPoll{ID: p.ID(), Question: p.Question, Ballots: p.Ballots()}
		if !p.Settings.Until.IsZero() {
			v.Until = p.Settings.Until.In(loc)
		}
		dg.Polls = append(dg.Polls, v)
	}
	next, _, err := tx.NextMeeting(comm.ID, now)
	if err != nil {
		return nil, err
	}
	if next != nil {
		v := meetingView(next, loc)
		dg.Meeting = &v
	}
	return dg, nil
}

// postDigest posts the digest to every chat of n's community (split within each
// platform's message size). A community with nothing to say gets none, and one
// already given its digest today gets no second one.
// It reports whether it posted one, and when today's was posted if one was already.
func postDigest(c *turn, now time.Time) (posted bool, already time.Time, err error) {
	dg, err := digestData(c.tx, c.comm, now)
	if err != nil || dg.empty() {
		return false, time.Time{}, err
	}
	at, ok, err := c.tx.ClaimDigest(c.comm.ID, now)
	if err != nil || !ok {
		return false, at, err
	}
	return true, time.Time{}, c.postLiveDigest(dg, at)
}

// postLiveDigest drafts dg's opening (when the model is on), keeps it, and posts the
// digest claimed at `at` to every chat as a live message: rendered when it is sent,
// in as many parts as each platform's message size needs.
func (c *turn) postLiveDigest(dg *digest, at time.Time) error {
	intro, err := c.draftOpening("digest", c.comm.Lang, digestFacts(dg))
	if err != nil {
		return err
	}
	if err := c.tx.SetDigestIntro(c.comm.ID, at, intro); err != nil {
		return err
	}
	return c.postLive(digestRef(c.comm.ID, at))
}

// digestRef names the digest of community cid claimed at `at`.
func digestRef(cid core.CommunityID, at time.Time) string {
	return "digest:" + string(cid) + ":" + strconv.FormatInt(at.UnixNano(), 10)
}

// digestMessage renders the digest the live reference id names (its claim time)
// in the community's language, split within the platform's message size.
func (c *turn) digestMessage(id, platform string) (first string, more []string, ok bool, err error) {
	ns, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return "", nil, false, nil
	}
	at := time.Unix(0, ns)
	dg, err := digestData(c.tx, c.comm, at)
	if err != nil {
		return "", nil, false, err
	}
	f, err := c.tx.Facilitation(c.comm.ID)
	if err != nil {
		return "", nil, false, err
	}
	if f.Digest.Equal(at) {
		dg.Intro = f.DigestIntro
	}
	parts := splitText(c.text("digest", dg), MaxMessageLen(platform))
	return parts[0], parts[1:], true, nil
}

// cmdDigest: /digest — this week's digest, posted now (facilitators and admins).
func cmdDigest(c *turn) error {
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	dg, err := digestData(c.tx, c.comm, c.tx.Now())
	if err != nil {
		return err
	}
	posted, ok, err := c.tx.ClaimDigest(c.comm.ID, c.tx.Now())
	if err != nil {
		return err
	}
	if !ok { // one a day: the asker gets a copy of today's, in private
		c.replyPrivate("digest.already", digestAlreadyText{At: posted.In(c.comm.Location())})
		for _, part := range splitText(c.text("digest", dg), MaxMessageLen(c.ev.Platform)) {
			m := c.here(true)
			m.Text = part
			c.answer(m)
		}
		return nil
	}
	if err := c.postLiveDigest(dg, posted); err != nil {
		return err
	}
	if c.ev.Direct {
		c.reply("digest.posted", digestPostedText{Chats: len(c.comm.Chats)})
	}
	return nil
}

// digestAlreadyText is what the text digest.already shows.
type digestAlreadyText struct {
	At time.Time
}

// digestPostedText is what the text digest.posted shows.
type digestPostedText struct {
	Chats int
}
