"""Valid and deliberately broken wheels, written byte by byte, for installer tests.

A :class:`WheelSpec` describes a wheel and :func:`build_wheel` writes it, correct in every way
the spec does not ask to get wrong::

    spec = WheelSpec("evil", "1.0", files={"../escape.py": "x"})
    wheel = build_wheel(spec, tmp_path)  # evil-1.0-py3-none-any.whl, RECORD lists ../escape.py

Faults the spec cannot express are applied afterwards, by functions that rewrite the wheel in
place and return its path, so they nest::

    wheel = corrupt_crc(build_wheel(WheelSpec("evil", "1.0"), tmp_path), "evil/__init__.py")

Archive-level functions parse the zip with ``struct`` and write it back with ``struct``, so each
changes exactly the bytes it names and keeps earlier faults (a bad CRC, a lying size, a local
name, trailing data).  :func:`truncate` and :func:`fill_with_garbage` leave no zip to parse, so
apply them last.

:data:`BAD_WHEELS` follows the "Bad-input catalog" of the reliability reference: one
:class:`BadWheel` per fault, with the behaviour an installer owes it::

    @pytest.mark.parametrize("bad", BAD_WHEELS, ids=lambda bad: bad.id)
    def test_install_refuses(bad, tmp_path): wheel = bad.build(tmp_path); ...
"""

from __future__ import annotations

import bz2
import csv
import hashlib
import io
import lzma
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import KW_ONLY, dataclass, field, replace
from pathlib import Path

from packaging.version import InvalidVersion, Version

from . import _backend

__all__ = [
    "BAD_WHEELS",
    "BadWheel",
    "WheelSpec",
    "bad_wheel",
    "build_wheel",
    "check_record",
    "corrupt_crc",
    "fill_with_garbage",
    "lie_about_size",
    "mismatch_local_name",
    "record_hash",
    "record_with",
    "record_without",
    "record_wrong_hash",
    "record_wrong_size",
    "truncate",
    "with_duplicate",
    "with_member",
    "with_symlink",
    "with_trailing_data",
    "without_dist_info",
    "without_member",
    "without_record",
]

GENERATOR = "puv-test-wheels 1.0"
ZIP_DATE = _backend.ZIP_DATE
FILE_MODE = 0o644
SYMLINK_MODE = stat.S_IFLNK | 0o777
UNIX = 3  # ``create_system`` of a zip entry made on Unix: external_attr >> 16 is st_mode

record_hash = _backend.record_hash


