package core

import (
	"strconv"
	"time"
)

// The optional language model is switched on per community by an admin
// (/community llm on) and each community has a monthly budget of calls. The engine
// never calls a model: the conversation layer asks it before a transaction and
// hands its proposal in as data, which the rules then check like anything typed.
// What core keeps is the switch and the count of calls, counted in the same
// transaction as the proposal they produced is used.

// SetLLM switches the language model on or off for actor's community and returns
// the community as changed. Admins only: returns CodeForbidden otherwise.
func (tx *Tx) SetLLM(actor *Member, on bool) (*Community, error) {
	if !actor.Role.AtLeast(RoleAdmin) {
		return nil, Errorf(CodeForbidden, "err.forbidden_role", "role", RoleAdmin)
	}
	c, err := tx.Community(actor.Community)
	if err != nil {
		return nil, err
	}
	if c.LLM != on {
		c.LLM = on
		if err := tx.putCommunity(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// llmMonth is the key of c's calls in the month of t, in c's time zone.
func llmMonth(c *Community, t time.Time) string {
	return key(string(c.ID), t.In(c.Location()).Format("2006-01"))
}

// LLMCalls returns how many language-model calls c used this month (by the
// transaction's clock, in c's time zone).
func (tx *Tx) LLMCalls(c *Community) (int, error) {
	raw, err := tx.kv.Get(bucketLLMUse, llmMonth(c, tx.now))
	if ok, err := found(err); err != nil || !ok {
		return 0, err
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil {
		return 0, Internal("read llm calls", err)
	}
	return n, nil
}

// CountLLMCall counts one language-model call of c this month and returns the
// month's count with it. The caller uses the call's answer only when the count is
// within its budget; a call is counted whether or not its answer was usable.
func (tx *Tx) CountLLMCall(c *Community) (int, error) {
	n, err := tx.LLMCalls(c)
	if err != nil {
		return 0, err
	}
	n++
	return n, tx.kv.Put(bucketLLMUse, llmMonth(c, tx.now), []byte(strconv.Itoa(n)))
}

// LLMInReach reports whether something done by platform account userID in chat
// (a direct conversation when direct) may concern a community whose language
// model is on: the chat's community, or for a direct message any community of the
// person. It only reads, so that a caller can skip the model's path cheaply.
func (tx *Tx) LLMInReach(platform, chatID, userID string, direct bool) (bool, error) {
	if !direct {
		c, err := tx.CommunityByChat(platform, chatID)
		if ErrorCode(err) == CodeNotFound {
			return false, nil
		}
		return err == nil && c.LLM, err
	}
	raw, err := tx.kv.Get(bucketIdent, key(platform, userID))
	if ok, err := found(err); err != nil || !ok {
		return false, err
	}
	p, err := tx.Person(PersonID(raw))
	if ErrorCode(err) == CodeNotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	for _, cid := range p.Communities {
		c, err := tx.Community(cid)
		if ErrorCode(err) == CodeNotFound {
			continue
		} else if err != nil {
			return false, err
		}
		if c.LLM {
			return true, nil
		}
	}
	return false, nil
}
