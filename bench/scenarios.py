"""The benchmark scenarios: what each tool runs, and how each run is prepared.

A scenario gives, for each tool, a callable that receives the run's fresh temporary directory and
returns the arguments that follow the tool's executable. puv has uv's command line, so the `uv`
callable serves both unless a scenario gives `puv` its own. The baseline is plain CPython (`python
...`, `python -m venv ...`, `python -m pip ...`); a scenario without one leaves `python` unset.
pdm and poetry have their own commands in the project scenarios (`pdm=`, `poetry=`).

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
`setup(dir, tool)` (plain Python, untimed), then the tool's `prepare` command (untimed, same tool,
a failure is reported), then the timed `command`. The directory is deleted afterwards; the tool's
cache directory is kept for the whole benchmark, so caches are warm as in real use.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import projects


@dataclass(frozen=True)
class ToolArgv:
    """An argument replaced by the executable (and fixed arguments) of another tool: the floor's
    untimed set-up uses uv's. A tool whose step needs a missing tool is n/a in that scenario."""

    tool: str


UV = ToolArgv("uv")
PYTHON = ToolArgv("python")
PDM = ToolArgv("pdm")
POETRY = ToolArgv("poetry")


Arg = str | os.PathLike[str] | ToolArgv
ArgsFactory = Callable[[Path], Sequence[Arg]]
"""Given the run's directory, the arguments that follow the tool's executable."""

TOOLS: tuple[str, ...] = ("puv", "uv", "pdm", "poetry", "python", "floor")
"""The tools, in report order. "python" is the baseline (CPython, or pip run by it); "floor" is
a plain command that bounds what any tool can do (`cp -al` of an installed tree, ...): it has no
executable of its own, its callables return the whole command line. pdm and poetry only take
part in the project scenarios (lock and sync)."""

RATIOS: tuple[str, ...] = ("uv", "pdm", "poetry", "python")
"""The tools puv's median is divided by, in report order ("python" is shown as `puv/base`)."""

TOOL_PYTHON = "<the tool's python>"
"""As the first argument: run the rest with the interpreter that runs the tool (puv's own
Python, read from its launcher), e.g. a script in bench/ that drives one of puv's layers."""

RUN = "<the command as given>"
"""As the first argument: the rest is the whole command line, not arguments of the tool's
executable (e.g. `DIR/.venv/bin/python -m pip ...`, the pip of a fresh environment)."""


HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE.parent.parent / "shared" / "requirements"


@dataclass(frozen=True)
class Commands:
    """One command per tool; puv runs uv's unless given its own, None means "not measured"."""

    uv: ArgsFactory | None
    python: ArgsFactory | None = None
    puv: ArgsFactory | None = None
    floor: ArgsFactory | None = None
    pdm: ArgsFactory | None = None
    poetry: ArgsFactory | None = None

    def for_tool(self, tool: str) -> ArgsFactory | None:
        if tool == "puv":
            return self.puv or self.uv
        if tool == "uv":
            return self.uv
        if tool == "python":
            return self.python
        if tool == "floor":
            return self.floor
        if tool == "pdm":
            return self.pdm
        if tool == "poetry":
            return self.poetry
        raise KeyError(tool)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    command: Commands
    """The timed command of each tool."""
    prepare: Commands | tuple[Commands, ...] | None = None
    """Untimed command(s) run by the same tool in the same directory before each timed run."""
    setup: Callable[[Path, str], None] | None = None
    """Untimed Python code run with the fresh directory and the tool's name before `prepare`
    (write files, ...); also run in the `once` directory before the `once` steps."""
    baseline: str = "python"
    """Label of the CPython row: "python", or "pip" when the baseline is `python -m pip`."""
    once: tuple[Commands, ...] = ()
    """Untimed commands each tool runs once, before its first run of the scenario (warm its
    cache, build a fixture). They get a directory whose parent, like that of every run's
    directory, is the tool's directory for this scenario, kept until the scenario ends: see
    `shared`."""
    check: Commands | None = None
    """Untimed command run after each timed run, in the same directory: a tool that exits 0 but
    did not do the job (nothing installed, ...) fails on it, and its sample is discarded."""
    version: Commands | None = None
    """Untimed command run after `once` whose first line of output names what the scenario
    really runs (the pip of the environments, say); shown in the report."""
    overhead: bool = False
    """Report each tool's median minus the baseline's (the time a tool adds to what it runs)."""

    def prepare_steps(self) -> tuple[Commands, ...]:
        if self.prepare is None:
            return ()
        return self.prepare if isinstance(self.prepare, tuple) else (self.prepare,)


