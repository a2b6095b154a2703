"""PubGrub: the version solving loop.

The algorithm is Natalie Weizenbaum's (https://nex3.medium.com/pubgrub-2fb6470504f), in the
shape pubgrub-rs and uv give it:

1. **Unit propagation**: for each incompatibility mentioning a package whose assignment just
   changed, if all its terms but one are satisfied, derive the negation of the last one; if all
   are satisfied, that is a conflict.
2. **Conflict resolution**: walk back from the satisfied incompatibility, combining it with the
   causes of its satisfiers (the resolution rule) until the result has exactly one term
   satisfied at the latest decision level; learn it, backtrack to the previous satisfier's level,
   and propagate from there. If the result is "the root cannot be selected", there is no solution
   and the learned incompatibilities form the derivation tree that explains why.
3. **Decision making**: pick the undecided package with the highest priority, ask the provider
   for a version in its allowed range, add that version's dependencies as incompatibilities and,
   unless one of them is already satisfied, decide the version.

As in uv, what is learned about one version is widened to the gap between its known neighbours
(the provider could never choose a version in between), dependency incompatibilities that differ
only in the depending versions are merged, and packages involved in repeated conflicts are
reprioritized (deciding a package that keeps causing conflicts later, one that keeps suffering
them earlier). Everything is deterministic: the same provider answers give the same solution or
the same explanation.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from packaging.version import Version

from puv.core.ranges import Bound, Ranges
from puv.resolver.pubgrub.incompatibility import (
    CauseDependency,
    CauseNotRoot,
    CauseNoVersions,
    CauseUnavailable,
    Incompatibility,
    IncompatibilityRelation,
)
from puv.resolver.pubgrub.package import Package, PackageKind
from puv.resolver.pubgrub.partial_solution import PartialSolution
from puv.resolver.pubgrub.provider import Dependencies, Unavailable
from puv.resolver.pubgrub.term import Term
from puv.resolver.pubgrub.tree import (
    DerivationTree,
    Derived,
    FromDependency,
    NotRoot,
    NoVersions,
    UnavailableVersions,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from puv.resolver.pubgrub.provider import Provider
    from puv.resolver.pubgrub.report import ReportContext

__all__ = ["Solution", "solve"]

ROOT_VERSION = Version("0")
# A package that is the culprit (or the victim) of this many conflicts is decided later
# (earlier), as in uv.
CONFLICT_THRESHOLD = 5


class _Category(enum.IntEnum):
    """uv's priority classes, lowest first."""

    UNSPECIFIED = 0
    CONFLICT_LATE = 1
    CONFLICT_EARLY = 2
    SINGLETON = 3


@dataclass(frozen=True)
class Solution:
    """A successful resolution.

    `versions` has every selected package but the root and `Python`: plain names, and extras
    (`a[x]` at the same version as `a`). `dependencies` has, for the root and every selected
    package, the requirements it was resolved with (for `# via` annotations and lock files).
    """

    versions: Mapping[Package, Version]
    dependencies: Mapping[Package, tuple[tuple[Package, Ranges], ...]] = field(
        default_factory=dict)

    def by_name(self) -> dict[str, Version]:
        """The selected version of each distribution, by canonical name."""
        return {package.name: version for package, version in self.versions.items()
                if package.kind is PackageKind.NAME}


class _Priorities:
    """uv's package ordering: pins first, then by conflict history, then first required."""

    def __init__(self) -> None:
        self.by_name: dict[str, tuple[_Category, int]] = {}
        self.tiebreaker: dict[int, int] = {}
        self.culprit: dict[int, int] = {}
        self.affected: dict[int, int] = {}
        self.prioritize: list[int] = []
        self.deprioritize: list[int] = []

    def register(self, package_id: int, package: Package, allowed: Ranges) -> None:
        self.tiebreaker.setdefault(package_id, len(self.tiebreaker))
        name = package.distribution
        if name is None:
            return
        current = self.by_name.get(name)
        singleton = allowed.is_singleton_constraint()
        if current is None:
            category = _Category.SINGLETON if singleton else _Category.UNSPECIFIED
            self.by_name[name] = (category, len(self.by_name))
            return
        if singleton:
            category = _Category.SINGLETON
        elif current[0] in (_Category.CONFLICT_EARLY, _Category.CONFLICT_LATE):
            return
        else:
            category = _Category.UNSPECIFIED
        if category > current[0]:
            self.by_name[name] = (category, current[1])

    def mark(self, package: Package, category: _Category) -> bool:
        name = package.distribution
        if name is None:
            return False
        current = self.by_name.get(name)
        if current is None:
            self.by_name[name] = (category, len(self.by_name))
            return True
        if current[0] == _Category.CONFLICT_EARLY or current[0] == category:
            return False
        self.by_name[name] = (category, current[1])
        return True

    def key(self, package_id: int, package: Package, provided: int) -> tuple[int, ...]:
        """Larger is decided first."""
        if package.is_root:
            return (1, 0, 0, 0, 0, -package_id)
        if package.is_python:
            return (1, 0, 0, 0, -1, -package_id)
        category, index = self.by_name.get(package.distribution or "", (_Category.UNSPECIFIED,
                                                                         1 << 30))
        tiebreak = self.tiebreaker.get(package_id, 1 << 30)
        return (0, provided, int(category), -index, -tiebreak, -package_id)


