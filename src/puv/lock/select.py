"""What one environment installs from a `uv.lock`: the lock graph walked as uv walks it.

Pure: no file is read, no interpreter run. The inputs are a `Lock`, the workspace members to
install (`roots`), the extras and dependency groups asked for, and the target environment's
marker values and wheel tags; the answer is the `Selection` of packages to install, each with
the one artifact (a wheel for the tags, else the sdist, or the local tree) it installs from.

The walk (uv's `Installable::to_resolution`):

1. every root is a node; with production dependencies selected (not `--only-group`), its
   `dependencies` and the `optional-dependencies` of the selected extras are followed, else it
   is a node that is not installed;
2. the root's `dev-dependencies` tables (PEP 735 groups) of the selected groups are followed;
3. for a virtual workspace root, the lock's `[manifest]` requirements and dependency groups
   are roots too, matched to packages by name and `resolution-markers`;
4. an edge is followed when its `marker` holds for the environment. Lock markers are already
   simplified against `requires-python`, so they are evaluated as they are; `extra == '...'`
   terms in them are uv's conflict markers (`extra-3-pkg-x`, `group-3-pkg-g`,
   `project-3-pkg`) and hold when that extra, group or project is active. An edge that names
   extras activates them on its target (`delta[x]` follows `delta`'s `x` table too);
5. a package is installed unless the install filter (`--no-install-project`, ...) leaves it
   out or its source is `virtual` (never built).

A name with several `[[package]]` entries (forks) is no problem: every edge names the version
and source of its target.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from puv.core.marker_algebra import MarkerTree
from puv.core.tags import TargetTags
from puv.lock._request import (
    BuildPolicy,
    ExtrasRequest,
    Groups,
    GroupsRequest,
    InstallFilter,
    SelectionError,
    check_conflicts,
    normalized_names,
    root_packages,
    validate_request,
)
from puv.lock.model import (
    DirectorySource,
    EditableSource,
    GitSource,
    Lock,
    LockDependency,
    LockPackage,
    LockRequirement,
    PathSource,
    RegistrySource,
    Sdist,
    Source,
    UrlSource,
    VirtualSource,
    Wheel,
    location_filename,
)
from puv.workspace.project import conflict_variable

__all__ = [
    "BuildPolicy",
    "ExtrasRequest",
    "Groups",
    "GroupsRequest",
    "InstallFilter",
    "SelectedPackage",
    "Selection",
    "SelectionError",
    "best_wheel",
    "check_conflicts",
    "package_id",
    "select",
    "validate_request",
]

Kind = Literal["registry", "url", "path", "directory", "editable", "git"]


# -- the answer ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SelectedPackage:
    """One package to install and where it comes from.

    `kind` is the source kind as the installer needs it (`editable` becomes `directory` with
    `--no-editable`). Archives (`registry`, `url`, `path`) have a `filename` (a wheel when
    `is_wheel`, else the sdist to build), a remote `url` or a local `path` (absolute), and the
    lock's `hash` and `size`. Trees (`directory`, `editable`) have their absolute `path`; a
    `git` package its repository `url`, the requested `rev`, the locked `commit` and a
    `subdirectory`.
    """

    package: LockPackage
    kind: Kind
    filename: str | None = None
    url: str | None = None
    path: str | None = None
    is_wheel: bool = False
    hash: str | None = None
    size: int | None = None
    subdirectory: str | None = None
    rev: str | None = None
    commit: str | None = None

    @property
    def name(self) -> str:
        return self.package.name

    @property
    def version(self) -> str | None:
        return self.package.version


@dataclass(frozen=True, slots=True)
class Selection:
    """The packages to install (sorted by name), and the names reached but not installed
    (virtual projects, packages left out by the install filter)."""

    packages: tuple[SelectedPackage, ...]
    skipped: tuple[str, ...] = ()

    def names(self) -> list[str]:
        return [p.name for p in self.packages]


# -- markers --------------------------------------------------------------------------------

_EXTRA_TERM = re.compile(r"""extra\s*[=!]=\s*(?:'([^']*)'|"([^"]*)")""")


