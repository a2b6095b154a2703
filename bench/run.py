"""Time puv against uv and plain CPython/pip, interleaved, in one run.

Usage: python bench/run.py [SCENARIO...] [--scenarios A,B] [--runs N] [--warmup N] [--puv PATH]
                           [--uv PATH] [--pdm PATH] [--poetry PATH] [--python PATH] [--json FILE]
                           [--markdown] [--list] [--self-test]

All the tools of a scenario are measured in the same run, round-robin with the order rotated on
every iteration, so that the noise of a shared machine falls on all of them alike; the report
quotes medians and the ratios puv/uv and puv/baseline computed from that run. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import fnmatch
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scenarios import (
    ONCE,
    RATIOS,
    RUN,
    SCENARIOS,
    TOOL_PYTHON,
    TOOLS,
    ArgsFactory,
    Commands,
    Scenario,
    ToolArgv,
)

STDERR_TAIL_LINES = 15
DIR_PLACEHOLDER = Path("DIR")

# Variables that would make a run depend on the caller's shell rather than on the tool.
UNSET_VARIABLES = (
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "PYTHONHOME",
    "PYTHONPATH",
    "PYTHONSTARTUP",
    # Real installs keep their bytecode: without it every puv run would recompile its modules.
    "PYTHONDONTWRITEBYTECODE",
    "UV_CACHE_DIR",
    "UV_NO_CACHE",
    "UV_PYTHON",
    "UV_PROJECT_ENVIRONMENT",
    # pip is pointed at the same index as uv and puv (see tool_environment).
    "PIP_CONFIG_FILE",
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "PIP_FIND_LINKS",
    "PIP_NO_INDEX",
)
# pdm's and poetry's settings from the caller are all dropped; tool_environment sets its own.
UNSET_PREFIXES = ("PDM_", "POETRY_")


# --------------------------------------------------------------------------------------------
# Tools


@dataclass
class Tool:
    name: str
    argv: list[str] | None
    """The executable (and any fixed arguments), or None when the tool was not found."""
    source: str
    """How it was found (--uv, $UV, PATH, sys.executable), or why it is missing."""
    version: str = ""

    @property
    def available(self) -> bool:
        return self.argv is not None


def _locate(spec: str) -> list[str] | None:
    """An executable path, a name on PATH, or a command line such as "/venv/bin/python -m puv"."""
    if os.path.isfile(spec):
        return [os.path.abspath(spec)]  # not resolve(): a venv's python is a symlink
    found = shutil.which(spec)
    if found:
        return [os.path.abspath(found)]
    parts = shlex.split(spec)
    if len(parts) > 1:
        head = _locate(parts[0])
        if head:
            return head + parts[1:]
    return None


def find_tool(name: str, flag: str | None, env_var: str, default: tuple[str, str]) -> Tool:
    """The first of --NAME, $ENV_VAR and the default (source, spec) that is set; n/a if the one
    chosen cannot be found (an explicit choice never silently falls back to another)."""
    candidates = [(f"--{name}", flag), (f"${env_var}", os.environ.get(env_var)), default]
    for source, spec in candidates:
        if spec:
            argv = _locate(spec)
            if argv is None:
                return Tool(name, None, f"not found: {spec!r} (from {source})")
            return Tool(name, argv, source)
    return Tool(name, None, "not found")


def find_tools(args: argparse.Namespace) -> dict[str, Tool]:
    return {
        "puv": find_tool("puv", args.puv, "PUV", ("PATH", "puv")),
        "uv": find_tool("uv", args.uv, "UV", ("PATH", "uv")),
        "pdm": find_tool("pdm", args.pdm, "BENCH_PDM", ("PATH", "pdm")),
        "poetry": find_tool("poetry", args.poetry, "BENCH_POETRY", ("PATH", "poetry")),
        "python": find_tool(
            "python", args.python, "BENCH_PYTHON", ("sys.executable", sys.executable)
        ),
        # No executable of its own: the floor's commands are whole command lines.
        "floor": Tool("floor", [], "plain commands"),
    }


def tool_version(tool: Tool, env: Mapping[str, str]) -> str:
    if tool.argv is None:
        return ""
    if tool.name == "python":
        probe = ["-c", "import sys; print('Python', sys.version.split()[0], sys.prefix)"]
    elif tool.name == "floor":
        probe = ["cp", "--version"]
    else:
        probe = ["--version"]
    try:
        proc = subprocess.run(
            tool.argv + probe, env=env, capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unknown ({error})"
    if proc.returncode != 0:
        return f"unknown (--version exited {proc.returncode})"
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def tool_environment(cache_root: Path, python: Tool) -> dict[str, str]:
    """The controlled environment of a tool: its own cache (shared by all its runs), no colours,
    no active virtual environment, and the same interpreter as the baseline for uv and puv.

    pip reads no configuration file and no index variable of the caller's (a machine's pip.conf
    may add find-links or extra indexes that uv and puv do not see); it gets uv's default index
    when one is set (`UV_DEFAULT_INDEX`, else `UV_INDEX_URL`), and no self version check.

    pdm and poetry get their cache, configuration, data and log directories in the tool's cache
    directory too (so that a user's configuration does not apply), no update check (pdm), the
    project's `.venv` as their environment (poetry: `virtualenvs.in-project`; pdm uses one it
    finds there), and uv's default index when one is set (pdm: `PDM_PYPI_URL`; poetry's is in
    its pyproject.toml, see bench/projects.py)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in UNSET_VARIABLES and not k.startswith(UNSET_PREFIXES)
    }
    env.update(
        NO_COLOR="1",
        UV_CACHE_DIR=str(cache_root / "uv"),
        PIP_CACHE_DIR=str(cache_root / "pip"),
        XDG_CACHE_HOME=str(cache_root / "xdg"),
        UV_PYTHON_DOWNLOADS="never",
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PDM_CACHE_DIR=str(cache_root / "pdm"),
        PDM_CONFIG_FILE=str(cache_root / "pdm-config.toml"),
        PDM_LOG_DIR=str(cache_root / "pdm-log"),
        PDM_CHECK_UPDATE="false",
        POETRY_CACHE_DIR=str(cache_root / "poetry"),
        POETRY_CONFIG_DIR=str(cache_root / "poetry-config"),
        POETRY_DATA_DIR=str(cache_root / "poetry-data"),
        POETRY_VIRTUALENVS_IN_PROJECT="true",
    )
    index = env.get("UV_DEFAULT_INDEX") or env.get("UV_INDEX_URL")
    if index:
        env["PIP_INDEX_URL"] = index
        env["PDM_PYPI_URL"] = index
    if python.argv is not None:
        env["UV_PYTHON"] = python.argv[0]
    return env


