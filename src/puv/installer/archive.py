"""A wheel, checked and unpacked once into the cache: the source every install links from.

`unpack_wheel` reads a wheel's central directory with `zipfile`, then reads every member
itself (a local header and its bytes, by offset) so that nothing the archive claims goes
unchecked:

- the file begins with a local header and ends with the end-of-central-directory record
  (no data before or after it: the parser differentials of CVE-2025-54368);
- member names are relative and normalized, without `..`, `.`, empty parts, a drive, a
  backslash, control characters or a duplicate; no name is both a file and a directory; no
  member is a symlink; members do not overlap; only stored and deflated members (no
  bz2/lzma, no encryption);
- each member's local header names the same file as the central directory; its data
  inflates to exactly the declared size (no more is ever written) and matches its CRC;
- `RECORD` lists every file with the right hash and size, and nothing else; there is one
  `.dist-info` directory, with `METADATA`, `WHEEL` (`Wheel-Version: 1.x`) and `RECORD`; the
  metadata's name and version are the file name's;
- no script (an entry point, a file of `.data/scripts/`) leaves the scripts directory or takes
  the name of the interpreter (`python`, `python3.12`...).

Any failure is a `WheelError` naming the wheel and the member, and leaves nothing behind:
members are written under a temporary directory that is renamed into place, as
`archive-v1/<name>/<sha256 of the wheel>/`, only when everything checked out. Beside the tree
(`files/`) a `manifest` (marshal) keeps what installing needs, so an install neither walks the
tree nor parses RECORD again.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import marshal
import os
import stat
import struct
import zipfile
import zlib

from puv.errors import WheelError
from puv.fs import remove_tree, temporary_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO

__all__ = ["UnpackedWheel", "archive_entry", "load_unpacked", "unpack_wheel"]

_FORMAT = 2  # bump when the manifest changes
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_SIG = b"PK\x03\x04"
_EOCD_SIG = b"PK\x05\x06"
_CHUNK = 1 << 20
_SIGNATURES = ("RECORD.jws", "RECORD.p7s")


class UnpackedWheel:
    """An archive entry: where the files are, and what installing them needs to know."""

    __slots__ = (
        "data_dir",
        "dirs",
        "dist_info",
        "entry_points",
        "filename",
        "files",
        "name",
        "path",
        "root_is_purelib",
        "tags",
        "version",
    )

    def __init__(self, path: str, manifest: dict[str, Any]) -> None:
        self.path = path
        self.filename: str = manifest["filename"]
        self.name: str = manifest["name"]  # normalized
        self.version: str = manifest["version"]
        self.dist_info: str = manifest["dist_info"]  # `name-1.0.dist-info`
        self.data_dir: str = manifest["data_dir"]  # `name-1.0.data`
        self.root_is_purelib: bool = manifest["root_is_purelib"]
        self.tags: list[str] = manifest["tags"]
        # (path in the wheel, "sha256=<urlsafe b64>", size, executable), in archive order
        self.files: list[tuple[str, str, int, bool]] = manifest["files"]
        # every directory that holds a file, parents before children
        self.dirs: list[str] = manifest["dirs"]
        # (group, name, "module:attr") for console_scripts and gui_scripts
        self.entry_points: list[tuple[str, str, str]] = manifest["entry_points"]

    @property
    def files_dir(self) -> str:
        return os.path.join(self.path, "files")

    def __repr__(self) -> str:
        return f"UnpackedWheel({self.filename!r})"


def archive_entry(bucket: str, name: str, sha256: str) -> str:
    """Where the wheel with this name and digest is (or would be) unpacked."""
    return os.path.join(bucket, name, sha256)


def load_unpacked(bucket: str, name: str, sha256: str) -> UnpackedWheel | None:
    """The cached unpacked wheel, or `None` when it was never unpacked (or is unreadable)."""
    path = archive_entry(bucket, name, sha256)
    try:
        with open(os.path.join(path, "manifest"), "rb") as handle:
            manifest = marshal.loads(handle.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
        return None
    return UnpackedWheel(path, manifest)


def unpack_wheel(wheel: str, bucket: str, *, filename: str, sha256: str) -> UnpackedWheel:
    """Check `wheel` (a local file called `filename` at its origin) and unpack it into the
    archive bucket, unless it already is there."""
    from puv.core.filenames import parse_filename

    parsed = parse_filename(filename)
    if parsed is None or not parsed.is_wheel:
        raise WheelError(f"`{filename}` is not a valid wheel file name")
    name = str(parsed.name)
    found = load_unpacked(bucket, name, sha256)
    if found is not None:
        return found
    parent = os.path.join(bucket, name)
    os.makedirs(parent, exist_ok=True)
    staging = temporary_name(os.path.join(parent, sha256))
    try:
        manifest = _unpack(wheel, filename, os.path.join(staging, "files"))
        manifest.update(format=_FORMAT, filename=filename, name=name,
                        version=str(parsed.version))
        _check_metadata(staging, manifest, parsed.name, parsed.version, filename)
        with open(os.path.join(staging, "manifest"), "wb") as handle:
            handle.write(marshal.dumps(manifest))
        target = archive_entry(bucket, name, sha256)
        try:
            os.rename(staging, target)
        except OSError:
            # Another process unpacked the same wheel meanwhile (or a broken entry is in
            # the way): keep a complete one.
            if load_unpacked(bucket, name, sha256) is None:
                remove_tree(target)
                os.rename(staging, target)
    finally:
        if os.path.lexists(staging):
            remove_tree(staging)
    unpacked = load_unpacked(bucket, name, sha256)
    assert unpacked is not None
    return unpacked


# -- reading and checking the archive ---------------------------------------------------------


def _fail(filename: str, problem: str, hint: str | None = None) -> WheelError:
    return WheelError(f"The wheel `{filename}` is invalid: {problem}", hint=hint)


def _check_name(filename: str, name: str) -> None:
    if not name or "\x00" in name or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise _fail(filename, f"the member name {name!r} contains control characters")
    if "\\" in name:
        raise _fail(filename, f"the member `{name}` contains a backslash, so it could be "
                    "written outside of the target directory")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise _fail(filename, f"the member `{name}` has an absolute path, so it would be "
                    "written outside of the target directory")
    if ".." in name.split("/"):
        raise _fail(filename, f"the member `{name}` contains `..`, so it would be written "
                    "outside of the target directory")
    parts = name[:-1].split("/") if name.endswith("/") else name.split("/")
    if "" in parts or "." in parts:
        # `a/./b` or `a//b` is another name for `a/b`: readers would disagree on the files.
        raise _fail(filename, f"the member `{name}` is not a normalized path (it has an empty "
                    "or `.` part)")


def _structure(handle: BinaryIO, size: int, filename: str) -> None:
    """No bytes before the first local header or after the end of the central directory."""
    handle.seek(0)
    if handle.read(4) != _LOCAL_SIG:
        raise _fail(filename, "it does not start with a zip local file header (is it a zip "
                    "file at all?)")
    tail_size = min(size, 22 + 65535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_EOCD_SIG)
    if at < 0:
        raise _fail(filename, "it is truncated (it has no end of central directory record)")
    while at >= 0:
        comment_length = struct.unpack("<H", tail[at + 20 : at + 22])[0]
        if at + 22 + comment_length == len(tail):
            return
        at = tail.rfind(_EOCD_SIG, 0, at)
    raise _fail(filename, "it has data after the end of its central directory")


def _unpack(wheel: str, filename: str, target: str) -> dict[str, Any]:
    try:
        handle = open(wheel, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise WheelError(f"Failed to read the wheel `{filename}`: {exc.strerror}") from None
    with handle:
        size = os.fstat(handle.fileno()).st_size
        _structure(handle, size, filename)
        try:
            infos = zipfile.ZipFile(handle).infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError,
                struct.error) as exc:
            raise _fail(filename, f"its zip structure is corrupt ({exc})") from None
        return _extract(handle, size, infos, filename, target)


def _extract(handle: BinaryIO, size: int, infos: list[zipfile.ZipInfo], filename: str,
             target: str) -> dict[str, Any]:
    seen: set[str] = set()
    members: list[zipfile.ZipInfo] = []
    for info in infos:
        name = info.filename
        _check_name(filename, name)
        if name in seen or name.rstrip("/") in seen:
            raise _fail(filename, f"the member `{name}` appears more than once")
        seen.add(name.rstrip("/"))
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _fail(filename, f"the member `{name}` is a symbolic link, which a wheel "
                        "may not contain")
        if info.flag_bits & 0x1:
            raise _fail(filename, f"the member `{name}` is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _fail(filename, f"the member `{name}` uses an unsupported compression "
                        f"method ({info.compress_type}); wheels use deflate or no "
                        "compression")
        if not name.endswith("/"):
            members.append(info)
    names = {info.filename for info in members}
    parents: set[str] = set()
    for info in members:
        parent = info.filename.rpartition("/")[0]
        while parent and parent not in parents:
            if parent in names:
                raise _fail(filename, f"the member `{parent}` is both a file and a directory "
                            f"(`{info.filename}` is in it)")
            parents.add(parent)
            parent = parent.rpartition("/")[0]
    dist_info = _dist_info_dir(filename, seen)
    record_name = f"{dist_info}/RECORD"
    record = _read_record_member(handle, size, members, record_name, filename)
    os.makedirs(target)
    made = {target}
    spans: list[tuple[int, int, str]] = []
    files: list[tuple[str, str, int, bool]] = []
    unlisted: list[str] = []
    for info in members:
        name = info.filename
        start, end = _member_span(handle, size, info, filename)
        spans.append((start, end, name))
        path = os.path.join(target, name)
        parent = os.path.dirname(path)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        executable = bool((info.external_attr >> 16) & 0o111)
        digest = _write_member(handle, info, end - info.compress_size, path, executable,
                               filename)
        if name == record_name or (name.rsplit("/", 1)[-1] in _SIGNATURES
                                   and name.startswith(dist_info + "/")):
            continue
        entry = record.pop(name, None)
        if entry is None:
            unlisted.append(name)
            continue
        expected_hash, expected_size = entry
        actual = "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if expected_hash:
            algorithm, _, value = expected_hash.partition("=")
            if algorithm != "sha256":
                actual_other = _digest_file(path, algorithm, filename, name)
                ok = actual_other == value
            else:
                ok = expected_hash == actual
            if not ok:
                raise _fail(filename, f"the hash of `{name}` does not match its RECORD entry "
                            f"(RECORD says `{expected_hash}`, the file has `{actual}`)")
        if expected_size and expected_size != str(info.file_size):
            raise _fail(filename, f"the size of `{name}` does not match its RECORD entry "
                        f"(RECORD says {expected_size} bytes, the file has {info.file_size})")
        files.append((name, actual, info.file_size, executable))
    if unlisted:
        raise _fail(filename, f"`{unlisted[0]}` is not listed in RECORD"
                    + (f" (nor are {len(unlisted) - 1} other files)" if len(unlisted) > 1
                       else ""))
    if record:
        missing = sorted(record)
        raise _fail(filename, f"RECORD lists `{missing[0]}`, which the wheel does not contain")
    spans.sort()
    for (_, end, first), (start, _, second) in itertools.pairwise(spans):
        if start < end:
            raise _fail(filename, f"the members `{first}` and `{second}` overlap")
    dirs: set[str] = set()
    for name, _digest, _size, _executable in files:
        parent = name.rpartition("/")[0]
        while parent and parent not in dirs:
            dirs.add(parent)
            parent = parent.rpartition("/")[0]
    return {"dist_info": dist_info, "data_dir": dist_info[: -len(".dist-info")] + ".data",
            "files": files, "dirs": sorted(dirs)}


def _dist_info_dir(filename: str, names: set[str]) -> str:
    tops = {name.split("/", 1)[0] for name in names}
    found = sorted(t for t in tops if t.endswith(".dist-info"))
    if not found:
        raise _fail(filename, "it contains no `.dist-info` directory")
    if len(found) > 1:
        raise _fail(filename, f"it contains more than one `.dist-info` directory "
                    f"({', '.join(f'`{f}`' for f in found)})")
    data = [t for t in tops if t.endswith(".data") and t != found[0][:-10] + ".data"]
    if data:
        raise _fail(filename, f"its `.data` directory `{data[0]}` does not match its "
                    f"`.dist-info` directory `{found[0]}`")
    return found[0]


def _member_span(handle: BinaryIO, size: int, info: zipfile.ZipInfo,
                 filename: str) -> tuple[int, int]:
    """Where the member's local header starts and its data ends; checks the header."""
    offset = info.header_offset
    handle.seek(offset)
    header = handle.read(_LOCAL.size)
    if len(header) != _LOCAL.size or header[:4] != _LOCAL_SIG:
        raise _fail(filename, f"the local header of `{info.filename}` is missing")
    fields = _LOCAL.unpack(header)
    name_length, extra_length = fields[9], fields[10]
    raw_name = handle.read(name_length)
    central = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437",
                                        "surrogateescape")
    if raw_name != central:
        raise _fail(filename, f"the local header of `{info.filename}` names another file "
                    f"({raw_name.decode('utf-8', 'replace')!r})")
    start = offset + _LOCAL.size + name_length + extra_length
    end = start + info.compress_size
    if end > size:
        raise _fail(filename, f"the data of `{info.filename}` runs past the end of the file")
    return offset, end


