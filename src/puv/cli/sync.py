"""`puv sync`: options (uv's names, help texts and conflicts), and the call into
`puv.commands.project.sync`.

Index, resolver and build options are the project commands' (`cli/project_options.py`); they
reach the settings through `ctx.extra_cli`. Flags that uv also reads from a `UV_*` variable
(`UV_NO_DEV`, `UV_FROZEN`...) are read here when the flag is absent. Pairs uv lets override
each other (`--dev` / `--no-dev`, `--exact` / `--inexact`, `--active` / `--no-active`): the
last one on the line wins.
"""

from __future__ import annotations

import argparse
import os

from puv.cli.parser import _group, option
from puv.cli.project_options import add_group_options, commas, env_flag, lock_step

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Sequence

    from puv.cli.context import Context
    from puv.commands.project.sync import Selection

__all__ = ["add_selection_options", "configure", "run", "selection_from_args"]

SUPPRESS = argparse.SUPPRESS


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    """The extras and dependency-group options of `puv sync` (uv's order and help)."""
    option(parser, "--extra", metavar="EXTRA", action="append", default=None,
           help="Include optional dependencies from the specified extra name")
    option(parser, "--all-extras", dest="all_extras", action="store_true", default=None,
           help="Include all optional dependencies")
    option(parser, "--no-extra", metavar="NO_EXTRA", action="append", default=None,
           help="Exclude the specified optional dependencies, if `--all-extras` is supplied")
    option(parser, "--no-all-extras", dest="all_extras", action="store_false", default=None,
           help=SUPPRESS)
    option(parser, "--dev", dest="dev", action="store_const", const="include", default=None,
           help=SUPPRESS)
    option(parser, "--no-dev", dest="dev", action="store_const", const="exclude",
           default=None, env="UV_NO_DEV", help="Disable the development dependency group")
    option(parser, "--only-dev", action="store_true", default=False,
           help="Only include the development dependency group")
    add_group_options(parser)


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    from puv.cli.project_options import add_resolver_options
    from puv.commands.pip.target import PLATFORMS, platform_choice

    add_selection_options(parser)
    option(parser, "--output-format", metavar="OUTPUT_FORMAT", choices=("text", "json"),
           default="text", help="Select the output format")
    option(parser, "--editable", dest="no_editable", action="store_false", default=None,
           help=SUPPRESS)
    option(parser, "--no-editable", dest="no_editable", action="store_true", default=None,
           env="UV_NO_EDITABLE", help="Install any editable dependencies, including the "
           "project and any workspace members, as non-editable")
    option(parser, "--inexact", "--no-exact", dest="inexact", action="store_true",
           default=False, help="Do not remove extraneous packages present in the environment")
    option(parser, "--exact", dest="inexact", action="store_false", help=SUPPRESS)
    option(parser, "--active", dest="active", action="store_true", default=None,
           help="Sync dependencies to the active virtual environment")
    option(parser, "--no-active", dest="active", action="store_false", default=None,
           help=SUPPRESS)
    option(parser, "--no-install-project", action="store_true", default=False,
           env="UV_NO_INSTALL_PROJECT", help="Do not install the current project")
    option(parser, "--no-install-workspace", action="store_true", default=False,
           env="UV_NO_INSTALL_WORKSPACE", help="Do not install any workspace members, "
           "including the root project")
    option(parser, "--no-install-local", action="store_true", default=False,
           env="UV_NO_INSTALL_LOCAL", help="Do not install local path dependencies")
    option(parser, "--no-install-package", metavar="NO_INSTALL_PACKAGE", action="append",
           default=None, help="Do not install the given package(s)")
    option(parser, "--locked", action="store_true", default=False, env="UV_LOCKED",
           help="Assert that the `uv.lock` will remain unchanged")
    option(parser, "--frozen", action="store_true", default=False, env="UV_FROZEN",
           help="Sync without updating the `uv.lock` file")
    option(parser, "--dry-run", action="store_true", default=False,
           help="Perform a dry run, without writing the lockfile or modifying the project "
           "environment")
    option(parser, "--all-packages", action="store_true", default=False,
           help="Sync all packages in the workspace")
    option(parser, "--package", metavar="PACKAGE", action="append", default=None,
           help="Sync for specific packages in the workspace")
    option(parser, "--script", metavar="SCRIPT", default=None,
           help="Sync the environment for a Python script, rather than the current project")
    option(parser, "--python-platform", metavar="PYTHON_PLATFORM", type=platform_choice,
           choices=tuple(PLATFORMS), default=None,
           help="The platform for which requirements should be installed")
    option(parser, "--check", dest="check", action="store_true", default=False,
           help="Check if the Python environment is synchronized with the project")
    option(parser, "--no-check", dest="check", action="store_false", help=SUPPRESS)
    add_resolver_options(parser)
    installer = _group(parser, "Installer options")
    python = _group(parser, "Python options")
    option(installer, "--reinstall", action="store_true", default=False,
           help="Reinstall all packages, regardless of whether they're already installed. "
           "Implies `--refresh`")
    option(installer, "--reinstall-package", metavar="REINSTALL_PACKAGE", action="append",
           default=None, help="Reinstall a specific package, regardless of whether it's "
           "already installed. Implies `--refresh-package`")
    option(installer, "--link-mode", metavar="LINK_MODE", env="UV_LINK_MODE", default=None,
           choices=("clone", "copy", "hardlink", "symlink"),
           help="The method to use when installing packages from the global cache")
    option(installer, "--compile-bytecode", "--compile", dest="compile_bytecode",
           action="store_true", default=None, env="UV_COMPILE_BYTECODE",
           help="Compile Python files to bytecode after installation")
    option(installer, "--no-compile-bytecode", dest="compile_bytecode", action="store_false",
           default=None, help=SUPPRESS)
    option(python, "-p", "--python", metavar="PYTHON", default=None, env="UV_PYTHON",
           help="The Python interpreter to use for the project environment.")


