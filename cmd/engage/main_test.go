package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// engageBin is the engage binary built once for the tests that run it as a process.
var engageBin string

func TestMain(m *testing.M) {
	if os.Getenv("ENGAGE_CRASH_HELPER") == "1" {
		os.Exit(crashHelper())
	}
	flag.Parse()
	os.Setenv("ENGAGE_LANG", "en") // the command line speaks the operator's language: English here
	// The tests of this package mostly wait: on the platforms' pacing, enforced by
	// the fakes, and on processes they start. They run side by side (each has its
	// own database, fake servers and ports), more of them than there are cores,
	// unless -parallel says otherwise.
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		flag.Set("test.parallel", "8")
	}
	dir, err := os.MkdirTemp("", "engage-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	engageBin = filepath.Join(dir, "engage")
	if out, err := exec.Command("go", "build", "-o", engageBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build engage: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runEngage runs the engage binary with args and stdin, and returns its standard
// output, standard error and exit code.
func runEngage(t *testing.T, stdin string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), engageBin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}, env...)
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// golden compares got with testdata/name, or rewrites it with -update. The test's
// temporary folders (attachment paths) are written $TMP.
func golden(t *testing.T, name, got string) {
	t.Helper()
	got = strings.ReplaceAll(got, filepath.Dir(t.TempDir()), "$TMP")
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", path, diffLines(string(want), got))
	}
}

// diffLines shows the first lines where want and got differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

// Ensure the first-week script runs in a subprocess and prints the expected chat, in
// English and in French.
func TestConsole_FirstWeek(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile("../../examples/first-week.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "week.db")
			out, stderr, code := runEngage(t, string(script), nil, "console", "--db", db, "--lang", lang, "--now", "2026-12-07T09:00")
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			golden(t, "first-week."+lang+".golden", out)
			// The state the chat built is in the export.
			exp, _, code := runEngage(t, "", nil, "export", "--db", db)
			if code != 0 {
				t.Fatalf("export exit %d", code)
			}
			for _, want := range []string{`"name": "Les Jardins du Quartier"`, `"id": "P2"`, `"followers": 2`, `"text": "Find a room for the first workshop"`} {
				if !strings.Contains(exp, want) {
					t.Errorf("export lacks %s", want)
				}
			}
		})
	}
}

// Ensure the French script, typed with the French aliases, runs as written.
func TestConsole_PremiereSemaine(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile("../../examples/premiere-semaine.txt")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "semaine.db")
	out, stderr, code := runEngage(t, string(script), nil, "console", "--db", db, "--lang", "fr", "--now", "2026-12-07T09:00")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	golden(t, "premiere-semaine.golden", out)
	for _, refusal := range []string{"Je ne connais pas", "Il manque", "n'est pas un", "Seuls les"} {
		if strings.Contains(out, refusal) {
			t.Errorf("a line of the script was refused (%q):\n%s", refusal, out)
		}
	}
}

// Ensure the demo loads once, in the language asked (French names in French, English
// ones in English, every line accepted), and a second run says the community is
// there already and loads nothing.
func TestConsole_Demo(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang   string
		want   []string
		loaded string
	}{
		{"fr", []string{"P1 Jardin partagé", "P2 Repair café", "C1 Un bac de plus", "Projets :"}, "Communauté de démonstration chargée"},
		{"en", []string{"P1 Shared garden", "P2 Repair café", "C1 One more planter", "Projects:"}, "Demo community loaded"},
	} {
		db := filepath.Join(t.TempDir(), "demo-"+tt.lang+".db")
		out, stderr, code := runEngage(t, "alice: /projects\nalice: /campaigns\nalice: /poll V1\n", nil, "console", "--demo", "--db", db, "--lang", tt.lang)
		if code != 0 || stderr != "" {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		for _, w := range append(tt.want, tt.loaded, "2 ") {
			if !strings.Contains(out, w) {
				t.Fatalf("%s: %q missing:\n%s", tt.lang, w, out)
			}
		}
		if tt.lang == "en" && strings.Contains(out, "Jardin") {
			t.Fatalf("en: French names in the English demo:\n%s", out)
		}
		again, _, _ := runEngage(t, "alice: /projects\n", nil, "console", "--demo", "--db", db, "--lang", tt.lang)
		if strings.Contains(again, "P3") || strings.Contains(again, tt.loaded) ||
			!strings.Contains(again, map[string]string{"fr": "a déjà une communauté", "en": "already has a community"}[tt.lang]) {
			t.Fatalf("%s: second --demo:\n%s", tt.lang, again)
		}
	}
}

