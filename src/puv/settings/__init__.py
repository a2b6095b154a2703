"""One frozen `Settings` for a run, merged from every place a setting can come from.

Precedence, highest first: command-line flags > `UV_*` environment variables > the project's
`[tool.uv]` (or `uv.toml`) > the user's `uv.toml` > the system's `uv.toml`. Scalars take the
highest value; lists are concatenated, highest first. A value of the wrong type is an error
that names the file, the key (and its line) and the type expected; unknown keys are warnings.
"""

from __future__ import annotations

import os

from puv.errors import SettingsError
from puv.settings import env
from puv.settings.files import (
    ConfigFile,
    find_project_config,
    load_config_file,
    locate_key,
    system_config_files,
    user_config_file,
)

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from _typeshed import StrPath

__all__ = ["CliSettings", "Settings", "default_cache_dir", "load_settings"]


class CliSettings:
    """What the command line said; `None`, `False` or empty means "not given"."""

    __slots__ = ("allow_insecure_host", "build_constraints", "cache_dir", "compile_bytecode",
                 "config_file", "config_settings", "constraints", "default_index",
                 "exclude_newer", "exclude_newer_package", "extra_index_url", "find_links",
                 "fork_strategy", "index", "index_strategy",
                 "index_url", "link_mode", "managed_python", "no_binary", "no_binary_package",
                 "no_build", "no_build_isolation", "no_build_isolation_package",
                 "no_build_package", "no_cache", "no_config", "no_index", "no_managed_python",
                 "no_progress", "no_python_downloads", "no_sources", "offline", "only_binary",
                 "overrides",
                 "pip_interface", "prerelease", "preview", "python", "refresh",
                 "refresh_package", "resolution", "system_certs", "upgrade", "upgrade_package")

    def __init__(
        self,
        *,
        cache_dir: str | None = None,
        no_cache: bool = False,
        offline: bool = False,
        python: str | None = None,
        managed_python: bool = False,
        no_managed_python: bool = False,
        no_python_downloads: bool = False,
        system_certs: bool = False,
        allow_insecure_host: tuple[str, ...] = (),
        no_progress: bool = False,
        preview: bool = False,
        link_mode: str | None = None,
        compile_bytecode: bool = False,
        config_file: str | None = None,
        no_config: bool = False,
        index: tuple[str, ...] = (),
        default_index: str | None = None,
        index_url: str | None = None,
        extra_index_url: tuple[str, ...] = (),
        find_links: tuple[str, ...] = (),
        no_index: bool = False,
        index_strategy: str | None = None,
        refresh: bool = False,
        refresh_package: tuple[str, ...] = (),
        pip_interface: bool = False,
        resolution: str | None = None,
        prerelease: str | None = None,
        exclude_newer: str | None = None,
        exclude_newer_package: tuple[str, ...] = (),
        fork_strategy: str | None = None,
        no_build: bool | None = None,
        no_build_package: tuple[str, ...] = (),
        no_binary: tuple[str, ...] = (),
        no_binary_package: tuple[str, ...] = (),
        only_binary: tuple[str, ...] = (),
        no_build_isolation: bool | None = None,
        no_build_isolation_package: tuple[str, ...] = (),
        no_sources: bool = False,
        config_settings: tuple[str, ...] = (),
        upgrade: bool | None = None,
        upgrade_package: tuple[str, ...] = (),
        constraints: tuple[str, ...] = (),
        overrides: tuple[str, ...] = (),
        build_constraints: tuple[str, ...] = (),
    ) -> None:
        # A `puv pip` command: `[tool.uv.pip]` comes before `[tool.uv]`.
        self.pip_interface = pip_interface
        # Resolver and build options (see `settings/resolver.py`). `no_binary` and
        # `only_binary` are pip-style specifiers (`:all:`, `:none:`, names); uv's boolean
        # `--no-binary` is `(":all:",)`. `None`/empty: not given.
        self.resolution = resolution
        self.prerelease = prerelease
        self.exclude_newer = exclude_newer
        self.exclude_newer_package = exclude_newer_package  # "NAME=CUTOFF"
        self.fork_strategy = fork_strategy
        self.no_build = no_build
        self.no_build_package = no_build_package
        self.no_binary = no_binary
        self.no_binary_package = no_binary_package
        self.only_binary = only_binary
        self.no_build_isolation = no_build_isolation
        self.no_build_isolation_package = no_build_isolation_package
        self.no_sources = no_sources
        self.config_settings = config_settings  # "KEY=VALUE"
        self.upgrade = upgrade
        self.upgrade_package = upgrade_package
        # Files (`-c`, `--overrides`, `-b`); empty: `UV_CONSTRAINT`, `UV_OVERRIDE`,
        # `UV_BUILD_CONSTRAINT`.
        self.constraints = constraints
        self.overrides = overrides
        self.build_constraints = build_constraints
        self.index = index
        self.default_index = default_index
        self.index_url = index_url
        self.extra_index_url = extra_index_url
        self.find_links = find_links
        self.no_index = no_index
        self.index_strategy = index_strategy
        self.refresh = refresh
        self.refresh_package = refresh_package
        self.cache_dir = cache_dir
        self.no_cache = no_cache
        self.offline = offline
        self.python = python
        self.managed_python = managed_python
        self.no_managed_python = no_managed_python
        self.no_python_downloads = no_python_downloads
        self.system_certs = system_certs
        self.allow_insecure_host = allow_insecure_host
        self.no_progress = no_progress
        self.preview = preview
        self.link_mode = link_mode
        self.compile_bytecode = compile_bytecode
        self.config_file = config_file
        self.no_config = no_config


