package rlenv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tidebreak/tidebreak/go/core/arena"
	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/jsontree"
	"github.com/tidebreak/tidebreak/go/core/tblog"
)

// The keys an input may hold around a package. An env config and a
// tb_simulate input are a bare BattlePackage or an object with a "package"
// key and these options; keys match exactly, as in the package.
//
//	package     the BattlePackage
//	max_tracks  track slots in the observation, [1, 64] (0: the default)
//	fields      MorphoSpace coupling (wins over the package's own block)
//	foveated    foveated field observations
//	autoreset_mode  (env configs) what a batch does with a finished env:
//	            same_step (default), next_step or disabled
//	teacher     (env configs) a scripted controller (aggressive, stalker,
//	            expert) whose command for each agent ship is kept every
//	            step, for imitation losses (Batch.TeacherActions)
//	lenient     true: accept unknown keys (in the package and here) and
//	            report them as warnings instead of failing
//	action_log  (tb_simulate only) commands that replace the controllers
//	record      (tb_simulate only) false: no action log or tick hashes in
//	            the result's replay block
func envelopeKeys(simulate bool) []string {
	keys := []string{"package", "max_tracks", "fields", "foveated", "lenient"}
	if simulate {
		keys = append(keys, "action_log", "record")
	} else {
		keys = append(keys, "autoreset_mode", "teacher")
	}
	return keys
}

// input is a parsed env config or tb_simulate input.
type input struct {
	cfg      *Config
	log      []contract.ActionRecord // nil: no action_log key
	noRecord bool                    // "record": false
	warnings []contract.FieldError
}

// parseInput reads an env config (simulate false) or a tb_simulate input.
// Every check a package goes through is here, so that Check, env creation
// and Simulate accept exactly the same packages.
func parseInput(data []byte, simulate, lenient bool) (*input, error) {
	in := &input{}
	pkgDoc := data
	env := map[string][]byte{}
	if bytes.Contains(data, []byte(`"package"`)) {
		// An envelope; anything else (not JSON, not an object) is left to the
		// package parser, which says why.
		if t, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: contract.MaxDepth + 1, MaxValues: 1 << 22}); err == nil {
			for m := t.Root().First(); m.Valid(); m = m.Next() {
				env[m.Key()] = m.Raw()
			}
		}
	}
	if _, ok := env["package"]; !ok {
		env = nil
	}
	if env != nil {
		if raw, ok := env["lenient"]; ok && present(raw) {
			if err := json.Unmarshal(raw, &lenient); err != nil {
				return nil, invalid(contract.FieldError{Path: "lenient", Message: "must be true or false"})
			}
		}
		var bad []contract.FieldError
		allowed := envelopeKeys(simulate)
		for _, k := range slices.Sorted(maps.Keys(env)) {
			if !slices.Contains(allowed, k) {
				msg := "unknown field"
				if lenient {
					msg = "unknown field ignored (lenient mode)"
				}
				if s := contract.Suggest(k, allowed); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				} else {
					msg += " (known: " + strings.Join(allowed, ", ") + ")"
				}
				bad = append(bad, contract.FieldError{Path: contract.JoinPath("", k), Message: msg})
			}
		}
		if lenient {
			in.warnings = append(in.warnings, bad...)
		} else if len(bad) > 0 {
			return in, invalid(bad...)
		}
		pkgDoc = env["package"]
	}
	opts := contract.Options{Lenient: lenient, Controllers: arena.ControllerNames()}
	pkg, warnings, err := contract.ParseWith(pkgDoc, opts)
	in.warnings = append(in.warnings, warnings...)
	if err != nil {
		var se *contract.SyntaxError
		if errors.As(err, &se) {
			return in, fmt.Errorf("%w: %w", ErrJSON, err)
		}
		return in, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	in.cfg = &Config{Package: pkg}
	if raw, ok := env["max_tracks"]; ok && present(raw) {
		var n int
		if err := json.Unmarshal(raw, &n); err != nil || n < 0 || n > arena.MaxTracksLimit {
			return in, invalid(contract.FieldError{Path: "max_tracks",
				Message: fmt.Sprintf("must be an integer within [1, %d] (got %s)", arena.MaxTracksLimit, raw)})
		}
		in.cfg.Options.MaxTracks = n
	}
	if raw, ok := env["autoreset_mode"]; ok && present(raw) {
		var mode string
		if err := json.Unmarshal(raw, &mode); err != nil {
			return in, invalid(contract.FieldError{Path: "autoreset_mode",
				Message: "must be one of same_step, next_step, disabled"})
		}
		if in.cfg.Autoreset, err = ParseAutoresetMode(mode); err != nil {
			return in, err
		}
	}
	if raw, ok := env["teacher"]; ok && present(raw) {
		var name string
		msg := "must be one of " + strings.Join(arena.TeacherNames(), ", ")
		if err := json.Unmarshal(raw, &name); err != nil {
			return in, invalid(contract.FieldError{Path: "teacher", Message: msg + " (got " + string(raw) + ")"})
		}
		if in.cfg.Options.Teacher, err = arena.ParseTeacher(name); err != nil {
			return in, invalid(contract.FieldError{Path: "teacher", Message: msg + fmt.Sprintf(" (got %q)", name)})
		}
	}
	fieldsRaw := json.RawMessage(pkg.Fields)
	if raw := env["fields"]; present(raw) {
		fieldsRaw = raw
	}
	if in.cfg.Options.Fields, err = parseFields(fieldsRaw, json.RawMessage(env["foveated"])); err != nil {
		return in, err
	}
	if raw, ok := env["record"]; ok && present(raw) {
		var record bool
		if err := json.Unmarshal(raw, &record); err != nil {
			return in, invalid(contract.FieldError{Path: "record", Message: "must be true or false"})
		}
		in.noRecord = !record
	}
	if raw, ok := env["action_log"]; ok {
		in.log = []contract.ActionRecord{}
		if present(raw) {
			if err := json.Unmarshal(raw, &in.log); err != nil {
				return in, fmt.Errorf("%w: action_log: %v", ErrInvalid, err)
			}
		}
	}
	return in, nil
}

