package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tidebreak/tidebreak/go/core/contract"
)

// contractTables writes docs/contracts.md's generated sections: one table
// per package type ("package-types") and the type-dependent defaults of
// sensors and weapons ("type-defaults").
func (g *gen) contractTables() map[string]string {
	return map[string]string{"package-types": g.typeTables("BattlePackage"), "result-types": g.typeTables("BattleResult"),
		"type-defaults": g.typeDefaults()}
}

// typeTables writes one table per struct type reachable from root.
func (g *gen) typeTables(root string) string {
	var b strings.Builder
	for _, name := range g.topDown(root) {
		t := g.types[name]
		fmt.Fprintf(&b, "#### %s\n\n%s\n\n", name, g.docs[name].doc)
		b.WriteString("| Field | Type | Default | Bounds | Meaning |\n|---|---|---|---|---|\n")
		for i := range t.Fields {
			f := &t.Fields[i]
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", f.Name, g.mdType(&f.Type, f), g.mdDefault(f),
				g.mdBounds(f), mdEscape(g.fieldDoc(name, f.GoName)))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (g *gen) typeDefaults() string {
	var td strings.Builder
	for _, typ := range slices.Sorted(maps.Keys(g.d.TypeDefaults)) {
		fmt.Fprintf(&td, "**%s** defaults by `type` (keys the JSON leaves out take these):\n\n", typ)
		td.WriteString("| `type` | defaults |\n|---|---|\n")
		for _, v := range slices.Sorted(maps.Keys(g.d.TypeDefaults[typ])) {
			fmt.Fprintf(&td, "| `%s` | `%s` |\n", v, compactJSON(g.d.TypeDefaults[typ][v]))
		}
		td.WriteString("\n")
	}
	return td.String()
}

// topDown lists the struct types reachable from root, breadth first.
func (g *gen) topDown(root string) []string {
	seen := map[string]bool{root: true}
	order := []string{root}
	for i := 0; i < len(order); i++ {
		for _, f := range g.types[order[i]].Fields {
			for r := &f.Type; r != nil; r = r.Elem {
				if r.Kind == "object" && !seen[r.Name] {
					seen[r.Name] = true
					order = append(order, r.Name)
				}
			}
		}
	}
	return order
}

func (g *gen) mdType(r *contract.TypeRef, f *contract.FieldSpec) string {
	switch r.Kind {
	case "list":
		return "[" + g.mdType(r.Elem, f) + "]"
	case "map":
		return "{string: " + g.mdType(r.Elem, f) + "}"
	case "array":
		if r.Len == 2 {
			return "[x, y] of " + g.mdType(r.Elem, f)
		}
		return fmt.Sprintf("%d × %s", r.Len, g.mdType(r.Elem, f))
	case "object":
		return r.Name
	case "json":
		return "object"
	case "string":
		if f.Enum == "controller" {
			return "string (a controller name)"
		}
		if f.Enum != "" {
			vals := g.d.Enums[f.Enum]
			q := make([]string, len(vals))
			for i, v := range vals {
				q[i] = "`" + v + "`"
			}
			return strings.Join(q, " \\| ")
		}
	}
	return r.Kind
}

func (g *gen) mdDefault(f *contract.FieldSpec) string {
	if f.Optional {
		return "absent"
	}
	if _, required := g.pyDefault("", f); required {
		return "— (required)"
	}
	if f.Type.Kind == "object" {
		return "see " + f.Type.Name
	}
	s := compactJSON(f.Default)
	if s == "null" {
		s = "[]"
		if f.Type.Kind == "map" {
			s = "{}"
		}
	}
	if f.Required {
		s += " (required)"
	}
	return "`" + s + "`"
}

func (g *gen) mdBounds(f *contract.FieldSpec) string {
	var parts []string
	if f.MaxLen != nil {
		parts = append(parts, fmt.Sprintf("%d–%d items", *f.MinLen, *f.MaxLen))
	}
	if f.Inner != nil {
		parts = append(parts, fmt.Sprintf("%d–%d per row", f.Inner[0], f.Inner[1]))
	}
	if f.Range != nil {
		parts = append(parts, strings.ReplaceAll(f.Range.String(), "|", "\\|"))
	}
	if f.Type.Kind == "string" && f.Enum == "" {
		if f.Required {
			parts = append(parts, "non-empty")
		}
		parts = append(parts, fmt.Sprintf("≤ %d bytes", contract.MaxStringBytes))
	}
	if f.Enum == "controller" {
		parts = append(parts, "one of: "+strings.Join(g.d.Enums["controller"], ", "))
	}
	return strings.Join(parts, "; ")
}

// limitsTable writes docs/trust.md's Limits table: the document-wide
// limits, then every bound of every package field by path.
func (g *gen) limitsTable() string {
	var b strings.Builder
	b.WriteString("| What | Limit |\n|---|---|\n")
	for _, l := range g.d.Limits {
		fmt.Fprintf(&b, "| %s (`%s`) | %d |\n", l.Doc, l.Name, l.Value)
	}
	var walk func(typ, prefix string)
	walk = func(typ, prefix string) {
		for i := range g.types[typ].Fields {
			f := &g.types[typ].Fields[i]
			path := prefix + f.Name
			if bounds := g.limitBounds(f); bounds != "" {
				fmt.Fprintf(&b, "| `%s` | %s |\n", path, bounds)
			}
			r := &f.Type
			sub := path
			for r.Kind == "list" || r.Kind == "map" || r.Kind == "array" {
				if r.Kind == "list" {
					sub += "[]"
				} else if r.Kind == "map" {
					sub += ".*"
				} else {
					break
				}
				r = r.Elem
			}
			if r.Kind == "object" {
				walk(r.Name, sub+".")
			}
		}
	}
	walk("BattlePackage", "")
	return b.String()
}

func (g *gen) limitBounds(f *contract.FieldSpec) string {
	var parts []string
	if f.MaxLen != nil {
		parts = append(parts, fmt.Sprintf("at most %d items", *f.MaxLen))
	}
	if f.Inner != nil {
		parts = append(parts, fmt.Sprintf("at most %d per row", f.Inner[1]))
	}
	if f.Range != nil {
		parts = append(parts, "within "+strings.ReplaceAll(f.Range.String(), "|", "\\|"))
	}
	return strings.Join(parts, "; ")
}

func compactJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return strings.ReplaceAll(b.String(), "|", "\\|")
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
