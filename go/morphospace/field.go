package morphospace

import (
	"errors"
	"fmt"
	"math"
)

// FieldID identifies a field of a Registry or Space. IDs are dense and follow
// registration order, starting at 0.
type FieldID int

// Names of the built-in fields.
const (
	Noise       = "noise"        // acoustic noise level, dB re 1 µPa
	SonarReturn = "sonar_return" // active sonar return strength, 0–1
	Temperature = "temperature"  // water temperature, °C
	Salinity    = "salinity"     // salinity, PSU
	CurrentU    = "current_u"    // current velocity toward +x (east), m/s
	CurrentV    = "current_v"    // current velocity toward +y (north), m/s
	SeaState    = "sea_state"    // sea state / hazard intensity, Douglas scale 0–9
	Smoke       = "smoke"        // smoke density, 0–1
)

// FieldSpec describes one scalar field: its valid range, the value of cells
// never written, how it propagates, and the tolerances that drive refinement.
// It is plain data and round-trips through JSON with the tags below.
type FieldSpec struct {
	// Name identifies the field; it must be unique within a Registry.
	Name string `json:"name"`
	// Min and Max bound the field; every stored value is clamped to them.
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// Default is the value of cells never written and the value decay
	// relaxes toward. It must lie in [Min, Max].
	Default float64 `json:"default"`
	// Diffusion is the diffusion coefficient in m²/s (0 disables diffusion).
	Diffusion float64 `json:"diffusion"`
	// Decay is the relaxation rate toward Default in 1/s (0 disables decay).
	Decay float64 `json:"decay"`
	// Advect makes the field move with the current (fields CurrentU and
	// CurrentV of the same Space).
	Advect bool `json:"advect"`
	// SplitTol is the smallest variation, in field units, that a stamp may
	// create inside one node without splitting it. Zero selects
	// 1e-3 × (Max − Min).
	SplitTol float64 `json:"split_tol,omitempty"`
	// MergeTol is the largest spread (max − min) of sibling leaves that are
	// merged into one. It must be smaller than SplitTol (hysteresis).
	// Zero selects SplitTol / 4.
	MergeTol float64 `json:"merge_tol,omitempty"`
}

// Errors reported by the package; test for them with errors.Is.
var (
	// ErrInvalidSpec reports a FieldSpec that fails validation.
	ErrInvalidSpec = errors.New("invalid field spec")
	// ErrDuplicateField reports a field name that is already registered.
	ErrDuplicateField = errors.New("duplicate field name")
	// ErrUnknownField reports a field name or ID that is not registered.
	ErrUnknownField = errors.New("unknown field")
	// ErrInvalidArgument reports a bad argument to a Space method.
	ErrInvalidArgument = errors.New("invalid argument")
)

// normalized returns s with zero tolerances replaced by their defaults, or an
// error naming the field and the offending parameter.
func (s FieldSpec) normalized() (FieldSpec, error) {
	bad := func(format string, args ...any) (FieldSpec, error) {
		return s, fmt.Errorf("morphospace: field %q: %s: %w", s.Name, fmt.Sprintf(format, args...), ErrInvalidSpec)
	}
	if s.Name == "" {
		return bad("empty name")
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"min", s.Min}, {"max", s.Max}, {"default", s.Default}, {"diffusion", s.Diffusion},
		{"decay", s.Decay}, {"split_tol", s.SplitTol}, {"merge_tol", s.MergeTol}} {
		if math.IsNaN(p.v) || math.IsInf(p.v, 0) {
			return bad("%s is not finite", p.name)
		}
	}
	switch {
	case !(s.Min < s.Max):
		return bad("min %g is not below max %g", s.Min, s.Max)
	case s.Default < s.Min || s.Default > s.Max:
		return bad("default %g is outside [%g, %g]", s.Default, s.Min, s.Max)
	case s.Diffusion < 0:
		return bad("diffusion %g is negative", s.Diffusion)
	case s.Decay < 0:
		return bad("decay %g is negative", s.Decay)
	case s.SplitTol < 0:
		return bad("split_tol %g is negative", s.SplitTol)
	case s.MergeTol < 0:
		return bad("merge_tol %g is negative", s.MergeTol)
	}
	if s.SplitTol == 0 {
		s.SplitTol = 1e-3 * (s.Max - s.Min)
	}
	if s.MergeTol == 0 {
		s.MergeTol = s.SplitTol / 4
	}
	if !(s.MergeTol < s.SplitTol) {
		return bad("merge_tol %g is not below split_tol %g", s.MergeTol, s.SplitTol)
	}
	return s, nil
}

// clamp limits v to the field's range.
func (s *FieldSpec) clamp(v float64) float64 {
	if v < s.Min {
		return s.Min
	}
	if v > s.Max {
		return s.Max
	}
	return v
}

// BuiltinFields returns the specs of the built-in fields, in the order in
// which BuiltinRegistry registers them. The numbers are tuning defaults; a
// caller may edit the returned slice before registering it.
func BuiltinFields() []FieldSpec {
	return []FieldSpec{
		{Name: Noise, Min: 0, Max: 200, Default: 60, Diffusion: 50, Decay: 0.5},
		{Name: SonarReturn, Min: 0, Max: 1, Default: 0, Diffusion: 0, Decay: 0.2},
		{Name: Temperature, Min: -2, Max: 40, Default: 15, Diffusion: 1, Advect: true},
		{Name: Salinity, Min: 0, Max: 45, Default: 35, Diffusion: 1, Advect: true},
		{Name: CurrentU, Min: -5, Max: 5, Default: 0},
		{Name: CurrentV, Min: -5, Max: 5, Default: 0},
		{Name: SeaState, Min: 0, Max: 9, Default: 0},
		{Name: Smoke, Min: 0, Max: 1, Default: 0, Diffusion: 5, Decay: 0.01, Advect: true},
	}
}
