"""Universal resolution: one resolution for every platform and Python version at once.

A *fork* is a part of the space of environments, given by a marker (`sys_platform == 'linux'
and python_full_version >= '3.11'`), in which every package has one version. Resolution starts
with one fork, the environments `requires-python` (and `[tool.uv] environments`) allow. In a
fork, a requirement counts when its marker can hold somewhere in the fork; when the
requirements of one version name a package several times under different markers (`a>=2 ;
sys_platform == 'linux'` and `a<2 ; sys_platform == 'darwin'`), or one requirement's marker
raises the lowest Python of the fork, the fork splits along those markers (`split_fork`, uv's
rule) and each part is solved on its own.

uv continues each part from the point of the split; here a split *restarts the solver* from
the root in each narrowed fork (docs/resolver.md). The provider keeps index pages and metadata,
so a restart costs solver time only, and a narrowed fork reaches no requirement its marker
excludes. Forks are solved depth first, those with the higher lowest Python first (uv's
`fork-strategy = "requires-python"`; `"fewest"` takes the lower first), and versions chosen by
a solved fork are preferred by the next ones, so forks differ only where they must.

The result, `UniversalResolution`, is the merged graph the lock file records: every
distribution chosen by some fork, the forks that chose it, and edges between them whose markers
are the requirement's marker within each fork, joined over the forks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from packaging.utils import canonicalize_name
from packaging.version import Version

from puv.core.marker_algebra import MarkerTree
from puv.resolver.pubgrub.package import Package, PackageKind

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from packaging.requirements import Requirement

    from puv.core.metadata import CoreMetadata
    from puv.core.ranges import Ranges
    from puv.distribution import Dist, Distributions
    from puv.index.registry import Registry
    from puv.resolver.registry_provider import RegistryProvider
    from puv.resolver.resolution import (
        ResolvedDist,
        ResolverEnvironment,
        ResolverOptions,
        RootRequirement,
    )

__all__ = [
    "Edge",
    "Fork",
    "ForkRequired",
    "NodeKey",
    "ProjectInput",
    "UniversalResolution",
    "resolve_universal",
    "split_fork",
]


@dataclass(frozen=True, slots=True)
class Fork:
    """A part of the environment space: its marker and the lowest Python version in it."""

    marker: MarkerTree
    python: Version


class ForkRequired(Exception):
    """Raised by the provider when the fork being solved must split into `markers`."""

    def __init__(self, markers: list[MarkerTree]) -> None:
        super().__init__(f"fork into {len(markers)}")
        self.markers = markers


@dataclass(frozen=True, slots=True)
class ProjectInput:
    """A workspace member as the resolver sees it: metadata read from `pyproject.toml`
    (never built) and its dependency groups."""

    metadata: CoreMetadata
    groups: Mapping[str, tuple[Requirement, ...]] = field(default_factory=dict)


class DistKey(NamedTuple):
    """A distribution of the merged forks: one version of a package from one place (`origin`:
    the index URL as configured, or the direct URL or path), since two forks may take the
    same version from two indexes (the seed's `pytorch-cpu` and `pytorch-cu128`)."""

    name: str
    version: Version
    origin: str = ""


@dataclass(frozen=True, slots=True, order=True)
class NodeKey:
    """A node of the merged graph: a distribution at a version from an origin, or one of its
    extras or groups (at most one of `extra`, `group`)."""

    name: str
    version: Version
    extra: str = ""
    group: str = ""
    origin: str = ""

    @property
    def dist(self) -> DistKey:
        return DistKey(self.name, self.version, self.origin)


ROOT_VERSION = Version("0")
ROOT = NodeKey("", ROOT_VERSION)  # the source of edges from the root requirements


@dataclass(slots=True)
class Edge:
    """`source` depends on `target` (with `extras`) where `marker` holds."""

    source: NodeKey
    target: NodeKey
    extras: tuple[str, ...]
    marker: MarkerTree


@dataclass
class UniversalResolution:
    """The merged forks (see the module docstring).

    `forks` are the fork markers in the order they were solved (one `TRUE` fork when nothing
    split); `dists` every chosen distribution by `DistKey`, with `fork_indexes` saying
    which forks chose it; `edges` in the order found, one per (source, target, extras), their
    markers joined over the forks. `requires_python` is the range resolved for.
    """

    requires_python: Ranges
    forks: list[MarkerTree]
    dists: dict[DistKey, ResolvedDist]
    fork_indexes: dict[DistKey, list[int]]
    edges: list[Edge]
    reachability: dict[DistKey, MarkerTree] = field(default_factory=dict)
    metadata: dict[str, CoreMetadata] = field(default_factory=dict)  # of direct references

    @property
    def divergent(self) -> set[str]:
        """The names with several distributions in the resolution (a different version, or
        the same from another index, in some forks)."""
        return _divergent(self.dists)


def _divergent(dists: Iterable[DistKey]) -> set[str]:
    from collections import Counter

    counts = Counter(key.name for key in dists)
    return {name for name, count in counts.items() if count > 1}


def _origin(dist: ResolvedDist) -> str:
    if dist.candidate is not None:
        index = dist.candidate.index
        return index.given if index is not None else ""
    return _place(dist.dist)


def _place(dist: Dist | None) -> str:
    """The origin of a distribution not taken from an index: its path or URL."""
    if dist is None:
        return ""
    return str(getattr(dist, "path", None) or getattr(dist, "url", ""))


def split_fork(fork: Fork, markers_by_name: Mapping[str, Sequence[MarkerTree]]) -> None:
    """Raise `ForkRequired` if the requirements of one version (their markers by package
    name, already known to meet the fork) split `fork` (see the module docstring)."""
    forks = [fork.marker]
    for name in sorted(markers_by_name):
        markers = list(markers_by_name[name])
        if len(markers) == 1 or all(m == markers[0] for m in markers):
            if not _raises_python(markers[0], fork.python):
                continue
            markers = markers[:1]
        for marker in markers:
            if marker.is_true():
                continue
            narrowed: list[MarkerTree] = []
            for part in forks:
                if part.is_disjoint(marker):
                    narrowed.append(part)
                    continue
                rest = part & ~marker
                if not rest.is_false():
                    narrowed.append(rest)
                narrowed.append(part & marker)
            forks = narrowed
    if len(forks) > 1:
        raise ForkRequired(forks)


def _raises_python(marker: MarkerTree, python: Version) -> bool:
    lowest = marker.python_versions().lowest()
    return lowest is not None and lowest.version > python


def _lowest_python(marker: MarkerTree, requires_python: Ranges) -> Version | None:
    bound = (marker.python_versions() & requires_python).lowest()
    return None if bound is None else bound.version


def resolve_universal(
    requirements: Sequence[RootRequirement],
    *,
    registry: Registry,
    distributions: Distributions | None,
    environment: ResolverEnvironment,
    options: ResolverOptions,
    requires_python: Ranges,
    requires_python_text: str,
    environments: Sequence[MarkerTree] = (),
    projects: Sequence[ProjectInput] = (),
    fork_strategy: str = "requires-python",
    lock_preferences: Mapping[str, Sequence[tuple[Version, MarkerTree]]] | None = None,
    root_groups: Sequence[tuple[str, str]] = (),
    direct: Mapping[str, Dist] | None = None,
    direct_names: Iterable[str] = (),
    required_environments: Sequence[MarkerTree] = (),
    index_sources: Mapping[str, Sequence[tuple[MarkerTree, str | None]]] | None = None,
    conflict_forks: Sequence[MarkerTree] = (),
    group_conditions: Mapping[tuple[str, str], MarkerTree] | None = None,
) -> UniversalResolution:
    """Resolve `requirements` for every environment `requires_python` and `environments`
    allow (see the module docstring). `environment` supplies the interpreter named in reports;
    its markers and tags are not used. `lock_preferences` are the versions of an existing
    lock, each with the marker of the forks that chose it; `root_groups` the (project, group)
    pairs the root requires besides `requirements`; `index_sources` the named index each
    package comes from where a marker holds (`[tool.uv.sources]` `index = ...`; `None`: the
    configured indexes), which forks follow with a provider per set of pins;
    `conflict_forks` the parts `[tool.uv] conflicts` split every fork into (markers over uv's
    conflict-item extras), and `group_conditions` where conflicting groups may be active.
    Raises
    `NoSolution` naming the fork that failed when there are several."""
    from packaging.version import Version

    from puv.resolver.pubgrub.report import PythonSource, ReportContext
    from puv.resolver.pubgrub.solver import solve
    from puv.resolver.registry_provider import RegistryProvider

    python_marker = MarkerTree.from_python_ranges(requires_python)
    start = python_marker
    if environments:
        from puv.core.marker_algebra import FALSE

        start = FALSE
        for marker in environments:
            start = start | (python_marker & marker)
    lowest = _lowest_python(start, requires_python) or Version("3")
    fork_preferences: dict[str, list[tuple[Version, MarkerTree]]] = {}
    providers: dict[frozenset[tuple[str, str]], RegistryProvider] = {}

    def provider_for(marker: MarkerTree) -> RegistryProvider:
        """The provider of a fork: one per set of index pins in force there (pages,
        metadata and file choices of a package depend on its index)."""
        pins = _pins(marker, index_sources or {})
        key = frozenset(pins.items())
        found = providers.get(key)
        if found is None:
            found = RegistryProvider(
                requirements, registry=registry, distributions=distributions,
                environment=environment, options=options, fork=Fork(marker, lowest),
                projects=projects, root_groups=root_groups, index_pins=pins)
            for name, dist in (direct or {}).items():
                found.add_direct(name, dist)
            found.direct_names |= {canonicalize_name(name) for name in direct_names}
            found.fork_on_requires_python = fork_strategy != "fewest"
            found.required_environments = list(required_environments)
            found.fork_preferences = fork_preferences
            found.group_conditions = dict(group_conditions or {})
            found.start()
            providers[key] = found
        return found

    provider_for(start)
    members = frozenset(str(p.metadata.name) for p in projects)
    # `[tool.uv] environments` are forks from the start, solved in the order given.
    firsts = [python_marker & marker for marker in environments] or [start]
    if conflict_forks:
        firsts = [f & c for f in firsts for c in conflict_forks if not (f & c).is_false()]
    stack = list(reversed(firsts))
    solved: list[tuple[MarkerTree, object, RegistryProvider]] = []
    while stack:
        marker = stack.pop()
        python = _lowest_python(marker, requires_python) or lowest
        provider = provider_for(marker)
        provider.fork = Fork(marker, python)
        _apply_lock_preferences(provider, marker, lock_preferences)
        context = ReportContext(
            python=requires_python_text, python_source=PythonSource.REQUIRES_PYTHON,
            workspace_members=members,
            prereleases_disallowed=lambda name: options.prerelease == "disallow")
        if len(solved) + len(stack) > 0 and marker != start:
            from dataclasses import replace

            text = marker.simplify_python(requires_python).contents()
            context = replace(context, header="No solution found when resolving dependencies "
                              f"for split (markers: {text})")
        try:
            solution = solve(provider, Package.root(), context=context)
        except ForkRequired as split:
            parts = [(_lowest_python(m, requires_python), i, m)
                     for i, m in enumerate(split.markers)]
            # Pushed lowest Python first, so the highest is solved first; "fewest" reverses.
            reverse = fork_strategy == "fewest" or options.resolution == "lowest"
            parts.sort(key=lambda part: (_sort_version(part[0]), part[1]), reverse=reverse)
            stack.extend(m for _lowest, _i, m in parts)
            continue
        if options.resolution in ("highest", "lowest"):  # not per-package modes, as uv
            where = marker.without_extras()
            for package, version in solution.versions.items():
                if package.kind is PackageKind.NAME:
                    _prefer(fork_preferences.setdefault(package.name, []), version, where)
        solved.append((marker, _fork_graph(provider, solution), provider))
    return _merge(solved, requires_python, start)


def _prefer(entries: list[tuple[Version, MarkerTree]], version: Version, where: MarkerTree
            ) -> None:
    """Record that a fork of environments `where` chose `version`."""
    for i, (known, known_where) in enumerate(entries):
        if known == version:
            entries[i] = (known, known_where | where)
            return
    entries.append((version, where))


def _pins(marker: MarkerTree, sources: Mapping[str, Sequence[tuple[MarkerTree, str | None]]]
          ) -> dict[str, str]:
    """The index each package is pinned to in the fork `marker`: the one of its sources
    whose markers meet the fork, when they all name the same index (a fork that several
    sources meet is split by their requirements before the package is looked up)."""
    pins: dict[str, str] = {}
    for name, entries in sources.items():
        named = {index for where, index in entries if not where.is_disjoint(marker)}
        if len(named) == 1:
            index = named.pop()
            if index is not None:
                pins[name] = index
    return pins


def _sort_version(version: Version | None) -> tuple[int, object]:
    return (0, ()) if version is None else (1, version)


def _apply_lock_preferences(provider: RegistryProvider, marker: MarkerTree,
                            preferences: Mapping[str, Sequence[tuple[Version, MarkerTree]]]
                            | None) -> None:
    """Put, for this fork, the lock's version of each package among the options'
    preferences: where the lock has several, the one whose forks meet this one."""
    if not preferences:
        return
    chosen: dict[str, Version] = {}
    for name, entries in preferences.items():
        for version, where in entries:
            if not where.is_disjoint(marker):
                chosen[name] = version
                break
    from dataclasses import replace

    provider.options = replace(provider.options, preferences=chosen)


@dataclass
class _ForkGraph:
    dists: Mapping[str, ResolvedDist]
    edges: list[tuple[NodeKey, NodeKey, tuple[str, ...], MarkerTree, MarkerTree]]


def _fork_graph(provider: RegistryProvider, solution: object) -> _ForkGraph:
    """The distributions and edges of one solved fork, edges carrying requirement ∧ fork markers."""
    from puv.resolver.pubgrub.solver import Solution

    assert isinstance(solution, Solution) and provider.fork is not None
    fork = provider.fork.marker
    versions = solution.by_name()
    dists = provider.resolved(Solution(
        {Package.named(name): version for name, version in versions.items()})).packages
    origins = {name: _origin(dist) for name, dist in dists.items()}
    edges: list[tuple[NodeKey, NodeKey, tuple[str, ...], MarkerTree, MarkerTree]] = []
    root = Package.root()
    entries = [(root, ROOT_VERSION), *sorted(solution.versions.items())]
    for package, version in entries:
        if package.is_root:
            source = ROOT  # the user's requirements (not a node: `pip compile --universal`)
        elif package.kind is PackageKind.NAME:
            source = NodeKey(package.name, version, origin=origins.get(package.name, ""))
        elif package.kind is PackageKind.EXTRA:
            source = NodeKey(package.name, version, extra=package.extra,
                             origin=origins.get(package.name, ""))
        elif package.kind is PackageKind.GROUP:
            # A group is needed where its project may not be (a conflicting member's groups).
            source = NodeKey(package.name, version, group=package.group,
                             origin=origins.get(package.name)
                             or _place(provider.direct_dist(package.name)))
        else:
            continue
        requirements = provider.requirements_of(package, version)
        if not isinstance(requirements, list):
            continue
        extra = package.extra or None
        substituted: list[Requirement] = []
        for req in requirements:  # overrides replace requirements, markers included
            substituted.extend(provider.effective(req))
        for req in substituted:
            target_name = str(canonicalize_name(req.name))
            target_version = versions.get(target_name)
            if target_version is None:
                continue
            plain = provider.fork_marker(req, extra)
            marker = plain & fork
            if marker.is_false():
                continue
            extras = tuple(sorted(str(canonicalize_name(e)) for e in req.extras))
            edges.append((source, NodeKey(target_name, target_version,
                                          origin=origins.get(target_name, "")),
                          extras, marker, plain))
    return _ForkGraph(dists, edges)


def _merge(solved: list[tuple[MarkerTree, object, RegistryProvider]],
           requires_python: Ranges, universe: MarkerTree) -> UniversalResolution:
    forks = [marker for marker, _graph, _provider in solved]
    dists: dict[DistKey, ResolvedDist] = {}
    fork_indexes: dict[DistKey, list[int]] = {}
    edges: dict[tuple[NodeKey, NodeKey, tuple[str, ...]], Edge] = {}
    plain_markers: dict[tuple[NodeKey, NodeKey, tuple[str, ...]], MarkerTree] = {}
    metadata: dict[str, CoreMetadata] = {}
    members: set[str] = set()
    for index, (_marker, graph, provider) in enumerate(solved):
        metadata.update(provider.known_metadata())
        members |= provider.projects
        assert isinstance(graph, _ForkGraph)
        for name, dist in graph.dists.items():
            key = DistKey(name, dist.version, _origin(dist))
            dists.setdefault(key, dist)
            indexes = fork_indexes.setdefault(key, [])
            if index not in indexes:
                indexes.append(index)
        for source, target, edge_extras, marker, plain in graph.edges:
            edge_key = (source, target, edge_extras)
            found = edges.get(edge_key)
            if found is None:
                edges[edge_key] = Edge(source, target, edge_extras, marker)
                plain_markers[edge_key] = plain
            else:
                found.marker = found.marker | marker
                plain_markers[edge_key] = plain_markers[edge_key] | plain
    # The forks' markers stay on edges only to packages with several versions (where they
    # say which version); elsewhere an edge has its requirement's marker, as in uv's locks,
    # and whether a conflicting workspace member (uv's `project-...` item) is active.
    divergent = _divergent(dists)
    for edge_key, edge in edges.items():
        if edge.target.name not in divergent:
            edge.marker = plain_markers[edge_key] & edge.marker.only_extras("project-")
    roots = [key.name for key in dists if key.name in members]
    return UniversalResolution(requires_python=requires_python, forks=forks, dists=dists,
                               fork_indexes=fork_indexes, edges=list(edges.values()),
                               reachability=_reachability(list(edges.values()), roots,
                                                          universe),
                               metadata=metadata)


def _reachability(edges: list[Edge], roots: list[str], universe: MarkerTree
                  ) -> dict[DistKey, MarkerTree]:
    """For each distribution, where it is needed: the union over paths from the workspace
    members of the conjunction of edge markers (uv prunes a package's wheels to these
    environments)."""
    from puv.core.marker_algebra import FALSE

    reach: dict[NodeKey, MarkerTree] = {ROOT: universe}
    for edge in edges:
        if edge.source.name in roots:
            reach[edge.source] = universe
    changed = True
    while changed:
        changed = False
        for edge in edges:
            source = reach.get(edge.source)
            if source is None:
                continue
            flowing = source & edge.marker
            targets = [edge.target, *(NodeKey(edge.target.name, edge.target.version, extra=e,
                                              origin=edge.target.origin)
                                      for e in edge.extras)]
            for target in targets:
                known = reach.get(target, FALSE)
                joined = known | flowing
                if joined != known:
                    reach[target] = joined
                    changed = True
    out: dict[DistKey, MarkerTree] = {}
    for node, marker in reach.items():
        if node == ROOT:
            continue
        key = node.dist
        out[key] = out.get(key, FALSE) | marker
    for name in roots:
        for key in list(out):
            if key[0] == name:
                out[key] = universe
    return out
