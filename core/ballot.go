package core

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/engage-org/engage/core/tally"
)

// Ballots are kept in three buckets:
//
//   - ballot: a public poll's ballots, keyed community/poll/person: who chose what.
//   - voter: who voted in a secret poll, keyed community/poll/person, holding
//     nothing else.
//   - sballot: what a secret poll's voters chose, keyed community/poll/token, with
//     neither the person nor a time. The token is HMAC-SHA256 of the poll and the
//     person under the engine's ballot secret, which is configuration and never in
//     the store: with the store alone nobody can tell whose ballot a token is, while
//     the engine can find a member's ballot again to change it. Without a ballot
//     secret the token is random and a secret ballot is final.

// minBallotSecret is the shortest ballot secret accepted, in bytes.
const minBallotSecret = 16

// SetBallotSecret gives the engine the secret that keys secret ballots (see
// README, "Secret ballots"). It must be set before the engine is used, and stay the
// same across restarts and instances: ballots cast under another secret can no
// longer be changed. Returns CodeInvalid when the secret is shorter than 16 bytes.
func (e *Engine) SetBallotSecret(secret string) error {
	if len(secret) < minBallotSecret {
		return Errorf(CodeInvalid, "err.ballot_secret", "min", minBallotSecret)
	}
	e.ballotKey = []byte(secret)
	return nil
}

// ballotRecord is one stored ballot.
type ballotRecord struct {
	Values []int     `json:"v"`
	Jury   bool      `json:"j,omitempty"`
	At     time.Time `json:"at,omitzero"` // public ballots only
	// Weight is what the ballot counts for in a poll weighted by shares (0:
	// one ballot).
	Weight int `json:"w,omitempty"`
	// By is the proxy holder who cast the ballot for its voter (public
	// ballots only: a secret ballot records nothing of either).
	By PersonID `json:"by,omitempty"`
}

func (b *ballotRecord) tally() tally.Ballot {
	return tally.Ballot{Values: b.Values, Jury: b.Jury, Weight: b.Weight}
}

// VoteReceipt says what a cast ballot did.
type VoteReceipt struct {
	Changed bool // it replaced the member's earlier ballot
	Secret  bool // the poll is secret
	// Final: a secret ballot the engine cannot find again (no ballot secret is
	// configured): it cannot be changed.
	Final bool
	// Weight is what the ballot counts for in a poll weighted by shares (0
	// otherwise).
	Weight int
	// For is the member a proxy holder voted for ("" for one's own ballot).
	For PersonID
	// ReplacedProxy: the voter's own ballot replaced the one their proxy cast.
	ReplacedProxy bool
}

// BallotsChangeable reports whether a member may change their ballot in p while it
// is open: always in a public poll, in a secret one only when the engine has a
// ballot secret.
func (tx *Tx) BallotsChangeable(p *Poll) bool { return !p.Settings.Secret || tx.ballotKey != nil }

// ForgetAnswer asks the engine not to keep this transaction's answer under its event
// key: a redelivered event then changes nothing and gets no answer. Answers that
// show a secret ballot use it, so the store never links a member to a choice.
func (tx *Tx) ForgetAnswer() { tx.forgetAnswer = true }

func ballotKey(p *Poll, who string) string {
	return key(string(p.Community), pad(uint64(p.Num)), who)
}

// secretToken returns the key under which person's secret ballot in p is stored,
// and false when the engine has no ballot secret.
func (tx *Tx) secretToken(p *Poll, person PersonID) (string, bool) {
	if tx.ballotKey == nil {
		return "", false
	}
	mac := hmac.New(sha256.New, tx.ballotKey)
	mac.Write([]byte("engage ballot\x00" + string(p.Community) + "\x00" + strconv.Itoa(p.Num) + "\x00" + string(person)))
	return hex.EncodeToString(mac.Sum(nil)[:16]), true
}

// randomToken is a key no one can tie to anybody.
func randomToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", Internal("ballot token", err)
	}
	return hex.EncodeToString(b), nil
}

func (tx *Tx) getBallot(bucket, k string) (*ballotRecord, error) {
	b := new(ballotRecord)
	err := tx.getJSON(bucket, k, b)
	if ok, err := found(err); err != nil || !ok {
		return nil, err
	}
	return b, nil
}

func (tx *Tx) voted(p *Poll, person PersonID) (bool, error) {
	_, err := tx.kv.Get(bucketVoter, ballotKey(p, string(person)))
	return found(err)
}

