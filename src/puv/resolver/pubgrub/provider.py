"""The provider: everything the solver knows about the package universe comes through it.

The solver is pure. It never reads an index, a wheel or a lock file; it asks a `Provider`
four questions, and the provider's answers are *values*: "this version has these
dependencies", "this version cannot be used because it was yanked", "this package was not
found". Exceptions raised by a provider are bugs or aborts (a keyboard interrupt, a corrupt
cache) and propagate out of `solve` unchanged.

Ordinary negative answers are `Unavailable` values, so that the final report can cite them
("Because b==1.0.0 was yanked and only b==1.0.0 is available, ..."):

- for a whole package, from `choose_version` (not found on the index, offline and not cached,
  an index page that cannot be read);
- for one version, from `get_dependencies` (yanked, no wheel for this platform, no usable
  wheels with `--no-build`, metadata that cannot be parsed, offline...).

A version whose `Requires-Python` excludes the interpreter is not `Unavailable`: its
dependencies are a single dependency on the virtual `Python` package (see `package.py`), which
is how uv words it ("a==1.0.0 depends on Python>=3.10").

Pre-releases, yanked versions pinned with `==`, preferences from a lock file, newest or lowest
first: all of that is the provider's `choose_version`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Sequence

    from packaging.version import Version

    from puv.core.ranges import Ranges
    from puv.resolver.pubgrub.package import Package

__all__ = [
    "BaseProvider",
    "Dependencies",
    "Provider",
    "Unavailable",
    "UnavailableKind",
]


class UnavailableKind(enum.Enum):
    """Why a package or a version cannot be used; each kind has uv's wording."""

    # A whole package (returned by `choose_version`).
    NOT_FOUND = "not-found"  # the index answered 404
    NO_INDEX = "no-index"  # `--no-index` and no `--find-links` has it
    NOT_CACHED = "not-cached"  # `--offline` and the cache does not have it
    INVALID_INDEX_PAGE = "invalid-index-page"  # the project page cannot be read
    PACKAGE_NETWORK = "package-network"  # the index kept answering an error status
    # One version (returned by `get_dependencies`).
    YANKED = "yanked"
    NO_SOURCE_DISTRIBUTION = "no-source-distribution"  # `--no-binary` and only wheels
    NO_USABLE_WHEELS = "no-usable-wheels"  # `--no-build` and no wheel fits
    INCOMPATIBLE_WHEEL_TAG = "incompatible-wheel-tag"  # no wheel for this interpreter/platform
    NO_DISTRIBUTIONS = "no-distributions"
    EXCLUDED_NEWER = "excluded-newer"  # uploaded after `--exclude-newer`
    INVALID_METADATA = "invalid-metadata"
    INCONSISTENT_METADATA = "inconsistent-metadata"  # e.g. METADATA names another project
    INVALID_STRUCTURE = "invalid-structure"  # e.g. two .dist-info directories
    OFFLINE = "offline"  # the metadata would have to be downloaded
    REQUIRES_PYTHON = "requires-python"  # found only in the metadata of a source build
    NETWORK = "network"
    # A requirement of this version (or of the root) that no version can satisfy: `detail` is
    # the requirement as uv shows it, e.g. "a<1 and a>=2, which are incompatible".
    UNSATISFIABLE_DEPENDENCY = "unsatisfiable-dependency"
    # No wheel for a platform of `required-environments` (universal resolution): `detail` is
    # the platform as uv names it ("Linux").
    MISSING_PLATFORM_WHEELS = "missing-platform-wheels"


