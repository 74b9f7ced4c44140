package arena

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/morphospace"
)

// FieldsConfig couples the arena to MorphoSpace environment fields
// (docs/morphospace.md, "Coupling"). A nil *FieldsConfig in Options keeps
// the arena uncoupled: constant ambient noise, package weather and
// currents, and golden state hashes unchanged.
//
// With coupling on, every StepEvery-th tick starts with an environment
// phase: the field space steps by StepEvery seconds; the storm cell (if
// any) stamps sea state and noise at its current position; every active
// ship stamps its radiated noise (sourceLevel, so louder with speed,
// transitions and pings) and every running torpedo stamps its own. On the
// ticks between, the fields hold, but pinging and diving or surfacing ships
// stamp every tick, and a torpedo on its first tick in the water. Sonar
// reads the ambient noise at the listener from the noise field, and radar,
// ambient noise and the observation read the local sea state; the
// foveated observation reads the fields through
// morphospace.Space.FoveateSampled.
type FieldsConfig struct {
	// MaxLevel is the finest refinement level: cells are map size / 2^MaxLevel.
	MaxLevel int `json:"max_level"`
	// Bands is the number of depth bands over DepthM (power of two).
	Bands  int     `json:"bands"`
	DepthM float64 `json:"depth_m"`
	// SurfaceZ and SubmergedZ are the depths (m) at which surface and
	// submerged ships stamp and listen.
	SurfaceZ   float64 `json:"surface_z"`
	SubmergedZ float64 `json:"submerged_z"`
	// StampLossDB turns a source level into a field value: a stamp writes
	// (level − StampLossDB) dB at its core, blending with max, falling off
	// smoothly to its radius.
	StampLossDB float64 `json:"stamp_loss_db"`
	// ShipRadiusM is the radius of a quiet ship's noise stamp; LoudRadiusM
	// that of torpedoes, pinging and transitioning ships.
	ShipRadiusM float64 `json:"ship_radius_m"`
	LoudRadiusM float64 `json:"loud_radius_m"`
	// CurrentsFromField makes movement (and field advection) read the
	// current_u/current_v fields, rasterized from the package currents at
	// reset in cells of CurrentCellM metres.
	CurrentsFromField bool    `json:"currents_from_field"`
	CurrentCellM      float64 `json:"current_cell_m"`
	// NoiseTolDB and SeaStateTol are the split tolerances of the noise and
	// sea_state fields (merge tolerance a quarter of it): coarser than the
	// package defaults, since sonar and sea-state rules do not resolve a
	// fraction of a dB or of a sea-state step, and refinement costs time.
	NoiseTolDB  float64 `json:"noise_tol_db"`
	SeaStateTol float64 `json:"sea_state_tol"`
	// StepEvery is the cadence of the environment phase in ticks (1 to
	// 60): it runs on ticks 0, StepEvery, 2·StepEvery, … and steps the
	// field space by StepEvery seconds at once; in between the fields hold
	// still (but for the stamps of loud events: pings, layer changes,
	// launches).
	StepEvery int `json:"step_every"`
	// Storm is an optional moving storm cell.
	Storm *StormConfig `json:"storm,omitempty"`
	// Foveated, when set, appends foveated field shells to each agent's
	// observation (after the context block).
	Foveated *FoveatedConfig `json:"foveated,omitempty"`
}

// StormConfig is a storm cell that moves in a straight line and raises
// sea state and ambient noise where it passes.
type StormConfig struct {
	Start    contract.Vec2 `json:"start"`    // centre at tick 0 (map coordinates, m)
	Velocity contract.Vec2 `json:"velocity"` // m/s
	RadiusM  float64       `json:"radius_m"`
	SeaState float64       `json:"sea_state"` // peak sea state at the core (0–9)
	NoiseDB  float64       `json:"noise_db"`  // extra ambient noise at the core (dB)
	// Decay is the rate (1/s) at which the sea state it leaves behind
	// relaxes to calm once the cell has passed.
	Decay float64 `json:"decay"`
}

// FoveatedConfig appends len(Shells) × Sectors values per agent: the mean
// of Field over each annular sector around the ship (sector 0 dead ahead,
// counter-clockwise), at the ship's depth, normalised as
// (value − default) / (max − min).
type FoveatedConfig struct {
	Field   string    `json:"field"`
	Shells  []float64 `json:"shells"`
	Sectors int       `json:"sectors"`
}

