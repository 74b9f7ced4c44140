package contract

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/tidebreak/tidebreak/go/core/jsontree"
)

// Description is arena.v1 written out as data: every type and field with
// its JSON name, kind, default, bounds, enum and required flag, the enums,
// the type-dependent defaults and the document-wide limits. It is what
// go/cmd/contractgen turns into the Python models and the docs tables, so
// that both follow the Go definitions.
type Description struct {
	SchemaVersion string              `json:"schema_version"`
	Limits        []Limit             `json:"limits"`
	Enums         map[string][]string `json:"enums"`
	// Types lists every struct type, each after the types its fields use.
	Types []TypeSpec `json:"types"`
	// TypeDefaults gives, for the types whose defaults depend on their
	// "type" key (Sensor, Weapon), the defaults of each type value.
	TypeDefaults map[string]map[string]json.RawMessage `json:"type_defaults"`
	// Roots names the document types: BattlePackage and BattleResult.
	Roots []string `json:"roots"`
	// Constants are named numbers of the contract.
	Constants map[string]float64 `json:"constants"`
}

// Limit is one document-wide limit.
type Limit struct {
	Name  string `json:"name"`
	Value int    `json:"value"`
	Doc   string `json:"doc"`
}

// TypeSpec is one struct type of the contract.
type TypeSpec struct {
	Name   string      `json:"name"` // the Go type name
	Fields []FieldSpec `json:"fields"`
}

// TypeRef is the JSON shape of a field's values.
type TypeRef struct {
	// Kind is one of "string", "bool", "number" (float64), "integer"
	// (int64), "u64", "object" (Name), "list" (of Elem), "map" (string
	// keys, Elem values), "array" (Len of Elem) or "json" (any JSON value,
	// checked by the arena).
	Kind string   `json:"kind"`
	Name string   `json:"name,omitempty"`
	Elem *TypeRef `json:"elem,omitempty"`
	Len  int      `json:"len,omitempty"`
}

// FieldSpec is one field of a type.
type FieldSpec struct {
	Name   string  `json:"name"`    // JSON key
	GoName string  `json:"go_name"` // struct field name
	Type   TypeRef `json:"type"`
	// Optional fields are pointers: absent (or null) means none.
	Optional  bool `json:"optional,omitempty"`
	OmitEmpty bool `json:"omit_empty,omitempty"`
	Required  bool `json:"required,omitempty"`
	// Default is the field's value when the key is missing, as JSON.
	Default json.RawMessage `json:"default"`
	Range   *Interval       `json:"range,omitempty"`
	MinLen  *int            `json:"min_len,omitempty"`
	MaxLen  *int            `json:"max_len,omitempty"`
	Inner   *[2]int         `json:"inner,omitempty"`
	Enum    string          `json:"enum,omitempty"`
}

// Describe returns the description of arena.v1; controllers is the
// controller registry (arena.ControllerNames), listed as the "controller"
// enum.
func Describe(controllers []string) *Description {
	d := &Description{
		SchemaVersion: SchemaVersion,
		Limits: []Limit{
			{"max_package_bytes", MaxPackageBytes, "size of a package document, bytes"},
			{"max_depth", MaxDepth, "nesting of objects and arrays"},
			{"max_string_bytes", MaxStringBytes, "length of every string and map key, UTF-8 bytes"},
			{"max_values", MaxValues, "values (of every kind) in a package document"},
		},
		Enums:        map[string][]string{"controller": append([]string(nil), controllers...)},
		TypeDefaults: map[string]map[string]json.RawMessage{"Sensor": {}, "Weapon": {}},
		Roots:        []string{"BattlePackage", "BattleResult"},
		Constants:    map[string]float64{"trace_version": TraceVersion, "default_morale": DefaultMorale},
	}
	for _, name := range []string{"schema_version", "shape_kind", "material", "modifier_type", "currents_kind",
		"precipitation", "depth_class", "ship_class", "sensor_type", "weapon_type", "guidance_kind", "layer",
		"fate", "capture_method"} {
		d.Enums[name] = Enum(name)
	}
	for _, t := range Enum("sensor_type") {
		d.TypeDefaults["Sensor"][t] = mustJSON(DefaultSensor(t))
	}
	for _, t := range Enum("weapon_type") {
		d.TypeDefaults["Weapon"][t] = mustJSON(DefaultWeapon(t))
	}
	seen := map[reflect.Type]bool{}
	pkg := DefaultPackage()
	d.describe(reflect.ValueOf(pkg), seen)
	d.describe(reflect.ValueOf(BattleResult{SchemaVersion: SchemaVersion, Replay: Replay{TraceVersion: TraceVersion}}), seen)
	return d
}

