"""`puv cache dir|clean|prune|size`."""

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
    elif name == "prune":
        option(parser, "--ci", action="store_true",
               help="Optimize the cache for persistence in a continuous integration "
               "environment, like GitHub Actions")
        option(parser, "--force", action="store_true",
               help="Force removal of the cache, ignoring in-use checks")
    elif name == "size":
        option(parser, "-H", "--human", action="store_true",
               help="Display the cache size in human-readable format (e.g., `1.2 GiB` instead "
               "of raw bytes)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from puv.commands import cache as commands

    if args._command == "dir":
        return commands.cache_dir(cache=ctx.cache, console=ctx.printer)
    if args._command == "prune":
        return commands.cache_prune(ci=args.ci, force=args.force, cache=ctx.cache,
                                    console=ctx.printer)
    if args._command == "size":
        return commands.cache_size(human=args.human, cache=ctx.cache, console=ctx.printer)
    return commands.cache_clean(packages=args.packages, force=args.force, cache=ctx.cache,
                                console=ctx.printer)
