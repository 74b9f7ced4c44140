package arena

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/jsontree"
	"github.com/tidebreak/tidebreak/go/core/rng"
	"github.com/tidebreak/tidebreak/go/morphospace"
)

// SnapshotVersion is the version of the state layout Save writes and Load
// reads (the "version" key).
const SnapshotVersion = stateVersion

// StateError is a state Load refused. Msg names the field where it can
// ("ships[4].sensor_stream: an all-zero generator state ...").
type StateError struct {
	Msg string
}

func (e *StateError) Error() string { return "arena: bad state: " + e.Msg }

func stateErr(format string, args ...any) error {
	return &StateError{Msg: fmt.Sprintf(format, args...)}
}

// Save encodes the World's dynamic state as one JSON object whose keys are
// the wire names of the state list (statelist.go), in list order; every
// key is always present. Restoring it with Load into a World built from
// the same package continues the battle bit for bit. docs/replay.md
// describes the layout.
func (w *World) Save() ([]byte, error) {
	e := encodeVisitor{buf: make([]byte, 0, 4096+len(w.Ships)*(1024+len(w.Ships)*160))}
	e.buf = append(e.buf, '{')
	e.first = append(e.first, true)
	w.walkState(&stateWalker{v: &e})
	w.stateTabs = nil // the full track tables the walk wrote out
	e.buf = append(e.buf, '}')
	if e.err != nil {
		return nil, fmt.Errorf("arena: saving the state: %w", e.err)
	}
	return e.buf, nil
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

// Load restores a state written by Save into a World built from the same
// package (and options). Everything is checked before anything changes:
// the JSON must be strict (exact keys, each once, no key missing or
// unknown), every value within its range (statelist.go), the package's
// fixed values (ids, teams, classes, hit points, reloads, …) unchanged,
// generator states non-zero and the projectiles and action log consistent
// with the package. Errors are *StateError and name the field
// ("ships[4].sensor_stream: ..."); on error the World is unchanged.
func (w *World) Load(data []byte) error {
	tree, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: 8, MaxValues: w.MaxStateValues()})
	if err != nil {
		return stateErr("%v", err)
	}
	root := tree.Root()
	if root.Kind() != jsontree.Object {
		return stateErr("the state is %v, want an object", root.Kind())
	}
	if v, ok := root.Member("version"); ok {
		if n, err := v.Int64(); err == nil && n != stateVersion {
			return stateErr("the state has layout version %d; this Tidebreak reads version %d", n, stateVersion)
		}
	}
	tmp := w.scratch()
	var d decodeVisitor
	d.push("", root)
	tmp.walkState(&stateWalker{v: &d})
	if d.err == nil {
		d.close() // the root object: no unknown keys
	}
	if d.err != nil {
		return stateErr("%v", d.err)
	}
	if err := tmp.checkState(); err != nil {
		return stateErr("%v", err)
	}
	w.restore(tmp, d.fields)
	return nil
}

// scratch returns a copy of the World whose state slices are its own, for
// Load to decode into.
func (w *World) scratch() *World {
	t := *w
	t.Ships = make([]Ship, len(w.Ships))
	for i := range w.Ships {
		t.Ships[i] = w.Ships[i]
		t.Ships[i].Mounts = append([]Mount(nil), w.Ships[i].Mounts...)
	}
	t.stateTabs = nil // its own full track tables, for the decoder
	t.lastAction = append([][ActionSize]float64(nil), w.lastAction...)
	t.projectiles, t.log, t.tickHashes = nil, nil, nil
	return &t
}

// checkState checks what the ranges of the state list cannot: the rules
// that tie fields together.
func (w *World) checkState() error {
	switch {
	case w.truncated && !w.done:
		return errors.New("truncated: true, but done is false")
	case w.winner >= 0 && (!w.done || w.truncated):
		return fmt.Errorf("winner: %d, but the battle is not decided (done %v, truncated %v)", w.winner, w.done, w.truncated)
	case !w.done && w.Tick >= w.MaxTicks:
		return fmt.Errorf("tick: %d is the time limit, but done is false", w.Tick)
	case w.Opts.RecordLog && len(w.tickHashes) != w.Tick:
		return fmt.Errorf("tick_hashes: %d hashes for %d ticks", len(w.tickHashes), w.Tick)
	}
	for i := range w.projectiles {
		p := &w.projectiles[i]
		if w.Ships[p.Owner].Mount[p.Kind] < 0 {
			return fmt.Errorf("projectiles[%d].kind: ship %d (%s) has no weapon of kind %d", i, p.Owner,
				w.Ships[p.Owner].Spec.ShipID, p.Kind)
		}
		if p.Alive && p.Run > p.MaxRun {
			return fmt.Errorf("projectiles[%d].run: %v is beyond its max_run %v", i, p.Run, p.MaxRun)
		}
	}
	if len(w.log) > 0 {
		if _, err := CheckLog(w.Pkg, w.log); err != nil {
			return fmt.Errorf("log: %v", err)
		}
	}
	return nil
}

