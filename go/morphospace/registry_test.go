package morphospace

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

func TestBuiltinRegistry(t *testing.T) {
	r := BuiltinRegistry()
	want := []string{Noise, SonarReturn, Temperature, Salinity, CurrentU, CurrentV, SeaState, Smoke}
	if got := r.Names(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	id, err := r.Lookup(Noise)
	if err != nil {
		t.Fatal(err)
	}
	if s := r.Spec(id); s.Default != 60 || s.SplitTol != 0.2 || s.MergeTol != 0.05 {
		t.Errorf("noise spec = %+v, want default 60 and tolerances 0.2/0.05", s)
	}
}

func TestRegistryErrors(t *testing.T) {
	ok := FieldSpec{Name: "oil", Min: 0, Max: 1, Default: 0}
	tests := []struct {
		name string
		spec FieldSpec
		want error
		msg  string // substring of the error text
	}{
		{"empty name", FieldSpec{Min: 0, Max: 1}, ErrInvalidSpec, "empty name"},
		{"min not below max", FieldSpec{Name: "a", Min: 1, Max: 1, Default: 1}, ErrInvalidSpec, `field "a": min 1 is not below max 1`},
		{"default below range", FieldSpec{Name: "b", Min: 0, Max: 1, Default: -1}, ErrInvalidSpec, `"b": default -1 is outside`},
		{"negative diffusion", FieldSpec{Name: "c", Min: 0, Max: 1, Diffusion: -1}, ErrInvalidSpec, `"c": diffusion`},
		{"negative decay", FieldSpec{Name: "d", Min: 0, Max: 1, Decay: -1}, ErrInvalidSpec, `"d": decay`},
		{"NaN max", FieldSpec{Name: "e", Min: 0, Max: math.NaN()}, ErrInvalidSpec, `"e": max is not finite`},
		{"no hysteresis", FieldSpec{Name: "f", Min: 0, Max: 1, SplitTol: 0.1, MergeTol: 0.1}, ErrInvalidSpec, `"f": merge_tol 0.1 is not below split_tol 0.1`},
		{"negative split tol", FieldSpec{Name: "g", Min: 0, Max: 1, SplitTol: -1}, ErrInvalidSpec, `"g": split_tol`},
		{"duplicate", ok, ErrDuplicateField, `field "oil": duplicate`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRegistry()
			if _, err := r.Add(ok); err != nil {
				t.Fatal(err)
			}
			_, err := r.Add(tt.spec)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Add(%+v) = %v, want %v containing %q", tt.spec, err, tt.want, tt.msg)
			}
			if r.Len() != 1 {
				t.Errorf("Len() = %d after a failed Add, want 1", r.Len())
			}
		})
	}
}

func TestRegistryJSON(t *testing.T) {
	tests := []struct {
		name string
		json string
		want error
		msg  string
	}{
		{"missing default", `{"name": "x", "min": 0, "max": 1}`, ErrInvalidSpec, `field "x": missing key "default"`},
		{"missing name", `{"min": 0, "max": 1, "default": 0}`, ErrInvalidSpec, `missing key "name"`},
		{"bad type", `{"name": "x", "min": "zero"}`, nil, "cannot unmarshal"},
		{"invalid in array", `[{"name": "x", "min": 0, "max": 1, "default": 0}, {"name": "y", "min": 2, "max": 1, "default": 0}]`, ErrInvalidSpec, `field "y": min 2`},
		{"duplicate in array", `[{"name": "x", "min": 0, "max": 1, "default": 0}, {"name": "x", "min": 0, "max": 1, "default": 0}]`, ErrDuplicateField, `field "x"`},
		{"clashes with built-in", `{"name": "noise", "min": 0, "max": 1, "default": 0}`, ErrDuplicateField, `field "noise"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := BuiltinRegistry()
			_, err := r.AddJSON([]byte(tt.json))
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("AddJSON = %v, want %v containing %q", err, tt.want, tt.msg)
			}
			if r.Len() != len(BuiltinFields()) {
				t.Errorf("Len() = %d after a failed AddJSON, want %d", r.Len(), len(BuiltinFields()))
			}
		})
	}
}

func TestRegistryJSONFile(t *testing.T) {
	data, err := os.ReadFile("testdata/fields.json")
	if err != nil {
		t.Fatal(err)
	}
	r := BuiltinRegistry()
	ids, err := r.AddJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids[0] != 8 || ids[1] != 9 {
		t.Fatalf("ids = %v, want [8 9]", ids)
	}
	oil := r.Spec(ids[0])
	if oil.Name != "oil" || oil.Diffusion != 2 || oil.Decay != 0.001 || !oil.Advect || oil.SplitTol != 1e-3 {
		t.Errorf("oil = %+v", oil)
	}
	bio := r.Spec(ids[1])
	if bio.Default != 0.5 || bio.SplitTol != 0.01 || bio.MergeTol != 0.0025 {
		t.Errorf("bioluminescence = %+v", bio)
	}
	// A Space built from the registry reads the new default everywhere.
	s, err := New(Config{SizeX: 100, SizeY: 100, Depth: 10, Bands: 1, MaxLevel: 4}, r)
	if err != nil {
		t.Fatal(err)
	}
	if v := s.At(ids[1], 50, 50, 5); v != 0.5 {
		t.Errorf("At(bioluminescence) = %g, want 0.5", v)
	}
}

func TestSpaceAddField(t *testing.T) {
	s := testSpace(t)
	id, err := s.AddField(FieldSpec{Name: "chaff", Min: 0, Max: 1, Default: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.At(id, 1, 2, 3); got != 0.25 {
		t.Errorf("At = %g, want 0.25", got)
	}
	if _, err := s.AddField(FieldSpec{Name: "chaff", Min: 0, Max: 1}); !errors.Is(err, ErrDuplicateField) {
		t.Errorf("second AddField = %v, want ErrDuplicateField", err)
	}
	if err := s.Stamp(FieldID(99), Stamp{Shape: SphereShape(Vec3{}, 1)}); !errors.Is(err, ErrUnknownField) {
		t.Errorf("Stamp on unknown field = %v, want ErrUnknownField", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{SizeX: 0, SizeY: 1, Depth: 1, Bands: 1},
		{SizeX: 1, SizeY: 1, Depth: math.Inf(1), Bands: 1},
		{SizeX: 1, SizeY: 1, Depth: 1, Bands: 3, MaxLevel: 4},
		{SizeX: 1, SizeY: 1, Depth: 1, Bands: 8, MaxLevel: 2},
		{SizeX: 1, SizeY: 1, Depth: 1, Bands: 1, MaxLevel: 21},
	} {
		if _, err := New(cfg, nil); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("New(%+v) = %v, want ErrInvalidArgument", cfg, err)
		}
	}
}
