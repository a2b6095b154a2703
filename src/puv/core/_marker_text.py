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
    quote,
)
from puv.core.ranges import Ranges

if TYPE_CHECKING:
    from collections.abc import Iterator

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

    def negates(self, other: _Term) -> bool:
        return (self.key == other.key and self.value == other.value
                and (NEGATED_OP.get(self.op) == other.op
                     or {self.op, other.op} == {"atom", "not atom"}))


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
        ordered = list(by_child.items())
        default_group = (default, [[_Term(term_kind, key, "!=", value) for value, _ in values]])
        if values[0][0] != "":  # the interval of values before the first is the default's
            yield default_group
        for child, group in ordered:
            yield child, [[_Term(term_kind, key, "==", value)] for value in group]
        if values[0][0] == "":
            yield default_group
        return
    if kind == VERSION:
        key = VERSION_KEYS[node.var[1]]
        ranges_by_child: dict[Tree, Ranges] = {}
        for ranges, child in node.versions:
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


def render(tree: Tree) -> str | None:
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
