package arena

import (
	"math"
	"testing"
)

// TestTeacherAdvisesTheControllersCommand builds each battle twice: once
// with the first ship under a scripted controller, once with it as the
// agent and that controller as its teacher. An agent that does what its
// teacher advises (each tick: save, advance to read the advice, load,
// advance with it) must sail the scripted ship's battle: the same commands
// up to float32 rounding and the same track, within a metre, for 150 ticks
// (later the rounding of the float32 actions can flip a turn that the
// float64 command takes the other way, near a bearing of ±180°).
func TestTeacherAdvisesTheControllersCommand(t *testing.T) {
	for _, scenario := range []string{"duel", "sub_duel"} {
		for _, teacher := range TeacherNames() {
			t.Run(scenario+"/"+teacher, func(t *testing.T) {
				kind, err := ParseTeacher(teacher)
				if err != nil {
					t.Fatal(err)
				}
				scripted := newWorld(t, withControllers(loadScenario(t, scenario), teacher, "aggressive"))
				taught, err := New(withControllers(loadScenario(t, scenario), "agent", "aggressive"), Options{Teacher: kind})
				if err != nil {
					t.Fatal(err)
				}
				zero := make([]float32, ActionSize)
				advice := make([]float32, ActionSize)
				advised := 0
				for tick := 0; tick < 150 && !scripted.done && !taught.done; tick++ {
					state, err := taught.Save()
					if err != nil {
						t.Fatal(err)
					}
					if err := taught.Advance(zero); err != nil {
						t.Fatal(err)
					}
					copy(advice, taught.TeacherActions())
					if err := taught.Load(state); err != nil {
						t.Fatal(err)
					}
					if err := taught.Advance(advice); err != nil {
						t.Fatal(err)
					}
					scripted.step(nil)
					want := scripted.cmds[0].Action
					for k, a := range advice {
						if math.Abs(float64(a)-want[k]) > 1e-6 {
							t.Fatalf("tick %d: advice[%s] = %v, the %s ship ordered %v", tick, ActionFields[k].Name, a, teacher, want[k])
						}
						if a != 0 {
							advised++
						}
					}
					for i := range scripted.Ships {
						p, q := scripted.Ships[i].Kin.Pos, taught.Ships[i].Kin.Pos
						if d := math.Hypot(p.X-q.X, p.Y-q.Y); d > 1 {
							t.Fatalf("tick %d: ship %d is %.3f m from where the scripted battle has it", tick, i, d)
						}
					}
				}
				if advised == 0 {
					t.Fatal("the teacher never advised anything")
				}
			})
		}
	}
}

func TestTeacherOff(t *testing.T) {
	w := newWorld(t, withControllers(loadDuel(t), "agent", "aggressive"))
	stepN(t, w, 3, [ActionSize]float32{})
	if w.TeacherActions() != nil {
		t.Fatal("a world without a teacher has teacher actions")
	}
	for _, bad := range []string{"idle", "agent", "random", "patrol", "Expert", ""} {
		if _, err := ParseTeacher(bad); err == nil {
			t.Errorf("ParseTeacher(%q) accepted", bad)
		}
	}
}
