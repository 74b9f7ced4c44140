package morphospace

import (
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// refFoveateSampled computes FoveateSampled's definition as its doc states
// it, without rasters or cached directions: every point is read by
// descending the tree from the root, and the level is found by trying every
// level from the finest up.
func (s *Space) refFoveateSampled(f FieldID, x, y, z, heading float64, shells []float64, sectors int, out []float64) {
	g := &s.g
	t := &s.trees[f]
	iz := gridIndex(z, g.cz, g.bands)
	hs, hc := dmath.SinCos(heading)
	lmin := int32(0)
	for g.bands>>lmin > 1 {
		lmin++
	}
	rin := 0.0
	for k, rout := range shells {
		width := (rout - rin) / 2
		wedge := 2 * math.Pi / float64(sectors*2)
		area := float64(width * float64((rin+rout)/2*wedge))
		l := g.maxLevel
		for cand := g.maxLevel - 1; cand >= lmin; cand-- {
			side := math.Ldexp(max(g.cx, g.cy), int(g.maxLevel-cand))
			if float64(side*side) > area {
				break
			}
			l = cand
		}
		for j := range sectors {
			sumW, sumWV := 0.0, 0.0
			for i := range 2 {
				r0 := rin + float64(float64(i)*width)
				r1 := r0 + width
				for m := range 2 {
					a := float64((float64(j)+(float64(m)+0.5)/2-0.5)*(2*math.Pi)) / float64(sectors)
					as, ac := dmath.SinCos(a)
					ux := float64(hc*ac) - float64(hs*as)
					uy := float64(hs*ac) + float64(hc*as)
					r := (r0 + r1) / 2
					px, py := x+float64(r*ux), y+float64(r*uy)
					if px < 0 || py < 0 || px >= s.cfg.SizeX || py >= s.cfg.SizeY {
						continue
					}
					cells := float64(int64(1) << l)
					cx := min(math.Floor(px*(cells/s.cfg.SizeX)), cells-1)
					cy := min(math.Floor(py*(cells/s.cfg.SizeY)), cells-1)
					// The finest cell at the node's low corner.
					ix, iy := int32(cx)<<(g.maxLevel-l), int32(cy)<<(g.maxLevel-l)
					// Descend from the root to level l or a shallower leaf.
					n, _ := locateFrom(g, t, 0, g.root(), ix, iy, iz, l)
					w := float64(r1*r1) - float64(r0*r0)
					sumW += w
					sumWV += float64(w * t.nodes[n].mean)
				}
			}
			v := s.reg.specs[f].Default
			if sumW > 0 {
				v = sumWV / sumW
			}
			out[k*sectors+j] = v
		}
		rin = rout
	}
}

// TestFoveateSampledMatchesReference compares FoveateSampled with its
// definition bit for bit over random worlds, poses, shells and sectors,
// including after the Space changed (the rasters must be rebuilt) and with
// levels too deep to rasterize.
func TestFoveateSampledMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, f := drawFoveaSpace(t)
		c := s.CellSize()
		w, h := s.cfg.SizeX, s.cfg.SizeY
		for round := range 6 {
			if round == 3 {
				// Change the field: the rasters built so far are stale.
				st := drawStamp(t, 0, 200)
				scale := w / 512
				st.Shape.A = Vec3{st.Shape.A.X * scale, st.Shape.A.Y * scale, st.Shape.A.Z}
				st.Shape.B = Vec3{st.Shape.B.X * scale, st.Shape.B.Y * scale, st.Shape.B.Z}
				st.Shape.Radius *= scale
				if err := s.Stamp(f, st); err != nil {
					t.Fatal(err)
				}
			}
			x := rapid.Float64Range(-0.2*w, 1.2*w).Draw(t, "x")
			y := rapid.Float64Range(-0.2*h, 1.2*h).Draw(t, "y")
			if rapid.Bool().Draw(t, "onCell") {
				x = float64(rapid.IntRange(0, 1<<s.g.maxLevel).Draw(t, "ix")) * c.X
				y = float64(rapid.IntRange(0, 1<<s.g.maxLevel).Draw(t, "iy")) * c.Y
			}
			z, heading, shells, sectors := drawFoveaQuery(t, c.X, w, []int{1, 2, 3, 4, 8, 12, 64, 65}, 0.001)
			got := make([]float64, len(shells)*sectors)
			want := make([]float64, len(shells)*sectors)
			if err := s.FoveateSampled(f, x, y, z, heading, shells, sectors, got); err != nil {
				t.Fatal(err)
			}
			s.refFoveateSampled(f, x, y, z, heading, shells, sectors, want)
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("round %d value %d (shell %d, sector %d): got %v (%016x), want %v (%016x)", round, i, i/sectors, i%sectors,
					got[i], math.Float64bits(got[i]), want[i], math.Float64bits(want[i]))
			}
		}
	})
}

