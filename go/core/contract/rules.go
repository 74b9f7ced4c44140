package contract

import "encoding/json"

// Rules holds the arena's tuning numbers. Every field has a documented
// default (DefaultRules); a package may override any of them under "rules".
// Ship-specific numbers (speeds, ranges, damage, crew skill) live on the
// ships instead.
type Rules struct {
	// Sensors and tracks.
	TrackTimeoutS          float64 `json:"track_timeout_s"`          // tracks drop after this long without an update
	TrackErrorGrowthMS     float64 `json:"track_error_growth_m_s"`   // position error growth per second of age
	RadarSeaStateLoss      float64 `json:"radar_sea_state_loss"`     // radar range × (1 − this × sea_state)
	RadarRainFactor        float64 `json:"radar_rain_factor"`        // radar range × this in rain
	RadarStormFactor       float64 `json:"radar_storm_factor"`       // … and in storms
	RadarEmissionFactor    float64 `json:"radar_emission_factor"`    // emitters are heard at this × radar range (Q0)
	FogVisualFactor        float64 `json:"fog_visual_factor"`        // visual range × this in fog
	InterferenceStrength   float64 `json:"interference_strength"`    // sensor range × (1 − this × zone intensity)
	LightningBlackoutTicks int     `json:"lightning_blackout_ticks"` // sensor blackout after a strike
	AmbientNoiseDB         float64 `json:"ambient_noise_db"`         // sonar ambient noise without a noise field
	StormNoiseDB           float64 `json:"storm_noise_db"`           // extra ambient noise in storms (rain: half)
	SeaStateNoiseDB        float64 `json:"sea_state_noise_db"`       // extra ambient noise per sea-state step
	TransitionBloomDB      float64 `json:"transition_bloom_db"`      // acoustic bloom while diving or surfacing
	PingLoudnessDB         float64 `json:"ping_loudness_db"`         // how loud an active ping makes the pinger
	PingCooldownTicks      int     `json:"ping_cooldown_ticks"`      // ticks between pings
	TorpedoNoiseDB         float64 `json:"torpedo_noise_db"`         // source level of a running torpedo
	SonarAbsorptionDBKm    float64 `json:"sonar_absorption_db_km"`   // transmission loss per km beyond spreading
	DetectionSlopeDB       float64 `json:"detection_slope_db"`       // width of the detection-probability curve
	// Weapons and damage.
	CritChance          float64 `json:"crit_chance"`              // chance a hit is critical
	CritDurationTicks   int     `json:"crit_duration_ticks"`      // base crit duration, × (1 − 0.5 × engineering)
	FireDamagePerTick   float64 `json:"fire_damage_per_tick"`     // hp lost per tick while on fire
	MobilitySpeedCap    float64 `json:"mobility_speed_cap"`       // speed cap while mobility is disabled
	MisfireScale        float64 `json:"misfire_scale"`            // misfire chance = this × (1 − morale)
	HazardDamagePerTick float64 `json:"hazard_damage_per_tick"`   // × zone intensity, class S surface ships
	HeavySeaState       int     `json:"heavy_sea_state"`          // from this sea state small craft take damage
	HeavySeaDamage      float64 `json:"heavy_sea_damage"`         // hp per tick per sea-state step at or above it
	CollisionDamageMS   float64 `json:"collision_damage_per_m_s"` // hp per m/s of closing speed
	// Crew.
	SurrenderHP          float64 `json:"surrender_hp"`            // surrender below this hp fraction …
	SurrenderMorale      float64 `json:"surrender_morale"`        // … when morale is below this
	MoraleLossPerDamage  float64 `json:"morale_loss_per_damage"`  // morale lost per max-hp fraction of damage
	MoraleLossFriendLost float64 `json:"morale_loss_friend_lost"` // morale lost when a teammate is put out of action
	MoraleGainKill       float64 `json:"morale_gain_kill"`        // morale gained when the team puts a hostile out
	// Termination.
	RoutFraction float64 `json:"rout_fraction"` // a team is defeated once this fraction of its ships is out of action
}

// DefaultRules returns the arena.v1 defaults (SPEC §6).
func DefaultRules() Rules {
	return Rules{
		TrackTimeoutS: 30, TrackErrorGrowthMS: 5,
		RadarSeaStateLoss: 0.05, RadarRainFactor: 0.8, RadarStormFactor: 0.6, RadarEmissionFactor: 1.5,
		FogVisualFactor: 0.3, InterferenceStrength: 0.7, LightningBlackoutTicks: 3,
		AmbientNoiseDB: 60, StormNoiseDB: 10, SeaStateNoiseDB: 1, TransitionBloomDB: 20,
		PingLoudnessDB: 40, PingCooldownTicks: 5, TorpedoNoiseDB: 150,
		SonarAbsorptionDBKm: 1, DetectionSlopeDB: 3,
		CritChance: 0.1, CritDurationTicks: 30, FireDamagePerTick: 1, MobilitySpeedCap: 0.2,
		MisfireScale: 0.1, HazardDamagePerTick: 2, HeavySeaState: 6, HeavySeaDamage: 0.5,
		CollisionDamageMS: 2,
		SurrenderHP:       0.3, SurrenderMorale: 0.3, MoraleLossPerDamage: 0.5, MoraleLossFriendLost: 0.1,
		MoraleGainKill: 0.05,
		RoutFraction:   1,
	}
}

