package main

import (
	"context"
	"fmt"
)

// runMigrate is `engage migrate`: bring the PostgreSQL schema to this version of
// engage (`engage run` does it too at start; this is for doing it ahead, once).
func runMigrate(ctx context.Context, args []string, env Env) error {
	fs := flagSet("migrate", env)
	store := fs.String("store", "", "the store: postgres:DSN (default: store.dsn, $ENGAGE_STORE_DSN)")
	cfgFile := fs.String("config", "", "configuration file (default: $ENGAGE_CONFIG)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	cfg, err := LoadConfig(configPath(*cfgFile, env.Getenv), env.Getenv)
	if err != nil {
		return err
	}
	if *store != "" {
		sp, err := parseStoreSpec(*store, cfg)
		if err != nil {
			fmt.Fprintln(env.Stderr, "engage migrate: --store", err)
			return errUsage
		}
		sp.apply(&cfg)
	}
	if cfg.Store.Driver != "postgres" {
		fmt.Fprintln(env.Stdout, "store.driver is bolt: a bbolt file needs no migration (its buckets are made when it is opened)")
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	db, err := openPostgres(cfg.Store.DSN)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprint(env.Stdout, cliText("cli.migrate", cliMigrateText{Version: db.SchemaVersion(), Applied: db.Applied()}))
	return nil
}

// cliMigrateText is what the text cli.migrate shows.
type cliMigrateText struct {
	Version int
	Applied []int // the versions this run applied (none: the schema was up to date)
}
