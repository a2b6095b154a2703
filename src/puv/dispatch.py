"""The wiring between resolving, building and installing: the one `BuildContext`.

A build needs its `build-system.requires` resolved and installed into an isolated
environment; resolving may need metadata only a build can give; so the build layer, the
resolver and the installer call each other through `types.BuildContext`, implemented here
once (as uv does in `uv-dispatch`). `Dispatch` also hands commands the `Distributions` of
one target interpreter, so that a run shares one registry (one HTTP client, one cache) and
one set of build options across every resolution and build it makes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from puv.errors import PuvError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from puv.build.options import BuildOptions
    from puv.cache import Cache
    from puv.distribution import DeclaredMetadata, Distributions
    from puv.index.registry import Registry
    from puv.python.interpreter import Interpreter
    from puv.resolver.resolution import BinaryPolicy, Resolution, RootRequirement
    from puv.settings import Settings

__all__ = ["Dispatch"]

_MAX_DEPTH = 8  # nested builds (an sdist whose build requirements need a build...)


class _BuildResolution:
    """`types.BuildResolution`: a resolution, and the interpreter it is for."""

    def __init__(self, resolution: Resolution, interpreter: Interpreter) -> None:
        self.resolution = resolution
        self.interpreter = interpreter

    @property
    def requirements(self) -> Sequence[str]:
        out = []
        for dist in self.resolution.packages.values():
            if dist.dist is not None:
                out.append(f"{dist.name} @ {dist.dist.url}")
            else:
                out.append(f"{dist.name}=={dist.version}")
        return out


class Dispatch:
    """Resolves and installs for builds (`types.BuildContext`), and makes the
    `Distributions` a command resolves with."""

    def __init__(self, settings: Settings, cache: Cache, registry: Registry, *,
                 build_options: BuildOptions | None = None,
                 no_build: BinaryPolicy | None = None,
                 build_constraints: Sequence[RootRequirement] = (),
                 declared: Sequence[DeclaredMetadata] = ()) -> None:
        from puv.resolver.resolution import BinaryPolicy

        self.settings = settings
        self.cache = cache
        self.registry = registry
        self.build_options = build_options
        self.no_build = no_build or BinaryPolicy()
        self.build_constraints = tuple(build_constraints)
        self.declared = tuple(declared)
        self._distributions: dict[str, Distributions] = {}
        self._lock = threading.Lock()
        self._depth = threading.local()

    def distributions(self, interpreter: Interpreter) -> Distributions:
        """The `Distributions` that build for `interpreter` (one per interpreter per run)."""
        with self._lock:
            found = self._distributions.get(interpreter.executable)
            if found is None:
                from puv.build.frontend import Builder
                from puv.distribution import Distributions, registry_fetch

                builder = Builder(self.cache, interpreter, self, self.build_options)
                found = Distributions(self.cache, builder, fetch=registry_fetch(self.registry),
                                      declared=self.declared, offline=self.settings.offline,
                                      refresh=self.settings.refresh)
                self._distributions[interpreter.executable] = found
            return found

    def _interpreter(self, python: str) -> Interpreter:
        from puv.cache import Bucket
        from puv.python.interpreter import query_interpreter

        return query_interpreter(python, self.cache.bucket(Bucket.INTERPRETER))

    # types.BuildContext -------------------------------------------------------------------

    def resolve(self, requirements: Sequence[str], python: str) -> _BuildResolution:
        from packaging.requirements import InvalidRequirement, Requirement
        from packaging.version import Version

        from puv.resolver.resolution import (
            ResolverEnvironment,
            ResolverOptions,
            RootRequirement,
            resolve,
        )

        depth = getattr(self._depth, "value", 0)
        if depth >= _MAX_DEPTH:
            raise PuvError("Build requirements nest too deeply (a cycle between source "
                           f"distributions?): {', '.join(requirements)}")
        interpreter = self._interpreter(python)
        roots = []
        for text in requirements:
            try:
                roots.append(RootRequirement(Requirement(text), "build-system.requires"))
            except InvalidRequirement as exc:
                raise PuvError(f"Invalid build requirement `{text}`: {exc}") from None
        environment = ResolverEnvironment(markers=interpreter.markers,
                                          python=Version(str(interpreter.version)),
                                          tags=interpreter.tags())
        options = ResolverOptions(no_build=self.no_build, constraints=self.build_constraints)
        self._depth.value = depth + 1
        try:
            resolution = resolve(roots, registry=self.registry,
                                 distributions=self.distributions(interpreter),
                                 environment=environment, options=options)
        finally:
            self._depth.value = depth
        return _BuildResolution(resolution, interpreter)

    def install(self, resolution: object, environment: str) -> None:
        from puv.installer.install import apply_plan
        from puv.installer.inventory import Inventory
        from puv.installer.layout import Layout
        from puv.installer.planner import plan_install
        from puv.installer.preparer import Preparer
        from puv.installer.resolved import wanted_from_resolution
        from puv.python.discovery import venv_python

        assert isinstance(resolution, _BuildResolution)
        interpreter = self._interpreter(venv_python(environment))
        wanted = wanted_from_resolution(resolution.resolution,
                                        self.distributions(resolution.interpreter))
        layout = Layout.for_interpreter(interpreter)
        plan = plan_install(wanted, Inventory.scan(layout.site_packages))
        wheels = Preparer(self.cache, lambda: self.registry).prepare(plan.install)
        apply_plan(plan, wheels, layout, link_mode=self.settings.link_mode)