class _Markers:
    """Evaluates lock markers for one environment, with the active conflict items."""

    def __init__(self, environment: Mapping[str, str]) -> None:
        self.environment = {k: v for k, v in environment.items() if k != "extra"}
        self._trees: dict[str, tuple[MarkerTree, tuple[str, ...]]] = {}

    def holds(self, marker: str | None, active: Iterable[str] = ()) -> bool:
        if marker is None:
            return True
        parsed = self._trees.get(marker)
        if parsed is None:
            names = tuple(dict.fromkeys(a or b for a, b in _EXTRA_TERM.findall(marker)))
            parsed = self._trees[marker] = (MarkerTree(marker), names)
        tree, names = parsed
        if names:
            on = set(active)
            tree = tree.simplify_extras([n for n in names if n in on]) \
                .simplify_not_extras([n for n in names if n not in on])
        return tree.evaluate(self.environment)


# -- the walk -------------------------------------------------------------------------------

_Key = tuple[str, str | None, Source]


def _key(package: LockPackage) -> _Key:
    return (package.name, package.version, package.source)


def _edge_key(edge: LockDependency) -> _Key:
    assert edge.source is not None  # the reader fills it in
    return (edge.name, edge.version, edge.source)


def _source_path(source: Source) -> str | None:
    if isinstance(source, DirectorySource):
        return source.directory
    if isinstance(source, EditableSource):
        return source.editable
    if isinstance(source, VirtualSource):
        return source.virtual
    return None


def _is_local(source: Source) -> bool:
    return isinstance(source, PathSource | DirectorySource | EditableSource)


def _lock_root(lock: Lock) -> str | None:
    """The package at the workspace root (`{ editable = "." }` or `{ virtual = "." }`)."""
    for package in lock.packages:
        if _source_path(package.source) in (".", ""):
            return package.name
    return None


class _Walk:
    def __init__(self, lock: Lock, markers: _Markers, install: InstallFilter,
                 project: str | None) -> None:
        self.lock = lock
        self.markers = markers
        self.install = install
        self.members = frozenset(lock.manifest.members)
        self.project = project if project is not None or self.members else _lock_root(lock)
        self.by_key = {_key(p): p for p in lock.packages}
        self.nodes: dict[_Key, bool] = {}  # the packages reached: installed or not
        self.queue: deque[tuple[LockPackage, str | None]] = deque()
        self.seen: set[tuple[_Key, str | None]] = set()
        self.active: set[str] = set()  # conflict items: `extra-3-pkg-x`, ...

    def target(self, edge: LockDependency) -> LockPackage:
        found = self.by_key.get(_edge_key(edge))
        if found is None:
            raise SelectionError(f"The lock file names `{edge.name}` "
                                 f"{edge.version or ''} as a dependency, but has no such "
                                 "package", hint="run `puv lock` to write it again")
        return found

    def installable(self, package: LockPackage) -> bool:
        if isinstance(package.source, VirtualSource):
            return False
        return self.install.includes(package.name, is_local=_is_local(package.source),
                                     project=self.project, members=self.members)

    def enqueue(self, package: LockPackage, extras: Iterable[str] = ()) -> None:
        for extra in (None, *extras):
            if (_key(package), extra) not in self.seen:
                self.seen.add((_key(package), extra))
                self.queue.append((package, extra))

    def activate(self, package: str, extras: Iterable[str]) -> None:
        self.active.update(conflict_variable(package, extra=e) for e in extras)

    def find_by_markers(self, requirement: LockRequirement) -> LockPackage:
        """The package a `[manifest]` requirement names: the one whose `resolution-markers`
        hold here (uv's `find_by_markers`)."""
        found = [p for p in self.lock.find(requirement.name)
                 if not p.resolution_markers
                 or any(self.markers.holds(m) for m in p.resolution_markers)]
        if not found:
            raise SelectionError(f"Could not find root package `{requirement.name}`")
        if len(found) > 1:
            raise SelectionError(f"Found multiple packages matching `{requirement.name}`")
        return found[0]

    def follow(self, edges: Iterable[LockDependency]) -> None:
        """One step of the breadth-first walk: the edges whose markers hold."""
        for edge in edges:
            if not self.markers.holds(edge.marker, self.active):
                continue
            target = self.target(edge)
            if _key(target) not in self.nodes:
                self.nodes[_key(target)] = self.installable(target)
            self.enqueue(target, edge.extra)

    def drain(self) -> None:
        while self.queue:
            package, extra = self.queue.popleft()
            self.follow(package.optional_dependencies.get(extra, ()) if extra is not None
                        else package.dependencies)