@dataclass(frozen=True)
class WheelSpec:
    """What :func:`build_wheel` writes.

    ``files`` maps paths inside the wheel to contents, written as given (``../x``, ``/x``,
    ``..\\x`` and ``C:/x`` included) and each listed in RECORD.  ``{module}/__init__.py`` (with
    ``__version__`` and a ``main()`` for console scripts) is added unless ``files`` has it.  A
    file at a ``.dist-info`` path replaces the generated one (RECORD too: then it is used as is).
    ``compression`` is a zipfile method for every member, or a ``{member: method}`` mapping
    (others deflated).
    """

    name: str
    version: str
    _: KW_ONLY
    files: Mapping[str, bytes | str] = field(default_factory=dict)
    tag: str = "py3-none-any"
    entry_points: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    requires: list[str] = field(default_factory=list)
    root_is_purelib: bool = True
    wheel_version: str = "1.0"
    metadata_name: str | None = None  # METADATA ``Name`` when it must disagree with the file
    metadata_version: str | None = None  # METADATA ``Version``, likewise
    extra_metadata: str = ""  # appended to METADATA as is
    compression: int | Mapping[str, int] = zipfile.ZIP_DEFLATED

    @property
    def module(self) -> str:
        """The import name of the default package: ``My.Project`` -> ``my_project``."""
        return _backend.escape(self.name)

    @property
    def stem(self) -> str:
        """``{name}-{version}`` as written in file and directory names."""
        return f"{_backend.escape(self.name)}-{_filename_version(self.version)}"

    @property
    def filename(self) -> str:
        build, triple = _backend.split_tag(self.tag)
        return f"{self.stem}{f'-{build}' if build else ''}-{triple}.whl"

    @property
    def dist_info(self) -> str:
        return f"{self.stem}.dist-info"

    @property
    def data_dir(self) -> str:
        """The ``.data`` directory: ``{data_dir}/scripts/x``, ``/headers/``, ``/purelib/``..."""
        return f"{self.stem}.data"

    @property
    def record_path(self) -> str:
        return f"{self.dist_info}/RECORD"

    def members(self) -> dict[str, bytes]:
        """Every member of the wheel in archive order, RECORD last."""
        files = {f"{self.module}/__init__.py": self._init_py()}
        files.update({path: _bytes(data) for path, data in self.files.items()})
        generated = self._dist_info_files()
        entries = {path: data for path, data in files.items() if path not in generated}
        for path, data in generated.items():
            entries[path] = files.get(path, data)
        if self.record_path not in files:
            rows = [(path, record_hash(data), str(len(data))) for path, data in entries.items()]
            entries[self.record_path] = _render_record([*rows, (self.record_path, "", "")])
        else:
            entries[self.record_path] = entries.pop(self.record_path)
        return entries

    def method(self, member: str) -> int:
        if isinstance(self.compression, int):
            return self.compression
        return self.compression.get(member, zipfile.ZIP_DEFLATED)

    def _init_py(self) -> bytes:
        version = self.metadata_version or self.version
        return (
            f'__version__ = "{version}"\n\n\n'
            f"def main():\n    print({f'{self.name} {version}'!r})\n    return 0\n"
        ).encode()

    def _dist_info_files(self) -> dict[str, bytes]:
        metadata = [
            "Metadata-Version: 2.1",
            f"Name: {self.metadata_name or self.name}",
            f"Version: {self.metadata_version or self.version}",
            *(f"Requires-Dist: {requirement}" for requirement in self.requires),
        ]
        text = "\n".join(metadata) + "\n" + self.extra_metadata
        if self.extra_metadata and not text.endswith("\n"):
            text += "\n"
        build, _ = _backend.split_tag(self.tag)
        wheel = [
            f"Wheel-Version: {self.wheel_version}",
            f"Generator: {GENERATOR}",
            f"Root-Is-Purelib: {'true' if self.root_is_purelib else 'false'}",
            *([f"Build: {build}"] if build else []),
            *(f"Tag: {tag}" for tag in _backend.expand_tag(self.tag)),
        ]
        files = {
            f"{self.dist_info}/METADATA": text.encode(),
            f"{self.dist_info}/WHEEL": ("\n".join(wheel) + "\n").encode(),
        }
        if self.entry_points:
            entry_points = _backend.render_entry_points(self.entry_points)
            files[f"{self.dist_info}/entry_points.txt"] = entry_points.encode()
        return files


def build_wheel(spec: WheelSpec, directory: Path) -> Path:
    """Write ``spec`` into ``directory`` as ``spec.filename``; deterministic."""
    directory.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in spec.members().items():
            archive.writestr(_zip_info(path, spec.method(path)), data)
    target = directory / spec.filename
    target.write_bytes(buffer.getvalue())
    return target


def check_record(wheel: Path) -> list[str]:
    """What is wrong between a wheel's RECORD and its members (empty: nothing).

    A checker of our own, for the self-tests: every member but RECORD is listed once with its
    sha256 and size, and every listed path is a member.
    """
    with zipfile.ZipFile(wheel) as archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        records = [name for name in names if re.fullmatch(r"[^/]+\.dist-info/RECORD", name)]
        if len(records) != 1:
            return [f"expected one RECORD, found {len(records)}"]
        problems = []
        seen: set[str] = set()
        for row in csv.reader(io.StringIO(archive.read(records[0]).decode())):
            if not row:
                continue
            path, digest, size = [*row, "", ""][:3]
            if path in seen:
                problems.append(f"{path}: listed twice")
            seen.add(path)
            if path == records[0]:
                continue
            if path not in names:
                problems.append(f"{path}: listed but not in the archive")
                continue
            data = archive.read(path)
            if digest != record_hash(data):
                problems.append(f"{path}: hash {digest!r} != {record_hash(data)!r}")
            if size != str(len(data)):
                problems.append(f"{path}: size {size!r} != {len(data)}")
        problems.extend(f"{name}: not in RECORD" for name in names if name not in seen)
        return problems


