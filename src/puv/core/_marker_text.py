"""uv's text for a marker diagram (see `puv.core.marker_algebra`'s docstring, "Rendering")."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, cast

from packaging.markers import Marker

from puv.core._marker_diagram import (
    CONTAINS,
    EXTRA,
    IN,
    KIND_ORDER,
    NEGATED_OP,
    STRING,
    STRING_KEYS,
    VERSION,
    VERSION_KEYS,
    Node,
    Tree,
    apply,
    negate,
    quote,
)
from puv.core.ranges import Ranges

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from packaging._parser import Op, Value, Variable
    from packaging.version import Version

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


def _negated_atom_text(text: str) -> str:
    (item,) = Marker(text)._markers  # packaging's parse tree: one comparison
    lhs, op, rhs = cast("tuple[Variable | Value, Op, Variable | Value]", item)
    negated = NEGATED_OP.get(op.serialize())
    if negated is None:
        raise ValueError(f"the negation of `{text}` cannot be written as a PEP 508 marker")
    return f"{quote(lhs)} {negated} {quote(rhs)}"


def _version_terms(key: str, ranges: Ranges) -> list[list[_Term]]:
    """The ways (alternatives, each a conjunction) uv writes a version set."""
    kind = KIND_ORDER[key]
    segments = list(ranges.segments())
    if (len(segments) > 1 and segments[0].lower is None and segments[-1].upper is None and all(
            a.upper is not None and b.lower is not None and not a.upper.inclusive
            and not b.lower.inclusive and a.upper.version == b.lower.version
            for a, b in pairwise(segments))):
        return [[_Term(kind, key, "!=", _shown(a.upper.version))  # type: ignore[union-attr]
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
            out.append([_Term(kind, key, "==", _shown(lower.version))])
            continue
        if lower is not None and upper is not None and lower.inclusive and not upper.inclusive:
            star = _star(lower.version, upper.version)
            if star is not None:
                out.append([_Term(kind, key, "==", star)])
                continue
        terms = []
        if lower is not None:
            terms.append(_Term(kind, key, ">=" if lower.inclusive else ">", _shown(lower.version)))
        if upper is not None:
            terms.append(_Term(kind, key, "<=" if upper.inclusive else "<", _shown(upper.version)))
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


def _groups(node: Node) -> Iterator[tuple[Tree, list[list[_Term]]]]:
    """Each distinct child of a node with the alternatives that lead to it, in uv's order."""
    kind = node.var[0]
    if kind == STRING:
        key = STRING_KEYS[node.var[1]]
        term_kind = KIND_ORDER[key]
        values, default = node.strings
        by_child: dict[Tree, list[str]] = {}
        for value, child in values:
            by_child.setdefault(child, []).append(value)
        for child, group in by_child.items():
            yield child, [[_Term(term_kind, key, "==", value)] for value in group]
        yield default, [[_Term(term_kind, key, "!=", value) for value, _ in values]]
        return
    if kind == VERSION:
        key = VERSION_KEYS[node.var[1]]
        ranges_by_child: dict[Tree, Ranges] = {}
        for ranges, child in reversed(node.versions):  # uv 0.13.8: highest versions first
            ranges_by_child[child] = ranges_by_child.get(child, Ranges.empty()) | ranges
        for child, ranges in ranges_by_child.items():
            yield child, _version_terms(key, ranges)
        return
    high, low = node.booleans
    if kind == EXTRA:
        name = node.var[2]
        kind_order = KIND_ORDER["extra"]
        yield high, [[_Term(kind_order, "extra", "==", name)]]
        yield low, [[_Term(kind_order, "extra", "!=", name)]]
    elif kind in (IN, CONTAINS):
        key = STRING_KEYS[node.var[1]]
        value = node.var[2]
        kind_order = KIND_ORDER[key]
        if kind == IN:
            yield high, [[_Term(kind_order, key, "in", value)]]
            yield low, [[_Term(kind_order, key, "not in", value)]]
        else:
            yield high, [[_Term(kind_order, "contains", "in", f"{key}\0{value}")]]
            yield low, [[_Term(kind_order, "contains", "not in", f"{key}\0{value}")]]
    else:
        kind_order, text = node.var[1], node.var[2]
        yield high, [[_Term(kind_order, "atom", "atom", text)]]
        yield low, [[_Term(kind_order, "atom", "not atom", text)]]