def _collect_extras(walk: _Walk) -> None:
    """With conflicts, a first walk gathers every extra that edges activate, so that the
    conflict markers of the real walk see them all (uv's two traversals)."""
    queue = deque(walk.queue)
    seen = set(walk.seen)
    while queue:
        package, extra = queue.popleft()
        edges = package.optional_dependencies.get(extra, ()) if extra is not None \
            else package.dependencies
        for edge in edges:
            added = {conflict_variable(edge.name, extra=e) for e in edge.extra} - walk.active
            if not walk.markers.holds(edge.marker, walk.active | added):
                continue
            walk.active |= added
            target = walk.target(edge)
            for name in (None, *edge.extra):
                if (_key(target), name) not in seen:
                    seen.add((_key(target), name))
                    queue.append((target, name))


def select(
    lock: Lock,
    *,
    roots: Sequence[str],
    extras: ExtrasRequest,
    groups: Groups,
    markers: Mapping[str, str],
    tags: TargetTags,
    workspace_root: str,
    project: str | None = None,
    install: InstallFilter | None = None,
    build: BuildPolicy | None = None,
    editable: bool = True,
    member_target: bool = False,
) -> Selection:
    """The packages `lock` installs for `roots` in the environment of `markers` and `tags`
    (see the module docstring). `project` is the single target project (`--no-install-project`
    applies to it); `workspace_root` makes the lock's relative paths absolute; `editable=False`
    installs editable sources as regular ones (`--no-editable`); `member_target` says one
    member of a workspace is synced, for which the virtual root's groups count only when
    asked for by name (not as default groups). Raises `SelectionError` naming a package that
    has no artifact for the environment."""
    build = build or BuildPolicy()
    walk = _Walk(lock, _Markers(markers), install or InstallFilter(), project)
    roots_found = root_packages(lock, roots)
    if lock.conflicts:
        for package in roots_found:
            if groups.prod:
                walk.active.add(conflict_variable(package.name))
                walk.activate(package.name, extras.selected(package.optional_dependencies))
            walk.active.update(conflict_variable(package.name, group=g)
                               for g in package.dev_dependencies if groups.contains(g))
    for package in roots_found:
        walk.nodes[_key(package)] = walk.installable(package) if groups.prod else False
    for package in roots_found:
        if groups.prod:
            walk.enqueue(package, extras.selected(package.optional_dependencies))
        for group, edges in package.dev_dependencies.items():
            if not groups.contains(group):
                continue
            for edge in edges:
                added = {conflict_variable(edge.name, extra=e) for e in edge.extra}
                if not walk.markers.holds(edge.marker, walk.active | added):
                    continue
                target = walk.target(edge)
                key = _key(target)
                if key not in walk.nodes or not groups.prod or not walk.nodes[key]:
                    walk.nodes[key] = walk.installable(target)
                walk.active |= added
                walk.enqueue(target, edge.extra)
    _manifest_roots(walk, groups, member_target)
    if lock.conflicts:
        _collect_extras(walk)
        _check_activated(lock, walk.active)
    walk.drain()
    chosen: list[SelectedPackage] = []
    skipped: list[str] = []
    for key, installed in walk.nodes.items():
        package = walk.by_key[key]
        if not installed:
            skipped.append(package.name)
            continue
        chosen.append(_artifact(package, tags, markers, build, workspace_root, editable))
    chosen.sort(key=lambda p: (p.name, p.version or ""))
    return Selection(tuple(chosen), tuple(sorted(set(skipped))))


