"""Write the model as `uv.lock` text, byte for byte as uv 0.13.8 writes it.

A small emitter of its own, following uv's serializer (`crates/uv-resolver/src/lock/
serialize.rs`): scalar keys, then `[options]`, `[manifest]` and one `[[package]]` per entry, a
blank line before every table header and nowhere else; inline tables as `{ key = value }`;
"multiline" arrays with one element per line, indented four spaces, each followed by a comma;
requirement lists on one line up to one element and multiline from two. Packages are sorted by
(name, version, source); edges by their target's identity (stable, so ties keep model order);
extras and groups by name. Everything else keeps the model's order (uv's wheel order is the
index's, and its requirement sets are already sorted when the model is built from them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from packaging.version import InvalidVersion, Version

from puv.lock.model import (
    ConflictItem,
    DirectorySource,
    EditableSource,
    GitSource,
    Lock,
    LockDependency,
    LockManifest,
    LockOptions,
    LockPackage,
    LockRequirement,
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
)

__all__ = ["package_sort_key", "write_lock"]

RELATIVE_EXCLUDE_NEWER_COMMENT = (
    " # This has no effect and is included for backwards compatibility when using relative "
    "exclude-newer values."
)

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_SOURCE_KIND: dict[type, str] = {
    GitSource: "git",
    PathSource: "path",
    DirectorySource: "directory",
    EditableSource: "editable",
    VirtualSource: "virtual",
}
_SOURCE_RANK: dict[type, int] = {
    RegistrySource: 0,
    GitSource: 1,
    UrlSource: 2,
    PathSource: 3,
    DirectorySource: 4,
    EditableSource: 5,
    VirtualSource: 6,
}


def write_lock(lock: Lock) -> str:
    """Render a lock as the text uv writes for it (UTF-8, `\\n` line ends, final newline)."""
    out = _Writer()
    out.key_value("version", str(lock.version))
    if lock.revision > 0:
        out.key_value("revision", str(lock.revision))
    out.key_value("requires-python", _string(lock.requires_python))
    for key, markers in (
        ("resolution-markers", lock.resolution_markers),
        ("supported-markers", lock.supported_markers),
        ("required-markers", lock.required_markers),
    ):
        if markers:
            out.multiline(key, [_string(marker) for marker in markers])
    if lock.conflicts:
        sets = (
            "[\n" + "".join(f"    {_conflict(item)},\n" for item in items) + "]"
            for items in lock.conflicts
        )
        out.raw("conflicts = [" + ", ".join(sets) + "]\n")
    _write_options(out, lock.options)
    _write_manifest(out, lock.manifest)

    counts: dict[str, int] = {}
    for package in lock.packages:
        counts[package.name] = counts.get(package.name, 0) + 1
    for package in sorted(lock.packages, key=package_sort_key):
        _write_package(out, package, counts)
    return out.text()


def package_sort_key(package: LockPackage) -> tuple[object, ...]:
    """uv's order of `[[package]]` entries: name, then version, then source."""
    return (package.name, _version_key(package.version), _source_key(package.source))


def _dependency_key(dependency: LockDependency) -> tuple[object, ...]:
    source = () if dependency.source is None else _source_key(dependency.source)
    return (dependency.name, _version_key(dependency.version), source)


def _version_key(version: str | None) -> tuple[object, ...]:
    if version is None:
        return (0,)
    try:
        return (1, Version(version), "")
    except InvalidVersion:
        return (2, version)


def _source_key(source: Source) -> tuple[int, str]:
    return (_SOURCE_RANK[type(source)], _source_location(source))


def _source_location(source: Source | RequirementSource) -> str:
    if isinstance(source, RegistrySource):
        return source.registry
    if isinstance(source, GitSource):
        return source.git
    if isinstance(source, UrlSource):
        return source.url
    if isinstance(source, PathSource):
        return source.path
    if isinstance(source, DirectorySource):
        return source.directory
    if isinstance(source, EditableSource):
        return source.editable
    if isinstance(source, VirtualSource):
        return source.virtual
    return ""


# Sections


