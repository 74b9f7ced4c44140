// Command contractgen writes what other languages and the docs need to know
// about arena.v1 from its one definition, the Go package
// go/core/contract:
//
//   - src/tidebreak/contracts/models.py: the pydantic models (names, types,
//     defaults, bounds, enums, docs), the limits and the type-dependent
//     defaults;
//   - the tables between "contractgen" markers in docs/contracts.md (every
//     field with its type, default and bounds) and docs/trust.md (the
//     Limits table).
//
// Run it from the repository root (make generate). With -check it writes
// nothing and exits 1 when a file is not what it would write; the test in
// this package does the same, so a changed default or bound that was not
// regenerated fails the tests.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tidebreak/tidebreak/go/core/arena"
	"github.com/tidebreak/tidebreak/go/core/contract"
)

func main() {
	check := flag.Bool("check", false, "report stale files instead of writing them")
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	outs, err := generate(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "contractgen:", err)
		os.Exit(2)
	}
	stale := 0
	for _, o := range outs {
		path := filepath.Join(*root, o.path)
		old, _ := os.ReadFile(path)
		if bytes.Equal(old, o.data) {
			continue
		}
		if *check {
			fmt.Fprintf(os.Stderr, "contractgen: %s is stale; run make generate\n", o.path)
			stale++
			continue
		}
		if err := os.WriteFile(path, o.data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "contractgen:", err)
			os.Exit(2)
		}
		fmt.Println("wrote", o.path)
	}
	if stale > 0 {
		os.Exit(1)
	}
}

// output is one generated file's path (relative to the root) and contents.
type output struct {
	path string
	data []byte
}

// generate returns every generated file's contents.
func generate(root string) ([]output, error) {
	return generateFrom(contract.Describe(arena.ControllerNames()), root)
}

// generateFrom writes the files for description d.
func generateFrom(d *contract.Description, root string) ([]output, error) {
	docs, err := readDocs(filepath.Join(root, "go", "core", "contract"))
	if err != nil {
		return nil, err
	}
	g := &gen{d: d, docs: docs, types: map[string]*contract.TypeSpec{}}
	for i := range d.Types {
		g.types[d.Types[i].Name] = &d.Types[i]
	}
	g.packageTypes = g.reachable("BattlePackage")
	var outs []output
	outs = append(outs, output{"src/tidebreak/contracts/models.py", g.python()})
	for _, f := range []struct {
		path     string
		sections map[string]string
	}{
		{"docs/contracts.md", g.contractTables()},
		{"docs/trust.md", map[string]string{"limits": g.limitsTable()}},
	} {
		old, err := os.ReadFile(filepath.Join(root, f.path))
		if err != nil {
			return nil, err
		}
		data, err := replaceSections(old, f.sections)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.path, err)
		}
		outs = append(outs, output{f.path, data})
	}
	return outs, nil
}

// gen holds the description being written out.
type gen struct {
	d            *contract.Description
	docs         docIndex
	types        map[string]*contract.TypeSpec
	packageTypes map[string]bool
}

// reachable lists the struct types reachable from root.
func (g *gen) reachable(root string) map[string]bool {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		for _, f := range g.types[name].Fields {
			for r := &f.Type; r != nil; r = r.Elem {
				if r.Kind == "object" {
					walk(r.Name)
				}
			}
		}
	}
	walk(root)
	return seen
}

// replaceSections replaces the text between "<!-- contractgen:begin NAME -->"
// and "<!-- contractgen:end NAME -->" lines with each section's text.
func replaceSections(doc []byte, sections map[string]string) ([]byte, error) {
	for name, text := range sections {
		begin := []byte("<!-- contractgen:begin " + name + " -->\n")
		end := []byte("<!-- contractgen:end " + name + " -->")
		i := bytes.Index(doc, begin)
		j := bytes.Index(doc, end)
		if i < 0 || j < i {
			return nil, fmt.Errorf("no contractgen markers for %q", name)
		}
		var b bytes.Buffer
		b.Write(doc[:i+len(begin)])
		b.WriteString(text)
		b.Write(doc[j:])
		doc = b.Bytes()
	}
	return doc, nil
}
