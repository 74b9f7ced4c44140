package morphospace

import (
	"fmt"
	"math"
)

// Config fixes the geometry of a Space.
type Config struct {
	// SizeX and SizeY are the horizontal extent of the world in metres.
	SizeX, SizeY float64
	// Depth is the vertical extent in metres, divided into Bands bands.
	Depth float64
	// Bands is the number of depth bands, a power of two no larger than
	// 2^MaxLevel.
	Bands int
	// MaxLevel is the deepest refinement level: the finest cell is
	// SizeX/2^MaxLevel by SizeY/2^MaxLevel by one band. At most
	// MaxLevelLimit.
	MaxLevel int
	// MaxLeaves bounds the leaves of all fields together (0 means
	// DefaultMaxLeaves; at most MaxLeavesLimit). A stamp does not split a
	// leaf where the split would pass it (the leaf takes the blend averaged
	// over it, as at MaxLevel), and UnmarshalBinary refuses trees beyond
	// it: memory and the work of every call stay proportional to it
	// whatever the shapes and MaxLevel.
	MaxLeaves int
}

// Bounds on the geometry and the size of a Space.
const (
	// MaxLevelLimit is the deepest MaxLevel: 65536 cells along each axis.
	MaxLevelLimit = 16
	// DefaultMaxLeaves is the leaf budget of a Space whose Config leaves
	// MaxLeaves 0: about 100 MB of trees at most, and a few seconds for a
	// stamp that refines all of them.
	DefaultMaxLeaves = 1 << 20
	// MaxLeavesLimit is the largest MaxLeaves.
	MaxLeavesLimit = 1 << 24
)

// maxLeaves returns the leaf budget.
func (c Config) maxLeaves() int {
	if c.MaxLeaves == 0 {
		return DefaultMaxLeaves
	}
	return c.MaxLeaves
}

// validate reports a malformed Config.
func (c Config) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("morphospace: config: %s: %w", fmt.Sprintf(format, args...), ErrInvalidArgument)
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"SizeX", c.SizeX}, {"SizeY", c.SizeY}, {"Depth", c.Depth}} {
		if !(p.v > 0) || math.IsInf(p.v, 0) {
			return bad("%s %g is not a positive finite length", p.name, p.v)
		}
	}
	if c.MaxLevel < 0 || c.MaxLevel > MaxLevelLimit {
		return bad("MaxLevel %d is outside [0, %d]", c.MaxLevel, MaxLevelLimit)
	}
	if c.MaxLeaves < 0 || c.MaxLeaves > MaxLeavesLimit {
		return bad("MaxLeaves %d is outside [0, %d]", c.MaxLeaves, MaxLeavesLimit)
	}
	if c.Bands < 1 || c.Bands&(c.Bands-1) != 0 || c.Bands > 1<<c.MaxLevel {
		return bad("Bands %d is not a power of two in [1, 2^MaxLevel]", c.Bands)
	}
	return nil
}

// A Space is a set of environment fields over one world. Its methods are not
// safe for concurrent use; distinct Spaces share nothing.
type Space struct {
	cfg   Config
	g     geom
	reg   *Registry
	trees []tree
	fov   *fovea        // Foveate's scratch, made by the first Foveate
	fovS  *sampledCache // FoveateSampled's scratch and rasters
	gen   uint64        // bumped by every call that may change a field
}

// New returns a Space with geometry cfg and one field per spec of reg (a nil
// reg means BuiltinRegistry). The Space keeps its own copy of the registry;
// every cell of every field reads the field default.
func New(cfg Config, reg *Registry) (*Space, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if reg == nil {
		reg = BuiltinRegistry()
	}
	n := float64(int64(1) << cfg.MaxLevel)
	s := &Space{
		cfg: cfg,
		g: geom{
			maxLevel: int32(cfg.MaxLevel), bands: int32(cfg.Bands),
			cx: cfg.SizeX / n, cy: cfg.SizeY / n, cz: cfg.Depth / float64(cfg.Bands),
		},
		reg: reg.Clone(),
	}
	for _, spec := range s.reg.specs {
		s.trees = append(s.trees, newTree(spec.Default))
	}
	return s, nil
}

