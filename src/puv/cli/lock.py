"""`puv lock`: options, and the call into `puv.commands.project.lock`."""

from __future__ import annotations

import argparse

from puv.cli.parser import option
from puv.cli.project_options import (
    add_lock_mode_options,
    add_resolver_options,
    lock_step,
    resolver_cli_settings,
)

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.cli.context import Context


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    add_lock_mode_options(parser, check=True)
    option(parser, "--check-exists", action="store_true", default=False,
           help="Assert that a `uv.lock` exists without checking if it is up-to-date")
    option(parser, "--dry-run", action="store_true", default=False,
           help="Perform a dry run, without writing the lockfile")
    option(parser, "--script", metavar="SCRIPT",
           help="Lock the specified Python script, rather than the current project")
    add_resolver_options(parser)
    python = parser.add_argument_group("Python options")
    option(python, "-p", "--python", metavar="PYTHON", env="UV_PYTHON",
           help="The Python interpreter to use during resolution")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from puv.commands.project.lock import LockMode, lock_project
    from puv.errors import UsageError
    from puv.workspace.project import discover_workspace

    chosen = [flag for flag, on in (("--locked", args.locked), ("--check", args.check),
                                    ("--frozen", args.frozen or args.check_exists),
                                    ("--dry-run", args.dry_run)) if on]
    if len(chosen) > 1 and set(chosen) != {"--locked", "--check"}:
        raise UsageError(f"the argument '{chosen[0]}' cannot be used with '{chosen[1]}'")
    ctx.extra_cli.update(resolver_cli_settings(args))
    if args.python:
        ctx.extra_cli["python"] = args.python
    step, _source = lock_step(args)  # the flags, or `UV_LOCKED` / `UV_FROZEN`
    mode = LockMode.WRITE
    if step == "locked" or args.check:
        mode = LockMode.LOCKED
    elif step == "frozen" or args.check_exists:
        mode = LockMode.FROZEN
    elif args.dry_run:
        mode = LockMode.DRY_RUN
    settings = ctx.settings
    if args.script:
        from puv.commands.project.run import read_script_file, script_settings
        from puv.workspace.project import script_workspace

        metadata = read_script_file(args.script)
        settings = script_settings(metadata, settings)
        workspace = script_workspace(args.script, metadata.requirements,
                                     metadata.requires_python, metadata.tool_uv)
    else:
        workspace = discover_workspace(ctx.project_dir)
    lock_project(workspace, settings, ctx.cache, ctx.printer, mode=mode,
                 report_changes=True)
    return 0
