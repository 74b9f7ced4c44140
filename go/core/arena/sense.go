package arena

import (
	"math"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// Sensor model constants (docs/rules.md, "Sensors and tracks"); tunable numbers live in contract.Rules.
const (
	radarFireControlFrac = 0.75 // radar tracks inside this fraction of range are Q2
	radarDetectProb      = 0.95 // per-update chance radar sees a target in range
	sonarFireControlSE   = 10.0 // passive sonar signal excess for a Q2 track
	errRadarPerKm        = 10.0 // 1-σ position error per km of range (m)
	errVisualPerKm       = 5.0
	errSonarQ1PerKm      = 60.0
	errSonarQ2PerKm      = 25.0
	errActivePerKm       = 15.0
	errESMFrac           = 0.3 // bearing-only cue: error as a fraction of range
	errFloor             = 5.0
	velNoiseFrac         = 1.0 / 60 // velocity error per metre of position error (m/s)
	selfNoiseSpeed       = 5.0      // own-speed noise starts above this speed (m/s)
	selfNoisePerMS       = 2.0      // dB of self-noise per m/s above it
	speedNoisePerMS      = 1.5      // dB of radiated noise per m/s
	surfaceNoiseDB       = 10.0     // surface ships radiate this much more than submerged ones
)

// classNoiseDB is the radiated noise of a stopped, submerged hull by class.
var classNoiseDB = [4]float64{115, 120, 125, 130}

// layerCode is a ship's layer as tracks report it.
func layerCode(s *Ship) int8 {
	if s.Trans.Active {
		return 2
	}
	return int8(s.Layer)
}

// onSurface reports whether a ship has masts above water (surfaced or
// transitioning): only those use radar and visual sensors, and only those
// are seen by them.
func onSurface(s *Ship) bool { return s.Layer == Surface || s.Trans.Active }

// sourceLevel is the noise a ship radiates (dB): hull class, speed,
// transition bloom and pings.
func (w *World) sourceLevel(s *Ship) float64 {
	l := classNoiseDB[s.Class] + float64(speedNoisePerMS*abs(s.Kin.Speed))
	if s.Layer == Surface && !s.Trans.Active {
		l += surfaceNoiseDB
	}
	if s.Trans.Active {
		l += w.rules.TransitionBloomDB
	}
	if s.Pinged > 0 {
		l += w.rules.PingLoudnessDB
	}
	return l
}

// ambientNoise is the noise a ship's sonar hears at its own position: the
// sea (state and weather) plus its own flow noise.
func (w *World) ambientNoise(s *Ship) float64 {
	n := w.calmNoise // (uncoupled: the same everywhere, planSensors)
	switch {
	case w.fields != nil:
		n = w.seaNoise(w.fieldNoise(s), w.seaStateAt(s.Kin.Pos))
	case w.bruteForce: // (tests: the reference for calmNoise)
		n = w.seaNoise(w.noise.AmbientDB(s.Kin.Pos), float64(w.env.weather.SeaState))
	}
	if v := abs(s.Kin.Speed); v > selfNoiseSpeed {
		n += float64(selfNoisePerMS * (v - selfNoiseSpeed))
	}
	return n
}

// seaNoise is the noise of the sea where the noise field reads amb and the
// sea state is sea, in the battle's weather.
func (w *World) seaNoise(amb, sea float64) float64 {
	r := w.rules
	n := amb + float64(sea*r.SeaStateNoiseDB)
	switch w.env.weather.Precipitation {
	case contract.PrecipStorm:
		n += r.StormNoiseDB
	case contract.PrecipRain:
		n += float64(0.5 * r.StormNoiseDB)
	}
	return n
}

// NoiseField gives the ambient acoustic noise (dB) at a point. The default
// is a constant (rules.ambient_noise_db); a MorphoSpace noise field can
// stand in for it.
type NoiseField interface {
	AmbientDB(p r2.Vec) float64
}

type constantNoise float64

func (c constantNoise) AmbientDB(r2.Vec) float64 { return float64(c) }

// transmissionLoss is spherical spreading plus absorption (dB).
func (w *World) transmissionLoss(r float64) float64 {
	return float64(20*dmath.Log10(max(r, 1))) + float64(w.rules.SonarAbsorptionDBKm*r/1000)
}

// pairLoss is the transmission loss between two ships in one sensor
// phase (gen).
type pairLoss struct {
	gen uint32
	db  float64
}

// lossBetween is transmissionLoss(rng) for ships i and j at range rng in
// this sensor phase, worked out once per pair: the range from i to j and
// from j to i are the same bits (the offsets differ only in sign), so the
// second sonar of a pair reads the first one's loss. Battles of more than
// indexShips ships keep no table, and World.bruteForce (tests) works the
// loss out every time, the reference TestIndexMatchesBruteForce compares
// the table with.
func (w *World) lossBetween(i, j int, rng float64) float64 {
	if w.lossTab == nil || w.bruteForce {
		return w.transmissionLoss(rng)
	}
	if i > j {
		i, j = j, i
	}
	e := &w.lossTab[i*len(w.Ships)+j]
	if e.gen != w.lossGen {
		e.gen, e.db = w.lossGen, w.transmissionLoss(rng)
	}
	return e.db
}

// detectProb turns a signal excess into a detection probability (logistic).
func (w *World) detectProb(se float64) float64 {
	return 1 / (1 + dmath.Exp(-se/w.rules.DetectionSlopeDB))
}

// sensorRange is a sensor's effective range for an observer at p.
func (w *World) sensorRange(kind SensorKind, base float64, p r2.Vec) float64 {
	r := w.rules
	wx := &w.env.weather
	switch kind {
	case Radar:
		sea := float64(wx.SeaState)
		if w.fields != nil {
			sea = w.seaStateAt(p)
		}
		base = float64(base * (1 - float64(r.RadarSeaStateLoss*sea)))
		switch wx.Precipitation {
		case contract.PrecipRain:
			base = float64(base * r.RadarRainFactor)
		case contract.PrecipStorm:
			base = float64(base * r.RadarStormFactor)
		}
	case Visual:
		base = min(base, float64(wx.VisibilityKm*1000))
		if wx.Fog {
			base = float64(base * r.FogVisualFactor)
		}
	}
	if len(w.env.zones) == 0 { // (nothing looked up that is not there)
		return max(base, 0)
	}
	if i := w.env.zoneIntensity(contract.ZoneSensorInterference, p); i > 0 {
		base = float64(base * (1 - float64(r.InterferenceStrength*i)))
	}
	return max(base, 0)
}

// inArc reports whether a target at bearing lies inside a sensor's arc,
// centred on the ship's heading.
func inArc(arc *float64, heading, bearing float64) bool {
	if arc == nil {
		return true
	}
	return abs(dmath.WrapAngle(bearing-heading)) <= *arc/2
}

// sense is the sensor phase: every active ship updates its track table
// from its own sensors, then teams share tracks over the datalink (see
// tracks.go for how the tables are kept).
func (w *World) sense() {
	if cap(w.lastThreat) < len(w.Ships) {
		w.lastThreat = make([]Threat, len(w.Ships))
	}
	w.lastThreat = w.lastThreat[:len(w.Ships)]
	for i := range w.Ships {
		s := &w.Ships[i]
		s.Detected = false
		w.lastThreat[i] = s.Threat
		s.Threat = Threat{}
		st := &w.shipTr[i]
		st.sensed, st.sensing, st.freshHostile = st.sensed[:0], false, false
	}
	for t := range w.teamTr {
		tt := &w.teamTr[t]
		// The datalink's count of specials per target, or its tally of
		// the sightings (sight); World.bruteForce counts.
		tt.tallied = tt.tally != nil && !w.bruteForce
		if tt.tallied {
			clear(tt.tally)
		}
		clear(tt.off)
	}
	if w.lossGen++; w.lossGen == 0 { // (wrapped: no entry may look current)
		clear(w.lossTab)
		w.lossGen = 1
	}
	w.prepareSensing()
	for i := range w.Ships {
		s := &w.Ships[i]
		if !s.Alive() {
			continue
		}
		if s.Blinded > 0 {
			s.Blinded--
		} else if w.env.weather.LightningRisk > 0 && s.Sensor.Bernoulli(w.env.weather.LightningRisk*lightningPerTick) {
			s.Blinded = w.rules.LightningBlackoutTicks
		}
		if s.Crits.Sensors == 0 && s.Blinded == 0 {
			w.shipTr[i].sensing = true
			w.senseShip(i)
			w.hearTorpedoes(s)
		}
	}
	w.updateTracks()
}

// pingTicks is how long a ping keeps the pinger loud; the active
// detection happens in the sensor phase after the ping order.
const pingTicks = 2

// lightningPerTick scales lightning_risk to a per-tick strike chance.
const lightningPerTick = 0.02

// detection is one sensor's report on one target this tick.
type detection struct {
	quality int8
	err     float64
	kind    SensorKind
}

// senseTarget is what the sensor phase reads of a ship as a target, laid
// out once per tick (prepareSensing) so that the pair loop of every
// sensing ship reads one small record a candidate.
type senseTarget struct {
	pos     r2.Vec
	emit    float64 // range at which its radar emission is heard (0: none)
	emit2   float64 // emit², as the pair test squares it
	source  float64 // radiated noise (dB)
	surface bool    // onSurface
	vel     r2.Vec  // velocity (alive ships: settle reads it)
}

// candidate is a ship as senseShip's pair pass reads it: a copy of what
// the pass needs of its senseTarget, so that a pass over the active ships
// reads them in one run rather than through their indices.
type candidate struct {
	pos   r2.Vec
	emit2 float64
	j     int32
}

// candidate returns target j as a candidate.
func (tg *senseTarget) candidate(j int) candidate {
	return candidate{pos: tg.pos, emit2: tg.emit2, j: int32(j)}
}

// prepareSensing works out per-tick values once per ship rather than once
// per pair: each ship's position, layer, radiated noise, velocity and the
// range at which its radar emission is heard (and the longest such range),
// in targets; and it indexes the ships for the sensor queries.
func (w *World) prepareSensing() {
	w.maxEmit = 0
	w.active = w.active[:0]
	for j := range w.Ships {
		t := &w.Ships[j]
		tg := &w.targets[j]
		*tg = senseTarget{pos: t.Kin.Pos, source: w.sourceLevel(t), surface: onSurface(t)}
		if !t.Alive() {
			continue
		}
		tg.vel = velocity(t)
		if onSurface(t) && t.Crits.Sensors == 0 && t.Blinded == 0 {
			if p := w.plan(j); p != nil {
				tg.emit = p.emit
			} else {
				tg.emit = w.radarEmission(t)
			}
			tg.emit2 = float64(tg.emit * tg.emit)
			w.maxEmit = max(w.maxEmit, tg.emit)
		}
		w.active = append(w.active, tg.candidate(j))
	}
	if len(w.Ships) > indexShips {
		w.sgrid.build(w.Ships)
		w.sgrid.indexRows() // (one search a row per ship: worth a pass over the keys)
	}
	w.indexTorpedoes()
}

// senseShip applies ship i's sensors to every other ship and records its
// detections. It works in two passes: the ships within reach of a sensor
// or of the ESM (pairs), then the draws and the records in that order
// (sightPairs).
func (w *World) senseShip(i int) {
	s := &w.Ships[i]
	pinging := s.PingNow
	s.PingNow = false
	surface := onSurface(s)
	su := w.sensors(i, surface)
	ambient := w.ambientNoise(s)
	maxReach := su.maxReach
	radius := maxReach
	if surface {
		radius = max(radius, w.maxEmit)
	}
	at, i32 := s.Kin.Pos, int32(i)
	reach2 := float64(maxReach * maxReach)
	// esm scales a candidate's emit2: by 1 on the surface, by 0 (a ship
	// under water hears no radar) below, which spares the loop a branch
	// (emit2 is finite: ranges and the emission factor are bounded).
	esm := 0.0
	if surface {
		esm = 1
	}
	near := w.nearShips(i, radius)
	pairs, n := w.pairs[:len(near)], 0 // (cap: one a ship)
	for k := range near {
		c := &near[k]
		if c.j == i32 { // (nearShips gives active ships only: none is out of action)
			continue
		}
		d := r2.Sub(c.pos, at)
		d2 := float64(d.X*d.X) + float64(d.Y*d.Y)
		if d2 > reach2 && d2 > float64(esm*c.emit2) {
			continue
		}
		pairs[n] = sensePair{j: c.j, rng: dmath.Sqrt(d2)}
		n++
	}
	pairs = pairs[:n]
	w.pairs = pairs
	w.sightPairs(&observer{s: s, i: i, st: &w.shipTr[i], tt: &w.teamTr[s.Team], act: su.act, reach: su.reach,
		ambient: ambient, pinging: pinging, surface: surface, general: su.general || w.bruteForce}, pairs)
}

// sensorSetup is a sensing ship's sensors in one sensor phase.
type sensorSetup struct {
	reach    []float64      // every sensor's effective range (0: it does not update)
	act      []activeSensor // the sensors with a range, in order
	maxReach float64        // the longest reach
	general  bool           // a sensor in act has an arc
}

// setupSensors works out ship i's sensor setup this tick, on the surface
// or not, into su.
func (w *World) setupSensors(i int, surface bool, su *sensorSetup) {
	s := &w.Ships[i]
	n := len(s.Spec.Sensors)
	if cap(su.reach) < n {
		su.reach = make([]float64, n)
	}
	reach, act := su.reach[:n], su.act[:0]
	maxReach, general := 0.0, false
	for k := range s.Spec.Sensors {
		spec := &s.Spec.Sensors[k]
		reach[k] = 0
		if spec.UpdateEveryTicks > 1 && w.Tick%spec.UpdateEveryTicks != 0 { // most sensors update every tick: skip the division
			continue
		}
		kind := w.kinds[i][k]
		if kind != Sonar && !surface {
			continue // radar and eyes need masts above water
		}
		reach[k] = w.sensorRange(kind, spec.Range, s.Kin.Pos)
		maxReach = max(maxReach, reach[k])
		if reach[k] > 0 {
			act = append(act, activeSensor{kind: kind, reach: reach[k], floor: spec.NoiseFloor})
			general = general || spec.Arc != nil
		}
	}
	for a, most := len(act)-1, 0.0; a >= 0; a-- {
		most = max(most, act[a].reach)
		act[a].most = most
	}
	*su = sensorSetup{reach: reach, act: act, maxReach: maxReach, general: general}
}

// sensors returns ship i's sensor setup this tick: its plan's, when it has
// a steady one, else worked out in World.setup (scratch).
func (w *World) sensors(i int, surface bool) *sensorSetup {
	if p := w.plan(i); p != nil && p.steady {
		if surface {
			return &p.side[1]
		}
		return &p.side[0]
	}
	w.setupSensors(i, surface, &w.setup)
	return &w.setup
}

// sensorPlan is what the sensor phase needs of a ship's sensors that stays
// the same from tick to tick in a battle whose sensor ranges do not vary
// from place to place: sensorRange then reads only the rules and the
// weather, fixed between Reset or Load and the next (setWeather).
type sensorPlan struct {
	emit  float64 // radarEmission
	sonar float64 // longestSonar
	// steady: every sensor updates every tick, so the ship's setup
	// (setupSensors) depends only on whether it is on the surface:
	// side[1] on the surface, side[0] under water.
	steady bool
	side   [2]sensorSetup
}

// setWeather sets the battle's weather and plans the sensors for it.
func (w *World) setWeather(wx contract.Weather) {
	w.env.weather = wx
	w.planSensors()
}

// planSensors works out, for the battle's weather, the noise of a calm sea
// (uncoupled) and each ship's sensorPlan, or drops the plans where a
// sensor's range depends on where the ship is: where the sea state comes
// from the fields (radar) or a sensor_interference zone lies.
func (w *World) planSensors() {
	if w.fields == nil {
		// Uncoupled, the noise field is a constantNoise: the same at every
		// point, as is the sea state.
		w.calmNoise = w.seaNoise(w.noise.AmbientDB(r2.Vec{}), float64(w.env.weather.SeaState))
	}
	if w.fields != nil || w.env.hasZone(contract.ZoneSensorInterference) {
		w.plans = nil
		return
	}
	if len(w.plans) != len(w.Ships) {
		w.plans = make([]sensorPlan, len(w.Ships))
	}
	for i := range w.Ships {
		p, s := &w.plans[i], &w.Ships[i]
		p.emit, p.sonar, p.steady = w.radarEmission(s), w.longestSonar(s), true
		for k := range s.Spec.Sensors {
			p.steady = p.steady && s.Spec.Sensors[k].UpdateEveryTicks <= 1
		}
		w.setupSensors(i, false, &p.side[0])
		w.setupSensors(i, true, &p.side[1])
	}
}

// plan returns ship i's sensor plan, or nil where there are none (or
// World.bruteForce, for the tests, works everything out every tick).
func (w *World) plan(i int) *sensorPlan {
	if w.plans == nil || w.bruteForce {
		return nil
	}
	return &w.plans[i]
}

// radarEmission is the range at which the radar of ship s is heard: the
// longest of its radars' effective ranges, by the emission factor (0
// without radar).
func (w *World) radarEmission(s *Ship) float64 {
	emit := 0.0
	for k := range s.Spec.Sensors {
		if spec := &s.Spec.Sensors[k]; w.kinds[s.ID-1][k] == Radar {
			emit = max(emit, float64(w.rules.RadarEmissionFactor*w.sensorRange(Radar, spec.Range, s.Kin.Pos)))
		}
	}
	return emit
}

// sensePair is a ship within reach of the sensing ship's sensors or of
// its ESM, and its range.
type sensePair struct {
	j   int32
	rng float64
}

// observer is what the pairs of a sensing ship read of it.
type observer struct {
	s       *Ship
	i       int
	st      *shipTracks
	tt      *teamTracks    // its team's
	act     []activeSensor // the sensors with a range, in order
	reach   []float64      // every sensor's range (0: it does not update)
	ambient float64        // ambientNoise
	pinging bool
	surface bool
	// general: every pair takes detectEvery, the reference way (a sensor
	// with an arc, or World.bruteForce); else only pairs at range 0 do.
	general bool
}

// sightPairs applies the observer's sensors to each pair in order and
// records the best detection, if any: the best of the sensors that reach
// the target, Q3 when two of them see it at Q2+, or else an ESM cue when
// the observer is on the surface and hears the target's radar. A
// detection draws a noisy position and velocity from the sensor stream.
//
// The draws come from the observer's sensor stream in the order the rules
// take them: each sensor's in sensor order, then the noise, pair after
// pair. The loop works each detection out inline, as detect does, but
// for a passive sonar's (passive); pairs at range 0 and the pairs of an
// observer with an arc sensor take the general way (detectEvery).
// (TestIndexMatchesBruteForce compares the two ways: World.bruteForce
// takes the general one for every pair.) The stream stays in memory: held
// in local variables, its four words crowd the loop's registers and cost
// more in spills than the loads and stores of each draw.
func (w *World) sightPairs(o *observer, pairs []sensePair) {
	s, st, tt := o.s, o.st, o.tt
	if cap(st.sensed) < len(pairs) { // (sensed is empty: sense emptied it)
		st.sensed = make([]sighting, 0, max(len(pairs), 2*cap(st.sensed)))
	}
	sensed := st.sensed[:len(pairs)]
	n := 0
	tgs, act := w.targets, o.act
	i := o.i
	for _, p := range pairs {
		j, r := int(p.j), p.rng
		tg := &tgs[j]
		best := detection{quality: -1}
		if r == 0 || o.general {
			best = w.detectEvery(s, &w.Ships[j], o.reach, r2.Sub(tg.pos, s.Kin.Pos), r, o.ambient, tg.source, o.pinging)
		} else {
			// A sensor without a range cannot reach a target at a positive
			// range: act holds every sensor that may, and past the first
			// whose most (the longest reach from it on) falls short, none
			// reaches.
			count := 0
			km := r / 1000
			for a := 0; a < len(act) && r <= act[a].most; a++ {
				sn := &act[a]
				if r > sn.reach {
					continue
				}
				var det detection
				switch sn.kind {
				case Visual:
					if !tg.surface {
						continue
					}
					det = visualDetection(km)
				case Radar:
					if !tg.surface {
						continue
					}
					if u := s.Sensor.Float64(); u >= radarDetectProb { // (Bernoulli(radarDetectProb))
						continue
					}
					det = radarDetection(r, sn.reach, km)
				default:
					if o.pinging {
						det = activeDetection(km)
						break
					}
					det = w.passive(i, j, s.Sensor.Float64(), r, km, o.ambient, tg.source, sn.floor)
				}
				if det.quality >= 2 {
					count++
				}
				if det.quality > best.quality || (det.quality == best.quality && det.err < best.err) {
					best = det
				}
			}
			if count >= 2 {
				best.quality = 3 // corroborated by two sensors
			}
		}
		if best.quality < 0 {
			emit := 0.0 // (a ship under water hears no radar)
			if o.surface {
				emit = tg.emit
			}
			if r > emit {
				continue
			}
			best = detection{quality: 0, err: max(errFloor, float64(errESMFrac*r)), kind: ESM}
		}
		// Record it: the quality, error and sensor of the detection, and
		// the draws for a noisy position and velocity (position error,
		// then velocity error). The rest of the track (the position and
		// velocity worked out from the draws, the class and layer when
		// the quality allows) is filled in only if the datalink keeps the
		// detection (World.settle).
		g := &sensed[n]
		g.j, g.lazy = p.j, true
		g.tr.Quality, g.tr.Sources, g.tr.Err = best.quality, 1<<(best.kind&7), best.err
		if tt.tallied {
			tt.tally[j].add(o.i, st.member, n, best)
		} else {
			tt.off[j+1]++ // one more special on j for the datalink
		}
		s.Sensor.PolarDraw2To(&g.noise) // (last: little is live across the call)
		n++
	}
	st.sensed = sensed[:n]
}

// activeSensor is a sensor of the sensing ship with a range this tick.
type activeSensor struct {
	kind  SensorKind
	reach float64
	most  float64 // the longest reach of this sensor and those after it
	floor float64
}

// detectEvery is the detection of ship t at offset d and range rng over
// every sensor of s, each with its range in reach (0 for one that does
// not update this tick; a target at range 0 is within even that).
func (w *World) detectEvery(s, t *Ship, reach []float64, d r2.Vec, rng, ambient, source float64, pinging bool) detection {
	bearing := dmath.Atan2(d.Y, d.X)
	best, count := detection{quality: -1}, 0
	kinds := w.kinds[s.ID-1]
	for k := range s.Spec.Sensors {
		spec := &s.Spec.Sensors[k]
		if rng > reach[k] || !inArc(spec.Arc, s.Kin.Heading, bearing) {
			continue
		}
		det := w.detect(s, t, kinds[k], spec.NoiseFloor, rng, reach[k], ambient, source, pinging)
		if det.quality >= 2 {
			count++
		}
		if det.quality > best.quality || (det.quality == best.quality && det.err < best.err) {
			best = det
		}
	}
	if count >= 2 {
		best.quality = 3
	}
	return best
}

func sensorKind(typ string) SensorKind {
	switch typ {
	case contract.SensorRadar:
		return Radar
	case contract.SensorVisual:
		return Visual
	}
	return Sonar
}

// detect applies one sensor's rules to a target within its range: radar
// and visual see ships on the surface (radar with a seeded draw, Q2 within
// three quarters of its range); sonar detects by signal excess, or surely
// when pinging.
func (w *World) detect(s, t *Ship, kind SensorKind, noiseFloor, rng, reach, ambient, source float64, pinging bool) detection {
	none := detection{quality: -1}
	km := rng / 1000
	switch kind {
	case Visual:
		if !onSurface(t) {
			return none
		}
		return visualDetection(km)
	case Radar:
		if !onSurface(t) || !s.Sensor.Bernoulli(radarDetectProb) {
			return none
		}
		return radarDetection(rng, reach, km)
	default: // sonar
		if pinging {
			return activeDetection(km)
		}
		return w.passive(int(s.ID-1), int(t.ID-1), s.Sensor.Float64(), rng, km, ambient, source, noiseFloor)
	}
}

// visualDetection is a lookout's report at km kilometres.
func visualDetection(km float64) detection {
	return detection{quality: 2, err: errFloor + float64(errVisualPerKm*km), kind: Visual}
}

// radarDetection is the report of a radar of range reach on a target at
// range rng (km kilometres), once its draw saw it.
func radarDetection(rng, reach, km float64) detection {
	q := int8(1)
	if rng <= float64(radarFireControlFrac*reach) {
		q = 2
	}
	return detection{quality: q, err: errFloor + float64(errRadarPerKm*km), kind: Radar}
}

// activeDetection is a pinging sonar's report at km kilometres.
func activeDetection(km float64) detection {
	return detection{quality: 2, err: errFloor + float64(errActivePerKm*km), kind: Sonar}
}

// passive is the report of ship i's passive sonar (noise floor noiseFloor,
// hearing ambient) on ship j, radiating source, at range rng (km
// kilometres), given its detection draw u.
func (w *World) passive(i, j int, u, rng, km, ambient, source, noiseFloor float64) detection {
	// The signal excess is source − loss − ambient − floor; bounds
	// on the loss (lossBounds) bound it, and decide the draw and the
	// quality unless it falls too near their edges.
	lossLo, lossHi := w.lossBounds(rng)
	seLo, seHi := source-lossHi-ambient-noiseFloor, source-lossLo-ambient-noiseFloor
	seen, sure := w.decide(u, seLo, seHi)
	se := math.NaN() // (worked out when the bounds do not decide)
	if !sure {
		se = source - w.lossBetween(i, j, rng) - ambient - noiseFloor
		seen = u < w.detectProb(se)
	}
	if !seen {
		return detection{quality: -1}
	}
	q2 := seLo >= sonarFireControlSE
	if !q2 && seHi >= sonarFireControlSE {
		if se != se {
			se = source - w.lossBetween(i, j, rng) - ambient - noiseFloor
		}
		q2 = se >= sonarFireControlSE
	}
	if q2 {
		return detection{quality: 2, err: errFloor + float64(errSonarQ2PerKm*km), kind: Sonar}
	}
	return detection{quality: 1, err: errFloor + float64(errSonarQ1PerKm*km), kind: Sonar}
}

// add counts detection d, sighting n of ship i (member position member),
// into its team's tally of the target. Ships sense in index order, which
// is member order, so the first of equal sightings stays the best.
func (tl *tally) add(i int, member int32, n int, d detection) {
	switch {
	case tl.seen == 0 || d.quality > tl.qual || (d.quality == tl.qual && d.err < tl.err):
		tl.qual, tl.err, tl.ship, tl.k, tl.ties = d.quality, d.err, int32(i), int32(n), 0
	case d.quality == tl.qual && d.err == tl.err:
		tl.ties++
	}
	tl.seen |= 1 << (uint(member) & 63) // (member < maxTallied: the mask only spares the shift its check)
	if d.quality >= 2 {
		tl.q2++
	}
}

// sighting is a detection of target j this tick. Until it is settled
// (World.settle), tr holds only Quality, Sources and Err, all the
// datalink compares, and the draws for Pos and Vel are kept (noise): the
// rest of the track follows from the target, which does not move, change
// layer or team before the datalink settles the sightings it keeps.
type sighting struct {
	j     int32
	lazy  bool
	tr    Track
	noise [6]float64 // two PolarDraws: position error, velocity error
}

// settle completes sighting g of a ship of team, its track as it would
// have been recorded whole (NormalPair draws for the position and
// velocity), and returns the track.
func (w *World) settle(g *sighting, team int) *Track {
	tr := &g.tr
	if !g.lazy {
		return tr
	}
	g.lazy = false
	t := &w.Ships[g.j]
	tr.Layer, tr.Class = -1, -1
	if tr.Quality >= 1 {
		tr.Layer, tr.Class = layerCode(t), t.Class
	}
	tr.Hostile, tr.Fresh, tr.Updated = t.Team != team, true, w.Tick
	ex, ey := rng.PolarPair(g.noise[0], g.noise[1], g.noise[2])
	tr.Pos = r2.Vec{X: t.Kin.Pos.X + float64(tr.Err*ex), Y: t.Kin.Pos.Y + float64(tr.Err*ey)}
	if tr.Quality == 0 {
		tr.Vel = r2.Vec{} // a bearing-only cue has no velocity (its draws stay unused)
		return tr
	}
	v := w.targets[g.j].vel // (velocity(t): nothing moves a ship in the sensor phase)
	vn := float64(tr.Err * velNoiseFrac)
	nx, ny := rng.PolarPair(g.noise[3], g.noise[4], g.noise[5])
	tr.Vel = r2.Vec{X: v.X + float64(vn*nx), Y: v.Y + float64(vn*ny)}
	return tr
}

// better reports whether track a beats b for the datalink: higher
// quality, then smaller error.
func better(a, b *Track) bool {
	if a.Quality != b.Quality {
		return a.Quality > b.Quality
	}
	return a.Err < b.Err
}

// hearTorpedoes lets a ship's sonar hear hostile torpedoes; the nearest one
// heard becomes its Threat.
func (w *World) hearTorpedoes(s *Ship) {
	if w.torpTeams&^(1<<min(s.Team, 63)) == 0 && s.Team < 63 {
		return // no hostile torpedo in the water
	}
	reach := w.sonarRange(s)
	if reach == 0 {
		return
	}
	ambient, reach2 := w.ambientNoise(s), reachSquared(reach)
	for _, k := range w.nearTorpedoes(s.Kin.Pos, reach) {
		p := &w.projectiles[k]
		if w.Ships[p.Owner].Team == s.Team {
			continue
		}
		d := r2.Sub(p.Pos, s.Kin.Pos)
		if squareOrder(rangeSquare(d), reach2) > 0 {
			continue // surely out of reach, as Hypot would find: most are
		}
		rng := dmath.Hypot(d.X, d.Y)
		if rng > reach {
			continue
		}
		if w.hears(&s.Sensor, rng, ambient) && (!s.Threat.Heard || rng < s.Threat.Range) {
			s.Threat = Threat{Heard: true, Bearing: dmath.Atan2(d.Y, d.X), Range: rng, Pos: p.Pos}
		}
	}
	if last := &w.lastThreat[s.ID-1]; s.Threat.Heard && last.Heard {
		v := r2.Sub(s.Threat.Pos, last.Pos)
		if speed := dmath.Hypot(v.X, v.Y); speed > torpedoSpeedMin && speed < torpedoSpeedMax {
			s.Threat.Tracked, s.Threat.Course = true, dmath.Atan2(v.Y, v.X)
		}
	}
}

// sonarRange is the longest effective sonar range of a ship, 0 without
// sonar: its plan's, where it has one.
func (w *World) sonarRange(s *Ship) float64 {
	if p := w.plan(int(s.ID - 1)); p != nil {
		return p.sonar
	}
	return w.longestSonar(s)
}

// longestSonar works out sonarRange.
func (w *World) longestSonar(s *Ship) float64 {
	r := 0.0
	for k := range s.Spec.Sensors {
		if spec := &s.Spec.Sensors[k]; w.kinds[s.ID-1][k] == Sonar {
			r = max(r, w.sensorRange(Sonar, spec.Range, s.Kin.Pos))
		}
	}
	return r
}
