"""NativeEnv and NativeVecEnv over numpy buffers, and their error paths."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any

import numpy as np
import pytest

import tidebreak
from tidebreak import NativeEnv, NativeError, NativeVecEnv, scenarios


def test_step_through_bound_buffers(duel_agent: dict) -> None:
    with NativeEnv(duel_agent) as env:
        obs, mask = env.reset(seed=3)
        assert obs.dtype == np.float32 and obs.shape == (1, env.spec.obs_size)
        assert mask.shape == (1, env.spec.mask_size)
        buffer_before = obs.ctypes.data
        x0 = float(obs[0, 0])
        action = np.array([[1, 0, 0, 0, 0, 0, 0]], np.float32)
        for _ in range(30):
            obs, rewards, terminated, truncated = env.step(action)
        assert obs.ctypes.data == buffer_before, "buffers are bound once and reused"
        assert obs[0, 0] > x0, "full throttle eastward moves the corvette east"
        assert obs[0, 4] > 0.5, "speed builds up under full throttle"
        assert rewards.shape == (1, env.spec.reward_terms) and rewards[0, 7] == 1.0
        assert not terminated and not truncated


def test_runs_to_truncation() -> None:
    # The submarine idles too: nobody fights, so the duel runs to its time limit.
    quiet = scenarios.load("duel", controllers={"corvette": "agent", "submarine": "idle"})
    with NativeEnv(quiet) as env:
        env.reset(seed=1)
        zero = env.zero_actions()
        ticks, truncated = 0, False
        while not truncated:
            _, rewards, terminated, truncated = env.step(zero)
            ticks += 1
            assert not terminated
        assert ticks == env.spec.max_ticks == 1200
        assert rewards[0, 6] == 1.0, "a time-out is a draw"
        with pytest.raises(NativeError, match="episode is over"):
            env.step(zero)


def test_save_load_clones(duel_agent: dict) -> None:
    rng = np.random.default_rng(0)
    actions = rng.uniform(-1, 1, size=(80, 1, 7)).astype(np.float32)
    with NativeEnv(duel_agent) as a, NativeEnv(duel_agent) as b:
        a.reset(seed=9)
        for act in actions[:40]:
            a.step(act)
        b.load(a.save())
        for act in actions[40:]:
            oa = a.step(act)[0].copy()
            ob = b.step(act)[0].copy()
            np.testing.assert_array_equal(oa, ob)


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ([np.nan] * 7, "NaN"),
        ([0, 1.5, 0, 0, 0, 0, 0], r"rudder\) = 1\.5"),
        ([0, 0, 0, 0, 0, 0, -np.inf], "ping"),
    ],
)
def test_bad_action_values_name_the_action(duel_agent: dict, bad: list[float], match: str) -> None:
    with NativeEnv(duel_agent) as env:
        env.reset(seed=1)
        with pytest.raises(NativeError, match=match) as info:
            env.step(np.array(bad, np.float32))
        assert info.value.status == "TB_ERR_ARG"
        env.step(env.zero_actions())  # the env is still usable


def test_wrong_action_shape(duel_agent: dict) -> None:
    with NativeEnv(duel_agent) as env:
        env.reset(seed=1)
        with pytest.raises(ValueError, match="actions has 3 values"):
            env.step(np.zeros(3))


def test_malformed_and_invalid_config(duel_agent: dict) -> None:
    with pytest.raises(NativeError, match="invalid JSON") as info:
        NativeEnv('{"battle_id": ')
    assert info.value.status == "TB_ERR_JSON"
    bad: dict[str, Any] = json.loads(json.dumps(duel_agent))
    bad["ships"][1]["hull"]["max_speed"] = 0
    with pytest.raises(NativeError, match=r"ships\[1\]\.hull\.max_speed: must be > 0"):
        NativeEnv(bad)
    bad["ships"][1]["controller"] = "kamikaze"
    bad["ships"][1]["hull"]["max_speed"] = 5
    with pytest.raises(NativeError, match=r'ships\[1\]\.controller: unknown controller "kamikaze"'):
        NativeEnv(bad)
    with pytest.raises(TypeError):
        NativeEnv(42)


def test_destroyed_env_raises(duel_agent: dict) -> None:
    env = NativeEnv(duel_agent)
    env.close()
    with pytest.raises(RuntimeError, match="closed"):
        env.reset(seed=1)
    env.close()  # closing twice is harmless


def test_stale_handle_is_an_error_not_a_crash(duel_agent: dict) -> None:
    env = NativeEnv(duel_agent)
    handle = env._handle
    env.close()
    env._handle = handle  # simulate a stale handle reaching the library
    with pytest.raises(NativeError, match="destroyed") as info:
        env.reset(seed=1)
    assert info.value.status == "TB_ERR_HANDLE"
    env._handle = 0


def test_go_panic_becomes_an_error() -> None:
    lib = tidebreak.engine._native.lib()
    with pytest.raises(NativeError, match="recovered panic") as info:
        tidebreak.engine._native.check("tb_selftest_panic", lib.tb_selftest_panic())
    assert info.value.status == "TB_ERR_PANIC"


def test_vec_env_autoreset() -> None:
    quiet = scenarios.load("duel", controllers={"corvette": "agent", "submarine": "idle"})
    with NativeVecEnv(quiet, 3) as venv:
        venv.reset([1, 2, 3])
        zero = venv.zero_actions()
        for _ in range(1199):
            _, _, term, trunc = venv.step(zero)
            assert not trunc.any()
        obs, rewards, term, trunc = venv.step(zero)
        assert trunc.all() and not term.any()
        assert (venv.final_obs[:, -2] == 0).all(), "final_obs is the last tick of the old episode"
        assert (obs[:, -2] == 1).all(), "obs already belongs to the new episode"
        assert (rewards[:, 6] == 1).all()


def test_vec_env_rejects_bad_seeds(duel_agent: dict) -> None:
    with NativeVecEnv(duel_agent, 2) as venv:
        with pytest.raises(ValueError, match="3 seeds for 2 envs"):
            venv.reset([1, 2, 3])
    with pytest.raises(ValueError, match="num_envs"):
        NativeVecEnv(duel_agent, 0)


def test_gil_is_released_during_native_calls(duel: dict) -> None:
    """A Python thread runs while another thread is inside a long native call.

    With the interpreter's switch interval set far beyond the test, the
    spinning thread can only run when the main thread gives up the GIL; it
    stamps the time as it goes, so a stamp strictly inside the call shows the
    call released the GIL. The check needs one stamp, not a rate, so a busy
    machine only makes it try more calls.
    """
    from tidebreak.engine.simulation import simulate_json

    big = json.loads(json.dumps(duel))
    big["time_limit_s"] = 20000
    big["battle_id"] = "long"
    for ship in big["ships"]:  # nobody fights: the battle runs to its time limit
        ship["controller"] = "idle"
    stamps: list[float] = []
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            stamps.append(time.perf_counter())
            time.sleep(0)  # hands the GIL back at once, so the main thread never waits on it

    simulate_json(duel)  # load the library first
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    t = threading.Thread(target=spin)
    t.start()
    try:
        inside = 0
        for _ in range(50):
            start = time.perf_counter()
            simulate_json(big)
            end = time.perf_counter()
            inside += sum(1 for x in stamps[-200_000:] if start < x < end)
            if inside:
                break
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(interval)
    assert inside > 0, "the other thread never ran while the native call was in progress"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX-only")
def test_forked_child_gets_a_clear_error(duel_agent: dict) -> None:
    tidebreak.engine._native.lib()  # the Go runtime runs in this process now
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: must raise, not hang
        os.close(read)
        try:
            NativeEnv(duel_agent)
            msg = b"no error"
        except RuntimeError as e:
            msg = str(e).encode()
        os.write(write, msg)
        os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    message = os.read(read, 4096).decode()
    os.close(read)
    assert os.WIFEXITED(status)
    assert "spawn" in message and "forkserver" in message


def test_state_hash_matches_simulate_tick_hashes() -> None:
    pkg = tidebreak.scenarios.package("gun_duel", seed=4)
    result = tidebreak.simulate(pkg)
    with NativeEnv(pkg) as env:
        env.reset(seed=4)
        first, tick = env.state_hash()
        assert tick == 0 and first == result.replay.initial_state_hash
        zero = env.zero_actions()
        for t in range(1, 11):
            env.step(zero)
            assert env.state_hash() == (result.replay.tick_hashes[t - 1], t)


_COLLECTING_BATCH = """
import numpy as np
import tidebreak
env = tidebreak.NativeVecEnv(tidebreak.scenarios.load("duel", controllers={"corvette": "agent"}), 256)
env.reset(np.arange(1, 257))
actions = np.zeros(env.actions.shape, np.float32)
for _ in range(3000):
    env.step(actions)
env.close()
print("done")
"""


def test_batch_keeps_stepping_through_go_collections() -> None:
    """A batch's step workers and the Python thread never wait on each other
    across a Go garbage collection. GOGC=1 makes the Go runtime collect every
    few hundred steps, and gcstoptheworld=2 stops every goroutine for each
    collection. A step that spun on its workers without a safe point (called
    from C it cannot be preempted) while a collection held a worker
    mid-block hung here every time."""
    import subprocess
    import sys

    env = dict(os.environ, GOGC="1", GODEBUG="gcstoptheworld=2", GOMAXPROCS="2")
    proc = subprocess.run(
        [sys.executable, "-c", _COLLECTING_BATCH], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "done"
