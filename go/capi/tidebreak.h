/*
 * tidebreak.h — the Tidebreak C ABI, version 1.
 *
 * A small, stable interface to the Tidebreak arena, modelled on SQLite's:
 * few functions, integer status codes, and an error-message call.
 *
 *   - Every function returns a status code (TB_OK on success) except
 *     tb_abi_version, tb_errmsg, tb_errstr, tb_build_info and
 *     tb_log_pending.
 *   - After a failure, tb_errmsg() returns a message naming what was wrong.
 *     The message belongs to the calling thread and stays valid until that
 *     thread's next failing call. tb_errstr(code) names a status code.
 *   - Handles are opaque non-zero integers. Every call validates its handle:
 *     zero, destroyed, stale, unknown or wrong-kind handles return
 *     TB_ERR_HANDLE and never crash.
 *   - Buffers belong to the caller. The library reads and writes them only
 *     during the call and keeps no pointer to them afterwards. A buffer's
 *     length (in elements) must equal the size the spec gives, or the call
 *     fails with TB_ERR_BUFFER; a NULL buffer is accepted only where its
 *     expected length is 0 or where it is documented as optional.
 *   - A panic inside the library is recovered and returned as TB_ERR_PANIC.
 *   - Only one Go runtime may exist per process; a process forked after the
 *     library was loaded must not call it.
 *
 * Batch autoreset (tb_batch_step): each env whose episode ends in a step
 * reports terminated/truncated and that step's rewards; its terminal
 * observation is written to final_obs (when given); the env is then reset
 * at once with the next seed of its sequence and obs holds the first
 * observation of the new episode ("same-step" autoreset, as in
 * Stable-Baselines3 and Gymnasium's AutoresetMode.SAME_STEP).
 *
 * Seeds: reset with seed 0 continues the env's seed sequence (the next
 * seed is derived from the previous one); any other value starts a new one.
 */
#ifndef TIDEBREAK_H
#define TIDEBREAK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TB_ABI_VERSION 1

/* Status codes. */
#define TB_OK            0 /* success */
#define TB_ERR_HANDLE    1 /* zero, stale, destroyed, unknown or wrong-kind handle */
#define TB_ERR_ARG       2 /* bad argument: NULL pointer, bad count, NaN or out-of-range action */
#define TB_ERR_BUFFER    3 /* a buffer's length does not match the spec */
#define TB_ERR_JSON      4 /* malformed JSON */
#define TB_ERR_INVALID   5 /* the package, config, state or action log failed validation */
#define TB_ERR_STATE     6 /* not allowed now, e.g. stepping a finished env */
#define TB_ERR_PANIC     7 /* an internal error was recovered */
#define TB_ERR_TOO_SMALL 8 /* output buffer too small; the size needed is reported */
#define TB_ERR_INTERRUPTED 9 /* tb_interrupt ended the call early */

/* Sizes of one env (or of each env of a batch). */
typedef struct tb_spec {
    int32_t obs_size;       /* floats per agent observation */
    int32_t action_size;    /* floats per agent action */
    int32_t reward_terms;   /* floats per agent reward-term vector */
    int32_t mask_size;      /* floats per agent action mask */
    int32_t agents_per_env; /* ships controlled by "agent" */
    int32_t num_envs;       /* 1 for an env, N for a batch */
    int32_t max_ticks;      /* ticks before truncation */
    int32_t substeps;       /* substeps per 1 s tick */
} tb_spec;

/* One engine event of the last tick (tb_env_events). Ships are entities
 * 1..n in package order (ship i, 0-based, is entity i + 1); 0 stands for the
 * environment or for none. tb_layout's "events" table documents each kind:
 * what its source and target are and what its value holds. */
