// Command abicheck checks built libtidebreak libraries against the C
// header: each must export every tb_* function that go/capi/tidebreak.h
// declares and no other tb_* function, and need no library beyond its
// platform's system libraries. It reads ELF (.so), PE (.dll) and Mach-O
// (.dylib) files whatever the host, so a library cross-built for another
// platform is checked where it was built.
//
//	go run ./go/cmd/abicheck -header go/capi/tidebreak.h build/win/tidebreak.dll
//
// It prints one line per library and exits 1 if any check failed.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/tidebreak/tidebreak/go/capi/symbols"
)

func main() {
	header := flag.String("header", "go/capi/tidebreak.h", "the C header whose tb_* prototypes the libraries must export")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: abicheck [-header tidebreak.h] LIBRARY...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*header, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "abicheck:", err)
		os.Exit(1)
	}
}

func run(header string, libs []string) error {
	text, err := os.ReadFile(header)
	if err != nil {
		return err
	}
	want := symbols.HeaderFunctions(text, "tb_")
	if len(want) == 0 {
		return fmt.Errorf("%s declares no tb_* function", header)
	}
	failed := 0
	for _, path := range libs {
		problems, err := check(path, want)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			failed++
			fmt.Printf("FAIL %s: %s\n", path, strings.Join(problems, "; "))
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d libraries failed", failed, len(libs))
	}
	return nil
}

// check returns what is wrong with the library at path, after printing
// what it found.
func check(path string, want []string) ([]string, error) {
	lib, err := symbols.Open(path)
	if err != nil {
		return nil, err
	}
	got := symbols.WithPrefix(lib.Exports, "tb_")
	missing, extra := symbols.Diff(want, got)
	foreign := symbols.NonSystemImports(lib)
	fmt.Printf("%s: %s %s, exports %d of the header's %d tb_* functions; needs %s\n",
		path, lib.Format, lib.Arch, len(got)-len(extra), len(want), strings.Join(lib.Imports, ", "))
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "missing "+strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		problems = append(problems, "exports functions the header lacks: "+strings.Join(extra, ", "))
	}
	if len(foreign) > 0 {
		problems = append(problems, "needs libraries a bare system lacks: "+strings.Join(foreign, ", "))
	}
	return problems, nil
}
