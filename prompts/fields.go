package prompts

import (
	"fmt"
	"reflect"
	"text/template/parse"
)

// DataFields returns the names a text reads at the top of its data (".ID",
// "$.ID", the first name of ".Camp.Goal"), including what the texts it calls
// with its own data read ({{template "x" .}}, {{t "x" .}}). Names read under a
// range or with, where the data changes, are left out. Tests hold each text's
// view type to it.
func (c *Catalog) DataFields(lang, key string) []string {
	fields, _ := c.dataFields(lang, key)
	return fields
}

// CondFields returns the names of DataFields a text tests: the condition of an if
// or a with, or an argument of not, and, or. A struct value is always true there,
// so a view must give such a name a type that can be empty (a pointer, a bool, a
// number, a string, a slice).
func (c *Catalog) CondFields(lang, key string) []string {
	_, conds := c.dataFields(lang, key)
	return conds
}

func (c *Catalog) dataFields(lang, key string) (fields, conds []string) {
	t := c.sets[lang]
	if t == nil {
		return nil, nil
	}
	seen, condSeen := map[string]bool{}, map[string]bool{}
	out := []string{} // nil only for a text that does not exist
	visited := map[string]bool{}
	var tree func(name string)
	var walk func(n parse.Node, top bool)
	cond := func(n parse.Node, top bool) {
		var name string
		switch n := n.(type) {
		case *parse.FieldNode:
			if top && len(n.Ident) == 1 {
				name = n.Ident[0]
			}
		case *parse.VariableNode:
			if n.Ident[0] == "$" && len(n.Ident) == 2 {
				name = n.Ident[1]
			}
		}
		if name != "" && !condSeen[name] {
			condSeen[name] = true
			conds = append(conds, name)
		}
	}
	pipeCond := func(p *parse.PipeNode, top bool) {
		if p != nil && len(p.Cmds) == 1 && len(p.Cmds[0].Args) == 1 && len(p.Decl) == 0 {
			cond(p.Cmds[0].Args[0], top)
		}
	}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	walk = func(n parse.Node, top bool) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, x := range n.Nodes {
					walk(x, top)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe, top)
		case *parse.PipeNode:
			if n != nil {
				for _, x := range n.Cmds {
					walk(x, top)
				}
			}
		case *parse.CommandNode:
			if len(n.Args) == 3 {
				if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "t" {
					if s, ok := n.Args[1].(*parse.StringNode); ok {
						if _, dot := n.Args[2].(*parse.DotNode); dot && top {
							tree(s.Text)
						}
					}
				}
			}
			if id, ok := n.Args[0].(*parse.IdentifierNode); ok && (id.Ident == "not" || id.Ident == "and" || id.Ident == "or") {
				for _, a := range n.Args[1:] {
					cond(a, top)
				}
			}
			for _, a := range n.Args {
				walk(a, top)
			}
		case *parse.FieldNode:
			if top {
				add(n.Ident[0])
			}
		case *parse.VariableNode:
			if n.Ident[0] == "$" && len(n.Ident) > 1 {
				add(n.Ident[1])
			}
		case *parse.ChainNode:
			walk(n.Node, top)
		case *parse.IfNode:
			pipeCond(n.Pipe, top)
			walk(n.Pipe, top)
			walk(n.List, top)
			walk(n.ElseList, top)
		case *parse.RangeNode:
			walk(n.Pipe, top)
			walk(n.List, false)
			walk(n.ElseList, top)
		case *parse.WithNode:
			pipeCond(n.Pipe, top)
			walk(n.Pipe, top)
			walk(n.List, false)
			walk(n.ElseList, top)
		case *parse.TemplateNode:
			if n.Pipe != nil && len(n.Pipe.Cmds) == 1 && len(n.Pipe.Cmds[0].Args) == 1 {
				if _, dot := n.Pipe.Cmds[0].Args[0].(*parse.DotNode); dot && top {
					tree(n.Name)
				}
			}
			walk(n.Pipe, top)
		}
	}
	tree = func(name string) {
		if visited[name] {
			return
		}
		visited[name] = true
		if x := t.Lookup(name); x != nil && x.Tree != nil {
			walk(x.Tree.Root, true)
		}
	}
	if t.Lookup(key) == nil {
		return nil, nil
	}
	tree(key)
	return out, conds
}

// ViewProblems checks view, the type of the data a text is given, against the
// text key in every language: a name the text reads that view has neither as a
// field nor as a method (it would fail when shown: a struct has no missing key to
// fall back on), and a condition on a struct of another package (a time, an
// amount), which is never empty: such an optional value must be a pointer. A
// view of the caller's own package (a poll, a project) is taken as always given.
func (c *Catalog) ViewProblems(key string, view reflect.Type) []string {
	var out []string
	for _, lang := range c.langs {
		fields, conds := c.dataFields(lang, key)
		if fields == nil {
			out = append(out, fmt.Sprintf("%s: no text in %s", key, lang))
			continue
		}
		for _, f := range fields {
			_, field := view.FieldByName(f)
			_, method := view.MethodByName(f)
			_, ptrMethod := reflect.PointerTo(view).MethodByName(f)
			if !field && !method && !ptrMethod {
				out = append(out, fmt.Sprintf("%s (%s) reads .%s, which %s lacks", key, lang, f, view.Name()))
			}
		}
		for _, f := range conds {
			if sf, ok := view.FieldByName(f); ok && sf.Type.Kind() == reflect.Struct && sf.Type.PkgPath() != view.PkgPath() {
				out = append(out, fmt.Sprintf("%s (%s) tests .%s, a %s, which is never empty: give %s a pointer or a flag", key, lang, f, sf.Type, view.Name()))
			}
		}
	}
	return out
}
