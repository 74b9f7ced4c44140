package rlenv

import (
	"testing"

	"github.com/tidebreak/tidebreak/go/core/arena"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// BenchmarkBatchStep256Random steps 256 duels with random actions (weapons
// and pings fire), the load a learning agent puts on the batch.
func BenchmarkBatchStep256Random(b *testing.B) { benchBatchRandom(b, 256) }

// BenchmarkBatchStep16Random is the same load on 16 duels, whose worlds
// stay in the CPU's caches between steps.
func BenchmarkBatchStep16Random(b *testing.B) { benchBatchRandom(b, 16) }

func benchBatchRandom(b *testing.B, n int) {
	cfg := duelConfig(b)
	batch, _ := NewBatch(cfg, n)
	buf := newBuffers(batch.Spec(), true)
	_ = batch.Reset(make([]uint64, n), buf)
	r := rng.New(1)
	acts := make([][]float32, 64)
	for k := range acts {
		acts[k] = make([]float32, n*arena.ActionSize)
		for i := range acts[k] {
			acts[k][i] = float32(r.Uniform(-1, 1))
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := batch.Step(acts[i%64], buf, true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "env-steps/s")
}
