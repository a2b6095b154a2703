"""Finding and reading configuration files: `pyproject.toml` (`[tool.uv]`) and `uv.toml`.

`read_toml` turns any TOML error into a `SettingsError` that names the file and the position.
`find_project_config` walks up from a directory to the nearest `uv.toml`, or `pyproject.toml`
with a `[tool.uv]` table (in one directory `uv.toml` wins), as uv does.
"""

from __future__ import annotations

import os
import sys

from puv.errors import SettingsError

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from _typeshed import StrPath

__all__ = [
    "ConfigFile",
    "find_project_config",
    "locate_key",
    "read_toml",
    "system_config_files",
    "user_config_file",
]


class ConfigFile:
    """A configuration source: its path, its uv options and its text (for line numbers)."""

    __slots__ = ("options", "path", "text")

    def __init__(self, path: str, options: Mapping[str, Any], text: str = "") -> None:
        self.path = path
        self.options = options
        self.text = text

    @property
    def is_pyproject(self) -> bool:
        return os.path.basename(self.path) == "pyproject.toml"

    @property
    def prefix(self) -> str:
        """How a key of this file is written in messages (`tool.uv.` for pyproject files)."""
        return "tool.uv." if self.is_pyproject else ""


# Parsed files of this run, by path and stat: settings discovery and the project model both
# read `pyproject.toml`, and parsing it twice would cost start-up time.
_PARSED: dict[tuple[str, int, int], tuple[dict[str, Any], str]] = {}


def read_toml(path: StrPath) -> tuple[dict[str, Any], str]:
    """Parse a TOML file; any failure is a `SettingsError` naming the file and the position.

    The result is shared by every caller of this run: treat it as read-only.
    """
    try:
        st = os.stat(path)
        key = (os.path.abspath(path), st.st_mtime_ns, st.st_size)
    except OSError:
        key = None
    if key is not None and key in _PARSED:
        return _PARSED[key]
    result = _parse_toml(path)
    if key is not None:
        _PARSED[key] = result
    return result


def _parse_toml(path: StrPath) -> tuple[dict[str, Any], str]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except IsADirectoryError:
        raise SettingsError(f"Failed to read `{path}`: it is a directory, not a file") from None
    except UnicodeDecodeError as exc:
        raise SettingsError(f"Failed to read `{path}`: it is not valid UTF-8 ({exc.reason})"
                            ) from None
    except OSError as exc:
        raise SettingsError(f"Failed to read `{path}`: {exc.strerror}") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        snippet = _snippet(text, message)
        raise SettingsError(
            f"Failed to parse `{path}`: TOML syntax error: {message}{snippet}",
            hint="fix the syntax at the position shown (TOML tables look like `[tool.uv]`, "
            "values like `key = \"value\"`)",
        ) from None


def _snippet(text: str, message: str) -> str:
    import re

    match = re.search(r"at line (\d+), column (\d+)", message)
    if not match:
        return ""
    line, column = int(match.group(1)), int(match.group(2))
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    source = lines[line - 1]
    return f"\n  {line} | {source}\n  {' ' * len(str(line))} | {' ' * (column - 1)}^"


def locate_key(text: str, key: str) -> int | None:
    """The 1-based line where `key` (the last part of a dotted path) is assigned, if found."""
    import re

    name = re.escape(key.rsplit(".", 1)[-1])
    pattern = re.compile(rf"^[ \t]*(?:{name}|\"{name}\"|'{name}')[ \t]*=", re.MULTILINE)
    match = pattern.search(text)
    if match is None:
        return None
    return text.count("\n", 0, match.start()) + 1


def _load(path: str) -> ConfigFile | None:
    data, text = read_toml(path)
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool")
        uv = tool.get("uv") if isinstance(tool, dict) else None
        if uv is None:
            return None
        if not isinstance(uv, dict):
            raise SettingsError(f"Failed to parse `{path}`: `tool.uv` must be a table")
        return ConfigFile(path, uv, text)
    return ConfigFile(path, data, text)


def find_project_config(start: StrPath) -> ConfigFile | None:
    """The nearest `uv.toml` or `pyproject.toml` with `[tool.uv]`, from `start` upwards.

    A `pyproject.toml` without `[tool.uv]` is still parsed, so that broken TOML is reported
    rather than silently skipped.
    """
    directory = os.fspath(start)
    while True:  # `puv.fs.ancestors`, which this layer may not import
        uv_toml = os.path.join(directory, "uv.toml")
        if os.path.isfile(uv_toml):
            return _load(uv_toml)
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject):
            found = _load(pyproject)
            if found is not None:
                return found
        parent = os.path.dirname(directory) or "."
        if parent == directory:
            return None
        directory = parent


def _config_home(environ: Mapping[str, str]) -> str:
    return environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")


def user_config_file(environ: Mapping[str, str] = os.environ) -> ConfigFile | None:
    """`$XDG_CONFIG_HOME/uv/uv.toml` (default `~/.config/uv/uv.toml`), if it exists."""
    path = os.path.join(_config_home(environ), "uv", "uv.toml")
    return _load(path) if os.path.isfile(path) else None


def system_config_files(environ: Mapping[str, str] = os.environ) -> list[ConfigFile]:
    """The first `uv/uv.toml` among `$XDG_CONFIG_DIRS` (default `/etc/xdg`), else `/etc/uv`."""
    dirs = [d for d in environ.get("XDG_CONFIG_DIRS", "/etc/xdg").split(os.pathsep) if d]
    for base in [*dirs, "/etc"]:
        path = os.path.join(base, "uv", "uv.toml")
        if os.path.isfile(path):
            found = _load(path)
            return [found] if found else []
    return []


def load_config_file(path: StrPath) -> ConfigFile:
    """A file named by `--config-file` / `UV_CONFIG_FILE` (must exist; `uv.toml` format)."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise SettingsError(f"Failed to read `{path}`: no such file (given as `--config-file`)")
    loaded = _load(path)
    if loaded is None:  # a pyproject.toml without [tool.uv]
        return ConfigFile(path, {}, "")
    return loaded
