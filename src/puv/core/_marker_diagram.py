"""The decision diagram behind `puv.core.marker_algebra` (see its docstring): nodes, the
variable order, `and`/`or`/`not`, and uv's impossible platform combinations."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Union, cast

from packaging._parser import Value, Variable  # the classes of `Marker._markers`

from puv.core.ranges import Ranges

if TYPE_CHECKING:
    from collections.abc import Callable

# Diagram order of the string variables (uv's `CanonicalMarkerValueString`).
STRING_KEYS = ("os_name", "sys_platform", "platform_system", "platform_machine",
               "platform_python_implementation", "platform_release", "platform_version",
               "implementation_name")
VERSION_KEYS = ("implementation_version", "python_full_version")
STRING_INDEX = {key: index for index, key in enumerate(STRING_KEYS)}
VERSION_INDEX = {key: index for index, key in enumerate(VERSION_KEYS)}
# Variable categories: the first element of a variable's sort key. Versions come first, as in
# uv 0.13.8 (`python_full_version > '3.9.1' or (... and sys_platform == 'win32')` is the reading
# of a diagram that tests the version first; older uv tested strings first).
VERSION, STRING, IN, CONTAINS, EXTRA, ATOM = range(6)

# Output sort order of terms (uv's `MarkerExpressionKind`, then the keys' enum order).
KIND_ORDER = {key: index for index, key in enumerate((
    "implementation_version", "python_full_version", "python_version", "python_version in",
    "implementation_name", "os_name", "platform_machine", "platform_python_implementation",
    "platform_release", "platform_system", "platform_version", "sys_platform", "extras",
    "dependency_groups", "extra"))}

# `platform_system` values that name exactly one `sys_platform`.
PLATFORM_SYSTEM_TO_SYS_PLATFORM = {"Windows": "win32", "Darwin": "darwin", "Linux": "linux",
                                   "AIX": "aix", "Emscripten": "emscripten",
                                   "Android": "android"}

NEGATED_OP = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">",
              "in": "not in", "not in": "in"}
FLIPPED_OP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}


# -- the diagram -----------------------------------------------------------------------------

# (category, index, text): the key index for strings and versions, the key and the value for
# `in` tests, the name for extras, the output order and the text for atoms.
Var = tuple[int, int, str]
Tree = Union[bool, "Node"]
StringEdges = tuple[tuple[tuple[str, Tree], ...], Tree]  # (value, child) sorted, default
VersionEdges = tuple[tuple[Ranges, Tree], ...]  # one interval each, sorted, covering all
BoolEdges = tuple[Tree, Tree]  # (when true, when false)


class Node:
    """A decision node: `var` (its sort key) and its edges, by category (see the module doc)."""

    __slots__ = ("edges", "hash", "platform", "var")

    var: Var
    edges: object
    hash: int
    platform: bool

    def __init__(self, var: Var, edges: object) -> None:
        self.var = var
        self.edges = edges
        self.hash = hash((var, edges))
        # Whether `os_name`, `sys_platform` or `platform_system` is tested here or below: only
        # then can a conjunction meet one of uv's impossible platform combinations.
        self.platform = (var[0] == STRING and var[1] <= 2) or any(
            isinstance(child, Node) and child.platform for child in children(self))

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Node) and self.hash == other.hash
                                 and self.var == other.var and self.edges == other.edges)

    def __hash__(self) -> int:
        return self.hash

    @property
    def strings(self) -> StringEdges:
        return cast("StringEdges", self.edges)

    @property
    def versions(self) -> VersionEdges:
        return cast("VersionEdges", self.edges)

    @property
    def booleans(self) -> BoolEdges:
        return cast("BoolEdges", self.edges)


def children(node: Node) -> list[Tree]:
    """The children of a node, in edge order."""
    kind = node.var[0]
    if kind == STRING:
        values, default = node.strings
        return [child for _, child in values] + [default]
    if kind == VERSION:
        return [child for _, child in node.versions]
    return list(node.booleans)


def string_node(var: Var, values: dict[str, Tree], default: Tree) -> Tree:
    kept = tuple(sorted((value, child) for value, child in values.items() if child != default))
    return Node(var, (kept, default)) if kept else default


def version_node(var: Var, edges: list[tuple[Ranges, Tree]]) -> Tree:
    merged: list[tuple[Ranges, Tree]] = []
    for ranges, child in edges:
        if merged and merged[-1][1] == child:
            merged[-1] = (merged[-1][0] | ranges, child)
        else:
            merged.append((ranges, child))
    return merged[0][1] if len(merged) == 1 else Node(var, tuple(merged))


def bool_node(var: Var, high: Tree, low: Tree) -> Tree:
    return high if high == low else Node(var, (high, low))


def map_children(node: Node, function: Callable[[Tree], Tree]) -> Tree:
    """The node with `function` applied to each child."""
    kind = node.var[0]
    if kind == STRING:
        values, default = node.strings
        return string_node(node.var, {value: function(child) for value, child in values},
                            function(default))
    if kind == VERSION:
        return version_node(node.var, [(ranges, function(child))
                                        for ranges, child in node.versions])
    high, low = node.booleans
    return bool_node(node.var, function(high), function(low))


def string_child(edges: StringEdges, value: str) -> Tree:
    for key, child in edges[0]:
        if key == value:
            return child
    return edges[1]


def merge_children(x: Node, y: Node, function: Callable[[Tree, Tree], Tree]) -> Tree:
    """Two nodes on the same variable combined child by child."""
    kind = x.var[0]
    if kind == STRING:
        x_edges, y_edges = x.strings, y.strings
        values = {value for value, _ in x_edges[0]} | {value for value, _ in y_edges[0]}
        return string_node(x.var, {value: function(string_child(x_edges, value),
                                                    string_child(y_edges, value))
                                    for value in values}, function(x_edges[1], y_edges[1]))
    if kind == VERSION:
        # Both partitions are sorted, so the pairwise intersections come out sorted.
        out: list[tuple[Ranges, Tree]] = []
        for x_ranges, x_child in x.versions:
            for y_ranges, y_child in y.versions:
                both = x_ranges & y_ranges
                if both:
                    out.append((both, function(x_child, y_child)))
        return version_node(x.var, out)
    x_high, x_low = x.booleans
    y_high, y_low = y.booleans
    return bool_node(x.var, function(x_high, y_high), function(x_low, y_low))


def apply(x: Tree, y: Tree, conjunction: bool, memo: dict[tuple[int, int], Tree]) -> Tree:
    """`x and y` (or `x or y`) by Shannon expansion on the first variable of either."""
    if isinstance(x, bool) or isinstance(y, bool) or x == y:
        if isinstance(x, bool):
            if conjunction:
                return y if x else False
            return True if x else y
        if isinstance(y, bool):
            if conjunction:
                return x if y else False
            return True if y else x
        return x
    key = (id(x), id(y))
    found = memo.get(key)
    if found is not None:
        return found

    def recurse(a: Tree, b: Tree) -> Tree:
        return apply(a, b, conjunction, memo)

    if x.var < y.var:
        result = map_children(x, lambda child: recurse(child, y))
    elif y.var < x.var:
        result = map_children(y, lambda child: recurse(x, child))
    else:
        result = merge_children(x, y, recurse)
    memo[key] = result
    return result


def negate(tree: Tree, memo: dict[int, Tree]) -> Tree:
    if isinstance(tree, bool):
        return not tree
    found = memo.get(id(tree))
    if found is None:
        found = memo[id(tree)] = map_children(tree, lambda child: negate(child, memo))
    return found


def conjoin(x: Tree, y: Tree) -> Tree:
    result = apply(x, y, True, {})
    # uv 0.13.8 finds impossible platform combinations below a version test too
    # (`python_version >= '3.9' and os_name == 'nt' and sys_platform == 'linux'` is false).
    if (isinstance(x, Node) and isinstance(y, Node) and isinstance(result, Node)
            and x.platform and y.platform and apply(result, _possible(), True, {}) is False):
        return False
    return result


@cache
def _possible() -> Tree:
    """The complement of `exclusions()`, made once."""
    return negate(exclusions(), {})


@cache
def exclusions() -> Tree:
    """The platform combinations uv knows to be impossible (see the module docstring)."""
    def equals(key: str, value: str) -> Tree:
        return string_node((STRING, STRING_INDEX[key], ""), {value: True}, False)

    pairs = [(equals("os_name", "nt"), equals("sys_platform", platform))
             for platform in ("linux", "darwin", "ios")]
    pairs.append((equals("os_name", "posix"), equals("sys_platform", "win32")))
    for system in ("FreeBSD", "NetBSD", "OpenBSD", "SunOS", "iOS", "iPadOS"):
        for platform in ("aix", "android", "emscripten", "ios", "linux", "darwin", "win32",
                         "cygwin", "wasi"):
            if platform == "ios" and system in ("iOS", "iPadOS"):
                continue
            pairs.append((equals("platform_system", system), equals("sys_platform", platform)))
    tree: Tree = False
    for a, b in pairs:
        tree = apply(tree, apply(a, b, True, {}), False, {})
    return tree


def quote(node: Variable | Value) -> str:
    if isinstance(node, Variable):
        return str(node.value)
    return f"'{node.value}'"
