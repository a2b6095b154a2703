"""Metadata without a build, and the cache key of a local source tree.

- `pkg_info_metadata`: an sdist's `PKG-INFO`, trusted when it is Metadata-Version 2.2 or newer
  and marks none of `Requires-Dist`, `Requires-Python`, `Provides-Extra` as `Dynamic`
  (PEP 643), as uv does;
- `pyproject_metadata`: the `[project]` table (PEP 621), when its name and version are given
  and neither `version`, `dependencies`, `optional-dependencies` nor `requires-python` is
  dynamic;
- `DeclaredMetadata`: `[[tool.uv.dependency-metadata]]` entries, used instead of building;
- `tree_key`: what decides whether a local tree's cached build is still good: the
  modification times of `pyproject.toml`, `setup.py` and `setup.cfg`, as uv does by default,
  or what the project's `[tool.uv] cache-keys` lists (files by glob, directories,
  environment variables, the Git commit).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from puv.core.metadata import CoreMetadata, parse_metadata
from puv.errors import MetadataError, SettingsError

__all__ = [
    "DeclaredMetadata",
    "find_declared",
    "parse_declared",
    "pkg_info_metadata",
    "pyproject_metadata",
    "tree_key",
]

_DYNAMIC_FOR_RESOLUTION = {"requires-dist", "requires-python", "provides-extra"}


def pkg_info_metadata(data: bytes, *, source: str) -> CoreMetadata | None:
    """`PKG-INFO` as metadata a resolver can trust, or `None` (too old, or dynamic)."""
    metadata = parse_metadata(data, source=source)
    version = tuple(int(p) for p in metadata.metadata_version.split(".")[:2] if p.isdigit())
    if version < (2, 2):
        return None
    if _DYNAMIC_FOR_RESOLUTION & set(metadata.dynamic):
        return None
    return metadata


def pyproject_metadata(project: Mapping[str, Any] | None, *, source: str
                       ) -> CoreMetadata | None:
    """The static `[project]` table as metadata, or `None` when a build must say."""
    if not project:
        return None
    dynamic = project.get("dynamic", [])
    if not isinstance(dynamic, list):
        return None
    dynamic = {str(d) for d in dynamic}
    if dynamic & {"version", "dependencies", "optional-dependencies", "requires-python",
                  "name"}:
        return None
    name = project.get("name")
    version_text = project.get("version")
    if not isinstance(name, str) or not isinstance(version_text, str):
        return None
    try:
        version = Version(version_text)
    except InvalidVersion:
        raise MetadataError(f"The `pyproject.toml` of `{source}` has an invalid version "
                            f"`{version_text}`") from None
    requires: list[Requirement] = []
    for text in _strings(project.get("dependencies", []), "dependencies", source):
        requires.append(_requirement(text, source))
    extras: list[NormalizedName] = []
    optional = project.get("optional-dependencies", {})
    if not isinstance(optional, dict):
        raise MetadataError(f"The `pyproject.toml` of `{source}` has an invalid "
                            "`project.optional-dependencies`: expected a table")
    for extra, values in optional.items():
        normalized = canonicalize_name(extra)
        extras.append(normalized)
        for text in _strings(values, f"optional-dependencies.{extra}", source):
            requirement = _requirement(text, source)
            condition = f'extra == "{normalized}"'
            requirement.marker = Marker(f"({requirement.marker}) and {condition}"
                                        if requirement.marker is not None else condition)
            requires.append(requirement)
    requires_python = None
    raw = project.get("requires-python")
    if raw is not None:
        try:
            requires_python = SpecifierSet(str(raw))
        except InvalidSpecifier:
            raise MetadataError(f"The `pyproject.toml` of `{source}` has an invalid "
                                f"`requires-python`: `{raw}`") from None
    return CoreMetadata(name=canonicalize_name(name), version=version,
                        requires_dist=tuple(requires), requires_python=requires_python,
                        provides_extra=tuple(extras), metadata_version="2.3")


def _strings(value: object, key: str, source: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MetadataError(f"The `pyproject.toml` of `{source}` has an invalid "
                            f"`project.{key}`: expected a list of requirement strings")
    return list(value)


def _requirement(text: str, source: str) -> Requirement:
    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        raise MetadataError(f"The `pyproject.toml` of `{source}` has an invalid requirement "
                            f"`{text}`: {exc}") from None


@dataclass(frozen=True, kw_only=True)
class DeclaredMetadata:
    """One `[[tool.uv.dependency-metadata]]` entry. Without `version` it applies to every
    version of the package whose version is known otherwise."""

    name: NormalizedName
    version: Version | None = None
    requires_dist: tuple[str, ...] = ()
    requires_python: str | None = None
    provides_extra: tuple[str, ...] = ()

    def metadata(self, version: Version) -> CoreMetadata:
        return CoreMetadata(
            name=self.name, version=version,
            requires_dist=tuple(Requirement(r) for r in self.requires_dist),
            requires_python=SpecifierSet(self.requires_python) if self.requires_python
            else None,
            provides_extra=tuple(canonicalize_name(e) for e in self.provides_extra),
            metadata_version="2.3")


def parse_declared(entries: Sequence[Mapping[str, Any]]) -> tuple[DeclaredMetadata, ...]:
    """`dependency-metadata` tables (from `Settings.options`), checked: an invalid entry is a
    `SettingsError` naming it."""
    declared = []
    for i, entry in enumerate(entries):
        where = f"`dependency-metadata[{i}]`"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise SettingsError(f"Invalid {where}: every entry needs a `name`")
        version = None
        if entry.get("version") is not None:
            try:
                version = Version(str(entry["version"]))
            except InvalidVersion:
                raise SettingsError(f"Invalid {where}: `version` `{entry['version']}` is not a "
                                    "version") from None
        requires = entry.get("requires-dist", [])
        extras = entry.get("provides-extras", entry.get("provides-extra", []))
        for key, value in (("requires-dist", requires), ("provides-extras", extras)):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise SettingsError(f"Invalid {where}: `{key}` must be a list of strings")
        for text in requires:
            try:
                Requirement(text)
            except InvalidRequirement as exc:
                raise SettingsError(f"Invalid {where}: `requires-dist` has an invalid "
                                    f"requirement `{text}`: {exc}") from None
        requires_python = entry.get("requires-python")
        if requires_python is not None:
            try:
                SpecifierSet(str(requires_python))
            except InvalidSpecifier:
                raise SettingsError(f"Invalid {where}: `requires-python` `{requires_python}` "
                                    "is not a version specifier") from None
        declared.append(DeclaredMetadata(
            name=canonicalize_name(entry["name"]), version=version,
            requires_dist=tuple(requires),
            requires_python=str(requires_python) if requires_python is not None else None,
            provides_extra=tuple(extras)))
    return tuple(declared)


def find_declared(declared: Sequence[DeclaredMetadata], name: str | None,
                  version: Version | None) -> CoreMetadata | None:
    """The declared metadata of `name` `version` (either may be unknown), or `None`."""
    if name is None:
        return None
    wanted = canonicalize_name(name)
    for entry in declared:
        if entry.name != wanted:
            continue
        if entry.version is not None and version is not None and entry.version != version:
            continue
        chosen = entry.version or version
        if chosen is None:
            continue  # a URL or path dependency needs the version declared
        return entry.metadata(chosen)
    return None


_DEFAULT_KEYS = ("pyproject.toml", "setup.py", "setup.cfg")


def _stamp(path: str) -> list[object] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size]


def _git_commit(tree: str) -> str | None:
    import subprocess

    try:
        proc = subprocess.run(["git", "rev-parse", "HEAD"], cwd=tree, capture_output=True,
                              text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def tree_key(tree: str, cache_keys: Sequence[Any] | None = None,
             environ: Mapping[str, str] | None = None) -> str:
    """A digest of what decides whether the tree's cached build is still good (see the
    module docstring). `cache_keys`: the project's `tool.uv.cache-keys` (default: the three
    files)."""
    import glob

    environ = os.environ if environ is None else environ
    parts: list[object] = []
    entries = list(cache_keys) if cache_keys is not None else [{"file": f} for f in
                                                             _DEFAULT_KEYS]
    for entry in entries:
        if isinstance(entry, str):
            entry = {"file": entry}
        if not isinstance(entry, Mapping):
            continue
        if "file" in entry:
            pattern = str(entry["file"])
            for path in sorted(glob.glob(os.path.join(glob.escape(tree), pattern),
                                         recursive=True)):
                parts.append(["file", os.path.relpath(path, tree), _stamp(path)])
        elif "dir" in entry:
            path = os.path.join(tree, str(entry["dir"]))
            parts.append(["dir", str(entry["dir"]), _stamp(path)])
        elif "env" in entry:
            parts.append(["env", str(entry["env"]), environ.get(str(entry["env"]))])
        elif "git" in entry:
            parts.append(["git", _git_commit(tree)])
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]
