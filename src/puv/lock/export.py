"""`uv.lock` exported as a `requirements.txt` or a `pylock.toml` (PEP 751), as uv 0.13.8 writes
them (`puv export`). Pure: no file is read, no interpreter run.

An export is universal: every package any platform may install, each with the marker under
which it is installed. The markers come from a walk of the lock graph (uv's
`ExportableRequirements::from_lock`):

1. a synthetic root points at each target member (with production dependencies selected), at
   the packages of the members' selected dependency groups (so a group's packages hang off the
   root, not off the member) and at the requirements recorded in `[manifest]` (a virtual
   workspace root's dependencies and groups);
2. from each package, its `dependencies` and the `optional-dependencies` of the extras asked
   of it are followed, pruned names left out; each edge carries the lock's marker for it,
   restricted to the union of the lock's forks (`resolution-markers`, which cover its
   `environments`), as uv restores it when it reads a lock;
3. a package's marker is the union, over every path from the root, of the conjunction of the
   edge markers on the path (a fixpoint, as uv's `marker_reachability` computes it). With
   `[tool.uv] conflicts`, the encoded conflict extras of the markers (`extra ==
   'extra-2-p3-new'`) are replaced along the way by the condition under which that extra or
   group is active (uv's `conflict_marker_reachability`), so the markers written are plain
   PEP 508.

`requirements_txt` and `pylock_toml` render the result (see their docstrings).
"""

from __future__ import annotations

import datetime
import os
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from packaging.specifiers import SpecifierSet

from puv.core.marker_algebra import FALSE, TRUE, MarkerTree
from puv.core.ranges import Ranges
from puv.lock._request import (
    ExtrasRequest,
    Groups,
    InstallFilter,
    SelectionError,
    normalized_names,
    root_packages,
)
from puv.lock.model import (
    DirectorySource,
    EditableSource,
    GitSource,
    Lock,
    LockDependency,
    LockPackage,
    PathSource,
    RegistrySource,
    Source,
    UrlSource,
    VirtualSource,
    location_filename,
)
from puv.lock.writer import package_sort_key
from puv.workspace.project import conflict_variable

__all__ = ["EditableMode", "ExportedPackage", "exported_packages", "package_hashes",
           "pylock_toml", "requirements_txt"]

EditableMode = Literal["editable", "non-editable"]


@dataclass(frozen=True, slots=True)
class ExportedPackage:
    """A package of the export: the marker under which it is installed (`TRUE`: always) and
    the names of the packages that depend on it (sorted, for `# via`)."""

    package: LockPackage
    marker: MarkerTree
    dependents: tuple[str, ...] = ()


# -- the graph -------------------------------------------------------------------------------

_Key = tuple[str, str | None, Source]
_ROOT = 0
EdgeKind = Literal["prod", "optional", "dev"]


@dataclass(frozen=True, slots=True)
class _Edge:
    source: int
    target: int
    kind: EdgeKind
    label: str | None  # the extra (`optional`) or group (`dev`) of the edge
    marker: MarkerTree
    extras: tuple[str, ...] = ()  # the extras the edge asks of its target


def _key(package: LockPackage) -> _Key:
    return (package.name, package.version, package.source)


class _Graph:
    """Nodes (index 0 is the synthetic root) and edges, in the order uv adds them."""

    def __init__(self, lock: Lock) -> None:
        self.lock = lock
        self.packages: list[LockPackage | None] = [None]
        self.index: dict[_Key, int] = {}
        self.edges: list[_Edge] = []
        self.outgoing: list[list[int]] = [[]]
        self.incoming: list[list[int]] = [[]]
        self.by_key = {_key(p): p for p in lock.packages}
        self.has_extras = False  # whether an edge marker tests an extra
        self._markers: dict[str | None, MarkerTree] = {}
        self.requires_python = Ranges.from_specifiers(SpecifierSet(lock.requires_python))
        # uv restricts every edge to the union of the lock's forks (`resolution-markers`),
        # which covers the supported environments.
        forks = FALSE
        for text in lock.resolution_markers:
            forks = forks | MarkerTree(text)
        self.environments = forks.without_extras().simplify_python(self.requires_python) \
            if lock.resolution_markers else TRUE

    def node(self, package: LockPackage) -> int:
        key = _key(package)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.packages)
            self.packages.append(package)
            self.outgoing.append([])
            self.incoming.append([])
        return found

    def add_edge(self, source: int, target: int, kind: EdgeKind, label: str | None,
                 marker: MarkerTree, extras: Iterable[str] = ()) -> None:
        self.outgoing[source].append(len(self.edges))
        self.incoming[target].append(len(self.edges))
        self.edges.append(_Edge(source, target, kind, label, marker, tuple(extras)))

    def target(self, edge: LockDependency) -> LockPackage:
        assert edge.source is not None  # the reader fills it in
        found = self.by_key.get((edge.name, edge.version, edge.source))
        if found is None:
            raise SelectionError(f"The lock file names `{edge.name}` {edge.version or ''} as "
                                 "a dependency, but has no such package",
                                 hint="run `puv lock` to write it again")
        return found

    def edge_marker(self, text: str | None) -> MarkerTree:
        """A lock edge's marker, restricted to the lock's forks."""
        found = self._markers.get(text)
        if found is None:
            found = (MarkerTree(text) if text else TRUE) & self.environments
            self._markers[text] = found
            if text and "extra" in text:
                self.has_extras = True
        return found


