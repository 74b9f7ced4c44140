package arena

// Action layout: every agent sends ActionSize float32 values, each within
// [-1, 1]. NaN, ±Inf and values outside the range are rejected.
const (
	ActThrottle    = iota // -1 full astern (50 % speed) … +1 full ahead
	ActRudder             // -1 hard to starboard (clockwise) … +1 hard to port
	ActFireGun            // > 0 fires the gun at the best Q2 track
	ActFireTorpedo        // > 0 fires a torpedo (submerged only)
	ActFireASW            // > 0 fires the ASW mortar at the best sonar track
	ActLayer              // > 0.5 dive, < -0.5 surface, otherwise hold
	ActPing               // > 0 sends an active sonar ping
	ActionSize
)

// Mask layout: one flag per discrete choice, 1 when it is legal now.
const (
	MaskFireGun = iota
	MaskFireTorpedo
	MaskFireASW
	MaskDive
	MaskSurface
	MaskPing
	MaskSize
)

// Reward terms, written per agent per tick as float32 (raw, unweighted).
const (
	RewardDamageDealt = iota // hp of damage this ship's weapons did to hostiles
	RewardDamageTaken        // hp this ship lost
	RewardKill               // hostile ships this ship put out of action
	RewardDeath              // 1 on the tick this ship is put out of action
	RewardWin                // 1 on the final tick if the agent's team won
	RewardLoss               // 1 on the final tick if it lost
	RewardDraw               // 1 on the final tick of a draw or time-out
	RewardTime               // 1 every tick
	RewardHazard             // hp lost to hazard zones and heavy seas
	RewardWastedShot         // projectiles of this ship that expired without a hit
	RewardCollision          // collisions with obstacles or ships
	RewardDetected           // 1 when a hostile holds a track on this ship
	RewardContact            // 1 while this ship holds a fresh Q1+ track on a hostile
	RewardClosing            // km of range closed this tick on the nearest hostile track
	RewardApproach           // km closed this tick on the nearest hostile ship (ground truth, for shaping)
	NumRewardTerms
)

// Observation layout (all float32). Own-ship block first, then MaxTracks
// track slots, then the environment and context blocks. OwnFields,
// TrackFields, EnvFields and ContextFields name and document each index.
const (
	ObsOwnX = iota // (x − centre) / half-width of the map, clamped to [-1, 1]
	ObsOwnY
	ObsOwnSinHeading
	ObsOwnCosHeading
	ObsOwnSpeed // speed / max_speed, clamped to [-1, 1]
	ObsOwnThrottle
	ObsOwnRudder
	ObsOwnLayer         // 0 surface, 1 submerged
	ObsOwnTransitioning // 1 while diving or surfacing
	ObsOwnTransition    // transition progress 0..1
	ObsOwnHP            // hp / max hp
	ObsOwnMobilityDisabled
	ObsOwnWeaponsDisabled
	ObsOwnSensorsDisabled
	ObsOwnOnFire
	ObsOwnGunCooldown // remaining / cooldown
	ObsOwnTorpedoCooldown
	ObsOwnASWCooldown
	ObsOwnGunAmmo // remaining / initial
	ObsOwnTorpedoAmmo
	ObsOwnASWAmmo
	ObsOwnMorale
	ObsOwnThreatHeard     // 1 while the sonar hears a hostile torpedo
	ObsOwnThreatSinBear   // bearing of the nearest one heard, relative to own heading
	ObsOwnThreatCosBear   //
	ObsOwnThreatRange     // its range r as r / (r + 1 km)
	ObsOwnThreatTracked   // 1 when two fixes a tick apart give its course
	ObsOwnThreatSinCourse // its course, relative to own heading
	ObsOwnThreatCosCourse //
	ObsOwnSize
)

// Track slot layout, relative to the slot's start.
const (
	TrkPresent   = iota // 1 if the slot holds a track
	TrkSinBear          // relative bearing (to own heading)
	TrkCosBear          //
	TrkRange            // r / (r + 5 km): 0.5 at 5 km, below 1 however far
	TrkClosing          // closing speed / 20 m/s, clamped to [-1, 1]
	TrkQuality          // Q / 3
	TrkClass            // S 0, M 1/3, L 2/3, XL 1
	TrkIFF              // 1 hostile, -1 friendly
	TrkLayer            // 0 surface, 1 submerged, 0.5 transitioning, -1 unknown
	TrkAge              // seconds since update / track timeout, at most 1
	TrkSinCourse        // estimated course relative to own heading
	TrkCosCourse        //
	TrackSize
)

// Environment and context blocks, relative to their starts.
const (
	EnvCurrentU   = iota // m/s / 2, clamped to [-1, 1]
	EnvCurrentV          //
	EnvSeaState          // sea_state / 9
	EnvVisibility        // visibility / 20 km, capped at 1
	EnvHazard            // hazard zone intensity here, at most 1
	EnvNoise             // ambient noise dB / 100, clamped to [0, 1]
	EnvSize
)

// Context block.
const (
	CtxTimeLeft = iota // ticks remaining / max ticks
	CtxWallDist        // distance to the nearest wall / 1 km, capped at 1
	CtxSize
)

// ObsSize is the length of one agent's observation for k track slots. A
// World with a foveated block (FieldsConfig.Foveated) appends
// shells × sectors values after the context block (World.ObsSize).
func ObsSize(k int) int { return ObsOwnSize + k*TrackSize + EnvSize + CtxSize }

// ObsSizeFoveated is ObsSize(k) plus a foveated block of shells × sectors.
func ObsSizeFoveated(k, shells, sectors int) int { return ObsSize(k) + shells*sectors }
