package arena

import (
	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
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
}

// Alive reports whether the ship still takes part in the battle.
func (s *Ship) Alive() bool { return s.Status == StatusActive }