class Settings:
    """The settings of one run (see the module docstring for where each value comes from).

    A plain slotted class rather than a dataclass: this module is on every command's start-up
    path, where `dataclasses` alone costs 5 ms (docs/startup.md). Treat instances as frozen.
    """

    __slots__ = (
        "allow_insecure_host",
        "build_constraint_dependencies",
        "build_constraints",
        "cache_dir",
        "compile_bytecode",
        "concurrent_builds",
        "concurrent_downloads",
        "concurrent_installs",
        "config_files",
        "config_settings",
        "constraint_dependencies",
        "constraints",
        "default_index",
        "dependency_metadata",
        "exclude_dependencies",
        "exclude_newer",
        "exclude_newer_package",
        "exclude_newer_span",
        "find_links",
        "fork_strategy",
        "http_retries",
        "http_timeout",
        "index_strategy",
        "indexes",
        "link_mode",
        "lock_timeout",
        "no_binary",
        "no_binary_package",
        "no_build",
        "no_build_isolation",
        "no_build_isolation_package",
        "no_build_package",
        "no_cache",
        "no_index",
        "no_progress",
        "no_sources",
        "offline",
        "options",
        "override_dependencies",
        "overrides",
        "prerelease",
        "preview",
        "python",
        "python_downloads",
        "python_preference",
        "refresh",
        "refresh_packages",
        "resolution",
        "system_certs",
        "upgrade",
        "upgrade_package",
        "warnings",
    )

    def __init__(
        self,
        *,
        cache_dir: str,
        no_cache: bool = False,
        offline: bool = False,
        python: str | None = None,
        python_preference: str = "managed",
        python_downloads: str = "automatic",
        system_certs: bool = False,
        allow_insecure_host: tuple[str, ...] = (),
        no_progress: bool = False,
        preview: bool = False,
        link_mode: str | None = None,
        compile_bytecode: bool = False,
        lock_timeout: int = 300,
        concurrent_downloads: int | None = None,
        concurrent_builds: int | None = None,
        concurrent_installs: int | None = None,
        options: Mapping[str, Any] | None = None,
        config_files: tuple[str, ...] = (),
        warnings: tuple[str, ...] = (),
        http_timeout: float = 30.0,
        http_retries: int = 3,
        indexes: tuple[Mapping[str, Any], ...] = (),
        default_index: str | None = None,
        find_links: tuple[str, ...] = (),
        no_index: bool = False,
        index_strategy: str = "first-index",
        refresh: bool = False,
        refresh_packages: tuple[str, ...] = (),
        resolution: str = "highest",
        prerelease: str = "if-necessary-or-explicit",
        exclude_newer: float | None = None,
        exclude_newer_span: str | None = None,
        exclude_newer_package: Mapping[str, tuple[float | None, str | None]] | None = None,
        exclude_dependencies: tuple[str, ...] = (),
        fork_strategy: str = "requires-python",
        no_build: bool = False,
        no_build_package: tuple[str, ...] = (),
        no_binary: bool = False,
        no_binary_package: tuple[str, ...] = (),
        no_build_isolation: bool = False,
        no_build_isolation_package: tuple[str, ...] = (),
        no_sources: bool = False,
        config_settings: Mapping[str, str | list[str]] | None = None,
        upgrade: bool = False,
        upgrade_package: tuple[str, ...] = (),
        constraint_dependencies: tuple[str, ...] = (),
        override_dependencies: tuple[str, ...] = (),
        build_constraint_dependencies: tuple[str, ...] = (),
        dependency_metadata: tuple[Mapping[str, Any], ...] = (),
        constraints: tuple[str, ...] = (),
        overrides: tuple[str, ...] = (),
        build_constraints: tuple[str, ...] = (),
    ) -> None:
        # Resolver and build options (`settings/resolver.py`): `resolution` (`highest`,
        # `lowest`, `lowest-direct`), `prerelease`, `exclude_newer` (a POSIX timestamp),
        # `no_build[_package]` (no sdist is built: `--no-build`, `--only-binary`),
        # `no_binary[_package]` (no wheel is used), build isolation, PEP 517 config settings,
        # `upgrade[_package]` (`upgrade_package` holds requirement strings, `a` or `a==1.0`),
        # the `[tool.uv]` requirement lists, `dependency_metadata` tables, and the constraints,
        # overrides and build constraints files (`-c`, `--overrides`, `-b` or their `UV_*`).
        self.resolution = resolution
        self.prerelease = prerelease
        self.exclude_newer = exclude_newer
        # A relative `exclude-newer` ("1 week") is also kept as its ISO span ("P1W"), which
        # `uv.lock` records; per-package cut-offs are (timestamp or `None` for `false`, span).
        self.exclude_newer_span = exclude_newer_span
        self.exclude_newer_package: Mapping[str, tuple[float | None, str | None]] = \
            exclude_newer_package or {}
        self.exclude_dependencies = exclude_dependencies  # names left out of every resolution
        self.fork_strategy = fork_strategy  # `requires-python` or `fewest`
        self.no_build = no_build
        self.no_build_package = no_build_package
        self.no_binary = no_binary
        self.no_binary_package = no_binary_package
        self.no_build_isolation = no_build_isolation
        self.no_build_isolation_package = no_build_isolation_package
        self.no_sources = no_sources  # `--no-sources`: `[tool.uv.sources]` ignored
        self.config_settings: Mapping[str, str | list[str]] = config_settings or {}
        self.upgrade = upgrade
        self.upgrade_package = upgrade_package
        self.constraint_dependencies = constraint_dependencies
        self.override_dependencies = override_dependencies
        self.build_constraint_dependencies = build_constraint_dependencies
        self.dependency_metadata = dependency_metadata
        self.constraints = constraints
        self.overrides = overrides
        self.build_constraints = build_constraints
        self.http_timeout = http_timeout
        self.http_retries = http_retries
        # Indexes other than the default, highest priority first, each a `[[tool.uv.index]]`
        # table (`url`, optional `name`, `explicit`, `default`, `format`); see `puv.index`.
        self.indexes = indexes
        self.default_index = default_index  # `None`: PyPI
        self.find_links = find_links
        self.no_index = no_index
        self.index_strategy = index_strategy
        self.refresh = refresh
        self.refresh_packages = refresh_packages
        self.cache_dir = cache_dir
        self.no_cache = no_cache
        self.offline = offline
        self.python = python
        self.python_preference = python_preference
        self.python_downloads = python_downloads
        self.system_certs = system_certs
        self.allow_insecure_host = allow_insecure_host
        self.no_progress = no_progress
        self.preview = preview
        self.link_mode = link_mode
        self.compile_bytecode = compile_bytecode
        self.lock_timeout = lock_timeout
        self.concurrent_downloads = concurrent_downloads
        self.concurrent_builds = concurrent_builds
        self.concurrent_installs = concurrent_installs
        # The merged `[tool.uv]` options (shape-checked), for layers that read more keys.
        self.options: Mapping[str, Any] = options if options is not None else {}
        # The files read, highest precedence first, and the warnings their reading produced.
        self.config_files = config_files
        self.warnings = warnings


