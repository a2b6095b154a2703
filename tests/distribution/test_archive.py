"""Unpacking sdists safely, and reading their PKG-INFO (`puv.distribution.archive`)."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from puv.build import BuildError
from puv.distribution.archive import read_pkg_info, source_root, unpack_sdist

Member = tuple[str, str, str]  # (kind, name, content or link target)


def make_tar(path: Path, members: Sequence[Member], *, mode: int = 0o644) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for kind, name, value in members:
            info = tarfile.TarInfo(name)
            info.mode = mode
            data = b""
            if kind == "file":
                data = value.encode()
                info.size = len(data)
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = value
            elif kind == "hardlink":
                info.type = tarfile.LNKTYPE
                info.linkname = value
            elif kind == "fifo":
                info.type = tarfile.FIFOTYPE
            elif kind == "chardev":
                info.type = tarfile.CHRTYPE
                info.devmajor, info.devminor = 1, 3
            archive.addfile(info, io.BytesIO(data) if kind == "file" else None)
    return path


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file and link under `root` (links by target), to prove nothing was written."""
    found: dict[str, bytes | str] = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(directory, name)
            if path.is_symlink():
                found[str(path)] = os.readlink(path)
            elif path.is_file():
                found[str(path)] = path.read_bytes()
    return found


BAD_TARS: dict[str, tuple[list[Member], str]] = {
    "dotdot": ([("file", "../escape.txt", "x")], "has a `..` in its path"),
    "nested-dotdot": ([("file", "a-1.0/../../escape.txt", "x")], "has a `..` in its path"),
    "absolute": ([("file", "/tmp/puv-escape.txt", "x")], "has an absolute path"),
    "backslash": ([("file", "a-1.0\\..\\..\\escape.txt", "x")], "has a backslash"),
    "symlink-outside": ([("symlink", "a-1.0/link", "../../outside")],
                        "is a link to `../../outside`, outside the target directory"),
    "symlink-absolute": ([("symlink", "a-1.0/link", "/etc")],
                         "is a link to `/etc`, outside the target directory"),
    "write-through-symlink": ([("symlink", "a-1.0/link", "."),
                               ("file", "a-1.0/link/x.txt", "x")],
                              "lies below a symbolic link of the archive"),
    "write-through-link-to-outside": ([("symlink", "a-1.0/out", "../.."),
                                       ("file", "a-1.0/out/escape.txt", "x")],
                                      "is a link to `../..`, outside the target directory"),
    "symlink-chain": ([("symlink", "a-1.0/a", "."), ("symlink", "a-1.0/b", "a/a/../../..")],
                      "through another link"),
    "hardlink-outside": ([("hardlink", "a-1.0/h", "../outside/secret.txt")],
                         "has a `..` in its path"),
    "hardlink-absolute": ([("hardlink", "a-1.0/h", "/etc/passwd")], "has an absolute path"),
    "hardlink-to-nothing": ([("hardlink", "a-1.0/h", "a-1.0/missing")],
                            "is a hard link to `a-1.0/missing`"),
    "fifo": ([("fifo", "a-1.0/pipe", "")], "is a device, FIFO or other special file"),
    "device": ([("chardev", "a-1.0/null", "")], "is a device, FIFO or other special file"),
}


@pytest.mark.parametrize("case", sorted(BAD_TARS))
def test_unsafe_tar_is_refused_and_nothing_is_written(tmp_path: Path, case: str) -> None:
    members, words = BAD_TARS[case]
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("keep me")
    # The harmless members first, so that a bad one comes after something was accepted.
    archive = make_tar(tmp_path / "a-1.0.tar.gz",
                       [("file", "a-1.0/PKG-INFO", "Name: a"), *members])
    before = snapshot(tmp_path)
    target = tmp_path / "cache" / "entry" / "src"
    with pytest.raises(BuildError) as info:
        unpack_sdist(str(archive), str(target))
    assert str(info.value).startswith("The source distribution `a-1.0.tar.gz` is unsafe: its "
                                      "member `")
    assert words in str(info.value)
    assert str(info.value).endswith("; nothing was extracted")
    assert not target.exists()
    assert snapshot(tmp_path) == before
    assert not Path("/tmp/puv-escape.txt").exists()


