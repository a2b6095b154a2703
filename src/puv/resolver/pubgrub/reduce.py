"""Rewriting a derivation tree before it is put into words, as uv does.

The solver's tree is faithful but noisy: it speaks of widened version sets (`a>1.0,<3.0` where
only `a 2.0` exists), repeats "b==1.0 was yanked" once per yanked version, states that there
is no version in a range that the next step makes obvious. Each pass below removes one kind of
noise; `reduce_tree` runs them in uv's order:

1. drop the dependencies of the proxies of extras (`a[x]==1` depends on `a==1`), and read
   `==1.0` as the version 1.0 rather than 1.0 and its local versions;
2. narrow widened sets back onto the known versions (`a<=1.0` rather than `a<2.0`);
3. merge unavailable versions that share a reason ("a>=1.0,<=1.4 were yanked");
4. drop "no versions of a in S" under a dependency that already only allows S;
5. simplify every range against the versions that exist ("all versions of a");
6. state the versions that do not exist when a step reaches past its causes ("only the
   following versions of a are available: ...");
7. drop "no versions" statements the conclusion already says.

Every pass maps the tree bottom-up without recursion (trees can be thousands deep).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from puv.core.ranges import Ranges
from puv.resolver.pubgrub.package import Package
from puv.resolver.pubgrub.term import Term
from puv.resolver.pubgrub.tree import (
    DerivationTree,
    Derived,
    FromDependency,
    NoVersions,
    UnavailableVersions,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from packaging.version import Version

    from puv.resolver.pubgrub.tree import External

    Known = Mapping[str, Sequence[Version]]

__all__ = ["map_tree", "reduce_tree"]



def map_tree(tree: DerivationTree,
             external: Callable[[External], DerivationTree | None],
             derived: Callable[[Derived, DerivationTree | None, DerivationTree | None],
                               DerivationTree | None]) -> DerivationTree | None:
    """Rebuild `tree` bottom-up: `external` maps each leaf, `derived` each inner node given its
    already-mapped causes (`None` drops a subtree). A shared node is mapped once."""
    done: dict[int, DerivationTree | None] = {}
    stack: list[tuple[DerivationTree, bool]] = [(tree, False)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if key in done:
            continue
        if isinstance(node, Derived):
            if not expanded:
                stack.append((node, True))
                stack.append((node.cause2, False))
                stack.append((node.cause1, False))
                continue
            done[key] = derived(node, done[id(node.cause1)], done[id(node.cause2)])
        else:
            done[key] = external(node)
    return done[id(tree)]


def _map(tree: DerivationTree,
         external: Callable[[External], DerivationTree],
         derived: Callable[[Derived, DerivationTree, DerivationTree], DerivationTree]
         ) -> DerivationTree:
    def on_derived(node: Derived, cause1: DerivationTree | None,
                   cause2: DerivationTree | None) -> DerivationTree:
        assert cause1 is not None and cause2 is not None
        return derived(node, cause1, cause2)

    result = map_tree(tree, external, on_derived)
    assert result is not None
    return result


def _keep(external: External) -> DerivationTree:
    return external


def _node(node: Derived, cause1: DerivationTree, cause2: DerivationTree,
          terms: tuple[tuple[Package, Term], ...] | None = None) -> Derived:
    return Derived(node.terms if terms is None else terms, node.shared_id, cause1, cause2)


def _known(package: Package, known: Known) -> Sequence[Version] | None:
    name = package.distribution
    versions = None if name is None else known.get(name)
    return versions or None


# -- 1. extras --------------------------------------------------------------------------------

def _is_proxy_edge(tree: DerivationTree | None) -> bool:
    return isinstance(tree, FromDependency) and tree.package.is_proxy


def collapse_proxies(tree: DerivationTree) -> DerivationTree:
    """Drop the dependencies of the solver's proxies for extras (`a[x]` at v depends on `a==v`
    and on the extra at v, or on `Python`): uv's reports never show them."""
    def derived(node: Derived, cause1: DerivationTree | None,
                cause2: DerivationTree | None) -> DerivationTree | None:
        if _is_proxy_edge(cause1) and _is_proxy_edge(cause2):
            return None
        if _is_proxy_edge(cause1) or cause1 is None:
            return cause2
        if _is_proxy_edge(cause2) or cause2 is None:
            return cause1
        return _node(node, cause1, cause2)

    result = map_tree(tree, _keep, derived)
    return tree if result is None else result


