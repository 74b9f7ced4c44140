package arena

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// allAgents makes every ship of p an agent.
func allAgents(p *contract.BattlePackage) *contract.BattlePackage {
	for i := range p.Ships {
		p.Ships[i].Controller = "agent"
	}
	return p
}

// playRandom steps w for ticks ticks under seeded random actions and calls
// check after each tick.
func playRandom(t *testing.T, w *World, ticks int, seed uint64, check func(tick int)) {
	t.Helper()
	r := rng.New(seed)
	act := make([]float32, ActionSize*len(w.Agents))
	for tick := 1; tick <= ticks; tick++ {
		for i := range act {
			act[i] = float32(r.Uniform(-1, 1))
		}
		if err := w.Step(act); err != nil {
			t.Fatalf("tick %d: %v", tick, err)
		}
		check(tick)
		if done, _ := w.Done(); done {
			w.Reset(w.Seed + 1)
		}
	}
}

// stormy makes lightning strike often (blinded ships keep their tracks
// while their teammates drop those on ships put out of action) and hits
// critical (sensor crits do the same).
func stormy(p *contract.BattlePackage) *contract.BattlePackage {
	p.Map.Weather.LightningRisk = 1
	p.Rules.CritChance = 0.5
	return p
}

// threeTeams deals p's ships round-robin to three teams.
func threeTeams(p *contract.BattlePackage) *contract.BattlePackage {
	p.Teams = []contract.Team{{TeamID: "a"}, {TeamID: "b"}, {TeamID: "c"}}
	for i := range p.Ships {
		p.Ships[i].TeamID = p.Teams[i%3].TeamID
	}
	return p
}

// TestFleetHashesPinned pins the state hashes of fleet battles under random
// actions and of a patrolling fleet, taken from the implementation that
// kept every ship's full track table: the shared team pictures must give
// the same tracks, bit for bit.
func TestFleetHashesPinned(t *testing.T) {
	cases := []struct {
		name  string
		pkg   *contract.BattlePackage
		ticks int
		want  map[int]string
	}{
		{"fleet_16v16 agents", allAgents(loadScenario(t, "fleet_16v16")), 300, map[int]string{1: "04b1148e01139aea", 50: "eb4bf15d7ea00f46", 100: "0fca318cc7af6d0a", 150: "7e7c364af2ced92e", 200: "46b567a28490676b", 250: "e1f9bdef2da1eb51", 300: "b9eff28a2105441a"}},
		{"fleet_4v4 agents", allAgents(loadScenario(t, "fleet_4v4")), 600, map[int]string{1: "aa44e1188cab9a07", 50: "acfbfcedb5ab9ed1", 100: "cb88dcb75579496c", 150: "d699cb1a86a48319", 200: "4c8791db253dc27e", 250: "d9fc2b93ce6c425c", 300: "8abdfb6b3c094109", 350: "311dff11daef8b39", 400: "72673788409973a7", 450: "6090044b71d2a867", 500: "254d7320de82eade", 550: "5322e7264a4ff4b8", 600: "2be113824ee67fe2"}},
		{"fleet_4v4 lightning and crits", stormy(allAgents(loadScenario(t, "fleet_4v4"))), 1000, map[int]string{1: "35c5793d6cf30033", 50: "828feb08e686ed1b", 100: "f4bee950ebf522ae", 150: "525feb97efd60ba3", 200: "af5b2d0dd2197cbd", 250: "2d087100cae83511", 300: "458bd63b192e8957", 350: "9b6465bce51ac054", 400: "8cad1e4a826c653b", 450: "6b917986609e8ad2", 500: "144e1933f81b88e2", 550: "ba23659b0f1c1866", 600: "26b054e3a6458269", 650: "0e177e424dad4ade", 700: "2cce835a50ea7885", 750: "f5eb346c7116237f", 800: "584da55d13fcd419", 850: "7446e512df93e96b", 900: "6d1848da08e6002f", 950: "0a043c69495be4f7", 1000: "8440d252054b49f2"}},
		{"three teams", threeTeams(allAgents(loadScenario(t, "fleet_16v16"))), 400, map[int]string{1: "10f97c1afdb7d2cd", 50: "05ab6ba1d63de6fa", 100: "e91856203b5f3b4d", 150: "0bfb06efeb645b15", 200: "8e13b8efc9be3e03", 250: "a65641c985d719e0", 300: "954e74626b493a86", 350: "ef92c29a44b3bc7d", 400: "8455017b3a5e2f97"}},
		{"duel agents", allAgents(loadScenario(t, "duel")), 600, map[int]string{1: "31f51dacab73be85", 50: "10625eaaefa1e762", 100: "f416f2ece5c35371", 150: "f7a3837193b73ff3", 200: "6e02946eb61f16ee", 250: "476145a449a8dc19", 300: "d229520d498b1f32", 350: "1938ba81d0e49d1c", 400: "e724885e3bf81f18", 450: "16a62d52bca5d7d1", 500: "8d5ea2b3fc82e9be", 550: "0e6d94c9e24c0dab", 600: "91582f996828f800"}},
		{"patrol 200", patrolFleet(200), 100, map[int]string{1: "e1ae11363d8d234c", 50: "7b4d5aa926313bfe", 100: "ade48414fef89f9c"}},
		{"fleet_128v128 agents", allAgents(loadScenario(t, "fleet_128v128")), 150, map[int]string{1: "6bcc941ec2d1411a", 50: "29060f9e4fca6929", 100: "47b599624601b818", 150: "d3d564c71d096fc8"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, c.pkg)
			got := map[int]string{}
			playRandom(t, w, c.ticks, 5, func(tick int) {
				if tick == 1 || tick%50 == 0 {
					got[tick] = fmt.Sprintf("%016x", w.Hash())
				}
			})
			for tick, h := range c.want {
				if got[tick] != h {
					t.Errorf("tick %d: state hash %s, want %s", tick, got[tick], h)
				}
			}
		})
	}
}

