"""Read `uv.lock` text into the model, with errors that name the key path that failed.

`read_lock(text)` parses TOML with `tomllib` (`tomli` before Python 3.11) and validates every
value against the format uv 0.13.8 writes. Errors are `LockError`s whose message names the key
path (`package[3].wheels[0].hash`) and the problem. Older revisions of schema version 1 read
as they are (their tables are a subset of the current ones); a higher schema version is refused
with uv's wording; unknown keys are refused unless the revision is newer than ours (newer
revisions of version 1 are meant to stay readable).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

from puv.errors import PuvError
from puv.lock.model import (
    CURRENT_REVISION,
    CURRENT_VERSION,
    ConflictItem,
    DependencyMetadata,
    DirectorySource,
    EditableSource,
    GitSource,
    Lock,
    LockDependency,
    LockManifest,
    LockOptions,
    LockPackage,
    LockRequirement,
    PackageMetadata,
    PathSource,
    RegistrySource,
    RegistrySpecifier,
    RelativeExcludeNewer,
    RequirementSource,
    Sdist,
    Source,
    UrlSource,
    VirtualSource,
    Wheel,
    ZstdArtifact,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["LockError", "read_lock"]

T = TypeVar("T")

_HASH = re.compile(r"^[a-z0-9]+:[0-9a-fA-F]+$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class LockError(PuvError):
    """A `uv.lock` that cannot be read: bad TOML, an unsupported version, or an invalid value.

    `path` is the key path of the offending value (empty for whole-file problems), `problem`
    what is wrong with it.
    """

    def __init__(self, problem: str, *, path: str = "", hint: str | None = None) -> None:
        message = f"Failed to parse `uv.lock`: {path}: {problem}" if path else problem
        super().__init__(message, hint=hint)
        self.path = path
        self.problem = problem


def read_lock(text: str) -> Lock:
    """Parse and validate the text of a `uv.lock` file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LockError(f"Failed to parse `uv.lock`: {error}") from None
    return _Reader(data).lock()


def check_markers(lock: Lock) -> None:
    """That the lock's `requires-python` and markers parse (a hand-edited lock with a bad
    one is a located `LockError` here, not a crash where they are evaluated). Kept apart
    from `read_lock`, which reads any string there, so models round-trip whatever they
    hold."""
    from packaging.markers import InvalidMarker, Marker
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(lock.requires_python)
    except InvalidSpecifier as exc:
        raise LockError(f"invalid version specifier `{lock.requires_python}`: {exc}",
                        path="requires-python") from None
    found: list[tuple[str, str]] = [
        (f"{key}[{i}]", text)
        for key, texts in (("resolution-markers", lock.resolution_markers),
                           ("supported-markers", lock.supported_markers),
                           ("required-markers", lock.required_markers))
        for i, text in enumerate(texts)]
    requirements = [*lock.manifest.requirements, *lock.manifest.constraints,
                    *lock.manifest.overrides, *lock.manifest.build_constraints]
    for package in lock.packages:
        where = f"package `{package.name}`"
        found += [(f"{where} resolution-markers", t) for t in package.resolution_markers]
        edges = [*package.dependencies, *(d for deps in package.optional_dependencies.values()
                                          for d in deps),
                 *(d for deps in package.dev_dependencies.values() for d in deps)]
        found += [(f"{where} dependency `{d.name}`", d.marker) for d in edges if d.marker]
        requirements += [*package.metadata.requires_dist,
                         *(r for reqs in package.metadata.requires_dev.values() for r in reqs)]
    found += [(f"requirement `{r.name}`", r.marker) for r in requirements if r.marker]
    seen: set[str] = set()
    for path, text in found:
        if text in seen:
            continue
        try:
            Marker(text)
        except InvalidMarker as exc:
            raise LockError(f"invalid marker `{text}`: {exc}", path=path) from None
        seen.add(text)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