def collapse_local_versions(tree: DerivationTree) -> DerivationTree:
    """Read `==1.0` as the version 1.0 (not 1.0 and its local versions) everywhere, and drop
    "no versions" statements about local versions only (uv's local-version sentinels)."""
    def external(leaf: External) -> DerivationTree | None:
        if isinstance(leaf, NoVersions):
            if leaf.ranges.is_local_variants_only():
                return None
            return NoVersions(leaf.package, leaf.ranges.without_local_sentinels())
        if isinstance(leaf, FromDependency):
            return FromDependency(leaf.package, leaf.ranges.without_local_sentinels(),
                                  leaf.dependency,
                                  leaf.dependency_ranges.without_local_sentinels())
        if isinstance(leaf, UnavailableVersions):
            return UnavailableVersions(leaf.package, leaf.ranges.without_local_sentinels(),
                                       leaf.reason)
        return leaf

    def derived(node: Derived, cause1: DerivationTree | None,
                cause2: DerivationTree | None) -> DerivationTree | None:
        if cause1 is None or cause2 is None:
            return cause2 if cause1 is None else cause1
        terms = tuple((package, Term(term.positive, term.ranges.without_local_sentinels()))
                      for package, term in node.terms)
        return _node(node, cause1, cause2, terms)

    result = map_tree(tree, external, derived)
    return tree if result is None else result


# -- 2. widened sets --------------------------------------------------------------------------

def _narrow(ranges: Ranges, versions: Sequence[Version] | None) -> Ranges:
    return ranges if versions is None else ranges.narrow(versions)


def _narrow_unavailable(ranges: Ranges, versions: Sequence[Version] | None) -> Ranges:
    """Narrowing for "cannot be used": never a claim about versions outside the listing."""
    if versions is None:
        return ranges
    if len(versions) == 1 and ranges.contains(versions[0]):
        return Ranges.singleton(versions[0])
    narrowed = ranges.narrow(versions)
    if narrowed.is_full():
        return narrowed
    envelope = Ranges.higher_than(versions[0]).intersection(Ranges.lower_than(versions[-1]))
    clamped = narrowed.intersection(envelope)
    return narrowed if clamped.is_empty() else clamped


def reported_versions(package: Package, cause: DerivationTree) -> Ranges:
    """The versions of `package` a cause is reported as establishing something about."""
    if isinstance(cause, Derived):
        term = cause.term(package)
        return term.ranges if term is not None and term.positive else Ranges.empty()
    if isinstance(cause, (UnavailableVersions, NoVersions, FromDependency)) and (
            cause.package == package):
        return cause.ranges
    return Ranges.empty()


def narrow_widened_sets(tree: DerivationTree, known: Known) -> DerivationTree:
    """Shrink the solver's widened sets back onto the versions that exist."""
    def external(leaf: External) -> DerivationTree:
        if isinstance(leaf, FromDependency):
            versions = _known(leaf.package, known)
            if leaf.dependency.is_python:
                ranges = _narrow_unavailable(leaf.ranges, versions)
            else:
                ranges = _narrow(leaf.ranges, versions)
            return FromDependency(leaf.package, ranges, leaf.dependency, leaf.dependency_ranges)
        if isinstance(leaf, UnavailableVersions):
            versions = _known(leaf.package, known)
            if leaf.reason.is_package_level:
                ranges = _narrow(leaf.ranges, versions)
            else:
                ranges = _narrow_unavailable(leaf.ranges, versions)
            return UnavailableVersions(leaf.package, ranges, leaf.reason)
        return leaf

    def derived(node: Derived, cause1: DerivationTree, cause2: DerivationTree) -> DerivationTree:
        terms = []
        for package, term in node.terms:
            if term.positive:
                versions = _known(package, known)
                ranges = term.ranges
                if versions is not None and len(versions) == 1:
                    single = Ranges.singleton(versions[0])
                    if ranges.contains(versions[0]) and reported_versions(package, cause1).union(
                            reported_versions(package, cause2)) == single:
                        ranges = single
                    else:
                        ranges = _narrow(ranges, versions)
                else:
                    ranges = _narrow(ranges, versions)
                term = Term(True, ranges)
            terms.append((package, term))
        return _node(node, cause1, cause2, tuple(terms))

    return _map(tree, external, derived)


# -- 3. unavailable versions ------------------------------------------------------------------

def _with_term(terms: tuple[tuple[Package, Term], ...], package: Package,
               ranges: Ranges) -> tuple[tuple[Package, Term], ...]:
    return tuple((p, Term(True, ranges) if p == package and t.positive else t) for p, t in terms)


