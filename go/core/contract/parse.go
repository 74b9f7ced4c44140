package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Parse decodes, defaults and validates a BattlePackage. Unknown keys are
// ignored. A JSON syntax error, a value of the wrong type or a broken rule
// is reported with the path of the field at fault.
func Parse(data []byte) (*BattlePackage, error) {
	var generic any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return nil, syntaxError(data, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("invalid JSON: extra data after the package object")
	}
	var v problems
	checkTypes(&v, generic, reflect.TypeOf(BattlePackage{}), "")
	if err := v.err(); err != nil {
		return nil, err
	}
	p := new(BattlePackage)
	if err := json.Unmarshal(data, p); err != nil {
		return nil, fmt.Errorf("invalid package: %w", err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// UnknownFields lists the keys of data (as field paths) that arena.v1 does
// not define. Parse ignores them; callers may warn about them.
func UnknownFields(data []byte) ([]string, error) {
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		return nil, syntaxError(data, err)
	}
	var out []string
	unknown(&out, generic, reflect.TypeOf(BattlePackage{}), "")
	return out, nil
}

func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	if ok := asSyntax(err, &se); ok {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("invalid JSON at byte %d (line %d): %v", se.Offset, line, err)
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

func asSyntax(err error, target **json.SyntaxError) bool {
	se, ok := err.(*json.SyntaxError)
	if ok {
		*target = se
	}
	return ok
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonFields maps the JSON keys of struct type t to their field types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "" || name == "-" {
			continue
		}
		out[name] = f.Type
	}
	return out
}

// checkTypes walks a decoded JSON value against the Go type it will be
// decoded into and records every kind mismatch with its path.
func checkTypes(v *problems, val any, t reflect.Type, path string) {
	if val == nil {
		return // null leaves the default in place
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	where := path
	if where == "" {
		where = "package"
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := val.(map[string]any)
		if !ok {
			v.add(where, "must be an object (got %s)", jsonKind(val))
			return
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(obj) {
			if ft, known := fields[k]; known {
				checkTypes(v, obj[k], ft, join(path, k))
			}
		}
	case reflect.Slice, reflect.Array:
		arr, ok := val.([]any)
		if !ok {
			v.add(where, "must be an array (got %s)", jsonKind(val))
			return
		}
		if t.Kind() == reflect.Array && len(arr) != t.Len() {
			v.add(where, "must have exactly %d elements (got %d)", t.Len(), len(arr))
		}
		for i, e := range arr {
			checkTypes(v, e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		obj, ok := val.(map[string]any)
		if !ok {
			v.add(where, "must be an object (got %s)", jsonKind(val))
			return
		}
		for _, k := range sortedKeys(obj) {
			checkTypes(v, obj[k], t.Elem(), join(path, k))
		}
	case reflect.String:
		if _, ok := val.(string); !ok {
			v.add(where, "must be a string (got %s)", jsonKind(val))
		}
	case reflect.Bool:
		if _, ok := val.(bool); !ok {
			v.add(where, "must be true or false (got %s)", jsonKind(val))
		}
	case reflect.Float64:
		if _, ok := val.(json.Number); !ok {
			v.add(where, "must be a number (got %s)", jsonKind(val))
		}
	case reflect.Int, reflect.Uint64:
		n, ok := val.(json.Number)
		if !ok {
			v.add(where, "must be an integer (got %s)", jsonKind(val))
			return
		}
		s := n.String()
		if strings.ContainsAny(s, ".eE") {
			v.add(where, "must be an integer (got %s)", s)
		} else if t.Kind() == reflect.Uint64 && strings.HasPrefix(s, "-") {
			v.add(where, "must be a non-negative integer (got %s)", s)
		} else if _, err := parseInt(s, t.Kind() == reflect.Uint64); err != nil {
			v.add(where, "integer out of range (got %s)", s)
		}
	}
}

func unknown(out *[]string, val any, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := val.(map[string]any)
		if !ok {
			return
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(obj) {
			if ft, known := fields[k]; known {
				unknown(out, obj[k], ft, join(path, k))
			} else {
				*out = append(*out, join(path, k))
			}
		}
	case reflect.Slice:
		if arr, ok := val.([]any); ok {
			for i, e := range arr {
				unknown(out, e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
			}
		}
	case reflect.Map:
		if obj, ok := val.(map[string]any); ok {
			for _, k := range sortedKeys(obj) {
				unknown(out, obj[k], t.Elem(), join(path, k))
			}
		}
	}
}

func jsonKind(val any) string {
	switch val.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	}
	return "null"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func parseInt(s string, unsigned bool) (uint64, error) {
	if unsigned {
		return strconv.ParseUint(s, 10, 64)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return uint64(n), err
}
