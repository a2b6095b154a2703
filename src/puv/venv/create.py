"""Creating a virtual environment the way uv does, without spawning the interpreter.

Everything a venv needs is known from the (cached) introspection of the base interpreter: the
`pyvenv.cfg`, links to the interpreter, the `site-packages` directory of its install scheme,
and activation scripts rendered from the templates in `scripts/`. A new environment is built
in a temporary directory beside its target and renamed into place, so a failure or an
interruption never leaves half an environment behind.
"""

from __future__ import annotations

import os
import sys

from puv.errors import VenvError
from puv.fs import remove_tree, temporary_name

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from _typeshed import StrPath

    from puv.python.interpreter import Interpreter

__all__ = ["VenvOptions", "create_venv", "is_virtualenv"]

_SCRIPTS = os.path.join(os.path.dirname(__file__), "scripts")
_WINDOWS = sys.platform == "win32"


class VenvOptions:
    """How to create an environment (`puv venv`'s options)."""

    __slots__ = ("allow_existing", "clear", "creator", "creator_version", "force", "prompt",
                 "system_site_packages")

    def __init__(self, *, prompt: str | None = None, system_site_packages: bool = False,
                 clear: bool = False, allow_existing: bool = False, force: bool = False,
                 creator: str = "puv", creator_version: str = "") -> None:
        self.prompt = prompt
        self.system_site_packages = system_site_packages
        self.clear = clear
        self.allow_existing = allow_existing
        self.force = force  # with `clear`, also remove a directory that is not an environment
        self.creator = creator
        self.creator_version = creator_version


def _discard(staging: str) -> None:
    try:
        remove_tree(staging)
    except OSError:
        pass


def is_virtualenv(path: StrPath) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def _is_empty(directory: str) -> bool:
    with os.scandir(directory) as entries:
        return next(entries, None) is None


def _check_target(path: str, options: VenvOptions) -> bool:
    """Validate the target; return whether an existing environment must be replaced."""
    if os.path.islink(path) and not os.path.exists(path):
        raise VenvError(f"Failed to create virtual environment at `{path}`: it is a broken "
                        "symbolic link")
    if not os.path.exists(path):
        return False
    if not os.path.isdir(path):
        raise VenvError(
            f"Failed to create virtual environment at `{path}`: a file is in the way",
            hint="choose another path, or remove the file first",
        )
    if _is_empty(path):
        return False
    if options.allow_existing:
        return False
    if is_virtualenv(path):
        if options.clear:
            return True
        raise VenvError(
            f"Failed to create virtual environment: a virtual environment already exists at "
            f"`{path}`",
            hint="use the `--clear` flag or set `UV_VENV_CLEAR=1` to replace the existing "
            "virtual environment, or `--allow-existing` to keep its contents",
        )
    if options.clear and options.force:
        return True
    if options.clear:
        raise VenvError(
            f"Failed to create virtual environment: puv will not clear `{path}`, a directory "
            "that is not a virtual environment",
            hint="use the `--force` flag to remove the existing directory anyway",
        )
    raise VenvError(
        f"Failed to create virtual environment: a directory already exists at `{path}`",
        hint="use the `--clear` flag or set `UV_VENV_CLEAR=1` to replace the existing "
        "directory",
    )


def create_venv(path: StrPath, interpreter: Interpreter, options: VenvOptions) -> str:
    """Create a virtual environment at `path` for `interpreter` (a base interpreter); return
    its absolute path."""
    path = os.path.abspath(path)
    if interpreter.version.major < 3 or interpreter.version.release[:2] < (3, 6):
        raise VenvError(
            f"Failed to create virtual environment: {interpreter.pretty_implementation} "
            f"{interpreter.version} at `{interpreter.path}` is not supported (Python 3.6 or "
            "newer is needed)",
            hint="choose another interpreter with `--python`, e.g. `--python 3.12`",
        )
    for value, what in ((path, "path"), (options.prompt or "", "prompt")):
        if "'" in value or "\n" in value or "\r" in value:
            raise VenvError(
                f"Failed to create virtual environment: the {what} `{value}` contains a quote "
                "or a line break, which the activation scripts cannot hold",
                hint=f"choose a {what} without `'` or line breaks",
            )
    replace = _check_target(path, options)
    if options.allow_existing and os.path.isdir(path):
        _populate(path, path, interpreter, options)
        return path
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        staging = temporary_name(path)
        os.mkdir(staging)
    except OSError as exc:
        raise VenvError(f"Failed to create virtual environment at `{path}`: "
                        f"{exc.strerror}") from None
    try:
        _populate(staging, path, interpreter, options)
        old = None
        if replace or (os.path.isdir(path) and _is_empty(path)):
            # Move the old environment aside first, so there is never a moment without one
            # longer than two renames; delete it once the new one is in place.
            old = temporary_name(path)
            os.rename(path, old)
        try:
            os.rename(staging, path)
        except OSError:
            if old is not None:
                os.rename(old, path)
            raise
        if old is not None:
            remove_tree(old)
    except OSError as exc:
        _discard(staging)
        raise VenvError(f"Failed to create virtual environment at `{path}`: "
                        f"{exc.strerror or exc}") from None
    except BaseException:
        _discard(staging)
        raise
    return path


