package arena

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/tidebreak/tidebreak/go/core/jsontree"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// notState lists the struct fields that are deliberately not in the state
// list, each with the reason. A field added to World, Ship or the structs
// they hold must go into the list (statelist.go: hashed and saved, or
// saved, or static) or here; TestStateListCoversStructs fails otherwise.
var notState = map[string]string{
	"World.Pkg":        "the package: fixed at New (battle_id is checked as a static field)",
	"World.Opts":       "options: fixed at New",
	"World.MaxTicks":   "from the package",
	"World.Substeps":   "from the package",
	"World.DT":         "from the package",
	"World.Teams":      "from the package",
	"World.Agents":     "from the package",
	"World.obstacles":  "from the package",
	"World.rules":      "from the package",
	"World.noise":      "the noise model: from the package and the coupling",
	"World.maxRadius":  "from the package",
	"World.cmds":       "this tick's commands (scratch)",
	"World.teacher":    "this tick's teacher commands (scratch, from Options)",
	"World.rewards":    "this tick's rewards, cleared by Load",
	"World.events":     "this tick's events, cleared by Load",
	"World.grid":       "spatial index: rebuilt by Load",
	"World.orders":     "this tick's fire orders (scratch)",
	"World.starts":     "spawn points: follow from the seed (startConditions, rerun by Load)",
	"World.playIdx":    "playback of a recorded log (Options.Playback): not part of a live state",
	"World.playCur":    "playback of a recorded log (Options.Playback): not part of a live state",
	"World.playShip":   "playback of a recorded log (Options.Playback): not part of a live state",
	"World.targets":    "sensing scratch",
	"World.lossTab":    "sensing scratch: per-pair transmission loss of the current sensor phase",
	"World.lossGen":    "sensing scratch: the sensor phase lossTab's entries belong to",
	"World.travel":     "substeps scratch",
	"World.trail":      "substeps scratch",
	"World.glides":     "substeps scratch",
	"World.touched":    "substeps scratch",
	"World.anyTouched": "substeps scratch",
	"World.touchCount": "a count for tests",
	"World.gliding":    "substeps scratch",
	"World.gridStale":  "substeps scratch",
	"World.flight":     "substeps scratch",
	"World.stepwise":   "substeps scratch",
	"World.once":       "substeps scratch",
	"World.shellNear":  "substeps scratch",
	"World.members":    "substeps scratch",
	"World.membersOK":  "substeps scratch",
	"World.membersAt":  "substeps scratch",
	"World.departures": "substeps scratch: a count that only grows",
	"World.byX":        "substeps scratch: ship order kept from tick to tick",
	"World.xSorted":    "substeps scratch",
	"World.xs":         "substeps scratch",
	"World.setup":      "sensing scratch",
	"World.plans":      "sensor plans: follow from the package and the weather (planSensors, rerun by Load)",
	"World.calmNoise":  "follows from the package and the weather (planSensors, rerun by Load)",
	"World.pairs":      "sensing scratch",
	"World.memo":       "controller-phase scratch (contact)",
	"World.substep":    "substeps scratch",
	"World.lockstep":   "test switch",

	"World.shipTr":      "the track tables, kept shared (tracks.go): the list visits each ship's full table (stateTracks), Load rebuilds them (loadTracks)",
	"World.lastThreat":  "sensing scratch: each ship's Threat of the tick before, copied from the ships at the start of the sensor phase",
	"World.teamTr":      "the track tables, kept shared (tracks.go): the list visits each ship's full table (stateTracks), Load rebuilds them (loadTracks)",
	"World.stateTabs":   "the full track tables while the list is walked (stateTracks)",
	"World.slotScratch": "the track slot the hash is writing",
	"World.sgrid":       "sensor-phase spatial index: rebuilt every tick",
	"World.tgrid":       "track-index cell geometry: from the package",
	"World.maxEmit":     "sensing scratch",
	"World.near":        "sensing scratch",
	"World.nearBits":    "sensing scratch",
	"World.active":      "sensing scratch",
	"World.kinds":       "sensor kinds: from the package",
	"World.maxTravel":   "substeps scratch",
	"World.bruteForce":  "test switch",
	"World.indexTorps":  "test switch",
	"World.torps":       "sensing scratch: the torpedoes in the water",
	"World.torpTeams":   "sensing scratch",
	"World.torpKeys":    "sensing scratch",
	"World.nearTorps":   "sensing scratch",
	"World.knnD":        "observation scratch",
	"World.knnJ":        "observation scratch",
	"World.running":     "torpedo counts per ship: derived from the projectiles (liveTorpedoes)",
	"World.runningGen":  "torpedo counts per ship: derived from the projectiles (liveTorpedoes)",
	"World.projGen":     "torpedo counts per ship: derived from the projectiles (liveTorpedoes)",
	"World.freeFrom":    "launch scratch (addProjectile, reset by resolveFire)",

	"environment.weather":  "follows from the seed (startConditions, rerun by Load)",
	"environment.bounds":   "from the package",
	"environment.currents": "from the package",
	"environment.zones":    "from the package",
	"environment.terrain":  "from the package",
	"environment.deflt":    "from the package",
	"environment.fld":      "the same field state as World.fields",

	"fieldState.cfg":      "coupling options: fixed at New",
	"fieldState.reg":      "field registry: from the options",
	"fieldState.ox":       "from the package",
	"fieldState.oy":       "from the package",
	"fieldState.noise":    "field id: from the registry",
	"fieldState.sea":      "field id: from the registry",
	"fieldState.cu":       "field id: from the registry",
	"fieldState.cv":       "field id: from the registry",
	"fieldState.fov":      "field id: from the registry",
	"fieldState.fovSp":    "foveation field spec: from the options",
	"fieldState.fovO":     "foveation scratch",
	"fieldState.ambDB":    "from the package",
	"fieldState.reads":    "memo of point reads, keyed by the space's generation",
	"fieldState.nextRead": "memo of point reads: the slot to fill next",

	"Ship.Spec":          "the ship's package entry",
	"Ship.Tick":          "per-tick bookkeeping, cleared at the start of every tick before it is read",
	"Kinematics.dir":     "direction cache: recomputed from Heading (Load clears it)",
	"Kinematics.dirOf":   "direction cache: recomputed from Heading (Load clears it)",
	"Kinematics.dirOK":   "direction cache: recomputed from Heading (Load clears it)",
	"Kinematics.rotated": "direction cache: cleared at the end of every tick",
	"Kinematics.rotOf":   "turn cache: recomputed on demand (Load clears it)",
	"Kinematics.rotSin":  "turn cache: recomputed on demand (Load clears it)",
	"Kinematics.rotCos":  "turn cache: recomputed on demand (Load clears it)",
	"Kinematics.rotOK":   "turn cache: recomputed on demand (Load clears it)",
	"Mount.Spec":         "the weapon's package entry",

	"Projectile.Speed":  "from the owner's weapon of its kind (projectileSpec, run by Load)",
	"Projectile.Damage": "from the owner's weapon of its kind (projectileSpec, run by Load)",
	"Projectile.Blast":  "from the owner's weapon of its kind (projectileSpec, run by Load)",
	"Projectile.Homing": "from the owner's weapon of its kind (projectileSpec, run by Load)",
	"Projectile.Dir":    "from Heading (projectileSpec, run by Load)",
}

