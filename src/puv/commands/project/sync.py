"""`puv sync`: make the project environment exactly what `uv.lock` selects for it.

workspace (`workspace.project`) -> environment (`environment.py`: found, created or replaced)
-> lock (`lock.py`: reused when up to date, `--locked` / `--frozen` / `--check`) -> selection
(`lock.select`: roots, extras, groups, markers, wheel tags) -> what is installed already is
kept, the rest becomes wheels (registry wheels as the lock lists them; sdists, URLs, paths, Git
and local trees built through the distribution layer) -> one plan and one transaction under
the environment's lock (`installer`), removing what the selection does not list unless
`--inexact`.

`sync_project` is the part `puv run` shares: a lock and an environment in, the environment
synced.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from puv.errors import PuvError

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from puv.cache import Cache
    from puv.commands.project.environment import ProjectEnvironment
    from puv.core.hashes import Hash
    from puv.core.tags import TargetTags
    from puv.distribution import Dist, Distributions
    from puv.index.registry import Candidate, Registry
    from puv.installer.inventory import InstalledDist, Inventory
    from puv.installer.planner import Plan, Wanted
    from puv.lock._request import DevMode
    from puv.lock.model import Lock
    from puv.lock.select import (
        ExtrasRequest,
        GroupsRequest,
        InstallFilter,
        SelectedPackage,
    )
    from puv.lock.select import Selection as LockSelection
    from puv.settings import Settings
    from puv.types import Console
    from puv.workspace.project import Workspace

__all__ = ["OutdatedEnvironment", "Selection", "sync", "sync_project", "sync_targets"]


class OutdatedEnvironment(PuvError):
    """`--check` found changes to make."""


@dataclass(frozen=True, kw_only=True)
class Selection:
    """What to install, as the command line says it (`puv sync` and `puv run` share it):
    the extras and group flags, and the workspace members (`package` / `packages`,
    `all_packages`; none: the current project). Names are normalized later."""

    extras: Sequence[str] = ()
    all_extras: bool = False
    no_extras: Sequence[str] = ()
    groups: Sequence[str] = ()
    no_groups: Sequence[str] = ()
    only_groups: Sequence[str] = ()
    all_groups: bool = False
    no_default_groups: bool = False
    dev: bool = False
    no_dev: bool = False
    only_dev: bool = False
    package: str | None = None
    packages: Sequence[str] = ()
    all_packages: bool = False

    def extras_request(self) -> ExtrasRequest:
        from puv.lock.select import ExtrasRequest

        return ExtrasRequest(extras=tuple(self.extras), all_extras=self.all_extras,
                             no_extras=tuple(self.no_extras))

    def groups_request(self) -> GroupsRequest:
        from puv.lock.select import GroupsRequest

        dev: DevMode | None = "only" if self.only_dev else "exclude" if self.no_dev else \
            "include" if self.dev else None
        return GroupsRequest(dev=dev, groups=tuple(self.groups),
                             only_groups=tuple(self.only_groups),
                             no_groups=tuple(self.no_groups), all_groups=self.all_groups,
                             no_default_groups=self.no_default_groups)

    def members(self) -> tuple[str, ...]:
        """The members `--package` named (none: the default target)."""
        return tuple(self.packages) or ((self.package,) if self.package else ())


@dataclass(frozen=True)
class Targets:
    """The workspace members to install (`roots`) and the single project, if any, that
    `--no-install-project` and the messages name."""

    roots: tuple[str, ...]
    project: str | None
    member: bool = False  # one member of the workspace, by default or `--package`


def sync_targets(workspace: Workspace, lock: Lock, selection: Selection) -> Targets:
    """The roots of a sync, as uv picks them: `--all-packages` every member, `--package`
    the named ones, else the current project (a virtual workspace root: every member)."""
    from packaging.utils import canonicalize_name

    def members() -> tuple[str, ...]:
        if lock.manifest.members:
            return tuple(lock.manifest.members)
        return tuple(m.name for m in workspace.members)

    if selection.all_packages:
        single = None if lock.manifest.members else (
            workspace.members[0].name if workspace.members else None)
        return Targets(members(), single)
    named = selection.members()
    if named:
        names = tuple(str(canonicalize_name(p)) for p in named)
        return Targets(names, names[0] if len(names) == 1 else None, len(names) == 1)
    if workspace.current is None:
        return Targets(members(), None)
    return Targets((workspace.current.name,), workspace.current.name, True)


# -- the command ----------------------------------------------------------------------------


def sync(
    *,
    project_dir: str,
    selection: Selection,
    lock_step: str = "write",
    lock_source: str = "`--locked`",
    check: bool = False,
    dry_run: bool = False,
    active: bool | None = None,
    exact: bool = True,
    editable: bool = True,
    install: InstallFilter | None = None,
    reinstall: bool = False,
    reinstall_packages: Sequence[str] = (),
    python_platform: str | None = None,
    stamp_key: str | None = None,
    settings: Settings,
    cache: Cache,
    console: Console,
) -> int:
    """`puv sync` (see the module docstring). `lock_step` is `write`, `locked` or `frozen`;
    `lock_source` the flag that asked for it (`--frozen`, `--check`, `UV_FROZEN=1`...), as the
    missing-lock error names it; `check` verifies instead of changing (`--check`);
    `stamp_key` is the freshness key a successful sync records (`freshness.selection_key`)."""
    from puv.commands.project.environment import display_path, project_environment
    from puv.commands.project.lock import missing_lock
    from puv.workspace.project import discover_workspace

    workspace = discover_workspace(project_dir)
    check_members(workspace, selection)
    _check_default_groups(workspace)
    if lock_step == "frozen" and not os.path.isfile(workspace.lock_path):
        raise missing_lock(lock_source)
    preview = dry_run or check
    environment = project_environment(workspace, settings, cache, console, active=active,
                                      dry_run=preview)
    if preview:
        verb = {"would-create": "create", "would-replace": "replace"}.get(
            environment.action, "use")
        console.status(f"Would {verb} project environment at: "
                       f"{console.style(display_path(environment.path), 'cyan')}")
    if lock_step == "locked" and not os.path.isfile(workspace.lock_path):
        raise missing_lock(lock_source)
    existed = os.path.isfile(workspace.lock_path)
    # A preview never fails on a lock that would change: it says so, shows what the new lock
    # would install, and fails at the end (uv's `--check`, `--locked --dry-run`).
    step = "write" if preview and lock_step == "locked" else lock_step
    lock, changed = _lock(workspace, settings, cache, console, environment, step,
                          dry_run=preview)
    if preview:
        if not existed:
            console.status("Would create lockfile at: uv.lock")
        elif not changed:
            console.status("Found up-to-date lockfile at: uv.lock")
        elif check or lock_step != "locked":  # `--locked --dry-run` fails at the end instead
            console.status("Would update lockfile at: uv.lock")
    changes = sync_project(workspace, lock, environment, settings, cache, console,
                           selection=selection, exact=exact, editable=editable,
                           install=install, reinstall=reinstall,
                           reinstall_packages=reinstall_packages,
                           python_platform=python_platform, dry_run=preview,
                           stamp_key=None if preview else stamp_key)
    if check and changes:
        raise OutdatedEnvironment("The environment is outdated; run `puv sync` to update the "
                                  "environment")
    if preview and lock_step == "locked" and changed:
        from puv.commands.project.lock import LockStale

        raise LockStale(f"The lockfile at `uv.lock` needs to be updated, but {lock_source} "
                        "was provided.", hint="To update the lockfile, run `puv lock`.")
    return 0


class UnknownMember(PuvError):
    """`--package` names no workspace member."""

    exit_code = 2


def check_members(workspace: Workspace, selection: Selection) -> None:
    """`--package` must name workspace members (uv's words for one name and for several)."""
    from packaging.utils import canonicalize_name

    names = selection.members()
    for name in names:
        if workspace.member(str(canonicalize_name(name))) is None:
            if len(names) == 1:  # uv words the two cases differently
                raise UnknownMember(f"The workspace does not have a member {name}: "
                                    f"{workspace.root}")
            raise UnknownMember(f"Package `{name}` not found in workspace")


def _check_default_groups(workspace: Workspace) -> None:
    """`tool.uv.default-groups` may only name groups the project declares."""
    defaults = workspace.default_groups
    if defaults == "all" or "default-groups" not in workspace.tool_uv:
        return
    declared: set[str] = set(workspace.root_groups)
    for member in workspace.members:
        declared.update(member.dependency_groups)
    for group in defaults:
        if group not in declared:
            raise PuvError(f"Default group `{group}` (from `tool.uv.default-groups`) is not "
                           "defined in the project's `dependency-groups` table")


def _lock(workspace: Workspace, settings: Settings, cache: Cache, console: Console,
          environment: ProjectEnvironment, step: str, *, dry_run: bool) -> tuple[Lock, bool]:
    from puv.commands.project.lock import LockMode, lock_project

    mode = {"locked": LockMode.LOCKED, "frozen": LockMode.FROZEN}.get(step, LockMode.WRITE)
    if dry_run and mode is LockMode.WRITE:
        mode = LockMode.DRY_RUN
    outcome = lock_project(workspace, settings, cache, console, mode=mode,
                           interpreter=environment.interpreter)
    return outcome.lock, outcome.changed


def _warn_unpackaged_scripts(workspace: Workspace, targets: Targets,
                             console: Console) -> None:
    for member in workspace.members:
        project = member.data.get("project")
        scripts = isinstance(project, dict) and bool(project.get("scripts"))
        if member.name in targets.roots and scripts and not member.is_package:
            console.warning(
                f"Skipping installation of entry points (`project.scripts`) for package "
                f"`{member.name}` because this project is not packaged; to install entry "
                "points, set `tool.uv.package = true` or define a `build-system`")


# -- installing a lock ------------------------------------------------------------------------


def _target(environment: ProjectEnvironment, python_platform: str | None
            ) -> tuple[dict[str, str], TargetTags]:
    interpreter = environment.interpreter
    if python_platform is None:
        return interpreter.markers, interpreter.tags()
    from puv.commands.pip.target import resolver_environment

    target = resolver_environment(interpreter, python_platform=python_platform)
    return dict(target.markers), target.tags or interpreter.tags()


def sync_project(
    workspace: Workspace,
    lock: Lock,
    environment: ProjectEnvironment,
    settings: Settings,
    cache: Cache,
    console: Console,
    *,
    selection: Selection,
    exact: bool = True,
    editable: bool = True,
    install: InstallFilter | None = None,
    reinstall: bool = False,
    reinstall_packages: Sequence[str] = (),
    python_platform: str | None = None,
    dry_run: bool = False,
    stamp_key: str | None = None,
) -> bool:
    """Install what `lock` selects into `environment` (see the module docstring): exactly
    (removing the rest) unless `exact` is false; workspace members editable unless `editable`
    is false; `install` leaves packages out (`--no-install-project`...). With `dry_run`, only
    say what would change. After a real sync, `stamp_key` (when given) is recorded as the
    environment's freshness stamp. Returns whether anything changed (or would)."""
    from packaging.utils import canonicalize_name

    from puv.lock.select import (
        BuildPolicy,
        check_conflicts,
        select,
        validate_request,
    )

    started = time.perf_counter()
    targets = sync_targets(workspace, lock, selection)
    _warn_unpackaged_scripts(workspace, targets, console)
    extras = selection.extras_request()
    requested_groups = selection.groups_request()
    groups = requested_groups.resolve(workspace.default_groups)
    validate_request(lock, roots=targets.roots, project=targets.project, extras=extras,
                     groups=requested_groups)
    check_conflicts(lock, roots=targets.roots, extras=extras, groups=groups)
    markers, tags = _target(environment, python_platform)
    build = BuildPolicy(
        no_binary=bool(settings.no_binary),
        no_binary_packages=frozenset(str(canonicalize_name(n))
                                     for n in settings.no_binary_package),
        no_build=bool(settings.no_build),
        no_build_packages=frozenset(str(canonicalize_name(n))
                                    for n in settings.no_build_package))
    chosen = select(lock, roots=targets.roots, extras=extras, groups=groups, markers=markers,
                    tags=tags, workspace_root=workspace.root, project=targets.project,
                    install=install, build=build, editable=editable,
                    member_target=targets.member)
    changed = False
    deferred = set() if dry_run else _built_without_isolation(chosen, settings, environment)
    if deferred and any(p.name not in deferred for p in chosen.packages):
        # As uv: what is built without build isolation is built in this environment, so
        # everything else is installed first (`--extra build --extra compile` in one go).
        from dataclasses import replace

        first = replace(chosen, packages=tuple(p for p in chosen.packages
                                               if p.name not in deferred))
        installer = _Installer(environment, settings, cache, console, exact=False,
                               reinstall=reinstall, reinstall_packages=reinstall_packages,
                               foreign_tags=tags if python_platform is not None else None)
        try:
            changed = installer.run(first, dry_run=False, started=started)
        finally:
            installer.close()
        started = time.perf_counter()
    installer = _Installer(environment, settings, cache, console, exact=exact,
                           reinstall=reinstall, reinstall_packages=reinstall_packages,
                           foreign_tags=tags if python_platform is not None else None)
    try:
        changed = installer.run(chosen, dry_run=dry_run, started=started) or changed
    finally:
        installer.close()
    if stamp_key is not None and not dry_run:
        from puv.commands.project.freshness import record

        record(environment.path, workspace.root, stamp_key, exact=exact,
               summary=(len(lock.packages), len(chosen.packages)))
    return changed


def _built_without_isolation(chosen: LockSelection, settings: Settings,
                             environment: ProjectEnvironment) -> set[str]:
    """The selected packages that will be built without build isolation
    (`no-build-isolation[-package]`) and are not installed yet: their build needs the rest
    of the environment in place first."""
    from packaging.utils import canonicalize_name

    names = {str(canonicalize_name(n)) for n in settings.no_build_isolation_package}
    if not settings.no_build_isolation and not names:
        return set()
    candidates = [p for p in chosen.packages
                  if (settings.no_build_isolation or p.name in names)
                  and (p.kind in ("directory", "editable", "git") or not p.is_wheel)]
    if not candidates:
        return set()
    installed: dict[str, list[InstalledDist]] = {}
    if environment.exists:
        from puv.installer.inventory import Inventory

        inventory = Inventory.scan(environment.environment().layout.site_packages)
        installed = {p.name: inventory.all(p.name) for p in candidates}
    return {p.name for p in candidates
            if not (len(installed.get(p.name, ())) == 1
                    and _satisfies(p, installed[p.name][0]))}


class _Installer:
    """One sync's installation: what is kept, what is fetched or built, the plan."""

    def __init__(self, environment: ProjectEnvironment, settings: Settings, cache: Cache,
                 console: Console, *, exact: bool, reinstall: bool,
                 reinstall_packages: Sequence[str],
                 foreign_tags: TargetTags | None = None) -> None:
        from packaging.utils import canonicalize_name

        self.environment = environment
        self.settings = settings
        self.cache = cache
        self.console = console
        self.exact = exact
        self.reinstall = reinstall
        # `--python-platform`: installed wheels must fit that platform too (else the
        # interpreter's own tags fit what it installed, and no WHEEL file is read).
        self.foreign_tags = foreign_tags
        self.again = {str(canonicalize_name(n)) for n in reinstall_packages}
        self.built: set[str] = set()  # built by this run: "Prepared", as uv counts
        self._registry: Registry | None = None
        self._session: object | None = None
        self._distributions: Distributions | None = None
        self.runtime_versions: dict[str, str] = {}  # the selection's, for `match-runtime`

    # The registry and the builds are made only when something is not installed yet.

    def registry(self) -> Registry:
        if self._registry is None:
            from puv.commands.pip.requirements import make_registry
            from puv.core.requirements_txt import RequirementsFile

            self._registry = make_registry(self.settings, self.cache, RequirementsFile())
        return self._registry

    def distributions(self) -> Distributions:
        if self._distributions is None:
            from puv.commands.pip.compile import make_dispatch, settings_resolver_options

            dispatch = make_dispatch(self.settings, self.cache, self.registry(),
                                     no_build=settings_resolver_options(self.settings).no_build,
                                     runtime_versions=self.runtime_versions)
            self._session = dispatch
            self._distributions = dispatch.distributions(self.environment.interpreter)
        return self._distributions

    def close(self) -> None:
        if self._registry is not None:
            self._registry.close()
        self._registry = self._session = self._distributions = None

    def forced(self, name: str) -> bool:
        return self.reinstall or name in self.again

    def run(self, selection: LockSelection, *, dry_run: bool, started: float) -> bool:
        from puv.installer.inventory import Inventory

        if not self.environment.exists:  # a dry run without an environment yet
            inventory = Inventory([])
        else:
            env = self.environment.environment()
            inventory = Inventory.scan(env.layout.site_packages)
        wanted: list[Wanted] = []
        missing: list[SelectedPackage] = []
        rebuild: set[str] = set()
        self.runtime_versions = {selected.name: selected.version
                                 for selected in selection.packages if selected.version}
        for selected in selection.packages:
            installed = inventory.all(selected.name)
            if not self.forced(selected.name) and len(installed) == 1 and _satisfies(
                    selected, installed[0]) and _fits(installed[0], self.foreign_tags):
                wanted.append(_kept(installed[0]))
                continue
            if installed:
                rebuild.add(selected.name)  # another version, source or mode: replaced
            missing.append(selected)
        if dry_run:
            wanted += [_placeholder(selected) for selected in missing]
        else:
            wanted += self.wheels(missing)
        if dry_run:
            plan = self.plan(wanted, inventory, rebuild)
            self.report_dry_run(plan, selection, len(wanted), started)
            return not plan.empty
        env = self.environment.environment()
        with env.locked(timeout=self.settings.lock_timeout, console=self.console):
            plan = self.plan(wanted, Inventory.scan(env.layout.site_packages), rebuild)
            if plan.empty:
                self.console.status(_counted("Checked", len(wanted), started))
                return False
            from puv.commands.pip.sync import change_lines, execute_plan

            lines = change_lines(plan, self.console, url_of=_shown_url)
            execute_plan(plan, env, cache=self.cache, settings=self.settings,
                         console=self.console, make=self.registry,
                         forced=lambda name: self.forced(name) or name in self.built)
        for line in lines:
            self.console.status(line)
        return True

    def plan(self, wanted: list[Wanted], inventory: Inventory, rebuild: set[str]) -> Plan:
        from puv.installer.planner import Plan, plan_install, plan_sync

        again = self.again | rebuild
        if self.exact:
            plan = plan_sync(wanted, inventory, reinstall_all=self.reinstall,
                             reinstall=again)
            if _keeps_seed_packages(self.environment):
                seeds = _seed_names(self.environment)
                plan = Plan(plan.install, [d for d in plan.remove if d.name not in seeds
                                           or d.name in {w.name for w in plan.install}],
                            plan.keep)
            return plan
        return plan_install(wanted, inventory, reinstall_all=self.reinstall,
                            reinstall=again)

    def wheels(self, items: list[SelectedPackage]) -> list[Wanted]:
        """The wheels to install for `items`: registry wheels as the lock lists them (the
        preparer fetches them), the rest from the distribution layer (downloaded or built)."""
        from packaging.utils import canonicalize_name
        from packaging.version import Version

        from puv.core.hashes import Hash
        from puv.distribution import BuildDisabled, BuiltWheel
        from puv.installer.planner import Wanted

        found: dict[str, Wanted] = {}
        builds: list[tuple[SelectedPackage, Dist]] = []
        for selected in items:
            name = canonicalize_name(selected.name)
            hashes = (Hash.parse(selected.hash),) if selected.hash else ()
            if selected.kind == "registry" and selected.is_wheel:
                assert selected.filename is not None and selected.version is not None
                version = Version(selected.version)
                found[name] = Wanted(name, version, filename=selected.filename,
                                     path=selected.path, hashes=hashes) \
                    if selected.path is not None else \
                    Wanted(name, version, filename=selected.filename,
                           candidate=_candidate(selected, hashes))
            else:
                builds.append((selected, _dist(selected, hashes)))
        if builds:
            # One after the other: builds that share a build environment would otherwise
            # wait on each other's lock (and say so) while it is first made.
            distributions = self.distributions()
            results = [distributions.wheel(dist) for _, dist in builds]
            done: list[tuple[Dist, BuiltWheel]] = []
            for (selected, dist), built in zip(builds, results, strict=True):
                if isinstance(built, BuildDisabled):
                    raise PuvError(f"Failed to install `{selected.name}`: {built.reason}")
                done.append((dist, built))
                if built.built:
                    self.built.add(str(canonicalize_name(selected.name)))
                name = canonicalize_name(selected.name)
                found[name] = Wanted(name, built.version, filename=built.filename,
                                     path=built.path, direct_url=built.direct_url,
                                     sha256=built.sha256)
            # uv says so as each build starts and ends; the layer below reports nothing, so
            # the lines come once the builds are done.
            style = self.console.style
            shown = [_describe_build(dist) for dist, built in done if built.built]
            for text in shown:
                self.console.status(f"   {style('Building', 'bold')} {text}")
            for text in shown:
                self.console.status(f"      {style('Built', 'bold')} {text}")
        return [found[canonicalize_name(selected.name)] for selected in items]

    def report_dry_run(self, plan: Plan, selection: LockSelection, count: int,
                       started: float) -> None:
        """uv's `--dry-run` lines: what would be downloaded, removed and installed."""
        console = self.console
        if plan.empty:
            console.status(_counted("Checked", count, started))
            console.status("Would make no changes")
            return
        from puv.commands.pip.sync import report_dry_run_changes
        from puv.installer.preparer import Preparer

        remote = {p.name for p in selection.packages if p.kind in ("registry", "url")}
        preparer = Preparer(self.cache, self.registry)
        downloads = [w for w in plan.install if w.name in remote and (
            self.forced(w.name) or preparer.cached(w) is None)]
        report_dry_run_changes(plan, console, downloads=len(downloads), url_of=_shown_url)


# -- what is installed already ----------------------------------------------------------------


def _counted(verb: str, n: int, started: float) -> str:
    from puv.commands.pip.requirements import elapsed, packages_text

    return f"{verb} {packages_text(n)} in {elapsed(time.perf_counter() - started)}"


def _expected_url(selected: SelectedPackage) -> str | None:
    """The `url` of the `direct_url.json` an install of `selected` has (`None`: registry)."""
    from puv.distribution.dists import file_url

    if selected.kind == "registry":
        return None
    if selected.kind in ("path", "directory", "editable"):
        assert selected.path is not None
        return file_url(selected.path)
    if selected.kind == "git":
        from puv.distribution.dists import _without_password

        return _without_password(selected.url or "")
    return (selected.url or "").partition("#")[0]


def _satisfies(selected: SelectedPackage, dist: InstalledDist) -> bool:
    """Whether the installed `dist` is what the lock selects: the same version from the same
    source (registry, URL, path, Git commit), editable exactly when wanted, and for a local
    tree, installed after its `pyproject.toml` / `setup.py` / `setup.cfg` last changed."""
    if dist.kind == "egg-link":
        return False
    if selected.version is not None and str(dist.version) != str(_version(selected.version)):
        return False
    direct = dist.direct_url()
    expected = _expected_url(selected)
    if expected is None:
        return direct is None  # a URL or local install is replaced by the registry's
    if direct is None or direct.get("url") != expected:
        return False
    if selected.kind == "git":
        return (direct.get("vcs_info") or {}).get("commit_id") == selected.commit
    if selected.kind in ("directory", "editable"):
        editable = bool((direct.get("dir_info") or {}).get("editable"))
        if editable != (selected.kind == "editable"):
            return False
        assert selected.path is not None
        return not _tree_changed(selected.path, dist.path)
    return True


def _fits(dist: InstalledDist, tags: TargetTags | None) -> bool:
    """Whether an installed wheel's tags (its `WHEEL` file) suit `tags` (`None`: no check)."""
    if tags is None:
        return True
    text = dist.read_text("WHEEL")
    if text is None:
        return True
    found = [line.partition(":")[2].strip() for line in text.splitlines()
             if line.lower().startswith("tag:")]
    return not found or any(tags.priority(tag) is not None for tag in found)


def _version(text: str) -> object:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except InvalidVersion:
        return text


def _tree_changed(tree: str, info_dir: str) -> bool:
    """A local project's build inputs changed after it was installed (uv's default cache
    keys: `pyproject.toml`, `setup.py`, `setup.cfg`)."""
    try:
        installed = os.stat(info_dir).st_mtime_ns
    except OSError:
        return True
    for name in ("pyproject.toml", "setup.py", "setup.cfg"):
        try:
            if os.stat(os.path.join(tree, name)).st_mtime_ns > installed:
                return True
        except OSError:
            continue
    return False


def _kept(dist: InstalledDist) -> Wanted:
    """A wanted distribution the installed one satisfies (the plan keeps it)."""
    from puv.installer.planner import Wanted

    return Wanted(dist.name, dist.version, filename="", direct_url=dist.direct_url())


def _placeholder(selected: SelectedPackage) -> Wanted:
    """What a dry run plans with: nothing is downloaded or built."""
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    from puv.core.hashes import Hash
    from puv.installer.planner import Wanted

    url = _expected_url(selected)
    version = Version(selected.version or "0")
    hashes = (Hash.parse(selected.hash),) if selected.hash else ()
    if selected.kind == "registry" and selected.is_wheel and selected.path is None:
        return Wanted(canonicalize_name(selected.name), version,
                      filename=selected.filename or "",
                      candidate=_candidate(selected, hashes))
    direct: dict[str, Any] | None = {"url": url} if url is not None else None
    if direct is not None and selected.kind == "git":
        direct["vcs_info"] = {"vcs": "git", "commit_id": selected.commit}
    return Wanted(canonicalize_name(selected.name), version, filename=selected.filename or "",
                  hashes=hashes, direct_url=direct)


def _shown_url(direct: Mapping[str, Any] | None) -> str | None:
    """A `direct_url.json` as uv names the install: its URL, a Git checkout as
    `git+URL@commit` (with its subdirectory)."""
    if not direct or not direct.get("url"):
        return None
    url = str(direct["url"])
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict):
        url = f"git+{url}@{vcs.get('commit_id') or vcs.get('requested_revision') or ''}"
        if direct.get("subdirectory"):
            url += f"#subdirectory={direct['subdirectory']}"
    return url


