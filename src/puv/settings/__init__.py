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

    __slots__ = ("allow_insecure_host", "cache_dir", "compile_bytecode", "config_file",
                 "link_mode", "managed_python", "no_cache", "no_config", "no_managed_python",
                 "no_progress", "no_python_downloads", "offline", "preview", "python",
                 "system_certs")

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
    ) -> None:
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

    __slots__ = ("allow_insecure_host", "cache_dir", "compile_bytecode", "concurrent_builds",
                 "concurrent_downloads", "concurrent_installs", "config_files", "link_mode",
                 "lock_timeout", "no_cache", "no_progress", "offline", "options", "preview",
                 "python", "python_downloads", "python_preference", "system_certs", "warnings")

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
    ) -> None:
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


def _first(*values: bool | None) -> bool | None:
    """The first value that is set (`False` counts as set)."""
    return next((v for v in values if v is not None), None)


_WORDS = {
    "UV_LINK_MODE": ("clone", "copy", "hardlink", "symlink"),
    "UV_PYTHON_PREFERENCE": ("only-managed", "managed", "system", "only-system"),
    "UV_PYTHON_DOWNLOADS": ("automatic", "manual", "never"),
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
    insecure = (*cli.allow_insecure_host, *env.words("UV_INSECURE_HOST", environ),
                *options.get("allow-insecure-host", ()))
    return Settings(
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
    )
