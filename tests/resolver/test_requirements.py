"""PEP 508 requirements as solver dependencies."""

from __future__ import annotations

from packaging.requirements import Requirement

from puv.core.ranges import Ranges
from puv.resolver.pubgrub import Dependencies, Package, Unavailable, UnavailableKind
from puv.resolver.pubgrub.requirements import (
    dependencies,
    requirement_dependencies,
    unsatisfiable,
)


def test_extras_are_one_dependency_each() -> None:
    assert requirement_dependencies(Requirement("Foo_Bar[Y,x]>=1")) == [
        (Package.with_extra("foo-bar", "x"), Ranges.from_specifiers(">=1")),
        (Package.with_extra("foo-bar", "y"), Ranges.from_specifiers(">=1")),
    ]
    assert requirement_dependencies(Requirement("a")) == [(Package.named("a"), Ranges.full())]


def test_a_requirement_that_allows_nothing_is_cited_as_uv_does() -> None:
    assert unsatisfiable(Requirement("a>=1")) is None
    assert unsatisfiable(Requirement("a>=2,<1")) == Unavailable(
        UnavailableKind.UNSATISFIABLE_DEPENDENCY, "a<1 and a>=2, which are incompatible")
    assert unsatisfiable(Requirement("A[X]<0.dev0")) == Unavailable(
        UnavailableKind.UNSATISFIABLE_DEPENDENCY,
        "a[x]<0.dev0, which does not allow any versions")


def test_dependencies_stop_at_the_first_impossible_requirement() -> None:
    assert dependencies([Requirement("a"), Requirement("b==1")]) == Dependencies((
        (Package.named("a"), Ranges.full()), (Package.named("b"), Ranges.from_specifiers("==1"))))
    result = dependencies([Requirement("a"), Requirement("b>2,<1")])
    assert isinstance(result, Unavailable)
    assert result.message() == "depends on b<1 and b>2, which are incompatible"