# --------------------------------------------------------------------------------------------
# Measurement


@dataclass
class Failure:
    phase: str  # "once", "version", "setup", "prepare", "command" or "check"
    argv: list[str]
    exit_code: int | None  # None: timed out or could not start
    stderr_tail: str
    iteration: int

    def summary(self) -> str:
        if self.exit_code is None:
            return f"{self.phase} did not complete"
        return f"{self.phase} exited {self.exit_code}"


@dataclass
class ToolResult:
    tool: str
    label: str
    available: bool
    command: list[str] = field(default_factory=list)
    samples_ms: list[float] = field(default_factory=list)
    warmup_ms: list[float] = field(default_factory=list)
    failure: Failure | None = None
    note: str = ""
    """What the scenario's `version` step printed, or why the tool is n/a here."""

    @property
    def ok(self) -> bool:
        return self.available and self.failure is None and bool(self.samples_ms)

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples_ms) if self.ok else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "tool": self.tool,
            "label": self.label,
            "available": self.available,
            "command": self.command,
            "samples_ms": [round(s, 3) for s in self.samples_ms],
            "warmup_ms": [round(s, 3) for s in self.warmup_ms],
            "failure": None,
            "note": self.note,
        }
        if self.ok:
            s = self.samples_ms
            data.update(
                median_ms=round(statistics.median(s), 3),
                mean_ms=round(statistics.fmean(s), 3),
                stdev_ms=round(statistics.stdev(s), 3) if len(s) > 1 else 0.0,
                min_ms=round(min(s), 3),
                max_ms=round(max(s), 3),
            )
        if self.failure is not None:
            data["failure"] = vars(self.failure)
        return data


