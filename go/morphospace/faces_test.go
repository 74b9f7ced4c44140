package morphospace

import (
	"testing"

	"pgregory.net/rapid"
)

// TestStepFacesBruteForce checks the step cache's face list against its
// definition, found by comparing every pair of leaves: in leaf order, for
// each leaf its faces along x, y, z, each with the leaves touching its high
// side in leaf order; the area is the cross-section of the deeper cell and
// the conductance that area over the distance between the centres.
func TestStepFacesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, f := drawFoveaSpace(t)
		g, tr := &s.g, &s.trees[f]
		var c stepCache
		c.build(g, tr)
		var fi, fj []int32
		var axis []uint8
		var area, cond []float64
		span := func(lc cell, a uint8) (lo, hi int32) {
			switch a {
			case 0:
				return lc.x, lc.x + g.sxy(lc.l)
			case 1:
				return lc.y, lc.y + g.sxy(lc.l)
			}
			return lc.z, lc.z + g.sz(lc.l)
		}
		for i, ci := range c.leafCell {
			for a := range uint8(3) {
				_, hi := span(ci, a)
				for j, cj := range c.leafCell {
					if lo, _ := span(cj, a); lo != hi {
						continue
					}
					touch := true
					for b := range uint8(3) {
						if b == a {
							continue
						}
						lo1, hi1 := span(ci, b)
						lo2, hi2 := span(cj, b)
						touch = touch && lo1 < hi2 && lo2 < hi1
					}
					if !touch {
						continue
					}
					small := ci
					if cj.l > ci.l {
						small = cj
					}
					var ar float64
					switch a {
					case 0:
						ar = float64(g.extent(small.l, 1) * g.extent(small.l, 2))
					case 1:
						ar = float64(g.extent(small.l, 0) * g.extent(small.l, 2))
					default:
						ar = float64(g.extent(small.l, 0) * g.extent(small.l, 1))
					}
					fi, fj, axis = append(fi, int32(i)), append(fj, int32(j)), append(axis, a)
					area, cond = append(area, ar), append(cond, ar/((g.extent(ci.l, a)+g.extent(cj.l, a))/2))
				}
			}
		}
		if len(fi) != len(c.fi) {
			t.Fatalf("%d faces, want %d", len(c.fi), len(fi))
		}
		for k := range fi {
			if c.fi[k] != fi[k] || c.fj[k] != fj[k] || c.axis[k] != axis[k] || c.area[k] != area[k] || c.cond[k] != cond[k] {
				t.Fatalf("face %d: %d–%d axis %d area %g cond %g, want %d–%d axis %d area %g cond %g", k,
					c.fi[k], c.fj[k], c.axis[k], c.area[k], c.cond[k], fi[k], fj[k], axis[k], area[k], cond[k])
			}
		}
	})
}
