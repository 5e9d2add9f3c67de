// Package merge is the part of a prefix scan the stores share: it merges the
// committed records of a bucket with the writes a transaction has not committed yet,
// in byte order either way, a written value hiding the committed one and a deletion
// hiding it altogether. It owns no storage and imports only core.
package merge

import (
	"bytes"
	"errors"
	"slices"
	"strings"

	"github.com/engage-org/engage/core"
)

// Successor returns the smallest key greater than every key starting with prefix,
// or nil when there is none (empty prefix or all 0xff): the end of a prefix scan.
func Successor(prefix []byte) []byte {
	s := bytes.Clone(prefix)
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < 0xff {
			s[i]++
			return s[:i+1]
		}
	}
	return nil
}

// Keys returns the keys under prefix of the given write sets (bucket maps of key to
// value, nil for a deletion), once each, in scan order.
func Keys(prefix string, reverse bool, sets ...map[string][]byte) []string {
	var keys []string
	for _, set := range sets {
		for k := range set {
			if strings.HasPrefix(k, prefix) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if reverse {
		slices.Reverse(keys)
	}
	return keys
}

// Scan calls fn for every record of the scan: those next yields (the committed
// records under the prefix, in scan order; ok false at the end) and the written
// keys pending (from Keys), whose value lookup gives (nil for a deletion). A written
// key replaces the committed record of the same key. Returning core.ErrStop from fn
// ends the scan without error.
func Scan(pending []string, reverse bool, lookup func(key string) []byte,
	next func() (key string, value []byte, ok bool, err error), fn func(string, []byte) error) error {
	before := func(a, b string) bool { // a comes before b in scan order
		if reverse {
			return a > b
		}
		return a < b
	}
	emit := func(k string) error {
		if v := lookup(k); v != nil {
			return fn(k, v)
		}
		return nil
	}
	for {
		k, v, ok, err := next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		for len(pending) > 0 && before(pending[0], k) {
			if err := emit(pending[0]); err != nil {
				return stopped(err)
			}
			pending = pending[1:]
		}
		if len(pending) > 0 && pending[0] == k {
			pending = pending[1:]
			if err := emit(k); err != nil {
				return stopped(err)
			}
			continue
		}
		if err := fn(k, v); err != nil {
			return stopped(err)
		}
	}
	for _, k := range pending {
		if err := emit(k); err != nil {
			return stopped(err)
		}
	}
	return nil
}

func stopped(err error) error {
	if errors.Is(err, core.ErrStop) {
		return nil
	}
	return err
}