class _Builder:
    """Builds the export graph (see the module docstring): the roots, then a breadth-first
    walk of the dependency tables, as uv adds nodes and edges."""

    def __init__(self, lock: Lock, prune: frozenset[str]) -> None:
        self.graph = _Graph(lock)
        self.prune = prune
        self.queue: list[tuple[LockPackage, str | None]] = []
        self.seen: set[tuple[_Key, str | None]] = set()
        # The projects, extras and groups the request activates (each `TRUE`), as uv's
        # encoded conflict items.
        self.known: dict[str, MarkerTree] = {}

    def push(self, package: LockPackage, extras: Iterable[str | None]) -> None:
        for extra in extras:
            if (_key(package), extra) not in self.seen:
                self.seen.add((_key(package), extra))
                self.queue.append((package, extra))

    def roots(self, roots: Sequence[LockPackage], extras: ExtrasRequest,
              groups: Groups) -> None:
        graph, known = self.graph, self.known
        for package in roots:
            if package.name in self.prune:
                continue
            known[conflict_variable(package.name)] = TRUE
            if groups.prod:
                graph.add_edge(_ROOT, graph.node(package), "prod", None, TRUE)
                chosen = extras.selected(package.optional_dependencies)
                self.push(package, [None, *chosen])
                known.update((conflict_variable(package.name, extra=e), TRUE) for e in chosen)
            for group in sorted(package.dev_dependencies):
                if not groups.contains(group):
                    continue
                known[conflict_variable(package.name, group=group)] = TRUE
                for dep in package.dev_dependencies[group]:
                    if dep.name in self.prune:
                        continue
                    target = graph.target(dep)
                    graph.add_edge(_ROOT, graph.node(target), "dev", group,
                                   graph.edge_marker(dep.marker), dep.extra)
                    self.push(target, [None, *dep.extra])

    def manifest(self, groups: Groups, member_target: bool) -> None:
        """`[manifest]` requirements and selected groups (a virtual workspace root's), each
        joined to every package of its name whose forks it can reach. When one member is the
        target, the root's groups count only when asked for by name."""
        graph = self.graph
        lock = graph.lock
        requirements = [*lock.manifest.requirements]
        for group, items in sorted(lock.manifest.dependency_groups.items()):
            if groups.contains(group) and not (member_target and groups.by_default(group)):
                requirements.extend(items)
        for requirement in requirements:
            if requirement.name in self.prune:
                continue
            wanted = MarkerTree(requirement.marker) if requirement.marker else TRUE
            if requirement.marker and "extra" in requirement.marker:
                graph.has_extras = True
            for package in lock.find(requirement.name):
                marker = package.fork_marker(graph.requires_python) & wanted
                if marker.is_false():
                    continue
                marker = marker.simplify_python(graph.requires_python)
                chosen = normalized_names(requirement.extras)
                graph.add_edge(_ROOT, graph.node(package), "prod", None, marker, chosen)
                self.push(package, [None, *chosen])

    def drain(self) -> None:
        graph = self.graph
        position = 0
        while position < len(self.queue):
            package, extra = self.queue[position]
            position += 1
            index = graph.index[_key(package)]
            edges = package.optional_dependencies.get(extra, ()) if extra is not None \
                else package.dependencies
            for dep in edges:
                if dep.name in self.prune:
                    continue
                target = graph.target(dep)
                graph.add_edge(index, graph.node(target), "optional" if extra else "prod",
                               extra, graph.edge_marker(dep.marker), dep.extra)
                self.push(target, [None, *dep.extra])