// Size is the number of observation values the block adds (0 for nil).
func (f *FoveatedConfig) Size() int {
	if f == nil {
		return 0
	}
	return len(f.Shells) * f.Sectors
}

// DefaultFieldsConfig returns the coupling defaults.
func DefaultFieldsConfig() FieldsConfig {
	return FieldsConfig{MaxLevel: 6, Bands: 2, DepthM: 200, SurfaceZ: 5, SubmergedZ: 150,
		StampLossDB: 70, ShipRadiusM: 1000, LoudRadiusM: 2500, CurrentCellM: 500,
		NoiseTolDB: 1, SeaStateTol: 0.25, StepEvery: defaultStepEvery}
}

func defaultStorm() StormConfig {
	return StormConfig{RadiusM: 2500, SeaState: 7, NoiseDB: 20, Decay: 0.05}
}

// ParseFieldsConfig reads a "fields" block; missing keys take
// DefaultFieldsConfig's values. Keys must be spelled exactly as documented
// (an unknown or differently cased key is an error with a suggestion, as
// everywhere in a package). Errors name the offending path under "fields".
func ParseFieldsConfig(data []byte) (*FieldsConfig, error) {
	c := DefaultFieldsConfig()
	if err := exactKeys(data, new(FieldsConfig), "fields"); err != nil {
		return nil, err
	}
	var probe struct {
		Storm json.RawMessage `json:"storm"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("fields: %v", err)
	}
	if len(probe.Storm) > 0 && !bytes.Equal(probe.Storm, []byte("null")) {
		st := defaultStorm()
		c.Storm = &st
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("fields: %v", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// ParseFoveatedConfig reads a "foveated" block.
func ParseFoveatedConfig(data []byte) (*FoveatedConfig, error) {
	f := FoveatedConfig{Field: morphospace.Noise, Sectors: 8}
	if err := exactKeys(data, new(FoveatedConfig), "foveated"); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("foveated: %v", err)
	}
	if err := f.validate("foveated"); err != nil {
		return nil, err
	}
	return &f, nil
}

// exactKeys reads data into v as the contract reads a package's own objects
// (contract.Decode: keys spelled exactly, an unknown one named with the key
// it most likely misspells, values of their field's JSON kind); encoding/json
// alone ignores unknown keys and matches them case-insensitively. Problems
// are named under path.
func exactKeys(data []byte, v any, path string) error {
	_, err := contract.Decode(data, v, contract.Options{})
	var ve *contract.ValidationError
	if !errors.As(err, &ve) {
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		return nil
	}
	for i, p := range ve.Problems {
		if p.Path == "" || p.Path == "package" { // Decode's name for the document itself
			ve.Problems[i].Path = path
		} else {
			ve.Problems[i].Path = path + "." + p.Path
		}
	}
	return ve
}

func finitePos(v float64) bool { return v > 0 && !math.IsInf(v, 0) }

// Validate reports the first bad value, naming its path.
func (c *FieldsConfig) Validate() error {
	bad := func(key, format string, args ...any) error {
		return fmt.Errorf("fields.%s: %s", key, fmt.Sprintf(format, args...))
	}
	switch {
	case c.MaxLevel < 1 || c.MaxLevel > 12:
		return bad("max_level", "must be within [1, 12] (got %d)", c.MaxLevel)
	case c.Bands < 1 || c.Bands&(c.Bands-1) != 0 || c.Bands > 1<<c.MaxLevel:
		return bad("bands", "must be a power of two in [1, 2^max_level] (got %d)", c.Bands)
	case !finitePos(c.DepthM):
		return bad("depth_m", "must be a positive length (got %g)", c.DepthM)
	case !(c.SurfaceZ >= 0 && c.SurfaceZ < c.DepthM):
		return bad("surface_z", "must be within [0, depth_m) (got %g)", c.SurfaceZ)
	case !(c.SubmergedZ >= 0 && c.SubmergedZ < c.DepthM):
		return bad("submerged_z", "must be within [0, depth_m) (got %g)", c.SubmergedZ)
	case math.IsNaN(c.StampLossDB) || math.IsInf(c.StampLossDB, 0):
		return bad("stamp_loss_db", "must be finite")
	case !finitePos(c.ShipRadiusM):
		return bad("ship_radius_m", "must be a positive length (got %g)", c.ShipRadiusM)
	case !finitePos(c.LoudRadiusM):
		return bad("loud_radius_m", "must be a positive length (got %g)", c.LoudRadiusM)
	case !finitePos(c.NoiseTolDB) || c.NoiseTolDB > 50:
		return bad("noise_tol_db", "must be within (0, 50] (got %g)", c.NoiseTolDB)
	case !finitePos(c.SeaStateTol) || c.SeaStateTol > 4:
		return bad("sea_state_tol", "must be within (0, 4] (got %g)", c.SeaStateTol)
	case c.StepEvery < 1 || c.StepEvery > maxStepEvery:
		return bad("step_every", "must be within [1, %d] ticks (got %d)", maxStepEvery, c.StepEvery)
	case !finitePos(c.CurrentCellM):
		return bad("current_cell_m", "must be a positive length (got %g)", c.CurrentCellM)
	}
	if s := c.Storm; s != nil {
		for _, v := range [...]float64{s.Start[0], s.Start[1], s.Velocity[0], s.Velocity[1]} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return bad("storm", "start and velocity must be finite")
			}
		}
		switch {
		case !finitePos(s.RadiusM):
			return bad("storm.radius_m", "must be a positive length (got %g)", s.RadiusM)
		case !(s.SeaState >= 0 && s.SeaState <= 9):
			return bad("storm.sea_state", "must be within [0, 9] (got %g)", s.SeaState)
		case !(s.NoiseDB >= 0 && s.NoiseDB <= 100):
			return bad("storm.noise_db", "must be within [0, 100] (got %g)", s.NoiseDB)
		case !(s.Decay >= 0) || math.IsInf(s.Decay, 0):
			return bad("storm.decay", "must be a finite rate ≥ 0 (got %g)", s.Decay)
		}
	}
	if c.Foveated != nil {
		return c.Foveated.validate("fields.foveated")
	}
	return nil
}

func (f *FoveatedConfig) validate(path string) error {
	switch {
	case f.Field == "":
		return fmt.Errorf("%s.field: must name a field", path)
	case len(f.Shells) == 0 || len(f.Shells) > 16:
		return fmt.Errorf("%s.shells: must hold 1 to 16 radii (got %d)", path, len(f.Shells))
	case f.Sectors < 1 || f.Sectors > 64:
		return fmt.Errorf("%s.sectors: must be within [1, 64] (got %d)", path, f.Sectors)
	}
	prev := 0.0
	for k, r := range f.Shells {
		if !(r > prev) || math.IsInf(r, 0) {
			return fmt.Errorf("%s.shells[%d]: %g must be finite and above %g (radii increase)", path, k, r, prev)
		}
		prev = r
	}
	return nil
}

// fieldState is a World's coupling to its field space.
type fieldState struct {
	cfg   FieldsConfig
	space *morphospace.Space
	reg   *morphospace.Registry
	ox    float64 // map min corner: field x = map x − ox
	oy    float64
	noise morphospace.FieldID
	sea   morphospace.FieldID
	cu    morphospace.FieldID
	cv    morphospace.FieldID
	fov   morphospace.FieldID
	fovSp morphospace.FieldSpec
	fovO  []float64 // foveate scratch
	ambDB float64   // noise default (rules.ambient_noise_db)
	// reads holds the last point reads (at), valid while the space's
	// generation is theirs: between phases sonar, radar and the
	// observation read the same cells at the same points many times.
	reads    [4]fieldRead
	nextRead int
}

// fieldRead is one memoized point read; gen is the space's generation + 1
// (0: empty).
type fieldRead struct {
	id      morphospace.FieldID
	x, y, z float64
	gen     uint64
	v       float64
}

// newFieldState validates the coupling against the package and builds the
// registry: the built-in fields with the noise default set to the rules'
// ambient noise and, with a storm, a sea-state decay.
func newFieldState(cfg *FieldsConfig, pkg *contract.BattlePackage) (*fieldState, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	specs := morphospace.BuiltinFields()
	for i := range specs {
		switch specs[i].Name {
		case morphospace.Noise:
			specs[i].Default = min(max(pkg.Rules.AmbientNoiseDB, specs[i].Min), specs[i].Max)
			specs[i].SplitTol, specs[i].MergeTol = cfg.NoiseTolDB, cfg.NoiseTolDB/4
			// No diffusion: at 50 m²/s noise spreads about 14 m in its
			// decay time (2 s) and 55 m in a 30 s phase, a fraction of a
			// cell (188 m by default), while stepping it costs the face
			// list of every leaf each time a stamp reshapes the tree.
			specs[i].Diffusion = 0
		case morphospace.SeaState:
			specs[i].SplitTol, specs[i].MergeTol = cfg.SeaStateTol, cfg.SeaStateTol/4
			if cfg.Storm != nil {
				specs[i].Decay = cfg.Storm.Decay
			}
		}
	}
	reg := morphospace.NewRegistry()
	for _, s := range specs {
		if _, err := reg.Add(s); err != nil {
			return nil, fmt.Errorf("fields: %v", err)
		}
	}
	f := &fieldState{cfg: *cfg, reg: reg, ox: pkg.Map.Bounds.MinX, oy: pkg.Map.Bounds.MinY}
	if err := f.reset(pkg); err != nil {
		return nil, err
	}
	f.noise, _ = f.space.Field(morphospace.Noise)
	f.sea, _ = f.space.Field(morphospace.SeaState)
	f.cu, _ = f.space.Field(morphospace.CurrentU)
	f.cv, _ = f.space.Field(morphospace.CurrentV)
	f.ambDB = f.space.Spec(f.noise).Default
	if fv := cfg.Foveated; fv != nil {
		id, err := f.space.Field(fv.Field)
		if err != nil {
			return nil, fmt.Errorf("fields.foveated.field: no field %q", fv.Field)
		}
		f.fov, f.fovSp = id, f.space.Spec(id)
		f.fovO = make([]float64, fv.Size())
	}
	return f, nil
}

// reset gives the fields a fresh space, every field at its default: the
// same one reset (keeping its memory) when the geometry is unchanged.
func (f *fieldState) reset(pkg *contract.BattlePackage) error {
	b := &pkg.Map.Bounds
	cfg := morphospace.Config{SizeX: b.MaxX - b.MinX, SizeY: b.MaxY - b.MinY,
		Depth: f.cfg.DepthM, Bands: f.cfg.Bands, MaxLevel: f.cfg.MaxLevel}
	if f.space != nil && f.space.Config() == cfg {
		f.space.Reset()
		f.setSpace(f.space)
		return nil
	}
	s, err := morphospace.New(cfg, f.reg)
	if err != nil {
		return fmt.Errorf("fields: %v", err)
	}
	f.setSpace(s)
	return nil
}

func (f *fieldState) depth(s *Ship) float64 {
	if s.Layer == Submerged && !s.Trans.Active {
		return f.cfg.SubmergedZ
	}
	return f.cfg.SurfaceZ
}

func (f *fieldState) at(id morphospace.FieldID, p r2.Vec, z float64) float64 {
	x, y := p.X-f.ox, p.Y-f.oy
	gen := f.space.Generation() + 1
	for i := range f.reads {
		if r := &f.reads[i]; r.gen == gen && r.id == id && r.x == x && r.y == y && r.z == z {
			return r.v
		}
	}
	v := f.space.At(id, x, y, z)
	f.reads[f.nextRead] = fieldRead{id: id, x: x, y: y, z: z, gen: gen, v: v}
	f.nextRead = (f.nextRead + 1) % len(f.reads)
	return v
}

// setSpace makes s the field space, forgetting the reads of the last one.
func (f *fieldState) setSpace(s *morphospace.Space) {
	f.space = s
	f.reads, f.nextRead = [len(f.reads)]fieldRead{}, 0
}

// stamp writes value into field id with max blending and a smooth
// falloff over a sphere of radius r at depth z around p, refined down to
// cells of about r / stampCellsPerRadius (stampLevel).
func (f *fieldState) stamp(id morphospace.FieldID, p r2.Vec, z, r, value float64) {
	sh := morphospace.SphereShape(morphospace.Vec3{X: p.X - f.ox, Y: p.Y - f.oy, Z: z}, r)
	// The shape is valid by construction (positive radius, finite points);
	// a stamp error can only come from a non-finite position, which the
	// arena never produces.
	_ = f.space.Stamp(id, morphospace.Stamp{Shape: sh, Value: value, Blend: morphospace.Max,
		Falloff: morphospace.Falloff{Kind: morphospace.Smooth, Inner: 0.2}, MaxLevel: f.stampLevel(r), Samples: stampSamples})
}

// stampCellsPerRadius is how finely a stamp refines the fields: down to
// cells no larger than its radius over this (or to max_level).
const stampCellsPerRadius = 2

// stampSamples is the number of sample points per axis that estimate a
// stamp's weight over a partly covered cell (morphospace.Stamp.Samples).
const stampSamples = 2

// stampLevel is the deepest level a stamp of radius r splits to: the first
// whose cells are no larger than r / stampCellsPerRadius, at most max_level.
func (f *fieldState) stampLevel(r float64) int {
	side := max(f.space.Config().SizeX, f.space.Config().SizeY)
	l := 1 // level 0 would mean no limit
	for l < f.cfg.MaxLevel && side/float64(int64(1)<<l) > r/stampCellsPerRadius {
		l++
	}
	return l
}

// stormCentre is the storm's centre at tick t.
func (f *fieldState) stormCentre(t int) r2.Vec {
	s := f.cfg.Storm
	return r2.Vec{X: s.Start[0] + float64(s.Velocity[0]*float64(t)), Y: s.Start[1] + float64(s.Velocity[1]*float64(t))}
}

// Bounds of FieldsConfig.StepEvery.
const (
	defaultStepEvery = 30
	maxStepEvery     = 60
)

// fieldsPhase is the environment phase of a coupled tick (see FieldsConfig):
// on every StepEvery-th tick the field space steps by StepEvery seconds and
// the sources stamp where they are; on the ticks between, the fields hold
// but for loud events, which stamp at once (see stampShip and
// stampTorpedoes).
func (w *World) fieldsPhase() {
	f := w.fields
	k := f.cfg.StepEvery
	if w.Tick%k != 0 {
		// Between phases only loud events stamp, every tick they last: a
		// ping or a layer change, and a torpedo's first tick in the water.
		for i := range w.Ships {
			if s := &w.Ships[i]; s.Alive() && (s.Pinged > 0 || s.Trans.Active) {
				w.stampShip(s)
			}
		}
		w.stampTorpedoes(true)
		return
	}
	_ = f.space.Step(float64(k)) // valid: at most 60 s, a few sub-steps
	depth := f.cfg.DepthM
	if st := f.cfg.Storm; st != nil {
		c := w.stormCentre()
		// A sphere centred mid-column: with a radius much larger than the
		// depth it stirs every band almost equally (and classifies faster
		// than a vertical capsule).
		sh := morphospace.SphereShape(morphospace.Vec3{X: c.X - f.ox, Y: c.Y - f.oy, Z: depth / 2}, st.RadiusM)
		fall := morphospace.Falloff{Kind: morphospace.Smooth, Inner: 0.3}
		lv := f.stampLevel(st.RadiusM)
		_ = f.space.Stamp(f.sea, morphospace.Stamp{Shape: sh, Value: st.SeaState, Blend: morphospace.Max, Falloff: fall, MaxLevel: lv, Samples: stampSamples})
		if st.NoiseDB > 0 {
			_ = f.space.Stamp(f.noise, morphospace.Stamp{Shape: sh, Value: f.ambDB + st.NoiseDB, Blend: morphospace.Max, Falloff: fall, MaxLevel: lv, Samples: stampSamples})
		}
	}
	for i := range w.Ships {
		if s := &w.Ships[i]; s.Alive() {
			w.stampShip(s)
		}
	}
	w.stampTorpedoes(false)
}

// stampTorpedoes stamps every running torpedo's noise, a sphere of
// loud_radius_m at its position (the radius dwarfs its track since the
// last phase, and a sphere classifies far faster than a capsule); with
// launched, only those launched last tick (that have not run yet).
func (w *World) stampTorpedoes(launched bool) {
	f := w.fields
	v := w.rules.TorpedoNoiseDB - f.cfg.StampLossDB
	if v <= f.ambDB {
		return
	}
	for j := range w.projectiles {
		p := &w.projectiles[j]
		if p.Alive && p.Kind == Torpedo && (!launched || p.Run == 0) {
			f.stamp(f.noise, p.Pos, f.cfg.SubmergedZ, f.cfg.LoudRadiusM, v)
		}
	}
}

// stampShip stamps the noise ship s radiates: sourceLevel − stamp_loss_db
// where that exceeds the ambient default, over loud_radius_m while it pings
// or changes layer, else ship_radius_m.
func (w *World) stampShip(s *Ship) {
	f := w.fields
	r := f.cfg.ShipRadiusM
	if s.Trans.Active || s.Pinged > 0 {
		r = f.cfg.LoudRadiusM
	}
	if v := w.sourceLevel(s) - f.cfg.StampLossDB; v > f.ambDB {
		f.stamp(f.noise, s.Kin.Pos, f.depth(s), r, v)
	}
}

// stormCentre is the storm centre this tick.
func (w *World) stormCentre() r2.Vec { return w.fields.stormCentre(w.Tick) }

// fieldNoise reads the noise field at a ship: it implements the ambient
// part of NoiseField for the listener's depth.
func (w *World) fieldNoise(s *Ship) float64 {
	f := w.fields
	return f.at(f.noise, s.Kin.Pos, f.depth(s))
}

// seaStateAt is the sea state at p: the package weather's, raised by the
// sea_state field where coupling is on.
func (w *World) seaStateAt(p r2.Vec) float64 {
	sea := float64(w.env.weather.SeaState)
	if w.fields != nil {
		sea = max(sea, w.fields.at(w.fields.sea, p, w.fields.cfg.SurfaceZ))
	}
	return sea
}

// spaceNoise adapts a field space to NoiseField (surface depth).
type spaceNoise struct{ f *fieldState }

func (n spaceNoise) AmbientDB(p r2.Vec) float64 { return n.f.at(n.f.noise, p, n.f.cfg.SurfaceZ) }

// rasterizeCurrents writes the environment's currents (package currents
// and current zones) into current_u/current_v, in cells of CurrentCellM.
func (w *World) rasterizeCurrents() {
	f := w.fields
	b := &w.Pkg.Map.Bounds
	h := f.cfg.CurrentCellM
	nx := int(math.Ceil((b.MaxX - b.MinX) / h))
	ny := int(math.Ceil((b.MaxY - b.MinY) / h))
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			x0, y0 := float64(i)*h, float64(j)*h
			x1, y1 := min(x0+h, b.MaxX-b.MinX), min(y0+h, b.MaxY-b.MinY)
			c := w.env.analyticCurrent(r2.Vec{X: b.MinX + (x0+x1)/2, Y: b.MinY + (y0+y1)/2})
			box := morphospace.BoxShape(morphospace.Box{Min: morphospace.Vec3{X: x0, Y: y0}, Max: morphospace.Vec3{X: x1, Y: y1, Z: f.cfg.DepthM}})
			for _, fc := range [...]struct {
				id morphospace.FieldID
				v  float64
			}{{f.cu, c.X}, {f.cv, c.Y}} {
				if fc.v != 0 {
					_ = f.space.Stamp(fc.id, morphospace.Stamp{Shape: box, Value: fc.v, Blend: morphospace.Set})
				}
			}
		}
	}
}

// fieldCurrent reads the current fields at p.
func (f *fieldState) current(p r2.Vec) r2.Vec {
	return r2.Vec{X: f.at(f.cu, p, f.cfg.SurfaceZ), Y: f.at(f.cv, p, f.cfg.SurfaceZ)}
}

// observeFovea writes the foveated block for s into o.
func (w *World) observeFovea(s *Ship, o []float32) {
	f := w.fields
	fv := f.cfg.Foveated
	p := s.Kin.Pos
	if err := f.space.FoveateSampled(f.fov, p.X-f.ox, p.Y-f.oy, f.depth(s), s.Kin.Heading, fv.Shells, fv.Sectors, f.fovO); err != nil {
		clear(o)
		return
	}
	scale := 1 / (f.fovSp.Max - f.fovSp.Min)
	for k, v := range f.fovO {
		o[k] = sym((v - f.fovSp.Default) * scale)
	}
}
