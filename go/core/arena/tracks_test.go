package arena

import (
	"fmt"
	"math"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/contract"
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
		{"fleet_16v16 agents", allAgents(loadScenario(t, "fleet_16v16")), 300, map[int]string{1: "bc08f8934821b2af", 50: "e69208ec41b41e81", 100: "766d0cb09b44bd3e", 150: "94b0c2c53286123a", 200: "fffa70573711f0ee", 250: "d79aa1de5208246f", 300: "03fff8b5ec3ee2a7"}},
		{"fleet_4v4 agents", allAgents(loadScenario(t, "fleet_4v4")), 600, map[int]string{1: "f57834150a720968", 50: "f4bb4652633bf63e", 100: "b6eedf5cd69f3ee9", 150: "b70faf67f74da6b8", 200: "6890e9c96350ae56", 250: "6258059818ad98da", 300: "9f6ba82c91ca420e", 350: "8202763295e17d57", 400: "047a1dc0f1bd8626", 450: "e599380c8bb07c3d", 500: "7c15a53470dd5651", 550: "2e383bc9b5ccd55b", 600: "3cf761e738593d24"}},
		{"fleet_4v4 lightning and crits", stormy(allAgents(loadScenario(t, "fleet_4v4"))), 1000, map[int]string{1: "7e697fcb5236cf32", 50: "d065ed0c76829d10", 100: "b3967bfab25d5515", 150: "e7e50d061b62d806", 200: "94ce0e58f2bc5102", 250: "709f73b89cd179fe", 300: "ef1942281fe346f9", 350: "c07b35b034ec90b7", 400: "c3373626e1890dec", 450: "8ef676a687e1b3dc", 500: "ce285cb53cc9daa8", 550: "0865922560f148b4", 600: "3546ab80f743bc54", 650: "f571154478553fab", 700: "74d915d55815d0f9", 750: "d0e6ede8ee0c07f3", 800: "c9081367a9bd2b37", 850: "700eb823817e9e72", 900: "eb584f4719d8af3d", 950: "5af214e8b6e3f7f9", 1000: "837b367cd1507a1d"}},
		{"three teams", threeTeams(allAgents(loadScenario(t, "fleet_16v16"))), 400, map[int]string{1: "198a7b84d1fbbfa8", 50: "dbe2707caec2de21", 100: "77f4a8ff8f374515", 150: "987614720469f9e3", 200: "fb3e48f9a1153fd7", 250: "f840397f3ca25cba", 300: "519e906eb1e9f995", 350: "e8a814694f0cef82", 400: "99462d556d8abc2e"}},
		{"duel agents", allAgents(loadScenario(t, "duel")), 600, map[int]string{1: "645ac3d36f33a02a", 50: "2dbc629cea3cb1cc", 100: "6939f33fb3ce4cc4", 150: "04c064ea4e928aad", 200: "ba195e45233a621b", 250: "ab047d274851c4d6", 300: "a74452cf43e4de46", 350: "74641be81a3bd4f9", 400: "0f1cbf9b1543c278", 450: "68ebecb533075db9", 500: "e371378245d5f05f", 550: "0b68365fdb61c0be", 600: "a82af4e72ef7512f"}},
		{"patrol 200", patrolFleet(200), 100, map[int]string{1: "61dd3657afbc3907", 50: "55db720c3b4f9a14", 100: "7393b469aa86ff29"}},
		{"fleet_128v128 agents", allAgents(loadScenario(t, "fleet_128v128")), 150, map[int]string{1: "ba30f0d68d51d794", 50: "1aba704c2abe77e8", 100: "a885a715ea64b270", 150: "0945810c43337f89"}},
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
				for i := range act {
					act[i] = float32(r.Uniform(-1, 1))
				}
				if err := fast.Step(act); err != nil {
					t.Fatal(err)
				}
				if err := slow.Step(act); err != nil {
					t.Fatal(err)
				}
				if hf, hs := fast.Hash(), slow.Hash(); hf != hs {
					t.Fatalf("tick %d: state hash %x, brute force %x", tick, hf, hs)
				}
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
			fromTally, gathered := 0, 0
			for _, tt := range fast.teamTr {
				fromTally, gathered = fromTally+tt.fromTally, gathered+tt.gathered
			}
			t.Logf("targets shared from their tally: %d, gathered: %d", fromTally, gathered)
			if len(fast.Ships)/len(fast.Teams) <= maxTallied && (fromTally == 0 || gathered == 0) {
				t.Errorf("targets shared from their tally %d, gathered %d: a way of the tallied datalink went untested", fromTally, gathered)
			}
			if c.name == "submarines" && manyTorps == 0 {
				t.Errorf("no tick had more than %d torpedoes in the water: the torpedo index went untested", fast.indexTorps)
			}
		})
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
