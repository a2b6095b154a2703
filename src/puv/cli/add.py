"""`puv add` and `puv remove`: options, and the calls into `puv.commands.project.add` /
`puv.commands.project.remove`."""

from __future__ import annotations

import argparse

from puv.cli.parser import _group, option

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.cli.context import Context

__all__ = ["configure", "run"]

SUPPRESS = argparse.SUPPRESS
_BOUNDS = ("lower", "major", "minor", "exact")


def _target_options(parser: argparse.ArgumentParser, verb: str) -> None:
    """`--dev`, `--optional`, `--group` (where the requirements go, or come from)."""
    table = "to" if verb == "Add" else "from"
    option(parser, "--dev", action="store_true", default=False, env="UV_DEV",
           help=f"{verb} the {'requirements' if verb == 'Add' else 'packages'} {table} the "
           "development dependency group")
    option(parser, "--optional", metavar="OPTIONAL",
           help=f"{verb} the {'requirements' if verb == 'Add' else 'packages'} {table} the "
           f"{'package' if verb == 'Add' else 'project'}'s optional dependencies for the "
           "specified extra")
    option(parser, "--group", metavar="GROUP",
           help=f"{verb} the {'requirements' if verb == 'Add' else 'packages'} {table} the "
           "specified dependency group")


def _sync_options(parser: argparse.ArgumentParser, verb: str) -> None:
    option(parser, "--no-sync", action="store_true", default=False, env="UV_NO_SYNC",
           help="Avoid syncing the virtual environment" + (
               "" if verb == "Add" else " after re-locking the project"))
    option(parser, "--active", action="store_true", default=None,
           help="Prefer the active virtual environment over the project's virtual "
           "environment")
    option(parser, "--package", metavar="PACKAGE",
           help="Add the dependency to a specific package in the workspace" if verb == "Add"
           else "Remove the dependencies from a specific package in the workspace")


def _frozen_help(parser: argparse.ArgumentParser, verb: str) -> None:
    """uv's words for `--frozen` in `add` and `remove`."""
    for action in parser._actions:
        if "--frozen" in action.option_strings:
            action.help = f"{verb} dependencies without re-locking the project"


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    from puv.cli.project_options import add_lock_mode_options, add_resolver_options

    if name == "remove":
        parser.add_argument("packages", nargs="*", metavar="PACKAGES",
                            help="The names of the dependencies to remove (e.g., `ruff`)")
        _target_options(parser, "Remove")
        _sync_options(parser, "Remove")
        add_lock_mode_options(parser)
        _frozen_help(parser, "Remove")
        add_resolver_options(parser)
        python = _group(parser, "Python options")
        option(python, "-p", "--python", metavar="PYTHON", env="UV_PYTHON",
               help="The Python interpreter to use for resolving and syncing.")
        return
    parser.add_argument("packages", nargs="*", metavar="PACKAGES",
                        help="The packages to add, as PEP 508 requirements (e.g., "
                        "`ruff==0.5.0`)")
    option(parser, "-r", "--requirements", metavar="REQUIREMENTS", action="append",
           default=None, help="Add the packages listed in the given files")
    option(parser, "-m", "--marker", metavar="MARKER",
           help="Apply this marker to all added packages")
    _target_options(parser, "Add")
    option(parser, "--editable", action="store_true", default=None,
           help="Add the requirements as editable")
    option(parser, "--no-editable", dest="editable", action="store_false", help=SUPPRESS)
    option(parser, "--raw", "--raw-sources", dest="raw", action="store_true", default=False,
           help="Add a dependency as provided")
    option(parser, "--bounds", metavar="BOUNDS", choices=_BOUNDS,
           help="The kind of version specifier to use when adding dependencies")
    option(parser, "--rev", metavar="REV", help="Commit to use when adding a dependency from Git")
    option(parser, "--tag", metavar="TAG", help="Tag to use when adding a dependency from Git")
    option(parser, "--branch", metavar="BRANCH",
           help="Branch to use when adding a dependency from Git")
    option(parser, "--extra", metavar="EXTRA", action="append", default=None,
           help="Extras to enable for the dependency")
    _sync_options(parser, "Add")
    add_lock_mode_options(parser)
    _frozen_help(parser, "Add")
    option(parser, "--workspace", dest="workspace", action="store_true", default=None,
           help="Add the dependency as a workspace member")
    option(parser, "--no-workspace", dest="workspace", action="store_false",
           help="Don't add the dependency as a workspace member")
    option(parser, "--no-install-project", action="store_true", default=False,
           env="UV_NO_INSTALL_PROJECT", help="Do not install the current project")
    option(parser, "--no-install-workspace", action="store_true", default=False,
           env="UV_NO_INSTALL_WORKSPACE",
           help="Do not install any workspace members, including the current project")
    option(parser, "--no-install-local", action="store_true", default=False,
           env="UV_NO_INSTALL_LOCAL", help="Do not install local path dependencies")
    option(parser, "--no-install-package", metavar="NO_INSTALL_PACKAGE", action="append",
           default=None, help="Do not install the given package(s)")
    add_resolver_options(parser)
    python = _group(parser, "Python options")
    option(python, "-p", "--python", metavar="PYTHON", env="UV_PYTHON",
           help="The Python interpreter to use for resolving and syncing.")


