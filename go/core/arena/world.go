// Package arena is Tidebreak's combat arena: a deterministic simulation of
// ships in depth layers under throttle and rudder, stepped one 1 s tactical
// tick at a time with fixed substeps.
//
// A World is built from a validated contract.BattlePackage. Each Step runs
// the tick phases in a fixed order (docs/architecture.md): environment → controllers
// (plugins emit Commands, never touching state) → resolution (commands
// applied in ascending source id) → movement and transitions, substep by
// substep, with walls and obstacles → termination → telemetry (rewards,
// action log, state hash). Controllers marked "agent" take their commands
// from the action slice passed to Step.
//
// Everything that varies between runs comes from the seed through the rng
// package's derived streams, and all transcendental math goes through dmath,
// so a World is reproducible bit for bit.
package arena

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
	"github.com/tidebreak/tidebreak/go/core/geom"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// Options adjusts how a World runs; the zero value is valid.
type Options struct {
	// RecordLog keeps the action log and per-tick hashes that Result
	// reports (simulate needs them; RL envs usually do not).
	RecordLog bool
	// MaxTracks is K, the number of track slots in an observation
	// (DefaultMaxTracks when 0, at most MaxTracksLimit).
	MaxTracks int
	// Playback, when set, replaces every ship's command with the logged
	// one (controllers still run, so their internal state advances as in
	// the recorded battle). See CheckLog.
	Playback []contract.ActionRecord
	// Fields couples the arena to MorphoSpace fields (noise, sea state,
	// currents, foveated observations); nil leaves it uncoupled. See
	// FieldsConfig and docs/morphospace.md.
	Fields *FieldsConfig
	// Teacher, when set (aggressive, stalker or expert), also runs that
	// scripted controller for every agent ship each tick and keeps the
	// command it would have given (TeacherActions), for imitation losses
	// in training. The agent's own action is what the ship does; only the
	// agent ship's controller memory, which nothing else reads, follows
	// the teacher. ControllerIdle (the zero value) means none.
	Teacher ControllerKind
}

// Team is one side of the battle.
type Team struct {
	ID    string
	Ships []int // indices into World.Ships
}

// World is one battle in progress.
type World struct {
	Pkg      *contract.BattlePackage
	Opts     Options
	Seed     uint64
	Tick     int
	MaxTicks int
	Substeps int
	DT       float64
	Ships    []Ship
	Teams    []Team
	// Agents lists the indices of ships whose controller is "agent".
	Agents []int

	env       environment
	obstacles []obstacle
	cmds      []Command
	teacher   []float32 // len(Agents) × ActionSize: Opts.Teacher's commands this tick
	rewards   []float32 // len(Agents) × NumRewardTerms, this tick
	done      bool
	truncated bool
	winner    int // team index, -1 for none

	counters  counters
	events    []Event
	rules     *contract.Rules
	noise     NoiseField
	fields    *fieldState // nil when uncoupled
	grid      grid
	maxRadius float64
	// Track tables (tracks.go) and the sensor phase's index (index.go).
	shipTr      []shipTracks
	lastThreat  []Threat // each ship's Threat of the tick before, during sensing
	teamTr      []teamTracks
	stateTabs   [][]Track // full track tables during a walk of the state list (stateTracks)
	slotScratch Track     // the slot the hash is writing
	sgrid       grid
	maxEmit     float64     // longest radar-emission range this tick
	near        []candidate // nearShips scratch
	nearBits    []uint64    // nearShips scratch: one bit per ship
	active      []candidate // active ships this tick, in index order (prepareSensing)
	bruteForce  bool        // tests: no spatial index anywhere
	// Projectile bookkeeping (derived from w.projectiles): torpedoes in the
	// water per ship, and where addProjectile looks for a free slot.
	running    []int32 // torpedoes that may still hit, per ship (liveTorpedoes)
	runningGen uint64  // projGen when running was counted
	projGen    uint64  // counts launches, sinkings and seeker changes
	freeFrom   int
	// The sensor phase's torpedo list (index.go).
	torps       []int32 // torpedoes in the water, by projectile index
	torpTeams   uint64  // bit per team (63: that and above) that has one
	torpKeys    []int64 // (cell, index) of each, sorted, when there are many
	nearTorps   []int32 // nearTorpedoes scratch
	indexTorps  int     // torpedoes from which they are indexed (indexTorps)
	tgrid       grid    // cells of the track index (geometry only)
	knnD        []float64
	knnJ        []int32 // nearestTracksIndexed scratch
	orders      []fireOrder
	projectiles []Projectile
	starts      [][3]float64 // per-ship start (x, y, heading) of this episode
	playIdx     int
	targets     []senseTarget // per ship, this tick (sensing scratch)
	lossTab     []pairLoss    // per pair of ships i < j (battles of up to indexShips ships): sensing scratch
	lossGen     uint32        // the sensor phase whose entries of lossTab are current
	travel      []float64     // per ship, this tick (substeps scratch)
	maxTravel   float64       // the largest travel of an active ship
	trail       []r2.Vec      // per substep and ship, this tick (substeps scratch)
	glides      []glideStart  // per ship, this tick (substeps scratch)
	touched     []bool        // per ship: moves substep by substep from now on (touch)
	anyTouched  bool
	touchCount  int      // ships touched while gliding, all told (tests)
	gliding     bool     // the ships follow their trails (substeps, touch)
	gridStale   bool     // grid is behind the ships (shipGrid)
	flight      []flight // per projectile, this tick: how it takes the substeps (apart)
	stepwise    []int32  // the projectiles that take this tick's substeps one by one (apart)
	once        []int32  // the projectiles that take them all at once (apart)
	shellNear   []uint64 // per projectile, this tick: the ships a shell may hit (apart)
	members     uint64   // the ships the collision grid indexes this substep (shipGrid)
	membersOK   bool
	membersAt   int            // departures when members was fixed
	departures  int            // ships put out of action, all told (outOfAction)
	byX         []int32        // active ships' indices sorted by (x, index) (apart's touchingPair)
	xs          []float64      // the x of each ship in byX, when sorted (xSorted)
	xSorted     bool           // byX is sorted by the ships' x now (touchingPair, this tick's apart)
	setup       sensorSetup    // senseShip scratch (setupSensors)
	plans       []sensorPlan   // per ship, for the weather (planSensors); nil where ranges vary by place
	calmNoise   float64        // the sea's noise, uncoupled (planSensors)
	pairs       []sensePair    // senseShip scratch
	memo        slotMemo       // the controllers' last slot (contact)
	kinds       [][]SensorKind // per ship, the kind of each sensor
	substep     int
	lockstep    bool // tests: never take substeps' one-ship-at-a-time path
	playCur     [][ActionSize]float64
	playShip    []int // ship index of each playback record
	log         []contract.ActionRecord
	lastAction  [][ActionSize]float64
	tickHashes  []uint64
	initHash    uint64
	traceSeq    uint64
}