// subFleet is n ships 800 m apart in two teams, every other one a
// submarine driven by random actions (torpedoes) and the others aggressive
// corvettes (guns and ASW mortars).
func subFleet(n int) *contract.BattlePackage {
	p := patrolFleet(n)
	side := int(math.Ceil(math.Sqrt(float64(n))))
	p.Map.Bounds = contract.Bounds{MaxX: float64(side) * 800, MaxY: float64(side) * 800}
	for i := range p.Ships {
		s := &p.Ships[i]
		id, team := s.ShipID, s.TeamID
		if i%2 == 0 {
			*s = submarine("agent")
		} else {
			*s = corvette("aggressive")
		}
		s.ShipID, s.TeamID = id, team
		s.InitialState.X = (float64(i%side) + 0.5) * 800
		s.InitialState.Y = (float64(i/side) + 0.5) * 800
	}
	return p
}

// TestIndexMatchesBruteForce plays battles of more than indexShips ships
// twice, once with the spatial indexes (sensor queries, torpedo hearing,
// track queries) and once visiting every ship, torpedo and slot, and
// requires the same state hash, events, observations, masks and rewards
// after every tick. It also checks that the indexed paths ran. (World.
// bruteForce also turns off the tallied datalink of teams of up to
// maxTallied members, so the cases of such teams compare it with the
// general one.)
func TestIndexMatchesBruteForce(t *testing.T) {
	cases := []struct {
		name  string
		pkg   *contract.BattlePackage
		ticks int
	}{
		{"fleet_128v128 scripted", loadScenario(t, "fleet_128v128"), 150},
		{"submarines", subFleet(80), 150},
		{"fleet_128v128 agents", allAgents(loadScenario(t, "fleet_128v128")), 40},
		{"fleet_128v128 lightning, crits, agents", stormy(agentSeat(loadScenario(t, "fleet_128v128"), "aggressive")), 80},
		{"patrol 200", patrolFleet(200), 40},
		// At most 64 ships the picture index is a bitset per group (small).
		{"fleet_16v16 scripted", loadScenario(t, "fleet_16v16"), 800},
		{"fleet_16v16 agents", allAgents(loadScenario(t, "fleet_16v16")), 200},
		{"patrol 64", patrolFleet(64), 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fast, err := New(c.pkg, Options{})
			if err != nil {
				t.Fatal(err)
			}
			slow, _ := New(c.pkg, Options{})
			slow.bruteForce = true
			fast.indexTorps = 2 // index the torpedoes whenever there are a few
			n := fast.ObsSize() * len(fast.Agents)
			obsF, obsS := make([]float32, n), make([]float32, n)
			maskF, maskS := make([]float32, MaskSize*len(fast.Agents)), make([]float32, MaskSize*len(fast.Agents))
			r := rng.New(11)
			act := make([]float32, ActionSize*len(fast.Agents))
			manyTorps, privates := 0, 0
			for tick := 1; tick <= c.ticks; tick++ {
				stepTwins(t, slow, fast, randomActions(&r, act), fmt.Sprintf("tick %d (want: brute force)", tick))
				ef, es := fast.Events(), slow.Events()
				if len(ef) != len(es) {
					t.Fatalf("tick %d: %d events, brute force %d", tick, len(ef), len(es))
				}
				for i := range ef {
					if ef[i] != es[i] {
						t.Fatalf("tick %d: event %d is %+v, brute force %+v", tick, i, ef[i], es[i])
					}
				}
				_ = fast.Observe(obsF, maskF)
				_ = slow.Observe(obsS, maskS)
				for i := range obsF {
					if math.Float32bits(obsF[i]) != math.Float32bits(obsS[i]) {
						t.Fatalf("tick %d: observation[%d] %v, brute force %v", tick, i, obsF[i], obsS[i])
					}
				}
				for i := range maskF {
					if maskF[i] != maskS[i] {
						t.Fatalf("tick %d: mask[%d] %v, brute force %v", tick, i, maskF[i], maskS[i])
					}
				}
				rf, rs := fast.Rewards(), slow.Rewards()
				for i := range rf {
					if math.Float32bits(rf[i]) != math.Float32bits(rs[i]) {
						t.Fatalf("tick %d: reward term %d %v, brute force %v", tick, i, rf[i], rs[i])
					}
				}
				if len(fast.torpKeys) > 0 {
					manyTorps++
				}
				for i := range fast.shipTr {
					privates += len(fast.shipTr[i].priv)
				}
				if done, _ := fast.Done(); done {
					fast.Reset(fast.Seed + 1)
					slow.Reset(slow.Seed + 1)
				}
			}
			t.Logf("ticks with the torpedo index: %d; private slots held: %d", manyTorps, privates)
			fromTally, fromAged, gathered := 0, 0, 0
			for _, tt := range fast.teamTr {
				fromTally, fromAged, gathered = fromTally+tt.fromTally, fromAged+tt.fromAged, gathered+tt.gathered
			}
			t.Logf("targets shared from their tally: %d, their aged picture: %d, gathered: %d", fromTally, fromAged, gathered)
			if len(fast.Ships)/len(fast.Teams) <= maxTallied && (fromTally == 0 || fromAged == 0 || gathered == 0) {
				t.Errorf("targets shared from their tally %d, their aged picture %d, gathered %d: a way of the tallied datalink went untested",
					fromTally, fromAged, gathered)
			}
			if c.name == "submarines" && manyTorps == 0 {
				t.Errorf("no tick had more than %d torpedoes in the water: the torpedo index went untested", fast.indexTorps)
			}
		})
	}
}

