// Command engage runs Engage: community engagement (projects, votes, campaigns,
// facilitator check-ins) in Telegram, Slack, Discord and the terminal.
//
//	engage console [--db FILE] [--lang en|fr] [--now TIME] [--demo] [--files DIR]
//	engage run [--config FILE]
//	engage export [--db FILE | --store bolt:FILE|postgres:DSN] [--csv pledges|schedules | --blt V1 | --pb V1 [--community NAME]]
//	engage migrate [--store postgres:DSN]
//	engage copy --from bolt:FILE --to postgres:DSN
//	engage backup --db FILE --out FILE | --url URL --out FILE [--force]
//	engage count FILE.blt [--method scottish|meek] [--json] [--lots SEED]
//	engage count FILE.pb [--rule mes|greedy] [--json]
//	engage prompts check
//	engage version
//
// main is the only package that imports everything: it reads the configuration,
// opens the store, builds the engine, the bot and the adapters, and wires them.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // time zones work on machines without a zoneinfo database
)

// version is set at build time: -ldflags "-X main.version=v1.2.3"; without it
// `engage version` prints the module version from the build info.
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// Env is what a run of Engage is given from outside.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// Main runs the subcommand in args and returns the process's exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	env := Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: getenv}
	if len(args) == 0 {
		fmt.Fprint(stderr, cliText("cli.usage", nil))
		return 2
	}
	var err error
	switch args[0] {
	case "console":
		err = runConsole(ctx, args[1:], env)
	case "run":
		err = runService(ctx, args[1:], env)
	case "export":
		err = runExport(ctx, args[1:], env)
	case "backup":
		err = runBackup(ctx, args[1:], env)
	case "prompts":
		err = runPrompts(ctx, args[1:], env)
	case "migrate":
		err = runMigrate(ctx, args[1:], env)
	case "copy":
		err = runCopy(ctx, args[1:], env)
	case "count":
		err = runCount(ctx, args[1:], env)
	case "version", "--version", "-v":
		info, ok := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, versionLine(version, info, ok))
	case "help", "--help", "-h":
		fmt.Fprint(stdout, cliText("cli.usage", nil))
	default:
		fmt.Fprint(stderr, cliText("cli.unknown", cliUnknownText{Cmd: args[0]}))
		fmt.Fprint(stderr, cliText("cli.usage", nil))
		return 2
	}
	if err != nil {
		if errors.Is(err, errUsage) {
			return 2
		}
		fmt.Fprintln(stderr, "engage:", err)
		return 1
	}
	return 0
}

// cliUnknownText is what the text cli.unknown shows.
type cliUnknownText struct {
	Cmd string
}
