"""What removing an installed distribution removes.

- A `.dist-info` install: every file its RECORD lists, the bytecode Python compiled for its
  `.py` files (`__pycache__/<module>.*.pyc`), and the `.dist-info` directory itself;
- an `.egg-info` install (`setup.py install`, old pips): the files of `installed-files.txt`
  and the `.egg-info`; without that list, the modules `top_level.txt` names;
- an `.egg-link` (`setup.py develop`): the link and its line in `easy-install.pth`.

Nothing outside the environment's directory is ever removed, whatever RECORD says (uv's
GHSA-pjjw-68hj-v9mw); files another installed distribution also lists stay.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from puv.installer.inventory import InstalledDist
    from puv.installer.layout import Layout

__all__ = ["egg_link_project", "removal_paths", "remove_egg_link_entry"]


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _pycache(path: str) -> list[str]:
    """The compiled files of the module `path` (`x.py` -> `__pycache__/x.cpython-312.pyc`)."""
    directory, name = os.path.split(path)
    stem = name[:-3]
    cache = os.path.join(directory, "__pycache__")
    try:
        names = os.listdir(cache)
    except OSError:
        return []
    return [os.path.join(cache, n) for n in names
            if n.startswith(stem + ".") and n.endswith(".pyc") and n.count(".") == 2 + (
                1 if ".opt-" in n else 0)]


def _tree_files(directory: str) -> list[str]:
    found: list[str] = []
    for root, _dirs, names in os.walk(directory):
        found.extend(os.path.join(root, n) for n in names)
    if os.path.islink(directory) or os.path.isfile(directory):
        found.append(directory)
    return found


def removal_paths(dist: InstalledDist, layout: Layout,
                  shared: Iterable[str] = ()) -> list[str]:
    """The files to remove for `dist` (absolute paths, each existing when listed), leaving
    files outside `layout.root` and those in `shared` (owned by other distributions)."""
    root = os.path.realpath(layout.root)
    keep = set(shared)
    paths: list[str] = []
    if dist.kind == "dist-info":
        for relative, _hash, _size in dist.record():
            paths.append(os.path.normpath(os.path.join(dist.site_packages, relative)))
        paths.extend(_tree_files(dist.path))
    elif dist.kind == "egg-info":
        for relative in dist.files():
            paths.append(os.path.normpath(os.path.join(dist.site_packages, relative)))
        if not dist.files():
            top_level = dist.read_text("top_level.txt") or ""
            for module in top_level.split():
                base = os.path.join(dist.site_packages, module)
                if os.path.isdir(base):
                    paths.extend(_tree_files(base))
                elif os.path.isfile(base + ".py"):
                    paths.append(base + ".py")
        paths.extend(_tree_files(dist.path))
    else:  # egg-link: the project itself stays where it is
        paths.append(dist.path)
    extra: list[str] = []
    for path in paths:
        if path.endswith(".py"):
            extra.extend(_pycache(path))
    out: list[str] = []
    seen: set[str] = set()
    for path in (*paths, *extra):
        if path in seen or path in keep:
            continue
        seen.add(path)
        real = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
        if not _inside(real, root) or not os.path.lexists(path):
            continue
        if os.path.isdir(path) and not os.path.islink(path):
            continue  # directories go when they are empty, after the commit
        out.append(path)
    return out


def egg_link_project(dist: InstalledDist) -> str | None:
    """The project directory an `.egg-link` names (its first line), or `None`."""
    try:
        with open(dist.path, encoding="utf-8") as handle:
            return handle.readline().strip() or None
    except OSError:
        return None


def remove_egg_link_entry(dist: InstalledDist, project: str) -> None:
    """Drop `project`, the directory the (now removed) `.egg-link` named, from
    `easy-install.pth`."""
    from puv.fs import write_atomic

    pth = os.path.join(dist.site_packages, "easy-install.pth")
    try:
        with open(pth, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return
    kept = [line for line in lines if os.path.normpath(line.strip()) != os.path.normpath(
        project)]
    if kept != lines:
        write_atomic(pth, "\n".join(kept) + ("\n" if kept else ""))
