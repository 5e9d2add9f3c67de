package bots_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/botstest"
)

// Ensure the facilitation part reads time only from the injected clock: with the
// clock frozen in October 2039 (far from the real date, the week summer time ends in
// Paris), every date it shows, schedules or writes in a calendar file comes from
// that clock.
func TestFacilitation_FrozenClock(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	frozen := time.Date(2039, 10, 24, 9, 0, 0, 0, time.UTC) // a Monday
	e.Clock.Set(frozen)
	e.Say("alice", "/community create Club tz Europe/Paris lang en")
	e.Say("rita", "/project new Garden")
	e.Say("fay", "hello")
	e.Say("alice", "/role @fay facilitator")
	var texts []string
	add := func(ms []string) { texts = append(texts, ms...) }
	add(botstest.Texts(e.Say("fay", "/slot tuesday 18:00")))
	add(botstest.Texts(e.Say("fay", "/away 2039-11-10 2039-11-12")))
	add(botstest.Texts(e.Say("fay", "/meeting new thursday 19:00 General meeting")))
	out := e.Say("rita", "/meeting")
	add(botstest.Texts(out))
	ics := string(out[0].Attachment.Data)
	add(botstest.Texts(e.Sent.Messages())) // what went to the chat
	e.Sent.Reset()
	advance(t, e, 34*time.Hour) // Tuesday 25 October 2039, 18:00 Paris has passed
	add(botstest.Texts(e.Sent.Messages()))
	add(botstest.Texts(e.Say("rita", ">Dig the beds")))
	add(botstest.Texts(e.Say("rita", ">next friday")))
	add(botstest.Texts(e.Say("rita", ">yes")))
	e.Sent.Reset()
	advance(t, e, 7*24*time.Hour) // over the change to winter time (Sunday 30 October)
	add(botstest.Texts(e.Sent.Messages()))
	add(botstest.Texts(e.Say("fay", "/slot")))
	add(botstest.Texts(e.Say("fay", "/members")))

	all := strings.Join(texts, "\n")
	for _, want := range []string{
		"Next: Tuesday 25 October 2039 at 18:00", // the slot, from the frozen clock
		"away from Thursday 10 November 2039 to Saturday 12 November 2039",
		"General meeting M1: General meeting, Thursday 27 October 2039 at 19:00", // "thursday", read on the frozen Monday
		"Your facilitation hour for Club, Tuesday 25 October 2039 at 18:00",
		"by Friday 28 October 2039",                                         // "next friday", said on the frozen Tuesday
		"Your facilitation hour for Club, Tuesday 1 November 2039 at 18:00", // winter time, same wall clock
		"Next: Tuesday 8 November 2039 at 18:00",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
	// Every year shown is the frozen clock's.
	for _, y := range regexp.MustCompile(`\b(19|20)\d\d\b`).FindAllString(all, -1) {
		if y != "2039" {
			t.Errorf("a date in %s is shown:\n%s", y, all)
			break
		}
	}
	// The calendar file's stamp and times come from the clock and the meeting.
	for _, want := range []string{"DTSTAMP:20391024T090000Z", "DTSTART:20391027T170000Z"} {
		if !strings.Contains(ics, want) {
			t.Errorf("calendar file lacks %s:\n%s", want, ics)
		}
	}
	// And so does every job scheduled.
	j, err := e.Bot.NextJob(context.Background())
	if err != nil || j == nil || j.Due.Year() != 2039 {
		t.Errorf("next job %+v, %v", j, err)
	}
}

// Ensure no code of core or bots reads the real clock (time.Now, time.Since,
// time.Until, time.After, time.Tick) except the Clock that the console and tests
// inject, and the engine's default when no clock is given.
func TestNoRealClock(t *testing.T) {
	allowed := map[string]bool{
		filepath.Join("..", "bots", "clock.go"):  true, // the injectable clock itself
		filepath.Join("..", "core", "engine.go"): true, // New(st, nil) defaults to time.Now for `engage run`
	}
	banned := map[string]bool{"Now": true, "Since": true, "Until": true, "After": true, "Tick": true}
	for _, dir := range []string{filepath.Join("..", "core"), filepath.Join("..", "bots")} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || allowed[path] {
				return err
			}
			if strings.Contains(path, "botstest") {
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "time" && banned[sel.Sel.Name] {
					t.Errorf("%s reads the real clock: time.%s", path, sel.Sel.Name)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