class _NoSolutionFound(Exception):
    def __init__(self, incompatibility: Incompatibility) -> None:
        super().__init__()
        self.incompatibility = incompatibility


class _State:
    """The solver's state: incompatibilities, the partial solution, the package store."""

    def __init__(self, provider: Provider, root: Package) -> None:
        self.provider = provider
        self.packages: list[Package] = []
        self.ids: dict[Package, int] = {}
        self.root = self.package_id(root)
        self.incompatibilities: dict[int, list[Incompatibility]] = {}
        self._merged: dict[tuple[int, int, Ranges], list[Incompatibility]] = {}
        self._stored = 0
        self.partial = PartialSolution()
        self.priorities = _Priorities()
        self.priorities.register(self.root, root, Ranges.full())
        self.queue: dict[int, tuple[int, ...]] = {}  # priorities of undecided packages
        self.added: dict[int, set[Version]] = {}
        self.visited: set[int] = set()  # packages the provider was asked to choose a version of
        self.extra_answers: dict[tuple[Package, Version], Dependencies | Unavailable] = {}
        self.dependencies: dict[int, tuple[tuple[Package, Ranges], ...]] = {}
        self.next = self.root
        self.add_incompatibility(Incompatibility.not_root(self.root, ROOT_VERSION))

    def package_id(self, package: Package) -> int:
        found = self.ids.get(package)
        if found is None:
            found = self.ids[package] = len(self.packages)
            self.packages.append(package)
        return found

    # -- incompatibilities ------------------------------------------------------------------

    def _store(self, incompatibility: Incompatibility) -> Incompatibility:
        incompatibility.id = self._stored
        self._stored += 1
        return incompatibility

    def add_incompatibility(self, incompatibility: Incompatibility) -> Incompatibility:
        self._store(incompatibility)
        return self._merge(incompatibility)

    def _merge(self, incompatibility: Incompatibility) -> Incompatibility:
        dependency = incompatibility.dependency_ranges()
        if dependency is not None and dependency[0] != dependency[2]:
            key = (dependency[0], dependency[2], dependency[3])
            bucket = self._merged.setdefault(key, [])
            for index, past in enumerate(bucket):
                merged = incompatibility.merge_dependents(past)
                if merged is None:
                    continue
                self._store(merged)
                for package in merged.terms:
                    listed = self.incompatibilities.get(package)
                    if listed is not None:
                        listed[:] = [i for i in listed if i is not past]
                bucket[index] = merged
                incompatibility = merged
                break
            else:
                bucket.append(incompatibility)
        for package in incompatibility.terms:
            self.incompatibilities.setdefault(package, []).append(incompatibility)
        return incompatibility

    # -- propagation ------------------------------------------------------------------------

    def unit_propagation(self, package: int) -> list[tuple[int, Incompatibility]]:
        """Propagate from `package`; returns the (package, incompatibility) pairs that
        conflict resolution went through, for conflict tracking."""
        partial = self.partial
        causes: list[tuple[int, Incompatibility]] = []
        buffer = [package]
        while buffer:
            current = buffer.pop()
            conflict: Incompatibility | None = None
            for incompatibility in reversed(self.incompatibilities.get(current, ())):
                if partial.is_contradicted(incompatibility):
                    continue
                relation, about = incompatibility.relation(partial.term)
                if relation == IncompatibilityRelation.SATISFIED:
                    conflict = incompatibility
                    break
                if relation == IncompatibilityRelation.ALMOST:
                    if about not in buffer:
                        buffer.append(about)
                    partial.add_derivation(about, incompatibility)
                    partial.mark_contradicted(incompatibility)
                elif relation == IncompatibilityRelation.CONTRADICTED:
                    partial.mark_contradicted(incompatibility)
            if conflict is not None:
                almost, root_cause = self._conflict_resolution(conflict, causes)
                buffer.clear()
                buffer.append(almost)
                partial.add_derivation(almost, root_cause)
                partial.mark_contradicted(root_cause)
        return causes

    def _conflict_resolution(self, incompatibility: Incompatibility,
                             causes: list[tuple[int, Incompatibility]]
                             ) -> tuple[int, Incompatibility]:
        current, changed = incompatibility, False
        while True:
            if current.is_terminal(self.root, ROOT_VERSION):
                raise _NoSolutionFound(current)
            search = self.partial.satisfier_search(current)
            if not search.same_level:
                self.partial.backtrack(search.previous_level)
                if changed:
                    self._merge(current)
                causes.append((search.package, current))
                return search.package, current
            assert search.cause is not None
            current = self._store(Incompatibility.prior_cause(current, search.cause,
                                                              search.package))
            causes.append((search.package, current))
            changed = True

    # -- decisions --------------------------------------------------------------------------

    def widen(self, package: Package, version: Version) -> Ranges:
        """`version` widened to the gap between its known neighbours (see module docstring)."""
        known = self.provider.known_versions(package) if not package.is_root else None
        if not known:
            return Ranges.singleton(version)
        lower: Version | None = None
        upper: Version | None = None
        for candidate in known:  # ascending; a bisect would need the keys
            if candidate < version:
                lower = candidate
            elif candidate > version:
                upper = candidate
                break
        return Ranges.from_bounds(None if lower is None else Bound(lower, False),
                                  None if upper is None else Bound(upper, False))

    def add_dependencies(self, package: int, version: Version, versions: Ranges,
                         dependencies: Sequence[tuple[Package, Ranges]]
                         ) -> Incompatibility | None:
        """Add `package ∈ versions` depends on each dependency; decide `version` unless (after
        a backtrack) one of them is already satisfied, which is returned instead."""
        added = [
            self.add_incompatibility(Incompatibility.from_dependency(
                package, versions, self.package_id(dependency), allowed))
            for dependency, allowed in dependencies
        ]
        if self.partial.has_backtracked:
            term = Term(True, Ranges.singleton(version))
            for incompatibility in added:
                relation, _ = incompatibility.relation(
                    lambda p: term if p == package else self.partial.term(p))
                if relation == IncompatibilityRelation.SATISFIED:
                    return incompatibility
        self.partial.add_decision(package, version)
        return None

    def record_conflict(self, affected: int, incompatibility: Incompatibility) -> None:
        priorities, packages = self.priorities, self.packages
        affected_name = packages[affected].distribution
        culprit_is_real = False
        for package in incompatibility.terms:
            if package == affected or packages[package].distribution == affected_name:
                continue
            culprit_is_real = True
            count = priorities.culprit[package] = priorities.culprit.get(package, 0) + 1
            if count == CONFLICT_THRESHOLD:
                priorities.deprioritize.append(package)
        if culprit_is_real:
            count = priorities.affected[self.next] = priorities.affected.get(self.next, 0) + 1
            if count == CONFLICT_THRESHOLD:
                priorities.prioritize.append(self.next)

    def reprioritize(self) -> None:
        priorities = self.priorities
        for package in priorities.prioritize:
            priorities.mark(self.packages[package], _Category.CONFLICT_EARLY)
        priorities.prioritize.clear()
        for package in priorities.deprioritize:
            if priorities.mark(self.packages[package], _Category.CONFLICT_LATE):
                level = self.partial.decision_level_of(package)
                if level is not None:
                    self.partial.backtrack(level)
        priorities.deprioritize.clear()

    def _queue_key(self, package: int, allowed: Ranges) -> tuple[int, ...]:
        subject = self.packages[package]
        provided = 0 if subject.is_root or subject.is_python else self.provider.prioritize(
            subject, allowed)
        return self.priorities.key(package, subject, provided)

    def pick(self) -> tuple[int, Ranges] | None:
        """The undecided package to decide next, and its allowed versions.

        As in pubgrub-rs, a package's priority is computed when its allowed versions change
        and kept until it is picked: a package whose priority rose since (a pin seen in a
        dependency) waits until its own range changes.
        """
        partial, queue = self.partial, self.queue
        for package in partial.changed:
            term = partial.term(package)
            if term is not None and term.positive and partial.decision(package) is None:
                queue[package] = self._queue_key(package, term.ranges)
        partial.changed.clear()
        candidates = dict(partial.undecided())
        for package, allowed in candidates.items():
            if package not in queue:  # popped earlier without being decided, then backtracked
                queue[package] = self._queue_key(package, allowed)
        best: tuple[int, ...] | None = None
        chosen: int | None = None
        for package, key in list(queue.items()):
            if package not in candidates:
                del queue[package]  # decided or forgotten since it was queued
            elif best is None or key > best:
                best, chosen = key, package
        if chosen is None:
            return None
        del queue[chosen]
        return chosen, candidates[chosen]

    def pending(self) -> list[tuple[Package, Ranges]]:
        """Undecided packages whose allowed versions changed (for the provider's prefetch)."""
        partial = self.partial
        result: dict[Package, Ranges] = {}
        for package in sorted(partial.changed):
            term = partial.term(package)
            subject = self.packages[package]
            if (term is not None and term.positive and partial.decision(package) is None
                    and not subject.is_root and not subject.is_python):
                result.setdefault(subject.public(), term.ranges)
        return list(result.items())

    def _answer(self, package: Package, version: Version) -> Dependencies | Unavailable:
        """The provider's dependencies of a version; an extra's answer is asked once and shared
        by its proxy and itself."""
        if package.kind is not PackageKind.EXTRA:
            return self.provider.get_dependencies(package, version)
        key = (package, version)
        found = self.extra_answers.get(key)
        if found is None:
            found = self.extra_answers[key] = self.provider.get_dependencies(package, version)
        return found

    def decide(self, package_id: int, allowed: Ranges) -> None:
        """Choose a version of `package_id` in `allowed` and add what it implies."""
        package = self.packages[package_id]
        public = package.public()
        if package_id == self.root:
            version = ROOT_VERSION
        else:
            self.visited.add(package_id)
            choice = self.provider.choose_version(public, allowed)
            if choice is None or (isinstance(choice, Unavailable) and package.extra):
                # An extra of an unusable package simply has no versions (uv words it so:
                # "there is no version of c[x]==1.0").
                self.add_incompatibility(Incompatibility.no_versions(package_id, allowed))
                return
            if isinstance(choice, Unavailable):
                self.add_incompatibility(Incompatibility.unavailable(package_id, allowed, choice))
                return
            if not allowed.contains(choice):
                raise AssertionError(f"the provider chose {public}=={choice}, which is not in "
                                     f"{allowed}")
            version = choice
        if version in self.added.get(package_id, ()):
            self.partial.add_decision(package_id, version)
            return
        answer = self._answer(public, version)
        if isinstance(answer, Unavailable):
            self.add_incompatibility(Incompatibility.unavailable(
                package_id, self.widen(public, version), answer))
            return
        assert isinstance(answer, Dependencies)
        python = tuple(item for item in answer.requirements if item[0].is_python)
        if package.is_proxy:
            # The proxy of `a[x]` at v: `a==v` and the extra itself at v (or, for a version
            # whose Requires-Python excludes the interpreter, just that).
            base = package.base
            assert base is not None
            exact = Ranges.singleton(version)
            requirements = python or ((base, exact), (public, exact))
        else:
            # A requirement on itself that the version satisfies says nothing.
            listed = tuple(item for item in answer.requirements
                           if item[0] != public or not item[1].contains(version))
            self.dependencies[package_id] = listed
            requirements = _as_requirements(listed)
        self.added.setdefault(package_id, set()).add(version)
        for dependency, dependency_allowed in requirements:
            self.priorities.register(self.package_id(dependency), dependency, dependency_allowed)
            base = dependency.base
            if base is not None:
                self.priorities.register(self.package_id(base), base, dependency_allowed)
        for dependency, dependency_allowed in requirements:
            base = dependency.base
            if dependency.is_proxy and base is not None:
                # `a[x] ∈ R` implies `a ∈ R`, said before `a[x]` is decided (uv's proxies).
                self.add_incompatibility(Incompatibility.from_dependency(
                    self.package_id(dependency), dependency_allowed, self.package_id(base),
                    dependency_allowed))
        conflict = self.add_dependencies(package_id, version, self.widen(public, version),
                                         requirements)
        if conflict is not None:
            self.record_conflict(package_id, conflict)

    # -- the failure ------------------------------------------------------------------------

    def derivation_tree(self, terminal: Incompatibility) -> DerivationTree:
        """The incompatibilities that derive `terminal`, as a tree of `Package` values; a
        derivation reached twice gets a `shared_id` (the report numbers it)."""
        seen: set[int] = set()
        shared: set[int] = set()
        stack = [terminal]
        while stack:
            incompatibility = stack.pop()
            causes = incompatibility.causes()
            if causes is not None:
                if incompatibility.id in seen:
                    shared.add(incompatibility.id)
                else:
                    stack.append(causes[0])
                    stack.append(causes[1])
            seen.add(incompatibility.id)
        built: dict[int, DerivationTree] = {}
        stack = [terminal]
        visited: set[int] = set()
        while stack:  # post-order, without recursion (trees can be deep)
            incompatibility = stack[-1]
            causes = incompatibility.causes()
            if causes is not None and incompatibility.id not in visited:
                visited.add(incompatibility.id)
                stack.extend(c for c in causes if c.id not in built)
                continue
            stack.pop()
            if incompatibility.id not in built:
                built[incompatibility.id] = self._node(incompatibility, built, shared)
        return built[terminal.id]

    def _node(self, incompatibility: Incompatibility, built: dict[int, DerivationTree],
              shared: set[int]) -> DerivationTree:
        packages = self.packages
        cause = incompatibility.cause
        if isinstance(cause, CauseNotRoot):
            return NotRoot(packages[cause.package], cause.version)
        if isinstance(cause, CauseNoVersions):
            return NoVersions(packages[cause.package], cause.ranges)
        if isinstance(cause, CauseUnavailable):
            return UnavailableVersions(packages[cause.package], cause.ranges, cause.reason)
        if isinstance(cause, CauseDependency):
            dependency = incompatibility.dependency_ranges()
            assert dependency is not None
            return FromDependency(packages[dependency[0]], dependency[1],
                                  packages[dependency[2]], dependency[3])
        return Derived(
            tuple((packages[p], t) for p, t in incompatibility.terms.items()),
            incompatibility.id if incompatibility.id in shared else None,
            built[cause.cause1.id], built[cause.cause2.id])