// Vote casts actor's ballot in p, or replaces the ballot they cast before (from
// any of their linked accounts: a person has one ballot), and updates the running
// tally. values holds one value per option, as core/tally defines them for the
// method; a contest ballot counts for the jury when actor is on it. Returns
// CodeConflict when p is closed ("err.poll_closed") or when a secret ballot cannot
// be changed ("err.vote_final"), and CodeInvalid for a ballot the method refuses.
//
// A member outside p's electorate is refused (CodeForbidden, InElectorate). In a
// poll weighted by shares the ballot counts for the voter's shares when cast. A
// ballot cast in person replaces one cast by the voter's proxy.
func (tx *Tx) Vote(actor *Member, p *Poll, values []int) (*VoteReceipt, error) {
	if actor.Community != p.Community {
		return nil, Errorf(CodeNotFound, "err.no_poll", "id", p.ID())
	}
	if !p.Open() {
		return nil, Errorf(CodeConflict, "err.poll_closed", "id", p.ID())
	}
	return tx.cast(actor, actor, p, values)
}

// cast records voter's ballot in p, cast by actor (the voter, or their proxy).
func (tx *Tx) cast(actor, voter *Member, p *Poll, values []int) (*VoteReceipt, error) {
	if err := tx.InElectorate(p, voter); err != nil {
		return nil, err
	}
	weight, err := tx.ballotWeight(p, voter.Person)
	if err != nil {
		return nil, err
	}
	byProxy := actor.Person != voter.Person
	rec := &ballotRecord{Values: slices.Clone(values), Jury: p.Method == tally.Contest && p.IsJury(voter.Person), Weight: weight}
	if err := tally.Validate(p.BallotMethod(), len(p.Options), rec.tally(), p.TallySettings()); err != nil {
		return nil, ballotError(p, err)
	}
	if err := checkRanks(p, values); err != nil {
		return nil, err
	}
	if err := checkBudgetBallot(p, values); err != nil {
		return nil, err
	}
	rc := &VoteReceipt{Secret: p.Settings.Secret, Weight: weight}
	if byProxy {
		rc.For = voter.Person
	} else {
		proxied, err := tx.VotedByProxy(p, voter.Person)
		if err != nil {
			return nil, err
		}
		rc.ReplacedProxy = proxied
	}
	var old *ballotRecord
	if p.Settings.Secret {
		voted, err := tx.voted(p, voter.Person)
		if err != nil {
			return nil, err
		}
		tok, keyed := tx.secretToken(p, voter.Person)
		switch {
		case !keyed && voted:
			return nil, Errorf(CodeConflict, "err.vote_final", "id", p.ID())
		case !keyed:
			if tok, err = randomToken(); err != nil {
				return nil, err
			}
			rc.Final = true
		case voted:
			if old, err = tx.getBallot(bucketSecretBallot, ballotKey(p, tok)); err != nil {
				return nil, err
			} else if old == nil { // cast under another secret: it cannot be found
				return nil, Errorf(CodeConflict, "err.vote_final", "id", p.ID())
			}
		}
		if err := tx.putJSON(bucketSecretBallot, ballotKey(p, tok), rec); err != nil {
			return nil, err
		}
		mark := "1"
		if byProxy {
			mark = voterByProxy
		}
		if err := tx.kv.Put(bucketVoter, ballotKey(p, string(voter.Person)), []byte(mark)); err != nil {
			return nil, err
		}
	} else {
		var err error
		if old, err = tx.getBallot(bucketBallot, ballotKey(p, string(voter.Person))); err != nil {
			return nil, err
		}
		rec.At = tx.now
		if byProxy {
			rec.By = actor.Person
		}
		if err := tx.putJSON(bucketBallot, ballotKey(p, string(voter.Person)), rec); err != nil {
			return nil, err
		}
	}
	if old != nil {
		rc.Changed = true
		if err := p.Live.Remove(old.tally()); err != nil {
			return nil, Internal("running tally", err)
		}
	}
	if err := p.Live.Add(rec.tally()); err != nil {
		return nil, Internal("running tally", err)
	}
	return rc, tx.putLive(p)
}

// checkRanks refuses a ranked ballot with a rank beyond the number of options:
// tally reads only the order of ranks, but a member who typed rank 9 among three
// options meant something else than a first choice.
func checkRanks(p *Poll, values []int) error {
	if !Ranked(p.Method) {
		return nil
	}
	for _, v := range values {
		if v > len(p.Options) {
			return Errorf(CodeInvalid, "err.vote_rank", "rank", strconv.Itoa(v), "max", len(p.Options))
		}
	}
	return nil
}

