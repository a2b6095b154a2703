"""What a resolution takes and gives, for the commands: the entry point `resolve`.

`resolve(requirements, registry=..., distributions=..., environment=..., options=...)` runs
PubGrub (`pubgrub/`) with the registry provider (`registry_provider.py`) for one target
environment and returns a `Resolution`: one `ResolvedDist` per distribution, with the file or
direct source chosen for it and who asked for it (for `# via` annotations). When there is no
solution it raises `NoSolution`, whose message is the derivation uv would print.

Universal resolution (for `uv.lock`) will call the same machinery once per fork; see
docs/resolver.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from packaging.requirements import Requirement
    from packaging.version import Version

    from puv.core.tags import TargetTags
    from puv.distribution import DeclaredMetadata, Dist, Distributions
    from puv.index.registry import Candidate, Registry

__all__ = [
    "BinaryPolicy",
    "Resolution",
    "ResolutionMode",
    "ResolvedDist",
    "ResolverEnvironment",
    "ResolverOptions",
    "RootRequirement",
    "resolve",
]

ResolutionMode = str  # "highest" | "lowest" | "lowest-direct"
PRERELEASE_MODES = ("disallow", "allow", "if-necessary", "explicit", "if-necessary-or-explicit")
RESOLUTION_MODES = ("highest", "lowest", "lowest-direct")


@dataclass(frozen=True, slots=True)
class BinaryPolicy:
    """`--no-binary` / `--only-binary` / `--no-build`, each as "every package" or a set of
    names (`:all:` and `:none:` as pip spells them)."""

    every: bool = False
    packages: frozenset[str] = frozenset()

    def applies(self, name: str) -> bool:
        return self.every or name in self.packages


@dataclass(frozen=True, slots=True)
class RootRequirement:
    """A requirement the user asked for, and where it came from, as `# via` shows it:
    `-r requirements.in`, `-c constraints.txt`, `--override overrides.txt`, `pyproject.toml`,
    or the package name for a command-line requirement."""

    requirement: Requirement
    source: str
    editable: bool = False
    dist: Dist | None = None  # a direct reference (URL, path, git) already parsed


@dataclass(frozen=True, slots=True)
class ResolverEnvironment:
    """The one environment resolved for.

    `markers`: its PEP 508 marker values; `python`: the Python version requirements are checked
    against (the interpreter's, or `--python-version`); `installed_python`: the interpreter's
    own version when `--python-version` differs (reports say "the current Python version");
    `tags`: the wheel tags it supports (`None`: any file will do, as for metadata-only
    resolutions).
    """

    markers: Mapping[str, str]
    python: Version
    tags: TargetTags | None
    installed_python: Version | None = None


@dataclass(frozen=True, slots=True)
class ResolverOptions:
    """How to choose (see `puv pip compile --help`)."""

    resolution: ResolutionMode = "highest"
    prerelease: str = "if-necessary-or-explicit"
    exclude_newer: float | None = None  # a POSIX timestamp: files uploaded later are ignored
    # Per-package cut-offs instead of `exclude_newer` (`None`: no cut-off for that package).
    exclude_newer_package: Mapping[str, float | None] = field(default_factory=dict)
    excludes: frozenset[str] = frozenset()  # names left out wherever they are required
    no_binary: BinaryPolicy = BinaryPolicy()
    only_binary: BinaryPolicy = BinaryPolicy()
    no_build: BinaryPolicy = BinaryPolicy()
    constraints: tuple[RootRequirement, ...] = ()
    overrides: tuple[RootRequirement, ...] = ()
    preferences: Mapping[str, Version] = field(default_factory=dict)  # kept unless upgraded
    upgrade: bool = False
    upgrade_packages: frozenset[str] = frozenset()
    dependency_metadata: tuple[DeclaredMetadata, ...] = ()
    no_deps: bool = False  # only the root requirements, none of their dependencies


@dataclass(frozen=True, slots=True)
class ResolvedDist:
    """One distribution of the resolution.

    `candidate` is the registry file chosen to install (the best wheel for the target, else the
    sdist); `files` every file of that version (for `--generate-hashes`); `dist` the direct
    source instead, for URL, path and git requirements. `requested_by`: the names of the
    packages depending on it and the `RootRequirement.source` of the user's requirements, in
    uv's `# via` order. `extras`: the extras of it that were asked for.
    """

    name: str
    version: Version
    candidate: Candidate | None = None
    files: tuple[Candidate, ...] = ()
    dist: Dist | None = None
    extras: frozenset[str] = frozenset()
    requested_by: tuple[str, ...] = ()
    editable: bool = False
    direct: bool = False  # asked for by the user (a root requirement names it)
    marker: str | None = None  # universal resolutions: where it is needed (uv's text)


@dataclass(frozen=True, slots=True)
class Resolution:
    """The resolved distributions, by canonical name, in name order."""

    packages: Mapping[str, ResolvedDist]

    def __len__(self) -> int:
        return len(self.packages)


def resolve(
    requirements: Sequence[RootRequirement],
    *,
    registry: Registry,
    distributions: Distributions | None,
    environment: ResolverEnvironment,
    options: ResolverOptions,
) -> Resolution:
    """Resolve `requirements` for `environment` (see the module docstring).

    `registry` answers index pages and wheel metadata (and its network thread is used for
    prefetching); `distributions` turns sdists and direct references into metadata, building
    them if needed (`None`: no builds, as with `--no-build` everywhere). Raises
    `NoSolution` when the requirements cannot be satisfied.
    """
    from puv.resolver.registry_provider import RegistryProvider

    return RegistryProvider(requirements, registry=registry, distributions=distributions,
                            environment=environment, options=options).resolve()
