package arena

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
)

// TestApproachIsTheTrueClosingSpeed puts two ships on a line, heading
// toward or away from each other at set speeds, and reads the approach term
// of the first: their closing speed in km per 1 s tick, whatever either
// ship's sensors know.
func TestApproachIsTheTrueClosingSpeed(t *testing.T) {
	tests := []struct {
		name                   string
		shooterSpeed, shooterH float64
		targetSpeed, targetH   float64
		want                   float64 // km per tick
	}{
		{"both closing", 8, 0, 6, math.Pi, 0.014},
		{"shooter closing, target still", 10, 0, 0, 0, 0.010},
		{"shooter opening", 5, math.Pi, 0, 0, -0.005},
		{"target crossing", 0, 0, 7, math.Pi / 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shooter, target := corvette("agent"), corvette("idle")
			shooter.Sensors, target.Sensors = nil, nil // nothing detected: the term needs no track
			p := twoShips(t, shooter, target, 9000)
			w := newWorld(t, p)
			for i, sp := range []struct{ v, h float64 }{{tt.shooterSpeed, tt.shooterH}, {tt.targetSpeed, tt.targetH}} {
				w.Ships[i].Kin.Speed, w.Ships[i].Kin.Heading = sp.v, sp.h
			}
			w.telemetry()
			got := float64(w.Rewards()[RewardApproach])
			if math.Abs(got-tt.want) > 1e-6 {
				t.Fatalf("approach %v km, want %v", got, tt.want)
			}
		})
	}
}

// TestApproachSumsToTheDistanceClosed plays a duel with the agent steaming
// at the idle submarine it never detects: over the ticks the term adds up to
// the distance it closed, and it is 0 once the battle has no foe left.
func TestApproachSumsToTheDistanceClosed(t *testing.T) {
	shooter, target := corvette("agent"), submarine("idle")
	shooter.Sensors = []contract.Sensor{contract.DefaultSensor("radar")} // radar cannot see a submerged boat
	p := twoShips(t, shooter, target, 6000)
	p.Ships[0].InitialState.Speed = 0
	w := newWorld(t, p)
	dist := func() float64 {
		d := r2.Sub(w.Ships[1].Kin.Pos, w.Ships[0].Kin.Pos)
		return math.Hypot(d.X, d.Y)
	}
	start, sum := dist(), 0.0
	for tick := 0; tick < 200; tick++ {
		stepN(t, w, 1, [ActionSize]float32{1, 0})
		if w.trackOf(0, 1).Quality >= 0 {
			t.Fatal("the test needs a foe the agent never detects")
		}
		sum += float64(w.Rewards()[RewardApproach])
	}
	closed := (start - dist()) / 1000
	if closed < 2 || math.Abs(sum-closed) > 0.02*closed {
		t.Fatalf("approach terms sum to %.3f km, the ships closed %.3f km", sum, closed)
	}
	w.Ships[1].Status = StatusDestroyed
	w.telemetry()
	if got := w.Rewards()[RewardApproach]; got != 0 {
		t.Fatalf("approach %v with no foe in action, want 0", got)
	}
}