def _as_path(text: str) -> str:
    """`text` spelled as `pathlib` spells a path: no empty or `.` parts, no trailing slash
    (`--cache-dir ./cache/` is shown as `cache`)."""
    if os.sep != "/":  # pragma: no cover - Windows
        return os.path.normpath(text)
    slashes = len(text) - len(text.lstrip("/"))
    root = "//" if slashes == 2 else "/" * min(slashes, 1)  # POSIX keeps a leading `//`
    return root + "/".join(part for part in text.split("/") if part not in ("", ".")) or "."


def default_cache_dir(environ: Mapping[str, str] = os.environ) -> str:
    """`$XDG_CACHE_HOME/puv`, else `~/.cache/puv` (puv keeps its cache apart from uv's)."""
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return _as_path(os.path.join(base, "puv"))


def _check(config: ConfigFile, warnings: list[str]) -> None:
    from puv.settings.schema import check_options

    for problem in check_options(config.options, project=config.is_pyproject):
        key = f"{config.prefix}{problem.key}"
        line = locate_key(config.text, problem.key)
        where = f"`{config.path}`" + (f" (line {line})" if line else "")
        if problem.unknown:
            warnings.append(f"Failed to parse {where} during settings discovery: "
                            f"{problem.message} in `{config.prefix.rstrip('.') or 'uv.toml'}`; "
                            "it is ignored")
        else:
            raise SettingsError(
                f"Invalid value for `{key}` in {where}: {problem.message}",
                hint=_hint(problem.key, config),
            )