def _write_member(handle: BinaryIO, info: zipfile.ZipInfo, start: int, path: str,
                  executable: bool, filename: str) -> bytes:
    """Inflate one member into `path`, never beyond its declared size; its sha256 digest."""
    sha = hashlib.sha256()
    crc = 0
    written = 0
    declared = info.file_size
    remaining = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    if inflater is None and info.compress_size != declared:
        raise _fail(filename, f"the stored member `{info.filename}` declares {declared} bytes "
                    f"but holds {info.compress_size}")
    handle.seek(start)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o755 if executable else 0o644)
    try:
        while remaining > 0:
            raw = handle.read(min(_CHUNK, remaining))
            if not raw:
                raise _fail(filename, f"the data of `{info.filename}` is truncated")
            remaining -= len(raw)
            # At most a chunk at a time (one byte past the declared size shows a lie): a
            # highly compressed member never lands in memory whole.
            limit = min(_CHUNK, declared - written + 1)
            data = _inflate(inflater, raw, limit, info.filename, filename) if inflater else raw
            while True:
                written += len(data)
                if written > declared:
                    raise _fail(filename, f"the member `{info.filename}` holds more data than "
                                f"the {declared} bytes it declares")
                if data:
                    sha.update(data)
                    crc = zlib.crc32(data, crc)
                    _write_all(fd, data)
                # A full `limit` may leave output pending even when all input was taken.
                if inflater is None or (not inflater.unconsumed_tail and len(data) < limit):
                    break
                limit = min(_CHUNK, declared - written + 1)
                data = _inflate(inflater, inflater.unconsumed_tail, limit, info.filename,
                                filename)
        if inflater is not None:
            rest = inflater.flush()
            if rest or not inflater.eof:
                if len(rest) + written > declared:
                    raise _fail(filename, f"the member `{info.filename}` holds more data "
                                f"than the {declared} bytes it declares")
                raise _fail(filename, f"the compressed data of `{info.filename}` is "
                            "incomplete")
        if written != declared:
            raise _fail(filename, f"the member `{info.filename}` holds {written} bytes, but "
                        f"declares {declared}")
        if crc != info.CRC:
            raise _fail(filename, f"the CRC-32 of `{info.filename}` does not match (the "
                        "archive is corrupt)")
    finally:
        os.close(fd)
    return sha.digest()


