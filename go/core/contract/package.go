// Package contract defines arena.v1, the JSON contract between the
// Tidebreak arena and its callers: a BattlePackage goes in, a BattleResult
// comes out.
//
// Parse decodes a package, fills documented defaults for missing optional
// fields, ignores unknown fields (for forward compatibility) and validates
// every rule, reporting each failure with its field path, for example
// "ships[2].hull.max_speed: must be > 0". The Python models in
// tidebreak.contracts mirror these defaults and rules; the shared files in
// tests/testdata/packages keep the two sides in agreement.
package contract

// SchemaVersion is the only schema version this package reads and writes.
const SchemaVersion = "arena.v1"

// Vec2 is a position or vector, written in JSON as [x, y].
type Vec2 [2]float64

// BattlePackage is everything the arena needs to simulate one battle.
type BattlePackage struct {
	SchemaVersion string  `json:"schema_version"`
	BattleID      string  `json:"battle_id"`
	Seed          uint64  `json:"seed"`
	TorchSeed     *uint64 `json:"torch_seed,omitempty"`
	// TimeStepS is the substep length; it must divide the 1 s tactical tick.
	TimeStepS  float64 `json:"time_step_s"`
	TimeLimitS float64 `json:"time_limit_s"`
	Teams      []Team  `json:"teams"`
	Map        Map     `json:"map"`
	Ships      []Ship  `json:"ships"`
	// Rules overrides tuning numbers; omitted fields keep DefaultRules.
	Rules Rules `json:"rules"`
	// Randomize varies the start with the seed (spawn jitter, weather).
	Randomize *Randomize `json:"randomize,omitempty"`
}

// Team is one side of the battle.
type Team struct {
	TeamID         string          `json:"team_id"`
	Name           string          `json:"name"`
	FactionContext *FactionContext `json:"faction_context,omitempty"`
}

// FactionContext carries the strategic layer's view of a team's faction.
type FactionContext struct {
	FactionID   string             `json:"faction_id"`
	Philosophy  map[string]float64 `json:"philosophy,omitempty"`
	TechTags    []string           `json:"tech_tags"`
	MoraleState float64            `json:"morale_state"`
	AtWarWith   []string           `json:"at_war_with"`
}

// Map is the battle space: bounds, terrain, currents and weather.
type Map struct {
	Bounds    Bounds     `json:"bounds"`
	Obstacles []Obstacle `json:"obstacles"`
	Zones     []Zone     `json:"zones"`
	Currents  *Currents  `json:"currents,omitempty"`
	Weather   Weather    `json:"weather"`
	Terrain   Terrain    `json:"terrain"`
}

// Bounds is the rectangle ships cannot leave; its edges are walls.
type Bounds struct {
	MinX float64 `json:"min_x"`
	MinY float64 `json:"min_y"`
	MaxX float64 `json:"max_x"`
	MaxY float64 `json:"max_y"`
}

// Shape kinds.
const (
	ShapeCircle  = "circle"
	ShapePolygon = "polygon"
)

// Shape is a circle or a polygon, relative to its owner's position.
type Shape struct {
	Kind     string  `json:"kind"`
	Radius   float64 `json:"radius,omitempty"`
	Vertices []Vec2  `json:"vertices,omitempty"`
}

// Obstacle materials.
const (
	MaterialSolid = "solid"
	MaterialSoft  = "soft"
)

// Obstacle is an island, reef or wreck. Solid obstacles stop ships; soft
// ones (kelp, shoals) slow them in proportion to Intensity.
type Obstacle struct {
	Shape     Shape   `json:"shape"`
	Position  Vec2    `json:"position"`
	Material  string  `json:"material"`
	Intensity float64 `json:"intensity"`
}

// Zone modifier types.
const (
	ZoneSensorInterference = "sensor_interference"
	ZoneHazard             = "hazard"
	ZoneCurrent            = "current"
	ZoneSpeedBonus         = "speed_bonus"
)

// Zone is an area that modifies what happens inside it.
type Zone struct {
	Shape        Shape   `json:"shape"`
	Position     Vec2    `json:"position"`
	ModifierType string  `json:"modifier_type"`
	Intensity    float64 `json:"intensity"`
	// Vector is the flow direction of a current zone (m/s at intensity 1).
	Vector Vec2 `json:"vector"`
}

// Current field kinds.
const (
	CurrentsGrid     = "grid"
	CurrentsAnalytic = "analytic"
)

// Currents is the water's drift: a grid of (u, v) cells interpolated
// bilinearly, or an analytic base vector with seeded spatial variance.
type Currents struct {
	Kind       string   `json:"kind"`
	CellSize   float64  `json:"cell_size,omitempty"`
	Cells      [][]Vec2 `json:"cells,omitempty"`
	BaseVector Vec2     `json:"base_vector"`
	Variance   float64  `json:"variance"`
}

// Precipitation values.
const (
	PrecipNone  = "none"
	PrecipRain  = "rain"
	PrecipStorm = "storm"
)

