package contract

// Rules holds the arena's tuning numbers. Every field has a documented
// default (DefaultRules); a package may override any of them under "rules".
// Ship-specific numbers (speeds, ranges, damage, crew skill) live on the
// ships instead.
type Rules struct {
	// Sensors and tracks.
	TrackTimeoutS          float64 `json:"track_timeout_s" tb:"range=(0,86400]"`          // tracks drop after this long without an update
	TrackErrorGrowthMS     float64 `json:"track_error_growth_m_s" tb:"range=[0,10000]"`   // position error growth per second of age
	RadarSeaStateLoss      float64 `json:"radar_sea_state_loss" tb:"range=[0,1]"`         // radar range × (1 − this × sea_state)
	RadarRainFactor        float64 `json:"radar_rain_factor" tb:"range=[0,1]"`            // radar range × this in rain
	RadarStormFactor       float64 `json:"radar_storm_factor" tb:"range=[0,1]"`           // … and in storms
	RadarEmissionFactor    float64 `json:"radar_emission_factor" tb:"range=(0,100]"`      // emitters are heard at this × radar range (Q0)
	FogVisualFactor        float64 `json:"fog_visual_factor" tb:"range=[0,1]"`            // visual range × this in fog
	InterferenceStrength   float64 `json:"interference_strength" tb:"range=[0,1]"`        // sensor range × (1 − this × zone intensity)
	LightningBlackoutTicks int     `json:"lightning_blackout_ticks" tb:"range=[0,86400]"` // sensor blackout after a strike
	AmbientNoiseDB         float64 `json:"ambient_noise_db" tb:"range=[0,1000]"`          // sonar ambient noise without a noise field
	StormNoiseDB           float64 `json:"storm_noise_db" tb:"range=[0,1000]"`            // extra ambient noise in storms (rain: half)
	SeaStateNoiseDB        float64 `json:"sea_state_noise_db" tb:"range=[0,1000]"`        // extra ambient noise per sea-state step
	TransitionBloomDB      float64 `json:"transition_bloom_db" tb:"range=[0,1000]"`       // acoustic bloom while diving or surfacing
	PingLoudnessDB         float64 `json:"ping_loudness_db" tb:"range=[0,1000]"`          // how loud an active ping makes the pinger
	PingCooldownTicks      int     `json:"ping_cooldown_ticks" tb:"range=[0,86400]"`      // ticks between pings
	TorpedoNoiseDB         float64 `json:"torpedo_noise_db" tb:"range=[0,1000]"`          // source level of a running torpedo
	SonarAbsorptionDBKm    float64 `json:"sonar_absorption_db_km" tb:"range=[0,1000]"`    // transmission loss per km beyond spreading
	DetectionSlopeDB       float64 `json:"detection_slope_db" tb:"range=(0,1000]"`        // width of the detection-probability curve
	// Weapons and damage.
	CritChance          float64 `json:"crit_chance" tb:"range=[0,1]"`                // chance a hit is critical
	CritDurationTicks   int     `json:"crit_duration_ticks" tb:"range=[0,86400]"`    // base crit duration, × (1 − 0.5 × engineering)
	FireDamagePerTick   float64 `json:"fire_damage_per_tick" tb:"range=[0,1e9]"`     // hp lost per tick while on fire
	MobilitySpeedCap    float64 `json:"mobility_speed_cap" tb:"range=[0,1]"`         // speed cap while mobility is disabled
	MisfireScale        float64 `json:"misfire_scale" tb:"range=[0,1]"`              // misfire chance = this × (1 − morale)
	HazardDamagePerTick float64 `json:"hazard_damage_per_tick" tb:"range=[0,1e9]"`   // × zone intensity, class S surface ships
	HeavySeaState       int     `json:"heavy_sea_state" tb:"range=[0,10]"`           // from this sea state small craft take damage
	HeavySeaDamage      float64 `json:"heavy_sea_damage" tb:"range=[0,1e9]"`         // hp per tick per sea-state step at or above it
	CollisionDamageMS   float64 `json:"collision_damage_per_m_s" tb:"range=[0,1e9]"` // hp per m/s of closing speed
	// Crew.
	SurrenderHP          float64 `json:"surrender_hp" tb:"range=[0,1]"`             // surrender below this hp fraction …
	SurrenderMorale      float64 `json:"surrender_morale" tb:"range=[0,1]"`         // … when morale is below this
	MoraleLossPerDamage  float64 `json:"morale_loss_per_damage" tb:"range=[0,100]"` // morale lost per max-hp fraction of damage
	MoraleLossFriendLost float64 `json:"morale_loss_friend_lost" tb:"range=[0,1]"`  // morale lost when a teammate is put out of action
	MoraleGainKill       float64 `json:"morale_gain_kill" tb:"range=[0,1]"`         // morale gained when the team puts a hostile out
	// Termination.
	RoutFraction float64 `json:"rout_fraction" tb:"range=(0,1]"` // a team is defeated once this fraction of its ships is out of action
}

// DefaultRules returns the arena.v1 defaults.
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

// Randomize says how a battle's start varies with its seed. The arena
// applies it when a battle starts, drawing from the seed's "spawn" stream:
// for each ship in order x += U(−j, j), y += U(−j, j), heading += U(−h, h),
// clamped inside the bounds; then sea_state += Intn(2d+1) − d within
// [0, 9] and visibility_km += U(−v, v), at least 0.5.
type Randomize struct {
	SpawnJitterM      float64 `json:"spawn_jitter_m" tb:"range=[0,1e6]"`                   // m, each of x and y
	HeadingJitterRad  float64 `json:"heading_jitter_rad" tb:"range=[0,6.283185307179586]"` // radians
	SeaStateDelta     int     `json:"sea_state_delta" tb:"range=[0,9]"`                    // steps either way
	VisibilityJitterK float64 `json:"visibility_jitter_km" tb:"range=[0,1000]"`            // km either way
}
