// Package contract defines arena.v1, the JSON contract between the
// Tidebreak arena and its callers: a BattlePackage goes in, a BattleResult
// comes out.
//
// This package is the one definition of arena.v1. Every field's JSON name
// and type come from the structs below, its default from the Default
// functions, and its bounds, required flag and enum from its `tb` struct
// tag (see [Constraint]); the rules between fields live in validate.go.
// [Describe] exports all of it, and go/cmd/contractgen writes the Python
// models (tidebreak.contracts), the docs tables and the Limits table from
// that description.
//
// Parse decodes a package with exact key matching, fills the documented
// defaults for missing fields, rejects unknown keys (with a did-you-mean
// suggestion; Options.Lenient turns them into warnings) and validates every
// rule, reporting each failure with its field path, for example
// "ships[2].hull.max_speed: must be within (0, 1000] (got -1)".
package contract

import "encoding/json"

// SchemaVersion is the only schema version this package reads and writes.
const SchemaVersion = "arena.v1"

// Vec2 is a position or vector, written in JSON as [x, y].
type Vec2 [2]float64

// BattlePackage is everything the arena needs to simulate one battle.
type BattlePackage struct {
	SchemaVersion string  `json:"schema_version" tb:"enum=schema_version"`                  // the contract version
	BattleID      string  `json:"battle_id" tb:"req"`                                       // names the battle in results and replays
	Seed          uint64  `json:"seed" tb:"req range=[1,18446744073709551615]"`             // the battle's random seed
	TorchSeed     *uint64 `json:"torch_seed,omitempty" tb:"range=[0,18446744073709551615]"` // seed for the learner's own randomness, echoed in the result
	// TimeStepS is the substep length; it must divide the 1 s tactical tick.
	TimeStepS  float64 `json:"time_step_s" tb:"range=(0,1]"`
	TimeLimitS float64 `json:"time_limit_s" tb:"range=[1,86400]"` // the battle ends in a draw after this many seconds (one tick per second)
	Teams      []Team  `json:"teams" tb:"req len=[1,64]"`         // the sides; team ids are unique
	Map        Map     `json:"map"`                               // bounds, obstacles, zones, currents, weather, terrain
	Ships      []Ship  `json:"ships" tb:"req len=[1,1024]"`       // the ships; ship ids are unique
	// Rules overrides tuning numbers; omitted fields keep DefaultRules.
	Rules Rules `json:"rules"`
	// Randomize varies the start with the seed (spawn jitter, weather).
	Randomize *Randomize `json:"randomize,omitempty"`
	// Fields couples the battle to MorphoSpace fields (docs/morphospace.md);
	// the arena checks the block when it builds the battle.
	Fields json.RawMessage `json:"fields,omitempty"`
}

// Team is one side of the battle.
type Team struct {
	TeamID         string          `json:"team_id" tb:"req"`          // unique within the package
	Name           string          `json:"name"`                      // display name
	FactionContext *FactionContext `json:"faction_context,omitempty"` // the strategic layer's view of the faction
}

// FactionContext carries the strategic layer's view of a team's faction.
type FactionContext struct {
	FactionID   string             `json:"faction_id"`                                       // the faction's id in the campaign
	Philosophy  map[string]float64 `json:"philosophy,omitempty" tb:"len=[0,64] range=[0,1]"` // named weights
	TechTags    []string           `json:"tech_tags" tb:"len=[0,256]"`                       // technologies the faction has
	MoraleState float64            `json:"morale_state" tb:"range=[0,1]"`                    // the faction's morale
	AtWarWith   []string           `json:"at_war_with" tb:"len=[0,64]"`                      // faction ids it is at war with
}

// Map is the battle space: bounds, terrain, currents and weather.
type Map struct {
	Bounds    Bounds     `json:"bounds"`                      // the walls of the battle space
	Obstacles []Obstacle `json:"obstacles" tb:"len=[0,1024]"` // islands, reefs, wrecks, kelp
	Zones     []Zone     `json:"zones" tb:"len=[0,256]"`      // areas that modify what happens inside them
	Currents  *Currents  `json:"currents,omitempty"`          // the water's drift; absent: still water
	Weather   Weather    `json:"weather"`                     // constant over the battle
	Terrain   Terrain    `json:"terrain"`                     // depth classes of the sea floor
}

// Bounds is the rectangle ships cannot leave; its edges are walls.
type Bounds struct {
	MinX float64 `json:"min_x" tb:"range=[-1e6,1e6]"` // west edge, m
	MinY float64 `json:"min_y" tb:"range=[-1e6,1e6]"` // south edge, m
	MaxX float64 `json:"max_x" tb:"range=[-1e6,1e6]"` // east edge, m; > min_x
	MaxY float64 `json:"max_y" tb:"range=[-1e6,1e6]"` // north edge, m; > min_y
}

// Shape kinds.
const (
	ShapeCircle  = "circle"
	ShapePolygon = "polygon"
)

