"""Options shared by the project commands (`lock`, `sync`, `add`, `remove`, `run`): index,
resolver and build options as uv spells them there, and their way into the settings.

Unlike the `pip` commands, project commands read `[tool.uv]` (not `[tool.uv.pip]`): the
values go to `ctx.extra_cli` without `pip_interface`.
"""

from __future__ import annotations

import argparse

from puv.cli.parser import _group, add_index_options, option

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

__all__ = ["add_group_options", "add_lock_mode_options", "add_resolver_options", "commas",
           "env_flag", "lock_step", "resolver_cli_settings"]

_TRUE = ("1", "true", "yes", "on", "y", "t")


def env_flag(name: str) -> bool:
    """Whether a `UV_*` boolean variable is set true (the project commands' flags such as
    `UV_FROZEN` are read here, from `os.environ`)."""
    import os

    return os.environ.get(name, "").strip().lower() in _TRUE


def commas(values: Sequence[str] | None) -> list[str]:
    """Repeated and comma-separated option values, as uv accepts them (`--extra a,b`)."""
    return [part.strip() for value in values or () for part in value.split(",")
            if part.strip()]


def lock_step(args: argparse.Namespace) -> tuple[str, str]:
    """How a command locks (`"frozen"`, `"locked"` or `"write"`), and the flag or variable
    that asked for it as errors name it: `--frozen` / `UV_FROZEN`, `--locked` /
    `UV_LOCKED` (a flag beats the other's variable)."""
    frozen = args.frozen or (env_flag("UV_FROZEN") and not args.locked)
    locked = args.locked or (env_flag("UV_LOCKED") and not frozen)
    if frozen:
        return "frozen", "`--frozen`" if args.frozen else "`UV_FROZEN=1`"
    if locked:
        return "locked", "`--locked`" if args.locked else "`UV_LOCKED=1`"
    return "write", ""


def add_resolver_options(parser: argparse.ArgumentParser) -> None:
    """uv's "Index options", "Resolver options" and "Build options" of project commands."""
    from puv.cli.pip_resolve import _resolver_options

    add_index_options(parser)
    _resolver_options(parser, install=True)
    build = next(g for g in parser._action_groups if g.title == "Build options")
    option(build, "--no-build", dest="no_build", action="store_true", default=None,
           env="UV_NO_BUILD", help="Don't build source distributions")
    option(build, "--no-binary", dest="no_binary_all", action="store_true", default=None,
           env="UV_NO_BINARY", help="Don't install pre-built wheels")
    option(parser, "--no-sources", action="store_true", default=False,
           help="Ignore the `tool.uv.sources` table when resolving dependencies")


def add_group_options(parser: argparse.ArgumentParser) -> None:
    """The dependency-group selection of `sync` and `run`, as uv spells it."""
    option(parser, "--group", metavar="GROUP", action="append", default=None,
           help="Include dependencies from the specified dependency group")
    option(parser, "--no-group", metavar="NO_GROUP", action="append", default=None,
           env="UV_NO_GROUP", help="Disable the specified dependency group")
    option(parser, "--no-default-groups", action="store_true", default=False,
           env="UV_NO_DEFAULT_GROUPS", help="Ignore the default dependency groups")
    option(parser, "--only-group", metavar="ONLY_GROUP", action="append", default=None,
           help="Only include dependencies from the specified dependency group")
    option(parser, "--all-groups", action="store_true", default=False,
           help="Include dependencies from all dependency groups")


def add_lock_mode_options(parser: argparse.ArgumentParser, *, check: bool = False) -> None:
    """`--locked`, `--frozen` (and `--check`, for `puv lock`)."""
    group = _group(parser, "Lock options") if check else parser
    option(group, "--locked", action="store_true", default=False, env="UV_LOCKED",
           help="Assert that the `uv.lock` will remain unchanged")
    option(group, "--frozen", action="store_true", default=False, env="UV_FROZEN",
           help="Assert that a `uv.lock` exists without checking if it is up-to-date")
    if check:
        option(group, "--check", action="store_true", default=False,
               help="Check if the lockfile is up-to-date")


def resolver_cli_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The resolver and build options for `CliSettings` (through `ctx.extra_cli`)."""
    return {
        "resolution": args.resolution,
        "prerelease": args.prerelease or ("allow" if args.pre else None),
        "exclude_newer": args.exclude_newer,
        "exclude_newer_package": tuple(args.exclude_newer_package or ()),
        "fork_strategy": args.fork_strategy,
        "no_build": args.no_build,
        "no_build_package": tuple(args.no_build_package or ()),
        "no_binary": (":all:",) if args.no_binary_all else (),
        "no_binary_package": tuple(args.no_binary_package or ()),
        "no_build_isolation": args.no_build_isolation,
        "no_build_isolation_package": tuple(args.no_build_isolation_package or ()),
        "config_settings": tuple(args.config_setting or ()),
        "upgrade": args.upgrade,
        "upgrade_package": tuple(args.upgrade_package or ()),
        "no_sources": bool(getattr(args, "no_sources", False)),
    }