type counters struct {
	transitions int
	collisions  int
}

type obstacle struct {
	shape     geom.Shape
	solid     bool
	intensity float64
}

// New builds a World from a validated package and resets it with the
// package's seed.
func New(pkg *contract.BattlePackage, opts Options) (*World, error) {
	if opts.MaxTracks == 0 {
		opts.MaxTracks = DefaultMaxTracks
	}
	if opts.MaxTracks < 0 || opts.MaxTracks > MaxTracksLimit {
		return nil, fmt.Errorf("arena: max_tracks must be within [1, %d] (got %d)", MaxTracksLimit, opts.MaxTracks)
	}
	w := &World{Pkg: pkg, Opts: opts}
	w.Substeps = int(math.Round(1 / pkg.TimeStepS))
	w.DT = 1 / float64(w.Substeps)
	w.MaxTicks = int(math.Ceil(pkg.TimeLimitS))
	teamIndex := map[string]int{}
	for i, t := range pkg.Teams {
		teamIndex[t.TeamID] = i
		w.Teams = append(w.Teams, Team{ID: t.TeamID})
	}
	w.Ships = make([]Ship, len(pkg.Ships))
	for i := range pkg.Ships {
		spec := &pkg.Ships[i]
		kind, err := parseController(spec.Controller)
		if err != nil {
			return nil, fmt.Errorf("ships[%d].controller: %w", i, err)
		}
		if kind == ControllerAgent {
			w.Agents = append(w.Agents, i)
		}
		t := teamIndex[spec.TeamID]
		w.Teams[t].Ships = append(w.Teams[t].Ships, i)
		w.Ships[i] = Ship{ID: EntityID(i + 1), Spec: spec, Team: t}
		w.Ships[i].Control.Kind = kind
	}
	for _, o := range pkg.Map.Obstacles {
		w.obstacles = append(w.obstacles, obstacle{
			shape: shapeOf(o.Shape, o.Position), solid: o.Material == contract.MaterialSolid,
			intensity: o.Intensity})
	}
	w.env = newEnvironment(&pkg.Map)
	w.starts = make([][3]float64, len(pkg.Ships))
	w.rules = &pkg.Rules
	w.noise = constantNoise(pkg.Rules.AmbientNoiseDB)
	if opts.Fields != nil {
		f, err := newFieldState(opts.Fields, pkg)
		if err != nil {
			return nil, err
		}
		w.fields = f
		w.noise = spaceNoise{f}
		if f.cfg.CurrentsFromField {
			w.env.fld = f
		}
	}
	for i := range pkg.Ships {
		w.maxRadius = max(w.maxRadius, pkg.Ships[i].Hull.Radius)
	}
	b := &pkg.Map.Bounds
	w.grid = newGrid(b.MinX, b.MinY, b.MaxX, b.MaxY, max(250, 4*w.maxRadius))
	reach := 0.0
	for i := range pkg.Ships {
		for _, sn := range pkg.Ships[i].Sensors {
			reach = max(reach, sn.Range)
			if sn.Type == contract.SensorRadar {
				reach = max(reach, float64(pkg.Rules.RadarEmissionFactor*sn.Range))
			}
		}
	}
	w.sgrid = newGrid(b.MinX, b.MinY, b.MaxX, b.MaxY, senseCell(reach))
	w.nearBits = make([]uint64, (len(pkg.Ships)+63)/64)
	w.active = make([]candidate, 0, len(pkg.Ships))
	w.tgrid = newGrid(b.MinX, b.MinY, b.MaxX, b.MaxY, trackCell(b, len(pkg.Ships)))
	w.orders = make([]fireOrder, 0, len(w.Ships)*int(numWeaponKinds))
	w.targets = make([]senseTarget, len(w.Ships))
	if len(w.Ships) <= indexShips {
		w.lossTab = make([]pairLoss, len(w.Ships)*len(w.Ships))
	}
	w.travel = make([]float64, len(w.Ships))
	w.trail = make([]r2.Vec, w.Substeps*len(w.Ships))
	w.glides = make([]glideStart, len(w.Ships))
	w.touched = make([]bool, len(w.Ships))
	maxSensors := 0
	for i := range pkg.Ships {
		maxSensors = max(maxSensors, len(pkg.Ships[i].Sensors))
	}
	w.setup = sensorSetup{reach: make([]float64, maxSensors), act: make([]activeSensor, 0, maxSensors)}
	w.pairs = make([]sensePair, 0, len(w.Ships))
	w.kinds = make([][]SensorKind, len(pkg.Ships))
	for i := range pkg.Ships {
		for _, sn := range pkg.Ships[i].Sensors {
			w.kinds[i] = append(w.kinds[i], sensorKind(sn.Type))
		}
	}
	w.projectiles = make([]Projectile, 0, 4*len(w.Ships)+16)
	w.knnD, w.knnJ = make([]float64, 0, opts.MaxTracks), make([]int32, opts.MaxTracks)
	w.running = make([]int32, len(w.Ships))
	w.indexTorps = indexTorps
	for i := range w.Ships {
		w.Ships[i].Mounts = make([]Mount, len(pkg.Ships[i].Weapons))
	}
	w.newTrackState()
	w.cmds = make([]Command, len(w.Ships))
	if opts.Teacher != ControllerIdle {
		w.teacher = make([]float32, len(w.Agents)*ActionSize)
	}
	w.rewards = make([]float32, len(w.Agents)*NumRewardTerms)
	w.lastAction = make([][ActionSize]float64, len(w.Ships))
	if opts.RecordLog {
		w.tickHashes = make([]uint64, 0, w.MaxTicks)
	}
	if opts.Playback != nil {
		ships, err := CheckLog(pkg, opts.Playback)
		if err != nil {
			return nil, err
		}
		w.playShip = ships
		w.playCur = make([][ActionSize]float64, len(w.Ships))
	}
	w.Reset(pkg.Seed)
	return w, nil
}

