package rlenv

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/tidebreak/tidebreak/go/core/arena"
	"github.com/tidebreak/tidebreak/go/core/jsontree"
)

// StateFormat and StateVersion head every saved env state (tb_env_save):
//
//	{"format":"tidebreak.state","version":2,"checksum":"<64 hex digits>",
//	 "episode_seed":<uint64>,"world":<arena.World.Save>}
//
// The keys are exactly these five, in any order. checksum is the SHA-256
// (lower-case hex) of the document as written, with the 64 digits of the
// checksum itself replaced by '0' characters: any change to the blob,
// however small, is detected before a value of it is used.
const (
	StateFormat  = "tidebreak.state"
	StateVersion = 2
)

// checksumDigits is the length of the checksum's hex digits.
const checksumDigits = 2 * sha256.Size

// Save returns env i's state, sealed with its checksum.
func (b *Batch) Save(i int) ([]byte, error) {
	world, err := b.worlds[i].Save()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInternal, err)
	}
	doc := make([]byte, 0, len(world)+192)
	doc = append(doc, `{"format":"`+StateFormat+`","version":`+strconv.Itoa(StateVersion)+`,"checksum":"`...)
	at := len(doc)
	doc = append(doc, zeroDigits[:]...)
	doc = append(doc, `","episode_seed":`...)
	doc = strconv.AppendUint(doc, b.seeds[i], 10)
	doc = append(doc, `,"world":`...)
	doc = append(doc, world...)
	doc = append(doc, '}')
	sum := sha256.Sum256(doc)
	hex.Encode(doc[at:at+checksumDigits], sum[:])
	return doc, nil
}

var zeroDigits = [checksumDigits]byte{'0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0',
	'0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0',
	'0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'}

// Load restores env i from Save's output: the header and the checksum are
// checked first, then arena.World.Load checks every value. On error the
// env is unchanged.
func (b *Batch) Load(i int, data []byte) error {
	w := b.worlds[i]
	seed, world, err := openState(data, w)
	if err != nil {
		return err
	}
	if err := w.Load(world); err != nil {
		var se *arena.StateError
		if errors.As(err, &se) {
			return fmt.Errorf("%w: state.world: %s", ErrInvalid, se.Msg)
		}
		return fmt.Errorf("%w: state.world: %v", ErrInvalid, err)
	}
	b.seeds[i] = seed
	return nil
}

// openState checks a sealed state's envelope and returns its episode seed
// and world.
func openState(data []byte, w *arena.World) (uint64, []byte, error) {
	tree, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: 9, MaxValues: w.MaxStateValues() + 8})
	if err != nil {
		return 0, nil, fmt.Errorf("%w: state: %v", ErrJSON, err)
	}
	bad := func(format string, args ...any) (uint64, []byte, error) {
		return 0, nil, fmt.Errorf("%w: state: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	root := tree.Root()
	if root.Kind() != jsontree.Object {
		return bad("%v, want an object (a tb_env_save state)", root.Kind())
	}
	keys := [...]string{"format", "version", "checksum", "episode_seed", "world"}
	var vals [len(keys)]jsontree.Value
	for k, key := range keys {
		v, ok := root.Member(key)
		if !ok {
			return bad("no %q (not a tb_env_save state)", key)
		}
		vals[k] = v
	}
	if root.Len() != len(keys) {
		for m := root.First(); m.Valid(); m = m.Next() {
			if _, ok := findKey(keys[:], m.Key()); !ok {
				return bad("unknown key %q", m.Key())
			}
		}
	}
	if f, err := vals[0].Str(); err != nil || f != StateFormat {
		return bad("format is %s, want %q", vals[0].Raw(), StateFormat)
	}
	if v, err := vals[1].Int64(); err != nil || v != StateVersion {
		return bad("version is %s; this Tidebreak reads version %d", vals[1].Raw(), StateVersion)
	}
	start, end := vals[2].Span()
	sum, err := hex.DecodeString(string(data[start+1 : end-1]))
	if vals[2].Kind() != jsontree.String || end-start != checksumDigits+2 || err != nil ||
		hex.EncodeToString(sum) != string(data[start+1:end-1]) {
		return bad("checksum must be %d lower-case hex digits", checksumDigits)
	}
	h := sha256.New()
	h.Write(data[:start+1])
	h.Write(zeroDigits[:])
	h.Write(data[end-1:])
	if got := h.Sum(nil); string(got) != string(sum) {
		return bad("checksum mismatch (the state was altered or damaged after it was saved)")
	}
	seed, err := vals[3].Uint64()
	if err != nil {
		return bad("episode_seed: %v", err)
	}
	if vals[4].Kind() != jsontree.Object {
		return bad("world is %v, want an object", vals[4].Kind())
	}
	return seed, vals[4].Raw(), nil
}

func findKey(keys []string, key string) (int, bool) {
	for i, k := range keys {
		if k == key {
			return i, true
		}
	}
	return -1, false
}

// Seal recomputes the checksum of a state document (for tools that edit
// saved states on purpose): data must be a JSON object whose "checksum"
// member is a string of 64 characters; the result is data with that
// string replaced by the checksum of the new contents.
func Seal(data []byte) ([]byte, error) {
	tree, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: 9})
	if err != nil {
		return nil, fmt.Errorf("%w: state: %v", ErrJSON, err)
	}
	v, ok := tree.Root().Member("checksum")
	start, end := v.Span()
	if !ok || v.Kind() != jsontree.String || end-start != checksumDigits+2 {
		return nil, fmt.Errorf("%w: state: want a \"checksum\" string of %d characters to seal", ErrInvalid, checksumDigits)
	}
	out := append([]byte(nil), data...)
	copy(out[start+1:end-1], zeroDigits[:])
	sum := sha256.Sum256(out)
	hex.Encode(out[start+1:end-1], sum[:])
	return out, nil
}
