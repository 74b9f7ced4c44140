package arena

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// ControllerKind names a controller plugin.
type ControllerKind uint8

// Controllers. Agent takes its commands from Step's action slice; the
// others are scripted baselines.
const (
	ControllerIdle ControllerKind = iota
	ControllerAgent
	ControllerRandom
	ControllerPatrol
	ControllerAggressive
	ControllerStalker
	ControllerExpert
	numControllers
)

var controllerNames = [numControllers]string{"idle", "agent", "random", "patrol", "aggressive", "stalker", "expert"}

// ControllerNames lists the controller names a package may use.
func ControllerNames() []string { return controllerNames[:] }

func parseController(name string) (ControllerKind, error) {
	for i, n := range controllerNames {
		if n == name {
			return ControllerKind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown controller %q (known: %s)", name, strings.Join(controllerNames[:], ", "))
}

// TeacherNames lists the controllers that may be an env's teacher (Options.Teacher).
func TeacherNames() []string {
	return []string{controllerNames[ControllerAggressive], controllerNames[ControllerStalker], controllerNames[ControllerExpert]}
}

// ParseTeacher returns the controller a teacher name stands for: one of
// TeacherNames.
func ParseTeacher(name string) (ControllerKind, error) {
	k, err := parseController(name)
	if err != nil || k < ControllerAggressive {
		return 0, fmt.Errorf("unknown teacher %q (known: %s)", name, strings.Join(TeacherNames(), ", "))
	}
	return k, nil
}

// patrolSide is the side (m) of the square a patrolling ship steers around.
const patrolSide = 2000.0

// control is the controller phase: each plugin reads the world and emits a
// Command for its ship; none of them mutates ship state other than its own
// controller memory.
func (w *World) control(actions []float32) {
	w.memo = slotMemo{ok: true} // the track tables hold still until the phase ends
	agent := 0
	for i := range w.Ships {
		s := &w.Ships[i]
		c := &w.cmds[i]
		*c = Command{Source: s.ID, Trace: w.nextTrace()}
		if s.Control.Kind == ControllerAgent {
			a := actions[agent*ActionSize : (agent+1)*ActionSize]
			for k := range c.Action {
				c.Action[k] = float64(a[k])
			}
			if w.teacher != nil {
				w.teach(s, a, w.teacher[agent*ActionSize:(agent+1)*ActionSize])
			}
			agent++
			continue
		}
		if !s.Alive() {
			continue
		}
		switch s.Control.Kind {
		case ControllerRandom:
			w.controlRandom(s, c)
		case ControllerPatrol:
			w.controlPatrol(s, c)
		case ControllerAggressive, ControllerStalker, ControllerExpert:
			w.controlDoctrine(s, c, &doctrines[s.Control.Kind])
		}
	}
	w.memo.ok, w.memo.s = false, nil
	if w.playCur != nil {
		w.playback()
	}
}

// teach writes into out the command Opts.Teacher would give agent ship s
// now (zeros once s is out of action). The teacher's memory is the ship's
// controller memory, except that the last ping is the agent's: a ping the
// teacher advised but the agent did not order is not remembered as made.
func (w *World) teach(s *Ship, agentAction, out []float32) {
	if !s.Alive() {
		clear(out)
		return
	}
	var c Command
	lastPing := s.Control.LastPing
	w.controlDoctrine(s, &c, &doctrines[w.Opts.Teacher])
	s.Control.LastPing = lastPing
	if agentAction[ActPing] > 0 {
		s.Control.LastPing = w.Tick
	}
	for k := range out {
		out[k] = float32(c.Action[k])
	}
}

// TeacherActions returns the commands Opts.Teacher gave each agent ship in
// the last tick (ActionSize per agent, in Agents order), or nil when the
// world has no teacher. The slice is the world's; it changes every tick.
func (w *World) TeacherActions() []float32 { return w.teacher }

// playback overrides this tick's commands with the action log.
func (w *World) playback() {
	log := w.Opts.Playback
	for w.playIdx < len(log) && log[w.playIdx].Tick <= w.Tick {
		w.playCur[w.playShip[w.playIdx]] = log[w.playIdx].Action
		w.playIdx++
	}
	for i := range w.cmds {
		w.cmds[i].Action = w.playCur[i]
	}
}

// controlRandom holds a random command for 5–15 ticks, then draws another.
func (w *World) controlRandom(s *Ship, c *Command) {
	cs := &s.Control
	if cs.HoldLeft <= 0 {
		r := &cs.Stream
		cs.Hold[ActThrottle] = r.Uniform(-0.5, 1)
		cs.Hold[ActRudder] = r.Uniform(-1, 1)
		for _, k := range [...]int{ActFireGun, ActFireTorpedo, ActFireASW, ActPing} {
			cs.Hold[k] = -1
			if r.Bernoulli(0.3) {
				cs.Hold[k] = 1
			}
		}
		cs.Hold[ActLayer] = 0
		if r.Bernoulli(0.1) {
			cs.Hold[ActLayer] = r.Uniform(-1, 1)
		}
		cs.HoldLeft = 5 + r.Intn(11)
	}
	cs.HoldLeft--
	c.Action = cs.Hold
}

// controlPatrol steers around a square of side patrolSide whose first corner
// is the ship's start, at 60 % throttle.
func (w *World) controlPatrol(s *Ship, c *Command) {
	x, y := w.starts[s.ID-1][0], w.starts[s.ID-1][1]
	corners := [4]r2.Vec{
		{X: x, Y: y}, {X: x + patrolSide, Y: y},
		{X: x + patrolSide, Y: y + patrolSide}, {X: x, Y: y + patrolSide},
	}
	b := w.Pkg.Map.Bounds
	target := corners[s.Control.Waypoint%4]
	target.X = dmath.Clamp(target.X, b.MinX+200, b.MaxX-200)
	target.Y = dmath.Clamp(target.Y, b.MinY+200, b.MaxY-200)
	d := r2.Sub(target, s.Kin.Pos)
	if float64(d.X*d.X)+float64(d.Y*d.Y) < 150*150 {
		s.Control.Waypoint++
	}
	c.Action[ActThrottle] = 0.6
	c.Action[ActRudder] = steerToward(s.Kin.Heading, dmath.Atan2(d.Y, d.X))
}

// steerToward returns a rudder command turning from heading toward bearing:
// proportional, saturating at ±1 beyond 30°.
func steerToward(heading, bearing float64) float64 {
	return dmath.Clamp(dmath.WrapAngle(bearing-heading)/(math.Pi/6), -1, 1)
}

// resolve applies commands in ascending source id (the order they were
// emitted in): throttle and rudder become the ship's standing orders, and a
// layer command starts a dive or surfacing where it is legal.
func (w *World) resolve() {
	for i := range w.cmds {
		c := &w.cmds[i]
		s := &w.Ships[i]
		if w.Opts.RecordLog && c.Action != w.lastAction[i] {
			w.log = append(w.log, logRecord(w.Tick, s.Spec.ShipID, c.Action))
		}
		w.lastAction[i] = c.Action
		if !s.Alive() {
			s.Throttle, s.Rudder = 0, 0
			continue
		}
		s.Throttle = c.Action[ActThrottle]
		s.Rudder = c.Action[ActRudder]
		switch {
		case c.Action[ActLayer] > 0.5 && w.canDive(s):
			w.startTransition(s, Submerged, c.Trace)
		case c.Action[ActLayer] < -0.5 && w.canSurface(s):
			w.startTransition(s, Surface, c.Trace)
		}
		if c.Action[ActPing] > 0 && w.canPing(s) {
			s.Pinged = pingTicks
			s.PingNow = true
			s.PingCD = w.rules.PingCooldownTicks
			w.emit(Event{Kind: EventPing, Source: s.ID, Target: s.ID, Trace: w.nextTrace(), Cause: c.Trace})
		}
	}
}

// canPing reports whether a ship may send an active sonar ping now.
func (w *World) canPing(s *Ship) bool {
	return s.Alive() && s.PingCD == 0 && s.Crits.Sensors == 0 && w.sonarRange(s) > 0
}

// slotMemo is the last slot contact read.
type slotMemo struct {
	ok bool  // in the controller phase
	s  *Ship // the ship and target of tr (nil: none)
	j  int
	tr Track
}

// contact is ship s's slot on ship j for the scripted controllers:
// trackOf, remembered for the last (s, j) asked, as a controller asks for
// its contact's slot several times and the track tables do not change
// during the controller phase. The slot is valid until the next call
// (copy it to keep it); a caller that reads a field of it loads that field
// alone.
func (w *World) contact(s *Ship, j int) *Track {
	if w.memo.s != s || w.memo.j != j { // (outside the controller phase s is nil)
		w.lookContact(s, j)
	}
	return &w.memo.tr
}

// lookContact puts ship s's slot on j into the memo (remembered only in the
// controller phase).
func (w *World) lookContact(s *Ship, j int) {
	m := &w.memo
	w.trackInto(int(s.ID-1), j, &m.tr)
	if m.ok {
		m.s, m.j = s, j
	}
}
