"""`unpack_wheel`: a wheel is checked whole and unpacked into the archive bucket, or refused
with nothing left behind (no file outside the bucket, no entry, no temporary directory)."""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from pathlib import Path

import pytest

from puv.errors import WheelError
from puv.installer import archive
from puv.installer.archive import UnpackedWheel, archive_entry, load_unpacked, unpack_wheel
from tests.installer.trees import Tree, snapshot, stray_files
from tests.support.wheels import (
    BAD_WHEELS,
    FOREIGN,
    INIT,
    BadWheel,
    WheelSpec,
    build_wheel,
    corrupt_crc,
    lie_about_size,
    record_hash,
    record_without,
    record_wrong_hash,
    with_member,
)

REFUSED = [bad for bad in BAD_WHEELS if bad.requirement != FOREIGN]
FOREIGN_WHEELS = [bad for bad in BAD_WHEELS if bad.requirement == FOREIGN]
EVIL = "evil-1.0-py3-none-any.whl"

# What each refusal must name besides the wheel: the member or the problem.
PROBLEMS = {
    "traversal-parent": "the member `../escape.py` contains `..`",
    "traversal-deep": "the member `../../../../tmp/x.py` contains `..`",
    "traversal-inner": "the member `evil/../../x.py` contains `..`",
    "absolute-path": "the member `/tmp/escape.py` has an absolute path",
    "backslash-traversal": "the member `..\\escape.py` contains a backslash",
    "drive-letter": "the member `C:/escape.py` has an absolute path",
    "symlink-outside": "the member `evil/passwd` is a symbolic link",
    "symlink-inside": "the member `evil/link.py` is a symbolic link",
    "duplicate-member": f"the member `{INIT}` appears more than once",
    "record-wrong-hash": f"the hash of `{INIT}` does not match its RECORD entry",
    "record-wrong-size": f"the size of `{INIT}` does not match its RECORD entry",
    "record-missing-entry": f"`{INIT}` is not listed in RECORD",
    "record-extra-entry": "RECORD lists `evil/missing.py`, which the wheel does not contain",
    "record-traversal-entry": "its RECORD lists `../../outside.txt`, a path outside",
    "record-absolute-entry": "its RECORD lists `/tmp/outside.txt`, a path outside",
    "no-record": "it has no `evil-1.0.dist-info/RECORD`",
    "two-dist-info": "more than one `.dist-info` directory (`evil-1.0.dist-info`, "
                     "`other-1.0.dist-info`)",
    "no-dist-info": "it contains no `.dist-info` directory",
    "wheel-version-9": "`Wheel-Version: 9.0`, which puv does not support",
    "metadata-name-mismatch": "describes `other==1.0`, but its file name says `evil==1.0`",
    "metadata-version-mismatch": "describes `evil==2.0`, but its file name says `evil==1.0`",
    "script-traversal": "its entry point `../../evil` is not a valid script name",
    "script-slash": "its entry point `sub/evil` is not a valid script name",
    "truncated": "end of central directory",
    "garbage": "it does not start with a zip local file header",
    "bad-crc": f"the CRC-32 of `{INIT}` does not match",
    "local-name-mismatch": f"the local header of `{INIT}` names another file",
    "lying-size": "the member `evil/zeros.bin` holds more data than the 1024 bytes it declares",
    "bz2-member": f"the member `{INIT}` uses an unsupported compression method (12)",
    "lzma-member": f"the member `{INIT}` uses an unsupported compression method (14)",
    "trailing-data": "it has data after the end of its central directory",
}


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Sandbox:
    """A bucket with a sentinel directory beside it, and the wheels elsewhere."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.wheels = root / "wheels"
        self.store = root / "store"
        self.bucket = self.store / "archive-v1"
        self.sentinel = self.store / "sentinel"
        self.sentinel.mkdir(parents=True)
        (self.sentinel / "keep.txt").write_text("untouched\n")

    def unpack(self, wheel: Path, sha256: str | None = None) -> UnpackedWheel:
        return unpack_wheel(str(wheel), str(self.bucket), filename=wheel.name,
                            sha256=sha256 or sha256_of(wheel))


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path)


def refusal(sandbox: Sandbox, wheel: Path) -> str:
    """Unpack `wheel`, which must be refused with a `WheelError`; its message."""
    with pytest.raises(WheelError) as caught:
        sandbox.unpack(wheel)
    assert type(caught.value) is WheelError
    return caught.value.message


def assert_nothing_left(sandbox: Sandbox, wheel: Path, before: Tree) -> None:
    """No archive entry, no temporary directory, no file anywhere but the bucket's parent."""
    entry = Path(archive_entry(str(sandbox.bucket), "evil", sha256_of(wheel)))
    assert not entry.exists()
    assert load_unpacked(str(sandbox.bucket), "evil", sha256_of(wheel)) is None
    if sandbox.bucket.exists():
        leftovers = [p for p in sandbox.bucket.rglob("*") if p.is_file() or p.is_symlink()]
        assert leftovers == []
        assert stray_files(sandbox.bucket, ".tmp") == []
    # Outside the bucket, the whole sandbox (sentinel, wheels dir, everything) is as it was.
    assert snapshot(sandbox.root, skip=("store/archive-v1",)) == before