class _Table:
    """A TOML table and its key path; typed getters that raise located errors."""

    def __init__(self, data: Mapping[str, Any], path: str, strict: bool) -> None:
        self.data = data
        self.path = path
        self.strict = strict

    def at(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str | int, problem: str) -> LockError:
        return LockError(problem, path=self.at(key))

    def check_keys(self, allowed: set[str]) -> None:
        if not self.strict:
            return
        for key in self.data:
            if key not in allowed:
                raise self.error(key, "unknown key")

    def _get(self, key: str, kind: type[T], required: bool) -> T | None:
        if key not in self.data:
            if required:
                raise LockError(f"missing required key `{key}`", path=self.path or "(top level)")
            return None
        value = self.data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            expected = _kind(kind())
            raise self.error(key, f"expected {expected}, found {_kind(value)}")
        return value

    def string(self, key: str) -> str | None:
        return self._get(key, str, False)

    def required_string(self, key: str) -> str:
        value = self._get(key, str, True)
        assert value is not None
        return value

    def integer(self, key: str) -> int | None:
        value = self._get(key, int, False)
        if value is not None and value < 0:
            raise self.error(key, f"expected a non-negative integer, found {value}")
        return value

    def table(self, key: str) -> _Table | None:
        value = self._get(key, dict, False)
        return None if value is None else _Table(value, self.at(key), self.strict)

    def array(self, key: str) -> list[Any]:
        value = self._get(key, list, False)
        return [] if value is None else value

    def tables(self, key: str) -> list[_Table]:
        """An array of tables (inline or `[[...]]`)."""
        path = self.at(key)
        result = []
        for index, item in enumerate(self.array(key)):
            if not isinstance(item, dict):
                raise LockError(f"expected a table, found {_kind(item)}", path=f"{path}[{index}]")
            result.append(_Table(item, f"{path}[{index}]", self.strict))
        return result

    def strings(self, key: str) -> tuple[str, ...]:
        path = self.at(key)
        items = self.array(key)
        for index, item in enumerate(items):
            if not isinstance(item, str):
                raise LockError(f"expected a string, found {_kind(item)}", path=f"{path}[{index}]")
        return tuple(items)

    def mapping(self, key: str, read: Callable[[_Table, str], T]) -> dict[str, T]:
        """A table of `name = value` entries, each read by `read(table, name)`."""
        table = self.table(key)
        if table is None:
            return {}
        return {name: read(table, name) for name in table.data}