typedef struct tb_event {
    int32_t  tick;   /* the tick during which it happened, from 0 (as in the action log) */
    int32_t  kind;   /* event kind code, from 1 */
    uint32_t source; /* the entity that caused it */
    uint32_t target; /* the entity it happened to */
    uint64_t trace;  /* this event's id, unique within an episode */
    uint64_t cause;  /* trace of the command or event that led to it; 0 if none */
    double   value;  /* kind-specific: damage, closing speed, or an enum code */
} tb_event;

/* Caller-owned output buffers. Lengths count elements, and each must be
 * num_envs × agents_per_env × the per-agent size (num_envs for the flags).
 * final_obs is optional (NULL, length 0). */
typedef struct tb_buffers {
    float   *obs;        int64_t obs_len;
    float   *mask;       int64_t mask_len;
    float   *rewards;    int64_t rewards_len;
    uint8_t *terminated; int64_t terminated_len;
    uint8_t *truncated;  int64_t truncated_len;
    float   *final_obs;  int64_t final_obs_len;
} tb_buffers;

/* Log levels (Python logging's numbers) and the log's capacity in records. */
#define TB_LOG_DEBUG    10
#define TB_LOG_INFO     20
#define TB_LOG_WARNING  30
#define TB_LOG_ERROR    40
#define TB_LOG_CAPACITY 1024

/* MorphoSpace stamp shapes, blend modes and falloffs (tb_ms_stamp). */
#define TB_MS_SPHERE   0 /* params: cx, cy, cz, radius */
#define TB_MS_BOX      1 /* params: min_x, min_y, min_z, max_x, max_y, max_z */
#define TB_MS_CAPSULE  2 /* params: ax, ay, az, bx, by, bz, radius */
#define TB_MS_SET      0
#define TB_MS_ADD      1
#define TB_MS_SUBTRACT 2
#define TB_MS_MULTIPLY 3
#define TB_MS_MAX      4
#define TB_MS_MIN      5
#define TB_MS_LERP     6
#define TB_MS_HARD     0
#define TB_MS_LINEAR   1
#define TB_MS_SMOOTH   2

/* Packages. tb_package_parse reads a BattlePackage (or a tb_simulate
 * input) exactly as tb_simulate and tb_env_create do, builds the battle
 * without running it, and returns a JSON report as a blob:
 *   {"ok": bool,
 *    "problems": [{"path": "ships[0].controler", "message": "..."}, ...],
 *    "warnings": [...],   unknown keys ignored under TB_PARSE_LENIENT
 *    "package": {...}}    the package with every default filled (null
 *                         when not ok)
 * so ok is true exactly when tb_simulate would run the input. The report's
 * problems, joined as "path: message" with "; " (after "N problems: "
 * when there are several), are the text of tb_simulate's error after
 * "invalid input: ". A problem's path is "" when it concerns the whole
 * document (malformed JSON, too large). It returns TB_OK whenever a report
 * was written, TB_ERR_ARG for a bad argument. Flags:
 *   TB_PARSE_LENIENT    accept unknown keys (warnings) instead of failing
 *   TB_PARSE_RANDOMIZE  return the package with its randomize block
 *                       applied for its seed (concrete starts and
 *                       weather, no randomize block) */
#define TB_PARSE_LENIENT   1
#define TB_PARSE_RANDOMIZE 2

#ifndef TB_NO_PROTOTYPES

/* Library. */
int32_t     tb_abi_version(void);
const char *tb_errmsg(void);
/* The name of a status code ("TB_ERR_BUFFER"), or "unknown status"; a
 * static string. */
const char *tb_errstr(int32_t code);
int32_t     tb_selftest_panic(void); /* panics inside the library; returns TB_ERR_PANIC */
/* Every layout and code of this build as a JSON blob (tb_blob_take): the
 * observation blocks ("own", "track", "env", "context"), "action", "mask"
 * and "reward" (each a list of {name, low, high, doc} in buffer order; a
 * null bound is unbounded), "enums" (status, layer, weapon, track_quality,
 * class, crit, sensor: {name, doc, first, values}), "events" (the event
 * kinds: {code, name, doc, source, target, value, value_enum}), "status"
 * (these status codes: {code, name, doc}), "abi_version", "version" (of
 * this description), "default_max_tracks" and "max_tracks_limit". */
