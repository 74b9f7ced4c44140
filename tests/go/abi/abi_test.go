// Package abi tests libtidebreak as a C program sees it. A Go process
// cannot load a second Go runtime, so the test builds the shared library
// and a C harness (testdata/abi_check.c) and runs the harness in its own process.
package abi

import (
	"bufio"
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var (
	root   = filepath.Join("..", "..", "..")
	header = filepath.Join(root, "go", "capi", "tidebreak.h")
)

// buildLibrary compiles go/capi into dir and returns the library path.
func buildLibrary(t *testing.T, dir string) string {
	t.Helper()
	lib := filepath.Join(dir, "libtidebreak.so")
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-o", lib, "./go/capi")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -buildmode=c-shared: %v\n%s", err, out)
	}
	return lib
}

func headerFunctions(t *testing.T) []string {
	data, err := os.ReadFile(header)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^\s*[a-z_0-9 ]+\**\s*\*?\s*(tb_[a-z_0-9]+)\s*\(`)
	var names []string
	for _, m := range re.FindAllSubmatch(data, -1) {
		names = append(names, string(m[1]))
	}
	sort.Strings(names)
	return names
}

func exportedFunctions(t *testing.T, lib string) []string {
	f, err := elf.Open(lib)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.DynamicSymbols()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range syms {
		if strings.HasPrefix(s.Name, "tb_") && elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Section != elf.SHN_UNDEF {
			names = append(names, s.Name)
		}
	}
	sort.Strings(names)
	return names
}

func TestABI(t *testing.T) {
	if _, err := exec.LookPath("cc"); err != nil {
		t.Fatal("a C compiler (cc) is required to test the C ABI")
	}
	dir := t.TempDir()
	lib := buildLibrary(t, dir)

	t.Run("header matches exports", func(t *testing.T) {
		h, e := headerFunctions(t), exportedFunctions(t, lib)
		if len(h) == 0 {
			t.Fatal("no prototypes found in tidebreak.h")
		}
		if strings.Join(h, ",") != strings.Join(e, ",") {
			t.Fatalf("tidebreak.h declares %v\nthe library exports %v", h, e)
		}
	})

	bin := filepath.Join(dir, "abi_check")
	cc := exec.Command("cc", "-std=c11", "-Wall", "-Werror", "-I", filepath.Dir(header),
		"-o", bin, filepath.Join("testdata", "abi_check.c"), "-L", dir, "-ltidebreak", "-Wl,-rpath,"+dir, "-lm")
	if out, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("compiling abi_check.c against tidebreak.h: %v\n%s", err, out)
	}
	run := exec.Command(bin, filepath.Join(root, "src", "tidebreak", "scenarios", "data", "duel.json"))
	out, runErr := run.CombinedOutput()
	sc := bufio.NewScanner(bytes.NewReader(out))
	checks := 0
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "ok "):
			checks++
		case strings.HasPrefix(line, "FAIL "):
			checks++
			t.Error(line)
		}
	}
	if runErr != nil && !t.Failed() {
		t.Fatalf("abi_check crashed: %v\n%s", runErr, out)
	}
	if checks < 40 {
		t.Fatalf("abi_check ran only %d checks:\n%s", checks, out)
	}
}
