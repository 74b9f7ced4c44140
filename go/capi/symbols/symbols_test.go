package symbols_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidebreak/tidebreak/go/capi/symbols"
)

// The fixtures are testdata/tiny.c built as
//
//	x86_64-w64-mingw32-gcc -O1 -shared -s -o tiny.dll tiny.c
//	gcc -O1 -shared -fPIC -s -fvisibility=hidden -o tiny.so tiny.c
//	zig cc -target x86_64-macos -Os -shared -fvisibility=hidden -o tiny.dylib tiny.c
func TestOpen(t *testing.T) {
	tests := []struct {
		file, format string
		imports      string // one import that must be listed
	}{
		{"tiny.so", "elf", "libc.so.6"},
		{"tiny.dll", "pe", "msvcrt.dll"},
		{"tiny.dylib", "macho", "/usr/lib/libSystem.B.dylib"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			lib, err := symbols.Open(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if lib.Format != tc.format || lib.Arch != "amd64" {
				t.Errorf("format %q arch %q, want %q amd64", lib.Format, lib.Arch, tc.format)
			}
			if got := strings.Join(symbols.WithPrefix(lib.Exports, "tb_"), ","); got != "tb_alpha,tb_beta" {
				t.Errorf("tb_* exports %q, want tb_alpha,tb_beta (all exports: %v)", got, lib.Exports)
			}
			found := false
			for _, imp := range lib.Imports {
				found = found || strings.EqualFold(imp, tc.imports)
			}
			if !found {
				t.Errorf("imports %v, want %s among them", lib.Imports, tc.imports)
			}
			if extra := symbols.NonSystemImports(lib); len(extra) > 0 {
				t.Errorf("NonSystemImports = %v, want none", extra)
			}
		})
	}
}

func TestOpenRejects(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"text": "hello", "empty": "", "truncated-elf": "\x7fELF\x02\x01", "truncated-pe": "MZ\x90\x00"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := symbols.Open(path); err == nil {
			t.Errorf("%s: Open succeeded on a file that is no library", name)
		}
	}
}

func TestNonSystemImports(t *testing.T) {
	tests := []struct {
		lib  symbols.Library
		want string
	}{
		{symbols.Library{Format: "elf", Imports: []string{"libc.so.6", "ld-linux-aarch64.so.1", "libpthread.so.0", "libstdc++.so.6"}}, "[libstdc++.so.6]"},
		{symbols.Library{Format: "pe", Imports: []string{"KERNEL32.dll", "msvcrt.dll", "libgcc_s_seh-1.dll"}}, "[libgcc_s_seh-1.dll]"},
		{symbols.Library{Format: "macho", Imports: []string{"/usr/lib/libSystem.B.dylib", "/opt/homebrew/lib/libzstd.1.dylib"}}, "[/opt/homebrew/lib/libzstd.1.dylib]"},
	}
	for _, tc := range tests {
		if got := fmt.Sprint(symbols.NonSystemImports(&tc.lib)); got != tc.want {
			t.Errorf("%s %v: NonSystemImports = %s, want %s", tc.lib.Format, tc.lib.Imports, got, tc.want)
		}
	}
}

func TestHeaderFunctions(t *testing.T) {
	header := []byte(`
#define TB_X 1
int32_t     tb_abi_version(void);
const char *tb_errmsg(void);
const volatile int32_t *tb_log_pending(void);
int32_t tb_ms_stamp(uint64_t ms, int32_t field,
                    double value);
typedef struct tb_spec { int32_t obs_size; } tb_spec;
static int helper(void);
`)
	got := symbols.HeaderFunctions(header, "tb_")
	if want := "tb_abi_version,tb_errmsg,tb_log_pending,tb_ms_stamp"; strings.Join(got, ",") != want {
		t.Errorf("HeaderFunctions = %v, want %s", got, want)
	}
}

func TestDiff(t *testing.T) {
	missing, extra := symbols.Diff([]string{"a", "b", "c"}, []string{"b", "c", "d"})
	if fmt.Sprint(missing, extra) != "[a] [d]" {
		t.Errorf("Diff = %v %v, want [a] [d]", missing, extra)
	}
}

func ExampleHeaderFunctions() {
	header := []byte("int32_t tb_abi_version(void);\nconst char *tb_errmsg(void);\n")
	fmt.Println(symbols.HeaderFunctions(header, "tb_"))
	// Output: [tb_abi_version tb_errmsg]
}