# -- a valid wheel --------------------------------------------------------------------------

GOOD = WheelSpec(
    "Good.Pkg",
    "1.0",
    files={
        "good_pkg/sub/mod.py": "z = 3\n",
        "good_pkg-1.0.data/scripts/tool": "#!python\nprint('tool')\n",
        "good_pkg-1.0.data/data/share/good/readme.txt": "data\n",
        "good_pkg-1.0.data/headers/good.h": "int good;\n",
        "good_pkg-1.0.data/purelib/extra_mod.py": "y = 2\n",
    },
    entry_points={
        "console_scripts": {"good": "good_pkg:main"},
        "gui_scripts": {"goodw": "good_pkg.sub.mod:run"},
        "good.plugins": {"ignored": "good_pkg:plugin"},
    },
)


def test_valid_wheel_unpacks_with_its_manifest(sandbox: Sandbox) -> None:
    wheel = build_wheel(GOOD, sandbox.wheels)
    digest = sha256_of(wheel)
    unpacked = sandbox.unpack(wheel)

    assert unpacked.path == archive_entry(str(sandbox.bucket), "good-pkg", digest)
    assert (unpacked.filename, unpacked.name, unpacked.version) == (
        "good_pkg-1.0-py3-none-any.whl", "good-pkg", "1.0")
    assert unpacked.dist_info == "good_pkg-1.0.dist-info"
    assert unpacked.data_dir == "good_pkg-1.0.data"
    assert unpacked.root_is_purelib is True
    assert unpacked.tags == ["py3-none-any"]
    # Only console and GUI scripts, in file order.
    assert unpacked.entry_points == [
        ("console_scripts", "good", "good_pkg:main"),
        ("gui_scripts", "goodw", "good_pkg.sub.mod:run"),
    ]
    # Every member but RECORD, with RECORD's hash and the real size, in archive order.
    members = {path: data for path, data in GOOD.members().items() if path != GOOD.record_path}
    assert [name for name, *_ in unpacked.files] == list(members)
    for name, digest_text, size, executable in unpacked.files:
        assert digest_text == record_hash(members[name])
        assert size == len(members[name])
        assert executable is False
        assert (Path(unpacked.files_dir) / name).read_bytes() == members[name]
    # Every directory holding a file, parents before children.
    assert unpacked.dirs == sorted({
        "good_pkg", "good_pkg/sub", "good_pkg-1.0.dist-info", "good_pkg-1.0.data",
        "good_pkg-1.0.data/scripts", "good_pkg-1.0.data/data", "good_pkg-1.0.data/data/share",
        "good_pkg-1.0.data/data/share/good", "good_pkg-1.0.data/headers",
        "good_pkg-1.0.data/purelib",
    })
    for index, directory in enumerate(unpacked.dirs):
        parent = directory.rpartition("/")[0]
        assert not parent or parent in unpacked.dirs[:index]
    # The tree holds exactly those files and RECORD, and the temporary directory is gone.
    on_disk = sorted(str(p.relative_to(unpacked.files_dir)) for p in
                     Path(unpacked.files_dir).rglob("*") if p.is_file())
    assert on_disk == sorted([*members, GOOD.record_path])
    assert os.listdir(sandbox.bucket / "good-pkg") == [digest]
    assert sorted(os.listdir(unpacked.path)) == ["files", "manifest"]


