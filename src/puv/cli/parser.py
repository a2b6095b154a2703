"""argparse, made to look and fail like uv's command line.

`PuvParser` prints argument errors the way uv (clap) does and exits with status 2, and renders
`--help` in uv's layout: usage, arguments, options by group, global options. Options may carry
the environment variable that also sets them (`env=`), shown in the help as `[env: NAME=]`.
Global options are accepted before or after the command (`puv -q venv` and `puv venv -q`):
the command line is split into the command's names and the rest (`cli/__init__.py`), and
the rest is parsed by the command's own parser, which knows the global options too.
"""

from __future__ import annotations

import argparse
import sys

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from typing import Any, NoReturn

__all__ = ["PuvParser", "add_global_options", "option"]

_WIDTH = 100


class PuvParser(argparse.ArgumentParser):
    """An ArgumentParser with uv's error format and help layout."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="Display the concise help for this command")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse formats every option's metavar as it is added, and its default formatter
        # imports `shutil` (2 ms) to measure the terminal: give it a width instead.
        return argparse.HelpFormatter(self.prog, width=_WIDTH)

    # -- errors -----------------------------------------------------------------------------

    def error(self, message: str) -> NoReturn:
        text = self._with_metavar(_clap_message(message))
        if text.startswith("invalid value '"):
            # clap shows no usage for a bad value, only the pointer to `--help`.
            sys.stderr.write(f"error: {text}\n\nFor more information, try '--help'.\n")
            sys.exit(2)
        sys.stderr.write(f"error: {text}\n\nUsage: {self._usage_line()}\n\n")
        sys.stderr.write("For more information, try '--help'.\n")
        sys.exit(2)

    def _with_metavar(self, text: str) -> str:
        """clap names an option with its value: `'--color <COLOR_CHOICE>'`."""
        import re

        match = re.match(r"invalid value '.*?' for '(-[-\w]+)'", text)
        if match is None:
            return text
        for action in self._actions:
            if match.group(1) in action.option_strings and action.nargs != 0:
                named = f"'{match.group(1)} <{_metavar(action)}>'"
                return text[:match.start(1) - 1] + named + text[match.end(1) + 1:]
        return text

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            unexpected = next((e for e in extras if e.startswith("-")), extras[0])
            message = f"unexpected argument '{unexpected}' found"
            if unexpected.startswith("-") and "=" not in unexpected:
                message += (f"\n\n  tip: to pass '{unexpected}' as a value, use "
                            f"'-- {unexpected}'")
            self.error(message)
        return parsed

    # -- help -------------------------------------------------------------------------------

    def _usage_line(self) -> str:
        parts = [self.prog]
        if any(a.option_strings for a in self._actions):
            parts.append("[OPTIONS]")
        for action in self._actions:
            if action.option_strings:
                continue
            if isinstance(action, argparse._SubParsersAction):
                parts.append("<COMMAND>")
                continue
            name = _metavar(action)
            if action.nargs in ("*", argparse.REMAINDER):
                parts.append(f"[{name}]...")
            elif action.nargs == "+":
                parts.append(f"<{name}>...")
            elif action.nargs == "?":
                parts.append(f"[{name}]")
            else:
                parts.append(f"<{name}>")
        return " ".join(parts)

    def format_usage(self) -> str:
        return f"Usage: {self._usage_line()}\n"

    def format_help(self) -> str:
        lines: list[str] = []
        if self.description:
            lines += [self.description, ""]
        lines += [f"Usage: {self._usage_line()}", ""]
        for group in self._action_groups:
            rows: list[tuple[str, str]] = []
            for action in group._group_actions:
                if action.help == argparse.SUPPRESS:
                    continue
                if isinstance(action, argparse._SubParsersAction):
                    for choice in action._choices_actions:
                        rows.append((choice.dest, choice.help or ""))
                    continue
                rows.append((_invocation(action), _help_text(action)))
            if not rows:
                continue
            title = group.title or "Options"
            if any(isinstance(a, argparse._SubParsersAction) for a in group._group_actions):
                title = "Commands"
            elif title == "positional arguments":
                title = "Arguments"
            elif title in ("options", "optional arguments"):
                title = "Options"
            lines.append(f"{title}:")
            lines += _table(rows)
            lines.append("")
        if self.epilog:
            lines += [self.epilog, ""]
        return "\n".join(lines).rstrip("\n") + "\n"


def _clap_message(message: str) -> str:
    """Translate argparse's wording into clap's, which uv users know."""
    if message.startswith("unrecognized arguments: "):
        arg = message.split(": ", 1)[1].split()[0]
        return f"unexpected argument '{arg}' found"
    if message.startswith("argument ") and ": invalid choice: " in message:
        head, rest = message.split(": invalid choice: ", 1)
        flag = head[len("argument ") :].split("/")[-1]
        value = rest.split(" (choose from", 1)[0].strip("'")
        choices = rest.split("(choose from ", 1)[-1].rstrip(")").replace("'", "")
        if flag == "COMMAND":
            return f"unrecognized subcommand '{value}'"
        return f"invalid value '{value}' for '{flag}'\n  [possible values: {choices}]"
    if message.startswith("argument ") and ": invalid value '" in message:
        # A `type=` function's `ArgumentTypeError`, already in clap's words.
        return message.split(": ", 1)[1]
    if message.startswith("argument ") and "expected one argument" in message:
        flag = message[len("argument ") :].split(":")[0].split("/")[-1]
        return f"a value is required for '{flag}' but none was supplied"
    if message.startswith("the following arguments are required: "):
        names = message.split(": ", 1)[1]
        return f"the following required arguments were not provided:\n  <{names.upper()}>"
    return message


def _metavar(action: argparse.Action) -> str:
    if action.metavar is not None:
        return str(action.metavar)
    return action.dest.upper()


def _invocation(action: argparse.Action) -> str:
    if not action.option_strings:
        name = _metavar(action)
        return f"[{name}]..." if action.nargs in ("*", "+", argparse.REMAINDER) else f"[{name}]"
    shorts = [o for o in action.option_strings if not o.startswith("--")]
    longs = [o for o in action.option_strings if o.startswith("--")]
    text = ", ".join(shorts + longs[:1]) if shorts else "    " + ", ".join(longs[:1])
    if action.nargs != 0:
        text += f" <{_metavar(action)}>"
    elif isinstance(action, argparse._CountAction):
        text += "..."
    return text


def _help_text(action: argparse.Action) -> str:
    text = action.help or ""
    env = getattr(action, "env", None)
    if env:
        text += f" [env: {env}=]"
    if action.choices and not isinstance(action, argparse._SubParsersAction):
        text += f" [possible values: {', '.join(map(str, action.choices))}]"
    return text


def _table(rows: list[tuple[str, str]]) -> list[str]:
    left = min(max(len(r[0]) for r in rows), 30) + 4
    out: list[str] = []
    for name, text in rows:
        words = text.split()
        first = True
        line = ""
        width = _WIDTH - left
        chunks: list[str] = []
        for word in words:
            if line and len(line) + 1 + len(word) > width:
                chunks.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        if line:
            chunks.append(line)
        chunks = chunks or [""]
        prefix = f"  {name}"
        for chunk in chunks:
            if first and len(prefix) + 2 <= left:
                out.append(prefix.ljust(left) + chunk)
            elif first:
                out.append(prefix)
                out.append(" " * left + chunk)
            else:
                out.append(" " * left + chunk)
            first = False
    return out


def option(group: Any, *flags: str, env: str | None = None, **kwargs: Any) -> argparse.Action:
    """Add an option to `group` and record the environment variable that also sets it."""
    action: argparse.Action = group.add_argument(*flags, **kwargs)
    action.env = env  # type: ignore[attr-defined]
    return action


def _group(parser: argparse.ArgumentParser, title: str) -> Any:
    """The parser's argument group called `title`, made if needed (one section in `--help`)."""
    for group in parser._action_groups:
        if group.title == title:
            return group
    return parser.add_argument_group(title)


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """Options every command takes, before or after its name."""
    cache = _group(parser, "Cache options")
    option(cache, "-n", "--no-cache", action="store_true", default=False, env="UV_NO_CACHE",
           help="Avoid reading from or writing to the cache, instead using a temporary directory "
           "for the duration of the operation")
    option(cache, "--cache-dir", metavar="CACHE_DIR", default=None, env="UV_CACHE_DIR",
           help="Path to the cache directory")
    python = parser.add_argument_group("Python options")
    option(python, "--managed-python", action="store_true", default=False,
           env="UV_MANAGED_PYTHON", help="Require use of uv-managed Python versions")
    option(python, "--no-managed-python", action="store_true", default=False,
           env="UV_NO_MANAGED_PYTHON", help="Disable use of uv-managed Python versions")
    option(python, "--no-python-downloads", action="store_true", default=False,
           help="Disable automatic downloads of Python")
    glob = parser.add_argument_group("Global options")
    option(glob, "-q", "--quiet", action="count", default=0, help="Use quiet output")
    option(glob, "-v", "--verbose", action="count", default=0, help="Use verbose output")
    option(glob, "--color", metavar="COLOR_CHOICE", choices=("auto", "always", "never"),
           default="auto", help="Control the use of color in output")
    option(glob, "--system-certs", "--native-tls", action="store_true", default=False,
           env="UV_SYSTEM_CERTS", help="Whether to load TLS certificates from the platform's "
           "native certificate store")
    option(glob, "--offline", action="store_true", default=False, env="UV_OFFLINE",
           help="Disable network access")
    option(glob, "--allow-insecure-host", metavar="ALLOW_INSECURE_HOST", action="append",
           default=None, env="UV_INSECURE_HOST", help="Allow insecure connections to a host")
    option(glob, "--no-progress", action="store_true", default=False, env="UV_NO_PROGRESS",
           help="Hide all progress outputs")
    option(glob, "--directory", metavar="DIRECTORY", default=None, env="UV_WORKING_DIR",
           help="Change to the given directory prior to running the command")
    option(glob, "--project", metavar="PROJECT", default=None, env="UV_PROJECT",
           help="Discover a project in the given directory")
    option(glob, "--config-file", metavar="CONFIG_FILE", default=None, env="UV_CONFIG_FILE",
           help="The path to a `uv.toml` file to use for configuration")
    option(glob, "--no-config", action="store_true", default=False, env="UV_NO_CONFIG",
           help="Avoid discovering configuration files (`pyproject.toml`, `uv.toml`)")
    option(glob, "--preview", action="store_true", default=False, env="UV_PREVIEW",
           help="Whether to enable all experimental preview features")