// Shape is a circle or a polygon, relative to its owner's position.
type Shape struct {
	Kind     string  `json:"kind" tb:"req enum=shape_kind"`                        // circle or polygon
	Radius   float64 `json:"radius,omitempty" tb:"range=[0,1e6]"`                  // circle radius, m; > 0 for a circle
	Vertices []Vec2  `json:"vertices,omitempty" tb:"len=[0,256] range=[-1e6,1e6]"` // polygon corners, m; at least 3 for a polygon
}

// Obstacle materials.
const (
	MaterialSolid = "solid"
	MaterialSoft  = "soft"
)

// Obstacle is an island, reef or wreck. Solid obstacles stop ships; soft
// ones (kelp, shoals) slow them in proportion to Intensity.
type Obstacle struct {
	Shape     Shape   `json:"shape"`                          // outline, relative to position
	Position  Vec2    `json:"position" tb:"range=[-1e6,1e6]"` // where the shape is, m
	Material  string  `json:"material" tb:"enum=material"`    // solid stops ships, soft slows them
	Intensity float64 `json:"intensity" tb:"range=[0,1]"`     // how much a soft obstacle slows
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
	Shape        Shape   `json:"shape"`                                     // outline, relative to position
	Position     Vec2    `json:"position" tb:"range=[-1e6,1e6]"`            // where the shape is, m
	ModifierType string  `json:"modifier_type" tb:"req enum=modifier_type"` // what the zone does
	Intensity    float64 `json:"intensity" tb:"range=[0,1]"`                // how strongly
	// Vector is the flow direction of a current zone (m/s at intensity 1).
	Vector Vec2 `json:"vector" tb:"range=[-100,100]"`
}

// Current field kinds.
const (
	CurrentsGrid     = "grid"
	CurrentsAnalytic = "analytic"
)

// Currents is the water's drift: a grid of (u, v) cells interpolated
// bilinearly, or an analytic base vector with seeded spatial variance.
type Currents struct {
	Kind       string   `json:"kind" tb:"req enum=currents_kind"`                                // grid or analytic
	CellSize   float64  `json:"cell_size,omitempty" tb:"range=[0,1e6]"`                          // grid cell side, m; > 0 for a grid
	Cells      [][]Vec2 `json:"cells,omitempty" tb:"len=[0,256] inner=[0,256] range=[-100,100]"` // grid rows of [u, v] m/s, row 0 at min_y
	BaseVector Vec2     `json:"base_vector" tb:"range=[-100,100]"`                               // analytic drift, m/s
	Variance   float64  `json:"variance" tb:"range=[0,100]"`                                     // analytic spatial variance, m/s
}

// Precipitation values.
const (
	PrecipNone  = "none"
	PrecipRain  = "rain"
	PrecipStorm = "storm"
)

// Weather is constant over a battle in arena.v1.
type Weather struct {
	SeaState      int     `json:"sea_state" tb:"range=[0,9]"`             // Douglas sea state
	WindSpeed     float64 `json:"wind_speed" tb:"range=[0,100]"`          // m/s
	WindDirection float64 `json:"wind_direction" tb:"range=[-1000,1000]"` // radians
	VisibilityKm  float64 `json:"visibility_km" tb:"range=(0,1000]"`      // km
	Precipitation string  `json:"precipitation" tb:"enum=precipitation"`  // none, rain or storm
	Fog           bool    `json:"fog"`                                    // fog shortens visual range
	LightningRisk float64 `json:"lightning_risk" tb:"range=[0,1]"`        // chance of a strike per tick in storms
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
	Default string          `json:"default" tb:"enum=depth_class"` // depth class outside every region
	Regions []TerrainRegion `json:"regions" tb:"len=[0,256]"`      // areas of another depth class
}

// TerrainRegion is an area of one depth class.
type TerrainRegion struct {
	Shape      Shape  `json:"shape"`                                 // outline, relative to position
	Position   Vec2   `json:"position" tb:"range=[-1e6,1e6]"`        // where the shape is, m
	DepthClass string `json:"depth_class" tb:"req enum=depth_class"` // the region's depth class
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
	ShipID       string       `json:"ship_id" tb:"req"`           // unique within the package
	TeamID       string       `json:"team_id" tb:"req"`           // names a team in teams
	Class        string       `json:"class" tb:"enum=ship_class"` // size class, smallest first
	Hull         Hull         `json:"hull"`                       // physical description
	Capabilities Capabilities `json:"capabilities"`               // layers the ship can reach
	Sensors      []Sensor     `json:"sensors" tb:"len=[0,32]"`    // detectors
	Weapons      []Weapon     `json:"weapons" tb:"len=[0,32]"`    // mounts; slots are unique
	Crew         Crew         `json:"crew"`                       // size, skill and morale
	InitialState InitialState `json:"initial_state"`              // where and how the ship starts
	// Controller is a scripted policy name or "agent".
	Controller string `json:"controller" tb:"req enum=controller"`
}

