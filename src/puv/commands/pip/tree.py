"""`puv pip tree`: the installed distributions as a dependency tree, drawn as uv draws it.

The graph has one node per installed distribution and an edge for each `Requires-Dist` that
applies here (markers true, no extra requested) and that the installed version satisfies (a
requirement the installed version fails draws no edge, as in uv). `--invert` reverses the
edges; `--package` keeps what is reachable from the named projects; `--prune` drops projects
and the edges to them.

The roots are the nodes nothing points to once the graph is made acyclic: uv removes a
feedback arc set found by the greedy heuristic of Eades, Lin and Smyth, and so does this
module. Which edge of a cycle goes depends on the order nodes are considered in: puv takes
them by name, uv in its hash map's order, so a cycle may be entered from another package.

Each root is drawn depth first, children sorted by name and version. A project already drawn
is not expanded again: its line ends with ` (*)` when it has children (`--no-dedupe` expands
it unless that would loop). With `--show-version-specifiers`, a child shows what its parent
asks of it (`[required: >=1.0]`, or with `--invert` `[requires: parent >=1.0]`).
"""

from __future__ import annotations

from packaging.specifiers import Specifier
from packaging.version import InvalidVersion, Version

from puv.commands.pip.inspect import Dependency, SitePackages, specifiers_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from puv.installer.inventory import InstalledDist

__all__ = ["ALREADY_DISPLAYED", "CYCLE", "render_tree"]

ALREADY_DISPLAYED = "(*) Package tree already displayed"
CYCLE = "(*) Package tree is a cycle and cannot be shown"

# An edge: (source node, target node, the requirement it stands for).
Edge = tuple[int, int, Dependency]


class _Graph:
    def __init__(self, nodes: list[InstalledDist], edges: list[Edge]) -> None:
        self.nodes = nodes
        self.edges = edges
        self.outgoing: list[list[int]] = [[] for _ in nodes]
        for index, (source, _, _) in enumerate(edges):
            self.outgoing[source].append(index)

    def roots(self) -> list[int]:
        """Nodes with no incoming edge once a feedback arc set is removed, by name/version."""
        removed = _feedback_arc_set(len(self.nodes), self.edges)
        has_parent = {target for i, (_, target, _) in enumerate(self.edges) if i not in removed}
        roots = [node for node in range(len(self.nodes)) if node not in has_parent]
        return sorted(roots, key=lambda n: (self.nodes[n].name, self.nodes[n].version))


def _feedback_arc_set(count: int, edges: list[Edge]) -> set[int]:
    """Edges whose removal leaves the graph acyclic (Eades-Lin-Smyth): order the nodes by
    repeatedly taking sinks to the back, sources to the front, and otherwise the node with
    the most outgoing minus incoming edges; the edges pointing backwards are the set (self-loops
    never are)."""
    out_degree = [0] * count
    in_degree = [0] * count
    successors: list[list[int]] = [[] for _ in range(count)]
    predecessors: list[list[int]] = [[] for _ in range(count)]
    for source, target, _ in edges:
        if source == target:
            continue
        out_degree[source] += 1
        in_degree[target] += 1
        successors[source].append(target)
        predecessors[target].append(source)
    alive = set(range(count))
    front: list[int] = []
    back: list[int] = []

    def remove(node: int) -> None:
        alive.discard(node)
        for target in successors[node]:
            in_degree[target] -= 1
        for source in predecessors[node]:
            out_degree[source] -= 1

    while alive:
        changed = True
        while changed:
            changed = False
            for node in sorted(alive):
                if node in alive and out_degree[node] == 0:
                    remove(node)
                    back.append(node)
                    changed = True
            for node in sorted(alive):
                if node in alive and in_degree[node] == 0:
                    remove(node)
                    front.append(node)
                    changed = True
        if alive:
            # Ties go to the last node by name (uv's choice depends on its hash order).
            best = max(sorted(alive, reverse=True), key=lambda n: out_degree[n] - in_degree[n])
            remove(best)
            front.append(best)
    order = front + back[::-1]
    position = {node: i for i, node in enumerate(order)}
    # A self-loop is no feedback arc: a project requiring itself is never a root (as in uv).
    return {i for i, (source, target, _) in enumerate(edges)
            if position[source] > position[target]}


def _build(site: SitePackages, *, prune: set[str], packages: set[str],
           invert: bool) -> _Graph:
    nodes = [dist for dist in site.dists if dist.name not in prune]
    by_name: dict[str, list[int]] = {}
    for index, dist in enumerate(nodes):
        by_name.setdefault(dist.name, []).append(index)
    edges: list[Edge] = []
    for index, dist in enumerate(nodes):
        site.read_metadata(dist)  # unreadable metadata stops the command, as in uv
        for dep in site.dependencies(dist) or ():
            for target in by_name.get(dep.name, ()):
                if dep.url is None and not dep.allows(nodes[target].version):
                    continue
                edges.append((target, index, dep) if invert else (index, target, dep))
    graph = _Graph(nodes, edges)
    if not packages:
        return graph
    reachable = {i for i, dist in enumerate(nodes) if dist.name in packages}
    queue = sorted(reachable)
    while queue:
        node = queue.pop(0)
        for edge in graph.outgoing[node]:
            target = graph.edges[edge][1]
            if target not in reachable:
                reachable.add(target)
                queue.append(target)
    kept = sorted(reachable)
    renumber = {old: new for new, old in enumerate(kept)}
    return _Graph([nodes[i] for i in kept],
                  [(renumber[s], renumber[t], dep) for s, t, dep in edges
                   if s in reachable and t in reachable])


