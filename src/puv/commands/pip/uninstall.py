"""`puv pip uninstall`: remove packages (by name, or listed in requirements files)."""

from __future__ import annotations

import time

from puv.commands.pip.environment import find_environment
from puv.commands.pip.requirements import elapsed, packages_text, read_requirements
from puv.errors import PuvError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from puv.cache import Cache
    from puv.settings import Settings
    from puv.types import Console

__all__ = ["pip_uninstall"]


def pip_uninstall(
    *,
    packages: list[str],
    requirements: list[str],
    dry_run: bool,
    python: str | None,
    system: bool,
    target: str | None,
    prefix: str | None,
    break_system_packages: bool,
    settings: Settings,
    cache: Cache,
    project_dir: str,
    console: Console,
) -> int:
    from packaging.utils import canonicalize_name

    from puv.commands.pip.sync import change_lines
    from puv.core.requirements_txt import parse_requirement_line
    from puv.installer.install import apply_plan
    from puv.installer.inventory import Inventory
    from puv.installer.planner import Plan

    names: list[str] = []
    for text in packages:
        entry = parse_requirement_line(text)
        if entry.name is None:
            raise PuvError(f"Cannot uninstall `{text}`: give the package's name")
        names.append(entry.name)
    if requirements:
        for entry in read_requirements(requirements, warn=console.warning).requirements:
            if entry.name is not None:
                names.append(entry.name)
    if not names and requirements:
        console.warning("No packages to uninstall")  # empty files: uv only warns
        return 0
    if not names:
        raise PuvError("No packages to uninstall",
                       hint="name the packages, or pass `-r requirements.txt`")
    env = find_environment(python=python, system=system, target=target, prefix=prefix,
                           break_system_packages=break_system_packages, settings=settings,
                           cache=cache, project_dir=project_dir, console=console, write=True)
    started = time.perf_counter()
    with env.locked(timeout=settings.lock_timeout, console=console):
        inventory = Inventory.scan(env.layout.site_packages)
        doomed = []
        for name in dict.fromkeys(canonicalize_name(n) for n in names):
            found = inventory.all(name)
            if not found and not dry_run:  # uv's dry run does not mention them
                console.warning(f"Skipping {name} as it is not installed")
            doomed.extend(found)
        if not doomed:
            if dry_run:
                console.status("Would make no changes")
            else:
                console.warning("No packages to uninstall")
            return 0
        keep = [d for d in inventory if d not in doomed]
        plan = Plan([], doomed, keep)
        count = len(doomed)
        noun = packages_text(count)
        lines = change_lines(plan, console)
        if dry_run:
            console.status(f"Would uninstall {noun}")
        else:
            apply_plan(plan, {}, env.layout, link_mode=settings.link_mode,
                       warn=console.warning)
            console.status(f"Uninstalled {noun} in {elapsed(time.perf_counter() - started)}")
    for line in lines:
        console.status(line)
    return 0
