package morphospace

import "fmt"

// BlendMode says how a stamp combines its value v with the old value o.
type BlendMode uint8

// Blend modes. The target value of a cell is
//
//	Set: v   Add: o+v   Subtract: o−v   Multiply: o·v
//	Max: max(o, v)   Min: min(o, v)   Lerp: o + Alpha·(v−o)
//
// and the cell moves from o toward the target by the stamp weight w in [0, 1]
// (falloff times the fraction of the cell covered): o + w·(target−o). The
// result is clamped to the field range.
const (
	Set BlendMode = iota
	Add
	Subtract
	Multiply
	Max
	Min
	Lerp
)

// String returns the lower-case name of m.
func (m BlendMode) String() string {
	switch m {
	case Set:
		return "set"
	case Add:
		return "add"
	case Subtract:
		return "subtract"
	case Multiply:
		return "multiply"
	case Max:
		return "max"
	case Min:
		return "min"
	case Lerp:
		return "lerp"
	}
	return fmt.Sprintf("BlendMode(%d)", uint8(m))
}

// FalloffKind selects how a stamp's weight falls toward the shape surface.
type FalloffKind uint8

// Falloff kinds, as functions of the normalized distance t (0 at the core, 1
// on the surface) and s = (1−t)/(1−Inner), clamped to [0, 1]:
//
//	Hard:   1 inside the shape
//	Linear: s
//	Smooth: s²(3−2s)  (smoothstep)
const (
	Hard FalloffKind = iota
	Linear
	Smooth
)

// Falloff shapes the weight of a stamp: full strength for t ≤ Inner, then
// falling to zero at the surface as Kind says.
type Falloff struct {
	Kind  FalloffKind
	Inner float64 // in [0, 1)
}

// weight returns the falloff weight at normalized distance t.
func (f Falloff) weight(t float64) float64 {
	if t >= 1 {
		return 0
	}
	if f.Kind == Hard || t <= f.Inner {
		return 1
	}
	s := (1 - t) / (1 - f.Inner)
	if f.Kind == Linear {
		return s
	}
	return float64(s*s) * (3 - 2*s)
}

// A Stamp writes Value into a field over Shape.
type Stamp struct {
	Shape   Shape
	Value   float64
	Blend   BlendMode
	Alpha   float64 // Lerp only, in [0, 1]
	Falloff Falloff
	// MaxLevel, when positive, is the deepest level to which this stamp
	// splits nodes (at most the Space's MaxLevel): a large, smooth stamp
	// need not refine to the finest cell. Leaves at MaxLevel take the blend
	// as leaves at the Space's MaxLevel do.
	MaxLevel int
	// Samples, when positive, is the number of sample points per axis
	// (at most 4) that estimate the mean weight over a partly covered leaf;
	// 0 means 4. Fewer samples make a large stamp cheaper and its edge
	// coarser.
	Samples int
}

// target returns the value the stamp drives a cell of value o toward.
func (s *Stamp) target(o float64) float64 {
	switch s.Blend {
	case Add:
		return o + s.Value
	case Subtract:
		return o - s.Value
	case Multiply:
		return o * s.Value
	case Max:
		return max(o, s.Value)
	case Min:
		return min(o, s.Value)
	case Lerp:
		return o + float64(s.Alpha*(s.Value-o))
	}
	return s.Value
}

// overwrites reports whether a full-weight application makes every cell
// equal to Value whatever its old value.
func (s *Stamp) overwrites() bool {
	return s.Blend == Set || (s.Blend == Lerp && s.Alpha == 1)
}
