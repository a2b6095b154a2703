"""`puv tree`: the project's dependency tree, drawn from `uv.lock` as uv 0.13.8 draws it.

workspace -> interpreter (unless `--frozen --universal`: it gives the markers of the current
platform and locks) -> lock (`lock.py`, with `--locked` / `--frozen`) -> the graph
(`dependency_graph`) -> with `--outdated`, the newest version of each registry package on its
index (`latest_versions`) -> `render_tree` -> stdout.

The graph (uv's `TreeDisplay::new`): a synthetic root points at each workspace member (or the
lock's root project) and at the requirements recorded in `[manifest]`; a member points at
every table of its own (dependencies, every extra, the selected dependency groups), any other
package at its dependencies and at the extras asked of it. Without `--universal`, an edge
whose marker is false for the target environment is left out (conflict extras count as
inactive). `--prune` leaves names out, `--invert` reverses every edge, `--package` keeps what
the named packages reach.

Drawing (`render_tree`): depth first from the roots (the synthetic root's targets in reverse
order of addition, as petgraph yields them; with `--invert`, the packages nothing points to;
with `--package`, the named ones), children sorted by kind (dependencies, then extras, then
groups, each by name) and package. A package reached with extras expands only the extras it
was asked for (a root expands all of its). A package already drawn with the same extras (and,
inverted, under the same marker) is not expanded again: its line ends with ` (*)` when it has
children; one on the current path always gets ` (*)` (a cycle). Packages at `--depth` are
drawn but neither expanded nor remembered.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from puv.errors import PuvError

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Callable

    from puv.cache import Cache
    from puv.core.marker_algebra import MarkerTree
    from puv.lock._request import Groups, GroupsRequest
    from puv.lock.model import Lock, LockDependency, LockPackage, LockRequirement, Source
    from puv.settings import Settings
    from puv.types import Console

__all__ = ["ALREADY_DISPLAYED", "CYCLE", "TreeGraph", "dependency_graph", "latest_versions",
           "render_tree", "tree"]

ALREADY_DISPLAYED = "(*) Package tree already displayed"
CYCLE = "(*) Package tree is a cycle and cannot be shown"

EdgeKind = Literal["prod", "optional", "dev"]
_Key = tuple[str, "str | None", "Source"]


@dataclass(frozen=True, slots=True)
class TreeEdge:
    """An edge of the tree graph. `label` is the extra (`optional`) or group (`dev`) whose
    table holds it; `extras` the extras it asks of its target (`None`: an edge from the
    synthetic root to a member, which expands every extra); `marker` the lock's marker for it,
    complexified (with `requires-python` and the lock's forks)."""

    source: int
    target: int
    kind: EdgeKind
    label: str | None
    extras: tuple[str, ...] | None
    marker: MarkerTree


@dataclass
class TreeGraph:
    """Nodes (index 0 is the synthetic root, `None`) and edges."""

    packages: list[LockPackage | None] = field(default_factory=lambda: [None])
    edges: list[TreeEdge] = field(default_factory=list)
    index: dict[_Key, int] = field(default_factory=dict)

    def node(self, package: LockPackage) -> int:
        key = (package.name, package.version, package.source)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.packages)
            self.packages.append(package)
        return found


def _package_key(package: LockPackage) -> tuple[object, ...]:
    from puv.lock.writer import package_sort_key

    return package_sort_key(package)


def _lock_root(lock: Lock) -> LockPackage | None:
    """The package at the workspace root (`{ editable = "." }` or `{ virtual = "." }`)."""
    from puv.lock.model import EditableSource, VirtualSource

    for package in lock.packages:
        source = package.source
        path = source.editable if isinstance(source, EditableSource) else \
            source.virtual if isinstance(source, VirtualSource) else None
        if path in (".", ""):
            return package
    return None


class _Markers:
    """The lock's edge markers, complexified, and their value in the target environment."""

    def __init__(self, lock: Lock, environment: Mapping[str, str] | None) -> None:
        from packaging.specifiers import SpecifierSet

        from puv.core.marker_algebra import FALSE, TRUE, MarkerTree
        from puv.core.ranges import Ranges

        self.requires_python = Ranges.from_specifiers(SpecifierSet(lock.requires_python))
        forks = FALSE
        for text in lock.resolution_markers:
            forks = forks | MarkerTree(text).complexify_python(self.requires_python)
        self.forks = forks.without_extras() if lock.resolution_markers else \
            TRUE.complexify_python(self.requires_python)
        self.environment = None if environment is None else \
            {k: v for k, v in environment.items() if k != "extra"}
        self._cache: dict[str | None, MarkerTree] = {}

    def edge(self, text: str | None) -> MarkerTree:
        from puv.core.marker_algebra import MarkerTree

        found = self._cache.get(text)
        if found is None:
            found = self.forks if not text else \
                MarkerTree(text).complexify_python(self.requires_python) & self.forks
            self._cache[text] = found
        return found

    def holds(self, marker: MarkerTree) -> bool:
        return self.environment is None or marker.evaluate(self.environment)


