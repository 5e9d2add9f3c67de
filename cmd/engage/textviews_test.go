package main

import (
	"reflect"
	"testing"

	"github.com/engage-org/engage/prompts"
)

// Ensure every command-line text given a view type reads, in each language, only
// names its view has (see TestTextViews_Fields in bots).
func TestCLITextViews(t *testing.T) {
	cat, err := prompts.LoadStrict(func(string, error) {})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key  string
		view any
	}{
		{"cli.bad_flag", cliFlagText{}},
		{"cli.count.elected", cliCountElectedText{}},
		{"cli.count.head", cliCountHeadText{}},
		{"cli.count.kind", cliCountKindText{}},
		{"cli.count.lots", cliCountLotsText{}},
		{"cli.count.method", cliCountMethodText{}},
		{"cli.count.stage", cliCountStageText{}},
		{"cli.count_pb", cliCountPBText{}},
		{"cli.count_rule", cliCountRuleText{}},
		{"cli.demo_exists", cliDemoExistsText{}},
		{"cli.exists", cliExistsText{}},
		{"cli.migrate", cliMigrateText{}},
		{"cli.no_poll", cliNoPollText{}},
		{"cli.poll_several", cliPollSeveralText{}},
		{"cli.unexpected_arg", cliArgText{}},
		{"cli.unknown", cliUnknownText{}},
	} {
		for _, problem := range cat.ViewProblems(tc.key, reflect.TypeOf(tc.view)) {
			t.Error(problem)
		}
	}
}
