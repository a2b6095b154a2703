"""`puv tree`: options (uv's names and help texts), clap's checks of their values and
conflicts, and printing what `puv.commands.project.tree` draws (to stdout, whatever `-q`
says, as uv prints it)."""

from __future__ import annotations

import argparse
import re

from puv.cli.parser import _group, option

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Sequence

    from puv.cli.context import Context
    from puv.lock._request import DevMode

SUPPRESS = argparse.SUPPRESS
_NAME = re.compile(r"^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$")


def _depth(value: str) -> int:
    try:
        depth = int(value, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid value '{value}' for '--depth <DEPTH>': invalid digit found in string"
        ) from None
    if not 0 <= depth <= 255:
        raise argparse.ArgumentTypeError(
            f"invalid value '{value}' for '--depth <DEPTH>': {depth} is not in 0..=255")
    return depth


def _name(flag: str) -> object:
    def parse(value: str) -> str:
        from packaging.utils import canonicalize_name

        if not _NAME.match(value):
            raise argparse.ArgumentTypeError(
                f"invalid value '{value}' for '{flag}': Not a valid package or extra name: "
                f'"{value}". Names must start and end with a letter or digit and may only '
                "contain -, _, ., and alphanumeric characters.")
        return str(canonicalize_name(value))

    return parse


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    from puv.cli.project_options import add_group_options, add_resolver_options
    from puv.commands.pip.target import PLATFORMS, platform_choice

    option(parser, "--universal", action="store_true", default=False,
           help="Show a platform-independent dependency tree")
    option(parser, "--format", metavar="FORMAT", default="text", choices=("text", "json"),
           help="The format in which to display the dependency graph [default: text]")
    option(parser, "-d", "--depth", metavar="DEPTH", type=_depth, default=255,
           help="Maximum display depth of the dependency tree [default: 255]")
    option(parser, "--prune", metavar="PRUNE", action="append", default=None,
           type=_name("--prune <PRUNE>"),
           help="Prune the given package from the display of the dependency tree")
    option(parser, "--package", metavar="PACKAGE", action="append", default=None,
           type=_name("--package <PACKAGE>"), help="Display only the specified packages")
    option(parser, "--no-dedupe", action="store_true", default=False,
           help="Do not de-duplicate repeated dependencies. Usually, when a package has "
           "already displayed its dependencies, further occurrences will not re-display its "
           "dependencies, and will include a (*) to indicate it has already been shown. This "
           "flag will cause those duplicates to be repeated")
    option(parser, "--invert", "--reverse", action="store_true", default=False,
           help="Show the reverse dependencies for the given package. This flag will invert "
           "the tree and display the packages that depend on the given package")
    option(parser, "--outdated", action="store_true", default=False,
           help="Show the latest available version of each package in the tree")
    option(parser, "--show-sizes", action="store_true", default=False,
           help="Show compressed wheel sizes for packages in the tree")
    option(parser, "--dev", dest="dev", action="store_const", const="include", default=None,
           help=SUPPRESS)
    option(parser, "--no-dev", dest="dev", action="store_const", const="exclude",
           default=None, env="UV_NO_DEV", help="Disable the development dependency group")
    option(parser, "--only-dev", action="store_true", default=False,
           help="Only include the development dependency group")
    add_group_options(parser)
    option(parser, "--locked", action="store_true", default=False, env="UV_LOCKED",
           help="Assert that the `uv.lock` will remain unchanged")
    option(parser, "--frozen", action="store_true", default=False, env="UV_FROZEN",
           help="Display the requirements without locking the project")
    option(parser, "--script", metavar="SCRIPT", default=None,
           help="Show the dependency tree the specified PEP 723 Python script, rather than "
           "the current project")
    option(parser, "--python-version", metavar="PYTHON_VERSION", default=None,
           help="The Python version to use when filtering the tree")
    option(parser, "--python-platform", metavar="PYTHON_PLATFORM", type=platform_choice,
           choices=tuple(PLATFORMS), default=None,
           help="The platform to use when filtering the tree")
    add_resolver_options(parser)
    python = _group(parser, "Python options")
    option(python, "-p", "--python", metavar="PYTHON", default=None, env="UV_PYTHON",
           help="The Python interpreter to use for locking and filtering.")