def _hint(key: str, config: ConfigFile) -> str | None:
    from puv.settings.schema import KEYS

    spec = KEYS.get(key)
    if spec is None:
        return None
    name = key.rsplit(".", 1)[-1]
    if spec.expected.startswith("a boolean"):
        return f"write `{name} = true` or `{name} = false`"
    if spec.choices:
        return f'write, for example, `{name} = "{spec.choices[0]}"`'
    return None


def _first(*values: Any) -> Any:
    """The first value that is set (`False` and 0 count as set)."""
    return next((v for v in values if v is not None), None)


_WORDS = {
    "UV_INDEX_STRATEGY": ("first-index", "unsafe-first-match", "unsafe-best-match"),
    "UV_LINK_MODE": ("clone", "copy", "hardlink", "symlink"),
    "UV_PYTHON_PREFERENCE": ("only-managed", "managed", "system", "only-system"),
    "UV_PYTHON_DOWNLOADS": ("automatic", "manual", "never"),
    "UV_RESOLUTION": ("highest", "lowest", "lowest-direct"),
    "UV_PRERELEASE": ("disallow", "allow", "if-necessary", "explicit",
                      "if-necessary-or-explicit"),
}


def _check_words(environ: Mapping[str, str]) -> None:
    """Environment variables that take one of a few words must hold one of them."""
    for name, words in _WORDS.items():
        value = env.string(name, environ)
        if value is not None and value not in words:
            listed = ", ".join(f"`{w}`" for w in words)
            raise SettingsError(f"Invalid value for `{name}`: expected one of {listed}, "
                                f"found `{value}`")


