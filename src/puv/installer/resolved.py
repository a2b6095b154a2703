"""From a resolution to the wheels to install: `Wanted` values for the planner.

A registry wheel is installed as the index lists it (the preparer downloads and unpacks it);
everything else (a registry sdist, a direct URL, a path, a git checkout, an editable) is first
turned into a wheel by the distribution layer (cached, built when needed) and installed from
that file, with the `direct_url.json` PEP 610 asks for.
"""

from __future__ import annotations

from puv.errors import InstallError
from puv.installer.planner import Wanted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from puv.distribution import Distributions
    from puv.resolver.resolution import Resolution, ResolvedDist

__all__ = ["wanted_from_resolution"]


def wanted_from_resolution(resolution: Resolution, distributions: Distributions | None
                           ) -> list[Wanted]:
    """One `Wanted` per resolved distribution (building wheels where needed)."""
    return [_wanted(dist, distributions) for dist in resolution.packages.values()]


def _wanted(resolved: ResolvedDist, distributions: Distributions | None) -> Wanted:
    from packaging.utils import canonicalize_name

    name = canonicalize_name(resolved.name)
    candidate = resolved.candidate
    if resolved.dist is None and candidate is not None and candidate.is_wheel:
        return Wanted(name, resolved.version, filename=candidate.file.filename,
                      candidate=candidate, requested=resolved.direct)
    if distributions is None:
        raise InstallError(f"`{resolved.name}=={resolved.version}` needs a build, and building "
                         "is not available here")
    from puv.distribution import BuildDisabled, Dist, registry_sdist

    dist: Dist
    if resolved.dist is not None:
        dist = resolved.dist
    else:
        assert candidate is not None
        dist = registry_sdist(candidate)
    built = distributions.wheel(dist)
    if isinstance(built, BuildDisabled):
        raise InstallError(f"Failed to install `{resolved.name}=={resolved.version}`: "
                         f"{built.reason}")
    return Wanted(name, built.version, filename=built.filename, path=built.path,
                  requested=resolved.direct, direct_url=built.direct_url, sha256=built.sha256)