# -- markers ---------------------------------------------------------------------------------

_EXTRA_TERM = re.compile(r"extra [=!]= '([^']*)'")
_ENCODED = re.compile(r"^(?:extra|group|project)-[0-9]+-")


def _resolve_extras(marker: MarkerTree, scope: str | None,
                    known: Mapping[str, MarkerTree]) -> MarkerTree:
    """`marker` with each `extra` test replaced by the condition under which that item is
    active (uv's `resolve_activated_extras`): an encoded conflict item (`extra ==
    'extra-2-p3-new'`) by its entry in `known`, a plain extra by the entry of `scope`'s extra
    of that name; an item not known is inactive."""
    if marker.is_true() or marker.is_false():
        return marker
    text = marker.contents() or ""
    for name in dict.fromkeys(_EXTRA_TERM.findall(text)):
        if _ENCODED.match(name):
            condition = known.get(name, FALSE)
        elif scope is not None:
            condition = known.get(conflict_variable(scope, extra=name), FALSE)
        else:
            condition = FALSE
        on = marker.simplify_extras([name])
        off = marker.simplify_not_extras([name])
        marker = (condition & on) | (~condition & off)
    return marker


def _reachability(graph: _Graph) -> dict[int, MarkerTree]:
    """The marker under which each node is reached (uv's `marker_reachability`): the union
    over the paths from a root of the conjunction of their edge markers."""
    reach: dict[int, MarkerTree] = {}
    stack = [n for n in range(len(graph.packages)) if not graph.incoming[n]]
    for node in stack:
        reach[node] = TRUE
    while stack:
        parent = stack.pop()
        marker = reach[parent]
        for edge_id in reversed(graph.outgoing[parent]):
            edge = graph.edges[edge_id]
            child = edge.marker & marker
            existing = reach.get(edge.target)
            if existing is not None:
                child = child | existing
                if child == existing:
                    continue
            reach[edge.target] = child
            stack.append(edge.target)
    return reach


def _conflict_reachability(graph: _Graph, known: dict[str, MarkerTree]
                           ) -> dict[int, MarkerTree]:
    """`_reachability` that also tracks, per node, when each extra, group and project is
    active, and resolves the `extra` tests of the markers with it (uv's
    `conflict_marker_reachability`)."""
    maps: dict[int, dict[str, MarkerTree]] = {}
    reach: dict[int, MarkerTree] = {}
    stack = [n for n in range(len(graph.packages)) if not graph.incoming[n]]
    for node in stack:
        reach[node] = TRUE
    while stack:
        parent = stack.pop()
        package = graph.packages[parent]
        scope = package.name if package is not None else None
        reach[parent] = _resolve_extras(reach[parent], scope, maps.get(parent, known))
        for edge_id in reversed(graph.outgoing[parent]):
            edge = graph.edges[edge_id]
            parent_marker = reach[parent]
            parent_map = dict(maps.get(parent, known))
            child = graph.packages[edge.target]
            assert child is not None
            for extra in edge.extras:
                parent_map[conflict_variable(child.name, extra=extra)] = parent_marker
            if edge.kind == "optional" and package is not None:
                item = conflict_variable(package.name, extra=edge.label)
                active = parent_map.setdefault(item, parent_marker)
                marker = _resolve_extras(edge.marker, scope, parent_map) & active
            else:
                if edge.kind == "dev" and package is not None:
                    parent_map[conflict_variable(package.name, group=edge.label)] = \
                        parent_marker
                marker = _resolve_extras(edge.marker, scope, parent_map)
            parent_map = {item: value & marker for item, value in parent_map.items()}
            parent_marker = parent_marker & marker
            child_map = maps.get(edge.target)
            if child_map is None:
                maps[edge.target] = parent_map
            else:
                for item, value in parent_map.items():
                    child_map[item] = child_map.get(item, FALSE) | value
            existing = reach.get(edge.target)
            if existing is not None:
                parent_marker = parent_marker | existing
                if parent_marker == existing:
                    continue
            reach[edge.target] = parent_marker
            stack.append(edge.target)
    return reach


# -- the packages of an export ---------------------------------------------------------------


def _is_local(source: Source) -> bool:
    return isinstance(source, PathSource | DirectorySource | EditableSource | VirtualSource)