@dataclass
class ScenarioResult:
    scenario: Scenario
    results: dict[str, ToolResult]

    def ratio(self, numerator: str, denominator: str) -> float | None:
        if numerator not in self.results or denominator not in self.results:
            return None  # a scenario without that tool (no baseline, say)
        a, b = self.results[numerator].median, self.results[denominator].median
        if a is None or b is None or b <= 0:
            return None
        return a / b

    def ratios(self) -> dict[str, float | None]:
        return {ratio_name(other): self.ratio("puv", other) for other in RATIOS}

    def overheads(self) -> dict[str, float]:
        """Each tool's median minus the baseline's, in ms (scenarios with `overhead`)."""
        base = self.results.get("python")
        if not self.scenario.overhead or base is None or base.median is None:
            return {}
        return {
            name: result.median - base.median
            for name, result in self.results.items()
            if name != "python" and result.median is not None
        }


def ratio_name(other: str) -> str:
    return "puv/base" if other == "python" else f"puv/{other}"


class CommandError(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.summary())
        self.failure = failure


class MissingTool(Exception):
    """A command needs another tool (the floor's set-up needs uv) that is not available."""


def _tail(data: bytes | str | None) -> str:
    if not data:
        return ""
    text = data.decode(errors="replace") if isinstance(data, bytes) else data
    return "\n".join(text.rstrip().splitlines()[-STDERR_TAIL_LINES:])


def execute(
    argv: list[str],
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
    phase: str,
    iteration: int,
    output: list[str] | None = None,
) -> float:
    """Run argv with its output captured; the wall time in ms, or CommandError on failure.
    The first line of output (stdout, else stderr) is appended to `output` if given."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        tail = _tail(error.stderr) + f"\n(timed out after {timeout:g} s)"
        raise CommandError(Failure(phase, argv, None, tail.strip(), iteration)) from None
    except OSError as error:
        raise CommandError(Failure(phase, argv, None, str(error), iteration)) from None
    elapsed = (time.perf_counter() - start) * 1000.0
    if proc.returncode != 0:
        tail = _tail(proc.stderr) or _tail(proc.stdout)
        raise CommandError(Failure(phase, argv, proc.returncode, tail, iteration))
    if output is not None:
        lines = (proc.stdout or proc.stderr).decode(errors="replace").strip().splitlines()
        output.append(lines[0] if lines else "")
    return elapsed


def _hide_directory(failure: Failure, directory: Path) -> Failure:
    """Show the run's (deleted) temporary directory as DIR, as in the command column."""
    real, shown = os.fspath(directory), os.fspath(DIR_PLACEHOLDER)
    failure.argv = [arg.replace(real, shown) for arg in failure.argv]
    failure.stderr_tail = failure.stderr_tail.replace(real, shown)
    return failure


def interpreter_of(tool: Tool) -> str:
    """The Python that runs `tool`: its launcher script's `#!` line, or the head of a command
    line such as `/venv/bin/python -m puv`."""
    assert tool.argv is not None
    if len(tool.argv) > 1:
        return tool.argv[0]
    with open(tool.argv[0], "rb") as handle:
        first = handle.readline()
    if first.startswith(b"#!"):
        return first[2:].decode().strip().split()[0]
    raise CommandError(
        Failure("prepare", tool.argv, None, "cannot tell which Python runs this tool", 0)
    )


def command_line(
    tool: Tool, factory: ArgsFactory | None, directory: Path, tools: Mapping[str, Tool]
) -> list[str]:
    assert tool.argv is not None and factory is not None
    args = list(factory(directory))
    if args and args[0] is TOOL_PYTHON:
        return [interpreter_of(tool), *_expand(args[1:], tools)]
    if args and args[0] is RUN:
        return _expand(args[1:], tools)
    return tool.argv + _expand(args, tools)


def _expand(args: Sequence[Any], tools: Mapping[str, Tool]) -> list[str]:
    """Arguments as strings, a ToolArgv replaced by that tool's executable."""
    expanded: list[str] = []
    for arg in args:
        if isinstance(arg, ToolArgv):
            other = tools[arg.tool]
            if other.argv is None:
                raise MissingTool(f"needs {arg.tool}, which is not available")
            expanded += other.argv
        else:
            expanded.append(os.fspath(arg))
    return expanded


def display_command(tool: Tool, commands: Commands, label: str) -> list[str]:
    """The command as shown in reports: executable's short name, DIR for the run directory."""
    factory = commands.for_tool(tool.name)
    if factory is None:
        return []
    if tool.argv is None:
        head = [label]
    else:
        head = [Path(arg).name if i == 0 else arg for i, arg in enumerate(tool.argv)]
    args = list(factory(DIR_PLACEHOLDER))
    if args and args[0] is TOOL_PYTHON:
        head, args = [f"{label}'s python"], args[1:]
    elif args and args[0] is RUN:
        head, args = [], args[1:]
    return head + [
        arg.tool if isinstance(arg, ToolArgv) else _shorten(os.fspath(arg)) for arg in args
    ]


