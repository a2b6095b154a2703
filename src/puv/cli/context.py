"""Building the parser for the chosen command, and the context a command runs in.

`Context` holds the printer, the global options, and the settings and cache, loaded on first
use. `Context.run` imports the chosen command's CLI module, calls its `run`, and turns errors
into messages and exit statuses.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from puv.cli.output import Printer, color_enabled
from puv.cli.parser import PuvParser, add_global_options
from puv.cli.table import COMMANDS

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from typing import Any

    from puv.cache import Cache
    from puv.settings import CliSettings, Settings

__all__ = ["Context", "build_parser"]


def build_parser(path: list[str]) -> tuple[PuvParser, str | None]:
    """The parser for the command at `path` (`["python", "find"]`), and its module.

    Only the chosen command's parser is built: its own options plus the global ones, which
    are valid anywhere on the line. For a group or for `puv` itself (no leaf command), the
    parser lists the sub-commands, for help and errors. Building every command's parser
    would cost milliseconds that `puv venv` and `puv run` don't have (docs/startup.md).
    """
    node = COMMANDS
    for name in path:
        found = node.find(name)
        assert found is not None, name
        node = found
    prog = " ".join(["puv", *path])
    parser = PuvParser(prog=prog, description=node.summary)
    if node.module is not None and not node.subcommands:
        importlib.import_module(node.module).configure(parser, node.name)
        parser.set_defaults(_command=node.name)
        add_global_options(parser)
        return parser, node.module
    if not path:
        parser.add_argument("-V", "--version", action="version", version=_version(),
                            help="Display the puv version")
    subparsers = parser.add_subparsers(dest="_subcommand", metavar="COMMAND",
                                       parser_class=PuvParser)
    for command in node.subcommands:
        subparsers.add_parser(command.name, help=command.summary, add_help=False,
                              aliases=list(command.aliases))
    add_global_options(parser)
    return parser, None


def _version() -> str:
    from puv import __version__

    return f"puv {__version__}"


def _arg(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    return getattr(args, name, default)


class Context:
    """What every command gets: the printer, the global options, settings and cache."""

    def __init__(self, args: argparse.Namespace, printer: Printer, project_dir: str) -> None:
        self.args = args
        self.printer = printer
        self.project_dir = project_dir
        self._settings: Settings | None = None
        self._cache: Cache | None = None
        # Command-specific values for `CliSettings` (e.g. `--link-mode`).
        self.extra_cli: dict[str, Any] = {}
        # The command line as given (without the program), for `pip compile`'s header.
        self.argv: list[str] = []

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        verbosity = (_arg(args, "verbose", 0) or 0) - (_arg(args, "quiet", 0) or 0)
        color = color_enabled(_arg(args, "color", "auto") or "auto", sys.stderr)
        from puv.settings import env

        no_progress = _arg(args, "no_progress", False) or env.flag("UV_NO_PROGRESS")
        printer = Printer(verbosity=verbosity, color=color, progress=not no_progress)
        directory = _arg(args, "directory") or env.string("UV_WORKING_DIR")
        if directory:
            try:
                os.chdir(directory)
            except OSError as exc:
                printer.error(f"Failed to change to the directory `{directory}`: "
                              f"{exc.strerror}")
                raise SystemExit(2) from None
        project = _arg(args, "project") or env.string("UV_PROJECT")
        project_dir = os.path.abspath(project) if project else os.getcwd()
        return cls(args=args, printer=printer, project_dir=project_dir)

    def cli_settings(self, **overrides: Any) -> CliSettings:
        from puv.settings import CliSettings

        a = self.args
        return CliSettings(
            cache_dir=_arg(a, "cache_dir"),
            no_cache=bool(_arg(a, "no_cache")),
            offline=bool(_arg(a, "offline")),
            managed_python=bool(_arg(a, "managed_python")),
            no_managed_python=bool(_arg(a, "no_managed_python")),
            no_python_downloads=bool(_arg(a, "no_python_downloads")),
            system_certs=bool(_arg(a, "system_certs")),
            allow_insecure_host=tuple(_arg(a, "allow_insecure_host") or ()),
            no_progress=bool(_arg(a, "no_progress")),
            preview=bool(_arg(a, "preview")),
            config_file=_arg(a, "config_file"),
            no_config=bool(_arg(a, "no_config")),
            index=tuple(_arg(a, "index") or ()),
            default_index=_arg(a, "default_index"),
            index_url=_arg(a, "index_url"),
            extra_index_url=tuple(_arg(a, "extra_index_url") or ()),
            find_links=tuple(_arg(a, "find_links") or ()),
            no_index=bool(_arg(a, "no_index")),
            index_strategy=_arg(a, "index_strategy"),
            refresh=bool(_arg(a, "refresh")),
            refresh_package=tuple(_arg(a, "refresh_package") or ()),
            **overrides,
        )

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from puv.settings import load_settings

            self._settings = load_settings(self.cli_settings(**self.extra_cli),
                                           project_dir=self.project_dir)
            for warning in self._settings.warnings:
                self.printer.warning(warning)
        return self._settings

    @property
    def cache(self) -> Cache:
        if self._cache is None:
            from puv.cache import Cache

            settings = self.settings
            if settings.no_cache:
                self._cache = Cache.temporary(lock_timeout=settings.lock_timeout)
            else:
                self._cache = Cache(settings.cache_dir, lock_timeout=settings.lock_timeout)
            self._cache.on_wait = self.printer.status
        return self._cache

    def run(self, module: str, args: argparse.Namespace) -> int:
        from puv.errors import PuvError

        try:
            try:
                return int(importlib.import_module(module).run(args, self))
            finally:
                if self._cache is not None:
                    self._cache.close()
        except PuvError as exc:
            if self.printer.verbosity >= 1:
                import traceback

                traceback.print_exc()
            self.printer.error(exc.message, exc.hint)
            return exc.exit_code
        except KeyboardInterrupt:
            self.printer.error("Interrupted")
            return 130
        except BrokenPipeError:
            return 1
        except OSError as exc:
            # A file-system failure no layer turned into a `PuvError` (a read-only directory,
            # a full disk): still one clear line, with the traceback only for `-v`.
            if self.printer.verbosity >= 1:
                import traceback

                traceback.print_exc()
            where = f" at `{exc.filename}`" if exc.filename else ""
            self.printer.error(f"{exc.strerror or exc}{where}")
            return 1