def dependency_graph(lock: Lock, *, environment: Mapping[str, str] | None, groups: Groups,
                     prune: Sequence[str] = ()) -> TreeGraph:
    """The tree graph of `lock` (see the module docstring); `environment` is the target's
    marker values (`None`: universal)."""
    from puv.core.marker_algebra import TRUE, MarkerTree

    markers = _Markers(lock, environment)
    pruned = frozenset(prune)
    graph = TreeGraph()
    by_key = {(p.name, p.version, p.source): p for p in lock.packages}
    queue: list[tuple[LockPackage, str | None]] = []
    seen: set[tuple[int, str | None]] = set()

    def push(package: LockPackage, extras: Sequence[str | None]) -> None:
        node = graph.node(package)
        for extra in extras:
            if (node, extra) not in seen:
                seen.add((node, extra))
                queue.append((package, extra))

    def target(dep: LockDependency) -> LockPackage:
        assert dep.source is not None  # the reader fills it in
        found = by_key.get((dep.name, dep.version, dep.source))
        if found is None:
            raise PuvError(f"The lock file names `{dep.name}` {dep.version or ''} as a "
                           "dependency, but has no such package",
                           hint="run `puv lock` to write it again")
        return found

    members = sorted((p for p in lock.packages if p.name in set(lock.manifest.members))
                     if lock.manifest.members else
                     [root for root in (_lock_root(lock),) if root is not None],
                     key=_package_key)
    for member in members:
        if member.name in pruned:
            continue
        index = graph.node(member)
        graph.edges.append(TreeEdge(0, index, "prod", None, None, TRUE))
        if groups.prod:
            push(member, [None, *sorted(member.optional_dependencies)])
        for group in sorted(member.dev_dependencies):
            if not groups.contains(group):
                continue
            for dep in member.dev_dependencies[group]:
                marker = markers.edge(dep.marker)
                if dep.name in pruned or not markers.holds(marker):
                    continue
                found = target(dep)
                graph.edges.append(TreeEdge(index, graph.node(found), "dev", group,
                                            tuple(dep.extra), marker))
                push(found, [None, *dep.extra])
    manifest = lock.manifest
    requirements: list[tuple[str | None, Sequence[LockRequirement]]] = [
        (None, manifest.requirements)]
    requirements += [(name, items) for name, items in sorted(
        manifest.dependency_groups.items()) if groups.contains(name)]
    for owner, items in requirements:
        for requirement in items:
            wanted = MarkerTree(requirement.marker) if requirement.marker else TRUE
            for package in lock.find(requirement.name):
                marker = package.fork_marker(markers.requires_python).without_extras() & wanted
                if marker.is_false() or not markers.holds(marker):
                    continue
                kind: EdgeKind = "prod" if owner is None else "dev"
                graph.edges.append(TreeEdge(0, graph.node(package), kind, owner,
                                            tuple(requirement.extras), marker))
                push(package, [None, *requirement.extras])
    position = 0
    while position < len(queue):
        package, extra = queue[position]
        position += 1
        index = graph.node(package)
        deps = package.optional_dependencies.get(extra, ()) if extra is not None \
            else package.dependencies
        for dep in deps:
            marker = markers.edge(dep.marker)
            if dep.name in pruned or not markers.holds(marker):
                continue
            found = target(dep)
            graph.edges.append(TreeEdge(index, graph.node(found),
                                        "optional" if extra is not None else "prod", extra,
                                        tuple(dep.extra), marker))
            push(found, [None, *dep.extra])
    return graph


# -- drawing ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cursor:
    node: int
    edge: TreeEdge | None
    marker: MarkerTree


def _node_key(graph: TreeGraph, node: int) -> tuple[object, ...]:
    package = graph.packages[node]
    assert package is not None
    return _package_key(package)


