package contract

import (
	"fmt"
	"math"
)

// Validate checks every rule of arena.v1 and returns a *ValidationError
// listing each problem with its field path, or nil.
func (p *BattlePackage) Validate() error {
	var v problems
	if p.SchemaVersion != SchemaVersion {
		v.add("schema_version", "must be %q (got %q)", SchemaVersion, p.SchemaVersion)
	}
	if p.BattleID == "" {
		v.add("battle_id", "is required")
	}
	if p.Seed == 0 {
		v.add("seed", "must be > 0")
	}
	v.positive("time_step_s", p.TimeStepS)
	if p.TimeStepS > 0 {
		if n := math.Round(1 / p.TimeStepS); n < 1 || math.Abs(n*p.TimeStepS-1) > 1e-9 || n > 1000 {
			v.add("time_step_s", "must divide 1.0 into at most 1000 substeps (got %v)", p.TimeStepS)
		}
	}
	v.positive("time_limit_s", p.TimeLimitS)
	if p.TimeLimitS > 0 && p.TimeLimitS < 1 {
		v.add("time_limit_s", "must be at least one 1 s tick (got %v)", p.TimeLimitS)
	}
	if len(p.Teams) == 0 {
		v.add("teams", "must list at least one team")
	}
	teams := map[string]bool{}
	for i, t := range p.Teams {
		path := fmt.Sprintf("teams[%d]", i)
		if t.TeamID == "" {
			v.add(path+".team_id", "is required")
		} else if teams[t.TeamID] {
			v.add(path+".team_id", "duplicate team id %q", t.TeamID)
		}
		teams[t.TeamID] = true
		if f := t.FactionContext; f != nil {
			fp := path + ".faction_context"
			v.unit(fp+".morale_state", f.MoraleState)
			for _, k := range sortedKeys(f.Philosophy) {
				v.unit(fp+".philosophy."+k, f.Philosophy[k])
			}
		}
	}
	p.Map.validate(&v, "map")
	p.Rules.validate(&v, "rules")
	if p.Randomize != nil {
		p.Randomize.validate(&v, "randomize")
	}
	if len(p.Ships) == 0 {
		v.add("ships", "must list at least one ship")
	}
	ids := map[string]bool{}
	for i := range p.Ships {
		s := &p.Ships[i]
		path := fmt.Sprintf("ships[%d]", i)
		if s.ShipID == "" {
			v.add(path+".ship_id", "is required")
		} else if ids[s.ShipID] {
			v.add(path+".ship_id", "duplicate ship id %q", s.ShipID)
		}
		ids[s.ShipID] = true
		if s.TeamID == "" {
			v.add(path+".team_id", "is required")
		} else if !teams[s.TeamID] {
			v.add(path+".team_id", "names no team in teams (got %q)", s.TeamID)
		}
		s.validate(&v, path, &p.Map.Bounds)
	}
	return v.err()
}

