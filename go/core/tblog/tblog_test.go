package tblog_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/tblog"
)

func TestNilLoggerDiscards(t *testing.T) {
	// Must not panic: callers pass nil when nobody listens.
	tblog.Warnf(nil, "test", "x=%d", 1)
	tblog.Infof(nil, "test", "x")
	tblog.Debugf(nil, "test", "x")
}

func TestRingLevels(t *testing.T) {
	tests := []struct {
		name  string
		min   tblog.Level
		log   []tblog.Level
		level []tblog.Level // kept, in order
	}{
		{"default keeps info and above", tblog.Info, []tblog.Level{tblog.Debug, tblog.Info, tblog.Warn, tblog.Error}, []tblog.Level{tblog.Info, tblog.Warn, tblog.Error}},
		{"debug keeps all", tblog.Debug, []tblog.Level{tblog.Debug, tblog.Warn}, []tblog.Level{tblog.Debug, tblog.Warn}},
		{"error keeps errors", tblog.Error, []tblog.Level{tblog.Info, tblog.Warn, tblog.Error}, []tblog.Level{tblog.Error}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tblog.NewRing(8, nil)
			r.SetLevel(tc.min)
			for i, l := range tc.log {
				tblog.Logf(r, l, "test", "record %d", i)
			}
			got := r.Drain()
			if len(got) != len(tc.level) {
				t.Fatalf("kept %d records %v, want levels %v", len(got), got, tc.level)
			}
			for i, rec := range got {
				if rec.Level != tc.level[i] || rec.Source != "test" {
					t.Errorf("record %d = %+v, want level %v", i, rec, tc.level[i])
				}
			}
		})
	}
}

func TestRingDrainOrderAndSeq(t *testing.T) {
	r := tblog.NewRing(4, nil)
	tblog.Warnf(r, "a", "first")
	tblog.Infof(r, "b", "second %s", "x")
	if r.Pending() != 2 {
		t.Fatalf("Pending = %d, want 2", r.Pending())
	}
	got := r.Drain()
	want := []tblog.Record{
		{Seq: 1, Level: tblog.Warn, Source: "a", Message: "first"},
		{Seq: 2, Level: tblog.Info, Source: "b", Message: "second x"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Drain = %+v, want %+v", got, want)
	}
	if r.Pending() != 0 || len(r.Drain()) != 0 {
		t.Fatal("records left after Drain")
	}
	tblog.Warnf(r, "a", "third")
	if got := r.Drain(); len(got) != 1 || got[0].Seq != 3 {
		t.Fatalf("after a drain, Drain = %+v, want one record with Seq 3", got)
	}
}

func TestRingOverflowDropsOldest(t *testing.T) {
	var notified []int
	r := tblog.NewRing(3, func(n int) { notified = append(notified, n) })
	for i := 1; i <= 5; i++ {
		tblog.Warnf(r, "test", "w%d", i)
	}
	got := r.Drain()
	if len(got) != 4 {
		t.Fatalf("Drain returned %d records, want 1 notice + 3 kept: %+v", len(got), got)
	}
	if got[0].Level != tblog.Warn || !strings.Contains(got[0].Message, "2 log records were dropped") {
		t.Errorf("first record %+v should report 2 dropped records", got[0])
	}
	for i, want := range []string{"w3", "w4", "w5"} {
		if got[i+1].Message != want {
			t.Errorf("record %d = %q, want %q (the oldest are dropped)", i+1, got[i+1].Message, want)
		}
	}
	if fmt.Sprint(notified) != "[1 2 3 3 3 0]" {
		t.Errorf("notify saw %v, want [1 2 3 3 3 0]", notified)
	}
	if len(r.Drain()) != 0 {
		t.Error("the dropped-records notice was reported twice")
	}
}

func TestRingConcurrent(t *testing.T) {
	r := tblog.NewRing(10000, nil)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				tblog.Warnf(r, "test", "g%d i%d", g, i)
			}
		}()
	}
	wg.Wait()
	got := r.Drain()
	if len(got) != 800 {
		t.Fatalf("kept %d records, want 800", len(got))
	}
	for i, rec := range got {
		if rec.Seq != uint64(i+1) {
			t.Fatalf("record %d has Seq %d: records must be numbered in order", i, rec.Seq)
		}
	}
}

func TestLevelString(t *testing.T) {
	for l, want := range map[tblog.Level]string{tblog.Debug: "DEBUG", tblog.Info: "INFO", tblog.Warn: "WARNING", tblog.Error: "ERROR", 25: "Level(25)"} {
		if l.String() != want {
			t.Errorf("Level(%d).String() = %q, want %q", int32(l), l.String(), want)
		}
	}
}

func BenchmarkDisabled(b *testing.B) {
	r := tblog.NewRing(16, nil)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if tblog.Enabled(r, tblog.Debug) {
			tblog.Debugf(r, "bench", "value %d clamped", i)
		}
	}
}

func Example() {
	ring := tblog.NewRing(1024, nil)
	var log tblog.Logger = ring // what the library hands to the engine
	tblog.Warnf(log, "contract", "ships[0]: unknown key %q ignored (lenient mode)", "controler")
	tblog.Debugf(log, "arena", "not kept: below the ring's level")
	for _, r := range ring.Drain() {
		fmt.Println(r.Seq, r.Level, r.Source, r.Message)
	}
	// Output:
	// 1 WARNING contract ships[0]: unknown key "controler" ignored (lenient mode)
}