def _merge_unavailable(leaf: UnavailableVersions, other: DerivationTree) -> DerivationTree | None:
    if not isinstance(other, Derived):
        return None

    def merge(cause: DerivationTree) -> Ranges | None:
        if isinstance(cause, UnavailableVersions) and cause.package == leaf.package and (
                cause.reason.same_reason(leaf.reason)):
            return cause.ranges.union(leaf.ranges)
        return None

    merged = merge(other.cause2)
    if merged is not None:
        cause1: DerivationTree = other.cause1
        cause2: DerivationTree = UnavailableVersions(leaf.package, merged, leaf.reason)
    else:
        merged = merge(other.cause1)
        if merged is None:
            return None
        cause1, cause2 = UnavailableVersions(leaf.package, merged, leaf.reason), other.cause2
    return Derived(_with_term(other.terms, leaf.package, merged), other.shared_id, cause1, cause2)


def _merge_unavailable_siblings(node: Derived) -> DerivationTree | None:
    first, second = node.cause1, node.cause2
    if not (isinstance(first, UnavailableVersions) and isinstance(second, UnavailableVersions)):
        return None
    if first.package != second.package or len(node.terms) != 1:
        return None
    ((package, term),) = node.terms
    if not term.positive or package != first.package:
        return None
    versions = first.ranges.union(second.ranges)
    if first.reason.same_reason(second.reason):
        return UnavailableVersions(package, versions, first.reason)
    if versions.is_subset(term.ranges):
        return None
    return Derived(((package, Term(True, term.ranges.union(versions))),), node.shared_id,
                   first, second)


def collapse_unavailable_versions(tree: DerivationTree) -> DerivationTree:
    """Say "these versions cannot be used" once per reason, not once per version."""
    def derived(node: Derived, cause1: DerivationTree, cause2: DerivationTree) -> DerivationTree:
        result: DerivationTree | None = None
        if isinstance(cause1, UnavailableVersions):
            result = _merge_unavailable(cause1, cause2)
        if result is None and isinstance(cause2, UnavailableVersions):
            result = _merge_unavailable(cause2, cause1)
        if result is None:
            result = _node(node, cause1, cause2)
        if isinstance(result, Derived):
            merged = _merge_unavailable_siblings(result)
            if merged is not None:
                return merged
        return result

    return _map(tree, _keep, derived)


# -- 4. "no versions" under a dependency ------------------------------------------------------

def _redundant_child(tree: DerivationTree, package: Package, ranges: Ranges) -> DerivationTree:
    if not isinstance(tree, Derived):
        return tree
    for no_versions, dependency in ((tree.cause1, tree.cause2), (tree.cause2, tree.cause1)):
        if (isinstance(no_versions, NoVersions) and isinstance(dependency, FromDependency)
                and no_versions.package == dependency.dependency == package
                and ranges.is_subset(dependency.dependency_ranges)):
            return dependency
    return tree


def collapse_redundant_depends_on_no_versions(tree: DerivationTree) -> DerivationTree:
    """`C depends on A>=1,<2` and `A>=1,<2 depends on B` need no "A has no other versions"."""
    def derived(node: Derived, cause1: DerivationTree, cause2: DerivationTree) -> DerivationTree:
        if isinstance(cause1, FromDependency):
            return _node(node, cause1, _redundant_child(cause2, cause1.package, cause1.ranges))
        if isinstance(cause2, FromDependency):
            return _node(node, _redundant_child(cause1, cause2.package, cause2.ranges), cause2)
        return _node(node, cause1, cause2)

    return _map(tree, _keep, derived)


# -- 5. ranges against the versions that exist ------------------------------------------------

def _simplify(ranges: Ranges, package: Package, known: Known,
              prereleases_disallowed: Callable[[str], bool]) -> Ranges:
    name = package.distribution
    versions = None if name is None else known.get(name)
    if versions is None or ranges.is_full() or ranges.pinned_version() is not None:
        return ranges
    if len(versions) == 1 and ranges.contains(versions[0]):
        return Ranges.singleton(versions[0])
    assert name is not None
    if prereleases_disallowed(name) and not _names_prerelease(ranges):
        versions = [version for version in versions if not version.is_prerelease]
    return ranges.simplify(versions)


def _names_prerelease(ranges: Ranges) -> bool:
    for segment in ranges.segments():
        for bound in (segment.lower, segment.upper):
            if bound is not None and bound.version.is_prerelease:
                return True
    return False


