"""Tests of ``tests/support/wheels.py``: valid wheels are valid, and every fault is really there.

The checks here read the archives with their own means (``zipfile``, ``struct``, ``zlib``), not
with the module's parser, so a fault the module only believes it wrote would be caught.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import importlib.util
import io
import os
import stat
import struct
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.wheels import (
    BAD_WHEELS,
    BadWheel,
    WheelSpec,
    bad_wheel,
    build_wheel,
    check_record,
    corrupt_crc,
    fill_with_garbage,
    lie_about_size,
    mismatch_local_name,
    record_with,
    record_without,
    record_wrong_hash,
    record_wrong_size,
    truncate,
    with_duplicate,
    with_member,
    with_symlink,
    with_trailing_data,
    without_dist_info,
    without_member,
    without_record,
)

SPEC = WheelSpec(
    "My.Tool",
    "1.0",
    files={
        "my_tool/cli.py": "def run():\n    return 0\n",
        "my_tool-1.0.data/scripts/tool": "#!python\nprint('tool')\n",
        "my_tool-1.0.data/data/share/x.txt": "shared\n",
        "my_tool-1.0.data/headers/x.h": "#define X 1\n",
        "my_tool-1.0.data/purelib/extra.py": "EXTRA = 1\n",
    },
    entry_points={"console_scripts": {"my-tool": "my_tool:main"}},
    requires=["b>=1", "c; sys_platform == 'win32'"],
)
INIT = "evil/__init__.py"
EVIL = WheelSpec("evil", "1.0")


# Independent readers


def record_rows(archive: zipfile.ZipFile) -> list[list[str]]:
    [record] = [n for n in archive.namelist() if n.endswith(".dist-info/RECORD")]
    return [row for row in csv.reader(io.StringIO(archive.read(record).decode())) if row]


def urlsafe_sha256(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")


@dataclass(frozen=True)
class LocalHeader:
    method: int
    crc: int
    size: int  # declared uncompressed size
    name: str
    payload: bytes  # the stored (compressed) data


def local_header(wheel: Path, member: str) -> LocalHeader:
    """The local header of ``member`` (found through the central directory), read with struct."""
    with zipfile.ZipFile(wheel) as archive:
        offset = archive.getinfo(member).header_offset
    data = wheel.read_bytes()
    signature, _, _, method, _, _, crc, compressed, size, name_length, extra_length = (
        struct.unpack_from("<4s5H3L2H", data, offset)
    )
    assert signature == b"PK\x03\x04"
    start = offset + 30
    payload = start + name_length + extra_length
    return LocalHeader(
        method, crc, size, data[start : start + name_length].decode(), data[payload:][:compressed]
    )


def end_of_central_directory(data: bytes) -> int:
    at = data.rfind(b"PK\x05\x06")
    assert at >= 0
    return at


def build(tmp_path: Path, spec: WheelSpec = EVIL) -> Path:
    return build_wheel(spec, tmp_path)


# The valid wheel


def test_valid_wheel_has_spec_file_name_and_passes_testzip(tmp_path: Path) -> None:
    wheel = build(tmp_path, SPEC)
    assert wheel == tmp_path / "my_tool-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
    assert names == [
        "my_tool/__init__.py",
        "my_tool/cli.py",
        "my_tool-1.0.data/scripts/tool",
        "my_tool-1.0.data/data/share/x.txt",
        "my_tool-1.0.data/headers/x.h",
        "my_tool-1.0.data/purelib/extra.py",
        "my_tool-1.0.dist-info/METADATA",
        "my_tool-1.0.dist-info/WHEEL",
        "my_tool-1.0.dist-info/entry_points.txt",
        "my_tool-1.0.dist-info/RECORD",
    ]
    assert (SPEC.dist_info, SPEC.data_dir) == ("my_tool-1.0.dist-info", "my_tool-1.0.data")


def test_valid_wheel_record_matches_every_member(tmp_path: Path) -> None:
    wheel = build(tmp_path, SPEC)
    with zipfile.ZipFile(wheel) as archive:
        rows = record_rows(archive)
        members = archive.namelist()
        for path, digest, size in rows[:-1]:
            data = archive.read(path)
            assert (digest, size) == (urlsafe_sha256(data), str(len(data))), path
            assert "=" not in digest.removeprefix("sha256=")
    assert rows[-1] == [SPEC.record_path, "", ""]
    assert [row[0] for row in rows] == members
    assert check_record(wheel) == []


def test_valid_wheel_metadata_wheel_and_entry_points(tmp_path: Path) -> None:
    with zipfile.ZipFile(build(tmp_path, SPEC)) as archive:
        metadata = archive.read("my_tool-1.0.dist-info/METADATA").decode()
        wheel = archive.read("my_tool-1.0.dist-info/WHEEL").decode()
        entry_points = archive.read("my_tool-1.0.dist-info/entry_points.txt").decode()
        init = archive.read("my_tool/__init__.py").decode()
    assert metadata == (
        "Metadata-Version: 2.1\nName: My.Tool\nVersion: 1.0\nRequires-Dist: b>=1\n"
        "Requires-Dist: c; sys_platform == 'win32'\n"
    )
    assert wheel == (
        "Wheel-Version: 1.0\nGenerator: puv-test-wheels 1.0\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    )
    assert entry_points == "[console_scripts]\nmy-tool = my_tool:main\n"
    assert '__version__ = "1.0"' in init and "def main():" in init


def test_build_is_deterministic(tmp_path: Path) -> None:
    first = build(tmp_path / "a", SPEC).read_bytes()
    assert build(tmp_path / "b", SPEC).read_bytes() == first


def test_tags_build_numbers_and_purelib(tmp_path: Path) -> None:
    spec = WheelSpec("a", "2.0.0", tag="1-py2.py3-none-any", root_is_purelib=False)
    wheel = build(tmp_path, spec)
    assert wheel.name == "a-2.0.0-1-py2.py3-none-any.whl"
    text = zipfile.ZipFile(wheel).read("a-2.0.0.dist-info/WHEEL").decode()
    assert "Root-Is-Purelib: false\nBuild: 1\nTag: py2-none-any\nTag: py3-none-any\n" in text


def test_files_may_replace_generated_members(tmp_path: Path) -> None:
    spec = WheelSpec("a", "1.0", files={"a/__init__.py": "", "a-1.0.dist-info/METADATA": "X"})
    with zipfile.ZipFile(build(tmp_path, spec)) as archive:
        assert archive.read("a/__init__.py") == b""
        assert archive.read("a-1.0.dist-info/METADATA") == b"X"
    assert check_record(tmp_path / spec.filename) == []


def test_pip_installs_the_valid_wheel(tmp_path: Path) -> None:
    if importlib.util.find_spec("pip") is None:
        pytest.skip("pip is not available")
    wheel = build(tmp_path, SPEC)
    target = tmp_path / "target"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    command = [sys.executable, "-m", "pip", "--isolated", "install", "--no-deps", "--no-index"]
    result = subprocess.run(
        [*command, "--target", str(target), str(wheel)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (target / "my_tool" / "cli.py").is_file()
    assert (target / "extra.py").is_file()
    assert (target / "my_tool-1.0.dist-info" / "RECORD").is_file()
    run = subprocess.run(
        [sys.executable, "-c", "import my_tool; print(my_tool.__version__)"],
        cwd=target,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.stdout == "1.0\n"


# Unsafe names, written exactly


@pytest.mark.parametrize(
    "name", ["../escape.py", "../../../../tmp/x.py", "/tmp/x", "..\\x", "C:/x", "evil/../../x"]
)
def test_unsafe_member_names_are_written_as_given_and_recorded(tmp_path: Path, name: str) -> None:
    wheel = build(tmp_path, WheelSpec("evil", "1.0", files={name: "x"}))
    with zipfile.ZipFile(wheel) as archive:
        assert name in [info.filename for info in archive.infolist()]
        assert [row[0] for row in record_rows(archive)].count(name) == 1
    assert local_header(wheel, name).name == name
    assert check_record(wheel) == []  # the name is the only fault


@pytest.mark.parametrize("target", ["../../../../etc/passwd", "__init__.py"])
def test_symlink_member_has_s_iflnk_and_the_target_as_content(tmp_path: Path, target: str) -> None:
    wheel = with_symlink(build(tmp_path), "evil/link", target)
    with zipfile.ZipFile(wheel) as archive:
        info = archive.getinfo("evil/link")
        assert stat.S_ISLNK(info.external_attr >> 16)
        assert info.create_system == 3
        assert archive.read("evil/link") == target.encode()
        assert not stat.S_ISLNK(archive.getinfo(INIT).external_attr >> 16)
    assert check_record(wheel) == []


def test_duplicate_member_has_two_entries_with_different_data(tmp_path: Path) -> None:
    wheel = with_duplicate(build(tmp_path), INIT, "other = 1\n")
    with zipfile.ZipFile(wheel) as archive:
        first, second = [info for info in archive.infolist() if info.filename == INIT]
        assert first.CRC != second.CRC
        assert archive.open(first).read() != archive.open(second).read()
        assert archive.testzip() is None
    with pytest.raises(ValueError, match="must differ"):
        with_duplicate(wheel, "evil-1.0.dist-info/WHEEL", EVIL.members()[EVIL.dist_info + "/WHEEL"])


# RECORD faults


def test_record_wrong_hash_changes_only_the_hash(tmp_path: Path) -> None:
    wheel = record_wrong_hash(build(tmp_path), INIT)
    with zipfile.ZipFile(wheel) as archive:
        row = next(r for r in record_rows(archive) if r[0] == INIT)
        data = archive.read(INIT)
    assert row[1] != urlsafe_sha256(data) and row[2] == str(len(data))
    assert check_record(wheel) == [f"{INIT}: hash {row[1]!r} != {urlsafe_sha256(data)!r}"]


def test_record_wrong_size_changes_only_the_size(tmp_path: Path) -> None:
    wheel = record_wrong_size(build(tmp_path), INIT)
    with zipfile.ZipFile(wheel) as archive:
        row = next(r for r in record_rows(archive) if r[0] == INIT)
        data = archive.read(INIT)
    assert row[1] == urlsafe_sha256(data) and row[2] == str(len(data) + 1)
    assert len(check_record(wheel)) == 1


def test_record_without_leaves_a_member_unlisted(tmp_path: Path) -> None:
    wheel = record_without(build(tmp_path), INIT)
    with zipfile.ZipFile(wheel) as archive:
        assert INIT in archive.namelist()
        assert INIT not in [r[0] for r in record_rows(archive)]
    assert check_record(wheel) == [f"{INIT}: not in RECORD"]


@pytest.mark.parametrize("entry", ["evil/missing.py", "../../outside.txt", "/tmp/outside.txt"])
def test_record_with_lists_a_file_not_in_the_archive(tmp_path: Path, entry: str) -> None:
    wheel = record_with(build(tmp_path), entry, "x")
    with zipfile.ZipFile(wheel) as archive:
        assert entry not in archive.namelist()
        rows = record_rows(archive)
    assert [entry, urlsafe_sha256(b"x"), "1"] in rows
    assert rows[-1] == [EVIL.record_path, "", ""]
    assert check_record(wheel) == [f"{entry}: listed but not in the archive"]


def test_without_member_keeps_its_record_row(tmp_path: Path) -> None:
    wheel = without_member(build(tmp_path), INIT)
    with zipfile.ZipFile(wheel) as archive:
        assert INIT not in archive.namelist()
        assert INIT in [r[0] for r in record_rows(archive)]


def test_with_member_adds_a_recorded_member_unless_told(tmp_path: Path) -> None:
    wheel = with_member(build(tmp_path), "../added.py", "x")
    assert check_record(wheel) == []
    with_member(wheel, "evil/unlisted.py", "y", record=False)
    assert check_record(wheel) == ["evil/unlisted.py: not in RECORD"]


# .dist-info faults


def test_without_record_and_without_dist_info(tmp_path: Path) -> None:
    no_record = without_record(build(tmp_path / "a"))
    names = zipfile.ZipFile(no_record).namelist()
    assert EVIL.record_path not in names and f"{EVIL.dist_info}/METADATA" in names
    no_dist_info = without_dist_info(build(tmp_path / "b"))
    assert zipfile.ZipFile(no_dist_info).namelist() == [INIT]


def test_metadata_and_wheel_version_overrides(tmp_path: Path) -> None:
    spec = WheelSpec(
        "evil",
        "1.0",
        metadata_name="other",
        metadata_version="2.0",
        wheel_version="9.0",
        extra_metadata="Summary: bad",
    )
    wheel = build(tmp_path, spec)
    assert wheel.name == "evil-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read("evil-1.0.dist-info/METADATA").decode()
        assert archive.read("evil-1.0.dist-info/WHEEL").startswith(b"Wheel-Version: 9.0\n")
    assert "Name: other\nVersion: 2.0\nSummary: bad\n" in metadata
    assert check_record(wheel) == []


def test_two_dist_info_directories(tmp_path: Path) -> None:
    wheel = bad_wheel("two-dist-info", tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names if ".dist-info/" in n} == {
        "evil-1.0.dist-info",
        "other-1.0.dist-info",
    }
    assert check_record(wheel) == []


@pytest.mark.parametrize("script", ["../../evil", "sub/evil"])
def test_console_script_names_are_written_as_given(tmp_path: Path, script: str) -> None:
    spec = WheelSpec("evil", "1.0", entry_points={"console_scripts": {script: "evil:main"}})
    text = zipfile.ZipFile(build(tmp_path, spec)).read("evil-1.0.dist-info/entry_points.txt")
    assert text.decode() == f"[console_scripts]\n{script} = evil:main\n"


# Archive faults


def test_truncate_keeps_half_the_bytes(tmp_path: Path) -> None:
    wheel = build(tmp_path)
    size = wheel.stat().st_size
    truncate(wheel)
    assert wheel.stat().st_size == size // 2
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(wheel)


def test_garbage_is_not_a_zip(tmp_path: Path) -> None:
    wheel = fill_with_garbage(build(tmp_path), size=4096)
    data = wheel.read_bytes()
    assert len(data) == 4096 and b"PK" not in data and len(set(data)) > 200
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(wheel)


def test_corrupt_crc_fails_the_crc_check_of_one_member(tmp_path: Path) -> None:
    original = EVIL.members()[INIT]
    wheel = corrupt_crc(build(tmp_path), INIT)
    with zipfile.ZipFile(wheel) as archive:
        info = archive.getinfo(INIT)
        assert (info.CRC, info.file_size) == (zlib.crc32(original), len(original))
        with pytest.raises(zipfile.BadZipFile, match="Bad CRC-32"):
            archive.read(INIT)
        assert archive.testzip() == INIT
        archive.read(EVIL.record_path)  # the other members are intact
    header = local_header(wheel, INIT)
    real = zlib.decompressobj(-15).decompress(header.payload)
    assert len(real) == len(original) and real != original
    assert header.crc == zlib.crc32(original)


def test_local_header_name_differs_from_the_central_one(tmp_path: Path) -> None:
    wheel = mismatch_local_name(build(tmp_path), INIT, "evil/other.py")
    assert local_header(wheel, INIT).name == "evil/other.py"
    with zipfile.ZipFile(wheel) as archive:
        assert INIT in archive.namelist()
        with pytest.raises(zipfile.BadZipFile, match="differ"):
            archive.read(INIT)
    default = mismatch_local_name(build(tmp_path / "b"), INIT)
    assert local_header(default, INIT).name == INIT + ".local"


def test_lying_size_declares_less_than_the_real_data(tmp_path: Path) -> None:
    spec = WheelSpec("evil", "1.0", files={"evil/zeros.bin": bytes(64 * 1024)})
    wheel = lie_about_size(build(tmp_path, spec), "evil/zeros.bin", 1024)
    with zipfile.ZipFile(wheel) as archive:
        assert archive.getinfo("evil/zeros.bin").file_size == 1024
        with pytest.raises(zipfile.BadZipFile):
            archive.read("evil/zeros.bin")
    header = local_header(wheel, "evil/zeros.bin")
    assert header.size == 1024
    real = zlib.decompressobj(-15).decompress(header.payload)
    assert len(real) == 64 * 1024 and header.crc == zlib.crc32(real)
    halved = lie_about_size(build(tmp_path / "b"), INIT)
    assert zipfile.ZipFile(halved).getinfo(INIT).file_size == len(EVIL.members()[INIT]) // 2
    with pytest.raises(ValueError, match="not below"):
        lie_about_size(build(tmp_path / "c"), INIT, 10_000)


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA, zipfile.ZIP_STORED])
def test_members_can_use_other_compression_methods(tmp_path: Path, method: int) -> None:
    wheel = build(tmp_path, WheelSpec("evil", "1.0", compression={INIT: method}))
    with zipfile.ZipFile(wheel) as archive:
        assert archive.getinfo(INIT).compress_type == method
        assert archive.getinfo(EVIL.record_path).compress_type == zipfile.ZIP_DEFLATED
        assert archive.testzip() is None
    assert local_header(wheel, INIT).method == method
    assert check_record(wheel) == []


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_mutations_work_on_any_compression(tmp_path: Path, method: int) -> None:
    wheel = build(tmp_path, WheelSpec("evil", "1.0", compression=method))
    record_wrong_size(wheel, INIT)
    assert len(check_record(wheel)) == 1
    corrupt_crc(wheel, INIT)
    with zipfile.ZipFile(wheel) as archive, pytest.raises(zipfile.BadZipFile, match="CRC"):
        archive.read(INIT)


def test_trailing_data_follows_the_end_of_central_directory(tmp_path: Path) -> None:
    wheel = build(tmp_path)
    plain = wheel.read_bytes()
    with_trailing_data(wheel, b"")
    assert wheel.read_bytes() == plain  # rewriting through the struct layout is lossless
    data = with_trailing_data(wheel, b"XYZ").read_bytes()
    end = end_of_central_directory(data)
    (comment_length,) = struct.unpack_from("<H", data, end + 20)
    assert data[end + 22 + comment_length :] == b"XYZ"
    assert data[: len(plain)] == plain


def test_faults_compose_and_survive_later_rewrites(tmp_path: Path) -> None:
    wheel = corrupt_crc(build(tmp_path), INIT)
    mismatch_local_name(wheel, EVIL.dist_info + "/WHEEL")
    record_with(wheel, "../x", "x")
    with_trailing_data(wheel)
    with zipfile.ZipFile(wheel) as archive:
        with pytest.raises(zipfile.BadZipFile, match="CRC"):
            archive.read(INIT)
        with pytest.raises(zipfile.BadZipFile, match="differ"):
            archive.read(EVIL.dist_info + "/WHEEL")
        assert ["../x", urlsafe_sha256(b"x"), "1"] in record_rows(archive)
    assert wheel.read_bytes().endswith(b"trailing data after the archive\n")


def test_foreign_platform_tags(tmp_path: Path) -> None:
    windows = bad_wheel("platform-windows", tmp_path / "w")
    macos = bad_wheel("platform-macos", tmp_path / "m")
    assert windows.name == "evil-1.0-cp39-cp39-win_amd64.whl"
    assert macos.name == "evil-1.0-py3-none-macosx_11_0_arm64.whl"
    text = zipfile.ZipFile(windows).read("evil-1.0.dist-info/WHEEL").decode()
    assert "Root-Is-Purelib: false\nTag: cp39-cp39-win_amd64\n" in text


# The catalog


def test_catalog_ids_are_unique_and_cover_the_bad_input_catalog() -> None:
    ids = [bad.id for bad in BAD_WHEELS]
    assert len(ids) == len(set(ids))
    for expected in [
        "traversal-parent",
        "absolute-path",
        "backslash-traversal",
        "drive-letter",
        "symlink-outside",
        "duplicate-member",
        "record-wrong-hash",
        "no-record",
        "two-dist-info",
        "wheel-version-9",
        "metadata-name-mismatch",
        "script-traversal",
        "bad-crc",
        "local-name-mismatch",
        "lying-size",
        "bz2-member",
        "lzma-member",
        "trailing-data",
        "truncated",
        "garbage",
    ]:
        assert expected in ids
    with pytest.raises(KeyError, match="no bad wheel 'nope'"):
        bad_wheel("nope", Path())


@pytest.mark.parametrize("bad", BAD_WHEELS, ids=lambda bad: bad.id)
def test_catalog_entry_builds_one_wheel_of_evil(tmp_path: Path, bad: BadWheel) -> None:
    wheel = bad.build(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [wheel.name]
    assert wheel.name.startswith("evil-1.0-") and wheel.name.endswith(".whl")
    assert bad.fault and bad.requirement
