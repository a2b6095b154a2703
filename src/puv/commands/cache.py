"""`puv cache dir`, `puv cache clean [PACKAGE...]`, `puv cache prune`, `puv cache size`."""

from __future__ import annotations

import os

from packaging.utils import InvalidName, canonicalize_name

from puv.cache import Cache
from puv.errors import PuvError

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.types import Console

__all__ = ["cache_clean", "cache_dir", "cache_prune", "cache_size"]


def cache_dir(*, cache: Cache, console: Console) -> int:
    console.result(cache.root)
    return 0


def cache_clean(*, packages: list[str], force: bool, cache: Cache, console: Console) -> int:
    names = []
    for package in packages:
        try:
            names.append(str(canonicalize_name(package, validate=True)))
        except InvalidName:
            raise PuvError(f"Invalid package name `{package}`",
                           hint="package names are letters, digits, `-`, `_` and `.`") from None
    if not os.path.exists(cache.root):
        console.status(f"No cache found at: {console.style(cache.root, 'cyan')}")
        return 0
    if not names:
        console.status(f"Clearing cache at: {console.style(cache.root, 'cyan')}")
        stats = cache.clean(force=force)
        console.status(stats.describe())
        return 0
    stats = cache.clean(names, force=force)
    if stats.files == 0:
        console.status(f"No cache entries found for {', '.join(names)}")
    else:
        console.status(stats.describe())
    return 0


def cache_prune(*, ci: bool, force: bool, cache: Cache, console: Console) -> int:
    if not os.path.exists(cache.root):
        console.status(f"No cache found at: {console.style(cache.root, 'cyan')}")
        return 0
    console.status(f"Pruning cache at: {console.style(cache.root, 'cyan')}")
    stats = cache.prune(ci=ci, force=force)
    console.status(stats.describe() if stats.files else "No unused entries found")
    return 0


def cache_size(*, human: bool, cache: Cache, console: Console) -> int:
    from puv.cache import human_size

    size = cache.size()
    console.result(human_size(size) if human else str(size))
    return 0
