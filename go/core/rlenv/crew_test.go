package rlenv

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCrewStepsEveryEnvOnce(t *testing.T) {
	for _, c := range []struct{ workers, n int }{{1, 1}, {1, 64}, {3, 7}, {3, 256}, {7, 1000}} {
		t.Run(fmt.Sprintf("workers=%d/n=%d", c.workers, c.n), func(t *testing.T) {
			cr := newCrew(c.workers)
			defer cr.close()
			counts := make([]atomic.Int32, c.n)
			for round := 0; round < 50; round++ {
				cr.do(c.n, func(lo, hi int) {
					for i := lo; i < hi; i++ {
						counts[i].Add(1)
					}
				})
				for i := range counts {
					if got := counts[i].Load(); got != int32(round+1) {
						t.Fatalf("round %d: env %d stepped %d times in all, want %d", round, i, got, round+1)
					}
				}
			}
		})
	}
}

func TestCrewRaisesAPanicAfterTheOtherBlocks(t *testing.T) {
	cr := newCrew(3)
	defer cr.close()
	const n = 200
	var stepped atomic.Int32
	func() {
		defer func() {
			p, ok := recover().(*WorkerPanic)
			if !ok || p.Value != "block 40 failed" {
				t.Errorf("recovered %#v, want the block's panic as a *WorkerPanic", p)
			} else if !strings.Contains(string(p.PanicStack()), "crew_test.go") {
				t.Errorf("the panic's stack does not show where it was raised:\n%s", p.Stack)
			}
		}()
		cr.do(n, func(lo, hi int) {
			if lo == 40 {
				panic(fmt.Sprintf("block %d failed", lo))
			}
			stepped.Add(int32(hi - lo))
		})
	}()
	if got := stepped.Load(); got != n-stepBlock {
		t.Errorf("%d envs stepped besides the failed block, want %d", got, n-stepBlock)
	}
	// The crew still works after a panic.
	var again atomic.Int32
	cr.do(n, func(lo, hi int) { again.Add(int32(hi - lo)) })
	if again.Load() != n {
		t.Errorf("after the panic: %d envs stepped, want %d", again.Load(), n)
	}
}

func TestCrewCloseStopsTheWorkers(t *testing.T) {
	before := runtime.NumGoroutine()
	cr := newCrew(4)
	cr.do(64, func(lo, hi int) {})
	cr.close() // waits for the workers to return
	if after := goroutinesDownTo(before); after > before {
		t.Errorf("%d goroutines before the crew, %d after close", before, after)
	}
}

// goroutinesDownTo returns the number of goroutines once it is n or fewer,
// or after a second. A worker that has signalled its return (close waits
// for that) may still be counted for a moment while it exits; one that
// never returns is counted for good.
func goroutinesDownTo(n int) int {
	deadline := time.Now().Add(time.Second)
	for {
		if g := runtime.NumGoroutine(); g <= n || time.Now().After(deadline) {
			return g
		}
		time.Sleep(time.Millisecond)
	}
}

func TestBatchCloseStopsItsCrew(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // a crew needs two processors
	before := runtime.NumGoroutine()
	b, err := NewBatch(duelConfig(t), 4*envsPerWorker)
	if err != nil {
		t.Fatal(err)
	}
	if b.crew == nil {
		t.Fatal("a batch of 128 envs on 2+ processors has no crew")
	}
	b.Close()
	b.Close() // a second Close does nothing
	if after := goroutinesDownTo(before); after > before {
		t.Errorf("%d goroutines before the batch, %d after Close", before, after)
	}
}

func TestCrewWaitsForASlowBlock(t *testing.T) {
	cr := newCrew(2)
	defer cr.close()
	var stepped atomic.Int32
	cr.do(64, func(lo, hi int) {
		if lo == 0 {
			time.Sleep(20 * waitFor) // the caller stops polling and blocks
		}
		stepped.Add(int32(hi - lo))
	})
	if stepped.Load() != 64 {
		t.Errorf("do returned with %d of 64 envs stepped", stepped.Load())
	}
}

