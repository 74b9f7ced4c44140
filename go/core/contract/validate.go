package contract

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
)

// Validate checks every rule of arena.v1, accepting any non-empty
// controller name, and returns a *ValidationError listing each problem with
// its field path, or nil.
func (p *BattlePackage) Validate() error { return p.ValidateWith(Options{}) }

// ValidateWith checks every rule of arena.v1: first each field's own
// constraint (its `tb` tag: required, enum, bounds, lengths), then the
// rules between fields. Options.Controllers, when set, lists the
// controller names a ship may use.
func (p *BattlePackage) ValidateWith(opts Options) error {
	ck := checker{opts: opts, types: typeCache{}}
	ck.structValue(reflect.ValueOf(p).Elem(), "")
	p.crossRules(&ck.v)
	return ck.v.err()
}

// checker applies the `tb` constraints to a decoded value.
type checker struct {
	v     problems
	opts  Options
	types typeCache
}

func (ck *checker) structValue(v reflect.Value, path string) {
	for _, f := range ck.types.fields(v.Type()) {
		ck.field(v.Field(f.index), join(path, f.name), &f.c)
	}
}

func (ck *checker) enum(name string) []string {
	if name == "controller" {
		return ck.opts.Controllers
	}
	return Enum(name)
}

func (ck *checker) field(v reflect.Value, path string, c *Constraint) {
	t := v.Type()
	if t == rawMessageType {
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			ck.field(v.Elem(), path, c)
		}
	case reflect.Struct:
		ck.structValue(v, path)
	case reflect.Slice:
		if !ck.length(path, v.Len(), c.Len) {
			return
		}
		inner := Constraint{Range: c.Range, Len: c.Inner}
		for i := 0; i < v.Len(); i++ {
			ck.field(v.Index(i), fmt.Sprintf("%s[%d]", path, i), &inner)
		}
	case reflect.Array:
		inner := Constraint{Range: c.Range}
		for i := 0; i < v.Len(); i++ {
			ck.field(v.Index(i), fmt.Sprintf("%s[%d]", path, i), &inner)
		}
	case reflect.Map:
		if !ck.length(path, v.Len(), c.Len) {
			return
		}
		inner := Constraint{Range: c.Range}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		for _, k := range slices.Sorted(slices.Values(keys)) {
			kp := join(path, k)
			if len(k) > MaxStringBytes {
				ck.v.add(kp, "key must be at most %d bytes long (got %d)", MaxStringBytes, len(k))
				continue
			}
			ck.field(v.MapIndex(reflect.ValueOf(k)), kp, &inner)
		}
	case reflect.String:
		s := v.String()
		switch {
		case c.Required && s == "":
			ck.v.add(path, "is required")
		case len(s) > MaxStringBytes:
			ck.v.add(path, "must be at most %d bytes long (got %d)", MaxStringBytes, len(s))
		case c.Enum != "":
			allowed := ck.enum(c.Enum)
			if allowed == nil || slices.Contains(allowed, s) {
				return
			}
			msg := fmt.Sprintf("must be one of %s (got %q)", strings.Join(quoteAll(allowed), ", "), s)
			if c.Enum == "controller" {
				msg = fmt.Sprintf("unknown controller %q (known: %s)", s, strings.Join(allowed, ", "))
			}
			if sug := Suggest(s, allowed); sug != "" {
				msg += fmt.Sprintf("; did you mean %q?", sug)
			}
			ck.v.add(path, "%s", msg)
		}
	case reflect.Float64, reflect.Int, reflect.Uint64:
		if c.Range != nil && !inRange(v, c.Range) {
			ck.v.add(path, "%s (got %s)", rangeMessage(v, c.Range), numberText(v))
		}
	}
}

// rangeMessage words a bound a number broke: the whole interval when it is
// narrow (at most 10 wide, like [0, 1] or [0, 9]) or the number is NaN,
// otherwise the end it went past ("must be > 0", "must be <= 1000").
func rangeMessage(v reflect.Value, r *Interval) string {
	var x float64
	switch v.Kind() {
	case reflect.Uint64:
		x = float64(v.Uint())
	case reflect.Int:
		x = float64(v.Int())
	default:
		x = v.Float()
	}
	if x != x || r.Hi-r.Lo <= 10 {
		return "must be within " + r.String()
	}
	if x <= r.Lo {
		if r.LoOpen {
			return "must be > " + r.LoText
		}
		return "must be >= " + r.LoText
	}
	if r.HiOpen {
		return "must be < " + r.HiText
	}
	return "must be <= " + r.HiText
}

func (ck *checker) length(path string, n int, bounds *[2]int) bool {
	if bounds == nil {
		return true
	}
	switch {
	case n < bounds[0] && bounds[0] == 1:
		ck.v.add(path, "must have at least 1 element (got 0)")
	case n < bounds[0]:
		ck.v.add(path, "must have at least %d elements (got %d)", bounds[0], n)
	case n > bounds[1]:
		ck.v.add(path, "must have at most %d elements (got %d)", bounds[1], n)
		return false
	}
	return true
}

