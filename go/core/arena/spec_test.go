package arena

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
)

func TestLayoutTablesAreComplete(t *testing.T) {
	l := Describe()
	for _, tc := range []struct {
		block  string
		fields []Field
		size   int
	}{
		{"own", l.Own, ObsOwnSize},
		{"track", l.Track, TrackSize},
		{"env", l.Env, EnvSize},
		{"context", l.Context, CtxSize},
		{"action", l.Action, ActionSize},
		{"mask", l.Mask, MaskSize},
		{"reward", l.Reward, NumRewardTerms},
	} {
		t.Run(tc.block, func(t *testing.T) {
			if len(tc.fields) != tc.size {
				t.Fatalf("%d fields, the layout has %d", len(tc.fields), tc.size)
			}
			seen := map[string]int{}
			for i, f := range tc.fields {
				switch {
				case f.Name == "" || f.Doc == "":
					t.Errorf("index %d has no name or doc: the table misses an entry", i)
				case f.Low > f.High || math.IsNaN(f.Low) || math.IsNaN(f.High):
					t.Errorf("%s: bounds [%v, %v]", f.Name, f.Low, f.High)
				}
				if j, dup := seen[f.Name]; dup {
					t.Errorf("%s names indices %d and %d", f.Name, j, i)
				}
				seen[f.Name] = i
			}
		})
	}
	if ObsSize(l.DefaultMaxTracks) != len(l.Own)+l.DefaultMaxTracks*len(l.Track)+len(l.Env)+len(l.Context) {
		t.Errorf("ObsSize disagrees with the tables")
	}
}

func TestEventKindsAreDocumented(t *testing.T) {
	l := Describe()
	if len(l.Events) != int(numEventKinds)-1 {
		t.Fatalf("%d event kinds described, want %d", len(l.Events), numEventKinds-1)
	}
	enums := map[string]bool{}
	for _, e := range l.Enums {
		enums[e.Name] = true
	}
	for i, e := range l.Events {
		if e.Code != EventKind(i+1) || e.Name == "" || e.Doc == "" || e.Source == "" || e.Target == "" || e.Value == "" {
			t.Errorf("event %d (%+v) is incomplete", i+1, e)
		}
		if e.ValueEnum != "" && !enums[e.ValueEnum] {
			t.Errorf("event %s: value_enum %q is not an enum", e.Name, e.ValueEnum)
		}
		if e.Code.String() != e.Name {
			t.Errorf("EventKind(%d).String() = %q, want %q", e.Code, e.Code.String(), e.Name)
		}
	}
	if EventKind(0).String() != "unknown" || numEventKinds.String() != "unknown" {
		t.Error("out-of-range kinds must print as unknown")
	}
}

func TestEnumsMatchTheirConstants(t *testing.T) {
	byName := map[string]Enum{}
	for _, e := range Enums() {
		if len(e.Values) == 0 || e.Doc == "" {
			t.Errorf("enum %s is empty", e.Name)
		}
		for i, v := range e.Values {
			if v.Name == "" || v.Doc == "" {
				t.Errorf("enum %s: value %d has no name or doc", e.Name, e.First+i)
			}
		}
		byName[e.Name] = e
	}
	for _, tc := range []struct {
		enum string
		code int
		name string
	}{
		{"status", int(StatusSurrendered), "surrendered"},
		{"status", int(StatusDestroyed), "destroyed"},
		{"layer", int(Submerged), "submerged"},
		{"weapon", int(ASW), "asw"},
		{"weapon", int(Torpedo), "torpedo"},
		{"crit", critFire, "fire"},
		{"sensor", int(Link), "link"},
		{"class", int(classIndex["XL"]), "XL"},
	} {
		e := byName[tc.enum]
		if got := e.Values[tc.code-e.First].Name; got != tc.name {
			t.Errorf("%s %d is %q, want %q", tc.enum, tc.code, got, tc.name)
		}
	}
	if n := len(byName["weapon"].Values); n != int(numWeaponKinds) {
		t.Errorf("weapon enum has %d values, there are %d kinds", n, numWeaponKinds)
	}
	if n := len(byName["crit"].Values); n != numCrits {
		t.Errorf("crit enum has %d values, there are %d crits", n, numCrits)
	}
}

func TestFieldJSONWritesInfiniteBoundsAsNull(t *testing.T) {
	data, err := json.Marshal(RewardFields[RewardDamageDealt])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"damage_dealt","low":0,"high":null,"doc":"hp of damage this ship's weapons did to hostiles"}`
	if string(data) != want {
		t.Errorf("got %s\nwant %s", data, want)
	}
	if _, err := json.Marshal(Describe()); err != nil {
		t.Errorf("the layout does not encode: %v", err)
	}
}

func ExampleDescribe() {
	l := Describe()
	fmt.Println(l.Own[ObsOwnHP].Name, l.Action[ActRudder].Name, l.Reward[RewardKill].Name)
	fmt.Println(l.Events[0].Name, EventHit)
	// Output:
	// hp rudder kill
	// transition_start hit
}