// inventory records the address and flags of every field the state list
// visits.
type inventory struct {
	seen   map[uintptr]bool
	visits []visit
}

type visit struct {
	name  string
	flags fieldFlags
}

func (v *inventory) note(p unsafe.Pointer, name string, f fieldFlags) {
	v.seen[uintptr(p)] = true
	v.visits = append(v.visits, visit{name, f})
}

func (v *inventory) hashing() bool                { return false }
func (v *inventory) open(string)                  {}
func (v *inventory) close()                       {}
func (v *inventory) array(string, int)            {}
func (v *inventory) slice(_ string, n, _ int) int { return n }
func (v *inventory) end()                         {}
func (v *inventory) derived(string, *World)       {}
func (v *inventory) int(n string, p *int, f fieldFlags, _, _ int) {
	v.note(unsafe.Pointer(p), n, f)
}
func (v *inventory) int8(n string, p *int8, f fieldFlags, _, _ int) {
	v.note(unsafe.Pointer(p), n, f)
}
func (v *inventory) uint8(n string, p *uint8, f fieldFlags, _, _ int) {
	v.note(unsafe.Pointer(p), n, f)
}
func (v *inventory) uint32(n string, p *uint32, f fieldFlags, _, _ int) {
	v.note(unsafe.Pointer(p), n, f)
}
func (v *inventory) uint64(n string, p *uint64, f fieldFlags) { v.note(unsafe.Pointer(p), n, f) }
func (v *inventory) float(n string, p *float64, f fieldFlags, _, _ float64) {
	v.note(unsafe.Pointer(p), n, f)
}
func (v *inventory) bool(n string, p *bool, f fieldFlags)     { v.note(unsafe.Pointer(p), n, f) }
func (v *inventory) string(n string, p *string, f fieldFlags) { v.note(unsafe.Pointer(p), n, f) }
func (v *inventory) stream(n string, p *rng.Stream, f fieldFlags) {
	for k := range p.S {
		v.note(unsafe.Pointer(&p.S[k]), n, f)
	}
}
func (v *inventory) space(n string, fs *fieldState) {
	if fs != nil {
		v.note(unsafe.Pointer(&fs.space), n, hashed|saved)
	}
}

