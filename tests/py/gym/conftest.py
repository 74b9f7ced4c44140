"""Fixtures for the RL-interface tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def _virtual_display() -> Iterator[str | None]:
    """A display number for the session: $DISPLAY, else one of a virtual X
    server (Xvfb) started for the session, else None."""
    if sys.platform in ("win32", "darwin"):
        yield "native"  # Tk opens windows without an X display there
        return
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        yield None
        return
    read, write = os.pipe()
    proc = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "800x600x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    try:
        yield f":{number}" if number else None
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def display(_virtual_display: str | None, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """The display that ``render_mode="human"`` windows open on (set as
    $DISPLAY for the test), or None where none can be had (no display and no
    Xvfb): then such tests check the clear error instead."""
    if _virtual_display == "native":
        return _virtual_display
    if _virtual_display:
        monkeypatch.setenv("DISPLAY", _virtual_display)
        return _virtual_display
    monkeypatch.delenv("DISPLAY", raising=False)
    return None
