"""`puv init [PATH]`: options, and the call into `puv.commands.init`."""

from __future__ import annotations

import argparse

from puv.cli.parser import option

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.cli.context import Context

_BACKENDS = ("uv", "hatch", "flit", "pdm", "poetry", "setuptools", "maturin", "scikit")
# uv's aliases: the package names of the backends.
_ALIASES = {"uv-build": "uv", "uv_build": "uv", "hatchling": "hatch", "flit-core": "flit",
            "pdm-backend": "pdm", "poetry-core": "poetry", "scikit-build-core": "scikit"}


def _backend(value: str) -> str:
    return _ALIASES.get(value, value)


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH",
                        help="The path to use for the project/script")
    option(parser, "--name", metavar="NAME", help="The name of the project")
    option(parser, "--bare", action="store_true", help="Only create a `pyproject.toml`")
    option(parser, "--package", action="store_true", default=None,
           help="Set up the project to be built as a Python package")
    option(parser, "--no-package", action="store_true",
           help="Do not set up the project to be built as a Python package")
    option(parser, "--app", action="store_true", help="Create a project for an application")
    option(parser, "--lib", action="store_true", help="Create a project for a library")
    option(parser, "--description", metavar="DESCRIPTION",
           help="Set the project description")
    option(parser, "--no-description", action="store_true",
           help="Disable the description for the project")
    option(parser, "--vcs", metavar="VCS", choices=("git", "none"),
           help="Initialize a version control system for the project")
    option(parser, "--build-backend", metavar="BUILD_BACKEND", choices=_BACKENDS, type=_backend,
           env="UV_INIT_BUILD_BACKEND",
           help="Initialize a build-backend of choice for the project")
    option(parser, "--no-readme", action="store_true", help="Do not create a `README.md` file")
    option(parser, "--author-from", metavar="AUTHOR_FROM", choices=("auto", "git", "none"),
           help="Fill in the `authors` field in the `pyproject.toml`")
    option(parser, "--no-pin-python", action="store_true",
           help="Do not create a `.python-version` file for the project")
    option(parser, "--no-workspace", action="store_true",
           help="Avoid discovering a workspace and create a standalone project")
    python = parser.add_argument_group("Python options")
    option(python, "-p", "--python", metavar="PYTHON", env="UV_PYTHON",
           help="The Python interpreter to use to determine the minimum supported Python "
           "version.")


def _conflict(first: str, second: str) -> None:
    from puv.errors import UsageError

    raise UsageError(f"the argument '{first}' cannot be used with '{second}'")


def run(args: argparse.Namespace, ctx: Context) -> int:
    import os

    from puv.commands.init import DEFAULT_DESCRIPTION, InitOptions, init

    if args.app and args.lib:
        _conflict("--app", "--lib")
    if args.package and args.no_package:
        _conflict("--package", "--no-package")
    if args.lib and args.no_package:
        _conflict("--lib", "--no-package")
    if args.description is not None and args.no_description:
        _conflict("--description <DESCRIPTION>", "--no-description")
    backend = args.build_backend or _backend(os.environ.get("UV_INIT_BUILD_BACKEND") or "") \
        or None
    if args.build_backend and args.no_package:
        _conflict("--build-backend <BUILD_BACKEND>", "--no-package")
    package: bool | None = None
    if args.package or (backend and not args.no_package):
        package = True
    elif args.no_package:
        package = False
    options = InitOptions(
        name=args.name,
        kind="lib" if args.lib else "app",
        package=package,
        bare=args.bare,
        build_backend=backend if package is not False else None,
        description=None if args.no_description else (args.description
                                                        if args.description is not None
                                                        else DEFAULT_DESCRIPTION),
        readme=not args.no_readme,
        pin_python=not args.no_pin_python,
        python=args.python,
        vcs=args.vcs,
        author_from=args.author_from or "auto",
        no_workspace=args.no_workspace,
    )
    return init(path=args.path, options=options, settings=ctx.settings, cache=ctx.cache,
                console=ctx.printer)
