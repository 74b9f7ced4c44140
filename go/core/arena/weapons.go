package arena

import (
	"math"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// Weapon constants (docs/rules.md, "Weapons").
const (
	dispersionBaseDeg    = 1.0 // gun dispersion σ = (1° + 2° × (1 − gunnery)) × (1 + 0.1 × sea_state)
	dispersionSkillDeg   = 2.0
	dispersionSeaPerStep = 0.1
	reloadBase           = 1.25 // reload × (1.25 − 0.5 × gunnery)
	reloadSkill          = 0.5
	projectileRangeSlack = 1.2 // projectiles expire after this × weapon range
	torpedoEnableFrac    = 0.5 // the seeker switches on this fraction of its range short of the lead point
	torpedoHitSlack      = 5.0 // a torpedo hits within target radius + this
)

var weaponActions = [numWeaponKinds]int{Gun: ActFireGun, Torpedo: ActFireTorpedo, ASW: ActFireASW}

// minQuality is the track quality each weapon needs.
var minQuality = [numWeaponKinds]int8{Gun: 2, Torpedo: 1, ASW: 1}

// canFire reports whether mount kind k of s could fire now, ignoring targets.
func (w *World) canFire(s *Ship, k WeaponKind) bool {
	m := s.Mount[k]
	if m < 0 || !s.Alive() || s.Trans.Active || s.Crits.Weapons > 0 {
		return false
	}
	mt := &s.Mounts[m]
	if mt.Ammo <= 0 || mt.Cooldown > 0 {
		return false
	}
	switch k {
	case Gun, ASW:
		return s.Layer == Surface
	default:
		return s.Layer == Submerged
	}
}

// layerOK applies the layer rules to a target's known layer: guns hit
// surface or transitioning ships, ASW submerged or transitioning ones,
// torpedoes any.
func layerOK(k WeaponKind, layer int8) bool {
	switch k {
	case Gun:
		return layer == 0 || layer == 2
	case ASW:
		return layer == 1 || layer == 2
	}
	return layer >= 0
}

// target picks the best hostile track for mount kind k: quality first,
// then range, then the lower ship index. It returns -1 if none qualifies.
func (w *World) target(s *Ship, k WeaponKind) int {
	m := s.Mount[k]
	if m < 0 {
		return -1
	}
	reach := s.Mounts[m].Spec.Range
	if w.useIndex() {
		return w.targetIndexed(s, k, reach)
	}
	b := bestTarget{best: -1, bestQ: -1}
	i := int(s.ID - 1)
	if pic, ok := w.plain(i); ok {
		for j := range pic {
			if j != i { // (empty slots fail the quality test)
				b.visit(j, &pic[j], s.Kin.Pos, k, reach)
			}
		}
		return b.best
	}
	for it := w.tracks(i); it.next(); {
		b.visit(it.j, it.tr, s.Kin.Pos, k, reach)
	}
	return b.best
}

// bestTarget is target's choice so far: the track of the highest quality,
// then the nearest, among those a weapon of its kind can reach.
type bestTarget struct {
	best  int
	bestQ int8
	bestR float64
}

// visit considers track j for a weapon of kind k at pos with range reach.
func (b *bestTarget) visit(j int, tr *Track, pos r2.Vec, k WeaponKind, reach float64) {
	if tr.Quality < minQuality[k] || !tr.Hostile || !layerOK(k, tr.Layer) {
		return
	}
	d := r2.Sub(tr.Pos, pos)
	if abs(d.X) > reach || abs(d.Y) > reach {
		return // the range is at least either offset: out of reach without the Hypot
	}
	r := dmath.Hypot(d.X, d.Y)
	if r > reach {
		return
	}
	if tr.Quality > b.bestQ || (tr.Quality == b.bestQ && r < b.bestR) {
		b.best, b.bestQ, b.bestR = j, tr.Quality, r
	}
}

// fireOrder is a weapon plugin's output: mount Mount of ship Source shoots
// at track Target. The resolver applies orders in ascending source id.
type fireOrder struct {
	Source EntityID
	Trace  uint64
	Cause  uint64
	Kind   WeaponKind
	Target int
}

// weaponsPlugin reads the commands and emits fire orders for every weapon
// ordered to fire that can fire at a target.
func (w *World) weaponsPlugin() {
	w.orders = w.orders[:0]
	for i := range w.Ships {
		s := &w.Ships[i]
		c := &w.cmds[i]
		for k := WeaponKind(0); k < numWeaponKinds; k++ {
			if c.Action[weaponActions[k]] <= 0 || !w.canFire(s, k) {
				continue
			}
			if t := w.target(s, k); t >= 0 {
				w.orders = append(w.orders, fireOrder{Source: s.ID, Trace: w.nextTrace(), Cause: c.Trace, Kind: k, Target: t})
			}
		}
	}
}

// resolveFire spends ammo, applies reloads and misfires, and launches
// projectiles, in order of source id then weapon kind.
func (w *World) resolveFire() {
	w.freeFrom = 0
	for _, o := range w.orders {
		s := &w.Ships[o.Source-1]
		mt := &s.Mounts[s.Mount[o.Kind]]
		mt.Cooldown = mt.Reload
		if s.Damage.Bernoulli(float64(w.rules.MisfireScale * (1 - s.Morale))) {
			w.emit(Event{Kind: EventMisfire, Source: s.ID, Trace: w.nextTrace(), Cause: o.Trace})
			continue
		}
		mt.Ammo--
		mt.Fired++
		s.ShotsFired++
		w.launch(s, mt, o)
	}
}

// reloadFor is a mount's cooldown after the gunnery factor, at least a tick.
func reloadFor(spec *contract.Weapon, gunnery float64) int {
	return max(1, int(math.Ceil(float64(spec.CooldownTicks)*(reloadBase-reloadSkill*gunnery))))
}

// launch creates the projectile for a fire order.
func (w *World) launch(s *Ship, mt *Mount, o fireOrder) {
	tr := w.trackOf(int(s.ID-1), o.Target)
	spec := mt.Spec
	p := Projectile{
		Alive: true, Kind: mt.Kind, Owner: int(s.ID - 1), Target: -1,
		Pos: s.Kin.Pos, Speed: spec.Projectile.Speed, Damage: spec.Projectile.Damage,
		Blast: spec.Projectile.BlastRadius, MaxRun: float64(projectileRangeSlack * spec.Range),
		Trace: w.nextTrace(), Cause: o.Trace,
	}
	aim := tr.Pos
	if spec.Projectile.Guidance.Kind != contract.GuidanceUnguided {
		aim = leadPoint(s.Kin.Pos, tr.Pos, tr.Vel, p.Speed)
	}
	d := r2.Sub(aim, s.Kin.Pos)
	heading := dmath.Atan2(d.Y, d.X)
	switch mt.Kind {
	case Gun:
		sigma := float64((dispersionBaseDeg + dispersionSkillDeg*(1-s.Spec.Crew.Gunnery)) *
			(1 + dispersionSeaPerStep*float64(w.env.weather.SeaState)) * math.Pi / 180)
		heading = dmath.WrapAngle(heading + float64(sigma*s.Damage.Normal()))
	case Torpedo:
		p.Aim = aim
		p.Homing = spec.Projectile.Guidance
	case ASW:
		p.Aim = aim
		p.MaxRun = dmath.Hypot(d.X, d.Y)
	}
	p.setHeading(heading)
	w.addProjectile(p)
	w.emit(Event{Kind: EventFire, Source: s.ID, Target: w.Ships[o.Target].ID, Trace: p.Trace, Cause: o.Trace, Value: float64(mt.Kind)})
}

// leadPoint is where a projectile of speed v from p meets a target at q
// moving with velocity u (straight-line intercept); q if none exists.
func leadPoint(p, q, u r2.Vec, v float64) r2.Vec {
	d := r2.Sub(q, p)
	a := float64(u.X*u.X) + float64(u.Y*u.Y) - float64(v*v)
	b := 2 * (float64(d.X*u.X) + float64(d.Y*u.Y))
	c := float64(d.X*d.X) + float64(d.Y*d.Y)
	var t float64
	if abs(a) < 1e-9 {
		if b >= 0 {
			return q
		}
		t = -c / b
	} else {
		disc := float64(b*b) - float64(4*float64(a*c))
		if disc < 0 {
			return q
		}
		sq := dmath.Sqrt(disc)
		t1, t2 := (-b-sq)/(2*a), (-b+sq)/(2*a)
		t = min(t1, t2)
		if t < 0 {
			t = max(t1, t2)
		}
		if t < 0 {
			return q
		}
	}
	return r2.Vec{X: q.X + float64(u.X*t), Y: q.Y + float64(u.Y*t)}
}
