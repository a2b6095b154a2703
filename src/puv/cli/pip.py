"""`puv pip sync` and `puv pip uninstall`: options, and the calls into `puv.commands.pip`.

`add_environment_options` is shared with the read-only pip commands (`cli/pip_inspect.py`).
"""

from __future__ import annotations

import argparse

from puv.cli.parser import _group, add_index_options, option

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.cli.context import Context

__all__ = ["add_environment_options", "configure", "environment_kwargs", "run"]


def add_environment_options(parser: argparse.ArgumentParser, *, write: bool) -> None:
    """`--python`, `--system`, and (for commands that change an environment) `--target`,
    `--prefix` and `--break-system-packages`, in uv's "Python options" section."""
    python = _group(parser, "Python options")
    option(python, "-p", "--python", metavar="PYTHON", env="UV_PYTHON",
           help="The Python interpreter into which packages should be installed" if write
           else "The Python interpreter for which packages should be listed")
    option(python, "--system", action="store_true", default=False, env="UV_SYSTEM_PYTHON",
           help="Install packages into the system Python environment" if write else
           "List packages in the system Python environment")
    option(python, "--no-system", action="store_true", default=False, help=argparse.SUPPRESS)
    if write:
        option(python, "--break-system-packages", action="store_true", default=False,
               env="UV_BREAK_SYSTEM_PACKAGES", help="Allow uv to modify an "
               "`EXTERNALLY-MANAGED` Python installation")
        option(python, "--target", metavar="TARGET", default=None,
               help="Install packages into the specified directory, rather than into the "
               "virtual or system Python environment")
        option(python, "--prefix", metavar="PREFIX", default=None,
               help="Install packages into `lib`, `bin`, and other top-level folders under "
               "the specified directory, as if a virtual environment were present at that "
               "location")
    else:
        option(python, "--target", metavar="TARGET", default=None, help=argparse.SUPPRESS)
        option(python, "--prefix", metavar="PREFIX", default=None, help=argparse.SUPPRESS)


def environment_kwargs(args: argparse.Namespace, ctx: Context) -> dict[str, object]:
    """The keyword arguments `find_environment` takes, from the parsed options."""
    from puv.settings import env

    system = (args.system or bool(env.flag("UV_SYSTEM_PYTHON"))) and not args.no_system
    return {
        "python": args.python or env.string("UV_PYTHON"),
        "system": system,
        "target": args.target,
        "prefix": args.prefix,
        "break_system_packages": getattr(args, "break_system_packages", False)
        or bool(env.flag("UV_BREAK_SYSTEM_PACKAGES")),
        "settings": ctx.settings,
        "cache": ctx.cache,
        "project_dir": ctx.project_dir,
        "console": ctx.printer,
    }


def _install_options(parser: argparse.ArgumentParser) -> None:
    installer = _group(parser, "Installer options")
    option(installer, "--reinstall", "--force-reinstall", action="store_true", default=False,
           help="Reinstall all packages, regardless of whether they're already installed")
    option(installer, "--reinstall-package", metavar="REINSTALL_PACKAGE", action="append",
           default=None, help="Reinstall a specific package, regardless of whether it's "
           "already installed")
    option(installer, "--link-mode", metavar="LINK_MODE", env="UV_LINK_MODE",
           choices=("clone", "copy", "hardlink", "symlink"),
           help="The method to use when installing packages from the global cache")
    option(installer, "--compile-bytecode", "--compile", action="store_true", default=False,
           env="UV_COMPILE_BYTECODE", help="Compile Python files to bytecode after "
           "installation")
    option(installer, "--no-compile-bytecode", action="store_true", default=False,
           help=argparse.SUPPRESS)


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    if name == "sync":
        parser.add_argument("src_file", nargs="+", metavar="SRC_FILE",
                            help="Include all packages listed in the given `requirements.txt` "
                            "files")
        option(parser, "-c", "--constraints", metavar="CONSTRAINTS", action="append",
               default=None, env="UV_CONSTRAINT",
               help="Constrain versions using the given requirements files")
        option(parser, "--require-hashes", action="store_true", default=False,
               env="UV_REQUIRE_HASHES", help="Require a matching hash for each requirement")
        option(parser, "--no-require-hashes", action="store_true", default=False,
               help=argparse.SUPPRESS)
        option(parser, "--verify-hashes", action="store_true", default=False,
               help=argparse.SUPPRESS)
        option(parser, "--no-verify-hashes", action="store_true", default=False,
               env="UV_NO_VERIFY_HASHES", help="Disable validation of hashes in the "
               "requirements file")
        option(parser, "--allow-empty-requirements", action="store_true", default=False,
               help="Allow sync of empty requirements, which will clear the environment of "
               "all packages")
        option(parser, "--dry-run", action="store_true", default=False,
               help="Perform a dry run, i.e., don't actually install anything but resolve the "
               "dependencies and print the resulting plan")
        option(parser, "--strict", action="store_true", default=False,
               help="Validate the Python environment after completing the installation, to "
               "detect packages with missing dependencies or other issues")
        add_index_options(parser)
        _install_options(parser)
        add_environment_options(parser, write=True)
    else:  # uninstall
        parser.add_argument("package", nargs="*", metavar="PACKAGE",
                            help="Uninstall all listed packages")
        option(parser, "-r", "--requirements", metavar="REQUIREMENTS", action="append",
               default=None, help="Uninstall all packages listed in the given requirements "
               "files")
        option(parser, "--dry-run", action="store_true", default=False,
               help="Perform a dry run, i.e., don't actually uninstall anything but print the "
               "resulting plan")
        add_environment_options(parser, write=True)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from puv.settings import env

    ctx.extra_cli["pip_interface"] = True  # `[tool.uv.pip]` before `[tool.uv]`
    if args._command == "uninstall":
        from puv.commands.pip.uninstall import pip_uninstall

        return pip_uninstall(packages=args.package, requirements=args.requirements or [],
                             dry_run=args.dry_run, **environment_kwargs(args, ctx))  # type: ignore[arg-type]
    from puv.commands.pip.sync import pip_sync

    ctx.extra_cli["link_mode"] = args.link_mode
    if args.compile_bytecode or args.no_compile_bytecode:
        ctx.extra_cli["compile_bytecode"] = bool(args.compile_bytecode)
    require_hashes = (args.require_hashes or bool(env.flag("UV_REQUIRE_HASHES"))) \
        and not args.no_require_hashes
    return pip_sync(
        src_files=args.src_file,
        constraints=args.constraints or [],
        require_hashes=require_hashes,
        verify_hashes=not args.no_verify_hashes,
        reinstall=args.reinstall,
        reinstall_packages=args.reinstall_package or [],
        dry_run=args.dry_run,
        allow_empty=args.allow_empty_requirements,
        strict=args.strict,
        **environment_kwargs(args, ctx),  # type: ignore[arg-type]
    )
