"""PEP 508 environment markers as a canonical decision diagram: the algebra of universal locks.

Universal resolution forks where a package's requirements differ under markers and records on
every edge of the lock the marker under which it applies. It needs markers it can combine
(`&`, `|`, `~`), compare (`is_false`, `is_disjoint`, `implies`, `==` whatever the spelling) and
write back exactly as uv writes them in `uv.lock`. `MarkerTree` is that value.

Representation (uv's, `crates/uv-pep508/src/marker/algebra.rs`): a reduced, ordered decision
diagram. A node tests one *variable* and has one child per part of a partition of that
variable's values; leaves are `True` and `False`. Variables are ordered, a variable appears at
most once on a path, and nodes are reduced (parts leading to the same child merged, a node
whose parts all lead to one child replaced by it), so two equivalent markers build the same
diagram and `==` is structural equality. Variables, in diagram order:

1. string markers, `os_name`, `sys_platform`, `platform_system`, `platform_machine`,
   `platform_python_implementation`, `platform_release`, `platform_version`,
   `implementation_name`: a node maps a few values to children and every other value to a
   default child (`==`, `!=`; `<=`/`>=` mean `==` and `<`/`>` are false, as PEP 508 and
   packaging say for strings);
2. version markers, `implementation_version` and `python_full_version`: a node partitions the
   versions into intervals (`puv.core.ranges.Ranges`). `python_version` compares on
   major.minor and becomes `python_full_version`: `python_version >= '3.9'` is
   `python_full_version >= '3.9'`, `> '3.9'` is `>= '3.10'`, `<= '3.9'` is `< '3.10'`,
   `== '3.9'` is `== '3.9.*'`, `== '3.9.1'` is false;
3. `key in 'text'` and `'text' in key` (substring tests, one boolean variable each, unrelated
   to the values of `key`: `os_name == 'nt' and os_name in 'posix'` is not seen to be false);
4. `extra == 'name'`: one boolean variable per extra, so `extra == 'a' and extra == 'b'` is
   satisfiable (uv's conflict markers rely on that);
5. anything else is an opaque atom evaluated by packaging (`platform_release` ordered
   comparisons, which packaging does on versions; `python_version in '3.8 3.9'`, which it does
   on substrings; `'x' in extras`; `~=`/`===` on strings).

Version bounds are release-only, as uv's: `python_full_version < '3.10'` holds for
`3.10.0rc1` (PEP 440 would exclude it), so evaluation agrees with packaging on release
versions only.

Knowledge from outside the algebra (uv's, so that forks and lock files agree with uv):
`platform_system` values that name exactly one `sys_platform` are rewritten to it
(`Windows`→`win32`, `Darwin`→`darwin`, `Linux`→`linux`, `AIX`→`aix`,
`Emscripten`→`emscripten`, `Android`→`android`), and a conjunction of the platform variables
that uv knows to be impossible is false: `os_name == 'nt'` with `sys_platform` `linux`,
`darwin` or `ios`; `os_name == 'posix'` with `win32`; the BSDs, SunOS, iOS and iPadOS
`platform_system` values with any of the well-known `sys_platform` values. Like uv this is only
applied when both sides of an `and` test platform variables first, so `~(a & b)` may differ
from `~a | ~b` for such impossible combinations.

Rendering (uv's `simplify.rs` and `MarkerTreeContents`, checked against uv 0.13.8 lock files):
the diagram is read out as a disjunction of its paths to `True`, in diagram order; at a node
the parts leading to one child are merged and written once, at the first part in value order
(for strings the "every other value" part comes first: `sys_platform != 'darwin' and
sys_platform != 'linux'`, then the values, sorted); a version part that is everything but some
points is written `!=` each, `< 3.9 | >= 3.10` is `!= '3.9.*'`, `[3.9, 3.10)` is `== '3.9.*'`, a
point is `==`, other intervals `>= a` then `< b`; boolean variables write the true branch first.
Then a term is dropped from a clause when another clause is the clause with that term negated
(`a or (not a and b)` is `a or b`), and a clause is dropped when another clause is a subset of
it. Finally the terms of each clause are sorted (stably) by key in this order:
`implementation_version`, `python_full_version`, `python_version in ...`,
`implementation_name`, `os_name`, `platform_machine`, `platform_python_implementation`,
`platform_release`, `platform_system`, `platform_version`, `sys_platform`, `... in extras` /
`dependency_groups`, `extra`; and the clauses are sorted (stably) by their sequence of keys.
Values are in single quotes; clauses of more than one term are parenthesized when there are
several clauses. `FALSE` is written `python_version < '0'`; `TRUE` has no text (`contents()` is
`None`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, Union, cast

from packaging._parser import Op, Value, Variable  # the classes of `Marker._markers`
from packaging.markers import Marker
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from puv.core.ranges import Bound, Ranges

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

__all__ = ["FALSE", "TRUE", "MarkerTree"]

# Diagram order of the string variables (uv's `CanonicalMarkerValueString`).
_STRING_KEYS = ("os_name", "sys_platform", "platform_system", "platform_machine",
                "platform_python_implementation", "platform_release", "platform_version",
                "implementation_name")
_VERSION_KEYS = ("implementation_version", "python_full_version")
_STRING_INDEX = {key: index for index, key in enumerate(_STRING_KEYS)}
_VERSION_INDEX = {key: index for index, key in enumerate(_VERSION_KEYS)}
# The platform variables uv checks for impossible combinations (`is_conflicting`).
_PLATFORM_VARIABLES = {(0, 0, ""), (0, 1, ""), (0, 2, "")}

# Variable categories: the first element of a variable's sort key.
_STRING, _VERSION, _IN, _CONTAINS, _EXTRA, _ATOM = range(6)

# Output sort order of terms (uv's `MarkerExpressionKind`, then the keys' enum order).
_KIND_ORDER = {key: index for index, key in enumerate((
    "implementation_version", "python_full_version", "python_version", "python_version in",
    "implementation_name", "os_name", "platform_machine", "platform_python_implementation",
    "platform_release", "platform_system", "platform_version", "sys_platform", "extras",
    "dependency_groups", "extra"))}

# `platform_system` values that name exactly one `sys_platform`.
_PLATFORM_SYSTEM_TO_SYS_PLATFORM = {"Windows": "win32", "Darwin": "darwin", "Linux": "linux",
                                    "AIX": "aix", "Emscripten": "emscripten",
                                    "Android": "android"}

_NEGATED_OP = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">",
               "in": "not in", "not in": "in"}
_FLIPPED_OP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}


# -- the diagram -----------------------------------------------------------------------------

# (category, index, text): the key index for strings and versions, the key and the value for
# `in` tests, the name for extras, the output order and the text for atoms.
_Var = tuple[int, int, str]
_Tree = Union[bool, "_Node"]
_StringEdges = tuple[tuple[tuple[str, _Tree], ...], _Tree]  # (value, child) sorted, default
_VersionEdges = tuple[tuple[Ranges, _Tree], ...]  # one interval each, sorted, covering all
_BoolEdges = tuple[_Tree, _Tree]  # (when true, when false)


class _Node:
    """A decision node: `var` (its sort key) and its edges, by category (see the module doc)."""

    __slots__ = ("edges", "hash", "var")

    def __init__(self, var: _Var, edges: object) -> None:
        self.var = var
        self.edges = edges
        self.hash = hash((var, edges))

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, _Node) and self.hash == other.hash
                                 and self.var == other.var and self.edges == other.edges)

    def __hash__(self) -> int:
        return self.hash

    @property
    def strings(self) -> _StringEdges:
        return cast("_StringEdges", self.edges)

    @property
    def versions(self) -> _VersionEdges:
        return cast("_VersionEdges", self.edges)

    @property
    def booleans(self) -> _BoolEdges:
        return cast("_BoolEdges", self.edges)


def _string_node(var: _Var, values: dict[str, _Tree], default: _Tree) -> _Tree:
    kept = tuple(sorted((value, child) for value, child in values.items() if child != default))
    return _Node(var, (kept, default)) if kept else default


def _version_node(var: _Var, edges: list[tuple[Ranges, _Tree]]) -> _Tree:
    merged: list[tuple[Ranges, _Tree]] = []
    for ranges, child in edges:
        if merged and merged[-1][1] == child:
            merged[-1] = (merged[-1][0] | ranges, child)
        else:
            merged.append((ranges, child))
    return merged[0][1] if len(merged) == 1 else _Node(var, tuple(merged))


def _bool_node(var: _Var, high: _Tree, low: _Tree) -> _Tree:
    return high if high == low else _Node(var, (high, low))


def _map(node: _Node, function: Callable[[_Tree], _Tree]) -> _Tree:
    """The node with `function` applied to each child."""
    kind = node.var[0]
    if kind == _STRING:
        values, default = node.strings
        return _string_node(node.var, {value: function(child) for value, child in values},
                            function(default))
    if kind == _VERSION:
        return _version_node(node.var, [(ranges, function(child))
                                        for ranges, child in node.versions])
    high, low = node.booleans
    return _bool_node(node.var, function(high), function(low))


def _string_child(edges: _StringEdges, value: str) -> _Tree:
    for key, child in edges[0]:
        if key == value:
            return child
    return edges[1]


def _merge(x: _Node, y: _Node, function: Callable[[_Tree, _Tree], _Tree]) -> _Tree:
    """Two nodes on the same variable combined child by child."""
    kind = x.var[0]
    if kind == _STRING:
        x_edges, y_edges = x.strings, y.strings
        values = {value for value, _ in x_edges[0]} | {value for value, _ in y_edges[0]}
        return _string_node(x.var, {value: function(_string_child(x_edges, value),
                                                    _string_child(y_edges, value))
                                    for value in values}, function(x_edges[1], y_edges[1]))
    if kind == _VERSION:
        # Both partitions are sorted, so the pairwise intersections come out sorted.
        out: list[tuple[Ranges, _Tree]] = []
        for x_ranges, x_child in x.versions:
            for y_ranges, y_child in y.versions:
                both = x_ranges & y_ranges
                if both:
                    out.append((both, function(x_child, y_child)))
        return _version_node(x.var, out)
    x_high, x_low = x.booleans
    y_high, y_low = y.booleans
    return _bool_node(x.var, function(x_high, y_high), function(x_low, y_low))


def _apply(x: _Tree, y: _Tree, conjunction: bool, memo: dict[tuple[int, int], _Tree]) -> _Tree:
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

    def recurse(a: _Tree, b: _Tree) -> _Tree:
        return _apply(a, b, conjunction, memo)

    if x.var < y.var:
        result = _map(x, lambda child: recurse(child, y))
    elif y.var < x.var:
        result = _map(y, lambda child: recurse(x, child))
    else:
        result = _merge(x, y, recurse)
    memo[key] = result
    return result


def _negate(tree: _Tree, memo: dict[int, _Tree]) -> _Tree:
    if isinstance(tree, bool):
        return not tree
    found = memo.get(id(tree))
    if found is None:
        found = memo[id(tree)] = _map(tree, lambda child: _negate(child, memo))
    return found


def _and(x: _Tree, y: _Tree) -> _Tree:
    result = _apply(x, y, True, {})
    if (isinstance(x, _Node) and isinstance(y, _Node) and isinstance(result, _Node)
            and x.var in _PLATFORM_VARIABLES and y.var in _PLATFORM_VARIABLES
            and _apply(result, _negate(_exclusions(), {}), True, {}) is False):
        return False
    return result


@cache
def _exclusions() -> _Tree:
    """The platform combinations uv knows to be impossible (see the module docstring)."""
    def equals(key: str, value: str) -> _Tree:
        return _string_node((_STRING, _STRING_INDEX[key], ""), {value: True}, False)

    pairs = [(equals("os_name", "nt"), equals("sys_platform", platform))
             for platform in ("linux", "darwin", "ios")]
    pairs.append((equals("os_name", "posix"), equals("sys_platform", "win32")))
    for system in ("FreeBSD", "NetBSD", "OpenBSD", "SunOS", "iOS", "iPadOS"):
        for platform in ("aix", "android", "emscripten", "ios", "linux", "darwin", "win32",
                         "cygwin", "wasi"):
            if platform == "ios" and system in ("iOS", "iPadOS"):
                continue
            pairs.append((equals("platform_system", system), equals("sys_platform", platform)))
    tree: _Tree = False
    for a, b in pairs:
        tree = _apply(tree, _apply(a, b, True, {}), False, {})
    return tree


# -- building from PEP 508 -------------------------------------------------------------------

def _release(version: Version) -> Version:
    return Version(".".join(map(str, version.release)))


def _next_minor(major: int, minor: int) -> Version:
    return Version(f"{major}.{minor + 1}")


def _version_ranges(op: str, text: str) -> Ranges | None:
    """The release-only version set of `<full version> op text`, or None if not modelled."""
    star = text.endswith(".*")
    try:
        version = Version(text[:-2] if star else text)
    except InvalidVersion:
        return None
    if star:
        if op not in ("==", "!="):
            return None
        release = version.release
        upper = Version(".".join(map(str, (*release[:-1], release[-1] + 1))))
        ranges = Ranges.from_bounds(Bound(_release(version), True), Bound(upper, False))
        return ranges if op == "==" else ~ranges
    if op == "==":
        return Ranges.singleton(version)
    if op == "!=":
        return ~Ranges.singleton(version)
    if op == ">=":
        return Ranges.higher_than(version)
    if op == ">":
        return Ranges.strictly_higher_than(version)
    if op == "<=":
        return Ranges.lower_than(version)
    if op == "<":
        if not any(version.release):  # `< '0'`: uv's (release-only) false
            return Ranges.empty()
        return Ranges.strictly_lower_than(version)
    if op == "~=" and len(version.release) >= 2:
        release = version.release
        upper = Version(".".join(map(str, (*release[:-2], release[-2] + 1))))
        return Ranges.from_bounds(Bound(version, True), Bound(upper, False))
    return None


def _python_version_ranges(op: str, text: str) -> Ranges | None:
    """`python_version op text` as a set of full versions (`python_version` is major.minor)."""
    star = text.endswith(".*")
    try:
        version = Version(text[:-2] if star else text)
    except InvalidVersion:
        return None
    release = list(version.release)
    while len(release) > 2 and release[-1] == 0:
        release.pop()
    if star or op == "~=":
        if len(release) == 1 and star:
            return _version_ranges(op, f"{release[0]}.*")
        if len(release) > 2:
            return Ranges.empty() if op != "!=" else Ranges.full()
        if op == "~=":
            if len(version.release) == 2:
                return _version_ranges("~=", f"{release[0]}.{release[1]}")
            return _version_ranges("==", f"{release[0]}.{release[1]}.*")  # ~=3.9.0
        return _version_ranges(op, f"{release[0]}.{release[1]}.*")
    if len(release) == 1:
        release.append(0)
    major, minor = release[0], release[1]
    if op in ("==", "===", "!="):
        if len(release) > 2:
            return Ranges.full() if op == "!=" else Ranges.empty()
        return _version_ranges("!=" if op == "!=" else "==", f"{major}.{minor}.*")
    # Ordered comparisons: does `major.minor` itself satisfy the comparison?
    own = Version(f"{major}.{minor}")
    holds = {"<": own < version, "<=": own <= version, ">": own > version,
             ">=": own >= version}.get(op)
    if holds is None:
        return None
    if op in (">", ">="):
        return Ranges.higher_than(own if holds else _next_minor(major, minor))
    return _version_ranges("<", str(_next_minor(major, minor) if holds else own))


def _atom(key: str, text: str) -> _Tree:
    return _bool_node((_ATOM, _KIND_ORDER.get(key, _KIND_ORDER["extra"]), text), True, False)


def _expression(lhs: Variable | Value, op: str, rhs: Variable | Value) -> _Tree:
    """One `lhs op rhs` comparison from packaging's parse tree as a diagram."""
    text = f"{_quote(lhs)} {op} {_quote(rhs)}"
    left_variable, right_variable = isinstance(lhs, Variable), isinstance(rhs, Variable)
    if left_variable == right_variable:
        return _atom("", text)
    if right_variable:  # `'linux' == sys_platform` or `'nux' in os_name`
        key, value = str(rhs.value), str(lhs.value)
        if op in ("in", "not in"):
            if key not in _STRING_INDEX:
                return _atom(key, text)
            tree: _Tree = _bool_node((_CONTAINS, _STRING_INDEX[key], value), True, False)
            return tree if op == "in" else _negate(tree, {})
        if op not in _FLIPPED_OP:
            return _atom(key, text)
        op = _FLIPPED_OP[op]
    else:
        key, value = str(lhs.value), str(rhs.value)
    if key == "extra":
        if op not in ("==", "!="):
            return _atom(key, text)
        tree = _bool_node((_EXTRA, 0, str(canonicalize_name(value))), True, False)
        return tree if op == "==" else _negate(tree, {})
    if key in ("python_version", "python_full_version", "implementation_version"):
        if op in ("in", "not in"):
            return _atom("python_version in" if key == "python_version" else key, text)
        if key == "python_version":
            ranges = _python_version_ranges(op, value)
        else:
            ranges = _version_ranges(op, value)
        if ranges is None:
            return _atom(key, text)
        full_key = "implementation_version" if key == "implementation_version" else (
            "python_full_version")
        var: _Var = (_VERSION, _VERSION_INDEX[full_key], "")
        edges: list[tuple[Ranges, _Tree]] = [(segment, True) for segment in _intervals(ranges)]
        return _version_node(var, _fill(edges))
    if key not in _STRING_INDEX:
        return _atom(key, text)
    if op in ("in", "not in"):
        tree = _bool_node((_IN, _STRING_INDEX[key], value), True, False)
        return tree if op == "in" else _negate(tree, {})
    if key == "platform_release" and op not in ("==", "!="):
        return _atom(key, text)  # packaging compares it as a version when it parses as one
    if op in ("<", ">"):
        return False
    if op in ("<=", ">="):
        op = "=="
    if op not in ("==", "!="):
        return _atom(key, text)
    if key == "platform_system" and value in _PLATFORM_SYSTEM_TO_SYS_PLATFORM:
        key, value = "sys_platform", _PLATFORM_SYSTEM_TO_SYS_PLATFORM[value]
    return _string_node((_STRING, _STRING_INDEX[key], ""), {value: op == "=="}, op != "==")