def _reverse(graph: TreeGraph) -> TreeGraph:
    edges = [TreeEdge(e.target, e.source, e.kind, e.label, e.extras, e.marker)
             for e in graph.edges]
    return TreeGraph(graph.packages, edges, graph.index)


def _reachable(graph: TreeGraph, starts: set[int]) -> set[int]:
    targets: dict[int, list[int]] = {}
    for edge in graph.edges:
        targets.setdefault(edge.source, []).append(edge.target)
    found = set(starts)
    stack = sorted(starts)
    while stack:
        for target in targets.get(stack.pop(), ()):
            if target not in found:
                found.add(target)
                stack.append(target)
    return found


def _conflict_marker(lock: Lock) -> MarkerTree:
    """The declared conflicts as a marker: no two items of a set active together."""
    from puv.core.marker_algebra import TRUE, MarkerTree

    marker = TRUE
    for items in lock.conflicts:
        names = []
        for item in items:
            kind = "extra" if item.extra else "group" if item.group else "project"
            label = item.extra or item.group
            text = f"{kind}-{len(item.package)}-{item.package}"
            names.append(f"{text}-{label}" if label else text)
        for i, first in enumerate(names):
            for second in names[i + 1:]:
                marker = marker & MarkerTree(f"extra != '{first}' or extra != '{second}'")
    return marker


class _Drawing:
    def __init__(self, graph: TreeGraph, *, depth: int, no_dedupe: bool, invert: bool,
                 latest: Mapping[tuple[str, str | None], str],
                 style: Callable[[str], str]) -> None:
        self.graph = graph
        self.depth = depth
        self.no_dedupe = no_dedupe
        self.invert = invert
        self.latest = latest
        self.style = style
        self.outgoing: dict[int, list[TreeEdge]] = {}
        for edge in reversed(graph.edges):
            self.outgoing.setdefault(edge.source, []).append(edge)
        self.visited: dict[object, list[int]] = {}

    def expanded(self, package: LockPackage, edge: TreeEdge | None) -> frozenset[str]:
        """The extras whose tables this occurrence of `package` expands."""
        if self.invert:
            return frozenset((edge.label,)) if edge is not None and edge.kind == "optional" \
                and edge.label else frozenset()
        if edge is None or edge.extras is None:
            return frozenset(package.optional_dependencies)
        return frozenset(e for e in edge.extras if e in package.optional_dependencies)

    def line(self, package: LockPackage, edge: TreeEdge | None) -> str:
        text = package.name
        if edge is not None and edge.extras:
            text += "[" + ", ".join(edge.extras) + "]"
        if package.version is not None:
            text += f" v{package.version}"
        if edge is not None and edge.kind == "optional":
            text += f" (extra: {edge.label})"
        elif edge is not None and edge.kind == "dev":
            text += f" (group: {edge.label})"
        return text

    def children(self, cursor: _Cursor, expanded: frozenset[str]) -> list[_Cursor]:
        from puv.core.marker_algebra import TRUE

        edge = cursor.edge
        if self.invert and edge is not None and edge.kind == "dev":
            return []  # a member's group belongs to the member as a root, not as a dependency
        found: list[_Cursor] = []
        for child in self.outgoing.get(cursor.node, ()):
            if self.graph.packages[child.target] is None:
                continue
            if self.invert:
                if expanded and (child.extras is None or not expanded <= set(child.extras)):
                    continue
                marker = cursor.marker & child.marker
                if marker.is_false():
                    continue
                found.append(_Cursor(child.target, child, marker))
            else:
                if child.kind == "optional" and child.label not in expanded:
                    continue
                found.append(_Cursor(child.target, child, TRUE))

        def order(item: _Cursor) -> tuple[object, ...]:
            assert item.edge is not None
            kind = {"prod": 0, "optional": 1, "dev": 2}[item.edge.kind]
            return (kind, item.edge.label or "", _node_key(self.graph, item.node))

        return sorted(found, key=order)

    def visit(self, cursor: _Cursor, path: list[object]) -> list[str]:
        if len(path) > self.depth:
            return []
        package = self.graph.packages[cursor.node]
        if package is None:
            return []
        edge = cursor.edge
        expanded = self.expanded(package, edge)
        key = (cursor.node, expanded, cursor.marker if self.invert else None)
        line = self.line(package, edge)
        if key in path:
            return [f"{line} (*)"]
        if not self.no_dedupe and key in self.visited:
            return [f"{line} (*)"] if self.visited[key] else [line]
        latest = self.latest.get((package.name, package.version))
        if latest is not None:
            line += " " + self.style(f"(latest: v{latest})")
        children = self.children(cursor, expanded)
        if len(path) < self.depth:
            self.visited[key] = [child.node for child in children]
        path.append(key)
        lines = [line]
        for number, child in enumerate(children):
            last = number == len(children) - 1
            top, rest = ("└── ", "    ") if last else ("├── ", "│   ")
            for index, text in enumerate(self.visit(child, path)):
                lines.append((top if index == 0 else rest) + text)
        path.pop()
        return lines


