"""Pieces of `lock.build` that decide bytes of `uv.lock` (the whole is checked against uv's
files in tests/commands/project/test_lock.py)."""

from __future__ import annotations

import pytest
from packaging.specifiers import SpecifierSet

from puv.core.marker_algebra import MarkerTree
from puv.core.ranges import Ranges
from puv.core.tags import wheel_platform_marker as platform_marker
from puv.lock.build import _wheel_allowed, format_upload_time


@pytest.mark.parametrize(("given", "written"), [
    ("2024-03-10T09:39:28.330561Z", "2024-03-10T09:39:28.33Z"),
    ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"),
    ("2025-10-18T16:21:07.655Z", "2025-10-18T16:21:07.655Z"),
    ("2024-01-01T01:00:00.100+01:00", "2024-01-01T00:00:00.1Z"),
    ("not a time", None),
    (None, None),
])
def test_upload_times_keep_milliseconds_without_trailing_zeros(given, written) -> None:
    assert format_upload_time(given) == written


@pytest.mark.parametrize(("filename", "allowed"), [
    ("a-1.0-py3-none-any.whl", True),
    ("a-1.0-py2-none-any.whl", False),
    ("a-1.0-py2.py3-none-any.whl", True),
    ("a-1.0-cp39-cp39-manylinux_2_17_x86_64.whl", False),
    ("a-1.0-cp310-cp310-manylinux_2_17_x86_64.whl", True),
    ("a-1.0-cp38-abi3-manylinux_2_17_x86_64.whl", True),
    ("a-1.0-pp39-pypy39_pp73-manylinux_2_17_x86_64.whl", False),
])
def test_wheels_outside_requires_python_are_left_out(filename: str, allowed: bool) -> None:
    assert _wheel_allowed(filename, Ranges.from_specifiers(SpecifierSet(">=3.10"))) is allowed


def test_platform_markers_of_wheels() -> None:
    linux = MarkerTree("sys_platform == 'linux'")
    assert platform_marker("a-1.0-py3-none-any.whl").is_true()
    assert not linux.is_disjoint(platform_marker("a-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"))
    assert linux.is_disjoint(platform_marker("a-1.0-cp312-cp312-win_amd64.whl"))
    assert linux.is_disjoint(platform_marker("a-1.0-cp312-cp312-macosx_11_0_arm64.whl"))


@pytest.mark.parametrize(("pyproject", "editable", "written"), [
    # A path dependency is built even without `[build-system]` (legacy setuptools), as uv.
    ('[project]\nname = "lib"\nversion = "1"\n', False, "DirectorySource(directory='libs/lib')"),
    ('[project]\nname = "lib"\nversion = "1"\n[tool.uv]\npackage = false\n', False,
     "VirtualSource(virtual='libs/lib')"),
    ('[project]\nname = "lib"\nversion = "1"\n[tool.uv]\npackage = false\n', True,
     "EditableSource(editable='libs/lib')"),
])
def test_path_sources_are_virtual_only_when_package_is_false(
        tmp_path, pyproject: str, editable: bool, written: str) -> None:
    from puv.lock.build import directory_source

    lib = tmp_path / "libs" / "lib"
    lib.mkdir(parents=True)
    (lib / "pyproject.toml").write_text(pyproject)
    assert repr(directory_source(str(lib), str(tmp_path), editable=editable)) == written