def _intervals(ranges: Ranges) -> list[Ranges]:
    return [Ranges.from_bounds(segment.lower, segment.upper) for segment in ranges.segments()]


def _fill(edges: list[tuple[Ranges, _Tree]]) -> list[tuple[Ranges, _Tree]]:
    """Sorted `True` intervals completed with `False` ones into a partition of all versions."""
    covered = Ranges.empty()
    for ranges, _ in edges:
        covered = covered | ranges
    out = edges + [(gap, False) for gap in _intervals(~covered)]
    return sorted(out, key=lambda edge: _sort_key(edge[0]))


def _sort_key(ranges: Ranges) -> tuple[int, object]:
    lowest = ranges.lowest()
    if lowest is None:
        return (0, ())
    # Intervals of a partition never share a lower bound, so the version and side order them.
    return (1, (lowest.version, lowest.inclusive is False))


def _quote(node: Variable | Value) -> str:
    if isinstance(node, Variable):
        return str(node.value)
    return f"'{node.value}'"


def _from_parsed(markers: object) -> _Tree:
    """packaging's parse tree (`Marker._markers`: items joined by 'and' / 'or')."""
    # `and` binds tighter than `or`: evaluate as a disjunction of conjunctions.
    disjunction: _Tree = False
    conjunction: _Tree = True
    for item in cast("list[object]", markers):
        if item == "or":
            disjunction = _apply(disjunction, conjunction, False, {})
            conjunction = True
        elif item == "and":
            continue
        elif isinstance(item, list):
            conjunction = _and(conjunction, _from_parsed(item))
        else:
            lhs, op, rhs = cast("tuple[Variable | Value, Op, Variable | Value]", item)
            conjunction = _and(conjunction, _expression(lhs, op.serialize(), rhs))
    return _apply(disjunction, conjunction, False, {})