def _conflicts(args: argparse.Namespace, pairs: list[tuple[str, str, str, str]]) -> None:
    from puv.errors import UsageError

    for first, second, first_text, second_text in pairs:
        if getattr(args, first, None) not in (None, False) and \
                getattr(args, second, None) not in (None, False):
            raise UsageError(f"the argument '{first_text}' cannot be used with "
                             f"'{second_text}'")


_TARGET_CONFLICTS = [
    ("dev", "optional", "--dev", "--optional <OPTIONAL>"),
    ("dev", "group", "--dev", "--group <GROUP>"),
    ("optional", "group", "--optional <OPTIONAL>", "--group <GROUP>"),
    ("frozen", "locked", "--frozen", "--locked"),
]


def _flag(given: bool, variable: str) -> bool:
    """A flag given on the command line or by its `UV_*` variable (not all of which
    `settings.env` declares yet, hence `os.environ`)."""
    import os

    return given or os.environ.get(variable, "").strip().lower() in ("1", "true", "yes", "on",
                                                                      "y", "t")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from puv.cli.project_options import resolver_cli_settings
    from puv.errors import UsageError
    from puv.settings import env

    _conflicts(args, _TARGET_CONFLICTS[:4])
    frozen = _flag(args.frozen, "UV_FROZEN")
    locked = _flag(args.locked, "UV_LOCKED")
    no_sync = _flag(args.no_sync, "UV_NO_SYNC")
    dev = _flag(args.dev, "UV_DEV")
    ctx.extra_cli.update(resolver_cli_settings(args))
    if args.python:
        ctx.extra_cli["python"] = args.python
    if args._command == "remove":
        if not args.packages:
            raise UsageError("the following required arguments were not provided:\n"
                             "  <PACKAGES>...")
        from puv.commands.project.remove import RemoveRequest, remove

        request = RemoveRequest(
            packages=tuple(args.packages), dev=dev, group=args.group, optional=args.optional,
            package=args.package, frozen=frozen, locked=locked, no_sync=no_sync,
            active=args.active)
        return remove(request, project_dir=ctx.project_dir, settings=ctx.settings,
                      cache=ctx.cache, console=ctx.printer)
    _conflicts(args, [("frozen", "no_sources", "--frozen", "--no-sources"),
                      ("rev", "tag", "--rev <REV>", "--tag <TAG>"),
                      ("rev", "branch", "--rev <REV>", "--branch <BRANCH>"),
                      ("tag", "branch", "--tag <TAG>", "--branch <BRANCH>")])
    if not args.packages and not args.requirements:
        raise UsageError("the following required arguments were not provided:\n"
                         "  <PACKAGES|--requirements <REQUIREMENTS>>")
    from puv.commands.project.add import AddRequest, IndexArgument, add

    indexes = [IndexArgument.parse(text) for text in args.index or ()]
    indexes += [IndexArgument.parse(text) for text in env.words("UV_INDEX")]
    default_index = args.default_index or env.string("UV_DEFAULT_INDEX")
    if default_index:
        indexes.append(IndexArgument.parse(default_index, default=True))
    if args.index_url or env.string("UV_INDEX_URL"):
        ctx.printer.warning("Indexes specified via `--index-url` will not be persisted to the "
                            "`pyproject.toml` file; use `--default-index` instead.")
    if args.extra_index_url or env.words("UV_EXTRA_INDEX_URL"):
        ctx.printer.warning("Indexes specified via `--extra-index-url` will not be persisted "
                            "to the `pyproject.toml` file; use `--index` instead.")
    add_request = AddRequest(
        packages=tuple(args.packages), requirement_files=tuple(args.requirements or ()),
        dev=dev, group=args.group, optional=args.optional, editable=args.editable,
        raw=args.raw, bounds=args.bounds, marker=args.marker,
        extras=tuple(args.extra or ()), rev=args.rev, tag=args.tag, branch=args.branch,
        indexes=tuple(indexes), package=args.package, workspace=args.workspace,
        frozen=frozen, locked=locked, no_sync=no_sync, python=args.python,
        sync_options={
            "no_install_project": args.no_install_project,
            "no_install_workspace": args.no_install_workspace,
            "no_install_local": args.no_install_local,
            "no_install_package": tuple(args.no_install_package or ()),
            "active": args.active,
        })
    return add(add_request, project_dir=ctx.project_dir, settings=ctx.settings,
               cache=ctx.cache, console=ctx.printer)
