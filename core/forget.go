package core

import (
	"slices"
	"strings"
)

// Forget erases p's personal data (/forgetme): their name, every platform identity,
// their memberships, follows, likes, offers and referent places, the tracking-sheet
// entries of projects they alone carried, and any open dialog. What they posted for
// the community (news, next steps) stays, without their name. The person record
// remains as an empty shell so that old references resolve to "a former member".
//
// Records that hold their name or platform accounts as data are cleaned too (see
// eraseTraces): event answers and legacy event keys, messages waiting in the
// outbox (held direct messages included), message references, and the tracking
// sheet entries that name them. The transaction's own answer is not kept.
func (tx *Tx) Forget(p *Person) error {
	p, err := tx.Person(p.ID) // the caller's copy may be older
	if err != nil {
		return err
	}
	tx.ForgetAnswer() // the confirmation is addressed to the account being erased
	needles := []string{p.Name}
	handles := map[string]bool{}
	for _, id := range p.Identities {
		needles = append(needles, id.UserID, id.Handle, id.Name)
		if id.Handle != "" {
			handles[strings.ToLower(id.Handle)] = true
		}
		if err := tx.dropHeld(HoldKey(id.Platform, id.UserID)); err != nil {
			return err
		}
	}
	for _, id := range p.Identities {
		if err := tx.kv.Delete(bucketIdent, key(id.Platform, id.UserID)); err != nil {
			return err
		}
	}
	for _, cid := range p.Communities {
		if err := tx.kv.Delete(bucketMember, key(string(cid), string(p.ID))); err != nil {
			return err
		}
		ps, err := tx.Projects(cid, nil)
		if err != nil {
			return err
		}
		for _, pr := range ps {
			changed := false
			drop := func(ids []PersonID) []PersonID {
				if !slices.Contains(ids, p.ID) {
					return ids
				}
				changed = true
				return slices.DeleteFunc(ids, func(id PersonID) bool { return id == p.ID })
			}
			wasOnlyReferent := len(pr.Referents) == 1 && pr.Referents[0] == p.ID
			pr.Referents = drop(pr.Referents)
			pr.Followers = drop(pr.Followers)
			pr.Likes = drop(pr.Likes)
			n := len(pr.Offers)
			pr.Offers = slices.DeleteFunc(pr.Offers, func(o Offer) bool { return o.Person == p.ID })
			changed = changed || n != len(pr.Offers)
			ct := new(Contact)
			err := tx.getJSON(bucketContact, projectKey(cid, pr.Num), ct)
			if ok, err := found(err); err != nil {
				return err
			} else if ok && (wasOnlyReferent || handles[strings.ToLower(strings.TrimPrefix(strings.TrimSpace(ct.Handle), "@"))]) {
				// The entry is theirs: their e-mail, phone and handle go, and
				// wherever else those were written.
				needles = append(needles, ct.Email, ct.Phone, ct.Handle)
				if err := tx.kv.Delete(bucketContact, projectKey(cid, pr.Num)); err != nil {
					return err
				}
			}
			if changed {
				if err := tx.putProject(pr); err != nil {
					return err
				}
			}
		}
		if err := tx.forgetInCommunity(cid, p.ID); err != nil {
			return err
		}
	}
	if err := tx.kv.Delete(bucketDialog, string(p.ID)); err != nil {
		return err
	}
	if err := tx.eraseTraces(p, needles); err != nil {
		return err
	}
	return tx.putPerson(&Person{ID: p.ID, Created: p.Created})
}

// forgetInCommunity is where the other parts of the engine (ballots, pledges,
// check-ins) drop what they keep about a person in community c.
func (tx *Tx) forgetInCommunity(c CommunityID, p PersonID) error {
	if err := tx.forgetPledges(c, p); err != nil {
		return err
	}
	if err := tx.forgetQuestions(c, p); err != nil {
		return err
	}
	if err := tx.forgetCheckins(c, p); err != nil {
		return err
	}
	return tx.forgetBallots(c, p)
}