# -- rendering -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Term:
    """One comparison of a rendered clause; `kind` orders terms in the output."""

    kind: int
    key: str
    op: str
    value: str

    def __str__(self) -> str:
        if self.op == "atom":
            return self.value
        if self.op == "not atom":
            return _negated_atom_text(self.value)
        if self.key == "contains":
            variable, _, literal = self.value.partition("\0")
            return f"'{literal}' {self.op} {variable}"
        return f"{self.key} {self.op} '{self.value}'"

    def negates(self, other: _Term) -> bool:
        return (self.key == other.key and self.value == other.value
                and (_NEGATED_OP.get(self.op) == other.op
                     or {self.op, other.op} == {"atom", "not atom"}))


def _negated_atom_text(text: str) -> str:
    (item,) = Marker(text)._markers  # packaging's parse tree: one comparison
    lhs, op, rhs = cast("tuple[Variable | Value, Op, Variable | Value]", item)
    negated = _NEGATED_OP.get(op.serialize())
    if negated is None:
        raise ValueError(f"the negation of `{text}` cannot be written as a PEP 508 marker")
    return f"{_quote(lhs)} {negated} {_quote(rhs)}"


def _version_terms(key: str, ranges: Ranges) -> list[list[_Term]]:
    """The ways (alternatives, each a conjunction) uv writes a version set."""
    kind = _KIND_ORDER[key]
    segments = list(ranges.segments())
    if (len(segments) > 1 and segments[0].lower is None and segments[-1].upper is None and all(
            a.upper is not None and b.lower is not None and not a.upper.inclusive
            and not b.lower.inclusive and a.upper.version == b.lower.version
            for a, b in pairwise(segments))):
        return [[_Term(kind, key, "!=", str(a.upper.version))  # type: ignore[union-attr]
                 for a in segments[:-1]]]
    if (len(segments) == 2 and segments[0].lower is None and segments[1].upper is None
            and segments[0].upper is not None and segments[1].lower is not None
            and not segments[0].upper.inclusive and segments[1].lower.inclusive):
        star = _star(segments[0].upper.version, segments[1].lower.version)
        if star is not None:
            return [[_Term(kind, key, "!=", star)]]
    out: list[list[_Term]] = []
    for segment in segments:
        lower, upper = segment.lower, segment.upper
        if lower is not None and upper is not None and lower.inclusive and upper.inclusive and (
                lower.version == upper.version):
            out.append([_Term(kind, key, "==", str(lower.version))])
            continue
        if lower is not None and upper is not None and lower.inclusive and not upper.inclusive:
            star = _star(lower.version, upper.version)
            if star is not None:
                out.append([_Term(kind, key, "==", star)])
                continue
        terms = []
        if lower is not None:
            terms.append(_Term(kind, key, ">=" if lower.inclusive else ">", str(lower.version)))
        if upper is not None:
            terms.append(_Term(kind, key, "<=" if upper.inclusive else "<", str(upper.version)))
        out.append(terms)
    return out