def _shorten(arg: str) -> str:
    """Paths of this repository's neighbourhood as relative ones (bench/..., ../shared/...)."""
    root = Path(__file__).resolve().parent.parent
    for base, shown in ((root, ""), (root.parent, "../")):
        prefix = os.fspath(base) + os.sep
        if arg.startswith(prefix):
            return shown + arg[len(prefix) :]
    return arg


def run_scenario(
    scenario: Scenario,
    tools: Mapping[str, Tool],
    envs: Mapping[str, Mapping[str, str]],
    runs: int,
    warmup: int,
    work: Path,
    timeout: float,
    progress: bool,
) -> ScenarioResult:
    results: dict[str, ToolResult] = {}
    for name in TOOLS:
        if scenario.command.for_tool(name) is None:
            continue
        label = scenario.baseline if name == "python" else name
        tool = tools[name]
        results[name] = ToolResult(
            tool=name,
            label=label,
            available=tool.available,
            command=display_command(tool, scenario.command, label),
        )
    for name, result in results.items():
        if not result.available:
            result.note = f"n/a, {tools[name].source}"
    players = [name for name, result in results.items() if result.available]
    for name in players:
        prepare_tool(scenario, tools, name, envs[name], work, timeout, results[name])
    players = [name for name in players if results[name].available]
    total = warmup + runs
    for iteration in range(total):
        if progress:
            print(
                f"\r  {scenario.name}: iteration {iteration + 1}/{total}",
                end="",
                file=sys.stderr,
                flush=True,
            )
        shift = iteration % len(players) if players else 0
        for name in players[shift:] + players[:shift]:
            result = results[name]
            if result.failure is not None:
                continue  # a failing tool is reported, not timed again
            directory = tool_directory(work, scenario, name) / f"run-{iteration}"
            directory.mkdir(parents=True)
            try:
                elapsed = run_once(scenario, tools, name, envs[name], directory, timeout, iteration)
            except CommandError as error:
                result.failure = _hide_directory(error.failure, directory)
                continue
            finally:
                shutil.rmtree(directory, ignore_errors=True)
            (result.warmup_ms if iteration < warmup else result.samples_ms).append(elapsed)
    for name in results:
        shutil.rmtree(tool_directory(work, scenario, name), ignore_errors=True)
    if progress:
        print("\r" + " " * 60 + "\r", end="", file=sys.stderr, flush=True)
    return ScenarioResult(scenario, results)


def tool_directory(work: Path, scenario: Scenario, tool: str) -> Path:
    """The parent of all the tool's directories in this scenario (`scenarios.shared`)."""
    return work / scenario.name / tool


def prepare_tool(
    scenario: Scenario,
    tools: Mapping[str, Tool],
    name: str,
    env: Mapping[str, str],
    work: Path,
    timeout: float,
    result: ToolResult,
) -> None:
    """The scenario's `once` steps and `version` command for one tool, in a directory kept
    until the scenario ends. A failure is reported like a failing run; a step that needs a
    tool that is missing makes this tool n/a in the scenario."""
    directory = tool_directory(work, scenario, name) / ONCE
    directory.mkdir(parents=True)
    steps = [(commands, "once") for commands in scenario.once]
    if scenario.version is not None:
        steps.append((scenario.version, "version"))
    output: list[str] = []
    try:
        if steps:
            run_setup(scenario, name, directory, 0)
        for commands, phase in steps:
            factory = commands.for_tool(name)
            if factory is not None:
                argv = command_line(tools[name], factory, directory, tools)
                execute(
                    argv, directory, env, timeout, phase, 0, output if phase == "version" else None
                )
    except MissingTool as missing:
        result.available, result.note = False, str(missing)
    except CommandError as error:
        result.failure = _hide_directory(error.failure, directory)
    if output:
        result.note = output[0].replace(os.fspath(directory), os.fspath(DIR_PLACEHOLDER))


def run_setup(scenario: Scenario, name: str, directory: Path, iteration: int) -> None:
    """The scenario's `setup` for one tool in one directory; its failure is reported like a
    failing command."""
    if scenario.setup is None:
        return
    try:
        scenario.setup(directory, name)
    except Exception as error:  # the scenario's own code
        failure = Failure("setup", [], None, f"{type(error).__name__}: {error}", iteration)
        raise CommandError(failure) from error


