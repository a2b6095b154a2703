"""The PEP 517 / PEP 660 frontend: calling a source tree's build backend.

`Builder` holds what every build of a run shares (cache, target interpreter, `BuildContext`,
options); `Builder.setup(tree, ...)` gives a `SourceBuild` for one tree, whose methods call the
hooks through `pyproject_hooks` in a subprocess of the build environment's interpreter, output
captured (it is shown only when a hook fails, in the error):

- `prepare_metadata(directory)`: `prepare_metadata_for_build_wheel` (or `_editable`), without
  `pyproject_hooks`' fallback: `None` when the backend lacks the hook, so that the caller
  builds the wheel once and keeps it, instead of building it once for its metadata and again
  for itself;
- `build_wheel(directory)`: `build_wheel`, or `build_editable` for an editable build;
- `build_sdist(directory)`: `build_sdist`.

The environment is made on first need: an isolated one (`environment.py`) with
`build-system.requires` (plus `extra-build-dependencies`), then whatever
`get_requires_for_build_wheel` (`_editable`, `_sdist`) adds, as a second cached environment;
or, without isolation (`--no-build-isolation`, `no-build-isolation-package`), the target
interpreter itself, with nothing installed. Hooks run with the environment's scripts directory
first on `PATH`, `VIRTUAL_ENV` set, and the package's `extra-build-variables`.
"""

from __future__ import annotations

import os
import subprocess
import threading
import warnings
from collections.abc import Mapping, Sequence

from puv.build.backend import BuildSystem, read_build_system
from puv.build.environment import isolated_environment, normalize_requirements
from puv.build.errors import HookOutput, backend_error, build_failure
from puv.build.options import BuildOptions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from pyproject_hooks import BuildBackendHookCaller

    from puv.cache import Cache
    from puv.python.interpreter import Interpreter
    from puv.types import BuildContext, Reporter

__all__ = ["Builder", "SourceBuild"]


class _HookFailed(Exception):
    def __init__(self, output: HookOutput) -> None:
        super().__init__(output.status)
        self.output = output