// Hull is a ship's physical description.
type Hull struct {
	Mass         float64 `json:"mass" tb:"range=(0,1e9]"`          // kg
	Radius       float64 `json:"radius" tb:"range=(0,5000]"`       // collision radius, m
	MaxSpeed     float64 `json:"max_speed" tb:"range=(0,1000]"`    // m/s
	Acceleration float64 `json:"acceleration" tb:"range=(0,1000]"` // m/s²
	TurnRate     float64 `json:"turn_rate" tb:"range=(0,100]"`     // rad/s
	HP           float64 `json:"hp" tb:"range=(0,1e9]"`            // hit points
}

// Capabilities says which layers a ship can reach and how fast.
type Capabilities struct {
	CanSurface   bool    `json:"can_surface"`                         // the ship can be on the surface
	CanSubmerge  bool    `json:"can_submerge"`                        // the ship can dive
	DiveTimeS    float64 `json:"dive_time_s" tb:"range=(0,86400]"`    // seconds to dive
	SurfaceTimeS float64 `json:"surface_time_s" tb:"range=(0,86400]"` // seconds to surface
}

// Sensor types.
const (
	SensorRadar  = "radar"
	SensorVisual = "visual"
	SensorSonar  = "sonar"
)

// Sensor is one detector. Range and noise floor default by type.
type Sensor struct {
	Type  string   `json:"type" tb:"req enum=sensor_type"`                 // radar, visual or sonar
	Range float64  `json:"range" tb:"range=(0,1e6]"`                       // m
	Arc   *float64 `json:"arc,omitempty" tb:"range=(0,6.283185307179586]"` // field of view, radians; absent: all round
	// NoiseFloor is the sensor's own noise in dB (sonar signal excess).
	NoiseFloor       float64 `json:"noise_floor" tb:"range=[-1000,1000]"`
	UpdateEveryTicks int     `json:"update_every_ticks" tb:"range=[1,86400]"` // the sensor reports every this many ticks
}

// Weapon types.
const (
	WeaponGun     = "gun"
	WeaponTorpedo = "torpedo"
	WeaponASW     = "asw"
)

// Weapon is one mount. Every number defaults by type (DefaultWeapon).
type Weapon struct {
	Slot          string     `json:"slot" tb:"req"`                       // unique within the ship; defaults to the type
	Type          string     `json:"type" tb:"req enum=weapon_type"`      // gun, torpedo or asw
	Range         float64    `json:"range" tb:"range=(0,1e6]"`            // m
	CooldownTicks int        `json:"cooldown_ticks" tb:"range=[1,86400]"` // ticks between shots
	Ammo          int        `json:"ammo" tb:"range=[0,1000000]"`         // rounds carried
	Projectile    Projectile `json:"projectile"`                          // what the weapon launches
}

// Projectile is what a weapon launches.
type Projectile struct {
	Speed       float64  `json:"speed" tb:"range=(0,100000]"`        // m/s
	Damage      float64  `json:"damage" tb:"range=[0,1e9]"`          // hit points per hit
	Guidance    Guidance `json:"guidance"`                           // how it steers
	BlastRadius float64  `json:"blast_radius" tb:"range=[0,100000]"` // m; 0 for a direct hit only
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
	Kind        string  `json:"kind" tb:"req enum=guidance_kind"`                       // unguided, lead or homing
	TurnRate    float64 `json:"turn_rate,omitempty" tb:"range=[0,100]"`                 // homing: rad/s
	SeekerRange float64 `json:"seeker_range,omitempty" tb:"range=[0,1e6]"`              // homing: m
	SeekerCone  float64 `json:"seeker_cone,omitempty" tb:"range=[0,3.141592653589793]"` // homing: half-angle, radians
}

// Crew carries skill and morale, all in [0, 1].
type Crew struct {
	CrewCount   int     `json:"crew_count" tb:"range=[0,1000000]"` // people aboard
	Gunnery     float64 `json:"gunnery" tb:"range=[0,1]"`          // aim
	Engineering float64 `json:"engineering" tb:"range=[0,1]"`      // repairs and damage control
	Morale      float64 `json:"morale" tb:"range=[0,1]"`           // will to fight
	Fatigue     float64 `json:"fatigue" tb:"range=[0,1]"`          // tiredness
}

// Layers.
const (
	LayerSurface   = "surface"
	LayerSubmerged = "submerged"
)

// InitialState is where and how a ship starts. HP defaults to hull.hp and
// Ammo (by slot) to each weapon's ammo.
type InitialState struct {
	X       float64        `json:"x" tb:"range=[-1e6,1e6]"`                          // m, inside map.bounds
	Y       float64        `json:"y" tb:"range=[-1e6,1e6]"`                          // m, inside map.bounds
	Heading float64        `json:"heading" tb:"range=[-1000,1000]"`                  // radians, 0 = +x, counter-clockwise
	Speed   float64        `json:"speed" tb:"range=[-1000,1000]"`                    // m/s, within ±hull.max_speed
	Layer   string         `json:"layer" tb:"enum=layer"`                            // surface or submerged
	HP      *float64       `json:"hp,omitempty" tb:"range=(0,1e9]"`                  // absent: hull.hp; at most hull.hp
	Ammo    map[string]int `json:"ammo,omitempty" tb:"len=[0,32] range=[0,1000000]"` // rounds by weapon slot; absent slots: the weapon's ammo
}
