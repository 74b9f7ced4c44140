package morphospace

import (
	"fmt"
	"testing"
)

// BenchmarkGridStencil times the dense diffusion+decay stencil on a
// 256×256×4 grid, one explicit sub-step per Step.
func BenchmarkGridStencil(b *testing.B) {
	spec := FieldSpec{Name: "noise", Min: 0, Max: 200, Default: 60, Diffusion: 1, Decay: 0.1}
	g, err := NewGrid(256, 256, 4, Vec3{10, 10, 10}, spec)
	if err != nil {
		b.Fatal(err)
	}
	for i := range g.Values {
		g.Values[i] = 60 + float64(i%101)
	}
	const dt = 10 // 2·D·(3/h²)·dt = 0.6: one sub-step
	cells := float64(len(g.Values) * g.SubSteps(dt))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := g.Step(dt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(cells*float64(b.N)/b.Elapsed().Seconds(), "cell-updates/s")
}

// sparseWorld returns a world of n×n×8 cells of 10 m with the built-in
// fields and 20 noise stamps of radius 40 m, placed in the same 10 km square
// whatever n is.
func sparseWorld(b *testing.B, level int) (*Space, FieldID) {
	n := float64(int(1) << level)
	s, err := New(Config{SizeX: 10 * n, SizeY: 10 * n, Depth: 80, Bands: 8, MaxLevel: level}, nil)
	if err != nil {
		b.Fatal(err)
	}
	f := mustField(b, s, Noise)
	for i := range 20 {
		c := Vec3{500 + float64(i*4567%9000), 500 + float64(i*7919%9000), 10 + float64(i*13%60)}
		mustStamp(b, s, f, Stamp{Shape: SphereShape(c, 40), Value: 120, Falloff: Falloff{Kind: Smooth, Inner: 0.3}})
	}
	return s, f
}

// BenchmarkSparseStep times one 0.1 s Step of a sparse world after 20 stamps,
// for worlds of 1024² and 4096² columns of 10 m cells (8 bands). The step
// cost follows the refined volume, not the world size.
func BenchmarkSparseStep(b *testing.B) {
	for _, level := range []int{10, 12} {
		b.Run(fmt.Sprintf("%dx%dx8", 1<<level, 1<<level), func(b *testing.B) {
			base, f := sparseWorld(b, level)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				s := base.Clone()
				b.StartTimer()
				if err := s.Step(0.1); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(base.Leaves(f)), "leaves")
		})
	}
}

// BenchmarkSparseStepWarm times Steps on a sparse world whose tree shape does
// not change, so the face list is reused: the steady per-tick cost.
func BenchmarkSparseStepWarm(b *testing.B) {
	for _, level := range []int{10, 12} {
		b.Run(fmt.Sprintf("%dx%dx8", 1<<level, 1<<level), func(b *testing.B) {
			s, f := sparseWorld(b, level)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := s.Step(1e-3); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(s.Leaves(f)), "leaves")
		})
	}
}

// BenchmarkStamp times one sphere stamp with falloff on a fresh world.
func BenchmarkStamp(b *testing.B) {
	base, f := sparseWorld(b, 10)
	st := Stamp{Shape: SphereShape(Vec3{5000, 5000, 40}, 40), Value: 20, Blend: Add, Falloff: Falloff{Kind: Linear}}
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		s := base.Clone()
		b.StartTimer()
		if err := s.Stamp(f, st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFoveate times a 4-shell × 8-sector observation next to a stamp.
func BenchmarkFoveate(b *testing.B) {
	s, f := sparseWorld(b, 10)
	shells := []float64{50, 150, 500, 1500}
	out := make([]float64, len(shells)*8)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Foveate(f, 520, 480, 15, 0.5, shells, 8, out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFoveateSampled times BenchmarkFoveate's observation by
// FoveateSampled, the heading turning a little each call: "warm" on an
// unchanged Space (rasters filled), "changed" after every call's Space
// change (every read a raster miss).
func BenchmarkFoveateSampled(b *testing.B) {
	for _, changed := range []bool{false, true} {
		name := "warm"
		if changed {
			name = "changed"
		}
		b.Run(name, func(b *testing.B) {
			s, f := sparseWorld(b, 10)
			shells := []float64{50, 150, 500, 1500}
			out := make([]float64, len(shells)*8)
			if err := s.FoveateSampled(f, 520, 480, 15, 0, shells, 8, out); err != nil {
				b.Fatal(err) // the first call makes the memo
			}
			b.ReportAllocs()
			h := 0.0
			for b.Loop() {
				if changed {
					s.gen++
				}
				h += 0.01
				if err := s.FoveateSampled(f, 520, 480, 15, h, shells, 8, out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAt times a point query inside a refined region.
func BenchmarkAt(b *testing.B) {
	s, f := sparseWorld(b, 10)
	b.ReportAllocs()
	sum := 0.0
	for b.Loop() {
		sum += s.At(f, 510, 505, 15)
	}
	_ = sum
}