class _Reader:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.strict = True

    def lock(self) -> Lock:
        top = _Table(self.data, "", True)
        version = top.integer("version")
        if version is None:
            raise LockError("missing required key `version`", path="(top level)")
        if version != CURRENT_VERSION:
            raise LockError(
                f"The lockfile at `uv.lock` uses an unsupported schema version (v{version}, "
                f"but only v{CURRENT_VERSION} is supported).",
                hint="Upgrade puv, or remove the `uv.lock` and run `puv lock` again.",
            )
        revision = top.integer("revision") or 0
        # A newer revision of the same version may add keys we do not know: skip them.
        self.strict = top.strict = revision <= CURRENT_REVISION
        top.check_keys(
            {
                "version",
                "revision",
                "requires-python",
                "resolution-markers",
                "supported-markers",
                "required-markers",
                "conflicts",
                "options",
                "manifest",
                "package",
                "distribution",
            }
        )
        package_key = (
            "package"
            if "package" in self.data or "distribution" not in self.data
            else "distribution"
        )
        packages = [self.package(table) for table in top.tables(package_key)]
        packages = self.complete_dependencies(packages)
        options = top.table("options")
        manifest = top.table("manifest")
        return Lock(
            version=version,
            revision=revision,
            requires_python=top.required_string("requires-python"),
            resolution_markers=top.strings("resolution-markers"),
            supported_markers=top.strings("supported-markers"),
            required_markers=top.strings("required-markers"),
            conflicts=self.conflicts(top),
            options=LockOptions() if options is None else self.options(options),
            manifest=LockManifest() if manifest is None else self.manifest(manifest),
            packages=tuple(packages),
        )

    # Top-level tables

    def conflicts(self, top: _Table) -> tuple[tuple[ConflictItem, ...], ...]:
        sets = []
        for index, value in enumerate(top.array("conflicts")):
            if not isinstance(value, list):
                raise top.error("conflicts", f"expected an array of arrays, found {_kind(value)}")
            holder = _Table({"set": value}, f"conflicts[{index}]", self.strict)
            items = []
            for item_index, item in enumerate(value):
                if not isinstance(item, dict):
                    raise LockError(
                        f"expected a table, found {_kind(item)}",
                        path=f"conflicts[{index}][{item_index}]",
                    )
                items.append(
                    self.conflict_item(_Table(item, f"{holder.path}[{item_index}]", self.strict))
                )
            sets.append(tuple(items))
        return tuple(sets)

    def conflict_item(self, table: _Table) -> ConflictItem:
        table.check_keys({"package", "extra", "group"})
        item = ConflictItem(
            package=self.name(table, "package"),
            extra=table.string("extra"),
            group=table.string("group"),
        )
        if item.extra is not None and item.group is not None:
            raise LockError(
                "a conflict item has either `extra` or `group`, not both", path=table.path
            )
        return item

    def options(self, table: _Table) -> LockOptions:
        table.check_keys(
            {
                "resolution-mode",
                "prerelease-mode",
                "fork-strategy",
                "exclude-newer",
                "exclude-newer-span",
                "prerelease-package",
                "exclude-newer-package",
            }
        )
        self.choice(table, "resolution-mode", {"highest", "lowest", "lowest-direct"})
        prerelease = {"disallow", "allow", "if-necessary", "explicit", "if-necessary-or-explicit"}
        self.choice(table, "prerelease-mode", prerelease)
        self.choice(table, "fork-strategy", {"fewest", "requires-python"})

        def package_mode(modes: _Table, name: str) -> str:
            value = modes.required_string(name)
            if value not in prerelease:
                raise modes.error(name, f"unknown pre-release mode `{value}`")
            return value

        return LockOptions(
            resolution_mode=table.string("resolution-mode"),
            prerelease_mode=table.string("prerelease-mode"),
            fork_strategy=table.string("fork-strategy"),
            exclude_newer=table.string("exclude-newer"),
            exclude_newer_span=table.string("exclude-newer-span"),
            prerelease_package=table.mapping("prerelease-package", package_mode),
            exclude_newer_package=table.mapping("exclude-newer-package", self.package_cutoff),
        )

    def package_cutoff(
        self, table: _Table, name: str
    ) -> str | Literal[False] | RelativeExcludeNewer:
        value = table.data[name]
        if value is False or isinstance(value, str):
            return value
        if isinstance(value, dict):
            relative = _Table(value, table.at(name), self.strict)
            relative.check_keys({"timestamp", "span"})
            return RelativeExcludeNewer(
                timestamp=relative.required_string("timestamp"),
                span=relative.required_string("span"),
            )
        raise table.error(name, f"expected a timestamp, `false` or a table, found {_kind(value)}")

    def manifest(self, table: _Table) -> LockManifest:
        table.check_keys(
            {
                "members",
                "requirements",
                "constraints",
                "overrides",
                "excludes",
                "build-constraints",
                "dependency-groups",
                "dependency-metadata",
            }
        )
        return LockManifest(
            members=table.strings("members"),
            requirements=self.requirements(table, "requirements"),
            constraints=self.requirements(table, "constraints"),
            overrides=self.requirements(table, "overrides"),
            excludes=table.strings("excludes"),
            build_constraints=self.requirements(table, "build-constraints"),
            dependency_groups=table.mapping("dependency-groups", self.requirements),
            dependency_metadata=tuple(
                self.dependency_metadata(entry) for entry in table.tables("dependency-metadata")
            ),
        )

    def dependency_metadata(self, table: _Table) -> DependencyMetadata:
        table.check_keys({"name", "version", "requires-dist", "requires-python", "provides-extras"})
        return DependencyMetadata(
            name=self.name(table, "name"),
            version=table.string("version"),
            requires_dist=table.strings("requires-dist"),
            requires_python=table.string("requires-python"),
            provides_extras=table.strings("provides-extras"),
        )

    # Packages

    def package(self, table: _Table) -> LockPackage:
        table.check_keys(
            {
                "name",
                "version",
                "source",
                "resolution-markers",
                "dependencies",
                "sdist",
                "wheels",
                "optional-dependencies",
                "dev-dependencies",
                "metadata",
            }
        )
        source_table = table.table("source")
        if source_table is None:
            raise LockError("missing required key `source`", path=table.path)
        source = self.source(source_table)
        version = table.string("version")
        if version is None and not isinstance(
            source, (DirectorySource, EditableSource, VirtualSource)
        ):
            raise LockError(
                "missing required key `version` (only local projects may omit it)",
                path=table.path,
            )
        sdist = table.table("sdist")
        metadata = table.table("metadata")
        return LockPackage(
            name=self.name(table, "name"),
            version=version,
            source=source,
            resolution_markers=table.strings("resolution-markers"),
            dependencies=self.dependencies(table, "dependencies"),
            sdist=None if sdist is None else self.sdist(sdist),
            wheels=tuple(self.wheel(wheel) for wheel in table.tables("wheels")),
            optional_dependencies=table.mapping("optional-dependencies", self.dependencies),
            dev_dependencies=table.mapping("dev-dependencies", self.dependencies),
            metadata=PackageMetadata() if metadata is None else self.metadata(metadata),
        )

    def source(self, table: _Table) -> Source:
        keys = set(table.data)
        kinds = keys & {"registry", "git", "url", "path", "directory", "editable", "virtual"}
        if len(kinds) != 1:
            raise LockError(
                "expected exactly one of `registry`, `git`, `url`, `path`, `directory`, "
                f"`editable`, `virtual`, found {_keys(keys)}",
                path=table.path,
            )
        (kind,) = kinds
        if kind == "registry":
            table.check_keys({"registry"})
            return RegistrySource(registry=table.required_string("registry"))
        table.check_keys({kind, "subdirectory"} if kind == "url" else {kind})
        source = self.location(table, kind)
        assert not isinstance(source, RegistrySpecifier)
        return source

    def location(self, table: _Table, kind: str) -> RequirementSource:
        """A non-registry source given by its kind key (shared by packages and requirements)."""
        value = table.required_string(kind)
        if kind == "git":
            return GitSource(git=value)
        if kind == "url":
            return UrlSource(url=value, subdirectory=table.string("subdirectory"))
        if kind == "path":
            return PathSource(path=value)
        if kind == "directory":
            return DirectorySource(directory=value)
        if kind == "editable":
            return EditableSource(editable=value)
        return VirtualSource(virtual=value)

    def dependencies(self, table: _Table, key: str) -> tuple[LockDependency, ...]:
        return tuple(self.dependency(entry) for entry in table.tables(key))

    def dependency(self, table: _Table) -> LockDependency:
        table.check_keys({"name", "version", "source", "extra", "marker"})
        source = table.table("source")
        return LockDependency(
            name=self.name(table, "name"),
            version=table.string("version"),
            source=None if source is None else self.source(source),
            extra=table.strings("extra"),
            marker=table.string("marker"),
        )

    def sdist(self, table: _Table) -> Sdist:
        table.check_keys({"url", "path", "hash", "size", "upload-time"})
        if "url" in table.data and "path" in table.data:
            raise LockError("an sdist has `url` or `path`, not both", path=table.path)
        return Sdist(
            url=table.string("url"),
            path=table.string("path"),
            hash=self.hash(table, "hash"),
            size=table.integer("size"),
            upload_time=table.string("upload-time"),
        )

    def wheel(self, table: _Table) -> Wheel:
        table.check_keys({"url", "path", "filename", "hash", "size", "upload-time", "zstd"})
        locations = set(table.data) & {"url", "path", "filename"}
        if len(locations) != 1:
            raise LockError(
                f"expected exactly one of `url`, `path`, `filename`, found {_keys(locations)}",
                path=table.path,
            )
        zstd_table = table.table("zstd")
        zstd = None
        if zstd_table is not None:
            zstd_table.check_keys({"hash", "size"})
            zstd = ZstdArtifact(hash=self.hash(zstd_table, "hash"), size=zstd_table.integer("size"))
        return Wheel(
            url=table.string("url"),
            path=table.string("path"),
            filename=table.string("filename"),
            hash=self.hash(table, "hash"),
            size=table.integer("size"),
            upload_time=table.string("upload-time"),
            zstd=zstd,
        )

    def metadata(self, table: _Table) -> PackageMetadata:
        table.check_keys({"requires-dist", "provides-extras", "requires-dev"})
        return PackageMetadata(
            requires_dist=self.requirements(table, "requires-dist"),
            provides_extras=table.strings("provides-extras"),
            requires_dev=table.mapping("requires-dev", self.requirements),
        )

    def requirements(self, table: _Table, key: str) -> tuple[LockRequirement, ...]:
        return tuple(self.requirement(entry) for entry in table.tables(key))

    def requirement(self, table: _Table) -> LockRequirement:
        table.check_keys(
            {
                "name",
                "extras",
                "groups",
                "marker",
                "specifier",
                "index",
                "conflict",
                "git",
                "url",
                "subdirectory",
                "path",
                "directory",
                "editable",
                "virtual",
            }
        )
        kinds = set(table.data) & {"git", "url", "path", "directory", "editable", "virtual"}
        registry = set(table.data) & {"specifier", "index", "conflict"}
        if len(kinds) > 1 or (kinds and registry):
            raise LockError(
                f"a requirement has one source, found {_keys(kinds | registry)}", path=table.path
            )
        source: RequirementSource
        if kinds:
            source = self.location(table, next(iter(kinds)))
        else:
            conflict = table.table("conflict")
            source = RegistrySpecifier(
                specifier=table.string("specifier"),
                index=table.string("index"),
                conflict=None if conflict is None else self.conflict_item(conflict),
            )
        return LockRequirement(
            name=self.name(table, "name"),
            extras=table.strings("extras"),
            groups=table.strings("groups"),
            marker=table.string("marker"),
            source=source,
        )

    # Values

    def name(self, table: _Table, key: str) -> str:
        value = table.required_string(key)
        if not _NAME.match(value):
            raise table.error(key, f"`{value}` is not a normalized package name")
        return value

    def hash(self, table: _Table, key: str) -> str | None:
        value = table.string(key)
        if value is not None and not _HASH.match(value):
            raise table.error(key, f"expected `<algorithm>:<hex digest>`, found `{value}`")
        return value

    def choice(self, table: _Table, key: str, allowed: set[str]) -> None:
        value = table.string(key)
        if value is not None and value not in allowed:
            raise table.error(key, f"unknown value `{value}` (expected one of {_keys(allowed)})")

    def complete_dependencies(self, packages: list[LockPackage]) -> list[LockPackage]:
        """Give every edge its target's version and source, as uv does when reading.

        The file omits them when one package has the name; an edge to a name with several
        packages must carry them, and an edge to an unknown name is an error.
        """
        by_name: dict[str, list[LockPackage]] = {}
        for package in packages:
            by_name.setdefault(package.name, []).append(package)

        def complete(edge: LockDependency, path: str) -> LockDependency:
            candidates = by_name.get(edge.name, [])
            if not candidates:
                raise LockError(f"no `[[package]]` named `{edge.name}`", path=path)
            if edge.version is not None and edge.source is not None:
                return edge
            if len(candidates) > 1:
                # Only the missing parts must be unambiguous among the candidates.
                candidates = [
                    candidate
                    for candidate in candidates
                    if edge.version in (None, candidate.version)
                    and edge.source in (None, candidate.source)
                ]
                if len(candidates) != 1:
                    raise LockError(
                        f"several packages are named `{edge.name}`: the edge needs "
                        "`version` and `source`",
                        path=path,
                    )
            (target,) = candidates
            return LockDependency(
                name=edge.name,
                version=target.version if edge.version is None else edge.version,
                source=target.source if edge.source is None else edge.source,
                extra=edge.extra,
                marker=edge.marker,
            )

        def complete_all(
            edges: tuple[LockDependency, ...], path: str
        ) -> tuple[LockDependency, ...]:
            return tuple(complete(edge, f"{path}[{index}]") for index, edge in enumerate(edges))

        result = []
        for index, package in enumerate(packages):
            base = f"package[{index}]"
            result.append(
                LockPackage(
                    name=package.name,
                    version=package.version,
                    source=package.source,
                    resolution_markers=package.resolution_markers,
                    dependencies=complete_all(package.dependencies, f"{base}.dependencies"),
                    sdist=package.sdist,
                    wheels=package.wheels,
                    optional_dependencies={
                        extra: complete_all(edges, f"{base}.optional-dependencies.{extra}")
                        for extra, edges in package.optional_dependencies.items()
                    },
                    dev_dependencies={
                        group: complete_all(edges, f"{base}.dev-dependencies.{group}")
                        for group, edges in package.dev_dependencies.items()
                    },
                    metadata=package.metadata,
                )
            )
        return result


def _keys(keys: set[str]) -> str:
    return ", ".join(f"`{key}`" for key in sorted(keys)) or "none"
