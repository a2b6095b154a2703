"""`puv run`: run a command or script in the project environment (or a script's own, or an
interpreter's), after bringing that environment up to date.

In order:

1. `.env` files (`--env-file`, `UV_ENV_FILE`) are read into the child's environment
   (`core/dotenv.py`): a missing file is an error, a syntax error a warning.
2. The target:
   - a `.py` file with a PEP 723 `# /// script` block: an environment cached for its
     requirements and interpreter (`ephemeral.py`); the project is ignored, as in uv;
   - `--no-project`, or no `pyproject.toml` above the directory: the interpreter found
     (`--python`, the active or nearest virtual environment, else the first on `PATH`);
   - otherwise the project. If the environment's freshness stamp says nothing changed since
     its last sync (`freshness.py`), nothing is imported or checked beyond that; else the
     workspace is discovered, locked (`lock.py`) and synced (`sync.py`, which records a new
     stamp). `--no-sync` skips both, `--isolated` syncs into a temporary environment.
3. `--with` / `--with-editable` / `--with-requirements`: a cached layer over that environment
   (`ephemeral.py`).
4. The command runs with the environment's `bin/` first on `PATH` and `VIRTUAL_ENV` set:
   `python` is the environment's interpreter, `-m MODULE` and `*.py` files run with it, any
   other name is looked up on the new `PATH`. On POSIX, when nothing is left to clean up,
   puv `exec`s the command (no process stays behind); otherwise it waits for the child, with
   Ctrl-C left to the child, and returns its exit status.
"""

from __future__ import annotations

import os
import sys

from puv.errors import PuvError

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Sequence

    from puv.cache import Cache
    from puv.commands.project.environment import ProjectEnvironment
    from puv.commands.project.ephemeral import ExtraRequirements
    from puv.core.scripts import ScriptMetadata
    from puv.lock.model import Lock
    from puv.python.interpreter import Interpreter
    from puv.settings import Settings
    from puv.types import Console
    from puv.workspace.project import Workspace

__all__ = ["RunError", "RunOptions", "run"]

_WINDOWS = sys.platform == "win32"


class RunError(PuvError):
    """What uv reports with status 2 in `run`: a command that cannot be spawned, a missing
    `.env` file."""

    exit_code = 2


class RunOptions:
    """`puv run`'s command line, as plain values."""

    __slots__ = ("active", "all_extras", "all_groups", "all_packages", "command",
                 "env_files", "exact", "extras", "force_sync", "frozen", "groups",
                 "gui_script", "isolated", "locked", "module", "no_default_groups", "no_dev",
                 "no_editable", "no_extras", "no_groups", "no_project", "no_sync",
                 "only_dev", "only_groups", "package", "reinstall", "reinstall_packages",
                 "script", "with_requirements")

    def __init__(self, command: Sequence[str], *, with_requirements: ExtraRequirements | None
                 = None, module: bool = False, script: bool = False, gui_script: bool = False,
                 env_files: Sequence[str] = (), no_project: bool = False,
                 isolated: bool = False, active: bool = False, no_sync: bool = False,
                 locked: bool = False, frozen: bool = False, exact: bool = False,
                 package: str | None = None, all_packages: bool = False,
                 extras: Sequence[str] = (), all_extras: bool = False,
                 no_extras: Sequence[str] = (), groups: Sequence[str] = (),
                 no_groups: Sequence[str] = (), only_groups: Sequence[str] = (),
                 all_groups: bool = False, no_default_groups: bool = False,
                 no_dev: bool = False, only_dev: bool = False, no_editable: bool = False,
                 reinstall: bool = False, reinstall_packages: Sequence[str] = (),
                 force_sync: bool = False) -> None:
        self.command = tuple(command)
        self.with_requirements = with_requirements
        self.module = module
        self.script = script
        self.gui_script = gui_script
        self.env_files = tuple(env_files)  # `--env-file` and `UV_ENV_FILE`, unless disabled
        self.no_project = no_project
        self.isolated = isolated
        self.active = active
        self.no_sync = no_sync
        self.locked = locked
        self.frozen = frozen
        self.exact = exact
        self.package = package
        self.all_packages = all_packages
        self.extras = tuple(extras)
        self.all_extras = all_extras
        self.no_extras = tuple(no_extras)
        self.groups = tuple(groups)
        self.no_groups = tuple(no_groups)
        self.only_groups = tuple(only_groups)
        self.all_groups = all_groups
        self.no_default_groups = no_default_groups
        self.no_dev = no_dev
        self.only_dev = only_dev
        self.no_editable = no_editable
        self.reinstall = reinstall
        self.reinstall_packages = tuple(reinstall_packages)
        # `--upgrade`, `--reinstall`, `--refresh`: the stamp cannot stand for a sync.
        self.force_sync = force_sync or reinstall or bool(reinstall_packages)