func (m *Map) validate(v *problems, path string) {
	b := m.Bounds
	for _, f := range []struct {
		name string
		x    float64
	}{{"min_x", b.MinX}, {"min_y", b.MinY}, {"max_x", b.MaxX}, {"max_y", b.MaxY}} {
		v.finite(path+".bounds."+f.name, f.x)
	}
	if !(b.MaxX > b.MinX) {
		v.add(path+".bounds.max_x", "must be > min_x (got %v <= %v)", b.MaxX, b.MinX)
	}
	if !(b.MaxY > b.MinY) {
		v.add(path+".bounds.max_y", "must be > min_y (got %v <= %v)", b.MaxY, b.MinY)
	}
	for i, o := range m.Obstacles {
		op := fmt.Sprintf("%s.obstacles[%d]", path, i)
		o.Shape.validate(v, op+".shape")
		v.oneOf(op+".material", o.Material, MaterialSolid, MaterialSoft)
		v.unit(op+".intensity", o.Intensity)
	}
	for i, z := range m.Zones {
		zp := fmt.Sprintf("%s.zones[%d]", path, i)
		z.Shape.validate(v, zp+".shape")
		v.oneOf(zp+".modifier_type", z.ModifierType,
			ZoneSensorInterference, ZoneHazard, ZoneCurrent, ZoneSpeedBonus)
		v.unit(zp+".intensity", z.Intensity)
	}
	if c := m.Currents; c != nil {
		cp := path + ".currents"
		v.oneOf(cp+".kind", c.Kind, CurrentsGrid, CurrentsAnalytic)
		switch c.Kind {
		case CurrentsGrid:
			v.positive(cp+".cell_size", c.CellSize)
			if len(c.Cells) == 0 || len(c.Cells[0]) == 0 {
				v.add(cp+".cells", "must be a non-empty grid of [u, v] rows")
			}
			for r, row := range c.Cells {
				if len(row) != len(c.Cells[0]) {
					v.add(fmt.Sprintf("%s.cells[%d]", cp, r), "has %d cells, row 0 has %d", len(row), len(c.Cells[0]))
				}
			}
		case CurrentsAnalytic:
			v.nonNegative(cp+".variance", c.Variance)
		}
	}
	w := m.Weather
	wp := path + ".weather"
	if w.SeaState < 0 || w.SeaState > 9 {
		v.add(wp+".sea_state", "must be within [0, 9] (got %d)", w.SeaState)
	}
	v.nonNegative(wp+".wind_speed", w.WindSpeed)
	v.finite(wp+".wind_direction", w.WindDirection)
	v.positive(wp+".visibility_km", w.VisibilityKm)
	v.oneOf(wp+".precipitation", w.Precipitation, PrecipNone, PrecipRain, PrecipStorm)
	v.unit(wp+".lightning_risk", w.LightningRisk)
	v.oneOf(path+".terrain.default", m.Terrain.Default, DepthDeep, DepthShelf, DepthShallows)
	for i, r := range m.Terrain.Regions {
		rp := fmt.Sprintf("%s.terrain.regions[%d]", path, i)
		r.Shape.validate(v, rp+".shape")
		v.oneOf(rp+".depth_class", r.DepthClass, DepthDeep, DepthShelf, DepthShallows)
	}
}

func (s *Shape) validate(v *problems, path string) {
	v.oneOf(path+".kind", s.Kind, ShapeCircle, ShapePolygon)
	switch s.Kind {
	case ShapeCircle:
		v.positive(path+".radius", s.Radius)
	case ShapePolygon:
		if len(s.Vertices) < 3 {
			v.add(path+".vertices", "a polygon needs at least 3 vertices (got %d)", len(s.Vertices))
		}
	}
}

