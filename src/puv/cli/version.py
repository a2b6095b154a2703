"""`puv version`: options, the call into `puv.commands.project.version`, and its output.

The output goes to stdout after any locking and syncing: `name version`, `name old => new`,
or only the version with `--short` (hidden by `-q`, as in uv), or uv's JSON object with
`--output-format json` (shown with `-q`, hidden with `-qq`).
"""

from __future__ import annotations

import argparse
import sys

from puv.cli.parser import _group, option
from puv.cli.project_options import env_flag

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from puv.cli.context import Context
    from puv.commands.project.version import VersionPlan

__all__ = ["configure", "run"]

_KINDS = "major, minor, patch, stable, alpha, beta, rc, post, dev"


class _BumpAction(argparse.Action):
    """`--bump KIND[=VALUE]`, repeatable; a bad value is uv's usage error."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        from puv.commands.project.version import parse_bump

        if values is None:
            # clap's words for a missing value of an option with possible values.
            sys.stderr.write("error: a value is required for '--bump <BUMP[=VALUE]>' but none "
                             f"was supplied\n  [possible values: {_KINDS}]\n\n"
                             "For more information, try '--help'.\n")
            sys.exit(2)
        try:
            bump = parse_bump(str(values))
        except ValueError as exc:
            parser.error(str(exc))
        if getattr(namespace, "value", None) is not None:
            parser.error(_CONFLICT.format("'[VALUE]'", _BUMP))
        bumps = list(getattr(namespace, self.dest, None) or ())
        bumps.append(bump)
        setattr(namespace, self.dest, bumps)


class _ValueAction(argparse.Action):
    """`[VALUE]`: after a `--bump`, uv's conflict error (naming first what came first)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        if values is not None and getattr(namespace, "bump", None):
            parser.error(_CONFLICT.format(_BUMP, "'[VALUE]'"))
        setattr(namespace, self.dest, values)


_BUMP = "'--bump <BUMP[=VALUE]>'"
_CONFLICT = "the argument {} cannot be used with {}"


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    from puv.cli.project_options import add_lock_mode_options, add_resolver_options

    parser.add_argument("value", nargs="?", metavar="VALUE", action=_ValueAction,
                        help="Set the project version to this value")
    option(parser, "--bump", metavar="BUMP[=VALUE]", nargs="?", action=_BumpAction,
           default=None, help="Update the project version using the given semantics "
           f"[possible values: {_KINDS}]")
    option(parser, "--dry-run", action="store_true", default=False,
           help="Don't write a new version to the `pyproject.toml`")
    option(parser, "--short", action="store_true", default=False,
           help="Only show the version")
    option(parser, "--output-format", metavar="OUTPUT_FORMAT", choices=("text", "json"),
           default="text", help="The format of the output [default: text]")
    option(parser, "--no-sync", action="store_true", default=False, env="UV_NO_SYNC",
           help="Avoid syncing the virtual environment after re-locking the project")
    option(parser, "--active", action="store_true", default=None,
           help="Prefer the active virtual environment over the project's virtual "
           "environment")
    add_lock_mode_options(parser)
    for action in parser._actions:
        if "--frozen" in action.option_strings:
            action.help = "Update the version without re-locking the project"
    option(parser, "--package", metavar="PACKAGE",
           help="Update the version of a specific package in the workspace")
    add_resolver_options(parser)
    python = _group(parser, "Python options")
    option(python, "-p", "--python", metavar="PYTHON", env="UV_PYTHON",
           help="The Python interpreter to use for resolving and syncing.")


def _modes(args: argparse.Namespace, ctx: Context) -> tuple[bool, bool, bool]:
    """`--frozen`, `--locked` and `--no-sync` with their variables, and uv's rules for them
    together: a flag wins over the other's variable (with a warning), two variables or
    `--no-sync` with `--frozen` are errors."""
    from puv.errors import UsageError

    if args.frozen and args.locked:
        raise UsageError("the argument '--frozen' cannot be used with '--locked'")
    frozen_env, locked_env = env_flag("UV_FROZEN"), env_flag("UV_LOCKED")
    frozen, locked = args.frozen, args.locked
    if frozen and locked_env:
        ctx.printer.warning("Ignoring `UV_LOCKED` because `--frozen` was provided")
    elif locked and frozen_env:
        ctx.printer.warning("Ignoring `UV_FROZEN` because `--locked` was provided")
    elif frozen_env and locked_env and not (frozen or locked):
        raise UsageError("the argument `UV_LOCKED` (environment variable) cannot be used "
                         "with `UV_FROZEN` (environment variable)")
    else:
        frozen, locked = frozen or frozen_env, locked or locked_env
    no_sync = args.no_sync or env_flag("UV_NO_SYNC")
    if no_sync and frozen:
        first = "`--no-sync`" if args.no_sync else "`UV_NO_SYNC` (environment variable)"
        second = "`--frozen`" if args.frozen else "`UV_FROZEN` (environment variable)"
        raise UsageError(f"the argument {first} cannot be used with {second}")
    return frozen, locked, no_sync


def run(args: argparse.Namespace, ctx: Context) -> int:
    from puv.commands.project.version import VersionRequest, prepare

    frozen, locked, no_sync = _modes(args, ctx)
    request = VersionRequest(value=args.value, bumps=tuple(args.bump or ()),
                             dry_run=args.dry_run, package=args.package, frozen=frozen,
                             locked=locked, no_sync=no_sync, active=args.active)
    plan = prepare(request, project_dir=ctx.project_dir)
    if plan.new is not None and not request.dry_run:
        from puv.cli.project_options import resolver_cli_settings
        from puv.commands.project.version import update

        ctx.extra_cli.update(resolver_cli_settings(args))
        if args.python:
            ctx.extra_cli["python"] = args.python
        update(plan, request, settings=ctx.settings, cache=ctx.cache, console=ctx.printer)
    _print(plan, args, ctx)
    return 0


def _print(plan: VersionPlan, args: argparse.Namespace, ctx: Context) -> None:
    version = plan.new if plan.new is not None else plan.old
    if args.output_format == "json":
        if ctx.printer.verbosity > -2:
            import json

            ctx.printer.out.write(json.dumps({"package_name": plan.name, "version": version,
                                              "commit_info": None}, indent=2) + "\n")
        return
    if ctx.printer.verbosity < 0:
        return
    if args.short:
        ctx.printer.result(version)
    elif plan.new is not None:
        ctx.printer.result(f"{plan.name} {plan.old} => {plan.new}")
    else:
        ctx.printer.result(f"{plan.name} {plan.old}")
