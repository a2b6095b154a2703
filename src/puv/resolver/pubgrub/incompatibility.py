"""Incompatibilities: sets of terms that must not all hold, and why.

Packages are the solver's small integer ids here (see `solver.PackageStore`); the derivation
tree given to the report maps them back to `Package` values.

Each incompatibility records its cause:

- `CauseNotRoot`: the root must be selected (`{root ∉ {0}}`);
- `CauseNoVersions`: the provider has no version in a set (`{a ∈ S}`);
- `CauseUnavailable`: the provider said why versions (or a whole package) cannot be used;
- `CauseDependency`: `a ∈ S` depends on `b ∈ D` (`{a ∈ S, b ∉ D}`);
- `CauseDerived`: learned during conflict resolution from two others (the resolution rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from puv.core.ranges import Ranges
from puv.resolver.pubgrub.term import Relation, Term

if TYPE_CHECKING:
    from collections.abc import Callable

    from packaging.version import Version

    from puv.resolver.pubgrub.provider import Unavailable

__all__ = [
    "CauseDependency",
    "CauseDerived",
    "CauseNoVersions",
    "CauseNotRoot",
    "CauseUnavailable",
    "Incompatibility",
    "IncompatibilityRelation",
]


@dataclass(frozen=True, slots=True)
class CauseNotRoot:
    package: int
    version: Version


@dataclass(frozen=True, slots=True)
class CauseNoVersions:
    package: int
    ranges: Ranges


@dataclass(frozen=True, slots=True)
class CauseUnavailable:
    package: int
    ranges: Ranges
    reason: Unavailable


@dataclass(frozen=True, slots=True)
class CauseDependency:
    package: int
    dependency: int
    itself: Ranges | None = None  # for a dependency on itself, the versions it allows


@dataclass(frozen=True, slots=True)
class CauseDerived:
    cause1: Incompatibility
    cause2: Incompatibility


Cause = CauseNotRoot | CauseNoVersions | CauseUnavailable | CauseDependency | CauseDerived


class IncompatibilityRelation:
    """How an incompatibility relates to the partial solution: `kind` is `SATISFIED`,
    `CONTRADICTED`, `ALMOST` (all terms but `package` satisfied) or `INCONCLUSIVE`."""

    SATISFIED = 0
    CONTRADICTED = 1
    ALMOST = 2
    INCONCLUSIVE = 3


class Incompatibility:
    """Terms that must not all hold (ordered by package as added) and their `cause`."""

    __slots__ = ("cause", "contradicted_generation", "contradicted_level", "id", "terms")

    def __init__(self, terms: dict[int, Term], cause: Cause) -> None:
        self.terms = terms
        self.cause = cause
        self.id = -1  # set when the solver stores it; orders incompatibilities by creation
        # The partial-solution state at which this was last found contradicted (see
        # `PartialSolution.is_contradicted`); a fresh incompatibility is not.
        self.contradicted_level = -1
        self.contradicted_generation = -1

    @classmethod
    def not_root(cls, package: int, version: Version) -> Incompatibility:
        return cls({package: Term(False, Ranges.singleton(version))}, CauseNotRoot(package, version))

    @classmethod
    def no_versions(cls, package: int, ranges: Ranges) -> Incompatibility:
        return cls({package: Term(True, ranges)}, CauseNoVersions(package, ranges))

    @classmethod
    def unavailable(cls, package: int, ranges: Ranges, reason: Unavailable) -> Incompatibility:
        return cls({package: Term(True, ranges)}, CauseUnavailable(package, ranges, reason))

    @classmethod
    def from_dependency(cls, package: int, versions: Ranges, dependency: int,
                        allowed: Ranges) -> Incompatibility:
        """`package ∈ versions` depends on `dependency ∈ allowed`."""
        if dependency == package:  # depends on itself: only the versions outside `allowed`
            return cls({package: Term(True, versions.difference(allowed))},
                       CauseDependency(package, dependency, allowed))
        if allowed.is_empty():
            return cls({package: Term(True, versions)}, CauseDependency(package, dependency))
        return cls({package: Term(True, versions), dependency: Term(False, allowed)},
                   CauseDependency(package, dependency))

    # -- the dependency view ----------------------------------------------------------------

    def dependency_ranges(self) -> tuple[int, Ranges, int, Ranges] | None:
        """For a dependency: (package, its versions, dependency, the versions it allows)."""
        cause = self.cause
        if not isinstance(cause, CauseDependency):
            return None
        versions = self.terms[cause.package].ranges
        if cause.dependency == cause.package:
            return cause.package, versions, cause.package, cause.itself or Ranges.empty()
        term = self.terms.get(cause.dependency)
        return cause.package, versions, cause.dependency, (
            Ranges.empty() if term is None else term.ranges)

    def merge_dependents(self, other: Incompatibility) -> Incompatibility | None:
        """`a ∈ S1 → b ∈ D` and `a ∈ S2 → b ∈ D` make `a ∈ S1 ∪ S2 → b ∈ D`."""
        mine, theirs = self.dependency_ranges(), other.dependency_ranges()
        if mine is None or theirs is None:
            return None
        package, versions, dependency, allowed = mine
        if package == dependency or (package, dependency) != (theirs[0], theirs[2]):
            return None
        if allowed != theirs[3]:
            return None
        return Incompatibility.from_dependency(package, versions.union(theirs[1]), dependency,
                                               allowed)

    # -- conflict resolution ----------------------------------------------------------------

    @classmethod
    def prior_cause(cls, incompatibility: Incompatibility, satisfier_cause: Incompatibility,
                    package: int) -> Incompatibility:
        """The resolution rule: from `{p: t1} ∪ A` and `{p: t2} ∪ B` derive
        `{p: t1 ∪ t2} ∪ A ∪ B` (dropping `p` when `t1 ∪ t2` is always true)."""
        terms = {p: t for p, t in incompatibility.terms.items() if p != package}
        for p, t in satisfier_cause.terms.items():
            if p == package:
                continue
            mine = terms.get(p)
            terms[p] = t if mine is None else mine.intersection(t)
        union = incompatibility.terms[package].union(satisfier_cause.terms[package])
        if union != Term.any():
            terms[package] = union
        return cls(terms, CauseDerived(incompatibility, satisfier_cause))

    def is_terminal(self, root: int, root_version: Version) -> bool:
        """Whether this means failure: no terms, or only "the root is selected"."""
        if not self.terms:
            return True
        if len(self.terms) > 1:
            return False
        ((package, term),) = self.terms.items()
        return package == root and term.contains(root_version)

    def relation(self, known: Callable[[int], Term | None]) -> tuple[int, int]:
        """How the terms relate to `known` (the partial solution's term per package).

        Returns the relation (an `IncompatibilityRelation` constant) and the package it is
        about (the contradicted term, or the one term not yet satisfied).
        """
        result, about = IncompatibilityRelation.SATISFIED, -1
        for package, term in self.terms.items():
            assigned = known(package)
            if assigned is None:
                relation = Relation.INCONCLUSIVE
            elif term.positive and assigned.positive:  # the common case, inlined
                sets = assigned.ranges.relation(term.ranges)
                if sets == Ranges.SUBSET:
                    continue
                if sets == Ranges.DISJOINT:
                    return IncompatibilityRelation.CONTRADICTED, package
                relation = Relation.INCONCLUSIVE
            else:
                relation = term.relation_with(assigned)
            if relation is Relation.SATISFIED:
                continue
            if relation is Relation.CONTRADICTED:
                return IncompatibilityRelation.CONTRADICTED, package
            if result == IncompatibilityRelation.SATISFIED:
                result, about = IncompatibilityRelation.ALMOST, package
            else:
                return IncompatibilityRelation.INCONCLUSIVE, -1
        return result, about

    def causes(self) -> tuple[Incompatibility, Incompatibility] | None:
        cause = self.cause
        return (cause.cause1, cause.cause2) if isinstance(cause, CauseDerived) else None

    def __repr__(self) -> str:
        terms = ", ".join(f"{p}: {t}" for p, t in self.terms.items())
        return f"Incompatibility({{{terms}}}, {type(self.cause).__name__})"
