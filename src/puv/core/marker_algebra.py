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
diagram and `==` is structural equality. Variables, in diagram order (the order uv 0.13.8's
text reveals; the older uv source we read tested strings before versions):

1. version markers, `implementation_version` and `python_full_version`: a node partitions the
   versions into intervals (`puv.core.ranges.Ranges`). `python_version` compares on
   major.minor and becomes `python_full_version`: `python_version >= '3.9'` is
   `python_full_version >= '3.9'`, `> '3.9'` is `>= '3.10'`, `<= '3.9'` is `< '3.10'`,
   `== '3.9'` is `== '3.9.*'`, `== '3.9.1'` is false;
2. string markers, `os_name`, `sys_platform`, `platform_system`, `platform_machine`,
   `platform_python_implementation`, `platform_release`, `platform_version`,
   `implementation_name`: a node maps a few values to children and every other value to a
   default child (`==`, `!=`; `<=`/`>=` mean `==` and `<`/`>` are false, as PEP 508 and
   packaging say for strings);
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
`Emscripten`→`emscripten`, `Android`→`android`), and a conjunction that is wholly one of the
platform combinations uv knows to be impossible is false: `os_name == 'nt'` with `sys_platform`
`linux`, `darwin` or `ios`; `os_name == 'posix'` with `win32`; the BSDs, SunOS, iOS and iPadOS
`platform_system` values with any of the well-known `sys_platform` values. Only whole
conjunctions are removed, so `~(a & b)` may differ from `~a | ~b` in such impossible corners.

Rendering (checked against what uv 0.13.8 writes in `uv.lock`: 174 of 177 observed markers,
the other three explained in `docs/markers.md`):

1. The diagram is read out as a disjunction of its paths to `True`. At a node the parts
   leading to one child are merged and written once, where the child first appears: version
   parts from the highest versions down; string values in sorted order, then "every other
   value" (`sys_platform != 'darwin' and sys_platform != 'linux'`); the true branch of a
   boolean variable first. A version set that is everything but some points is written `!=`
   each, `< 3.9 | >= 3.10` is `!= '3.9.*'`; otherwise each interval (lowest first) is one
   alternative: a point is `==`, `[3.9, 3.10)` is `== '3.9.*'`, others `>= a` then `< b`.
   Versions are shown without trailing zeros (`> '3.12.0'` is written `> '3.12'`).
2. Each clause is reduced, term by term in order, the version terms of one key as one unit:
   a unit goes if the clause without it still implies the whole marker (plain algebra,
   without the platform knowledge). Repeated clauses go (the first stays), and so do clauses
   with another clause as a proper subset.
3. The terms of each clause are sorted (stably) by key in this order: `implementation_version`,
   `python_full_version`, `python_version in ...`, `implementation_name`, `os_name`,
   `platform_machine`, `platform_python_implementation`, `platform_release`, `platform_system`,
   `platform_version`, `sys_platform`, `... in extras` / `dependency_groups`, `extra`; then the
   clauses are sorted (stably) by their sequences of keys.
