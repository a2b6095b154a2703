"""`.python-version` files: the interpreter a project (or the user) pins.

The nearest `.python-version` from the project directory upwards wins, then the user's own
(`~/.config/uv/.python-version`). Each holds one request per line; `#` starts a comment.
"""

from __future__ import annotations

import os

from puv.fs import ancestors

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Mapping

    from _typeshed import StrPath

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

    def __init__(self, path: str, requests: tuple[str, ...]) -> None:
        self.path = path
        self.requests = requests

    @property
    def first(self) -> str | None:
        return self.requests[0] if self.requests else None


def read_version_file(path: StrPath) -> VersionFile:
    path = os.fspath(path)
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    requests = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requests.append(line)
    return VersionFile(path, tuple(requests))


def user_version_file_path(environ: Mapping[str, str] = os.environ) -> str:
    base = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "uv", FILE_NAME)


def find_version_file(start: StrPath, environ: Mapping[str, str] = os.environ,
                      *, stop: StrPath | None = None) -> VersionFile | None:
    """The nearest `.python-version` at or above `start` (not above `stop`), else the user's."""
    stop = None if stop is None else os.fspath(stop)
    for directory in ancestors(os.fspath(start)):
        path = os.path.join(directory, FILE_NAME)
        if os.path.isfile(path):
            return read_version_file(path)
        if directory == stop:
            break
    user = user_version_file_path(environ)
    if os.path.isfile(user):
        return read_version_file(user)
    return None
