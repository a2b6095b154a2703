"""What the solver chooses versions for: a `Package`.

A package is one of

- the **root**: the user's requirements (or a project's), decided first at a dummy version;
- a **name**: a distribution on an index (`requests`);
- an **extra**, a *virtual* package `name[extra]` tied to its base: a requirement on
  `name[extra]` is a requirement on both `name` and the extra's own requirements at one version,
  so two extras of one package always get one version between them. Inside the solver a
  requirement on `name[extra]` goes through a *proxy* (as in uv): the proxy at `v` depends on
  `name==v` and on the extra `name[extra]==v`, whose dependencies are the extra's requirements.
  Providers never see proxies;
- a **group**, `name:group`: a project's dependency group (PEP 735) when a project is locked;
  at the project's version, depending on the group's requirements (not on the project);
- **Python**: a virtual package with a single version, the interpreter's (`installed`) or the one
  resolved for (`target`). A release whose `Requires-Python` excludes it depends on
  `Python>=3.10`, and the report explains it as uv does ("the current Python version (3.9.18)
  does not satisfy Python>=3.10").

`marker` is reserved for universal resolution: a fork resolves the same requirements with a
narrowed environment, and packages may one day carry the marker of the fork that introduced them
(`a{sys_platform == 'linux'}`). Nothing sets it yet; it only shows in the package's name.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Package", "PackageKind", "PythonKind"]


class PackageKind(enum.IntEnum):
    """The sort of package, in the order uv lists packages of a conflict."""

    ROOT = 0
    PYTHON = 1
    NAME = 2
    EXTRA = 3
    PROXY = 4  # the solver's stand-in for a requirement on an extra (see the module docstring)
    GROUP = 5  # a project's dependency group, `name:group` (universal resolution of projects)


class PythonKind(enum.Enum):
    """Which interpreter a `Python` package stands for."""

    INSTALLED = "installed"  # the environment's interpreter ("the current Python version")
    TARGET = "target"  # the version resolved for ("the requested Python version")


@dataclass(frozen=True, slots=True)
class Package:
    """A package identity: hashable, ordered as uv orders them in reports (root, Python, then
    by name with `a` before `a[x]` before `b`). Build one with the class methods."""

    kind: PackageKind
    name: str = ""  # canonical (PEP 503) for names and extras; a project name for a root
    extra: str = ""  # for extras: the canonical extra name
    python: PythonKind | None = None
    marker: str = ""  # reserved for forks (see the module docstring)
    group: str = ""  # for groups: the canonical group name

    @classmethod
    def root(cls, name: str = "") -> Package:
        """The root; `name` is the project being resolved, if any ("your project requires")."""
        return cls(PackageKind.ROOT, name)

    @classmethod
    def named(cls, name: str) -> Package:
        """A distribution, by its canonical name."""
        return cls(PackageKind.NAME, name)

    @classmethod
    def with_extra(cls, name: str, extra: str) -> Package:
        """The virtual package `name[extra]`."""
        return cls(PackageKind.EXTRA, name, extra)

    @classmethod
    def with_group(cls, name: str, group: str) -> Package:
        """The virtual package `name:group` (a project's dependency group)."""
        return cls(PackageKind.GROUP, name, group=group)

    @classmethod
    def extra_proxy(cls, name: str, extra: str) -> Package:
        """The solver's proxy for a requirement on `name[extra]`."""
        return cls(PackageKind.PROXY, name, extra)

    @classmethod
    def python_package(cls, kind: PythonKind = PythonKind.TARGET) -> Package:
        """The virtual `Python` package."""
        return cls(PackageKind.PYTHON, python=kind)

    @property
    def is_root(self) -> bool:
        return self.kind is PackageKind.ROOT

    @property
    def is_python(self) -> bool:
        return self.kind is PackageKind.PYTHON

    @property
    def base(self) -> Package | None:
        """For `name[extra]` (or its proxy), the package `name`; otherwise `None`."""
        if self.kind in (PackageKind.EXTRA, PackageKind.PROXY):
            return Package(PackageKind.NAME, self.name, marker=self.marker)
        return None

    @property
    def is_proxy(self) -> bool:
        return self.kind is PackageKind.PROXY

    def public(self) -> Package:
        """What providers and callers see: a proxy is the extra it stands for."""
        if self.kind is PackageKind.PROXY:
            return Package(PackageKind.EXTRA, self.name, self.extra, marker=self.marker)
        return self

    @property
    def distribution(self) -> str | None:
        """The distribution name this package stands for (`a` for `a[x]`); `None` for the root
        and Python."""
        if self.kind in (PackageKind.NAME, PackageKind.EXTRA, PackageKind.PROXY,
                         PackageKind.GROUP):
            return self.name
        return None

    def sort_key(self) -> tuple[int, str, str, str, str]:
        rank = {PackageKind.EXTRA: 2, PackageKind.PROXY: 3, PackageKind.GROUP: 2}.get(
            self.kind, int(self.kind))
        return (rank, self.name, self.extra, self.group, self.marker)

    def __lt__(self, other: Package) -> bool:
        return self.sort_key() < other.sort_key()

    def __str__(self) -> str:
        if self.kind is PackageKind.ROOT:
            return self.name or "root"
        if self.kind is PackageKind.PYTHON:
            return "Python"
        if self.kind is PackageKind.GROUP:
            text = f"{self.name}:{self.group}"
        else:
            text = f"{self.name}[{self.extra}]" if self.extra else self.name
        return f"{text}{{{self.marker}}}" if self.marker else text