def _manifest_roots(walk: _Walk, groups: Groups, member_target: bool) -> None:
    """A virtual root's requirements and groups, recorded in `[manifest]`."""
    manifest = walk.lock.manifest
    for requirement in manifest.requirements:
        if not walk.markers.holds(requirement.marker):
            continue
        package = walk.find_by_markers(requirement)
        walk.nodes[_key(package)] = walk.installable(package) if groups.prod else False
        walk.enqueue(package, normalized_names(requirement.extras))
    for group, requirements in sorted(manifest.dependency_groups.items()):
        if not groups.contains(group) or (member_target and groups.by_default(group)):
            continue
        for requirement in requirements:
            if not walk.markers.holds(requirement.marker):
                continue
            package = walk.find_by_markers(requirement)
            key = _key(package)
            if key not in walk.nodes or not groups.prod:
                walk.nodes[key] = walk.installable(package)
            extras = normalized_names(requirement.extras)
            walk.activate(package.name, extras)
            walk.enqueue(package, extras)


def _check_activated(lock: Lock, active: set[str]) -> None:
    """Two extras of one conflict set activated by the graph itself (not by the request)."""
    for conflict_set in lock.conflicts:
        on = [item for item in conflict_set if item.extra is not None
              and conflict_variable(item.package, extra=item.extra) in active]
        if len(on) >= 2:
            first, second = on[0], on[1]
            raise SelectionError(
                f"Found conflicting extras `{first.package}[{first.extra}]` and "
                f"`{second.package}[{second.extra}]` enabled simultaneously")


# -- artifacts ------------------------------------------------------------------------------


def package_id(package: LockPackage) -> str:
    """How uv names a locked package in messages: `a==1.0 @ registry+https://...`."""
    source = package.source
    if isinstance(source, RegistrySource):
        text = f"registry+{source.registry}"
    elif isinstance(source, GitSource):
        text = f"git+{source.git}"
    elif isinstance(source, UrlSource):
        text = f"direct+{source.url}"
    elif isinstance(source, PathSource):
        text = f"path+{source.path}"
    elif isinstance(source, DirectorySource):
        text = f"directory+{source.directory}"
    elif isinstance(source, EditableSource):
        text = f"editable+{source.editable}"
    else:
        text = f"virtual+{source.virtual}"
    version = f"=={package.version}" if package.version is not None else ""
    return f"{package.name}{version} @ {text}"


def _wheel_filename(wheel: Wheel) -> str:
    if wheel.filename is not None:
        return wheel.filename
    return location_filename(wheel.url or wheel.path or "")


def _build_tag(filename: str) -> tuple[int, str]:
    parts = filename[:-4].split("-")
    if len(parts) == 6:
        match = re.match(r"(\d+)(.*)", parts[2])
        if match:
            return (int(match.group(1)), match.group(2))
    return (-1, "")


def best_wheel(wheels: Sequence[Wheel], tags: TargetTags) -> Wheel | None:
    """The wheel whose best tag ranks highest for `tags` (then the highest build tag, then
    the first listed), or `None` when none fits."""
    best: tuple[tuple[int, tuple[int, str]], Wheel] | None = None
    for wheel in wheels:
        filename = _wheel_filename(wheel)
        triple = "-".join(filename[:-4].split("-")[-3:])
        rank = tags.priority(triple)
        if rank is None:
            continue
        score = (-rank, _build_tag(filename))
        if best is None or score > best[0]:
            best = (score, wheel)
    return best[1] if best is not None else None


def _absolute(root: str, path: str) -> str:
    return os.path.normpath(os.path.join(root, path))


def _archive_location(root: str, url: str | None, path: str | None
                      ) -> tuple[str | None, str | None]:
    if url is not None:
        return url.partition("#")[0], None
    if path is not None:
        return None, _absolute(root, path)
    return None, None