def _write_options(out: _Writer, options: LockOptions) -> None:
    if options.is_default():
        return
    out.header("options")
    if options.resolution_mode is not None:
        out.key_value("resolution-mode", _string(options.resolution_mode))
    if options.prerelease_mode is not None:
        out.key_value("prerelease-mode", _string(options.prerelease_mode))
    if options.fork_strategy is not None:
        out.key_value("fork-strategy", _string(options.fork_strategy))
    if options.exclude_newer is not None:
        if options.exclude_newer_span is not None:
            out.raw(
                f"exclude-newer = {_string(options.exclude_newer)}"
                f"{RELATIVE_EXCLUDE_NEWER_COMMENT}\n"
            )
            out.key_value("exclude-newer-span", _string(options.exclude_newer_span))
        else:
            out.key_value("exclude-newer", _string(options.exclude_newer))
    if options.prerelease_package:
        out.header("options.prerelease-package")
        for name, mode in sorted(options.prerelease_package.items()):
            out.key_value(name, _string(mode))
    if options.exclude_newer_package:
        out.header("options.exclude-newer-package")
        for name, cutoff in sorted(options.exclude_newer_package.items()):
            if cutoff is False:
                value = "false"
            elif isinstance(cutoff, RelativeExcludeNewer):
                value = _inline(
                    [("timestamp", _string(cutoff.timestamp)), ("span", _string(cutoff.span))]
                )
            else:
                value = _string(cutoff)
            out.key_value(name, value)


def _write_manifest(out: _Writer, manifest: LockManifest) -> None:
    if manifest.is_empty():
        return
    # uv writes the `[manifest]` header only above keys of its own: a manifest of dependency
    # groups or dependency metadata alone starts with their sub-tables.
    if (manifest.members or manifest.requirements or manifest.constraints
            or manifest.overrides or manifest.excludes or manifest.build_constraints):
        out.header("manifest")
    if manifest.members:
        out.multiline("members", [_string(member) for member in manifest.members])
    for key, requirements in (
        ("requirements", manifest.requirements),
        ("constraints", manifest.constraints),
        ("overrides", manifest.overrides),
    ):
        if requirements:
            _requirement_array(out, key, requirements)
    if manifest.excludes:
        _compact_array(out, "excludes", [_string(name) for name in manifest.excludes])
    if manifest.build_constraints:
        _requirement_array(out, "build-constraints", manifest.build_constraints)
    if manifest.dependency_groups:
        out.header("manifest.dependency-groups")
        for group, requirements in sorted(manifest.dependency_groups.items()):
            _requirement_array(out, group, requirements)
    for metadata in manifest.dependency_metadata:
        out.header("manifest.dependency-metadata", array=True)
        out.key_value("name", _string(metadata.name))
        if metadata.version is not None:
            out.key_value("version", _string(metadata.version))
        if metadata.requires_dist:
            out.key_value("requires-dist", _array(map(_string, metadata.requires_dist)))
        if metadata.requires_python is not None:
            out.key_value("requires-python", _string(metadata.requires_python))
        if metadata.provides_extras:
            out.key_value("provides-extras", _array(map(_string, metadata.provides_extras)))


def _write_package(out: _Writer, package: LockPackage, counts: Mapping[str, int]) -> None:
    out.header("package", array=True)
    out.key_value("name", _string(package.name))
    if package.version is not None:
        out.key_value("version", _string(package.version))
    out.key_value("source", _source(package.source))
    if package.resolution_markers:
        out.multiline("resolution-markers", [_string(m) for m in package.resolution_markers])

    def edges(dependencies: Iterable[LockDependency]) -> list[str]:
        ordered = sorted(dependencies, key=_dependency_key)
        return [_dependency(dependency, counts) for dependency in ordered]

    if package.dependencies:
        out.multiline("dependencies", edges(package.dependencies))
    if package.sdist is not None:
        out.key_value("sdist", _sdist(package.sdist))
    if package.wheels:
        out.multiline("wheels", [_wheel(wheel) for wheel in package.wheels])
    for header, groups in (
        ("package.optional-dependencies", package.optional_dependencies),
        ("package.dev-dependencies", package.dev_dependencies),
    ):
        if any(groups.values()):
            out.header(header)
            for name, dependencies in sorted(groups.items()):
                if dependencies:
                    out.multiline(name, edges(dependencies))
    metadata = package.metadata
    if metadata.is_empty():
        return
    out.header("package.metadata")
    if metadata.requires_dist:
        _requirement_array(out, "requires-dist", metadata.requires_dist)
    if metadata.provides_extras:
        out.key_value("provides-extras", _array(map(_string, metadata.provides_extras)))
    if metadata.requires_dev:
        out.header("package.metadata.requires-dev")
        for group, requirements in sorted(metadata.requires_dev.items()):
            # Unlike elsewhere, an empty group is kept (`empty = []`).
            _requirement_array(out, group, requirements)


