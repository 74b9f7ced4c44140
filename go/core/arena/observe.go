package arena

import (
	"fmt"

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
	// ambientNoiseDB is the ambient noise sonar hears until a noise field
	// provides it.
	ambientNoiseDB = 60.0
)

// ObsSize is the length of one agent's observation in this World.
func (w *World) ObsSize() int { return ObsSize(w.Opts.MaxTracks) }

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
	sin, cos := dmath.SinCos(s.Kin.Heading)
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

	env := w.ObsSize() - EnvSize - CtxSize
	cur := w.env.current(s.Kin.Pos)
	o[env+EnvCurrentU] = float32(cur.X / obsCurrentScale)
	o[env+EnvCurrentV] = float32(cur.Y / obsCurrentScale)
	o[env+EnvSeaState] = float32(float64(w.env.weather.SeaState) / 9)
	o[env+EnvVisibility] = float32(dmath.Clamp(w.env.weather.VisibilityKm/obsVisScale, 0, 1))
	o[env+EnvHazard] = float32(w.env.zoneIntensity("hazard", s.Kin.Pos))
	o[env+EnvNoise] = float32(ambientNoiseDB / obsNoiseScale)

	ctx := env + EnvSize
	o[ctx+CtxTimeLeft] = float32(float64(w.MaxTicks-w.Tick) / float64(w.MaxTicks))
	p := s.Kin.Pos
	wall := min(p.X-b.MinX, b.MaxX-p.X, p.Y-b.MinY, b.MaxY-p.Y)
	o[ctx+CtxWallDist] = float32(dmath.Clamp(wall/obsWallScale, 0, 1))
}

func (w *World) maskShip(s *Ship, m []float32) {
	clear(m)
	if !s.Alive() {
		return
	}
	m[MaskDive] = b2f(w.canDive(s))
	m[MaskSurface] = b2f(w.canSurface(s))
}
