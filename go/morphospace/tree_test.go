package morphospace

import "testing"

// hystSpace returns testSpace plus a field "h" on [0, 100], default 0, with
// split tolerance 1, merge tolerance 0.25 and decay 0.1/s.
func hystSpace(t *testing.T) (*Space, FieldID) {
	t.Helper()
	s := testSpace(t)
	f, err := s.AddField(FieldSpec{Name: "h", Min: 0, Max: 100, Decay: 0.1, SplitTol: 1, MergeTol: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	return s, f
}

func TestSplitOnlyWherePartlyCovered(t *testing.T) {
	world := Box{Max: Vec3{1000, 1000, 40}}
	local := Box{Vec3{125, 125, 0}, Vec3{156.25, 187.5, 10}} // aligned to finest cells
	tests := []struct {
		name       string
		stamps     []Stamp
		wantLeaves func(n int) bool
		probe      Vec3
		want       float64
	}{
		{"untouched world is one leaf at the default", nil,
			func(n int) bool { return n == 1 }, Vec3{700, 300, 30}, 0},
		{"stamp covering the world does not split", []Stamp{{Shape: BoxShape(world), Value: 7}},
			func(n int) bool { return n == 1 }, Vec3{700, 300, 30}, 7},
		{"stamp larger than the world does not split", []Stamp{{Shape: SphereShape(Vec3{500, 500, 20}, 5000), Value: 3, Blend: Add}},
			func(n int) bool { return n == 1 }, Vec3{1, 999, 39}, 3},
		{"setting the default changes nothing", []Stamp{{Shape: BoxShape(local), Value: 0}},
			func(n int) bool { return n == 1 }, Vec3{120, 120, 5}, 0},
		{"change below SplitTol is spread over the leaf", []Stamp{{Shape: BoxShape(Box{Vec3{0, 0, 0}, Vec3{500, 1000, 40}}), Value: 0.5}},
			func(n int) bool { return n == 1 }, Vec3{700, 300, 30}, 0.25},
		{"local stamp splits locally and leaves the rest at the default", []Stamp{{Shape: BoxShape(local), Value: 20}},
			func(n int) bool { return n > 1 && n < 2000 }, Vec3{700, 300, 30}, 0},
		{"stamping the default back merges", []Stamp{{Shape: BoxShape(local), Value: 20}, {Shape: BoxShape(local), Value: 0}},
			func(n int) bool { return n == 1 }, Vec3{130, 130, 5}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := hystSpace(t)
			for _, st := range tt.stamps {
				mustStamp(t, s, f, st)
			}
			if n := s.Leaves(f); !tt.wantLeaves(n) {
				t.Errorf("Leaves = %d", n)
			}
			if got := s.At(f, tt.probe.X, tt.probe.Y, tt.probe.Z); !near(got, tt.want, 1e-12) {
				t.Errorf("At(%v) = %g, want %g", tt.probe, got, tt.want)
			}
		})
	}
}

func TestMergeHysteresis(t *testing.T) {
	s, f := hystSpace(t)
	box := BoxShape(Box{Vec3{125, 125, 0}, Vec3{156.25, 187.5, 10}}) // aligned to finest cells
	mustStamp(t, s, f, Stamp{Shape: box, Value: 10})
	split := s.Leaves(f)
	if split == 1 {
		t.Fatal("contrast 10 > SplitTol 1 did not split")
	}
	// Decay the contrast 10 → 10·e^(−0.1·t). Between MergeTol (0.25) and
	// SplitTol (1) the tree stays split; below MergeTol it merges, all the
	// way up, into one leaf holding the world mean.
	steps := []struct {
		dt        float64
		contrast  float64
		wantSplit bool
	}{
		{10, 10 * 0.36787944117144233, true},  // 3.68
		{10, 10 * 0.1353352832366127, true},   // 1.35
		{5, 10 * 0.0820849986238988, true},    // 0.82: below SplitTol, above MergeTol
		{10, 10 * 0.0301973834223185, true},   // 0.30
		{2, 10 * 0.024723526470339388, false}, // 0.247: merged
	}
	for i, st := range steps {
		if err := s.Step(st.dt); err != nil {
			t.Fatal(err)
		}
		got := s.At(f, 130, 130, 5)
		if st.wantSplit && !near(got, st.contrast, 1e-9) || !st.wantSplit && got > 0.25 {
			t.Errorf("step %d: value %g, want %g", i, got, st.contrast)
		}
		if n := s.Leaves(f); (n == split) != st.wantSplit || (!st.wantSplit && n != 1) {
			t.Errorf("step %d (contrast %.3f): Leaves = %d, split tree had %d", i, st.contrast, n, split)
		}
	}
	// A fresh stamp with a contrast inside the hysteresis band does not split.
	s2, f2 := hystSpace(t)
	mustStamp(t, s2, f2, Stamp{Shape: box, Value: 0.82})
	if n := s2.Leaves(f2); n != 1 {
		t.Errorf("stamp of contrast 0.82 < SplitTol split the tree into %d leaves", n)
	}
}
