// Command balance plays every pair of scripted controllers against each
// other in the shipped scenarios and prints a Markdown table of win, loss
// and draw rates and mean battle length: a quick tool for tuning the
// controllers, all in one Go process.
//
//	go run ./go/cmd/balance -seeds 40 -scenarios duel,sub_duel
//
// In each matchup every ship of the first team gets the first controller
// and every ship of the second team the second; package seeds 1..N vary the
// start through each scenario's randomize block. docs/balance.md, with
// ratings, is written by `tidebreak league --balance-doc docs/balance.md`,
// which seeds the battles as the Gymnasium envs do (so its tables and this
// tool's differ seed by seed, not in kind).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/tidebreak/tidebreak/go/core/arena"
	"github.com/tidebreak/tidebreak/go/core/contract"
)

type outcome struct{ win, loss, draw, ticks int }

func main() {
	dir := flag.String("dir", "src/tidebreak/scenarios/data", "scenario directory")
	seeds := flag.Int("seeds", 200, "seeds per matchup")
	only := flag.String("scenarios", "duel,gun_duel,sub_duel,fleet_4v4,fleet_16v16,convoy", "comma-separated scenarios")
	ctrls := flag.String("controllers", "idle,random,patrol,aggressive,stalker,expert", "comma-separated controllers")
	flag.Parse()
	names := strings.Split(*only, ",")
	controllers := strings.Split(*ctrls, ",")
	start := time.Now()
	fmt.Printf("# Balance of the scripted controllers\n\n")
	fmt.Printf("Each row: %d seeds; every ship of the first team runs the first controller, every ship of the\n", *seeds)
	fmt.Printf("second team the second. Win/loss are from the first team's side. Made with `go run ./go/cmd/balance -seeds %d`.\n\n", *seeds)
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(*dir, name+".json"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		base, err := contract.Parse(data)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(2)
		}
		fmt.Printf("## %s (%s vs %s)\n\n| %s | %s | win | loss | draw | mean length (s) |\n|---|---|---|---|---|---|\n",
			name, base.Teams[0].TeamID, base.Teams[1].TeamID, base.Teams[0].TeamID, base.Teams[1].TeamID)
		type pair struct{ a, b string }
		var pairs []pair
		for _, a := range controllers {
			for _, b := range controllers {
				pairs = append(pairs, pair{a, b})
			}
		}
		results := make([]outcome, len(pairs))
		var wg sync.WaitGroup
		jobs := make(chan int)
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range jobs {
					results[k] = play(data, base, pairs[k].a, pairs[k].b, *seeds)
				}
			}()
		}
		for k := range pairs {
			jobs <- k
		}
		close(jobs)
		wg.Wait()
		for k := range pairs {
			o := results[k]
			n := float64(*seeds)
			fmt.Printf("| %s | %s | %.0f%% | %.0f%% | %.0f%% | %.0f |\n", pairs[k].a, pairs[k].b,
				100*float64(o.win)/n, 100*float64(o.loss)/n, 100*float64(o.draw)/n, float64(o.ticks)/n)
		}
		fmt.Println()
	}
	fmt.Fprintf(os.Stderr, "balance: %v\n", time.Since(start).Round(time.Second))
}

func play(data []byte, base *contract.BattlePackage, a, b string, seeds int) outcome {
	var o outcome
	for seed := 1; seed <= seeds; seed++ {
		p, _ := contract.Parse(data)
		p.Seed = uint64(seed)
		for i := range p.Ships {
			if p.Ships[i].TeamID == base.Teams[0].TeamID {
				p.Ships[i].Controller = a
			} else {
				p.Ships[i].Controller = b
			}
		}
		w, err := arena.New(p, arena.Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		r := w.Run()
		o.ticks += int(r.DurationS)
		switch {
		case r.WinnerTeamID == nil:
			o.draw++
		case *r.WinnerTeamID == base.Teams[0].TeamID:
			o.win++
		default:
			o.loss++
		}
	}
	return o
}