// crossRules checks the rules that relate fields to each other.
func (p *BattlePackage) crossRules(v *problems) {
	if ts := p.TimeStepS; ts > 0 && ts <= 1 {
		if n := math.Round(1 / ts); math.Abs(n*ts-1) > 1e-9 || n > 1000 {
			v.add("time_step_s", "must divide 1.0 into at most 1000 substeps (got %v)", ts)
		}
	}
	teams := map[string]bool{}
	for i, t := range p.Teams {
		if t.TeamID != "" && teams[t.TeamID] {
			v.add(fmt.Sprintf("teams[%d].team_id", i), "duplicate team id %q", t.TeamID)
		}
		teams[t.TeamID] = true
	}
	p.Map.crossRules(v, "map")
	ids := map[string]bool{}
	for i := range p.Ships {
		s := &p.Ships[i]
		path := fmt.Sprintf("ships[%d]", i)
		if s.ShipID != "" && ids[s.ShipID] {
			v.add(path+".ship_id", "duplicate ship id %q", s.ShipID)
		}
		ids[s.ShipID] = true
		if s.TeamID != "" && !teams[s.TeamID] {
			v.add(path+".team_id", "names no team in teams (got %q)", s.TeamID)
		}
		s.crossRules(v, path, &p.Map.Bounds)
	}
}

func (m *Map) crossRules(v *problems, path string) {
	b := m.Bounds
	if !(b.MaxX > b.MinX) {
		v.add(path+".bounds.max_x", "must be > min_x (got %v <= %v)", b.MaxX, b.MinX)
	}
	if !(b.MaxY > b.MinY) {
		v.add(path+".bounds.max_y", "must be > min_y (got %v <= %v)", b.MaxY, b.MinY)
	}
	for i := range m.Obstacles {
		m.Obstacles[i].Shape.crossRules(v, fmt.Sprintf("%s.obstacles[%d].shape", path, i))
	}
	for i := range m.Zones {
		m.Zones[i].Shape.crossRules(v, fmt.Sprintf("%s.zones[%d].shape", path, i))
	}
	if c := m.Currents; c != nil && c.Kind == CurrentsGrid {
		cp := path + ".currents"
		if !(c.CellSize > 0) {
			v.add(cp+".cell_size", "must be > 0 for a grid (got %v)", c.CellSize)
		}
		if len(c.Cells) == 0 || len(c.Cells[0]) == 0 {
			v.add(cp+".cells", "must be a non-empty grid of [u, v] rows")
		}
		for r, row := range c.Cells {
			if len(row) != len(c.Cells[0]) {
				v.add(fmt.Sprintf("%s.cells[%d]", cp, r), "has %d cells, row 0 has %d", len(row), len(c.Cells[0]))
			}
		}
	}
	for i := range m.Terrain.Regions {
		m.Terrain.Regions[i].Shape.crossRules(v, fmt.Sprintf("%s.terrain.regions[%d].shape", path, i))
	}
}

func (s *Shape) crossRules(v *problems, path string) {
	switch s.Kind {
	case ShapeCircle:
		if !(s.Radius > 0) {
			v.add(path+".radius", "must be > 0 for a circle (got %v)", s.Radius)
		}
	case ShapePolygon:
		if len(s.Vertices) < 3 {
			v.add(path+".vertices", "a polygon needs at least 3 vertices (got %d)", len(s.Vertices))
		}
	}
}

func (s *Ship) crossRules(v *problems, path string, b *Bounds) {
	h, c := s.Hull, s.Capabilities
	if !c.CanSurface && !c.CanSubmerge {
		v.add(path+".capabilities", "a ship must be able to surface or submerge")
	}
	slots := map[string]bool{}
	for i, w := range s.Weapons {
		wp := fmt.Sprintf("%s.weapons[%d]", path, i)
		if w.Slot != "" && slots[w.Slot] {
			v.add(wp+".slot", "duplicate slot %q", w.Slot)
		}
		slots[w.Slot] = true
		if g := w.Projectile.Guidance; g.Kind == GuidanceHoming {
			gp := wp + ".projectile.guidance"
			for _, f := range []struct {
				name string
				x    float64
			}{{"turn_rate", g.TurnRate}, {"seeker_range", g.SeekerRange}, {"seeker_cone", g.SeekerCone}} {
				if !(f.x > 0) {
					v.add(gp+"."+f.name, "must be > 0 for homing guidance (got %v)", f.x)
				}
			}
		}
	}
	st := s.InitialState
	ip := path + ".initial_state"
	if st.X < b.MinX || st.X > b.MaxX || st.Y < b.MinY || st.Y > b.MaxY {
		v.add(ip, "position (%v, %v) lies outside map.bounds", st.X, st.Y)
	}
	if h.MaxSpeed > 0 && math.Abs(st.Speed) > h.MaxSpeed {
		v.add(ip+".speed", "must be within ±hull.max_speed (got %v)", st.Speed)
	}
	if st.Layer == LayerSubmerged && !c.CanSubmerge {
		v.add(ip+".layer", "ship cannot submerge (capabilities.can_submerge is false)")
	}
	if st.Layer == LayerSurface && !c.CanSurface {
		v.add(ip+".layer", "ship cannot surface (capabilities.can_surface is false)")
	}
	if st.HP != nil && h.HP > 0 && *st.HP > h.HP {
		v.add(ip+".hp", "must be at most hull.hp (got %v > %v)", *st.HP, h.HP)
	}
	for _, k := range slices.Sorted(maps.Keys(st.Ammo)) {
		if !slots[k] {
			v.add(join(ip+".ammo", k), "names no weapon slot (slots: %s)", strings.Join(quoteAll(slices.Sorted(maps.Keys(slots))), ", "))
		}
	}
}