int32_t     tb_layout(uint64_t *out_blob, int64_t *out_len);
/* {"version": "0.1.0", "abi": 1, "go": "go1.26.8", "platform": "linux/amd64",
 * "commit": "…"}: a static JSON string, valid for the life of the process. */
const char *tb_build_info(void);

/* The engine's log: warnings and notable events (unknown keys ignored in
 * lenient mode, values clamped to a range, calls slower than the slow-call
 * threshold, recovered panics with their stack) wait in a ring of
 * TB_LOG_CAPACITY records until the host drains them; when it is full the
 * oldest are dropped and the next drain starts with a warning counting them.
 *
 * tb_log_pending returns the address of the number of records waiting, for
 * the life of the process: the host reads it after a call, with no further
 * call, and drains only when it is non-zero. tb_log_drain moves the waiting
 * records into a blob (tb_blob_take): a JSON array, oldest first, of
 * {"seq", "level", "source", "message", "stack"?}. tb_log_config sets the
 * lowest level kept (default TB_LOG_INFO; -1 keeps the current one) and the
 * slow-call threshold in seconds for the reset and step calls (default 1;
 * negative turns timing off; NaN keeps the current one). tb_env_step, whose
 * work is small beside two clock reads, is timed only once tb_log_config
 * has set a threshold. */
const volatile int32_t *tb_log_pending(void);
int32_t tb_log_drain(uint64_t *out_blob, int64_t *out_len);
int32_t tb_log_config(int32_t min_level, double slow_call_s);

/* One env. config_json is a bare BattlePackage or {"package":
 * <BattlePackage>, "max_tracks": K, "fields": {...}, "foveated": {...},
 * "lenient": false}; keys match exactly and unknown keys fail with
 * TB_ERR_INVALID unless "lenient" is true. */
int32_t tb_env_create(const char *config_json, int64_t len, uint64_t *out_env);
int32_t tb_env_spec(uint64_t env, tb_spec *out);
int32_t tb_env_reset(uint64_t env, uint64_t seed, const tb_buffers *bufs);
int32_t tb_env_step(uint64_t env, const float *actions, int64_t actions_len, const tb_buffers *bufs);
int32_t tb_env_observe(uint64_t env, const tb_buffers *bufs);
/* States: tb_env_save returns the env's state as a sealed JSON blob
 * ({"format": "tidebreak.state", "version": 2, "checksum", "episode_seed",
 * "world"}; docs/replay.md lists the keys). tb_env_load restores one into
 * an env built from the same config after checking its checksum, every key
 * and every value's range; a refused state (TB_ERR_INVALID, TB_ERR_JSON for
 * malformed JSON) leaves the env unchanged. */
int32_t tb_env_save(uint64_t env, uint64_t *out_blob, int64_t *out_len);
int32_t tb_env_load(uint64_t env, const char *state, int64_t len);
int32_t tb_env_hash(uint64_t env, uint64_t *out_hash, int32_t *out_tick);
/* The events of the env's last step, in the order they happened (none
 * after a reset or a load). *out_count receives their number; out (room
 * for cap events; NULL only with cap 0) receives them. If cap is smaller
 * than the count the call writes nothing and returns TB_ERR_TOO_SMALL, so
 * cap 0 asks for the count. */
int32_t tb_env_events(uint64_t env, tb_event *out, int64_t cap, int64_t *out_count);
int32_t tb_env_destroy(uint64_t env);

