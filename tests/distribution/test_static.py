"""Metadata without a build, declared metadata and tree keys (`puv.distribution.static`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from packaging.version import Version

from puv.distribution.static import (
    find_declared,
    parse_declared,
    pkg_info_metadata,
    pyproject_metadata,
    tree_key,
)
from puv.errors import MetadataError, SettingsError
from tests.support.builds import pkg_info


@pytest.mark.parametrize(("version", "dynamic", "trusted"), [
    ("2.2", (), True),
    ("2.4", ("License-Expression",), True),
    ("2.1", (), False),  # before PEP 643, PKG-INFO may lie
    ("2.2", ("Requires-Dist",), False),
    ("2.3", ("Requires-Python",), False),
    ("2.2", ("Provides-Extra",), False),
])
def test_pkg_info_is_trusted_when_static(version: str, dynamic: tuple[str, ...],
                                         trusted: bool) -> None:
    data = pkg_info("a", "1.0", metadata_version=version, dependencies=["b>=1"],
                    dynamic=dynamic).encode()
    metadata = pkg_info_metadata(data, source="a-1.0.tar.gz")
    assert (metadata is not None) is trusted
    if metadata is not None:
        assert [str(r) for r in metadata.requires_dist] == ["b>=1"]


def test_static_project_table_is_metadata() -> None:
    metadata = pyproject_metadata({
        "name": "My.Project", "version": "2.0", "requires-python": ">=3.9",
        "dependencies": ["b>=1", "c; sys_platform == 'win32'"],
        "optional-dependencies": {"Fast": ["d", "e; os_name == 'nt'"],
                                  "u": ["f @ https://x/f.whl ; os_name == 'nt' or "
                                        "python_version < '3'"]},
        "dynamic": ["readme"]}, source="x")
    assert metadata is not None
    assert (metadata.name, metadata.version) == ("my-project", Version("2.0"))
    assert [str(r) for r in metadata.requires_dist] == [
        "b>=1", 'c; sys_platform == "win32"', 'd; extra == "fast"',
        'e; os_name == "nt" and extra == "fast"',
        'f @ https://x/f.whl ; (os_name == "nt" or python_version < "3") and extra == "u"']
    assert metadata.provides_extra == ("fast", "u")
    assert str(metadata.requires_python) == ">=3.9"


@pytest.mark.parametrize("project", [
    None,
    {"name": "a", "dynamic": ["version"]},
    {"name": "a", "version": "1", "dynamic": ["dependencies"]},
    {"name": "a", "version": "1", "dynamic": ["optional-dependencies"]},
    {"name": "a", "version": "1", "dynamic": ["requires-python"]},
    {"name": "a"},
])
def test_dynamic_project_table_needs_a_build(project: dict[str, object] | None) -> None:
    assert pyproject_metadata(project, source="x") is None


def test_invalid_project_table_is_an_error() -> None:
    with pytest.raises(MetadataError) as info:
        pyproject_metadata({"name": "a", "version": "1", "dependencies": ["b >="]},
                           source="a @ file:///a")
    assert "The `pyproject.toml` of `a @ file:///a` has an invalid requirement `b >=`" in str(
        info.value)


def test_declared_metadata_by_name_and_version() -> None:
    declared = parse_declared([
        {"name": "Foo", "version": "1.0", "requires-dist": ["bar"], "requires-python": ">=3"},
        {"name": "any-version", "requires-dist": ["baz"], "provides-extras": ["x"]},
    ])
    found = find_declared(declared, "foo", Version("1.0"))
    assert found is not None and [str(r) for r in found.requires_dist] == ["bar"]
    assert find_declared(declared, "foo", Version("2.0")) is None
    assert find_declared(declared, "foo", None) is not None  # a URL dist: version declared
    other = find_declared(declared, "Any_Version", Version("3"))
    assert other is not None and other.version == Version("3")
    assert other.provides_extra == ("x",)
    assert find_declared(declared, "any-version", None) is None  # no version to give
    assert find_declared(declared, None, None) is None


@pytest.mark.parametrize(("entry", "words"), [
    ({"version": "1"}, "needs a `name`"),
    ({"name": "a", "version": "x.y"}, "`version` `x.y` is not a version"),
    ({"name": "a", "requires-dist": "b"}, "`requires-dist` must be a list of strings"),
    ({"name": "a", "requires-dist": ["b >="]}, "invalid requirement `b >=`"),
    ({"name": "a", "requires-python": "3"}, "`requires-python` `3` is not a version"),
])
def test_invalid_declared_metadata(entry: dict[str, object], words: str) -> None:
    with pytest.raises(SettingsError) as info:
        parse_declared([entry])
    assert "Invalid `dependency-metadata[0]`" in str(info.value)
    assert words in str(info.value)


def test_tree_key_follows_build_files_not_sources(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    (tmp_path / "a.py").write_text("x = 1\n")
    first = tree_key(str(tmp_path))
    (tmp_path / "a.py").write_text("x = 2\n")
    assert tree_key(str(tmp_path)) == first  # sources do not invalidate (uv's default)
    os.utime(tmp_path / "pyproject.toml", ns=(1, 1))
    assert tree_key(str(tmp_path)) != first
    (tmp_path / "setup.cfg").write_text("")
    assert tree_key(str(tmp_path)) != first


def test_tree_key_honours_cache_keys(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text("x = 1\n")
    keys = [{"file": "src/**/*.py"}, {"env": "PUV_FLAVOUR"}]
    first = tree_key(str(tmp_path), keys, {"PUV_FLAVOUR": "a"})
    assert tree_key(str(tmp_path), keys, {"PUV_FLAVOUR": "b"}) != first
    os.utime(tmp_path / "src" / "a.py", ns=(5, 5))
    assert tree_key(str(tmp_path), keys, {"PUV_FLAVOUR": "a"}) != first
