"""Carrying out a plan: one transaction that removes and installs (see `transaction.py`).

Removals are computed from the installed distributions' records, leaving files that a
distribution staying in the environment also lists. New wheels are staged on a thread pool
(linking is system calls, which release the GIL), then everything is committed at once.
"""

from __future__ import annotations

import os

from puv.fs.link import Linker
from puv.installer.transaction import Transaction
from puv.installer.uninstall import egg_link_project, removal_paths, remove_egg_link_entry
from puv.installer.wheel import stage_wheel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from puv.installer.archive import UnpackedWheel
    from puv.installer.layout import Layout
    from puv.installer.planner import Plan

__all__ = ["apply_plan"]


def _shared_files(plan: Plan) -> set[str]:
    """Files listed by a distribution that stays: never removed with another one."""
    shared: set[str] = set()
    for dist in plan.keep:
        for relative, _hash, _size in dist.record():
            shared.add(os.path.normpath(os.path.join(dist.site_packages, relative)))
    return shared


def apply_plan(plan: Plan, wheels: dict[str, UnpackedWheel], layout: Layout, *,
               link_mode: str | None = None, warn: Callable[[str], None] | None = None,
               workers: int = 8) -> None:
    """Make the plan's changes to `layout`'s environment, all or none."""
    os.makedirs(layout.purelib, exist_ok=True)
    linker = Linker(link_mode, on_fallback=warn)
    tx = Transaction(layout)
    try:
        shared = _shared_files(plan) if plan.remove else set()
        for dist in plan.remove:
            for path in removal_paths(dist, layout, shared):
                tx.remove(path)
        # Each staging directory is made once, up front, so threads never race to make one.
        for directory in {layout.purelib, layout.platlib, layout.scripts}:
            tx.stage_for(directory)
        if len(plan.install) > 1 and workers > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(min(workers, len(plan.install)),
                                    thread_name_prefix="puv-link") as pool:
                futures = [pool.submit(stage_wheel, wheels[w.name], tx, layout, linker,
                                       requested=w.requested, direct_url=w.direct_url)
                           for w in plan.install]
                for future in futures:
                    future.result()
        else:
            for wanted in plan.install:
                stage_wheel(wheels[wanted.name], tx, layout, linker,
                            requested=wanted.requested, direct_url=wanted.direct_url)
        # Read before the commit removes the `.egg-link` files.
        egg_links = [(d, egg_link_project(d)) for d in plan.remove if d.kind == "egg-link"]
        tx.commit()
    except BaseException:
        tx.discard()
        raise
    for dist, project in egg_links:
        if project is not None:
            remove_egg_link_entry(dist, project)