func (s *Ship) validate(v *problems, path string, b *Bounds) {
	v.oneOf(path+".class", s.Class, ClassS, ClassM, ClassL, ClassXL)
	h := s.Hull
	v.positive(path+".hull.mass", h.Mass)
	v.positive(path+".hull.radius", h.Radius)
	v.positive(path+".hull.max_speed", h.MaxSpeed)
	v.positive(path+".hull.acceleration", h.Acceleration)
	v.positive(path+".hull.turn_rate", h.TurnRate)
	v.positive(path+".hull.hp", h.HP)
	c := s.Capabilities
	v.positive(path+".capabilities.dive_time_s", c.DiveTimeS)
	v.positive(path+".capabilities.surface_time_s", c.SurfaceTimeS)
	if !c.CanSurface && !c.CanSubmerge {
		v.add(path+".capabilities", "a ship must be able to surface or submerge")
	}
	for i, se := range s.Sensors {
		sp := fmt.Sprintf("%s.sensors[%d]", path, i)
		v.oneOf(sp+".type", se.Type, SensorRadar, SensorVisual, SensorSonar)
		v.positive(sp+".range", se.Range)
		if se.Arc != nil && !(*se.Arc > 0 && *se.Arc <= 2*math.Pi+1e-9) {
			v.add(sp+".arc", "must be within (0, 2π] radians (got %v)", *se.Arc)
		}
		v.finite(sp+".noise_floor", se.NoiseFloor)
		if se.UpdateEveryTicks < 1 {
			v.add(sp+".update_every_ticks", "must be >= 1 (got %d)", se.UpdateEveryTicks)
		}
	}
	slots := map[string]bool{}
	for i, w := range s.Weapons {
		wp := fmt.Sprintf("%s.weapons[%d]", path, i)
		v.oneOf(wp+".type", w.Type, WeaponGun, WeaponTorpedo, WeaponASW)
		if w.Slot == "" {
			v.add(wp+".slot", "is required")
		} else if slots[w.Slot] {
			v.add(wp+".slot", "duplicate slot %q", w.Slot)
		}
		slots[w.Slot] = true
		v.positive(wp+".range", w.Range)
		if w.CooldownTicks < 1 {
			v.add(wp+".cooldown_ticks", "must be >= 1 (got %d)", w.CooldownTicks)
		}
		if w.Ammo < 0 {
			v.add(wp+".ammo", "must be >= 0 (got %d)", w.Ammo)
		}
		pr := w.Projectile
		v.positive(wp+".projectile.speed", pr.Speed)
		v.nonNegative(wp+".projectile.damage", pr.Damage)
		v.nonNegative(wp+".projectile.blast_radius", pr.BlastRadius)
		g := pr.Guidance
		v.oneOf(wp+".projectile.guidance.kind", g.Kind, GuidanceUnguided, GuidanceLead, GuidanceHoming)
		if g.Kind == GuidanceHoming {
			v.positive(wp+".projectile.guidance.turn_rate", g.TurnRate)
			v.positive(wp+".projectile.guidance.seeker_range", g.SeekerRange)
			v.positive(wp+".projectile.guidance.seeker_cone", g.SeekerCone)
		}
	}
	cr := s.Crew
	if cr.CrewCount < 0 {
		v.add(path+".crew.crew_count", "must be >= 0 (got %d)", cr.CrewCount)
	}
	v.unit(path+".crew.gunnery", cr.Gunnery)
	v.unit(path+".crew.engineering", cr.Engineering)
	v.unit(path+".crew.morale", cr.Morale)
	v.unit(path+".crew.fatigue", cr.Fatigue)
	st := s.InitialState
	ip := path + ".initial_state"
	v.finite(ip+".x", st.X)
	v.finite(ip+".y", st.Y)
	if st.X == st.X && st.Y == st.Y && (st.X < b.MinX || st.X > b.MaxX || st.Y < b.MinY || st.Y > b.MaxY) {
		v.add(ip, "position (%v, %v) lies outside map.bounds", st.X, st.Y)
	}
	v.finite(ip+".heading", st.Heading)
	v.finite(ip+".speed", st.Speed)
	if st.Speed == st.Speed && math.Abs(st.Speed) > h.MaxSpeed {
		v.add(ip+".speed", "must be within ±hull.max_speed (got %v)", st.Speed)
	}
	v.oneOf(ip+".layer", st.Layer, LayerSurface, LayerSubmerged)
	if st.Layer == LayerSubmerged && !c.CanSubmerge {
		v.add(ip+".layer", "ship cannot submerge (capabilities.can_submerge is false)")
	}
	if st.Layer == LayerSurface && !c.CanSurface {
		v.add(ip+".layer", "ship cannot surface (capabilities.can_surface is false)")
	}
	if st.HP != nil && !(*st.HP > 0 && *st.HP <= h.HP) {
		v.add(ip+".hp", "must be within (0, hull.hp] (got %v)", *st.HP)
	}
	for _, k := range sortedKeys(st.Ammo) {
		if !slots[k] {
			v.add(ip+".ammo."+k, "names no weapon slot")
		} else if st.Ammo[k] < 0 {
			v.add(ip+".ammo."+k, "must be >= 0 (got %d)", st.Ammo[k])
		}
	}
	if s.Controller == "" {
		v.add(path+".controller", "is required")
	}
}
