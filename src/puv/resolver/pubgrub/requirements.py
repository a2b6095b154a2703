"""From PEP 508 requirements to what a provider returns (`Dependencies`, `Unavailable`).

A provider reads requirements (from the user, or from a distribution's `Requires-Dist`),
decides which apply (markers against its environment: that is its business, not this
module's), and hands the solver packages and version sets. These helpers do the part every
provider shares, the way uv does it:

- `a[x,y]>=1` is a dependency on `a[x]>=1` and `a[y]>=1` (each extra depends on `a` at the same
  version, which the solver adds), `a>=1` on `a>=1`;
- a requirement whose specifiers allow no version makes the version that declares it unusable,
  cited as uv cites it: "you require a<1 and a>=2, which are incompatible".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from puv.core.ranges import Ranges
from puv.resolver.pubgrub.package import Package
from puv.resolver.pubgrub.provider import Dependencies, Unavailable

if TYPE_CHECKING:
    from collections.abc import Iterable

    from packaging.requirements import Requirement
    from packaging.specifiers import Specifier

__all__ = ["dependencies", "requirement_dependencies", "unsatisfiable"]


def requirement_dependencies(requirement: Requirement) -> list[tuple[Package, Ranges]]:
    """The solver dependencies of one requirement (its marker is the caller's business)."""
    name = canonicalize_name(requirement.name)
    allowed = Ranges.from_specifiers(requirement.specifier)
    if requirement.extras:
        extras = sorted({canonicalize_name(extra) for extra in requirement.extras})
        return [(Package.with_extra(name, extra), allowed) for extra in extras]
    return [(Package.named(name), allowed)]


def _order(specifier: Specifier) -> tuple[int, Version, str]:
    try:
        return (0, Version(specifier.version.removesuffix(".*")), specifier.operator)
    except InvalidVersion:  # `===` with an arbitrary string
        return (1, Version("0"), specifier.operator)


def unsatisfiable(requirement: Requirement) -> Unavailable | None:
    """Why a requirement allows no version at all, in uv's words; `None` if it allows one."""
    if not Ranges.from_specifiers(requirement.specifier).is_empty():
        return None
    name: str = canonicalize_name(requirement.name)
    if requirement.extras:
        name += f"[{','.join(sorted(canonicalize_name(e) for e in requirement.extras))}]"
    ordered = sorted(requirement.specifier, key=_order)
    return Unavailable.unsatisfiable(" and ".join(f"{name}{s}" for s in ordered), len(ordered))


def dependencies(requirements: Iterable[Requirement]) -> Dependencies | Unavailable:
    """The dependencies of a version (or the root) that declares `requirements` (those that
    apply): the first requirement that allows nothing makes the version unusable."""
    result: list[tuple[Package, Ranges]] = []
    for requirement in requirements:
        problem = unsatisfiable(requirement)
        if problem is not None:
            return problem
        result.extend(requirement_dependencies(requirement))
    return Dependencies(tuple(result))
