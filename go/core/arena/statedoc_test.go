package arena

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/rng"
)

var updateDoc = flag.Bool("update-doc", false, "rewrite the key table of docs/state.md from the state list")

const stateDoc = "../../../docs/state.md"

// docVisitor renders the saved keys of the state list as Markdown rows.
type docVisitor struct {
	path []string
	lens []int // per path element: the length of a fixed array, else -1
	seen map[string]bool
	rows []string
}

func (d *docVisitor) key(name string) string {
	p := strings.Join(d.path, "")
	if name != "" {
		if p != "" {
			p += "."
		}
		p += name
	}
	return p
}

func (d *docVisitor) row(name, typ string, f fieldFlags) {
	if f&(saved|static) == 0 {
		return
	}
	k := d.key(name)
	if d.seen[k] {
		return
	}
	d.seen[k] = true
	if name == "" && len(d.lens) > 0 && d.lens[len(d.lens)-1] > 0 {
		typ = fmt.Sprintf("%s (%d per array)", typ, d.lens[len(d.lens)-1])
	}
	role := "hashed, restored"
	switch {
	case k == "version":
		role = fmt.Sprintf("must be %d (the layout version)", stateVersion)
	case k == "noise":
		role = "written for viewers; Load checks its shape and ignores it"
	case f&static != 0 && f&hashed != 0:
		role = "hashed; checked against the package"
	case f&static != 0:
		role = "checked against the package"
	case f&hashed == 0:
		role = "restored (not hashed)"
	}
	d.rows = append(d.rows, fmt.Sprintf("| `%s` | %s | %s |", k, typ, role))
}

func (d *docVisitor) push(name, suffix string, n int) {
	elem := name + suffix
	if len(d.path) > 0 && name != "" {
		elem = "." + elem
	}
	d.path = append(d.path, elem)
	d.lens = append(d.lens, n)
}

func (d *docVisitor) pop() {
	d.path, d.lens = d.path[:len(d.path)-1], d.lens[:len(d.lens)-1]
}

func (d *docVisitor) open(name string)                                   { d.push(name, "", -1) }
func (d *docVisitor) close()                                             { d.pop() }
func (d *docVisitor) array(name string, n int)                           { d.push(name, "[]", n) }
func (d *docVisitor) slice(name string, n, _ int) int                    { d.push(name, "[]", -1); return min(n, 1) }
func (d *docVisitor) end()                                               { d.pop() }
func (d *docVisitor) int(n string, _ *int, f fieldFlags, _, _ int)       { d.row(n, "integer", f) }
func (d *docVisitor) int8(n string, _ *int8, f fieldFlags, _, _ int)     { d.row(n, "integer", f) }
func (d *docVisitor) uint8(n string, _ *uint8, f fieldFlags, _, _ int)   { d.row(n, "integer", f) }
func (d *docVisitor) uint32(n string, _ *uint32, f fieldFlags, _, _ int) { d.row(n, "integer", f) }
func (d *docVisitor) uint64(n string, _ *uint64, f fieldFlags)           { d.row(n, "integer (uint64)", f) }
func (d *docVisitor) float(n string, _ *float64, f fieldFlags, _, _ float64) {
	d.row(n, "number", f)
}
func (d *docVisitor) bool(n string, _ *bool, f fieldFlags)     { d.row(n, "boolean", f) }
func (d *docVisitor) string(n string, _ *string, f fieldFlags) { d.row(n, "string", f) }
func (d *docVisitor) stream(n string, _ *rng.Stream, f fieldFlags) {
	d.row(n, "4 integers (uint64): a generator state, not all zero", f)
}
func (d *docVisitor) space(n string, _ *fieldState) {
	d.row(n, "string (base64 MorphoSpace save) or null", hashed|saved)
}
func (d *docVisitor) derived(n string, _ *World) {
	d.row(n, "object or null: noise picture for viewers (`origin`, `cell`, `values`)", saved)
}

// stateKeyTable renders the key table from a busy coupled battle.
func stateKeyTable(t *testing.T) string {
	d := &docVisitor{seen: map[string]bool{}}
	busyWorld(t).walkState(&stateWalker{v: d})
	return "| key | JSON | role |\n|---|---|---|\n" + strings.Join(d.rows, "\n") + "\n"
}

// TestStateDocListsEveryKey keeps the key table of docs/state.md equal to
// the state list (go test ./go/core/arena -run TestStateDoc -args
// -update-doc rewrites it).
func TestStateDocListsEveryKey(t *testing.T) {
	const begin, end = "<!-- statelist:begin -->\n", "<!-- statelist:end -->"
	data, err := os.ReadFile(stateDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %q … %q section", stateDoc, begin, end)
	}
	want := stateKeyTable(t)
	if got := doc[i+len(begin) : j]; got != want {
		if *updateDoc {
			doc = doc[:i+len(begin)] + want + doc[j:]
			if err := os.WriteFile(stateDoc, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("the key table of %s is not the state list's; rewrite it with\n"+
			"go test ./go/core/arena -run TestStateDoc -args -update-doc", stateDoc)
	}
}