def run_once(
    scenario: Scenario,
    tools: Mapping[str, Tool],
    name: str,
    env: Mapping[str, str],
    directory: Path,
    timeout: float,
    iteration: int,
) -> float:
    """One timed run: setup and prepare (untimed), the command (timed), the check (untimed)."""
    tool = tools[name]
    run_setup(scenario, name, directory, iteration)
    for commands in scenario.prepare_steps():
        factory = commands.for_tool(name)
        if factory is not None:
            argv = command_line(tool, factory, directory, tools)
            execute(argv, directory, env, timeout, "prepare", iteration)
    argv = command_line(tool, scenario.command.for_tool(name), directory, tools)
    elapsed = execute(argv, directory, env, timeout, "command", iteration)
    check = scenario.check.for_tool(name) if scenario.check is not None else None
    if check is not None:
        execute(
            command_line(tool, check, directory, tools), directory, env, timeout, "check", iteration
        )
    return elapsed


# --------------------------------------------------------------------------------------------
# Reports

HEADERS = ("scenario", "tool", "runs", "median ms", "min ms", "max ms")
ALWAYS_SHOWN = ("uv", "python")
"""The ratio columns every table has (puv/uv, puv/base); puv/pdm and puv/poetry only appear in a
report with pdm's or poetry's rows."""


def _ms(value: float) -> str:
    return f"{value:.1f}" if value >= 100 else f"{value:.2f}"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def ratio_columns(outcomes: Sequence[ScenarioResult]) -> list[str]:
    """The tools puv is compared with in this report's ratio columns."""
    present = {name for outcome in outcomes for name in outcome.results}
    return [other for other in RATIOS if other in ALWAYS_SHOWN or other in present]


def headers_of(outcomes: Sequence[ScenarioResult]) -> list[str]:
    return [*HEADERS, *(ratio_name(o) for o in ratio_columns(outcomes)), "command"]


def table_rows(outcomes: Sequence[ScenarioResult]) -> list[list[str]]:
    columns = ratio_columns(outcomes)
    rows: list[list[str]] = []
    for outcome in outcomes:
        ratios = outcome.ratios()
        first = True
        for name, result in outcome.results.items():
            row = [outcome.scenario.name if first else "", result.label]
            first = False
            if not result.available:
                row += ["n/a"] * 4
            elif result.failure is not None:
                row += [str(len(result.samples_ms)), "FAILED", "", ""]  # details below
            elif not result.samples_ms:
                row += ["0", "n/a", "", ""]
            else:
                s = result.samples_ms
                row += [str(len(s)), _ms(statistics.median(s)), _ms(min(s)), _ms(max(s))]
            if name == "puv":  # blank where the scenario has no such tool, n/a if it failed
                row += [
                    _ratio(ratios[ratio_name(other)]) if other in outcome.results else ""
                    for other in columns
                ]
            else:
                row += [""] * len(columns)
            row.append(" ".join(result.command))
            rows.append(row)
    return rows


def render_text(outcomes: Sequence[ScenarioResult], meta: Mapping[str, Any]) -> str:
    headers = headers_of(outcomes)
    rows = table_rows(outcomes)
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    numeric = set(range(2, len(headers) - 1))

    def fmt(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    lines = [fmt(headers), fmt(["-" * w for w in widths])]
    for outcome, row in zip(_row_scenarios(outcomes), rows, strict=True):
        if row[0] and outcome is not outcomes[0]:
            lines.append("")
        lines.append(fmt(row))
    lines += describe_overheads(outcomes)
    lines += ["", describe_meta(meta)]
    lines += describe_notes(outcomes)
    lines += describe_failures(outcomes)
    return "\n".join(lines)


def _row_scenarios(outcomes: Sequence[ScenarioResult]) -> list[ScenarioResult]:
    return [outcome for outcome in outcomes for _ in outcome.results]


def render_markdown(outcomes: Sequence[ScenarioResult], meta: Mapping[str, Any]) -> str:
    headers = headers_of(outcomes)
    last = len(headers) - 1
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join(":---" if i < 2 or i == last else "---:" for i in range(len(headers))) + "|",
    ]
    for row in table_rows(outcomes):
        cells = [*row[:-1], f"`{row[-1]}`" if row[-1] else ""]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    lines += describe_overheads(outcomes)
    lines += ["", describe_meta(meta)]
    lines += describe_notes(outcomes)
    failures = describe_failures(outcomes)
    if failures:
        lines += ["", "```", *failures[1:], "```"]
    return "\n".join(lines)