def _inflate(inflater: Any, raw: bytes, limit: int, member: str, filename: str) -> bytes:
    try:
        data: bytes = inflater.decompress(raw, limit)
    except zlib.error as exc:
        raise _fail(filename, f"the member `{member}` does not inflate ({exc})") from None
    return data


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _digest_file(path: str, algorithm: str, filename: str, name: str) -> str:
    try:
        digest = hashlib.new(algorithm)
    except ValueError:
        raise _fail(filename, f"RECORD gives `{name}` a hash of unknown algorithm "
                    f"`{algorithm}`") from None
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def _read_record_member(handle: BinaryIO, size: int, members: list[zipfile.ZipInfo],
                        record_name: str, filename: str) -> dict[str, tuple[str, str]]:
    """RECORD's entries, `{path: (hash, size)}`, read before anything is written."""
    info = next((m for m in members if m.filename == record_name), None)
    if info is None:
        raise _fail(filename, f"it has no `{record_name}`")
    if info.file_size > 64 << 20:
        raise _fail(filename, f"its `{record_name}` is larger than 64 MiB")
    _start, end = _member_span(handle, size, info, filename)
    handle.seek(end - info.compress_size)
    raw = handle.read(info.compress_size)
    try:
        data = zlib.decompress(raw, -15, info.file_size + 1) \
            if info.compress_type == zipfile.ZIP_DEFLATED else raw
    except zlib.error as exc:
        raise _fail(filename, f"its `{record_name}` does not inflate ({exc})") from None
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise _fail(filename, f"its `{record_name}` is corrupt")
    import csv

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(filename, f"its `{record_name}` is not UTF-8 text") from None
    entries: dict[str, tuple[str, str]] = {}
    for row in csv.reader(text.splitlines()):
        if not row or not row[0]:
            continue
        path = row[0]
        if path.startswith("/") or "\\" in path or ".." in path.split("/") \
                or (len(path) > 1 and path[1] == ":"):
            raise _fail(filename, f"its RECORD lists `{path}`, a path outside of the wheel")
        entries[path] = (row[1] if len(row) > 1 else "", row[2] if len(row) > 2 else "")
    entries.pop(record_name, None)
    for signature in _SIGNATURES:
        entries.pop(f"{record_name[:-6]}{signature}", None)
    return entries


