"""`puv tree`: the dependency tree drawn from `uv.lock`, line for line as uv 0.13.8 draws it.

Most cases call `dependency_graph` and `render_tree` on the round-trip fixture locks
(`tests/lock/fixtures/*/uv.lock`) and on `DEEP_LOCK` (cycles, a project requiring its own
extras, a package forked by platform) and `tests.lock.test_export.COMBO_LOCK`; the expected trees are `uv tree --frozen` on the same
locks (without `--universal`, for CPython 3.12.1 on x86-64 Linux). The rest run the command
against the local index.

`DEEP_LOCK` is uv's lock of this project against an index of `xa -> dd`, `zz -> xa`, `dd 1.0.0
/ 2.0.0 -> ee`, `c1 <-> c2 (-> ee)` and `ex[all] -> dd` (files and metadata tables left out,
which the tree does not read):

    [project]
    name = "deep"
    version = "0.1.0"
    requires-python = ">=3.12"
    dependencies = ["xa", "zz", "c1", "ex[all]", "dd<2; sys_platform == 'win32'",
                    "dd>=2; sys_platform != 'win32'"]
    [project.optional-dependencies]
    self = ["deep[more]"]
    more = ["ee"]
    [dependency-groups]
    dev = ["c2", "deep[self]"]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from puv.commands.project.tree import dependency_graph, render_tree
from puv.lock._request import GroupsRequest
from puv.lock.model import Lock
from puv.lock.reader import read_lock
from tests.conftest import assert_clean_error
from tests.lock.projects import (
    DESCRIPTION,
    FIXTURES,
    INDEX_PLACEHOLDER,
    PYTHON,
    copy_files,
    write_project,
)
from tests.lock.test_export import COMBO_LOCK

LINUX_312 = {
    "implementation_name": "cpython", "implementation_version": "3.12.1", "os_name": "posix",
    "platform_machine": "x86_64", "platform_python_implementation": "CPython",
    "platform_release": "", "platform_system": "Linux", "platform_version": "",
    "python_full_version": "3.12.1", "python_version": "3.12", "sys_platform": "linux",
}


def _lock(fixture: str) -> Lock:
    if fixture == "deep":
        return read_lock("".join(DEEP_LOCK))
    if fixture == "combo":
        return read_lock("".join(COMBO_LOCK))
    return read_lock((FIXTURES / fixture / "uv.lock").read_text())


def _draw(fixture: str, *, universal: bool = False, invert: bool = False, depth: int = 255,
          prune: tuple[str, ...] = (), packages: tuple[str, ...] = (),
          no_dedupe: bool = False, groups: GroupsRequest | None = None) -> str:
    lock = _lock(fixture)
    graph = dependency_graph(lock, environment=None if universal else LINUX_312,
                             groups=(groups or GroupsRequest()).resolve(("dev",)),
                             prune=prune)
    lines = render_tree(lock, graph, depth=depth, packages=packages, no_dedupe=no_dedupe,
                        invert=invert)
    return "".join(line + "\n" for line in lines)


# uv's arguments, and the same request to `dependency_graph` / `render_tree`.
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "plain": ("plain", {}),
    "plain-universal": ("plain", {"universal": True}),
    "plain-universal-invert": ("plain", {"universal": True, "invert": True}),
    "plain-depth-1": ("plain", {"depth": 1}),
    "markers-universal-invert": ("markers", {"universal": True, "invert": True}),
    "workspace": ("workspace", {}),
    "workspace-prune": ("workspace", {"universal": True, "prune": ("member-a",)}),
    "workspace-invert-package": ("workspace", {"invert": True, "packages": ("beta",)}),
    "workspace-package": ("workspace", {"packages": ("member-a",)}),
    "workspace-depth-1": ("workspace", {"depth": 1}),
    "workspace-no-dedupe": ("workspace", {"no_dedupe": True}),
    "nonproject-all-groups": ("nonproject", {"groups": GroupsRequest(all_groups=True)}),
    "nonproject-only-docs-invert": ("nonproject", {
        "groups": GroupsRequest(only_groups=("docs",)), "invert": True}),
    "conflicts-all-groups": ("conflicts", {"universal": True,
                                           "groups": GroupsRequest(all_groups=True)}),
    "conflicts-invert": ("conflicts", {"universal": True, "invert": True}),
    "combo-universal-invert": ("combo", {"universal": True, "invert": True}),
    "deep": ("deep", {}),
    "deep-depth-2": ("deep", {"depth": 2}),
    "deep-invert": ("deep", {"invert": True}),
    "deep-universal-invert": ("deep", {"universal": True, "invert": True}),
    "deep-no-dedupe": ("deep", {"no_dedupe": True}),
    "deep-package": ("deep", {"packages": ("c1",)}),
    "deep-only-dev": ("deep", {"universal": True,
                               "groups": GroupsRequest(only_groups=("dev",))}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_tree_matches_uv(case: str) -> None:
    fixture, options = CASES[case]
    assert _draw(fixture, **options) == EXPECTED[case]


def test_a_package_forked_by_platform_shows_only_this_platforms_version() -> None:
    assert "dd v1.0.0" not in _draw("deep")
    universal = _draw("deep", universal=True)
    assert "├── dd v1.0.0\n" in universal and "├── dd v2.0.0\n" in universal


def test_a_root_expands_every_extra_a_dependency_only_those_asked_for() -> None:
    # `deep` as a root lists both its extras; as `deep[self]` (its dev group asks for it)
    # only `self`.
    lines = _draw("deep").splitlines()
    inner = lines.index("└── deep[self] v0.1.0 (group: dev)")
    assert "├── ee v1.0.0 (extra: more)" in lines[:inner]
    assert not any("(extra: more)" in line for line in lines[inner:])


# -- the command ------------------------------------------------------------------------------


@pytest.fixture
def index(package_index):
    return package_index(DESCRIPTION)


def _project(name: str, workdir: Path, index, *, lock: bool = True) -> None:
    write_project(name, workdir, index.url)
    copy_files(name, workdir, index.find_links_dir)
    if lock:
        text = (FIXTURES / name / "uv.lock").read_text()
        base = index.url.removesuffix("simple/")
        (workdir / "uv.lock").write_text(text.replace(INDEX_PLACEHOLDER, base))


def _tree(puv, workdir: Path, index, *args: str):
    return puv("tree", "--python", PYTHON, *args, cwd=workdir,
               env={"UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never"})


def test_tree_of_the_current_platform(index, puv, workdir: Path) -> None:
    _project("plain", workdir, index)
    before = (workdir / "uv.lock").read_text()
    result = _tree(puv, workdir, index)
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED["plain"]
    assert "Resolved 7 packages in " in result.stderr
    assert (workdir / "uv.lock").read_text() == before
    # `-q` hides the status lines, not the tree (uv prints it whatever the verbosity).
    quiet = _tree(puv, workdir, index, "-qq", "--universal")
    assert quiet.stdout == EXPECTED["plain-universal"]
    assert quiet.stderr == ""


def test_tree_locks_a_project_without_a_lock(index, puv, workdir: Path) -> None:
    _project("plain", workdir, index, lock=False)
    result = _tree(puv, workdir, index, "--universal", "--depth", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "plain-app v0.1.0"
    assert (workdir / "uv.lock").is_file()


def test_outdated_shows_the_newest_version_on_the_index(index, puv, workdir: Path) -> None:
    # The workspace allows pre-releases, so `beta 1.1.0rc1` counts; `alpha 2.0.0` was
    # uploaded before its `exclude-newer`. An already drawn package shows no version.
    _project("workspace", workdir, index)
    result = _tree(puv, workdir, index, "--frozen", "--universal", "--outdated")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "root-app v0.1.0\n"
        "├── alpha v1.0.0 (latest: v2.0.0)\n"
        "└── member-a v0.2.0\n"
        "    ├── beta v1.0.0 (latest: v1.1.0rc1)\n"
        "    └── epsilon v1.0.0\n"
        "        └── gamma v2.0.0\n"
        "member-b v0.3.0\n"
        "└── delta[y] v1.0.0\n"
        "    └── beta v1.0.0 (extra: y)\n"
        "member-a v0.2.0 (*)\n"
        "(*) Package tree already displayed\n")


def test_outdated_skips_versions_the_lock_cannot_use(index, puv, workdir: Path) -> None:
    # `gamma 2.0.0` needs Python 3.11 (the lock allows 3.10) and `beta 1.1.0rc1` is a
    # pre-release the lock does not allow: nothing is outdated.
    _project("plain", workdir, index)
    result = _tree(puv, workdir, index, "--frozen", "--universal", "--outdated")
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED["plain-universal"]


def test_frozen_needs_a_lock(index, puv, workdir: Path) -> None:
    _project("plain", workdir, index, lock=False)
    result = _tree(puv, workdir, index, "--frozen", "--universal")
    assert assert_clean_error(result) == (
        "error: Unable to find lockfile at `uv.lock`, but `--frozen` was provided. To create a "
        "lockfile, run `puv lock` or `puv sync` without the flag.\n")
    assert not (workdir / "uv.lock").exists()


def test_locked_fails_on_a_stale_lock(index, puv, workdir: Path) -> None:
    _project("plain", workdir, index)
    pyproject = workdir / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"alpha>=1"', '"alpha>=1", "epsilon"'))
    before = (workdir / "uv.lock").read_text()
    result = _tree(puv, workdir, index, "--locked")
    assert "The lockfile at `uv.lock` needs to be updated, but `--locked` was provided." \
        in assert_clean_error(result)
    assert (workdir / "uv.lock").read_text() == before


def test_bad_arguments_are_clap_errors(index, puv, workdir: Path) -> None:
    _project("plain", workdir, index)
    result = _tree(puv, workdir, index, "--depth", "300")
    assert result.returncode == 2
    assert result.stderr.startswith(
        "error: invalid value '300' for '--depth <DEPTH>': 300 is not in 0..=255\n")
    result = _tree(puv, workdir, index, "--package", "a b")
    assert result.returncode == 2
    assert "error: invalid value 'a b' for '--package <PACKAGE>': Not a valid package or " \
        "extra name" in result.stderr
    result = _tree(puv, workdir, index, "--universal", "--python-platform", "linux")
    assert assert_clean_error(result, code=2) == (
        "error: the argument '--universal' cannot be used with '--python-platform "
        "<PYTHON_PLATFORM>'\n")


EXPECTED = {
    'plain': (
        'plain-app v0.1.0\n'
        '├── alpha v2.0.0\n'
        '│   └── beta v1.0.0\n'
        '├── delta[x] v1.0.0\n'
        '│   └── gamma v2.0.0 (extra: x)\n'
        '├── beta v1.0.0 (extra: new)\n'
        '├── epsilon v1.0.0 (extra: old)\n'
        '└── beta v1.0.0 (group: dev)\n'
    ),
    'plain-universal': (
        'plain-app v0.1.0\n'
        '├── alpha v2.0.0\n'
        '│   └── beta v1.0.0\n'
        '├── delta[x] v1.0.0\n'
        '│   ├── gamma v1.0.0 (extra: x)\n'
        '│   └── gamma v2.0.0 (extra: x)\n'
        '├── beta v1.0.0 (extra: new)\n'
        '├── epsilon v1.0.0 (extra: old)\n'
        '└── beta v1.0.0 (group: dev)\n'
    ),
    'plain-universal-invert': (
        'beta v1.0.0\n'
        '├── alpha v2.0.0\n'
        '│   └── plain-app v0.1.0\n'
        '├── plain-app v0.1.0 (extra: new)\n'
        '└── plain-app v0.1.0 (group: dev)\n'
        'epsilon v1.0.0\n'
        '└── plain-app v0.1.0 (extra: old)\n'
        'gamma v1.0.0\n'
        '└── delta v1.0.0 (extra: x)\n'
        '    └── plain-app[x] v0.1.0\n'
        'gamma v2.0.0\n'
        '└── delta v1.0.0 (extra: x)\n'
        '    └── plain-app[x] v0.1.0\n'
    ),
    'plain-depth-1': (
        'plain-app v0.1.0\n'
        '├── alpha v2.0.0\n'
        '├── delta[x] v1.0.0\n'
        '├── beta v1.0.0 (extra: new)\n'
        '├── epsilon v1.0.0 (extra: old)\n'
        '└── beta v1.0.0 (group: dev)\n'
    ),
    'markers-universal-invert': (
        'beta v1.0.0\n'
        '└── delta v1.0.0 (extra: y)\n'
        '    └── markers[x, y] v1.2.3\n'
        'gamma v1.0.0\n'
        '├── markers v1.2.3\n'
        '└── delta v1.0.0 (extra: x)\n'
        '    └── markers[x, y] v1.2.3\n'
        'gamma v2.0.0\n'
        '├── markers v1.2.3\n'
        '└── delta v1.0.0 (extra: x)\n'
        '    └── markers[x, y] v1.2.3\n'
        'winonly v1.0.0\n'
        '└── markers v1.2.3\n'
    ),
    'workspace': (
        'root-app v0.1.0\n'
        '├── alpha v1.0.0\n'
        '└── member-a v0.2.0\n'
        '    ├── beta v1.0.0\n'
        '    └── epsilon v1.0.0\n'
        '        └── gamma v2.0.0\n'
        'member-b v0.3.0\n'
        '└── delta[y] v1.0.0\n'
        '    └── beta v1.0.0 (extra: y)\n'
        'member-a v0.2.0 (*)\n'
        '(*) Package tree already displayed\n'
    ),
    'workspace-prune': (
        'root-app v0.1.0\n'
        '└── alpha v1.0.0\n'
        'member-b v0.3.0\n'
        '└── delta[y] v1.0.0\n'
        '    └── beta v1.0.0 (extra: y)\n'
    ),
    'workspace-invert-package': (
        'beta v1.0.0\n'
        '├── member-a v0.2.0\n'
        '│   └── root-app v0.1.0\n'
        '└── delta v1.0.0 (extra: y)\n'
        '    └── member-b[y] v0.3.0\n'
    ),
    'workspace-package': (
        'member-a v0.2.0\n'
        '├── beta v1.0.0\n'
        '└── epsilon v1.0.0\n'
        '    └── gamma v2.0.0\n'
    ),
    'workspace-depth-1': (
        'root-app v0.1.0\n'
        '├── alpha v1.0.0\n'
        '└── member-a v0.2.0\n'
        'member-b v0.3.0\n'
        '└── delta[y] v1.0.0\n'
        'member-a v0.2.0\n'
        '├── beta v1.0.0\n'
        '└── epsilon v1.0.0\n'
    ),
    'workspace-no-dedupe': (
        'root-app v0.1.0\n'
        '├── alpha v1.0.0\n'
        '└── member-a v0.2.0\n'
        '    ├── beta v1.0.0\n'
        '    └── epsilon v1.0.0\n'
        '        └── gamma v2.0.0\n'
        'member-b v0.3.0\n'
        '└── delta[y] v1.0.0\n'
        '    └── beta v1.0.0 (extra: y)\n'
        'member-a v0.2.0\n'
        '├── beta v1.0.0\n'
        '└── epsilon v1.0.0\n'
        '    └── gamma v2.0.0\n'
    ),
    'nonproject-all-groups': (
        'epsilon v1.0.0 (group: docs)\n'
        'winonly v1.0.0 (group: dev)\n'
        'app v1.0\n'
        '└── alpha v1.0.0\n'
    ),
    'nonproject-only-docs-invert': (
        'app v1.0\n'
        'epsilon v1.0.0\n'
    ),
    'conflicts-all-groups': (
        'p3 v0.1.0\n'
        '├── delta v1.0.0\n'
        '├── alpha v2.0.0 (extra: new)\n'
        '│   ├── beta v1.0.0\n'
        '│   └── beta v1.1.0rc1\n'
        '├── alpha v1.0.0 (extra: old)\n'
        '├── beta v1.1.0rc1 (group: g1)\n'
        '└── beta v1.0.0 (group: g2)\n'
    ),
    'conflicts-invert': (
        'alpha v1.0.0\n'
        '└── p3 v0.1.0 (extra: old)\n'
        'beta v1.0.0\n'
        '└── alpha v2.0.0\n'
        '    └── p3 v0.1.0 (extra: new)\n'
        'beta v1.1.0rc1\n'
        '└── alpha v2.0.0\n'
        '    └── p3 v0.1.0 (extra: new)\n'
        'delta v1.0.0\n'
        '└── p3 v0.1.0\n'
    ),
    'deep': (
        'deep v0.1.0\n'
        '├── c1 v1.0.0\n'
        '│   └── c2 v1.0.0\n'
        '│       ├── c1 v1.0.0 (*)\n'
        '│       └── ee v1.0.0\n'
        '├── dd v2.0.0\n'
        '│   └── ee v1.0.0\n'
        '├── ex[all] v1.0.0\n'
        '│   └── dd v2.0.0 (extra: all) (*)\n'
        '├── xa v1.0.0\n'
        '│   └── dd v2.0.0 (*)\n'
        '├── zz v1.0.0\n'
        '│   └── xa v1.0.0 (*)\n'
        '├── ee v1.0.0 (extra: more)\n'
        '├── ee v1.0.0 (extra: self)\n'
        '├── c2 v1.0.0 (group: dev) (*)\n'
        '└── deep[self] v0.1.0 (group: dev)\n'
        '    ├── c1 v1.0.0 (*)\n'
        '    ├── dd v2.0.0 (*)\n'
        '    ├── ex[all] v1.0.0 (*)\n'
        '    ├── xa v1.0.0 (*)\n'
        '    ├── zz v1.0.0 (*)\n'
        '    ├── ee v1.0.0 (extra: self)\n'
        '    ├── c2 v1.0.0 (group: dev) (*)\n'
        '    └── deep[self] v0.1.0 (group: dev) (*)\n'
        '(*) Package tree already displayed\n'
    ),
    'deep-depth-2': (
        'deep v0.1.0\n'
        '├── c1 v1.0.0\n'
        '│   └── c2 v1.0.0\n'
        '├── dd v2.0.0\n'
        '│   └── ee v1.0.0\n'
        '├── ex[all] v1.0.0\n'
        '│   └── dd v2.0.0 (extra: all) (*)\n'
        '├── xa v1.0.0\n'
        '│   └── dd v2.0.0 (*)\n'
        '├── zz v1.0.0\n'
        '│   └── xa v1.0.0 (*)\n'
        '├── ee v1.0.0 (extra: more)\n'
        '├── ee v1.0.0 (extra: self)\n'
        '├── c2 v1.0.0 (group: dev)\n'
        '│   ├── c1 v1.0.0 (*)\n'
        '│   └── ee v1.0.0\n'
        '└── deep[self] v0.1.0 (group: dev)\n'
        '    ├── c1 v1.0.0 (*)\n'
        '    ├── dd v2.0.0 (*)\n'
        '    ├── ex[all] v1.0.0 (*)\n'
        '    ├── xa v1.0.0 (*)\n'
        '    ├── zz v1.0.0 (*)\n'
        '    ├── ee v1.0.0 (extra: self)\n'
        '    ├── c2 v1.0.0 (group: dev) (*)\n'
        '    └── deep[self] v0.1.0 (group: dev) (*)\n'
        '(*) Package tree already displayed\n'
    ),
    'deep-invert': (
        'ee v1.0.0\n'
        '├── c2 v1.0.0\n'
        '│   ├── c1 v1.0.0\n'
        '│   │   ├── c2 v1.0.0 (*)\n'
        '│   │   └── deep v0.1.0\n'
        '│   │       └── deep[self] v0.1.0 (group: dev) (*)\n'
        '│   └── deep v0.1.0 (group: dev) (*)\n'
        '├── dd v2.0.0\n'
        '│   ├── deep v0.1.0\n'
        '│   │   └── deep[self] v0.1.0 (group: dev) (*)\n'
        '│   ├── xa v1.0.0\n'
        '│   │   ├── deep v0.1.0 (*)\n'
        '│   │   └── zz v1.0.0\n'
        '│   │       └── deep v0.1.0 (*)\n'
        '│   └── ex v1.0.0 (extra: all)\n'
        '│       └── deep[all] v0.1.0 (*)\n'
        '├── deep v0.1.0 (extra: more)\n'
        '└── deep v0.1.0 (extra: self)\n'
        '    └── deep[self] v0.1.0 (group: dev) (*)\n'
        '(*) Package tree already displayed\n'
    ),
    'deep-universal-invert': (
        'ee v1.0.0\n'
        '├── c2 v1.0.0\n'
        '│   ├── c1 v1.0.0\n'
        '│   │   ├── c2 v1.0.0 (*)\n'
        '│   │   └── deep v0.1.0\n'
        '│   │       └── deep[self] v0.1.0 (group: dev) (*)\n'
        '│   └── deep v0.1.0 (group: dev) (*)\n'
        '├── dd v1.0.0\n'
        '│   ├── deep v0.1.0\n'
        '│   │   └── deep[self] v0.1.0 (group: dev) (*)\n'
        '│   ├── xa v1.0.0\n'
        '│   │   ├── deep v0.1.0 (*)\n'
        '│   │   └── zz v1.0.0\n'
        '│   │       └── deep v0.1.0 (*)\n'
        '│   └── ex v1.0.0 (extra: all)\n'
        '│       └── deep[all] v0.1.0 (*)\n'
        '├── dd v2.0.0\n'
        '│   ├── deep v0.1.0\n'
        '│   │   └── deep[self] v0.1.0 (group: dev) (*)\n'
        '│   ├── xa v1.0.0\n'
        '│   │   ├── deep v0.1.0 (*)\n'
        '│   │   └── zz v1.0.0\n'
        '│   │       └── deep v0.1.0 (*)\n'
        '│   └── ex v1.0.0 (extra: all)\n'
        '│       └── deep[all] v0.1.0 (*)\n'
        '├── deep v0.1.0 (extra: more)\n'
        '└── deep v0.1.0 (extra: self)\n'
        '    └── deep[self] v0.1.0 (group: dev) (*)\n'
        '(*) Package tree already displayed\n'
    ),
    'deep-no-dedupe': (
        'deep v0.1.0\n'
        '├── c1 v1.0.0\n'
        '│   └── c2 v1.0.0\n'
        '│       ├── c1 v1.0.0 (*)\n'
        '│       └── ee v1.0.0\n'
        '├── dd v2.0.0\n'
        '│   └── ee v1.0.0\n'
        '├── ex[all] v1.0.0\n'
        '│   └── dd v2.0.0 (extra: all)\n'
        '│       └── ee v1.0.0\n'
        '├── xa v1.0.0\n'
        '│   └── dd v2.0.0\n'
        '│       └── ee v1.0.0\n'
        '├── zz v1.0.0\n'
        '│   └── xa v1.0.0\n'
        '│       └── dd v2.0.0\n'
        '│           └── ee v1.0.0\n'
        '├── ee v1.0.0 (extra: more)\n'
        '├── ee v1.0.0 (extra: self)\n'
        '├── c2 v1.0.0 (group: dev)\n'
        '│   ├── c1 v1.0.0\n'
        '│   │   └── c2 v1.0.0 (*)\n'
        '│   └── ee v1.0.0\n'
        '└── deep[self] v0.1.0 (group: dev)\n'
        '    ├── c1 v1.0.0\n'
        '    │   └── c2 v1.0.0\n'
        '    │       ├── c1 v1.0.0 (*)\n'
        '    │       └── ee v1.0.0\n'
        '    ├── dd v2.0.0\n'
        '    │   └── ee v1.0.0\n'
        '    ├── ex[all] v1.0.0\n'
        '    │   └── dd v2.0.0 (extra: all)\n'
        '    │       └── ee v1.0.0\n'
        '    ├── xa v1.0.0\n'
        '    │   └── dd v2.0.0\n'
        '    │       └── ee v1.0.0\n'
        '    ├── zz v1.0.0\n'
        '    │   └── xa v1.0.0\n'
        '    │       └── dd v2.0.0\n'
        '    │           └── ee v1.0.0\n'
        '    ├── ee v1.0.0 (extra: self)\n'
        '    ├── c2 v1.0.0 (group: dev)\n'
        '    │   ├── c1 v1.0.0\n'
        '    │   │   └── c2 v1.0.0 (*)\n'
        '    │   └── ee v1.0.0\n'
        '    └── deep[self] v0.1.0 (group: dev) (*)\n'
        '(*) Package tree is a cycle and cannot be shown\n'
    ),
    'deep-package': (
        'c1 v1.0.0\n'
        '└── c2 v1.0.0\n'
        '    ├── c1 v1.0.0 (*)\n'
        '    └── ee v1.0.0\n'
        '(*) Package tree already displayed\n'
    ),
    'deep-only-dev': (
        'deep v0.1.0\n'
        '├── c1 v1.0.0\n'
        '│   └── c2 v1.0.0\n'
        '│       ├── c1 v1.0.0 (*)\n'
        '│       └── ee v1.0.0\n'
        '├── dd v1.0.0\n'
        '│   └── ee v1.0.0\n'
        '├── dd v2.0.0\n'
        '│   └── ee v1.0.0\n'
        '├── ex[all] v1.0.0\n'
        '│   ├── dd v1.0.0 (extra: all) (*)\n'
        '│   └── dd v2.0.0 (extra: all) (*)\n'
        '├── xa v1.0.0\n'
        '│   ├── dd v1.0.0 (*)\n'
        '│   └── dd v2.0.0 (*)\n'
        '├── zz v1.0.0\n'
        '│   └── xa v1.0.0 (*)\n'
        '├── ee v1.0.0 (extra: self)\n'
        '├── c2 v1.0.0 (group: dev) (*)\n'
        '└── deep[self] v0.1.0 (group: dev)\n'
        '    ├── c1 v1.0.0 (*)\n'
        '    ├── dd v1.0.0 (*)\n'
        '    ├── dd v2.0.0 (*)\n'
        '    ├── ex[all] v1.0.0 (*)\n'
        '    ├── xa v1.0.0 (*)\n'
        '    ├── zz v1.0.0 (*)\n'
        '    ├── ee v1.0.0 (extra: self)\n'
        '    ├── c2 v1.0.0 (group: dev) (*)\n'
        '    └── deep[self] v0.1.0 (group: dev) (*)\n'
        '(*) Package tree already displayed\n'
    ),
    'combo-universal-invert': (
        'beta v1.0.0\n'
        '├── alpha v2.0.0\n'
        '│   └── combo v0.1.0\n'
        '└── delta v1.0.0 (extra: y)\n'
        '    └── combo[y] v0.1.0\n'
        'epsilon v1.0.0\n'
        '└── combo v0.1.0 (group: dev)\n'
        'gamma v1.0.0\n'
        '└── combo v0.1.0\n'
        'gamma v2.0.0\n'
        '└── combo v0.1.0\n'
        'winonly v1.0.0\n'
        '└── combo v0.1.0 (extra: win)\n'
    ),
}


DEEP_LOCK = (
    'version = 1\n'
    'revision = 5\n'
    'requires-python = ">=3.12"\n'
    'resolution-markers = [\n'
    '    "sys_platform == \'win32\'",\n'
    '    "sys_platform != \'win32\'",\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "c1"\n'
    'version = "1.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    'dependencies = [\n'
    '    { name = "c2" },\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "c2"\n'
    'version = "1.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    'dependencies = [\n'
    '    { name = "c1" },\n'
    '    { name = "ee" },\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "dd"\n'
    'version = "1.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    'resolution-markers = [\n'
    '    "sys_platform == \'win32\'",\n'
    ']\n'
    'dependencies = [\n'
    '    { name = "ee" },\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "dd"\n'
    'version = "2.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    'resolution-markers = [\n'
    '    "sys_platform != \'win32\'",\n'
    ']\n'
    'dependencies = [\n'
    '    { name = "ee" },\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "deep"\n'
    'version = "0.1.0"\n'
    'source = { virtual = "." }\n'
    'dependencies = [\n'
    '    { name = "c1" },\n'
    '    { name = "dd", version = "1.0.0", source = { registry = "http://127.0.0.1:9/simple/" }, marker = "sys_platform == \'win32\'" },\n'
    '    { name = "dd", version = "2.0.0", source = { registry = "http://127.0.0.1:9/simple/" }, marker = "sys_platform != \'win32\'" },\n'
    '    { name = "ex", extra = ["all"] },\n'
    '    { name = "xa" },\n'
    '    { name = "zz" },\n'
    ']\n'
    '\n'
    '[package.optional-dependencies]\n'
    'more = [\n'
    '    { name = "ee" },\n'
    ']\n'
    'self = [\n'
    '    { name = "ee" },\n'
    ']\n'
    '\n'
    '[package.dev-dependencies]\n'
    'dev = [\n'
    '    { name = "c2" },\n'
    '    { name = "deep", extra = ["self"] },\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "ee"\n'
    'version = "1.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    '\n'
    '[[package]]\n'
    'name = "ex"\n'
    'version = "1.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    '\n'
    '[package.optional-dependencies]\n'
    'all = [\n'
    '    { name = "dd", version = "1.0.0", source = { registry = "http://127.0.0.1:9/simple/" }, marker = "sys_platform == \'win32\'" },\n'
    '    { name = "dd", version = "2.0.0", source = { registry = "http://127.0.0.1:9/simple/" }, marker = "sys_platform != \'win32\'" },\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "xa"\n'
    'version = "1.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    'dependencies = [\n'
    '    { name = "dd", version = "1.0.0", source = { registry = "http://127.0.0.1:9/simple/" }, marker = "sys_platform == \'win32\'" },\n'
    '    { name = "dd", version = "2.0.0", source = { registry = "http://127.0.0.1:9/simple/" }, marker = "sys_platform != \'win32\'" },\n'
    ']\n'
    '\n'
    '[[package]]\n'
    'name = "zz"\n'
    'version = "1.0.0"\n'
    'source = { registry = "http://127.0.0.1:9/simple/" }\n'
    'dependencies = [\n'
    '    { name = "xa" },\n'
    ']\n'
)
