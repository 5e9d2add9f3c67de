package core

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// eraseTraces cleans the records that hold a forgotten person's identifiers as
// data rather than under their person ID: event records (an answer naming them is
// dropped, the key kept for deduplication; a key an earlier version stored in
// clear is moved to its digest), messages waiting in the outbox that name them
// (not sent: they are addressed to them or about them), and message references
// of their direct conversations, and the name a collect was typed as coming
// from. needles are their name, platform user IDs,
// handles, display names, and the e-mail and phone of their tracking-sheet
// entries; a needle matches as a whole word, whatever the case.
func (tx *Tx) eraseTraces(p *Person, needles []string) error {
	var ns [][]byte
	for _, n := range needles {
		n = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(n), "@"))
		if n != "" {
			ns = append(ns, bytes.ToLower([]byte(n)))
		}
	}
	for _, c := range p.Communities {
		if err := tx.forgetLedger(c, p.ID, ns); err != nil {
			return err
		}
	}
	if len(ns) == 0 {
		return nil
	}
	var events, refs []string
	var seqs []uint64
	err := tx.kv.Scan(bucketEvent, "", false, func(k string, v []byte) error {
		var rec eventRecord
		if json.Unmarshal(v, &rec) != nil || mentions([]byte(k), ns) || mentions(rec.Answer, ns) {
			events = append(events, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = scanJSON(tx, bucketOutbox, "", false, func(_ string, it *OutboxItem) error {
		if mentions(it.Payload, ns) || mentions([]byte(it.Hold), ns) {
			seqs = append(seqs, it.Seq)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.kv.Scan(bucketMsgRef, "", false, func(k string, _ []byte) error {
		if mentions([]byte(k), ns) {
			refs = append(refs, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range events {
		if err := tx.trimEvent(k, nil); err != nil {
			return err
		}
	}
	for _, seq := range seqs {
		if err := tx.OutboxSent(seq); err != nil {
			return err
		}
	}
	for _, k := range refs {
		if err := tx.kv.Delete(bucketMsgRef, k); err != nil {
			return err
		}
	}
	return nil
}

// forgetLedger removes person p's name from the money lines of community c that
// say a collect came from them (by their person, or by a name typed that is
// theirs): the amounts stay, for the accounts.
func (tx *Tx) forgetLedger(c CommunityID, p PersonID, ns [][]byte) error {
	lines := map[string]*LedgerLine{}
	err := scanJSON(tx, bucketLedger, string(c)+"/", false, func(k string, l *LedgerLine) error {
		if l.From != "" && (l.FromPerson == p || mentions([]byte(l.From), ns)) {
			l.From = ""
			lines[k] = l
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, l := range lines {
		if err := tx.putJSON(bucketLedger, k, l); err != nil {
			return err
		}
	}
	return nil
}

// dropHeld deletes the direct messages held for the account hold (see HoldKey).
func (tx *Tx) dropHeld(hold string) error {
	var seqs []string
	err := tx.kv.Scan(bucketHeld, hold+"/", false, func(k string, _ []byte) error {
		seqs = append(seqs, strings.TrimPrefix(k, hold+"/"))
		return nil
	})
	if err != nil {
		return err
	}
	for _, seq := range seqs {
		if err := tx.kv.Delete(bucketHeld, key(hold, seq)); err != nil {
			return err
		}
		if err := tx.kv.Delete(bucketOutbox, seq); err != nil {
			return err
		}
	}
	return nil
}

// mentions reports whether hay holds one of needles (lower case) as a whole word,
// whatever the case: with no letter or digit just before or after it.
func mentions(hay []byte, needles [][]byte) bool {
	if len(hay) == 0 {
		return false
	}
	low := bytes.ToLower(hay)
	for _, n := range needles {
		for off := 0; off < len(low); {
			i := bytes.Index(low[off:], n)
			if i < 0 {
				break
			}
			i += off
			before, _ := utf8.DecodeLastRune(low[:i])
			after, _ := utf8.DecodeRune(low[i+len(n):])
			if !wordRune(before) && !wordRune(after) {
				return true
			}
			off = i + 1
		}
	}
	return false
}

func wordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