// CheckLog validates an action log against a package: known ship ids,
// ticks in order and within the time limit, and finite actions in [-1, 1].
// It returns each record's ship index.
func CheckLog(pkg *contract.BattlePackage, log []contract.ActionRecord) ([]int, error) {
	index := make(map[string]int, len(pkg.Ships))
	for i := range pkg.Ships {
		index[pkg.Ships[i].ShipID] = i
	}
	ships := make([]int, len(log))
	last := 0
	for k, r := range log {
		i, ok := index[r.ShipID]
		switch {
		case !ok:
			return nil, fmt.Errorf("action_log[%d].ship_id: no ship %q in the package", k, r.ShipID)
		case r.Tick < last:
			return nil, fmt.Errorf("action_log[%d].tick: %d comes after tick %d; records must be in tick order", k, r.Tick, last)
		case float64(r.Tick) >= pkg.TimeLimitS:
			return nil, fmt.Errorf("action_log[%d].tick: %d is beyond the time limit", k, r.Tick)
		}
		for a, v := range r.Action {
			if v != v || v < -1 || v > 1 {
				return nil, fmt.Errorf("action_log[%d].action[%d]: %v is not within [-1, 1]", k, a, v)
			}
		}
		ships[k], last = i, r.Tick
	}
	return ships, nil
}

