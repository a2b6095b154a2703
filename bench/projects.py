"""The project of the project scenarios (lock-*, sync-*, run-overhead), written for each tool.

Every tool gets the same `[project]` table: the requirements of a `.in` file (trio's) as
`dependencies`, `requires-python = ">=3.12"` (what `uv init --python 3.12` writes, as uv's own
benchmark of projects does), no `[build-system]`, so that no tool builds or installs the project
itself, only its dependencies. What differs is each tool's own way of saying so and of reaching
the index:

- puv, uv: nothing more (a project without a build system is not installed);
- pdm: `[tool.pdm] distribution = false`;
- poetry: `[tool.poetry] package-mode = false` and the index as a `[[tool.poetry.source]]`
  (`priority = "primary"`): poetry's built-in PyPI repository reads PyPI's JSON API
  (`/simple/` as `application/vnd.pypi.simple.v1+json` and `/pypi/NAME/VERSION/json`), which a
  caching proxy may not serve; the simple HTML pages are what every other tool reads.

The lock file each tool writes is `LOCKFILES[tool]`; a scenario that starts from a lock copies
the one the tool wrote in its untimed `once` step (`from_lock`), so every run syncs from the
same lock.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

REQUIRES_PYTHON = ">=3.12"
PROJECT_NAME = "bench-project"

LOCKFILES = {"puv": "uv.lock", "uv": "uv.lock", "pdm": "pdm.lock", "poetry": "poetry.lock"}

DEFAULT_INDEX = "https://pypi.org/simple"


def requirements_of(path: Path) -> list[str]:
    """The requirements of a `.in` file: one per line, comments and blank lines dropped."""
    found = []
    for line in path.read_text().splitlines():
        text = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if text:
            found.append(text)
    return found


def index_url() -> str:
    """The index uv and puv use when told nothing else (`UV_DEFAULT_INDEX`, else
    `UV_INDEX_URL`, else PyPI), so that poetry's source points at the same one."""
    return os.environ.get("UV_DEFAULT_INDEX") or os.environ.get("UV_INDEX_URL") or DEFAULT_INDEX


def pyproject_text(tool: str, requirements: list[str]) -> str:
    """`pyproject.toml` for one tool (see the module's docstring)."""
    dependencies = "".join(f"    {json.dumps(r)},\n" for r in requirements)
    text = (
        "[project]\n"
        f'name = "{PROJECT_NAME}"\n'
        'version = "0.1.0"\n'
        f"requires-python = {json.dumps(REQUIRES_PYTHON)}\n"
        f"dependencies = [\n{dependencies}]\n"
    )
    if tool == "pdm":
        text += "\n[tool.pdm]\ndistribution = false\n"
    elif tool == "poetry":
        text += (
            "\n[tool.poetry]\npackage-mode = false\n"
            "\n[[tool.poetry.source]]\n"
            'name = "index"\n'
            f"url = {json.dumps(index_url())}\n"
            'priority = "primary"\n'
        )
    return text


def write_project(requirements: Path) -> Callable[[Path, str], None]:
    """A scenario's `setup`: write the tool's `pyproject.toml` in the directory."""
    listed = requirements_of(requirements)

    def setup(directory: Path, tool: str) -> None:
        (directory / "pyproject.toml").write_text(pyproject_text(tool, listed))

    return setup


def from_lock(requirements: Path, once: Callable[[Path], Path]) -> Callable[[Path, str], None]:
    """A scenario's `setup`: the project, and the lock the tool wrote in its `once` directory
    (`once(directory)`); the `once` directory itself only gets the project, and so does the
    baseline (no lock of its own)."""
    write = write_project(requirements)

    def setup(directory: Path, tool: str) -> None:
        write(directory, tool)
        source = once(directory)
        if tool in LOCKFILES and source != directory:
            shutil.copy2(source / LOCKFILES[tool], directory / LOCKFILES[tool])

    return setup
