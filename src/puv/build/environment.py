"""Isolated build environments, cached in `builds-v1/` by their requirements and interpreter.

An environment is a virtual environment made with `puv.venv` for the build interpreter, into
which the `BuildContext` resolves and installs the build requirements. It is keyed by the
interpreter (base executable, version, implementation, free-threading) and the sorted
requirement strings, so every sdist that declares `setuptools>=40.8.0` on one interpreter
shares one environment, made once.

Concurrency and crashes: an environment is made in place, at its final path, under a lock
(`builds-v1/<key>.lock`), and is complete only once its record (`<key>/puv-build-env.json`)
has been written, atomically, last. Readers that find the record use the environment without
locking (it never changes again); anyone else takes the lock, looks again, and removes and
remakes an incomplete directory (what an interrupted run leaves). The environment is not
staged elsewhere and renamed: scripts installed into it have its interpreter's absolute path
in their shebangs, and build backends run some of them (`cython`, `meson`, `ninja`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Sequence

from puv.build.errors import BuildError, build_failure
from puv.cache import Bucket
from puv.errors import PuvError
from puv.fs import FileLock, remove_tree, write_atomic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from puv.cache import Cache
    from puv.python.interpreter import Interpreter
    from puv.types import BuildContext

__all__ = ["RECORD", "environment_key", "holding", "isolated_environment",
           "normalize_requirements"]

RECORD = "puv-build-env.json"
_FORMAT = 1  # bump when what an environment holds, or its record, changes


_HELD = threading.local()


@contextlib.contextmanager
def holding(key: str, display: str) -> Iterator[None]:
    """Mark `key` (a lock this thread is about to take) as held for the block. Taking it
    again from the same thread means a build needs itself, through the `BuildContext` (an
    sdist of setuptools needs setuptools to build): fail at once, as uv does, rather than
    wait on our own lock until `UV_LOCK_TIMEOUT`."""
    held: set[str] | None = getattr(_HELD, "keys", None)
    if held is None:
        held = _HELD.keys = set()
    if key in held:
        raise BuildError(f"Cyclic build dependency detected for `{display}`",
                         hint="a build requirement needs itself to be built; install a wheel "
                         "of it, or allow wheels for it (`--only-binary`, `--no-binary`)")
    held.add(key)
    try:
        yield
    finally:
        held.discard(key)


def normalize_requirements(requirements: Sequence[str]) -> tuple[str, ...]:
    """Requirements in canonical form (`packaging` spelling), without duplicates, sorted:
    two spellings of the same set key the same environment."""
    from packaging.requirements import InvalidRequirement, Requirement

    canonical = set()
    for text in requirements:
        try:
            canonical.add(str(Requirement(text)))
        except InvalidRequirement:
            canonical.add(text.strip())
    return tuple(sorted(canonical))


def environment_key(interpreter: Interpreter, requirements: Sequence[str]) -> str:
    """The cache key of the environment with `requirements` on `interpreter`."""
    payload = json.dumps({
        "format": _FORMAT,
        "python": interpreter.sys_path_executable(),
        "version": str(interpreter.version),
        "implementation": interpreter.implementation,
        "freethreaded": interpreter.gil_disabled,
        "requires": list(normalize_requirements(requirements)),
    }, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def _python(root: str) -> str:
    from puv.python.discovery import venv_python

    return venv_python(root)


def isolated_environment(cache: Cache, context: BuildContext | None, interpreter: Interpreter,
                         requirements: Sequence[str], *, display: str,
                         sources: str = "`build-system.requires`") -> str:
    """The root of a complete environment holding `requirements` (made if needed).

    `display` names the distribution being built, `sources` where the requirements come from,
    for errors in uv's words ("Failed to resolve requirements from `build-system.requires`").
    """
    requirements = normalize_requirements(requirements)
    bucket = cache.bucket(Bucket.BUILDS)
    key = environment_key(interpreter, requirements)
    root = os.path.join(bucket, key)
    record = os.path.join(root, RECORD)
    if os.path.isfile(record):
        return root
    os.makedirs(bucket, exist_ok=True)
    lock = FileLock(os.path.join(bucket, f"{key}.lock"), resource=f"build environment {key}",
                    timeout=cache.lock_timeout, on_wait=cache.on_wait)
    with holding(lock.path, display), lock:
        if os.path.isfile(record):
            return root  # another process made it while we waited
        if os.path.lexists(root):
            remove_tree(root)  # an interrupted attempt
        _make(root, cache, context, interpreter, requirements, display=display,
              sources=sources)
    return root


def _make(root: str, cache: Cache, context: BuildContext | None, interpreter: Interpreter,
          requirements: tuple[str, ...], *, display: str, sources: str) -> None:
    from puv.venv import VenvOptions, create_venv

    try:
        create_venv(root, interpreter, VenvOptions(creator="puv"))
    except PuvError as exc:
        raise build_failure(display, "Failed to create the build environment", exc.message,
                            hint=exc.hint) from None
    pins: list[str] = []
    try:
        if requirements:
            if context is None:
                raise build_failure(
                    display, f"Failed to resolve requirements from {sources}",
                    f"Building needs {', '.join(f'`{r}`' for r in requirements)}, but this "
                    "command cannot resolve build requirements",
                    hint="install the build requirements into the environment and use "
                    "`--no-build-isolation`")
            # A nested failure (a build requirement that itself failed to build) is wrapped
            # too: the message then says which build needed it.
            try:
                resolution = context.resolve(list(requirements), _python(root))
            except PuvError as exc:
                raise build_failure(display, f"Failed to resolve requirements from {sources}",
                                    exc.message, hint=exc.hint) from None
            try:
                context.install(resolution, root)
            except PuvError as exc:
                raise build_failure(display, f"Failed to install requirements from {sources}",
                                    exc.message, hint=exc.hint) from None
            pins = list(resolution.requirements)
        write_atomic(os.path.join(root, RECORD), json.dumps({
            "format": _FORMAT,
            "python": interpreter.sys_path_executable(),
            "requires": list(requirements),
            "installed": pins,
        }, indent=2) + "\n")
    except BaseException:
        try:
            remove_tree(root)
        except OSError:
            pass
        raise
