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
from pathlib import Path

from puv.errors import VenvError
from puv.fs import remove_tree, temporary_name

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.python.interpreter import Interpreter

__all__ = ["VenvOptions", "create_venv", "is_virtualenv"]

_SCRIPTS = Path(__file__).parent / "scripts"
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


def _discard(staging: Path) -> None:
    try:
        remove_tree(staging)
    except OSError:
        pass


def is_virtualenv(path: Path) -> bool:
    return (path / "pyvenv.cfg").is_file()


def _check_target(path: Path, options: VenvOptions) -> bool:
    """Validate the target; return whether an existing environment must be replaced."""
    if path.is_symlink() and not path.exists():
        raise VenvError(f"Failed to create virtual environment at `{path}`: it is a broken "
                        "symbolic link")
    if not path.exists():
        return False
    if not path.is_dir():
        raise VenvError(
            f"Failed to create virtual environment at `{path}`: a file is in the way",
            hint="choose another path, or remove the file first",
        )
    if not any(path.iterdir()):
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


def create_venv(path: Path, interpreter: Interpreter, options: VenvOptions) -> Path:
    """Create a virtual environment at `path` for `interpreter` (a base interpreter)."""
    path = Path(os.path.abspath(path))
    if interpreter.version.major < 3 or interpreter.version.release[:2] < (3, 6):
        raise VenvError(
            f"Failed to create virtual environment: {interpreter.pretty_implementation} "
            f"{interpreter.version} at `{interpreter.path}` is not supported (Python 3.6 or "
            "newer is needed)",
            hint="choose another interpreter with `--python`, e.g. `--python 3.12`",
        )
    for value, what in ((str(path), "path"), (options.prompt or "", "prompt")):
        if "'" in value or "\n" in value or "\r" in value:
            raise VenvError(
                f"Failed to create virtual environment: the {what} `{value}` contains a quote "
                "or a line break, which the activation scripts cannot hold",
                hint=f"choose a {what} without `'` or line breaks",
            )
    replace = _check_target(path, options)
    if options.allow_existing and path.is_dir():
        _populate(path, path, interpreter, options)
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = temporary_name(path)
        os.mkdir(staging)
    except OSError as exc:
        raise VenvError(f"Failed to create virtual environment at `{path}`: "
                        f"{exc.strerror}") from None
    try:
        _populate(staging, path, interpreter, options)
        old = None
        if replace or (path.is_dir() and not any(path.iterdir())):
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


def _populate(root: Path, final: Path, interpreter: Interpreter, options: VenvOptions) -> None:
    """Write the environment's files into `root`, as if it lived at `final`."""
    base = interpreter.sys_path_executable()
    scheme = interpreter.venv_scheme
    bin_dir = root / scheme.get("scripts", "Scripts" if _WINDOWS else "bin")
    bin_dir.mkdir(parents=True, exist_ok=True)
    site_packages = root / scheme.get("purelib", "lib/site-packages")
    site_packages.mkdir(parents=True, exist_ok=True)
    platlib = root / scheme.get("platlib", scheme.get("purelib", ""))
    platlib.mkdir(parents=True, exist_ok=True)
    if not _WINDOWS and interpreter.pointer_size == 64 and not (root / "lib64").exists():
        os.symlink("lib", root / "lib64")
    _link_interpreter(bin_dir, base, interpreter)
    prompt = options.prompt
    _write_cfg(root, base, interpreter, options, prompt)
    _write_scripts(bin_dir, final, prompt, options)
    (root / ".gitignore").write_text("*", encoding="utf-8")
    (root / "CACHEDIR.TAG").write_text(
        "Signature: 8a477f597d28d172789f06886806bc55", encoding="utf-8"
    )


def _link_interpreter(bin_dir: Path, base: Path, interpreter: Interpreter) -> None:
    if _WINDOWS:  # pragma: no cover - exercised on Windows only
        import shutil

        for name in ("python.exe", "pythonw.exe"):
            source = base.parent / name
            if source.exists():
                shutil.copy2(source, bin_dir / name)
        return
    major = interpreter.version.major
    minor = interpreter.version.minor
    names = {"python": str(base), f"python{major}": "python",
             f"python{major}.{minor}": "python"}
    if interpreter.implementation == "pypy":
        names.update({"pypy": "python", f"pypy{major}": "python",
                      f"pypy{major}.{minor}": "python"})
    for name, target in names.items():
        link = bin_dir / name
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(target, link)


def _write_cfg(root: Path, base: Path, interpreter: Interpreter, options: VenvOptions,
               prompt: str | None) -> None:
    lines = [
        f"home = {base.parent}",
        f"implementation = {interpreter.pretty_implementation}",
        f"{options.creator} = {options.creator_version}",
        f"version_info = {interpreter.version}",
        f"include-system-site-packages = {str(options.system_site_packages).lower()}",
    ]
    if prompt is not None:
        lines.append(f"prompt = {prompt}")
    (root / "pyvenv.cfg").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_scripts(bin_dir: Path, final: Path, prompt: str | None,
                   options: VenvOptions) -> None:
    if not _SCRIPTS.is_dir():  # pragma: no cover - a broken installation of puv
        raise VenvError(f"puv is incompletely installed: `{_SCRIPTS}` is missing")
    values = {
        "__VIRTUAL_ENV__": str(final),
        "__VIRTUAL_PROMPT__": prompt or "",
        "__BIN_NAME__": bin_dir.name,
        "__PATH_SEP__": os.pathsep,
    }
    for template in sorted(_SCRIPTS.iterdir()):
        if not template.name.startswith(("activate", "deactivate")):
            continue
        # Read and write without newline translation: the `.bat` templates use CRLF.
        with open(template, encoding="utf-8", newline="") as handle:
            text = handle.read()
        for key, value in values.items():
            text = text.replace(key, value)
        with open(bin_dir / template.name, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
