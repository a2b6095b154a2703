"""`puv pip freeze`, `list`, `show`, `tree` and `check`: options, and printing what
`puv.commands.pip.inspect`, `.tree` and `.check` compute.

The commands return lines; this module sends each to the stream uv uses, under uv's `-q`
rules: `freeze` and `list` print to stdout even with `-q`; `show` and `tree` print to stdout
but not with `-q`; `check` reports to stderr, its summary hidden by `-q` but its findings not
(see docs/cli.md).
"""

from __future__ import annotations

import argparse

from puv.cli.parser import _group, add_index_options, option

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from typing import NoReturn

    from puv.cli.context import Context
    from puv.commands.pip.inspect import SitePackages

__all__ = ["configure", "run"]

_NAME_PATTERN = r"^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$"


def _strict(parser: argparse.ArgumentParser) -> None:
    option(parser, "--strict", action="store_true", default=False,
           help="Validate the Python environment, to detect packages with missing dependencies "
           "and other issues")
    option(parser, "--no-strict", action="store_true", default=False, help=argparse.SUPPRESS)


def _exclude(parser: argparse.ArgumentParser) -> None:
    option(parser, "--exclude-editable", action="store_true", default=False,
           help="Exclude any editable packages from output")
    option(parser, "--exclude", metavar="EXCLUDE", action="append", default=None,
           help="Exclude the specified package(s) from the output")


def _environment(parser: argparse.ArgumentParser, *, target: bool) -> None:
    from puv.cli.pip import add_environment_options

    add_environment_options(parser, write=False)
    if target:  # uv's short form of `--target` for the commands that take it
        option(_group(parser, "Python options"), "-t", dest="target", metavar="TARGET",
               help=argparse.SUPPRESS)


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    if name == "freeze":
        _exclude(parser)
        _strict(parser)
        option(parser, "--path", dest="paths", metavar="PATHS", action="append", default=None,
               help="Restrict to the specified installation path for listing packages (can "
               "be used multiple times)")
        _environment(parser, target=True)
    elif name == "list":
        option(parser, "-e", "--editable", action="store_true", default=False,
               help="Only include editable projects")
        _exclude(parser)
        option(parser, "--format", metavar="FORMAT", default="columns",
               choices=("columns", "freeze", "json"),
               help="Select the output format [default: columns]")
        option(parser, "--outdated", action="store_true", default=False,
               help="List outdated packages")
        option(parser, "--no-outdated", action="store_true", default=False,
               help=argparse.SUPPRESS)
        _strict(parser)
        add_index_options(parser)
        _environment(parser, target=True)
    elif name == "show":
        parser.add_argument("package", nargs="*", metavar="PACKAGE",
                            help="The package(s) to display")
        _strict(parser)
        option(parser, "-f", "--files", action="store_true", default=False,
               help="Show the full list of installed files for each package")
        _environment(parser, target=True)
    elif name == "tree":
        option(parser, "--show-version-specifiers", action="store_true", default=False,
               help="Show the version constraint(s) imposed on each package")
        option(parser, "-d", "--depth", metavar="DEPTH", default="255",
               help="Maximum display depth of the dependency tree [default: 255]")
        option(parser, "--prune", metavar="PRUNE", action="append", default=None,
               help="Prune the given package from the display of the dependency tree")
        option(parser, "--package", metavar="PACKAGE", action="append", default=None,
               help="Display only the specified packages")
        option(parser, "--no-dedupe", action="store_true", default=False,
               help="Do not de-duplicate repeated dependencies. Usually, when a package has "
               "already displayed its dependencies, further occurrences will not re-display "
               "its dependencies, and will include a (*) to indicate it has already been "
               "shown. This flag will cause those duplicates to be repeated")
        option(parser, "--invert", "--reverse", action="store_true", default=False,
               help="Show the reverse dependencies for the given package. This flag will "
               "invert the tree and display the packages that depend on the given package")
        option(parser, "--outdated", action="store_true", default=False,
               help="Show the latest available version of each package in the tree (not "
               "supported by puv yet)")
        option(parser, "--show-sizes", action="store_true", default=False,
               help="Show compressed wheel sizes for packages in the tree (not supported by "
               "puv yet)")
        _strict(parser)
        add_index_options(parser)
        _environment(parser, target=False)
    else:  # check
        _environment(parser, target=False)


