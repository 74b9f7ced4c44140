package arena

import (
	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// Scripted controller tuning.
const (
	searchPingEvery    = 12     // an aggressive ship without contacts pings this often (ticks)
	stalkerFar         = 5000.0 // the stalker closes in beyond this range …
	stalkerNear        = 3000.0 // … and opens the range inside this one
	stalkerQuiet       = 0.3    // quiet throttle
	evadeRange         = 3000.0 // torpedoes heard inside this range are evaded
	aggressiveCloseF   = 0.5    // aggressive ships close to this fraction of weapon range
	searchThrottle     = 0.7    // throttle while searching (quiet enough to listen)
	aggressiveMaxClose = 3000.0 // … but never stays further out than this
	torpedoFireFrac    = 0.6    // torpedoes are fired inside this fraction of their range
	salvoSize          = 2      // scripted ships keep at most this many torpedoes running
	aggressiveEvade    = 1500.0 // aggressive ships out of their own firing range evade torpedoes this close
)

// bestContact is the index of the most useful hostile track (quality, then
// range), or -1.
func bestContact(s *Ship) int {
	best, bestQ, bestR := -1, int8(-1), 0.0
	for j := range s.Tracks {
		tr := &s.Tracks[j]
		if tr.Quality < 0 || !tr.Hostile {
			continue
		}
		d := r2.Sub(tr.Pos, s.Kin.Pos)
		r := float64(d.X*d.X) + float64(d.Y*d.Y)
		if tr.Quality > bestQ || (tr.Quality == bestQ && r < bestR) {
			best, bestQ, bestR = j, tr.Quality, r
		}
	}
	return best
}

// engageRange is how close an aggressive ship wants to be to a target in
// the given layer: half the range of the weapon that can hit it, at most
// aggressiveMaxClose.
func engageRange(s *Ship, layer int8) float64 {
	for k := WeaponKind(0); k < numWeaponKinds; k++ {
		if m := s.Mount[k]; m >= 0 && (layerOK(k, layer) || layer < 0) {
			return min(aggressiveMaxClose, float64(aggressiveCloseF*s.Mounts[m].Spec.Range))
		}
	}
	return 1000
}

func (w *World) mapCentre() r2.Vec {
	b := &w.Pkg.Map.Bounds
	return r2.Vec{X: (b.MinX + b.MaxX) / 2, Y: (b.MinY + b.MaxY) / 2}
}

// controlAggressive closes on the best contact and fires every weapon that
// can; without contacts it runs a search circuit and pings. Out of its own
// firing range it turns away from torpedoes it hears close aboard.
// Submarines stay submerged.
func (w *World) controlAggressive(s *Ship, c *Command) {
	if s.Spec.Capabilities.CanSubmerge && s.Layer == Surface && !s.Trans.Active {
		c.Action[ActLayer] = 1
	}
	c.Action[ActFireGun], c.Action[ActFireTorpedo], c.Action[ActFireASW] = 1, 1, 1
	j := bestContact(s)
	if j < 0 || s.Tracks[j].Quality == 0 {
		goal := w.searchPoint(s)
		if j >= 0 {
			goal = s.Tracks[j].Pos
		}
		c.Action[ActThrottle] = searchThrottle
		if s.Layer == Submerged {
			c.Action[ActThrottle] = 1 // an aggressive submarine hunts by pinging, not listening
		}
		c.Action[ActRudder] = steerToward(s.Kin.Heading, bearingTo(s.Kin.Pos, goal))
		if w.Tick%searchPingEvery == int(s.ID)%searchPingEvery {
			c.Action[ActPing] = 1
		}
		return
	}
	tr := &s.Tracks[j]
	d := r2.Sub(tr.Pos, s.Kin.Pos)
	r := dmath.Hypot(d.X, d.Y)
	if s.Threat.Heard && s.Threat.Range < aggressiveEvade && r > engageRange(s, tr.Layer) {
		// A torpedo close aboard and no shot of our own: turn away from it.
		c.Action[ActThrottle] = 1
		c.Action[ActRudder] = steerToward(s.Kin.Heading, dmath.WrapAngle(s.Threat.Bearing+3.141592653589793))
		return
	}
	c.Action[ActRudder] = steerToward(s.Kin.Heading, dmath.Atan2(d.Y, d.X))
	c.Action[ActThrottle] = 1
	if r < engageRange(s, tr.Layer) {
		c.Action[ActThrottle] = 0.4
	}
	if m := s.Mount[Torpedo]; m >= 0 && (r > float64(torpedoFireFrac*s.Mounts[m].Spec.Range) ||
		w.torpedoesRunning(s) >= salvoSize) {
		c.Action[ActFireTorpedo] = 0 // hold torpedoes until the shot is likely to arrive
	}
	if tr.Layer == 1 && tr.Quality < 2 && s.Layer == Surface {
		c.Action[ActPing] = 1 // refine a sonar contact for the ASW mortar
	}
}

// controlStalker is the submarine baseline: deep and quiet, it holds 3–5 km
// from its best contact, fires torpedoes from there, evades torpedoes it
// hears and never pings.
func (w *World) controlStalker(s *Ship, c *Command) {
	if s.Spec.Capabilities.CanSubmerge && s.Layer == Surface && !s.Trans.Active {
		c.Action[ActLayer] = 1
	}
	if s.Threat.Heard && s.Threat.Range < evadeRange {
		c.Action[ActThrottle] = 1
		c.Action[ActRudder] = steerToward(s.Kin.Heading, dmath.WrapAngle(s.Threat.Bearing+3.141592653589793))
		return
	}
	j := bestContact(s)
	if j < 0 {
		c.Action[ActThrottle] = stalkerQuiet
		c.Action[ActRudder] = steerToward(s.Kin.Heading, bearingTo(s.Kin.Pos, w.mapCentre()))
		return
	}
	tr := &s.Tracks[j]
	d := r2.Sub(tr.Pos, s.Kin.Pos)
	r := dmath.Hypot(d.X, d.Y)
	toward := dmath.Atan2(d.Y, d.X)
	switch {
	case r > stalkerFar:
		c.Action[ActThrottle] = stalkerQuiet
		c.Action[ActRudder] = steerToward(s.Kin.Heading, toward)
	case r < stalkerNear:
		c.Action[ActThrottle] = 0.5
		c.Action[ActRudder] = steerToward(s.Kin.Heading, dmath.WrapAngle(toward+3.141592653589793))
	default:
		c.Action[ActThrottle] = 0.2
		c.Action[ActRudder] = steerToward(s.Kin.Heading, dmath.WrapAngle(toward+1.5707963267948966))
		if w.torpedoesRunning(s) < salvoSize {
			c.Action[ActFireTorpedo] = 1
		}
	}
}

// torpedoesRunning counts a ship's torpedoes still in the water.
func (w *World) torpedoesRunning(s *Ship) int {
	n := 0
	for i := range w.projectiles {
		if p := &w.projectiles[i]; p.Alive && p.Kind == Torpedo && p.Owner == int(s.ID-1) {
			n++
		}
	}
	return n
}

// searchPoint is the next point of a search circuit through the map's
// centre and the centres of its four quadrants, moving on when within searchReach of it.
func (w *World) searchPoint(s *Ship) r2.Vec {
	b := &w.Pkg.Map.Bounds
	fx := [5]float64{0.5, 0.25, 0.75, 0.75, 0.25}
	fy := [5]float64{0.5, 0.25, 0.25, 0.75, 0.75}
	k := s.Control.Waypoint % 5
	p := r2.Vec{X: b.MinX + float64(fx[k]*(b.MaxX-b.MinX)), Y: b.MinY + float64(fy[k]*(b.MaxY-b.MinY))}
	d := r2.Sub(p, s.Kin.Pos)
	if float64(d.X*d.X)+float64(d.Y*d.Y) < searchReach*searchReach {
		s.Control.Waypoint++
	}
	return p
}

// searchReach is how close a search circuit point must be approached.
const searchReach = 1500.0

func bearingTo(from, to r2.Vec) float64 {
	d := r2.Sub(to, from)
	return dmath.Atan2(d.Y, d.X)
}