def _merge(layers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Merge option tables, highest precedence first: scalars keep the first value; lists are
    concatenated; tables are merged key by key."""
    merged: dict[str, Any] = {}
    for layer in reversed(layers):
        for key, value in layer.items():
            old = merged.get(key)
            if isinstance(value, list) and isinstance(old, list):
                merged[key] = [*value, *old]
            elif isinstance(value, dict) and isinstance(old, dict):
                merged[key] = {**old, **value}
            else:
                merged[key] = value
    return merged


def load_settings(
    cli: CliSettings,
    *,
    project_dir: StrPath,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Read the configuration files for `project_dir` and merge them with `cli` and `environ`."""
    environ = os.environ if environ is None else environ
    _check_words(environ)
    warnings: list[str] = []
    files: list[ConfigFile] = []
    config_file = cli.config_file or env.string("UV_CONFIG_FILE", environ)
    no_config = cli.no_config or bool(env.flag("UV_NO_CONFIG", environ))
    if config_file:
        files.append(load_config_file(_as_path(config_file)))
    elif not no_config:
        project = find_project_config(project_dir)
        if project is not None:
            files.append(project)
        user = user_config_file(environ)
        if user is not None:
            files.append(user)
        files.extend(system_config_files(environ))
    for config in files:
        _check(config, warnings)
    options = _merge([c.options for c in files])
    if cli.pip_interface:
        options = _with_pip_table(options)

    def where(key: str) -> str:
        return _where(files, key)

    def pick(cli_value: Any, env_value: Any, key: str, default: Any) -> Any:
        for value in (cli_value, env_value, options.get(key)):
            if value is not None:
                return value
        return default

    def cli_flag(value: bool) -> bool | None:
        return True if value else None

    cache_dir = pick(cli.cache_dir, env.string("UV_CACHE_DIR", environ), "cache-dir", None)
    cache_dir = _as_path(os.path.expanduser(cache_dir)) if cache_dir else default_cache_dir(environ)
    python_preference = pick(None, env.string("UV_PYTHON_PREFERENCE", environ),
                             "python-preference", "managed")
    if cli.managed_python or env.flag("UV_MANAGED_PYTHON", environ):
        python_preference = "only-managed"
    if cli.no_managed_python or env.flag("UV_NO_MANAGED_PYTHON", environ):
        python_preference = "only-system"
    python_downloads = "never" if cli.no_python_downloads else pick(
        None, env.string("UV_PYTHON_DOWNLOADS", environ), "python-downloads", "automatic")
    timeout = _first(env.integer("UV_HTTP_TIMEOUT", environ),
                         env.integer("UV_REQUEST_TIMEOUT", environ),
                         env.integer("HTTP_TIMEOUT", environ))
    retries = env.integer("UV_HTTP_RETRIES", environ)
    indexes, default_index = _indexes(cli, options, environ)
    find_links = (*cli.find_links, *_commas(env.string("UV_FIND_LINKS", environ)),
                  *options.get("find-links", ()))
    insecure = (*cli.allow_insecure_host, *env.words("UV_INSECURE_HOST", environ),
                *options.get("allow-insecure-host", ()))
    from puv.settings.resolver import resolver_fields

    resolver = resolver_fields(cli, options, environ, pip=cli.pip_interface, where=where)
    return Settings(
        **resolver.as_dict(),
        cache_dir=cache_dir,
        no_cache=pick(cli_flag(cli.no_cache), env.flag("UV_NO_CACHE", environ), "no-cache",
                      False),
        offline=pick(cli_flag(cli.offline), env.flag("UV_OFFLINE", environ), "offline", False),
        python=cli.python or env.string("UV_PYTHON", environ),
        python_preference=python_preference,
        python_downloads=python_downloads,
        system_certs=pick(cli_flag(cli.system_certs),
                          _first(env.flag("UV_SYSTEM_CERTS", environ),
                                 env.flag("UV_NATIVE_TLS", environ)),
                          "system-certs", bool(options.get("native-tls", False))),
        allow_insecure_host=tuple(dict.fromkeys(insecure)),
        no_progress=bool(cli.no_progress or env.flag("UV_NO_PROGRESS", environ)),
        preview=pick(cli_flag(cli.preview), env.flag("UV_PREVIEW", environ), "preview", False),
        link_mode=pick(cli.link_mode, env.string("UV_LINK_MODE", environ), "link-mode", None),
        compile_bytecode=pick(cli_flag(cli.compile_bytecode),
                              env.flag("UV_COMPILE_BYTECODE", environ), "compile-bytecode",
                              False),
        lock_timeout=pick(None, env.integer("UV_LOCK_TIMEOUT", environ), "", 300),
        concurrent_downloads=pick(None, env.integer("UV_CONCURRENT_DOWNLOADS", environ),
                                  "concurrent-downloads", None),
        concurrent_builds=pick(None, env.integer("UV_CONCURRENT_BUILDS", environ),
                               "concurrent-builds", None),
        concurrent_installs=pick(None, env.integer("UV_CONCURRENT_INSTALLS", environ),
                                 "concurrent-installs", None),
        options=options,
        config_files=tuple(c.path for c in files),
        warnings=tuple(warnings),
        http_timeout=float(timeout if timeout is not None else 30),
        http_retries=retries if retries is not None else 3,
        indexes=indexes,
        default_index=default_index,
        find_links=tuple(dict.fromkeys(find_links)),
        no_index=pick(cli_flag(cli.no_index), env.flag("UV_NO_INDEX", environ), "no-index",
                      False),
        index_strategy=pick(cli.index_strategy, env.string("UV_INDEX_STRATEGY", environ),
                            "index-strategy", "first-index"),
        refresh=cli.refresh,
        refresh_packages=cli.refresh_package,
    )


# `[tool.uv.pip]` keys that mean what the `[tool.uv]` key of the same name means: for a pip
# command the pip table's value comes first (a list: its items first). The resolver and
# build keys, some of which differ in type (`no-binary`), are merged in `resolver.py`.
_PIP_SHARED = ("index", "index-url", "extra-index-url", "find-links", "no-index",
               "index-strategy", "keyring-provider", "link-mode", "compile-bytecode")


def _with_pip_table(options: Mapping[str, Any]) -> dict[str, Any]:
    pip = options.get("pip")
    merged = dict(options)
    if not isinstance(pip, dict):
        return merged
    for key in _PIP_SHARED:
        if key not in pip:
            continue
        value, old = pip[key], options.get(key)
        merged[key] = [*value, *old] if isinstance(value, list) and isinstance(old, list) \
            else value
    return merged


def _where(files: Sequence[ConfigFile], key: str) -> str:
    """`tool.uv.key` in `path` (line N): the first file (by precedence) that sets `key`
    (`pip.key` for `[tool.uv.pip]`)."""
    head, _, sub = key.partition(".")
    for config in files:
        table: Any = config.options
        if sub:
            table = table.get(head) if isinstance(table, dict) else None
        if isinstance(table, dict) and (sub or head) in table:
            line = locate_key(config.text, key)
            return f"`{config.prefix}{key}` in `{config.path}`" + (
                f" (line {line})" if line else "")
    return f"`{key}`"


def _commas(value: str | None) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()] if value else []


