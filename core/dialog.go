package core

import (
	"crypto/sha256"
	"encoding/base32"
	"time"
)

// Dialog is a conversation the bot holds with one person by direct message, across
// several messages: the steps of a ranked ballot, the three check-in questions, a
// confirmation. A person has at most one open dialog; starting another replaces it.
type Dialog struct {
	Kind      string            `json:"kind"`
	Community CommunityID       `json:"community"`
	Ref       string            `json:"ref,omitempty"`
	Step      int               `json:"step"`
	Data      map[string]string `json:"data,omitempty"`
	Tries     int               `json:"tries,omitempty"`
	Started   time.Time         `json:"started"`
	Expires   time.Time         `json:"expires"`
}

// Dialog returns person's open dialog, or nil when none is open or it expired.
func (tx *Tx) Dialog(person PersonID) (*Dialog, error) {
	d := new(Dialog)
	err := tx.getJSON(bucketDialog, string(person), d)
	if ok, err := found(err); err != nil || !ok {
		return nil, err
	}
	if !d.Expires.IsZero() && !tx.now.Before(d.Expires) {
		return nil, nil
	}
	return d, nil
}

// SetDialog opens or updates person's dialog.
func (tx *Tx) SetDialog(person PersonID, d *Dialog) error {
	if d.Started.IsZero() {
		d.Started = tx.now
	}
	return tx.putJSON(bucketDialog, string(person), d)
}

// EndDialog closes person's dialog.
func (tx *Tx) EndDialog(person PersonID) error {
	return tx.kv.Delete(bucketDialog, string(person))
}

// ButtonToken returns a short token standing for command, for platforms whose
// button payloads are small (Telegram's 64 bytes): the adapter sends the token and
// the press resolves it back with ButtonCommand. The same command always gets the
// same token.
func (tx *Tx) ButtonToken(command string) (string, error) {
	sum := sha256.Sum256([]byte(command))
	tok := base32.StdEncoding.EncodeToString(sum[:10]) // 16 characters, 80 bits
	if _, err := tx.kv.Get(bucketButton, tok); err == nil {
		return tok, nil
	} else if _, err := found(err); err != nil {
		return "", err
	}
	return tok, tx.kv.Put(bucketButton, tok, []byte(command))
}

// ButtonCommand returns the command a button token stands for. Returns
// CodeNotFound ("err.stale_button") for an unknown token.
func (tx *Tx) ButtonCommand(token string) (string, error) {
	raw, err := tx.kv.Get(bucketButton, token)
	if ok, err := found(err); err != nil {
		return "", err
	} else if !ok {
		return "", Errorf(CodeNotFound, "err.stale_button")
	}
	return string(raw), nil
}
