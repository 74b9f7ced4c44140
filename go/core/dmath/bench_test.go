package dmath

import (
	"math"
	"testing"
)

var sink float64

func benchUnary(b *testing.B, f func(float64) float64, xs []float64) {
	b.ReportAllocs()
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += f(xs[i&1023])
	}
	sink = s
}

func benchBinary(b *testing.B, f func(x, y float64) float64, xs, ys []float64) {
	b.ReportAllocs()
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += f(xs[i&1023], ys[i&1023])
	}
	sink = s
}

var (
	benchAngles = randUniform(100, -1e4, 1e4, 1024)
	benchSmall  = randUniform(101, -10, 10, 1024)
	benchExp    = randUniform(102, -700, 700, 1024)
	benchPos    = randLog(103, -100, 100, false, 1024)
	benchPowX   = randUniform(104, 0, 100, 1024)
	benchPowY   = randUniform(105, -20, 20, 1024)
)

func BenchmarkSin(b *testing.B)     { benchUnary(b, Sin, benchAngles) }
func BenchmarkMathSin(b *testing.B) { benchUnary(b, math.Sin, benchAngles) }
func BenchmarkCos(b *testing.B)     { benchUnary(b, Cos, benchAngles) }
func BenchmarkSinCos(b *testing.B) {
	benchUnary(b, func(x float64) float64 { s, c := SinCos(x); return s + c }, benchAngles)
}
func BenchmarkSinHuge(b *testing.B)   { benchUnary(b, Sin, randLog(106, 21, 1000, true, 1024)) }
func BenchmarkAtan(b *testing.B)      { benchUnary(b, Atan, benchSmall) }
func BenchmarkMathAtan(b *testing.B)  { benchUnary(b, math.Atan, benchSmall) }
func BenchmarkAtan2(b *testing.B)     { benchBinary(b, Atan2, benchSmall, benchAngles) }
func BenchmarkMathAtan2(b *testing.B) { benchBinary(b, math.Atan2, benchSmall, benchAngles) }
func BenchmarkSqrt(b *testing.B)      { benchUnary(b, Sqrt, benchPos) }
func BenchmarkHypot(b *testing.B)     { benchBinary(b, Hypot, benchSmall, benchAngles) }
func BenchmarkMathHypot(b *testing.B) { benchBinary(b, math.Hypot, benchSmall, benchAngles) }
func BenchmarkExp(b *testing.B)       { benchUnary(b, Exp, benchExp) }
func BenchmarkMathExp(b *testing.B)   { benchUnary(b, math.Exp, benchExp) }
func BenchmarkLog(b *testing.B)       { benchUnary(b, Log, benchPos) }
func BenchmarkMathLog(b *testing.B)   { benchUnary(b, math.Log, benchPos) }
func BenchmarkLog10(b *testing.B)     { benchUnary(b, Log10, benchPos) }
func BenchmarkPow(b *testing.B)       { benchBinary(b, Pow, benchPowX, benchPowY) }
func BenchmarkMathPow(b *testing.B)   { benchBinary(b, math.Pow, benchPowX, benchPowY) }
func BenchmarkWrapAngle(b *testing.B) { benchUnary(b, WrapAngle, benchAngles) }
func BenchmarkClamp(b *testing.B) {
	benchUnary(b, func(x float64) float64 { return Clamp(x, -1, 1) }, benchSmall)
}

// TestNoAllocs asserts that no function allocates.
func TestNoAllocs(t *testing.T) {
	x := 12345.678
	allocs := testing.AllocsPerRun(100, func() {
		s, c := SinCos(x)
		sink = Sin(x) + Cos(x) + s + c + Atan(x) + Atan2(x, 3) + Sqrt(x) + Hypot(x, 2) +
			Exp(x/1e3) + Log(x) + Log10(x) + Pow(x, 1.5) + WrapAngle(x) + Clamp(x, 0, 1) + Sin(1e300)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run", allocs)
	}
}
