"""Transaction scenarios as data: an environment tree, what is staged, what is removed.

Shared by the transaction tests and the child process they kill (`python -m
tests.installer.scenarios SCENARIO.json ROOT`), so both stage exactly the same changes.

A scenario is JSON: ``{"existing": {path: leaf}, "staged": {destination: {path: leaf}},
"remove": [path]}``, every path relative to the environment's root (``destination`` too), a
leaf being file contents (a string) or ``["link", target]``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from puv.installer.layout import Layout
from puv.installer.transaction import Transaction

__all__ = ["SITE", "Scenario", "expected_after", "make_layout", "run_transaction", "write_tree"]

Scenario = dict[str, Any]
SITE = "lib/site-packages"


def make_layout(root: Path) -> Layout:
    """A `--target`-like layout under `root` with a site-packages, `bin`, `data`, `include`."""
    interpreter = SimpleNamespace(path=sys.executable, executable=sys.executable)
    site = str(root / SITE)
    os.makedirs(site, exist_ok=True)
    return Layout(interpreter=interpreter, root=str(root), purelib=site,  # type: ignore[arg-type]
                  platlib=site, scripts=str(root / "bin"), data=str(root / "data"),
                  include=str(root / "include"), kind="venv")


def write_tree(base: Path | str, tree: dict[str, Any]) -> None:
    """Write `{path: leaf}` under `base` (parents made as needed)."""
    for relative, leaf in tree.items():
        path = os.path.join(base, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(leaf, list):
            os.symlink(leaf[1], path)
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(leaf)


def stage(layout: Layout, scenario: Scenario) -> Transaction:
    """A transaction with the scenario's files staged and removals registered."""
    tx = Transaction(layout)
    for destination, tree in scenario["staged"].items():
        write_tree(tx.stage_for(os.path.join(layout.root, destination)), tree)
    for relative in scenario["remove"]:
        tx.remove(os.path.join(layout.root, relative))
    return tx


def run_transaction(root: Path, scenario: Scenario) -> None:
    stage(make_layout(root), scenario).commit()


def _node(leaf: Any) -> tuple[object, ...]:
    return ("link", leaf[1]) if isinstance(leaf, list) else ("file", leaf.encode(), False)


def _with_parents(tree: dict[str, Any], relative: str, node: Any) -> None:
    parts = relative.split("/")
    for end in range(1, len(parts)):
        tree.setdefault("/".join(parts[:end]), ("dir",))
    tree[relative] = node


def _below(tree: dict[str, Any], relative: str) -> list[str]:
    return [p for p in tree if p == relative or p.startswith(relative + "/")]


def _place(tree: dict[str, Any], staged: dict[str, Any], destination: str, prefix: str) -> None:
    """Put the staged entries under `prefix` into `destination`, as a commit does."""
    for name in sorted({p[len(prefix):].split("/")[0] for p in staged if p.startswith(prefix)}):
        source = prefix + name
        target = f"{destination}/{source}"
        if tree.get(target) == ("dir",) and staged[source] == ("dir",):
            _place(tree, staged, destination, source + "/")  # merged
            continue
        for path in _below(tree, target):  # whatever is in the way goes
            del tree[path]
        for path in _below(staged, source):
            _with_parents(tree, f"{destination}/{path}", staged[path])


def expected_after(scenario: Scenario, keep: tuple[str, ...] = (
        "", SITE, "bin", "data", "include")) -> dict[str, Any]:
    """The tree a committed scenario leaves, as `snapshot` shows it (a model of the commit:
    removals, then each staged entry placed, merged into an existing directory or replacing
    whatever is in the way, then the directories the removals emptied pruned)."""
    tree: dict[str, Any] = {"lib": ("dir",), SITE: ("dir",)}  # made by `make_layout`
    for relative, leaf in scenario["existing"].items():
        _with_parents(tree, relative, _node(leaf))
    for relative in scenario["remove"]:
        if tree.get(relative, ("dir",))[0] != "dir":
            del tree[relative]
    for destination, leaves in scenario["staged"].items():
        staged: dict[str, Any] = {}
        for relative, leaf in leaves.items():
            _with_parents(staged, relative, _node(leaf))
        _place(tree, staged, destination, "")
    parents = sorted({r.rpartition("/")[0] for r in scenario["remove"]}, key=len, reverse=True)
    for directory in parents:
        while directory and directory not in keep:
            if tree.get(directory) != ("dir",) or len(_below(tree, directory)) > 1:
                break
            del tree[directory]
            directory = directory.rpartition("/")[0]
    return {path.replace("/", os.sep): node for path, node in tree.items()}


if __name__ == "__main__":
    # The child process of the crash tests: stage, then commit (and be killed on the way).
    with open(sys.argv[1], encoding="utf-8") as handle:
        run_transaction(Path(sys.argv[2]), json.load(handle))
