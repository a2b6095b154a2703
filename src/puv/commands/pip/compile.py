"""`puv pip compile`: resolve requirements into a pinned `requirements.txt`.

inputs (`specification.py`) -> the target environment (`target.py`: an interpreter, or
`--python-version` / `--python-platform`) -> preferences from an existing `--output-file` ->
`resolver.resolve` -> the requirements file (`compile_output.py`), printed to stdout (unless
`-q` with `-o`) and written to `--output-file`. `Resolved N packages in X` goes to stderr.

The interpreter is found as uv finds it for `pip compile`: `--python` (or `UV_PYTHON`), else
the active virtual environment, a `.venv`, or the first interpreter on `PATH` (`--system`:
never a virtual environment). It builds source distributions; the resolution itself is for
the target environment. A `--python` that is only a version (`3.12`) means
`--python-version 3.12`, as in uv.
"""

from __future__ import annotations

import os
import time

from puv.commands.pip.specification import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from packaging.version import Version

    from puv.cache import Cache
    from puv.core.metadata import CoreMetadata
    from puv.dispatch import Dispatch
    from puv.distribution import Dist, Distributions
    from puv.index.registry import Registry
    from puv.python.interpreter import Interpreter
    from puv.resolver.resolution import (
        BinaryPolicy,
        Resolution,
        ResolvedDist,
        ResolverOptions,
        RootRequirement,
    )
    from puv.settings import Settings
    from puv.types import Console

__all__ = ["make_dispatch", "pip_compile", "settings_resolver_options"]


def _is_version(text: str) -> bool:
    import re

    return re.fullmatch(r"\d+(?:\.\d+){1,2}", text.strip()) is not None


def _find_interpreter(python: str | None, python_version: str | None, *, system: bool,
                      settings: Settings, cache: Cache, project_dir: str) -> Interpreter:
    """uv's `find_best` for `pip compile` (see the module docstring); a version that is not
    installed falls back to any interpreter (the caller warns)."""
    from puv.cache import Bucket
    from puv.errors import PythonNotFound
    from puv.python.discovery import find_python
    from puv.python.request import PythonRequest, parse_request

    bucket = cache.bucket(Bucket.INTERPRETER)
    preference = "only-system" if system else settings.python_preference
    if python is not None:
        return find_python(parse_request(python), cache_dir=bucket, project_dir=project_dir,
                           environments=not system, preference=preference)
    if python_version is not None:
        try:
            return find_python(parse_request(python_version), cache_dir=bucket,
                               project_dir=project_dir, environments=not system,
                               preference=preference)
        except PythonNotFound:
            pass
    return find_python(PythonRequest("any"), cache_dir=bucket, project_dir=project_dir,
                       environments=not system, preference=preference)


def _policy(every: bool, names: Sequence[str]) -> BinaryPolicy:
    from puv.resolver.resolution import BinaryPolicy

    return BinaryPolicy(every=every, packages=frozenset(names))


def _roots(texts: Sequence[str], source: str = "") -> list[RootRequirement]:
    from packaging.requirements import InvalidRequirement, Requirement

    from puv.errors import SettingsError
    from puv.resolver.resolution import RootRequirement

    roots = []
    for text in texts:
        try:
            roots.append(RootRequirement(Requirement(text), source))
        except InvalidRequirement as exc:
            raise SettingsError(f"Invalid requirement `{text}`: {exc}") from None
    return roots


def _preferences(output_file: str | None, *, upgrade: bool) -> dict[str, Version]:
    """The pins of an existing output file (kept unless upgraded)."""
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    if output_file is None or upgrade or not os.path.exists(output_file):
        return {}
    from puv.commands.pip.requirements import _read
    from puv.core.requirements_txt import parse_requirements

    pins: dict[str, Version] = {}
    for entry in parse_requirements(output_file, read=_read).requirements:
        requirement = entry.requirement
        if requirement is None or requirement.url is not None or not entry.is_pinned:
            continue
        spec = next(iter(requirement.specifier))
        try:
            pins[canonicalize_name(requirement.name)] = Version(spec.version)
        except ValueError:
            continue
    return pins


