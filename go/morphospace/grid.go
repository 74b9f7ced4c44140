package morphospace

import (
	"fmt"
	"math"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// A Grid is one field on a dense, uniformly refined block of NX×NY×NZ cells
// with closed (zero-flux) boundaries: the fast path for regions refined to
// the finest level, where a fixed 7-point stencil over a flat array replaces
// the per-face loop of the tree. It uses the same scheme as Space.Step:
// explicit diffusion sub-stepped to the stability limit, then exact decay,
// then clamping. Advection is not supported on a Grid.
type Grid struct {
	NX, NY, NZ int       // cells along x, y and z
	Cell       Vec3      // cell size in metres
	Spec       FieldSpec // the field's spec, normalized
	// Values holds the cells, x fastest: index x + NX·(y + NY·z). Step may
	// replace the slice, so re-read it after each Step.
	Values []float64
	tmp    []float64
}

// NewGrid returns a grid of nx×ny×nz cells of size cell, every cell at
// spec.Default.
func NewGrid(nx, ny, nz int, cell Vec3, spec FieldSpec) (*Grid, error) {
	s, err := spec.normalized()
	if err != nil {
		return nil, err
	}
	if nx < 1 || ny < 1 || nz < 1 {
		return nil, fmt.Errorf("morphospace: grid %d×%d×%d: %w", nx, ny, nz, ErrInvalidArgument)
	}
	if !(cell.X > 0 && cell.Y > 0 && cell.Z > 0) {
		return nil, fmt.Errorf("morphospace: grid cell %v is not positive: %w", cell, ErrInvalidArgument)
	}
	g := &Grid{NX: nx, NY: ny, NZ: nz, Cell: cell, Spec: s,
		Values: make([]float64, nx*ny*nz), tmp: make([]float64, nx*ny*nz)}
	for i := range g.Values {
		g.Values[i] = s.Default
	}
	return g, nil
}

// SubSteps returns the number of explicit sub-steps Step takes for dt
// (saturating at math.MaxInt32).
func (g *Grid) SubSteps(dt float64) int {
	rate := 0.0
	for _, a := range [...]struct {
		n int
		h float64
	}{{g.NX, g.Cell.X}, {g.NY, g.Cell.Y}, {g.NZ, g.Cell.Z}} {
		if a.n > 1 {
			rate += float64(2*g.Spec.Diffusion) / sq(a.h)
		}
	}
	n := math.Ceil(float64(dt * rate))
	if !(n < math.MaxInt32) {
		return math.MaxInt32
	}
	return max(1, int(n))
}

// Step advances the grid by dt seconds and returns the number of diffusion
// sub-steps it took. It refuses (ErrInvalidArgument, the grid unchanged) a
// dt whose sub-steps × cells exceed MaxStepWork.
func (g *Grid) Step(dt float64) (int, error) {
	if !(dt >= 0) || math.IsInf(dt, 0) {
		return 0, fmt.Errorf("morphospace: grid step: dt %g is not a finite non-negative duration: %w", dt, ErrInvalidArgument)
	}
	if dt == 0 {
		return 0, nil
	}
	if w := g.Work(dt); w > MaxStepWork {
		return 0, fmt.Errorf("morphospace: grid step: dt %g s takes %.3g cell updates, more than %d; take shorter steps: %w",
			dt, w, MaxStepWork, ErrInvalidArgument)
	}
	steps := 0
	if g.Spec.Diffusion > 0 {
		steps = g.SubSteps(dt)
		h := dt / float64(steps)
		rx := float64(g.Spec.Diffusion*h) / sq(g.Cell.X)
		ry := float64(g.Spec.Diffusion*h) / sq(g.Cell.Y)
		rz := float64(g.Spec.Diffusion*h) / sq(g.Cell.Z)
		for range steps {
			g.diffuse(g.tmp, g.Values, rx, ry, rz)
			g.Values, g.tmp = g.tmp, g.Values
		}
	}
	fac := 1.0
	if g.Spec.Decay > 0 {
		fac = dmath.Exp(-float64(g.Spec.Decay * dt))
	}
	def, lo, hi := g.Spec.Default, g.Spec.Min, g.Spec.Max
	for i, v := range g.Values {
		if fac != 1 {
			v = def + float64((v-def)*fac)
		}
		g.Values[i] = min(max(v, lo), hi)
	}
	return steps, nil
}

// Work returns the cell updates Step(dt) does: sub-steps × cells.
func (g *Grid) Work(dt float64) float64 {
	if g.Spec.Diffusion == 0 {
		return float64(len(g.Values))
	}
	return float64(g.SubSteps(dt)) * float64(len(g.Values))
}

// diffuse writes one explicit diffusion step of src into dst. Missing
// neighbours at the boundary stand in for the cell itself, which makes the
// boundary flux zero.
func (g *Grid) diffuse(dst, src []float64, rx, ry, rz float64) {
	nx, ny, nz := g.NX, g.NY, g.NZ
	plane := nx * ny
	for z := range nz {
		for y := range ny {
			o := z*plane + y*nx
			c := src[o : o+nx]
			ym, yp, zm, zp := c, c, c, c
			if y > 0 {
				ym = src[o-nx : o]
			}
			if y < ny-1 {
				yp = src[o+nx : o+2*nx]
			}
			if z > 0 {
				zm = src[o-plane : o-plane+nx]
			}
			if z < nz-1 {
				zp = src[o+plane : o+plane+nx]
			}
			stencilRow(dst[o:o+nx], c, ym, yp, zm, zp, rx, ry, rz)
		}
	}
}

// stencilRow applies the 7-point stencil to one x row.
func stencilRow(d, c, ym, yp, zm, zp []float64, rx, ry, rz float64) {
	n := len(c)
	d, ym, yp, zm, zp = d[:n], ym[:n], yp[:n], zm[:n], zp[:n]
	row := func(x int, l, r float64) {
		v := c[x]
		d[x] = v + float64(rx*((l-v)+(r-v))) + float64(ry*((ym[x]-v)+(yp[x]-v))) + float64(rz*((zm[x]-v)+(zp[x]-v)))
	}
	if n == 1 {
		row(0, c[0], c[0])
		return
	}
	row(0, c[0], c[1])
	for x := 1; x < n-1; x++ {
		v := c[x]
		d[x] = v + float64(rx*((c[x-1]-v)+(c[x+1]-v))) + float64(ry*((ym[x]-v)+(yp[x]-v))) + float64(rz*((zm[x]-v)+(zp[x]-v)))
	}
	row(n-1, c[n-2], c[n-1])
}