def render_tree(lock: Lock, graph: TreeGraph, *, depth: int = 255, packages: Sequence[str] = (),
                no_dedupe: bool = False, invert: bool = False,
                latest: Mapping[tuple[str, str | None], str] | None = None,
                style: Callable[[str], str] = lambda text: text,
                italic: Callable[[str], str] = lambda text: text) -> list[str]:
    """The tree's lines (see the module docstring), with uv's footer when a line was cut
    short with `(*)`. `latest` maps locked packages (name, version) to a newer version
    (`--outdated`), shown with `style`; the footer is shown with `italic`."""
    from puv.core.marker_algebra import TRUE

    if invert:
        graph = _reverse(graph)
    if packages:
        named = {i for i, p in enumerate(graph.packages) if p is not None and p.name in packages}
        kept = _reachable(graph, named)
        graph = TreeGraph(graph.packages,
                          [e for e in graph.edges if e.source in kept and e.target in kept],
                          graph.index)
        roots = sorted(named, key=lambda n: _node_key(graph, n))
    elif invert:
        targets = {e.target for e in graph.edges}
        roots = sorted((n for n, p in enumerate(graph.packages)
                        if p is not None and n not in targets),
                       key=lambda n: _node_key(graph, n))
    else:
        roots = [0]
    start = _conflict_marker(lock) if lock.conflicts else TRUE
    drawing = _Drawing(graph, depth=depth, no_dedupe=no_dedupe, invert=invert,
                       latest=latest or {}, style=style)
    lines: list[str] = []
    for root in roots:
        if root == 0:
            for edge in drawing.outgoing.get(0, ()):
                lines += drawing.visit(_Cursor(edge.target, edge, start), [])
        else:
            lines += drawing.visit(_Cursor(root, None, start), [])
    if any("*" in line for line in lines):
        lines.append(italic(CYCLE if no_dedupe else ALREADY_DISPLAYED))
    return lines


# -- --outdated --------------------------------------------------------------------------------


