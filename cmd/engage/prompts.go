package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/engage-org/engage/prompts"
)

// runPrompts is `engage prompts check`: it lists every message template and every
// system prompt of the language model, per language, and fails when a text exists
// in one language and not in another.
func runPrompts(_ context.Context, args []string, env Env) error {
	if len(args) != 1 || args[0] != "check" {
		fmt.Fprint(env.Stderr, "usage: engage prompts check\n")
		return errUsage
	}
	cat, err := catalog()
	if err != nil {
		return err
	}
	ins, err := prompts.LoadInstructions()
	if err != nil {
		return err
	}
	return checkPrompts(env.Stdout, cat, ins)
}

// checkPrompts writes one line per text, "LANG<TAB>template|prompt<TAB>NAME", then
// one line per missing translation, "missing<TAB>LANG<TAB>template|prompt<TAB>NAME",
// and a summary; it returns an error when a translation is missing.
func checkPrompts(w io.Writer, cat *prompts.Catalog, ins *prompts.Instructions) error {
	langs := cat.Langs()
	for _, l := range ins.Langs() {
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	slices.Sort(langs)
	// Every task any language has, for languages with no system prompt at all.
	var tasks []string
	for _, l := range ins.Langs() {
		for _, t := range ins.Tasks(l) {
			if !slices.Contains(tasks, t) {
				tasks = append(tasks, t)
			}
		}
	}
	slices.Sort(tasks)
	var missing []string
	catMissing, insMissing := cat.Missing(), ins.Missing()
	for _, l := range langs {
		keys := cat.Keys(l)
		for _, k := range keys {
			fmt.Fprintf(w, "%s\ttemplate\t%s\n", l, k)
		}
		for _, t := range ins.Tasks(l) {
			fmt.Fprintf(w, "%s\tprompt\t%s\n", l, t)
		}
		if keys == nil { // no template at all in l
			for _, k := range cat.Keys(prompts.DefaultLang) {
				missing = append(missing, fmt.Sprintf("missing\t%s\ttemplate\t%s", l, k))
			}
		}
		for _, k := range catMissing[l] {
			missing = append(missing, fmt.Sprintf("missing\t%s\ttemplate\t%s", l, k))
		}
		if !slices.Contains(ins.Langs(), l) {
			for _, t := range tasks {
				missing = append(missing, fmt.Sprintf("missing\t%s\tprompt\t%s", l, t))
			}
		}
		for _, t := range insMissing[l] {
			missing = append(missing, fmt.Sprintf("missing\t%s\tprompt\t%s", l, t))
		}
	}
	for _, m := range missing {
		fmt.Fprintln(w, m)
	}
	for _, l := range langs {
		fmt.Fprintf(w, "%s: %d templates, %d prompts\n", l, len(cat.Keys(l)), len(ins.Tasks(l)))
	}
	if len(missing) > 0 {
		return fmt.Errorf("prompts check: %d missing %s", len(missing), plural(len(missing), "translation", "translations"))
	}
	fmt.Fprintln(w, "no translation missing")
	return nil
}

func plural(n int, one, other string) string {
	if n == 1 {
		return one
	}
	return other
}