// UnmarshalJSON decodes rules over DefaultRules.
func (r *Rules) UnmarshalJSON(b []byte) error {
	type plain Rules
	*r = DefaultRules()
	return json.Unmarshal(b, (*plain)(r))
}

func (r *Rules) validate(v *problems, path string) {
	for _, f := range []struct {
		name string
		x    float64
	}{
		{"track_timeout_s", r.TrackTimeoutS}, {"radar_emission_factor", r.RadarEmissionFactor},
		{"detection_slope_db", r.DetectionSlopeDB}, {"rout_fraction", r.RoutFraction},
	} {
		v.positive(path+"."+f.name, f.x)
	}
	for _, f := range []struct {
		name string
		x    float64
	}{
		{"track_error_growth_m_s", r.TrackErrorGrowthMS}, {"ambient_noise_db", r.AmbientNoiseDB},
		{"storm_noise_db", r.StormNoiseDB}, {"sea_state_noise_db", r.SeaStateNoiseDB},
		{"transition_bloom_db", r.TransitionBloomDB}, {"ping_loudness_db", r.PingLoudnessDB},
		{"torpedo_noise_db", r.TorpedoNoiseDB}, {"sonar_absorption_db_km", r.SonarAbsorptionDBKm},
		{"fire_damage_per_tick", r.FireDamagePerTick}, {"hazard_damage_per_tick", r.HazardDamagePerTick},
		{"heavy_sea_damage", r.HeavySeaDamage}, {"collision_damage_per_m_s", r.CollisionDamageMS},
		{"morale_loss_per_damage", r.MoraleLossPerDamage},
	} {
		v.nonNegative(path+"."+f.name, f.x)
	}
	for _, f := range []struct {
		name string
		x    float64
	}{
		{"radar_sea_state_loss", r.RadarSeaStateLoss}, {"radar_rain_factor", r.RadarRainFactor},
		{"radar_storm_factor", r.RadarStormFactor}, {"fog_visual_factor", r.FogVisualFactor},
		{"interference_strength", r.InterferenceStrength}, {"crit_chance", r.CritChance},
		{"mobility_speed_cap", r.MobilitySpeedCap}, {"misfire_scale", r.MisfireScale},
		{"surrender_hp", r.SurrenderHP}, {"surrender_morale", r.SurrenderMorale},
		{"morale_loss_friend_lost", r.MoraleLossFriendLost}, {"morale_gain_kill", r.MoraleGainKill},
		{"rout_fraction", r.RoutFraction},
	} {
		v.unit(path+"."+f.name, f.x)
	}
	for _, f := range []struct {
		name string
		x    int
	}{
		{"lightning_blackout_ticks", r.LightningBlackoutTicks}, {"ping_cooldown_ticks", r.PingCooldownTicks},
		{"crit_duration_ticks", r.CritDurationTicks},
	} {
		if f.x < 0 {
			v.add(path+"."+f.name, "must be >= 0 (got %d)", f.x)
		}
	}
	if r.HeavySeaState < 0 || r.HeavySeaState > 10 {
		v.add(path+".heavy_sea_state", "must be within [0, 10] (got %d)", r.HeavySeaState)
	}
}

// Randomize says how a battle's start varies with its seed. The arena
// applies it when a battle starts, drawing from the seed's "spawn" stream
// (uniform draws only, so the Python scenarios module reproduces it):
// for each ship in order x += U(−j, j), y += U(−j, j), heading += U(−h, h),
// clamped inside the bounds; then sea_state += Intn(2d+1) − d within
// [0, 9] and visibility_km += U(−v, v), at least 0.5.
type Randomize struct {
	SpawnJitterM      float64 `json:"spawn_jitter_m"`
	HeadingJitterRad  float64 `json:"heading_jitter_rad"`
	SeaStateDelta     int     `json:"sea_state_delta"`
	VisibilityJitterK float64 `json:"visibility_jitter_km"`
}

func (r *Randomize) validate(v *problems, path string) {
	v.nonNegative(path+".spawn_jitter_m", r.SpawnJitterM)
	v.nonNegative(path+".heading_jitter_rad", r.HeadingJitterRad)
	v.nonNegative(path+".visibility_jitter_km", r.VisibilityJitterK)
	if r.SeaStateDelta < 0 || r.SeaStateDelta > 9 {
		v.add(path+".sea_state_delta", "must be within [0, 9] (got %d)", r.SeaStateDelta)
	}
}