def exported_packages(lock: Lock, *, roots: Sequence[str], extras: ExtrasRequest,
                      groups: Groups, prune: Iterable[str] = (),
                      emit: InstallFilter | None = None, project: str | None = None,
                      annotate: bool = True, member_target: bool = False
                      ) -> list[ExportedPackage]:
    """The packages an export of `roots` (workspace members) writes, in graph order, each with
    its marker and dependents (see the module docstring). `emit` leaves packages out
    (`--no-emit-project`, ...; `project` is the one `--no-emit-project` names); `prune`
    removes names and what only they bring in; `member_target` says one member of a
    workspace is exported (a virtual root's default groups then do not count). Virtual
    packages are included (the renderers skip them)."""
    builder = _Builder(lock, frozenset(normalized_names(prune)))
    builder.roots(root_packages(lock, roots), extras, groups)
    builder.manifest(groups, member_target)
    builder.drain()
    graph, known = builder.graph, builder.known
    reach = _conflict_reachability(graph, known) if lock.conflicts or graph.has_extras \
        else _reachability(graph)
    emit = emit or InstallFilter()
    members = frozenset(lock.manifest.members)
    found: list[ExportedPackage] = []
    for index, package in enumerate(graph.packages):
        if package is None or not emit.includes(
                package.name, is_local=_is_local(package.source), project=project,
                members=members):
            continue
        marker = reach.get(index, TRUE)
        if marker.is_false():
            continue
        dependents: tuple[str, ...] = ()
        if annotate:
            names = {parent.name for parent in (graph.packages[graph.edges[e].source]
                                                  for e in graph.incoming[index])
                     if parent is not None}
            dependents = tuple(sorted(names))
        found.append(ExportedPackage(package, marker, dependents))
    return found


# -- requirements.txt -------------------------------------------------------------------------


def _anchor(path: str) -> str:
    """A relative path as uv writes it in requirements: `./libs/x`, `.`, `../x`."""
    portable = path.replace(os.sep, "/")
    if portable in ("", "."):
        return "."
    if portable.startswith(("./", "../")) or portable in ("..",):
        return portable
    return "./" + portable


def _local(path: str) -> str:
    if os.path.isabs(path):
        from pathlib import Path

        return Path(path).as_uri()
    return _anchor(path)


def _path_key(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.replace(os.sep, "/").split("/") if part not in ("", "."))


def _requirement_order(entry: ExportedPackage) -> tuple[object, ...]:
    """uv's order: editables (by path), then local paths and directories (by path), then the
    rest by package identity (name, version, source)."""
    source = entry.package.source
    if isinstance(source, EditableSource):
        return (0, _path_key(source.editable))
    if isinstance(source, PathSource | DirectorySource):
        path = source.path if isinstance(source, PathSource) else source.directory
        return (1, _path_key(path))
    return (2, package_sort_key(entry.package))


_HASH_RANK = {"md5": 0, "sha256": 1, "sha384": 2, "sha512": 3, "blake2b": 4}


def package_hashes(package: LockPackage) -> list[str]:
    """Every hash the lock records for a package's files (sdist, wheels and their zstd
    companions), as `algorithm:digest`, sorted as uv sorts them."""
    found: list[str] = []
    if package.sdist is not None and package.sdist.hash:
        found.append(package.sdist.hash)
    for wheel in package.wheels:
        if wheel.hash:
            found.append(wheel.hash)
        if wheel.zstd is not None and wheel.zstd.hash:
            found.append(wheel.zstd.hash)

    def order(text: str) -> tuple[int, str]:
        algorithm, _, digest = text.partition(":")
        return (_HASH_RANK.get(algorithm, len(_HASH_RANK)), digest)

    return sorted(found, key=order)


def _git_requirement(source: GitSource) -> str:
    """`git+<repository>@<commit>` (and `#subdirectory=`) from a lock's Git source."""
    base, _rev, subdirectory, commit = source.parts()
    text = f"git+{base}@{commit}" if commit else f"git+{base}"
    return text + (f"#subdirectory={subdirectory}" if subdirectory else "")


