"""Finding interpreters: where to look, in which order, and which one answers a request.

Sources, in uv's order:
1. virtual environments (unless the caller wants a system interpreter): the active one
   (`VIRTUAL_ENV`), an active conda environment (`CONDA_PREFIX`), then `.venv` in the project
   directory or one of its parents;
2. managed installations (uv's `python` directory) and the search path (`PATH`), managed first
   unless `python-preference` says `system`. pyenv shims on PATH are resolved the way pyenv
   would (`PYENV_VERSION`, `.python-version`, the global `version` file) instead of being run,
   so they are fast and cacheable;
3. pyenv-style installations under `$PYENV_ROOT/versions/*` (all of them, newest first).

Each candidate is inspected (cached) and the first that satisfies the request wins.
Candidates whose name already tells their version (`python3.12`, `.../versions/3.12.1/...`)
are skipped without being run when that version cannot match.
"""

from __future__ import annotations

import os
import re
import sys

from puv.errors import InterpreterError, PythonNotFound
from puv.fs import ancestors
from puv.python.interpreter import Interpreter, query_interpreter
from puv.python.request import PythonRequest, PythonVersion

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from _typeshed import StrPath

__all__ = ["Candidate", "find_all", "find_python", "venv_python"]

_EXE = ".exe" if sys.platform == "win32" else ""
_BIN = "Scripts" if sys.platform == "win32" else "bin"
_NAME_VERSION = r"^(?:python|pypy|graalpy)(\d+(?:\.\d+)?)t?(?:\.exe)?$"
_DIR_VERSION = r"^(?:(?:cpython|pypy|graalpy)-?)?(\d+\.\d+(?:\.\d+)?)"


class Candidate:
    """A place an interpreter may be, and how uv names that source in messages."""

    __slots__ = ("hint_text", "path", "pattern", "source")

    def __init__(self, path: str, source: str, hint_text: str = "",
                 pattern: str = _NAME_VERSION) -> None:
        self.path = path
        self.source = source  # e.g. "search path"
        self.hint_text = hint_text  # a name that may tell the version (`python3.12`)
        self.pattern = pattern

    @property
    def hint(self) -> PythonVersion | None:
        """A version guessed from the name, to skip a candidate without running it."""
        return _guess(self.hint_text, self.pattern) if self.hint_text else None


def venv_python(venv: StrPath) -> str:
    """The interpreter inside a virtual environment directory."""
    if sys.platform == "win32":  # pragma: no cover
        return os.path.join(venv, "Scripts", "python.exe")
    for name in ("python", "python3"):
        candidate = os.path.join(venv, "bin", name)
        if os.path.exists(candidate):
            return candidate
    return os.path.join(venv, "bin", "python")


def _guess(text: str, pattern: str) -> PythonVersion | None:
    match = re.match(pattern, text)
    return PythonVersion.parse(match.group(1)) if match else None


_NO_VERSION = PythonVersion((0,))


def _could_match(request: PythonRequest, candidate: Candidate) -> bool:
    if request.version is None:
        return True
    hint = candidate.hint
    if hint is None:
        return True
    wanted = request.version
    if wanted.specifier is not None:
        # `3.12` from a name stands for every 3.12.x: keep it if any could match.
        if len(hint.release) == 2:
            return any(
                wanted.matches(PythonVersion((*hint.release, patch))) for patch in range(40)
            )
        return wanted.matches(hint)
    n = min(len(hint.release), len(wanted.parts))
    return hint.release[:n] == wanted.parts[:n]


def _environments(project_dir: str, environ: Mapping[str, str]) -> Iterator[Candidate]:
    active = environ.get("VIRTUAL_ENV")
    if active:
        yield Candidate(venv_python(active), "active virtual environment")
    conda = environ.get("CONDA_PREFIX")
    if conda:
        yield Candidate(venv_python(conda), "active conda environment")
    for directory in ancestors(project_dir):
        dot_venv = os.path.join(directory, ".venv")
        if os.path.isfile(os.path.join(dot_venv, "pyvenv.cfg")):
            yield Candidate(venv_python(dot_venv), "virtual environment")
            break


def _home(*parts: str) -> str:
    return os.path.join(os.path.expanduser("~"), *parts)


def pyenv_root(environ: Mapping[str, str]) -> str:
    return environ.get("PYENV_ROOT") or _home(".pyenv")