4. Values are in single quotes; clauses of more than one term are parenthesized when there are
   several clauses. `FALSE` is written `python_version < '0'`; `TRUE` has no text
   (`contents()` is `None`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from packaging._parser import Variable  # the classes of `Marker._markers`
from packaging.markers import Marker
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from puv.core._marker_diagram import (
    ATOM,
    CONTAINS,
    EXTRA,
    FLIPPED_OP,
    IN,
    KIND_ORDER,
    PLATFORM_SYSTEM_TO_SYS_PLATFORM,
    STRING,
    STRING_INDEX,
    STRING_KEYS,
    VERSION,
    VERSION_INDEX,
    VERSION_KEYS,
    Node,
    Tree,
    Var,
    apply,
    bool_node,
    children,
    conjoin,
    map_children,
    negate,
    quote,
    string_child,
    string_node,
    version_node,
)
from puv.core._marker_text import render
from puv.core.ranges import Bound, Ranges

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from packaging._parser import Op, Value

__all__ = ["FALSE", "TRUE", "MarkerTree", "is_conflict_item"]

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


def _atom(key: str, text: str) -> Tree:
    return bool_node((ATOM, KIND_ORDER.get(key, KIND_ORDER["extra"]), text), True, False)


def _expression(lhs: Variable | Value, op: str, rhs: Variable | Value) -> Tree:
    """One `lhs op rhs` comparison from packaging's parse tree as a diagram."""
    text = f"{quote(lhs)} {op} {quote(rhs)}"
    left_variable, right_variable = isinstance(lhs, Variable), isinstance(rhs, Variable)
    if left_variable == right_variable:
        return _atom("", text)
    if right_variable:  # `'linux' == sys_platform` or `'nux' in os_name`
        key, value = str(rhs.value), str(lhs.value)
        if op in ("in", "not in"):
            if key not in STRING_INDEX:
                return _atom(key, text)
            tree: Tree = bool_node((CONTAINS, STRING_INDEX[key], value), True, False)
            return tree if op == "in" else negate(tree, {})
        if op not in FLIPPED_OP:
            return _atom(key, text)
        op = FLIPPED_OP[op]
    else:
        key, value = str(lhs.value), str(rhs.value)
    if key == "extra":
        if op not in ("==", "!="):
            return _atom(key, text)
        tree = bool_node((EXTRA, 0, str(canonicalize_name(value))), True, False)
        return tree if op == "==" else negate(tree, {})
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
        var: Var = (VERSION, VERSION_INDEX[full_key], "")
        edges: list[tuple[Ranges, Tree]] = [(segment, True) for segment in _intervals(ranges)]
        return version_node(var, _fill(edges))
    if key not in STRING_INDEX:
        return _atom(key, text)
    if op in ("in", "not in"):
        tree = bool_node((IN, STRING_INDEX[key], value), True, False)
        return tree if op == "in" else negate(tree, {})
    if key == "platform_release" and op not in ("==", "!="):
        return _atom(key, text)  # packaging compares it as a version when it parses as one
    if op in ("<", ">"):
        return False
    if op in ("<=", ">="):
        op = "=="
    if op not in ("==", "!="):
        return _atom(key, text)
    if key == "platform_system" and value in PLATFORM_SYSTEM_TO_SYS_PLATFORM:
        key, value = "sys_platform", PLATFORM_SYSTEM_TO_SYS_PLATFORM[value]
    return string_node((STRING, STRING_INDEX[key], ""), {value: op == "=="}, op != "==")


def _intervals(ranges: Ranges) -> list[Ranges]:
    return [Ranges.from_bounds(segment.lower, segment.upper) for segment in ranges.segments()]


def _fill(edges: list[tuple[Ranges, Tree]]) -> list[tuple[Ranges, Tree]]:
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


def _from_parsed(markers: object) -> Tree:
    """packaging's parse tree (`Marker._markers`: items joined by 'and' / 'or')."""
    # `and` binds tighter than `or`: evaluate as a disjunction of conjunctions.
    disjunction: Tree = False
    conjunction: Tree = True
    for item in cast("list[object]", markers):
        if item == "or":
            disjunction = apply(disjunction, conjunction, False, {})
            conjunction = True
        elif item == "and":
            continue
        elif isinstance(item, list):
            conjunction = conjoin(conjunction, _from_parsed(item))
        else:
            lhs, op, rhs = cast("tuple[Variable | Value, Op, Variable | Value]", item)
            conjunction = conjoin(conjunction, _expression(lhs, op.serialize(), rhs))
    return apply(disjunction, conjunction, False, {})


def _parse_term(text: str) -> Tree:
    return _from_parsed(Marker(text)._markers)


# -- requires-python -------------------------------------------------------------------------

_PYTHON: Var = (VERSION, VERSION_INDEX["python_full_version"], "")


def _simplify_python(tree: Tree, lower: Bound | None, upper: Bound | None,
                     memo: dict[int, Tree]) -> Tree:
    """uv's `simplify_python_versions`: each `python_full_version` node keeps the parts that
    meet `[lower, upper]`, its first part reaching down to every version and its last up."""
    if isinstance(tree, bool):
        return tree
    found = memo.get(id(tree))
    if found is not None:
        return found
    if tree.var != _PYTHON:
        result = map_children(tree, lambda child: _simplify_python(child, lower, upper, memo))
    else:
        allowed = Ranges.from_bounds(lower, upper)
        kept = [(ranges & allowed, child) for ranges, child in tree.versions]
        kept = [(ranges, child) for ranges, child in kept if ranges]
        if not kept:
            result = False
        else:
            kept[0] = (Ranges.from_bounds(None, _bounds(kept[0][0])[1]), kept[0][1])
            kept[-1] = (Ranges.from_bounds(_bounds(kept[-1][0])[0], None), kept[-1][1])
            result = version_node(tree.var, kept)
    memo[id(tree)] = result
    return result


def _bounds(ranges: Ranges) -> tuple[Bound | None, Bound | None]:
    segments = list(ranges.segments())
    return segments[0].lower, segments[-1].upper


# -- extras ----------------------------------------------------------------------------------

def _assume_extras(tree: Tree, names: frozenset[str], value: bool,
                   memo: dict[int, Tree]) -> Tree:
    """The diagram with `extra == name` fixed to `value` for each of `names` (a cofactor)."""
    if isinstance(tree, bool):
        return tree
    found = memo.get(id(tree))
    if found is None:
        if tree.var[0] == EXTRA and tree.var[2] in names:
            high, low = tree.booleans
            found = _assume_extras(high if value else low, names, value, memo)
        else:
            found = map_children(tree, lambda child: _assume_extras(child, names, value, memo))
        memo[id(tree)] = found
    return found


def _exists(tree: Tree, drop: Callable[[Var], bool], memo: dict[int, Tree]) -> Tree:
    """The diagram with the variables `drop` picks quantified away: true where some value of
    them makes it true (uv's `without_extras` / `only_extras`)."""
    if isinstance(tree, bool):
        return tree
    found = memo.get(id(tree))
    if found is None:
        if drop(tree.var):
            found = False
            for child in children(tree):
                found = apply(found, _exists(child, drop, memo), False, {})
        else:
            found = map_children(tree, lambda child: _exists(child, drop, memo))
        memo[id(tree)] = found
    return found


_CONFLICT_ITEM = re.compile(r"^(?:(?:extra|group)-[0-9]+-|project-[0-9]+-)")


def is_conflict_item(name: str) -> bool:
    """Whether an `extra == '...'` name is uv's encoding of a conflict item
    (`extra-7-project-cpu`, `group-2-p3-dev`, `project-1-a`) rather than a package's own
    extra."""
    return _CONFLICT_ITEM.match(name) is not None


def _only_extra(tree: Tree, active: str | None, memo: dict[int, Tree]) -> Tree:
    """The diagram where `extra == active` holds and every other extra test is false
    (conflict items, uv's encoded extras, are left as they are)."""
    if isinstance(tree, bool):
        return tree
    found = memo.get(id(tree))
    if found is None:
        if tree.var[0] == EXTRA and not is_conflict_item(tree.var[2]):
            high, low = tree.booleans
            found = _only_extra(high if tree.var[2] == active else low, active, memo)
        else:
            found = map_children(tree, lambda child: _only_extra(child, active, memo))
        memo[id(tree)] = found
    return found


def _python_versions(tree: Tree, memo: dict[int, Ranges]) -> Ranges:
    """The `python_full_version` values for which some environment satisfies the diagram."""
    if tree is True:
        return Ranges.full()
    if tree is False:
        return Ranges.empty()
    found = memo.get(id(tree))
    if found is None:
        found = Ranges.empty()
        if tree.var == _PYTHON:
            for ranges, child in tree.versions:
                if child is not False:
                    found = found | ranges
        else:
            for child in children(tree):
                found = found | _python_versions(child, memo)
        memo[id(tree)] = found
    return found


# -- evaluation ------------------------------------------------------------------------------

def _evaluate(tree: Tree, environment: Mapping[str, str]) -> bool:
    while isinstance(tree, Node):
        kind, index, text = tree.var
        if kind == STRING:
            tree = string_child(tree.strings, environment[STRING_KEYS[index]])
        elif kind == VERSION:
            version = Version(environment[VERSION_KEYS[index]])
            tree = next(child for ranges, child in tree.versions if version in ranges)
        else:
            if kind == EXTRA:
                extra = environment.get("extra")
                holds = extra is not None and canonicalize_name(extra) == text
            elif kind == IN:
                holds = environment[STRING_KEYS[index]] in text
            elif kind == CONTAINS:
                holds = text in environment[STRING_KEYS[index]]
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

    _tree: Tree

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
    def _of(cls, tree: Tree) -> MarkerTree:
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
        return MarkerTree._of(conjoin(self._tree, other._tree))

    def or_(self, other: MarkerTree) -> MarkerTree:
        """Either marker holds."""
        return MarkerTree._of(apply(self._tree, other._tree, False, {}))

    def negate(self) -> MarkerTree:
        """The complement: holds exactly where this marker does not."""
        return MarkerTree._of(negate(self._tree, {}))

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
        return conjoin(self._tree, other._tree) is False

    def implies(self, other: MarkerTree) -> bool:
        """Whether every environment satisfying this marker satisfies `other`."""
        return conjoin(self._tree, negate(other._tree, {})) is False

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
        edges: list[tuple[Ranges, Tree]] = [
            (segment, True) for segment in _intervals(requires_python)]
        return self & MarkerTree._of(version_node(_PYTHON, _fill(edges)))

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
        return MarkerTree._of(_exists(self._tree, lambda var: var[0] == EXTRA, {}))

    def only_extras(self, prefix: str = "") -> MarkerTree:
        """Everything but the `extra` tests removed (the dual of `without_extras`); with a
        `prefix`, only the tests of extras whose name starts with it are kept."""
        return MarkerTree._of(_exists(
            self._tree, lambda var: var[0] != EXTRA or not var[2].startswith(prefix), {}))

    def with_only_extra(self, extra: str | None) -> MarkerTree:
        """This marker for a requirement of extra `extra` (`None`: of the package itself):
        `extra == extra` holds, every other extra test is false."""
        active = None if extra is None else str(canonicalize_name(extra))
        return MarkerTree._of(_only_extra(self._tree, active, {}))

    def python_versions(self) -> Ranges:
        """The Python versions (`python_full_version`) under which this marker can hold."""
        return _python_versions(self._tree, {})

    @classmethod
    def from_python_ranges(cls, ranges: Ranges) -> MarkerTree:
        """The marker that holds exactly for the Python versions in `ranges`."""
        if ranges.is_empty():
            return FALSE
        edges: list[tuple[Ranges, Tree]] = [(segment, True) for segment in _intervals(ranges)]
        return MarkerTree._of(version_node(_PYTHON, _fill(edges)))

    # -- text ---------------------------------------------------------------------------------

    def contents(self) -> str | None:
        """The marker as uv writes it in `uv.lock`; `None` for `TRUE` (no marker)."""
        return render(self._tree, _parse_term)

    def __str__(self) -> str:
        text = render(self._tree, _parse_term)
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
