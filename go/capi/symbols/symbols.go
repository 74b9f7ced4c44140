// Package symbols lists what a shared library exports and needs, for the
// three formats Tidebreak ships (ELF .so, PE .dll, Mach-O .dylib), and the
// functions a C header declares. The ABI tests and cmd/abicheck use it to
// check that a library built for any platform exports exactly the tb_*
// functions of go/capi/tidebreak.h and depends only on the system's C
// library.
package symbols

import (
	"bytes"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

// Library is what a shared library exports and imports.
type Library struct {
	Format  string   // "elf", "pe" or "macho"
	Arch    string   // the CPU it is built for: "amd64", "arm64", or the format's own name for others
	Exports []string // exported, defined functions, sorted (Mach-O's leading underscore removed)
	Imports []string // libraries it needs at load time, sorted
}

// prototype matches a function declaration at the start of a line:
// return type words, pointer stars, the name and an opening parenthesis.
var prototype = regexp.MustCompile(`(?m)^[ \t]*[a-z_][a-z_0-9 \t]*?[ \t*]([a-z_][a-z_0-9]*)[ \t]*\(`)

// HeaderFunctions returns the sorted names of the functions declared in a C
// header that start with prefix.
func HeaderFunctions(header []byte, prefix string) []string {
	var names []string
	for _, m := range prototype.FindAllSubmatch(header, -1) {
		if name := string(m[1]); strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Open reads the library at path.
func Open(path string) (*Library, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lib *Library
	switch {
	case bytes.HasPrefix(data, []byte("\x7fELF")):
		lib, err = readELF(data)
	case bytes.HasPrefix(data, []byte("MZ")):
		lib, err = readPE(data)
	case len(data) >= 4 && isMachO(binary.LittleEndian.Uint32(data)):
		lib, err = readMachO(data)
	default:
		return nil, fmt.Errorf("%s: not an ELF, PE or Mach-O file", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sort.Strings(lib.Exports)
	sort.Strings(lib.Imports)
	return lib, nil
}

func isMachO(magic uint32) bool {
	return magic == macho.Magic32 || magic == macho.Magic64 || magic == macho.MagicFat
}

// systemLibrary matches the libraries every system of a format provides:
// the C library and its parts on Linux (glibc), the Windows system DLLs,
// and the macOS system libraries and frameworks.
var systemLibrary = map[string]*regexp.Regexp{
	"elf":   regexp.MustCompile(`^(libc|libpthread|libdl|libm|librt)\.so\.[0-9]+$|^ld-linux[a-z0-9_-]*\.so\.[0-9]+$`),
	"pe":    regexp.MustCompile(`(?i)^(kernel32|msvcrt|ucrtbase|ntdll|advapi32|ws2_32|winmm|bcrypt|api-ms-win-[a-z0-9-]+)\.dll$`),
	"macho": regexp.MustCompile(`^/usr/lib/|^/System/Library/Frameworks/`),
}

// NonSystemImports returns the libraries lib needs that a bare system of
// its platform lacks (a MinGW runtime DLL, say): a wheel that ships lib
// would fail to load there.
func NonSystemImports(lib *Library) []string {
	var out []string
	for _, imp := range lib.Imports {
		if re := systemLibrary[lib.Format]; re == nil || !re.MatchString(imp) {
			out = append(out, imp)
		}
	}
	return out
}

// WithPrefix returns the names that start with prefix.
func WithPrefix(names []string, prefix string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out
}

// Diff returns the names only in want and only in got (both sorted).
func Diff(want, got []string) (missing, extra []string) {
	in := func(list []string, s string) bool {
		i := sort.SearchStrings(list, s)
		return i < len(list) && list[i] == s
	}
	for _, w := range want {
		if !in(got, w) {
			missing = append(missing, w)
		}
	}
	for _, g := range got {
		if !in(want, g) {
			extra = append(extra, g)
		}
	}
	return missing, extra
}

func readELF(data []byte) (*Library, error) {
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syms, err := f.DynamicSymbols()
	if err != nil {
		return nil, err
	}
	lib := &Library{Format: "elf", Arch: f.Machine.String()}
	switch f.Machine {
	case elf.EM_X86_64:
		lib.Arch = "amd64"
	case elf.EM_AARCH64:
		lib.Arch = "arm64"
	}
	for _, s := range syms {
		bind := elf.ST_BIND(s.Info)
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Section != elf.SHN_UNDEF && (bind == elf.STB_GLOBAL || bind == elf.STB_WEAK) {
			lib.Exports = append(lib.Exports, s.Name)
		}
	}
	if lib.Imports, err = f.ImportedLibraries(); err != nil {
		return nil, err
	}
	return lib, nil
}

func readMachO(data []byte) (*Library, error) {
	f, err := macho.NewFile(bytes.NewReader(data))
	if err != nil {
		var fatErr error
		fat, fatErr := macho.NewFatFile(bytes.NewReader(data))
		if fatErr != nil || len(fat.Arches) == 0 {
			return nil, err
		}
		f = fat.Arches[0].File // every slice is built from the same sources
	}
	defer f.Close()
	lib := &Library{Format: "macho", Arch: f.Cpu.String()}
	switch f.Cpu {
	case macho.CpuAmd64:
		lib.Arch = "amd64"
	case macho.CpuArm64:
		lib.Arch = "arm64"
	}
	if f.Symtab != nil {
		const nExt, nType, nSect = 0x01, 0x0e, 0x0e
		for _, s := range f.Symtab.Syms {
			if s.Type&nExt != 0 && s.Type&nType == nSect && s.Sect != 0 {
				lib.Exports = append(lib.Exports, strings.TrimPrefix(s.Name, "_"))
			}
		}
	}
	if lib.Imports, err = f.ImportedLibraries(); err != nil {
		return nil, err
	}
	return lib, nil
}

func readPE(data []byte) (*Library, error) {
	f, err := pe.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lib := &Library{Format: "pe", Arch: fmt.Sprintf("machine %#x", f.Machine)}
	switch f.Machine {
	case pe.IMAGE_FILE_MACHINE_AMD64:
		lib.Arch = "amd64"
	case pe.IMAGE_FILE_MACHINE_ARM64:
		lib.Arch = "arm64"
	}
	if lib.Exports, err = peExports(f); err != nil {
		return nil, err
	}
	// debug/pe lists imported symbols as "name:DLL"; the DLLs are what we want.
	syms, err := f.ImportedSymbols()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, s := range syms {
		if _, dll, ok := strings.Cut(s, ":"); ok && !seen[strings.ToLower(dll)] {
			seen[strings.ToLower(dll)] = true
			lib.Imports = append(lib.Imports, dll)
		}
	}
	return lib, nil
}

// peExports reads the names in a PE file's export directory (data
// directory 0): the export directory table points at an array of name RVAs.
func peExports(f *pe.File) ([]string, error) {
	var dir pe.DataDirectory
	switch h := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		if h.NumberOfRvaAndSizes > 0 {
			dir = h.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_EXPORT]
		}
	case *pe.OptionalHeader32:
		if h.NumberOfRvaAndSizes > 0 {
			dir = h.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_EXPORT]
		}
	default:
		return nil, errors.New("PE file without an optional header")
	}
	if dir.VirtualAddress == 0 {
		return nil, nil // exports nothing
	}
	read := func(rva, n uint32) ([]byte, error) {
		for _, s := range f.Sections {
			if rva >= s.VirtualAddress && rva < s.VirtualAddress+max(s.VirtualSize, s.Size) {
				d, err := s.Data()
				if err != nil {
					return nil, err
				}
				off := rva - s.VirtualAddress
				if uint64(off)+uint64(n) > uint64(len(d)) {
					return nil, fmt.Errorf("export data at RVA %#x runs past section %s", rva, s.Name)
				}
				return d[off : off+n], nil
			}
		}
		return nil, fmt.Errorf("RVA %#x is in no section", rva)
	}
	table, err := read(dir.VirtualAddress, 40) // IMAGE_EXPORT_DIRECTORY
	if err != nil {
		return nil, err
	}
	numNames := binary.LittleEndian.Uint32(table[24:])
	namesRVA := binary.LittleEndian.Uint32(table[32:])
	if numNames > 1<<16 {
		return nil, fmt.Errorf("export directory claims %d names", numNames)
	}
	if numNames == 0 {
		return nil, nil
	}
	rvas, err := read(namesRVA, 4*numNames)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, numNames)
	for i := uint32(0); i < numNames; i++ {
		rva := binary.LittleEndian.Uint32(rvas[4*i:])
		var name []byte
		for j := uint32(0); ; j++ {
			if j > 1024 {
				return nil, fmt.Errorf("export name at RVA %#x is not terminated", rva)
			}
			b, err := read(rva+j, 1)
			if err != nil {
				return nil, err
			}
			if b[0] == 0 {
				break
			}
			name = append(name, b[0])
		}
		names = append(names, string(name))
	}
	return names, nil
}
