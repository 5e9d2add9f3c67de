package bots

import (
	"strings"
	"time"

	"github.com/engage-org/engage/core"
)

// Live messages.
//
// A posted message that shows state — a poll with its running tally, a campaign
// card, a project card (projectcard.go), a meeting card (meeting_rsvp.go) — is queued in the outbox as what it shows, not as text: its Ref
// ("poll:COMMUNITY:V2", "campaign:COMMUNITY:C1") with Live set. The dispatcher
// renders it from the current state when it sends it (RenderLive), so a message
// never shows state older than its send: a ballot withdrawn by /forgetme, a pledge
// cancelled or a poll closed while an edit waited is not shown. Every change to
// that state queues an edit through one path (queueLive); edits of one message in
// one chat coalesce, so a burst of ballots is rendered once per edit sent.

// liveMessage is the outbox entry of the live message ref in chat ch: the post
// (edit false) or an edit of it.
func liveMessage(ch core.ChatRef, ref string, edit bool) Message {
	return Message{Platform: ch.Platform, ChatID: ch.ChatID, Ref: ref, Live: true, Edit: edit}
}

// liveCoalesce names the pending edit of the live message ref in chat ch.
func liveCoalesce(ref string, ch core.ChatRef) string {
	return "live/" + ref + "/" + ch.Platform + "/" + ch.ChatID
}

// postLive posts the live message ref to every chat of the community.
func (c *turn) postLive(ref string) error {
	for _, ch := range c.comm.Chats {
		if err := c.send(liveMessage(ch, ref, false), "", time.Time{}); err != nil {
			return err
		}
	}
	return nil
}

// queueLive queues an edit of the live message ref in every chat of the community, sent
// at (now when zero). An edit already waiting in a chat stands for this one too
// (it keeps its time): it is rendered when it is sent, so it shows this change.
func (c *turn) queueLive(ref string, at time.Time) error {
	for _, ch := range c.comm.Chats {
		if err := c.send(liveMessage(ch, ref, true), liveCoalesce(ref, ch), at); err != nil {
			return err
		}
	}
	return nil
}

// refreshPeople queues, due now, an edit of every posted live message of the community that
// may show a person: the open polls (their tallies), every campaign card (its
// backers), every project card (its referent) and the cards of meetings to come
// (their counts). /forgetme and /link call it, so that no posted copy keeps
// showing a member erased, or two accounts merged as two people. A chat where the
// message is not posted yet gets nothing: its post, when it goes, shows the
// current state.
func (c *turn) refreshPeople() error {
	tx, comm := c.tx, c.comm
	var refs []string
	polls, err := tx.Polls(comm.ID, true)
	if err != nil {
		return err
	}
	for _, p := range polls {
		refs = append(refs, p.Ref())
	}
	camps, err := tx.Campaigns(comm.ID)
	if err != nil {
		return err
	}
	for _, camp := range camps {
		refs = append(refs, campaignRef(camp))
	}
	projects, err := tx.Projects(comm.ID, nil)
	if err != nil {
		return err
	}
	for _, p := range projects {
		refs = append(refs, projectRef(p)) // its card names its referent
	}
	meetings, err := tx.Meetings(comm.ID)
	if err != nil {
		return err
	}
	for _, m := range meetings {
		if m.Canceled.IsZero() && !m.End(comm.Location()).Before(tx.Now()) {
			refs = append(refs, meetingRef(m)) // its counts
		}
	}
	for _, ref := range refs {
		if err := c.editPosted(ref); err != nil {
			return err
		}
	}
	return nil
}

// editPosted queues, due now, an edit of the live message ref in every chat
// where it was posted; where it is not posted yet, its post shows the current
// state when it goes. Edits of one message in one chat coalesce.
func (c *turn) editPosted(ref string) error {
	for _, ch := range c.comm.Chats {
		id, err := c.tx.MessageRef(ch.Platform, ch.ChatID, ref)
		if err != nil {
			return err
		}
		if id == "" {
			continue
		}
		if err := c.send(liveMessage(ch, ref, true), liveCoalesce(ref, ch), time.Time{}); err != nil {
			return err
		}
	}
	return nil
}

// splitRef reads a live reference "KIND:COMMUNITY:ID".
func splitRef(ref string) (kind string, comm core.CommunityID, id string, ok bool) {
	kind, rest, ok1 := strings.Cut(ref, ":")
	i := strings.LastIndexByte(rest, ':')
	if !ok1 || i <= 0 || i == len(rest)-1 {
		return "", "", "", false
	}
	return kind, core.CommunityID(rest[:i]), rest[i+1:], true
}

// RenderLive fills m's text and buttons from the current state of what its Ref
// names. It reports false when there is nothing to show any more (the poll or
// campaign is gone, or the reference is not one it knows): the message is then
// dropped. It may write button tokens, so it runs in an update.
func (b *Bot) RenderLive(tx *core.Tx, m *Message) (bool, error) {
	kind, cid, id, ok := splitRef(m.Ref)
	if !ok {
		return false, nil
	}
	comm, err := tx.Community(cid)
	if core.ErrorCode(err) == core.CodeNotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	c := b.jobTurn(tx, comm, nil)
	switch kind {
	case "digest":
		text, more, ok, err := c.digestMessage(id, m.Platform)
		if err != nil || !ok {
			return false, err
		}
		m.Text, m.More = text, more
	case "poll":
		p, err := tx.Poll(cid, id)
		if core.ErrorCode(err) == core.CodeNotFound {
			return false, nil
		} else if err != nil {
			return false, err
		}
		text, rows, err := c.pollMessage(p)
		if err != nil {
			return false, err
		}
		if !p.Open() {
			rows = nil
		}
		m.Text, m.Buttons = text, rows
	case "campaign":
		camp, err := tx.Campaign(cid, id)
		if core.ErrorCode(err) == core.CodeNotFound {
			return false, nil
		} else if err != nil {
			return false, err
		}
		text, rows, err := c.campaignCard(camp, comm.Lang)
		if err != nil {
			return false, err
		}
		m.Text, m.Buttons = text, rows
	case "project":
		p, err := tx.Project(cid, id)
		if core.ErrorCode(err) == core.CodeNotFound {
			return false, nil
		} else if err != nil {
			return false, err
		}
		text, rows, err := c.projectCard(p)
		if err != nil {
			return false, err
		}
		m.Text, m.Buttons = text, rows
	case "meeting":
		mt, err := tx.Meeting(cid, id)
		if core.ErrorCode(err) == core.CodeNotFound {
			return false, nil
		} else if err != nil {
			return false, err
		}
		text, rows, err := c.meetingCard(mt)
		if err != nil {
			return false, err
		}
		m.Text, m.Buttons = text, rows
	default:
		return false, nil
	}
	m.Live = false
	return true, nil
}
