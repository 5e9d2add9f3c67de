package core

// PersonByIdentity returns the person behind a platform account without creating or
// touching anything, for read-only lookups (an adapter completing an ID as it is
// typed). Returns CodeNotFound ("err.no_member") for an account never seen.
func (tx *Tx) PersonByIdentity(platform, userID string) (*Person, error) {
	raw, err := tx.kv.Get(bucketIdent, key(platform, userID))
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(CodeNotFound, "err.no_member")
	}
	return tx.Person(PersonID(raw))
}