def _star(low: Version, high: Version) -> str | None:
    """`X.Y.*` if `[low, high)` is exactly the versions starting with X.Y (uv's two forms)."""
    def trimmed(version: Version) -> tuple[int, ...]:
        release = list(version.release)
        while release and release[-1] == 0:
            release.pop()
        return tuple(release)

    if low.pre is not None or low.post is not None or low.dev is not None or low.local:
        return None
    low_release, high_release = trimmed(low), trimmed(high)
    if len(low_release) == 1 and high_release == (low_release[0], 1):
        return f"{low_release[0]}.0.*"
    if len(low_release) == 2 and high_release == (low_release[0], low_release[1] + 1):
        return f"{low_release[0]}.{low_release[1]}.*"
    return None


def _groups(node: _Node) -> Iterator[tuple[_Tree, list[list[_Term]]]]:
    """Each distinct child of a node with the alternatives that lead to it, in uv's order."""
    kind = node.var[0]
    if kind == _STRING:
        key = _STRING_KEYS[node.var[1]]
        term_kind = _KIND_ORDER[key]
        values, default = node.strings
        by_child: dict[_Tree, list[str]] = {}
        for value, child in values:
            by_child.setdefault(child, []).append(value)
        ordered = list(by_child.items())
        default_group = (default, [[_Term(term_kind, key, "!=", value) for value, _ in values]])
        if values[0][0] != "":  # the interval of values before the first is the default's
            yield default_group
        for child, group in ordered:
            yield child, [[_Term(term_kind, key, "==", value)] for value in group]
        if values[0][0] == "":
            yield default_group
        return
    if kind == _VERSION:
        key = _VERSION_KEYS[node.var[1]]
        ranges_by_child: dict[_Tree, Ranges] = {}
        for ranges, child in node.versions:
            ranges_by_child[child] = ranges_by_child.get(child, Ranges.empty()) | ranges
        for child, ranges in ranges_by_child.items():
            yield child, _version_terms(key, ranges)
        return
    high, low = node.booleans
    if kind == _EXTRA:
        name = node.var[2]
        kind_order = _KIND_ORDER["extra"]
        yield high, [[_Term(kind_order, "extra", "==", name)]]
        yield low, [[_Term(kind_order, "extra", "!=", name)]]
    elif kind in (_IN, _CONTAINS):
        key = _STRING_KEYS[node.var[1]]
        value = node.var[2]
        kind_order = _KIND_ORDER[key]
        if kind == _IN:
            yield high, [[_Term(kind_order, key, "in", value)]]
            yield low, [[_Term(kind_order, key, "not in", value)]]
        else:
            yield high, [[_Term(kind_order, "contains", "in", f"{key}\0{value}")]]
            yield low, [[_Term(kind_order, "contains", "not in", f"{key}\0{value}")]]
    else:
        kind_order, text = node.var[1], node.var[2]
        yield high, [[_Term(kind_order, "atom", "atom", text)]]
        yield low, [[_Term(kind_order, "atom", "not atom", text)]]


