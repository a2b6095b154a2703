"""The partial solution: what the solver has decided and derived so far.

Assignments come in order, each with a *decision level* (how many decisions were made before it)
and a global index. Per package we keep:

- the *derivations* (terms implied by incompatibilities through unit propagation), each with the
  intersection of all derivations so far (`accumulated`), so that "which assignment first made
  this term true" (the satisfier) is a binary search;
- then, possibly, a *decision*: one version.

Backtracking to a level drops every assignment made after it. Incompatibilities found
contradicted are remembered with the state at which they were (level and backtrack
generation), so unit propagation skips them until a backtrack goes below that level.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from puv.core.ranges import Ranges
from puv.resolver.pubgrub.term import Term

if TYPE_CHECKING:
    from collections.abc import Iterator

    from packaging.version import Version

    from puv.resolver.pubgrub.incompatibility import Incompatibility

__all__ = ["PartialSolution", "SatisfierSearch"]


@dataclass(slots=True)
class _Derivation:
    global_index: int
    decision_level: int
    cause: Incompatibility
    accumulated: Term  # the intersection of this and every earlier derivation of the package


@dataclass(slots=True)
class _Assignments:
    smallest_level: int
    highest_level: int
    derivations: list[_Derivation] = field(default_factory=list)
    term: Term = field(default_factory=Term.any)  # all derivations, or the decision
    decision: Version | None = None
    decision_index: int = -1  # the decision's global index


@dataclass(frozen=True, slots=True)
class SatisfierSearch:
    """The satisfier of an incompatibility: `package` is where it lies; `same_level` says the
    previous satisfier is at the same decision level (derive a prior cause from `cause`), else
    backtrack to `previous_level`."""

    package: int
    same_level: bool
    previous_level: int
    cause: Incompatibility | None


class PartialSolution:
    """Decisions and derivations (see the module docstring)."""

    def __init__(self) -> None:
        self.next_global_index = 0
        self.current_level = 0
        self._assignments: dict[int, _Assignments] = {}
        self.decided: list[int] = []  # decided[i] was decided at level i + 1
        # For each backtrack generation, the lowest level backtracked to since (see module
        # docstring); generation 0 is "before any backtrack".
        self._last_valid_levels: list[int] = [0]
        self.changed: set[int] = set()  # undecided packages whose term changed since asked

    # -- contradiction cache ----------------------------------------------------------------

    def is_contradicted(self, incompatibility: Incompatibility) -> bool:
        generation = incompatibility.contradicted_generation
        if generation < 0:
            return False
        if generation >= len(self._last_valid_levels):
            return True
        return incompatibility.contradicted_level <= self._last_valid_levels[generation]

    def mark_contradicted(self, incompatibility: Incompatibility) -> None:
        incompatibility.contradicted_level = self.current_level
        incompatibility.contradicted_generation = len(self._last_valid_levels)

    @property
    def has_backtracked(self) -> bool:
        return len(self._last_valid_levels) > 1

    # -- assignments ------------------------------------------------------------------------

    def add_decision(self, package: int, version: Version) -> None:
        """Select `version` for `package` (which has positive derivations admitting it)."""
        self.current_level += 1
        assignments = self._assignments[package]
        assignments.highest_level = self.current_level
        assignments.decision = version
        assignments.decision_index = self.next_global_index
        assignments.term = Term(True, Ranges.singleton(version))
        self.next_global_index += 1
        self.decided.append(package)
        self.changed.discard(package)

    def add_derivation(self, package: int, cause: Incompatibility) -> None:
        """Record that `cause` (almost satisfied) implies the negation of its `package` term."""
        term = cause.terms[package].negate()
        assignments = self._assignments.get(package)
        if assignments is None:
            assignments = self._assignments[package] = _Assignments(
                self.current_level, self.current_level, term=term)
        else:
            assert assignments.decision is None, "a derivation after a decision"
            assignments.highest_level = self.current_level
            term = assignments.term.intersection(term)
            assignments.term = term
        assignments.derivations.append(
            _Derivation(self.next_global_index, self.current_level, cause, term))
        self.next_global_index += 1
        if term.positive:
            self.changed.add(package)

    def term(self, package: int) -> Term | None:
        """What is known of `package`: its decision, or the intersection of its derivations."""
        assignments = self._assignments.get(package)
        return None if assignments is None else assignments.term

    def undecided(self) -> Iterator[tuple[int, Ranges]]:
        """Packages with a positive term and no decision yet: the candidates for a decision."""
        for package, assignments in self._assignments.items():
            if assignments.decision is None and assignments.term.positive:
                yield package, assignments.term.ranges

    def decision(self, package: int) -> Version | None:
        assignments = self._assignments.get(package)
        return None if assignments is None else assignments.decision

    def solution(self) -> Iterator[tuple[int, Version]]:
        for package in self.decided:
            version = self._assignments[package].decision
            assert version is not None
            yield package, version

    def backtrack(self, level: int) -> None:
        """Forget every assignment made after decision level `level`."""
        self.current_level = level
        del self.decided[level:]
        for package in list(self._assignments):
            assignments = self._assignments[package]
            if assignments.smallest_level > level:
                del self._assignments[package]
                self.changed.discard(package)
            elif assignments.highest_level > level:
                derivations = assignments.derivations
                while derivations and derivations[-1].decision_level > level:
                    derivations.pop()
                last = derivations[-1]
                assignments.highest_level = last.decision_level
                assignments.term = last.accumulated
                assignments.decision = None
                assignments.decision_index = -1
                if last.accumulated.positive:
                    self.changed.add(package)
        levels = self._last_valid_levels
        levels.append(level)
        index = bisect.bisect_right(levels, level, hi=len(levels) - 1)
        for position in range(index, len(levels)):
            levels[position] = level

    def decision_level_of(self, package: int) -> int | None:
        """The level just before `package` was decided, if it is decided."""
        try:
            return self.decided.index(package)
        except ValueError:
            return None

    # -- conflict resolution ----------------------------------------------------------------

    def _satisfier(self, package: int, excluded: Term) -> tuple[Incompatibility | None, int, int]:
        """The first assignment of `package` after which `excluded` is ruled out: its cause
        (None for the decision), global index and decision level."""
        assignments = self._assignments[package]
        derivations = assignments.derivations
        low, high = 0, len(derivations)
        while low < high:  # the first derivation whose accumulated term excludes `excluded`
            middle = (low + high) // 2
            if derivations[middle].accumulated.is_disjoint(excluded):
                high = middle
            else:
                low = middle + 1
        if low < len(derivations):
            found = derivations[low]
            return found.cause, found.global_index, found.decision_level
        assert assignments.decision is not None, "a satisfied term without its satisfier"
        return None, assignments.decision_index, assignments.highest_level

    def satisfier_search(self, incompatibility: Incompatibility) -> SatisfierSearch:
        """Find the assignment that satisfied `incompatibility` last, and the level of the one
        before it (see PubGrub's conflict resolution)."""
        found = {package: self._satisfier(package, term.negate())
                 for package, term in incompatibility.terms.items()}
        package = max(found, key=lambda p: found[p][1])
        cause, _, level = found[package]
        if cause is not None:
            accumulated = cause.terms[package].negate()
        else:
            decision = self._assignments[package].decision
            assert decision is not None
            accumulated = Term(True, Ranges.singleton(decision))
        # The previous satisfier: the satisfier of the package's term once the satisfier's own
        # contribution is taken into account.
        term = incompatibility.terms[package]
        found[package] = self._satisfier(package, accumulated.intersection(term.negate()))
        previous_level = max(1, max(found.values(), key=lambda f: f[1])[2])
        if previous_level >= level:
            assert cause is not None
            return SatisfierSearch(package, True, previous_level, cause)
        return SatisfierSearch(package, False, previous_level, None)