// TestLayerBuckets: every track layer (any int8) answers layerOK and
// kit.canEngage as the layer its bucket stands for, and every kit as the
// kit of its arms, so the small picture index may mask slots by bucket
// and kit.arms instead of testing their layers.
func TestLayerBuckets(t *testing.T) {
	var kits []kit
	for m := range 1 << 5 {
		kits = append(kits, kit{gun: m&1 != 0, asw: m&2 != 0, torp: m&4 != 0, sub: m&8 != 0, sonar: m&16 != 0})
	}
	for l := math.MinInt8; l <= math.MaxInt8; l++ {
		layer := int8(l)
		b := layerBucket(layer)
		if b < 0 || b >= numLayerBuckets {
			t.Fatalf("layer %d: bucket %d out of [0, %d)", layer, b, numLayerBuckets)
		}
		rep := bucketLayer(b)
		for k := range WeaponKind(numWeaponKinds) {
			if layerOK(k, layer) != layerOK(k, rep) {
				t.Errorf("layer %d: layerOK(%d) = %v, its bucket's layer %d gives %v", layer, k, layerOK(k, layer), rep, layerOK(k, rep))
			}
		}
		for _, k := range kits {
			if k.canEngage(layer) != k.canEngage(rep) {
				t.Errorf("layer %d: %+v.canEngage = %v, its bucket's layer %d gives %v", layer, k, k.canEngage(layer), rep, k.canEngage(rep))
			}
			if a := k.arms(); a < 0 || a >= numArms || armsKit(a).canEngage(layer) != k.canEngage(layer) {
				t.Errorf("layer %d: %+v.canEngage = %v, its arms %d give %v", layer, k, k.canEngage(layer), a, armsKit(a).canEngage(layer))
			}
		}
	}
}

