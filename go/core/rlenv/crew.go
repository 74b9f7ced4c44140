package rlenv

import (
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// spinFor is how long an idle crew worker polls for the next step before it
// parks. A batch stepped from Python comes back within tens of
// microseconds; waking a parked thread costs about as much again on a
// virtual machine, and the woken thread starts late. Between steps that
// are further apart (a policy update, say) a worker burns at most this
// much of one core.
const spinFor = 100 * time.Microsecond

// waitFor is how long do polls for the workers' last blocks before it
// blocks.
const waitFor = 50 * time.Microsecond

// crew is a batch's long-lived step workers. do publishes a job, works on
// it too and returns once every env is stepped. Workers take blocks of
// envs from the job's counter, so a worker that comes late finds nothing
// left and goes back to waiting; envs are independent, so which worker
// steps which env does not change any result.
type crew struct {
	gen   atomic.Uint64 // job generation, counted from 0
	job   atomic.Pointer[job]
	stop  atomic.Bool
	hands []*hand
	done  sync.WaitGroup // workers running
	pick  chooser        // crew or caller alone (only the calling goroutine touches it)
}

// The crew measures and chooses. Beside busy processes a polling worker
// may hold a core that the caller then waits for, and the crew steps
// slower than the caller alone would: with two busy processes on two cores,
// 256 duels stepped 0.29M env-steps/s with the crew and 0.38M alone. So
// every round of steps (chooseEvery or more, below) begins with a trial of
// trialSteps steps, the first half with the crew and the second by the
// caller alone, and do steps the rest of the round the faster way. A trial
// step is timed from its start to the start of the next step: its own work
// and what the caller does before stepping again (stepping a Python vector
// env, say), which a worker
// polling meanwhile may slow down as much as the step itself. The median
// of each half decides, leaving out each half's first step: the first crew
// step wakes parked workers, and during the first alone step the workers
// still poll (for spinFor) after the last crew step. Alternating single
// steps measured exactly that polling in every alone step, and with one
// busy process on two cores kept a crew that stepped a third slower than
// the caller alone. Alone, the workers are neither woken nor polling: after
// spinFor they park. Which goroutine steps which env never changes a result.
//
// The crew is chosen only when its median step is shorter than the caller's
// alone by more than crewMargin: where the two are about even, the caller
// alone leaves the other cores to whatever else runs (a learner) and
// steps as one thread would. A round whose trial
// confirms the previous round's choice lasts twice as long as that one, up
// to maxEvery steps, and a round whose trial changes the choice
// chooseEvery: under a steady load the trials, whose half in the other way
// costs time, grow rare, and a change of load is still seen within
// maxEvery steps.
const (
	chooseEvery = 256
	maxEvery    = 4096
	trialSteps  = 16 // half with the crew, half alone
	trialHalf   = trialSteps / 2
	crewMargin  = 0.05
)

// chooser keeps the trial's timings and the choice.
type chooser struct {
	step   int                 // steps since the round began
	every  int                 // steps in this round (0: chooseEvery)
	trials int                 // trials decided
	alone  bool                // the choice for the rest of the round
	times  [2][trialHalf]int64 // trial step periods (ns): [0] crew, [1] alone
	last   time.Time           // start of the previous step (trial steps)
	now    func() time.Time    // the clock (tests replace it)
}

// begin starts a step: it books the period of the previous step if that
// was a trial step, chooses at the end of a trial, and returns whether
// this step runs alone.
func (c *chooser) begin() bool {
	if c.every == 0 {
		c.every = chooseEvery
	}
	s := c.step
	if c.step++; c.step >= c.every {
		c.step = 0
	}
	if s > trialSteps {
		return c.alone
	}
	now := c.now()
	if s > 0 { // the previous step was a trial step (the second half alone)
		c.times[(s-1)/trialHalf][(s-1)%trialHalf] = int64(now.Sub(c.last))
		if s == trialSteps {
			crew, alone := float64(median(c.times[0][1:])), float64(median(c.times[1][1:]))
			was := c.alone
			c.alone = crew >= alone*(1-crewMargin)
			if c.trials++; c.trials > 1 && c.alone == was {
				c.every = min(2*c.every, maxEvery)
			} else {
				c.every = chooseEvery
			}
			return c.alone
		}
	}
	c.last = now
	return s >= trialHalf
}

// median returns the median of xs (the upper one for an even count),
// reordering them.
func median(xs []int64) int64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// alone reports the crew's current choice: true when the caller steps the
// envs by itself.
func (c *crew) alone() bool { return c.pick.alone }

// hand is one worker's parking place.
type hand struct {
	parked atomic.Bool
	wake   chan struct{} // a token for each wake-up claimed by clearing parked
}

// job is one step of a batch: step(lo, hi) steps envs [lo, hi).
type job struct {
	n        int
	step     func(lo, hi int)
	next     atomic.Int64  // first env not taken yet
	finished atomic.Int64  // envs stepped (or whose block panicked)
	all      chan struct{} // closed when finished reaches n
	panicked atomic.Pointer[any]
}

// newCrew starts a crew of that many worker goroutines.
func newCrew(workers int) *crew {
	c := &crew{hands: make([]*hand, workers), pick: chooser{now: time.Now}}
	c.done.Add(workers)
	for i := range c.hands {
		h := &hand{wake: make(chan struct{}, 1)}
		c.hands[i] = h
		go c.run(h)
	}
	return c
}

// run is a worker's loop.
func (c *crew) run(h *hand) {
	defer c.done.Done()
	seen := uint64(0)
	for {
		seen = c.await(h, seen)
		if c.stop.Load() {
			return
		}
		if j := c.job.Load(); j != nil {
			j.work()
		}
	}
}

// await returns the first generation after seen (or seen once the crew
// stops), polling for spinFor and then parked until do or close wakes it.
func (c *crew) await(h *hand, seen uint64) uint64 {
	// A plain spin: runtime.Gosched here would send the goroutine through
	// the global run queue, wake other threads to look for work and move
	// the worker between threads (and CPUs) at every turn. It ends after
	// spinFor, so a garbage collection waits for it at most that long.
	start := time.Now()
	for i := 1; ; i++ {
		if g := c.gen.Load(); g != seen || c.stop.Load() {
			return g
		}
		if i%256 == 0 && time.Since(start) > spinFor {
			break
		}
	}
	h.parked.Store(true)
	if g := c.gen.Load(); g != seen || c.stop.Load() {
		if h.parked.CompareAndSwap(true, false) {
			return g
		}
		// The publisher cleared parked first: its token is on the way.
	}
	<-h.wake
	return c.gen.Load()
}

// wake hands a token to every parked worker.
func (c *crew) wake() {
	for _, h := range c.hands {
		if h.parked.CompareAndSwap(true, false) {
			h.wake <- struct{}{}
		}
	}
}

// do steps envs [0, n) with step on the crew and the calling goroutine,
// or on the calling goroutine alone (see chooser), and returns when all
// are done. A panic in any block is raised again here, after the other
// blocks have finished.
func (c *crew) do(n int, step func(lo, hi int)) {
	j := &job{n: n, step: step, all: make(chan struct{})}
	if c.pick.begin() {
		j.work()
	} else {
		c.together(j)
	}
	if p := j.panicked.Load(); p != nil {
		panic(*p)
	}
}

// together runs job j on the crew and the calling goroutine.
func (c *crew) together(j *job) {
	n := j.n
	c.job.Store(j)
	c.gen.Add(1)
	c.wake()
	j.work()
	// The last blocks are usually microseconds from done: poll for a while,
	// then block. The loop must end: while it spins this goroutine reaches
	// no safe point (called from C, the runtime may not be able to preempt
	// it), and a garbage collection that stopped a worker mid-block waits
	// for it.
	start := time.Now()
	for i := 1; j.finished.Load() < int64(n); i++ {
		if i%256 == 0 && time.Since(start) > waitFor {
			<-j.all
			break
		}
	}
	c.job.CompareAndSwap(j, nil) // keep nothing of this step (buffers, actions) past it
}

// close stops the workers and waits for them to leave.
func (c *crew) close() {
	c.stop.Store(true)
	c.wake()
	c.done.Wait()
}

// work takes blocks of stepBlock envs until none is left.
func (j *job) work() {
	for {
		lo := int(j.next.Add(stepBlock)) - stepBlock
		if lo >= j.n {
			return
		}
		hi := min(lo+stepBlock, j.n)
		j.run(lo, hi)
		if j.finished.Add(int64(hi-lo)) == int64(j.n) {
			close(j.all)
		}
	}
}

// WorkerPanic is a panic raised while a worker goroutine stepped envs. The
// goroutine that called Step raises it again, with the worker's stack, so
// the C library can log where the panic happened.
type WorkerPanic struct {
	Value any
	Stack []byte
}

// Error returns the original panic value as text.
func (p *WorkerPanic) Error() string { return fmt.Sprint(p.Value) }

// PanicStack returns the stack of the worker that panicked.
func (p *WorkerPanic) PanicStack() []byte { return p.Stack }

// run steps one block, keeping the first panic for do to raise.
func (j *job) run(lo, hi int) {
	defer func() {
		if r := recover(); r != nil {
			var p any = &WorkerPanic{Value: r, Stack: debug.Stack()}
			j.panicked.CompareAndSwap(nil, &p)
		}
	}()
	j.step(lo, hi)
}