def shared(d: Path) -> Path:
    """The tool's directory for the scenario: the parent of every run's directory and of the
    `once` steps' directory, kept from the first `once` step to the end of the scenario."""
    return d.parent


ONCE = "once"
"""The name of the `once` steps' directory, in `shared(d)`."""


def once_directory(d: Path) -> Path:
    """Where the tool ran the scenario's `once` steps (files they left: a lock, ...)."""
    return shared(d) / ONCE


VENV = Commands(
    uv=lambda d: ["venv", d / ".venv"],
    python=lambda d: ["-m", "venv", "--without-pip", d / ".venv"],
)


def _venv_python(d: Path) -> Path:
    return d / ".venv" / "bin" / "python"


def _site_packages(venv: Path) -> Path:
    """`venv/lib/pythonX.Y/site-packages` (the report shows it before the venv exists)."""
    found = sorted(venv.glob("lib/python3*/site-packages"))
    return found[0] if found else venv / "lib" / "python3.X" / "site-packages"


def install_scenarios(suffix: str, requirements: Path) -> tuple[Scenario, ...]:
    """install-warm, install-cold and install-noop (+ suffix) for one pinned requirements file.

    puv and uv: `pip sync --python DIR/.venv FILE` into an environment made by the same tool
    (`venv DIR/.venv`, untimed). pip: `DIR/.venv/bin/python -m pip install --no-deps -r FILE`,
    the pip of an environment made (untimed) by `python -m venv --upgrade-deps`, i.e. with the
    current pip, run in that environment as a user would (no extra interpreter, unlike
    `pip --python`). After every timed run, `check_env.py` (untimed) checks the environment."""

    def pip(d: Path) -> list[Arg]:
        return [RUN, _venv_python(d), "-m", "pip"]

    def tree(d: Path) -> Path:
        return shared(d) / "tree"

    venvs = Commands(
        uv=lambda d: ["venv", d / ".venv"],
        python=lambda d: ["-m", "venv", "--upgrade-deps", d / ".venv"],
    )
    sync = Commands(
        uv=lambda d: ["pip", "sync", "--python", d / ".venv", requirements],
        python=lambda d: [*pip(d), "install", "--no-deps", "-r", requirements],
    )
    check = Commands(
        uv=lambda d: [RUN, _venv_python(d), HERE / "check_env.py", requirements],
        python=lambda d: [RUN, _venv_python(d), HERE / "check_env.py", requirements],
    )
    pip_version = Commands(uv=None, python=lambda d: [*pip(d), "--version"])
    pip_venv = Commands(uv=None, python=venvs.python)
    return (
        Scenario(
            name=f"install-warm{suffix}",
            description=f"Install {requirements.name} into a fresh environment from the tool's "
            "warm cache (floor: `cp -al` of the installed site-packages and bin)",
            once=(
                # Warm each tool's own cache with one untimed install; the floor's tree is
                # installed once by uv, in the floor's own cache.
                Commands(
                    uv=venvs.uv, python=venvs.python, floor=lambda d: [UV, "venv", "-q", tree(d)]
                ),
                Commands(
                    uv=sync.uv,
                    python=sync.python,
                    floor=lambda d: [UV, "pip", "sync", "-q", "--python", tree(d), requirements],
                ),
            ),
            prepare=venvs,
            command=Commands(
                uv=sync.uv,
                python=sync.python,
                floor=lambda d: ["cp", "-al", _site_packages(tree(d)), tree(d) / "bin", d],
            ),
            check=check,
            version=pip_version,
            baseline="pip",
        ),
        Scenario(
            name=f"install-cold{suffix}",
            description=f"Install {requirements.name} into a fresh environment with an empty "
            "cache (puv, uv: a new --cache-dir; pip: --no-cache-dir)",
            once=(pip_venv,),
            prepare=venvs,
            command=Commands(
                uv=lambda d: [
                    "pip",
                    "sync",
                    "--cache-dir",
                    d / "cache",
                    "--python",
                    d / ".venv",
                    requirements,
                ],
                python=lambda d: [
                    *pip(d),
                    "install",
                    "--no-cache-dir",
                    "--no-deps",
                    "-r",
                    requirements,
                ],
            ),
            check=check,
            version=pip_version,
            baseline="pip",
        ),
        Scenario(
            name=f"install-noop{suffix}",
            description=f"Install {requirements.name} again into an environment that already "
            'has it (pip: "Requirement already satisfied")',
            once=(pip_venv,),
            prepare=(venvs, sync),
            command=sync,
            check=check,
            version=pip_version,
            baseline="pip",
        ),
    )


