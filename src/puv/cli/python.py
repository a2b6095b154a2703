"""`puv python find|list|pin`."""

from __future__ import annotations

import argparse

from puv.cli.parser import option

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.cli.context import Context


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    if name == "find":
        parser.add_argument("request", nargs="?", metavar="REQUEST",
                            help="The Python request (a version, an implementation, a path...)")
        option(parser, "--system", action="store_true", env="UV_SYSTEM_PYTHON",
               help="Only find system Python interpreters")
        option(parser, "--no-project", action="store_true",
               help="Avoid discovering a project or workspace")
    elif name == "list":
        parser.add_argument("request", nargs="?", metavar="REQUEST",
                            help="A Python request to filter by")
        option(parser, "--all-versions", action="store_true",
               help="List all Python versions, including every interpreter of a version")
        option(parser, "--only-installed", action="store_true",
               help="Only show installed Python versions (puv never lists downloads)")
        option(parser, "--output-format", choices=("text", "json"), default="text",
               help="Select the output format")
    elif name == "pin":
        parser.add_argument("request", nargs="?", metavar="REQUEST",
                            help="The Python version request")
        option(parser, "--resolved", action="store_true",
               help="Write the resolved Python interpreter version or path to the pin file")
        option(parser, "--global", dest="global_", action="store_true",
               help="Update the global Python version pin")
        option(parser, "--no-project", action="store_true",
               help="Avoid validating the Python pin against the project")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from puv.commands import python as commands

    command = args._command
    settings, cache, console, project_dir = ctx.settings, ctx.cache, ctx.printer, ctx.project_dir
    if command == "find":
        from puv.settings import env

        return commands.python_find(request=args.request,
                                    system=args.system or bool(env.flag("UV_SYSTEM_PYTHON")),
                                    no_project=args.no_project, settings=settings, cache=cache,
                                    console=console, project_dir=project_dir)
    if command == "list":
        return commands.python_list(request=args.request, all_versions=args.all_versions,
                                    output_format=args.output_format, settings=settings,
                                    cache=cache, console=console, project_dir=project_dir)
    return commands.python_pin(request=args.request, resolved=args.resolved,
                               global_=args.global_, no_project=args.no_project,
                               settings=settings, cache=cache, console=console,
                               project_dir=project_dir)
