"""The environment a `puv pip` command works on, chosen as uv chooses it.

- `--target DIR` / `--prefix DIR`: that directory, with the interpreter from `--python` (or
  the first one found);
- `--python X`: the interpreter X names (a version, a path, an environment...), virtual or not;
- `--system`: the first interpreter on `PATH`, never a virtual environment;
- otherwise the active virtual environment (`VIRTUAL_ENV`, `CONDA_PREFIX`), then a `.venv` in
  the working directory or a parent, and an error when there is none.

Commands that change an environment hold its lock (`Environment.locked()`), which also rolls
back an installation that a crash interrupted (see `puv.installer.transaction`).
"""

from __future__ import annotations

import os

from puv.cache import Bucket, Cache
from puv.errors import PuvError
from puv.installer.layout import Layout

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager

    from puv.python.interpreter import Interpreter
    from puv.settings import Settings
    from puv.types import Console

__all__ = ["Environment", "find_environment"]


class Environment:
    """An interpreter and the layout installs into."""

    __slots__ = ("interpreter", "layout")

    def __init__(self, interpreter: Interpreter, layout: Layout) -> None:
        self.interpreter = interpreter
        self.layout = layout

    @property
    def root(self) -> str:
        return self.layout.root

    def locked(self, *, timeout: float, console: Console | None = None
               ) -> AbstractContextManager[None]:
        """Hold the environment's lock (waiting for another puv), after rolling back an
        installation a crash left unfinished."""
        from contextlib import contextmanager

        from puv.fs import FileLock
        from puv.installer.transaction import recover

        @contextmanager
        def hold() -> Iterator[None]:
            lock = FileLock(self.layout.lock_path(), resource=self.root, timeout=timeout,
                            on_wait=console.status if console is not None else None)
            with lock:
                recover(self.layout)
                yield

        return hold()


def _display(path: str) -> str:
    cwd = os.getcwd()
    inside = cwd if cwd.endswith(os.sep) else cwd + os.sep
    return path[len(inside):] if path.startswith(inside) else path


def find_environment(
    *,
    python: str | None,
    system: bool,
    settings: Settings,
    cache: Cache,
    project_dir: str,
    console: Console,
    target: str | None = None,
    prefix: str | None = None,
    break_system_packages: bool = False,
    write: bool = False,
) -> Environment:
    """The environment a pip command acts on (see the module docstring); with `write`, one
    that may be changed (an externally managed interpreter needs `--break-system-packages`)."""
    from puv.python.discovery import find_python
    from puv.python.request import PythonRequest, parse_request

    bucket = cache.bucket(Bucket.INTERPRETER)
    if target is not None or prefix is not None:
        request = parse_request(python) if python else PythonRequest("any")
        interpreter = find_python(request, cache_dir=bucket, project_dir=project_dir,
                                  preference=settings.python_preference)
        console.status(f"Using {interpreter.pretty_implementation} {interpreter.version} "
                       f"interpreter at: {console.style(interpreter.executable, 'cyan')}")
        layout = (Layout.for_target(interpreter, target) if target is not None
                  else Layout.for_prefix(interpreter, prefix or ""))
        return Environment(interpreter, layout)
    if python:
        interpreter = find_python(parse_request(python), cache_dir=bucket,
                                  project_dir=project_dir,
                                  preference=settings.python_preference)
    elif system:
        interpreter = find_python(PythonRequest("any"), cache_dir=bucket,
                                  project_dir=project_dir, environments=False,
                                  preference="only-system")
    else:
        interpreter = _virtual_environment(bucket, project_dir)
    layout = Layout.for_interpreter(interpreter)
    if write and layout.kind == "system" and interpreter.info.get("externally_managed") \
            and not break_system_packages:
        raise PuvError(
            f"The interpreter at `{_display(interpreter.prefix)}` is externally managed, and "
            "indicates the following:\n\n  This environment is managed by the system "
            "package manager; install into a virtual environment instead",
            hint="use `puv venv` to create a virtual environment, or pass "
            "`--break-system-packages` to install into the system environment anyway",
        )
    if os.path.abspath(interpreter.prefix) != os.path.join(os.getcwd(), ".venv"):
        console.status(f"Using Python {interpreter.version} environment at: "
                       f"{console.style(_display(interpreter.prefix), 'cyan')}")
    return Environment(interpreter, layout)


def _virtual_environment(bucket: str, project_dir: str) -> Interpreter:
    """The active virtual environment, else the nearest `.venv`; an error when none."""
    from puv.fs import ancestors
    from puv.python.discovery import venv_python
    from puv.python.interpreter import query_interpreter
    from puv.settings import env

    candidates = [env.string("VIRTUAL_ENV"), env.string("CONDA_PREFIX")]
    for directory in ancestors(os.path.abspath(project_dir)):
        dot_venv = os.path.join(directory, ".venv")
        if os.path.isfile(os.path.join(dot_venv, "pyvenv.cfg")):
            candidates.append(dot_venv)
            break
    for root in candidates:
        if root and os.path.exists(venv_python(root)):
            return query_interpreter(venv_python(root), bucket)
    raise _NoVirtualEnvironment(
        "No virtual environment found; run `puv venv` to create an environment, or pass "
        "`--system` to install into a non-virtual environment"
    )


class _NoVirtualEnvironment(PuvError):
    exit_code = 2  # uv's status for this error