// TestSquareOrderMatchesHypot: wherever squareOrder decides the order of
// two ranges by their squares it is the order of their Hypots, for
// offsets whose lengths differ by a few ulp to a few parts in 2^30 (the
// margin) and by more.
func TestSquareOrderMatchesHypot(t *testing.T) {
	r := rng.New(7)
	decided := 0
	for range 200000 {
		ra := math.Exp(r.Uniform(math.Log(1e-3), math.Log(1e7)))
		var f float64 // relative difference of the lengths
		switch r.Intn(3) {
		case 0:
			f = float64(r.Intn(64)-32) * 0x1p-52
		case 1:
			f = 0x1p-30 * (1 + float64(r.Intn(64)-32)*0x1p-20)
			if r.Intn(2) == 0 {
				f = -f
			}
		default:
			f = r.Uniform(-0.01, 0.01)
		}
		a := polar(ra, r.Uniform(-math.Pi, math.Pi))
		b := polar(ra*(1+f), r.Uniform(-math.Pi, math.Pi))
		o := squareOrder(rangeSquare(a), rangeSquare(b))
		if o == 0 {
			continue
		}
		decided++
		if want := cmpRange(dmath.Hypot(a.X, a.Y), dmath.Hypot(b.X, b.Y)); o != want {
			t.Fatalf("%v and %v: squareOrder %d, Hypots %d", a, b, o, want)
		}
	}
	if decided < 100000 {
		t.Errorf("squareOrder decided only %d of 200000 pairs", decided)
	}
	for _, s := range []float64{0, 0x1p-1000, math.Inf(1), math.NaN()} {
		if o := squareOrder(s, 1); o != 0 {
			t.Errorf("squareOrder(%v, 1) = %d, want 0 (Hypot decides)", s, o)
		}
	}
}

func polar(r, a float64) r2.Vec { return r2.Vec{X: r * math.Cos(a), Y: r * math.Sin(a)} }

// TestRankedTargetMatchesHypot: targetSmall's ranking (rankedTarget, which
// compares squared ranges where they decide) chooses what target's scan
// (bestTarget, by Hypot) chooses, for tracks at nearly equal ranges and
// nearly at the weapon's reach.
func TestRankedTargetMatchesHypot(t *testing.T) {
	r := rng.New(3)
	at := r2.Vec{X: 1234.5, Y: -987.25}
	tracks := make([]Track, 12)
	for trial := range 20000 {
		k := WeaponKind(r.Intn(int(numWeaponKinds)))
		reach := r.Uniform(500, 8000)
		base := r.Uniform(0.5, 1.2) * reach
		for j := range tracks {
			dist := base * (1 + float64(r.Intn(9)-4)*0x1p-52)
			switch r.Intn(4) {
			case 0:
				dist = reach * (1 + float64(r.Intn(9)-4)*0x1p-52)
			case 1:
				dist = r.Uniform(0, 1.5) * reach
			}
			d := polar(dist, r.Uniform(-math.Pi, math.Pi))
			if r.Intn(8) == 0 {
				d = r2.Vec{X: dist} // on an axis: the box test's edge
			}
			tracks[j] = Track{Quality: int8(r.Intn(5) - 1), Layer: int8(r.Intn(4) - 1), Hostile: r.Intn(4) > 0, Pos: r2.Add(at, d)}
		}
		want := bestTarget{best: -1, bestQ: -1}
		got := newRankedTarget(k, reach, at)
		for j := range tracks {
			want.visit(j, &tracks[j], at, k, reach)
			if got.fits(&tracks[j]) {
				got.rank(j, &tracks[j])
			}
		}
		if got.best != want.best {
			t.Fatalf("trial %d (%v, reach %v): rankedTarget chose %d, the scan %d", trial, k, reach, got.best, want.best)
		}
	}
}

