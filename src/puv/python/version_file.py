"""`.python-version` files: the interpreter a project (or the user) pins.

The nearest `.python-version` from the project directory upwards wins, then the user's own
(`~/.config/uv/.python-version`). Each holds one request per line; `#` starts a comment.
"""

from __future__ import annotations

import os
from pathlib import Path

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "FILE_NAME",
    "VersionFile",
    "find_version_file",
    "read_version_file",
    "user_version_file_path",
]

FILE_NAME = ".python-version"


class VersionFile:
    __slots__ = ("path", "requests")

    def __init__(self, path: Path, requests: tuple[str, ...]) -> None:
        self.path = path
        self.requests = requests

    @property
    def first(self) -> str | None:
        return self.requests[0] if self.requests else None


def read_version_file(path: Path) -> VersionFile:
    text = path.read_text(encoding="utf-8", errors="replace")
    requests = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requests.append(line)
    return VersionFile(path, tuple(requests))


def user_version_file_path(environ: Mapping[str, str] = os.environ) -> Path:
    xdg = environ.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg else Path.home() / ".config"
    return base / "uv" / FILE_NAME


def find_version_file(start: Path, environ: Mapping[str, str] = os.environ,
                      *, stop: Path | None = None) -> VersionFile | None:
    """The nearest `.python-version` at or above `start` (not above `stop`), else the user's."""
    for directory in (start, *start.parents):
        path = directory / FILE_NAME
        if path.is_file():
            return read_version_file(path)
        if stop is not None and directory == stop:
            break
    user = user_version_file_path(environ)
    if user.is_file():
        return read_version_file(user)
    return None