def _write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _populate(root: str, final: str, interpreter: Interpreter, options: VenvOptions) -> None:
    """Write the environment's files into `root`, as if it lived at `final`."""
    base = interpreter.sys_path_executable()
    scheme = interpreter.venv_scheme
    bin_dir = os.path.join(root, scheme.get("scripts", "Scripts" if _WINDOWS else "bin"))
    os.makedirs(bin_dir, exist_ok=True)
    os.makedirs(os.path.join(root, scheme.get("purelib", "lib/site-packages")), exist_ok=True)
    platlib = os.path.join(root, scheme.get("platlib", scheme.get("purelib", "")))
    os.makedirs(platlib, exist_ok=True)
    lib64 = os.path.join(root, "lib64")
    if not _WINDOWS and interpreter.pointer_size == 64 and not os.path.exists(lib64):
        os.symlink("lib", lib64)
    _link_interpreter(bin_dir, base, interpreter)
    prompt = options.prompt
    _write_cfg(root, base, interpreter, options, prompt)
    _write_scripts(bin_dir, final, prompt, options)
    _write_text(os.path.join(root, ".gitignore"), "*")
    _write_text(os.path.join(root, "CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55")


def _link_interpreter(bin_dir: str, base: str, interpreter: Interpreter) -> None:
    if _WINDOWS:  # pragma: no cover - exercised on Windows only
        import shutil

        for name in ("python.exe", "pythonw.exe"):
            source = os.path.join(os.path.dirname(base), name)
            if os.path.exists(source):
                shutil.copy2(source, os.path.join(bin_dir, name))
        return
    major = interpreter.version.major
    minor = interpreter.version.minor
    names = {"python": base, f"python{major}": "python",
             f"python{major}.{minor}": "python"}
    if interpreter.implementation == "pypy":
        names.update({"pypy": "python", f"pypy{major}": "python",
                      f"pypy{major}.{minor}": "python"})
    for name, target in names.items():
        link = os.path.join(bin_dir, name)
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(target, link)


def _write_cfg(root: str, base: str, interpreter: Interpreter, options: VenvOptions,
               prompt: str | None) -> None:
    lines = [
        f"home = {os.path.dirname(base)}",
        f"implementation = {interpreter.pretty_implementation}",
        f"{options.creator} = {options.creator_version}",
        f"version_info = {interpreter.version}",
        f"include-system-site-packages = {str(options.system_site_packages).lower()}",
    ]
    if prompt is not None:
        lines.append(f"prompt = {prompt}")
    _write_text(os.path.join(root, "pyvenv.cfg"), "\n".join(lines) + "\n")


def _write_scripts(bin_dir: str, final: str, prompt: str | None,
                   options: VenvOptions) -> None:
    if not os.path.isdir(_SCRIPTS):  # pragma: no cover - a broken installation of puv
        raise VenvError(f"puv is incompletely installed: `{_SCRIPTS}` is missing")
    values = {
        "__VIRTUAL_ENV__": final,
        "__VIRTUAL_PROMPT__": prompt or "",
        "__BIN_NAME__": os.path.basename(bin_dir),
        "__PATH_SEP__": os.pathsep,
    }
    for name in sorted(os.listdir(_SCRIPTS)):
        if not name.startswith(("activate", "deactivate")):
            continue
        # Read and write without newline translation: the `.bat` templates use CRLF.
        with open(os.path.join(_SCRIPTS, name), encoding="utf-8", newline="") as handle:
            text = handle.read()
        for key, value in values.items():
            text = text.replace(key, value)
        with open(os.path.join(bin_dir, name), "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