def simplify_ranges(tree: DerivationTree, known: Known,
                    prereleases_disallowed: Callable[[str], bool]) -> DerivationTree:
    """Describe every set by the versions that exist: `a<2.0` of `1.0, 2.0` is "all versions"
    when nothing else matters, `==1.0 | ==3.0` of `1.0, 2.0, 3.0` is `<=1.0 | >=3.0`."""
    def simplify(ranges: Ranges, package: Package) -> Ranges:
        return _simplify(ranges, package, known, prereleases_disallowed)

    def external(leaf: External) -> DerivationTree:
        if isinstance(leaf, FromDependency):
            return FromDependency(leaf.package, simplify(leaf.ranges, leaf.package),
                                  leaf.dependency,
                                  simplify(leaf.dependency_ranges, leaf.dependency))
        if isinstance(leaf, NoVersions):
            return NoVersions(leaf.package, simplify(leaf.ranges, leaf.package))
        if isinstance(leaf, UnavailableVersions):
            return UnavailableVersions(leaf.package, simplify(leaf.ranges, leaf.package),
                                       leaf.reason)
        return leaf

    def derived(node: Derived, cause1: DerivationTree, cause2: DerivationTree) -> DerivationTree:
        terms = tuple((package, Term(term.positive, simplify(term.ranges, package)))
                      for package, term in node.terms)
        return _node(node, cause1, cause2, terms)

    return _map(tree, external, derived)


# -- 6. versions that do not exist ------------------------------------------------------------

def _concluded(terms: tuple[tuple[Package, Term], ...]) -> tuple[Package, Ranges] | None:
    if len(terms) != 1 or not terms[0][1].positive:
        return None
    return terms[0][0], terms[0][1].ranges


def _cause_packages(cause: DerivationTree) -> list[Package]:
    if isinstance(cause, Derived):
        return [package for package, _ in cause.terms]
    if isinstance(cause, FromDependency):
        return [cause.package, cause.dependency]
    return [cause.package]


def _required(package: Package, cause: DerivationTree) -> Ranges:
    if isinstance(cause, Derived):
        term = cause.term(package)
        return term.ranges if term is not None and not term.positive else Ranges.empty()
    if isinstance(cause, FromDependency) and cause.dependency == package:
        return cause.dependency_ranges
    return Ranges.empty()


def _ruled_out(package: Package, cause: DerivationTree) -> Ranges:
    if isinstance(cause, Derived):
        concluded = _concluded(cause.terms)
        return concluded[1] if concluded is not None and concluded[0] == package else (
            Ranges.empty())
    if isinstance(cause, UnavailableVersions) and cause.package == package:
        return cause.ranges
    return Ranges.empty()


def _unlisted(terms: tuple[tuple[Package, Term], ...], cause1: DerivationTree,
              cause2: DerivationTree, known: Known) -> tuple[Package, Ranges] | None:
    candidates: list[tuple[Package, Ranges, Ranges]] = []
    concluded = _concluded(terms)
    if concluded is not None:
        package = concluded[0]
        candidates.append((package, concluded[1], reported_versions(package, cause1).union(
            reported_versions(package, cause2))))
    mentioned = {package for package, _ in terms}
    for package in _cause_packages(cause1) + _cause_packages(cause2):
        if package in mentioned:
            continue
        candidates.append((package, _required(package, cause1).union(_required(package, cause2)),
                           _ruled_out(package, cause1).union(_ruled_out(package, cause2))))
    for package, covered, reported in candidates:
        if reported.is_empty():
            continue
        unlisted = covered.difference(reported)
        if unlisted.is_empty():
            continue
        versions = _known(package, known)
        if versions is None or any(unlisted.contains(version) for version in versions):
            continue
        return package, unlisted
    return None


def _starts_lower(first: Ranges, second: Ranges) -> bool:
    def lowest(ranges: Ranges) -> tuple[bool, Version | None]:
        if ranges.is_empty():
            return False, None
        bound = ranges.lowest()
        return True, None if bound is None else bound.version

    (first_any, first_low), (second_any, second_low) = lowest(first), lowest(second)
    if not first_any:
        return False
    if not second_any:
        return True
    if first_low is None:
        return True
    return second_low is not None and first_low <= second_low


