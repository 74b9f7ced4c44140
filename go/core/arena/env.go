package arena

import (
	"math"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
	"github.com/tidebreak/tidebreak/go/core/geom"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// environment is the static and slowly varying world around the ships:
// weather, currents, zones and terrain. Sensors and weapons read it through
// its methods.
type environment struct {
	weather  contract.Weather
	bounds   contract.Bounds
	currents *contract.Currents
	// analytic variation: u += variance·sin(k·x + phase[0]), v += variance·sin(k·y + phase[1])
	phase   [2]float64
	zones   []zone
	terrain []terrainRegion
	deflt   string
	// fld, when set, supplies the currents (FieldsConfig.CurrentsFromField).
	fld *fieldState
}

type zone struct {
	shape     geom.Shape
	kind      string
	intensity float64
	vector    r2.Vec
}

type terrainRegion struct {
	shape geom.Shape
	class string
}

// still reports whether the water does not move anywhere: no currents,
// no zones and no field coupling.
func (e *environment) still() bool {
	return e.fld == nil && e.currents == nil && len(e.zones) == 0
}

// analyticWavelength is the spatial wavelength (m) of analytic current variance.
const analyticWavelength = 4000.0

func newEnvironment(m *contract.Map) environment {
	e := environment{weather: m.Weather, bounds: m.Bounds, currents: m.Currents, deflt: m.Terrain.Default}
	for _, z := range m.Zones {
		e.zones = append(e.zones, zone{shape: shapeOf(z.Shape, z.Position), kind: z.ModifierType,
			intensity: z.Intensity, vector: r2.Vec{X: z.Vector[0], Y: z.Vector[1]}})
	}
	for _, t := range m.Terrain.Regions {
		e.terrain = append(e.terrain, terrainRegion{shape: shapeOf(t.Shape, t.Position), class: t.DepthClass})
	}
	return e
}

func (e *environment) reset(seed uint64) {
	r := rng.New(seed)
	e.phase = [2]float64{r.Uniform(0, 2*math.Pi), r.Uniform(0, 2*math.Pi)}
}

// SurfaceSpeedFactor is the sea-state cap on surface speed: 1 − 0.03 × sea_state.
func (e *environment) surfaceSpeedFactor() float64 {
	return 1 - float64(0.03*float64(e.weather.SeaState))
}

// transitionFactor lengthens dives and surfacing by 10 % per sea-state step above 4.
func (e *environment) transitionFactor() float64 {
	if s := e.weather.SeaState; s > 4 {
		return 1 + float64(0.1*float64(s-4))
	}
	return 1
}

// current returns the water velocity (m/s) at p: from the current fields
// when coupled with currents_from_field, else analyticCurrent.
func (e *environment) current(p r2.Vec) r2.Vec {
	if e.fld != nil {
		return e.fld.current(p)
	}
	if e.still() {
		return r2.Vec{}
	}
	return e.analyticCurrent(p)
}

// analyticCurrent returns the package's water velocity (m/s) at p: the
// currents block plus every current zone containing p.
func (e *environment) analyticCurrent(p r2.Vec) r2.Vec {
	var c r2.Vec
	if cur := e.currents; cur != nil {
		switch cur.Kind {
		case contract.CurrentsAnalytic:
			c = r2.Vec{X: cur.BaseVector[0], Y: cur.BaseVector[1]}
			if cur.Variance > 0 {
				k := 2 * math.Pi / analyticWavelength
				c.X += float64(cur.Variance * dmath.Sin(float64(k*p.Y)+e.phase[0]))
				c.Y += float64(cur.Variance * dmath.Sin(float64(k*p.X)+e.phase[1]))
			}
		case contract.CurrentsGrid:
			c = e.gridCurrent(p)
		}
	}
	for i := range e.zones {
		z := &e.zones[i]
		if z.kind == contract.ZoneCurrent && z.shape.Contains(p) {
			c.X += float64(z.vector.X * z.intensity)
			c.Y += float64(z.vector.Y * z.intensity)
		}
	}
	return c
}

// gridCurrent interpolates the grid bilinearly between cell centres; the
// grid's cell (row 0, column 0) is the square at the bounds' minimum corner.
// Outside the grid the nearest edge value holds.
func (e *environment) gridCurrent(p r2.Vec) r2.Vec {
	cur := e.currents
	rows, cols := len(cur.Cells), len(cur.Cells[0])
	gx := (p.X-e.bounds.MinX)/cur.CellSize - 0.5
	gy := (p.Y-e.bounds.MinY)/cur.CellSize - 0.5
	gx = dmath.Clamp(gx, 0, float64(cols-1))
	gy = dmath.Clamp(gy, 0, float64(rows-1))
	x0, y0 := int(math.Floor(gx)), int(math.Floor(gy))
	x1, y1 := min(x0+1, cols-1), min(y0+1, rows-1)
	fx, fy := gx-float64(x0), gy-float64(y0)
	lerp := func(a, b, t float64) float64 { return a + float64(t*(b-a)) }
	var out [2]float64
	for k := 0; k < 2; k++ {
		top := lerp(cur.Cells[y0][x0][k], cur.Cells[y0][x1][k], fx)
		bot := lerp(cur.Cells[y1][x0][k], cur.Cells[y1][x1][k], fx)
		out[k] = lerp(top, bot, fy)
	}
	return r2.Vec{X: out[0], Y: out[1]}
}

// speedBonus is the multiplier on max speed from speed_bonus zones at p
// (+50 % at intensity 1).
func (e *environment) speedBonus(p r2.Vec) float64 {
	f := 1.0
	for i := range e.zones {
		z := &e.zones[i]
		if z.kind == contract.ZoneSpeedBonus && z.shape.Contains(p) {
			f += float64(0.5 * z.intensity)
		}
	}
	return f
}

// zoneIntensity is the strongest intensity of zones of kind at p.
func (e *environment) zoneIntensity(kind string, p r2.Vec) float64 {
	best := 0.0
	for i := range e.zones {
		z := &e.zones[i]
		if z.kind == kind && z.intensity > best && z.shape.Contains(p) {
			best = z.intensity
		}
	}
	return best
}

// hasZone reports whether there is a zone of the kind.
func (e *environment) hasZone(kind string) bool {
	for i := range e.zones {
		if e.zones[i].kind == kind {
			return true
		}
	}
	return false
}

// depthClass returns the terrain class at p; later regions override earlier ones.
func (e *environment) depthClass(p r2.Vec) string {
	c := e.deflt
	for i := range e.terrain {
		if e.terrain[i].shape.Contains(p) {
			c = e.terrain[i].class
		}
	}
	return c
}