def _collect(tree: _Tree, path: list[_Term], out: list[list[_Term]]) -> None:
    if tree is False:
        return
    if tree is True:
        if path:
            out.append(list(path))
        return
    assert isinstance(tree, _Node)
    for child, alternatives in _groups(tree):
        for terms in alternatives:
            path.extend(terms)
            _collect(child, path, out)
            del path[len(path) - len(terms):]


def _simplify(dnf: list[list[_Term]]) -> list[list[_Term]]:
    """uv's clause-level simplification (see the module docstring)."""
    for index, clause in enumerate(dnf):
        redundant: list[int] = []
        for position, term in enumerate(clause):
            for other_index, other in enumerate(dnf):
                if other_index == index:
                    continue
                # `term` is redundant if another clause is this one with `term` negated.
                if all(other_term != term and (other_term.negates(term) or (
                        other_term in clause
                        and clause.index(other_term) not in redundant))
                       for other_term in other):
                    redundant.append(position)
                    break
        dnf[index] = [term for position, term in enumerate(clause) if position not in redundant]
    dropped: list[int] = []
    for index, clause in enumerate(dnf):
        for other_index, other in enumerate(dnf):
            if other_index != index and other_index not in dropped and all(
                    term in clause for term in other):
                dropped.append(index)
                break
    return [clause for index, clause in enumerate(dnf) if index not in dropped]


