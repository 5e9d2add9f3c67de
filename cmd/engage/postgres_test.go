package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/boltstore"
	"github.com/engage-org/engage/store/pgstore"
	"github.com/engage-org/engage/store/pgstore/pgtest"
)

// pgEnv is the environment that points engage at the PostgreSQL store dsn.
func pgEnv(dsn string) []string {
	return []string{"ENGAGE_STORE_DRIVER=postgres", "ENGAGE_STORE_DSN=" + dsn}
}

// Ensure the console scripts print the same chat on PostgreSQL as on bbolt (the
// golden files), and both stores export the same state.
func TestPostgres_ConsoleScripts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ script, lang, golden string }{
		{"first-week.txt", "en", "first-week.en.golden"},
		{"first-week.txt", "fr", "first-week.fr.golden"},
		{"premiere-semaine.txt", "fr", "premiere-semaine.golden"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			script, err := os.ReadFile(filepath.Join("..", "..", "examples", tc.script))
			if err != nil {
				t.Fatal(err)
			}
			dsn := pgtest.FreshDSN(t)
			// Attachments go to a folder of the test's (PostgreSQL has no file to put
			// them beside); the folders' paths are left out of the comparisons.
			files := filepath.Join(t.TempDir(), "pg-files")
			out, stderr, code := runEngage(t, string(script), pgEnv(dsn), "console", "--lang", tc.lang, "--now", "2026-12-07T09:00", "--files", files)
			if code != 0 || stderr != "" {
				t.Fatalf("postgres: exit %d, stderr %q", code, stderr)
			}
			want, err := os.ReadFile(filepath.Join("testdata", tc.golden))
			if err != nil {
				t.Fatal(err)
			}
			if filesNorm(out) != filesNorm(string(want)) {
				t.Errorf("output differs from %s:\n%s", tc.golden, diffLines(filesNorm(string(want)), filesNorm(out)))
			}
			db := filepath.Join(t.TempDir(), "s.db")
			boltOut, _, _ := runEngage(t, string(script), nil, "console", "--db", db, "--lang", tc.lang, "--now", "2026-12-07T09:00")
			if out, boltOut := filesNorm(out), filesNorm(boltOut); out != boltOut {
				t.Errorf("postgres and bbolt chats differ:\n%s", diffLines(boltOut, out))
			}
			pgExport, stderr, code := runEngage(t, "", pgEnv(dsn), "export")
			if code != 0 {
				t.Fatalf("export from postgres: exit %d, %s", code, stderr)
			}
			boltExport, _, _ := runEngage(t, "", nil, "export", "--db", db)
			if pgExport != boltExport || !strings.Contains(pgExport, `"id": "P1"`) {
				t.Errorf("exports differ:\n%s", diffLines(boltExport, pgExport))
			}
		})
	}
}

// filesNorm replaces the folder of each attachment the console wrote by FILES.
func filesNorm(s string) string {
	return filesPath.ReplaceAllString(s, "→ FILES/")
}

var filesPath = regexp.MustCompile(`→ \S*/`)

