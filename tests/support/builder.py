"""Build real wheels and sdists from a short declarative description of packages.

A description maps project names to versions, and each version to a dict of options (all
optional; ``{}`` or ``None`` means a plain pure-Python wheel)::

    description = {
        "a": {
            "1.0.0": {
                "requires": ["b>=1", "c; sys_platform == 'win32'"],
                "requires_python": ">=3.8",
                "extras": {"x": ["d[y]>=2"]},
                "wheel_tags": ["py3-none-any"],      # one wheel file per tag string
                "yanked": False,                     # or a reason string
                "sdist": True, "wheel": True,
                "files": {"a/extra.txt": "hi"},      # extra files (may replace a/__init__.py)
                "entry_points": {"console_scripts": {"a-cli": "a:main"}},
                "build_requires": [],                # returned by get_requires_for_build_wheel
                "upload_time": "2024-01-01T00:00:00Z",
            },
            "2.0.0": {"sdist": True, "wheel": False},
        },
        "b": ["1.0", "2.0"],                         # shorthand: versions with default options
    }
    built = build_description(description, tmp_path)   # -> list[BuiltFile]

The same structure can be written as TOML (``[a."1.0.0"]`` tables) and read with
:func:`load_description`.  Wheels and sdists are written by ``_backend.py`` (the in-tree build
backend every sdist ships), so an sdist built by a frontend yields the same metadata as the
published wheel.  Output is deterministic: equal descriptions give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from . import _backend

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the stdlib module's backport, a puv dependency on 3.10
    import tomli as tomllib

Description = Mapping[str, Any]

DEFAULT_UPLOAD_TIME = "2024-01-01T00:00:00Z"
DEFAULT_WHEEL_TAGS = ("py3-none-any",)
VERSION_KEYS = frozenset(
    {
        "requires",
        "requires_python",
        "extras",
        "wheel_tags",
        "yanked",
        "sdist",
        "wheel",
        "files",
        "entry_points",
        "build_requires",
        "upload_time",
    }
)


@dataclass(frozen=True)
class BuiltFile:
    """One built distribution file, with what an index needs to publish it."""

    name: str  # the project name as written in the description
    version: str  # normalized (``str(Version(...))``)
    filename: str
    path: Path
    sha256: str  # hex digest of the file
    size: int
    requires_python: str | None
    yanked: bool | str  # False, True, or the reason
    metadata: bytes  # core metadata: the wheel's METADATA, or the sdist's PKG-INFO
    upload_time: str  # ISO 8601, UTC, ``Z`` suffix
    kind: str  # "wheel" or "sdist"

    @property
    def project(self) -> str:
        """The normalized project name."""
        return canonicalize_name(self.name)

    @property
    def metadata_sha256(self) -> str:
        return hashlib.sha256(self.metadata).hexdigest()


@dataclass(frozen=True)
class Release:
    """One version of one project, validated and ready to build."""

    config: dict[str, Any]  # the ``_backend.json`` of the project
    files: dict[str, bytes]  # the project's own files (relative path -> content)
    wheel_tags: tuple[str, ...]
    wheel: bool
    sdist: bool
    yanked: bool | str
    upload_time: str

    @property
    def name(self) -> str:
        return str(self.config["name"])

    @property
    def version(self) -> str:
        return str(self.config["version"])


def load_description(text: str) -> dict[str, Any]:
    """Read a description written as TOML (``[a."1.0.0"]`` tables, or ``a = ["1.0"]``)."""
    return tomllib.loads(text)


def description_hash(description: Description) -> str:
    """A stable key for a description, for caching builds."""
    text = json.dumps(description, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def module_name(project: str) -> str:
    """The import name of a project's package: ``My.Project`` -> ``my_project``."""
    return canonicalize_name(project).replace("-", "_")


def iter_releases(description: Description) -> Iterator[Release]:
    """Validate a description and yield its releases, in description order."""
    projects: dict[str, str] = {}
    for name, versions in description.items():
        project = canonicalize_name(name)
        if project in projects:
            raise ValueError(f"{name!r} and {projects[project]!r} are the same project")
        projects[project] = name
        if isinstance(versions, (list, tuple)):
            versions = dict.fromkeys(versions)
        if not isinstance(versions, Mapping):
            raise TypeError(f"{name}: expected a mapping of versions, got {versions!r}")
        seen: dict[Version, str] = {}
        for version, spec in versions.items():
            parsed = Version(str(version))
            if parsed in seen:
                raise ValueError(f"{name}: versions {version!r} and {seen[parsed]!r} are equal")
            seen[parsed] = str(version)
            yield parse_release(name, str(version), spec or {})


