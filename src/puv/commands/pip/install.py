"""`puv pip install`: add packages to an environment, resolving their dependencies.

requirements (command line, `-r`, `-e`, `-c`, `--override`) -> the environment -> if what is
installed already satisfies every requirement, recursively: nothing to do ("Audited") ->
otherwise a resolution (installed versions preferred unless `--upgrade`) -> wheels (built
where needed) -> a plan that adds and replaces, never removes what was not asked about ->
one transaction, under the environment's lock.
"""

from __future__ import annotations

import time

from puv.commands.pip.environment import find_environment
from puv.commands.pip.requirements import elapsed, packages_text
from puv.errors import PuvError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from packaging.requirements import Requirement
    from packaging.version import Version

    from puv.cache import Cache
    from puv.commands.pip.environment import Environment
    from puv.core.requirements_txt import RequirementEntry
    from puv.distribution import Dist, Distributions
    from puv.index.registry import Registry
    from puv.installer.inventory import Inventory
    from puv.installer.planner import Wanted
    from puv.resolver.resolution import Resolution, ResolverOptions, RootRequirement
    from puv.settings import Settings
    from puv.types import Console

__all__ = ["pip_install", "root_requirements"]


def pip_install(
    *,
    packages: Sequence[str] = (),
    requirements: Sequence[str] = (),
    editables: Sequence[str] = (),
    constraints: Sequence[str] = (),
    overrides: Sequence[str] = (),
    extras: Sequence[str] = (),
    all_extras: bool = False,
    groups: Sequence[str] = (),
    upgrade: bool = False,
    upgrade_packages: Sequence[str] = (),
    reinstall: bool = False,
    reinstall_packages: Sequence[str] = (),
    no_deps: bool = False,
    dry_run: bool = False,
    strict: bool = False,
    python_version: str | None = None,
    python_platform: str | None = None,
    config_settings: Sequence[str] = (),
    options: ResolverOptions | None = None,
    python: str | None = None,
    system: bool = False,
    target: str | None = None,
    prefix: str | None = None,
    break_system_packages: bool = False,
    settings: Settings,
    cache: Cache,
    project_dir: str,
    console: Console,
) -> int:
    """Install what the arguments ask for (see the module docstring).

    `packages` are command-line requirements (names, paths, URLs), `editables` paths for
    `-e`; `requirements`, `constraints`, `overrides` are files (`requirements.txt`,
    `pyproject.toml`, `setup.py`...; `extras` / `all_extras` / `groups` apply to project
    files, as `pip compile` reads them). `options` carries the resolver settings
    (`--resolution`, `--prerelease`, `--no-build`...; `settings_resolver_options`); the
    upgrade and `--no-deps` flags are applied on top of it."""
    from dataclasses import replace

    from packaging.utils import canonicalize_name

    from puv.commands.pip.pylock import is_pylock
    from puv.commands.pip.session import BuildSession
    from puv.commands.pip.specification import read_specification
    from puv.commands.pip.target import resolver_environment
    from puv.core.requirements_txt import parse_requirement_line
    from puv.installer.inventory import Inventory
    from puv.resolver.resolution import ResolverOptions

    if any(is_pylock(path) for path in requirements):
        if packages or editables or len(requirements) > 1 or groups or extras or all_extras:
            raise PuvError("A `pylock.toml` cannot be combined with other requirements",
                           hint="install it alone: `puv pip install -r pylock.toml`")
        # A PEP 751 lock is installed as it is, without resolving; the rest stays.
        from puv.commands.pip.sync import pip_sync

        return pip_sync(src_files=list(requirements), constraints=list(constraints),
                        require_hashes=False, verify_hashes=True, reinstall=reinstall,
                        reinstall_packages=list(reinstall_packages), dry_run=dry_run,
                        allow_empty=False, strict=strict, python=python, system=system,
                        target=target, prefix=prefix,
                        break_system_packages=break_system_packages, settings=settings,
                        cache=cache, project_dir=project_dir, console=console, exact=False)
    started = time.perf_counter()
    env = find_environment(python=python, system=system, target=target, prefix=prefix,
                           break_system_packages=break_system_packages, settings=settings,
                           cache=cache, project_dir=project_dir, console=console, write=True)
    environment = resolver_environment(env.interpreter, python_version=python_version,
                                       python_platform=python_platform)
    markers = dict(environment.markers)
    with BuildSession(settings, cache, env.interpreter,
                      config_settings=config_settings) as session:
        spec = read_specification(
            requirements, constraints=constraints, overrides=overrides, extras=extras,
            all_extras=all_extras, groups=groups, markers=markers, metadata=session.metadata,
            warn=console.warning)
        entries = [parse_requirement_line(p) for p in packages]
        entries += [parse_requirement_line(e, editable=True) for e in editables]
        if not entries and not spec.requirements:
            raise PuvError("No requirements given", hint="name packages (`puv pip install "
                           "requests`) or pass `-r requirements.txt`")
        inventory = Inventory.scan(env.layout.site_packages)
        again = {str(canonicalize_name(n)) for n in reinstall_packages}
        upgraded = {str(canonicalize_name(n)) for n in upgrade_packages}
        plain = all(e.url is None and e.requirement is not None and e.requirement.url is None
                    and not e.editable for e in entries) and all(
                        r.dist is None and not r.editable for r in spec.requirements)
        if plain and not (upgrade or upgraded or reinstall or again) and _satisfied(
                [e.requirement for e in entries if e.requirement is not None]
                + [r.requirement for r in spec.requirements],
                [r.requirement for r in spec.constraints], inventory, markers):
            count = len(entries) + len(spec.requirements)
            console.status(f"Audited {packages_text(count)} in "
                           f"{elapsed(time.perf_counter() - started)}")
            return 0

        base = options or ResolverOptions()
        registry, dists = session.start(spec.requirements_file(), base.no_build)
        roots = [*root_requirements(entries, dists, markers), *spec.requirements]
        preferences: dict[str, Version] = {} if upgrade else {
            str(dist.name): dist.version for dist in inventory
            if dist.name not in upgraded and dist.kind != "egg-link"}
        options = replace(
            base, constraints=base.constraints + spec.constraints,
            overrides=base.overrides + spec.overrides,
            preferences={**preferences, **base.preferences}, upgrade=upgrade or base.upgrade,
            upgrade_packages=base.upgrade_packages | upgraded, no_deps=no_deps or base.no_deps)
        from puv.resolver.resolution import resolve

        resolution = resolve(roots, registry=registry, distributions=dists,
                             environment=environment, options=options)
        console.status(f"Resolved {packages_text(len(resolution))} in "
                       f"{elapsed(time.perf_counter() - started)}")
        wanted = _wanted(resolution, dists, inventory, keep=not (reinstall or upgrade),
                         again=again)
        _apply(wanted, env, settings=settings, cache=cache, console=console, registry=registry,
               reinstall=reinstall, again=again, dry_run=dry_run)
    if strict and not dry_run:
        from puv.commands.pip.sync import strict_check

        strict_check(env, console)
    return 0