def restate_available_versions(tree: DerivationTree, known: Known) -> DerivationTree:
    """Where a step concludes about versions neither cause mentions (because they do not
    exist), add the statement that says so."""
    def derived(node: Derived, cause1: DerivationTree, cause2: DerivationTree) -> DerivationTree:
        found = _unlisted(node.terms, cause1, cause2, known)
        if found is None:
            return _node(node, cause1, cause2)
        package, unlisted = found
        statement = NoVersions(package, unlisted)

        def carry(cause: DerivationTree) -> DerivationTree:
            carried = _ruled_out(package, cause).union(unlisted)
            return Derived(((package, Term(True, carried)),), None, cause, statement)

        first, second = _ruled_out(package, cause1), _ruled_out(package, cause2)
        if first.is_empty() and second.is_empty():
            concluded = node.term(package) or Term(True, unlisted)
            inner = Derived(((package, Term(True, reported_versions(package, cause1).union(
                reported_versions(package, cause2)))),), None, cause1, cause2)
            return Derived(((package, concluded),), node.shared_id, inner, statement)
        if _starts_lower(first, second):
            return _node(node, carry(cause1), cause2)
        return _node(node, cause1, carry(cause2))

    return _map(tree, _keep, derived)


# -- 7. redundant "no versions" ---------------------------------------------------------------

def _can_drop_no_versions(leaf: NoVersions, other: DerivationTree,
                          terms: tuple[tuple[Package, Term], ...]) -> bool:
    if isinstance(other, Derived):
        term = other.term(leaf.package)
    else:
        term = next((t for p, t in terms if p == leaf.package), None)
    if term is None or not term.positive:
        return False
    remaining = leaf.ranges.complement()
    # "only a==1.0 is available" is worth saying; otherwise the conclusion says it all.
    return remaining.as_singleton() is None and (term.ranges.is_full() or term.ranges == remaining)


def collapse_redundant_no_versions(tree: DerivationTree) -> DerivationTree:
    def derived(node: Derived, cause1: DerivationTree, cause2: DerivationTree) -> DerivationTree:
        if isinstance(cause1, NoVersions) and _can_drop_no_versions(cause1, cause2, node.terms):
            return cause2
        if isinstance(cause2, NoVersions) and _can_drop_no_versions(cause2, cause1, node.terms):
            return cause1
        return _node(node, cause1, cause2)

    return _map(tree, _keep, derived)


def collapse_no_versions_pairs(tree: DerivationTree) -> tuple[DerivationTree, bool]:
    """Two "no versions of P" whose union is the conclusion are one statement."""
    changed = False

    def derived(node: Derived, cause1: DerivationTree, cause2: DerivationTree) -> DerivationTree:
        nonlocal changed
        if (isinstance(cause1, NoVersions) and isinstance(cause2, NoVersions)
                and cause1.package == cause2.package):
            term = node.term(cause1.package)
            if term is not None and term.positive and cause1.ranges.is_subset(term.ranges) and (
                    cause2.ranges.is_subset(term.ranges)):
                changed = True
                return NoVersions(cause1.package, term.ranges)
        return _node(node, cause1, cause2)

    return _map(tree, _keep, derived), changed


def collapse_no_versions_of_members(tree: DerivationTree,
                                    members: frozenset[str]) -> DerivationTree:
    """Never say "only <workspace member>==0.1.0 is available"."""
    if not members:
        return tree

    def member(cause: DerivationTree) -> bool:
        return isinstance(cause, NoVersions) and cause.package.distribution in members

    def derived(node: Derived, cause1: DerivationTree, cause2: DerivationTree) -> DerivationTree:
        if member(cause1):
            return cause2
        if member(cause2):
            return cause1
        return _node(node, cause1, cause2)

    return _map(tree, _keep, derived)


def reduce_tree(tree: DerivationTree, known: Known, *, members: frozenset[str] = frozenset(),
                prereleases_disallowed: Callable[[str], bool] = lambda name: False
                ) -> DerivationTree:
    """All the passes, in uv's order (see the module docstring)."""
    tree = collapse_proxies(tree)
    tree = collapse_local_versions(tree)
    tree = narrow_widened_sets(tree, known)
    tree = collapse_no_versions_of_members(tree, members)
    tree = collapse_unavailable_versions(tree)
    tree = collapse_redundant_depends_on_no_versions(tree)
    tree = simplify_ranges(tree, known, prereleases_disallowed)
    tree = restate_available_versions(tree, known)
    tree = collapse_redundant_no_versions(tree)
    changed = True
    while changed:
        tree, changed = collapse_no_versions_pairs(tree)
    return tree
