package arena

import (
	"fmt"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// Normalisation scales of the observation (see layout.go). Every value the
// observation holds is bounded: fields with a natural maximum are divided by
// it and clamped, a track's range is squashed into [0, 1) by r / (r + R) with
// R = obsRangeHalf, so that the short ranges where weapons reach keep their
// resolution and no contact is ever out of bounds.
const (
	obsRangeHalf    = 5000.0 // a track at this range reads 0.5
	obsThreatHalf   = 1000.0 // a torpedo heard at this range reads 0.5
	obsClosingScale = 20.0
	obsCurrentScale = 2.0
	obsVisScale     = 20.0
	obsNoiseScale   = 100.0
	obsWallScale    = 1000.0
)

// unit clamps x into [0, 1]; sym clamps it into [-1, 1]. Both map NaN to 0,
// so that a bad value upstream can never leave an observation out of bounds.
func unit(x float64) float32 {
	if !(x > 0) {
		return 0
	}
	return float32(min(x, 1))
}

func sym(x float64) float32 {
	if !(x == x) {
		return 0
	}
	return float32(dmath.Clamp(x, -1, 1))
}

// ObsSize is the length of one agent's observation in this World.
func (w *World) ObsSize() int {
	n := ObsSize(w.Opts.MaxTracks)
	if w.fields != nil {
		n += w.fields.cfg.Foveated.Size()
	}
	return n
}

// Observe writes every agent's observation into dst (ObsSize values per
// agent, in agent order) and its action mask into mask (MaskSize per
// agent). Observations are built from the agent's own state, its tracks and
// its surroundings, never from other ships' ground truth.
func (w *World) Observe(dst, mask []float32) error {
	n := w.ObsSize()
	if len(dst) != n*len(w.Agents) {
		return fmt.Errorf("arena: observation buffer has %d values, want %d (%d agents × %d)",
			len(dst), n*len(w.Agents), len(w.Agents), n)
	}
	if len(mask) != MaskSize*len(w.Agents) {
		return fmt.Errorf("arena: mask buffer has %d values, want %d (%d agents × %d)",
			len(mask), MaskSize*len(w.Agents), len(w.Agents), MaskSize)
	}
	for a, i := range w.Agents {
		w.observeShip(&w.Ships[i], dst[a*n:(a+1)*n])
		w.maskShip(&w.Ships[i], mask[a*MaskSize:(a+1)*MaskSize])
	}
	return nil
}

func b2f(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

func (w *World) observeShip(s *Ship, o []float32) {
	clear(o)
	b := &w.Pkg.Map.Bounds
	cx, cy := (b.MinX+b.MaxX)/2, (b.MinY+b.MaxY)/2
	hw, hh := (b.MaxX-b.MinX)/2, (b.MaxY-b.MinY)/2
	dir := s.Kin.Dir()
	sin, cos := dir.Y, dir.X
	o[ObsOwnX] = sym((s.Kin.Pos.X - cx) / hw)
	o[ObsOwnY] = sym((s.Kin.Pos.Y - cy) / hh)
	o[ObsOwnSinHeading] = float32(sin)
	o[ObsOwnCosHeading] = float32(cos)
	o[ObsOwnSpeed] = sym(s.Kin.Speed / s.Spec.Hull.MaxSpeed)
	o[ObsOwnThrottle] = sym(s.Throttle)
	o[ObsOwnRudder] = sym(s.Rudder)
	o[ObsOwnLayer] = float32(s.Layer)
	o[ObsOwnTransitioning] = b2f(s.Trans.Active)
	o[ObsOwnTransition] = unit(s.Trans.Progress())
	o[ObsOwnHP] = unit(s.HP / s.MaxHP)
	o[ObsOwnMorale] = unit(s.Morale)
	if t := &s.Threat; t.Heard {
		ts, tc := dmath.SinCos(dmath.WrapAngle(t.Bearing - s.Kin.Heading))
		o[ObsOwnThreatHeard] = 1
		o[ObsOwnThreatSinBear], o[ObsOwnThreatCosBear] = float32(ts), float32(tc)
		o[ObsOwnThreatRange] = unit(t.Range / (t.Range + obsThreatHalf))
		if t.Tracked {
			cs, cc := dmath.SinCos(dmath.WrapAngle(t.Course - s.Kin.Heading))
			o[ObsOwnThreatTracked] = 1
			o[ObsOwnThreatSinCourse], o[ObsOwnThreatCosCourse] = float32(cs), float32(cc)
		}
	}
	o[ObsOwnMobilityDisabled] = b2f(s.Crits.Mobility > 0)
	o[ObsOwnWeaponsDisabled] = b2f(s.Crits.Weapons > 0)
	o[ObsOwnSensorsDisabled] = b2f(s.Crits.Sensors > 0 || s.Blinded > 0)
	o[ObsOwnOnFire] = b2f(s.Crits.Fire > 0)
	for k := WeaponKind(0); k < numWeaponKinds; k++ {
		if m := s.Mount[k]; m >= 0 {
			mt := &s.Mounts[m]
			if mt.Reload > 0 {
				o[ObsOwnGunCooldown+int(k)] = unit(float64(mt.Cooldown) / float64(mt.Reload))
			}
			if mt.AmmoStart > 0 {
				o[ObsOwnGunAmmo+int(k)] = unit(float64(mt.Ammo) / float64(mt.AmmoStart))
			}
		}
	}
	w.observeTracks(s, o[ObsOwnSize:ObsOwnSize+w.Opts.MaxTracks*TrackSize], sin, cos)

	env := ObsSize(w.Opts.MaxTracks) - EnvSize - CtxSize
	cur := w.env.current(s.Kin.Pos)
	o[env+EnvCurrentU] = sym(cur.X / obsCurrentScale)
	o[env+EnvCurrentV] = sym(cur.Y / obsCurrentScale)
	o[env+EnvSeaState] = unit(w.seaStateAt(s.Kin.Pos) / 9)
	o[env+EnvVisibility] = unit(w.env.weather.VisibilityKm / obsVisScale)
	o[env+EnvHazard] = unit(w.env.zoneIntensity("hazard", s.Kin.Pos))
	o[env+EnvNoise] = unit(w.ambientNoise(s) / obsNoiseScale)

	ctx := env + EnvSize
	o[ctx+CtxTimeLeft] = unit(float64(w.MaxTicks-w.Tick) / float64(w.MaxTicks))
	p := s.Kin.Pos
	wall := min(p.X-b.MinX, b.MaxX-p.X, p.Y-b.MinY, b.MaxY-p.Y)
	o[ctx+CtxWallDist] = unit(wall / obsWallScale)
	if w.fields != nil && w.fields.cfg.Foveated != nil {
		w.observeFovea(s, o[ctx+CtxSize:])
	}
}

func (w *World) maskShip(s *Ship, m []float32) {
	clear(m)
	if !s.Alive() {
		return
	}
	for k := WeaponKind(0); k < numWeaponKinds; k++ {
		m[MaskFireGun+int(k)] = b2f(w.canFire(s, k) && w.target(s, k) >= 0)
	}
	m[MaskDive] = b2f(w.canDive(s))
	m[MaskSurface] = b2f(w.canSurface(s))
	m[MaskPing] = b2f(w.canPing(s))
}

// observeTracks writes the K nearest tracks, nearest first (ties by ship
// index), relative to the observer. Selection is an allocation-free
// repeated minimum over the track table.
func (w *World) observeTracks(s *Ship, o []float32, sin, cos float64) {
	k := len(o) / TrackSize
	i := int(s.ID - 1)
	if w.useIndex() {
		near := w.knnJ[:k]
		for slot := range w.nearestTracksIndexed(i, near) {
			tr := w.trackOf(i, int(near[slot]))
			w.writeTrack(s, &tr, o[slot*TrackSize:(slot+1)*TrackSize], sin, cos)
		}
		return
	}
	last, lastR := -1, -1.0
	for slot := 0; slot < k; slot++ {
		best, bestR := -1, 0.0
		var bestTr *Track // (writeTrack reads neither Fresh nor Sources)
		visit := func(j int, tr *Track) {
			d := r2.Sub(tr.Pos, s.Kin.Pos)
			r := float64(d.X*d.X) + float64(d.Y*d.Y)
			if r < lastR || (r == lastR && j <= last) {
				return // already written
			}
			if best < 0 || r < bestR {
				best, bestR, bestTr = j, r, tr
			}
		}
		if pic, ok := w.plain(i); ok {
			for j := range pic {
				if pic[j].Quality >= 0 && j != i {
					visit(j, &pic[j])
				}
			}
		} else {
			for it := w.tracks(i); it.next(); {
				visit(it.j, it.tr)
			}
		}
		if best < 0 {
			return
		}
		last, lastR = best, bestR
		w.writeTrack(s, bestTr, o[slot*TrackSize:(slot+1)*TrackSize], sin, cos)
	}
}

func (w *World) writeTrack(s *Ship, tr *Track, o []float32, sin, cos float64) {
	d := r2.Sub(tr.Pos, s.Kin.Pos)
	rng := dmath.Hypot(d.X, d.Y)
	rel := dmath.WrapAngle(dmath.Atan2(d.Y, d.X) - s.Kin.Heading)
	rs, rc := dmath.SinCos(rel)
	o[TrkPresent] = 1
	o[TrkSinBear], o[TrkCosBear] = float32(rs), float32(rc)
	o[TrkRange] = unit(rng / (rng + obsRangeHalf))
	if rng > 0 {
		own := r2.Vec{X: float64(cos * s.Kin.Speed), Y: float64(sin * s.Kin.Speed)}
		rv := r2.Sub(tr.Vel, own)
		o[TrkClosing] = sym(-(float64(rv.X*d.X) + float64(rv.Y*d.Y)) / rng / obsClosingScale)
	}
	o[TrkQuality] = unit(float64(tr.Quality) / 3)
	o[TrkClass] = float32(float64(tr.Class) / 3)
	if tr.Class < 0 {
		o[TrkClass] = -1
	}
	o[TrkIFF] = 1
	if !tr.Hostile {
		o[TrkIFF] = -1
	}
	switch tr.Layer {
	case 0:
		o[TrkLayer] = 0
	case 1:
		o[TrkLayer] = 1
	case 2:
		o[TrkLayer] = 0.5
	default:
		o[TrkLayer] = -1
	}
	o[TrkAge] = unit(float64(w.Tick-tr.Updated) / w.rules.TrackTimeoutS)
	if tr.Vel.X != 0 || tr.Vel.Y != 0 {
		cs, cc := dmath.SinCos(dmath.WrapAngle(dmath.Atan2(tr.Vel.Y, tr.Vel.X) - s.Kin.Heading))
		o[TrkSinCourse], o[TrkCosCourse] = float32(cs), float32(cc)
	}
}