// Ensure the console writes every attachment to the --files folder (by default
// DB-files beside the database) and prints its path; a second, different file of the
// same name does not overwrite the first.
func TestConsole_Files(t *testing.T) {
	script := "alice: /community create Club lang en\nalice: /poll new single Lunch? | Pizza | Salad\nbob: /vote V1 Pizza\nalice: /poll V1 close\n" +
		"alice: /poll new single Dinner? | Soup | Pie | Cake\nbob: /vote V2 Pie\nalice: /poll V2 close\n"
	dir := t.TempDir()
	db := filepath.Join(dir, "club.db")
	out, stderr, code := runEngage(t, script, nil, "console", "--db", db, "--now", "2026-12-01T09:00")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, name := range []string{"V1.png", "V2.png"} {
		path := filepath.Join(dir, "club-files", name)
		if !strings.Contains(out, "📎 "+name+" (image/png, ") || !strings.Contains(out, "→ "+path+"\n") {
			t.Fatalf("%s: path not printed:\n%s", name, out)
		}
		if b, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Fatalf("%s: %v, %d bytes", path, err, len(b))
		}
	}
	files := filepath.Join(t.TempDir(), "attachments")
	db2 := filepath.Join(t.TempDir(), "club.db")
	runEngage(t, script, nil, "console", "--db", db2, "--files", files, "--now", "2026-12-01T09:00")
	other := strings.ReplaceAll(script, "bob: /vote V1 Pizza", "bob: /vote V1 Salad")
	out, _, _ = runEngage(t, other, nil, "console", "--db", filepath.Join(t.TempDir(), "again.db"), "--files", files, "--now", "2026-12-01T09:00")
	if !strings.Contains(out, "→ "+filepath.Join(files, "V1-2.png")) || !strings.Contains(out, "→ "+filepath.Join(files, "V2.png")+"\n") {
		t.Fatalf("a different V1.png must not overwrite the first, the same V2.png is the same file:\n%s", out)
	}
}

// Ensure engage backup refuses to overwrite an existing file without --force, and
// overwrites it with --force.
func TestBackup_Overwrite(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "b.db")
	runEngage(t, "alice: /community create Club\n", nil, "console", "--db", db, "--now", "2026-12-01T09:00")
	out := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(out, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runEngage(t, "", nil, "backup", "--db", db, "--out", out)
	if b, _ := os.ReadFile(out); code == 0 || string(b) != "precious" || !strings.Contains(stderr, "--force") {
		t.Fatalf("without --force: exit %d, stderr %q, file %q", code, stderr, b)
	}
	if _, stderr, code := runEngage(t, "", nil, "backup", "--db", db, "--out", out, "--force"); code != 0 {
		t.Fatalf("--force: exit %d, %s", code, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) == "precious" {
		t.Fatal("--force did not overwrite")
	}
	if _, stderr, code := runEngage(t, "", nil, "backup", "--db", db, "--out", filepath.Join(dir, "new.db")); code != 0 {
		t.Fatalf("new file: exit %d, %s", code, stderr)
	}
}

// Ensure the console exits 0 at the end of input even when commands were refused, and
// non-zero when it cannot run.
func TestConsole_ExitCodes(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "x.db")
	if _, _, code := runEngage(t, "bob: /frobnicate\n\xff\xfe\nbob [7]\n:clock nonsense\n", nil, "console", "--db", db); code != 0 {
		t.Fatalf("refusals: exit %d, want 0", code)
	}
	for _, args := range [][]string{
		{"console", "--db", db, "--lang", "de"},
		{"console", "--db", db, "--now", "yesterday"},
		{"console", "--bogus"},
		{"console", "--db", filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")},
		{"frobnicate"},
	} {
		if _, _, code := runEngage(t, "", nil, args...); code == 0 {
			t.Errorf("%q: exit 0, want non-zero", args)
		}
	}
	// A database that is not a bbolt file.
	bad := filepath.Join(t.TempDir(), "bad.db")
	if err := os.WriteFile(bad, []byte("not a database at all, not at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, code := runEngage(t, "", nil, "console", "--db", bad); code == 0 {
		t.Error("unreadable database: exit 0")
	}
}

// Ensure lines without a name come from the last named member, and :clock fires in
// order.
func TestConsole_Lines(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "l.db")
	script := "/community create Club lang en\n/project new Garden\nbob: hi\n/follow P1\nyou: /nextstep P1 Dig by 2026-12-03\n:clock +1d\nbob> /me\n/projects\n"
	out, stderr, code := runEngage(t, script, nil, "console", "--db", db, "--now", "2026-12-01T09:00")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
	for _, want := range []string{
		"you is its admin",         // a first line without a name is "you"
		"[dm bob] 🔔 You follow P1", // "/follow P1" came from bob, the last named
		"[dm bob] ➡️ P1 Garden has a new next step: Dig, by Thursday 3 December 2026.",
		"[dm bob] bob — language", // bob> /me privately
		"[dm bob] Projects:",      // and the next unnamed line stays private
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// Ensure export prints valid JSON of an empty database and refuses a missing one.
func TestExport(t *testing.T) {
	t.Parallel()
	if _, _, code := runEngage(t, "", nil, "export", "--db", filepath.Join(t.TempDir(), "none.db")); code == 0 {
		t.Error("export of a missing file: exit 0")
	}
	out, _, code := Main2(t, []string{"version"})
	if code != 0 || !strings.HasPrefix(out, "engage ") {
		t.Errorf("version: %q, %d", out, code)
	}
}

// Main2 runs Main in-process.
func Main2(t *testing.T, args []string) (string, string, int) {
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &out, &errb, func(string) string { return "" })
	return out.String(), errb.String(), code
}