def root_requirements(entries: Sequence[RequirementEntry], distributions: Distributions,
                      markers: dict[str, str]) -> list[RootRequirement]:
    """The entries that apply to `markers`, as the resolver's root requirements; a path or URL
    without a name is named from its metadata (built if need be)."""
    return list(_roots(entries, distributions, markers))


def _roots(entries: Sequence[RequirementEntry], distributions: Distributions,
           markers: dict[str, str]) -> tuple[RootRequirement, ...]:
    from packaging.requirements import Requirement

    from puv.distribution import BuildDisabled, parse_direct_reference
    from puv.resolver.resolution import RootRequirement

    found: list[RootRequirement] = []
    for entry in entries:
        if entry.marker is not None and not entry.marker.evaluate({**markers, "extra": ""}):
            continue
        source = _source(entry)
        url = entry.url or (entry.requirement.url if entry.requirement is not None else None)
        if url is None:
            assert entry.requirement is not None
            found.append(RootRequirement(entry.requirement, source))
            continue
        name = entry.requirement.name if entry.requirement is not None else entry.name
        dist: Dist = parse_direct_reference(url, name=name, editable=entry.editable)
        if name is None:
            metadata = distributions.metadata(dist)
            if isinstance(metadata, BuildDisabled):
                raise PuvError(f"Cannot tell the name of `{entry.text}`: {metadata.reason}")
            name = str(metadata.metadata.name)
            dist = metadata.dist
        extras = entry.extras or (entry.requirement.extras if entry.requirement else set())
        extra_text = f"[{','.join(sorted(extras))}]" if extras else ""
        requirement = Requirement(f"{name}{extra_text} @ {url.partition('#')[0]}")
        found.append(RootRequirement(requirement, source, editable=entry.editable, dist=dist))
    return tuple(found)