def _describe_build(dist: Dist) -> str:
    """How uv names a build: `a==1.0`, `a @ file:///...`, a Git checkout at its commit."""
    from dataclasses import replace

    from puv.distribution import GitDist, describe

    if isinstance(dist, GitDist) and dist.commit:
        return describe(replace(dist, rev=dist.commit))
    return describe(dist)


def _pyvenv_cfg(environment: ProjectEnvironment) -> Mapping[str, str]:
    values: dict[str, str] = {}
    try:
        with open(os.path.join(environment.path, "pyvenv.cfg"), encoding="utf-8") as handle:
            for line in handle:
                key, sep, value = line.partition("=")
                if sep:
                    values[key.strip().lower()] = value.strip()
    except OSError:
        pass
    return values


def _keeps_seed_packages(environment: ProjectEnvironment) -> bool:
    """uv keeps `pip` (and friends) unless it made the environment itself without `--seed`."""
    cfg = _pyvenv_cfg(environment)
    made_by_us = "uv" in cfg or "puv" in cfg
    return not made_by_us or cfg.get("seed", "").lower() == "true"


def _seed_names(environment: ProjectEnvironment) -> set[str]:
    if environment.interpreter.version.release[:2] >= (3, 12):
        return {"pip", "uv"}
    return {"pip", "setuptools", "wheel", "uv"}


