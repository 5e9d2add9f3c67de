package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// countJSON is the --json output of `engage count FILE.blt`: the method, the
// ballots, and the count as the export shows a poll's (core.STVResultFields).
type countJSON struct {
	Method  string `json:"method"`
	Ballots int    `json:"ballots"`
	core.STVResultFields
}

// countBLT counts a BLT ballot file by STV and prints the result.
func countBLT(_ context.Context, file string, f countFlags, env Env) error {
	s := tally.Settings{}
	switch f.method {
	case "scottish":
	case "meek":
		s.Meek = true
	default:
		fmt.Fprint(env.Stderr, cliText("cli.count.method", cliCountMethodText{Method: f.method}))
		return errUsage
	}
	if f.lots != "" {
		seed, err := strconv.ParseUint(f.lots, 10, 64)
		if err != nil {
			fmt.Fprint(env.Stderr, cliText("cli.count.lots", cliCountLotsText{Seed: f.lots}))
			return errUsage
		}
		s.Lots, s.LotSeed = true, seed
	}
	fh, err := os.Open(file)
	if err != nil {
		return err
	}
	defer fh.Close()
	b, err := tally.ParseBLT(fh)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	s.Seats, s.Withdrawn = b.Seats, b.Withdrawn
	r, err := tally.CountSTV(len(b.Candidates), b.Ballots, s)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if f.json {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(stvJSON(f.method, b.Candidates, r))
	}
	return printSTV(env, f.method, b, r)
}

// stvJSON shapes an STV result for --json, candidates by name.
func stvJSON(method string, names []string, r tally.Result) countJSON {
	return countJSON{Method: method, Ballots: r.Ballots, STVResultFields: core.STVSnapshot(method, names, &r).STVResultFields}
}

// printSTV prints the count as the stage table of an official count sheet:
// a row per candidate, a column per stage, then what each stage did.
func printSTV(env Env, method string, b *tally.BLT, r tally.Result) error {
	w := env.Stdout
	fmt.Fprint(w, cliText("cli.count.head", cliCountHeadText{
		Title: b.Title, Method: method, Seats: r.Seats, Ballots: r.Ballots, Valid: r.Valid, Quota: r.Quota,
	}))
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{strings.TrimSpace(cliText("cli.count.candidate", nil))}
	for i := range r.Stages {
		head = append(head, strconv.Itoa(i+1))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	out := make([]int, len(b.Candidates)) // stage (from 1) after which a candidate is out
	for i, st := range r.Stages {
		if st.Action == tally.ActionExcluded {
			out[st.Candidates[0]] = i + 1
		}
	}
	for _, o := range b.Withdrawn {
		out[o] = -1
	}
	for o, name := range b.Candidates {
		row := []string{name}
		for i, st := range r.Stages {
			switch {
			case out[o] < 0 || (out[o] > 0 && i+1 >= out[o]):
				row = append(row, "-")
			default:
				row = append(row, tally.FormatFixed(st.Votes[o], r.Decimals))
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	row := []string{strings.TrimSpace(cliText("cli.count.non_transferable", nil))}
	for _, st := range r.Stages {
		row = append(row, tally.FormatFixed(st.NonTransferable, r.Decimals))
	}
	fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	if !(r.Decimals == tally.MeekDecimals) {
		row = []string{strings.TrimSpace(cliText("cli.count.loss", nil))}
		for _, st := range r.Stages {
			row = append(row, tally.FormatFixed(st.Loss, r.Decimals))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	names := func(os []int) string {
		var s []string
		for _, o := range os {
			s = append(s, b.Candidates[o])
		}
		return strings.Join(s, ", ")
	}
	for i, st := range r.Stages {
		fmt.Fprint(w, cliText("cli.count.stage", cliCountStageText{
			N: i + 1, Action: st.Action, Candidates: names(st.Candidates), Elected: names(st.Elected), Lot: st.Lot,
		}))
	}
	fmt.Fprint(w, cliText("cli.count.elected", cliCountElectedText{Elected: names(r.Elected), Tied: names(r.Tied), Seed: r.LotSeed}))
	return nil
}

// cliCountMethodText is what the text cli.count.method shows.
type cliCountMethodText struct {
	Method string
}

// cliCountLotsText is what the text cli.count.lots shows.
type cliCountLotsText struct {
	Seed string
}

// cliCountHeadText is what the text cli.count.head shows.
type cliCountHeadText struct {
	Title   string
	Method  string
	Seats   int
	Ballots int
	Valid   int
	Quota   string
}

// cliCountStageText is what the text cli.count.stage shows.
type cliCountStageText struct {
	N          int
	Action     string
	Candidates string
	Elected    string
	Lot        bool
}

// cliCountElectedText is what the text cli.count.elected shows.
type cliCountElectedText struct {
	Elected string
	Tied    string
	Seed    *uint64
}
