"""A `Lock` from a universal resolution of a workspace (what `puv lock` writes).

`build_lock(resolution, workspace, ...)` turns the merged forks (`resolver.universal`) into the
model `writer.py` prints, with uv's choices:

- one `[[package]]` per distribution and version; workspace members are `{ editable = path }`
  when they are packages, `{ virtual = path }` otherwise (paths relative to the workspace root,
  `.` for the root), registry distributions `{ registry = index URL }`;
- `resolution-markers` at the top when the resolution forked, and on a package only when its
  name has several versions in the lock (the forks that chose each);
- edges: the package's own (`dependencies`), per extra (`optional-dependencies`) and, for
  members, per dependency group (`dev-dependencies`); each marker is the requirement's marker
  within the forks that followed it, simplified against `requires-python`;
- artifacts: the sdist, and the wheels whose Python tags `requires-python` allows, sorted
  by file name, with `sha256` hash, size and upload time (milliseconds, as uv keeps them);
- members' `[package.metadata]`: `requires-dist` (extras' requirements carry `extra == '...'`),
  `provides-extras` in declaration order, `requires-dev` per group.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from typing import TYPE_CHECKING, Any, Literal

from packaging.utils import canonicalize_name

from puv.core.tags import wheel_platform_marker
from puv.lock.model import ConflictItem as LockConflictItem
from puv.lock.model import (
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
    Sdist,
    Source,
    UrlSource,
    VirtualSource,
    Wheel,
)
from puv.workspace.project import written_specifiers

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from packaging.requirements import Requirement

    from puv.core.marker_algebra import MarkerTree
    from puv.core.metadata import CoreMetadata
    from puv.core.ranges import Ranges
    from puv.index.registry import Candidate
    from puv.resolver.resolution import ResolvedDist
    from puv.resolver.universal import DistKey, NodeKey, UniversalResolution
    from puv.workspace.project import ConflictItem, Member, Workspace

__all__ = ["build_lock", "format_upload_time", "lock_manifest", "lock_options",
           "lock_requirements", "member_package_stub"]


def build_lock(resolution: UniversalResolution, workspace: Workspace, *,
               requires_python: str, options: LockOptions | None = None,
               manifest: LockManifest | None = None,
               supported_markers: tuple[str, ...] = (),
               required_markers: tuple[str, ...] = (),
               index_urls: Mapping[str, str] | None = None,
               conflicts: Sequence[Sequence[ConflictItem]] = ()) -> Lock:
    """The lock file of `resolution` (see the module docstring)."""
    rp = resolution.requires_python
    members = {m.name: m for m in workspace.members}
    sources: dict[DistKey, Source] = {
        key: _source(dist, members.get(key.name), workspace.root)
        for key, dist in resolution.dists.items()}
    several = resolution.divergent
    # Conflict forks are not environments: the lock's forks are their environment parts.
    fork_texts: list[str] = []
    for fork in resolution.forks:
        text = _marker_text(fork.without_extras(), rp) or ""
        if text not in fork_texts:
            fork_texts.append(text)
    # One fork is written too when it is not the whole universe (a single `environments`).
    forked = fork_texts != [""]

    found: list[tuple[DistKey, tuple[str, str], DistKey, LockDependency]] = []
    for edge in resolution.edges:
        target_key = edge.target.dist
        if target_key not in sources:
            continue
        dependency = LockDependency(
            name=edge.target.name, version=str(edge.target.version),
            source=sources[target_key], extra=edge.extras,
            marker=_marker_text(_conflict_marker(edge.marker, edge.source, conflicts), rp))
        where = (edge.source.extra and "extra") or (edge.source.group and "group") or ""
        label = edge.source.extra or edge.source.group
        found.append((edge.source.dist, (where, label), target_key, dependency))
    # An edge names only the target's extras that have dependencies in the lock (uv drops
    # an extra whose requirements all fell away, by marker or `exclude-dependencies`).
    extra_labels = {(source, label) for source, (where, label), _target, _dep in found
                    if where == "extra"}
    outgoing: dict[DistKey, dict[tuple[str, str], list[LockDependency]]] = {}
    for source, kind, target_key, dependency in found:
        kept = tuple(e for e in dependency.extra if (target_key, e) in extra_labels)
        if kept != dependency.extra:
            dependency = dataclasses.replace(dependency, extra=kept)
        outgoing.setdefault(source, {}).setdefault(kind, []).append(dependency)

    packages = []
    for key in sorted(resolution.dists):
        name, version = key.name, key.version
        dist = resolution.dists[key]
        member = members.get(name)
        edges = outgoing.get(key, {})
        optional = {label: tuple(deps) for (where, label), deps in edges.items()
                    if where == "extra"}
        groups = {label: tuple(deps) for (where, label), deps in edges.items()
                  if where == "group"}
        markers: tuple[str, ...] = ()
        if forked and name in several:
            markers = tuple(dict.fromkeys(
                _marker_text(resolution.forks[i].without_extras(), rp) or ""
                for i in resolution.fork_indexes.get(key, ())))
        sdist, wheels = _artifacts(dist, rp, resolution.reachability.get(key))
        packages.append(LockPackage(
            name=name, version=str(version) if member is None or member.version else None,
            source=sources[key], resolution_markers=markers,
            dependencies=tuple(edges.get(("", ""), ())),
            sdist=sdist, wheels=wheels, optional_dependencies=optional,
            dev_dependencies=groups,
            metadata=_member_metadata(member, workspace.root, members, index_urls or {})
            if member is not None
            else _local_metadata(sources[key], resolution.metadata.get(name))))
    return Lock(
        requires_python=requires_python,
        resolution_markers=tuple(fork_texts) if forked else (),
        conflicts=tuple(
            tuple(sorted((LockConflictItem(package=i.package, extra=i.extra, group=i.group)
                          for i in items), key=lambda i: (i.package, i.extra or "",
                                                          i.group or "")))
            for items in conflicts),
        supported_markers=supported_markers,
        required_markers=required_markers,
        options=options or LockOptions(),
        manifest=manifest or lock_manifest(workspace, None),
        packages=tuple(packages))


def member_package_stub(member: Member, root: str, members: Mapping[str, Member],
                        index_urls: Mapping[str, str] | None = None) -> LockPackage:
    """What the lock records of a member whatever the resolution: name, version, source and
    declared metadata (`puv lock` compares these to decide whether the lock is current)."""
    relative = _relative(member.root, root)
    source: Source = EditableSource(editable=relative) if member.is_package \
        else VirtualSource(virtual=relative)
    return LockPackage(name=member.name, version=member.version, source=source,
                       metadata=_member_metadata(member, root, members, index_urls or {}))


def lock_options(settings: Any) -> LockOptions:
    """The `[options]` table for the settings in force (only what differs from uv's
    defaults is written)."""
    resolution = getattr(settings, "resolution", "highest")
    prerelease = getattr(settings, "prerelease", "if-necessary-or-explicit")
    fork_strategy = getattr(settings, "fork_strategy", "requires-python")
    span = getattr(settings, "exclude_newer_span", None)
    exclude_newer = getattr(settings, "exclude_newer", None)
    packages: dict[str, str | Literal[False] | RelativeExcludeNewer] = {}
    for name, (timestamp, package_span) in getattr(settings, "exclude_newer_package",
                                                   {}).items():
        if timestamp is None:
            packages[name] = False
        elif package_span:
            packages[name] = RelativeExcludeNewer(timestamp=RELATIVE_PLACEHOLDER,
                                                  span=package_span)
        else:
            packages[name] = _cutoff_text(timestamp) or False
    return LockOptions(
        resolution_mode=resolution if resolution != "highest" else None,
        prerelease_mode=prerelease if prerelease != "if-necessary-or-explicit" else None,
        fork_strategy=fork_strategy if fork_strategy != "requires-python" else None,
        # A relative cut-off is recorded as its span (the lock stays current as time passes),
        # with uv's placeholder timestamp beside it.
        exclude_newer=RELATIVE_PLACEHOLDER if span else _cutoff_text(exclude_newer),
        exclude_newer_span=span,
        exclude_newer_package=packages)


RELATIVE_PLACEHOLDER = "0001-01-01T00:00:00Z"


def _cutoff_text(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    import datetime

    moment = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return format_upload_time(moment.isoformat())


def lock_manifest(workspace: Workspace, settings: Any) -> LockManifest:
    """`[manifest]`: the members (when there are several, or the root is virtual), the
    virtual root's groups, and the workspace-wide constraints, overrides, build constraints
    and declared metadata."""
    from packaging.requirements import Requirement

    names = tuple(sorted(m.name for m in workspace.members))
    members = names if len(names) > 1 or (names and workspace.is_virtual_root) else ()

    def requirements(key: str) -> tuple[LockRequirement, ...]:
        texts = getattr(settings, key, ()) if settings is not None else ()
        return lock_requirements([Requirement(t) for t in texts], None)

    declared = []
    for entry in (getattr(settings, "dependency_metadata", ()) if settings is not None
                  else ()):
        declared.append(DependencyMetadata(
            name=str(canonicalize_name(entry["name"])),
            version=entry.get("version"),
            requires_dist=tuple(entry.get("requires-dist", ())),
            requires_python=entry.get("requires-python"),
            provides_extras=tuple(entry.get("provides-extras", ()))))
    groups = {group: lock_requirements(items, None)
              for group, items in sorted(workspace.root_groups.items())}
    return LockManifest(
        members=members,
        requirements=lock_requirements(workspace.script_requirements, None),
        excludes=tuple(sorted(getattr(settings, "exclude_dependencies", ()) or ())),
        constraints=requirements("constraint_dependencies"),
        overrides=requirements("override_dependencies"),
        build_constraints=requirements("build_constraint_dependencies"),
        dependency_groups=groups,
        dependency_metadata=tuple(declared))


def _conflict_marker(marker: MarkerTree, source: NodeKey,
                     conflicts: Sequence[Sequence[ConflictItem]]) -> MarkerTree:
    """An edge marker over conflict items, as uv writes it: on an edge from a conflicting
    extra or group, that item is active and the items it conflicts with are not; and since
    two items of one set are never active together, those combinations are added as "don't
    care" (uv's `(extra == 'extra-2-p3-new' and extra == 'extra-2-p3-old') or ...`). An
    edge from a member declared conflicting as a whole (`{ package = "a" }`) holds only
    where that member is active (`extra == 'project-1-a'`)."""
    if not conflicts:
        return marker
    from puv.core.marker_algebra import MarkerTree
    from puv.workspace.project import conflict_variable

    if not (source.extra or source.group):
        # A conflicting member's own dependencies hold only where it is active.
        whole = conflict_variable(source.name)
        if any(item.variable == whole for items in conflicts for item in items):
            marker = marker & MarkerTree(f"extra == '{whole}'")
    if marker == marker.without_extras():
        return marker
    if source.extra or source.group:
        variable = conflict_variable(source.name, extra=source.extra or None,
                                     group=source.group or None)
        for items in conflicts:
            names = [item.variable for item in items]
            if variable in names:
                marker = marker.simplify_extras([variable]).simplify_not_extras(
                    [n for n in names if n != variable])
    if marker.is_true():
        return marker
    return marker | _impossible(tuple(tuple(items) for items in conflicts))


@functools.lru_cache(maxsize=8)
def _impossible(conflicts: tuple[tuple[ConflictItem, ...], ...]) -> MarkerTree:
    """Where two items of one conflict set are both active (never, so "don't care")."""
    from puv.core.marker_algebra import FALSE, MarkerTree

    impossible = FALSE
    for items in conflicts:
        for i, first in enumerate(items):
            for second in items[i + 1:]:
                impossible = impossible | MarkerTree(
                    f"extra == '{first.variable}' and extra == '{second.variable}'")
    return impossible


def _marker_text(marker: MarkerTree, requires_python: Ranges) -> str | None:
    return marker.simplify_python(requires_python).contents()


def _source(dist: ResolvedDist, member: Member | None, root: str) -> Source:
    from puv.distribution.dists import DirectoryDist, GitDist, SourceDist, UrlDist

    if member is not None:
        relative = _relative(member.root, root)
        return EditableSource(editable=relative) if member.is_package \
            else VirtualSource(virtual=relative)
    if dist.candidate is not None:
        index = dist.candidate.index
        return RegistrySource(registry=_public_url(index.given) if index is not None else ".")
    direct = dist.dist
    if isinstance(direct, GitDist):
        return GitSource(git=direct.lock_url())
    if isinstance(direct, DirectoryDist):
        return directory_source(direct.path, root, editable=direct.editable)
    if isinstance(direct, UrlDist):
        path = direct.local_path
        if path is not None:
            return PathSource(path=_relative(path, root))
        return UrlSource(url=_public_url(direct.url), subdirectory=direct.subdirectory)
    if isinstance(direct, SourceDist):
        return UrlSource(url=_public_url(direct.url))
    raise AssertionError(f"no lock source for {dist.name}")


def directory_source(path: str, root: str, *, editable: bool) -> Source:
    """A local project's lock source as uv lowers a `path` source: `editable` when asked,
    else `virtual` when it sets `tool.uv.package = false`, else `directory` (a project
    without `[build-system]` is still built, with the legacy setuptools fallback)."""
    relative = _relative(path, root)
    if editable:
        return EditableSource(editable=relative)
    if _package_setting(path) is False:
        return VirtualSource(virtual=relative)
    return DirectorySource(directory=relative)


def _package_setting(path: str) -> bool | None:
    """The `tool.uv.package` of the project in directory `path`, if it sets one."""
    from puv.errors import PuvError
    from puv.settings.files import read_toml

    pyproject = os.path.join(path, "pyproject.toml")
    if not os.path.isfile(pyproject):
        return None
    try:
        data, _ = read_toml(pyproject)
    except PuvError:
        return None
    tool = data.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    package = uv.get("package") if isinstance(uv, dict) else None
    return package if isinstance(package, bool) else None


def _relative(path: str, root: str) -> str:
    relative = os.path.relpath(path, root).replace(os.sep, "/")
    return relative


def _public_url(url: str) -> str:
    """A URL without its credentials: they never reach a lock file."""
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


# Artifacts -----------------------------------------------------------------------------------


def _artifacts(dist: ResolvedDist, requires_python: Ranges, reach: MarkerTree | None
               ) -> tuple[Sdist | None, tuple[Wheel, ...]]:
    if dist.candidate is None:
        return _file_artifacts(dist)
    python = requires_python if reach is None else requires_python & reach.python_versions()
    sdist = None
    wheels = []
    for candidate in dist.files:
        if candidate.is_wheel:
            filename = candidate.file.filename
            if _wheel_allowed(filename, python) and (
                    reach is None or not reach.is_disjoint(wheel_platform_marker(filename))):
                wheels.append(Wheel(url=_public_url(candidate.file.url), hash=_hash(candidate),
                                    size=candidate.file.size,
                                    upload_time=format_upload_time(candidate.file.upload_time)))
        elif sdist is None:
            sdist = Sdist(url=_public_url(candidate.file.url), hash=_hash(candidate),
                          size=candidate.file.size,
                          upload_time=format_upload_time(candidate.file.upload_time))
    # uv sorts the wheels by file name, whatever order the index lists them in.
    wheels.sort(key=lambda wheel: (wheel.url or "").rsplit("/", 1)[-1])
    return sdist, tuple(wheels)


def _file_artifacts(dist: ResolvedDist) -> tuple[Sdist | None, tuple[Wheel, ...]]:
    """A direct wheel or sdist is recorded with its hash: a local wheel
    (`{ path = "dist/x.whl" }`) by file name, a remote one by URL, and an sdist by hash
    alone (the source says where it is)."""
    from puv.distribution.dists import UrlDist
    from puv.fs import file_sha256

    direct = dist.dist
    if not isinstance(direct, UrlDist):
        return None, ()
    path = direct.local_path
    if path is None:
        if direct.sha256 is None:
            return None, ()
        digest = f"sha256:{direct.sha256}"
        if direct.is_wheel:
            return None, (Wheel(url=_public_url(direct.url), hash=digest),)
        return Sdist(hash=digest), ()
    try:
        digest = f"sha256:{file_sha256(path)}"
    except OSError:
        return None, ()
    if direct.is_wheel:
        return None, (Wheel(filename=direct.filename, hash=digest),)
    return Sdist(hash=digest), ()


def _hash(candidate: Candidate) -> str | None:
    for algorithm, digest in candidate.file.hashes:
        if algorithm == "sha256":
            return f"sha256:{digest}"
    if candidate.file.hashes:
        algorithm, digest = candidate.file.hashes[0]
        return f"{algorithm}:{digest}"
    return None


def format_upload_time(text: str | None) -> str | None:
    """An index's upload time as uv writes it: UTC, milliseconds at most, no trailing zeros
    (`2024-03-10T09:39:28.330561Z` is `2024-03-10T09:39:28.33Z`)."""
    if not text:
        return None
    import datetime

    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    moment = moment.astimezone(datetime.timezone.utc)
    millis = moment.microsecond // 1000
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if millis:
        base += "." + f"{millis:03d}".rstrip("0")
    return base + "Z"


def _wheel_allowed(filename: str, requires_python: Ranges) -> bool:
    """Whether a wheel's Python tags can match some Python `requires_python` allows (uv
    leaves out `cp39` wheels under `>=3.10`, and Python 2 only wheels). `py3X` and abi3
    wheels work on later versions too; other `cp3X` wheels on 3.X only."""
    from packaging.specifiers import SpecifierSet

    from puv.core.ranges import Ranges

    parts = filename[:-4].split("-")
    if len(parts) < 5:
        return True
    pythons, abis = parts[-3].split("."), parts[-2].split(".")
    for python in pythons:
        digits = python[2:]
        if not digits.isdigit():
            return True  # an implementation tag we do not judge
        if digits[0] != "3":
            continue
        if len(digits) == 1:
            return True
        version = f"3.{int(digits[1:])}"
        forward = python.startswith("py") or "abi3" in abis
        spec = f">={version}" if forward else f"=={version}.*"
        if not (Ranges.from_specifiers(SpecifierSet(spec)) & requires_python).is_empty():
            return True
    return False


# Members' metadata ---------------------------------------------------------------------------


def _scoped(member: Member, req: Requirement, extra: str | None, group: str | None) -> bool:
    """Whether `req` (of `extra` or `group`) takes its index from a source scoped to it."""
    if extra is None and group is None:
        return False
    return any(e.kind == "index" and (e.extra, e.group) == (extra, group)
               for e in member.sources.get(str(canonicalize_name(req.name)), ()))


def _url_requirement_source(url: str) -> Source:
    """How `requires-dist` records a requirement's direct URL: a Git URL as its repository
    and requested revision (`git = "...?subdirectory=pkg&rev=v1"`), an archive as `url`."""
    if url.lower().startswith("git+"):
        from puv.distribution.dists import GitDist, parse_direct_reference

        dist = parse_direct_reference(url)
        if isinstance(dist, GitDist):
            return GitSource(git=dist.lock_url(precise=False))
    return UrlSource(url=url)


def _declared_source(member: Member, req: Requirement, root: str,
                     members: Mapping[str, Member]) -> Source | None:
    """The `[tool.uv.sources]` place of a requirement, as `requires-dist` records it."""
    entries = member.sources.get(str(canonicalize_name(req.name)), ())
    entry = next((e for e in entries if e.marker is None and e.extra is None
                  and e.group is None), None)
    if entry is None:
        return None
    if entry.kind == "path":
        path = os.path.normpath(os.path.join(member.root, entry.location))
        if os.path.isdir(path):
            return directory_source(path, root, editable=bool(entry.options.get("editable")))
        return PathSource(path=_relative(path, root))
    if entry.kind == "url":
        return UrlSource(url=entry.location)
    if entry.kind == "git":
        from puv.distribution.dists import GitDist

        reference = next((k for k in ("rev", "tag", "branch") if k in entry.options), "rev")
        subdirectory = entry.options.get("subdirectory")
        return GitSource(git=GitDist(
            repository=entry.location, rev=str(entry.options.get(reference) or "") or None,
            reference=reference, subdirectory=str(subdirectory) if subdirectory else None,
        ).lock_url(precise=False))
    if entry.kind == "workspace":
        target = members.get(str(canonicalize_name(req.name)))
        if target is None:
            return None
        relative = _relative(target.root, root)
        if not target.is_package:
            return VirtualSource(virtual=relative)
        return EditableSource(editable=relative) if entry.options.get("editable", True) \
            else DirectorySource(directory=relative)
    return None


def _local_metadata(source: Source, metadata: CoreMetadata | None) -> PackageMetadata:
    """uv records the declared requirements of local projects it did not take from a
    registry (directories, editables, virtual projects), since they can change."""
    if metadata is None or not isinstance(
            source, (DirectorySource, EditableSource, VirtualSource)):
        return PackageMetadata()
    return PackageMetadata(requires_dist=lock_requirements(metadata.requires_dist, None),
                           provides_extras=tuple(str(e) for e in metadata.provides_extra))


def _member_metadata(member: Member, root: str, members: Mapping[str, Member],
                     index_urls: Mapping[str, str]) -> PackageMetadata:
    from puv.workspace.project import lower_index_sources

    requirements: list[Requirement] = []
    extra_of: dict[int, str] = {}
    pins: dict[int, str] = {}
    scoped: dict[int, LockConflictItem] = {}

    def lowered(items: Iterable[Requirement], extra: str | None = None,
                group: str | None = None) -> list[Requirement]:
        out = []
        for item in items:
            for req, index in lower_index_sources(member, item, extra=extra, group=group):
                if index is not None:
                    pins[id(req)] = index_urls.get(index, index)
                    if _scoped(member, req, extra, group):
                        scoped[id(req)] = LockConflictItem(package=member.name, extra=extra,
                                                           group=group)
                if extra is not None:
                    extra_of[id(req)] = extra
                out.append(req)
        return out

    requirements += lowered(member.dependencies)
    for extra, items in member.optional_dependencies.items():
        requirements += lowered(items, extra)
    requires_dist = lock_requirements(requirements, member, extra_of=extra_of, root=root,
                                      members=members, pins=pins, scoped=scoped)
    requires_dev = {group: lock_requirements(lowered(items, group=group), member, root=root,
                                             members=members, pins=pins, scoped=scoped)
                    for group, items in sorted(member.dependency_groups.items())}
    return PackageMetadata(requires_dist=requires_dist,
                           provides_extras=tuple(member.optional_dependencies),
                           requires_dev=requires_dev)


def lock_requirements(requirements: Iterable[Requirement], member: Member | None, *,
                      extra_of: dict[int, str] | None = None, root: str = "",
                      members: Mapping[str, Member] | None = None,
                      pins: Mapping[int, str] | None = None,
                      scoped: Mapping[int, LockConflictItem] | None = None
                      ) -> tuple[LockRequirement, ...]:
    """Requirements as `[package.metadata]` and `[manifest]` record them, in uv's order
    (by name; requirements on one name keep their order)."""
    from puv.core.marker_algebra import MarkerTree

    out = []
    for req in requirements:
        marker = MarkerTree(req.marker) if req.marker is not None else None
        extra = (extra_of or {}).get(id(req))
        if extra is not None:
            marker = (marker or MarkerTree()) & MarkerTree(f"extra == '{extra}'")
        text = marker.contents() if marker is not None else None
        specifier = written_specifiers(req) or None
        source: object = RegistrySpecifier(specifier=specifier,
                                           index=(pins or {}).get(id(req)),
                                           conflict=(scoped or {}).get(id(req)))
        if req.url:
            source = _url_requirement_source(req.url)
        elif member is not None:
            source = _declared_source(member, req, root, members or {}) or source
        out.append(LockRequirement(
            name=str(canonicalize_name(req.name)),
            extras=tuple(sorted(str(canonicalize_name(e)) for e in req.extras)),
            marker=text, source=source))  # type: ignore[arg-type]
    return tuple(sorted(out, key=lambda r: (r.name, r.marker or "")))