def _requirement(package: LockPackage, editable: EditableMode | None,
                 no_editable: frozenset[str]) -> str | None:
    """The requirement line of a package (without marker or hashes); `None`: not written."""
    source = package.source
    if isinstance(source, RegistrySource):
        return f"{package.name}=={package.version}"
    if isinstance(source, GitSource):
        return f"{package.name} @ {_git_requirement(source)}"
    if isinstance(source, UrlSource):
        url = source.url.partition("#")[0]
        if source.subdirectory:
            url += f"#subdirectory={source.subdirectory}"
        return f"{package.name} @ {url}"
    if isinstance(source, PathSource):
        return _local(source.path)
    if isinstance(source, DirectorySource):
        return _local(source.directory)
    if isinstance(source, EditableSource):
        if editable == "non-editable" or package.name in no_editable:
            return _local(source.editable)
        return f"-e {_anchor(source.editable)}"
    return None  # virtual: never installed


def requirements_txt(entries: Sequence[ExportedPackage], *, hashes: bool = True,
                     editable: EditableMode | None = None,
                     no_editable: Iterable[str] = ()) -> str:
    """The packages as uv writes a `requirements.txt` export (no header): editables first,
    then local paths, then the rest by name and version; `name==version` for registry
    packages, `name @ URL` for Git and URL ones, the path for local ones (`-e ./path` when
    editable, unless `editable` is `non-editable` or the name is in `no_editable`); the marker
    after ` ; `; every hash the lock records, sorted, on continuation lines; then `# via`
    lines naming the dependents."""
    no_editable_names = frozenset(normalized_names(no_editable))
    lines: list[str] = []
    for entry in sorted(entries, key=_requirement_order):
        text = _requirement(entry.package, editable, no_editable_names)
        if text is None:
            continue
        marker = entry.marker.contents()
        if marker is not None:
            text += f" ; {marker}"
        if hashes:
            for digest in package_hashes(entry.package):
                text += f" \\\n    --hash={digest}"
        lines.append(text)
        if len(entry.dependents) == 1:
            lines.append(f"    # via {entry.dependents[0]}")
        elif entry.dependents:
            lines.append("    # via")
            lines.extend(f"    #   {name}" for name in entry.dependents)
    return "".join(line + "\n" for line in lines)


# -- pylock.toml -----------------------------------------------------------------------------


def _toml_string(value: str) -> str:
    """A TOML string as toml_edit writes it: basic, or literal when that avoids escapes."""
    plain = not any(ord(c) < 0x20 or c == "\x7f" for c in value)
    if plain and '"' not in value and "\\" not in value:
        return f'"{value}"'
    if plain and "'" not in value:
        return f"'{value}'"
    escaped = []
    for char in value:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or char == "\x7f":
            escaped.append({"\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b",
                            "\f": "\\f"}.get(char, f"\\u{ord(char):04X}"))
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _inline(items: Sequence[tuple[str, str | None]]) -> str:
    shown = [f"{key} = {value}" for key, value in items if value is not None]
    return "{ " + ", ".join(shown) + " }" if shown else "{}"


def _hashes_table(digest: str | None) -> str:
    if not digest:
        return "{}"
    algorithm, _, value = digest.partition(":")
    return f"{{ {algorithm} = {_toml_string(value)} }}"


def _datetime(text: str | None) -> str | None:
    """An upload time as a TOML datetime, in UTC to the second (uv's)."""
    from puv.resolver.files import upload_timestamp  # any fraction length, on Python 3.10 too

    stamp = upload_timestamp(text)
    if stamp is None:
        return None
    moment = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _file_url(location: str | None, path: str | None, root: str) -> str | None:
    if location is not None:
        return location
    if path is not None:
        from pathlib import Path

        return Path(os.path.normpath(os.path.join(root, path))).as_uri()
    return None