def test_executable_bit_is_kept(sandbox: Sandbox) -> None:
    wheel = with_member(build_wheel(WheelSpec("tool", "1.0"), sandbox.wheels), "tool/run.sh",
                        "#!/bin/sh\n", mode=0o755)
    unpacked = sandbox.unpack(wheel)
    flags = {name: executable for name, _, _, executable in unpacked.files}
    assert flags["tool/run.sh"] is True
    assert flags["tool/__init__.py"] is False
    assert os.stat(Path(unpacked.files_dir) / "tool/run.sh").st_mode & stat.S_IXUSR


def test_second_unpack_returns_the_cached_entry_without_reading_the_wheel(
        sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    wheel = build_wheel(GOOD, sandbox.wheels)
    digest = sha256_of(wheel)
    first = sandbox.unpack(wheel)
    wheel.unlink()  # nothing to read any more

    def must_not_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("the wheel was read again")

    monkeypatch.setattr(archive, "_unpack", must_not_read)
    second = sandbox.unpack(wheel, digest)
    assert second.path == first.path
    assert second.files == first.files
    assert second.dirs == first.dirs
    assert second.entry_points == first.entry_points


def test_unreadable_archive_entry_is_replaced(sandbox: Sandbox) -> None:
    wheel = build_wheel(GOOD, sandbox.wheels)
    entry = Path(archive_entry(str(sandbox.bucket), "good-pkg", sha256_of(wheel)))
    (entry / "files").mkdir(parents=True)
    (entry / "files" / "half-written.py").write_text("")  # no manifest: an interrupted copy
    unpacked = sandbox.unpack(wheel)
    assert unpacked.path == str(entry)
    assert not (entry / "files" / "half-written.py").exists()
    assert (entry / "manifest").is_file()


def test_entry_unpacked_meanwhile_by_another_process_is_kept(
        sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    wheel = build_wheel(GOOD, sandbox.wheels)
    digest = sha256_of(wheel)
    other = Sandbox(sandbox.root / "other")
    theirs = other.unpack(wheel)
    real_unpack = archive._unpack

    def racing(*args: str) -> object:
        # While we unpack, the other process's complete entry lands at the target.
        result = real_unpack(*args)
        os.makedirs(sandbox.bucket / "good-pkg", exist_ok=True)
        os.rename(theirs.path, archive_entry(str(sandbox.bucket), "good-pkg", digest))
        return result

    monkeypatch.setattr(archive, "_unpack", racing)
    unpacked = sandbox.unpack(wheel)
    assert unpacked.files == theirs.files
    assert os.listdir(sandbox.bucket / "good-pkg") == [digest]  # our copy was discarded


def test_wheel_for_another_platform_unpacks_with_its_tags(sandbox: Sandbox) -> None:
    """Tags are checked when choosing wheels, not in the archive: it records them."""
    for bad in FOREIGN_WHEELS:
        wheel = bad.build(sandbox.wheels / bad.id)
        unpacked = sandbox.unpack(wheel)
        assert unpacked.tags == [wheel.name[len("evil-1.0-"):-len(".whl")]]


# -- refusals -------------------------------------------------------------------------------


def test_every_refused_catalog_entry_has_an_expected_problem() -> None:
    assert sorted(PROBLEMS) == sorted(bad.id for bad in REFUSED)


@pytest.mark.parametrize("bad", REFUSED, ids=lambda bad: bad.id)
def test_bad_wheel_is_refused_and_leaves_nothing(bad: BadWheel, sandbox: Sandbox) -> None:
    wheel = bad.build(sandbox.wheels)
    before = snapshot(sandbox.root, skip=("store/archive-v1",))
    outside = {p: os.path.lexists(p) for p in ("/tmp/escape.py", "/tmp/x.py", "/etc/passwd")}

    message = refusal(sandbox, wheel)

    assert f"`{EVIL}`" in message, message
    assert PROBLEMS[bad.id] in message, message
    assert "\n" not in message
    assert_nothing_left(sandbox, wheel, before)
    assert {p: os.path.lexists(p) for p in outside} == outside


@pytest.mark.parametrize("bad", [b for b in REFUSED if b.id.startswith("symlink")],
                         ids=lambda bad: bad.id)
def test_symlink_member_never_becomes_a_symlink(bad: BadWheel, sandbox: Sandbox) -> None:
    """Refused today; whatever the policy, no symlink may appear anywhere."""
    wheel = bad.build(sandbox.wheels)
    with pytest.raises(WheelError):
        sandbox.unpack(wheel)
    links = [p for p in sandbox.root.rglob("*") if p.is_symlink()]
    assert links == []


# The exact words of the five most common faults.


def test_traversal_message(sandbox: Sandbox) -> None:
    wheel = build_wheel(WheelSpec("evil", "1.0", files={"../escape.py": "x"}), sandbox.wheels)
    assert refusal(sandbox, wheel) == (
        f"The wheel `{EVIL}` is invalid: the member `../escape.py` contains `..`, so it would "
        "be written outside of the target directory")


def test_absolute_path_message(sandbox: Sandbox) -> None:
    wheel = build_wheel(WheelSpec("evil", "1.0", files={"/tmp/escape.py": "x"}),
                        sandbox.wheels)
    assert refusal(sandbox, wheel) == (
        f"The wheel `{EVIL}` is invalid: the member `/tmp/escape.py` has an absolute path, so "
        "it would be written outside of the target directory")


def test_record_hash_mismatch_message(sandbox: Sandbox) -> None:
    wheel = record_wrong_hash(build_wheel(WheelSpec("evil", "1.0"), sandbox.wheels), INIT)
    real = record_hash(WheelSpec("evil", "1.0").members()[INIT])
    claimed = record_hash(b"not the contents of " + INIT.encode())
    assert refusal(sandbox, wheel) == (
        f"The wheel `{EVIL}` is invalid: the hash of `{INIT}` does not match its RECORD entry "
        f"(RECORD says `{claimed}`, the file has `{real}`)")


def test_file_missing_from_record_message(sandbox: Sandbox) -> None:
    wheel = record_without(build_wheel(WheelSpec("evil", "1.0"), sandbox.wheels), INIT)
    assert refusal(sandbox, wheel) == (
        f"The wheel `{EVIL}` is invalid: `{INIT}` is not listed in RECORD")


def test_several_files_missing_from_record_are_counted(sandbox: Sandbox) -> None:
    wheel = build_wheel(WheelSpec("evil", "1.0", files={"evil/a.py": "a", "evil/b.py": "b"}),
                        sandbox.wheels)
    for member in (INIT, "evil/a.py", "evil/b.py"):
        record_without(wheel, member)
    assert refusal(sandbox, wheel) == (
        f"The wheel `{EVIL}` is invalid: `{INIT}` is not listed in RECORD (nor are 2 other "
        "files)")


def test_bad_crc_message(sandbox: Sandbox) -> None:
    wheel = corrupt_crc(build_wheel(WheelSpec("evil", "1.0"), sandbox.wheels), INIT)
    assert refusal(sandbox, wheel) == (
        f"The wheel `{EVIL}` is invalid: the CRC-32 of `{INIT}` does not match (the archive "
        "is corrupt)")


def test_truncated_wheel_says_so(sandbox: Sandbox) -> None:
    from tests.support.wheels import truncate

    wheel = truncate(build_wheel(WheelSpec("evil", "1.0"), sandbox.wheels))
    message = refusal(sandbox, wheel)
    assert "truncated" in message, message
    assert "data after" not in message


@pytest.mark.parametrize("files", [
    {"evil/x": "a file", "evil/x/y.py": "under it"},
    {"evil/x/y.py": "under it", "evil/x": "a file"},
    {"evil-1.0.dist-info/RECORD/x": "under RECORD"},
], ids=["file-then-dir", "dir-then-file", "under-record"])
def test_member_that_is_both_file_and_directory_is_refused(files: dict[str, str],
                                                           sandbox: Sandbox) -> None:
    wheel = build_wheel(WheelSpec("evil", "1.0", files=files), sandbox.wheels)
    before = snapshot(sandbox.root, skip=("store/archive-v1",))
    message = refusal(sandbox, wheel)
    assert f"`{EVIL}`" in message
    assert "is both a file and a directory" in message, message
    assert_nothing_left(sandbox, wheel, before)


@pytest.mark.parametrize("name", ["evil/./x.py", "./evil/x.py", "evil//x.py", "evil/x.py/."])
def test_member_name_that_is_not_normalized_is_refused(name: str, sandbox: Sandbox) -> None:
    """`evil/./__init__.py` and `evil/__init__.py` would be one file: a parser differential."""
    wheel = build_wheel(WheelSpec("evil", "1.0", files={name: "x = 1\n"}), sandbox.wheels)
    before = snapshot(sandbox.root, skip=("store/archive-v1",))
    message = refusal(sandbox, wheel)
    assert f"the member `{name}`" in message, message
    assert_nothing_left(sandbox, wheel, before)


def test_control_characters_in_a_name_are_refused(sandbox: Sandbox) -> None:
    wheel = build_wheel(WheelSpec("evil", "1.0", files={"evil/a\nb.py": "x"}), sandbox.wheels)
    assert "contains control characters" in refusal(sandbox, wheel)


def test_unknown_file_name_is_refused(sandbox: Sandbox) -> None:
    wheel = build_wheel(WheelSpec("evil", "1.0"), sandbox.wheels)
    with pytest.raises(WheelError, match="is not a valid wheel file name"):
        unpack_wheel(str(wheel), str(sandbox.bucket), filename="evil.zip",
                     sha256=sha256_of(wheel))
    assert not sandbox.bucket.exists()


# -- size: streamed, and never more than declared -------------------------------------------


def test_large_honest_member_is_unpacked(sandbox: Sandbox) -> None:
    size = 20 << 20
    spec = WheelSpec("big", "1.0", files={"big/zeros.bin": bytes(size)})
    wheel = build_wheel(spec, sandbox.wheels)
    assert wheel.stat().st_size < 1 << 20  # deflated zeros
    unpacked = sandbox.unpack(wheel)
    target = Path(unpacked.files_dir) / "big/zeros.bin"
    assert target.stat().st_size == size
    entry = next(f for f in unpacked.files if f[0] == "big/zeros.bin")
    assert entry[1:3] == (record_hash(bytes(size)), size)


def test_large_member_is_written_in_bounded_chunks(sandbox: Sandbox,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Inflated data goes to disk a chunk at a time, never as one big buffer."""
    largest = [0]
    real_write_all = archive._write_all

    def spy(fd: int, data: bytes) -> None:
        largest[0] = max(largest[0], len(data))
        real_write_all(fd, data)

    monkeypatch.setattr(archive, "_write_all", spy)
    spec = WheelSpec("big", "1.0", files={"big/zeros.bin": bytes(20 << 20)})
    sandbox.unpack(build_wheel(spec, sandbox.wheels))
    assert 0 < largest[0] <= 2 << 20


def test_large_member_is_unpacked_in_bounded_memory(sandbox: Sandbox) -> None:
    import tracemalloc

    size = 48 << 20
    wheel = build_wheel(WheelSpec("big", "1.0", files={"big/zeros.bin": bytes(size)}),
                        sandbox.wheels)
    tracemalloc.start()
    try:
        sandbox.unpack(wheel)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, f"peak {peak >> 20} MiB for a {size >> 20} MiB member"


@pytest.mark.parametrize("real,declared", [(1 << 20, 1024), (64 << 20, 1024), (4096, 0)])
def test_lying_size_never_writes_more_than_declared(real: int, declared: int, sandbox: Sandbox,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    written: dict[str, int] = {}
    real_write_all = archive._write_all

    def spy(fd: int, data: bytes) -> None:
        path = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        written[path] = written.get(path, 0) + len(data)
        real_write_all(fd, data)

    spec = WheelSpec("evil", "1.0", files={"evil/zeros.bin": bytes(real)})
    wheel = lie_about_size(build_wheel(spec, sandbox.wheels), "evil/zeros.bin", declared)
    monkeypatch.setattr(archive, "_write_all", spy)
    before = snapshot(sandbox.root, skip=("store/archive-v1",))
    message = refusal(sandbox, wheel)
    assert f"holds more data than the {declared} bytes it declares" in message
    assert written.get("zeros.bin", 0) <= declared
    assert_nothing_left(sandbox, wheel, before)


def test_stored_member_with_lying_size_is_refused(sandbox: Sandbox) -> None:
    spec = WheelSpec("evil", "1.0", files={"evil/data.bin": bytes(4096)},
                     compression={"evil/data.bin": zipfile.ZIP_STORED})
    wheel = lie_about_size(build_wheel(spec, sandbox.wheels), "evil/data.bin", 100)
    before = snapshot(sandbox.root, skip=("store/archive-v1",))
    message = refusal(sandbox, wheel)
    assert "`evil/data.bin`" in message
    assert_nothing_left(sandbox, wheel, before)


def test_corrupt_deflate_stream_deep_in_a_large_member_is_refused(sandbox: Sandbox) -> None:
    """The error comes after many chunks of output: still a `WheelError`, not `zlib.error`."""
    import zlib

    from tests.support.wheels import _Layout

    size = 8 << 20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    # Zeros, flushed to a byte boundary, then a block of the reserved type 3.
    stream = compressor.compress(bytes(size)) + compressor.flush(zlib.Z_FULL_FLUSH) + b"\xff" * 8
    spec = WheelSpec("evil", "1.0", files={"evil/zeros.bin": bytes(size)})
    wheel = build_wheel(spec, sandbox.wheels)
    layout = _Layout.read(wheel)
    layout.find("evil/zeros.bin").data = stream
    layout.write(wheel)
    before = snapshot(sandbox.root, skip=("store/archive-v1",))
    message = refusal(sandbox, wheel)
    assert "the member `evil/zeros.bin` does not inflate" in message, message
    assert_nothing_left(sandbox, wheel, before)


@pytest.mark.parametrize("name", ["python", "python3", "python3.12", "python3.13t", "pythonw",
                                  "Python3.11", "python.exe"])
def test_script_named_like_the_interpreter_is_refused(name: str, sandbox: Sandbox) -> None:
    """It would take the place of `bin/python` (as uv refuses too)."""
    for kind, spec in [
        ("entry point", WheelSpec("evil", "1.0",
                                  entry_points={"console_scripts": {name: "evil:main"}})),
        ("script", WheelSpec("evil", "1.0", files={f"evil-1.0.data/scripts/{name}": "#!python\n"})),
    ]:
        wheel = build_wheel(spec, sandbox.wheels / kind)
        before = snapshot(sandbox.root, skip=("store/archive-v1",))
        assert refusal(sandbox, wheel) == (
            f"The wheel `{EVIL}` is invalid: its {kind} `{name}` would replace the "
            "environment's Python interpreter")
        assert_nothing_left(sandbox, wheel, before)


def test_scripts_merely_starting_with_python_are_fine(sandbox: Sandbox) -> None:
    names = ["python-tool", "pythonista", "python4", "py", "ipython"]
    spec = WheelSpec("tools", "1.0",
                     entry_points={"console_scripts": {n: "tools:main" for n in names}},
                     files={"tools-1.0.data/scripts/python-run": "#!python\n",
                            "tools-1.0.data/scripts/sub/python": "#!python\n"})
    unpacked = sandbox.unpack(build_wheel(spec, sandbox.wheels))
    assert sorted(name for _, name, _ in unpacked.entry_points) == sorted(names)
