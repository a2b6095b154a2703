"""The derivation tree of a failed resolution: why there is no solution, as data.

Leaves (*externals*) are facts: the root must be selected, a dependency, "no version in this
set", "these versions cannot be used because ...". Inner nodes (`Derived`) are what the solver
concluded from two causes; `terms` is the conclusion (an incompatibility: these terms cannot all
hold). A node reached from two places has a `shared_id`, so that the report can explain it once
and refer to it by number ("(1)").

The tree is immutable; `report.py` rewrites it (simplifying ranges against the versions that
exist, merging repeated statements) before rendering it in uv's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from packaging.version import Version

    from puv.core.ranges import Ranges
    from puv.resolver.pubgrub.package import Package
    from puv.resolver.pubgrub.provider import Unavailable
    from puv.resolver.pubgrub.term import Term

__all__ = [
    "DerivationTree",
    "Derived",
    "External",
    "FromDependency",
    "NoVersions",
    "NotRoot",
    "UnavailableVersions",
    "packages_of",
]


@dataclass(frozen=True, slots=True)
class NotRoot:
    """The root package must be selected (at its dummy version)."""

    package: Package
    version: Version


@dataclass(frozen=True, slots=True)
class NoVersions:
    """The provider has no version of `package` in `ranges`."""

    package: Package
    ranges: Ranges


@dataclass(frozen=True, slots=True)
class UnavailableVersions:
    """The versions of `package` in `ranges` (or the whole package) cannot be used."""

    package: Package
    ranges: Ranges
    reason: Unavailable


@dataclass(frozen=True, slots=True)
class FromDependency:
    """`package` at versions `ranges` depends on `dependency` at `dependency_ranges`."""

    package: Package
    ranges: Ranges
    dependency: Package
    dependency_ranges: Ranges


External = NotRoot | NoVersions | UnavailableVersions | FromDependency


@dataclass(frozen=True, slots=True)
class Derived:
    """`terms` cannot all hold, because of `cause1` and `cause2`."""

    terms: tuple[tuple[Package, Term], ...]
    shared_id: int | None
    cause1: DerivationTree
    cause2: DerivationTree

    def term(self, package: Package) -> Term | None:
        for candidate, term in self.terms:
            if candidate == package:
                return term
        return None


DerivationTree = External | Derived


def packages_of(tree: DerivationTree) -> Iterator[Package]:
    """Every package the tree mentions (with repetitions), depth first."""
    stack: list[DerivationTree] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Derived):
            for package, _ in node.terms:
                yield package
            stack.append(node.cause2)
            stack.append(node.cause1)
        elif isinstance(node, FromDependency):
            yield node.package
            yield node.dependency
        else:
            yield node.package
