"""`puv pip compile` and `puv pip install`: the commands that resolve. Their options, and the
calls into `puv.commands.pip.compile` / `puv.commands.pip.install`.

Resolver and build options reach the settings through `ctx.extra_cli` (so that they take
precedence over `UV_*` variables and `[tool.uv.pip]` / `[tool.uv]`, see
`settings/resolver.py`); output options of `pip compile` fall back to `[tool.uv.pip]` here.
Flags come in pairs where uv has them (`--header` / `--no-header`): the last one given wins.
"""

from __future__ import annotations

import argparse

from puv.cli.parser import _group, add_index_options, option

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from typing import Any

    from puv.cli.context import Context

__all__ = ["configure", "run"]

SUPPRESS = argparse.SUPPRESS


def _invalid(flag: str, metavar: str, value: str, why: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(f"invalid value '{value}' for '{flag} <{metavar}>': {why}")


def _exclude_newer(value: str) -> str:
    from puv.settings.resolver import parse_exclude_newer

    try:
        parse_exclude_newer(value)
    except ValueError as exc:
        raise _invalid("--exclude-newer", "EXCLUDE_NEWER", value, str(exc)) from None
    return value


def _python_version(value: str) -> str:
    from puv.commands.pip.target import parse_python_version
    from puv.errors import UsageError

    try:
        return parse_python_version(value)
    except UsageError as exc:
        message = exc.message
        if message.startswith("invalid value"):
            message = message.split(": ", 1)[1]
        raise _invalid("--python-version", "PYTHON_VERSION", value, message) from None


def _config_setting(value: str) -> str:
    if "=" not in value or value.startswith("="):
        raise _invalid("--config-setting", "CONFIG_SETTING", value,
                       "Expected a key-value pair of the form `KEY=VALUE`")
    return value


def _pair(group: Any, name: str, dest: str, help: str, *, env: str | None = None,
          short: str | None = None) -> None:
    """`--name` (true) and its hidden opposite (`--no-name` <-> `--name`): the last wins."""
    positive, negative = name, (name[5:] if name.startswith("--no-") else "--no-" + name[2:])
    flags = (short, positive) if short else (positive,)
    option(group, *flags, dest=dest, action="store_true", default=None, env=env, help=help)
    option(group, "--" + negative.lstrip("-"), dest=dest, action="store_false", default=None,
           help=SUPPRESS)


def _resolver_options(parser: argparse.ArgumentParser, *, install: bool) -> None:
    """uv's "Resolver options" and "Build options" sections (shared by compile and
    install)."""
    from puv.settings.resolver import PRERELEASE_MODES, RESOLUTION_MODES

    resolver = _group(parser, "Resolver options")
    upgrade_help = ("Allow package upgrades, ignoring pinned versions in any existing output "
                    "file. Implies `--refresh`")
    _pair(resolver, "--upgrade", "upgrade", upgrade_help, short="-U")
    option(resolver, "-P", "--upgrade-package", metavar="UPGRADE_PACKAGE", action="append",
           default=None, help="Allow upgrades for a specific package, ignoring pinned versions "
           "in any existing output file. Implies `--refresh-package`")
    option(resolver, "--resolution", metavar="RESOLUTION", choices=RESOLUTION_MODES,
           default=None, env="UV_RESOLUTION", help="The strategy to use when selecting between "
           "the different compatible versions for a given package requirement")
    option(resolver, "--prerelease", metavar="PRERELEASE", choices=PRERELEASE_MODES,
           default=None, env="UV_PRERELEASE", help="The strategy to use when considering "
           "pre-release versions")
    option(resolver, "--pre", action="store_true", default=False, help=SUPPRESS)
    option(resolver, "--exclude-newer", metavar="EXCLUDE_NEWER", type=_exclude_newer,
           default=None, env="UV_EXCLUDE_NEWER", help="Limit candidate packages to those that "
           "were uploaded prior to the given date")
    option(resolver, "--exclude-newer-package", metavar="EXCLUDE_NEWER_PACKAGE",
           action="append", default=None, help="Limit candidate packages for specific "
           "packages to those that were uploaded prior to the given date (`PACKAGE=DATE`)")
    option(resolver, "--fork-strategy", metavar="FORK_STRATEGY",
           choices=("requires-python", "fewest"), default=None, env="UV_FORK_STRATEGY",
           help="The strategy to use when selecting multiple versions of a given package "
           "across Python versions and platforms")
    build = _group(parser, "Build options")
    option(build, "-C", "--config-setting", "--config-settings", dest="config_setting",
           metavar="CONFIG_SETTING", action="append", type=_config_setting, default=None,
           help="Settings to pass to the PEP 517 build backend, specified as `KEY=VALUE` pairs")
    _pair(build, "--no-build-isolation", "no_build_isolation", "Disable isolation when "
          "building source distributions", env="UV_NO_BUILD_ISOLATION")
    option(build, "--no-build-isolation-package", metavar="NO_BUILD_ISOLATION_PACKAGE",
           action="append", default=None, help="Disable isolation when building source "
           "distributions for a specific package")
    # Not in uv's `pip compile`; puv accepts them there too (and reads `UV_NO_BUILD_PACKAGE`).
    option(build, "--no-build-package", metavar="NO_BUILD_PACKAGE", action="append",
           default=None, help=SUPPRESS if not install else
           "Don't build source distributions for a specific package")
    option(build, "--no-binary-package", metavar="NO_BINARY_PACKAGE", action="append",
           default=None, help=SUPPRESS)


def _binary_options(group: Any) -> None:
    """`--no-build` and pip's `--no-binary` / `--only-binary` (`:all:`, `:none:`, names)."""
    _pair(group, "--no-build", "no_build", "Don't build source distributions")
    option(group, "--no-binary", metavar="NO_BINARY", action="append", default=None,
           help="Don't install pre-built wheels")
    option(group, "--only-binary", metavar="ONLY_BINARY", action="append", default=None,
           help="Only use pre-built wheels; don't build source distributions")


def _target_options(group: Any, python: Any) -> None:
    from puv.commands.pip.target import PLATFORMS, platform_choice

    option(group, "--python-platform", metavar="PYTHON_PLATFORM", type=platform_choice,
           choices=tuple(PLATFORMS), default=None,
           help="The platform for which requirements should be resolved")
    option(python, "--python-version", metavar="PYTHON_VERSION", type=_python_version,
           default=None, help="The Python version to use for resolution")


def _requirement_files(parser: argparse.ArgumentParser) -> None:
    option(parser, "-c", "--constraints", "--constraint", dest="constraints",
           metavar="CONSTRAINTS", action="append", default=None, env="UV_CONSTRAINT",
           help="Constrain versions using the given requirements files")
    option(parser, "--overrides", "--override", dest="overrides", metavar="OVERRIDES",
           action="append", default=None, env="UV_OVERRIDE",
           help="Override versions using the given requirements files")
    option(parser, "-b", "--build-constraints", "--build-constraint",
           dest="build_constraints", metavar="BUILD_CONSTRAINTS", action="append", default=None,
           env="UV_BUILD_CONSTRAINT", help="Constrain build dependencies using the given "
           "requirements files when building source distributions")


def _extras(parser: argparse.ArgumentParser) -> None:
    option(parser, "--extra", metavar="EXTRA", action="append", default=None,
           help="Include optional dependencies from the specified extra name; may be provided "
           "more than once")
    _pair(parser, "--all-extras", "all_extras", "Include all optional dependencies")
    option(parser, "--group", metavar="GROUP", action="append", default=None,
           help="Install the specified dependency group from a `pyproject.toml`")


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    from puv.cli.pip import add_environment_options

    if name == "compile":
        parser.add_argument("src_file", nargs="*", metavar="SRC_FILE",
                            help="Include the packages listed in the given files")
        _requirement_files(parser)
        _extras(parser)
        _pair(parser, "--no-deps", "no_deps", "Ignore package dependencies, instead only add "
              "those packages explicitly listed on the command line to the resulting "
              "requirements file")
        option(parser, "-o", "--output-file", metavar="OUTPUT_FILE", default=None,
               help="Write the compiled requirements to the given `requirements.txt` file")
        option(parser, "--format", metavar="FORMAT", default=None,
               choices=("requirements.txt", "pylock.toml"),
               help="The format in which the resolution should be output")
        _pair(parser, "--no-strip-extras", "no_strip_extras", "Include extras in the output "
              "file")
        _pair(parser, "--no-strip-markers", "no_strip_markers", "Include environment markers "
              "in the output file")
        _pair(parser, "--no-annotate", "no_annotate", "Exclude comment annotations indicating "
              "the source of each package")
        _pair(parser, "--no-header", "no_header", "Exclude the comment header at the top of "
              "the generated output file")
        option(parser, "--annotation-style", metavar="ANNOTATION_STYLE", default=None,
               choices=("line", "split"), help="The style of the annotation comments included "
               "in the output file, used to indicate the source of each package")
        option(parser, "--custom-compile-command", metavar="CUSTOM_COMPILE_COMMAND",
               default=None, env="UV_CUSTOM_COMPILE_COMMAND", help="The header comment to "
               "include at the top of the output file generated by `puv pip compile`")
        _pair(parser, "--generate-hashes", "generate_hashes", "Include distribution hashes "
              "in the output file")
        _binary_options(parser)
        python = _group(parser, "Python options")
        _target_options(parser, python)
        _pair(parser, "--universal", "universal", "Perform a universal resolution, attempting "
              "to generate a single `requirements.txt` output file that is compatible with "
              "all operating systems, architectures, and Python implementations")
        option(parser, "--no-emit-package", "--unsafe-package", dest="no_emit_package",
               metavar="NO_EMIT_PACKAGE", action="append", default=None,
               help="Specify a package to omit from the output resolution. Its dependencies "
               "will still be included in the resolution. Equivalent to pip-compile's "
               "`--unsafe-package` option")
        _pair(parser, "--emit-index-url", "emit_index_url", "Include `--index-url` and "
              "`--extra-index-url` entries in the generated output file")
        _pair(parser, "--emit-find-links", "emit_find_links", "Include `--find-links` entries "
              "in the generated output file")
        _pair(parser, "--emit-build-options", "emit_build_options", "Include `--no-binary` "
              "and `--only-binary` entries in the generated output file")
        _pair(parser, "--emit-index-annotation", "emit_index_annotation", "Include comment "
              "annotations indicating the index used to resolve each package (e.g., "
              "`# from https://pypi.org/simple`)")
        add_index_options(parser)
        _resolver_options(parser, install=False)
        installer = _group(parser, "Installer options")
        option(installer, "--link-mode", metavar="LINK_MODE", env="UV_LINK_MODE",
               choices=("clone", "copy", "hardlink", "symlink"), default=None,
               help="The method to use when installing packages from the global cache")
        option(python, "-p", "--python", metavar="PYTHON", default=None, env="UV_PYTHON",
               help="The Python interpreter to use during resolution.")
        _pair(python, "--system", "system", "Install packages into the system Python "
              "environment", env="UV_SYSTEM_PYTHON")
        return
    # install
    parser.add_argument("package", nargs="*", metavar="PACKAGE",
                        help="Install all listed packages")
    option(parser, "-r", "--requirements", "--requirement", dest="requirements",
           metavar="REQUIREMENTS", action="append", default=None,
           help="Install all packages listed in the given `requirements.txt` or `pyproject.toml` "
           "files")
    option(parser, "-e", "--editable", metavar="EDITABLE", action="append", default=None,
           help="Install the editable package based on the provided local file path")
    _requirement_files(parser)
    _extras(parser)
    option(parser, "--no-deps", action="store_true", default=False,
           help="Ignore package dependencies, instead only installing those packages explicitly "
           "listed on the command line or in the requirements files")
    option(parser, "--require-hashes", action="store_true", default=False,
           env="UV_REQUIRE_HASHES", help="Require a matching hash for each requirement")
    option(parser, "--no-verify-hashes", action="store_true", default=False,
           env="UV_NO_VERIFY_HASHES", help="Disable validation of hashes in the requirements "
           "file")
    option(parser, "--dry-run", action="store_true", default=False,
           help="Perform a dry run, i.e., don't actually install anything but resolve the "
           "dependencies and print the resulting plan")
    option(parser, "--strict", action="store_true", default=False,
           help="Validate the Python environment after completing the installation, to detect "
           "packages with missing dependencies or other issues")
    _binary_options(parser)
    add_index_options(parser)
    _resolver_options(parser, install=True)
    from puv.cli.pip import _install_options

    _install_options(parser)
    add_environment_options(parser, write=True)
    _target_options(parser, _group(parser, "Python options"))


# -- running -------------------------------------------------------------------------------


def _cli_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The resolver and build options for `CliSettings` (through `ctx.extra_cli`)."""
    no_binary = list(args.no_binary or [])
    prerelease = args.prerelease or ("allow" if args.pre else None)
    return {
        "pip_interface": True,
        "resolution": args.resolution,
        "prerelease": prerelease,
        "exclude_newer": args.exclude_newer,
        "exclude_newer_package": tuple(args.exclude_newer_package or ()),
        "fork_strategy": args.fork_strategy,
        "no_build": args.no_build,
        "no_build_package": tuple(args.no_build_package or ()),
        "no_binary": tuple(no_binary),
        "no_binary_package": tuple(args.no_binary_package or ()),
        "only_binary": tuple(args.only_binary or ()),
        "no_build_isolation": args.no_build_isolation,
        "no_build_isolation_package": tuple(args.no_build_isolation_package or ()),
        "config_settings": tuple(args.config_setting or ()),
        "upgrade": args.upgrade,
        "upgrade_package": tuple(args.upgrade_package or ()),
        "constraints": tuple(_words(args.constraints)),
        "overrides": tuple(_words(args.overrides)),
        "build_constraints": tuple(_words(args.build_constraints)),
        "link_mode": args.link_mode,
    }


def _words(values: list[str] | None) -> list[str]:
    return [value for value in values or ()]


def _commas(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def run(args: argparse.Namespace, ctx: Context) -> int:
    ctx.extra_cli.update(_cli_settings(args))
    if args._command == "compile":
        return _compile(args, ctx)
    return _install(args, ctx)


def _compile(args: argparse.Namespace, ctx: Context) -> int:
    from puv.errors import UsageError
    from puv.settings import env

    settings = ctx.settings
    pip: dict[str, Any] = dict(settings.options.get("pip", {}))

    def flag(value: bool | None, key: str, default: bool = False) -> bool:
        if value is not None:
            return value
        return bool(pip.get(key, default))

    groups = _commas(args.group) or list(pip.get("group", ()))
    if not args.src_file and not groups:
        import sys

        ctx.printer.error("the following required arguments were not provided:\n"
                          "  <SRC_FILE|--group <GROUP>>")
        sys.stderr.write("\nUsage: puv pip compile [OPTIONS] <SRC_FILE|--group <GROUP>>\n\n"
                         "For more information, try '--help'.\n")
        return 2
    if flag(args.no_strip_markers, "no-strip-markers"):
        raise UsageError("`--no-strip-markers` is not supported by `puv pip compile` yet")
    if args.format == "pylock.toml":
        raise UsageError("`--format pylock.toml` is not supported by `puv pip compile` yet")
    extras = _commas(args.extra) or list(pip.get("extra", ()))
    system = args.system if args.system is not None else bool(
        env.flag("UV_SYSTEM_PYTHON") or pip.get("system", False))
    from puv.commands.pip.compile import pip_compile

    return pip_compile(
        src_files=args.src_file,
        constraints=settings.constraints,
        overrides=settings.overrides,
        extras=extras,
        all_extras=flag(args.all_extras, "all-extras"),
        groups=groups,
        output_file=args.output_file or pip.get("output-file"),
        no_deps=flag(args.no_deps, "no-deps"),
        generate_hashes=flag(args.generate_hashes, "generate-hashes"),
        strip_extras=not flag(args.no_strip_extras, "no-strip-extras"),
        annotate=not flag(args.no_annotate, "no-annotate"),
        annotation_style=args.annotation_style or pip.get("annotation-style", "split"),
        header=not flag(args.no_header, "no-header"),
        custom_compile_command=args.custom_compile_command
        or env.string("UV_CUSTOM_COMPILE_COMMAND") or pip.get("custom-compile-command"),
        emit_index_url=flag(args.emit_index_url, "emit-index-url"),
        emit_find_links=flag(args.emit_find_links, "emit-find-links"),
        emit_index_annotation=flag(args.emit_index_annotation, "emit-index-annotation"),
        no_emit_packages=_commas(args.no_emit_package) or list(pip.get("no-emit-package", ())),
        python=args.python or pip.get("python"),
        python_version=args.python_version or _checked_pip_version(pip),
        python_platform=args.python_platform or _checked_pip_platform(pip),
        system=system,
        config_settings=list(args.config_setting or ()),
        argv=ctx.argv,
        quiet=ctx.printer.verbosity < 0,
        settings=settings,
        cache=ctx.cache,
        project_dir=ctx.project_dir,
        console=ctx.printer,
        universal=flag(args.universal, "universal"),
    )


def _checked_pip_version(pip: dict[str, Any]) -> str | None:
    value = pip.get("python-version")
    if value is None:
        return None
    from puv.commands.pip.target import parse_python_version

    return parse_python_version(str(value))


def _checked_pip_platform(pip: dict[str, Any]) -> str | None:
    value = pip.get("python-platform")
    if value is None:
        return None
    from puv.commands.pip.target import PLATFORMS, platform_choice
    from puv.errors import SettingsError

    name = platform_choice(str(value))
    if name not in PLATFORMS:
        raise SettingsError(f"Invalid value for `tool.uv.pip.python-platform`: `{value}` is "
                            f"not a target triple (for example `linux`, `windows`, `macos`, "
                            "`x86_64-unknown-linux-gnu`)")
    return name


def _install(args: argparse.Namespace, ctx: Context) -> int:
    """`puv pip install`: the arguments, and the resolver options from the merged settings
    (`settings_resolver_options`), handed to `puv.commands.pip.install.pip_install`;
    `--link-mode` and `--compile-bytecode` reach the installer through `settings`."""
    from puv.cli.pip import environment_kwargs
    from puv.commands.pip.compile import settings_resolver_options
    from puv.commands.pip.install import pip_install
    from puv.errors import UsageError

    if args.compile_bytecode or args.no_compile_bytecode:
        ctx.extra_cli["compile_bytecode"] = bool(args.compile_bytecode)
    for name in ("require_hashes", "no_verify_hashes"):
        if getattr(args, name):
            raise UsageError(f"`--{name.replace('_', '-')}` is not supported by "
                             "`puv pip install` yet", hint="use `puv pip sync` with a "
                             "hashed requirements file")
    settings = ctx.settings
    return int(pip_install(
        packages=args.package,
        requirements=args.requirements or [],
        editables=args.editable or [],
        constraints=list(settings.constraints),
        overrides=list(settings.overrides),
        extras=_commas(args.extra),
        all_extras=bool(args.all_extras),
        groups=_commas(args.group),
        upgrade=settings.upgrade,
        upgrade_packages=list(settings.upgrade_package),
        reinstall=args.reinstall,
        reinstall_packages=args.reinstall_package or [],
        no_deps=args.no_deps,
        dry_run=args.dry_run,
        strict=bool(args.strict),
        python_version=args.python_version,
        python_platform=args.python_platform,
        config_settings=list(args.config_setting or ()),
        options=settings_resolver_options(settings),
        **environment_kwargs(args, ctx),  # type: ignore[arg-type]
    ))