// restore moves a decoded and checked state into w and recomputes what
// follows from it: the environment's phases, weather and spawn points (from
// the seed), the projectiles' weapon data, the ships' direction caches and
// the spatial index.
func (w *World) restore(t *World, space *morphospace.Space) {
	w.Seed, w.Tick = t.Seed, t.Tick
	w.done, w.truncated, w.winner, w.traceSeq = t.done, t.truncated, t.winner, t.traceSeq
	w.counters = t.counters
	w.env.reset(rng.Derive(t.Seed, purposeCurrents))
	w.setWeather(w.startConditions(t.Seed))
	if space != nil {
		w.fields.setSpace(space)
	}
	for i := range t.Ships {
		mounts := w.Ships[i].Mounts
		s := &w.Ships[i]
		*s = t.Ships[i]
		s.Kin = Kinematics{Pos: s.Kin.Pos, Heading: s.Kin.Heading, Speed: s.Kin.Speed}
		s.Tick = TickStats{}
		s.Mounts = append(mounts[:0], t.Ships[i].Mounts...)
	}
	w.loadTracks(t.stateTabs)
	w.projectiles = append(w.projectiles[:0], t.projectiles...)
	for i := range w.projectiles {
		w.projectileSpec(&w.projectiles[i])
	}
	w.countRunning()
	w.grid.items = w.grid.items[:0]
	w.grid.build(w.Ships)
	copy(w.lastAction, t.lastAction)
	w.log = append(w.log[:0], t.log...)
	w.tickHashes = append(w.tickHashes[:0], t.tickHashes...)
	w.initHash = t.initHash
	w.events = w.events[:0]
	clear(w.rewards)
}

// projectileSpec sets what a projectile's kind and owner decide: its
// weapon's speed, damage, blast radius and (torpedoes) guidance, as launch
// does, and its direction from its heading.
func (w *World) projectileSpec(p *Projectile) {
	s := &w.Ships[p.Owner]
	spec := s.Mounts[s.Mount[p.Kind]].Spec
	p.Speed, p.Damage, p.Blast = spec.Projectile.Speed, spec.Projectile.Damage, spec.Projectile.BlastRadius
	p.Homing = spec.Projectile.Guidance
	if p.Kind != Torpedo {
		p.Homing.Kind, p.Homing.TurnRate, p.Homing.SeekerRange, p.Homing.SeekerCone = "", 0, 0, 0
	}
	p.setHeading(p.Heading)
}

// MaxStateValues bounds the number of JSON values a saved state of this
// World can hold; Load refuses a blob with more before building it. It
// counts them with the state list: the World's own state, plus every
// projectile slot, log record and tick hash it could still gain, plus
// slack for the envelope.
func (w *World) MaxStateValues() int {
	var c countVisitor
	sw := stateWalker{v: &c}
	w.walkState(&sw)
	w.stateTabs = nil // the full track tables the walk built
	n := c.n
	c.n = 0
	var p Projectile
	sw.open("")
	w.walkProjectile(&sw, &p)
	sw.close()
	perProjectile := c.n
	if grow := w.maxProjectiles() - len(w.projectiles); grow > 0 {
		n += grow * perProjectile
	}
	if w.Opts.RecordLog {
		const perRecord = 4 + ActionSize // object, tick, ship_id, action array and values
		n += max(0, w.MaxTicks*len(w.Ships)-len(w.log))*perRecord + max(0, w.MaxTicks-len(w.tickHashes))
	}
	return n + 64
}

// countVisitor counts the JSON values a walk of the state list writes.
type countVisitor struct{ n int }

func (c *countVisitor) open(string)                                          { c.n++ }
func (c *countVisitor) close()                                               {}
func (c *countVisitor) array(string, int)                                    { c.n++ }
func (c *countVisitor) slice(_ string, n, _ int) int                         { c.n++; return n }
func (c *countVisitor) end()                                                 {}
func (c *countVisitor) int(string, *int, fieldFlags, int, int)               { c.n++ }
func (c *countVisitor) int8(string, *int8, fieldFlags, int, int)             { c.n++ }
func (c *countVisitor) uint8(string, *uint8, fieldFlags, int, int)           { c.n++ }
func (c *countVisitor) uint32(string, *uint32, fieldFlags, int, int)         { c.n++ }
func (c *countVisitor) uint64(string, *uint64, fieldFlags)                   { c.n++ }
func (c *countVisitor) float(string, *float64, fieldFlags, float64, float64) { c.n++ }
func (c *countVisitor) bool(string, *bool, fieldFlags)                       { c.n++ }
func (c *countVisitor) string(string, *string, fieldFlags)                   { c.n++ }
func (c *countVisitor) stream(_ string, p *rng.Stream, _ fieldFlags)         { c.n += 1 + len(p.S) }
func (c *countVisitor) space(string, *fieldState)                            { c.n++ }

// derived counts the noise picture: an object of origin (2), cell and
// noiseGridCells rows of noiseGridCells values.
func (c *countVisitor) derived(_ string, w *World) {
	c.n++
	if w.fields != nil {
		c.n += 2 + 2 + 1 + 1 + noiseGridCells*(1+noiseGridCells)
	}
}

