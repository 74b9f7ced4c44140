// Package morphospace holds the arena's spatial environment fields: acoustic
// noise, sonar return, temperature, salinity, ocean current, sea state and
// smoke. Fields are not entities; they are scalar functions of position that
// ships and weapons write into (stamps) and read from (point, volume and
// foveated queries), and that evolve over time by diffusion, decay toward a
// default and advection by the current.
//
// # Geometry
//
// A Space covers the box [0, SizeX) × [0, SizeY) × [0, Depth) in metres, with
// X east, Y north and Z the depth below the surface (positive down). The
// vertical axis is split into Bands depth bands. Each field is stored in its
// own sparse tree: the root covers the whole world, and a node splits by
// halving x and y, and z too while its z extent is more than one band, so a
// node has eight children near the root and four once it is one band thick.
// The finest cell is SizeX/2^MaxLevel × SizeY/2^MaxLevel × Depth/Bands.
// Every node caches the volume-weighted mean, variance, minimum and maximum of
// the leaves beneath it, so coarse queries can stop early.
//
// A cell that was never written reads the field default: a new field is one
// leaf holding the default. A stamp splits nodes only where it partly covers
// them and only where the change it makes would vary across the node by more
// than the field's split tolerance; a node whose children are leaves that
// agree within the (smaller) merge tolerance merges back into one leaf.
// Propagation never splits a node; it may merge.
//
// # Determinism
//
// All state is float64. Traversals follow a fixed child order, maps are only
// used for name lookup, nothing runs concurrently, products that feed sums are
// rounded explicitly (float64(a*b)) so that no compiler may fuse them into an
// FMA, and transcendental functions come from package dmath. Hash returns a
// 64-bit FNV-1a digest of a canonical traversal of every field.
//
// See docs/morphospace.md in the repository for the model, the tables of
// built-in fields and the numerical scheme.
package morphospace
