// Package abi tests libtidebreak as a C program sees it. A Go process
// cannot load a second Go runtime, so the test builds the shared library
// and a C harness (testdata/abi_check.c) and runs the harness in its own process.
package abi

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidebreak/tidebreak/go/capi/symbols"
)

var (
	root   = filepath.Join("..", "..", "..")
	header = filepath.Join(root, "go", "capi", "tidebreak.h")
)

// target is the platform the library and the C harness are built for. By
// default it is the host; scripts/check-wheels.sh cross-builds for arm64
// and runs the harness under emulation:
//
//	TIDEBREAK_ABI_GOARCH=arm64 TIDEBREAK_ABI_CC=aarch64-linux-gnu-gcc \
//	TIDEBREAK_ABI_EXEC="qemu-aarch64 -L /usr/aarch64-linux-gnu" go test ./tests/go/abi
type target struct {
	goarch string   // GOARCH of the library ("" for the host's)
	cc     []string // C compiler, for cgo and for the harness
	exec   []string // command prefix that runs the harness (an emulator), or none
}

func targetFromEnv() target {
	t := target{goarch: os.Getenv("TIDEBREAK_ABI_GOARCH"), cc: []string{"cc"}}
	if cc := strings.Fields(os.Getenv("TIDEBREAK_ABI_CC")); len(cc) > 0 {
		t.cc = cc
	}
	t.exec = strings.Fields(os.Getenv("TIDEBREAK_ABI_EXEC"))
	return t
}

// buildLibrary compiles go/capi into dir and returns the library path.
func buildLibrary(t *testing.T, tg target, dir string) string {
	t.Helper()
	lib := filepath.Join(dir, "libtidebreak.so")
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-o", lib, "./go/capi")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "CC="+strings.Join(tg.cc, " "))
	if tg.goarch != "" {
		cmd.Env = append(cmd.Env, "GOOS=linux", "GOARCH="+tg.goarch)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -buildmode=c-shared: %v\n%s", err, out)
	}
	return lib
}

func TestABI(t *testing.T) {
	tg := targetFromEnv()
	if _, err := exec.LookPath(tg.cc[0]); err != nil {
		t.Fatalf("a C compiler (%s) is required to test the C ABI", tg.cc[0])
	}
	dir := t.TempDir()
	lib := buildLibrary(t, tg, dir)

	t.Run("header matches exports", func(t *testing.T) {
		text, err := os.ReadFile(header)
		if err != nil {
			t.Fatal(err)
		}
		h := symbols.HeaderFunctions(text, "tb_")
		if len(h) == 0 {
			t.Fatal("no prototypes found in tidebreak.h")
		}
		l, err := symbols.Open(lib)
		if err != nil {
			t.Fatal(err)
		}
		if e := symbols.WithPrefix(l.Exports, "tb_"); strings.Join(h, ",") != strings.Join(e, ",") {
			t.Fatalf("tidebreak.h declares %v\nthe library exports %v", h, e)
		}
		if extra := symbols.NonSystemImports(l); len(extra) > 0 {
			t.Errorf("the library needs %v besides the C library", extra)
		}
		t.Logf("%s: %s %s, %d tb_* exports; needs %v", lib, l.Format, l.Arch, len(h), l.Imports)
	})

	bin := filepath.Join(dir, "abi_check")
	args := append(tg.cc[1:], "-std=c11", "-Wall", "-Werror", "-I", filepath.Dir(header),
		"-o", bin, filepath.Join("testdata", "abi_check.c"), "-L", dir, "-ltidebreak", "-Wl,-rpath,"+dir, "-lm", "-pthread")
	cc := exec.Command(tg.cc[0], args...)
	if out, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("compiling abi_check.c against tidebreak.h: %v\n%s", err, out)
	}
	argv := append(tg.exec, bin, filepath.Join(root, "src", "tidebreak", "scenarios", "data", "duel.json"))
	run := exec.Command(argv[0], argv[1:]...)
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
	t.Logf("abi_check (%s): %d checks run", strings.Join(argv[:len(argv)-1], " "), checks)
}