// encodeVisitor writes the saved and static fields as JSON.
type encodeVisitor struct {
	buf   []byte
	first []bool // per open container: nothing written in it yet
	err   error
}

// key starts a value: a comma after a sibling, then the key in an object.
func (e *encodeVisitor) key(name string) {
	top := len(e.first) - 1
	if !e.first[top] {
		e.buf = append(e.buf, ',')
	}
	e.first[top] = false
	if name != "" {
		e.buf = append(e.buf, '"')
		e.buf = append(e.buf, name...)
		e.buf = append(e.buf, '"', ':')
	}
}

func (e *encodeVisitor) push(name string, open byte) {
	e.key(name)
	e.buf = append(e.buf, open)
	e.first = append(e.first, true)
}

func (e *encodeVisitor) pop(end byte) {
	e.buf = append(e.buf, end)
	e.first = e.first[:len(e.first)-1]
}

func (e *encodeVisitor) open(name string)                { e.push(name, '{') }
func (e *encodeVisitor) close()                          { e.pop('}') }
func (e *encodeVisitor) array(name string, _ int)        { e.push(name, '[') }
func (e *encodeVisitor) slice(name string, n, _ int) int { e.push(name, '['); return n }
func (e *encodeVisitor) end()                            { e.pop(']') }

func (e *encodeVisitor) integer(name string, v int64, f fieldFlags) {
	if f&(saved|static) != 0 {
		e.key(name)
		e.buf = strconv.AppendInt(e.buf, v, 10)
	}
}

func (e *encodeVisitor) int(name string, p *int, f fieldFlags, _, _ int) {
	e.integer(name, int64(*p), f)
}
func (e *encodeVisitor) int8(name string, p *int8, f fieldFlags, _, _ int) {
	e.integer(name, int64(*p), f)
}
func (e *encodeVisitor) uint8(name string, p *uint8, f fieldFlags, _, _ int) {
	e.integer(name, int64(*p), f)
}
func (e *encodeVisitor) uint32(name string, p *uint32, f fieldFlags, _, _ int) {
	e.integer(name, int64(*p), f)
}

func (e *encodeVisitor) uint64(name string, p *uint64, f fieldFlags) {
	if f&(saved|static) != 0 {
		e.key(name)
		e.buf = strconv.AppendUint(e.buf, *p, 10)
	}
}

// float writes the shortest decimal that reads back to the same bits, as
// Python's repr does: positional for exponents in [-4, 16), scientific
// otherwise, and always with a fraction or an exponent ("120.0", "-0.0",
// "1e+16"). Readers that type numbers by their literal (Python's json) so
// read floats, keep the sign of -0 and write the state back byte for byte.
func (e *encodeVisitor) float(name string, p *float64, f fieldFlags, _, _ float64) {
	if f&(saved|static) == 0 {
		return
	}
	x := *p
	if math.IsNaN(x) || math.IsInf(x, 0) {
		if e.err == nil {
			e.err = fmt.Errorf("%s is %v", name, x)
		}
		x = 0
	}
	e.key(name)
	start := len(e.buf)
	if a := math.Abs(x); a != 0 && (a < 1e-4 || a >= 1e16) {
		e.buf = strconv.AppendFloat(e.buf, x, 'e', -1, 64)
	} else {
		e.buf = strconv.AppendFloat(e.buf, x, 'f', -1, 64)
	}
	for _, c := range e.buf[start:] {
		if c == '.' || c == 'e' {
			return
		}
	}
	e.buf = append(e.buf, ".0"...)
}

func (e *encodeVisitor) bool(name string, p *bool, f fieldFlags) {
	if f&(saved|static) != 0 {
		e.key(name)
		e.buf = strconv.AppendBool(e.buf, *p)
	}
}

func (e *encodeVisitor) string(name string, p *string, f fieldFlags) {
	if f&(saved|static) != 0 {
		e.key(name)
		q, _ := json.Marshal(*p) // a string always marshals
		e.buf = append(e.buf, q...)
	}
}

func (e *encodeVisitor) stream(name string, p *rng.Stream, f fieldFlags) {
	if f&(saved|static) != 0 {
		e.array(name, len(p.S))
		for k := range p.S {
			e.uint64("", &p.S[k], saved)
		}
		e.end()
	}
}

func (e *encodeVisitor) space(name string, fs *fieldState) {
	e.key(name)
	if fs == nil {
		e.buf = append(e.buf, "null"...)
		return
	}
	data, err := fs.space.MarshalBinary()
	if err != nil && e.err == nil {
		e.err = fmt.Errorf("%s: %w", name, err)
	}
	e.buf = append(e.buf, '"')
	e.buf = base64.StdEncoding.AppendEncode(e.buf, data)
	e.buf = append(e.buf, '"')
}

func (e *encodeVisitor) derived(name string, w *World) {
	e.key(name)
	if w.fields == nil {
		e.buf = append(e.buf, "null"...)
		return
	}
	data, _ := json.Marshal(w.NoiseGrid(noiseGridCells)) // finite numbers only
	e.buf = append(e.buf, data...)
}