// TestFoveateSampledDeepLevels reads levels deeper than maxRasterLevel
// (by descending the tree) and shallower ones (from rasters) in one call.
func TestFoveateSampledDeepLevels(t *testing.T) {
	s, err := New(Config{SizeX: 4096, SizeY: 4096, Depth: 10, Bands: 1, MaxLevel: 11}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := s.Field(Noise)
	mustStamp(t, s, f, Stamp{Shape: SphereShape(Vec3{2050, 2040, 5}, 30), Value: 150, Blend: Max,
		Falloff: Falloff{Kind: Smooth, Inner: 0.2}})
	shells := []float64{4, 12, 40, 400, 1500}
	if l := s.sampledLevel(0, 4, 8); l <= maxRasterLevel {
		t.Fatalf("shell 0 reads level %d, want one deeper than %d", l, maxRasterLevel)
	}
	if l := s.sampledLevel(400, 1500, 8); l > maxRasterLevel {
		t.Fatalf("shell 4 reads level %d, want one a raster holds", l)
	}
	// The same shells with other sector counts read other levels.
	for _, sectors := range []int{8, 1, 64, 8} {
		got := make([]float64, len(shells)*sectors)
		want := make([]float64, len(shells)*sectors)
		for _, p := range [][3]float64{{2048, 2048, 0.4}, {2030, 2060, 2}, {10, 4000, -1}} {
			if err := s.FoveateSampled(f, p[0], p[1], 5, p[2], shells, sectors, got); err != nil {
				t.Fatal(err)
			}
			s.refFoveateSampled(f, p[0], p[1], 5, p[2], shells, sectors, want)
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("%d sectors at %v value %d: got %v, want %v", sectors, p, i, got[i], want[i])
			}
		}
	}
}

// TestFoveateSampledReadsTheField checks what the values mean: a uniform
// field reads its value, a half-space reads high ahead and low behind, a
// sector outside the world reads the default, and the near shells see
// finer detail than the far ones.
func TestFoveateSampledReadsTheField(t *testing.T) {
	s, f := blendSpace(t) // 1000 m, max level 8, default 10
	out := make([]float64, 8)
	shells := []float64{50, 120}
	if err := s.FoveateSampled(f, 500, 500, 5, 0.7, shells, 4, out); err != nil {
		t.Fatal(err)
	}
	for i, v := range out {
		if !near(v, 10, 1e-12) {
			t.Errorf("uniform field: out[%d] = %g, want 10", i, v)
		}
	}
	// x ≥ 500 holds 20; standing at x = 490 looking along +x.
	mustStamp(t, s, f, Stamp{Shape: BoxShape(Box{Vec3{500, 0, 0}, Vec3{1000, 1000, 40}}), Value: 20})
	if err := s.FoveateSampled(f, 490, 500, 5, 0, shells, 4, out); err != nil {
		t.Fatal(err)
	}
	for k := range 2 {
		ahead, left, behind, right := out[k*4], out[k*4+1], out[k*4+2], out[k*4+3]
		if !(ahead > 15 && behind == 10 && left > 10 && left < ahead && near(left, right, 1e-9)) {
			t.Errorf("shell %d: ahead %g, left %g, behind %g, right %g", k, ahead, left, behind, right)
		}
	}
	// Behind the ship at x = 0 is outside the world: the default.
	if err := s.FoveateSampled(f, 0, 500, 5, 0, []float64{100}, 4, out); err != nil {
		t.Fatal(err)
	}
	if out[2] != 10 {
		t.Errorf("sector outside the world = %g, want the default 10", out[2])
	}
	// The level read coarsens with the shell's size.
	if a, b := s.sampledLevel(0, 20, 8), s.sampledLevel(200, 600, 8); !(a == s.g.maxLevel && b < a) {
		t.Errorf("levels: near shell %d, far shell %d", a, b)
	}
}

// TestFoveateSampledDoesNotAllocate checks the steady state: after a first
// call, calls on a changed Space rebuild their rasters in place.
func TestFoveateSampledDoesNotAllocate(t *testing.T) {
	s, f := blendSpace(t)
	mustStamp(t, s, f, Stamp{Shape: SphereShape(Vec3{520, 480, 15}, 40), Value: 30})
	shells := []float64{20, 60, 150, 400}
	out := make([]float64, 4*8)
	if err := s.FoveateSampled(f, 500, 500, 15, 0.3, shells, 8, out); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(20, func() {
		s.gen++ // as a Stamp or Step would: the rasters are rebuilt
		if err := s.FoveateSampled(f, 500, 500, 15, 0.3, shells, 8, out); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("FoveateSampled allocates %g times per call", allocs)
	}
}

// TestLocateNodeMatchesLocate checks the bitwise descent against the cell
// arithmetic of locate at every level, in random trees.
func TestLocateNodeMatchesLocate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, f := drawFoveaSpace(t)
		tr := &s.trees[f]
		n := int32(1) << s.g.maxLevel
		for range 20 {
			x := int32(rapid.IntRange(0, int(n)-1).Draw(t, "x"))
			y := int32(rapid.IntRange(0, int(n)-1).Draw(t, "y"))
			z := int32(rapid.IntRange(0, int(s.g.bands)-1).Draw(t, "z"))
			l := int32(rapid.IntRange(0, int(s.g.maxLevel)).Draw(t, "l"))
			want, _ := locate(&s.g, tr, x, y, z, l)
			if got := locateNode(&s.g, tr, x, y, z, l); got != want {
				t.Fatalf("(%d, %d, %d) to level %d: node %d, want %d", x, y, z, l, got, want)
			}
		}
	})
}