# Values


def _dependency(dependency: LockDependency, counts: Mapping[str, int]) -> str:
    items = [("name", _string(dependency.name))]
    # Version and source are redundant when one package has the name.
    if counts.get(dependency.name, 0) != 1:
        if dependency.version is not None:
            items.append(("version", _string(dependency.version)))
        if dependency.source is not None:
            items.append(("source", _source(dependency.source)))
    if dependency.extra:
        items.append(("extra", _array(map(_string, dependency.extra))))
    if dependency.marker is not None:
        items.append(("marker", _string(dependency.marker)))
    return _inline(items)


def _source(source: Source | RequirementSource) -> str:
    return _inline(_source_items(source))


def _source_items(source: Source | RequirementSource) -> list[tuple[str, str]]:
    if isinstance(source, RegistrySource):
        return [("registry", _string(source.registry))]
    if isinstance(source, RegistrySpecifier):
        items = []
        if source.specifier is not None:
            items.append(("specifier", _string(source.specifier)))
        if source.index is not None:
            items.append(("index", _string(source.index)))
        if source.conflict is not None:
            items.append(("conflict", _conflict(source.conflict)))
        return items
    if isinstance(source, UrlSource):
        items = [("url", _string(source.url))]
        if source.subdirectory is not None:
            items.append(("subdirectory", _string(source.subdirectory)))
        return items
    kind = _SOURCE_KIND[type(source)]
    return [(kind, _string(_source_location(source)))]


def _conflict(item: ConflictItem) -> str:
    items = [("package", _string(item.package))]
    if item.extra is not None:
        items.append(("extra", _string(item.extra)))
    if item.group is not None:
        items.append(("group", _string(item.group)))
    return _inline(items)


def _requirement(requirement: LockRequirement) -> str:
    items = [("name", _string(requirement.name))]
    if requirement.extras:
        items.append(("extras", _array(map(_string, requirement.extras))))
    if requirement.groups:
        items.append(("groups", _array(map(_string, requirement.groups))))
    if requirement.marker is not None:
        items.append(("marker", _string(requirement.marker)))
    items.extend(_source_items(requirement.source))
    return _inline(items)


def _requirement_array(out: _Writer, key: str, requirements: Iterable[LockRequirement]) -> None:
    _compact_array(out, key, [_requirement(requirement) for requirement in requirements])


def _compact_array(out: _Writer, key: str, values: list[str]) -> None:
    """One line for zero or one element, one element per line from two on."""
    if len(values) <= 1:
        out.key_value(key, _array(values))
    else:
        out.multiline(key, values)


def _artifact_items(
    url: str | None, path: str | None, hash: str | None, size: int | None, time: str | None
) -> list[tuple[str, str]]:
    items = []
    if url is not None:
        items.append(("url", _string(url)))
    if path is not None:
        items.append(("path", _string(path)))
    if hash is not None:
        items.append(("hash", _string(hash)))
    if size is not None:
        items.append(("size", str(size)))
    if time is not None:
        items.append(("upload-time", _string(time)))
    return items


def _sdist(sdist: Sdist) -> str:
    return _inline(
        _artifact_items(sdist.url, sdist.path, sdist.hash, sdist.size, sdist.upload_time)
    )


