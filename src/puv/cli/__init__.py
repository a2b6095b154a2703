"""The command-line interface: `puv ...`.

Only the standard library is imported at module level, and only the chosen command's module
is imported after parsing (see `table.py`). Errors are printed here and turned into exit
statuses: a `PuvError` is one clear message (plus hint) and status 1 (2 for usage errors); any
other exception is a bug, shown with its traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

__all__ = ["main"]

# Options of the top-level parser that take a value: needed to find the command's name in
# argv without parsing it.
_VALUE_OPTIONS = frozenset(
    {"--color", "--cache-dir", "--directory", "--project", "--config-file",
     "--allow-insecure-host"}
)


def _command_path(argv: Sequence[str]) -> list[str]:
    """The names of the command and sub-command that `argv` asks for (`["pip", "install"]`)."""
    from puv.cli.table import COMMANDS

    path: list[str] = []
    node = COMMANDS
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token == "--":
            break
        if token.startswith("-"):
            skip = token in _VALUE_OPTIONS
            continue
        child = node.find(token)
        if child is None:
            break
        path.append(child.name)
        if not child.subcommands:
            break
        node = child
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run puv with `argv` (default: `sys.argv[1:]`) and return the exit status."""
    if argv is None:
        argv = sys.argv[1:]
    argv = list(argv)
    if argv in (["--version"], ["-V"]):
        from puv import __version__

        sys.stdout.write(f"puv {__version__}\n")
        return 0

    from puv.cli.context import Context, build_parser

    path = _command_path(argv)
    if path and path[0] == "help":
        return _help(argv[argv.index("help") + 1 :])
    parser, module = build_parser(path)
    args = parser.parse_args(argv)
    if module is None:
        # A group without its sub-command (`puv pip`), or no command at all: uv prints the
        # help of the group and fails.
        sub = parser
        for name in path:
            sub = sub._subparsers._group_actions[0].choices[name]  # type: ignore[union-attr]
        sys.stderr.write(sub.format_help())
        return 2
    ctx = Context.from_args(args)
    return ctx.run(module, args)


def _help(names: list[str]) -> int:
    from puv.cli.context import build_parser

    path = _command_path(names)
    parser, _ = build_parser(path)
    sub = parser
    for name in path:
        sub = sub._subparsers._group_actions[0].choices[name]  # type: ignore[union-attr]
    sys.stdout.write(sub.format_help())
    return 0


def entry() -> None:  # pragma: no cover - console-script shim
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    os._exit(main())
