package arena

import (
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/spatial/r2"
)

// TestQueryRowsMatchesFullSearch checks that query on a grid with
// rowAt built (indexRows: each row's search spans that row's keys only)
// visits exactly the ships, in the same order, that query's search over
// all keys visits:
// ships inside and outside the map (clamped into edge cells), inactive
// ones (key -1), and queries reaching past every edge.
func TestQueryRowsMatchesFullSearch(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 18))
	for trial := 0; trial < 200; trial++ {
		const cell = 1000.0
		g := newGrid(-5000, -3000, 20000+float64(trial%7)*cell, 15000, cell)
		ships := make([]Ship, bruteForceShips+1+rnd.IntN(300))
		for i := range ships {
			ships[i].Kin.Pos = r2.Vec{X: -9000 + rnd.Float64()*38000, Y: -7000 + rnd.Float64()*26000}
			if rnd.IntN(8) == 0 {
				ships[i].Status = StatusDestroyed
			}
		}
		g.build(ships)
		rows := g
		rows.indexRows()
		if len(rows.rowAt) != g.rows+1 {
			t.Fatalf("rowAt has %d entries, want %d", len(rows.rowAt), g.rows+1)
		}
		full := g
		full.rowAt = nil
		for q := 0; q < 30; q++ {
			p := r2.Vec{X: -9000 + rnd.Float64()*38000, Y: -7000 + rnd.Float64()*26000}
			radius := rnd.Float64() * 12000
			var a, b []int
			full.query(p, radius, func(i int) bool { a = append(a, i); return true })
			rows.query(p, radius, func(i int) bool { b = append(b, i); return true })
			if !slices.Equal(a, b) {
				t.Fatalf("trial %d: query with rowAt (%v, %g) visits %v, without %v", trial, p, radius, b, a)
			}
		}
		g.indexRows()
		g.build(ships) // a rebuild drops rowAt until indexRows
		if len(g.rowAt) != 0 {
			t.Fatal("build kept a stale rowAt")
		}
	}
}