def _wheel(wheel: Wheel) -> str:
    items = _artifact_items(wheel.url, wheel.path, None, None, None)
    if wheel.filename is not None:
        items.append(("filename", _string(wheel.filename)))
    items += _artifact_items(None, None, wheel.hash, wheel.size, wheel.upload_time)
    if wheel.zstd is not None:
        zstd = _artifact_items(None, None, wheel.zstd.hash, wheel.zstd.size, None)
        items.append(("zstd", _inline(zstd)))
    return _inline(items)


def _inline(items: list[tuple[str, str]]) -> str:
    if not items:
        return "{}"
    return "{ " + ", ".join(f"{_key(key)} = {value}" for key, value in items) + " }"


def _array(values: Iterable[str]) -> str:
    return "[" + ", ".join(values) + "]"


def _string(value: str) -> str:
    """A TOML string in the style uv's writer (toml_writer's default) picks for it.

    In order of preference: a basic string if nothing needs escaping; a literal string if it
    has a `"` or `\\` but no `'`, newline or control character; a multi-line basic string if
    it needs no escape beyond newlines and runs of at most two `"`; a multi-line literal string
    if it has no control character and no `'''`; else an escaped basic (or, with newlines,
    multi-line basic) string. Tab counts as an ordinary character when choosing.
    """
    escape = "\\" in value
    newline = "\n" in value
    controls = any((ord(char) <= 0x1F and char not in "\t\n") or char == "\x7f" for char in value)
    singles = _longest_run(value, "'")
    doubles = _longest_run(value, '"')
    if not (controls or escape or doubles or newline):
        return _basic(value, multiline=False)
    if not (controls or singles or newline):
        return f"'{value}'"
    if not (controls or escape) and doubles <= 2:
        return _basic(value, multiline=True)
    if not controls and singles <= 2:
        return f"'''{_newline_prefix(value)}{value}'''"
    return _basic(value, multiline=newline)


def _longest_run(value: str, char: str) -> int:
    longest = run = 0
    for each in value:
        run = run + 1 if each == char else 0
        longest = max(longest, run)
    return longest


def _newline_prefix(value: str) -> str:
    # A newline right after the opening delimiter is trimmed by TOML readers.
    return "\n" if "\n" in value else ""


_ESCAPES = {"\b": "\\b", "\t": "\\t", "\f": "\\f", "\r": "\\r", "\\": "\\\\"}


def _basic(value: str, *, multiline: bool) -> str:
    parts = []
    quotes = 0
    limit = 2 if multiline else 0
    for char in value:
        quotes = quotes + 1 if char == '"' else 0
        if char == '"' and quotes > limit:
            parts.append('\\"')
            quotes = 0
        elif char == "\n":
            parts.append("\n" if multiline else "\\n")
        elif char in _ESCAPES:
            parts.append(_ESCAPES[char])
        elif ord(char) <= 0x1F or char == "\x7f":
            parts.append(f"\\u{ord(char):04X}")
        else:
            parts.append(char)
    body = "".join(parts)
    if multiline:
        return f'"""{_newline_prefix(value)}{body}"""'
    return f'"{body}"'


def _key(key: str) -> str:
    if _BARE_KEY.match(key):
        return key
    controls = any((ord(char) <= 0x1F and char != "\t") or char == "\x7f" for char in key)
    if not (controls or "\\" in key or '"' in key):
        return _basic(key, multiline=False)
    if not (controls or "'" in key):
        return f"'{key}'"
    return _basic(key, multiline=False)


class _Writer:
    """Collects lines; table headers get the one blank line uv puts before them."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def raw(self, text: str) -> None:
        self._parts.append(text)

    def key_value(self, key: str, value: str) -> None:
        self._parts.append(f"{_key(key)} = {value}\n")

    def multiline(self, key: str, values: list[str]) -> None:
        body = "".join(f"    {value},\n" for value in values)
        self._parts.append(f"{_key(key)} = [\n{body}]\n")

    def header(self, path: str, *, array: bool = False) -> None:
        dotted = ".".join(_key(part) for part in path.split("."))
        self._parts.append(f"\n[[{dotted}]]\n" if array else f"\n[{dotted}]\n")

    def text(self) -> str:
        return "".join(self._parts)
