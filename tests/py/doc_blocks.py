"""The code blocks of the documentation, for the tests that run them (test_doc_blocks.py).

Three kinds of block are run:

* ```` ```python ```` blocks are executed. A comment ``# prints: TEXT`` says
  that the block prints a line matching TEXT (``...`` stands for any text).
* ```` ```sh ```` / ```` ```bash ```` blocks: every line that runs
  ``tidebreak`` (or ``python -m tidebreak…``) is run, in document order, in
  one working folder per document that holds the files the docs assume
  (``battle.json``, ``duel.tbr``, ``a.tbr`` …). Lines that need a Ray cluster
  are only parsed (trained policies are stood in for by untrained ones), and long ones run under
  ``make test-full`` (see ``PARSE_ONLY`` and ``SLOW`` below).
* ```` ```console ```` blocks show commands (``$ tidebreak …``) with their
  output: the output printed must match the one shown, line by line (a line
  ``...`` stands for any number of lines, ``...`` within a line for any text).

When a change alters what a command prints, rewrite the shown output with::

    python tests/py/doc_blocks.py --write        # from the repository root, in the venv
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
#: docs/strategic.md is the campaign layer's own and is tested with it.
SKIP_DOCS = {"strategic.md"}
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)


@dataclass(frozen=True)
class Block:
    """A fenced code block: its language, text and where it is."""

    doc: Path
    lang: str
    text: str
    line: int  # 1-based line of the opening fence
    start: int  # offsets of the text in the document
    end: int

    @property
    def name(self) -> str:
        return f"{self.doc.name}:{self.line}"


def documents() -> list[Path]:
    """README.md and every docs/*.md the tests cover."""
    return [ROOT / "README.md", *(p for p in sorted(DOCS.glob("*.md")) if p.name not in SKIP_DOCS)]


def blocks(doc: Path, *langs: str) -> list[Block]:
    """The fenced blocks of ``doc`` in order (only those of ``langs`` if given)."""
    text = doc.read_text(encoding="utf-8")
    out = []
    for m in _FENCE.finditer(text):
        if langs and m.group(1) not in langs:
            continue
        line = text.count("\n", 0, m.start()) + 1
        out.append(Block(doc, m.group(1), m.group(2), line, m.start(2), m.end(2)))
    return out


#: First words of shell lines that mention tidebreak without running it (installing, building).
_NOT_RUN = {"pip", "pip3", "make", "go", "git", "ray", "apt-get", "brew", "uv"}


def shell_lines(block: Block) -> list[str]:
    """The commands of a sh/bash block that run Tidebreak (continuations joined)."""
    joined = re.sub(r"\\\n\s*", " ", block.text)
    out = []
    for raw in joined.splitlines():
        line = raw.strip()
        words = shlex.split(line, comments=True) if line and not line.startswith("#") else []
        if not words:
            continue
        runs = [w for w in words if w == "tidebreak" or w.startswith("tidebreak.")]
        if runs and words[0] not in _NOT_RUN:
            out.append(line)
    return out


def console_steps(block: Block) -> list[tuple[str, list[str]]]:
    """(command, shown output lines) for each ``$ command`` of a console block."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
        elif line.strip():
            raise ValueError(f"{block.name}: output before the first '$ ' command")
    return steps


def environment() -> dict[str, str]:
    """The environment commands run in: this interpreter's bin first, unbuffered output."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr in the order they were written, as in a terminal
    env["MPLBACKEND"] = "Agg"
    env.pop("TIDEBREAK_DEBUG", None)
    if "PYTHONPATH" in env:  # relative entries must survive the change of folder
        env["PYTHONPATH"] = os.pathsep.join(
            str(Path(p).resolve()) for p in env["PYTHONPATH"].split(os.pathsep)
        )
    return env


def run(command: str, cwd: Path, timeout: float = 600) -> tuple[int, str]:
    """Run one shell command; its exit code and its output (stdout and stderr interleaved)."""
    proc = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    return proc.returncode, proc.stdout


def _line_matches(pattern: str, line: str) -> bool:
    if "..." not in pattern:
        return pattern == line
    parts = [re.escape(p) for p in pattern.split("...")]
    return re.fullmatch(".*".join(parts), line, re.S) is not None


def output_matches(shown: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines match ``shown`` (a line ``...``: any lines; ``...`` in a line: any text)."""
    shown = [s.rstrip() for s in shown]
    actual = [a.rstrip() for a in actual]
    while shown and not shown[-1]:
        shown.pop()
    while actual and not actual[-1]:
        actual.pop()

    def match(i: int, j: int) -> bool:
        if i == len(shown):
            return j == len(actual)
        if shown[i] == "...":
            return any(match(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and _line_matches(shown[i], actual[j]) and match(i + 1, j + 1)

    return match(0, 0)


def printed_patterns(block: Block) -> list[str]:
    """The ``# prints: TEXT`` comments of a python block."""
    return [m.group(1).rstrip() for m in re.finditer(r"#\s*prints:\s*(.*)$", block.text, re.M)]


#: Commands only parsed (their options checked), with the reason they cannot run here.
PARSE_ONLY: dict[str, str] = {
    "--address auto": "needs a Ray cluster",
    "ray://": "needs a Ray cluster",
    "RAY_ADDRESS=auto": "needs a Ray cluster",
}
#: Commands that take minutes: run by `make test-full` (pytest -m slow), parsed otherwise.
SLOW: dict[str, str] = {
    "tidebreak league --scenarios duel --seeds 50": "1500 battles",
    "tidebreak league --balance-doc docs/balance.md": "the full balance league, minutes",
    "--backend ray --out results.jsonl": "starts a local Ray",
    "tidebreak replay duel.tbr --mp4": "encodes every tick as video",
    "tidebreak replay duel.tbr --gif --step": "draws a GIF of the whole battle",
    "tidebreak bench --steps 5000": "a benchmark",
    "tidebreak train Tidebreak/": "trains for a minute; needs torch (the train extra)",
    "tidebreak bench\n": "the default benchmark",
    "python -m tidebreak.distributed bench": "a scaling benchmark",
}
#: Exit codes other than 0 that a documented command is meant to give.
EXIT_CODES: dict[str, int] = {
    "tidebreak diff a.tbr b.tbr": 1,
    "tidebreak diff a.json.gz b.tbr": 1,
    "tidebreak diff result_a.json result_b.json": 1,
    "tidebreak validate typos.json": 2,  # misspelt keys
    "tidebreak sweep packages/": 1,  # packages/fleet/b.json is refused (a rerun resumes: 0)
}


def _lookup(table: dict[str, object], command: str) -> object | None:
    for key, value in table.items():
        if key.endswith("\n") and command.strip() == key[:-1]:
            return value
        if not key.endswith("\n") and key in command:
            return value
    return None


@dataclass
class Step:
    """One command of a document and what came of it."""

    block: Block
    command: str
    how: str  # "run", "parsed" (with the reason) or "console"
    code: int | None = None
    output: str = ""
    shown: list[str] | None = None
    problem: str | None = None


def parse_only(command: str) -> str | None:
    """Parse a tidebreak command line with the real parser; a problem, or None."""
    from tidebreak.cli import _parse, build_parser

    words = shlex.split(command, comments=True)
    while words and "=" in words[0] and not words[0].startswith("-"):  # VAR=value prefixes
        words = words[1:]
    if words[:3] == ["python", "-m", "tidebreak.distributed"]:
        words = ["tidebreak", *words[3:]]
    if words[:1] != ["tidebreak"]:
        return f"cannot parse {command!r}"
    import contextlib
    import io

    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            args = _parse(build_parser(), words[1:])
    except SystemExit as e:
        return f"argparse exit {e.code}: {err.getvalue().strip()}"
    return None if not isinstance(args, int) else err.getvalue().strip()


def run_document(doc: Path, work: Path, slow: bool = False) -> list[Step]:
    """Run the shell and console blocks of ``doc`` in order in ``work``."""
    steps: list[Step] = []
    for b in blocks(doc, "sh", "bash", "console"):
        if b.lang == "console":
            for command, shown in console_steps(b):
                code, out = run(command, work)
                step = Step(b, command, "console", code, out, shown)
                want = _lookup(EXIT_CODES, command) or 0
                if code != want:
                    step.problem = f"exit {code}, expected {want}"
                elif not output_matches(shown, out.splitlines()):
                    step.problem = "output differs from the one shown"
                steps.append(step)
            continue
        for command in shell_lines(b):
            reason = _lookup(PARSE_ONLY, command) or (None if slow else _lookup(SLOW, command + "\n"))
            if reason is not None:
                step = Step(b, command, f"parsed ({reason})")
                step.problem = parse_only(command)
            else:
                code, out = run(command, work)
                step = Step(b, command, "run", code, out)
                want = _lookup(EXIT_CODES, command) or 0
                if code != want:
                    step.problem = f"exit {code}, expected {want}"
            steps.append(step)
    return steps


def _write(doc: Path, steps: list[Step]) -> int:
    """Write the output of each console step into ``doc``; the number of blocks changed."""
    text = doc.read_text(encoding="utf-8")
    by_block: dict[int, list[Step]] = {}
    for st in steps:
        if st.how == "console":
            by_block.setdefault(st.block.start, []).append(st)
    changed = 0
    for start in sorted(by_block, reverse=True):
        b = by_block[start][0].block
        new: list[str] = []
        for st in by_block[start]:
            lines = st.output.rstrip("\n").splitlines()
            shown = st.shown or []
            if any("..." in s for s in shown) and not output_matches(shown, lines):
                print(
                    f"{b.name}: its shown output has '...': fix it by hand; now:\n{st.output}",
                    file=sys.stderr,
                )
                lines = shown
            elif any("..." in s for s in shown):
                lines = shown
            new += [f"$ {st.command}", *lines]
        body = "\n".join(new) + "\n"
        if body != b.text:
            text = text[: b.start] + body + text[b.end :]
            changed += 1
    doc.write_text(text, encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--write", action="store_true", help="rewrite the output shown in console blocks")
    args = p.parse_args(argv)
    if not args.write:
        p.print_help()
        return 0
    import tempfile

    sys.path.insert(0, str(Path(__file__).parent))
    from test_doc_blocks import prepare

    for doc in documents():
        if not blocks(doc, "console"):
            continue
        with tempfile.TemporaryDirectory() as d:
            work = prepare(Path(d) / "work")
            steps = run_document(doc, work)
            print(f"{doc.relative_to(ROOT)}: {_write(doc, steps)} console block(s) rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