// logWarnings logs each unknown key a lenient input ignored.
func (in *input) logWarnings(log tblog.Logger) {
	for _, w := range in.warnings {
		tblog.Warnf(log, "contract", "%s", w.Error())
	}
}

// build makes the World an input describes, as Simulate runs it.
func (in *input) build() (*arena.World, error) {
	opts := arena.Options{RecordLog: !in.noRecord, Playback: in.log, Fields: in.cfg.Options.Fields}
	w, err := arena.New(in.cfg.Package, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return w, nil
}

func invalid(problems ...contract.FieldError) error {
	return fmt.Errorf("%w: %w", ErrInvalid, &contract.ValidationError{Problems: problems})
}

// Report is what Check makes of an input: the verdict, every problem (the
// same ones Simulate's error lists) or the normalised package, and the
// unknown keys a lenient check ignored.
type Report struct {
	OK       bool                    `json:"ok"`
	Problems []contract.FieldError   `json:"problems"`
	Warnings []contract.FieldError   `json:"warnings"`
	Package  *contract.BattlePackage `json:"package"`
}

// Check reads a package (or a tb_simulate input) exactly as Simulate does
// and builds its World without running it, so its verdict is Simulate's.
// With lenient, unknown keys are warnings. With randomize, the returned
// package has its randomize block applied for its seed (concrete starts and
// weather, no randomize block), as the arena would start it.
func Check(data []byte, lenient, randomize bool) Report {
	r := Report{Problems: []contract.FieldError{}, Warnings: []contract.FieldError{}}
	in, err := parseInput(data, true, lenient)
	if in != nil {
		r.Warnings = append(r.Warnings, in.warnings...)
	}
	if err == nil {
		_, err = in.build()
	}
	if err != nil {
		r.Problems = ProblemsOf(err)
		return r
	}
	r.OK = true
	r.Package = in.cfg.Package
	if randomize {
		r.Package = arena.Randomized(in.cfg.Package)
	}
	return r
}

// ProblemsOf lists the field problems an error from this package names:
// a contract.ValidationError's problems, or the error as one problem (its
// leading "path: " split off when it starts with a field path). Joined with
// "; " (after "N problems: " when there are several) they read as the
// error's text after its class ("invalid input: ").
func ProblemsOf(err error) []contract.FieldError {
	var ve *contract.ValidationError
	if errors.As(err, &ve) {
		return append([]contract.FieldError(nil), ve.Problems...)
	}
	msg := err.Error()
	for _, class := range []error{ErrInvalid, ErrJSON, ErrArgument} {
		msg = strings.TrimPrefix(msg, class.Error()+": ")
	}
	if path, rest, ok := strings.Cut(msg, ": "); ok && isPath(path) {
		return []contract.FieldError{{Path: path, Message: rest}}
	}
	return []contract.FieldError{{Message: msg}}
}

// isPath reports whether s looks like a field path ("ships[0].controller").
func isPath(s string) bool {
	if s == "" || strings.ContainsAny(s, " \"'") {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '.' || r == '[' || r == ']' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
