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
		{"cli.no_poll", cliNoPollText{}},
		{"cli.poll_several", cliPollSeveralText{}},
		{"cli.unknown", cliUnknownText{}},
	} {
		v := reflect.TypeOf(tc.view)
		for _, lang := range []string{"en", "fr"} {
			fields := cat.DataFields(lang, tc.key)
			if fields == nil {
				t.Errorf("%s: no text in %s", tc.key, lang)
			}
			for _, f := range fields {
				if _, ok := v.FieldByName(f); !ok {
					t.Errorf("%s (%s) reads .%s, which %s lacks", tc.key, lang, f, v.Name())
				}
			}
			for _, f := range cat.CondFields(lang, tc.key) {
				if sf, ok := v.FieldByName(f); ok && sf.Type.Kind() == reflect.Struct {
					t.Errorf("%s (%s) tests .%s, a %s, which is never empty", tc.key, lang, f, sf.Type)
				}
			}
		}
	}
}