// TestSenseAtRangeZero: a ship at the very position of another is within
// reach of every sensor that updates (senseShip's detectEvery case), so
// eyes and radar both see it.
func TestSenseAtRangeZero(t *testing.T) {
	w := newWorld(t, twoShips(t, corvette("idle"), corvette("idle"), 3000))
	w.Ships[1].Kin.Pos = w.Ships[0].Kin.Pos
	w.sense()
	if tr := w.trackOf(0, 1); tr.Quality < 2 || tr.Sources&(1<<Visual|1<<Radar) == 0 {
		t.Errorf("slot on a ship at range 0: %+v, want a Q2+ track from eyes or radar", tr)
	}
}

// TestLossTableWraps checks that the per-pair transmission-loss table
// forgets its entries when its phase counter wraps: stale entries of the
// phase the counter wraps to must not be read.
func TestLossTableWraps(t *testing.T) {
	p := loadScenario(t, "fleet_16v16")
	want, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w.lossTab == nil {
		t.Fatal("fleet_16v16 keeps no loss table")
	}
	for range 30 { // into sonar range
		want.step(nil)
		w.step(nil)
	}
	w.lossGen = math.MaxUint32 // the next phase wraps to 0
	for k := range w.lossTab {
		w.lossTab[k] = pairLoss{gen: 0, db: 1e6} // stale, and loud enough to matter
	}
	for tick := range 20 {
		want.step(nil)
		w.step(nil)
		if w.Hash() != want.Hash() {
			t.Fatalf("tick %d after the wrap: hash %x, want %x", tick, w.Hash(), want.Hash())
		}
	}
}

// TestLoadedTracksReadAsSaved: a world that loads a fleet's state, having
// tallied another tick's sightings itself, reads every slot as the saved
// world does (whose trackOf reads a member's Fresh from its team's tally),
// and the two go on alike.
func TestLoadedTracksReadAsSaved(t *testing.T) {
	p := loadScenario(t, "fleet_16v16")
	a, b := newWorld(t, p), newWorld(t, p)
	stepN(t, a, 60, [ActionSize]float32{})
	stepN(t, b, 90, [ActionSize]float32{})
	state, err := a.Save()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Load(state); err != nil {
		t.Fatal(err)
	}
	compare := func(when string) {
		t.Helper()
		seenByLink := 0 // fresh slots a member saw itself without holding the picture's track
		for i := range a.Ships {
			for j := range a.Ships {
				ta, tb := a.trackOf(i, j), b.trackOf(i, j)
				if !sameTrack(&ta, &tb) {
					t.Fatalf("%s: ship %d's slot on %d is %+v, saved %+v", when, i, j, tb, ta)
				}
				if ta.Fresh && ta.Sources&(1<<Link) != 0 {
					seenByLink++
				}
			}
		}
		if seenByLink == 0 {
			t.Errorf("%s: no member saw a target whose picture another holds: the tally went untested", when)
		}
	}
	compare("after Load")
	stepN(t, a, 30, [ActionSize]float32{})
	stepN(t, b, 30, [ActionSize]float32{})
	compare("30 ticks on")
	if a.Hash() != b.Hash() {
		t.Fatal("the loaded world diverged")
	}
}