// Reset sets every field of s back to its default, as New left it, but
// keeps the memory s has grown (tree pools, scratch, memos): a Space reset
// for episode after episode allocates nothing once warm. Everything after
// a Reset gives the results it would give on a new Space.
func (s *Space) Reset() {
	for i := range s.trees {
		t := &s.trees[i]
		t.nodes = t.nodes[:1]
		t.nodes[0] = node{child: noChild}
		t.nodes[0].setValue(s.reg.specs[i].Default)
		t.free = t.free[:0]
		t.leaves = 1
		t.topo++ // the step cache rebuilds
	}
	s.gen++
}

// AddField registers spec in s and creates its field, every cell at the
// default. Errors are those of Registry.Add.
func (s *Space) AddField(spec FieldSpec) (FieldID, error) {
	id, err := s.reg.Add(spec)
	if err != nil {
		return -1, err
	}
	s.trees = append(s.trees, newTree(s.reg.specs[id].Default))
	s.gen++
	return id, nil
}

// Generation returns a number that changes whenever a call may have
// changed a field of s (Stamp, Step, UnmarshalBinary, AddField): reads
// cached under one generation stay valid until it changes.
func (s *Space) Generation() uint64 { return s.gen }

// Config returns the geometry of s.
func (s *Space) Config() Config { return s.cfg }

// Field returns the ID of the named field; the error wraps ErrUnknownField.
func (s *Space) Field(name string) (FieldID, error) { return s.reg.Lookup(name) }

// Spec returns the normalized spec of field f. It panics if f is not a
// field of s.
func (s *Space) Spec(f FieldID) FieldSpec { return s.reg.specs[f] }

// NumFields returns the number of fields of s.
func (s *Space) NumFields() int { return len(s.trees) }

// CellSize returns the size in metres of the finest cell.
func (s *Space) CellSize() Vec3 { return Vec3{s.g.cx, s.g.cy, s.g.cz} }

// Bounds returns the world box.
func (s *Space) Bounds() Box {
	return Box{Max: Vec3{s.cfg.SizeX, s.cfg.SizeY, s.cfg.Depth}}
}

// Leaves returns the number of leaves of field f's tree.
func (s *Space) Leaves(f FieldID) int { return s.trees[f].leaves }

// totalLeaves returns the leaves of all fields, which MaxLeaves bounds.
func (s *Space) totalLeaves() int {
	n := 0
	for i := range s.trees {
		n += s.trees[i].leaves
	}
	return n
}

// Clone returns an independent deep copy of s.
func (s *Space) Clone() *Space {
	c := &Space{cfg: s.cfg, g: s.g, reg: s.reg.Clone(), trees: make([]tree, len(s.trees))}
	for i := range s.trees {
		c.trees[i] = s.trees[i].clone()
	}
	return c
}

// Total returns the integral of field f over the world: the sum over
// leaves of value × volume, in field units × m³.
func (s *Space) Total(f FieldID) float64 {
	return s.total(&s.trees[f], 0, 0)
}

func (s *Space) total(t *tree, n int32, l int32) float64 {
	if t.nodes[n].isLeaf() {
		return float64(t.nodes[n].mean * s.g.volume(l))
	}
	sum := 0.0
	b := t.nodes[n].child
	for k := range int32(s.g.nchild(l)) {
		sum += s.total(t, b+k, l+1)
	}
	return sum
}

// checkField returns an error unless f is a field of s.
func (s *Space) checkField(f FieldID) error {
	if f < 0 || int(f) >= len(s.trees) {
		return fmt.Errorf("morphospace: field id %d: %w", f, ErrUnknownField)
	}
	return nil
}
