package morphospace_test

import (
	"fmt"

	"github.com/tidebreak/tidebreak/go/morphospace"
)

// A ship stamps its noise into the world; the noise spreads and fades.
func Example() {
	s, err := morphospace.New(morphospace.Config{SizeX: 4000, SizeY: 4000, Depth: 200, Bands: 4, MaxLevel: 8}, nil)
	if err != nil {
		panic(err)
	}
	noise, _ := s.Field(morphospace.Noise)
	err = s.Stamp(noise, morphospace.Stamp{
		Shape: morphospace.SphereShape(morphospace.Vec3{X: 2000, Y: 2000, Z: 10}, 100),
		Value: 140,
		Blend: morphospace.Max,
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("at the ship %.1f dB, far away %.1f dB\n", s.At(noise, 2000, 2000, 10), s.At(noise, 100, 100, 10))
	for range 10 {
		if err := s.Step(1); err != nil {
			panic(err)
		}
	}
	fmt.Printf("10 s later %.1f dB\n", s.At(noise, 2000, 2000, 10))
	// Output:
	// at the ship 140.0 dB, far away 60.0 dB
	// 10 s later 60.5 dB
}

// Fields can be added at run time from JSON, without new Go code.
func ExampleRegistry_AddJSON() {
	reg := morphospace.BuiltinRegistry()
	ids, err := reg.AddJSON([]byte(`{"name": "oil", "min": 0, "max": 1, "default": 0, "diffusion": 2, "decay": 0.001, "advect": true}`))
	if err != nil {
		panic(err)
	}
	spec := reg.Spec(ids[0])
	fmt.Println(ids[0], spec.Name, spec.SplitTol, spec.MergeTol)
	_, err = reg.AddJSON([]byte(`{"name": "oil", "min": 0, "max": 1, "default": 0}`))
	fmt.Println(err)
	// Output:
	// 8 oil 0.001 0.00025
	// morphospace: field "oil": duplicate field name
}

// Foveate reports the mean over shells × sectors around a heading.
func ExampleSpace_Foveate() {
	s, _ := morphospace.New(morphospace.Config{SizeX: 1000, SizeY: 1000, Depth: 40, Bands: 4, MaxLevel: 8}, nil)
	smoke, _ := s.Field(morphospace.Smoke)
	// A smoke screen fills the half-space x ≥ 500.
	_ = s.Stamp(smoke, morphospace.Stamp{
		Shape: morphospace.BoxShape(morphospace.Box{Min: morphospace.Vec3{X: 500}, Max: morphospace.Vec3{X: 1000, Y: 1000, Z: 40}}),
		Value: 1,
	})
	out := make([]float64, 2*4)
	// Standing on its edge, looking along +x: sector 0 ahead, 1 left, 2 behind, 3 right.
	_ = s.Foveate(smoke, 500, 500, 5, 0, []float64{100, 300}, 4, out)
	for k := range 2 {
		fmt.Printf("shell %d: %.2f %.2f %.2f %.2f\n", k, out[k*4], out[k*4+1], out[k*4+2], out[k*4+3])
	}
	// Output:
	// shell 0: 1.00 0.50 0.00 0.50
	// shell 1: 1.00 0.50 0.00 0.50
}

// Volume averages a field over a box, stopping early where a node's variance
// is within the budget.
func ExampleSpace_Volume() {
	s, _ := morphospace.New(morphospace.Config{SizeX: 1000, SizeY: 1000, Depth: 40, Bands: 4, MaxLevel: 8}, nil)
	temp, _ := s.Field(morphospace.Temperature)
	warm := morphospace.Box{Min: morphospace.Vec3{X: 0, Y: 0, Z: 0}, Max: morphospace.Vec3{X: 500, Y: 1000, Z: 10}}
	_ = s.Stamp(temp, morphospace.Stamp{Shape: morphospace.BoxShape(warm), Value: 25})
	surface := morphospace.Box{Max: morphospace.Vec3{X: 1000, Y: 1000, Z: 10}}
	fmt.Printf("surface band %.1f °C, whole column %.2f °C\n",
		s.Volume(temp, surface, morphospace.Budget{}),
		s.Volume(temp, s.Bounds(), morphospace.Budget{Variance: 1}))
	// Output:
	// surface band 20.0 °C, whole column 16.25 °C
}
