"""The registry and builds of one `pip compile` / `pip install` run.

Reading the inputs may already need a build (a `setup.py` project, or a `pyproject.toml`
whose dependencies are dynamic, tells its requirements only through its backend), but the
indexes of the run are only known once the inputs are read (`-i` / `--extra-index-url` lines).
So a run has a provisional registry and `Dispatch` while it reads (made on first need, with the
configured indexes), then its own (`start`), made from what the inputs say.
"""

from __future__ import annotations

from puv.commands.pip.specification import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from puv.cache import Cache
    from puv.core.metadata import CoreMetadata
    from puv.core.requirements_txt import RequirementsFile
    from puv.dispatch import Dispatch
    from puv.distribution import Dist, Distributions
    from puv.index.registry import Registry
    from puv.python.interpreter import Interpreter
    from puv.resolver.resolution import BinaryPolicy
    from puv.settings import Settings

__all__ = ["BuildSession"]


class BuildSession:
    """See the module docstring. Close it when the run ends (`close`, or `with`)."""

    def __init__(self, settings: Settings, cache: Cache, interpreter: Interpreter, *,
                 config_settings: Sequence[str] = ()) -> None:
        self.settings = settings
        self.cache = cache
        self.interpreter = interpreter
        self.config_settings = tuple(config_settings)
        self.registry: Registry | None = None
        self._dispatch: Dispatch | None = None

    def __enter__(self) -> BuildSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _make(self, indexes: RequirementsFile, no_build: BinaryPolicy | None) -> Distributions:
        from puv.commands.pip.compile import make_dispatch
        from puv.commands.pip.requirements import make_registry

        self.close()
        self.registry = make_registry(self.settings, self.cache, indexes)
        self._dispatch = make_dispatch(self.settings, self.cache, self.registry,
                                       config_settings=self.config_settings,
                                       no_build=no_build)
        return self._dispatch.distributions(self.interpreter)

    def metadata(self, dist: Dist) -> CoreMetadata:
        """The metadata of a project named in the inputs (built if need be): what
        `read_specification` asks for."""
        from puv.core.requirements_txt import RequirementsFile
        from puv.distribution import BuildDisabled

        distributions = self._dispatch.distributions(self.interpreter) \
            if self._dispatch is not None else self._make(RequirementsFile(), None)
        found = distributions.metadata(dist)
        if isinstance(found, BuildDisabled):
            raise InputError(f"Failed to read the metadata of `{dist.url}`: {found.reason}")
        return found.metadata

    def start(self, indexes: RequirementsFile, no_build: BinaryPolicy
              ) -> tuple[Registry, Distributions]:
        """The run's own registry and distributions, for the indexes the inputs named."""
        distributions = self._make(indexes, no_build)
        assert self.registry is not None
        return self.registry, distributions

    def close(self) -> None:
        if self.registry is not None:
            self.registry.close()
        self.registry = self._dispatch = None