// Weather is constant over a battle in arena.v1.
type Weather struct {
	SeaState      int     `json:"sea_state"`
	WindSpeed     float64 `json:"wind_speed"`
	WindDirection float64 `json:"wind_direction"`
	VisibilityKm  float64 `json:"visibility_km"`
	Precipitation string  `json:"precipitation"`
	Fog           bool    `json:"fog"`
	LightningRisk float64 `json:"lightning_risk"`
}

// Depth classes.
const (
	DepthDeep     = "deep"
	DepthShelf    = "shelf"
	DepthShallows = "shallows"
)

// Terrain gives the depth class of the sea floor: Default everywhere except
// inside Regions. Shallows forbid submerging.
type Terrain struct {
	Default string          `json:"default"`
	Regions []TerrainRegion `json:"regions"`
}

// TerrainRegion is an area of one depth class.
type TerrainRegion struct {
	Shape      Shape  `json:"shape"`
	Position   Vec2   `json:"position"`
	DepthClass string `json:"depth_class"`
}

// Ship classes, smallest first.
const (
	ClassS  = "S"
	ClassM  = "M"
	ClassL  = "L"
	ClassXL = "XL"
)

// Ship is a ShipSnapshot: one ship as the strategic layer hands it over.
type Ship struct {
	ShipID       string       `json:"ship_id"`
	TeamID       string       `json:"team_id"`
	Class        string       `json:"class"`
	Hull         Hull         `json:"hull"`
	Capabilities Capabilities `json:"capabilities"`
	Sensors      []Sensor     `json:"sensors"`
	Weapons      []Weapon     `json:"weapons"`
	Crew         Crew         `json:"crew"`
	InitialState InitialState `json:"initial_state"`
	// Controller is a scripted policy name or "agent".
	Controller string `json:"controller"`
}

// Hull is a ship's physical description.
type Hull struct {
	Mass         float64 `json:"mass"`
	Radius       float64 `json:"radius"`
	MaxSpeed     float64 `json:"max_speed"`
	Acceleration float64 `json:"acceleration"`
	TurnRate     float64 `json:"turn_rate"`
	HP           float64 `json:"hp"`
}

// Capabilities says which layers a ship can reach and how fast.
type Capabilities struct {
	CanSurface   bool    `json:"can_surface"`
	CanSubmerge  bool    `json:"can_submerge"`
	DiveTimeS    float64 `json:"dive_time_s"`
	SurfaceTimeS float64 `json:"surface_time_s"`
}

// Sensor types.
const (
	SensorRadar  = "radar"
	SensorVisual = "visual"
	SensorSonar  = "sonar"
)

// Sensor is one detector. Range and noise floor default by type.
type Sensor struct {
	Type  string   `json:"type"`
	Range float64  `json:"range"`
	Arc   *float64 `json:"arc,omitempty"`
	// NoiseFloor is the sensor's own noise in dB (sonar signal excess).
	NoiseFloor       float64 `json:"noise_floor"`
	UpdateEveryTicks int     `json:"update_every_ticks"`
}

// Weapon types.
const (
	WeaponGun     = "gun"
	WeaponTorpedo = "torpedo"
	WeaponASW     = "asw"
)

// Weapon is one mount. Every number defaults by type (SPEC §6).
type Weapon struct {
	Slot          string     `json:"slot"`
	Type          string     `json:"type"`
	Range         float64    `json:"range"`
	CooldownTicks int        `json:"cooldown_ticks"`
	Ammo          int        `json:"ammo"`
	Projectile    Projectile `json:"projectile"`
}

// Projectile is what a weapon launches.
type Projectile struct {
	Speed       float64  `json:"speed"`
	Damage      float64  `json:"damage"`
	Guidance    Guidance `json:"guidance"`
	BlastRadius float64  `json:"blast_radius"`
}

// Guidance kinds.
const (
	GuidanceUnguided = "unguided"
	GuidanceLead     = "lead"
	GuidanceHoming   = "homing"
)

// Guidance says how a projectile steers. Homing parameters default to the
// torpedo's (turn 0.2 rad/s, seeker 1.5 km, cone 30°).
type Guidance struct {
	Kind        string  `json:"kind"`
	TurnRate    float64 `json:"turn_rate,omitempty"`
	SeekerRange float64 `json:"seeker_range,omitempty"`
	SeekerCone  float64 `json:"seeker_cone,omitempty"`
}

// Crew carries skill and morale, all in [0, 1].
type Crew struct {
	CrewCount   int     `json:"crew_count"`
	Gunnery     float64 `json:"gunnery"`
	Engineering float64 `json:"engineering"`
	Morale      float64 `json:"morale"`
	Fatigue     float64 `json:"fatigue"`
}

// Layers.
const (
	LayerSurface   = "surface"
	LayerSubmerged = "submerged"
)

// InitialState is where and how a ship starts. HP defaults to hull.hp and
// Ammo (by slot) to each weapon's ammo.
type InitialState struct {
	X       float64        `json:"x"`
	Y       float64        `json:"y"`
	Heading float64        `json:"heading"`
	Speed   float64        `json:"speed"`
	Layer   string         `json:"layer"`
	HP      *float64       `json:"hp,omitempty"`
	Ammo    map[string]int `json:"ammo,omitempty"`
}