def _as_requirements(dependencies: Sequence[tuple[Package, Ranges]]
                     ) -> tuple[tuple[Package, Ranges], ...]:
    """Dependencies as the solver records them: a requirement on an extra goes to its proxy."""
    return tuple((Package.extra_proxy(package.name, package.extra), allowed)
                 if package.kind is PackageKind.EXTRA else (package, allowed)
                 for package, allowed in dependencies)


def solve(provider: Provider, root: Package | None = None, *,
          context: ReportContext | None = None) -> Solution:
    """Resolve the root's dependencies (as `provider.get_dependencies(root, ...)` gives them).

    Returns the selected versions, or raises `NoSolution` with the explanation (rendered with
    `context`, which says how to name the interpreter and which hints apply). Exceptions from
    the provider propagate unchanged.
    """
    from puv.resolver.pubgrub.report import NoSolution

    state = _State(provider, root or Package.root())
    while True:
        try:
            causes = state.unit_propagation(state.next)
        except _NoSolutionFound as failure:
            tree = state.derivation_tree(failure.incompatibility)
            known = _known_versions(provider, [state.packages[p] for p in sorted(state.visited)])
            raise NoSolution(tree, known, context) from None
        for affected, incompatibility in causes:
            state.record_conflict(affected, incompatibility)
        pending = state.pending()
        if pending:
            provider.prefetch(pending)
        state.reprioritize()
        picked = state.pick()
        if picked is None:
            return _solution(state)
        state.next = picked[0]
        state.decide(*picked)


def _solution(state: _State) -> Solution:
    versions: dict[Package, Version] = {}
    dependencies: dict[Package, tuple[tuple[Package, Ranges], ...]] = {}
    for package_id, version in state.partial.solution():
        package = state.packages[package_id]
        if package_id in state.dependencies:
            dependencies[package] = state.dependencies[package_id]
        if not package.is_root and not package.is_python and not package.is_proxy:
            versions[package] = version
    return Solution(versions, dependencies)


def _known_versions(provider: Provider, packages: Sequence[Package]
                    ) -> dict[str, tuple[Version, ...]]:
    """The versions of the packages the solver looked up (as uv, the report simplifies ranges
    only against the listings of packages it tried to choose a version of)."""
    known: dict[str, tuple[Version, ...]] = {}
    for package in packages:
        name = package.distribution
        if name is None or name in known:
            continue
        versions = provider.known_versions(package)
        if versions is not None:
            known[name] = tuple(versions)
    return known
