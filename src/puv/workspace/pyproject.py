"""The read model of a project's `pyproject.toml` (pure, given the file's contents).

Later layers (sources, dependency groups, workspaces) extend this model; for now it knows the
fields interpreter selection needs: the project's name and `requires-python`.
"""

from __future__ import annotations

import os

from puv.errors import SettingsError
from puv.fs import ancestors
from puv.settings.files import read_toml

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from typing import Any

    from _typeshed import StrPath

__all__ = ["PyProject", "checked_requires_python", "find_project", "read_pyproject"]


class PyProject:
    """A parsed `pyproject.toml`. `requires_python` is the raw specifier text: check it with
    `checked_requires_python` where it is used (that needs `packaging`, which reading a
    project on the start-up path must not import)."""

    __slots__ = ("data", "name", "path", "requires_python")

    def __init__(self, path: str, name: str | None, requires_python: str | None,
                 data: dict[str, Any]) -> None:
        self.path = path
        self.name = name
        self.requires_python = requires_python
        self.data = data

    @property
    def root(self) -> str:
        return os.path.dirname(self.path) or "."


def read_pyproject(path: StrPath) -> PyProject:
    """Parse `path`; broken TOML or a bad `requires-python` is a `SettingsError`."""
    path = os.fspath(path)
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
        requires_python = raw
    return PyProject(path, name if isinstance(name, str) else None, requires_python, data)


def checked_requires_python(project: PyProject) -> str | None:
    """The project's `requires-python`, validated; an invalid one names the file."""
    raw = project.requires_python
    if raw is None:
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(raw)
    except InvalidSpecifier:
        raise SettingsError(
            f"Invalid `project.requires-python` in `{project.path}`: `{raw}` is not a version "
            "specifier",
            hint='write a PEP 440 specifier, for example `requires-python = ">=3.12"`',
        ) from None
    return raw


def find_project(start: StrPath) -> PyProject | None:
    """The nearest `pyproject.toml` at or above `start`, read."""
    for directory in ancestors(os.fspath(start)):
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            return read_pyproject(candidate)
    return None