_CONFLICTS = (
    ("--only-dev", "--no-dev"),
    ("--only-dev", "--group <GROUP>"),
    ("--only-dev", "--all-groups"),
    ("--only-group <ONLY_GROUP>", "--group <GROUP>"),
    ("--only-group <ONLY_GROUP>", "--dev"),
    ("--all-groups", "--only-group <ONLY_GROUP>"),
    ("--frozen", "--locked"),
    ("--frozen", "--upgrade"),
    ("--locked", "--upgrade"),
    ("--universal", "--python-version <PYTHON_VERSION>"),
    ("--universal", "--python-platform <PYTHON_PLATFORM>"),
)


def _check_conflicts(args: argparse.Namespace, argv: Sequence[str]) -> None:
    """clap's conflict errors, naming first the option given first."""
    from puv.errors import UsageError

    given = {
        "--only-dev": args.only_dev, "--no-dev": args.dev == "exclude",
        "--dev": args.dev == "include", "--group <GROUP>": bool(args.group),
        "--all-groups": args.all_groups, "--only-group <ONLY_GROUP>": bool(args.only_group),
        "--frozen": args.frozen, "--locked": args.locked, "--upgrade": bool(args.upgrade),
        "--universal": args.universal,
        "--python-version <PYTHON_VERSION>": args.python_version is not None,
        "--python-platform <PYTHON_PLATFORM>": args.python_platform is not None,
    }

    def position(flag: str) -> int:
        bare = flag.split(" ")[0]
        return next((i for i, token in enumerate(argv)
                     if token == bare or token.startswith(bare + "=")), len(argv))

    for first, second in _CONFLICTS:
        if given[first] and given[second]:
            a, b = sorted((first, second), key=position)
            raise UsageError(f"the argument '{a}' cannot be used with '{b}'")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from puv.cli.project_options import commas, env_flag, lock_step, resolver_cli_settings
    from puv.commands.project.tree import tree
    from puv.errors import UsageError
    from puv.lock.select import GroupsRequest

    _check_conflicts(args, ctx.argv)
    if args.script is not None:
        raise UsageError("`puv tree --script` is not supported yet")
    if args.format == "json":
        raise UsageError("`puv tree --format json` is not supported yet")
    if args.show_sizes:
        raise UsageError("`puv tree --show-sizes` is not supported yet")
    python_version = None
    if args.python_version is not None:
        from puv.commands.pip.target import parse_python_version

        python_version = parse_python_version(args.python_version)
    extra = resolver_cli_settings(args)
    if args.python:
        extra["python"] = args.python
    ctx.extra_cli.update(extra)
    step, source = lock_step(args)
    import os

    dev: DevMode | None = "only" if args.only_dev else args.dev or (
        "exclude" if env_flag("UV_NO_DEV") else None)
    groups = GroupsRequest(
        dev=dev, groups=tuple(commas(args.group)),
        only_groups=tuple(commas(args.only_group)),
        no_groups=tuple(commas(args.no_group) or os.environ.get("UV_NO_GROUP", "").split()),
        all_groups=args.all_groups,
        no_default_groups=args.no_default_groups or env_flag("UV_NO_DEFAULT_GROUPS"))
    lines = tree(project_dir=ctx.project_dir, groups=groups, lock_step=step, lock_source=source,
                 universal=args.universal, depth=args.depth, prune=tuple(args.prune or ()),
                 packages=tuple(args.package or ()), no_dedupe=args.no_dedupe,
                 invert=args.invert, outdated=args.outdated, python_version=python_version,
                 python_platform=args.python_platform, settings=ctx.settings, cache=ctx.cache,
                 console=ctx.printer)
    out = ctx.printer.out
    for line in lines:
        out.write(line + "\n")
    out.flush()
    return 0
