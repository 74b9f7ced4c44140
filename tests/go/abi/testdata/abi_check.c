/*
 * abi_check.c — black-box tests of libtidebreak through its C header.
 * Built and run by abi_test.go: abi_check <duel.json>. Prints one line per
 * check ("ok NAME" or "FAIL NAME: detail") and exits 1 if any failed.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, nanosleep */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "tidebreak.h"

static int failures;

static void check(int cond, const char *name, const char *detail) {
    if (cond) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: %s (errmsg: %s)\n", name, detail, tb_errmsg());
        failures++;
    }
}

/* expect_err checks a status code and that the error message mentions want. */
static void expect_err(int32_t rc, int32_t code, const char *want, const char *name) {
    char detail[512];
    const char *msg = tb_errmsg();
    snprintf(detail, sizeof detail, "rc=%d want %d, message %s should mention \"%s\"", rc, code, msg, want);
    check(rc == code && strstr(msg, want) != NULL, name, detail);
}

static char *read_file(const char *path, long *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(*len + 1);
    if (fread(buf, 1, *len, f) != (size_t)*len) { fclose(f); free(buf); return NULL; }
    buf[*len] = 0;
    fclose(f);
    return buf;
}

/* bufs bound to static arrays sized for up to 8 envs × 2 agents. */
enum { MAXN = 8 * 2 * 256 };
static float obs[MAXN], final_obs[MAXN], mask[MAXN], rewards[MAXN];
static uint8_t term[64], trunc_[64];

static tb_buffers make_bufs(const tb_spec *s) {
    int64_t per = (int64_t)s->num_envs * s->agents_per_env;
    tb_buffers b = {obs, per * s->obs_size, mask, per * s->mask_size, rewards, per * s->reward_terms,
                    term, s->num_envs, trunc_, s->num_envs, NULL, 0};
    return b;
}

/* A tb_simulate call on its own thread, for the interrupt check. */
struct sim_call {
    const char *pkg;
    int32_t rc;
    char err[512];
    atomic_int done;
};

static void *simulate_thread(void *arg) {
    struct sim_call *c = arg;
    uint64_t blob = 0;
    int64_t len = 0;
    c->rc = tb_simulate(c->pkg, (int64_t)strlen(c->pkg), &blob, &len);
    snprintf(c->err, sizeof c->err, "%s", tb_errmsg());
    if (c->rc == TB_OK) tb_blob_free(blob);
    atomic_store(&c->done, 1);
    return NULL;
}