/* A batch of num_envs envs from one config, stepped in one call. Its
 * config may add "autoreset_mode": what tb_batch_step does with an env
 * whose episode ended. "same_step" (default): its flags and rewards are the
 * final tick's, its terminal observation goes to final_obs and obs holds
 * the first observation of the next episode. "next_step": obs holds the
 * terminal observation, and the env's next step resets it instead of
 * advancing it (its actions are ignored; obs is the first observation,
 * rewards and flags are zero). "disabled": stepping a batch with a finished
 * env fails with TB_ERR_STATE until tb_batch_reset_some resets it. A reset
 * continues an env's seed sequence. */
int32_t tb_batch_create(const char *config_json, int64_t len, int32_t num_envs, uint64_t *out_batch);
int32_t tb_batch_spec(uint64_t batch, tb_spec *out);
int32_t tb_batch_reset(uint64_t batch, const uint64_t *seeds, int64_t num_seeds, const tb_buffers *bufs);
/* Resets the envs whose mask byte is non-zero, as tb_batch_reset does; the
 * others keep their state and their parts of the buffers are left as they
 * are. seeds and mask hold num_envs entries each. */
int32_t tb_batch_reset_some(uint64_t batch, const uint64_t *seeds, const uint8_t *mask, int64_t num_envs,
                            const tb_buffers *bufs);
int32_t tb_batch_step(uint64_t batch, const float *actions, int64_t actions_len, const tb_buffers *bufs);
/* For a batch whose config names a "teacher" (a scripted controller:
 * aggressive, stalker or expert): copies into out the command that
 * controller would have given each agent ship in the last tb_batch_step,
 * for the observation that step began with (it decides in the tick's
 * control phase, as scripted ships do, so after that tick's sensing: its
 * tracks are one update fresher than the observation's) (action_size
 * floats per agent, agents of env 0 first; zeros for a ship out of action
 * and for an env the step reset instead of advancing; zeros before the
 * first step). The teacher only advises: the ship does what the actions
 * said. For imitation losses in training. out_len must be num_envs ×
 * agents_per_env × action_size (TB_ERR_BUFFER); TB_ERR_STATE without a
 * teacher. */
int32_t tb_batch_teacher(uint64_t batch, float *out, int64_t out_len);
int32_t tb_batch_destroy(uint64_t batch);

/* Whole battles. The BattleResult JSON is returned as a blob.
 * package_json is either a BattlePackage, run with its own controllers, or
 * the replay form {"package": <BattlePackage>, "action_log": [<record>...]}.
 * In the replay form every ship's command comes from the log: a record
 * {"tick": t, "ship_id": id, "action": [7 values]} is ship id's command
 * from tick t on, until its next record, and a ship takes the zero command
 * before its first. (This is the log a result's replay.action_log holds: a
 * record each time a ship's command changed.) Controllers still run, so
 * their random streams advance as in the recorded battle. Records must name
 * ships of the package and come in tick order within the time limit, with
 * finite values in [-1, 1]; otherwise the call fails with TB_ERR_INVALID.
 * Given a result's package and its replay.action_log, the replay form
 * reproduces its tick_hashes bit for bit. Both forms accept a "fields"
 * block as tb_env_create does, and "record": false beside "package": the
 * result's replay then holds no action_log and no tick_hashes (the same
 * battle, several times cheaper when only its outcome counts). */
int32_t tb_simulate(const char *package_json, int64_t len, uint64_t *out_blob, int64_t *out_len);
/* Ends every tb_simulate call in progress in this process, from any thread
 * (a Ctrl-C handler, a watchdog): each stops within a few dozen ticks and
 * returns TB_ERR_INTERRUPTED with no result. Calls that start afterwards
 * run normally. Always returns TB_OK. */
int32_t tb_interrupt(void);
/* Packages: see tb_package_parse and its flags above. */
int32_t tb_package_parse(const char *package_json, int64_t len, int32_t flags, uint64_t *out_blob, int64_t *out_len);


/* Blobs: byte strings the library hands back. tb_blob_take copies the
 * blob into buf (cap bytes, no terminator added) and frees it; if cap is
 * too small it returns TB_ERR_TOO_SMALL and keeps the blob. */