def _contained(lock_range: object, file_requires: str | None) -> bool:
    """uv's `RequiresPython::is_contained_by`: the lock's lowest Python is at or above the
    file's lowest (upper bounds are not compared)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from puv.core.ranges import Ranges

    if not file_requires:
        return True
    try:
        target = Ranges.from_specifiers(SpecifierSet(file_requires)).lowest()
    except InvalidSpecifier:
        return True
    assert isinstance(lock_range, Ranges)
    own = lock_range.lowest()
    if target is None:
        return True
    if own is None:
        return False
    if own.version != target.version:
        return own.version > target.version
    return target.inclusive or not own.inclusive


def _cutoff(lock: Lock, name: str) -> float | None:
    """The `exclude-newer` cut-off recorded for `name`, as a POSIX time (`None`: none); a
    relative one (an ISO 8601 span) counts back from now."""
    from puv.lock.model import RelativeExcludeNewer
    from puv.settings.resolver import parse_exclude_newer

    options = lock.options
    specific = options.exclude_newer_package.get(name)
    text: str | None
    if specific is False:
        return None
    if isinstance(specific, str):
        text = specific
    elif isinstance(specific, RelativeExcludeNewer):
        text = specific.span
    else:
        text = options.exclude_newer_span or options.exclude_newer
    if text is None:
        return None
    try:
        return parse_exclude_newer(text)
    except ValueError:
        return None


def _before(upload_time: str | None, cutoff: float | None) -> bool:
    from puv.resolver.files import upload_timestamp

    uploaded = upload_timestamp(upload_time)
    return cutoff is None or uploaded is None or uploaded < cutoff


def latest_versions(lock: Lock, settings: Settings, cache: Cache
                    ) -> dict[tuple[str, str | None], str]:
    """The newest version of each registry package on the index it was locked from, where it
    is newer than the locked one (uv's `LatestClient`): not yanked, uploaded before the lock's
    `exclude-newer`, a pre-release only with `prerelease = "allow"`, and with a file whose
    `Requires-Python` covers the lock's (any wheel tag counts)."""
    from packaging.specifiers import SpecifierSet
    from packaging.version import InvalidVersion, Version

    from puv.core.ranges import Ranges
    from puv.index.locations import Index, IndexLocations
    from puv.index.registry import Registry
    from puv.lock.model import RegistrySource
    from puv.net.auth import CredentialStore
    from puv.net.client import HttpOptions

    packages = [p for p in lock.packages if isinstance(p.source, RegistrySource)
                and "://" in p.source.registry and p.version is not None]
    if not packages:
        return {}
    urls = list(dict.fromkeys(p.source.registry for p in packages
                              if isinstance(p.source, RegistrySource)))
    names = {url: f"puv-lock-{number}" for number, url in enumerate(urls)}
    credentials = CredentialStore()
    IndexLocations.from_settings(settings, credentials)  # learns the configured credentials
    locations = IndexLocations([Index(url, name=names[url]) for url in urls])
    registry = Registry(locations, cache, HttpOptions.from_settings(settings),
                        credentials=credentials, refresh=True)
    pins = {p.name: names[p.source.registry] for p in packages
            if isinstance(p.source, RegistrySource)}
    try:
        projects = registry.start_projects(sorted(pins), pins=pins).result()
    finally:
        registry.close()
    lock_range = Ranges.from_specifiers(SpecifierSet(lock.requires_python))
    allow_prereleases = lock.options.prerelease_mode == "allow"
    found: dict[tuple[str, str | None], str] = {}
    for package in packages:
        files = projects.get(package.name)
        if not files:
            continue
        cutoff = _cutoff(lock, package.name)
        best: Version | None = None
        for version in files.versions:
            if (version.is_prerelease) and not allow_prereleases:
                continue
            if best is not None and version <= best:
                continue
            if any(not c.file.is_yanked and _before(c.file.upload_time, cutoff)
                   and _contained(lock_range, c.file.requires_python)
                   for c in files.files(version)):
                best = version
        try:
            locked = Version(package.version or "")
        except InvalidVersion:
            continue
        if best is not None and best > locked:
            found[(package.name, package.version)] = str(best)
    return found


# -- the command -------------------------------------------------------------------------------


def tree(
    *,
    project_dir: str,
    groups: GroupsRequest,
    lock_step: str = "write",
    lock_source: str = "`--locked`",
    universal: bool = False,
    depth: int = 255,
    prune: Sequence[str] = (),
    packages: Sequence[str] = (),
    no_dedupe: bool = False,
    invert: bool = False,
    outdated: bool = False,
    python_version: str | None = None,
    python_platform: str | None = None,
    settings: Settings,
    cache: Cache,
    console: Console,
) -> list[str]:
    """`puv tree` (see the module docstring): the lines to print. `lock_step` is `write`,
    `locked` or `frozen`; `lock_source` the flag that asked for it, as the missing-lock error
    names it."""
    from puv.commands.project.environment import project_environment
    from puv.commands.project.lock import LockMode, lock_project
    from puv.workspace.project import discover_workspace

    workspace = discover_workspace(project_dir)
    interpreter = None
    if not (lock_step == "frozen" and universal):
        interpreter = project_environment(workspace, settings, cache, console,
                                          dry_run=True).interpreter
    if lock_step in ("frozen", "locked") and not os.path.isfile(workspace.lock_path):
        from puv.commands.project.lock import missing_lock

        raise missing_lock(lock_source)
    mode = {"frozen": LockMode.FROZEN, "locked": LockMode.LOCKED}.get(lock_step,
                                                                       LockMode.WRITE)
    lock = lock_project(workspace, settings, cache, console, mode=mode,
                        interpreter=interpreter).lock
    environment = None
    if not universal:
        from puv.commands.pip.target import target_markers

        assert interpreter is not None
        environment = target_markers(interpreter, python_version=python_version,
                                     python_platform=python_platform)
    latest = latest_versions(lock, settings, cache) if outdated else {}
    graph = dependency_graph(lock, environment=environment,
                             groups=groups.resolve(workspace.default_groups), prune=prune)
    colored = console.style("x", "bold") != "x"
    return render_tree(lock, graph, depth=depth, packages=packages, no_dedupe=no_dedupe,
                       invert=invert, latest=latest,
                       style=lambda text: console.style(console.style(text, "bold"), "cyan"),
                       italic=lambda text: f"\x1b[3m{text}\x1b[0m" if colored else text)