# kind -> (description, verb for one version, verb for several)
_WORDS: dict[UnavailableKind, tuple[str, str, str]] = {
    UnavailableKind.NOT_FOUND: ("not found in the package registry", "was", "were"),
    UnavailableKind.NO_INDEX: ("not found in the provided package locations", "was", "were"),
    UnavailableKind.NOT_CACHED: ("not found in the cache", "was", "were"),
    UnavailableKind.INVALID_INDEX_PAGE: ("invalid metadata", "has", "have"),
    UnavailableKind.PACKAGE_NETWORK: ("", "", ""),
    UnavailableKind.YANKED: ("yanked", "was", "were"),
    UnavailableKind.NO_SOURCE_DISTRIBUTION: ("no source distribution", "has", "have"),
    UnavailableKind.NO_USABLE_WHEELS: ("no usable wheels", "has", "have"),
    UnavailableKind.INCOMPATIBLE_WHEEL_TAG: ("no wheels with valid tags", "has", "have"),
    UnavailableKind.NO_DISTRIBUTIONS: ("no available distributions", "has", "have"),
    UnavailableKind.EXCLUDED_NEWER: ("published after the exclude newer time", "was", "were"),
    UnavailableKind.INVALID_METADATA: ("invalid metadata", "has", "have"),
    UnavailableKind.INCONSISTENT_METADATA: ("inconsistent metadata", "has", "have"),
    UnavailableKind.INVALID_STRUCTURE: ("an invalid package format", "has", "have"),
    UnavailableKind.OFFLINE: ("to be downloaded from a registry", "needs", "need"),
    UnavailableKind.REQUIRES_PYTHON: ("", "requires", "require"),
    UnavailableKind.NETWORK: ("", "", ""),
    UnavailableKind.UNSATISFIABLE_DEPENDENCY: ("", "depends on", "depend on"),
    UnavailableKind.MISSING_PLATFORM_WHEELS: ("", "has", "have"),
}

_PACKAGE_KINDS = frozenset({
    UnavailableKind.NOT_FOUND, UnavailableKind.NO_INDEX, UnavailableKind.NOT_CACHED,
    UnavailableKind.INVALID_INDEX_PAGE, UnavailableKind.PACKAGE_NETWORK,
})


@dataclass(frozen=True, slots=True)
class Unavailable:
    """Why a package, or one of its versions, cannot be used.

    `detail` refines the description: the yank reason, the HTTP status, the Python requirement,
    or for `INCOMPATIBLE_WHEEL_TAG` the tag that did not match (uv's "no wheels with a matching
    platform tag (e.g., `manylinux_2_17_x86_64`)": detail "platform", example
    "manylinux_2_17_x86_64"). `hints` are printed after the report, as uv's `hint:` lines, when
    this value is part of the explanation. Equal values (hints aside) are merged in reports:
    "a>=1.0,<=1.4 were yanked".
    """

    kind: UnavailableKind
    detail: str = ""
    example: str = ""
    hints: tuple[str, ...] = ()

    @property
    def is_package_level(self) -> bool:
        """Whether this is about the whole package rather than one version."""
        return self.kind in _PACKAGE_KINDS

    def description(self) -> str:
        """What is wrong, without a verb: "yanked (reason: broken)", "invalid metadata"."""
        kind, detail = self.kind, self.detail
        if kind is UnavailableKind.YANKED and detail:
            return f"yanked (reason: {detail.strip().rstrip('.')})"
        if kind is UnavailableKind.INCOMPATIBLE_WHEEL_TAG and detail:
            tag = {"python": "Python implementation", "abi": "Python ABI",
                   "abi-python-version": "Python version"}.get(detail, detail)
            return f"no wheels with a matching {tag} tag"
        if kind is UnavailableKind.REQUIRES_PYTHON:
            return f"Python {detail}"
        if kind is UnavailableKind.MISSING_PLATFORM_WHEELS:
            return f"no {detail}-compatible wheels"
        if kind in (UnavailableKind.NETWORK, UnavailableKind.PACKAGE_NETWORK,
                    UnavailableKind.UNSATISFIABLE_DEPENDENCY):
            return detail
        return _WORDS[kind][0]

    def message(self, *, plural: bool = False) -> str:
        """The description with its verb: "was yanked", "have no usable wheels"."""
        if self.kind in (UnavailableKind.NETWORK, UnavailableKind.PACKAGE_NETWORK):
            return f"could not be fetched from the network (`{self.detail}`)"
        _, one, several = _WORDS[self.kind]
        text = f"{several if plural else one} {self.description()}"
        if self.kind is UnavailableKind.INCOMPATIBLE_WHEEL_TAG and self.example:
            text += f" (e.g., `{self.example}`)"
        return text

    @classmethod
    def unsatisfiable(cls, requirement: str, specifiers: int) -> Unavailable:
        """A requirement that allows no version: `requirement` as uv shows it (each specifier
        with the name, joined by " and ": `a<1 and a>=2`), `specifiers` how many it has."""
        why = "which are incompatible" if specifiers > 1 else "which does not allow any versions"
        return cls(UnavailableKind.UNSATISFIABLE_DEPENDENCY, f"{requirement}, {why}")

    def same_reason(self, other: Unavailable) -> bool:
        return (self.kind, self.detail, self.example) == (other.kind, other.detail, other.example)

    def __str__(self) -> str:
        return self.description()


