package core

import (
	"strings"
	"sync"
)

// dataVersions counts the changes committed through one Engine, per community and
// for all (a person's display name shows in every community), so that a reader
// keeping rendered pages knows when the data they show may have changed. The count
// is the engine's own: changes another instance commits to a shared store are not
// seen, and a reader caching across instances bounds the age of what it keeps.
type dataVersions struct {
	mu  sync.Mutex
	all uint64
	per map[CommunityID]uint64
}

// DataVersion returns a number that changes whenever a change committed through
// this engine touched community c's records (its projects, polls, campaigns,
// pledges, ledger, meetings, members) or a person's record. Bookkeeping (the
// outbox, event keys, jobs, buttons, dialogs) does not change it.
func (e *Engine) DataVersion(c CommunityID) uint64 {
	v := &e.versions
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.all + v.per[c]
}

func (v *dataVersions) bump(w *watchKV) {
	if w == nil || (!w.all && len(w.touched) == 0) {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if w.all {
		v.all++
	}
	if v.per == nil {
		v.per = map[CommunityID]uint64{}
	}
	for c := range w.touched {
		v.per[c]++
	}
}

// communityBuckets are the buckets whose keys start with a community ID.
var communityBuckets = map[string]bool{
	bucketMember: true, bucketProject: true, bucketNews: true, bucketCampaign: true,
	bucketPledge: true, bucketLedger: true, bucketQuestion: true, bucketFAQ: true,
	bucketMeeting: true, bucketFigures: true, bucketPoll: true, bucketLive: true, bucketPollResult: true,
	bucketBallot: true, bucketVoter: true, bucketSecretBallot: true, bucketPrompt: true,
	bucketAway: true, bucketFacil: true, bucketContact: true,
}

// watchKV notes which communities a transaction writes to.
type watchKV struct {
	StoreTx
	touched map[CommunityID]bool
	all     bool
}

func (w *watchKV) note(bucket, k string) {
	switch {
	case bucket == bucketCommunity:
		w.touch(CommunityID(k))
	case bucket == bucketPerson:
		w.all = true
	case communityBuckets[bucket]:
		id, _, _ := strings.Cut(k, "/")
		w.touch(CommunityID(id))
	}
}

func (w *watchKV) touch(c CommunityID) {
	if w.touched == nil {
		w.touched = map[CommunityID]bool{}
	}
	w.touched[c] = true
}

func (w *watchKV) Put(bucket, k string, value []byte) error {
	w.note(bucket, k)
	return w.StoreTx.Put(bucket, k, value)
}

func (w *watchKV) Delete(bucket, k string) error {
	w.note(bucket, k)
	return w.StoreTx.Delete(bucket, k)
}