def describe_meta(meta: Mapping[str, Any]) -> str:
    tools = "; ".join(
        f"{name}: {info['version'] or info['source']}" for name, info in meta["tools"].items()
    )
    load = meta.get("loadavg_before")
    load_text = f", load {load[0]:.2f}" if load else ""
    return (
        f"{meta['runs']} timed + {meta['warmup']} warm-up runs per tool, interleaved; "
        f"{meta['date']}, {meta['machine']} ({meta['cpus']} CPUs{load_text}). {tools}. "
        "Ratios are of medians; above 1 means puv is slower."
    )


def describe_overheads(outcomes: Sequence[ScenarioResult]) -> list[str]:
    """For scenarios with `overhead`: what each tool adds to the baseline's median."""
    lines = []
    for outcome in outcomes:
        overheads = outcome.overheads()
        if overheads:
            base = outcome.results["python"]
            added = ", ".join(
                f"{outcome.results[name].label} {value:+.1f} ms"
                for name, value in overheads.items()
            )
            lines.append(
                f"{outcome.scenario.name}: median minus {base.label}'s ({_ms(base.median or 0)} "
                f"ms): {added}"
            )
    return ["", *lines] if lines else []


def describe_notes(outcomes: Sequence[ScenarioResult]) -> list[str]:
    """What the scenarios' `version` steps printed (the pip in pip's environments), and why a
    tool is n/a in a scenario, each note once with the scenarios it applies to."""
    notes: dict[tuple[str, str], list[str]] = {}
    for outcome in outcomes:
        for result in outcome.results.values():
            if result.note:
                notes.setdefault((result.label, result.note), []).append(outcome.scenario.name)
    if not notes:
        return []
    return [""] + [
        f"{label} in {', '.join(names)}: {note}" for (label, note), names in notes.items()
    ]


def describe_failures(outcomes: Sequence[ScenarioResult]) -> list[str]:
    lines: list[str] = []
    for outcome in outcomes:
        for result in outcome.results.values():
            failure = result.failure
            if failure is None:
                continue
            lines += [
                "",
                f"{outcome.scenario.name} / {result.label}: {failure.summary()} "
                f"(iteration {failure.iteration + 1})",
                "  $ " + shlex.join(failure.argv) if failure.argv else "  (Python setup)",
            ]
            lines += ["  | " + line for line in failure.stderr_tail.splitlines()]
    return lines


def to_json(outcomes: Sequence[ScenarioResult], meta: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "meta": dict(meta),
        "scenarios": [
            {
                "name": outcome.scenario.name,
                "description": outcome.scenario.description,
                "ratios": {
                    k: None if v is None else round(v, 4) for k, v in outcome.ratios().items()
                },
                "overheads_ms": {k: round(v, 3) for k, v in outcome.overheads().items()},
                "tools": {name: r.to_json() for name, r in outcome.results.items()},
            }
            for outcome in outcomes
        ],
    }


# --------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Time puv against uv and CPython/pip, interleaved in one run.",
    )
    names = [s.name for s in SCENARIOS]
    parser.add_argument(
        "scenarios",
        nargs="*",
        metavar="SCENARIO",
        help=f"names or shell patterns (install-*); default: all ({', '.join(names)})",
    )
    parser.add_argument(
        "--scenarios",
        dest="scenario_lists",
        action="append",
        default=[],
        metavar="A,B",
        help="comma-separated scenarios (names or patterns), added to SCENARIO...",
    )
    parser.add_argument("--runs", type=int, default=10, help="timed runs per tool (default 10)")
    parser.add_argument(
        "--warmup", type=int, default=2, help="discarded runs per tool first (default 2)"
    )
    parser.add_argument("--puv", help="puv executable or command (default: $PUV, or puv on PATH)")
    parser.add_argument("--uv", help="uv executable (default: $UV, or uv on PATH)")
    parser.add_argument("--pdm", help="pdm executable (default: $BENCH_PDM, or pdm on PATH)")
    parser.add_argument(
        "--poetry", help="poetry executable (default: $BENCH_POETRY, or poetry on PATH)"
    )
    parser.add_argument(
        "--python", help="baseline interpreter (default: $BENCH_PYTHON, or the one running this)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write samples and summary")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds before a command counts as failed"
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    parser.add_argument(
        "--self-test", action="store_true", help="run each scenario once and check the runner"
    )
    args = parser.parse_args(argv)
    args.scenarios += [
        name.strip() for listed in args.scenario_lists for name in listed.split(",") if name.strip()
    ]
    unknown = [pattern for pattern in args.scenarios if not fnmatch.filter(names, pattern)]
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(names)}")
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    return args