def _render(tree: _Tree) -> str | None:
    if tree is True:
        return None
    if tree is False:
        return "python_version < '0'"
    dnf: list[list[_Term]] = []
    _collect(tree, [], dnf)
    dnf = _simplify(dnf)
    for clause in dnf:
        clause.sort(key=lambda term: term.kind)
    dnf.sort(key=lambda clause: [term.kind for term in clause])
    if len(dnf) == 1:
        return " and ".join(map(str, dnf[0]))
    return " or ".join(" and ".join(map(str, clause)) if len(clause) == 1
                       else f"({' and '.join(map(str, clause))})" for clause in dnf)


# -- requires-python -------------------------------------------------------------------------

_PYTHON: _Var = (_VERSION, _VERSION_INDEX["python_full_version"], "")


def _simplify_python(tree: _Tree, lower: Bound | None, upper: Bound | None,
                     memo: dict[int, _Tree]) -> _Tree:
    """uv's `simplify_python_versions`: each `python_full_version` node keeps the parts that
    meet `[lower, upper]`, its first part reaching down to every version and its last up."""
    if isinstance(tree, bool):
        return tree
    found = memo.get(id(tree))
    if found is not None:
        return found
    if tree.var != _PYTHON:
        result = _map(tree, lambda child: _simplify_python(child, lower, upper, memo))
    else:
        allowed = Ranges.from_bounds(lower, upper)
        kept = [(ranges & allowed, child) for ranges, child in tree.versions]
        kept = [(ranges, child) for ranges, child in kept if ranges]
        if not kept:
            result = False
        else:
            kept[0] = (Ranges.from_bounds(None, _bounds(kept[0][0])[1]), kept[0][1])
            kept[-1] = (Ranges.from_bounds(_bounds(kept[-1][0])[0], None), kept[-1][1])
            result = _version_node(tree.var, kept)
    memo[id(tree)] = result
    return result


