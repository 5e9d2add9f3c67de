package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/boltstore"
	"github.com/engage-org/engage/store/pgstore"
)

// openTimeout bounds connecting to PostgreSQL and migrating its schema at start.
const openTimeout = 30 * time.Second

// openPostgres opens the PostgreSQL store at dsn, applying the migrations it lacks.
func openPostgres(dsn string) (*pgstore.DB, error) {
	if dsn == "" {
		return nil, errors.New("store.driver postgres needs store.dsn (ENGAGE_STORE_DSN)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	return pgstore.Open(ctx, dsn, pgstore.Options{})
}

// storeSpec is a store named on the command line: bolt:FILE or postgres:DSN.
type storeSpec struct {
	Driver string // bolt or postgres
	Target string // the file or the DSN
}

// parseStoreSpec reads bolt:FILE or postgres:DSN (a bare postgres:// URL is a
// postgres DSN too). "postgres:" alone takes the DSN from store.dsn
// (ENGAGE_STORE_DSN), so that a password need not be on the command line.
func parseStoreSpec(s string, cfg Config) (storeSpec, error) {
	if strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") {
		return storeSpec{Driver: "postgres", Target: s}, nil
	}
	driver, target, ok := strings.Cut(s, ":")
	switch {
	case ok && driver == "bolt" && target != "":
		return storeSpec{Driver: "bolt", Target: target}, nil
	case ok && driver == "postgres":
		if target == "" {
			target = cfg.Store.DSN
		}
		if target == "" {
			return storeSpec{}, errors.New("postgres: without a DSN needs store.dsn (ENGAGE_STORE_DSN)")
		}
		return storeSpec{Driver: "postgres", Target: target}, nil
	}
	return storeSpec{}, fmt.Errorf("%q: want bolt:FILE or postgres:DSN", redact(s))
}

// apply makes the spec the configuration's store.
func (sp storeSpec) apply(cfg *Config) {
	cfg.Store.Driver = sp.Driver
	if sp.Driver == "bolt" {
		cfg.Store.Path = sp.Target
	} else {
		cfg.Store.DSN = sp.Target
	}
}

// String names the store without its credentials.
func (sp storeSpec) String() string { return sp.Driver + ":" + redact(sp.Target) }

// open opens the store; a bbolt file must exist unless create is set.
func (sp storeSpec) open(create bool) (core.Store, error) {
	if sp.Driver == "postgres" {
		return openPostgres(sp.Target)
	}
	if !create {
		if _, err := os.Stat(sp.Target); err != nil {
			return nil, fmt.Errorf("no database at %s", sp.Target)
		}
	}
	db, err := boltstore.Open(sp.Target, boltstore.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("%w (is another engage using %s?)", err, sp.Target)
	}
	return db, nil
}

// redact hides the password of a PostgreSQL URL or key=value DSN.
func redact(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		if at := strings.LastIndex(strings.SplitN(rest, "/", 2)[0], "@"); at >= 0 {
			if user, _, ok := strings.Cut(rest[:at], ":"); ok {
				return s[:i+3] + user + ":***" + rest[at:]
			}
		}
		return s
	}
	var out []string
	for _, f := range strings.Fields(s) {
		if k, _, ok := strings.Cut(f, "="); ok && strings.EqualFold(k, "password") {
			f = k + "=***"
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}