# -- running -------------------------------------------------------------------------------




def _position(argv: Sequence[str], flag: str) -> int:
    """Where `flag` first appears on the command line (`--flag` or `--flag=value`)."""
    for index, token in enumerate(argv):
        if token == flag or token.startswith(flag + "="):
            return index
    return len(argv)


_CONFLICTS = (
    ("--extra <EXTRA>", "--all-extras"),
    ("--extra <EXTRA>", "--only-group <ONLY_GROUP>"),
    ("--all-extras", "--only-group <ONLY_GROUP>"),
    ("--only-dev", "--group <GROUP>"),
    ("--only-dev", "--all-groups"),
    ("--only-dev", "--no-dev"),
    ("--only-group <ONLY_GROUP>", "--group <GROUP>"),
    ("--only-group <ONLY_GROUP>", "--dev"),
    ("--only-group <ONLY_GROUP>", "--all-groups"),
    ("--locked", "--frozen"),
    ("--locked", "--upgrade"),
    ("--frozen", "--upgrade"),
    ("--frozen", "--no-sources"),
    ("--all-packages", "--package <PACKAGE>"),
    ("--script <SCRIPT>", "--package <PACKAGE>"),
    ("--script <SCRIPT>", "--all-packages"),
)


def _given(args: argparse.Namespace) -> dict[str, bool]:
    """Which conflicting options were given on the command line."""
    return {
        "--extra <EXTRA>": bool(args.extra),
        "--all-extras": bool(args.all_extras),
        "--only-group <ONLY_GROUP>": bool(args.only_group),
        "--only-dev": bool(args.only_dev),
        "--group <GROUP>": bool(args.group),
        "--all-groups": bool(args.all_groups),
        "--no-dev": args.dev == "exclude",
        "--dev": args.dev == "include",
        "--locked": bool(args.locked),
        "--frozen": bool(args.frozen),
        "--upgrade": bool(args.upgrade),
        "--no-sources": bool(getattr(args, "no_sources", False)),
        "--all-packages": bool(args.all_packages),
        "--package <PACKAGE>": bool(args.package),
        "--script <SCRIPT>": args.script is not None,
    }


def check_conflicts(args: argparse.Namespace, argv: Sequence[str]) -> None:
    """clap's conflict errors, naming first the option given first."""
    from puv.errors import UsageError

    given = _given(args)
    for first, second in _CONFLICTS:
        if given[first] and given[second]:
            a, b = sorted((first, second),
                          key=lambda flag: _position(argv, flag.split(" ")[0]))
            raise UsageError(f"the argument '{a}' cannot be used with '{b}'")


