"""`puv venv`: find an interpreter, then create the environment."""

from __future__ import annotations

import os

from puv import __version__
from puv.cache import Cache
from puv.commands.python_select import select_interpreter, select_request
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
    selection = select_request(python or settings.python, project_dir=project_dir,
                               project=project)
    interpreter = select_interpreter(selection, settings=settings, cache=cache,
                                     project_dir=project_dir, system=True)
    console.status(f"Using {interpreter.pretty_implementation} {interpreter.version} "
                   f"interpreter at: {console.style(interpreter.sys_path_executable(), 'cyan')}")
    shown = _display(os.path.abspath(target), cwd)
    what = "with seed packages " if seed else ""
    console.status(f"Creating virtual environment {what}at: {console.style(shown, 'cyan')}")
    options = VenvOptions(prompt=prompt, system_site_packages=system_site_packages,
                          clear=clear, allow_existing=allow_existing, force=force,
                          creator="puv", creator_version=__version__)
    created = create_venv(target, interpreter, options)
    if seed:
        try:
            _seed(created, settings=settings, cache=cache, console=console)
        except BaseException:
            from puv.fs import remove_tree

            if not allow_existing:
                remove_tree(created)  # no half-seeded environment is left behind
            raise
    console.status(f"Activate with: {console.style(_activation_hint(shown), 'green')}")
    return 0


def _seed(root: str, *, settings: Settings, cache: Cache, console: Console) -> None:
    """`--seed`: install pip (and, before Python 3.12, setuptools and wheel) from the index,
    through the installer, as uv does."""
    from puv.cache import Bucket
    from puv.commands.pip.requirements import make_registry, to_wanted
    from puv.commands.pip.sync import report_changes
    from puv.core.requirements_txt import RequirementsFile, parse_requirements_text
    from puv.fs import FileLock
    from puv.installer.install import apply_plan
    from puv.installer.inventory import Inventory
    from puv.installer.layout import Layout
    from puv.installer.planner import plan_install
    from puv.installer.preparer import Preparer
    from puv.python.discovery import venv_python
    from puv.python.interpreter import query_interpreter

    interpreter = query_interpreter(venv_python(root), cache.bucket(Bucket.INTERPRETER))
    seeds = "pip\n" if interpreter.version.release[:2] >= (3, 12) else \
        "pip\nsetuptools\nwheel\n"
    reqs = parse_requirements_text(seeds, "<seed packages>")
    registry = make_registry(settings, cache, RequirementsFile())
    try:
        wanted = to_wanted(reqs, interpreter, lambda: registry, require_hashes=False,
                           verify_hashes=False)
        layout = Layout.for_interpreter(interpreter)
        with FileLock(layout.lock_path(), resource=root, timeout=settings.lock_timeout):
            plan = plan_install(wanted, Inventory.scan(layout.site_packages))
            wheels = Preparer(cache, lambda: registry).prepare(plan.install)
            apply_plan(plan, wheels, layout, link_mode=settings.link_mode,
                       warn=console.warning)
    finally:
        registry.close()
    report_changes(plan, console)
