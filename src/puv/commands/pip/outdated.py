"""`puv pip list --outdated`: the newest version the indexes offer for each installed
distribution, where it is newer than the installed one.

"Newest" is what `pip install --upgrade NAME` could pick for this interpreter: a version with
a file the target can use (a compatible wheel, else an sdist), not yanked, and not a
pre-release unless the installed version is one. Editable and URL installs are left out, as
uv does: no index is their source.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from packaging.version import Version

    from puv.cache import Cache
    from puv.installer.inventory import InstalledDist
    from puv.python.interpreter import Interpreter
    from puv.settings import Settings

__all__ = ["Latest", "latest_versions"]


class Latest:
    """The newest usable version of a project and the kind of file it has (`wheel`/`sdist`)."""

    __slots__ = ("filetype", "version")

    def __init__(self, version: Version, filetype: str) -> None:
        self.version = version
        self.filetype = filetype


def latest_versions(dists: Sequence[InstalledDist], interpreter: Interpreter, *,
                    settings: Settings, cache: Cache) -> dict[str, Latest]:
    """The distributions of `dists` that have a newer version, by name (requests in
    parallel)."""
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    from puv.commands.pip.requirements import make_registry
    from puv.core.requirements_txt import RequirementsFile
    from puv.resolver.candidates import Selected, select

    names = [d.name for d in dists if d.kind != "egg-link" and d.direct_url() is None]
    if not names:
        return {}
    registry = make_registry(settings, cache, RequirementsFile())
    try:
        projects = registry.fetch_projects(names)
    finally:
        registry.close()
    tags = interpreter.tags()
    python = Version(str(interpreter.version))
    found: dict[str, Latest] = {}
    for dist in dists:
        files = projects.get(dist.name)
        if not files:
            continue
        allowed = SpecifierSet(prereleases=True) if dist.version.is_prerelease \
            else SpecifierSet()
        chosen = select(files, allowed, tags, python)
        if isinstance(chosen, Selected) and chosen.version > dist.version:
            kind = "wheel" if chosen.candidate.is_wheel else "sdist"
            found[dist.name] = Latest(chosen.version, kind)
    return found
