package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/boltstore"
)

// runExport is `engage export --db FILE`: the whole state as JSON on stdout (or a
// CSV with --csv, or an STV poll's ballots as BLT with --blt V1).
func runExport(ctx context.Context, args []string, env Env) error {
	fs := flagSet("export", env)
	db := fs.String("db", "", "the bbolt database file (default: store.path)")
	store := fs.String("store", "", "the store: bolt:FILE or postgres:DSN (default: store.driver and its settings)")
	cfgFile := fs.String("config", "", "configuration file (default: $ENGAGE_CONFIG)")
	csvOf := fs.String("csv", "", "print a CSV instead of JSON: pledges or schedules")
	blt := fs.String("blt", "", "print closed STV poll `V1`'s ballots as a BLT file (no voter names)")
	pbOf := fs.String("pb", "", "print closed budget poll V1 as a Pabulib file (no voter names)")
	community := fs.String("community", "", "with --blt or --pb: the community (name or ID) holding the poll")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *blt != "" && *csvOf != "" {
		fmt.Fprintln(env.Stderr, "engage export: --blt and --csv do not go together")
		return errUsage
	}
	if *csvOf != "" && *csvOf != "pledges" && *csvOf != "schedules" {
		fmt.Fprint(env.Stderr, cliText("cli.bad_flag", cliFlagText{Cmd: "export", Flag: "--csv", Value: *csvOf}))
		return errUsage
	}
	cfg, err := LoadConfig(configPath(*cfgFile, env.Getenv), env.Getenv)
	if err != nil {
		return err
	}
	if *db != "" {
		cfg.Store.Driver, cfg.Store.Path = "bolt", *db
	}
	if *store != "" {
		sp, err := parseStoreSpec(*store, cfg)
		if err != nil {
			fmt.Fprintln(env.Stderr, "engage export: --store", err)
			return errUsage
		}
		sp.apply(&cfg)
	}
	if cfg.Store.Driver == "bolt" || cfg.Store.Driver == "" {
		if _, err := os.Stat(cfg.Store.Path); err != nil {
			return fmt.Errorf("no database at %s", cfg.Store.Path)
		}
	}
	a, err := openApp(cfg, time.Now, newLogger(LogConfig{Level: "error"}, env.Stderr), nil)
	if err != nil {
		return err
	}
	defer a.Close()
	if *csvOf != "" {
		return exportCSV(ctx, a.eng, *csvOf, env.Stdout)
	}
	if *blt != "" {
		return exportBLT(ctx, a.eng, *blt, *community, env.Stdout)
	}
	if *pbOf != "" {
		return exportPB(ctx, a.eng, *pbOf, *community, env.Stdout)
	}
	var snap *core.Snapshot
	if err := a.eng.View(ctx, func(tx *core.Tx) error {
		snap, err = tx.Snapshot()
		return err
	}); err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(snap)
}

// runBackup is `engage backup`: a consistent copy of the bbolt file, either of a
// file no process holds (--db) or from a running service (--url, its /backup).
func runBackup(ctx context.Context, args []string, env Env) error {
	fs := flagSet("backup", env)
	db := fs.String("db", "", "the bbolt database file, when no engage is running on it")
	url := fs.String("url", "", "the running service's backup address, http://127.0.0.1:8080/backup")
	out := fs.String("out", "", "where to write the copy (required)")
	force := fs.Bool("force", false, "overwrite --out if it exists")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *out == "" || (*db == "") == (*url == "") {
		fmt.Fprintln(env.Stderr, "engage backup: give --out and one of --db or --url")
		return errUsage
	}
	if err := refuseOverwrite(*out, *force); err != nil {
		return err
	}
	tmp := *out + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	defer os.Remove(tmp)
	var n int64
	if *db != "" {
		n, err = backupFile(*db, f)
	} else {
		n, err = backupURL(ctx, *url, env.Getenv("ENGAGE_HTTP_ADMIN_TOKEN"), f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := refuseOverwrite(*out, *force); err != nil { // made meanwhile
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(env.Stdout, "%s: %d bytes\n", *out, n)
	return nil
}

// refuseOverwrite refuses to replace an existing file at path unless force.
func refuseOverwrite(path string, force bool) error {
	if force {
		return nil
	}
	if _, err := os.Lstat(path); err == nil {
		return errors.New(strings.TrimSpace(cliText("cli.exists", cliExistsText{Path: path})))
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("check %s: %w", path, err)
	}
	return nil
}

func backupFile(path string, w io.Writer) (int64, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, fmt.Errorf("no database at %s", path)
	}
	db, err := boltstore.Open(path, boltstore.Options{Timeout: time.Second})
	if err != nil {
		return 0, fmt.Errorf("%w (a running engage holds it: use --url)", err)
	}
	defer db.Close()
	return db.Backup(w)
}

func backupURL(ctx context.Context, url, token string, w io.Writer) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("get %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("get %s: %s", url, resp.Status)
	}
	return io.Copy(w, resp.Body)
}

// cliExistsText is what the text cli.exists shows.
type cliExistsText struct {
	Path string
}
