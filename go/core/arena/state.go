package arena

import (
	"encoding/json"
	"fmt"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/rng"
	"github.com/tidebreak/tidebreak/go/morphospace"
)

// SnapshotVersion is the version of the Snapshot encoding.
const SnapshotVersion = 1

// Snapshot is a World's complete dynamic state. Restoring it into a World
// built from the same package continues the battle bit for bit.
type Snapshot struct {
	Version     int                     `json:"version"`
	BattleID    string                  `json:"battle_id"`
	Seed        uint64                  `json:"seed"`
	Tick        int                     `json:"tick"`
	Done        bool                    `json:"done"`
	Truncated   bool                    `json:"truncated"`
	Winner      int                     `json:"winner"`
	TraceSeq    uint64                  `json:"trace_seq"`
	Counters    [2]int                  `json:"counters"`
	Ships       []Ship                  `json:"ships"`
	LastAction  [][ActionSize]float64   `json:"last_action"`
	Log         []contract.ActionRecord `json:"log,omitempty"`
	TickHashes  []uint64                `json:"tick_hashes,omitempty"`
	InitHash    uint64                  `json:"init_hash"`
	Projectiles []Projectile            `json:"projectiles"`
	// Fields is the encoded field space of a coupled World (absent when
	// uncoupled).
	Fields []byte `json:"fields,omitempty"`
	// Noise is a coarse picture of the acoustic noise at the surface, for
	// viewers (present with coupling on; ignored by Load).
	Noise *NoiseGrid `json:"noise,omitempty"`
}

// Save encodes the World's state as JSON.
func (w *World) Save() ([]byte, error) {
	s := Snapshot{
		Version: SnapshotVersion, BattleID: w.Pkg.BattleID, Seed: w.Seed, Tick: w.Tick,
		Done: w.done, Truncated: w.truncated, Winner: w.winner, TraceSeq: w.traceSeq,
		Counters:   [2]int{w.counters.transitions, w.counters.collisions},
		Ships:      w.Ships,
		LastAction: w.lastAction,
		Log:        w.log, TickHashes: w.tickHashes, InitHash: w.initHash,
		Projectiles: w.projectiles,
	}
	if w.fields != nil {
		data, err := w.fields.space.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("arena: encoding the field space: %w", err)
		}
		s.Fields = data
		s.Noise = w.NoiseGrid(noiseGridCells)
	}
	return json.Marshal(&s)
}

// noiseGridCells is the resolution of the noise picture in saved states.
const noiseGridCells = 32

// NoiseGrid samples the ambient noise a sonar at the surface would hear
// (the noise field, or the constant without one) on an n × n grid of cell
// centres over the map. Values[row][col] are dB; row 0 is the bottom edge.
type NoiseGrid struct {
	Origin [2]float64  `json:"origin"`
	Cell   float64     `json:"cell"`
	Values [][]float64 `json:"values"`
}

// NoiseGrid returns the noise picture at n × n resolution.
func (w *World) NoiseGrid(n int) *NoiseGrid {
	b := &w.Pkg.Map.Bounds
	cell := max(b.MaxX-b.MinX, b.MaxY-b.MinY) / float64(n)
	g := &NoiseGrid{Origin: [2]float64{b.MinX, b.MinY}, Cell: cell, Values: make([][]float64, n)}
	for j := range g.Values {
		g.Values[j] = make([]float64, n)
		for i := range g.Values[j] {
			p := r2.Vec{X: b.MinX + (float64(i)+0.5)*cell, Y: b.MinY + (float64(j)+0.5)*cell}
			g.Values[j][i] = w.noise.AmbientDB(p)
		}
	}
	return g
}

// Load restores a state written by Save from a World built from the same
// package. On error the World is unchanged.
func (w *World) Load(data []byte) error {
	var s Snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("arena: state is not a valid snapshot: %w", err)
	}
	switch {
	case s.Version != SnapshotVersion:
		return fmt.Errorf("arena: state has snapshot version %d, want %d", s.Version, SnapshotVersion)
	case s.BattleID != w.Pkg.BattleID:
		return fmt.Errorf("arena: state is of battle %q, this env runs %q", s.BattleID, w.Pkg.BattleID)
	case len(s.Ships) != len(w.Ships) || len(s.LastAction) != len(w.Ships):
		return fmt.Errorf("arena: state has %d ships, this env has %d", len(s.Ships), len(w.Ships))
	case s.Winner < -1 || s.Winner >= len(w.Teams):
		return fmt.Errorf("arena: state names team %d, this env has %d teams", s.Winner, len(w.Teams))
	}
	for i := range s.Ships {
		a, b := &s.Ships[i], &w.Ships[i]
		if a.ID != b.ID || a.Team != b.Team || a.Control.Kind != b.Control.Kind ||
			len(a.Mounts) != len(b.Mounts) || len(a.Tracks) != len(b.Tracks) {
			return fmt.Errorf("arena: state ship %d does not match this env's ship %q", i, b.Spec.ShipID)
		}
	}
	var space *morphospace.Space
	switch {
	case w.fields == nil && len(s.Fields) > 0:
		return fmt.Errorf("arena: state has a field space, this env runs without field coupling")
	case w.fields != nil && len(s.Fields) == 0:
		return fmt.Errorf("arena: state has no field space, this env runs with field coupling")
	case w.fields != nil:
		space = w.fields.space.Clone()
		if err := space.UnmarshalBinary(s.Fields); err != nil {
			return fmt.Errorf("arena: state's field space: %w", err)
		}
	}
	for _, p := range s.Projectiles {
		if p.Owner < 0 || p.Owner >= len(w.Ships) || p.Target >= len(w.Ships) {
			return fmt.Errorf("arena: state has a projectile of ship %d, this env has %d ships", p.Owner, len(w.Ships))
		}
	}
	w.Seed, w.Tick = s.Seed, s.Tick
	w.done, w.truncated, w.winner, w.traceSeq = s.Done, s.Truncated, s.Winner, s.TraceSeq
	w.counters = counters{transitions: s.Counters[0], collisions: s.Counters[1]}
	w.env.reset(rng.Derive(s.Seed, purposeCurrents))
	w.env.weather = w.startConditions(s.Seed)
	if space != nil {
		w.fields.space = space
	}
	for i := range s.Ships {
		spec := w.Ships[i].Spec
		tracks, mounts := w.Ships[i].Tracks, w.Ships[i].Mounts
		w.Ships[i] = s.Ships[i]
		w.Ships[i].Spec = spec
		w.Ships[i].Tracks = append(tracks[:0], s.Ships[i].Tracks...)
		w.Ships[i].Mounts = append(mounts[:0], s.Ships[i].Mounts...)
		for m := range w.Ships[i].Mounts {
			w.Ships[i].Mounts[m].Spec = &spec.Weapons[m]
		}
	}
	w.projectiles = append(w.projectiles[:0], s.Projectiles...)
	w.grid.items = w.grid.items[:0]
	w.grid.build(w.Ships)
	copy(w.lastAction, s.LastAction)
	w.log = append(w.log[:0], s.Log...)
	w.tickHashes = append(w.tickHashes[:0], s.TickHashes...)
	w.initHash = s.InitHash
	clear(w.rewards)
	return nil
}