func shapeOf(s contract.Shape, pos contract.Vec2) geom.Shape {
	origin := r2.Vec{X: pos[0], Y: pos[1]}
	if s.Kind == contract.ShapeCircle {
		return geom.Circle(origin, s.Radius)
	}
	vs := make([]r2.Vec, len(s.Vertices))
	for i, v := range s.Vertices {
		vs[i] = r2.Vec{X: v[0], Y: v[1]}
	}
	return geom.Polygon(origin, vs)
}

// Stream purposes; each derives its own stream from the battle seed.
var (
	purposeController = rng.Label("controller")
	purposeCurrents   = rng.Label("currents")
	purposeSensor     = rng.Label("sensor")
	purposeDamage     = rng.Label("damage")
)

var classIndex = map[string]int8{contract.ClassS: 0, contract.ClassM: 1, contract.ClassL: 2, contract.ClassXL: 3}

// Reset returns the World to the package's initial state with a new seed.
func (w *World) Reset(seed uint64) {
	w.Seed = seed
	w.Tick = 0
	w.done, w.truncated, w.winner = false, false, -1
	w.counters = counters{}
	w.log = w.log[:0]
	w.tickHashes = w.tickHashes[:0]
	w.traceSeq = 0
	w.events = w.events[:0]
	w.env.reset(rng.Derive(seed, purposeCurrents))
	w.setWeather(w.startConditions(seed))
	w.resetFields()
	for i := range w.Ships {
		s := &w.Ships[i]
		spec := s.Spec
		st := spec.InitialState
		hp := spec.Hull.HP
		if st.HP != nil {
			hp = *st.HP
		}
		layer := Surface
		if st.Layer == contract.LayerSubmerged {
			layer = Submerged
		}
		kind := s.Control.Kind
		mounts := s.Mounts
		id := uint64(s.ID)
		*s = Ship{
			ID: s.ID, Spec: spec, Team: s.Team,
			Kin: Kinematics{Pos: r2.Vec{X: w.starts[i][0], Y: w.starts[i][1]},
				Heading: dmath.WrapAngle(w.starts[i][2]), Speed: st.Speed},
			Layer:   layer,
			Health:  Health{HP: hp, MaxHP: spec.Hull.HP},
			Morale:  spec.Crew.Morale,
			Class:   classIndex[spec.Class],
			Mounts:  mounts,
			Sensor:  rng.New(rng.Derive(seed, purposeSensor, id)),
			Damage:  rng.New(rng.Derive(seed, purposeDamage, id)),
			Contact: -1,
		}
		s.Control = newControlState(kind, rng.New(rng.Derive(seed, purposeController, id)))
		s.Mount = [numWeaponKinds]int8{-1, -1, -1}
		for m := range s.Mounts {
			ws := &spec.Weapons[m]
			k := weaponKind(ws.Type)
			ammo := ws.Ammo
			if n, ok := st.Ammo[ws.Slot]; ok {
				ammo = n
			}
			s.Mounts[m] = Mount{Kind: k, Spec: ws, Ammo: ammo, AmmoStart: ammo, Reload: reloadFor(ws, spec.Crew.Gunnery)}
			if s.Mount[k] < 0 {
				s.Mount[k] = int8(m)
			}
		}
		w.lastAction[i] = [ActionSize]float64{}
	}
	w.resetTracks()
	w.projectiles = w.projectiles[:0]
	w.countRunning()
	w.playIdx = 0
	clear(w.playCur)
	w.grid.items = w.grid.items[:0]
	w.grid.build(w.Ships)
	clear(w.rewards)
	w.initHash = w.Hash()
}

// Done reports whether the battle has ended, and whether it ended by the
// time limit (truncated) rather than by a decision.
func (w *World) Done() (done, truncated bool) { return w.done, w.truncated }

// Winner returns the winning team's index, or -1 for none (yet).
func (w *World) Winner() int { return w.winner }

// Rewards returns this tick's reward terms, NumRewardTerms per agent in
// agent order. The slice is reused by the next Step.
func (w *World) Rewards() []float32 { return w.rewards }

func weaponKind(typ string) WeaponKind {
	switch typ {
	case contract.WeaponTorpedo:
		return Torpedo
	case contract.WeaponASW:
		return ASW
	}
	return Gun
}

// resetFields gives a coupled World a fresh field space, with the
// package currents rasterized into it when currents come from the fields.
func (w *World) resetFields() {
	if w.fields == nil {
		return
	}
	_ = w.fields.reset(w.Pkg) // the geometry was validated by New
	if w.fields.cfg.CurrentsFromField {
		w.rasterizeCurrents()
	}
}

func (w *World) nextTrace() uint64 {
	w.traceSeq++
	return w.traceSeq
}