// busyWorld returns a coupled, logging fleet battle with projectiles in
// flight, so that every slice of the state has an element to inspect.
func busyWorld(t *testing.T) *World {
	t.Helper()
	cfg := DefaultFieldsConfig()
	w, err := New(loadScenario(t, "fleet_4v4"), Options{RecordLog: true, Fields: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 600 && !w.done; k++ {
		w.step(nil)
		if len(w.projectiles) > 0 && w.projectiles[0].Alive && len(w.log) > 0 {
			return w
		}
	}
	t.Fatal("fleet_4v4 fired nothing in 600 ticks")
	return nil
}

// TestStateListCoversStructs walks every field of a World (and of the
// structs and slices it holds) by reflection: each must be visited by the
// state list or named in notState, and every notState entry must still
// name a field.
func TestStateListCoversStructs(t *testing.T) {
	w := busyWorld(t)
	inv := &inventory{seen: map[uintptr]bool{}}
	w.walkState(&stateWalker{v: inv})
	used := map[string]bool{}
	var missing []string
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		if v.CanAddr() {
			if _, ok := inv.seen[v.Addr().Pointer()]; ok && v.Kind() != reflect.Struct && v.Kind() != reflect.Array {
				return
			}
		}
		switch v.Kind() {
		case reflect.Struct:
			typ := v.Type()
			for i := range typ.NumField() {
				f := typ.Field(i)
				key := typ.Name() + "." + f.Name
				if _, ok := notState[key]; ok {
					used[key] = true
					continue
				}
				walk(v.Field(i), path+"."+f.Name)
			}
		case reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Slice:
			if v.Len() == 0 {
				missing = append(missing, path+" (empty in the test world: cannot check its elements)")
				return
			}
			walk(v.Index(0), path+"[0]")
		case reflect.Pointer:
			if v.IsNil() {
				missing = append(missing, path+" (nil in the test world)")
				return
			}
			walk(v.Elem(), path)
		default:
			missing = append(missing, fmt.Sprintf("%s (%v)", path, v.Type()))
		}
	}
	walk(reflect.ValueOf(w).Elem(), "World")
	if len(missing) > 0 {
		t.Errorf("fields in neither the state list (statelist.go) nor notState:\n\t%s", strings.Join(missing, "\n\t"))
	}
	var stale []string
	for key := range notState {
		if !used[key] {
			stale = append(stale, key)
		}
	}
	slices.Sort(stale)
	if len(stale) > 0 {
		t.Errorf("notState names fields that no longer exist: %v", stale)
	}
}

// TestStateListFlags checks what the flags promise: a hashed field that is
// not saved must be one Load recomputes (the phases of the currents, a
// projectile's slot index), and nothing is both saved and static.
func TestStateListFlags(t *testing.T) {
	w := busyWorld(t)
	inv := &inventory{seen: map[uintptr]bool{}}
	w.walkState(&stateWalker{v: inv})
	var hashOnly []string
	for _, v := range inv.visits {
		switch f := v.flags; {
		case f&saved != 0 && f&static != 0:
			t.Errorf("%s is both saved and static", v.name)
		case f&hashed != 0 && f&(saved|static) == 0:
			hashOnly = append(hashOnly, v.name)
		case f == 0:
			t.Errorf("%s has no flags", v.name)
		}
	}
	for _, name := range hashOnly {
		if name != "" {
			t.Errorf("%s is hashed but neither saved nor static", name)
		}
	}
	// The unnamed hashed-only fields: the two phases and, per live
	// projectile, its slot.
	if live := countLive(w); len(hashOnly) != 2+live {
		t.Errorf("%d unnamed hash-only fields, want 2 phases + %d projectile slots", len(hashOnly), live)
	}
}

func countLive(w *World) int {
	n := 0
	for i := range w.projectiles {
		if w.projectiles[i].Alive {
			n++
		}
	}
	return n
}

// TestSaveLoadRestoresEverything loads a busy coupled battle into a fresh
// World and compares the two field by field (reflect.DeepEqual), caches
// aside, then steps both and compares hashes every tick.
func TestSaveLoadRestoresEverything(t *testing.T) {
	w := busyWorld(t)
	data, err := w.Save()
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultFieldsConfig()
	c, err := New(loadScenario(t, "fleet_4v4"), Options{RecordLog: true, Fields: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Load(data); err != nil {
		t.Fatal(err)
	}
	for i := range w.Ships {
		a, b := w.Ships[i], c.Ships[i]
		a.Kin = Kinematics{Pos: a.Kin.Pos, Heading: a.Kin.Heading, Speed: a.Kin.Speed}
		a.Tick = TickStats{}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("ship %d differs after Load:\n%+v\n%+v", i, a, b)
		}
	}
	if !reflect.DeepEqual(w.projectiles, c.projectiles) {
		t.Errorf("projectiles differ after Load:\n%+v\n%+v", w.projectiles, c.projectiles)
	}
	if !reflect.DeepEqual(w.log, c.log) || !reflect.DeepEqual(w.tickHashes, c.tickHashes) || w.initHash != c.initHash {
		t.Error("log, tick hashes or initial hash differ after Load")
	}
	if w.env.phase != c.env.phase || w.env.weather != c.env.weather || !reflect.DeepEqual(w.starts, c.starts) {
		t.Error("environment differs after Load")
	}
	for k := 0; k < 200 && !w.done; k++ {
		w.step(nil)
		c.step(nil)
		if w.Hash() != c.Hash() {
			t.Fatalf("tick %d: the loaded world diverged", w.Tick)
		}
	}
}

// TestFloatLiterals pins how Save writes floats: as Python's repr does.
func TestFloatLiterals(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{120, "120.0"}, {math.Copysign(0, -1), "-0.0"}, {0, "0.0"}, {0.1, "0.1"}, {1e-4, "0.0001"},
		{9.99e-5, "9.99e-05"}, {1e16, "1e+16"}, {9999999999999998, "9999999999999998.0"},
		{123456789.123, "123456789.123"}, {5e-324, "5e-324"}, {math.MaxFloat64, "1.7976931348623157e+308"},
		{-2.5, "-2.5"},
	} {
		e := encodeVisitor{first: []bool{true}}
		x := tc.x
		e.float("", &x, saved, 0, 0)
		if got := string(e.buf); got != tc.want {
			t.Errorf("%v is written %s, want %s", tc.x, got, tc.want)
		}
	}
}

// TestMaxStateValuesBoundsRealStates: the bound Load parses under holds
// every state the World can save, from the start to the end of a battle.
func TestMaxStateValuesBoundsRealStates(t *testing.T) {
	w := busyWorld(t)
	limit := w.MaxStateValues()
	for !w.done {
		data, err := w.Save()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := jsontree.Parse(data, jsontree.Limits{MaxValues: limit}); err != nil {
			t.Fatalf("tick %d: %v (limit %d)", w.Tick, err, limit)
		}
		for range 50 {
			if !w.done {
				w.step(nil)
			}
		}
	}
}

// TestSaveAfterLoadIsTheLoadedState loads a state into a World standing
// elsewhere in the battle: saving it again gives back the very bytes loaded
// (nothing of the World's earlier state, or of a walk's scratch, leaks in).
func TestSaveAfterLoadIsTheLoadedState(t *testing.T) {
	a := busyWorld(t)
	state, err := a.Save()
	if err != nil {
		t.Fatal(err)
	}
	b := busyWorld(t)
	for range 40 {
		b.step(nil)
	}
	if err := b.Load(state); err != nil {
		t.Fatal(err)
	}
	again, err := b.Save()
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(state) {
		t.Fatal("Save after Load differs from the state loaded")
	}
	if b.Hash() != a.Hash() {
		t.Fatal("the loaded World hashes differently")
	}
}
