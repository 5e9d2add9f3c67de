package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
)

// countFlags are the flags of `engage count`, for every kind of file.
type countFlags struct {
	method string // scottish or meek (.blt)
	json   bool
	lots   string // a seed: let a seeded lot break ties (.blt)
}

// runCount is `engage count FILE [flags]`: recount a ballot file with the code
// that counts polls, and print the count. Flags may come before or after
// FILE. The file's extension says what it holds:
//
//	.blt  ranked ballots for STV (count_blt.go)
//	.pb   a participatory budget, Pabulib (count_pb.go)
func runCount(ctx context.Context, args []string, env Env) error {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") && strings.EqualFold(filepath.Ext(a), ".pb") {
			return runCountPB(ctx, args, env) // its own flags (--rule)
		}
	}
	fs := flagSet("count", env)
	var f countFlags
	fs.StringVar(&f.method, "method", "scottish", "the STV rule for a .blt file: scottish or meek")
	fs.BoolVar(&f.json, "json", false, "print one JSON object instead of the stage table")
	fs.StringVar(&f.lots, "lots", "", "a seed: a seeded lot breaks the ties the rules leave (else they are reported)")
	file, err := parseInterspersed(fs, args)
	if err != nil {
		return errUsage
	}
	if file == "" {
		fmt.Fprint(env.Stderr, cliText("cli.count.usage", nil))
		return errUsage
	}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".blt":
		return countBLT(ctx, file, f, env)
	default:
		fmt.Fprint(env.Stderr, cliText("cli.count.kind", cliCountKindText{File: file, Ext: filepath.Ext(file)}))
		return errUsage
	}
}

// parseInterspersed parses flags placed before or after the one positional
// argument, which it returns ("" when there is none). A second positional
// argument is an error.
func parseInterspersed(fs *flag.FlagSet, args []string) (string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return "", err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) > 1 {
		fmt.Fprintf(fs.Output(), "%s: one file, not %d: %q\n", fs.Name(), len(pos), pos)
		return "", fmt.Errorf("%d files", len(pos))
	}
	if len(pos) == 0 {
		return "", nil
	}
	return pos[0], nil
}

// cliCountKindText is what the text cli.count.kind shows.
type cliCountKindText struct {
	File string
	Ext  string
}
