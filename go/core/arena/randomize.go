package arena

import (
	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

var purposeSpawn = rng.Label("spawn")

// startConditions applies the package's randomize block for seed: it
// returns each ship's start (x, y, heading) and the battle's weather.
// Without a randomize block it returns the package's values unchanged.
func (w *World) startConditions(seed uint64) contract.Weather {
	wx := w.Pkg.Map.Weather
	for i := range w.Ships {
		st := w.Ships[i].Spec.InitialState
		w.starts[i] = [3]float64{st.X, st.Y, st.Heading}
	}
	rz := w.Pkg.Randomize
	if rz == nil {
		return wx
	}
	r := rng.New(rng.Derive(seed, purposeSpawn))
	b := &w.Pkg.Map.Bounds
	for i := range w.Ships {
		rad := w.Ships[i].Spec.Hull.Radius
		s := &w.starts[i]
		s[0] = dmath.Clamp(s[0]+r.Uniform(-rz.SpawnJitterM, rz.SpawnJitterM), b.MinX+rad, b.MaxX-rad)
		s[1] = dmath.Clamp(s[1]+r.Uniform(-rz.SpawnJitterM, rz.SpawnJitterM), b.MinY+rad, b.MaxY-rad)
		s[2] = s[2] + r.Uniform(-rz.HeadingJitterRad, rz.HeadingJitterRad)
	}
	d := rz.SeaStateDelta
	wx.SeaState = min(9, max(0, wx.SeaState+r.Intn(2*d+1)-d))
	wx.VisibilityKm = max(0.5, wx.VisibilityKm+r.Uniform(-rz.VisibilityJitterK, rz.VisibilityJitterK))
	return wx
}