def _source(entry: RequirementEntry) -> str:
    from puv.core.requirements_txt import COMMAND_LINE

    if entry.source == COMMAND_LINE:
        return entry.name or (entry.requirement.name if entry.requirement else entry.text)
    return f"-r {entry.source}"


def _satisfied(requirements: Sequence[Requirement], constraints: Sequence[Requirement],
               inventory: Inventory, markers: dict[str, str]) -> bool:
    """Whether the installed distributions satisfy every requirement and, recursively, their
    dependencies (and the constraints): then `pip install` has nothing to do."""
    from packaging.utils import canonicalize_name

    def applies(requirement: Requirement, extra: str = "") -> bool:
        return requirement.marker is None or bool(
            requirement.marker.evaluate({**markers, "extra": extra}))

    constraints = [c for c in constraints if applies(c)]
    pending = [r for r in requirements if applies(r)]
    seen: set[tuple[str, str]] = set()
    while pending:
        requirement = pending.pop()
        name = str(canonicalize_name(requirement.name))
        found = inventory.all(name)
        if len(found) != 1 or found[0].kind == "egg-link":
            return False
        dist = found[0]
        if not requirement.specifier.contains(dist.version, prereleases=True):
            return False
        for constraint in constraints:
            if canonicalize_name(constraint.name) == name and \
                    not constraint.specifier.contains(dist.version, prereleases=True):
                return False
        for extra in ("", *sorted(requirement.extras)):
            if (name, extra) in seen:
                continue
            seen.add((name, extra))
            try:
                metadata = dist.metadata()
            except PuvError:
                return False
            if extra and canonicalize_name(extra) not in metadata.provides_extra:
                continue
            for child in metadata.requires_dist:
                if applies(child, extra):
                    if child.url is not None:
                        return False
                    pending.append(child)
    return True


def _wanted(resolution: Resolution, distributions: Distributions, inventory: Inventory, *,
            keep: bool, again: set[str]) -> list[Wanted]:
    """The resolution as wanted distributions; those installed at the resolved version are
    kept as they are (no wheel is built for them)."""
    from dataclasses import replace

    from puv.installer.planner import Wanted
    from puv.installer.resolved import wanted_from_resolution

    kept: dict[str, Wanted] = {}
    rest = {}
    for name, dist in resolution.packages.items():
        installed = inventory.all(name)
        if keep and name not in again and dist.dist is None and len(installed) == 1:
            candidate = Wanted(installed[0].name, dist.version, filename="",
                               requested=dist.direct)
            if candidate.satisfied_by(installed[0]):
                kept[name] = candidate
                continue
        rest[name] = dist
    built = wanted_from_resolution(replace(resolution, packages=rest), distributions) \
        if rest else []
    return list(kept.values()) + built


def _apply(wanted: list[Wanted], env: Environment, *, settings: Settings, cache: Cache,
           console: Console, registry: Registry, reinstall: bool, again: set[str],
           dry_run: bool) -> None:
    from puv.commands.pip.sync import change_lines, dry_run_report, execute_plan
    from puv.installer.inventory import Inventory
    from puv.installer.planner import plan_install

    def forced(name: str) -> bool:
        return reinstall or name in again

    def make() -> Registry:
        return registry

    started = time.perf_counter()
    if dry_run:
        plan = plan_install(wanted, Inventory.scan(env.layout.site_packages),
                            reinstall_all=reinstall, reinstall=again)
        dry_run_report(plan, console, len(wanted), started=started, forced=forced,
                       cache=cache, make=make)
        return
    with env.locked(timeout=settings.lock_timeout, console=console):
        plan = plan_install(wanted, Inventory.scan(env.layout.site_packages),
                            reinstall_all=reinstall, reinstall=again)
        if plan.empty:
            console.status(f"Audited {packages_text(len(wanted))} in "
                           f"{elapsed(time.perf_counter() - started)}")
            return
        lines = change_lines(plan, console)
        execute_plan(plan, env, cache=cache, settings=settings, console=console,
                     make=make, forced=forced)
    for line in lines:
        console.status(line)