# Members: add, remove, duplicate (RECORD kept consistent unless the fault is RECORD's)


def with_member(
    wheel: Path,
    name: str,
    content: bytes | str,
    *,
    record: bool = True,
    method: int = zipfile.ZIP_DEFLATED,
    mode: int = FILE_MODE,
) -> Path:
    """Add a member (any name, written as given) and, unless ``record=False``, its RECORD row."""
    layout = _Layout.read(wheel)
    data = _bytes(content)
    member = _new_member(name, data, method, mode)
    at = next(
        (i for i, m in enumerate(layout.members) if ".dist-info/" in m.name.decode("utf-8")),
        len(layout.members),
    )
    layout.members.insert(at, member)
    if record:
        _edit_record(layout, wheel, lambda rows: _insert_row(rows, name, data))
    return layout.write(wheel)


def with_symlink(wheel: Path, name: str, target: str, *, record: bool = True) -> Path:
    """Add a member stored as a symlink (``S_IFLNK`` in external_attr, content = ``target``)."""
    return with_member(wheel, name, target, record=record, mode=SYMLINK_MODE)


def with_duplicate(wheel: Path, member: str, content: bytes | str) -> Path:
    """A second member named ``member``, right after the first, with other contents."""
    layout = _Layout.read(wheel)
    original = layout.find(member)
    data = _bytes(content)
    if data == _decompress(original):
        raise ValueError(f"{member}: the duplicate must differ from the original")
    copy = _new_member(member, data, original.method, original.external_attr >> 16)
    layout.members.insert(layout.members.index(original) + 1, copy)
    return layout.write(wheel)


def without_member(wheel: Path, member: str) -> Path:
    """Remove a member; RECORD still lists it (a RECORD row for a file not in the archive)."""
    layout = _Layout.read(wheel)
    layout.members.remove(layout.find(member))
    return layout.write(wheel)


def without_record(wheel: Path) -> Path:
    """Remove ``.dist-info/RECORD``."""
    return without_member(wheel, _Layout.read(wheel).record_name(wheel))


def without_dist_info(wheel: Path) -> Path:
    """Remove every member under a top-level ``*.dist-info/`` directory."""
    layout = _Layout.read(wheel)
    layout.members = [m for m in layout.members if not _DIST_INFO.match(m.name.decode())]
    return layout.write(wheel)


# RECORD faults (the archive itself is left as it is)


def record_wrong_hash(wheel: Path, member: str) -> Path:
    """RECORD gives ``member`` the hash of other bytes (its size stays right)."""

    def edit(rows: list[list[str]]) -> None:
        row = _row(rows, member)
        row[1] = record_hash(b"not the contents of " + member.encode())

    return _rewrite_record(wheel, edit)


def record_wrong_size(wheel: Path, member: str) -> Path:
    """RECORD gives ``member`` a size one byte too large (its hash stays right)."""

    def edit(rows: list[list[str]]) -> None:
        row = _row(rows, member)
        row[2] = str(int(row[2]) + 1)

    return _rewrite_record(wheel, edit)


def record_without(wheel: Path, member: str) -> Path:
    """Drop ``member``'s row from RECORD: a member RECORD does not list."""
    return _rewrite_record(wheel, lambda rows: rows.remove(_row(rows, member)))


def record_with(wheel: Path, entry: str, content: bytes | str = b"") -> Path:
    """A RECORD row for ``entry`` (``../x``, ``/x``, a missing file...), hashing ``content``."""
    return _rewrite_record(wheel, lambda rows: _insert_row(rows, entry, _bytes(content)))


# Archive faults, at the byte level


