package contract

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestDescribeCoversEveryField(t *testing.T) {
	d := Describe([]string{"idle"})
	names := map[string]bool{}
	for _, ts := range d.Types {
		names[ts.Name] = true
	}
	for _, want := range []string{"BattlePackage", "Ship", "Hull", "Weapon", "Guidance", "Rules", "Randomize",
		"FactionContext", "Currents", "BattleResult", "ActionRecord"} {
		if !names[want] {
			t.Errorf("Describe lacks type %s", want)
		}
	}
	b, err := json.Marshal(d)
	if err != nil || len(b) < 1000 {
		t.Fatalf("Marshal: %v (%d bytes)", err, len(b))
	}
}

// Every number and every list or map a package can hold has an upper
// bound in the contract (issue: a package value must never size an
// unbounded allocation or loop).
func TestEveryPackageFieldIsBounded(t *testing.T) {
	d := Describe(nil)
	byName := map[string]TypeSpec{}
	for _, ts := range d.Types {
		byName[ts.Name] = ts
	}
	seen := map[string]bool{}
	var walk func(name string)
	walk = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		for _, f := range byName[name].Fields {
			ref := f.Type
			if ref.Kind == "list" || ref.Kind == "map" {
				if f.MaxLen == nil {
					t.Errorf("%s.%s: a %s without a len bound", name, f.Name, ref.Kind)
				}
				ref = *ref.Elem
				if ref.Kind == "list" {
					if f.Inner == nil {
						t.Errorf("%s.%s: inner lists without an inner bound", name, f.Name)
					}
					ref = *ref.Elem
				}
			}
			if ref.Kind == "array" {
				ref = *ref.Elem
			}
			switch ref.Kind {
			case "number", "integer", "u64":
				if f.Range == nil {
					t.Errorf("%s.%s: a number without a range", name, f.Name)
				}
			case "object":
				walk(ref.Name)
			}
		}
	}
	walk("BattlePackage")
	if !reflect.DeepEqual(seen["Ship"], true) {
		t.Fatal("walk did not reach Ship")
	}
}
