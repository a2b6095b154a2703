"""Cached extra environments: `puv run --with PKG` layers and PEP 723 script environments.

An extra environment is a virtual environment in the cache's `environments-v1/` bucket named
after a hash of what it holds: the requirements (`--with` strings, `--with-editable` paths,
the text of `--with-requirements` files, a script's `dependencies`), the base interpreter and
the settings that decide a resolution. The first run creates it, resolves and installs with
`puv pip install`'s machinery (`commands/pip/install.py`), and finally writes a `.puv-ready`
marker; later runs with the same inputs find the marker and use the environment as it is,
without reading an index.

The environment is built at its final path (the installer writes that path into console
scripts, so a build elsewhere renamed into place would point at the wrong interpreter); a
directory without the marker is an interrupted creation and is removed and built again. A file
lock (`environments-v1/<name>.lock`) keeps two runs from building the same one at once.

Layering (`--with` over a project): as uv does, the command runs in a third, small environment
whose `site-packages` holds one `_puv_overlay.pth`:

    import site; site.addsitedir(<layer site-packages>); site.addsitedir(<base site-packages>)

so the layer's packages come first, then the project environment's (whose own `.pth` files,
editable installs among them, are processed by `addsitedir`). uv makes that environment anew
in a temporary directory on every run; puv keeps it in the cache too (`overlay-<hash of both
paths>`), so a repeated run creates nothing and can `exec` the command.
"""

from __future__ import annotations

import os
import re

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Sequence

    from puv.cache import Cache
    from puv.python.interpreter import Interpreter
    from puv.settings import Settings
    from puv.types import Console, Reporter

__all__ = [
    "OVERLAY_PTH",
    "ExtraRequirements",
    "RunConsole",
    "cached_environment",
    "environment_name",
    "overlay_environment",
    "site_packages",
]

_READY = ".puv-ready"
_FORMAT = 1
OVERLAY_PTH = "_puv_overlay.pth"

# What `puv run` shows of an install (uv shows only the summary, not the resolution nor the
# `+ pkg` lines); the rest goes to `debug`.
_HIDDEN = ("Resolved ", "Prepared ", "Audited ", "Checked ", "Using Python ", " + ", " - ",
           " ~ ")
# The lock's `Added a v1.0` / `Updated a v1.0 -> v2.0` / `Removed a v1.0` (not
# `Removed virtual environment at: ...`).
_LOCK_CHANGE = re.compile(r"(Added|Updated|Removed) \S+ v")