// Ensure engage copy moves a populated bbolt file to PostgreSQL with nothing lost:
// the exports are identical, a bucket the engine does not know is copied too, a
// second copy into the now full database is refused, and the way back works.
func TestPostgres_Copy(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile("../../examples/first-week.txt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	if _, _, code := runEngage(t, string(script), nil, "console", "--db", src, "--lang", "en", "--now", "2026-12-07T09:00"); code != 0 {
		t.Fatalf("console exit %d", code)
	}
	// A bucket from a newer engage, and keys a text column would refuse.
	bdb, err := boltstore.Open(src, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(t.Context(), func(tx core.StoreTx) error {
		return tx.Put("x-future", "k\xff\x00", []byte("v"))
	})
	if cerr := bdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	dsn := pgtest.FreshDSN(t)
	out, stderr, code := runEngage(t, "", nil, "copy", "--from", "bolt:"+src, "--to", "postgres:"+dsn)
	if code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("copy: exit %d, %q %q", code, out, stderr)
	}
	want, _, _ := runEngage(t, "", nil, "export", "--db", src)
	cfgFile := filepath.Join(dir, "engage.yaml")
	if err := os.WriteFile(cfgFile, []byte("store:\n  driver: postgres\n  dsn: \""+dsn+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"--store":  {"export", "--store", "postgres:" + dsn},
		"env":      {"export"},
		"--config": {"export", "--config", cfgFile},
	} {
		env := pgEnv(dsn)
		if name == "--config" {
			env = nil
		}
		got, stderr, code := runEngage(t, "", env, args...)
		if code != 0 || got != want {
			t.Errorf("export %s: exit %d %s\n%s", name, code, stderr, diffLines(want, got))
		}
	}
	pdb, err := pgstore.Open(t.Context(), dsn, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var v []byte
	err = pdb.View(t.Context(), func(tx core.StoreTx) error { v, err = tx.Get("x-future", "k\xff\x00"); return err })
	pdb.Close()
	if err != nil || string(v) != "v" {
		t.Fatalf("the unknown bucket: %q, %v", v, err)
	}
	// A second copy finds the database full and changes nothing.
	if _, stderr, code := runEngage(t, "", nil, "copy", "--from", "bolt:"+src, "--to", "postgres:"+dsn); code == 0 || !strings.Contains(stderr, "already holds") {
		t.Fatalf("second copy: exit %d, %q", code, stderr)
	}
	if got, _, _ := runEngage(t, "", pgEnv(dsn), "export"); got != want {
		t.Errorf("a refused copy changed the database:\n%s", diffLines(want, got))
	}
	// And back: PostgreSQL to a new bbolt file, given the DSN by the environment.
	back := filepath.Join(dir, "back.db")
	if out, stderr, code := runEngage(t, "", pgEnv(dsn), "copy", "--from", "postgres:", "--to", "bolt:"+back); code != 0 {
		t.Fatalf("copy back: exit %d, %q %q", code, out, stderr)
	}
	if got, _, _ := runEngage(t, "", nil, "export", "--db", back); got != want {
		t.Errorf("round trip:\n%s", diffLines(want, got))
	}
}

// Ensure bad copy and migrate command lines are refused with a reason.
func TestPostgres_CommandLines(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "x.db")
	for _, args := range [][]string{
		{"copy"},
		{"copy", "--from", "bolt:" + db},
		{"copy", "--from", "bolt:" + db, "--to", "mysql:x"},
		{"copy", "--from", "bolt:" + db, "--to", "bolt:" + db},
		{"copy", "--from", "bolt:" + db, "--to", "postgres:"}, // no DSN anywhere
		{"export", "--store", "nonsense"},
		{"migrate", "--store", "bolt"},
	} {
		if _, stderr, code := runEngage(t, "", nil, args...); code != 2 || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 and a reason", args, code, stderr)
		}
	}
	if _, stderr, code := runEngage(t, "", nil, "copy", "--from", "bolt:"+db, "--to", "bolt:"+db+"2"); code != 1 || !strings.Contains(stderr, "no database") {
		t.Errorf("copy from a missing file: exit %d, %q", code, stderr)
	}
	out, _, code := runEngage(t, "", nil, "migrate")
	if code != 0 || !strings.Contains(out, "bolt") {
		t.Errorf("migrate on bolt: exit %d, %q", code, out)
	}
	// The password of a DSN is not shown when the connection fails.
	_, stderr, code := runEngage(t, "", []string{"ENGAGE_STORE_DRIVER=postgres", "ENGAGE_STORE_DSN=postgres://u:s3cret@127.0.0.1:1/x?connect_timeout=2"}, "export")
	if code == 0 || strings.Contains(stderr, "s3cret") {
		t.Errorf("export from an unreachable server: exit %d, %q", code, stderr)
	}
}

// Ensure engage migrate applies the schema once and then finds it up to date.
func TestPostgres_Migrate(t *testing.T) {
	t.Parallel()
	dsn := pgtest.FreshDSN(t)
	out, stderr, code := runEngage(t, "", nil, "migrate", "--store", "postgres:"+dsn)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("schema at version %d (applied [1 2])", pgstore.LatestVersion())) {
		t.Fatalf("first: exit %d, %q %q", code, out, stderr)
	}
	out, _, code = runEngage(t, "", pgEnv(dsn), "migrate")
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("second: exit %d, %q", code, out)
	}
}

// Ensure store names printed by engage hide passwords.
func TestRedact(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"postgres://engage:pw@db:5432/engage?sslmode=require": "postgres://engage:***@db:5432/engage?sslmode=require",
		"postgres://engage@db/engage":                         "postgres://engage@db/engage",
		"postgresql://a:b:c@db/x":                             "postgresql://a:***@db/x",
		"host=db user=engage password=pw dbname=engage":       "host=db user=engage password=*** dbname=engage",
		"/var/lib/engage.db":                                  "/var/lib/engage.db",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// Fuzz the store names of the command line: any input is either refused or read as
// a bbolt file or a PostgreSQL DSN, and what engage prints of it never holds the
// password of a URL.
func FuzzStoreSpec(f *testing.F) {
	for _, s := range []string{
		"bolt:/tmp/x.db", "postgres:", "postgres:postgres://u:pw@h/db", "postgresql://u:pw@h:5432/db?sslmode=require",
		"postgres:host=h password=pw dbname=d", "bolt:", "mysql:x", "", ":", "postgres://u:p@ss@h/db", "postgres://h/db",
	} {
		f.Add(s)
	}
	cfg := DefaultConfig()
	cfg.Store.DSN = "postgres://env@h/db"
	f.Fuzz(func(t *testing.T, s string) {
		// A URL's password never shows in what engage prints of it.
		if u, err := url.Parse(s); err == nil && u.User != nil && strings.Contains(s, "://") {
			if pw, ok := u.User.Password(); ok && len(pw) >= 3 && strings.Contains(redact(s), ":"+pw+"@") {
				t.Fatalf("redact(%q) = %q shows the password", s, redact(s))
			}
		}
		sp, err := parseStoreSpec(s, cfg)
		if err != nil {
			return
		}
		if (sp.Driver != "bolt" && sp.Driver != "postgres") || sp.Target == "" {
			t.Fatalf("%q read as %+v", s, sp)
		}
		u, err := url.Parse(sp.Target)
		if err != nil || u.User == nil {
			return
		}
		if pw, ok := u.User.Password(); ok && len(pw) >= 3 && strings.Contains(sp.String(), ":"+pw+"@") {
			t.Fatalf("%q printed as %q shows the password", s, sp.String())
		}
	})
}
