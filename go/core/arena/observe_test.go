package arena

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
)

// obsBounds is the lower and upper bound of observation index i of a layout
// with k track slots, from the layout's Field tables.
func obsBounds(i, k int) (lo, hi float64) {
	var f Field
	switch {
	case i < ObsOwnSize:
		f = OwnFields[i]
	case i < ObsOwnSize+k*TrackSize:
		f = TrackFields[(i-ObsOwnSize)%TrackSize]
	case i < ObsOwnSize+k*TrackSize+EnvSize:
		f = EnvFields[i-ObsOwnSize-k*TrackSize]
	default:
		f = ContextFields[i-ObsOwnSize-k*TrackSize-EnvSize]
	}
	return f.Low, f.High
}

func TestEveryObservationBoundIsFinite(t *testing.T) {
	for i := 0; i < ObsSize(2); i++ {
		if lo, hi := obsBounds(i, 2); math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo < -1 || hi > 1 {
			t.Errorf("observation index %d has bounds [%v, %v], want finite within [-1, 1]", i, lo, hi)
		}
	}
}

// TestObservationsAreBounded plays shipped scenarios with every ship an
// agent under random actions and checks every observation value, every
// tick, against the bounds its Field declares.
func TestObservationsAreBounded(t *testing.T) {
	tests := []struct {
		scenario string
		seed     uint64
	}{
		{"duel", 1},
		{"gun_duel", 2},
		{"sub_duel", 3},
		{"fleet_4v4", 4},
		{"convoy", 5},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			data, err := os.ReadFile("../../../src/tidebreak/scenarios/data/" + tt.scenario + ".json")
			if err != nil {
				t.Fatal(err)
			}
			p, err := contract.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			for i := range p.Ships {
				p.Ships[i].Controller = "agent"
			}
			p.Seed = tt.seed
			w := newWorld(t, p)
			k := w.Opts.MaxTracks
			n := w.ObsSize()
			obs := make([]float32, n*len(w.Agents))
			mask := make([]float32, MaskSize*len(w.Agents))
			acts := make([]float32, ActionSize*len(w.Agents))
			rng := rand.New(rand.NewPCG(tt.seed, 7))
			seen := 0
			for done := false; !done; done, _ = w.Done() {
				for i := range acts {
					acts[i] = float32(2*rng.Float64() - 1)
				}
				if err := w.Step(acts); err != nil {
					t.Fatal(err)
				}
				if err := w.Observe(obs, mask); err != nil {
					t.Fatal(err)
				}
				for j, v := range obs {
					lo, hi := obsBounds(j%n, k)
					if !(float64(v) >= lo && float64(v) <= hi) {
						t.Fatalf("tick %d agent %d: observation index %d = %v, outside [%v, %v]", w.Tick, j/n, j%n, v, lo, hi)
					}
				}
				seen++
			}
			if seen < 10 {
				t.Fatalf("only %d ticks played", seen)
			}
		})
	}
}

// TestTrackRangeSquashesIntoTheUnitInterval plants tracks at known ranges
// and reads their range field back: r / (r + 5 km), so 5 km reads 0.5 and
// no range, however far, reaches 1.
func TestTrackRangeSquashesIntoTheUnitInterval(t *testing.T) {
	tests := []struct{ r, want float64 }{
		{0, 0},
		{1500, 1500.0 / 6500},
		{5000, 0.5},
		{15000, 0.75},
		{1e7, 1e7 / (1e7 + 5000)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.r), func(t *testing.T) {
			w := newWorld(t, twoShips(t, corvette("agent"), submarine("idle"), 3000))
			s := &w.Ships[0]
			w.setTrack(0, 1, Track{Quality: 2, Hostile: true, Pos: r2.Add(s.Kin.Pos, r2.Vec{X: tt.r}), Updated: w.Tick})
			obs := make([]float32, w.ObsSize())
			mask := make([]float32, MaskSize)
			if err := w.Observe(obs, mask); err != nil {
				t.Fatal(err)
			}
			got := float64(obs[ObsOwnSize+TrkRange])
			if math.Abs(got-tt.want) > 1e-6 || got >= 1 {
				t.Fatalf("range %v m reads %v, want %v (< 1)", tt.r, got, tt.want)
			}
		})
	}
}