// ballotError turns a ballot the method refuses into the member's message.
func ballotError(p *Poll, err error) error {
	var te *tally.Error
	if !errors.As(err, &te) {
		return Internal("validate ballot", err)
	}
	s := p.TallySettings()
	switch te.Problem {
	case tally.ProblemChoice:
		return Errorf(CodeInvalid, "err.vote_one", "id", p.ID())
	case tally.ProblemDots:
		return Errorf(CodeInvalid, "err.vote_dots", "id", p.ID(), "dots", s.Dots)
	case tally.ProblemEqualRanks:
		return Errorf(CodeInvalid, "err.vote_stv_equal", "id", p.ID())
	case tally.ProblemValue:
		switch p.BallotMethod() {
		case tally.Score:
			return Errorf(CodeInvalid, "err.vote_scale", "min", s.ScaleMin, "max", s.ScaleMax)
		case tally.Dot:
			return Errorf(CodeInvalid, "err.vote_dots", "id", p.ID(), "dots", s.Dots)
		}
	}
	return Errorf(CodeInvalid, "err.vote_invalid", "id", p.ID())
}

// MyBallot returns person's ballot in p (nil if they cast none), and whether they
// voted. A secret ballot the engine cannot find again (no ballot secret) is nil
// with voted true.
func (tx *Tx) MyBallot(person PersonID, p *Poll) (values []int, voted bool, err error) {
	if !p.Settings.Secret {
		b, err := tx.getBallot(bucketBallot, ballotKey(p, string(person)))
		if err != nil || b == nil {
			return nil, false, err
		}
		return b.Values, true, nil
	}
	if voted, err = tx.voted(p, person); err != nil || !voted {
		return nil, voted, err
	}
	tok, keyed := tx.secretToken(p, person)
	if !keyed {
		return nil, true, nil
	}
	b, err := tx.getBallot(bucketSecretBallot, ballotKey(p, tok))
	if err != nil || b == nil {
		return nil, true, err
	}
	return b.Values, true, nil
}

// pollBallots reads every ballot of p.
func (tx *Tx) pollBallots(p *Poll) ([]tally.Ballot, error) {
	bucket := bucketBallot
	if p.Settings.Secret {
		bucket = bucketSecretBallot
	}
	out := make([]tally.Ballot, 0, p.Ballots())
	err := tx.kv.Scan(bucket, pollKey(p.Community, p.Num)+"/", false, func(_ string, raw []byte) error {
		var b ballotRecord
		if err := json.Unmarshal(raw, &b); err != nil {
			return Internal("decode ballot", err)
		}
		out = append(out, b.tally())
		return nil
	})
	return out, err
}