int32_t tb_blob_take(uint64_t blob, char *buf, int64_t cap);
int32_t tb_blob_free(uint64_t blob);

/* MorphoSpace universes (docs/morphospace.md): sparse environment fields.
 * config_json: {"size_x": m, "size_y": m, "depth": m, "bands": B,
 * "max_level": L (at most 16), "max_leaves": N (0: 2^20), "builtin": true,
 * "fields": <spec or [specs]>}; builtin (default true) registers the
 * built-in fields first, then "fields". Field ids are dense from 0 in
 * registration order. Points are (x, y, z) metres, z depth. Values are
 * float64 (double); out buffers belong to the caller and their lengths are
 * checked. Work is bounded: stamps by the leaf budget, tb_ms_step and
 * tb_ms_grid_step by 2^30 updates per call (a larger dt or repeat is
 * TB_ERR_ARG). tb_ms_load checks the blob's header, geometry, checksum,
 * tree shapes and values (TB_ERR_INVALID otherwise). */
int32_t tb_ms_create(const char *config_json, int64_t len, uint64_t *out_ms);
int32_t tb_ms_destroy(uint64_t ms);
int32_t tb_ms_add_field(uint64_t ms, const char *spec_json, int64_t len, int32_t *out_field);
int32_t tb_ms_field(uint64_t ms, const char *name, int64_t len, int32_t *out_field);
int32_t tb_ms_num_fields(uint64_t ms, int32_t *out);
int32_t tb_ms_stamp(uint64_t ms, int32_t field, int32_t shape, const double *params, int64_t num_params,
                    double value, int32_t blend, double alpha, int32_t falloff, double inner);
int32_t tb_ms_step(uint64_t ms, double dt);
/* xyz holds num_points × 3 coordinates; out num_points values. */
int32_t tb_ms_point(uint64_t ms, int32_t field, const double *xyz, int64_t num_points, double *out, int64_t out_len);
/* box: min_x, min_y, min_z, max_x, max_y, max_z. */
int32_t tb_ms_volume(uint64_t ms, int32_t field, const double *box, double variance, double min_size, double *out);
/* pose: x, y, z, heading; out: num_shells × sectors values, shell-major. */
int32_t tb_ms_foveate(uint64_t ms, int32_t field, const double *pose, const double *shells, int64_t num_shells,
                      int32_t sectors, double *out, int64_t out_len);
int32_t tb_ms_leaves(uint64_t ms, int32_t field, int64_t *out);
int32_t tb_ms_total(uint64_t ms, int32_t field, double *out);
int32_t tb_ms_hash(uint64_t ms, uint64_t *out);
/* Field state as a blob (tb_blob_take); load it into a universe with the same fields. */
int32_t tb_ms_save(uint64_t ms, uint64_t *out_blob, int64_t *out_len);
int32_t tb_ms_load(uint64_t ms, const char *state, int64_t len);

/* Dense MorphoSpace grids: one field on nx × ny × nz cells of size
 * cell[0..2] m, stepped with the 7-point diffusion + decay stencil.
 * values hold nx·ny·nz cells, x fastest. tb_ms_grid_step runs repeat steps
 * of dt and reports the diffusion sub-steps taken (out may be NULL). */
int32_t tb_ms_grid_create(const char *spec_json, int64_t len, int32_t nx, int32_t ny, int32_t nz,
                          const double *cell, uint64_t *out_grid);
int32_t tb_ms_grid_destroy(uint64_t grid);
int32_t tb_ms_grid_set(uint64_t grid, const double *values, int64_t len);
int32_t tb_ms_grid_get(uint64_t grid, double *out, int64_t len);
int32_t tb_ms_grid_step(uint64_t grid, double dt, int32_t repeat, int64_t *out_substeps);

#endif /* TB_NO_PROTOTYPES */

#ifdef __cplusplus
}
#endif

#endif /* TIDEBREAK_H */
