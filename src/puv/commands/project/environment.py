"""The project environment: where it lives, which interpreter it has, and (re)creating it as
uv does.

Where (`environment_path`): `UV_PROJECT_ENVIRONMENT` (absolute, or relative to the workspace
root), else `<workspace root>/.venv`; with `--active`, the active `VIRTUAL_ENV` instead. When
`VIRTUAL_ENV` names another environment and neither `--active` nor `--no-active` was given,
uv's warning says it is ignored.

Which interpreter (`python_request`): `--python` / `UV_PYTHON`, else the nearest
`.python-version` from the workspace root (no higher: a global file is used only when the
`requires-python` allows its version), else the workspace's `requires-python`.

An existing environment is kept when its interpreter satisfies the request and the
`requires-python`; otherwise it is replaced (`Removed virtual environment at: .venv`, then
`Creating virtual environment at: .venv`). A directory at the path that is not an environment
is never deleted: an empty one is used, anything else is an error naming it. With `--dry-run`
nothing is created or removed: the answer says what would happen and carries the interpreter
the environment would get.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from puv.errors import PuvError

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from puv.cache import Cache
    from puv.commands.pip.environment import Environment
    from puv.python.interpreter import Interpreter
    from puv.python.request import PythonRequest
    from puv.settings import Settings
    from puv.types import Console
    from puv.workspace.project import Workspace

__all__ = [
    "InvalidProjectEnvironment",
    "ProjectEnvironment",
    "PythonRequirementError",
    "environment_path",
    "project_environment",
    "python_request",
]

Action = Literal["existing", "created", "replaced", "would-create", "would-replace"]


class InvalidProjectEnvironment(PuvError):
    """Something at the environment path that puv must not use or delete."""

    exit_code = 2


class PythonRequirementError(PuvError):
    """The interpreter found does not satisfy the project's `requires-python`."""

    exit_code = 2


@dataclass(frozen=True)
class ProjectEnvironment:
    """The environment a project command uses. `interpreter` is the environment's own
    (for `would-create` / `would-replace`, the base interpreter it would be made from);
    `action` says what `project_environment` did or, in a dry run, would do."""

    path: str
    interpreter: Interpreter
    action: Action

    @property
    def exists(self) -> bool:
        return self.action in ("existing", "created", "replaced")

    def environment(self) -> Environment:
        """The installer's view of it (layout, lock); only for an environment that exists."""
        from puv.commands.pip.environment import Environment
        from puv.installer.layout import Layout

        assert self.exists, self.action
        return Environment(self.interpreter, Layout.for_interpreter(self.interpreter))


def display_path(path: str, cwd: str | None = None) -> str:
    """A path as uv shows it: relative to the working directory when inside it."""
    cwd = cwd or os.getcwd()
    if path == cwd:
        return "."
    inside = cwd if cwd.endswith(os.sep) else cwd + os.sep
    return path[len(inside):] if path.startswith(inside) else path


def environment_path(workspace_root: str, *, active: bool | None = None,
                     environ: Mapping[str, str] | None = None, cwd: str | None = None,
                     warn: Callable[[str], None] | None = None) -> str:
    """The absolute path of the project environment (see the module docstring); `warn`
    hears uv's warning about a `VIRTUAL_ENV` that is ignored."""
    environ = os.environ if environ is None else environ
    cwd = cwd or os.getcwd()
    configured = environ.get("UV_PROJECT_ENVIRONMENT")
    if configured:
        path = os.path.normpath(os.path.join(workspace_root, os.path.expanduser(configured)))
    else:
        path = os.path.join(workspace_root, ".venv")
    virtual_env = environ.get("VIRTUAL_ENV")
    if not virtual_env:
        return path
    active_path = os.path.normpath(os.path.join(cwd, virtual_env))
    if active:
        return active_path
    if active is None and not _same_path(active_path, path) and warn is not None:
        warn(f"`VIRTUAL_ENV={display_path(active_path, cwd)}` does not match the project "
             f"environment path `{display_path(path, cwd)}` and will be ignored; use "
             "`--active` to target the active environment instead")
    return path