# -- from the lock to the distribution layer --------------------------------------------------


def _candidate(selected: SelectedPackage, hashes: tuple[Hash, ...]) -> Candidate:
    """A registry `Candidate` for a locked wheel: downloads go through the registry (its
    credentials, its cache), checked against the lock's hash."""
    from packaging.version import Version

    from puv.index.locations import Index
    from puv.index.registry import Candidate
    from puv.index.simple import IndexFile
    from puv.lock.model import RegistrySource

    source = selected.package.source
    index = Index(source.registry) if isinstance(source, RegistrySource) and \
        "://" in source.registry else None
    pairs = tuple((h.algorithm, h.digest) for h in hashes)
    file = IndexFile(selected.filename or "", selected.url or "", hashes=pairs,
                     size=selected.size)
    return Candidate(file, selected.name, Version(selected.version or "0"),
                     selected.is_wheel, index)


def _dist(selected: SelectedPackage, hashes: tuple[Hash, ...]) -> Dist:
    """The distribution layer's view of a package that is not a registry wheel."""
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    from puv.distribution import DirectoryDist, GitDist, SourceDist, UrlDist
    from puv.distribution.dists import file_url

    name = canonicalize_name(selected.name)
    if selected.kind == "registry":
        location = selected.url or file_url(selected.path or "")
        return SourceDist(name=name, version=Version(selected.version or "0"),
                          filename=selected.filename or "", url=location,
                          hashes=hashes, path=selected.path)
    if selected.kind == "url":
        return UrlDist(url=(selected.url or "").partition("#")[0], name=name,
                       hashes=hashes, subdirectory=selected.subdirectory)
    if selected.kind == "path":
        return UrlDist(url=file_url(selected.path or ""), name=name, hashes=hashes)
    if selected.kind == "git":
        return GitDist(repository=selected.url or "", rev=selected.rev, commit=selected.commit,
                       subdirectory=selected.subdirectory, name=name)
    return DirectoryDist(path=selected.path or "", name=name,
                         editable=selected.kind == "editable")
