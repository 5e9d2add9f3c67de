package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/engage-org/engage"

// Ensure no package imports against the direction of ARCHITECTURE.md: core imports
// nothing of the project but core/tally; stores import core; bots imports core and
// prompts; adapters import bots (and core for value types), never a store, prompts
// or another adapter; only cmd/engage wires everything.
func TestImportDirection(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}:{{join .Imports \" \"}}", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	// allowed lists, per package prefix, the project packages it may import.
	allowed := func(pkg, imp string) bool {
		under := func(p, prefix string) bool { return p == prefix || strings.HasPrefix(p, prefix+"/") }
		switch {
		case pkg == "core/tally":
			return false
		case under(pkg, "core"):
			return imp == "core/tally"
		case pkg == "store/storetest":
			return imp == "core"
		case under(pkg, "store/internal"):
			return imp == "core"
		case under(pkg, "store"):
			return imp == "core" || under(imp, "store/internal") // shared store code, not another store
		case pkg == "bots/botstest":
			return imp == "core" || imp == "prompts" || imp == "llm" || under(imp, "bots") || imp == "store/boltstore"
		case pkg == "bots/when":
			return false
		case pkg == "bots/outbox":
			return imp == "core"
		case under(pkg, "bots"):
			return imp == "core" || under(imp, "core") || imp == "prompts" || imp == "llm" || under(imp, "chart") || under(imp, "bots") && imp != "bots/botstest"
		case pkg == "chart":
			return false
		case pkg == "chart/pollchart":
			return imp == "chart" || imp == "core" || imp == "core/tally"
		case under(pkg, "web"):
			return imp == "core" || imp == "core/tally" || imp == "prompts" || under(imp, "chart") || under(imp, pkg)
		case under(pkg, "llm"):
			return imp == "prompts" || imp == "core"
		case under(pkg, "prompts"):
			return imp == "core"
		case under(pkg, "adapters"):
			return imp == "bots" || imp == "bots/outbox" || imp == "core" || under(imp, pkg) // its own subpackages
		case under(pkg, "cmd"):
			return true
		}
		return false
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		pkg = strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		for _, imp := range strings.Fields(imports) {
			rel, ok := strings.CutPrefix(imp, module+"/")
			if !ok {
				// core and its subpackages use the standard library and golang.org/x only.
				std := !strings.Contains(strings.Split(imp, "/")[0], ".")
				if (pkg == "core" || strings.HasPrefix(pkg, "core/")) && !std && !strings.HasPrefix(imp, "golang.org/x/") {
					t.Errorf("%s imports %s: core takes no SDK or driver", pkg, imp)
				}
				continue
			}
			if !allowed(pkg, rel) {
				t.Errorf("%s imports %s: against the direction of ARCHITECTURE.md", pkg, rel)
			}
		}
	}
}

// Ensure docs/ARCHITECTURE.md lists every package of the module, and no package
// that is gone: the map a newcomer reads first stays true.
func TestArchitectureDoc(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var code []string
	for _, p := range strings.Fields(string(out)) {
		code = append(code, strings.TrimPrefix(strings.TrimPrefix(p, module), "/"))
	}
	raw, err := os.ReadFile("../../docs/ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(raw), "<!-- packages:")
	if !ok {
		t.Fatal("docs/ARCHITECTURE.md has no package list")
	}
	_, block, _ = strings.Cut(block, "```\n")
	block, _, _ = strings.Cut(block, "```")
	var doc []string
	for _, line := range strings.Split(block, "\n") {
		if line != "" && line[0] != ' ' {
			doc = append(doc, strings.Fields(line)[0])
		}
	}
	slices.Sort(code)
	slices.Sort(doc)
	if len(doc) < 10 {
		t.Fatalf("only %d packages read from the document: the list's format changed", len(doc))
	}
	for _, p := range code {
		if !slices.Contains(doc, p) {
			t.Errorf("package %s is missing from docs/ARCHITECTURE.md", p)
		}
	}
	for _, p := range doc {
		if !slices.Contains(code, p) {
			t.Errorf("docs/ARCHITECTURE.md lists %s, which is no package", p)
		}
	}
}
