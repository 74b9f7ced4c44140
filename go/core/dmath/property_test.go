package dmath

import (
	"math"
	"testing"

	"pgregory.net/rapid"
)

func TestProperties(t *testing.T) {
	t.Run("SinCosPythagoras", rapid.MakeCheck(func(t *rapid.T) {
		x := rapid.Float64Range(-1e4, 1e4).Draw(t, "x")
		s, c := SinCos(x)
		if s != Sin(x) || c != Cos(x) {
			t.Fatalf("SinCos(%v) = %v, %v differs from Sin, Cos = %v, %v", x, s, c, Sin(x), Cos(x))
		}
		if d := math.Abs(s*s + c*c - 1); d > 4e-16 {
			t.Fatalf("sin²+cos²-1 = %v at x=%v", d, x)
		}
	}))
	t.Run("SinCosSymmetry", rapid.MakeCheck(func(t *rapid.T) {
		x := rapid.Float64Range(-1e6, 1e6).Draw(t, "x")
		if Sin(-x) != -Sin(x) || Cos(-x) != Cos(x) {
			t.Fatalf("symmetry broken at %v", x)
		}
	}))
	t.Run("Atan2Quadrant", rapid.MakeCheck(func(t *rapid.T) {
		y := rapid.Float64Range(-1e6, 1e6).Draw(t, "y")
		x := rapid.Float64Range(-1e6, 1e6).Draw(t, "x")
		a := Atan2(y, x)
		if !(a >= -math.Pi && a <= math.Pi) {
			t.Fatalf("Atan2(%v, %v) = %v out of range", y, x, a)
		}
		if y != 0 && math.Signbit(a) != math.Signbit(y) {
			t.Fatalf("Atan2(%v, %v) = %v has the wrong sign", y, x, a)
		}
		if (x < 0 && math.Abs(a) < math.Pi/2) || (x > 0 && math.Abs(a) > math.Pi/2) {
			t.Fatalf("Atan2(%v, %v) = %v in the wrong half-plane", y, x, a)
		}
		if x > 0 && ulpDiff(a, Atan(y/x)) > 1 {
			t.Fatalf("Atan2(%v, %v) = %v, Atan(y/x) = %v", y, x, a, Atan(y/x))
		}
		// The angle points the right way: (cos a, sin a) ∥ (x, y).
		if r := Hypot(x, y); r > 1e-3 {
			s, c := SinCos(a)
			if math.Abs(c*r-x) > 1e-9*r || math.Abs(s*r-y) > 1e-9*r {
				t.Fatalf("Atan2(%v, %v) = %v does not point at (x, y)", y, x, a)
			}
		}
	}))
	t.Run("ExpLogInverse", rapid.MakeCheck(func(t *rapid.T) {
		x := math.Exp2(rapid.Float64Range(-1000, 1000).Draw(t, "log2x"))
		if y := Exp(Log(x)); math.Abs(y-x) > 1e-13*x {
			t.Fatalf("Exp(Log(%v)) = %v", x, y)
		}
		v := rapid.Float64Range(-700, 700).Draw(t, "v")
		if y := Log(Exp(v)); math.Abs(y-v) > 4e-16*math.Max(1, math.Abs(v)) {
			t.Fatalf("Log(Exp(%v)) = %v", v, y)
		}
	}))
	t.Run("PowConsistency", rapid.MakeCheck(func(t *rapid.T) {
		x := rapid.Float64Range(1e-3, 1e3).Draw(t, "x")
		y := rapid.Float64Range(-20, 20).Draw(t, "y")
		p := Pow(x, y)
		if want := Exp(y * Log(x)); math.Abs(p-want) > 1e-12*want {
			t.Fatalf("Pow(%v, %v) = %v, exp(y log x) = %v", x, y, p, want)
		}
		n := rapid.IntRange(-30, 30).Draw(t, "n")
		if math.Signbit(Pow(-x, float64(n))) != (n%2 != 0) {
			t.Fatalf("Pow(%v, %d) has the wrong sign", -x, n)
		}
	}))
	t.Run("WrapAngle", rapid.MakeCheck(func(t *rapid.T) {
		a := rapid.Float64Range(-1e4, 1e4).Draw(t, "a")
		w := WrapAngle(a)
		if !(w > -math.Pi && w <= math.Pi) {
			t.Fatalf("WrapAngle(%v) = %v out of (-π, π]", a, w)
		}
		if WrapAngle(w) != w {
			t.Fatalf("WrapAngle not idempotent at %v", a)
		}
		if math.Abs(Sin(w)-Sin(a)) > 1e-11 || math.Abs(Cos(w)-Cos(a)) > 1e-11 {
			t.Fatalf("WrapAngle(%v) = %v is not the same angle", a, w)
		}
	}))
	t.Run("HypotClamp", rapid.MakeCheck(func(t *rapid.T) {
		x := rapid.Float64Range(-1e150, 1e150).Draw(t, "x")
		y := rapid.Float64Range(-1e150, 1e150).Draw(t, "y")
		h := Hypot(x, y)
		if h < math.Abs(x) || h < math.Abs(y) || h != Hypot(y, -x) {
			t.Fatalf("Hypot(%v, %v) = %v", x, y, h)
		}
		lo := rapid.Float64Range(-10, 0).Draw(t, "lo")
		hi := rapid.Float64Range(0, 10).Draw(t, "hi")
		if c := Clamp(x, lo, hi); c < lo || c > hi {
			t.Fatalf("Clamp(%v, %v, %v) = %v", x, lo, hi, c)
		}
	}))
}