def _index_arg(text: str) -> dict[str, Any]:
    """`--index` / `UV_INDEX` values are `url` or `name=url`."""
    name, eq, url = text.partition("=")
    if eq and "://" not in name and name and not name.startswith(("/", ".")):
        return {"name": name, "url": url}
    return {"url": text}


def _indexes(cli: CliSettings, options: Mapping[str, Any], environ: Mapping[str, str]
             ) -> tuple[tuple[dict[str, Any], ...], str | None]:
    """The non-default indexes, highest priority first, and the default index (`None`: PyPI).

    Order, as uv: `--index`, `--extra-index-url`, `UV_INDEX`, `UV_EXTRA_INDEX_URL`, then the
    configuration's `[[tool.uv.index]]` and `extra-index-url`. The default index is the first
    of `--default-index`, `--index-url`, `UV_DEFAULT_INDEX`, `UV_INDEX_URL`, a
    `[[tool.uv.index]]` with `default = true`, and `index-url`.
    """
    entries: list[dict[str, Any]] = [_index_arg(t) for t in cli.index]
    entries += [{"url": url} for url in cli.extra_index_url]
    entries += [_index_arg(t) for t in env.words("UV_INDEX", environ)]
    entries += [{"url": url} for url in env.words("UV_EXTRA_INDEX_URL", environ)]
    default = (cli.default_index or cli.index_url or env.string("UV_DEFAULT_INDEX", environ)
               or env.string("UV_INDEX_URL", environ))
    for table in options.get("index", ()):
        if table.get("default") and not table.get("explicit"):
            if default is None:
                default = table["url"]
                if table.get("name"):
                    entries.append(dict(table))  # keep the name for `index = "name"` pins
            continue
        entries.append(dict(table))
    entries += [{"url": url} for url in options.get("extra-index-url", ())]
    if default is None:
        default = options.get("index-url")
    # As uv: a named index is kept once per name (two names may share a URL, and a source
    # pins each by its name); an unnamed one once per URL, and not when it is the default.
    seen: set[str] = set()
    unique = []
    for entry in entries:
        name = entry.get("name")
        key = f"name:{name}" if name else "url:" + entry["url"].rstrip("/")
        if key in seen or (default is not None and not name
                           and entry["url"].rstrip("/") == default.rstrip("/")):
            continue
        seen.add(key)
        unique.append(entry)
    return tuple(unique), default
