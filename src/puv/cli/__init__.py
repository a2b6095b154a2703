"""The command-line interface: `puv ...`.

Only the standard library is imported at module level, and only the chosen command's module
is imported after parsing (see `table.py`). Errors are printed here and turned into exit
statuses: a `PuvError` is one clear message (plus hint) and status 1 (2 for usage errors); any
other exception is a bug, shown with its traceback.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]

# Options of the top-level parser that take a value: needed to find the command's name in
# argv without parsing it.
_VALUE_OPTIONS = frozenset(
    {"--color", "--cache-dir", "--directory", "--project", "--config-file",
     "--allow-insecure-host"}
)


def _command_path(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split `argv` into the command's names (`["pip", "install"]`) and everything else.

    Global options may come before the command (`puv -q venv`); they stay in the rest, in
    order, and the command's parser (which knows them too) parses them there.
    """
    from puv.cli.table import COMMANDS

    path: list[str] = []
    rest: list[str] = []
    node = COMMANDS
    skip = False
    for index, token in enumerate(argv):
        if skip:
            skip = False
            rest.append(token)
            continue
        if token == "--" or (not token.startswith("-") and node.find(token) is None):
            rest.extend(argv[index:])
            break
        if token.startswith("-"):
            skip = token in _VALUE_OPTIONS
            rest.append(token)
            continue
        child = node.find(token)
        assert child is not None
        path.append(child.name)
        if not child.subcommands:
            rest.extend(argv[index + 1 :])
            break
        node = child
    return path, rest


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

    path, rest = _command_path(argv)
    if path and path[0] == "help":
        return _help(rest)
    parser, module = build_parser(path)
    args = parser.parse_args(rest)
    if module is None:
        # A group without its sub-command (`puv python`), or no command at all: uv prints
        # the group's help and fails; an unknown command is an argument error.
        words = [t for t in rest if not t.startswith("-")]
        if words:
            parser.error(f"unrecognized subcommand '{words[0]}'")
        sys.stderr.write(parser.format_help())
        return 2
    ctx = Context.from_args(args)
    ctx.argv = argv
    return ctx.run(module, args)


def _help(names: list[str]) -> int:
    from puv.cli.context import build_parser

    path, _ = _command_path(names)
    parser, _ = build_parser(path)
    sys.stdout.write(parser.format_help())
    return 0