def _bounds(ranges: Ranges) -> tuple[Bound | None, Bound | None]:
    segments = list(ranges.segments())
    return segments[0].lower, segments[-1].upper


# -- extras ----------------------------------------------------------------------------------

def _assume_extras(tree: _Tree, names: frozenset[str], value: bool,
                   memo: dict[int, _Tree]) -> _Tree:
    """The diagram with `extra == name` fixed to `value` for each of `names` (a cofactor)."""
    if isinstance(tree, bool):
        return tree
    found = memo.get(id(tree))
    if found is None:
        if tree.var[0] == _EXTRA and tree.var[2] in names:
            high, low = tree.booleans
            found = _assume_extras(high if value else low, names, value, memo)
        else:
            found = _map(tree, lambda child: _assume_extras(child, names, value, memo))
        memo[id(tree)] = found
    return found


def _exists(tree: _Tree, extras: bool, memo: dict[int, _Tree]) -> _Tree:
    """The diagram with the extra variables (or all the others) quantified away: true where
    some value of them makes it true (uv's `without_extras` / `only_extras`)."""
    if isinstance(tree, bool):
        return tree
    found = memo.get(id(tree))
    if found is None:
        if (tree.var[0] == _EXTRA) == extras:
            found = False
            for child in _children(tree):
                found = _apply(found, _exists(child, extras, memo), False, {})
        else:
            found = _map(tree, lambda child: _exists(child, extras, memo))
        memo[id(tree)] = found
    return found


def _children(node: _Node) -> list[_Tree]:
    kind = node.var[0]
    if kind == _STRING:
        values, default = node.strings
        return [child for _, child in values] + [default]
    if kind == _VERSION:
        return [child for _, child in node.versions]
    return list(node.booleans)


# -- evaluation ------------------------------------------------------------------------------

def _evaluate(tree: _Tree, environment: Mapping[str, str]) -> bool:
    while isinstance(tree, _Node):
        kind, index, text = tree.var
        if kind == _STRING:
            tree = _string_child(tree.strings, environment[_STRING_KEYS[index]])
        elif kind == _VERSION:
            version = Version(environment[_VERSION_KEYS[index]])
            tree = next(child for ranges, child in tree.versions if version in ranges)
        else:
            if kind == _EXTRA:
                extra = environment.get("extra")
                holds = extra is not None and canonicalize_name(extra) == text
            elif kind == _IN:
                holds = environment[_STRING_KEYS[index]] in text
            elif kind == _CONTAINS:
                holds = text in environment[_STRING_KEYS[index]]
            else:
                holds = Marker(text).evaluate(dict(environment))
            high, low = tree.booleans
            tree = high if holds else low
    return tree


# -- the public value ------------------------------------------------------------------------

