"""Wheel and sdist file names."""

from __future__ import annotations

import pytest
from packaging.tags import Tag
from packaging.version import Version

from puv.core.filenames import parse_filename


def test_wheel_name_version_tags_and_build():
    dist = parse_filename(
        "Foo_Bar-1.0-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
    assert dist is not None
    assert dist.is_wheel and dist.kind == "wheel"
    assert dist.name == "foo-bar"
    assert dist.version == Version("1.0")
    assert dist.build == (1, "")
    assert dist.tags == {Tag("cp311", "cp311", "manylinux_2_17_x86_64"),
                         Tag("cp311", "cp311", "manylinux2014_x86_64")}


def test_wheel_without_build_tag():
    dist = parse_filename("a-2.0-py2.py3-none-any.whl")
    assert dist is not None
    assert dist.build == ()
    assert Tag("py2", "none", "any") in dist.tags


@pytest.mark.parametrize(("filename", "name", "version"), [
    ("foo-1.0.tar.gz", "foo", "1.0"),
    ("Foo.Bar-2.0rc1.tar.gz", "foo-bar", "2.0rc1"),
    ("Foo.Bar-2.0.zip", "foo-bar", "2.0"),
])
def test_sdists_in_tar_gz_and_zip(filename, name, version):
    dist = parse_filename(filename)
    assert dist is not None
    assert not dist.is_wheel and dist.kind == "sdist"
    assert (dist.name, dist.version) == (name, Version(version))
    assert dist.tags == frozenset()


@pytest.mark.parametrize("filename", [
    "foo-1.0.tar.bz2", "foo-1.0-py3.8.egg", "foo-1.0.win32.exe", "foo.whl",
    "foo-1.0-py3-none.whl", "foo-notaversion.tar.gz", "foo-1.0-py3-none-any.whl.metadata",
    "README",
])
def test_files_that_are_not_usable_distributions_give_none(filename):
    assert parse_filename(filename) is None
