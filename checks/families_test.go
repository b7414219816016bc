package checks

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// familyFiles parses the package's non-test files and returns them by name,
// with the set of rule families (the part of an ID before the dot).
func familyFiles(t *testing.T) (map[string]*ast.File, map[string]bool) {
	t.Helper()
	fset := token.NewFileSet()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*ast.File{}
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = f
	}
	families := map[string]bool{}
	for _, c := range Registry() {
		fam, _, _ := strings.Cut(c.ID, ".")
		families[fam] = true
	}
	return files, families
}

// Every rule lives in the file named after its family: price.go holds the
// price.* rules and no other, so a rule ID says where to read it.
func TestRuleFiles(t *testing.T) {
	files, families := familyFiles(t)
	for fam := range families {
		if files[fam+".go"] == nil {
			t.Errorf("family %s has no file %s.go", fam, fam)
		}
	}
	found := map[string]string{}
	for name, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != "ID" {
				return true
			}
			lit, ok := kv.Value.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			id, _ := strconv.Unquote(lit.Value)
			found[id] = name
			return true
		})
	}
	for _, c := range Registry() {
		fam, _, _ := strings.Cut(c.ID, ".")
		if got := found[c.ID]; got != fam+".go" {
			t.Errorf("rule %s is defined in %q, want %s.go", c.ID, got, fam)
		}
	}
}

// The family files do not reach into each other: an unexported name
// declared in one family's file is used by no other family's file. What
// several families share lives in the page model (package pagemodel) or in
// the package's shared files (measure.go, evidence.go, format.go …).
func TestNoCrossFamilyReferences(t *testing.T) {
	files, families := familyFiles(t)
	owner := map[string]string{} // unexported top-level name → its family file
	for name, f := range files {
		if !families[strings.TrimSuffix(name, ".go")] {
			continue
		}
		for _, d := range f.Decls {
			for _, id := range declNames(d) {
				if !ast.IsExported(id) {
					owner[id] = name
				}
			}
		}
	}
	var bad []string
	for name, f := range files {
		if !families[strings.TrimSuffix(name, ".go")] {
			continue
		}
		seen := map[string]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			if o, ok := owner[id.Name]; ok && o != name && !seen[id.Name] {
				seen[id.Name] = true
				bad = append(bad, name+" uses "+id.Name+" of "+o)
			}
			return true
		})
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
}

// declNames are the top-level names a declaration introduces (functions
// without a receiver, types, variables and constants).
func declNames(d ast.Decl) []string {
	var out []string
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			out = append(out, d.Name.Name)
		}
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				out = append(out, s.Name.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					out = append(out, n.Name)
				}
			}
		}
	}
	return out
}
