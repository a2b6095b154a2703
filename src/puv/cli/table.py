"""The command table: names, summaries and where each command lives.

Nothing here imports a command. The parser adds a sub-parser for every entry (a name and a
summary cost nothing) and asks only the chosen command's module to declare its options; after
parsing, that module's `run(args, ctx)` is called. This keeps `puv --version` and `puv --help`
free of every command's imports.
"""

from __future__ import annotations

__all__ = ["COMMANDS", "Command"]


class Command:
    """A command: its name, summary, module (defining `configure(parser, name)` and
    `run(args, ctx) -> int`) or sub-commands."""

    __slots__ = ("aliases", "module", "name", "subcommands", "summary")

    def __init__(self, name: str, summary: str, module: str | None = None,
                 subcommands: tuple[Command, ...] = (), aliases: tuple[str, ...] = ()) -> None:
        self.name = name
        self.summary = summary
        self.module = module
        self.subcommands = subcommands
        self.aliases = aliases

    def find(self, name: str) -> Command | None:
        for sub in self.subcommands:
            if name == sub.name or name in sub.aliases:
                return sub
        return None


COMMANDS = Command(
    "puv",
    "An extremely fast Python package manager, written in Python.",
    subcommands=(
        Command("init", "Create a new project", "puv.cli.init"),
        Command("add", "Add dependencies to the project", "puv.cli.add"),
        Command("remove", "Remove dependencies from the project", "puv.cli.add"),
        Command("sync", "Update the project's environment", "puv.cli.sync"),
        Command("run", "Run a command or script", "puv.cli.run"),
        Command("lock", "Update the project's lockfile", "puv.cli.lock"),
        Command("export", "Export the project's lockfile to an alternate format",
                "puv.cli.export"),
        Command("tree", "Display the project's dependency tree", "puv.cli.tree"),
        Command("version", "Read or update the project's version", "puv.cli.version"),
        Command(
            "python",
            "Manage Python versions and installations",
            subcommands=(
                Command("list", "List the available Python installations", "puv.cli.python",
                        aliases=("ls",)),
                Command("find", "Search for a Python installation", "puv.cli.python"),
                Command("pin", "Pin to a specific Python version", "puv.cli.python"),
            ),
        ),
        Command(
            "pip",
            "Manage Python packages with a pip-compatible interface",
            subcommands=(
                Command("compile", "Compile a `requirements.in` file to a `requirements.txt` "
                        "or `pylock.toml` file", "puv.cli.pip_resolve"),
                Command("sync", "Sync an environment with a `requirements.txt` or "
                        "`pylock.toml` file", "puv.cli.pip"),
                Command("install", "Install packages into an environment",
                        "puv.cli.pip_resolve"),
                Command("uninstall", "Uninstall packages from an environment", "puv.cli.pip"),
                Command("freeze", "List, in requirements format, packages installed in an "
                        "environment", "puv.cli.pip_inspect"),
                Command("list", "List, in tabular format, packages installed in an "
                        "environment", "puv.cli.pip_inspect"),
                Command("show", "Show information about one or more installed packages",
                        "puv.cli.pip_inspect"),
                Command("tree", "Display the dependency tree for an environment",
                        "puv.cli.pip_inspect"),
                Command("check", "Verify installed packages have compatible dependencies",
                        "puv.cli.pip_inspect"),
            ),
        ),
        Command("venv", "Create a virtual environment", "puv.cli.venv"),
        Command(
            "cache",
            "Manage puv's cache",
            subcommands=(
                Command("clean", "Clear the cache, removing all entries or those linked to "
                        "specific packages", "puv.cli.cache"),
                Command("prune", "Prune all unreachable objects from the cache",
                        "puv.cli.cache"),
                Command("dir", "Show the cache directory", "puv.cli.cache"),
                Command("size", "Show the cache size", "puv.cli.cache"),
            ),
        ),
        Command("help", "Display documentation for a command"),
    ),
)
