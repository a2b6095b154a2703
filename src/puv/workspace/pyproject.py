"""The read model of a project's `pyproject.toml` (pure, given the file's contents).

Later layers (sources, dependency groups, workspaces) extend this model; for now it knows the
fields interpreter selection needs: the project's name and `requires-python`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from puv.errors import SettingsError
from puv.settings.files import read_toml

__all__ = ["PyProject", "find_project", "read_pyproject"]


@dataclass(frozen=True)
class PyProject:
    path: Path
    name: str | None
    requires_python: SpecifierSet | None
    data: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.parent


def read_pyproject(path: Path) -> PyProject:
    """Parse `path`; broken TOML or a bad `requires-python` is a `SettingsError`."""
    data, _text = read_toml(path)
    project = data.get("project")
    if project is not None and not isinstance(project, dict):
        raise SettingsError(f"Invalid `project` in `{path}`: expected a table")
    project = project or {}
    name = project.get("name")
    raw = project.get("requires-python")
    requires_python = None
    if raw is not None:
        if not isinstance(raw, str):
            raise SettingsError(f"Invalid `project.requires-python` in `{path}`: expected a "
                                "string such as \">=3.12\"")
        try:
            requires_python = SpecifierSet(raw)
        except InvalidSpecifier:
            raise SettingsError(
                f"Invalid `project.requires-python` in `{path}`: `{raw}` is not a version "
                "specifier",
                hint='write a PEP 440 specifier, for example `requires-python = ">=3.12"`',
            ) from None
    return PyProject(path, name if isinstance(name, str) else None, requires_python, data)


def find_project(start: Path) -> PyProject | None:
    """The nearest `pyproject.toml` at or above `start`, read."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return read_pyproject(candidate)
    return None