PIP_COMPILE = os.environ.get("BENCH_PIP_COMPILE", "pip-compile")
"""pip-tools' `pip-compile`, installed for the baseline interpreter (it resolves for the
interpreter it runs in): `$BENCH_PIP_COMPILE`, else `pip-compile` on `PATH`."""


def compile_scenarios(suffix: str, requirements: Path) -> tuple[Scenario, ...]:
    """compile-cold and compile-warm (+ suffix): resolve a `.in` file into pins.

    puv and uv: `pip compile -q FILE -o DIR/out.txt` (cold: a new `--cache-dir`); pip-tools:
    `pip-compile -q FILE -o DIR/out.txt` (cold: a new `--cache-dir` and pip's `--no-cache-dir`).
    All three resolve for the same CPython (`UV_PYTHON`, and pip-compile's own interpreter)."""

    def pip_compile(d: Path, *extra: Arg) -> list[Arg]:
        return [RUN, PIP_COMPILE, "-q", "--no-strip-extras", *extra, requirements, "-o",
                d / "out.txt"]

    return (
        Scenario(
            name=f"compile-cold{suffix}",
            description=f"Resolve {requirements.name} with an empty cache",
            command=Commands(
                uv=lambda d: ["pip", "compile", "-q", requirements, "-o", d / "out.txt",
                              "--cache-dir", d / "cache"],
                python=lambda d: pip_compile(d, "--cache-dir", d / "cache", "--pip-args",
                                             "--no-cache-dir"),
            ),
            baseline="pip-compile",
        ),
        Scenario(
            name=f"compile-warm{suffix}",
            description=f"Resolve {requirements.name} again with the tool's warm cache (index "
            "pages revalidated as their HTTP headers require)",
            once=(Commands(uv=lambda d: ["pip", "compile", "-q", requirements, "-o",
                                         d / "out.txt"],
                           python=lambda d: pip_compile(d)),),
            command=Commands(
                uv=lambda d: ["pip", "compile", "-q", requirements, "-o", d / "out.txt"],
                python=lambda d: pip_compile(d),
            ),
            baseline="pip-compile",
        ),
    )


