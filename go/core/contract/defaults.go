package contract

import "github.com/tidebreak/tidebreak/go/core/jsontree"

// Defaults for missing fields. Each Default function returns the value a
// field takes when the JSON omits it; the docs tables are generated from
// them (go/cmd/contractgen).

// DefaultPackage returns a package with every optional field at its default.
func DefaultPackage() BattlePackage {
	return BattlePackage{
		SchemaVersion: SchemaVersion,
		TimeStepS:     0.1,
		TimeLimitS:    600,
		Map:           DefaultMap(),
		Rules:         DefaultRules(),
	}
}

// DefaultMap returns a 20 km square of deep, calm water.
func DefaultMap() Map {
	return Map{
		Bounds:  Bounds{MinX: 0, MinY: 0, MaxX: 20000, MaxY: 20000},
		Weather: DefaultWeather(),
		Terrain: Terrain{Default: DepthDeep},
	}
}

// DefaultWeather is sea state 1, light wind, 20 km visibility, no rain.
func DefaultWeather() Weather {
	return Weather{SeaState: 1, WindSpeed: 5, VisibilityKm: 20, Precipitation: PrecipNone}
}

// DefaultShip returns a class M surface ship with no sensors or weapons,
// an idle controller and default crew.
func DefaultShip() Ship {
	return Ship{
		Class: ClassM,
		Hull: Hull{Mass: 1000, Radius: 20, MaxSpeed: 15, Acceleration: 0.5,
			TurnRate: 0.1, HP: 100},
		Capabilities: Capabilities{CanSurface: true, DiveTimeS: 30, SurfaceTimeS: 20},
		Crew:         Crew{CrewCount: 50, Gunnery: 0.7, Engineering: 0.7, Morale: 0.7},
		InitialState: InitialState{Layer: LayerSurface},
		Controller:   "idle",
	}
}

// DefaultSensor returns the defaults for a sensor of type typ: radar 12 km,
// visual 6 km, sonar 4 km passive with a 0 dB noise floor; an unknown type
// gets zero range and fails validation.
func DefaultSensor(typ string) Sensor {
	s := Sensor{Type: typ, UpdateEveryTicks: 1}
	switch typ {
	case SensorRadar:
		s.Range = 12000
	case SensorVisual:
		s.Range = 6000
	case SensorSonar:
		s.Range = 4000
	}
	return s
}

// DefaultWeapon returns the defaults for a weapon of type typ (slot: the
// type); an unknown type gets zero numbers and fails validation.
func DefaultWeapon(typ string) Weapon {
	w := Weapon{Slot: typ, Type: typ}
	switch typ {
	case WeaponGun:
		w.Range, w.CooldownTicks, w.Ammo = 6000, 2, 120
		w.Projectile = Projectile{Speed: 500, Damage: 6, Guidance: Guidance{Kind: GuidanceLead}}
	case WeaponTorpedo:
		w.Range, w.CooldownTicks, w.Ammo = 8000, 10, 12
		w.Projectile = Projectile{Speed: 25, Damage: 45, Guidance: DefaultHoming()}
	case WeaponASW:
		w.Range, w.CooldownTicks, w.Ammo = 1500, 8, 30
		w.Projectile = Projectile{Speed: 150, Damage: 25, BlastRadius: 60,
			Guidance: Guidance{Kind: GuidanceUnguided}}
	}
	return w
}

// DefaultHoming is the torpedo seeker: turn 0.2 rad/s, 1.5 km range,
// 30° cone (in radians).
func DefaultHoming() Guidance {
	return Guidance{Kind: GuidanceHoming, TurnRate: 0.2, SeekerRange: 1500, SeekerCone: 0.5235987755982988}
}

// DefaultMorale is a team's faction morale when no faction context says otherwise.
const DefaultMorale = 0.7

// The methods below give the defaults a decoded object starts from (the
// decoder in decode.go calls them) and the normalisation applied after.

func (p *BattlePackage) setDefaults(jsontree.Value) { *p = DefaultPackage() }

func (f *FactionContext) setDefaults(jsontree.Value) { *f = FactionContext{MoraleState: DefaultMorale} }

func (o *Obstacle) setDefaults(jsontree.Value) { *o = Obstacle{Material: MaterialSolid, Intensity: 1} }

func (z *Zone) setDefaults(jsontree.Value) { *z = Zone{Intensity: 1, Vector: Vec2{1, 0}} }

func (s *Ship) setDefaults(jsontree.Value) { *s = DefaultShip() }

// typeOf is the "type" key of an object, or "" when absent or not a string.
func typeOf(obj jsontree.Value) string {
	m, _ := obj.Member("type")
	t, _ := m.Str()
	return t
}

func (s *Sensor) setDefaults(obj jsontree.Value) { *s = DefaultSensor(typeOf(obj)) }

func (w *Weapon) setDefaults(obj jsontree.Value) { *w = DefaultWeapon(typeOf(obj)) }

// normalize fills a homing guidance's parameters that the JSON left out
// (or set to 0) with DefaultHoming's.
func (w *Weapon) normalize() {
	g := &w.Projectile.Guidance
	if g.Kind != GuidanceHoming {
		return
	}
	d := DefaultHoming()
	if g.TurnRate == 0 {
		g.TurnRate = d.TurnRate
	}
	if g.SeekerRange == 0 {
		g.SeekerRange = d.SeekerRange
	}
	if g.SeekerCone == 0 {
		g.SeekerCone = d.SeekerCone
	}
}

// dropUnusedGuidance clears the parameters of guidance that is not homing
// (they mean nothing there); Parse does it once the package is valid, so
// they are checked against their bounds like any other field first.
func (p *BattlePackage) dropUnusedGuidance() {
	for i := range p.Ships {
		for j := range p.Ships[i].Weapons {
			if g := &p.Ships[i].Weapons[j].Projectile.Guidance; g.Kind != GuidanceHoming {
				g.TurnRate, g.SeekerRange, g.SeekerCone = 0, 0, 0
			}
		}
	}
}

// Enum returns the values of the enum called name in `tb` struct tags
// ("shape_kind", "weapon_type", ...), or nil for an unknown name. The
// "controller" enum is not fixed here: the arena's registry supplies it
// (Options.Controllers).
func Enum(name string) []string {
	switch name {
	case "schema_version":
		return []string{SchemaVersion}
	case "shape_kind":
		return []string{ShapeCircle, ShapePolygon}
	case "material":
		return []string{MaterialSolid, MaterialSoft}
	case "modifier_type":
		return []string{ZoneSensorInterference, ZoneHazard, ZoneCurrent, ZoneSpeedBonus}
	case "currents_kind":
		return []string{CurrentsGrid, CurrentsAnalytic}
	case "precipitation":
		return []string{PrecipNone, PrecipRain, PrecipStorm}
	case "depth_class":
		return []string{DepthDeep, DepthShelf, DepthShallows}
	case "ship_class":
		return []string{ClassS, ClassM, ClassL, ClassXL}
	case "sensor_type":
		return []string{SensorRadar, SensorVisual, SensorSonar}
	case "weapon_type":
		return []string{WeaponGun, WeaponTorpedo, WeaponASW}
	case "guidance_kind":
		return []string{GuidanceUnguided, GuidanceLead, GuidanceHoming}
	case "layer":
		return []string{LayerSurface, LayerSubmerged}
	case "fate":
		return []string{FateOperational, FateDisabled, FateDestroyed, FateScuttled, FateCaptured}
	case "capture_method":
		return []string{CaptureBoarded, CaptureSurrendered}
	}
	return nil
}
