"""A source tree's build system: `[build-system]` of its `pyproject.toml` (PEP 517, 518).

- `[build-system]` with `build-backend`: that backend, its `requires`, its `backend-path`;
- `[build-system]` without `build-backend`: the legacy setuptools backend
  (`setuptools.build_meta:__legacy__`) with the declared `requires`, as pip and uv do;
- no `[build-system]`, or no `pyproject.toml` but a `setup.py`: the legacy backend with
  `setuptools>=40.8.0`;
- neither `pyproject.toml` nor `setup.py`: not a Python project (uv's words).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from puv.build.errors import BuildError
from puv.errors import SettingsError

__all__ = ["LEGACY_BACKEND", "LEGACY_REQUIRES", "BuildSystem", "read_build_system",
           "read_pyproject_data"]

LEGACY_BACKEND = "setuptools.build_meta:__legacy__"
LEGACY_REQUIRES = ("setuptools>=40.8.0",)


@dataclass(frozen=True, kw_only=True)
class BuildSystem:
    """How to build one source tree."""

    backend: str  # `module` or `module:object`
    requires: tuple[str, ...]  # PEP 508 strings, as written
    backend_path: tuple[str, ...] | None = None  # relative to the tree (checked later)
    legacy: bool = False  # the setuptools fallback (no `build-backend` declared)
    project: Mapping[str, Any] | None = field(default=None, compare=False)  # `[project]`

    @property
    def is_setuptools(self) -> bool:
        return self.backend.split(":")[0] == "setuptools.build_meta"

    @property
    def dynamic(self) -> tuple[str, ...]:
        """`project.dynamic` (empty without a `[project]` table)."""
        if not self.project:
            return ()
        value = self.project.get("dynamic", ())
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def read_pyproject_data(tree: str) -> dict[str, Any] | None:
    """The parsed `pyproject.toml` of `tree`, or `None` when there is none. Broken TOML is a
    `BuildError` naming the file, line and column."""
    from puv.settings.files import read_toml

    path = os.path.join(tree, "pyproject.toml")
    if not os.path.isfile(path):
        return None
    try:
        data, _text = read_toml(path)
    except SettingsError as exc:
        raise BuildError(f"Invalid `pyproject.toml` at `{path}`: {exc.message}",
                         hint=exc.hint) from None
    return data


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def read_build_system(tree: str) -> BuildSystem:
    """The build system of the source tree at `tree` (see the module docstring)."""
    data = read_pyproject_data(tree)
    if data is None:
        if not os.path.isfile(os.path.join(tree, "setup.py")):
            raise BuildError(f"`{tree}` does not appear to be a Python project, as neither "
                             "`pyproject.toml` nor `setup.py` are present in the directory")
        return BuildSystem(backend=LEGACY_BACKEND, requires=LEGACY_REQUIRES, legacy=True)
    path = os.path.join(tree, "pyproject.toml")
    project = data.get("project")
    if project is not None and not isinstance(project, dict):
        raise BuildError(f"Invalid `pyproject.toml` at `{path}`: `project` must be a table")
    system = data.get("build-system")
    if system is None:
        return BuildSystem(backend=LEGACY_BACKEND, requires=LEGACY_REQUIRES, legacy=True,
                           project=project)
    if not isinstance(system, dict):
        raise BuildError(f"Invalid `pyproject.toml` at `{path}`: `build-system` must be a "
                         "table")
    requires = system.get("requires")
    if not _strings(requires):
        raise BuildError(f"Invalid `pyproject.toml` at `{path}`: `build-system.requires` "
                         "must be a list of requirement strings"
                         + (" (it is missing)" if requires is None else ""))
    assert isinstance(requires, list)
    from packaging.requirements import InvalidRequirement, Requirement

    for text in requires:
        try:
            Requirement(text)
        except InvalidRequirement as exc:
            raise BuildError(f"Invalid `pyproject.toml` at `{path}`: `build-system.requires` "
                             f"has an invalid requirement `{text}`: {exc}") from None
    backend = system.get("build-backend")
    if backend is not None and (not isinstance(backend, str) or not backend.strip()):
        raise BuildError(f"Invalid `pyproject.toml` at `{path}`: `build-system.build-backend` "
                         "must be a string such as `setuptools.build_meta`")
    backend_path = system.get("backend-path")
    if backend_path == ".":  # flit_core 2.3 writes a bare string; uv accepts exactly this one
        backend_path = ["."]
    if backend_path is not None and not _strings(backend_path):
        raise BuildError(f"Invalid `pyproject.toml` at `{path}`: `build-system.backend-path` "
                         "must be a list of directories")
    return BuildSystem(
        backend=backend.strip() if backend else LEGACY_BACKEND,
        requires=tuple(requires),
        backend_path=tuple(backend_path) if backend_path is not None else None,
        legacy=backend is None,
        project=project,
    )