def corrupt_crc(wheel: Path, member: str) -> Path:
    """Flip one byte of ``member``'s data, keeping the CRC-32 and sizes of the original.

    The data is recompressed, so the stream stays well formed and only the CRC check fails.
    """
    layout = _Layout.read(wheel)
    original = layout.find(member)
    data = bytearray(_decompress(original))
    if not data:
        raise ValueError(f"{member} is empty: no byte to flip")
    data[len(data) // 2] ^= 0x01
    flipped = _new_member(member, bytes(data), original.method, FILE_MODE)
    original.data = flipped.data
    return layout.write(wheel)


def mismatch_local_name(wheel: Path, member: str, local_name: str | None = None) -> Path:
    """Give ``member``'s local header another name than its central directory entry.

    By default the local name is ``member`` with ``.local`` appended.
    """
    layout = _Layout.read(wheel)
    found = layout.find(member)
    found.local_name = (local_name if local_name is not None else member + ".local").encode()
    return layout.write(wheel)


def lie_about_size(wheel: Path, member: str, declared: int | None = None) -> Path:
    """Declare (local and central) an uncompressed size smaller than ``member``'s real data.

    ``declared`` defaults to half the real size.  The CRC stays that of the whole data.
    """
    layout = _Layout.read(wheel)
    found = layout.find(member)
    real = len(_decompress(found))
    declared = real // 2 if declared is None else declared
    if not 0 <= declared < real:
        raise ValueError(f"{member}: declared size {declared} is not below the real {real}")
    found.size = declared
    return layout.write(wheel)


def with_trailing_data(wheel: Path, data: bytes = b"trailing data after the archive\n") -> Path:
    """Append bytes after the end-of-central-directory record."""
    layout = _Layout.read(wheel)
    layout.trailing += data
    return layout.write(wheel)


def truncate(wheel: Path, keep: float = 0.5) -> Path:
    """Cut the file to ``keep`` of its length (half by default)."""
    data = wheel.read_bytes()
    wheel.write_bytes(data[: int(len(data) * keep)])
    return wheel


def fill_with_garbage(wheel: Path, size: int | None = None) -> Path:
    """Replace the file's bytes with deterministic noise holding no ``PK`` signature."""
    size = wheel.stat().st_size if size is None else size
    noise = b"".join(
        hashlib.sha256(counter.to_bytes(8, "big")).digest() for counter in range(size // 32 + 1)
    )
    wheel.write_bytes(noise[:size].replace(b"PK", b"pk"))
    return wheel


# The catalog

REJECT = "reject; nothing written outside the target, no partial install"
NO_ESCAPE = "never a symlink or file outside the target (write a plain file, or reject)"
NO_LINK = "never a symlink (write a plain file), or reject"
FOREIGN = "refuse: the tag does not match this platform"
UNINSTALL = REJECT + "; uninstall never touches the listed path"


@dataclass(frozen=True)
class BadWheel:
    """One entry of the bad-wheel catalog: a wheel of ``evil 1.0`` with one fault."""

    id: str
    fault: str  # what is wrong, in a few words
    build: Callable[[Path], Path]  # writes the wheel into a directory, returns its path
    requirement: str = REJECT  # what a safe installer must do with it


BASE = WheelSpec("evil", "1.0")
INIT = f"{BASE.module}/__init__.py"


def _spec(**changes: object) -> Callable[[Path], Path]:
    spec = replace(BASE, **changes)  # type: ignore[arg-type]
    return lambda directory: build_wheel(spec, directory)


def _member(path: str) -> Callable[[Path], Path]:
    return _spec(files={path: "x = 1\n"})


def _script(name: str) -> Callable[[Path], Path]:
    return _spec(entry_points={"console_scripts": {name: "evil:main"}})


def _then(
    mutate: Callable[..., Path], *args: object, spec: WheelSpec = BASE
) -> Callable[[Path], Path]:
    return lambda directory: mutate(build_wheel(spec, directory), *args)


_OTHER_METADATA = "Metadata-Version: 2.1\nName: other\nVersion: 1.0\n"
_ZEROS = replace(BASE, files={"evil/zeros.bin": bytes(1 << 20)})

BAD_WHEELS: tuple[BadWheel, ...] = (
    BadWheel("traversal-parent", "member ../escape.py", _member("../escape.py")),
    BadWheel("traversal-deep", "member ../../../../tmp/x.py", _member("../../../../tmp/x.py")),
    BadWheel("traversal-inner", "member evil/../../x.py", _member("evil/../../x.py")),
    BadWheel("absolute-path", "member /tmp/escape.py", _member("/tmp/escape.py")),
    BadWheel("backslash-traversal", "member ..\\escape.py", _member("..\\escape.py")),
    BadWheel("drive-letter", "member C:/escape.py", _member("C:/escape.py")),
    BadWheel(
        "symlink-outside",
        "evil/passwd stored as a symlink to ../../../../etc/passwd",
        _then(with_symlink, "evil/passwd", "../../../../etc/passwd"),
        NO_ESCAPE,
    ),
    BadWheel(
        "symlink-inside",
        "evil/link.py stored as a symlink to __init__.py",
        _then(with_symlink, "evil/link.py", "__init__.py"),
        NO_LINK,
    ),
    BadWheel(
        "duplicate-member",
        f"{INIT} twice, with different contents",
        _then(with_duplicate, INIT, "print('the other copy')\n"),
    ),
    BadWheel("record-wrong-hash", f"RECORD hash of {INIT}", _then(record_wrong_hash, INIT)),
    BadWheel("record-wrong-size", f"RECORD size of {INIT}", _then(record_wrong_size, INIT)),
    BadWheel("record-missing-entry", f"{INIT} not in RECORD", _then(record_without, INIT)),
    BadWheel(
        "record-extra-entry",
        "RECORD lists evil/missing.py, not in the archive",
        _then(record_with, "evil/missing.py", "x = 1\n"),
    ),
    BadWheel(
        "record-traversal-entry",
        "RECORD lists ../../outside.txt",
        _then(record_with, "../../outside.txt", "x"),
        UNINSTALL,
    ),
    BadWheel(
        "record-absolute-entry",
        "RECORD lists /tmp/outside.txt",
        _then(record_with, "/tmp/outside.txt", "x"),
        UNINSTALL,
    ),
    BadWheel("no-record", "no .dist-info/RECORD", _then(without_record)),
    BadWheel(
        "two-dist-info",
        "evil-1.0.dist-info and other-1.0.dist-info",
        _spec(files={"other-1.0.dist-info/METADATA": _OTHER_METADATA}),
    ),
    BadWheel("no-dist-info", "no .dist-info directory", _then(without_dist_info)),
    BadWheel("wheel-version-9", "Wheel-Version: 9.0", _spec(wheel_version="9.0")),
    BadWheel("metadata-name-mismatch", "METADATA Name: other", _spec(metadata_name="other")),
    BadWheel("metadata-version-mismatch", "METADATA Version: 2.0", _spec(metadata_version="2.0")),
    BadWheel("script-traversal", "console script ../../evil", _script("../../evil")),
    BadWheel("script-slash", "console script sub/evil", _script("sub/evil")),
    BadWheel("truncated", "the file cut at half its length", _then(truncate)),
    BadWheel("garbage", "noise with a wheel's file name", _then(fill_with_garbage)),
    BadWheel("bad-crc", f"a byte of {INIT} flipped, CRC unchanged", _then(corrupt_crc, INIT)),
    BadWheel(
        "local-name-mismatch",
        f"local header name {INIT}.local, central {INIT}",
        _then(mismatch_local_name, INIT),
    ),
    BadWheel(
        "lying-size",
        "evil/zeros.bin: 1 MiB of data, 1 KiB declared",
        _then(lie_about_size, "evil/zeros.bin", 1024, spec=_ZEROS),
    ),
    BadWheel(
        "bz2-member", f"{INIT} bzip2-compressed", _spec(compression={INIT: zipfile.ZIP_BZIP2})
    ),
    BadWheel("lzma-member", f"{INIT} LZMA-compressed", _spec(compression={INIT: zipfile.ZIP_LZMA})),
    BadWheel(
        "trailing-data", "bytes after the end of central directory", _then(with_trailing_data)
    ),
    BadWheel(
        "platform-windows",
        "tag cp39-cp39-win_amd64",
        _spec(tag="cp39-cp39-win_amd64", root_is_purelib=False),
        FOREIGN,
    ),
    BadWheel(
        "platform-macos",
        "tag py3-none-macosx_11_0_arm64",
        _spec(tag="py3-none-macosx_11_0_arm64"),
        FOREIGN,
    ),
)


def bad_wheel(id: str, directory: Path) -> Path:
    """Build the catalog entry ``id`` (e.g. ``"bad-crc"``) into ``directory``."""
    for entry in BAD_WHEELS:
        if entry.id == id:
            return entry.build(directory)
    raise KeyError(f"no bad wheel {id!r}; known: {', '.join(b.id for b in BAD_WHEELS)}")


# The zip layout, read and written with struct

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_DIST_INFO = re.compile(r"[^/]+\.dist-info/")
_UTF8_FLAG = 0x800


@dataclass
class _Member:
    """One zip entry.  ``size`` is the declared uncompressed size, in both headers."""

    name: bytes  # in the central directory
    local_name: bytes  # in the local header
    data: bytes  # as stored (compressed)
    method: int
    crc: int
    size: int
    flags: int
    dos_time: int
    dos_date: int
    version_made_by: int
    version_needed: int
    internal_attr: int
    external_attr: int
    local_extra: bytes
    central_extra: bytes
    comment: bytes


@dataclass
class _Layout:
    members: list[_Member]
    comment: bytes = b""
    trailing: bytes = b""  # after the end-of-central-directory record

    @classmethod
    def read(cls, wheel: Path) -> _Layout:
        return cls.parse(wheel.read_bytes())

    @classmethod
    def parse(cls, buffer: bytes) -> _Layout:
        end = cls._find_end(buffer)
        _, _, _, _, count, _, cd_offset, comment_length = _END.unpack_from(buffer, end)
        comment = buffer[end + _END.size : end + _END.size + comment_length]
        members = []
        at = cd_offset
        for _ in range(count):
            # fmt: off
            (sig, made_by, needed, flags, method, time, date, crc, compressed, size, name_length,
             extra_length, comment_length, _disk, internal, external, offset,
             ) = _CENTRAL.unpack_from(buffer, at)
            # fmt: on
            if sig != _CENTRAL_SIG:
                raise ValueError(f"no central directory entry at {at}")
            if flags & 0x08 or 0xFFFFFFFF in (compressed, size, offset):
                raise ValueError("data descriptors and zip64 are not supported")
            at += _CENTRAL.size
            name = buffer[at : at + name_length]
            central_extra = buffer[at + name_length : at + name_length + extra_length]
            entry_comment = buffer[at + name_length + extra_length :][:comment_length]
            at += name_length + extra_length + comment_length
            local = _LOCAL.unpack_from(buffer, offset)
            if local[0] != _LOCAL_SIG:
                raise ValueError(f"no local header at {offset}")
            local_name_length, local_extra_length = local[9], local[10]
            start = offset + _LOCAL.size
            local_name = buffer[start : start + local_name_length]
            local_extra = buffer[start + local_name_length :][:local_extra_length]
            start += local_name_length + local_extra_length
            # fmt: off
            members.append(_Member(
                name, local_name, buffer[start : start + compressed], method, crc, size, flags,
                time, date, made_by, needed, internal, external, local_extra, central_extra,
                entry_comment,
            ))
            # fmt: on
        return cls(members, comment, buffer[end + _END.size + comment_length :])

    @staticmethod
    def _find_end(buffer: bytes) -> int:
        end = len(buffer)
        while (end := buffer.rfind(_END_SIG, 0, end)) >= 0:
            if end + _END.size <= len(buffer):
                _, _, _, _, _, cd_size, cd_offset, _ = _END.unpack_from(buffer, end)
                if cd_offset + cd_size == end:
                    return end
        raise ValueError("no end of central directory record")

    def serialize(self) -> bytes:
        out = bytearray()
        central = bytearray()
        for m in self.members:
            offset = len(out)
            flags = m.flags | (_UTF8_FLAG if not (m.name + m.local_name).isascii() else 0)
            # fmt: off
            out += _LOCAL.pack(
                _LOCAL_SIG, m.version_needed, flags, m.method, m.dos_time, m.dos_date, m.crc,
                len(m.data), m.size, len(m.local_name), len(m.local_extra),
            )
            out += m.local_name + m.local_extra + m.data
            central += _CENTRAL.pack(
                _CENTRAL_SIG, m.version_made_by, m.version_needed, flags, m.method, m.dos_time,
                m.dos_date, m.crc, len(m.data), m.size, len(m.name), len(m.central_extra),
                len(m.comment), 0, m.internal_attr, m.external_attr, offset,
            )
            # fmt: on
            central += m.name + m.central_extra + m.comment
        cd_offset = len(out)
        out += central
        count = len(self.members)
        out += _END.pack(_END_SIG, 0, 0, count, count, len(central), cd_offset, len(self.comment))
        return bytes(out + self.comment + self.trailing)

    def write(self, wheel: Path) -> Path:
        wheel.write_bytes(self.serialize())
        return wheel

    def find(self, member: str) -> _Member:
        for m in self.members:
            if m.name == member.encode():
                return m
        raise KeyError(f"no member {member!r}")

    def record_name(self, wheel: Path) -> str:
        """The RECORD of the wheel: the only one, else the one its file name points at."""
        names = [m.name.decode() for m in self.members]
        records = [n for n in names if re.fullmatch(r"[^/]+\.dist-info/RECORD", n)]
        stem = "-".join(wheel.name.split("-")[:2])
        preferred = [n for n in records if n == f"{stem}.dist-info/RECORD"]
        if len(records) == 1 or preferred:
            return (preferred or records)[0]
        raise KeyError(f"{wheel.name}: {len(records)} RECORD files")


def _new_member(name: str, data: bytes, method: int, mode: int) -> _Member:
    """A member as zipfile writes it, so any compression method is encoded correctly."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_zip_info(name, method, mode), data)
    return _Layout.parse(buffer.getvalue()).members[0]


def _zip_info(name: str, method: int, mode: int = FILE_MODE) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.filename = name  # ZipInfo() rewrites os.sep and cuts at NUL; keep the name as given
    info.compress_type = method
    info.create_system = UNIX
    info.external_attr = mode << 16
    return info


def _decompress(member: _Member) -> bytes:
    """The member's real data, whatever its header declares."""
    if member.method == zipfile.ZIP_STORED:
        return member.data
    if member.method == zipfile.ZIP_DEFLATED:
        return zlib.decompressobj(-15).decompress(member.data)
    if member.method == zipfile.ZIP_BZIP2:
        return bz2.decompress(member.data)
    if member.method == zipfile.ZIP_LZMA:
        # zip's LZMA header: version (2 bytes), properties size (2), then the 5 property bytes,
        # which are also the head of a .lzma ("alone") header; -1 as size: end marker used.
        (props_size,) = struct.unpack_from("<H", member.data, 2)
        props, stream = member.data[4 : 4 + props_size], member.data[4 + props_size :]
        alone = props + b"\xff" * 8 + stream
        return lzma.LZMADecompressor(lzma.FORMAT_ALONE).decompress(alone)
    raise ValueError(f"compression method {member.method} is not supported")


def _rewrite_record(wheel: Path, edit: Callable[[list[list[str]]], None]) -> Path:
    layout = _Layout.read(wheel)
    _edit_record(layout, wheel, edit)
    return layout.write(wheel)


def _edit_record(layout: _Layout, wheel: Path, edit: Callable[[list[list[str]]], None]) -> None:
    record = layout.find(layout.record_name(wheel))
    rows = [row for row in csv.reader(io.StringIO(_decompress(record).decode())) if row]
    edit(rows)
    rewritten = _new_member(record.name.decode(), _render_record(rows), record.method, FILE_MODE)
    layout.members[layout.members.index(record)] = rewritten


def _render_record(rows: Iterable[Iterable[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode()


def _row(rows: list[list[str]], path: str) -> list[str]:
    for row in rows:
        if row[0] == path:
            return row
    raise KeyError(f"RECORD has no row for {path!r}")


def _insert_row(rows: list[list[str]], path: str, data: bytes) -> None:
    """Add a row before RECORD's own (last) row."""
    row = [path, record_hash(data), str(len(data))]
    at = next((i for i, r in enumerate(rows) if r[0].endswith(".dist-info/RECORD")), len(rows))
    rows.insert(at, row)


def _filename_version(version: str) -> str:
    try:
        return str(Version(version))
    except InvalidVersion:
        return version.replace("-", "_")


def _bytes(content: bytes | str) -> bytes:
    return content.encode() if isinstance(content, str) else bytes(content)
