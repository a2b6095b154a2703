"""What to install, keep and remove: the wanted distributions against the installed ones.

Pure: no file is read here except through `InstalledDist` (its `direct_url.json`, for URL
installs). A wanted distribution is satisfied by an installed one of the same name and
version from the same kind of source: a registry requirement by a registry install, a URL or
path requirement by an install whose `direct_url.json` names the same URL; an editable
install never satisfies a non-editable requirement.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from packaging.utils import NormalizedName
    from packaging.version import Version

    from puv.core.hashes import Hash
    from puv.index.registry import Candidate
    from puv.installer.inventory import InstalledDist, Inventory

__all__ = ["Plan", "Wanted", "plan_install", "plan_sync"]


class Wanted:
    """One distribution the environment must hold, and where its wheel comes from: a registry
    file (`candidate`), a remote wheel (`url`) or a local one (`path`)."""

    __slots__ = ("candidate", "direct_url", "filename", "hashes", "name", "path",
                 "requested", "sha256", "url", "version")

    def __init__(self, name: NormalizedName, version: Version, *, filename: str,
                 candidate: Candidate | None = None, url: str | None = None,
                 path: str | None = None, hashes: tuple[Hash, ...] = (),
                 requested: bool = True, direct_url: dict[str, Any] | None = None,
                 sha256: str | None = None) -> None:
        self.name = name
        self.version = version
        self.filename = filename
        self.candidate = candidate
        self.url = url
        self.path = path
        self.hashes = hashes  # what the user's requirements promise (`--hash`)
        self.requested = requested
        self.direct_url = direct_url  # PEP 610, for URL and path installs
        self.sha256 = sha256  # the local wheel's digest, when already read (a built wheel)

    def __repr__(self) -> str:
        return f"Wanted({self.name}=={self.version})"

    def satisfied_by(self, dist: InstalledDist) -> bool:
        if dist.version != self.version or dist.kind == "egg-link":
            return False
        installed_url = dist.direct_url()
        if self.direct_url is None:
            return installed_url is None or not (installed_url.get("dir_info") or {}).get(
                "editable")
        return installed_url is not None and installed_url.get("url") == self.direct_url.get(
            "url")


class Plan:
    """The changes that make an environment what is wanted."""

    __slots__ = ("install", "keep", "reinstalled", "remove")

    def __init__(self, install: list[Wanted], remove: list[InstalledDist],
                 keep: list[InstalledDist]) -> None:
        self.install = install
        self.remove = remove
        self.keep = keep
        removed = {(d.name, d.version) for d in remove}
        # The same version removed and installed again: `~` in the summary, as uv shows it.
        self.reinstalled = {w.name for w in install if (w.name, w.version) in removed}

    @property
    def empty(self) -> bool:
        return not self.install and not self.remove

    def summary_lines(self) -> list[tuple[str, str, str]]:
        """(sign, name, version) lines in uv's order: by name, removals first."""
        lines: list[tuple[str, str, str]] = []
        for dist in self.remove:
            if dist.name not in self.reinstalled:
                lines.append(("-", dist.name, str(dist.version)))
        for wanted in self.install:
            sign = "~" if wanted.name in self.reinstalled else "+"
            lines.append((sign, wanted.name, str(wanted.version)))
        order = {"-": 0, "~": 1, "+": 2}
        lines.sort(key=lambda line: (line[1], order[line[0]]))
        return lines


def _choose(wanted: Iterable[Wanted], inventory: Inventory, reinstall_all: bool,
            reinstall: set[str]) -> tuple[list[Wanted], list[InstalledDist], list[InstalledDist]]:
    install: list[Wanted] = []
    remove: list[InstalledDist] = []
    keep: list[InstalledDist] = []
    for item in wanted:
        installed = inventory.all(item.name)
        forced = reinstall_all or item.name in reinstall
        if not forced and len(installed) == 1 and item.satisfied_by(installed[0]):
            keep.append(installed[0])
            continue
        install.append(item)
        remove.extend(installed)
    return install, remove, keep


def plan_sync(wanted: list[Wanted], inventory: Inventory, *, reinstall_all: bool = False,
              reinstall: Iterable[str] = ()) -> Plan:
    """`pip sync`: exactly `wanted`; everything else installed is removed."""
    install, remove, keep = _choose(wanted, inventory, reinstall_all, set(reinstall))
    names = {w.name for w in wanted}
    for dist in inventory:
        if dist.name not in names:
            remove.append(dist)
    return Plan(install, remove, keep)


def plan_install(wanted: list[Wanted], inventory: Inventory, *, reinstall_all: bool = False,
                 reinstall: Iterable[str] = ()) -> Plan:
    """`pip install`: `wanted` added (replacing other versions); the rest stays."""
    install, remove, keep = _choose(wanted, inventory, reinstall_all, set(reinstall))
    return Plan(install, remove, keep)