def add_index_options(parser: argparse.ArgumentParser) -> None:
    """Index and refresh options, for the commands that read indexes (uv's "Index options")."""
    index = parser.add_argument_group("Index options")
    option(index, "--index", metavar="INDEX", action="append", default=None, env="UV_INDEX",
           help="The URLs to use when resolving dependencies, in addition to the default index "
           "(`[name=]url`)")
    option(index, "--default-index", metavar="DEFAULT_INDEX", default=None,
           env="UV_DEFAULT_INDEX", help="The URL of the default package index (by default: "
           "<https://pypi.org/simple>)")
    option(index, "-i", "--index-url", metavar="INDEX_URL", default=None, env="UV_INDEX_URL",
           help="(Deprecated: use `--default-index` instead) The URL of the Python package "
           "index")
    option(index, "--extra-index-url", metavar="EXTRA_INDEX_URL", action="append",
           default=None, env="UV_EXTRA_INDEX_URL", help="(Deprecated: use `--index` instead) "
           "Extra URLs of package indexes to use, in addition to `--index-url`")
    option(index, "-f", "--find-links", metavar="FIND_LINKS", action="append", default=None,
           env="UV_FIND_LINKS", help="Locations to search for candidate distributions, in "
           "addition to those found in the registry indexes")
    option(index, "--no-index", action="store_true", default=False, env="UV_NO_INDEX",
           help="Ignore the registry index (e.g., PyPI), instead relying on direct URL "
           "dependencies and those provided via `--find-links`")
    option(index, "--index-strategy", metavar="INDEX_STRATEGY", default=None,
           choices=("first-index", "unsafe-first-match", "unsafe-best-match"),
           env="UV_INDEX_STRATEGY", help="The strategy to use when resolving against multiple "
           "index URLs")
    cache = _group(parser, "Cache options")
    option(cache, "--refresh", action="store_true", default=False,
           help="Refresh all cached data")
    option(cache, "--refresh-package", metavar="REFRESH_PACKAGE", action="append",
           default=None, help="Refresh cached data for a specific package")