def _simplified(specifiers: list[Specifier]) -> list[Specifier]:
    """The tightest lower and upper bound, and the other specifiers once each."""
    lower: Specifier | None = None
    upper: Specifier | None = None
    others: list[Specifier] = []
    for spec in specifiers:
        if spec.operator in (">", ">="):
            lower = spec if lower is None or _tighter(spec, lower, 1) else lower
        elif spec.operator in ("<", "<="):
            upper = spec if upper is None or _tighter(spec, upper, -1) else upper
        else:
            others.append(spec)
    merged: list[Specifier] = []
    seen: set[str] = set()
    for spec in [s for s in (lower, upper) if s is not None] + others:
        if str(spec) not in seen:
            seen.add(str(spec))
            merged.append(spec)
    return merged


def _tighter(candidate: Specifier, current: Specifier, direction: int) -> bool:
    try:
        new, old = Version(candidate.version), Version(current.version)
    except InvalidVersion:
        return False
    if new != old:
        return new > old if direction > 0 else new < old
    return candidate.operator in (">", "<") and current.operator in (">=", "<=")


def _constraint(deps: Iterable[Dependency]) -> str:
    """What the edges into a node ask of it: a URL, the simplified specifiers, or `*`."""
    specifiers: list[Specifier] = []
    for dep in deps:
        if dep.url is not None:
            return dep.url
        specifiers.extend(dep.specifiers)
    text = specifiers_text(_simplified(specifiers), ", ")
    return text or "*"


class _Renderer:
    def __init__(self, graph: _Graph, *, depth: int, no_dedupe: bool, invert: bool,
                 show_version_specifiers: bool) -> None:
        self.graph = graph
        self.depth = depth
        self.no_dedupe = no_dedupe
        self.invert = invert
        self.show_version_specifiers = show_version_specifiers
        # Project name -> names of its children, for every project drawn so far.
        self.visited: dict[str, list[str]] = {}
        self.path: list[str] = []

    def visit(self, node: int, edges: list[int]) -> list[str]:
        if len(self.path) > self.depth:
            return []
        dist = self.graph.nodes[node]
        line = f"{dist.name} v{dist.version}"
        if self.show_version_specifiers and edges:
            constraint = _constraint(self.graph.edges[e][2] for e in edges)
            if self.invert:
                parent = self.graph.nodes[self.graph.edges[edges[0]][0]].name
                line += f" [requires: {parent} {constraint}]"
            else:
                line += f" [required: {constraint}]"
        seen = self.visited.get(dist.name)
        if seen is not None and (not self.no_dedupe or dist.name in self.path):
            return [f"{line} (*)" if seen else line]
        children: dict[int, list[int]] = {}
        for edge in self.graph.outgoing[node]:
            children.setdefault(self.graph.edges[edge][1], []).append(edge)
        ordered = sorted(children.items(), key=lambda item: (
            self.graph.nodes[item[0]].name, self.graph.nodes[item[0]].version))
        self.visited[dist.name] = [self.graph.nodes[child].name for child, _ in ordered]
        self.path.append(dist.name)
        lines = [line]
        for i, (child, child_edges) in enumerate(ordered):
            last = i == len(ordered) - 1
            top, rest = ("└── ", "    ") if last else ("├── ", "│   ")
            for j, text in enumerate(self.visit(child, child_edges)):
                lines.append((top if j == 0 else rest) + text)
        self.path.pop()
        return lines


def render_tree(site: SitePackages, *, depth: int = 255, prune: Iterable[str] = (),
                packages: Iterable[str] = (), no_dedupe: bool = False, invert: bool = False,
                show_version_specifiers: bool = False) -> list[str]:
    """The lines of `puv pip tree`, the closing `(*)` note included when one is due.

    Raises `MetadataError` when a distribution's metadata cannot be read."""
    from packaging.utils import canonicalize_name

    graph = _build(site, prune={canonicalize_name(p) for p in prune},
                   packages={canonicalize_name(p) for p in packages}, invert=invert)
    renderer = _Renderer(graph, depth=depth, no_dedupe=no_dedupe, invert=invert,
                         show_version_specifiers=show_version_specifiers)
    lines: list[str] = []
    for root in graph.roots():
        renderer.path.clear()
        lines += renderer.visit(root, [])
    if any("(*)" in line for line in lines):
        lines.append(CYCLE if no_dedupe else ALREADY_DISPLAYED)
    return lines
