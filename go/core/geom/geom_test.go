package geom

import (
	"testing"

	"gonum.org/v1/gonum/spatial/r2"
)

func TestContains(t *testing.T) {
	square := Polygon(r2.Vec{X: 100, Y: 100}, []r2.Vec{{X: 0, Y: 0}, {X: 10, Y: 0}, {X: 10, Y: 10}, {X: 0, Y: 10}})
	tri := Polygon(r2.Vec{}, []r2.Vec{{X: 0, Y: 0}, {X: 50, Y: 0}, {X: 0, Y: 50}})
	circle := Circle(r2.Vec{X: 5, Y: 5}, 2)
	tests := []struct {
		name  string
		shape Shape
		p     r2.Vec
		want  bool
	}{
		{"square inside", square, r2.Vec{X: 105, Y: 105}, true},
		{"square outside", square, r2.Vec{X: 95, Y: 105}, false},
		{"triangle inside", tri, r2.Vec{X: 10, Y: 10}, true},
		{"triangle beyond hypotenuse", tri, r2.Vec{X: 30, Y: 30}, false},
		{"circle inside", circle, r2.Vec{X: 6, Y: 6}, true},
		{"circle outside", circle, r2.Vec{X: 8, Y: 5}, false},
	}
	for _, tt := range tests {
		if got := tt.shape.Contains(tt.p); got != tt.want {
			t.Errorf("%s: Contains(%v) = %v, want %v", tt.name, tt.p, got, tt.want)
		}
	}
}

func TestOverlaps(t *testing.T) {
	square := Polygon(r2.Vec{}, []r2.Vec{{X: 0, Y: 0}, {X: 10, Y: 0}, {X: 10, Y: 10}, {X: 0, Y: 10}})
	n, depth, ok := square.Overlaps(r2.Vec{X: 12, Y: 5}, 3)
	if !ok || depth != 1 || n != (r2.Vec{X: 1}) {
		t.Errorf("edge contact: normal %v depth %v ok %v", n, depth, ok)
	}
	if _, _, ok := square.Overlaps(r2.Vec{X: 14, Y: 5}, 3); ok {
		t.Error("a circle 1 m clear of the edge must not overlap")
	}
	n, depth, ok = square.Overlaps(r2.Vec{X: 9, Y: 5}, 3)
	if !ok || depth != 4 || n != (r2.Vec{X: 1}) {
		t.Errorf("centre inside: normal %v depth %v ok %v, want outward +x, depth 4", n, depth, ok)
	}
	c := Circle(r2.Vec{}, 10)
	n, depth, ok = c.Overlaps(r2.Vec{X: 0, Y: 12}, 5)
	if !ok || depth != 3 || n != (r2.Vec{Y: 1}) {
		t.Errorf("circle contact: normal %v depth %v ok %v", n, depth, ok)
	}
}
