"""`puv cache dir|clean`."""

from __future__ import annotations

import argparse

from puv.cli.parser import option

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.cli.context import Context


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    if name == "clean":
        parser.add_argument("packages", nargs="*", metavar="PACKAGE",
                            help="The packages to remove from the cache")
        option(parser, "--force", action="store_true",
               help="Force removal of the cache, ignoring in-use checks")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from puv.commands import cache as commands

    if args._command == "dir":
        return commands.cache_dir(cache=ctx.cache, console=ctx.printer)
    return commands.cache_clean(packages=args.packages, force=args.force, cache=ctx.cache,
                                console=ctx.printer)
