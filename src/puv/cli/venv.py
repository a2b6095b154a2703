"""`puv venv [PATH]`: options, and the call into `puv.commands.venv`."""

from __future__ import annotations

import argparse

from puv.cli.parser import add_index_options, option

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.cli.context import Context


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH",
                        help="The path to the virtual environment to create")
    option(parser, "--name", dest="name", metavar="NAME",
           help="The name (path) of the virtual environment to create; the same as PATH")
    option(parser, "--no-project", action="store_true", env="UV_NO_PROJECT",
           help="Avoid discovering a project or workspace")
    option(parser, "--seed", action="store_true", env="UV_VENV_SEED",
           help="Install seed packages (one or more of: `pip`, `setuptools`, and `wheel`) "
           "into the virtual environment")
    option(parser, "-c", "--clear", action="store_true", env="UV_VENV_CLEAR",
           help="Remove any existing files or directories at the target path")
    option(parser, "--force", action="store_true",
           help="Allow `--clear` to remove a non-virtual environment directory")
    option(parser, "--allow-existing", action="store_true",
           help="Preserve any existing files or directories at the target path")
    option(parser, "--prompt", metavar="PROMPT",
           help="Provide an alternative prompt prefix for the virtual environment")
    option(parser, "--system-site-packages", action="store_true",
           help="Give the virtual environment access to the system site packages directory")
    option(parser, "--link-mode", metavar="LINK_MODE", env="UV_LINK_MODE",
           choices=("clone", "copy", "hardlink", "symlink"),
           help="The method to use when installing packages from the global cache")
    add_index_options(parser)  # where `--seed` finds pip
    python = parser.add_argument_group("Python options")
    option(python, "-p", "--python", metavar="PYTHON", env="UV_PYTHON",
           help="The Python interpreter to use for the virtual environment")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from puv.commands.venv import venv
    from puv.errors import UsageError
    from puv.settings import env

    if args.name and args.path and args.name != args.path:
        raise UsageError(f"`--name {args.name}` and the path `{args.path}` disagree: give the "
                         "environment's path once")
    ctx.extra_cli["link_mode"] = args.link_mode
    return venv(
        path=args.name or args.path,
        python=args.python,
        prompt=args.prompt,
        system_site_packages=args.system_site_packages,
        seed=args.seed or bool(env.flag("UV_VENV_SEED")),
        clear=args.clear or bool(env.flag("UV_VENV_CLEAR")),
        allow_existing=args.allow_existing,
        force=args.force,
        no_project=args.no_project or bool(env.flag("UV_NO_PROJECT")),
        settings=ctx.settings,
        cache=ctx.cache,
        console=ctx.printer,
        project_dir=ctx.project_dir,
    )
