package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// runCount is `engage count FILE [flags]`: recount a file of ballots with
// the same code the bots use. The file's extension chooses the format:
// .pb (Pabulib, participatory budgeting; count_pb.go). Flags may come
// before or after FILE.
func runCount(ctx context.Context, args []string, env Env) error {
	file := ""
	for _, a := range args {
		if !strings.HasPrefix(a, "-") && countFormat(a) != "" {
			file = a
			break
		}
	}
	if file == "" {
		for _, a := range args {
			if !strings.HasPrefix(a, "-") {
				file = a
				break
			}
		}
	}
	switch countFormat(file) {
	case ".pb":
		return runCountPB(ctx, args, env)
	}
	if file == "" {
		fmt.Fprint(env.Stderr, cliText("cli.count_usage", nil))
	} else {
		fmt.Fprint(env.Stderr, cliText("cli.count_format", map[string]any{"File": file, "Ext": filepath.Ext(file)}))
	}
	return errUsage
}

// countFormat returns the known extension of file (lower case), or "".
func countFormat(file string) string {
	switch ext := strings.ToLower(filepath.Ext(file)); ext {
	case ".pb":
		return ext
	}
	return ""
}
