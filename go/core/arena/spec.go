package arena

import (
	"encoding/json"
	"math"
)

// Field describes one value of a buffer layout: its name, the bounds its
// normalisation guarantees (±Inf where there is none) and what it means.
//
// The tables of Field below, with the enums and event kinds, are the one
// source of the layouts: the C ABI reports them (tb_layout), the Python
// package's layout module is generated from that report, and the docs'
// tables are generated from the Python module. Their order is the order of
// the buffer; each table is keyed by the index constant of its layout, so
// a constant and its entry cannot drift apart.
type Field struct {
	Name      string
	Low, High float64
	Doc       string
}

// MarshalJSON writes Low and High as null where they are infinite (JSON
// has no infinity).
func (f Field) MarshalJSON() ([]byte, error) {
	bound := func(v float64) *float64 {
		if math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	return json.Marshal(struct {
		Name string   `json:"name"`
		Low  *float64 `json:"low"`
		High *float64 `json:"high"`
		Doc  string   `json:"doc"`
	}{f.Name, bound(f.Low), bound(f.High), f.Doc})
}

var inf = math.Inf(1)

// OwnFields names and documents the own-ship block of an observation.
var OwnFields = [ObsOwnSize]Field{
	ObsOwnX:                {"x", -1, 1, "(x − map centre) / half map width, clamped to [−1, 1]"},
	ObsOwnY:                {"y", -1, 1, "(y − map centre) / half map height, clamped to [−1, 1]"},
	ObsOwnSinHeading:       {"sin_heading", -1, 1, "sin of heading (radians CCW from +x)"},
	ObsOwnCosHeading:       {"cos_heading", -1, 1, "cos of heading"},
	ObsOwnSpeed:            {"speed", -1, 1, "speed / hull max_speed (negative astern), clamped to [−1, 1]"},
	ObsOwnThrottle:         {"throttle", -1, 1, "standing throttle order, [−1, 1]"},
	ObsOwnRudder:           {"rudder", -1, 1, "standing rudder order, [−1, 1]"},
	ObsOwnLayer:            {"layer", 0, 1, "0 surface, 1 submerged"},
	ObsOwnTransitioning:    {"transitioning", 0, 1, "1 while diving or surfacing"},
	ObsOwnTransition:       {"transition_progress", 0, 1, "fraction of the dive/surfacing done"},
	ObsOwnHP:               {"hp", 0, 1, "hp / max hp"},
	ObsOwnMobilityDisabled: {"mobility_disabled", 0, 1, "1 while a mobility crit holds speed at 20 %"},
	ObsOwnWeaponsDisabled:  {"weapons_disabled", 0, 1, "1 while a weapons crit stops all firing"},
	ObsOwnSensorsDisabled:  {"sensors_disabled", 0, 1, "1 while a sensors crit or a lightning blackout blinds the ship"},
	ObsOwnOnFire:           {"on_fire", 0, 1, "1 while burning"},
	ObsOwnGunCooldown:      {"gun_cooldown", 0, 1, "ticks until the gun can fire / its reload (0 = ready or no gun)"},
	ObsOwnTorpedoCooldown:  {"torpedo_cooldown", 0, 1, "same for the torpedo tube"},
	ObsOwnASWCooldown:      {"asw_cooldown", 0, 1, "same for the ASW mortar"},
	ObsOwnGunAmmo:          {"gun_ammo", 0, 1, "rounds left / rounds at start"},
	ObsOwnTorpedoAmmo:      {"torpedo_ammo", 0, 1, "torpedoes left / at start"},
	ObsOwnASWAmmo:          {"asw_ammo", 0, 1, "ASW charges left / at start"},
	ObsOwnMorale:           {"morale", 0, 1, "crew morale, [0, 1]"},
	ObsOwnThreatHeard:      {"threat_heard", 0, 1, "1 while the ship's sonar hears a hostile torpedo (what a scripted ship evades)"},
	ObsOwnThreatSinBear:    {"threat_sin_bearing", -1, 1, "sin of the bearing of the nearest torpedo heard, relative to own heading (0 if none)"},
	ObsOwnThreatCosBear:    {"threat_cos_bearing", -1, 1, "cos of it (0 if none)"},
	ObsOwnThreatRange:      {"threat_range", 0, 1, "range r of that torpedo as r / (r + 1 km); 0 if none"},
	ObsOwnThreatTracked:    {"threat_tracked", 0, 1, "1 when the torpedo was heard the tick before too and the two fixes give its course (as a scripted ship's evasion uses it)"},
	ObsOwnThreatSinCourse:  {"threat_sin_course", -1, 1, "sin of that torpedo's course, relative to own heading (0 unless tracked)"},
	ObsOwnThreatCosCourse:  {"threat_cos_course", -1, 1, "cos of it (0 unless tracked)"},
}

// TrackFields names and documents one track slot.
var TrackFields = [TrackSize]Field{
	TrkPresent:   {"present", 0, 1, "1 if the slot holds a track"},
	TrkSinBear:   {"sin_bearing", -1, 1, "sin of the bearing relative to own heading"},
	TrkCosBear:   {"cos_bearing", -1, 1, "cos of it"},
	TrkRange:     {"range", 0, 1, "estimated range r as r / (r + 5 km): 0 close aboard, 0.23 at 1.5 km, 0.5 at 5 km, 0.71 at 12 km, below 1 however far (r = 5 km · v / (1 − v))"},
	TrkClosing:   {"closing_speed", -1, 1, "closing speed from the track's velocity estimate / 20 m/s, clamped to [−1, 1]"},
	TrkQuality:   {"quality", 0, 1, "Q / 3 (Q0 bearing-only cue … Q3 corroborated fire-control)"},
	TrkClass:     {"class", -1, 1, "S 0, M 1/3, L 2/3, XL 1; −1 unknown (Q0)"},
	TrkIFF:       {"iff", -1, 1, "1 hostile, −1 friendly"},
	TrkLayer:     {"layer", -1, 1, "0 surface, 1 submerged, 0.5 transitioning, −1 unknown"},
	TrkAge:       {"age", 0, 1, "seconds since the last update / track timeout, at most 1"},
	TrkSinCourse: {"sin_course", -1, 1, "estimated course relative to own heading (0 if unknown)"},
	TrkCosCourse: {"cos_course", -1, 1, "cos of it"},
}

// EnvFields names and documents the environment block.
var EnvFields = [EnvSize]Field{
	EnvCurrentU:   {"current_u", -1, 1, "water current at the ship, x component / 2 m/s, clamped to [−1, 1]"},
	EnvCurrentV:   {"current_v", -1, 1, "y component / 2 m/s, clamped to [−1, 1]"},
	EnvSeaState:   {"sea_state", 0, 1, "sea state / 9"},
	EnvVisibility: {"visibility", 0, 1, "visibility / 20 km, at most 1"},
	EnvHazard:     {"hazard", 0, 1, "intensity of a hazard zone at the ship, at most 1"},
	EnvNoise:      {"noise", 0, 1, "ambient noise the ship's sonar hears (dB) / 100, clamped to [0, 1]"},
}

// ContextFields names and documents the context block.
var ContextFields = [CtxSize]Field{
	CtxTimeLeft: {"time_left", 0, 1, "ticks remaining / time limit"},
	CtxWallDist: {"wall_distance", 0, 1, "distance to the nearest map edge / 1 km, at most 1"},
}

// ActionFields names and documents the action vector.
var ActionFields = [ActionSize]Field{
	ActThrottle:    {"throttle", -1, 1, "−1 full astern (half speed) … +1 full ahead"},
	ActRudder:      {"rudder", -1, 1, "−1 hard starboard (clockwise) … +1 hard port; no turning when stopped"},
	ActFireGun:     {"fire_gun", -1, 1, "> 0 fires the gun at the best Q2+ hostile surface track in range"},
	ActFireTorpedo: {"fire_torpedo", -1, 1, "> 0 fires a torpedo at the best Q1+ track (submerged shooters only)"},
	ActFireASW:     {"fire_asw", -1, 1, "> 0 fires the ASW mortar at the best Q1+ submerged track in range"},
	ActLayer:       {"layer", -1, 1, "> 0.5 dive, < −0.5 surface, otherwise hold"},
	ActPing:        {"ping", -1, 1, "> 0 sends an active sonar ping (sure detection in range; makes you loud)"},
}

// MaskFields names and documents the action mask.
var MaskFields = [MaskSize]Field{
	MaskFireGun:     {"fire_gun", 0, 1, "1 when the gun is loaded and ready and a valid target track is in range"},
	MaskFireTorpedo: {"fire_torpedo", 0, 1, "same for the torpedo tube (submerged shooters only)"},
	MaskFireASW:     {"fire_asw", 0, 1, "same for the ASW mortar"},
	MaskDive:        {"dive", 0, 1, "1 when the ship may start a dive here"},
	MaskSurface:     {"surface", 0, 1, "1 when the ship may start to surface"},
	MaskPing:        {"ping", 0, 1, "1 when an active ping is off cooldown and a sonar can send it"},
}

// RewardFields names and documents the raw reward terms.
var RewardFields = [NumRewardTerms]Field{
	RewardDamageDealt: {"damage_dealt", 0, inf, "hp of damage this ship's weapons did to hostiles"},
	RewardDamageTaken: {"damage_taken", 0, inf, "hp this ship lost"},
	RewardKill:        {"kill", 0, inf, "hostiles this ship put out of action"},
	RewardDeath:       {"death", 0, 1, "1 on the tick this ship is put out of action"},
	RewardWin:         {"win", 0, 1, "1 on the final tick if the agent's team won"},
	RewardLoss:        {"loss", 0, 1, "1 on the final tick if it lost"},
	RewardDraw:        {"draw", 0, 1, "1 on the final tick of a draw or time-out"},
	RewardTime:        {"time", 0, 1, "1 every tick"},
	RewardHazard:      {"hazard", 0, inf, "hp lost to hazard zones, heavy seas"},
	RewardWastedShot:  {"wasted_shot", 0, inf, "own projectiles that expired without a hit"},
	RewardCollision:   {"collision", 0, inf, "collisions with obstacles or ships"},
	RewardDetected:    {"detected", 0, 1, "1 when a hostile holds a fresh Q1+ track on this ship"},
	RewardContact:     {"contact", 0, 1, "1 while this ship holds a fresh Q1+ track on a hostile"},
	RewardClosing: {"closing", -inf, inf,
		"km of range closed this tick on the nearest hostile track (own estimate; 0 when that contact changes)"},
	RewardApproach: {"approach", -inf, inf,
		"km this ship closed this tick on the nearest hostile ship in action, from both ships' true positions, " +
			"headings and speeds: a shaping signal toward a foe not yet detected (the observation never holds it)"},
}

// Enum names the values of one of the arena's integer codes, in order
// from First.
type Enum struct {
	Name   string      `json:"name"`
	Doc    string      `json:"doc"`
	First  int         `json:"first"`
	Values []EnumValue `json:"values"`
}

// EnumValue is one value of an Enum.
type EnumValue struct {
	Name string `json:"name"`
	Doc  string `json:"doc"`
}

// Enums lists the arena's integer codes as they appear in states, events
// and replays: ship status, layer, weapon kind, track quality, ship class,
// critical effect and sensor kind. Event kinds are in EventKinds.
func Enums() []Enum {
	return []Enum{
		{"status", "how a ship stands in the battle (Status)", int(StatusActive), []EnumValue{
			StatusActive:      {"active", "moves, senses and fights"},
			StatusDisabled:    {"disabled", "out of action at 0 hp, afloat"},
			StatusDestroyed:   {"destroyed", "out of action, sunk"},
			StatusSurrendered: {"surrendered", "struck its colours (low hp and morale)"},
		}},
		{"layer", "a ship's depth layer (Layer)", int(Surface), []EnumValue{
			Surface:   {"surface", "on the surface"},
			Submerged: {"submerged", "below the surface"},
		}},
		{"weapon", "a mount's and a projectile's kind (WeaponKind)", int(Gun), []EnumValue{
			Gun:     {"gun", "shells, against surface ships"},
			Torpedo: {"torpedo", "torpedoes, fired submerged"},
			ASW:     {"asw", "ASW mortar charges, against submerged ships"},
		}},
		{"track_quality", "what a track supports (Track.Quality; -1 is an empty slot)", 0, []EnumValue{
			{"Q0", "bearing-only cue"},
			{"Q1", "coarse position: class and layer known"},
			{"Q2", "fire-control quality"},
			{"Q3", "corroborated: two or more team ships hold fresh Q2 tracks, shared over the datalink"},
		}},
		{"class", "a ship's size class (Ship.Class, Track.Class; -1 unknown)", 0, []EnumValue{
			{"S", "small: destroyed at 0 hp"},
			{"M", "medium: destroyed or disabled at 0 hp"},
			{"L", "large: disabled at 0 hp"},
			{"XL", "extra large: disabled at 0 hp"},
		}},
		{"crit", "a critical effect (the value of a crit event)", critMobility, []EnumValue{
			critMobility: {"mobility", "speed held at 20 %"},
			critWeapons:  {"weapons", "no firing"},
			critSensors:  {"sensors", "blind"},
			critFire:     {"fire", "burning: damage every tick"},
		}},
		{"sensor", "a sensor kind (bit i of Track.Sources is kind i)", int(Radar), []EnumValue{
			Radar:  {"radar", "active radar (surface targets)"},
			Visual: {"visual", "lookouts (surface targets)"},
			Sonar:  {"sonar", "passive or active sonar"},
			ESM:    {"esm", "passive radar-emission receiver"},
			Link:   {"link", "a track received over the team datalink"},
		}},
	}
}

// EventInfo documents one event kind: its name, what Source and Target
// are, and what Value holds (ValueEnum names the Enum that decodes it, or
// is empty for a plain number).
type EventInfo struct {
	Name      string `json:"name"`
	Doc       string `json:"doc"`
	Source    string `json:"source"`
	Target    string `json:"target"`
	Value     string `json:"value"`
	ValueEnum string `json:"value_enum,omitempty"`
}

// EventSpec is an EventInfo with its kind's code, as Layout lists it.
type EventSpec struct {
	Code EventKind `json:"code"`
	EventInfo
}

// numEventKinds is one past the last event kind.
const numEventKinds = EventPing + 1

// EventKinds documents each EventKind, indexed by kind (entry 0 is unused:
// kinds start at 1).
var EventKinds = [numEventKinds]EventInfo{
	EventTransitionStart: {"transition_start", "a ship began to dive or surface",
		"the ship", "the ship", "the layer it is heading for", "layer"},
	EventTransitionDone: {"transition_done", "a dive or surfacing completed",
		"the ship", "the ship", "the layer reached", "layer"},
	EventTransitionAbort: {"transition_abort", "a dive or surfacing was aborted by damage",
		"the ship", "the ship", "the layer it stays in", "layer"},
	EventCollision: {"collision", "a ship struck an obstacle or another ship",
		"the other ship (0 for an obstacle or the map edge)", "the ship", "closing speed, m/s", ""},
	EventDamage: {"damage", "a ship lost hp",
		"the ship whose weapon did it (0 for collisions, fire, hazards, heavy seas)", "the ship", "hp lost", ""},
	EventOutOfAction: {"out_of_action", "a ship was put out of action",
		"the ship credited (0 for none)", "the ship", "its new status", "status"},
	EventFire: {"fire", "a weapon fired a projectile",
		"the ship", "the ship aimed at", "weapon kind", "weapon"},
	EventHit: {"hit", "a projectile hit a ship",
		"the ship that fired it", "the ship hit", "damage before the hp floor", ""},
	EventWasted: {"wasted", "a projectile expired without a hit",
		"the ship that fired it", "none (0)", "weapon kind", "weapon"},
	EventMisfire: {"misfire", "a fire order failed (low morale); no ammunition spent",
		"the ship", "none (0)", "0", ""},
	EventCrit: {"crit", "a weapon hit caused a critical effect",
		"the ship", "the ship", "the effect", "crit"},
	EventPing: {"ping", "a ship sent an active sonar ping",
		"the ship", "the ship", "0", ""},
}

// String returns the event kind's name, e.g. "hit".
func (k EventKind) String() string {
	if k >= 1 && k < numEventKinds {
		return EventKinds[k].Name
	}
	return "unknown"
}

// LayoutVersion is the version of the Layout description; it changes when
// the description's own shape changes, not when a table does.
const LayoutVersion = 1

// MaxTracksLimit is the largest number of track slots an env accepts.
const MaxTracksLimit = 64

// DefaultMaxTracks is the number of track slots when none is configured.
const DefaultMaxTracks = 8

// Layout describes every buffer layout and code of the arena, for the
// C ABI's tb_layout and the generated Python layout module.
type Layout struct {
	Version          int         `json:"version"`
	DefaultMaxTracks int         `json:"default_max_tracks"`
	MaxTracksLimit   int         `json:"max_tracks_limit"`
	Own              []Field     `json:"own"`
	Track            []Field     `json:"track"`
	Env              []Field     `json:"env"`
	Context          []Field     `json:"context"`
	Action           []Field     `json:"action"`
	Mask             []Field     `json:"mask"`
	Reward           []Field     `json:"reward"`
	Enums            []Enum      `json:"enums"`
	Events           []EventSpec `json:"events"`
}

// Describe returns the Layout of this build.
func Describe() Layout {
	return Layout{
		Version: LayoutVersion, DefaultMaxTracks: DefaultMaxTracks, MaxTracksLimit: MaxTracksLimit,
		Own: OwnFields[:], Track: TrackFields[:], Env: EnvFields[:], Context: ContextFields[:],
		Action: ActionFields[:], Mask: MaskFields[:], Reward: RewardFields[:],
		Enums: Enums(), Events: eventKinds(),
	}
}

// eventKinds is EventKinds from kind 1 on, each with its code.
func eventKinds() []EventSpec {
	out := make([]EventSpec, 0, numEventKinds-1)
	for k := EventKind(1); k < numEventKinds; k++ {
		out = append(out, EventSpec{Code: k, EventInfo: EventKinds[k]})
	}
	return out
}
