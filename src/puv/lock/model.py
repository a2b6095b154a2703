"""The `uv.lock` model: frozen, slotted, keyword-only dataclasses mirroring the file.

The model holds what the file holds, in the form the file holds it: markers are the strings uv
wrote (already simplified against `requires-python`), versions and specifiers are their text,
hashes are `"<algorithm>:<hex>"`. One difference: a dependency edge always knows the version
and source of its target; the file omits both when only one `[[package]]` has that name, and
the reader fills them in (the writer omits them again).

See `docs/lock.md` and `/work/shared/reference/uvlock-format.md` for the format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:
    from puv.core.marker_algebra import MarkerTree
    from puv.core.ranges import Ranges

__all__ = [
    "CURRENT_REVISION",
    "CURRENT_VERSION",
    "ConflictItem",
    "DependencyMetadata",
    "DirectorySource",
    "EditableSource",
    "GitSource",
    "Lock",
    "LockDependency",
    "LockManifest",
    "LockOptions",
    "LockPackage",
    "LockRequirement",
    "PackageMetadata",
    "PathSource",
    "RegistrySource",
    "RegistrySpecifier",
    "RelativeExcludeNewer",
    "RequirementSource",
    "Sdist",
    "Source",
    "UrlSource",
    "VirtualSource",
    "Wheel",
    "ZstdArtifact",
]

CURRENT_VERSION = 1
"""The schema version uv 0.13.8 writes; a higher one is refused."""

CURRENT_REVISION = 5
"""The backwards-compatible revision uv 0.13.8 writes."""


# Sources of a package (`source = { ... }`), in uv's sort order.


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrySource:
    """`{ registry = "https://.../simple" }`: an index URL, or a flat-index directory path."""

    registry: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GitSource:
    """`{ git = "https://...?rev=x#<commit>" }`: a repository, requested ref and locked commit."""

    git: str

    def parts(self) -> tuple[str, str | None, str | None, str | None]:
        """`https://host/repo?subdirectory=pkg&tag=v1#<commit>`: the repository, the
        requested revision, the subdirectory and the locked commit."""
        import urllib.parse

        location, _, commit = self.git.partition("#")
        base, _, query = location.partition("?")
        rev = subdirectory = None
        for key, value in urllib.parse.parse_qsl(query):
            if key == "subdirectory":
                subdirectory = value
            elif key in ("rev", "tag", "branch"):
                rev = value
        return base, rev, subdirectory, commit or None


@dataclass(frozen=True, slots=True, kw_only=True)
class UrlSource:
    """`{ url = "https://.../x.whl", subdirectory = "..." }`: a direct archive URL."""

    url: str
    subdirectory: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PathSource:
    """`{ path = "dist/x.whl" }`: a local wheel or sdist file."""

    path: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DirectorySource:
    """`{ directory = "libs/x" }`: a local project installed non-editable."""

    directory: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EditableSource:
    """`{ editable = "libs/x" }`: a local project installed editable (packaged members too)."""

    editable: str


@dataclass(frozen=True, slots=True, kw_only=True)
class VirtualSource:
    """`{ virtual = "." }`: a local project that is never built; only its dependencies count."""

    virtual: str


Source: TypeAlias = (
    RegistrySource
    | GitSource
    | UrlSource
    | PathSource
    | DirectorySource
    | EditableSource
    | VirtualSource
)


# Requirements as recorded in `requires-dist`, `requires-dev` and the manifest.


@dataclass(frozen=True, slots=True, kw_only=True)
class ConflictItem:
    """One member of a conflict set: a package, or one of its extras or groups."""

    package: str
    extra: str | None = None
    group: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrySpecifier:
    """The registry part of a requirement: `specifier`, `index`, `conflict` (all optional)."""

    specifier: str | None = None
    index: str | None = None
    conflict: ConflictItem | None = None


RequirementSource: TypeAlias = (
    RegistrySpecifier
    | GitSource
    | UrlSource
    | PathSource
    | DirectorySource
    | EditableSource
    | VirtualSource
)


@dataclass(frozen=True, slots=True, kw_only=True)
class LockRequirement:
    """A requirement as uv records it: `{ name, extras, groups, marker, <source part> }`."""

    name: str
    extras: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    marker: str | None = None
    source: RequirementSource = field(default_factory=RegistrySpecifier)


# Top-level tables.


@dataclass(frozen=True, slots=True, kw_only=True)
class RelativeExcludeNewer:
    """A relative per-package cutoff: `{ timestamp = "<placeholder>", span = "P1W" }`."""

    timestamp: str
    span: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LockOptions:
    """`[options]`: resolver options that differ from their defaults (None: the default).

    A relative global cutoff is `exclude_newer` (uv's placeholder timestamp) plus
    `exclude_newer_span`; a package's cutoff is a timestamp, `False` (disabled) or relative.
    """

    resolution_mode: str | None = None
    prerelease_mode: str | None = None
    fork_strategy: str | None = None
    exclude_newer: str | None = None
    exclude_newer_span: str | None = None
    prerelease_package: Mapping[str, str] = field(default_factory=dict)
    exclude_newer_package: Mapping[str, str | Literal[False] | RelativeExcludeNewer] = field(
        default_factory=dict
    )

    def is_default(self) -> bool:
        """Whether every option is the default (uv then writes no `[options]` table)."""
        return self == LockOptions()


@dataclass(frozen=True, slots=True, kw_only=True)
class DependencyMetadata:
    """One `[[manifest.dependency-metadata]]` entry (`tool.uv.dependency-metadata`)."""

    name: str
    version: str | None = None
    requires_dist: tuple[str, ...] = ()
    requires_python: str | None = None
    provides_extras: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LockManifest:
    """`[manifest]`: workspace-level inputs that no package's metadata shows."""

    members: tuple[str, ...] = ()
    requirements: tuple[LockRequirement, ...] = ()
    constraints: tuple[LockRequirement, ...] = ()
    overrides: tuple[LockRequirement, ...] = ()
    excludes: tuple[str, ...] = ()
    build_constraints: tuple[LockRequirement, ...] = ()
    dependency_groups: Mapping[str, tuple[LockRequirement, ...]] = field(default_factory=dict)
    dependency_metadata: tuple[DependencyMetadata, ...] = ()

    def is_empty(self) -> bool:
        """Whether uv would write no `[manifest]` table."""
        return not (
            self.members
            or self.requirements
            or self.constraints
            or self.overrides
            or self.excludes
            or self.build_constraints
            or self.dependency_groups
            or self.dependency_metadata
        )


# Packages.


@dataclass(frozen=True, slots=True, kw_only=True)
class LockDependency:
    """An edge to another `[[package]]`, with the extras it activates and its marker.

    `version` and `source` identify the target; the reader fills them in when the file omits
    them (a unique name). `version` is None only for a target with a dynamic version.
    """

    name: str
    version: str | None = None
    source: Source | None = None
    extra: tuple[str, ...] = ()
    marker: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ZstdArtifact:
    """The `zstd = { hash, size }` companion of a wheel, on indexes that offer one."""

    hash: str | None = None
    size: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Sdist:
    """`sdist = { url | path, hash, size, upload-time }`; no location for url/path sources."""

    url: str | None = None
    path: str | None = None
    hash: str | None = None
    size: int | None = None
    upload_time: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Wheel:
    """One `wheels` entry: exactly one of `url`, `path`, `filename`, then hash, size, time."""

    url: str | None = None
    path: str | None = None
    filename: str | None = None
    hash: str | None = None
    size: int | None = None
    upload_time: str | None = None
    zstd: ZstdArtifact | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageMetadata:
    """`[package.metadata]`: the declared requirements of a mutable (local or URL) package."""

    requires_dist: tuple[LockRequirement, ...] = ()
    provides_extras: tuple[str, ...] = ()
    requires_dev: Mapping[str, tuple[LockRequirement, ...]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """Whether uv would write no `[package.metadata]` table."""
        return not (self.requires_dist or self.provides_extras or self.requires_dev)


@dataclass(frozen=True, slots=True, kw_only=True)
class LockPackage:
    """One `[[package]]`: a locked distribution and its outgoing edges."""

    name: str
    version: str | None
    source: Source
    resolution_markers: tuple[str, ...] = ()
    dependencies: tuple[LockDependency, ...] = ()
    sdist: Sdist | None = None
    wheels: tuple[Wheel, ...] = ()
    optional_dependencies: Mapping[str, tuple[LockDependency, ...]] = field(default_factory=dict)
    dev_dependencies: Mapping[str, tuple[LockDependency, ...]] = field(default_factory=dict)
    metadata: PackageMetadata = field(default_factory=PackageMetadata)

    def fork_marker(self, requires_python: Ranges) -> MarkerTree:
        """Where this entry was chosen: the union of its `resolution-markers`, made whole
        again against the lock's `requires-python` (true when it has none)."""
        from puv.core.marker_algebra import FALSE, TRUE, MarkerTree

        if not self.resolution_markers:
            return TRUE
        forks = FALSE
        for text in self.resolution_markers:
            forks = forks | MarkerTree(text).complexify_python(requires_python)
        return forks


@dataclass(frozen=True, slots=True, kw_only=True)
class Lock:
    """A whole `uv.lock` file."""

    version: int = CURRENT_VERSION
    revision: int = CURRENT_REVISION
    requires_python: str
    resolution_markers: tuple[str, ...] = ()
    supported_markers: tuple[str, ...] = ()
    required_markers: tuple[str, ...] = ()
    conflicts: tuple[tuple[ConflictItem, ...], ...] = ()
    options: LockOptions = field(default_factory=LockOptions)
    manifest: LockManifest = field(default_factory=LockManifest)
    packages: tuple[LockPackage, ...] = ()

    def find(self, name: str) -> tuple[LockPackage, ...]:
        """Every `[[package]]` entry named `name` (already normalized, as the file has it)."""
        return tuple(package for package in self.packages if package.name == name)


def location_filename(location: str) -> str:
    """The file name a lock's `url` or `path` ends with (fragment dropped, unquoted)."""
    import urllib.parse

    return urllib.parse.unquote(location.partition("#")[0].rstrip("/").rsplit("/", 1)[-1])
