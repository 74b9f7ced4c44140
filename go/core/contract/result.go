package contract

// Fates of a ship at the end of a battle.
const (
	FateOperational = "OPERATIONAL"
	FateDisabled    = "DISABLED"
	FateDestroyed   = "DESTROYED"
	FateScuttled    = "SCUTTLED"
	FateCaptured    = "CAPTURED"
)

// Capture methods.
const (
	CaptureBoarded     = "BOARDED"
	CaptureSurrendered = "SURRENDERED"
)

// TraceVersion is the version of the replay action-log encoding.
const TraceVersion = 1

// BattleResult is what the arena reports after a battle.
type BattleResult struct {
	SchemaVersion string        `json:"schema_version"`
	BattleID      string        `json:"battle_id"`
	Seed          uint64        `json:"seed"`
	TorchSeed     *uint64       `json:"torch_seed,omitempty"`
	WinnerTeamID  *string       `json:"winner_team_id"`
	DurationS     float64       `json:"duration_s"`
	Ships         []ShipOutcome `json:"ships"`
	Teams         []TeamOutcome `json:"teams"`
	EventSummary  EventSummary  `json:"event_summary"`
	Replay        Replay        `json:"replay"`
}

// ShipOutcome is one ship's fate and what it used.
type ShipOutcome struct {
	ShipID         string         `json:"ship_id"`
	Fate           string         `json:"fate" tb:"enum=fate"`
	CaptureMethod  *string        `json:"capture_method" tb:"enum=capture_method"`
	FinalState     FinalState     `json:"final_state"`
	FinalMorale    float64        `json:"final_morale"`
	Consumption    Consumption    `json:"consumption"`
	CrewCasualties CrewCasualties `json:"crew_casualties"`
}

// FinalState is a ship's state when the battle ended.
type FinalState struct {
	X       float64        `json:"x"`
	Y       float64        `json:"y"`
	Heading float64        `json:"heading"`
	Speed   float64        `json:"speed"`
	Layer   string         `json:"layer" tb:"enum=layer"`
	HP      float64        `json:"hp"`
	Ammo    map[string]int `json:"ammo"`
}

// Consumption is what a ship spent.
type Consumption struct {
	AmmoUsed map[string]int `json:"ammo_used"`
	FuelUsed float64        `json:"fuel_used"`
}

// CrewCasualties counts a ship's crew losses.
type CrewCasualties struct {
	Killed  int `json:"killed"`
	Wounded int `json:"wounded"`
}

// TeamOutcome is a team's result; MoraleDelta lies in [-0.3, +0.2].
type TeamOutcome struct {
	TeamID           string  `json:"team_id"`
	MoraleDelta      float64 `json:"morale_delta"`
	ShipsLost        int     `json:"ships_lost"`
	ShipsSurrendered int     `json:"ships_surrendered"`
	DecisiveVictory  bool    `json:"decisive_victory"`
}

// EventSummary counts what happened.
type EventSummary struct {
	Hits         int     `json:"hits"`
	Kills        int     `json:"kills"`
	Surrenders   int     `json:"surrenders"`
	Transitions  int     `json:"transitions"`
	HazardDamage float64 `json:"hazard_damage"`
	ShotsFired   int     `json:"shots_fired"`
	WastedShots  int     `json:"wasted_shots"`
	Collisions   int     `json:"collisions"`
}

// Replay is what re-simulating the battle needs beyond the package: the
// seed, the log of every controller output that is not derived from state,
// and hashes to verify against.
type Replay struct {
	Seed             uint64         `json:"seed"`
	TraceVersion     int            `json:"trace_version"`
	ActionLog        []ActionRecord `json:"action_log"`
	ActionLogHash    string         `json:"action_log_hash"`
	InitialStateHash string         `json:"initial_state_hash"`
	FinalStateHash   string         `json:"final_state_hash"`
	// TickHashes holds the state hash after every tick, so a replay can
	// name the first tick that differs.
	TickHashes []string `json:"tick_hashes"`
}

// ActionRecord is one ship's command from one tick, recorded only when it
// differs from that ship's previous command.
type ActionRecord struct {
	Tick   int        `json:"tick"`
	ShipID string     `json:"ship_id"`
	Action [7]float64 `json:"action"`
}

// UnmarshalJSON decodes a record as Parse decodes a package: keys match
// exactly and unknown keys are errors.
func (a *ActionRecord) UnmarshalJSON(b []byte) error {
	type plain ActionRecord
	var p plain
	if _, err := Decode(b, &p, Options{}); err != nil {
		return err
	}
	*a = ActionRecord(p)
	return nil
}