// mergeBallots moves from's ballots in community c's open polls to into (two
// accounts of one person linked): when both voted, one ballot is kept, the latest
// cast in a public poll and into's in a secret one, and the running tally forgets
// the other. The jury and the polls' authors follow. Without a ballot secret, a
// secret poll where both voted keeps both ballots: nothing tells which is whose.
// Closed polls' ballots are never changed.
func (tx *Tx) mergeBallots(c CommunityID, from, into PersonID) error {
	if err := tx.rewriteProxies(c, from, into); err != nil {
		return err
	}
	polls, err := tx.Polls(c, false)
	if err != nil {
		return err
	}
	for _, p := range polls {
		if !p.Settings.Secret { // the ballots from cast as a proxy are into's
			if err := tx.rewriteProxyHolder(p, from, into); err != nil {
				return err
			}
		}
		changed := false
		if p.Author == from {
			p.Author, changed = into, true
		}
		if slices.Contains(p.Settings.Jury, from) {
			p.Settings.Jury, changed = replace(p.Settings.Jury, from, into), true
		}
		if p.Open() {
			moved, err := tx.mergePollBallots(p, from, into)
			if err != nil {
				return err
			}
			flipped, err := tx.fixJury(p, into)
			if err != nil {
				return err
			}
			changed = changed || moved || flipped
		}
		if changed {
			if err := tx.putPoll(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// mergePollBallots does mergeBallots for one open poll and reports whether its
// running tally changed.
func (tx *Tx) mergePollBallots(p *Poll, from, into PersonID) (bool, error) {
	var bucket, fromKey, intoKey string
	if p.Settings.Secret {
		fromVoted, err := tx.voted(p, from)
		if err != nil || !fromVoted {
			return false, err
		}
		if err := tx.kv.Delete(bucketVoter, ballotKey(p, string(from))); err != nil {
			return false, err
		}
		if err := tx.kv.Put(bucketVoter, ballotKey(p, string(into)), []byte("1")); err != nil {
			return false, err
		}
		ft, keyed := tx.secretToken(p, from)
		if !keyed {
			return false, nil
		}
		it, _ := tx.secretToken(p, into)
		bucket, fromKey, intoKey = bucketSecretBallot, ballotKey(p, ft), ballotKey(p, it)
	} else {
		bucket, fromKey, intoKey = bucketBallot, ballotKey(p, string(from)), ballotKey(p, string(into))
	}
	fb, err := tx.getBallot(bucket, fromKey)
	if err != nil || fb == nil {
		return false, err
	}
	ib, err := tx.getBallot(bucket, intoKey)
	if err != nil {
		return false, err
	}
	keep := fb
	if ib != nil {
		drop := fb
		if p.Settings.Secret || !fb.At.After(ib.At) {
			keep = ib
		} else {
			drop = ib
		}
		if err := p.Live.Remove(drop.tally()); err != nil {
			return false, Internal("running tally", err)
		}
	}
	if err := tx.kv.Delete(bucket, fromKey); err != nil {
		return false, err
	}
	return true, tx.putJSON(bucket, intoKey, keep)
}

// fixJury makes person's ballot in contest p count for the jury exactly when they
// are on it (their jury place may have come with a linked account).
func (tx *Tx) fixJury(p *Poll, person PersonID) (bool, error) {
	if p.Method != tally.Contest {
		return false, nil
	}
	bucket, k := bucketBallot, ballotKey(p, string(person))
	if p.Settings.Secret {
		tok, keyed := tx.secretToken(p, person)
		if !keyed {
			return false, nil
		}
		bucket, k = bucketSecretBallot, ballotKey(p, tok)
	}
	b, err := tx.getBallot(bucket, k)
	if err != nil || b == nil || b.Jury == p.IsJury(person) {
		return false, err
	}
	if err := p.Live.Remove(b.tally()); err != nil {
		return false, Internal("running tally", err)
	}
	b.Jury = !b.Jury
	if err := p.Live.Add(b.tally()); err != nil {
		return false, Internal("running tally", err)
	}
	return true, tx.putJSON(bucket, k, b)
}

// forgetBallots drops what community c's polls keep about person (/forgetme): in
// an open poll their ballot is withdrawn (a secret one only when the engine can
// find it) and they leave the jury; in a closed poll the counted ballot stays,
// without their name. Who voted in a secret poll is forgotten either way.
func (tx *Tx) forgetBallots(c CommunityID, person PersonID) error {
	if err := tx.rewriteProxies(c, person, ""); err != nil {
		return err
	}
	polls, err := tx.Polls(c, false)
	if err != nil {
		return err
	}
	for _, p := range polls {
		changed := false
		if p.Settings.Secret {
			voted, err := tx.voted(p, person)
			if err != nil {
				return err
			}
			if voted {
				if err := tx.kv.Delete(bucketVoter, ballotKey(p, string(person))); err != nil {
					return err
				}
				if tok, keyed := tx.secretToken(p, person); keyed && p.Open() {
					k := ballotKey(p, tok)
					if b, err := tx.getBallot(bucketSecretBallot, k); err != nil {
						return err
					} else if b != nil {
						if err := p.Live.Remove(b.tally()); err != nil {
							return Internal("running tally", err)
						}
						if err := tx.kv.Delete(bucketSecretBallot, k); err != nil {
							return err
						}
						changed = true
					}
				}
			}
		} else {
			if p.Meeting != "" { // ballots they cast for others as a proxy forget them
				if err := tx.forgetProxyHolder(p, person); err != nil {
					return err
				}
			}
			k := ballotKey(p, string(person))
			b, err := tx.getBallot(bucketBallot, k)
			if err != nil {
				return err
			}
			if b != nil {
				if err := tx.kv.Delete(bucketBallot, k); err != nil {
					return err
				}
				if p.Open() {
					if err := p.Live.Remove(b.tally()); err != nil {
						return Internal("running tally", err)
					}
					changed = true
				} else { // counted: keep it, unnamed
					tok, err := randomToken()
					if err != nil {
						return err
					}
					if err := tx.putJSON(bucketBallot, ballotKey(p, "~"+tok), &ballotRecord{Values: b.Values, Jury: b.Jury, Weight: b.Weight}); err != nil {
						return err
					}
				}
			}
		}
		if p.Open() && slices.Contains(p.Settings.Jury, person) {
			p.Settings.Jury = slices.DeleteFunc(p.Settings.Jury, func(id PersonID) bool { return id == person })
			changed = true
		}
		if changed {
			if err := tx.putPoll(p); err != nil {
				return err
			}
		}
	}
	return nil
}