// TestChooserPicksTheFasterWay feeds the chooser a clock on which each
// step lasts as long as its way takes, and checks its choice for the rest
// of each round, that the crew must be faster by more than crewMargin,
// and that rounds double from chooseEvery up to maxEvery steps while the
// choice holds.
func TestChooserPicksTheFasterWay(t *testing.T) {
	for _, c := range []struct {
		name        string
		crew, alone time.Duration
		wantAlone   bool
	}{
		{"crew twice as fast", 500 * time.Microsecond, time.Millisecond, false},
		{"crew 10 % faster", 900 * time.Microsecond, time.Millisecond, false},
		{"alone faster (busy cores)", 900 * time.Microsecond, 700 * time.Microsecond, true},
		{"a tie goes alone", time.Millisecond, time.Millisecond, true},
		{"crew 3 % faster goes alone", 970 * time.Microsecond, time.Millisecond, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			clock := time.Unix(0, 0)
			ch := chooser{now: func() time.Time { return clock }}
			for round, want := range []int{chooseEvery, 2 * chooseEvery, 4 * chooseEvery, 8 * chooseEvery, maxEvery, maxEvery} {
				crewSteps, aloneSteps := 0, 0
				for step := 0; step == 0 || ch.step != 0; step++ {
					alone := ch.begin()
					d := c.crew
					if alone {
						d = c.alone
						aloneSteps++
					} else {
						crewSteps++
					}
					if step == 3 {
						d *= 10 // one slow step (a reset, a collection) must not decide
					}
					clock = clock.Add(d)
				}
				if n := crewSteps + aloneSteps; n != want {
					t.Fatalf("round %d: %d steps, want %d", round, n, want)
				}
				chosen := trialSteps/2 + (want - trialSteps)
				if c.wantAlone && aloneSteps != chosen || !c.wantAlone && crewSteps != chosen {
					t.Fatalf("round %d: %d steps with the crew, %d alone; want %d the %s way",
						round, crewSteps, aloneSteps, chosen, map[bool]string{true: "alone", false: "crew"}[c.wantAlone])
				}
			}
		})
	}
}

// TestChooserShortensRoundsOnAChange: when the faster way changes, the
// round after the trial that sees it lasts chooseEvery steps again.
func TestChooserShortensRoundsOnAChange(t *testing.T) {
	clock := time.Unix(0, 0)
	ch := chooser{now: func() time.Time { return clock }}
	crew := 500 * time.Microsecond // the crew is faster, then slower
	var lengths []int
	for round := 0; round < 6; round++ {
		if round == 4 {
			crew = 2 * time.Millisecond
		}
		n := 0
		for ; n == 0 || ch.step != 0; n++ {
			d := crew
			if ch.begin() {
				d = time.Millisecond
			}
			clock = clock.Add(d)
		}
		lengths = append(lengths, n)
	}
	want := []int{chooseEvery, 2 * chooseEvery, 4 * chooseEvery, 8 * chooseEvery, chooseEvery, 2 * chooseEvery}
	if !slices.Equal(lengths, want) {
		t.Errorf("round lengths %v, want %v", lengths, want)
	}
	if !ch.alone {
		t.Error("the crew slowed down, but stays chosen")
	}
}

// TestChooserTrialIsTwoBlocks checks that a trial steps its first half with
// the crew and its second alone (not alternately: a worker still polls
// after a crew step, which an alone step right after it would measure),
// and that the steps that change way are not counted.
func TestChooserTrialIsTwoBlocks(t *testing.T) {
	clock := time.Unix(0, 0)
	ch := chooser{now: func() time.Time { return clock }}
	var ways []bool
	for step := 0; step < trialSteps; step++ {
		alone := ch.begin()
		ways = append(ways, alone)
		d := 900 * time.Microsecond // the crew
		if alone {
			d = 700 * time.Microsecond
			if step == trialHalf {
				d = 5 * time.Millisecond // the workers still poll: not counted
			}
		}
		clock = clock.Add(d)
	}
	for i, alone := range ways {
		if alone != (i >= trialHalf) {
			t.Fatalf("trial steps with the crew (false) or alone (true): %v", ways)
		}
	}
	if !ch.begin() {
		t.Fatal("alone was faster in every counted step, but the crew was chosen")
	}
}

// TestCrewAloneStepsEveryEnvOnce steps through trials and both choices.
func TestCrewAloneStepsEveryEnvOnce(t *testing.T) {
	cr := newCrew(2)
	defer cr.close()
	const n = 300
	counts := make([]atomic.Int32, n)
	for round := 0; round < 2*chooseEvery+trialSteps; round++ {
		if round == chooseEvery+trialSteps {
			cr.pick.alone = !cr.pick.alone // the other choice for the next round's rest
		}
		cr.do(n, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				counts[i].Add(1)
			}
		})
		for i := range counts {
			if got := counts[i].Load(); got != int32(round+1) {
				t.Fatalf("step %d: env %d stepped %d times in all, want %d", round, i, got, round+1)
			}
		}
	}
}
