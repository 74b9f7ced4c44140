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
	return startConditions(w.Pkg, seed, w.starts)
}

// startConditions writes each ship's start into starts (one per ship) and
// returns the weather: the package's, varied by its randomize block for
// seed when it has one. It is the only implementation of the randomize
// block; Randomized and the World both use it.
func startConditions(pkg *contract.BattlePackage, seed uint64, starts [][3]float64) contract.Weather {
	wx := pkg.Map.Weather
	for i := range pkg.Ships {
		st := pkg.Ships[i].InitialState
		starts[i] = [3]float64{st.X, st.Y, st.Heading}
	}
	rz := pkg.Randomize
	if rz == nil {
		return wx
	}
	r := rng.New(rng.Derive(seed, purposeSpawn))
	b := &pkg.Map.Bounds
	for i := range pkg.Ships {
		rad := pkg.Ships[i].Hull.Radius
		s := &starts[i]
		s[0] = dmath.Clamp(s[0]+r.Uniform(-rz.SpawnJitterM, rz.SpawnJitterM), b.MinX+rad, b.MaxX-rad)
		s[1] = dmath.Clamp(s[1]+r.Uniform(-rz.SpawnJitterM, rz.SpawnJitterM), b.MinY+rad, b.MaxY-rad)
		s[2] = s[2] + r.Uniform(-rz.HeadingJitterRad, rz.HeadingJitterRad)
	}
	d := rz.SeaStateDelta
	wx.SeaState = min(9, max(0, wx.SeaState+r.Intn(2*d+1)-d))
	wx.VisibilityKm = max(0.5, wx.VisibilityKm+r.Uniform(-rz.VisibilityJitterK, rz.VisibilityJitterK))
	return wx
}

// Randomized returns pkg with its randomize block applied for pkg.Seed:
// each ship's initial x, y and heading and the weather are where a World
// built from pkg starts its first episode, and the copy has no randomize
// block, so a World built from it starts in exactly the same place. pkg is
// not modified; without a randomize block the copy equals it.
func Randomized(pkg *contract.BattlePackage) *contract.BattlePackage {
	out := *pkg
	if pkg.Randomize == nil {
		return &out
	}
	starts := make([][3]float64, len(pkg.Ships))
	out.Map.Weather = startConditions(pkg, pkg.Seed, starts)
	out.Ships = append([]contract.Ship(nil), pkg.Ships...)
	for i := range out.Ships {
		st := &out.Ships[i].InitialState
		st.X, st.Y, st.Heading = starts[i][0], starts[i][1], starts[i][2]
	}
	out.Randomize = nil
	return &out
}