def selection_from_args(args: argparse.Namespace) -> Selection:
    """The `Selection` (`puv.commands.project.sync`) the extras and group options ask for,
    with `UV_NO_DEV`, `UV_NO_GROUP` and `UV_NO_DEFAULT_GROUPS` when the flags are absent."""
    from puv.commands.project.sync import Selection

    dev = args.dev or ("exclude" if env_flag("UV_NO_DEV") else None)
    no_groups = commas(args.no_group) or os.environ.get("UV_NO_GROUP", "").split()
    return Selection(
        extras=commas(args.extra), all_extras=bool(args.all_extras),
        no_extras=commas(args.no_extra), groups=commas(args.group), no_groups=no_groups,
        only_groups=commas(args.only_group), all_groups=args.all_groups,
        no_default_groups=args.no_default_groups or env_flag("UV_NO_DEFAULT_GROUPS"),
        dev=dev == "include" and not args.only_dev, no_dev=dev == "exclude" and
        not args.only_dev, only_dev=args.only_dev,
        packages=tuple(args.package or ()), all_packages=args.all_packages)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from puv.cli.project_options import resolver_cli_settings
    from puv.errors import UsageError

    check_conflicts(args, ctx.argv)
    if args.script is not None:
        raise UsageError("`puv sync --script` is not supported yet")
    if args.output_format == "json":
        raise UsageError("`puv sync --output-format json` is not supported yet")
    if args.reinstall:  # as in uv, `--reinstall` implies `--refresh` (local trees rebuilt)
        args.refresh = True
    if args.reinstall_package:
        args.refresh_package = [*(args.refresh_package or ()), *args.reinstall_package]
    extra = resolver_cli_settings(args)
    extra["link_mode"] = args.link_mode
    if args.compile_bytecode is not None:
        extra["compile_bytecode"] = args.compile_bytecode
    if args.python:
        extra["python"] = args.python
    ctx.extra_cli.update(extra)
    settings = ctx.settings
    selection = selection_from_args(args)
    step, source = ("locked", "`--check`") if args.check else lock_step(args)
    no_editable = args.no_editable if args.no_editable is not None else \
        env_flag("UV_NO_EDITABLE")
    from puv.commands.project import freshness

    key = freshness.selection_key(
        settings, extras=selection.extras, all_extras=selection.all_extras,
        no_extras=selection.no_extras, groups=selection.groups,
        no_groups=selection.no_groups, only_groups=selection.only_groups,
        all_groups=selection.all_groups,
        no_default_groups=selection.no_default_groups, dev=selection.dev,
        no_dev=selection.no_dev, only_dev=selection.only_dev,
        no_editable=no_editable, packages=args.package or (),
        all_packages=args.all_packages, frozen=step == "frozen")
    no_install_project = args.no_install_project or env_flag("UV_NO_INSTALL_PROJECT")
    no_install_workspace = args.no_install_workspace or env_flag("UV_NO_INSTALL_WORKSPACE")
    no_install_local = args.no_install_local or env_flag("UV_NO_INSTALL_LOCAL")
    # A sync that leaves packages out, or installs for another platform, is not what a
    # plain sync (or `puv run`) would find: it neither answers from nor writes the stamp.
    partial = bool(no_install_project or no_install_workspace or no_install_local
                   or args.no_install_package or args.python_platform)
    if not partial and _may_skip(args) and _unchanged(ctx, key, exact=not args.inexact,
                                                      active=args.active):
        return 0
    from packaging.utils import canonicalize_name

    from puv.commands.project.sync import sync
    from puv.lock.select import InstallFilter

    install = InstallFilter(
        no_install_project=no_install_project, no_install_workspace=no_install_workspace,
        no_install_local=no_install_local,
        no_install_packages=frozenset(str(canonicalize_name(n))
                                      for n in args.no_install_package or ()))
    return sync(
        project_dir=ctx.project_dir,
        selection=selection,
        lock_step=step,
        lock_source=source,
        check=args.check,
        dry_run=args.dry_run,
        active=args.active,
        exact=not args.inexact,
        editable=not no_editable,
        install=install,
        reinstall=args.reinstall,
        reinstall_packages=tuple(args.reinstall_package or ()),
        python_platform=args.python_platform,
        stamp_key=None if partial else key,
        settings=settings,
        cache=ctx.cache,
        console=ctx.printer,
    )


def _may_skip(args: argparse.Namespace) -> bool:
    """Whether a no-op sync may be answered from the freshness stamp: not when the flags ask
    for work or a report the stamp cannot give."""
    return not (args.check or args.dry_run or args.reinstall or args.reinstall_package
                or getattr(args, "refresh", False) or getattr(args, "refresh_package", None)
                or args.upgrade or args.upgrade_package)


def _unchanged(ctx: Context, key: str, *, exact: bool, active: bool | None) -> bool:
    """A sync whose inputs did not change since the last one (`freshness`): print uv's two
    lines from the stamp, without reading the lock or the environment (as `puv run` does)."""
    import time

    from puv.commands.project.freshness import fresh_environment, recorded_summary

    started = time.perf_counter()
    environment = fresh_environment(ctx.project_dir, key, exact=exact, active=bool(active))
    summary = recorded_summary(environment) if environment is not None else None
    if summary is None:
        return False
    from puv.commands.pip.requirements import elapsed, packages_text

    locked, checked = summary
    ctx.printer.status(f"Resolved {packages_text(locked)} in "
                       f"{elapsed(time.perf_counter() - started)}")
    ctx.printer.status(f"Checked {packages_text(checked)} in "
                       f"{elapsed(time.perf_counter() - started)}")
    return True