class _Runner:
    """A `pyproject_hooks` subprocess runner that captures the hook's output."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.last = HookOutput(0, "", "")

    def __call__(self, cmd: Sequence[str], cwd: str | None = None,
                 extra_environ: Mapping[str, str] | None = None) -> None:
        environ = dict(self.environ)
        environ.update(extra_environ or {})
        try:
            proc = subprocess.run(list(cmd), cwd=cwd, env=environ, stdin=subprocess.DEVNULL,
                                  capture_output=True)
        except OSError as exc:
            self.last = HookOutput(-1, "", f"Failed to run `{cmd[0]}`: {exc.strerror or exc}")
            raise _HookFailed(self.last) from None
        self.last = HookOutput(proc.returncode,
                               proc.stdout.decode("utf-8", "backslashreplace"),
                               proc.stderr.decode("utf-8", "backslashreplace"))
        if proc.returncode != 0:
            raise _HookFailed(self.last)


class Builder:
    """Builds source trees for one target interpreter (see the module docstring).

    `interpreter` is the interpreter the wheels are for: isolated environments are made from
    it, and builds without isolation run in it (it should then be the target environment's
    interpreter, with the build requirements installed). `context` resolves and installs
    build requirements (`None`: only builds that need none, or run without isolation, work).
    """

    def __init__(self, cache: Cache, interpreter: Interpreter,
                 context: BuildContext | None = None, options: BuildOptions | None = None, *,
                 reporter: Reporter | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.cache = cache
        self.interpreter = interpreter
        self.context = context
        self.options = options if options is not None else BuildOptions()
        self.reporter = reporter
        self.environ = dict(os.environ if environ is None else environ)
        limit = self.options.concurrent_builds or os.cpu_count() or 4
        self._slots = threading.BoundedSemaphore(max(1, limit))

    def setup(self, tree: str, *, display: str, name: str | None = None,
              version: str | None = None, editable: bool = False) -> SourceBuild:
        """A build of the source tree at `tree`. `display` names it in messages (`a==1.0`,
        `a @ file:///...`); `name` (and `version`), when known, select per-package options
        and sharpen hints. Reads `[build-system]` now (a broken one fails here)."""
        tree = os.path.abspath(tree)
        system = read_build_system(tree)
        if name is None and system.project and isinstance(system.project.get("name"), str):
            name = system.project["name"]
        return SourceBuild(self, tree, system, display=display, name=name, version=version,
                           editable=editable)


class SourceBuild:
    """The hooks of one source tree (made by `Builder.setup`)."""

    def __init__(self, builder: Builder, tree: str, system: BuildSystem, *, display: str,
                 name: str | None, version: str | None, editable: bool) -> None:
        self.builder = builder
        self.tree = tree
        self.system = system
        self.display = display
        self.name = name
        self.version = version
        self.editable = editable
        self.config_settings = builder.options.settings_for(name)
        self._callers: dict[str, tuple[BuildBackendHookCaller, _Runner]] = {}

    @property
    def isolated(self) -> bool:
        return self.builder.options.isolated(self.name)

    # Environments ---------------------------------------------------------------------

    def _environ(self, root: str | None, python: str) -> dict[str, str]:
        environ = dict(self.builder.environ)
        scripts = os.path.dirname(python)
        environ["PATH"] = scripts + os.pathsep + environ["PATH"] if environ.get(
            "PATH") else scripts
        if root is not None:
            environ["VIRTUAL_ENV"] = root
        environ["PYTHONIOENCODING"] = "utf-8:backslashreplace"
        environ.update(self.builder.options.variables(self.name))
        return environ

    def _caller(self, python: str, root: str | None) -> tuple[BuildBackendHookCaller, _Runner]:
        from pyproject_hooks import BuildBackendHookCaller

        runner = _Runner(self._environ(root, python))
        try:
            caller = BuildBackendHookCaller(self.tree, self.system.backend,
                                            backend_path=list(self.system.backend_path or ())
                                            or None, runner=runner, python_executable=python)
        except ValueError as exc:  # a backend-path outside the tree
            raise build_failure(self.display, f"Invalid `build-system.backend-path` in "
                                f"`{os.path.join(self.tree, 'pyproject.toml')}`: {exc}"
                                ) from None
        return caller, runner

    def _for(self, kind: str) -> tuple[BuildBackendHookCaller, _Runner]:
        """The hook caller for a `kind` build (`wheel`, `editable`, `sdist`), its environment
        made (and its dynamic build requirements installed) on first use."""
        found = self._callers.get(kind)
        if found is not None:
            return found
        builder = self.builder
        if not self.isolated:
            python = builder.interpreter.path
            root = builder.interpreter.prefix if builder.interpreter.is_virtualenv else None
            found = self._caller(python, root)
            self._callers[kind] = found
            return found
        extra = builder.options.extra_requires(self.name)
        base = normalize_requirements([*self.system.requires, *extra])
        sources = ("`build-system.requires` and `extra-build-dependencies`" if extra
                   else "`build-system.requires`")
        if self.system.legacy and not os.path.isfile(os.path.join(self.tree, "pyproject.toml")):
            sources = "`setup.py` build"
        root = isolated_environment(builder.cache, builder.context, builder.interpreter, base,
                                    display=self.display, sources=sources)
        caller = self._caller(_venv_python(root), root)
        dynamic = self._call(caller, f"get_requires_for_build_{kind}", {
            "config_settings": self.config_settings})
        if not isinstance(dynamic, list) or not all(isinstance(r, str) for r in dynamic):
            raise build_failure(self.display, "The build backend returned an error",
                                f"Call to `{self.system.backend}.get_requires_for_build_{kind}`"
                                " failed: it returned something other than a list of strings",
                                hint="This usually indicates a problem with the package or the "
                                "build environment.")
        more = [r for r in normalize_requirements(dynamic) if r not in base]
        if more:
            root = isolated_environment(builder.cache, builder.context, builder.interpreter,
                                        [*base, *more], display=self.display, sources=sources)
            caller = self._caller(_venv_python(root), root)
        self._callers[kind] = caller
        return caller

    # Hooks ------------------------------------------------------------------------------

    def _call(self, found: tuple[BuildBackendHookCaller, _Runner], hook: str,
              kwargs: dict[str, Any]) -> Any:
        from pyproject_hooks import BackendUnavailable, BuildBackendWarning, HookMissing

        caller, runner = found
        call = f"{self.system.backend}.{hook}"
        with self.builder._slots, warnings.catch_warnings():
            # The backend's warnings come back as Python warnings of this process: they are
            # the backend's business, not the user's (uv does not show them either).
            warnings.simplefilter("ignore", BuildBackendWarning)
            try:
                return getattr(caller, hook)(**kwargs)
            except _HookFailed as exc:
                raise backend_error(self.display, call, exc.output, name=self.name,
                                    version=self.version) from None
            except BackendUnavailable as exc:
                output = HookOutput(runner.last.returncode, runner.last.stdout,
                                    exc.traceback or runner.last.stderr)
                raise backend_error(self.display, call, output, name=self.name,
                                    version=self.version,
                                    detail=f"the backend `{self.system.backend}` could not be "
                                    "imported") from None
            except HookMissing:
                raise
            except (OSError, ValueError, KeyError) as exc:  # no or unreadable hook output
                raise backend_error(self.display, call, runner.last, name=self.name,
                                    version=self.version,
                                    detail=f"no result: {exc}") from None

    def prepare_metadata(self, directory: str) -> str | None:
        """Call `prepare_metadata_for_build_wheel` (`_editable`) into `directory`; the path
        of the `.dist-info` directory it made, or `None` when the backend has no such hook (or
        its answer cannot be trusted: hatchling with dynamic dependencies, as uv decides)."""
        from pyproject_hooks import HookMissing

        if self.system.backend == "hatchling.build" and any(
                field in ("dependencies", "optional-dependencies")
                for field in self.system.dynamic):
            return None
        kind = "editable" if self.editable else "wheel"
        found = self._for(kind)
        os.makedirs(directory, exist_ok=True)
        try:
            name = self._call(found, f"prepare_metadata_for_build_{kind}", {
                "metadata_directory": os.path.abspath(directory),
                "config_settings": self.config_settings, "_allow_fallback": False})
        except HookMissing:
            return None
        return self._output(os.path.abspath(directory), name,
                            f"prepare_metadata_for_build_{kind}", want_directory=True)

    def build_wheel(self, directory: str) -> str:
        """Build a wheel (an editable one for an editable build) into `directory`; its path."""
        kind = "editable" if self.editable else "wheel"
        found = self._for(kind)
        os.makedirs(directory, exist_ok=True)
        hook = f"build_{kind}"
        name = self._call(found, hook, {"wheel_directory": os.path.abspath(directory),
                                        "config_settings": self.config_settings})
        return self._output(os.path.abspath(directory), name, hook)

    def build_sdist(self, directory: str) -> str:
        """Build an sdist into `directory`; its path."""
        found = self._for("sdist")
        os.makedirs(directory, exist_ok=True)
        name = self._call(found, "build_sdist", {"sdist_directory": os.path.abspath(directory),
                                                 "config_settings": self.config_settings})
        return self._output(os.path.abspath(directory), name, "build_sdist")

    def _output(self, directory: str, name: object, hook: str, *,
                want_directory: bool = False) -> str:
        """The file (or directory) a hook says it wrote: a plain name inside `directory`."""
        if not isinstance(name, str) or not name or name in (".", "..") or "/" in name.strip(
                "/") or "\\" in name or os.path.isabs(name):
            raise build_failure(self.display, "The build backend returned an error",
                                f"Call to `{self.system.backend}.{hook}` returned an invalid "
                                f"name: {name!r}")
        path = os.path.join(directory, name.strip("/"))
        exists = os.path.isdir(path) if want_directory else os.path.isfile(path)
        if not exists:
            raise build_failure(self.display, "The build backend returned an error",
                                f"Call to `{self.system.backend}.{hook}` failed: it returned "
                                f"`{name}`, which it did not write")
        return path


def _venv_python(root: str) -> str:
    from puv.python.discovery import venv_python

    return venv_python(root)