def test_links_inside_the_tree_are_kept(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a-1.0.tar.gz", [
        ("dir", "a-1.0", ""),
        ("file", "a-1.0/docs/LICENSE.txt", "MIT"),
        ("symlink", "a-1.0/LICENSE", "docs/LICENSE.txt"),
        ("hardlink", "a-1.0/COPYING", "a-1.0/docs/LICENSE.txt"),
        ("symlink", "a-1.0/docs/self", "../docs"),
    ])
    target = tmp_path / "src"
    unpack_sdist(str(archive), str(target))
    root = Path(source_root(str(target)))
    assert root == target / "a-1.0"
    assert os.readlink(root / "LICENSE") == "docs/LICENSE.txt"
    assert (root / "LICENSE").read_text() == "MIT"
    assert (root / "COPYING").read_text() == "MIT" and not (root / "COPYING").is_symlink()


def test_permissions_follow_the_data_filter(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a-1.0.tar.gz", [("file", "a-1.0/run.sh", "#!/bin/sh")],
                       mode=0o4777)
    unpack_sdist(str(archive), str(tmp_path / "src"))
    mode = stat.S_IMODE(os.stat(tmp_path / "src" / "a-1.0" / "run.sh").st_mode)
    assert mode == 0o755  # executable kept; set-uid and group/other write bits dropped
    plain = make_tar(tmp_path / "b-1.0.tar.gz", [("file", "b-1.0/x.py", "")], mode=0o066)
    unpack_sdist(str(plain), str(tmp_path / "src2"))
    assert stat.S_IMODE(os.stat(tmp_path / "src2" / "b-1.0" / "x.py").st_mode) == 0o644


def test_duplicate_member_replaces_an_earlier_link_without_following_it(tmp_path: Path) -> None:
    (tmp_path / "victim.txt").write_text("keep me")
    archive = make_tar(tmp_path / "a-1.0.tar.gz", [
        ("file", "a-1.0/target.txt", "inside"),
        ("symlink", "a-1.0/x", "target.txt"),
        ("file", "a-1.0/x", "replaced"),
    ])
    unpack_sdist(str(archive), str(tmp_path / "src"))
    assert (tmp_path / "src" / "a-1.0" / "x").read_text() == "replaced"
    assert (tmp_path / "src" / "a-1.0" / "target.txt").read_text() == "inside"


def test_corrupt_archive_is_a_clear_error(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a-1.0.tar.gz", [("file", "a-1.0/x", "x" * 10000)])
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(BuildError) as info:
        unpack_sdist(str(archive), str(tmp_path / "src"))
    assert str(info.value).startswith("Failed to extract the source distribution "
                                      "`a-1.0.tar.gz`")
    assert not (tmp_path / "src").exists()


def make_zip(path: Path, members: dict[str, str], *, symlinks: Sequence[str] = ()) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = ((0o120777 if name in symlinks else 0o100644) << 16)
            archive.writestr(info, content)
    return path


def test_zip_sdist_is_unpacked(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "a-1.0.zip", {"a-1.0/PKG-INFO": "Metadata-Version: 2.2\n",
                                                "a-1.0/a/__init__.py": "",
                                                "a-1.0/link": "/etc/passwd"},
                       symlinks=["a-1.0/link"])
    unpack_sdist(str(archive), str(tmp_path / "src"))
    link = tmp_path / "src" / "a-1.0" / "link"
    assert not link.is_symlink() and link.read_text() == "/etc/passwd"  # a plain file
    assert read_pkg_info(str(archive)) == b"Metadata-Version: 2.2\n"


@pytest.mark.parametrize("name", ["../escape.txt", "/abs.txt", "a-1.0/../../escape.txt"])
def test_unsafe_zip_is_refused(tmp_path: Path, name: str) -> None:
    archive = make_zip(tmp_path / "a-1.0.zip", {"a-1.0/ok": "", name: "x"})
    before = snapshot(tmp_path)
    with pytest.raises(BuildError):
        unpack_sdist(str(archive), str(tmp_path / "cache" / "src"))
    assert snapshot(tmp_path) == before


def test_read_pkg_info_takes_the_top_level_one(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a-1.0.tar.gz", [
        ("file", "a-1.0/vendored/PKG-INFO", "Name: vendored"),
        ("file", "a-1.0/PKG-INFO", "Name: a"),
    ])
    assert read_pkg_info(str(archive)) == b"Name: a"
    assert read_pkg_info(str(make_tar(tmp_path / "b.tar.gz", [("file", "b/x", "")]))) is None
    broken = tmp_path / "c.tar.gz"
    broken.write_bytes(b"not a tar")
    assert read_pkg_info(str(broken)) is None