def _same_path(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


# -- the interpreter ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Request:
    request: PythonRequest | None
    source: Literal["user", "version-file", "requires-python"]
    version_file: str | None = None


def python_request(workspace: Workspace, explicit: str | None, *,
                   environ: Mapping[str, str] | None = None) -> _Request:
    """The interpreter request of a project (see the module docstring)."""
    from puv.python.request import PythonRequest, VersionRequest, parse_request
    from puv.python.version_file import find_version_file, user_version_file_path

    if explicit:
        return _Request(parse_request(explicit), "user")
    environ = os.environ if environ is None else environ
    found = find_version_file(workspace.root, environ, stop=workspace.root)
    if found is not None and found.first:
        request = parse_request(found.first)
        is_global = os.path.abspath(found.path) == os.path.abspath(
            user_version_file_path(environ))
        if not is_global or _allows(workspace.requires_python, request):
            return _Request(request, "version-file", found.path)
    if workspace.requires_python:
        text = workspace.requires_python
        return _Request(PythonRequest("version", text, version=VersionRequest(specifier=text)),
                        "requires-python")
    return _Request(None, "requires-python")


def _allows(requires_python: str | None, request: PythonRequest) -> bool:
    """Whether a version request (`3.12`) is compatible with `requires-python`."""
    if requires_python is None or request.version is None or not request.version.parts:
        return True
    from packaging.specifiers import SpecifierSet

    text = ".".join(str(p) for p in request.version.parts)
    return SpecifierSet(requires_python).contains(text, prereleases=True)


def _satisfies_requires_python(requires_python: str | None, interpreter: Interpreter) -> bool:
    if requires_python is None:
        return True
    from packaging.specifiers import SpecifierSet

    return SpecifierSet(requires_python).contains(str(interpreter.version), prereleases=True)


def _requirement_error(workspace: Workspace, interpreter: Interpreter, request: _Request
                       ) -> PythonRequirementError:
    """uv's words for an interpreter outside `requires-python`, naming the declarations that
    exclude it."""
    from packaging.specifiers import SpecifierSet

    version = str(interpreter.version)
    requires = workspace.requires_python
    refusing = [m for m in workspace.members if m.requires_python
                and not SpecifierSet(m.requires_python).contains(version, prereleases=True)]
    several = len(workspace.members) > 1
    if len(refusing) > 1:
        listed = "\n".join(f"- {m.name}: {m.requires_python}" for m in refusing)
        sources = (".\nThe following `requires-python` declarations do not permit this "
                   f"version:\n{listed}")
    elif refusing and several:
        sources = (f" (from workspace member `{refusing[0].name}`'s "
                   "`project.requires-python`).")
    elif refusing:
        sources = " (from `project.requires-python`)"
    else:
        sources = ""
    if request.source == "user":
        return PythonRequirementError(
            f"The requested interpreter resolved to Python {version}, which is incompatible "
            f"with the project's Python requirement: `{requires}`{sources}")
    if request.source == "version-file":
        shown = display_path(os.path.abspath(request.version_file or ".python-version"))
        return PythonRequirementError(
            f"The Python request from `{shown}` resolved to Python {version}, which is "
            f"incompatible with the project's Python requirement: `{requires}`{sources}\n"
            "Use `puv python pin` to update the `.python-version` file to a compatible "
            "version")
    return PythonRequirementError(
        f"The resolved Python interpreter (Python {version}) is incompatible with the "
        f"project's Python requirement: `{requires}`{sources}")


def _matches(request: PythonRequest | None, interpreter: Interpreter, cache_dir: str) -> bool:
    """Whether an environment's interpreter satisfies the request."""
    if request is None or request.kind == "any":
        return True
    if request.kind in ("path", "executable"):
        from puv.python.discovery import find_python

        try:
            wanted = find_python(request, cache_dir=cache_dir, project_dir=os.getcwd())
        except PuvError:
            return False
        return _same_path(wanted.base_prefix, interpreter.base_prefix) and \
            wanted.version == interpreter.version
    return request.matches(interpreter.implementation, interpreter.version,
                           freethreaded=interpreter.gil_disabled)


# -- the environment ------------------------------------------------------------------------


def _existing(path: str, cache_dir: str) -> Interpreter | Literal["replace"] | None:
    """The interpreter of the environment at `path`; `None` when there is nothing there (or
    an empty directory); "replace" for a virtual environment whose interpreter is gone."""
    from puv.python.discovery import venv_python
    from puv.python.interpreter import query_interpreter

    if not os.path.lexists(path):
        return None
    if not os.path.isdir(path):
        raise InvalidProjectEnvironment(
            f"Project virtual environment directory `{path}` cannot be used because expected "
            "directory but found a file")
    python = venv_python(path)
    if not os.path.exists(python):
        if os.path.isfile(os.path.join(path, "pyvenv.cfg")):
            return "replace"
        if not os.listdir(path):
            return None
        raise InvalidProjectEnvironment(
            f"Project virtual environment directory `{path}` cannot be used because it is not "
            "a valid Python environment (no Python executable was found)")
    try:
        return query_interpreter(python, cache_dir)
    except PuvError:
        if os.path.isfile(os.path.join(path, "pyvenv.cfg")):
            return "replace"
        raise


def project_environment(
    workspace: Workspace,
    settings: Settings,
    cache: Cache,
    console: Console,
    *,
    active: bool | None = None,
    dry_run: bool = False,
    environ: Mapping[str, str] | None = None,
) -> ProjectEnvironment:
    """Find, create or replace the project environment (see the module docstring)."""
    from puv.cache import Bucket

    cache_dir = cache.bucket(Bucket.INTERPRETER)
    path = environment_path(workspace.root, active=active, environ=environ,
                            warn=console.warning)
    request = python_request(workspace, settings.python, environ=environ)
    found = _existing(path, cache_dir)
    if found is not None and not isinstance(found, str) and _matches(
            request.request, found, cache_dir) and _satisfies_requires_python(
            workspace.requires_python, found):
        return ProjectEnvironment(path, found, "existing")
    interpreter = _find_interpreter(request, settings, cache_dir, workspace)
    console.status(f"Using {interpreter.pretty_implementation} {interpreter.version} "
                   f"interpreter at: {console.style(interpreter.sys_path_executable(), 'cyan')}")
    if not _satisfies_requires_python(workspace.requires_python, interpreter):
        raise _requirement_error(workspace, interpreter, request)
    replace = found is not None
    if dry_run:
        return ProjectEnvironment(path, interpreter,
                                  "would-replace" if replace else "would-create")
    return _create(workspace, path, interpreter, replace, console, cache_dir)


def _find_interpreter(request: _Request, settings: Settings, cache_dir: str,
                      workspace: Workspace) -> Interpreter:
    """A base interpreter for the request (never a virtual environment's own)."""
    from puv.python.discovery import find_python
    from puv.python.interpreter import query_interpreter
    from puv.python.request import PythonRequest

    interpreter = find_python(request.request or PythonRequest("any"), cache_dir=cache_dir,
                              project_dir=workspace.root, environments=False,
                              preference=settings.python_preference)
    if interpreter.is_virtualenv and interpreter.base_executable is not None:
        interpreter = query_interpreter(interpreter.base_executable, cache_dir)
    return interpreter


def _create(workspace: Workspace, path: str, base: Interpreter, replace: bool,
            console: Console, cache_dir: str) -> ProjectEnvironment:
    from puv import __version__
    from puv.python.discovery import venv_python
    from puv.python.interpreter import query_interpreter
    from puv.venv import VenvOptions, create_venv

    shown = display_path(path)
    if replace:
        console.status(f"Removed virtual environment at: {console.style(shown, 'cyan')}")
    console.status(f"Creating virtual environment at: {console.style(shown, 'cyan')}")
    prompt = workspace.root_data.get("project", {}).get("name") if isinstance(
        workspace.root_data.get("project"), dict) else None
    if isinstance(prompt, str):
        from packaging.utils import canonicalize_name

        prompt = str(canonicalize_name(prompt))
    else:
        prompt = os.path.basename(workspace.root) or None
    options = VenvOptions(prompt=prompt, clear=replace, creator="puv",
                          creator_version=__version__)
    created = create_venv(path, base, options)
    interpreter = query_interpreter(venv_python(created), cache_dir)
    return ProjectEnvironment(path, interpreter, "replaced" if replace else "created")