class Target:
    """Where the command runs: the environment (`None` for a bare interpreter), its
    interpreter, and the directories to put first on `PATH`."""

    __slots__ = ("environment", "path", "python", "temporary")

    def __init__(self, environment: str | None, python: str, path: Sequence[str],
                 temporary: str | None = None) -> None:
        self.environment = environment
        self.python = python
        self.path = tuple(path)
        self.temporary = temporary  # a directory to remove when the command has run


def _bin(environment: str) -> str:
    return os.path.join(environment, "Scripts" if _WINDOWS else "bin")


def _venv_python(environment: str) -> str:
    return os.path.join(_bin(environment), "python.exe" if _WINDOWS else "python")


def _environment_target(environment: str) -> Target:
    return Target(environment, _venv_python(environment), [_bin(environment)])


# -- 1. `.env` files ----------------------------------------------------------------------


def _child_environ(env_files: Sequence[str], console: Console) -> dict[str, str]:
    environ = dict(os.environ)
    if not env_files:
        return environ
    from puv.core.dotenv import apply_env_files

    texts = []
    for path in env_files:
        try:
            with open(path, encoding="utf-8") as handle:
                texts.append((path, handle.read()))
        except FileNotFoundError:
            raise RunError(f"No environment file found at: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "it is not valid UTF-8"
            raise RunError(f"Failed to read environment file `{path}`: {reason}") from None
    for path, error in apply_env_files(texts, environ):
        console.warning(f"Failed to parse environment file `{path}` {error.describe()}")
    return environ


# -- 2. the target ------------------------------------------------------------------------


def _script_metadata(options: RunOptions) -> ScriptMetadata | None:
    """The PEP 723 metadata of the script the command names, if it has any."""
    if options.module or not options.command:
        return None
    first = options.command[0]
    if not (options.script or options.gui_script or first.endswith((".py", ".pyw"))):
        return None
    try:
        with open(first, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return None
    if "# /// script" not in text:
        return None
    from puv.core.scripts import read_script_metadata

    return read_script_metadata(text, first)


def read_script_file(path: str) -> ScriptMetadata:
    """The PEP 723 metadata of the script at `path` (`puv lock --script`); a missing file or
    one without a `script` block is an error naming it."""
    from puv.core.scripts import ScriptError, read_script_metadata

    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError as exc:
        raise ScriptError(f"Failed to read the script `{path}`: {exc.strerror}") from None
    metadata = read_script_metadata(text, path)
    if metadata is None:
        raise ScriptError(f"`{path}` does not contain a PEP 723 metadata tag",
                          hint=f"add one with `puv add --script {path} <package>`, or "
                          "write a `# /// script` block")
    return metadata


def _has_project(project_dir: str) -> bool:
    from puv.fs import ancestors

    return any(os.path.isfile(os.path.join(d, "pyproject.toml"))
               for d in ancestors(os.path.abspath(project_dir)))


def _script_interpreter(metadata: ScriptMetadata, *, settings: Settings, cache: Cache,
                        console: Console) -> Interpreter:
    """`--python`, else the nearest `.python-version`, else one satisfying the script's
    `requires-python`, else any; a mismatch with `requires-python` is a warning, as in uv."""
    from puv.cache import Bucket
    from puv.python.discovery import find_python
    from puv.python.request import PythonRequest, VersionRequest, parse_request
    from puv.python.version_file import find_version_file

    text = settings.python
    if text is None:
        found = find_version_file(os.getcwd())
        text = found.first if found is not None else None
    if text is not None:
        request = parse_request(text)
    elif metadata.requires_python is not None:
        request = PythonRequest("version", metadata.requires_python,
                                version=VersionRequest(specifier=metadata.requires_python))
    else:
        request = PythonRequest("any")
    interpreter = find_python(request, cache_dir=cache.bucket(Bucket.INTERPRETER),
                              project_dir=os.getcwd(), preference=settings.python_preference)
    if metadata.requires_python is not None and text is not None:
        from packaging.specifiers import SpecifierSet

        if not SpecifierSet(metadata.requires_python).contains(str(interpreter.version),
                                                               prereleases=True):
            console.warning(f"The requested interpreter resolved to Python "
                            f"{interpreter.version}, which is incompatible with the script's "
                            f"Python requirement: `{metadata.requires_python}`")
    return interpreter


def script_settings(metadata: ScriptMetadata, settings: Settings) -> Settings:
    """The settings with the script's `[tool.uv] exclude-newer`, unless the command line or
    the environment set one (the other `[tool.uv]` keys of a script are not read)."""
    value = metadata.tool_uv.get("exclude-newer")
    if value is None or settings.exclude_newer is not None:
        return settings
    from puv.core.scripts import ScriptError
    from puv.settings.resolver import parse_exclude_newer

    try:
        timestamp = parse_exclude_newer(str(value))
    except ValueError as exc:
        raise ScriptError(f"Invalid `tool.uv.exclude-newer` in the inline script metadata of "
                          f"`{metadata.name}`: {exc}") from None
    import copy

    changed = copy.copy(settings)
    changed.exclude_newer = timestamp
    return changed


def _script_target(metadata: ScriptMetadata, *, settings: Settings, cache: Cache,
                   console: Console) -> Target:
    from puv.commands.project.ephemeral import ExtraRequirements, cached_environment

    settings = script_settings(metadata, settings)
    interpreter = _script_interpreter(metadata, settings=settings, cache=cache, console=console)
    environment = cached_environment(ExtraRequirements(metadata.requirements), interpreter,
                                     kind="script", settings=settings, cache=cache,
                                     console=console)
    return _environment_target(environment)


def _interpreter_target(*, settings: Settings, cache: Cache, project_dir: str) -> Target:
    """`--no-project`, or no project: the interpreter `--python` names, else the active or
    nearest virtual environment, else the first interpreter found."""
    from puv.cache import Bucket
    from puv.python.discovery import find_python
    from puv.python.request import PythonRequest, parse_request

    request = parse_request(settings.python) if settings.python else PythonRequest("any")
    interpreter = find_python(request, cache_dir=cache.bucket(Bucket.INTERPRETER),
                              project_dir=project_dir, preference=settings.python_preference)
    if interpreter.is_virtualenv:
        return _environment_target(interpreter.prefix)
    return Target(None, interpreter.executable, [])


def _selection_key(options: RunOptions, settings: Settings) -> str:
    from puv.commands.project.freshness import selection_key

    return selection_key(
        settings, extras=options.extras, all_extras=options.all_extras,
        no_extras=options.no_extras, groups=options.groups, no_groups=options.no_groups,
        only_groups=options.only_groups, all_groups=options.all_groups,
        no_default_groups=options.no_default_groups, no_dev=options.no_dev,
        only_dev=options.only_dev, no_editable=options.no_editable,
        packages=[options.package] if options.package else (),
        all_packages=options.all_packages, frozen=options.frozen)


def _project_target(options: RunOptions, *, settings: Settings, cache: Cache,
                    console: Console, project_dir: str) -> Target:
    if not (options.no_sync or options.isolated or options.force_sync or options.no_editable):
        from puv.commands.project.freshness import fresh_environment

        fresh = fresh_environment(project_dir, _selection_key(options, settings),
                                  exact=options.exact, active=options.active)
        if fresh is not None:
            return _environment_target(fresh)
    from puv.commands.project.ephemeral import RunConsole

    quiet = RunConsole(console)
    from puv.workspace.project import discover_workspace

    workspace = discover_workspace(project_dir)
    if options.package is not None and workspace.member(options.package) is None:
        raise RunError(f"The workspace does not have a member {options.package}: "
                       f"{workspace.root}")
    if options.no_sync:
        environment = _project_environment(workspace, options, settings=settings, cache=cache,
                                           console=quiet)
        return _environment_target(environment.path)
    from puv.commands.project.lock import LockMode, lock_project

    mode = (LockMode.FROZEN if options.frozen else
            LockMode.LOCKED if options.locked else LockMode.WRITE)
    temporary = None
    if options.isolated:
        import tempfile

        temporary = tempfile.mkdtemp(prefix="puv-run-")
    try:
        environment = _project_environment(
            workspace, options, settings=settings, cache=cache, console=quiet,
            isolated=os.path.join(temporary, "env") if temporary is not None else None)
        if mode is not LockMode.WRITE and not os.path.isfile(workspace.lock_path):
            from puv.commands.project.lock import missing_lock

            raise missing_lock("`--frozen`" if options.frozen else "`--locked`")
        outcome = lock_project(workspace, settings, cache, quiet, mode=mode,
                               interpreter=environment.interpreter)
        _sync(workspace, outcome.lock, environment, options, settings=settings, cache=cache,
              console=quiet, record=temporary is None)
    except BaseException:
        if temporary is not None:
            from puv.fs import remove_tree

            remove_tree(temporary)
        raise
    return Target(environment.path, _venv_python(environment.path),
                  [_bin(environment.path)], temporary)


def _project_environment(workspace: Workspace, options: RunOptions, *, settings: Settings,
                         cache: Cache, console: Console, isolated: str | None = None
                         ) -> ProjectEnvironment:
    """The project environment (`environment.py`: found, created or replaced); with
    `isolated`, a new environment at that path with the interpreter the project's would
    have."""
    from puv.commands.project.environment import ProjectEnvironment, project_environment

    if isolated is None:
        return project_environment(workspace, settings, cache, console,
                                   active=options.active or None)
    from puv import __version__
    from puv.cache import Bucket
    from puv.python.discovery import venv_python
    from puv.python.interpreter import query_interpreter
    from puv.venv import VenvOptions, create_venv

    planned = project_environment(workspace, settings, cache, console,
                                  active=options.active or None, dry_run=True)
    create_venv(isolated, planned.interpreter,
                VenvOptions(creator="puv", creator_version=__version__))
    interpreter = query_interpreter(venv_python(isolated), cache.bucket(Bucket.INTERPRETER))
    return ProjectEnvironment(isolated, interpreter, "created")


def _sync(workspace: Workspace, lock: Lock, environment: ProjectEnvironment,
          options: RunOptions, *, settings: Settings, cache: Cache, console: Console,
          record: bool) -> None:
    """Install what the lock selects for the run (`sync.py`; inexact unless `--exact`); with
    `record`, the sync records the freshness stamp under the run's selection key."""
    from puv.commands.project.sync import Selection, sync_project

    selection = Selection(
        extras=options.extras, all_extras=options.all_extras, no_extras=options.no_extras,
        groups=options.groups, no_groups=options.no_groups, only_groups=options.only_groups,
        all_groups=options.all_groups, no_default_groups=options.no_default_groups,
        no_dev=options.no_dev, only_dev=options.only_dev, package=options.package,
        all_packages=options.all_packages)
    sync_project(workspace, lock, environment, settings, cache, console, selection=selection,
                 exact=options.exact, editable=not options.no_editable,
                 reinstall=options.reinstall, reinstall_packages=options.reinstall_packages,
                 stamp_key=_selection_key(options, settings) if record else None)


def _layered(target: Target, requirements: ExtraRequirements, *, settings: Settings,
             cache: Cache, console: Console) -> Target:
    """`--with`: the cached layer, over the target's environment when it has one."""
    from puv.cache import Bucket
    from puv.commands.project.ephemeral import (
        cached_environment,
        overlay_environment,
        site_packages,
    )
    from puv.python.interpreter import query_interpreter

    interpreter = query_interpreter(target.python, cache.bucket(Bucket.INTERPRETER))
    layer = cached_environment(requirements, interpreter, kind="with", settings=settings,
                               cache=cache, console=console)
    if target.environment is None:
        return Target(layer, _venv_python(layer), [_bin(layer)], target.temporary)
    overlay = overlay_environment(
        [site_packages(layer, interpreter), site_packages(target.environment, interpreter)],
        interpreter, cache=cache, settings=settings)
    return Target(overlay, _venv_python(overlay),
                  [_bin(overlay), _bin(layer), *target.path], target.temporary)


# -- 4. the command -----------------------------------------------------------------------


def _which(name: str, path: str) -> str | None:
    """`shutil.which` without importing `shutil` (2 ms, docs/startup.md)."""
    if os.sep in name or (os.altsep and os.altsep in name):
        return name if os.path.exists(name) else None  # `exec` says why it cannot run
    suffixes = [""]
    if _WINDOWS:  # pragma: no cover - Windows
        suffixes += os.environ.get("PATHEXT", ".COM;.EXE;.BAT;.CMD").lower().split(";")
    for directory in path.split(os.pathsep):
        for suffix in suffixes:
            candidate = os.path.join(directory or ".", name + suffix)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
    return None


def command_line(options: RunOptions, python: str) -> list[str]:
    """The child's argv: `-m` and `*.py` files run with `python`; `python` is `python`."""
    command = list(options.command)
    if options.module:
        return [python, "-m", *command]
    first = command[0]
    if first == "python" or options.script or options.gui_script \
            or first.endswith((".py", ".pyw")):
        if first == "python":
            return [python, *command[1:]]
        return [python, *command]
    return command


def _available_commands(target: Target) -> list[str]:
    if target.environment is None:
        return []
    directory = _bin(target.environment)
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [name for name in names
            if not name.startswith(("activate", "deactivate", "."))
            and os.access(os.path.join(directory, name), os.X_OK)
            and os.path.isfile(os.path.join(directory, name))]


def _no_command(target: Target, console: Console) -> int:
    lines = ["Provide a command or script to invoke with `puv run <command>` or "
             "`puv run <script>.py`."]
    available = _available_commands(target)
    if available:
        lines += ["", "The following commands are available in the environment:", ""]
        lines += [f"- {name}" for name in available]
    lines += ["", "See `puv run --help` for more information."]
    console.result("\n".join(lines))
    return 2


def _spawn_error(name: str, exc: OSError) -> RunError:
    return RunError(f"Failed to spawn: {name}\n  cause: {exc.strerror} (os error {exc.errno})")


def _execute(argv: list[str], environ: dict[str, str], *, wait: bool) -> int:
    """Run `argv` (its program already found); `exec` unless `wait`."""
    program = argv[0] if os.path.isabs(argv[0]) else _which(argv[0], environ.get("PATH", ""))
    if program is None:
        raise RunError(f"Failed to spawn: {argv[0]}\n  cause: No such file or directory "
                       "(os error 2)")
    sys.stdout.flush()
    sys.stderr.flush()
    if not wait and not _WINDOWS:
        try:
            os.execve(program, argv, environ)
        except OSError as exc:
            raise _spawn_error(argv[0], exc) from None
    import signal
    import subprocess

    try:
        child = subprocess.Popen(argv, executable=program, env=environ)
    except OSError as exc:
        raise _spawn_error(argv[0], exc) from None
    # Ctrl-C reaches the child (same process group); we wait for it to decide.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        code = child.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return code if code >= 0 else 128 - code


def run(options: RunOptions, *, settings: Settings, cache: Cache, console: Console,
        project_dir: str) -> int:
    """`puv run` (see the module docstring); returns the command's exit status."""
    environ = _child_environ(options.env_files, console)
    metadata = _script_metadata(options)
    if metadata is not None:
        target = _script_target(metadata, settings=settings, cache=cache, console=console)
    elif options.no_project or not _has_project(project_dir):
        target = _interpreter_target(settings=settings, cache=cache, project_dir=project_dir)
    else:
        target = _project_target(options, settings=settings, cache=cache, console=console,
                                 project_dir=project_dir)
    try:
        if options.with_requirements:
            target = _layered(target, options.with_requirements, settings=settings,
                              cache=cache, console=console)
        if not options.command:
            return _no_command(target, console)
        if target.path:
            environ["PATH"] = os.pathsep.join([*target.path, environ.get("PATH", "")])
        if target.environment is not None:
            environ["VIRTUAL_ENV"] = target.environment
        environ.pop("PYTHONHOME", None)
        argv = command_line(options, target.python)
        wait = target.temporary is not None or cache.is_temporary
        return _execute(argv, environ, wait=wait)
    finally:
        if target.temporary is not None:
            from puv.fs import remove_tree

            remove_tree(target.temporary)
