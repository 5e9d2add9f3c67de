package core

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// The buckets the engine keeps. Keys inside a community start with the community ID
// and a slash, so one prefix scan lists a community's records; numbers inside keys are
// zero-padded so that byte order is numeric order.
const (
	bucketSeq       = "seq"       // counter name → decimal
	bucketCommunity = "community" // community ID → Community
	bucketChat      = "chat"      // platform/chat ID → community ID
	bucketPerson    = "person"    // person ID → Person
	bucketIdent     = "ident"     // platform/user ID → person ID
	bucketMember    = "member"    // community ID/person ID → Member
	bucketProject   = "project"   // community ID/number → Project
	bucketNews      = "news"      // community ID/project number/sequence → News
	bucketContact   = "contact"   // community ID/project number → Contact (tracking sheet)
	bucketSearch    = "search"    // community ID/sequence → SearchEntry
	bucketEvent     = "event"     // idempotency key → eventRecord
	bucketOutbox    = "outbox"    // sequence → OutboxItem
	bucketCoalesce  = "coalesce"  // coalescing key → outbox sequence
	bucketMsgRef    = "msgref"    // platform/chat ID/ref → platform message ID
	bucketJob       = "job"       // due time/job ID → Job
	bucketJobID     = "jobid"     // job ID → job key
	bucketCode      = "code"      // one-time code → Code
	bucketButton    = "button"    // button token → command
	bucketDialog    = "dialog"    // person ID → Dialog
	bucketCampaign  = "campaign"  // community ID/number → Campaign
	bucketPledge    = "pledge"    // community ID/campaign number/person ID → Pledge
	bucketLedger    = "ledger"    // community ID/campaign number/sequence → LedgerLine
	bucketLLMUse    = "llmuse"    // community ID/month (2006-01) → language-model calls counted
	bucketQuestion  = "question"  // community ID/campaign number/question number → Question
	bucketFAQ       = "faq"       // community ID/campaign number/entry number → FAQEntry
	bucketFacil     = "facil"     // community ID → Facilitation (the weekly slot)
	bucketAway      = "away"      // community ID/person ID → Away
	bucketPrompt    = "prompt"    // community ID/sequence → Prompt (check-in questions asked)
	bucketMeeting   = "meeting"   // community ID/number → Meeting
	bucketFigures   = "figures"   // community ID/unix time → Figures (weekly impact record)
	// Polls and ballots (core/poll.go, core/ballot.go).
	bucketPoll         = "poll"       // community ID/number → Poll (its running tally apart, in bucketLive)
	bucketLive         = "live"       // community ID/number → tally.Live, the poll's running tally
	bucketPollResult   = "pollresult" // community ID/number → tally.Result, once closed
	bucketBallot       = "ballot"     // community ID/poll number/person ID → public ballot
	bucketVoter        = "voter"      // community ID/poll number/person ID → "1" (secret poll)
	bucketSecretBallot = "sballot"    // community ID/poll number/token → secret ballot
	bucketProxy        = "proxy"      // community ID/meeting number/giver person ID → Proxy
	// Direct messages waiting for their addressee to open a conversation (core/held.go).
	bucketHeld = "held" // hold (platform/user ID)/outbox sequence → "" (direct messages waiting)
	// Deliveries acknowledged and not handled yet (core/inbox.go).
	bucketInbox = "inbox" // platform/time/random → InboxItem
	// Public pages (core/publish.go).
	bucketSlug = "slug" // slug → community ID (a slug once taken stays its community's)
)

// Buckets lists every bucket the engine uses, for stores that create them up front
// and for copying a whole store.
var Buckets = []string{
	bucketSeq, bucketCommunity, bucketChat, bucketPerson, bucketIdent, bucketMember,
	bucketProject, bucketNews, bucketContact, bucketSearch, bucketEvent, bucketOutbox,
	bucketCoalesce, bucketMsgRef, bucketJob, bucketJobID, bucketCode, bucketButton,
	bucketDialog,
	bucketCampaign, bucketPledge, bucketLedger,
	bucketLLMUse, bucketQuestion, bucketFAQ,
	bucketFacil, bucketAway, bucketPrompt, bucketMeeting, bucketFigures,
	bucketPoll, bucketLive, bucketPollResult, bucketBallot, bucketVoter, bucketSecretBallot, bucketProxy,
	bucketHeld, bucketInbox, bucketSlug,
}

// pad renders n zero-padded to 12 digits for keys.
func pad(n uint64) string {
	s := strconv.FormatUint(n, 10)
	if len(s) >= 12 {
		return s
	}
	return "000000000000"[len(s):] + s
}

// key joins parts with slashes.
func key(parts ...string) string { return strings.Join(parts, "/") }

// getJSON reads the record at bucket/key into v. A missing key returns ErrNoKey.
func (tx *Tx) getJSON(bucket, k string, v any) error {
	raw, err := tx.kv.Get(bucket, k)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return Internal("decode "+bucket, err)
	}
	return nil
}

// putJSON writes v at bucket/key.
func (tx *Tx) putJSON(bucket, k string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return Internal("encode "+bucket, err)
	}
	return tx.kv.Put(bucket, k, raw)
}

// found reports whether err is nil, false for ErrNoKey, and passes other errors on.
func found(err error) (bool, error) {
	if err == nil {
		return true, nil
	}
	if errors.Is(err, ErrNoKey) {
		return false, nil
	}
	return false, err
}

// next increments the counter name and returns its new value (1 for the first).
func (tx *Tx) next(name string) (uint64, error) {
	var n uint64
	raw, err := tx.kv.Get(bucketSeq, name)
	if ok, err := found(err); err != nil {
		return 0, err
	} else if ok {
		n, err = strconv.ParseUint(string(raw), 10, 64)
		if err != nil {
			return 0, Internal("read counter", err)
		}
	}
	n++
	return n, tx.kv.Put(bucketSeq, name, []byte(strconv.FormatUint(n, 10)))
}

// scanJSON decodes each record under prefix into a fresh T and calls fn.
func scanJSON[T any](tx *Tx, bucket, prefix string, reverse bool, fn func(k string, v *T) error) error {
	return tx.kv.Scan(bucket, prefix, reverse, func(k string, raw []byte) error {
		v := new(T)
		if err := json.Unmarshal(raw, v); err != nil {
			return Internal("decode "+bucket, err)
		}
		return fn(k, v)
	})
}
