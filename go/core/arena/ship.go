package arena

import (
	"math"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// EntityID identifies an entity. Ships take ids 1..n in package order;
// entities are always visited in ascending id order.
type EntityID uint32

// Layer is a ship's depth layer.
type Layer uint8

// Layers. Transitioning is the state between the two.
const (
	Surface Layer = iota
	Submerged
)

// Kinematics is where a ship is and how it moves.
type Kinematics struct {
	Pos     r2.Vec
	Heading float64 // radians CCW from +x, in (-π, π]
	Speed   float64 // m/s along Heading; negative when reversing

	// dir caches (cos, sin) of dirOf; it is derived state, recomputed
	// whenever Heading differs from dirOf. Within a tick turn rotates it
	// instead (rotated is then set) and settle drops it at the end of the
	// tick, so that between ticks it is always SinCos(Heading).
	dir     r2.Vec
	dirOf   float64
	dirOK   bool
	rotated bool

	// rotSin, rotCos cache SinCosSmall(rotOf): a ship's turn per substep
	// repeats while its rudder and speed hold. |rotOf| is at most
	// maxRotate: turn caches no larger turn, and glide relies on that.
	rotOf          float64
	rotSin, rotCos float64
	rotOK          bool
}

// Dir returns the unit vector of the heading, (cos, sin), computing it
// only when the heading changed.
func (k *Kinematics) Dir() r2.Vec {
	if !k.dirOK || k.dirOf != k.Heading {
		sin, cos := dmath.SinCos(k.Heading)
		k.dir, k.dirOf, k.dirOK = r2.Vec{X: cos, Y: sin}, k.Heading, true
	}
	return k.dir
}

// maxRotate is the largest turn (radians) by which turn rotates the cached
// direction; a larger one recomputes it from the heading.
const maxRotate = 0x1p-4

// turn adds dh radians to the heading, wrapped to (-π, π]. The direction
// vector follows by rotation through dh (angle addition with
// dmath.SinCosSmall), which costs a fraction of a fresh SinCos; the rounding
// this accumulates over one tick's substeps is a few ulps, and settle
// discards it at the end of the tick.
func (k *Kinematics) turn(dh float64) {
	if dh == 0 {
		k.Heading = wrapNear(k.Heading + dh)
		return
	}
	d := k.dir
	if !k.dirOK || k.dirOf != k.Heading {
		d = k.Dir()
	}
	k.Heading = wrapNear(k.Heading + dh)
	if abs(dh) > maxRotate {
		k.dirOK = false
		return
	}
	if !k.rotOK || k.rotOf != dh {
		k.rotSin, k.rotCos = dmath.SinCosSmall(dh)
		k.rotOf, k.rotOK = dh, true
	}
	k.dir = rotate(d, k.rotSin, k.rotCos)
	k.dirOf, k.rotated = k.Heading, true
}

// wrapNear is dmath.WrapAngle for an angle that is usually in range
// already: the check is inlined and the call made only when needed.
func wrapNear(a float64) float64 {
	if a > -math.Pi && a <= math.Pi {
		return a
	}
	return dmath.WrapAngle(a)
}

// settle ends a tick's rotations: the next Dir is SinCos(Heading) again,
// so a tick depends only on the state at its start (what Save captures).
func (k *Kinematics) settle() {
	if k.rotated {
		k.dirOK, k.rotated = false, false
	}
}

// Transition is a dive or surfacing in progress.
type Transition struct {
	Active    bool
	From, To  Layer
	Elapsed   float64 // seconds
	Duration  float64 // seconds
	HPAtStart float64
}

// Progress is the completed fraction of the transition, 0 when inactive.
func (t *Transition) Progress() float64 {
	if !t.Active || t.Duration <= 0 {
		return 0
	}
	return t.Elapsed / t.Duration
}

// Health is a ship's damage state.
type Health struct {
	HP    float64
	MaxHP float64
}

// Status is how a ship stands in the battle.
type Status uint8

// Statuses. Only StatusActive ships move, sense and fight.
const (
	StatusActive Status = iota
	StatusDisabled
	StatusDestroyed
	StatusSurrendered
)

// Command is a controller's output for one tick; Action holds the values in
// the documented action layout (see ActionSize).
type Command struct {
	Source EntityID
	Trace  uint64
	Action [ActionSize]float64
}

// ControlState is what a scripted controller remembers between ticks.
type ControlState struct {
	Kind     ControllerKind
	Stream   rng.Stream
	Waypoint int
	Hold     [ActionSize]float64
	HoldLeft int
	// Datum is where the contact being hunted was last seen, at tick
	// DatumTick (-1: none).
	Datum     r2.Vec
	DatumTick int
	// ThreatPos is where the nearest torpedo was heard at tick ThreatTick.
	ThreatPos  r2.Vec
	ThreatTick int
	// Evade is the heading an evading ship holds for EvadeLeft more ticks.
	Evade     float64
	EvadeLeft int
	// LastPing is the tick of the last ping ordered; Search counts the
	// ticks since the ship last held a contact it could engage.
	LastPing int
	Search   int
}

// neverTick stands for "long ago" in a controller's memory of ticks.
const neverTick = -1 << 20

// newControlState is a controller's memory at the start of a battle.
func newControlState(kind ControllerKind, stream rng.Stream) ControlState {
	return ControlState{Kind: kind, Stream: stream, DatumTick: -1, ThreatTick: neverTick, LastPing: neverTick}
}

// WeaponKind is a mount's type.
type WeaponKind uint8

// Weapon kinds, in the order of the fire actions.
const (
	Gun WeaponKind = iota
	Torpedo
	ASW
	numWeaponKinds
)

// Mount is one weapon's state.
type Mount struct {
	Kind      WeaponKind
	Spec      *contract.Weapon `json:"-"`
	Ammo      int
	AmmoStart int
	Cooldown  int // ticks until it can fire again
	Reload    int // cooldown after a shot, after the gunnery factor
	Fired     int
}

// SensorKind is a sensor's type.
type SensorKind uint8

// Sensor kinds. ESM is the passive radar-emission receiver every ship has.
const (
	Radar SensorKind = iota
	Visual
	Sonar
	ESM
	Link // a track received over the team datalink
)

// Crits counts the ticks left on each critical effect.
type Crits struct {
	Mobility, Weapons, Sensors, Fire int
}

// Track is what one ship believes about another. Quality is 0–3 (Q0
// bearing-only … Q3 corroborated fire-control), or -1 for an empty slot.
type Track struct {
	Quality int8
	Layer   int8 // -1 unknown, 0 surface, 1 submerged, 2 transitioning
	Class   int8 // -1 unknown, 0 S … 3 XL
	Hostile bool
	Fresh   bool  // updated by own sensors this tick
	Sources uint8 // bit per SensorKind that fed the last update
	Pos     r2.Vec
	Vel     r2.Vec
	Err     float64 // 1-σ position error, metres
	Updated int     // tick of the last update
}

// Threat is the nearest hostile torpedo a ship's sonar hears.
type Threat struct {
	Heard   bool
	Bearing float64 // absolute, radians
	Range   float64
	// Pos is where it was heard: the fix the next tick's course is worked out from.
	Pos r2.Vec
	// Tracked reports that the ship also heard a torpedo the tick before and
	// that the two fixes, a tick apart, are one torpedo's run (as a scripted
	// ship's evasion judges them); Course is then that run's direction
	// (absolute, radians).
	Tracked bool
	Course  float64
}

// Ship is one ship entity: plain component structs, no interfaces.
type Ship struct {
	ID    EntityID
	Spec  *contract.Ship `json:"-"`
	Team  int            // index into World.Teams
	Kin   Kinematics
	Layer Layer
	Trans Transition
	Health
	Status Status
	// Throttle and Rudder are the resolved commands in [-1, 1].
	Throttle, Rudder float64
	Control          ControlState
	Morale           float64
	FuelUsed         float64
	Collisions       int

	Class   int8 // 0 S … 3 XL
	Mounts  []Mount
	Mount   [numWeaponKinds]int8 // index of the first mount of each kind, -1 if none
	Crits   Crits
	Threat  Threat
	Sensor  rng.Stream // detection draws
	Damage  rng.Stream // dispersion, misfires, crits
	PingCD  int        // ticks until the next ping is allowed
	Pinged  int        // ticks left of a ping's loudness
	PingNow bool       // a ping was ordered: its active detection is due
	Blinded int        // ticks left of a lightning blackout
	// Per-tick bookkeeping, cleared at the start of each tick.
	Detected bool // a hostile holds a Q1+ track on this ship
	Tick     TickStats
	// Totals for the result.
	Hits, ShotsFired, Wasted, Kills int
	KilledBy                        EntityID
	HazardDamage                    float64
	// Contact is the nearest hostile track an agent held last tick (ship
	// index, -1 for none) and ContactRange its estimated range, for the
	// closing reward term.
	Contact      int
	ContactRange float64
}

// TickStats is what happened to or because of a ship during one tick.
type TickStats struct {
	DamageDealt, DamageTaken, Hazard float64
	Kills, Wasted, Collisions        int
	PutOutOfAction                   bool
}

// Alive reports whether the ship still takes part in the battle.
func (s *Ship) Alive() bool { return s.Status == StatusActive }