def collect_meta(args: argparse.Namespace, tools: Mapping[str, Tool]) -> dict[str, Any]:
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.system()} {platform.machine()}",
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_before": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "runs": args.runs,
        "warmup": args.warmup,
        "timeout_s": args.timeout,
        "tools": {
            name: {"argv": tool.argv, "source": tool.source, "version": tool.version}
            for name, tool in tools.items()
        },
    }


def benchmark(
    args: argparse.Namespace, selected: Sequence[Scenario], root: Path
) -> tuple[list[ScenarioResult], dict[str, Any]]:
    tools = find_tools(args)
    envs = {name: tool_environment(root / "cache" / name, tools["python"]) for name in tools}
    # The tools the selected scenarios time, and the baseline (UV_PYTHON, the environments of
    # pdm and poetry): the others are neither probed nor reported.
    used = {"python"} | {name for s in selected for name in TOOLS if s.command.for_tool(name)}
    for name, tool in tools.items():
        if name not in used:
            continue
        tool.version = tool_version(tool, envs[name])
        state = "n/a" if tool.argv is None else " ".join(tool.argv) or "-"
        print(f"{name:>6}: {state} [{tool.source}] {tool.version}", file=sys.stderr)
    meta = collect_meta(args, {name: tool for name, tool in tools.items() if name in used})
    progress = sys.stderr.isatty()
    outcomes = []
    for scenario in selected:
        print(f"{scenario.name}: {scenario.description}", file=sys.stderr)
        work = root / "runs"
        outcomes.append(
            run_scenario(
                scenario, tools, envs, args.runs, args.warmup, work, args.timeout, progress
            )
        )
    if hasattr(os, "getloadavg"):
        meta["loadavg_after"] = list(os.getloadavg())
    return outcomes, meta


def self_test(outcomes: Sequence[ScenarioResult], meta: Mapping[str, Any]) -> list[str]:
    """Problems of the runner itself: the baseline and uv must work, all reports must render.
    puv failures are only reported (puv is what is being developed)."""
    problems: list[str] = []
    for outcome in outcomes:
        for name, result in outcome.results.items():
            where = f"{outcome.scenario.name}/{result.label}"
            if not result.available:
                if name == "python":
                    problems.append(f"{where}: the baseline interpreter is missing")
                continue
            if result.failure is not None:
                if name != "puv":
                    problems.append(f"{where}: {result.failure.summary()}")
            elif len(result.samples_ms) != meta["runs"]:
                problems.append(f"{where}: {len(result.samples_ms)} samples, not {meta['runs']}")
            elif not all(s > 0 for s in result.samples_ms):
                problems.append(f"{where}: non-positive timing {result.samples_ms}")
    render_text(outcomes, meta)
    render_markdown(outcomes, meta)
    data = to_json(outcomes, meta)
    if json.loads(json.dumps(data)) != data:
        problems.append("the JSON report does not round-trip")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        for scenario in SCENARIOS:
            print(f"{scenario.name:<22} {scenario.description}")
        return 0
    if args.self_test:
        args.runs, args.warmup = 1, 0
    selected = [
        s
        for s in SCENARIOS
        if not args.scenarios or any(fnmatch.fnmatchcase(s.name, p) for p in args.scenarios)
    ]
    root = Path(tempfile.mkdtemp(prefix="puv-bench-"))
    try:
        outcomes, meta = benchmark(args, selected, root)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print(render_markdown(outcomes, meta) if args.markdown else render_text(outcomes, meta))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(to_json(outcomes, meta), indent=2) + "\n")
        print(f"\nwrote {args.json}", file=sys.stderr)

    if args.self_test:
        problems = self_test(outcomes, meta)
        for problem in problems:
            print(f"self-test: {problem}", file=sys.stderr)
        print(f"self-test: {'FAILED' if problems else 'OK'}", file=sys.stderr)
        return 1 if problems else 0
    failed = any(r.failure is not None for o in outcomes for r in o.results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
