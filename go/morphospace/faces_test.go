package morphospace

import (
	"testing"

	"pgregory.net/rapid"
)

// TestStepFacesBruteForce checks the step cache's face list against its
// definition, found by comparing every pair of leaves: in leaf order, for
// each leaf its faces along x, y, z, each with the leaves touching its high
// side in leaf order; the area is the cross-section of the deeper cell and
// the conductance that area over the distance between the centres. The
// cache is then rebuilt after changes to the tree, some of which leave the
// leaves where they were (a split merged again), and checked again, with
// its map between leaves and pool nodes.
func TestStepFacesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, f := drawFoveaSpace(t)
		g, tr := &s.g, &s.trees[f]
		var c stepCache
		c.build(g, tr)
		checkFaces(t, g, tr, &c)
		for range rapid.IntRange(1, 4).Draw(t, "changes") {
			switch rapid.IntRange(0, 2).Draw(t, "change") {
			case 0: // split a leaf into equal children and merge them again
				n, l := int32(0), int32(0)
				for !tr.nodes[n].isLeaf() {
					n = tr.nodes[n].child + int32(rapid.IntRange(0, g.nchild(l)-1).Draw(t, "down"))
					l++
				}
				if l < g.maxLevel {
					tr.split(n, g.nchild(l))
					tr.settleAll(g, 0, 0, 0)
				}
			case 1:
				st := drawStamp(t, 0, 200)
				scale := s.cfg.SizeX / 512
				st.Shape.A = Vec3{st.Shape.A.X * scale, st.Shape.A.Y * scale, st.Shape.A.Z}
				st.Shape.B = Vec3{st.Shape.B.X * scale, st.Shape.B.Y * scale, st.Shape.B.Z}
				st.Shape.Radius *= scale
				if err := s.Stamp(f, st); err != nil {
					t.Fatal(err)
				}
			default:
				tr.settleAll(g, 0, 0, rapid.Float64Range(0, 50).Draw(t, "mergeTol"))
			}
			c.build(g, tr)
			checkFaces(t, g, tr, &c)
		}
	})
}

// checkFaces compares c, built for tree tr, with its definition.
func checkFaces(t *rapid.T, g *geom, tr *tree, c *stepCache) {
	{
		var want stepCache
		want.ord = make([]int32, len(tr.nodes))
		want.enumerate(g, tr, 0, g.root())
		if len(want.leafNode) != len(c.leafNode) || len(want.leafCell) != len(c.leafCell) {
			t.Fatalf("%d leaves, want %d", len(c.leafNode), len(want.leafNode))
		}
		for i, n := range want.leafNode {
			if c.leafNode[i] != n || c.leafCell[i] != want.leafCell[i] || c.invVol[i] != want.invVol[i] || c.ord[n] != int32(i) {
				t.Fatalf("leaf %d: node %d %v, want node %d %v", i, c.leafNode[i], c.leafCell[i], n, want.leafCell[i])
			}
		}
	}
	{
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
		// The leaves by their low coordinate along each axis, in leaf order.
		var byLow [3]map[int32][]int
		for a := range byLow {
			byLow[a] = map[int32][]int{}
			for j, cj := range c.leafCell {
				lo, _ := span(cj, uint8(a))
				byLow[a][lo] = append(byLow[a][lo], j)
			}
		}
		for i, ci := range c.leafCell {
			for a := range uint8(3) {
				_, hi := span(ci, a)
				for _, j := range byLow[a][hi] {
					cj := c.leafCell[j]
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
	}
}