def _pyenv_selected(root: str, cwd: str, environ: Mapping[str, str]) -> list[str]:
    """The versions pyenv would use here: PYENV_VERSION, a local file, else the global file."""
    if environ.get("PYENV_VERSION"):
        return environ["PYENV_VERSION"].split(":")
    for directory in ancestors(cwd):
        local = os.path.join(directory, ".python-version")
        if os.path.isfile(local):
            return _read_words(local)
    global_file = os.path.join(root, "version")
    return _read_words(global_file) if os.path.isfile(global_file) else ["system"]


def _read_words(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return []
    return [w for line in text.splitlines() for w in line.split("#", 1)[0].split()]


def _by_version(names: list[str]) -> list[str]:
    """Directory names sorted by the version they tell (`3.12.1`, `cpython-3.12.1-...`),
    newest first; names that tell none come last."""
    return sorted(names, key=lambda name: _guess(name, _DIR_VERSION) or _NO_VERSION,
                  reverse=True)


def _resolve_pyenv_shim(shim: str, root: str, cwd: str,
                        environ: Mapping[str, str]) -> str | None:
    versions_dir = os.path.join(root, "versions")
    for selected in _pyenv_selected(root, cwd, environ):
        if selected == "system":
            return None
        directory = os.path.join(versions_dir, selected)
        if not os.path.isdir(directory) and os.path.isdir(versions_dir):
            # Newer pyenv accepts a prefix (`3.12` for the newest 3.12.x installed).
            matches = _by_version([name for name in os.listdir(versions_dir)
                                   if name.startswith(selected + ".")])
            directory = os.path.join(versions_dir, matches[0]) if matches else directory
        exe = os.path.join(directory, "bin", os.path.basename(shim))
        if os.path.exists(exe):
            return exe
    return None


def _search_path(request: PythonRequest, project_dir: str,
                 environ: Mapping[str, str]) -> Iterator[Candidate]:
    names = request.executable_names()
    root = pyenv_root(environ)
    shims = os.path.normpath(os.path.join(root, "shims"))
    for entry in environ.get("PATH", "").split(os.pathsep):
        if not entry:
            continue
        for name in names:
            path = os.path.join(entry, name + _EXE)
            if not (os.path.isfile(path) and os.access(path, os.X_OK)):
                continue
            if os.path.normpath(entry) == shims:
                resolved = _resolve_pyenv_shim(path, root, project_dir, environ)
                if resolved is None:
                    continue
                path = resolved
            yield Candidate(path, "search path", os.path.basename(path))


def _pyenv_versions(request: PythonRequest, environ: Mapping[str, str]) -> Iterator[Candidate]:
    versions = os.path.join(pyenv_root(environ), "versions")
    yield from _installations(versions, "pyenv installations", request)


def _managed_dir(environ: Mapping[str, str]) -> str:
    if environ.get("UV_PYTHON_INSTALL_DIR"):
        return environ["UV_PYTHON_INSTALL_DIR"]
    data = environ.get("XDG_DATA_HOME") or _home(".local", "share")
    return os.path.join(data, "uv", "python")


def _installations(base: str, source: str, request: PythonRequest) -> Iterator[Candidate]:
    try:
        names = [name for name in os.listdir(base)
                 if not name.startswith(".") and os.path.isdir(os.path.join(base, name))]
    except OSError:
        return
    for dir_name in _by_version(names):
        directory = os.path.join(base, dir_name)
        bindir = os.path.join(directory, _BIN) if sys.platform != "win32" else directory
        for name in [*request.executable_names(), "python3", "python"]:
            path = os.path.join(bindir, name + _EXE)
            if os.path.isfile(path):
                yield Candidate(path, source, dir_name, _DIR_VERSION)
                break


def _candidates(
    request: PythonRequest,
    *,
    project_dir: str,
    environ: Mapping[str, str],
    environments: bool,
    preference: str,
) -> Iterator[Candidate]:
    if environments:
        yield from _environments(project_dir, environ)
    managed = _installations(_managed_dir(environ), "managed installations", request)
    if preference in ("managed", "only-managed"):
        yield from managed
        if preference == "only-managed":
            return
        yield from _search_path(request, project_dir, environ)
    else:
        yield from _search_path(request, project_dir, environ)
        if preference != "only-system":
            yield from managed
    yield from _pyenv_versions(request, environ)


def _sources(environments: bool, preference: str) -> str:
    parts = ["virtual environments"] if environments else []
    if preference != "only-system":
        parts.append("managed installations")
    if preference != "only-managed":
        parts += ["search path", "pyenv installations"]
    return ", ".join(parts[:-1]) + (", or " if len(parts) > 2 else " or ") + parts[-1]


def _path_request(request: PythonRequest, cache_dir: StrPath | None) -> Interpreter:
    path = request.path or "."
    if not os.path.exists(path):
        raise PythonNotFound(f"No interpreter found at path `{request.path}`")
    if os.path.isdir(path):
        exe = venv_python(path)
        if not os.path.exists(exe):
            raise PythonNotFound(
                f"No interpreter found in directory `{request.path}`: it contains no "
                f"`{_BIN}/python`"
            )
        path = exe
    return query_interpreter(path, cache_dir)


def find_python(
    request: PythonRequest,
    *,
    cache_dir: StrPath | None,
    project_dir: StrPath,
    environ: Mapping[str, str] | None = None,
    environments: bool = True,
    preference: str = "managed",
) -> Interpreter:
    """The first interpreter that satisfies `request`, or `PythonNotFound` saying where we
    looked (and what we found instead)."""
    environ = os.environ if environ is None else environ
    project_dir = os.fspath(project_dir)
    if request.kind == "path":
        return _path_request(request, cache_dir)
    if request.kind == "executable":
        import shutil

        found = shutil.which(request.name or "", path=environ.get("PATH"))
        if found is None:
            raise PythonNotFound(
                f"No interpreter found with executable name `{request.name}` in search path"
            )
        return query_interpreter(found, cache_dir)
    seen: set[str] = set()
    for candidate in _candidates(request, project_dir=project_dir, environ=environ,
                                 environments=environments, preference=preference):
        # The same file twice (`/usr/bin` and `/usr/bin/` on PATH) gives the same answer.
        absolute = os.path.abspath(candidate.path)
        if absolute in seen or not _could_match(request, candidate):
            continue
        seen.add(absolute)
        try:
            interpreter = query_interpreter(candidate.path, cache_dir)
        except InterpreterError:
            continue
        if request.matches(interpreter.implementation, interpreter.version,
                           freethreaded=interpreter.gil_disabled):
            return interpreter
    versions = {i.version for i, _ in find_all(cache_dir=cache_dir, project_dir=project_dir,
                                               environ=environ, preference=preference)}
    listed = [str(v) for v in sorted(versions, reverse=True)]
    hint = None
    if listed:
        hint = (f"the interpreters found are {', '.join(listed)}; see `puv python list`, or "
                "install the version you asked for")
    raise PythonNotFound(
        f"No interpreter found for {request.describe()} in "
        f"{_sources(environments, preference)}",
        hint=hint,
    )


def find_all(
    *,
    cache_dir: StrPath | None,
    project_dir: StrPath,
    environ: Mapping[str, str] | None = None,
    request: PythonRequest | None = None,
    preference: str = "managed",
) -> list[tuple[Interpreter, Candidate]]:
    """Every interpreter found on the machine (system sources only) that satisfies `request`,
    inspected in parallel; interpreters that fail to answer are left out."""
    from concurrent.futures import ThreadPoolExecutor

    environ = os.environ if environ is None else environ
    project_dir = os.fspath(project_dir)
    request = request or PythonRequest("any")
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for candidate in _all_candidates(project_dir, environ, preference):
        real = os.path.realpath(candidate.path)
        if real in seen or not _could_match(request, candidate):
            continue
        seen.add(real)
        candidates.append(candidate)

    def query(candidate: Candidate) -> tuple[Interpreter, Candidate] | None:
        try:
            return query_interpreter(candidate.path, cache_dir), candidate
        except InterpreterError:
            return None

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [r for r in pool.map(query, candidates) if r is not None]
    return [r for r in results
            if request.matches(r[0].implementation, r[0].version,
                               freethreaded=r[0].gil_disabled)]


def _all_candidates(project_dir: str, environ: Mapping[str, str],
                    preference: str) -> Iterator[Candidate]:
    """Every executable worth inspecting for `python list`, `python3.X` names included."""
    yield from _candidates(PythonRequest("any"), project_dir=project_dir, environ=environ,
                           environments=False, preference=preference)
    for minor in range(20, 5, -1):
        request = PythonRequest("executable", name=f"python3.{minor}")
        yield from _search_path(request, project_dir, environ)
