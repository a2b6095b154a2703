"""The benchmark scenarios: what each tool runs, and how each run is prepared.

A scenario gives, for each tool, a callable that receives the run's fresh temporary directory and
returns the arguments that follow the tool's executable. puv has uv's command line, so the `uv`
callable serves both unless a scenario gives `puv` its own. The baseline is plain CPython (`python
...`, `python -m venv ...`, `python -m pip ...`); a scenario without one leaves `python` unset.

Adding a scenario is a matter of appending to `SCENARIOS`, for example::

    Scenario(
        name="pip-list",
        description="List the packages of an empty environment",
        prepare=VENV,
        command=Commands(
            uv=lambda d: ["pip", "list", "--python", d / ".venv"],
            python=lambda d: ["-m", "pip", "--python", d / ".venv", "list"],
        ),
        baseline="pip",
    )

Every run of every tool gets a new empty directory (also its working directory), then
`setup(dir)` (plain Python, untimed), then the tool's `prepare` command (untimed, same tool,
a failure is reported), then the timed `command`. The directory is deleted afterwards; the tool's
cache directory is kept for the whole benchmark, so caches are warm as in real use.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

Arg = str | os.PathLike[str]
ArgsFactory = Callable[[Path], Sequence[Arg]]
"""Given the run's directory, the arguments that follow the tool's executable."""

TOOLS: tuple[str, ...] = ("puv", "uv", "python")

TOOL_PYTHON = "<the tool's python>"
"""As the first argument: run the rest with the interpreter that runs the tool (puv's own
Python, read from its launcher), e.g. a script in bench/ that drives one of puv's layers."""

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE.parent.parent / "shared" / "requirements"
"""The tools, in report order. "python" is the baseline (CPython, or pip run by it)."""


@dataclass(frozen=True)
class Commands:
    """One command per tool; puv runs uv's unless given its own, None means "not measured"."""

    uv: ArgsFactory
    python: ArgsFactory | None = None
    puv: ArgsFactory | None = None

    def for_tool(self, tool: str) -> ArgsFactory | None:
        if tool == "puv":
            return self.puv or self.uv
        if tool == "uv":
            return self.uv
        if tool == "python":
            return self.python
        raise KeyError(tool)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    command: Commands
    """The timed command of each tool."""
    prepare: Commands | None = None
    """Untimed command run by the same tool in the same directory before each timed run."""
    setup: Callable[[Path], None] | None = None
    """Untimed Python code run in the fresh directory before `prepare` (write files, ...)."""
    baseline: str = "python"
    """Label of the CPython row: "python", or "pip" when the baseline is `python -m pip`."""


VENV = Commands(
    uv=lambda d: ["venv", d / ".venv"],
    python=lambda d: ["-m", "venv", "--without-pip", d / ".venv"],
)

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        name="version",
        description="Start-up: print the version (python: start the interpreter and exit)",
        command=Commands(uv=lambda d: ["--version"], python=lambda d: ["-c", "pass"]),
    ),
    Scenario(
        name="venv",
        description="Create a virtual environment (no seed packages) in a fresh directory",
        command=VENV,
    ),
    Scenario(
        name="metadata-cold",
        description="Metadata of every pin of trio.txt with an empty cache (uv: `pip compile "
        "trio.in`, a whole resolution)",
        command=Commands(
            uv=lambda d: ["pip", "compile", "-q", REQUIREMENTS / "trio.in", "-o", d / "out.txt",
                          "--cache-dir", d / "cache"],
            puv=lambda d: [TOOL_PYTHON, HERE / "fetch_metadata.py", REQUIREMENTS / "trio.txt",
                           "--cache-dir", d / "cache"],
        ),
    ),
    Scenario(
        name="metadata-warm",
        description="The same with the tool's warm cache (pages revalidated as their HTTP "
        "headers require)",
        command=Commands(
            uv=lambda d: ["pip", "compile", "-q", REQUIREMENTS / "trio.in", "-o", d / "out.txt"],
            puv=lambda d: [TOOL_PYTHON, HERE / "fetch_metadata.py", REQUIREMENTS / "trio.txt"],
        ),
    ),
    Scenario(
        name="metadata-offline",
        description="The same from the warm cache with `--offline` (no request at all)",
        command=Commands(
            uv=lambda d: ["pip", "compile", "-q", "--offline", REQUIREMENTS / "trio.in", "-o",
                          d / "out.txt"],
            puv=lambda d: [TOOL_PYTHON, HERE / "fetch_metadata.py", REQUIREMENTS / "trio.txt",
                           "--offline"],
        ),
    ),
    Scenario(
        name="venv-clear",
        description="Re-create a virtual environment over an existing one with --clear",
        prepare=VENV,
        command=Commands(
            uv=lambda d: ["venv", "--clear", d / ".venv"],
            python=lambda d: ["-m", "venv", "--clear", "--without-pip", d / ".venv"],
        ),
    ),
)
