package arena

import (
	"fmt"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// Normalisation scales of the observation (see layout.go).
const (
	obsRangeScale   = 10000.0
	obsClosingScale = 20.0
	obsCurrentScale = 2.0
	obsVisScale     = 20.0
	obsNoiseScale   = 100.0
	obsWallScale    = 1000.0
)

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
	o[ObsOwnX] = float32((s.Kin.Pos.X - cx) / hw)
	o[ObsOwnY] = float32((s.Kin.Pos.Y - cy) / hh)
	o[ObsOwnSinHeading] = float32(sin)
	o[ObsOwnCosHeading] = float32(cos)
	o[ObsOwnSpeed] = float32(s.Kin.Speed / s.Spec.Hull.MaxSpeed)
	o[ObsOwnThrottle] = float32(s.Throttle)
	o[ObsOwnRudder] = float32(s.Rudder)
	o[ObsOwnLayer] = float32(s.Layer)
	o[ObsOwnTransitioning] = b2f(s.Trans.Active)
	o[ObsOwnTransition] = float32(s.Trans.Progress())
	o[ObsOwnHP] = float32(s.HP / s.MaxHP)
	o[ObsOwnMorale] = float32(s.Morale)
	o[ObsOwnMobilityDisabled] = b2f(s.Crits.Mobility > 0)
	o[ObsOwnWeaponsDisabled] = b2f(s.Crits.Weapons > 0)
	o[ObsOwnSensorsDisabled] = b2f(s.Crits.Sensors > 0 || s.Blinded > 0)
	o[ObsOwnOnFire] = b2f(s.Crits.Fire > 0)
	for k := WeaponKind(0); k < numWeaponKinds; k++ {
		if m := s.Mount[k]; m >= 0 {
			mt := &s.Mounts[m]
			o[ObsOwnGunCooldown+int(k)] = float32(float64(mt.Cooldown) / float64(mt.Reload))
			if mt.AmmoStart > 0 {
				o[ObsOwnGunAmmo+int(k)] = float32(float64(mt.Ammo) / float64(mt.AmmoStart))
			}
		}
	}
	w.observeTracks(s, o[ObsOwnSize:ObsOwnSize+w.Opts.MaxTracks*TrackSize], sin, cos)

	env := ObsSize(w.Opts.MaxTracks) - EnvSize - CtxSize
	cur := w.env.current(s.Kin.Pos)
	o[env+EnvCurrentU] = float32(cur.X / obsCurrentScale)
	o[env+EnvCurrentV] = float32(cur.Y / obsCurrentScale)
	o[env+EnvSeaState] = float32(w.seaStateAt(s.Kin.Pos) / 9)
	o[env+EnvVisibility] = float32(dmath.Clamp(w.env.weather.VisibilityKm/obsVisScale, 0, 1))
	o[env+EnvHazard] = float32(w.env.zoneIntensity("hazard", s.Kin.Pos))
	o[env+EnvNoise] = float32(w.ambientNoise(s) / obsNoiseScale)

	ctx := env + EnvSize
	o[ctx+CtxTimeLeft] = float32(float64(w.MaxTicks-w.Tick) / float64(w.MaxTicks))
	p := s.Kin.Pos
	wall := min(p.X-b.MinX, b.MaxX-p.X, p.Y-b.MinY, b.MaxY-p.Y)
	o[ctx+CtxWallDist] = float32(dmath.Clamp(wall/obsWallScale, 0, 1))
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
	o[TrkRange] = float32(rng / obsRangeScale)
	if rng > 0 {
		own := r2.Vec{X: float64(cos * s.Kin.Speed), Y: float64(sin * s.Kin.Speed)}
		rv := r2.Sub(tr.Vel, own)
		o[TrkClosing] = float32(-(float64(rv.X*d.X) + float64(rv.Y*d.Y)) / rng / obsClosingScale)
	}
	o[TrkQuality] = float32(float64(tr.Quality) / 3)
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
	o[TrkAge] = float32(float64(w.Tick-tr.Updated) / w.rules.TrackTimeoutS)
	if tr.Vel.X != 0 || tr.Vel.Y != 0 {
		cs, cc := dmath.SinCos(dmath.WrapAngle(dmath.Atan2(tr.Vel.Y, tr.Vel.X) - s.Kin.Heading))
		o[TrkSinCourse], o[TrkCosCourse] = float32(cs), float32(cc)
	}
}
