package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/engage-org/engage/core"
)

// runMain runs the command line and returns its exit code and outputs.
func runCountCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

const wardBLT = "../../core/tally/testdata/stv/midlothian_2017_ward6.blt"

// Ensure `engage count FILE.blt --json` prints the count of a published ward
// (Midlothian South 2017: quota 1,238; Muirhead, Johnstone, Munro) in the
// documented shape, with flags before or after the file.
func TestCount_BLTJSON(t *testing.T) {
	for _, args := range [][]string{{"count", wardBLT, "--json"}, {"count", "--json", wardBLT}, {"count", "--method", "scottish", "--json", wardBLT}} {
		code, out, errs := runCountCLI(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		for _, k := range []string{"method", "seats", "ballots", "quota", "elected", "excluded", "stages", "tied"} {
			if _, ok := got[k]; !ok {
				t.Errorf("%v: no %q in %s", args, k, out)
			}
		}
		var r struct {
			Method  string   `json:"method"`
			Seats   int      `json:"seats"`
			Ballots int      `json:"ballots"`
			Quota   string   `json:"quota"`
			Elected []string `json:"elected"`
			Tied    []string `json:"tied"`
			Stages  []struct {
				Stage           int               `json:"stage"`
				Action          string            `json:"action"`
				Candidates      []string          `json:"candidates"`
				Votes           map[string]string `json:"votes"`
				NonTransferable string            `json:"non_transferable"`
			} `json:"stages"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		if r.Method != "scottish" || r.Seats != 3 || r.Ballots != 4949 || r.Quota != "1238.00000" {
			t.Errorf("%v: got method %s seats %d ballots %d quota %s", args, r.Method, r.Seats, r.Ballots, r.Quota)
		}
		if want := []string{"Jim MUIRHEAD (Lab)", "Cath JOHNSTONE (SNP)", "Kieran MUNRO (C)"}; !slices.Equal(r.Elected, want) {
			t.Errorf("%v: elected %q, want %q", args, r.Elected, want)
		}
		if r.Tied == nil || len(r.Tied) != 0 {
			t.Errorf("%v: tied %v, want []", args, r.Tied)
		}
		if len(r.Stages) != 7 || r.Stages[1].Action != "excluded" || !slices.Equal(r.Stages[1].Candidates, []string{"Malcolm SPAVEN (Grn)"}) {
			t.Fatalf("%v: stages %+v", args, r.Stages)
		}
		if v := r.Stages[2].Votes["Cath JOHNSTONE (SNP)"]; v != "1104.90660" {
			t.Errorf("%v: Johnstone at stage 3: %s, want 1104.90660", args, v)
		}
	}
}

// Ensure Meek writes 9 decimals and the human output is the stage table.
func TestCount_BLTMeekAndTable(t *testing.T) {
	code, out, errs := runCountCLI(t, "count", wardBLT, "--method", "meek", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Quota   string   `json:"quota"`
		Elected []string `json:"elected"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if i := strings.IndexByte(r.Quota, '.'); i < 0 || len(r.Quota)-i-1 != 9 || len(r.Elected) != 3 {
		t.Errorf("meek: quota %q, elected %q", r.Quota, r.Elected)
	}
	code, out, errs = runCountCLI(t, "count", wardBLT)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"quota 1238.00000", "1104.90660", "Stage 2: Malcolm SPAVEN (Grn) excluded; elected: Jim MUIRHEAD (Lab)", "Elected, in order: Jim MUIRHEAD (Lab), Cath JOHNSTONE (SNP), Kieran MUNRO (C)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// Ensure bad command lines and malformed files are refused with the line and
// what was expected.
func TestCount_BadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.blt")
	if err := os.WriteFile(bad, []byte("3 1\n2 1 4 0\n0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"count"}, 2, "Usage: engage count"},
		{[]string{"count", wardBLT, "--method", "droop"}, 2, "scottish or meek"},
		{[]string{"count", "ballots.txt"}, 2, "cannot count a .txt file"},
		{[]string{"count", wardBLT, wardBLT}, 2, "one file"},
		{[]string{"count", bad}, 1, "line 2: want candidate numbers 1..3"},
		{[]string{"count", wardBLT, "--lots", "x"}, 2, "whole number"},
	}
	for _, c := range cases {
		code, _, errs := runCountCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
}

// Ensure `engage export --blt V1` writes a closed STV poll's ballots without
// voter names, and that `engage count` of that file elects whom the poll
// elected, with the same quota.
func TestCount_ExportBLT(t *testing.T) {
	var b strings.Builder
	b.WriteString("alice: /community create Club lang en\n")
	b.WriteString("alice: /poll new stv Board? | Ana | Ben | Chloé | Dan seats 2\n")
	ballots := []string{"Ana > Chloé", "Ana > Chloé > Ben", "Ana", "Ana > Dan", "Chloé", "Chloé > Ana", "Ben > Chloé", "Dan > Ben", "Ben"}
	for i, v := range ballots {
		fmt.Fprintf(&b, "voter%d: /vote V1 %s\n", i+1, v)
	}
	b.WriteString("alice: /poll V1 close\n")
	db := filepath.Join(t.TempDir(), "stv.db")
	engage(t, b.String(), "console", "--db", db, "--lang", "en", "--now", "2026-12-01T09:00")

	var snap core.Snapshot
	if err := json.Unmarshal([]byte(engage(t, "", "export", "--db", db)), &snap); err != nil {
		t.Fatal(err)
	}
	poll := snap.Communities[0].Polls[0]
	if poll.Result == nil || len(poll.Result.Elected) != 2 {
		t.Fatalf("export result: %+v", poll.Result)
	}
	blt := engage(t, "", "export", "--db", db, "--blt", "V1")
	if strings.Contains(blt, "voter") || strings.Contains(blt, "alice") {
		t.Fatalf("the BLT file names voters:\n%s", blt)
	}
	if !strings.HasPrefix(blt, "4 2\n") || !strings.Contains(blt, "\"Chloé\"\n") || !strings.HasSuffix(blt, "\"Board?\"\n") {
		t.Fatalf("BLT file:\n%s", blt)
	}
	file := filepath.Join(t.TempDir(), "v1.blt")
	if err := os.WriteFile(file, []byte(blt), 0o600); err != nil {
		t.Fatal(err)
	}
	var r struct {
		Ballots int      `json:"ballots"`
		Quota   string   `json:"quota"`
		Elected []string `json:"elected"`
	}
	if err := json.Unmarshal([]byte(engage(t, "", "count", file, "--json")), &r); err != nil {
		t.Fatal(err)
	}
	if r.Ballots != len(ballots) || r.Quota != poll.Result.Quota || !slices.Equal(r.Elected, poll.Result.Elected) {
		t.Errorf("recount: %d ballots, quota %s, elected %q; poll: quota %s, elected %q", r.Ballots, r.Quota, r.Elected, poll.Result.Quota, poll.Result.Elected)
	}
	// A missing poll is refused.
	for _, args := range [][]string{{"--blt", "V9"}} {
		_, stderr, code := runEngage(t, "", nil, append([]string{"export", "--db", db}, args...)...)
		if code == 0 || !strings.Contains(stderr, "no poll V9") {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
}

// Ensure the command line speaks the operator's language: ENGAGE_LANG, else the
// locale's, else English; and that its French texts are French.
func TestCLILang(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "en"},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, "fr"},
		{map[string]string{"LANG": "fr"}, "fr"},
		{map[string]string{"LANG": "de_DE.UTF-8"}, "en"},
		{map[string]string{"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"},
		{map[string]string{"LC_MESSAGES": "fr_CA.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"},
		{map[string]string{"ENGAGE_LANG": "en", "LANG": "fr_FR.UTF-8"}, "en"},
		{map[string]string{"ENGAGE_LANG": "fr"}, "fr"},
		{map[string]string{"LANG": "french"}, "en"},
	} {
		if got := cliLang(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("cliLang(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
	en, fr := cliTextIn("en", "cli.count.usage", nil), cliTextIn("fr", "cli.count.usage", nil)
	if en == fr || !strings.Contains(fr, "engage count") {
		t.Errorf("French usage %q is not a French text distinct from %q", fr, en)
	}
}