// describe adds v's struct type (after the types it uses), taking field
// defaults from v.
func (d *Description) describe(v reflect.Value, seen map[reflect.Type]bool) {
	t := v.Type()
	if seen[t] {
		return
	}
	seen[t] = true
	spec := TypeSpec{Name: t.Name()}
	for _, f := range fieldsOf(t) {
		fv := v.Field(f.index)
		sf := t.Field(f.index)
		fs := FieldSpec{Name: f.name, GoName: sf.Name, Type: d.ref(sf.Type, fv, seen), OmitEmpty: f.omitEmpty,
			Required: f.c.Required, Range: f.c.Range, Inner: f.c.Inner, Enum: f.c.Enum,
			Optional: sf.Type.Kind() == reflect.Pointer, Default: mustJSON(fv.Interface())}
		if sf.Type == rawMessageType {
			fs.Optional, fs.Default = true, json.RawMessage("null")
		}
		if f.c.Len != nil {
			fs.MinLen, fs.MaxLen = &f.c.Len[0], &f.c.Len[1]
		}
		spec.Fields = append(spec.Fields, fs)
	}
	d.Types = append(d.Types, spec)
}

// ref describes type t; v is a value of it (the default in context) used
// for the defaults of a struct type met for the first time.
func (d *Description) ref(t reflect.Type, v reflect.Value, seen map[reflect.Type]bool) TypeRef {
	if t == rawMessageType {
		return TypeRef{Kind: "json"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsValid() && !v.IsNil() {
			return d.ref(t.Elem(), v.Elem(), seen)
		}
		return d.ref(t.Elem(), newDefault(t.Elem()), seen)
	case reflect.Struct:
		d.describe(v, seen)
		return TypeRef{Kind: "object", Name: t.Name()}
	case reflect.Slice:
		e := d.ref(t.Elem(), newDefault(t.Elem()), seen)
		return TypeRef{Kind: "list", Elem: &e}
	case reflect.Array:
		e := d.ref(t.Elem(), newDefault(t.Elem()), seen)
		return TypeRef{Kind: "array", Elem: &e, Len: t.Len()}
	case reflect.Map:
		e := d.ref(t.Elem(), newDefault(t.Elem()), seen)
		return TypeRef{Kind: "map", Elem: &e}
	case reflect.String:
		return TypeRef{Kind: "string"}
	case reflect.Bool:
		return TypeRef{Kind: "bool"}
	case reflect.Float64:
		return TypeRef{Kind: "number"}
	case reflect.Int:
		return TypeRef{Kind: "integer"}
	case reflect.Uint64:
		return TypeRef{Kind: "u64"}
	}
	panic(fmt.Sprintf("contract: no description for %s", t))
}

// newDefault is the value a list element or pointer target of type t
// starts from when decoded from an object without keys.
func newDefault(t reflect.Type) reflect.Value {
	p := reflect.New(t)
	if df, ok := p.Interface().(defaulted); ok {
		empty, _ := jsontree.Parse([]byte("{}"), jsontree.Limits{})
		df.setDefaults(empty.Root())
	}
	return p.Elem()
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
