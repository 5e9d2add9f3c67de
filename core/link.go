package core

import (
	"crypto/rand"
	"slices"
	"strings"
	"time"
)

// code kinds
const (
	codeLink   = "link"   // joins two identities of one person
	codeInvite = "invite" // attaches a chat to a community
)

// codeAlphabet leaves out letters and digits people confuse (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// OneTimeCode is a one-time code: who made it, for what, until when.
type OneTimeCode struct {
	Kind    string    `json:"kind"`
	Target  string    `json:"target"` // person ID (link) or community ID (invite)
	By      PersonID  `json:"by"`
	Expires time.Time `json:"expires"`
}

// newCode stores a fresh one-time code of kind for target, valid for ttl.
func (tx *Tx) newCode(kind, target string, by PersonID, ttl time.Duration) (string, error) {
	for range 10 {
		b := make([]byte, 6)
		if _, err := rand.Read(b); err != nil {
			return "", Internal("new code", err)
		}
		for i := range b {
			b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
		}
		code := string(b)
		if _, err := tx.kv.Get(bucketCode, code); err == nil {
			continue // taken: draw again
		}
		return code, tx.putJSON(bucketCode, code, OneTimeCode{Kind: kind, Target: target, By: by, Expires: tx.now.Add(ttl)})
	}
	return "", Internal("new code", Errorf(CodeInternal, "no free code"))
}

// useCode consumes a code of kind. Returns CodeNotFound ("err.bad_code") when it is
// unknown, of another kind or expired.
func (tx *Tx) useCode(kind, code string) (*OneTimeCode, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	c := new(OneTimeCode)
	err := tx.getJSON(bucketCode, code, c)
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok || c.Kind != kind || !tx.now.Before(c.Expires) {
		return nil, Errorf(CodeNotFound, "err.bad_code")
	}
	return c, tx.kv.Delete(bucketCode, code)
}

// LinkCode returns a one-time code that, typed with /link on another platform (or
// from another account), joins that identity to p. It is valid for 15 minutes.
func (tx *Tx) LinkCode(p *Person) (string, error) {
	return tx.newCode(codeLink, string(p.ID), p.ID, 15*time.Minute)
}

// Link joins the identities of p into the person who made code, and returns that
// person. Memberships, roles (the higher is kept), follows, likes and referent
// places move over. Returns CodeNotFound for a bad code and CodeConflict when both
// are already the same person.
func (tx *Tx) Link(p *Person, code string) (*Person, error) {
	c, err := tx.useCode(codeLink, code)
	if err != nil {
		return nil, err
	}
	if p, err = tx.Person(p.ID); err != nil { // the caller's copy may be older
		return nil, err
	}
	into, err := tx.Person(PersonID(c.Target))
	if err != nil {
		return nil, err
	}
	if into.ID == p.ID {
		return nil, Errorf(CodeConflict, "err.already_linked")
	}
	return into, tx.merge(p, into)
}

// merge moves everything of from into into and leaves from as a forwarding record.
func (tx *Tx) merge(from, into *Person) error {
	for _, id := range from.Identities {
		if err := tx.kv.Put(bucketIdent, key(id.Platform, id.UserID), []byte(into.ID)); err != nil {
			return err
		}
		into.Identities = append(into.Identities, id)
	}
	if into.Lang == "" {
		into.Lang = from.Lang
	}
	for _, cid := range from.Communities {
		m, err := tx.Member(cid, from.ID)
		if ErrorCode(err) == CodeNotFound {
			continue
		} else if err != nil {
			return err
		}
		if err := tx.kv.Delete(bucketMember, key(string(cid), string(from.ID))); err != nil {
			return err
		}
		if have, err := tx.Member(cid, into.ID); err == nil {
			if m.Role.AtLeast(have.Role) {
				have.Role = m.Role
			}
			if m.LastActive.After(have.LastActive) {
				have.LastActive = m.LastActive
			}
			if m.Joined.Before(have.Joined) {
				have.Joined = m.Joined
			}
			if err := tx.putMember(have); err != nil {
				return err
			}
		} else if ErrorCode(err) == CodeNotFound {
			m.Person = into.ID
			if err := tx.putMember(m); err != nil {
				return err
			}
			into.Communities = append(into.Communities, cid)
		} else {
			return err
		}
		if err := tx.replacePersonInProjects(cid, from.ID, into.ID); err != nil {
			return err
		}
		if err := tx.mergePledges(cid, from.ID, into.ID); err != nil {
			return err
		}
		if err := tx.mergeQuestions(cid, from.ID, into.ID); err != nil {
			return err
		}
		if err := tx.replacePersonInCheckins(cid, from.ID, into.ID); err != nil {
			return err
		}
		if err := tx.mergeBallots(cid, from.ID, into.ID); err != nil {
			return err
		}
	}
	if err := tx.kv.Delete(bucketDialog, string(from.ID)); err != nil {
		return err
	}
	if err := tx.putPerson(into); err != nil {
		return err
	}
	return tx.putPerson(&Person{ID: from.ID, MergedInto: into.ID, Created: from.Created})
}

// replace returns ids with from replaced by to, without duplicates.
func replace(ids []PersonID, from, to PersonID) []PersonID {
	if !slices.Contains(ids, from) {
		return ids
	}
	out := make([]PersonID, 0, len(ids))
	for _, id := range ids {
		if id == from {
			id = to
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
