package morphospace

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// A Registry is an ordered set of field specs with unique names. Fields can be
// added at run time from a FieldSpec or from JSON, without new Go code.
// The zero Registry is empty and ready to use.
type Registry struct {
	specs  []FieldSpec
	byName map[string]FieldID // lookup only; never iterated
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{} }

// BuiltinRegistry returns a registry holding BuiltinFields.
func BuiltinRegistry() *Registry {
	r := NewRegistry()
	for _, s := range BuiltinFields() {
		if _, err := r.Add(s); err != nil {
			panic(err) // the built-in table is valid by construction
		}
	}
	return r
}

// Add validates spec, fills in default tolerances and registers it under the
// next FieldID. The error names the field and wraps ErrInvalidSpec or
// ErrDuplicateField.
func (r *Registry) Add(spec FieldSpec) (FieldID, error) {
	s, err := spec.normalized()
	if err != nil {
		return -1, err
	}
	if _, dup := r.byName[s.Name]; dup {
		return -1, fmt.Errorf("morphospace: field %q: %w", s.Name, ErrDuplicateField)
	}
	if r.byName == nil {
		r.byName = make(map[string]FieldID)
	}
	id := FieldID(len(r.specs))
	r.specs = append(r.specs, s)
	r.byName[s.Name] = id
	return id, nil
}

// jsonSpec mirrors FieldSpec with pointers so that missing keys are detected.
type jsonSpec struct {
	Name      *string  `json:"name"`
	Min       *float64 `json:"min"`
	Max       *float64 `json:"max"`
	Default   *float64 `json:"default"`
	Diffusion float64  `json:"diffusion"`
	Decay     float64  `json:"decay"`
	Advect    bool     `json:"advect"`
	SplitTol  float64  `json:"split_tol"`
	MergeTol  float64  `json:"merge_tol"`
}

// ParseFieldSpec decodes one JSON object such as
//
//	{"name": "oil", "min": 0, "max": 1, "default": 0, "diffusion": 2, "decay": 0.001, "advect": true}
//
// Keys name, min, max and default are required; diffusion, decay, advect,
// split_tol and merge_tol default to zero (tolerances then take their
// FieldSpec defaults). Unknown keys are ignored for forward compatibility.
func ParseFieldSpec(data []byte) (FieldSpec, error) {
	var j jsonSpec
	if err := json.Unmarshal(data, &j); err != nil {
		return FieldSpec{}, fmt.Errorf("morphospace: field spec: %w", err)
	}
	name := "<unnamed>"
	if j.Name != nil {
		name = *j.Name
	}
	for _, req := range []struct {
		key     string
		missing bool
	}{{"name", j.Name == nil}, {"min", j.Min == nil}, {"max", j.Max == nil}, {"default", j.Default == nil}} {
		if req.missing {
			return FieldSpec{}, fmt.Errorf("morphospace: field %q: missing key %q: %w", name, req.key, ErrInvalidSpec)
		}
	}
	return FieldSpec{
		Name: *j.Name, Min: *j.Min, Max: *j.Max, Default: *j.Default,
		Diffusion: j.Diffusion, Decay: j.Decay, Advect: j.Advect,
		SplitTol: j.SplitTol, MergeTol: j.MergeTol,
	}, nil
}

// AddJSON registers the fields described by data, which is either one JSON
// object (see ParseFieldSpec) or an array of them. It returns the new IDs in
// order. On error nothing is registered.
func (r *Registry) AddJSON(data []byte) ([]FieldID, error) {
	data = bytes.TrimSpace(data)
	var raws []json.RawMessage
	if len(data) > 0 && data[0] == '[' {
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, fmt.Errorf("morphospace: field specs: %w", err)
		}
	} else {
		raws = []json.RawMessage{data}
	}
	specs := make([]FieldSpec, 0, len(raws))
	for i, raw := range raws {
		s, err := ParseFieldSpec(raw)
		if err != nil {
			return nil, fmt.Errorf("morphospace: field spec [%d]: %w", i, err)
		}
		specs = append(specs, s)
	}
	trial := r.Clone()
	ids := make([]FieldID, 0, len(specs))
	for _, s := range specs {
		id, err := trial.Add(s)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	*r = *trial
	return ids, nil
}

// Lookup returns the ID of the named field. The error wraps ErrUnknownField.
func (r *Registry) Lookup(name string) (FieldID, error) {
	if id, ok := r.byName[name]; ok {
		return id, nil
	}
	return -1, fmt.Errorf("morphospace: field %q: %w", name, ErrUnknownField)
}

// Spec returns the normalized spec of field id. It panics if id is not
// registered.
func (r *Registry) Spec(id FieldID) FieldSpec { return r.specs[id] }

// Len returns the number of registered fields.
func (r *Registry) Len() int { return len(r.specs) }

// Names returns the field names in ID order.
func (r *Registry) Names() []string {
	names := make([]string, len(r.specs))
	for i, s := range r.specs {
		names[i] = s.Name
	}
	return names
}

// Clone returns an independent copy of r.
func (r *Registry) Clone() *Registry {
	c := &Registry{specs: append([]FieldSpec(nil), r.specs...)}
	if len(r.specs) > 0 {
		c.byName = make(map[string]FieldID, len(r.specs))
		for i, s := range r.specs {
			c.byName[s.Name] = FieldID(i)
		}
	}
	return c
}
