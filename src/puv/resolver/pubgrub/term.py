"""Terms: statements about one package's version.

A positive term `a ∈ S` says "a is selected, at a version in S"; a negative term `a ∉ S` says
"a is not selected at a version in S" (which includes "a is not selected at all"). The partial
solution keeps, per package, the intersection of every term it has learned; an incompatibility
is a set of terms that must not all hold.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from packaging.version import Version

from puv.core.ranges import Ranges

__all__ = ["Relation", "Term"]


class Relation(enum.Enum):
    """How a term relates to what is known of its package."""

    SATISFIED = 1  # what is known implies the term
    CONTRADICTED = 2  # what is known excludes the term
    INCONCLUSIVE = 3


class Term(NamedTuple):
    """`positive` says whether the package must be in `ranges` or must not be."""

    positive: bool
    ranges: Ranges

    @classmethod
    def any(cls) -> Term:
        """The term every assignment satisfies: not in the empty set."""
        return cls(False, Ranges.empty())

    def negate(self) -> Term:
        return Term(not self.positive, self.ranges)

    def intersection(self, other: Term) -> Term:
        """The term that holds when both hold (operands in pubgrub's order, which decides
        which of two equal bounds a report shows)."""
        if self.positive:
            if other.positive:
                return Term(True, self.ranges.intersection(other.ranges))
            return Term(True, other.ranges.complement().intersection(self.ranges))
        if other.positive:
            return Term(True, self.ranges.complement().intersection(other.ranges))
        return Term(False, self.ranges.union(other.ranges))

    def union(self, other: Term) -> Term:
        """The term that holds when either holds."""
        if self.positive:
            if other.positive:
                return Term(True, self.ranges.union(other.ranges))
            return Term(False, self.ranges.complement().intersection(other.ranges))
        if other.positive:
            return Term(False, other.ranges.complement().intersection(self.ranges))
        return Term(False, self.ranges.intersection(other.ranges))

    def is_disjoint(self, other: Term) -> bool:
        """Whether no assignment satisfies both terms."""
        if self.positive:
            if other.positive:
                return self.ranges.is_disjoint(other.ranges)
            return self.ranges.is_subset(other.ranges)
        if other.positive:
            return other.ranges.is_subset(self.ranges)
        return False

    def is_subset_of(self, other: Term) -> bool:
        """Whether every assignment satisfying this term satisfies `other`."""
        if self.positive:
            if other.positive:
                return self.ranges.is_subset(other.ranges)
            return self.ranges.is_disjoint(other.ranges)
        if other.positive:
            return False
        return other.ranges.is_subset(self.ranges)

    def relation_with(self, known: Term) -> Relation:
        """How this term relates to `known`, the intersection of what is known of its
        package."""
        if self.positive:
            if known.positive:
                relation = known.ranges.relation(self.ranges)
                if relation == Ranges.SUBSET:
                    return Relation.SATISFIED
                if relation == Ranges.DISJOINT:
                    return Relation.CONTRADICTED
                return Relation.INCONCLUSIVE
            if self.ranges.relation(known.ranges) == Ranges.SUBSET:
                return Relation.CONTRADICTED
            return Relation.INCONCLUSIVE
        if known.positive:
            if known.ranges.is_empty():
                return Relation.SATISFIED
            relation = known.ranges.relation(self.ranges)
            if relation == Ranges.SUBSET:
                return Relation.CONTRADICTED
            if relation == Ranges.DISJOINT:
                return Relation.SATISFIED
            return Relation.INCONCLUSIVE
        if self.ranges.relation(known.ranges) == Ranges.SUBSET:
            return Relation.SATISFIED
        return Relation.INCONCLUSIVE

    def contains(self, version: Version) -> bool:
        """Whether selecting `version` satisfies the term."""
        return self.ranges.contains(version) == self.positive

    def __str__(self) -> str:
        return str(self.ranges) if self.positive else f"not {self.ranges}"