// TestThreatFieldsDescribeAHeardTorpedo checks the threat fields against
// the torpedoes in the water: whenever the corvette's sonar hears one, the
// fields give the bearing (relative to its heading) and the squashed range
// of a torpedo that is there; otherwise they are all zero.
func TestThreatFieldsDescribeAHeardTorpedo(t *testing.T) {
	heard := 0
	underTorpedoFire(t, func(w *World, obs []float32) {
		s := &w.Ships[0]
		if obs[ObsOwnThreatHeard] == 0 {
			for _, i := range []int{ObsOwnThreatSinBear, ObsOwnThreatCosBear, ObsOwnThreatRange} {
				if obs[i] != 0 {
					t.Fatalf("tick %d: no torpedo heard but threat field %d = %v", w.Tick, i, obs[i])
				}
			}
			return
		}
		heard++
		r := 1000 * float64(obs[ObsOwnThreatRange]) / (1 - float64(obs[ObsOwnThreatRange]))
		rel := math.Atan2(float64(obs[ObsOwnThreatSinBear]), float64(obs[ObsOwnThreatCosBear]))
		// The sonar heard it during the tick; it and the ship moved on since
		// (a torpedo runs 25 m/s): some torpedo lies within 80 m of the point.
		at := r2.Add(s.Kin.Pos, r2.Scale(r, r2.Vec{X: math.Cos(s.Kin.Heading + rel), Y: math.Sin(s.Kin.Heading + rel)}))
		found := false
		for k := range w.projectiles {
			if pr := &w.projectiles[k]; pr.Kind == Torpedo {
				d := r2.Sub(pr.Pos, at)
				found = found || math.Hypot(d.X, d.Y) < 80
			}
		}
		if !found {
			t.Fatalf("tick %d: threat at %.0f m, %.3f rad relative, but no torpedo there", w.Tick, r, rel)
		}
	})
	if heard == 0 {
		t.Fatal("the corvette never heard a torpedo: the test needs one fired at it")
	}
}

// TestThreatCourseFollowsTheTorpedo checks the threat's course fields: they
// are set only while a torpedo is heard, on most ticks that follow one on
// which it was heard too, and then give, relative to the ship's heading,
// the heading of a torpedo running near the heard point (a homing torpedo
// turns, so within 20°).
func TestThreatCourseFollowsTheTorpedo(t *testing.T) {
	heard, tracked := 0, 0
	underTorpedoFire(t, func(w *World, obs []float32) {
		s := &w.Ships[0]
		if obs[ObsOwnThreatTracked] == 0 {
			if obs[ObsOwnThreatSinCourse] != 0 || obs[ObsOwnThreatCosCourse] != 0 {
				t.Fatalf("tick %d: a course without a tracked torpedo", w.Tick)
			}
			heard += int(obs[ObsOwnThreatHeard])
			return
		}
		if obs[ObsOwnThreatHeard] != 1 {
			t.Fatalf("tick %d: a tracked torpedo that is not heard", w.Tick)
		}
		heard++
		tracked++
		course := s.Kin.Heading + math.Atan2(float64(obs[ObsOwnThreatSinCourse]), float64(obs[ObsOwnThreatCosCourse]))
		fix := s.Threat.Pos
		found := false
		for k := range w.projectiles {
			pr := &w.projectiles[k]
			d := r2.Sub(pr.Pos, fix)
			if pr.Kind == Torpedo && math.Hypot(d.X, d.Y) < 80 {
				found = found || math.Abs(math.Remainder(pr.Heading-course, 2*math.Pi)) < 20*math.Pi/180
			}
		}
		if !found {
			t.Fatalf("tick %d: threat course %.3f rad, but no torpedo near %v runs so", w.Tick, course, fix)
		}
	})
	if tracked == 0 || tracked*2 < heard {
		t.Fatalf("tracked on %d of %d ticks a torpedo was heard: want most", tracked, heard)
	}
}

// underTorpedoFire plays a duel in which an agent corvette sails slowly
// ahead while the aggressive submarine torpedoes it, and calls check with
// the corvette's observation after every tick.
func underTorpedoFire(t *testing.T, check func(w *World, obs []float32)) {
	t.Helper()
	p := loadDuel(t)
	p.Ships[0].Controller = "agent"
	p.Ships[1].Controller = "aggressive"
	p.Seed = 3
	w := newWorld(t, p)
	obs := make([]float32, w.ObsSize())
	mask := make([]float32, MaskSize)
	for done := false; !done; done, _ = w.Done() {
		if err := w.Step([]float32{0.3, 0, 0, 0, 0, 0, 0}); err != nil {
			t.Fatal(err)
		}
		if err := w.Observe(obs, mask); err != nil {
			t.Fatal(err)
		}
		check(w, obs)
	}
}