# -- argument checks clap would have made ----------------------------------------------------

class _ClapError(Exception):
    """An argument error in clap's words (what argparse could not check by itself)."""

    def __init__(self, message: str, usage: str | None = None) -> None:
        super().__init__(message)
        self.usage = usage


class _InvalidValue(_ClapError):
    def __init__(self, value: str, flag: str, reason: str) -> None:
        super().__init__(f"invalid value '{value}' for '{flag}': {reason}")


def _no_target(args: argparse.Namespace) -> None:
    """`tree` and `check` take no `--target` / `--prefix` (the shared options declare them)."""
    for flag in ("target", "prefix"):
        if getattr(args, flag) is not None:
            raise _ClapError(f"unexpected argument '--{flag}' found",
                             usage=f"puv pip {args._command} [OPTIONS]")


def _names(values: list[str] | None, flag: str) -> list[str]:
    """Project names from the command line, normalized; clap's error for an invalid one."""
    import re

    from packaging.utils import canonicalize_name

    names: list[str] = []
    for value in values or ():
        if not re.match(_NAME_PATTERN, value):
            raise _InvalidValue(value, flag, f'Not a valid package or extra name: "{value}". '
                                "Names must start and end with a letter or digit and may "
                                "only contain -, _, ., and alphanumeric characters.")
        names.append(canonicalize_name(value))
    return names


def _depth(value: str) -> int:
    try:
        depth = int(value, 10)
    except ValueError:
        raise _InvalidValue(value, "--depth <DEPTH>", "invalid digit found in string") from None
    if not 0 <= depth <= 255:
        raise _InvalidValue(value, "--depth <DEPTH>", f"{depth} is not in 0..=255")
    return depth


def _not_supported(flag: str) -> NoReturn:
    from puv.errors import UsageError

    raise UsageError(f"`{flag}` is not supported by puv yet: it needs to query package "
                     "indexes for the latest versions, which comes with the resolver")


# -- running -----------------------------------------------------------------------------------

def run(args: argparse.Namespace, ctx: Context) -> int:
    import sys

    ctx.extra_cli["pip_interface"] = True  # `[tool.uv.pip]` before `[tool.uv]`
    try:
        return _COMMANDS[args._command](args, ctx)
    except _ClapError as exc:
        usage = f"\n\nUsage: {exc.usage}" if exc.usage else ""
        sys.stderr.write(f"error: {exc}{usage}\n\nFor more information, try '--help'.\n")
        return 2


def _open(args: argparse.Namespace, ctx: Context) -> SitePackages:
    from puv.cli.pip import environment_kwargs
    from puv.commands.pip.inspect import open_site_packages

    return open_site_packages(**environment_kwargs(args, ctx))


def _show_output(ctx: Context, lines: list[str]) -> None:
    """stdout, hidden by `-q` (uv's `show` and `tree`)."""
    if ctx.printer.verbosity >= 0:
        for line in lines:
            ctx.printer.result(line)


def _report(ctx: Context, text: str) -> None:
    """stderr, still shown with `-q` (what `check` finds)."""
    if ctx.printer.verbosity > -2:
        ctx.printer.err.write(text + "\n")


def _warn_diagnostics(ctx: Context, sites: list[SitePackages]) -> None:
    """`--strict`: every problem `check` would report, as a warning."""
    from puv.commands.pip.check import diagnose

    for site in sites:
        for diagnostic in diagnose(site):
            ctx.printer.warning(ctx.printer.style(diagnostic.message, "bold"))


