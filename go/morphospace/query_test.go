package morphospace

import (
	"errors"
	"math"
	"testing"
)

func TestAtReadsDefaultAndClamps(t *testing.T) {
	s := testSpace(t)
	for f := range FieldID(s.NumFields()) {
		want := s.Spec(f).Default
		for _, p := range []Vec3{{0, 0, 0}, {999.9, 999.9, 39.9}, {-50, 2000, 100}, {math.NaN(), 1, 1}} {
			if got := s.At(f, p.X, p.Y, p.Z); got != want {
				t.Errorf("%s At(%v) = %g, want default %g", s.Spec(f).Name, p, got, want)
			}
		}
	}
	f := mustField(t, s, SeaState)
	mustStamp(t, s, f, Stamp{Shape: BoxShape(Box{Vec3{900, 900, 30}, Vec3{1000, 1000, 40}}), Value: 6})
	if got := s.At(f, 5000, 5000, 500); got != 6 {
		t.Errorf("At beyond the far corner = %g, want the corner cell's 6", got)
	}
}

func TestVolume(t *testing.T) {
	s, f := blendSpace(t) // default 10
	stamped := Box{Vec3{125, 125, 0}, Vec3{250, 250, 20}}
	mustStamp(t, s, f, Stamp{Shape: BoxShape(stamped), Value: 20})
	twice := Box{Vec3{125, 125, 0}, Vec3{375, 250, 20}}
	tests := []struct {
		name   string
		box    Box
		budget Budget
		want   float64
		tol    float64
	}{
		{"stamped box", stamped, Budget{}, 20, 1e-12},
		{"half stamped", twice, Budget{}, 15, 1e-12},
		{"untouched region", Box{Vec3{600, 600, 0}, Vec3{900, 700, 40}}, Budget{}, 10, 0},
		{"outside the world", Box{Vec3{-100, -100, -10}, Vec3{-1, -1, -1}}, Budget{}, 10, 0},
		{"clipped to the world", Box{Vec3{-1000, -1000, -1000}, Vec3{2000, 2000, 2000}}, Budget{}, 10 + 10*(125*125*20)/(1000*1000*40.0), 1e-12},
		{"whole world at any budget", s.Bounds(), Budget{Variance: math.Inf(1)}, 10 + 10*(125*125*20)/(1000*1000*40.0), 1e-12},
		{"coarse budget stays in range", twice, Budget{Variance: 100}, 15, 5},
		{"coarse resolution stays in range", twice, Budget{MinSize: 500}, 15, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Volume(f, tt.box, tt.budget); !near(got, tt.want, tt.tol) {
				t.Errorf("Volume = %.15g, want %.15g ± %g", got, tt.want, tt.tol)
			}
		})
	}
}

func TestFoveateAverages(t *testing.T) {
	s, f := blendSpace(t) // default 10
	// x ≥ 500 holds 20; the line x = 500 is a cell boundary.
	mustStamp(t, s, f, Stamp{Shape: BoxShape(Box{Vec3{500, 0, 0}, Vec3{1000, 1000, 40}}), Value: 20})
	shells := []float64{50, 120}
	out := make([]float64, 8)
	tests := []struct {
		name    string
		x, y    float64
		heading float64
		want    [8]float64 // shell 0 sectors 0–3, shell 1 sectors 0–3
		tol     float64
	}{
		// Sector 0 faces +x; sectors 1 and 3 are cut in half by x = 500.
		{"facing the edge", 500, 500, 0, [8]float64{20, 15, 10, 15, 20, 15, 10, 15}, 0.05},
		{"facing away", 500, 500, math.Pi, [8]float64{10, 15, 20, 15, 10, 15, 20, 15}, 0.05},
		{"far from the edge", 300, 500, 0, [8]float64{10, 10, 10, 10, 10, 10, 10, 10}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Foveate(f, tt.x, tt.y, 5, tt.heading, shells, 4, out); err != nil {
				t.Fatal(err)
			}
			for i, w := range tt.want {
				if !near(out[i], w, tt.tol) {
					t.Errorf("out[%d] = %g, want %g (all: %v)", i, out[i], w, out)
				}
			}
		})
	}
}

func TestFoveateAreaWeighted(t *testing.T) {
	s, f := blendSpace(t)
	cs := s.CellSize()
	// A 10×10-cell square of 50, fully inside a 200 m disk around (500, 500).
	sq := Box{Vec3{128 * cs.X, 128 * cs.Y, 0}, Vec3{138 * cs.X, 138 * cs.Y, 10}}
	mustStamp(t, s, f, Stamp{Shape: BoxShape(sq), Value: 50})
	out := make([]float64, 1)
	if err := s.Foveate(f, 500, 500, 5, 0, []float64{200}, 1, out); err != nil {
		t.Fatal(err)
	}
	frac := (10 * cs.X * 10 * cs.Y) / (math.Pi * 200 * 200)
	if want := 10 + 40*frac; !near(out[0], want, 0.005*(want-10)) {
		t.Errorf("disk mean = %g, want %g (square covers %.4f of the disk)", out[0], want, frac)
	}
	// A single point sample at the centre would read 50; a band below reads 10.
	if err := s.Foveate(f, 500, 500, 25, 0, []float64{200}, 1, out); err != nil {
		t.Fatal(err)
	}
	if out[0] != 10 {
		t.Errorf("mean in band 2 = %g, want 10", out[0])
	}
}

func TestFoveateEdgeOfWorld(t *testing.T) {
	s, f := blendSpace(t)
	out := make([]float64, 4)
	// Sector 2 faces −x from x = 0: wholly outside the world.
	if err := s.Foveate(f, 0, 500, 5, 0, []float64{100}, 4, out); err != nil {
		t.Fatal(err)
	}
	for i, v := range out {
		if v != 10 {
			t.Errorf("out[%d] = %g, want the default 10", i, v)
		}
	}
}

func TestFoveateDoesNotAllocate(t *testing.T) {
	s, f := blendSpace(t)
	mustStamp(t, s, f, Stamp{Shape: SphereShape(Vec3{520, 480, 15}, 40), Value: 30})
	shells := []float64{20, 60, 150, 400}
	out := make([]float64, 4*8)
	allocs := testing.AllocsPerRun(20, func() {
		if err := s.Foveate(f, 500, 500, 15, 0.3, shells, 8, out); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Foveate allocates %g times per call", allocs)
	}
}

func TestFoveateErrors(t *testing.T) {
	s, f := blendSpace(t)
	out := make([]float64, 8)
	for _, tt := range []struct {
		name    string
		shells  []float64
		sectors int
		out     []float64
		field   FieldID
	}{
		{"no sectors", []float64{10}, 0, out, f},
		{"no shells", nil, 4, out, f},
		{"out too short", []float64{10, 20, 30}, 4, out, f},
		{"shells not increasing", []float64{20, 10}, 4, out, f},
		{"zero radius", []float64{0, 10}, 4, out, f},
		{"unknown field", []float64{10}, 4, out, 1000},
	} {
		if err := s.Foveate(tt.field, 1, 1, 1, 0, tt.shells, tt.sectors, tt.out); !errors.Is(err, ErrInvalidArgument) && !errors.Is(err, ErrUnknownField) {
			t.Errorf("%s: err = %v", tt.name, err)
		}
	}
}
