"""Paths as strings.

The modules on the start-up path use `str` paths and `os.path` rather than `pathlib`, whose
import alone costs about 3 ms (it pulls in `urllib.parse` and `ipaddress`; see
docs/startup.md). This module holds what `os.path` lacks.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["ancestors"]


def ancestors(path: str) -> Iterator[str]:
    """`path`, then each directory above it up to the root: `pathlib`'s
    `(path, *path.parents)`, for walking up to the nearest `pyproject.toml` or `.venv`."""
    yield path
    while True:
        parent = os.path.dirname(path) or "."
        if parent == path:
            return
        yield parent
        path = parent