def settings_resolver_options(
    settings: Settings,
    *,
    no_binary: Sequence[str] = (),
    only_binary: Sequence[str] = (),
    constraints: Sequence[RootRequirement] = (),
    overrides: Sequence[RootRequirement] = (),
    no_deps: bool = False,
    preferences: Mapping[str, Version] | None = None,
) -> ResolverOptions:
    """The `ResolverOptions` the merged settings ask for (`pip compile`, `pip install`):
    `no_binary` / `only_binary` add a requirements file's pip-style specifiers; `constraints`
    and `overrides` come before those of `[tool.uv]`; `-P name<2` constrains `name`."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    from puv.distribution import parse_declared
    from puv.resolver.resolution import ResolverOptions
    from puv.settings.resolver import package_specifiers

    no_binary_all, no_binary_named = package_specifiers(no_binary)
    only_binary_all, only_binary_named = package_specifiers(only_binary)
    no_build = _policy(settings.no_build or only_binary_all,
                       [*settings.no_build_package, *only_binary_named])
    upgrade_packages = []
    upgrade_constraints = []
    for text in settings.upgrade_package:
        requirement = Requirement(text)
        upgrade_packages.append(canonicalize_name(requirement.name))
        if requirement.specifier:
            upgrade_constraints.append(text)
    return ResolverOptions(
        resolution=settings.resolution,
        prerelease=settings.prerelease,
        exclude_newer=settings.exclude_newer,
        exclude_newer_package={name: cutoff for name, (cutoff, _span)
                               in settings.exclude_newer_package.items()},
        excludes=frozenset(settings.exclude_dependencies),
        no_binary=_policy(settings.no_binary or no_binary_all,
                          [*settings.no_binary_package, *no_binary_named]),
        only_binary=no_build,
        no_build=no_build,
        constraints=(*constraints, *_roots(settings.constraint_dependencies),
                     *_roots(upgrade_constraints)),
        overrides=(*overrides, *_roots(settings.override_dependencies)),
        preferences=dict(preferences or {}),
        upgrade=settings.upgrade,
        upgrade_packages=frozenset(upgrade_packages),
        dependency_metadata=parse_declared(settings.dependency_metadata),
        no_deps=no_deps,
    )


def make_dispatch(settings: Settings, cache: Cache, registry: Registry, *,
                  config_settings: Sequence[str] = (), no_build: BinaryPolicy | None = None,
                  runtime_versions: Mapping[str, str] | None = None) -> Dispatch:
    """The run's `Dispatch` (builds, with their options and build constraints).
    `runtime_versions`: what the environment gets, by name (a sync of a lock), for
    `match-runtime` build dependencies."""
    import dataclasses

    from packaging.utils import canonicalize_name

    from puv.build.options import BuildOptions
    from puv.commands.pip.specification import read_specification
    from puv.dispatch import Dispatch
    from puv.distribution import parse_declared

    build_options = BuildOptions.from_settings(
        settings, no_build_isolation=settings.no_build_isolation,
        no_build_isolation_package=settings.no_build_isolation_package,
        config_settings=config_settings, no_build=settings.no_build,
        no_build_package=settings.no_build_package)
    if runtime_versions:
        build_options = dataclasses.replace(build_options, runtime_versions={
            canonicalize_name(name): version for name, version in runtime_versions.items()})
    build_constraints = list(_roots(settings.build_constraint_dependencies))
    if settings.build_constraints:
        spec = read_specification([], constraints=settings.build_constraints, markers={},
                                  metadata=_no_metadata)
        build_constraints += spec.constraints
    return Dispatch(settings, cache, registry, build_options=build_options, no_build=no_build,
                    build_constraints=build_constraints,
                    declared=parse_declared(settings.dependency_metadata))


def _resolve_universal(requirements: Sequence[RootRequirement], *, registry: Registry,
                       distributions: Distributions, options: ResolverOptions,
                       interpreter: Interpreter, python_version: str | None,
                       fork_strategy: str = "requires-python"
                       ) -> tuple[Resolution, list[ResolvedDist]]:
    """`--universal`: one resolution for every platform and every Python from
    `--python-version` (else the interpreter's minor version) up, as uv does; each
    distribution with the marker where it is needed (`resolver/universal.py`)."""
    import dataclasses

    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    from puv.core.ranges import Ranges
    from puv.resolver.resolution import Resolution, ResolverEnvironment
    from puv.resolver.universal import resolve_universal

    lowest = python_version or f"{interpreter.version.major}.{interpreter.version.minor}"
    text = f">={lowest}"
    requires_python = Ranges.from_specifiers(SpecifierSet(text))
    installed = Version(str(interpreter.version))
    environment = ResolverEnvironment(markers={}, python=Version(lowest), tags=None,
                                      installed_python=installed)
    result = resolve_universal(requirements, registry=registry, distributions=distributions,
                               environment=environment, options=options,
                               requires_python=requires_python, requires_python_text=text,
                               fork_strategy=fork_strategy)
    entries = []
    for key, dist in sorted(result.dists.items()):
        reach = result.reachability.get(key)
        marker = reach.simplify_python(requires_python).contents() if reach else None
        dependents = sorted({edge.source.name for edge in result.edges
                             if edge.target.dist == key
                             and edge.source.name})
        entries.append(dataclasses.replace(dist, marker=marker,
                                           requested_by=tuple(dependents)))
    return Resolution({entry.name: entry for entry in entries}), entries


def _no_metadata(dist: Dist) -> CoreMetadata:
    raise InputError(f"`{dist.url}` in a build constraints file must be named")


def _direct_hashes(resolution: Resolution, distributions: Distributions
                   ) -> dict[str, tuple[str, ...]]:
    """`--generate-hashes` for direct references: the digest of a wheel or archive file (a
    local tree or Git checkout has none)."""
    from puv.distribution import DirectoryDist, GitDist

    found: dict[str, tuple[str, ...]] = {}
    for dist in resolution.packages.values():
        if dist.dist is None or isinstance(dist.dist, DirectoryDist | GitDist):
            continue
        digest = dist.dist.sha256
        if digest is None and getattr(dist.dist, "is_wheel", False):
            built = distributions.wheel(dist.dist)
            digest = getattr(built, "sha256", None)
        if digest is not None:
            found[dist.name] = (f"sha256:{digest}",)
    return found


def pip_compile(
    *,
    src_files: Sequence[str],
    constraints: Sequence[str],
    overrides: Sequence[str],
    extras: Sequence[str],
    all_extras: bool,
    groups: Sequence[str],
    output_file: str | None,
    no_deps: bool,
    generate_hashes: bool,
    strip_extras: bool,
    annotate: bool,
    annotation_style: str,
    header: bool,
    custom_compile_command: str | None,
    emit_index_url: bool,
    emit_find_links: bool,
    emit_index_annotation: bool,
    no_emit_packages: Sequence[str],
    python: str | None,
    python_version: str | None,
    python_platform: str | None,
    system: bool,
    config_settings: Sequence[str],
    argv: Sequence[str],
    quiet: bool,
    settings: Settings,
    cache: Cache,
    project_dir: str,
    console: Console,
    universal: bool = False,
) -> int:
    from packaging.utils import canonicalize_name

    from puv.commands.pip.compile_output import OutputOptions, header_command, render
    from puv.commands.pip.requirements import elapsed, packages_text
    from puv.commands.pip.session import BuildSession
    from puv.commands.pip.specification import read_specification
    from puv.commands.pip.target import resolver_environment
    from puv.resolver.resolution import resolve

    if output_file is not None and os.path.basename(output_file).lower() == "pyproject.toml":
        raise InputError("`pyproject.toml` is not a supported output format for "
                         "`puv pip compile` (only `requirements.txt`-style output is "
                         "supported)")
    if output_file is not None and output_file.lower().endswith(".toml"):
        raise InputError("`pylock.toml` output is not supported by `puv pip compile` yet",
                         hint="write a `requirements.txt`-style file")
    if python is None and python_version is None:
        python = settings.python
    if python_version is None and python is not None and _is_version(python):
        python_version, python = python, None
    if python_version is not None:
        from puv.commands.pip.target import check_supported

        check_supported(python_version)

    started = time.perf_counter()
    interpreter = _find_interpreter(python, python_version, system=system, settings=settings,
                                    cache=cache, project_dir=project_dir)
    environment = resolver_environment(interpreter, python_version=python_version,
                                       python_platform=python_platform)

    with BuildSession(settings, cache, interpreter, config_settings=config_settings) as session:
        spec = read_specification(
            src_files, constraints=constraints, overrides=overrides, extras=extras,
            all_extras=all_extras, groups=groups, markers=environment.markers,
            metadata=session.metadata, warn=console.warning)
        if python_version is not None and python is None and not spec.only_binary:
            installed = interpreter.version
            given = python_version.split(".")
            same_minor = (int(given[0]), int(given[1])) == (installed.major, installed.minor)
            if python_version != str(installed) and (len(given) > 2 or not same_minor):
                console.warning(f"The requested Python version {python_version} is not "
                                f"available; {installed} will be used to build "
                                "dependencies instead.")
        options = settings_resolver_options(
            settings, no_binary=spec.no_binary, only_binary=spec.only_binary,
            constraints=spec.constraints, overrides=spec.overrides, no_deps=no_deps,
            preferences=_preferences(output_file, upgrade=settings.upgrade))
        registry, dists = session.start(spec.requirements_file(), options.no_build)
        entries = None
        if universal:
            resolution, entries = _resolve_universal(
                spec.requirements, registry=registry, distributions=dists, options=options,
                interpreter=interpreter, python_version=python_version,
                fork_strategy=settings.fork_strategy)
            count = len(entries)
        else:
            resolution = resolve(spec.requirements, registry=registry, distributions=dists,
                                 environment=environment, options=options)
            count = len(resolution)
        # uv leaves the count out when it is zero: `Resolved in 2ms`.
        counted = f"{packages_text(count)} " if count else ""
        console.status(f"Resolved {counted}in {elapsed(time.perf_counter() - started)}")
        direct_hashes = _direct_hashes(resolution, dists) if generate_hashes else {}

    command = custom_compile_command or header_command(
        argv, include_index_url=emit_index_url, include_find_links=emit_find_links)
    extra_urls = [str(entry["url"]) for entry in settings.indexes
                  if not entry.get("explicit")] + list(spec.extra_index_urls)
    text = render(resolution, requirements=spec.requirements, constraints=options.constraints,
                  overrides=options.overrides,
                  markers=None if universal else environment.markers, dists=entries,
                  options=OutputOptions(
                      header=header, command=command, annotate=annotate,
                      annotation_style=annotation_style, generate_hashes=generate_hashes,
                      include_extras=not strip_extras,
                      no_emit_packages=frozenset(canonicalize_name(n)
                                                 for n in no_emit_packages),
                      index_url=settings.default_index or spec.index_url,
                      extra_index_urls=tuple(extra_urls), emit_index_url=emit_index_url,
                      find_links=(*settings.find_links, *spec.find_links),
                      emit_find_links=emit_find_links,
                      emit_index_annotation=emit_index_annotation,
                      verbatim=spec.verbatim, direct_hashes=direct_hashes))
    if text and (output_file is None or not quiet):
        console.result(text[:-1])
    if output_file is not None:
        from puv.fs import write_atomic

        parent = os.path.dirname(os.path.abspath(output_file))
        os.makedirs(parent, exist_ok=True)
        write_atomic(output_file, text.encode())
    return 0