class RunConsole:
    """A `Console` that shows what `uv run` shows of locking and installing: the summary
    lines (`Installed 2 packages in 1ms`, builds, downloads), not resolutions, audits or the
    per-package change lines, which become debug lines."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def result(self, text: str) -> None:
        self._console.result(text)

    def status(self, text: str) -> None:
        if text.startswith(_HIDDEN) or _LOCK_CHANGE.match(text):
            self._console.debug(text)
        else:
            self._console.status(text)

    def warning(self, text: str) -> None:
        self._console.warning(text)

    def debug(self, text: str) -> None:
        self._console.debug(text)

    def style(self, text: str, style: str) -> str:
        return self._console.style(text, style)

    def progress(self) -> Reporter | None:
        return self._console.progress()

    def end_progress(self) -> None:
        self._console.end_progress()


class ExtraRequirements:
    """What an extra environment holds: requirement strings, editable paths (absolute) and
    requirements files (paths, read when the key is computed)."""

    __slots__ = ("editables", "files", "packages")

    def __init__(self, packages: Sequence[str] = (), editables: Sequence[str] = (),
                 files: Sequence[str] = ()) -> None:
        self.packages = tuple(packages)
        self.editables = tuple(os.path.abspath(p) for p in editables)
        self.files = tuple(files)

    def __bool__(self) -> bool:
        return bool(self.packages or self.editables or self.files)


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _file_text(path: str) -> str:
    from puv.errors import PuvError

    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except FileNotFoundError:
        raise PuvError(f"File not found: `{path}`") from None
    except OSError as exc:
        raise PuvError(f"Failed to read `{path}`: {exc.strerror}") from None


def environment_name(requirements: ExtraRequirements, interpreter: Interpreter,
                     settings: Settings, *, kind: str) -> str:
    """The directory name of the environment for these inputs (`<kind>-<hash>`)."""
    from puv.commands.project.freshness import settings_text

    files = tuple((path, _file_text(path)) for path in requirements.files)
    # Relative paths inside requirements files are relative to the working directory.
    where = os.getcwd() if files or requirements.editables else ""
    text = repr((_FORMAT, sorted(requirements.packages), sorted(requirements.editables), files,
                 where, interpreter.sys_path_executable(), str(interpreter.version),
                 settings_text(settings)))
    return f"{kind}-{_digest(text)}"


def site_packages(environment: str, interpreter: Interpreter) -> str:
    """The `site-packages` directory of a virtual environment made from `interpreter`."""
    scheme = interpreter.venv_scheme
    return os.path.join(environment, scheme.get("purelib", "lib/site-packages"))


def _ready(path: str) -> bool:
    return os.path.isfile(os.path.join(path, _READY))


def _create_venv(path: str, interpreter: Interpreter) -> None:
    from puv import __version__
    from puv.fs import remove_tree
    from puv.venv import VenvOptions, create_venv

    if os.path.lexists(path):
        remove_tree(path)  # an interrupted creation
    create_venv(path, interpreter, VenvOptions(creator="puv", creator_version=__version__))


def _mark_ready(path: str) -> None:
    from puv.fs import write_atomic

    write_atomic(os.path.join(path, _READY), "")


def cached_environment(requirements: ExtraRequirements, interpreter: Interpreter, *,
                       kind: str, settings: Settings, cache: Cache, console: Console) -> str:
    """The cached environment holding `requirements` for `interpreter` (its base interpreter
    when it is a virtual environment's), created on first use (see the module docstring)."""
    from puv.cache import Bucket
    from puv.fs import FileLock

    bucket = cache.bucket(Bucket.ENVIRONMENTS)
    path = os.path.join(bucket, environment_name(requirements, interpreter, settings,
                                                 kind=kind))
    if _ready(path):
        return path
    with FileLock(path + ".lock", resource=path, timeout=settings.lock_timeout,
                  on_wait=console.status):
        if _ready(path):
            return path
        _create_venv(path, interpreter)
        if requirements:
            _install(path, requirements, settings=settings, cache=cache, console=console)
        _mark_ready(path)
    return path


def _install(path: str, requirements: ExtraRequirements, *, settings: Settings, cache: Cache,
             console: Console) -> None:
    from puv.commands.pip.compile import settings_resolver_options
    from puv.commands.pip.install import pip_install
    from puv.python.discovery import venv_python

    pip_install(packages=requirements.packages, requirements=requirements.files,
                editables=requirements.editables, options=settings_resolver_options(settings),
                constraints=list(settings.constraints), overrides=list(settings.overrides),
                python=venv_python(path), settings=settings, cache=cache,
                project_dir=os.getcwd(), console=RunConsole(console))


def overlay_pth(directories: Sequence[str]) -> str:
    """The `.pth` line that adds `directories` (in order) as site directories."""
    calls = "; ".join(f"site.addsitedir({d!r})" for d in directories)
    return f"import site; {calls}\n"


def overlay_environment(layers: Sequence[str], interpreter: Interpreter, *, cache: Cache,
                        settings: Settings) -> str:
    """A cached environment for `interpreter` whose `site-packages` adds `layers` (site
    directories, highest precedence first) through `_puv_overlay.pth`."""
    from puv.cache import Bucket
    from puv.fs import FileLock, write_atomic

    bucket = cache.bucket(Bucket.ENVIRONMENTS)
    key = repr((_FORMAT, tuple(layers), interpreter.sys_path_executable()))
    path = os.path.join(bucket, f"overlay-{_digest(key)}")
    if _ready(path):
        return path
    with FileLock(path + ".lock", resource=path, timeout=settings.lock_timeout):
        if not _ready(path):
            _create_venv(path, interpreter)
            write_atomic(os.path.join(site_packages(path, interpreter), OVERLAY_PTH),
                         overlay_pth(layers))
            _mark_ready(path)
    return path