def _collect(tree: Tree, path: list[_Term], out: list[list[_Term]]) -> None:
    if tree is False:
        return
    if tree is True:
        if path:
            out.append(list(path))
        return
    assert isinstance(tree, Node)
    for child, alternatives in _groups(tree):
        for terms in alternatives:
            path.extend(terms)
            _collect(child, path, out)
            del path[len(path) - len(terms):]


def _reduce(tree: Tree, dnf: list[list[_Term]],
            parse: Callable[[str], Tree]) -> list[list[_Term]]:
    """Drop what the marker does not need (see the module docstring of `marker_algebra`): in
    each clause, in order, each unit (the version terms of one key together, any other term
    alone) whose removal leaves a clause that still implies the marker; then repeated clauses
    (the first is kept) and clauses with another clause as a proper subset."""
    trees: dict[_Term, Tree] = {}
    outside = negate(tree, {})

    def implies(clause: list[_Term]) -> bool:
        conjunction: Tree = True
        for term in clause:
            if term not in trees:
                trees[term] = parse(str(term))
            conjunction = apply(conjunction, trees[term], True, {})
        # Plain algebra, without uv's platform knowledge, as uv (it keeps `platform_system ==
        # 'FreeBSD' and sys_platform != 'win32'`).
        return apply(conjunction, outside, True, {}) is False

    reduced: list[list[_Term]] = []
    for clause in dnf:
        units: list[list[_Term]] = []
        by_key: dict[str, list[_Term]] = {}
        for term in clause:
            if term.key in VERSION_KEYS:
                if term.key not in by_key:
                    by_key[term.key] = []
                    units.append(by_key[term.key])
                by_key[term.key].append(term)
            else:
                units.append([term])
        for unit in units:
            rest = [term for term in clause if term not in unit]
            if rest and implies(rest):
                clause = rest
        reduced.append(clause)
    out: list[list[_Term]] = []
    for clause in reduced:
        if clause in out or any(set(other) < set(clause) for other in reduced):
            continue
        out.append(clause)
    return out


def render(tree: Tree, parse: Callable[[str], Tree]) -> str | None:
    """uv's text for `tree` (`None` for true); `parse` builds the diagram of one term."""
    if tree is True:
        return None
    if tree is False:
        return "python_version < '0'"
    dnf: list[list[_Term]] = []
    _collect(tree, [], dnf)
    dnf = _reduce(tree, dnf, parse)
    for clause in dnf:
        clause.sort(key=lambda term: term.kind)
    # Clauses by their keys (a clause before a longer one it starts), as uv; among clauses of
    # the same keys, `extra` terms (uv's conflict markers) by their names.
    dnf.sort(key=lambda clause: ([term.kind for term in clause],
                                 [term.value if term.key == "extra" else "" for term in clause]))
    if len(dnf) == 1:
        return " and ".join(map(str, dnf[0]))
    return " or ".join(" and ".join(map(str, clause)) if len(clause) == 1
                       else f"({' and '.join(map(str, clause))})" for clause in dnf)


def _shown(version: Version) -> str:
    """A bound as uv shows it: a release without its trailing zeros (`3.12.0` is `3.12`)."""
    if version.pre or version.post is not None or version.dev is not None or version.local:
        return str(version)
    release = list(version.release)
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    text = ".".join(map(str, release))
    return f"{version.epoch}!{text}" if version.epoch else text
