"""Terms and incompatibilities: the statements PubGrub reasons with."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from puv.core.ranges import Ranges
from puv.resolver.pubgrub.incompatibility import (
    CauseDependency,
    CauseDerived,
    Incompatibility,
    IncompatibilityRelation,
)
from puv.resolver.pubgrub.term import Relation, Term

VERSIONS = [Version(f"{major}.{minor}") for major in range(4) for minor in range(3)]
# Sets below are built from these versions' singletons and `>=` bounds: every region they
# delimit holds one of these probes, so comparing probes compares the sets.
PROBES = [Version("0.0.dev0"), *VERSIONS, *(Version(f"{v}.post0") for v in VERSIONS)]


@st.composite
def sets(draw: st.DrawFn) -> Ranges:
    chosen = draw(st.sets(st.sampled_from(VERSIONS)))
    result = Ranges.empty()
    for version in chosen:
        result = result | Ranges.singleton(version)
    if draw(st.booleans()):
        result = result | Ranges.higher_than(draw(st.sampled_from(VERSIONS)))
    return result


terms = st.builds(Term, st.booleans(), sets())


def satisfying(term: Term) -> set[Version | None]:
    """The assignments (a version, or None for "not selected") that make the term true."""
    chosen: set[Version | None] = {v for v in PROBES if term.contains(v)}
    if not term.positive:
        chosen.add(None)
    return chosen


@settings(max_examples=300, deadline=None)
@given(terms, terms)
def test_term_operations_are_pointwise(a: Term, b: Term) -> None:
    assert satisfying(a.intersection(b)) == satisfying(a) & satisfying(b)
    assert satisfying(a.union(b)) == satisfying(a) | satisfying(b)
    assert satisfying(a.negate()) == (set(PROBES) | {None}) - satisfying(a)
    assert a.is_disjoint(b) == (not satisfying(a) & satisfying(b))
    assert a.is_subset_of(b) == (satisfying(a) <= satisfying(b))


@settings(max_examples=300, deadline=None)
@given(terms, terms)
def test_relation_with_what_is_known(term: Term, known: Term) -> None:
    relation = term.relation_with(known)
    if relation is Relation.SATISFIED:
        assert satisfying(known) <= satisfying(term)
    elif relation is Relation.CONTRADICTED:
        assert not satisfying(known) & satisfying(term)
    else:
        assert satisfying(known) & satisfying(term)
        assert not satisfying(known) <= satisfying(term)


def test_any_term_and_display() -> None:
    assert Term.any().contains(Version("1"))
    assert str(Term(True, Ranges.from_specifiers(">=1"))) == ">=1"
    assert str(Term(False, Ranges.from_specifiers(">=1"))) == "not >=1"


@settings(max_examples=200, deadline=None)
@given(terms, terms, terms)
def test_rule_of_resolution(t1: Term, t2: Term, t3: Term) -> None:
    # {p1: t1, p2: not t2} and {p2: t2, p3: t3} resolve on p2 to {p1: t1, p3: t3}.
    first = Incompatibility({1: t1, 2: t2.negate()}, CauseDependency(1, 2))
    second = Incompatibility({2: t2, 3: t3}, CauseDependency(2, 3))
    derived = Incompatibility.prior_cause(first, second, 2)
    assert derived.terms == {1: t1, 3: t3}
    assert derived.causes() == (first, second)
    assert isinstance(derived.cause, CauseDerived)


def test_from_dependency_shapes() -> None:
    versions, allowed = Ranges.from_specifiers(">=1"), Ranges.from_specifiers("<2")
    dependency = Incompatibility.from_dependency(1, versions, 2, allowed)
    assert dependency.terms == {1: Term(True, versions), 2: Term(False, allowed)}
    assert dependency.dependency_ranges() == (1, versions, 2, allowed)
    # A dependency nothing satisfies forbids the depending versions outright.
    impossible = Incompatibility.from_dependency(1, versions, 2, Ranges.empty())
    assert impossible.terms == {1: Term(True, versions)}
    # Depending on itself: only the versions outside what it allows are forbidden.
    own = Incompatibility.from_dependency(1, Ranges.full(), 1, allowed)
    assert own.terms == {1: Term(True, ~allowed)}


def test_dependencies_on_the_same_range_merge() -> None:
    allowed = Ranges.from_specifiers("==1")
    v1 = Ranges.singleton(Version("1"))
    v2 = Ranges.singleton(Version("2"))
    one = Incompatibility.from_dependency(1, v1, 2, allowed)
    two = Incompatibility.from_dependency(1, v2, 2, allowed)
    merged = one.merge_dependents(two)
    assert merged is not None
    assert merged.terms[1] == Term(True, v1 | v2)
    other = Incompatibility.from_dependency(1, v2, 2, Ranges.from_specifiers("==2"))
    assert one.merge_dependents(other) is None
    assert one.merge_dependents(Incompatibility.no_versions(1, v1)) is None


def test_terminal_and_relation() -> None:
    root_version = Version("0")
    root = Incompatibility.not_root(0, root_version)
    assert not root.is_terminal(0, root_version)
    assert Incompatibility({}, CauseDependency(0, 1)).is_terminal(0, root_version)
    assert Incompatibility({0: Term(True, Ranges.full())}, CauseDependency(0, 1)).is_terminal(
        0, root_version)

    dependency = Incompatibility.from_dependency(
        1, Ranges.full(), 2, Ranges.from_specifiers(">=1"))
    known = {1: Term(True, Ranges.singleton(Version("1")))}
    assert dependency.relation(known.get) == (IncompatibilityRelation.ALMOST, 2)
    known[2] = Term(True, Ranges.from_specifiers("<1"))
    assert dependency.relation(known.get) == (IncompatibilityRelation.SATISFIED, -1)
    known[2] = Term(True, Ranges.from_specifiers(">=1"))
    assert dependency.relation(known.get) == (IncompatibilityRelation.CONTRADICTED, 2)
    assert dependency.relation({}.get) == (IncompatibilityRelation.INCONCLUSIVE, -1)
