package dmath_test

import (
	"fmt"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

func ExampleSinCos() {
	s, c := dmath.SinCos(dmath.WrapAngle(7 * 3.141592653589793 / 6))
	fmt.Printf("%.6f %.6f\n", s, c)
	// Output: -0.500000 -0.866025
}

func ExampleAtan2() {
	// Bearing from (0, 0) to (-1, 1), counter-clockwise from +x.
	fmt.Printf("%.6f\n", dmath.Atan2(1, -1))
	// Output: 2.356194
}

func ExampleWrapAngle() {
	fmt.Println(dmath.WrapAngle(3.5), dmath.WrapAngle(-3.141592653589793))
	// Output: -2.7831853071795867 3.141592653589793
}

func ExampleExp() {
	fmt.Println(dmath.Exp(1), dmath.Log(dmath.Exp(2.5)))
	// Output: 2.718281828459045 2.5
}

func ExamplePow() {
	fmt.Println(dmath.Pow(2, 10), dmath.Pow(-2, 3), dmath.Pow(10, -2))
	// Output: 1024 -8 0.01
}

func ExampleHypot() {
	fmt.Println(dmath.Hypot(3, 4), dmath.Clamp(dmath.Log10(1e5), 0, 4))
	// Output: 5 4
}