def _check_metadata(staging: str, manifest: dict[str, Any], name: str, version: Any,
                    filename: str) -> None:
    """WHEEL says a version we understand; METADATA names the file's project and version."""
    from packaging.utils import canonicalize_name

    from puv.core.metadata import parse_metadata
    from puv.errors import MetadataError
    from puv.settings import env

    stem = manifest["dist_info"][: -len(".dist-info")].rpartition("-")[0]
    if canonicalize_name(stem) != name:
        raise _fail(filename, f"its metadata directory `{manifest['dist_info']}` is not named "
                    f"after the project `{name}`")
    files = os.path.join(staging, "files", manifest["dist_info"])
    try:
        with open(os.path.join(files, "WHEEL"), encoding="utf-8") as handle:
            wheel_text = handle.read()
    except (OSError, UnicodeDecodeError):
        raise _fail(filename, f"it has no readable `{manifest['dist_info']}/WHEEL` "
                    "file") from None
    fields: dict[str, list[str]] = {}
    for line in wheel_text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields.setdefault(key.strip().lower(), []).append(value.strip())
    wheel_version = (fields.get("wheel-version") or [""])[0]
    major = wheel_version.split(".")[0]
    if not major.isdigit():
        raise _fail(filename, "its WHEEL file has no valid `Wheel-Version`")
    if int(major) != 1:
        raise _fail(filename, f"it is of `Wheel-Version: {wheel_version}`, which puv does not "
                    "support (only 1.x)")
    manifest["root_is_purelib"] = (fields.get("root-is-purelib") or ["true"])[0].lower() \
        == "true"
    manifest["tags"] = fields.get("tag", [])
    try:
        with open(os.path.join(files, "METADATA"), "rb") as handle:
            metadata = parse_metadata(handle.read(), source=filename)
    except OSError:
        raise _fail(filename, f"it has no `{manifest['dist_info']}/METADATA` file") from None
    if not env.flag("UV_SKIP_WHEEL_FILENAME_CHECK"):
        try:
            metadata.check_matches(name, version, source=filename)
        except MetadataError as exc:
            raise WheelError(exc.message, hint=exc.hint) from None
    manifest["entry_points"] = _entry_points(os.path.join(files, "entry_points.txt"), filename)
    scripts = f"{manifest['data_dir']}/scripts/"
    for path, _digest, _size, _executable in manifest["files"]:
        if path.startswith(scripts) and "/" not in path[len(scripts):]:
            _check_script_name(filename, path[len(scripts):], "script")