def _pylock_package(entry: ExportedPackage, root: str, editable: EditableMode | None,
                    no_editable: frozenset[str]) -> list[str] | None:
    package = entry.package
    source = package.source
    if isinstance(source, VirtualSource):
        return None
    lines = [f"name = {_toml_string(package.name)}"]
    directory = isinstance(source, DirectorySource | EditableSource)
    if package.version is not None and not directory:
        lines.append(f"version = {_toml_string(package.version)}")
    marker = entry.marker.contents()
    if marker is not None:
        lines.append(f"marker = {_toml_string(marker)}")
    if isinstance(source, RegistrySource):
        index = source.registry if "://" in source.registry else \
            _file_url(None, source.registry, root)
        lines.append(f"index = {_toml_string(index or source.registry)}")
    elif isinstance(source, GitSource):
        location, _, commit = source.git.partition("#")
        base, _, query = location.partition("?")
        parameters = dict(urllib.parse.parse_qsl(query))
        revision = next((parameters[k] for k in ("rev", "tag", "branch") if k in parameters),
                        None)
        subdirectory = parameters.get("subdirectory")
        lines.append("vcs = " + _inline([
            ("type", '"git"'), ("url", _toml_string(base)),
            ("requested-revision", _toml_string(revision) if revision else None),
            ("commit-id", _toml_string(commit)),
            ("subdirectory", _toml_string(subdirectory) if subdirectory else None)]))
    elif isinstance(source, DirectorySource | EditableSource):
        path = source.directory if isinstance(source, DirectorySource) else source.editable
        flag: str | None = "true" if isinstance(source, EditableSource) else "false"
        if editable == "non-editable" or package.name in no_editable:
            flag = None
        lines.append("directory = " + _inline([("path", _toml_string(path or ".")),
                                               ("editable", flag)]))
    elif isinstance(source, UrlSource | PathSource):
        artifact = package.sdist if package.sdist is not None else \
            (package.wheels[0] if package.wheels else None)
        if artifact is not None:
            url = path = None
            if isinstance(source, UrlSource):
                url = _toml_string(source.url.partition("#")[0])
            else:
                path = _toml_string(source.path)
            subdirectory = source.subdirectory if isinstance(source, UrlSource) and \
                package.sdist is not None else None
            lines.append("archive = " + _inline([
                ("url", url), ("path", path),
                ("size", str(artifact.size) if artifact.size is not None else None),
                ("subdirectory", _toml_string(subdirectory) if subdirectory else None),
                ("hashes", _hashes_table(artifact.hash))]))
    if isinstance(source, RegistrySource):
        sdist = package.sdist
        if sdist is not None:
            url = _file_url(sdist.url, sdist.path, root)
            if url is not None:
                name = None if sdist.path is None else _toml_string(location_filename(sdist.path))
                if name is not None and location_filename(url) == location_filename(sdist.path or ""):
                    name = None
                lines.append("sdist = " + _inline([
                    ("name", name), ("url", _toml_string(url)),
                    ("upload-time", _datetime(sdist.upload_time)),
                    ("size", str(sdist.size) if sdist.size is not None else None),
                    ("hashes", _hashes_table(sdist.hash))]))
        wheels = []
        for wheel in package.wheels:
            url = _file_url(wheel.url, wheel.path, root)
            if url is None:
                continue
            name = _toml_string(wheel.filename) if wheel.filename and \
                wheel.filename != location_filename(url) else None
            wheels.append(_inline([
                ("name", name), ("url", _toml_string(url)),
                ("upload-time", _datetime(wheel.upload_time)),
                ("size", str(wheel.size) if wheel.size is not None else None),
                ("hashes", _hashes_table(wheel.hash))]))
        if len(wheels) == 1:
            lines.append(f"wheels = [{wheels[0]}]")
        elif wheels:
            lines.append("wheels = [\n" + "".join(f"    {w},\n" for w in wheels) + "]")
    return lines


def pylock_toml(lock: Lock, entries: Sequence[ExportedPackage], *, root: str,
                editable: EditableMode | None = None, no_editable: Iterable[str] = ()) -> str:
    """The packages as uv writes a `pylock.toml` export (no header): `lock-version`,
    `created-by = "uv"`, the lock's `environments` and `requires-python`, then one
    `[[packages]]` table per package, sorted by name, version and source: its version (not for
    local trees), marker, and where it comes from (`index` with `sdist` and `wheels` for
    registry packages, `vcs`, `directory` or `archive`), with every hash the lock records.
    `root` is the workspace root (local registry files become `file://` URLs)."""
    no_editable_names = frozenset(normalized_names(no_editable))
    lines = ['lock-version = "1.0"', 'created-by = "uv"']
    if lock.supported_markers:
        lines.append("environments = [" + ", ".join(
            _toml_string(m) for m in lock.supported_markers) + "]")
    lines.append(f"requires-python = {_toml_string(lock.requires_python)}")
    tables = [_pylock_package(entry, root, editable, no_editable_names)
              for entry in sorted(entries, key=lambda e: package_sort_key(e.package))]
    written = [table for table in tables if table is not None]
    if not written:
        lines.append("packages = []")
    for table in written:
        lines.append("")
        lines.append("[[packages]]")
        lines.extend(table)
    return "\n".join(lines) + "\n"
