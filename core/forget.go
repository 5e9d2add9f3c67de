package core

import "slices"

// Forget erases p's personal data (/forgetme): their name, every platform identity,
// their memberships, follows, likes, offers and referent places, the tracking-sheet
// entries of projects they alone carried, and any open dialog. What they posted for
// the community (news, next steps) stays, without their name. The person record
// remains as an empty shell so that old references resolve to "a former member".
func (tx *Tx) Forget(p *Person) error {
	p, err := tx.Person(p.ID) // the caller's copy may be older
	if err != nil {
		return err
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
			if wasOnlyReferent {
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
