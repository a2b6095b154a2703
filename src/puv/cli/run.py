"""`puv run [OPTIONS] [COMMAND]...`: options, and the call into `puv.commands.project.run`.

Everything from the command on is the command's own (`nargs=REMAINDER`): `puv run python -c
'...' -x --flag` passes `-x --flag` through, and `run`'s options must come before the command,
as in uv. This module is on `puv run`'s hot path: it imports only `argparse` and the parser
helpers at the top; the command layer is imported in `run`.
"""

from __future__ import annotations

import argparse
import os

from puv.cli.parser import _group, option
from puv.cli.project_options import add_group_options, commas

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.cli.context import Context

__all__ = ["configure", "run"]


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    from puv.cli.project_options import add_resolver_options

    parser.add_argument("command", nargs=argparse.REMAINDER, metavar="COMMAND",
                        help="The command or script to run, and its arguments")
    option(parser, "--extra", metavar="EXTRA", action="append", default=None,
           help="Include optional dependencies from the specified extra name")
    option(parser, "--all-extras", action="store_true", default=False,
           help="Include all optional dependencies")
    option(parser, "--no-extra", metavar="NO_EXTRA", action="append", default=None,
           help="Exclude the specified optional dependencies, if `--all-extras` is supplied")
    option(parser, "--no-dev", action="store_true", default=False, env="UV_NO_DEV",
           help="Disable the development dependency group")
    option(parser, "--only-dev", action="store_true", default=False,
           help="Only include the development dependency group")
    add_group_options(parser)
    option(parser, "-m", "--module", action="store_true", default=False,
           help="Run a Python module")
    option(parser, "--no-editable", action="store_true", default=False, env="UV_NO_EDITABLE",
           help="Install any editable dependencies, including the project and any workspace "
           "members, as non-editable")
    option(parser, "--exact", action="store_true", default=False,
           help="Perform an exact sync, removing extraneous packages")
    option(parser, "--env-file", metavar="ENV_FILE", action="append", default=None,
           env="UV_ENV_FILE", help="Load environment variables from a `.env` file")
    option(parser, "--no-env-file", action="store_true", default=False, env="UV_NO_ENV_FILE",
           help="Avoid reading environment variables from a `.env` file")
    option(parser, "-w", "--with", dest="with_", metavar="WITH", action="append", default=None,
           help="Run with the given packages installed")
    option(parser, "--with-editable", metavar="WITH_EDITABLE", action="append", default=None,
           help="Run with the given packages installed in editable mode")
    option(parser, "--with-requirements", metavar="WITH_REQUIREMENTS", action="append",
           default=None, help="Run with the packages listed in the given files")
    option(parser, "--isolated", action="store_true", default=False, env="UV_ISOLATED",
           help="Run the command in an isolated virtual environment")
    option(parser, "--active", action="store_true", default=False,
           help="Prefer the active virtual environment over the project's virtual environment")
    option(parser, "--no-sync", action="store_true", default=False, env="UV_NO_SYNC",
           help="Avoid syncing the virtual environment")
    option(parser, "--locked", action="store_true", default=False, env="UV_LOCKED",
           help="Assert that the `uv.lock` will remain unchanged")
    option(parser, "--frozen", action="store_true", default=False, env="UV_FROZEN",
           help="Run without updating the `uv.lock` file")
    option(parser, "-s", "--script", action="store_true", default=False,
           help="Run the given path as a Python script")
    option(parser, "--gui-script", action="store_true", default=False,
           help="Run the given path as a Python GUI script")
    option(parser, "--all-packages", action="store_true", default=False,
           help="Run the command with all workspace members installed")
    option(parser, "--package", metavar="PACKAGE", default=None,
           help="Run the command in a specific package in the workspace")
    option(parser, "--no-project", dest="no_project", action="store_true",
           default=False, env="UV_NO_PROJECT",
           help="Avoid discovering the project or workspace")
    add_resolver_options(parser)
    installer = _group(parser, "Installer options")
    option(installer, "--reinstall", action="store_true", default=False,
           help="Reinstall all packages, regardless of whether they're already installed. "
           "Implies `--refresh`")
    option(installer, "--reinstall-package", metavar="REINSTALL_PACKAGE", action="append",
           default=None, help="Reinstall a specific package, regardless of whether it's "
           "already installed. Implies `--refresh-package`")
    option(installer, "--link-mode", metavar="LINK_MODE", env="UV_LINK_MODE", default=None,
           choices=("clone", "copy", "hardlink", "symlink"),
           help="The method to use when installing packages from the global cache")
    option(installer, "--compile-bytecode", action="store_true", default=False,
           env="UV_COMPILE_BYTECODE",
           help="Compile Python files to bytecode after installation")
    python = parser.add_argument_group("Python options")
    option(python, "-p", "--python", metavar="PYTHON", default=None, env="UV_PYTHON",
           help="The Python interpreter to use for the run environment.")


