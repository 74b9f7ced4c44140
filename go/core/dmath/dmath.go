// Package dmath is a placeholder: it will hold deterministic math built from + − × ÷.
package dmath

import "math"

func Sin(x float64) float64                 { return math.Sin(x) }
func Cos(x float64) float64                 { return math.Cos(x) }
func SinCos(x float64) (sin, cos float64)   { return math.Sin(x), math.Cos(x) }
func Atan(x float64) float64                { return math.Atan(x) }
func Atan2(y, x float64) float64            { return math.Atan2(y, x) }
func Sqrt(x float64) float64                { return math.Sqrt(x) }
func Hypot(x, y float64) float64            { return math.Sqrt(x*x + y*y) }
func Exp(x float64) float64                 { return math.Exp(x) }
func Log(x float64) float64                 { return math.Log(x) }
func Log10(x float64) float64               { return math.Log10(x) }
func Pow(x, y float64) float64              { return math.Pow(x, y) }
func Clamp(x, lo, hi float64) float64       { return math.Max(lo, math.Min(hi, x)) }
func WrapAngle(a float64) float64 {
	a = math.Mod(a+math.Pi, 2*math.Pi)
	if a <= 0 {
		a += 2 * math.Pi
	}
	return a - math.Pi
}
