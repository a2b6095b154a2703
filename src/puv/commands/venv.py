"""`puv venv`: find an interpreter, then create the environment."""

from __future__ import annotations

import os

from puv import __version__
from puv.cache import Cache
from puv.commands.python_select import select_interpreter, select_request
from puv.errors import VenvError
from puv.venv import VenvOptions, create_venv
from puv.workspace import find_project

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.settings import Settings
    from puv.types import Console

__all__ = ["venv"]


def _display(path: str, cwd: str) -> str:
    """`path` relative to `cwd` when it lies inside it (both absolute and normalized)."""
    if path == cwd:
        return "."
    inside = cwd if cwd.endswith(os.sep) else cwd + os.sep
    return path[len(inside):] if path.startswith(inside) else path


def _activation_hint(venv: str) -> str:
    from puv.settings import env

    shell = os.path.basename(env.string("SHELL") or "")
    if "fish" in shell:
        return f"source {venv}/bin/activate.fish"
    if shell in ("csh", "tcsh"):
        return f"source {venv}/bin/activate.csh"
    if shell == "nu":
        return f"overlay use {venv}/bin/activate.nu"
    if shell in ("pwsh", "powershell"):
        return f"{venv}/bin/activate.ps1"
    return f"source {venv}/bin/activate"


def venv(
    *,
    path: str | None,
    python: str | None,
    prompt: str | None,
    system_site_packages: bool,
    seed: bool,
    clear: bool,
    allow_existing: bool,
    force: bool,
    no_project: bool,
    settings: Settings,
    cache: Cache,
    console: Console,
    project_dir: str,
) -> int:
    cwd = os.getcwd()
    project = None if no_project else find_project(project_dir)
    if path is None:
        root = project.root if project is not None else cwd
        target = os.path.join(root, ".venv")
        if prompt is None:
            prompt = os.path.basename(root)
    else:
        target = os.path.join(cwd, os.path.expanduser(path))
    if prompt == ".":
        prompt = os.path.basename(cwd)
    if seed:
        raise VenvError(
            "`--seed` requires the installer, which puv does not have yet",
            hint="create the environment without `--seed`, then install pip into it with "
            "`.venv/bin/python -m ensurepip`",
        )
    selection = select_request(python or settings.python, project_dir=project_dir,
                               project=project)
    interpreter = select_interpreter(selection, settings=settings, cache=cache,
                                     project_dir=project_dir, system=True)
    console.status(f"Using {interpreter.pretty_implementation} {interpreter.version} "
                   f"interpreter at: {console.style(interpreter.sys_path_executable(), 'cyan')}")
    shown = _display(os.path.abspath(target), cwd)
    console.status(f"Creating virtual environment at: {console.style(shown, 'cyan')}")
    options = VenvOptions(prompt=prompt, system_site_packages=system_site_packages,
                          clear=clear, allow_existing=allow_existing, force=force,
                          creator="puv", creator_version=__version__)
    create_venv(target, interpreter, options)
    console.status(f"Activate with: {console.style(_activation_hint(shown), 'green')}")
    return 0
