"""On the fly: lock each scratch project with uv 0.13.8, then read and write it back.

Skipped without uv 0.13.8 (the committed fixtures cover the same projects without it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from puv.lock.reader import read_lock
from puv.lock.writer import write_lock
from tests.lock.projects import (
    DESCRIPTION,
    PROJECTS,
    copy_files,
    find_uv,
    make_git_origin,
    uv_lock,
    write_project,
)
from tests.support.fixtures import PackageIndexFactory
from tests.support.index import PackageIndex

UV = find_uv()
pytestmark = pytest.mark.skipif(UV is None, reason="uv 0.13.8 is not installed")


@pytest.fixture
def index(package_index: PackageIndexFactory) -> PackageIndex:
    return package_index(DESCRIPTION)


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_uv_lock_round_trips(name: str, index: PackageIndex, tmp_path: Path) -> None:
    assert UV is not None
    if name == "git" and shutil.which("git") is None:
        pytest.skip("git is not installed")
    git_url = make_git_origin(tmp_path / "origin") if name == "git" else ""
    write_project(name, tmp_path / name, index.url, git_url)
    copy_files(name, tmp_path / name, index.find_links_dir)
    text = uv_lock(UV, tmp_path / name, index.url, tmp_path / "cache")
    assert write_lock(read_lock(text)) == text