def _flag(args: argparse.Namespace, name: str, variable: str) -> bool:
    """A flag given on the command line or by its `UV_*` variable."""
    if getattr(args, name):
        return True
    value = os.environ.get(variable, "").strip().lower()
    return value in ("1", "true", "yes", "on", "y", "t")




def _env_files(args: argparse.Namespace) -> list[str]:
    if _flag(args, "no_env_file", "UV_NO_ENV_FILE"):
        return []
    if args.env_file:
        return list(args.env_file)
    return os.environ.get("UV_ENV_FILE", "").split()


def _conflicts(args: argparse.Namespace) -> None:
    from puv.errors import UsageError

    pairs = (("--locked", args.locked, "--frozen", args.frozen),
             ("--all-packages", args.all_packages, "--package <PACKAGE>", args.package),
             ("--module", args.module, "--script", args.script),
             ("--no-project", args.no_project, "--package <PACKAGE>", args.package))
    for first, one, second, other in pairs:
        if one and other:
            raise UsageError(f"the argument '{first}' cannot be used with '{second}'")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from puv.cli.project_options import resolver_cli_settings
    from puv.commands.project.run import RunOptions
    from puv.commands.project.run import run as run_command

    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    _conflicts(args)
    extra = resolver_cli_settings(args)
    extra["link_mode"] = args.link_mode
    if args.compile_bytecode:
        extra["compile_bytecode"] = True
    if args.python:
        extra["python"] = args.python
    ctx.extra_cli.update(extra)
    settings = ctx.settings
    with_requirements = None
    if args.with_ or args.with_editable or args.with_requirements:
        from puv.commands.project.ephemeral import ExtraRequirements

        with_requirements = ExtraRequirements(commas(args.with_),
                                              commas(args.with_editable),
                                              list(args.with_requirements or ()))
    force = bool(settings.upgrade or settings.upgrade_package or settings.refresh
                 or settings.refresh_packages)
    # A flag on the command line wins over the other's variable (as in `puv sync`).
    frozen = args.frozen or (_flag(args, "frozen", "UV_FROZEN") and not args.locked)
    locked = args.locked or (_flag(args, "locked", "UV_LOCKED") and not frozen)
    options = RunOptions(
        command,
        with_requirements=with_requirements,
        module=args.module,
        script=args.script,
        gui_script=args.gui_script,
        env_files=_env_files(args),
        no_project=_flag(args, "no_project", "UV_NO_PROJECT"),
        isolated=_flag(args, "isolated", "UV_ISOLATED"),
        active=args.active,
        no_sync=_flag(args, "no_sync", "UV_NO_SYNC"),
        locked=locked,
        frozen=frozen,
        exact=args.exact,
        package=args.package,
        all_packages=args.all_packages,
        extras=commas(args.extra),
        all_extras=args.all_extras,
        no_extras=commas(args.no_extra),
        groups=commas(args.group),
        no_groups=commas(args.no_group) or os.environ.get("UV_NO_GROUP", "").split(),
        only_groups=commas(args.only_group),
        all_groups=args.all_groups,
        no_default_groups=_flag(args, "no_default_groups", "UV_NO_DEFAULT_GROUPS"),
        no_dev=_flag(args, "no_dev", "UV_NO_DEV"),
        only_dev=args.only_dev,
        no_editable=_flag(args, "no_editable", "UV_NO_EDITABLE"),
        reinstall=args.reinstall,
        reinstall_packages=list(args.reinstall_package or ()),
        force_sync=force,
    )
    return run_command(options, settings=settings, cache=ctx.cache, console=ctx.printer,
                       project_dir=ctx.project_dir)