def _freeze(args: argparse.Namespace, ctx: Context) -> int:
    from puv.commands.pip.inspect import freeze_lines, path_site_packages

    exclude = _names(args.exclude, "--exclude <EXCLUDE>")
    site = _open(args, ctx)
    sites = path_site_packages(args.paths, site.interpreter) if args.paths else [site]
    for line in freeze_lines(sites, exclude_editable=args.exclude_editable, exclude=exclude,
                             bold=lambda text: ctx.printer.style(text, "bold")):
        ctx.printer.result(line)
    if args.strict and not args.no_strict:
        _warn_diagnostics(ctx, sites)
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    from puv.commands.pip.inspect import list_columns, list_json, select_dists

    outdated = args.outdated and not args.no_outdated
    if outdated and args.format == "freeze":
        from puv.errors import UsageError

        raise UsageError("`--outdated` cannot be used with `--format freeze`")
    exclude = _names(args.exclude, "--exclude <EXCLUDE>")
    editable = True if args.editable else False if args.exclude_editable else None
    site = _open(args, ctx)
    dists = select_dists(site, editable=editable, exclude=exclude)
    latest = None
    if outdated:
        from puv.commands.pip.outdated import latest_versions

        latest = latest_versions(dists, site.interpreter, settings=ctx.settings,
                                 cache=ctx.cache)
        dists = [dist for dist in dists if dist.name in latest]
    if args.format == "json":
        ctx.printer.result(list_json(dists, latest))
    elif args.format == "freeze":
        for dist in dists:
            ctx.printer.result(f"{ctx.printer.style(dist.name, 'bold')}=={dist.version}")
    else:
        for line in list_columns(dists, latest):
            ctx.printer.result(line)
    if args.strict and not args.no_strict:
        _warn_diagnostics(ctx, [site])
    return 0


def _show(args: argparse.Namespace, ctx: Context) -> int:
    from puv.commands.pip.inspect import show

    names = _names(args.package, "[PACKAGE]...")
    if not names:
        ctx.printer.warning("Please provide a package name or names.")
        return 1
    site = _open(args, ctx)
    shown = show(site, names, files=args.files)
    if shown.missing:
        missing = ctx.printer.style(", ".join(shown.missing), "bold")
        ctx.printer.warning(f"Package(s) not found for: {missing}")
    _show_output(ctx, shown.lines)
    if shown.error is not None:
        raise shown.error
    if not shown.lines:
        return 1
    if args.strict and not args.no_strict:
        _warn_diagnostics(ctx, [site])
    return 0


def _tree(args: argparse.Namespace, ctx: Context) -> int:
    from puv.commands.pip.tree import render_tree

    if args.outdated:
        _not_supported("--outdated")
    if args.show_sizes:
        _not_supported("--show-sizes")
    depth = _depth(args.depth)
    prune = _names(args.prune, "--prune <PRUNE>")
    packages = _names(args.package, "--package <PACKAGE>")
    _no_target(args)
    site = _open(args, ctx)
    _show_output(ctx, render_tree(site, depth=depth, prune=prune, packages=packages,
                                  no_dedupe=args.no_dedupe, invert=args.invert,
                                  show_version_specifiers=args.show_version_specifiers))
    if args.strict and not args.no_strict:
        _warn_diagnostics(ctx, [site])
    return 0


def _check(args: argparse.Namespace, ctx: Context) -> int:
    import time

    from puv.commands.pip.check import diagnose
    from puv.commands.pip.requirements import elapsed, packages_text

    start = time.perf_counter()
    _no_target(args)
    site = _open(args, ctx)
    style = ctx.printer.style
    count = packages_text(len(site))
    took = elapsed(time.perf_counter() - start)
    ctx.printer.status(style(f"Checked {style(count, 'bold')} {style(f'in {took}', 'dim')}",
                             "dim"))
    found = diagnose(site)
    if not found:
        ctx.printer.status(style("All installed packages are compatible", "dim"))
        return 0
    noun = "incompatibility" if len(found) == 1 else "incompatibilities"
    _report(ctx, style(f"Found {style(f'{len(found)} {noun}', 'bold')}", "dim"))
    for diagnostic in found:
        _report(ctx, style(diagnostic.message, "bold"))
    return 1


_COMMANDS = {"freeze": _freeze, "list": _list, "show": _show, "tree": _tree, "check": _check}