class MarkerTree:
    """A PEP 508 marker in canonical form: equal markers are equal values whatever their
    spelling. Immutable and hashable; combine with `&`, `|`, `~`."""

    __slots__ = ("_tree",)

    _tree: _Tree

    def __init__(self, marker: str | Marker | None = None) -> None:
        """The marker `marker` (a string or a parsed `packaging.markers.Marker`); no marker
        is `TRUE`. Raises `packaging.markers.InvalidMarker` on a malformed string."""
        if marker is None:
            self._tree = True
            return
        if isinstance(marker, str):
            marker = Marker(marker)
        self._tree = _from_parsed(marker._markers)

    @classmethod
    def _of(cls, tree: _Tree) -> MarkerTree:
        value = object.__new__(cls)
        value._tree = tree
        return value

    @classmethod
    def parse(cls, marker: str | Marker) -> MarkerTree:
        """`MarkerTree(marker)`."""
        return cls(marker)

    # -- algebra ------------------------------------------------------------------------------

    def and_(self, other: MarkerTree) -> MarkerTree:
        """Both markers hold."""
        return MarkerTree._of(_and(self._tree, other._tree))

    def or_(self, other: MarkerTree) -> MarkerTree:
        """Either marker holds."""
        return MarkerTree._of(_apply(self._tree, other._tree, False, {}))

    def negate(self) -> MarkerTree:
        """The complement: holds exactly where this marker does not."""
        return MarkerTree._of(_negate(self._tree, {}))

    __and__ = and_
    __or__ = or_
    __invert__ = negate

    # -- predicates ---------------------------------------------------------------------------

    def is_true(self) -> bool:
        """Whether the marker holds in every environment."""
        return self._tree is True

    def is_false(self) -> bool:
        """Whether no environment satisfies the marker."""
        return self._tree is False

    def is_disjoint(self, other: MarkerTree) -> bool:
        """Whether no environment satisfies both markers (forks must be disjoint)."""
        return _and(self._tree, other._tree) is False

    def implies(self, other: MarkerTree) -> bool:
        """Whether every environment satisfying this marker satisfies `other`."""
        return _and(self._tree, _negate(other._tree, {})) is False

    def evaluate(self, environment: Mapping[str, str]) -> bool:
        """Whether the marker holds in `environment` (keys as `default_environment()`;
        `extra` optional). Agrees with `Marker.evaluate` for complete, consistent environments
        with release versions (see the module docstring)."""
        return _evaluate(self._tree, environment)

    def simplify_python(self, requires_python: Ranges) -> MarkerTree:
        """This marker with what `requires_python` already says left out, as uv writes lock
        markers: under `>=3.9`, `python_version >= '3.9' and sys_platform == 'linux'` is
        `sys_platform == 'linux'`. Only the bounds of `requires_python` are used."""
        if requires_python.is_empty():
            return FALSE
        lower, upper = _bounds(requires_python)
        if lower is None and upper is None:
            return self
        return MarkerTree._of(_simplify_python(self._tree, lower, upper, {}))

    def complexify_python(self, requires_python: Ranges) -> MarkerTree:
        """The inverse of `simplify_python`, as a lock reader needs: this marker restricted to
        the Python versions of `requires_python`."""
        edges: list[tuple[Ranges, _Tree]] = [
            (segment, True) for segment in _intervals(requires_python)]
        return self & MarkerTree._of(_version_node(_PYTHON, _fill(edges)))

    def simplify_extras(self, extras: Iterable[str]) -> MarkerTree:
        """This marker where `extras` are active: `sys_platform == 'linux' and extra == 'dev'`
        with `dev` is `sys_platform == 'linux'` (other extras are left as they are)."""
        names = frozenset(str(canonicalize_name(extra)) for extra in extras)
        return MarkerTree._of(_assume_extras(self._tree, names, True, {}))

    def simplify_not_extras(self, extras: Iterable[str]) -> MarkerTree:
        """This marker where `extras` are not active: `extra != 'dev'` is dropped."""
        names = frozenset(str(canonicalize_name(extra)) for extra in extras)
        return MarkerTree._of(_assume_extras(self._tree, names, False, {}))

    def without_extras(self) -> MarkerTree:
        """The `extra` tests removed: holds where some choice of extras makes this marker hold
        (uv's, for a project's own dependencies in `uv.lock`: `python_version >= '3.9' and
        extra != 'x' or sys_platform == 'linux'` is written `python_full_version >= '3.9' or
        sys_platform == 'linux'`)."""
        return MarkerTree._of(_exists(self._tree, True, {}))

    def only_extras(self) -> MarkerTree:
        """Everything but the `extra` tests removed (the dual of `without_extras`)."""
        return MarkerTree._of(_exists(self._tree, False, {}))

    # -- text ---------------------------------------------------------------------------------

    def contents(self) -> str | None:
        """The marker as uv writes it in `uv.lock`; `None` for `TRUE` (no marker)."""
        return _render(self._tree)

    def __str__(self) -> str:
        text = _render(self._tree)
        return "true" if text is None else text

    def __repr__(self) -> str:
        return f"MarkerTree({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MarkerTree):
            return NotImplemented
        return self._tree == other._tree

    def __hash__(self) -> int:
        return hash(self._tree)


TRUE = MarkerTree._of(True)
FALSE = MarkerTree._of(False)
