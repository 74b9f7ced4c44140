package contract

import "encoding/json"

// Defaults for missing optional fields. Each Default function returns the
// value a field takes when the JSON omits it; docs/contracts.md lists them.

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

// DefaultWeapon returns SPEC §6's defaults for a weapon of type typ.
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

// The UnmarshalJSON methods below start from the defaults so that keys the
// JSON omits keep them, then decode the keys that are present.

// UnmarshalJSON decodes a package over DefaultPackage.
func (p *BattlePackage) UnmarshalJSON(b []byte) error {
	type plain BattlePackage
	*p = DefaultPackage()
	return json.Unmarshal(b, (*plain)(p))
}

// UnmarshalJSON decodes a faction context with morale_state defaulting to 0.7.
func (f *FactionContext) UnmarshalJSON(b []byte) error {
	type plain FactionContext
	*f = FactionContext{MoraleState: DefaultMorale}
	return json.Unmarshal(b, (*plain)(f))
}

// UnmarshalJSON decodes an obstacle; material defaults to solid, intensity to 1.
func (o *Obstacle) UnmarshalJSON(b []byte) error {
	type plain Obstacle
	*o = Obstacle{Material: MaterialSolid, Intensity: 1}
	return json.Unmarshal(b, (*plain)(o))
}

// UnmarshalJSON decodes a zone; intensity defaults to 1, vector to [1, 0].
func (z *Zone) UnmarshalJSON(b []byte) error {
	type plain Zone
	*z = Zone{Intensity: 1, Vector: Vec2{1, 0}}
	return json.Unmarshal(b, (*plain)(z))
}

// UnmarshalJSON decodes a ship over DefaultShip.
func (s *Ship) UnmarshalJSON(b []byte) error {
	type plain Ship
	*s = DefaultShip()
	return json.Unmarshal(b, (*plain)(s))
}

// typeOnly peeks at the "type" key of an object.
type typeOnly struct {
	Type string `json:"type"`
}

// UnmarshalJSON decodes a sensor over the defaults for its type.
func (s *Sensor) UnmarshalJSON(b []byte) error {
	var t typeOnly
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	type plain Sensor
	*s = DefaultSensor(t.Type)
	return json.Unmarshal(b, (*plain)(s))
}

// UnmarshalJSON decodes a weapon over the defaults for its type. A homing
// guidance object that omits its parameters takes DefaultHoming's; other
// guidance kinds carry no parameters.
func (w *Weapon) UnmarshalJSON(b []byte) error {
	var t typeOnly
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	type plain Weapon
	*w = DefaultWeapon(t.Type)
	if err := json.Unmarshal(b, (*plain)(w)); err != nil {
		return err
	}
	g := &w.Projectile.Guidance
	if g.Kind != GuidanceHoming {
		g.TurnRate, g.SeekerRange, g.SeekerCone = 0, 0, 0
	} else {
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
	return nil
}