def _entry_points(path: str, filename: str) -> list[tuple[str, str, str]]:
    """The console and GUI scripts of `entry_points.txt`; a name that is not a plain file
    name (a `/`, `..`) is refused: it would put a script outside the scripts directory."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError):
        raise _fail(filename, "its `entry_points.txt` is unreadable") from None
    found: list[tuple[str, str, str]] = []
    group = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1].strip()
            continue
        if group not in ("console_scripts", "gui_scripts"):
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise _fail(filename, f"its `entry_points.txt` has an invalid line: `{line}`")
        if "/" in key or "\\" in key or key in (".", "..") or key.startswith(".") \
                or "\x00" in key:
            raise _fail(filename, f"its entry point `{key}` is not a valid script name (it "
                        "would be written outside of the scripts directory)")
        _check_script_name(filename, key, "entry point")
        found.append((group, key, value))
    return found


def _check_script_name(filename: str, name: str, what: str) -> None:
    """A script may not take the place of the environment's interpreter (`bin/python`,
    `python3.12`...), as uv refuses too: the environment would run the script instead."""
    import re

    if re.fullmatch(r"pythonw?(?:3(?:\.\d+)?t?)?(?:\.exe)?", name, re.IGNORECASE):
        raise _fail(filename, f"its {what} `{name}` would replace the environment's Python "
                    "interpreter")