def parse_release(name: str, version: str, spec: Mapping[str, Any]) -> Release:
    """Check one version's options, filling in the defaults."""
    where = f"{name} {version}"
    unknown = set(spec) - VERSION_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    normalized_version = str(Version(version))
    requires_python = spec.get("requires_python")
    if requires_python is not None:
        requires_python = str(requires_python).strip()
        SpecifierSet(requires_python)  # validates

    extras: dict[str, list[str]] = {}
    for extra, requirements in dict(spec.get("extras", {})).items():
        normalized = canonicalize_name(extra, validate=True)
        if normalized in extras:
            raise ValueError(f"{where}: extra {extra!r} is given twice")
        extras[normalized] = _requirements(requirements, where)

    entry_points: dict[str, dict[str, str]] = {}
    for group, entries in dict(spec.get("entry_points", {})).items():
        entry_points[str(group)] = {str(k): str(v) for k, v in dict(entries).items()}

    files = {f"{module_name(name)}/__init__.py": f'__version__ = "{normalized_version}"\n'.encode()}
    for path, content in dict(spec.get("files", {})).items():
        files[_relative_path(path, where)] = (
            content.encode() if isinstance(content, str) else bytes(content)
        )

    tags = spec.get("wheel_tags", DEFAULT_WHEEL_TAGS)
    tags = (tags,) if isinstance(tags, str) else tuple(tags)
    for tag in tags:
        _backend.split_tag(tag)

    yanked = spec.get("yanked", False)
    if not isinstance(yanked, (bool, str)):
        raise TypeError(f"{where}: yanked must be a bool or a reason string")

    config: dict[str, Any] = {
        "name": name,
        "version": normalized_version,
        "requires": _requirements(spec.get("requires", []), where),
        "extras": extras,
        "requires_python": requires_python,
        "entry_points": entry_points,
        "build_requires": _requirements(spec.get("build_requires", []), where),
        "files": sorted(files),
    }
    return Release(
        config=config,
        files=files,
        wheel_tags=tags,
        wheel=bool(spec.get("wheel", True)),
        sdist=bool(spec.get("sdist", False)),
        yanked=yanked,
        upload_time=format_upload_time(spec.get("upload_time", DEFAULT_UPLOAD_TIME)),
    )


def build_release(release: Release, directory: Path) -> list[BuiltFile]:
    """Write the release's wheels (one per tag string) and sdist into ``directory``."""
    config = release.config
    metadata = _backend.render_metadata(config).encode()
    outputs: list[tuple[str, str, bytes]] = []
    if release.wheel:
        for tag in release.wheel_tags:
            data = _backend.wheel_bytes(config, release.files, tag)
            outputs.append(("wheel", _backend.wheel_filename(config, tag), data))
    if release.sdist:
        tree = _backend.source_tree(config, release.files)
        data = _backend.sdist_bytes(config, tree)
        outputs.append(("sdist", _backend.sdist_basename(config) + ".tar.gz", data))

    built = []
    for kind, filename, data in outputs:
        path = directory / filename
        path.write_bytes(data)
        built.append(
            BuiltFile(
                name=release.name,
                version=release.version,
                filename=filename,
                path=path,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                requires_python=config["requires_python"],
                yanked=release.yanked,
                metadata=metadata,
                upload_time=release.upload_time,
                kind=kind,
            )
        )
    return built


def build_description(description: Description | str, directory: Path) -> list[BuiltFile]:
    """Build every file of a description (a mapping, or TOML text) into ``directory``."""
    if isinstance(description, str):
        description = load_description(description)
    directory.mkdir(parents=True, exist_ok=True)
    built: list[BuiltFile] = []
    for release in iter_releases(description):
        built.extend(build_release(release, directory))
    return built


class BuildCache:
    """Builds descriptions into subdirectories of ``root``, once per distinct description."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._built: dict[str, list[BuiltFile]] = {}
        self._lock = threading.Lock()

    def build(self, description: Description | str) -> list[BuiltFile]:
        if isinstance(description, str):
            description = load_description(description)
        key = description_hash(description)
        with self._lock:
            if key not in self._built:
                self._built[key] = build_description(description, self.root / key[:20])
            return list(self._built[key])


def parse_upload_time(value: str | date) -> datetime:
    """An upload time (ISO 8601 string, date or datetime; naive means UTC) as a UTC datetime."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        text = re.sub(r"[Zz]$", "+00:00", str(value).strip())
        # Python 3.10's fromisoformat takes exactly 6 fraction digits.
        text = re.sub(r"\.(\d+)", lambda m: "." + m.group(1)[:6].ljust(6, "0"), text)
        moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def format_upload_time(value: str | date) -> str:
    """Normalize an upload time to ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``."""
    moment = parse_upload_time(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%S" + (".%f" if moment.microsecond else "") + "Z")


def _requirements(values: Any, where: str) -> list[str]:
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise TypeError(f"{where}: expected a list of requirements, got {values!r}")
    return [str(Requirement(value)) for value in values]


def _relative_path(path: str, where: str) -> str:
    posix = PurePosixPath(str(path).replace("\\", "/"))
    if posix.is_absolute() or ".." in posix.parts or not posix.parts:
        raise ValueError(f"{where}: file path {path!r} must be relative and inside the wheel")
    return posix.as_posix()
