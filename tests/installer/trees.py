"""Whole-tree snapshots, to compare a directory before and after an install exactly."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["Node", "Tree", "snapshot", "stray_files"]

# A node: ("dir",), ("file", contents, executable) or ("link", target).
Node = tuple[object, ...]
Tree = dict[str, Node]


def snapshot(root: Path | str, *, skip: tuple[str, ...] = ()) -> Tree:
    """Every path under `root` (directories included) with its contents or link target.

    `skip` names paths relative to `root` (and everything below them) left out.
    """
    root = os.fspath(root)
    tree: Tree = {}
    for directory, dirs, files in os.walk(root):
        relative_dir = os.path.relpath(directory, root)
        for name in (*dirs, *files):
            path = os.path.join(directory, name)
            relative = os.path.normpath(os.path.join(relative_dir, name))
            if any(relative == s or relative.startswith(s + os.sep) for s in skip):
                continue
            if os.path.islink(path):
                tree[relative] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                tree[relative] = ("dir",)
            else:
                with open(path, "rb") as handle:
                    data = handle.read()
                tree[relative] = ("file", data, os.access(path, os.X_OK))
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(directory, d))]
    return tree


def stray_files(root: Path | str, pattern: str) -> list[str]:
    """Paths under `root` whose name contains `pattern` (leftover staging directories)."""
    found: list[str] = []
    for directory, dirs, files in os.walk(root):
        found.extend(os.path.join(directory, n) for n in (*dirs, *files) if pattern in n)
    return found
