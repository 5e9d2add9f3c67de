package core

import "time"

// ClaimDigest records that community c's weekly digest is posted at `at`, unless
// one was already posted the same day in the community's zone: at most one digest a
// day, however it is triggered (the end of a check-in, /checkin now run twice,
// /digest). ok is false when one was already posted; posted is then when.
func (tx *Tx) ClaimDigest(c CommunityID, at time.Time) (posted time.Time, ok bool, err error) {
	f, posted, already, err := tx.digestOfDay(c, at)
	if err != nil || already {
		return posted, false, err
	}
	f.Digest, f.DigestIntro = at, ""
	return at, true, tx.putFacilitation(f)
}

// SetDigestIntro keeps the opening drafted for the digest community c claimed at
// `at` (ClaimDigest), for when it is rendered.
func (tx *Tx) SetDigestIntro(c CommunityID, at time.Time, intro string) error {
	f, err := tx.Facilitation(c)
	if err != nil {
		return err
	}
	if !f.Digest.Equal(at) {
		return nil // another digest since
	}
	f.DigestIntro = intro
	return tx.putFacilitation(f)
}

// DigestPosted reports whether community c's digest was already posted on the day
// of `at` (in its zone), and when.
func (tx *Tx) DigestPosted(c CommunityID, at time.Time) (time.Time, bool, error) {
	_, posted, already, err := tx.digestOfDay(c, at)
	return posted, already, err
}

func (tx *Tx) digestOfDay(c CommunityID, at time.Time) (f *Facilitation, posted time.Time, already bool, err error) {
	comm, err := tx.Community(c)
	if err != nil {
		return nil, time.Time{}, false, err
	}
	if f, err = tx.Facilitation(c); err != nil {
		return nil, time.Time{}, false, err
	}
	loc := comm.Location()
	if !f.Digest.IsZero() && sameDay(f.Digest.In(loc), at.In(loc)) {
		return f, f.Digest, true, nil
	}
	return f, time.Time{}, false, nil
}