def _artifact(package: LockPackage, tags: TargetTags, markers: Mapping[str, str],
              build: BuildPolicy, root: str, editable: bool) -> SelectedPackage:
    source = package.source
    name = package.name
    no_binary = build.binary_disabled(name)
    no_build = build.build_disabled(name)
    if not no_binary and package.wheels:
        wheel = best_wheel(package.wheels, tags)
        if wheel is not None:
            return _wheel_choice(package, wheel, root)
    choice = _source_choice(package, root, editable)
    if choice is not None and not no_build:
        return choice
    pid = package_id(package)
    # A URL or path that is itself a wheel (uv's `is_wheel` sources); a registry package
    # with only wheels gets the "neither" message.
    location = source.url if isinstance(source, UrlSource) else \
        source.path if isinstance(source, PathSource) else ""
    wheel_only = location.partition("#")[0].endswith(".whl")
    if no_binary and no_build:
        raise SelectionError(f"Distribution `{pid}` can't be installed because it is marked "
                             "as both `--no-binary` and `--no-build`")
    if no_binary and wheel_only:
        raise SelectionError(f"Distribution `{pid}` can't be installed because it is marked "
                             "as `--no-binary` but is itself a binary distribution")
    if no_binary:
        raise SelectionError(f"Distribution `{pid}` can't be installed because it is marked "
                             "as `--no-binary` but has no source distribution")
    if no_build:
        raise SelectionError(f"Distribution `{pid}` can't be installed because it is marked "
                             "as `--no-build` but has no binary distribution")
    from puv.lock._wheel_hint import wheel_tag_hint

    hint = wheel_tag_hint(name, package.version,
                          [_wheel_filename(w) for w in package.wheels], tags, markers)
    if wheel_only:
        raise SelectionError(f"Distribution `{pid}` can't be installed because the binary "
                             "distribution is incompatible with the current platform",
                             hint=hint)
    raise SelectionError(f"Distribution `{pid}` can't be installed because it doesn't have "
                         "a source distribution or wheel for the current platform", hint=hint)


def _wheel_choice(package: LockPackage, wheel: Wheel, root: str) -> SelectedPackage:
    source = package.source
    filename = _wheel_filename(wheel)
    if isinstance(source, PathSource):
        return SelectedPackage(package=package, kind="path", filename=filename,
                               path=_absolute(root, source.path), is_wheel=True,
                               hash=wheel.hash, size=wheel.size)
    if isinstance(source, UrlSource):
        return SelectedPackage(package=package, kind="url", filename=filename,
                               url=wheel.url or source.url, is_wheel=True, hash=wheel.hash,
                               size=wheel.size, subdirectory=source.subdirectory)
    if isinstance(source, GitSource):
        raise SelectionError(f"Distribution `{package_id(package)}` is a Git source with "
                             "a wheel, which puv cannot install yet")
    url, path = _archive_location(root, wheel.url, wheel.path)
    return SelectedPackage(package=package, kind="registry", filename=filename, url=url,
                           path=path, is_wheel=True, hash=wheel.hash, size=wheel.size)


def _sdist_filename(sdist: Sdist, fallback: str) -> str:
    return location_filename(sdist.url or sdist.path or fallback)


def _source_choice(package: LockPackage, root: str, editable: bool) -> SelectedPackage | None:
    """The source to build: the sdist of a registry, URL or path package, a local tree or a
    Git checkout; `None` when there is none."""
    source = package.source
    sdist = package.sdist
    if isinstance(source, EditableSource | DirectorySource):
        tree = _absolute(root, _source_path(source) or ".")
        kind: Kind = "editable" if isinstance(source, EditableSource) and editable \
            else "directory"
        return SelectedPackage(package=package, kind=kind, path=tree)
    if isinstance(source, GitSource):
        repository, rev, subdirectory, commit = source.parts()
        return SelectedPackage(package=package, kind="git", url=repository, rev=rev,
                               subdirectory=subdirectory, commit=commit)
    if sdist is None:
        return None
    if isinstance(source, UrlSource):
        return SelectedPackage(package=package, kind="url",
                               filename=_sdist_filename(sdist, source.url), url=source.url,
                               hash=sdist.hash, size=sdist.size,
                               subdirectory=source.subdirectory)
    if isinstance(source, PathSource):
        return SelectedPackage(package=package, kind="path",
                               filename=_sdist_filename(sdist, source.path),
                               path=_absolute(root, source.path), hash=sdist.hash,
                               size=sdist.size)
    url, path = _archive_location(root, sdist.url, sdist.path)
    return SelectedPackage(package=package, kind="registry",
                           filename=_sdist_filename(sdist, package.name), url=url, path=path,
                           hash=sdist.hash, size=sdist.size)