def project_scenarios(requirements: Path) -> tuple[Scenario, ...]:
    """lock-cold, lock-warm, lock-noop, sync-warm, sync-noop and run-overhead on a project whose
    dependencies are the requirements of a `.in` file (bench/projects.py writes it for each tool).

    puv and uv: `lock`, `sync`, `run python -c pass`; pdm: `pdm lock`, `pdm sync`; poetry:
    `poetry lock`, `poetry install --no-root`. Environments are empty and fresh for each run:
    `venv DIR/.venv` by puv and uv, `python -m venv --without-pip DIR/.venv` (the baseline's
    interpreter) for pdm and poetry, which use a project's `.venv` when they find one (both are
    also given one to lock: without it pdm makes a virtual environment, with whatever Python it
    finds first, as part of `pdm lock`). After each run, `check_project.py` checks the lock or
    the environment."""
    write = projects.write_project(requirements)
    with_lock = projects.from_lock(requirements, once_directory)

    def plain_venv(d: Path) -> list[Arg]:
        return [RUN, PYTHON, "-m", "venv", "--without-pip", d / ".venv"]

    def check(mode: str) -> Commands:
        def factory(d: Path) -> list[Arg]:
            python: Arg = PYTHON if mode == "lock" else _venv_python(d)
            return [RUN, python, HERE / "check_project.py", mode, d]

        return Commands(uv=factory, pdm=factory, poetry=factory)

    venvs = Commands(uv=lambda d: ["venv", d / ".venv"], pdm=plain_venv, poetry=plain_venv)
    interpreters = Commands(uv=None, pdm=plain_venv, poetry=plain_venv)
    lock = Commands(uv=lambda d: ["lock"], pdm=lambda d: ["lock"], poetry=lambda d: ["lock"])
    sync = Commands(
        uv=lambda d: ["sync"], pdm=lambda d: ["sync"], poetry=lambda d: ["install", "--no-root"]
    )
    synced = (venvs, lock, sync)
    name = requirements.stem
    return (
        Scenario(
            name="lock-cold",
            description=f"Lock a project with {name}'s dependencies, no lock file, empty cache "
            "(puv, uv: a new --cache-dir; pdm, poetry: a new PDM_CACHE_DIR, POETRY_CACHE_DIR)",
            setup=write,
            prepare=interpreters,
            command=Commands(
                uv=lambda d: ["lock", "--cache-dir", d / "cache"],
                pdm=lambda d: [RUN, "env", f"PDM_CACHE_DIR={d / 'cache'}", PDM, "lock"],
                poetry=lambda d: [RUN, "env", f"POETRY_CACHE_DIR={d / 'cache'}", POETRY, "lock"],
            ),
            check=check("lock"),
        ),
        Scenario(
            name="lock-warm",
            description=f"Lock the {name} project, no lock file, the tool's warm cache",
            setup=write,
            once=(interpreters, lock),
            prepare=interpreters,
            command=lock,
            check=check("lock"),
        ),
        Scenario(
            name="lock-noop",
            description=f"Lock the {name} project again: its lock file is there and up to date",
            setup=with_lock,
            once=(interpreters, lock),
            prepare=interpreters,
            command=lock,
            check=check("lock"),
        ),
        Scenario(
            name="sync-warm",
            description=f"Sync the locked {name} project into a fresh empty .venv from the "
            "tool's warm cache (poetry: install --no-root)",
            setup=with_lock,
            once=synced,
            prepare=venvs,
            command=sync,
            check=check("env"),
        ),
        Scenario(
            name="sync-noop",
            description=f"Sync the {name} project again: everything is installed",
            setup=with_lock,
            once=synced,
            prepare=(venvs, sync),
            command=sync,
            check=check("env"),
        ),
        Scenario(
            name="run-overhead",
            description=f"`run python -c pass` in the synced {name} project (python: "
            "`.venv/bin/python -c pass`, an environment of the same interpreter)",
            setup=with_lock,
            once=synced,
            prepare=(
                Commands(
                    uv=venvs.uv, python=lambda d: ["-m", "venv", "--without-pip", d / ".venv"]
                ),
                Commands(uv=sync.uv),
            ),
            command=Commands(
                uv=lambda d: ["run", "python", "-c", "pass"],
                python=lambda d: [RUN, _venv_python(d), "-c", "pass"],
            ),
            overhead=True,
        ),
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
            uv=lambda d: [
                "pip",
                "compile",
                "-q",
                REQUIREMENTS / "trio.in",
                "-o",
                d / "out.txt",
                "--cache-dir",
                d / "cache",
            ],
            puv=lambda d: [
                TOOL_PYTHON,
                HERE / "fetch_metadata.py",
                REQUIREMENTS / "trio.txt",
                "--cache-dir",
                d / "cache",
            ],
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
            uv=lambda d: [
                "pip",
                "compile",
                "-q",
                "--offline",
                REQUIREMENTS / "trio.in",
                "-o",
                d / "out.txt",
            ],
            puv=lambda d: [
                TOOL_PYTHON,
                HERE / "fetch_metadata.py",
                REQUIREMENTS / "trio.txt",
                "--offline",
            ],
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
    *install_scenarios("", REQUIREMENTS / "trio.txt"),
    *install_scenarios("-jupyter", REQUIREMENTS / "jupyter.txt"),
    *compile_scenarios("", REQUIREMENTS / "trio.in"),
    *compile_scenarios("-jupyter", REQUIREMENTS / "jupyter.in"),
    *project_scenarios(REQUIREMENTS / "trio.in"),
)