@dataclass(frozen=True, slots=True)
class Dependencies:
    """The requirements of one version: each a package and the versions it allows.

    A package may appear more than once (`b>=1` and `b<2` from two lines): each is a separate
    constraint. For `name[extra]`, list only the extra's own requirements: the solver adds the
    dependency on `name` at the same version itself.
    """

    requirements: tuple[tuple[Package, Ranges], ...] = ()


@runtime_checkable
class Provider(Protocol):
    """What the solver asks. Every method is called from the solver's single thread.

    Answers must be deterministic for one resolution: asked twice, a provider answers the same
    (the solver may ask again after backtracking).
    """

    def prioritize(self, package: Package, allowed: Ranges) -> int:
        """How urgently to decide `package` next; higher first, 0 by default.

        Called each time the versions allowed for an undecided package change (after every
        propagation that touches it), so it must be cheap: no I/O. The solver orders packages
        of equal priority by its own rules (exact pins first, then packages that often
        conflict, then in the order they were first required), as uv does; return a positive
        value to go before all of those (uv decides direct URL requirements first).
        """
        ...

    def choose_version(self, package: Package, allowed: Ranges) -> Version | Unavailable | None:
        """The version to try for `package` among `allowed`; `None` if there is none.

        This is where resolution policy lives: newest or lowest first, preferences from a lock
        file or an installed environment, pre-releases (only when asked, or when nothing else
        matches), yanked versions (only when pinned exactly). Return `Unavailable` when the
        whole package cannot be used (not found on the index, offline...); the report cites it.

        Called once per decision, and again after backtracking. May block on I/O the first time
        a package is seen (reading its index page); later calls should be cheap. Never called
        for the root (the solver decides it itself). For a `Python` package, answer its single
        version (the interpreter's, or the target's) if `allowed` admits it, else `None`.
        """
        ...

    def get_dependencies(self, package: Package, version: Version) -> Dependencies | Unavailable:
        """The requirements of `package` at `version`, or why that version cannot be used.

        Called at most once per (package, version) in a resolution. For the root it returns the
        user's requirements. The expensive call: it may read a wheel's metadata over the
        network, or build a source distribution. Version-level problems known without the
        metadata (yanked, no compatible wheel) should be answered without fetching it.
        """
        ...

    def known_versions(self, package: Package) -> Sequence[Version] | None:
        """Every version the index lists for `package` (after filters such as
        `--exclude-newer`), ascending, pre-releases and yanked versions included: a superset of
        what `choose_version` may return. `None` when that is not known (a URL requirement, a
        package never looked up).

        The solver widens what it learns about one version to the gap between its listed
        neighbours (no other version could be chosen there), and the report uses the list to
        say "only b==1.0.0 is available" or "all versions of a" (and, for pre-release hints,
        which pre-releases exist). Called after `choose_version` has been called for the
        package, and when rendering a failure; must be cheap (cached). For `name[extra]`,
        answer the versions of `name`.
        """
        ...

    def prefetch(self, pending: Sequence[tuple[Package, Ranges]]) -> None:
        """The packages the solver may decide soon, with the versions they may take.

        Called after each propagation with the undecided packages whose allowed versions just
        changed. A provider may start fetching their index pages and the metadata of the
        versions it would choose, in the background; it must not block. The default does
        nothing.
        """
        ...


class BaseProvider:
    """Defaults for the optional parts of `Provider`: no priority, no known versions, no
    prefetching. Subclass it and implement `choose_version` and `get_dependencies`."""

    def prioritize(self, package: Package, allowed: Ranges) -> int:
        return 0

    def known_versions(self, package: Package) -> Sequence[Version] | None:
        return None

    def prefetch(self, pending: Sequence[tuple[Package, Ranges]]) -> None:
        return None
