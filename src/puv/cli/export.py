"""`puv export`: options (uv's names and help texts), and the call into
`puv.commands.project.export`.

The extras and group options are `puv sync`'s (`cli/sync.py`), checked for the same
conflicts; index, resolver and build options are the project commands'
(`cli/project_options.py`).
"""

from __future__ import annotations

import argparse

from puv.cli.parser import _group, option

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.cli.context import Context

SUPPRESS = argparse.SUPPRESS


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    from puv.cli.project_options import add_resolver_options
    from puv.cli.sync import add_selection_options

    option(parser, "--format", metavar="FORMAT", default=None,
           choices=("requirements.txt", "pylock.toml", "cyclonedx1.5"),
           help="The format to which `uv.lock` should be exported")
    option(parser, "--all-packages", action="store_true", default=False,
           help="Export the entire workspace")
    option(parser, "--package", metavar="PACKAGE", action="append", default=None,
           help="Export the dependencies for specific packages in the workspace")
    option(parser, "--prune", metavar="PACKAGE", action="append", default=None,
           help="Prune the given package from the dependency tree")
    add_selection_options(parser)
    option(parser, "--annotate", dest="annotate", action="store_true", default=True,
           help=SUPPRESS)
    option(parser, "--no-annotate", dest="annotate", action="store_false",
           help="Exclude comment annotations indicating the source of each package")
    option(parser, "--header", dest="header", action="store_true", default=True,
           help=SUPPRESS)
    option(parser, "--no-header", dest="header", action="store_false",
           help="Exclude the comment header at the top of the generated output file")
    option(parser, "--emit-index-url", action="store_true", default=False,
           help="Include `--index-url` and `--extra-index-url` entries in the generated "
           "output file")
    option(parser, "--emit-find-links", action="store_true", default=False,
           help="Include `--find-links` entries in the generated output file")
    option(parser, "--editable", dest="no_editable", action="store_false", default=None,
           help=SUPPRESS)
    option(parser, "--no-editable", dest="no_editable", action="store_true", default=None,
           env="UV_NO_EDITABLE", help="Export any editable dependencies, including the "
           "project and any workspace members, as non-editable")
    option(parser, "--no-editable-package", metavar="NO_EDITABLE_PACKAGE", action="append",
           default=None, help="Export the specified editable packages as non-editable")
    option(parser, "--hashes", dest="hashes", action="store_true", default=True,
           help=SUPPRESS)
    option(parser, "--no-hashes", dest="hashes", action="store_false",
           help="Omit hashes in the generated output")
    option(parser, "-o", "--output-file", metavar="OUTPUT_FILE", default=None,
           help="Write the exported requirements to the given file")
    option(parser, "--no-emit-project", "--no-install-project", dest="no_emit_project",
           action="store_true", default=False, help="Do not emit the current project")
    option(parser, "--no-emit-workspace", "--no-install-workspace", dest="no_emit_workspace",
           action="store_true", default=False,
           help="Do not emit any workspace members, including the root project")
    option(parser, "--no-emit-local", "--no-install-local", dest="no_emit_local",
           action="store_true", default=False,
           help="Do not include local path dependencies in the exported requirements")
    option(parser, "--no-emit-package", "--no-install-package", dest="no_emit_package",
           metavar="NO_EMIT_PACKAGE", action="append", default=None,
           help="Do not emit the given package(s)")
    option(parser, "--locked", action="store_true", default=False, env="UV_LOCKED",
           help="Assert that the `uv.lock` will remain unchanged")
    option(parser, "--frozen", action="store_true", default=False, env="UV_FROZEN",
           help="Do not update the `uv.lock` before exporting")
    option(parser, "--script", metavar="SCRIPT", default=None,
           help="Export the dependencies for the specified PEP 723 Python script, rather than "
           "the current project")
    add_resolver_options(parser)
    python = _group(parser, "Python options")
    option(python, "-p", "--python", metavar="PYTHON", default=None, env="UV_PYTHON",
           help="The Python interpreter to use during resolution.")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from packaging.utils import canonicalize_name

    from puv.cli.project_options import commas, env_flag, lock_step, resolver_cli_settings
    from puv.cli.sync import check_conflicts, selection_from_args
    from puv.commands.project.export import (
        ExportOptions,
        export,
        export_command,
        export_format,
    )
    from puv.errors import UsageError
    from puv.lock.select import InstallFilter

    check_conflicts(args, ctx.argv)
    if args.script is not None:
        raise UsageError("`puv export --script` is not supported yet")
    chosen = export_format(args.format, args.output_file)
    extra = resolver_cli_settings(args)
    if args.python:
        extra["python"] = args.python
    ctx.extra_cli.update(extra)
    settings = ctx.settings
    step, source = lock_step(args)
    no_editable = args.no_editable if args.no_editable is not None else \
        env_flag("UV_NO_EDITABLE")
    install = InstallFilter(
        no_install_project=args.no_emit_project,
        no_install_workspace=args.no_emit_workspace,
        no_install_local=args.no_emit_local,
        no_install_packages=frozenset(str(canonicalize_name(n))
                                      for n in commas(args.no_emit_package)))
    options = ExportOptions(
        format=chosen, hashes=args.hashes, header=args.header, annotate=args.annotate,
        command=export_command(ctx.argv), editable=not no_editable,
        no_editable_packages=tuple(commas(args.no_editable_package)),
        prune=tuple(commas(args.prune)), emit_index_url=args.emit_index_url,
        emit_find_links=args.emit_find_links, output_file=args.output_file,
        install=install, quiet=ctx.printer.verbosity < 0)
    return export(project_dir=ctx.project_dir, selection=selection_from_args(args),
                  options=options, lock_step=step, lock_source=source, settings=settings,
                  cache=ctx.cache, console=ctx.printer)
