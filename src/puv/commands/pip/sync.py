"""`puv pip sync`: make an environment exactly the listed packages.

requirements -> distributions (`requirements.py`) -> plan against what is installed
(`installer.planner`) -> wheels fetched and unpacked (`installer.preparer`) -> one
transaction (`installer.install`), under the environment's lock.
"""

from __future__ import annotations

import time

from puv.commands.pip.environment import find_environment
from puv.commands.pip.requirements import (
    elapsed,
    make_registry,
    packages_text,
    read_requirements,
    to_wanted,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from puv.cache import Cache
    from puv.commands.pip.environment import Environment
    from puv.index.registry import Registry
    from puv.installer.inventory import InstalledDist
    from puv.installer.planner import Plan, Wanted
    from puv.settings import Settings
    from puv.types import Console

__all__ = ["change_lines", "direct_url_text", "dry_run_report", "execute_plan", "pip_sync",
           "report_changes", "report_dry_run_changes", "strict_check"]


def _counted(verb: str, n: int, seconds: float) -> str:
    """`Resolved 2 packages in 3ms`; uv leaves the count out when it is zero."""
    return f"{verb} {packages_text(n) + ' ' if n else ''}in {elapsed(seconds)}"


def report_changes(plan: Plan, console: Console, *, dry_run: bool = False) -> None:
    for line in change_lines(plan, console, dry_run=dry_run):
        console.status(line)


def direct_url_text(direct: Mapping[str, Any] | None) -> str | None:
    """The URL of a `direct_url.json`, as the `pip` commands show it."""
    return str(direct["url"]) if direct and direct.get("url") else None


def change_lines(plan: Plan, console: Console, *, dry_run: bool = False,
                 url_of: Callable[[Mapping[str, Any] | None], str | None] = direct_url_text
                 ) -> list[str]:
    """uv's change lines: ` + a==1.0`, ` - b==2.0 (from file:///...)`, ` ~ c==1.0`. A dry
    run shows a reinstall as a removal and an addition, and a URL addition as `a @ URL`.
    `url_of` names an install by its `direct_url.json`. Made before the plan is applied: a
    removed distribution's `direct_url.json` goes with it."""
    added: dict[str, str | None] = {w.name: url_of(w.direct_url) for w in plan.install}
    removed: dict[str, str | None] = {d.name: url_of(d.direct_url()) for d in plan.remove}
    if dry_run:
        order = {"-": 0, "+": 1}
        lines: list[tuple[str, str, str]] = sorted(
            [("-", d.name, str(d.version)) for d in plan.remove]
            + [("+", w.name, str(w.version)) for w in plan.install],
            key=lambda line: (line[1], order[line[0]]))
    else:
        lines = plan.summary_lines()
    out: list[str] = []
    for sign, name, version in lines:
        style = {"+": "green", "-": "red", "~": "yellow"}[sign]
        url = removed.get(name) if sign == "-" else added.get(name)
        if dry_run and sign == "+" and url:
            shown = console.style(f" @ {url}", "dim")
        else:
            shown = console.style("==" + version, "dim") + (
                console.style(f" (from {url})", "dim") if url else "")
        out.append(f" {console.style(sign, style)} {console.style(name, 'bold')}{shown}")
    return out


def _report_yanked(wanted: list[Wanted], console: Console) -> None:
    """uv's warning for each yanked version chosen (only an exact pin chooses one)."""
    for item in sorted(wanted, key=lambda w: w.name):
        reason = item.candidate.file.yanked if item.candidate is not None else None
        if reason is not None:
            console.warning(f"`{item.name}=={item.version}` is yanked"
                            + (f' (reason: "{reason}")' if reason else ""))


def execute_plan(plan: Plan, env: Environment, *, cache: Cache, settings: Settings,
                 console: Console, make: Callable[[], Registry],
                 forced: Callable[[str], bool] | None = None) -> None:
    """Prepare the plan's wheels, then apply it (the caller holds the environment's lock).
    `forced(name)`: a reinstall asked for, which uv counts as prepared again."""
    from puv.installer.install import apply_plan
    from puv.installer.preparer import Preparer

    started = time.perf_counter()
    preparer = Preparer(cache, make, reporter=console.progress())
    try:
        wheels = preparer.prepare(plan.install)
    finally:
        console.end_progress()
    fetched = set(preparer.fetched)
    fresh = [w for w in plan.install
             if w.name in fetched or (forced is not None and forced(w.name))]
    if fresh:
        console.status(f"Prepared {packages_text(len(fresh))} in "
                       f"{elapsed(time.perf_counter() - started)}")
    started = time.perf_counter()
    apply_plan(plan, wheels, env.layout, link_mode=settings.link_mode, warn=console.warning)
    took = elapsed(time.perf_counter() - started)
    removed = len(plan.remove)
    if removed:
        console.status(f"Uninstalled {packages_text(removed)} in {took}")
    if plan.install:
        console.status(f"Installed {packages_text(len(plan.install))} in {took}")
    if settings.compile_bytecode and plan.install:
        from puv.installer.bytecode import compile_bytecode

        started = time.perf_counter()
        count = compile_bytecode(env.layout)
        console.status(f"Bytecode compiled {count} file{'s' if count != 1 else ''} in "
                       f"{elapsed(time.perf_counter() - started)}")


def pip_sync(
    *,
    src_files: list[str],
    constraints: list[str],
    require_hashes: bool,
    verify_hashes: bool,
    reinstall: bool,
    reinstall_packages: list[str],
    dry_run: bool,
    allow_empty: bool,
    strict: bool,
    python: str | None,
    system: bool,
    target: str | None,
    prefix: str | None,
    break_system_packages: bool,
    settings: Settings,
    cache: Cache,
    project_dir: str,
    console: Console,
    exact: bool = True,
) -> int:
    """Make the environment hold exactly what the files pin (`exact=False`: install those
    and keep the rest, which is `puv pip install -r pylock.toml`)."""
    from packaging.utils import canonicalize_name

    from puv.commands.pip.pylock import is_pylock
    from puv.installer.inventory import Inventory
    from puv.installer.planner import plan_install, plan_sync

    started = time.perf_counter()
    locks = [path for path in src_files if is_pylock(path)]
    reqs = read_requirements([p for p in src_files if p not in locks], constraints,
                             warn=console.warning)
    env = None
    if locks:  # what a `pylock.toml` installs depends on the environment's markers and tags
        from dataclasses import replace

        from puv.commands.pip.pylock import pylock_requirements

        env = find_environment(python=python, system=system, target=target, prefix=prefix,
                               break_system_packages=break_system_packages,
                               settings=settings, cache=cache, project_dir=project_dir,
                               console=console, write=True)
        locked = pylock_requirements(locks, env.interpreter)
        reqs = replace(reqs, requirements=reqs.requirements + locked.requirements)
    if not reqs.requirements and not allow_empty:
        # Not an error for uv: it says so and changes nothing.
        console.status("No requirements found (hint: use `--allow-empty-requirements` to "
                       "clear the environment)")
        return 0
    if env is None:
        env = find_environment(python=python, system=system, target=target, prefix=prefix,
                               break_system_packages=break_system_packages,
                               settings=settings, cache=cache, project_dir=project_dir,
                               console=console, write=True)
    registry: Registry | None = None

    def make() -> Registry:
        nonlocal registry
        if registry is None:
            registry = make_registry(settings, cache, reqs)
        return registry

    try:
        again = {canonicalize_name(n) for n in reinstall_packages}
        inventory = Inventory.scan(env.layout.site_packages)

        def installed(name: str) -> InstalledDist | None:
            found = inventory.all(name)
            if reinstall or name in again or len(found) != 1:
                return None
            return found[0]

        wanted = to_wanted(reqs, env.interpreter, make, require_hashes=require_hashes,
                           verify_hashes=verify_hashes, installed=installed)
        console.status(_counted("Resolved", len(wanted), time.perf_counter() - started))

        def plan_now() -> Plan:
            inventory = Inventory.scan(env.layout.site_packages)
            plan = plan_sync if exact else plan_install
            return plan(wanted, inventory, reinstall_all=reinstall, reinstall=again)

        def forced(name: str) -> bool:
            return reinstall or name in again

        started = time.perf_counter()
        if dry_run:
            dry_run_report(plan_now(), console, len(wanted), started=started, forced=forced,
                     cache=cache, make=make)
            _report_yanked(wanted, console)
            return 0
        with env.locked(timeout=settings.lock_timeout, console=console):
            plan = plan_now()
            if plan.empty:
                console.status(_counted("Checked", len(wanted),
                                        time.perf_counter() - started))
                _report_yanked(wanted, console)
                return 0
            lines = change_lines(plan, console)
            execute_plan(plan, env, cache=cache, settings=settings, console=console,
                         make=make, forced=forced)
        for line in lines:
            console.status(line)
        _report_yanked(wanted, console)
    finally:
        if registry is not None:
            registry.close()
    if strict:
        strict_check(env, console)
    return 0


def dry_run_report(plan: Plan, console: Console, count: int, *, started: float,
                   forced: Callable[[str], bool], cache: Cache, make: object) -> None:
    """What a `--dry-run` would do, as uv says it."""
    if plan.empty:
        console.status(_counted("Checked", count, time.perf_counter() - started))
        console.status("Would make no changes")
        return
    from puv.installer.preparer import Preparer

    preparer = Preparer(cache, make)  # type: ignore[arg-type]
    downloads = [w for w in plan.install if forced(w.name) or preparer.cached(w) is None]
    report_dry_run_changes(plan, console, downloads=len(downloads))


def report_dry_run_changes(plan: Plan, console: Console, *, downloads: int,
                           url_of: Callable[[Mapping[str, Any] | None], str | None]
                           = direct_url_text) -> None:
    """The lines of a `--dry-run` that would change something: how many downloads,
    removals and installs, then each change."""
    if downloads:
        console.status(f"Would download {packages_text(downloads)}")
    if plan.remove:
        console.status(f"Would uninstall {packages_text(len(plan.remove))}")
    if plan.install:
        console.status(f"Would install {packages_text(len(plan.install))}")
    for line in change_lines(plan, console, dry_run=True, url_of=url_of):
        console.status(line)


def strict_check(env: Environment, console: Console) -> None:
    """`--strict`: warn about every problem `puv pip check` would report."""
    from puv.commands.pip.check import diagnose
    from puv.commands.pip.inspect import SitePackages

    for problem in diagnose(SitePackages.of(env)):
        console.warning(problem.message)