/* drain_log returns the log's waiting records as a JSON string (malloc'ed), or NULL. */
static char *drain_log(void) {
    uint64_t blob = 0;
    int64_t len = 0;
    if (tb_log_drain(&blob, &len) != TB_OK) return NULL;
    char *text = malloc(len + 1);
    if (tb_blob_take(blob, text, len) != TB_OK) { free(text); return NULL; }
    text[len] = 0;
    return text;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: abi_check duel.json\n"); return 2; }
    long plen;
    char *pkg = read_file(argv[1], &plen);
    if (!pkg) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }

    check(tb_abi_version() == TB_ABI_VERSION, "abi_version", "version mismatch");

    /* Turn the corvette into an agent. */
    char *cfg = malloc(plen + 64);
    strcpy(cfg, pkg);
    char *p = strstr(cfg, "\"controller\": \"aggressive\"");
    check(p != NULL, "fixture_has_aggressive", "duel.json changed");
    if (p) memcpy(p, "\"controller\": \"agent\"     ", 26);
    /* … and the submarine idle, so that the episode runs to its time limit. */
    p = strstr(cfg, "\"controller\": \"stalker\"");
    check(p != NULL, "fixture_has_stalker", "duel.json changed");
    if (p) memcpy(p, "\"controller\": \"idle\"   ", 23);

    uint64_t env = 0;
    int32_t rc = tb_env_create(cfg, (int64_t)strlen(cfg), &env);
    check(rc == TB_OK && env != 0, "env_create", "create failed");
    tb_spec s;
    check(tb_env_spec(env, &s) == TB_OK && s.agents_per_env == 1 && s.action_size == 7 &&
              s.num_envs == 1 && s.max_ticks == 1200 && s.substeps == 10,
          "env_spec", "unexpected spec");
    tb_buffers b = make_bufs(&s);
    check(tb_env_reset(env, 7, &b) == TB_OK, "env_reset", "reset failed");
    float act[7] = {1, 0.2f, 0, 0, 0, 0, 0};
    check(tb_env_step(env, act, 7, &b) == TB_OK, "env_step", "step failed");
    check(rewards[7] == 1.0f, "reward_time_term", "time term should be 1 per tick");
    check(tb_env_observe(env, &b) == TB_OK, "env_observe", "observe failed");

    /* Bad handles. */
    expect_err(tb_env_step(0, act, 7, &b), TB_ERR_HANDLE, "handle is 0", "handle_zero");
    expect_err(tb_env_step(987654321, act, 7, &b), TB_ERR_HANDLE, "unknown", "handle_random");
    tb_spec s2;
    expect_err(tb_batch_spec(env, &s2), TB_ERR_HANDLE, "is an env, not a batch", "handle_wrong_kind");

    /* Bad buffers and arguments. */
    tb_buffers bad = b;
    bad.obs_len = b.obs_len - 1;
    expect_err(tb_env_step(env, act, 7, &bad), TB_ERR_BUFFER, "obs buffer has", "buffer_short_obs");
    bad = b;
    bad.rewards = NULL;
    expect_err(tb_env_step(env, act, 7, &bad), TB_ERR_BUFFER, "rewards is NULL", "buffer_null");
    bad = b;
    bad.mask_len = -1;
    expect_err(tb_env_step(env, act, 7, &bad), TB_ERR_BUFFER, "negative", "buffer_negative");
    expect_err(tb_env_step(env, act, 6, &b), TB_ERR_BUFFER, "actions has 6 values", "actions_short");
    /* Lengths beyond any buffer (2^62 elements) are compared, never used to
     * build a slice (which made the library panic: "len out of range"). */
    const int64_t huge = (int64_t)1 << 62;
    bad = b;
    bad.obs_len = huge;
    expect_err(tb_env_step(env, act, 7, &bad), TB_ERR_BUFFER, "obs buffer has 4611686018427387904", "buffer_huge_obs");
    expect_err(tb_env_observe(env, &bad), TB_ERR_BUFFER, "obs buffer has 4611686018427387904", "observe_huge_obs");
    expect_err(tb_env_reset(env, 7, &bad), TB_ERR_BUFFER, "obs buffer has 4611686018427387904", "reset_huge_obs");
    bad = b;
    bad.truncated_len = huge;
    expect_err(tb_env_step(env, act, 7, &bad), TB_ERR_BUFFER, "truncated buffer has", "buffer_huge_flags");
    bad = b;
    bad.final_obs = obs;
    bad.final_obs_len = huge;
    expect_err(tb_env_step(env, act, 7, &bad), TB_ERR_BUFFER, "final_obs buffer has", "buffer_huge_final_obs");
    expect_err(tb_env_step(env, act, huge, &b), TB_ERR_BUFFER, "actions has 4611686018427387904", "actions_huge");
    expect_err(tb_env_load(env, "{}", huge), TB_ERR_ARG, "out of range", "load_huge_len");
    expect_err(tb_env_step(env, act, 7, NULL), TB_ERR_ARG, "bufs is NULL", "bufs_null");
    expect_err(tb_env_step(env, NULL, 7, &b), TB_ERR_ARG, "actions is NULL", "actions_null");
    float nan_act[7] = {NAN, 0, 0, 0, 0, 0, 0};
    expect_err(tb_env_step(env, nan_act, 7, &b), TB_ERR_ARG, "NaN", "action_nan");
    float big_act[7] = {0, 3, 0, 0, 0, 0, 0};
    expect_err(tb_env_step(env, big_act, 7, &b), TB_ERR_ARG, "rudder", "action_out_of_range");
    expect_err(tb_env_spec(env, NULL), TB_ERR_ARG, "NULL", "spec_null");

    /* Bad JSON and invalid packages. */
    uint64_t h2 = 0;
    const char *junk = "{\"ships\": [";
    expect_err(tb_env_create(junk, (int64_t)strlen(junk), &h2), TB_ERR_JSON, "invalid JSON", "json_malformed");
    const char *bad_speed = "{\"battle_id\":\"x\",\"seed\":1,\"teams\":[{\"team_id\":\"a\"}],"
                            "\"ships\":[{\"ship_id\":\"s\",\"team_id\":\"a\",\"hull\":{\"max_speed\":-1}}]}";
    expect_err(tb_env_create(bad_speed, (int64_t)strlen(bad_speed), &h2), TB_ERR_INVALID,
               "ships[0].hull.max_speed: must be > 0", "package_invalid_field_path");
    expect_err(tb_env_create(NULL, 5, &h2), TB_ERR_ARG, "config_json is NULL", "config_null");
    expect_err(tb_env_create(cfg, -3, &h2), TB_ERR_ARG, "out of range", "config_negative_len");
    expect_err(tb_env_create(cfg, (int64_t)strlen(cfg), NULL), TB_ERR_ARG, "out pointer is NULL", "create_out_null");

    /* State hash: the same state hashes the same; a step changes it. */
    uint64_t h1 = 0, h1b = 0;
    int32_t t1 = -1, t2 = -1;
    check(tb_env_hash(env, &h1, &t1) == TB_OK && tb_env_hash(env, &h1b, &t2) == TB_OK && h1 == h1b && t1 == t2 && t1 == 1,
          "env_hash", "hash of an unchanged env differs, or tick wrong");
    expect_err(tb_env_hash(env, NULL, &t1), TB_ERR_ARG, "NULL", "env_hash_null");

    /* Save, load and clone. */
    uint64_t blob = 0;
    int64_t blen = 0;
    check(tb_env_save(env, &blob, &blen) == TB_OK && blen > 0, "env_save", "save failed");
    char *state = malloc(blen);
    expect_err(tb_blob_take(blob, state, blen - 1), TB_ERR_TOO_SMALL, "the blob has", "blob_too_small");
    check(tb_blob_take(blob, state, blen) == TB_OK, "blob_take", "take failed");
    expect_err(tb_blob_take(blob, state, blen), TB_ERR_HANDLE, "destroyed", "blob_taken_twice");
    uint64_t clone = 0;
    check(tb_env_create(cfg, (int64_t)strlen(cfg), &clone) == TB_OK, "clone_create", "create failed");
    check(tb_env_load(clone, state, blen) == TB_OK, "clone_load", "load failed");
    static float obs_a[256], obs_b[256];
    for (int t = 0; t < 50; t++) {
        tb_env_step(env, act, 7, &b);
        memcpy(obs_a, obs, sizeof(float) * s.obs_size);
        tb_env_step(clone, act, 7, &b);
        memcpy(obs_b, obs, sizeof(float) * s.obs_size);
    }
    check(memcmp(obs_a, obs_b, sizeof(float) * s.obs_size) == 0, "clone_identical", "clone diverged");
    check(tb_env_hash(env, &h1, &t1) == TB_OK && tb_env_hash(clone, &h1b, &t2) == TB_OK && h1 == h1b,
          "clone_same_hash", "clone's state hash differs");
    expect_err(tb_env_load(clone, "{}", 2), TB_ERR_INVALID, "not a tb_env_save state", "load_bad_state");
    expect_err(tb_env_load(clone, "{", 1), TB_ERR_JSON, "state", "load_malformed");

    /* Events of the last step: an active sonar ping is one. */
    float ping_act[7] = {1, 0.2f, 0, 0, 0, 0, 1};
    int64_t nev = 0;
    check(tb_env_step(env, ping_act, 7, &b) == TB_OK && tb_env_events(env, NULL, 0, &nev) == TB_ERR_TOO_SMALL &&
              nev > 0,
          "events_seen", "a step with a ping reported no events");
    int64_t nev2 = -1;
    expect_err(tb_env_events(env, NULL, 0, &nev2), TB_ERR_TOO_SMALL, "the last step had", "events_count_query");
    check(nev2 == nev, "events_count_reported", "the count is reported with TB_ERR_TOO_SMALL");
    tb_event *evs = calloc((size_t)nev, sizeof *evs);
    check(tb_env_events(env, evs, nev, &nev2) == TB_OK && nev2 == nev, "events_copy", "copy failed");
    int evs_ok = 1, saw_ping = 0;
    for (int64_t i = 0; i < nev; i++) {
        if (evs[i].kind == 12 && evs[i].source == 1 && evs[i].target == 1) saw_ping = 1; /* "ping" in tb_layout */
        if (evs[i].kind < 1 || evs[i].kind > 12 || evs[i].trace == 0 || evs[i].tick < 0 ||
            evs[i].source > 2 || evs[i].target > 2 || evs[i].cause >= evs[i].trace) evs_ok = 0;
    }
    check(evs_ok, "events_values", "an event has an unknown kind, a zero trace or an unknown entity");
    check(saw_ping, "events_ping", "the corvette's ping is not among the step's events");
    expect_err(tb_env_events(env, NULL, 4, &nev2), TB_ERR_ARG, "out is NULL", "events_out_null");
    expect_err(tb_env_events(env, evs, -1, &nev2), TB_ERR_ARG, "cap is negative", "events_cap_negative");
    expect_err(tb_env_events(env, evs, nev, NULL), TB_ERR_ARG, "out_count is NULL", "events_count_null");
    expect_err(tb_env_events(env, evs, (int64_t)1 << 62, &nev2), TB_OK, "", "events_huge_cap_is_only_room");
    free(evs);

    /* Destroyed handles stay invalid. */
    check(tb_env_destroy(clone) == TB_OK, "destroy", "destroy failed");
    expect_err(tb_env_step(clone, act, 7, &b), TB_ERR_HANDLE, "destroyed", "handle_destroyed");
    expect_err(tb_env_destroy(clone), TB_ERR_HANDLE, "destroyed", "destroy_twice");

    /* Stepping a finished env is a state error; reset with seed 0 continues. */
    for (int t = 0; t < 1300 && !term[0] && !trunc_[0]; t++) tb_env_step(env, act, 7, &b);
    check(trunc_[0] == 1, "time_limit_truncates", "env should truncate at 1200 ticks");
    expect_err(tb_env_step(env, act, 7, &b), TB_ERR_STATE, "episode is over", "step_after_done");
    check(tb_env_reset(env, 0, &b) == TB_OK && trunc_[0] == 0, "reset_continue_seed", "reset(0) failed");
    check(tb_env_events(env, NULL, 0, &nev) == TB_OK && nev == 0, "events_none_after_reset",
          "a reset env reports events");

    /* Batches. */
    uint64_t batch = 0;
    check(tb_batch_create(cfg, (int64_t)strlen(cfg), 4, &batch) == TB_OK, "batch_create", "create failed");
    tb_spec bs;
    check(tb_batch_spec(batch, &bs) == TB_OK && bs.num_envs == 4, "batch_spec", "spec");
    tb_buffers bb = make_bufs(&bs);
    bb.final_obs = final_obs;
    bb.final_obs_len = bb.obs_len;
    uint64_t seeds[4] = {1, 2, 3, 4};
    expect_err(tb_batch_reset(batch, seeds, 3, &bb), TB_ERR_ARG, "3 seeds for 4 envs", "batch_seed_count");
    expect_err(tb_batch_reset(batch, seeds, huge, &bb), TB_ERR_ARG, "4611686018427387904 seeds for 4 envs",
               "batch_seeds_huge");
    check(tb_batch_reset(batch, seeds, 4, &bb) == TB_OK, "batch_reset", "reset");
    float bact[28] = {0};
    int autoreset_seen = 0;
    for (int t = 0; t < 1201; t++) {
        check(tb_batch_step(batch, bact, 28, &bb) == TB_OK, t == 0 ? "batch_step" : "batch_step_more", "step");
        if (trunc_[0]) autoreset_seen = 1;
        if (autoreset_seen) break;
    }
    check(autoreset_seen, "batch_autoreset_flags", "an env should report truncated at tick 1200");
    check(obs[s.obs_size - 2] == 1.0f && final_obs[s.obs_size - 2] == 0.0f, "batch_autoreset_obs",
          "obs should be the new episode (time left 1), final_obs the old one (time left 0)");
    expect_err(tb_batch_step(batch, bact, 27, &bb), TB_ERR_BUFFER, "actions has 27", "batch_actions_short");
    uint8_t some[4] = {0, 1, 0, 0};
    expect_err(tb_batch_reset_some(batch, seeds, NULL, 4, &bb), TB_ERR_ARG, "mask is NULL", "reset_some_null");
    expect_err(tb_batch_reset_some(batch, seeds, some, 3, &bb), TB_ERR_ARG, "3 seeds for 4 envs", "reset_some_count");
    expect_err(tb_batch_reset_some(batch, seeds, some, huge, &bb), TB_ERR_ARG, "4611686018427387904 seeds for 4 envs",
               "reset_some_huge");
    obs[0] = 42.0f; /* env 0 is outside the mask: its buffers stay as they are */
    check(tb_batch_reset_some(batch, seeds, some, 4, &bb) == TB_OK && obs[0] == 42.0f &&
              obs[s.obs_size + s.obs_size - 2] == 1.0f,
          "reset_some", "env 1 should start an episode and env 0 keep its buffers");
    float teach[28];
    expect_err(tb_batch_teacher(batch, teach, 28), TB_ERR_STATE, "names no teacher", "teacher_none");
    check(tb_batch_destroy(batch) == TB_OK, "batch_destroy", "destroy");

    /* Teacher: the expert's advice for each agent ship, in action values. */
    char *tc = malloc(plen + 128);
    snprintf(tc, plen + 128, "{\"package\": %s, \"teacher\": \"expert\"}", cfg);
    check(tb_batch_create(tc, (int64_t)strlen(tc), 4, &batch) == TB_OK, "teacher_create", "create failed");
    check(tb_batch_reset(batch, seeds, 4, &bb) == TB_OK, "teacher_reset", "reset");
    expect_err(tb_batch_teacher(batch, teach, 27), TB_ERR_BUFFER, "out has 27 floats", "teacher_short");
    expect_err(tb_batch_teacher(batch, NULL, 28), TB_ERR_BUFFER, "NULL: true", "teacher_null");
    expect_err(tb_batch_teacher(batch, teach, -1), TB_ERR_BUFFER, "out has -1 floats", "teacher_negative");
    int advised = 0, in_range = 1;
    for (int t = 0; t < 20; t++) {
        check(tb_batch_step(batch, bact, 28, &bb) == TB_OK, "teacher_step", "step");
        check(tb_batch_teacher(batch, teach, 28) == TB_OK, "teacher_read", "read");
        for (int k = 0; k < 28; k++) {
            if (teach[k] != 0.0f) advised = 1;
            if (!(teach[k] >= -1.0f && teach[k] <= 1.0f)) in_range = 0;
        }
    }
    check(advised && in_range, "teacher_advice", "the expert should advise non-zero commands within [-1, 1]");
    check(tb_batch_destroy(batch) == TB_OK, "teacher_destroy", "destroy");
    snprintf(tc, plen + 128, "{\"package\": %s, \"teacher\": \"idle\"}", cfg);
    expect_err(tb_batch_create(tc, (int64_t)strlen(tc), 4, &batch), TB_ERR_INVALID, "teacher: must be one of",
               "teacher_bad_name");
    free(tc);

    /* Next-step autoreset: the terminal obs stays, the next step resets. */
    char *ns = malloc(plen + 128);
    snprintf(ns, plen + 128, "{\"package\": %s, \"autoreset_mode\": \"next_step\"}", cfg);
    check(tb_batch_create(ns, (int64_t)strlen(ns), 4, &batch) == TB_OK, "batch_next_step_create", "create failed");
    check(tb_batch_reset(batch, seeds, 4, &bb) == TB_OK, "batch_next_step_reset", "reset");
    int steps = 0;
    while (steps <= bs.max_ticks && !term[0] && !trunc_[0] && tb_batch_step(batch, bact, 28, &bb) == TB_OK) steps++;
    check((term[0] || trunc_[0]) && obs[s.obs_size - 2] < 1.0f, "batch_next_step_end",
          "the ending step should leave the terminal obs (less than all the time left) in obs");
    check(tb_batch_step(batch, bact, 28, &bb) == TB_OK && term[0] == 0 && trunc_[0] == 0 && obs[s.obs_size - 2] == 1.0f &&
              rewards[0] == 0.0f,
          "batch_next_step_reset_step", "the next step should reset the env: time left 1, no flags or rewards");
    check(tb_batch_destroy(batch) == TB_OK, "batch_next_step_destroy", "destroy");
    snprintf(ns, plen + 128, "{\"package\": %s, \"autoreset_mode\": \"later\"}", cfg);
    expect_err(tb_batch_create(ns, (int64_t)strlen(ns), 4, &batch), TB_ERR_INVALID, "autoreset_mode",
               "batch_bad_autoreset_mode");
    free(ns);
    expect_err(tb_batch_create(cfg, (int64_t)strlen(cfg), 0, &batch), TB_ERR_ARG, "num_envs", "batch_zero_envs");

    /* Simulate. */
    uint64_t res = 0;
    int64_t rlen = 0;
    check(tb_simulate(pkg, plen, &res, &rlen) == TB_OK && rlen > 0, "simulate", "simulate failed");
    char *json = malloc(rlen + 1);
    check(tb_blob_take(res, json, rlen) == TB_OK, "simulate_take", "take");
    json[rlen] = 0;
    check(strstr(json, "\"final_state_hash\"") != NULL, "simulate_result_json", "no replay hashes");
    expect_err(tb_simulate(bad_speed, (int64_t)strlen(bad_speed), &res, &rlen), TB_ERR_INVALID,
               "hull.max_speed", "simulate_invalid");
    check(tb_blob_free(12345678) == TB_ERR_HANDLE, "blob_free_unknown", "should fail");

    /* Interrupt: a day-long battle of two idle ships (hundreds of thousands of
     * ticks) on another thread, and tb_interrupt from this one, repeated until
     * the call returns, so it does not matter which thread starts first. */
    char *slow = strdup(pkg);
    char *at;
    while ((at = strstr(slow, "\"aggressive\"")) || (at = strstr(slow, "\"stalker\""))) {
        size_t n = at[1] == 'a' ? strlen("\"aggressive\"") : strlen("\"stalker\"");
        memcpy(at, "\"idle\"", 6);
        memset(at + 6, ' ', n - 6);
    }
    at = strstr(slow, "\"time_limit_s\": 1200");
    check(at != NULL, "fixture_has_time_limit", "duel.json changed");
    if (at) memcpy(at, "\"time_limit_s\":86400", strlen("\"time_limit_s\": 1200"));
    struct sim_call call = {.pkg = slow};
    pthread_t th;
    check(pthread_create(&th, NULL, simulate_thread, &call) == 0, "interrupt_thread", "pthread_create");
    int interrupts = 0, interrupt_fails = 0;
    while (!atomic_load(&call.done)) {
        interrupt_fails += tb_interrupt() != TB_OK;
        interrupts++;
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    pthread_join(th, NULL);
    check(interrupt_fails == 0, "interrupt_ok", "tb_interrupt did not return TB_OK");
    char detail[700];
    snprintf(detail, sizeof detail, "rc=%d after %d interrupts, message %s", call.rc, interrupts, call.err);
    check(call.rc == TB_ERR_INTERRUPTED && strstr(call.err, "interrupted") != NULL, "simulate_interrupted", detail);
    check(tb_simulate(pkg, plen, &res, &rlen) == TB_OK && tb_blob_free(res) == TB_OK, "simulate_after_interrupt",
          "a call after tb_interrupt should run normally");
    free(slow);

    /* Status names and the layout. */
    static const struct { int32_t code; const char *name; } names[] = {
        {TB_OK, "TB_OK"}, {TB_ERR_HANDLE, "TB_ERR_HANDLE"}, {TB_ERR_ARG, "TB_ERR_ARG"},
        {TB_ERR_BUFFER, "TB_ERR_BUFFER"}, {TB_ERR_JSON, "TB_ERR_JSON"}, {TB_ERR_INVALID, "TB_ERR_INVALID"},
        {TB_ERR_STATE, "TB_ERR_STATE"}, {TB_ERR_PANIC, "TB_ERR_PANIC"}, {TB_ERR_TOO_SMALL, "TB_ERR_TOO_SMALL"},
        {TB_ERR_INTERRUPTED, "TB_ERR_INTERRUPTED"},
    };
    int names_ok = 1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(tb_errstr(names[i].code), names[i].name) != 0) names_ok = 0;
    }
    check(names_ok, "errstr_names", "tb_errstr disagrees with the header's #defines");
    check(strcmp(tb_errstr(99), "unknown status") == 0 && strcmp(tb_errstr(-1), "unknown status") == 0,
          "errstr_unknown", "unknown codes");
    uint64_t lay = 0;
    int64_t llen = 0;
    check(tb_layout(&lay, &llen) == TB_OK && llen > 0, "layout", "tb_layout failed");
    char *ljson = malloc(llen + 1);
    check(tb_blob_take(lay, ljson, llen) == TB_OK, "layout_take", "take");
    ljson[llen] = 0;
    check(strstr(ljson, "\"own\"") && strstr(ljson, "\"TB_ERR_TOO_SMALL\"") && strstr(ljson, "\"out_of_action\""),
          "layout_json", "the layout lacks a block");
    free(ljson);
    expect_err(tb_layout(NULL, &llen), TB_ERR_ARG, "NULL", "layout_null");

    /* Build info. */
    const char *info = tb_build_info();
    check(info != NULL && strstr(info, "\"abi\":1") != NULL && strstr(info, "\"go\":\"go1.") != NULL,
          "build_info", info ? info : "NULL");

    /* The log: drained empty, the count readable without a call. */
    const volatile int32_t *pending = tb_log_pending();
    check(pending != NULL && pending == tb_log_pending(), "log_pending_stable", "tb_log_pending moved");
    char *logs = drain_log();
    check(logs != NULL && *pending == 0, "log_drain", "draining failed or left records");
    free(logs);

    /* MorphoSpace lengths. */
    uint64_t ms = 0;
    const char *mscfg = "{\"size_x\": 1000, \"size_y\": 1000, \"depth\": 100, \"bands\": 2, \"max_level\": 4}";
    check(tb_ms_create(mscfg, (int64_t)strlen(mscfg), &ms) == TB_OK, "ms_create", "create failed");
    double sphere[4] = {500, 500, 50, 100};
    check(tb_ms_stamp(ms, 0, TB_MS_SPHERE, sphere, 4, 90, TB_MS_SET, 0, TB_MS_HARD, 0) == TB_OK, "ms_stamp", "stamp");
    expect_err(tb_ms_stamp(ms, 0, TB_MS_SPHERE, sphere, huge, 90, TB_MS_SET, 0, TB_MS_HARD, 0), TB_ERR_BUFFER,
               "takes 4 params, got 4611686018427387904", "ms_stamp_huge_params");
    double xyz[3] = {500, 500, 50}, val = 0;
    expect_err(tb_ms_point(ms, 0, xyz, huge, &val, huge), TB_ERR_BUFFER, "points", "ms_point_huge");
    expect_err(tb_ms_point(ms, 0, xyz, 1, &val, huge), TB_ERR_BUFFER, "out has", "ms_point_huge_out");
    double pose[4] = {500, 500, 50, 0}, shells[1] = {100}, fov[4];
    expect_err(tb_ms_foveate(ms, 0, pose, shells, huge, 4, fov, 4), TB_ERR_ARG, "too many shells",
               "ms_foveate_huge_shells");
    expect_err(tb_ms_foveate(ms, 0, pose, shells, 1, 4, fov, huge), TB_ERR_BUFFER, "out has", "ms_foveate_huge_out");
    expect_err(tb_ms_load(ms, "MSP", huge), TB_ERR_ARG, "out of range", "ms_load_huge_len");
    check(tb_ms_destroy(ms) == TB_OK, "ms_destroy", "destroy");

    /* Panics are recovered, and logged with their stack. */
    expect_err(tb_selftest_panic(), TB_ERR_PANIC, "recovered panic", "panic_recovered");
    check(tb_abi_version() == TB_ABI_VERSION, "alive_after_panic", "library unusable after a panic");
    check(*pending == 1, "log_pending_after_panic", "the panic should have left one record");
    logs = drain_log();
    check(logs && strstr(logs, "\"level\":40") && strstr(logs, "deliberate panic") &&
              strstr(logs, "\"stack\":\"goroutine "),
          "log_panic_record", logs ? logs : "NULL");
    check(*pending == 0, "log_pending_after_drain", "records left after a drain");
    free(logs);

    /* Slow calls: with a threshold of 0 s every step is one. */
    check(tb_log_config(-1, 0.0) == TB_OK, "log_config", "config failed");
    check(tb_env_reset(env, 3, &b) == TB_OK && tb_env_step(env, act, 7, &b) == TB_OK && *pending == 2,
          "log_slow_calls", "a reset and a step should each log a slow call");
    logs = drain_log();
    check(logs && strstr(logs, "\"level\":30") && strstr(logs, "tb_env_step took"), "log_slow_record",
          logs ? logs : "NULL");
    free(logs);
    check(tb_log_config(TB_LOG_ERROR, -1.0) == TB_OK && tb_env_step(env, act, 7, &b) == TB_OK && *pending == 0,
          "log_config_off", "timing off should log nothing");
    check(tb_log_config(TB_LOG_INFO, 1.0) == TB_OK, "log_config_restore", "config failed");
    expect_err(tb_log_config(101, 1.0), TB_ERR_ARG, "level 101", "log_config_bad_level");
    expect_err(tb_log_config(-1, 1.0 / 0.0), TB_ERR_ARG, "slow_call_s", "log_config_bad_threshold");
    expect_err(tb_log_drain(NULL, NULL), TB_ERR_ARG, "NULL", "log_drain_null");

    tb_env_destroy(env);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
