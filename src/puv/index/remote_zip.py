"""A wheel's `METADATA` read with HTTP range requests, without downloading the wheel.

A zip archive ends with its central directory (one record per member: name, offsets, sizes)
and the "end of central directory" record that locates it. So: ask for the last 64 KiB
(`Range: bytes=-65536`), find the end record (zip64 too), fetch the rest of the central
directory if the tail did not hold it, find `<name>-<version>.dist-info/METADATA`, and fetch
that one member (its local header, then its compressed bytes), which is then inflated.

Usually one request of 64 KiB, whatever the wheel's size: `.dist-info` members are written
last, so METADATA is in the tail with the central directory; otherwise one more for it. A server that ignores `Range`
answers 200 with the whole file, which is used as is (and returned, so that the caller may
keep it as the download). `NoRanges` means: fall back to downloading the wheel.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from puv.net.client import HttpClient

__all__ = ["NoRanges", "RemoteMetadata", "fetch_wheel_metadata", "metadata_member"]

TAIL = 65536
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"


class NoRanges(Exception):
    """The server cannot serve this file by ranges (or the archive is not a usable zip)."""


class RemoteMetadata:
    """The METADATA bytes, and the whole wheel when the server sent it all."""

    __slots__ = ("metadata", "whole_file")

    def __init__(self, metadata: bytes, whole_file: bytes | None = None) -> None:
        self.metadata = metadata
        self.whole_file = whole_file


def metadata_member(names: list[str], dist_info_prefix: str) -> str | None:
    """The `*.dist-info/METADATA` member of a wheel: the one whose directory matches
    `<name>-<version>` (compared normalized), else the only top-level one."""
    candidates = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
    wanted = dist_info_prefix.lower().replace("-", "_")
    for name in candidates:
        directory = name.split("/", 1)[0][: -len(".dist-info")]
        if directory.lower().replace("-", "_").replace(".", "_") == wanted.replace(".", "_"):
            return name
    return candidates[0] if len(candidates) == 1 else None


def _from_whole(data: bytes, dist_info_prefix: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            member = metadata_member(archive.namelist(), dist_info_prefix)
            if member is None:
                raise NoRanges("no .dist-info/METADATA in the wheel")
            return archive.read(member)
    except zipfile.BadZipFile as exc:
        raise NoRanges(f"not a zip archive: {exc}") from None


async def _range(http: HttpClient, url: str, spec: str) -> tuple[int, int, bytes]:
    """(status, start offset, body) for `Range: bytes=<spec>`."""
    response = await http.get(url, {"Range": f"bytes={spec}", "Accept-Encoding": "identity"})
    if response.status == 200:
        return 200, 0, response.content
    if response.status != 206:
        raise NoRanges(f"HTTP status {response.status} for a range request")
    content_range = response.headers.get("content-range", "")
    try:
        span = content_range.partition(" ")[2].partition("/")[0]
        start = int(span.split("-", 1)[0])
    except ValueError:
        raise NoRanges(f"bad Content-Range `{content_range}`") from None
    return 206, start, response.content


async def fetch_wheel_metadata(http: HttpClient, url: str, dist_info_prefix: str
                               ) -> RemoteMetadata:
    """The METADATA of the wheel at `url` (see the module docstring)."""
    try:
        return await _fetch(http, url, dist_info_prefix)
    except struct.error as exc:  # a record cut short: the archive (or the server) is odd
        raise NoRanges(f"truncated zip record: {exc}") from None


async def _fetch(http: HttpClient, url: str, dist_info_prefix: str) -> RemoteMetadata:
    status, start, tail = await _range(http, url, f"-{TAIL}")
    if status == 200:
        return RemoteMetadata(_from_whole(tail, dist_info_prefix), whole_file=tail)
    position = tail.rfind(_EOCD)
    if position < 0 or len(tail) - position < 22:
        raise NoRanges("no end-of-central-directory record in the last 64 KiB")
    (_sig, _disk, _cd_disk, _n_disk, entries, cd_size, cd_offset,
     _comment) = struct.unpack("<4s4H2LH", tail[position : position + 22])
    if cd_offset == 0xFFFFFFFF or entries == 0xFFFF:  # zip64
        locator = position - 20
        if locator < 0 or tail[locator : locator + 4] != _ZIP64_LOCATOR:
            raise NoRanges("zip64 archive without its locator in the tail")
        eocd64_offset = struct.unpack("<Q", tail[locator + 8 : locator + 16])[0]
        if eocd64_offset < start:
            raise NoRanges("zip64 end record outside the tail")
        record = tail[eocd64_offset - start : eocd64_offset - start + 56]
        if record[:4] != _ZIP64_EOCD:
            raise NoRanges("bad zip64 end record")
        cd_size, cd_offset = struct.unpack("<QQ", record[40:56])
    if cd_offset >= start:
        directory = tail[cd_offset - start : cd_offset - start + cd_size]
    else:
        _s, _o, head = await _range(http, url, f"{cd_offset}-{start - 1}")
        directory = head + tail[: cd_offset + cd_size - start]
    members = _parse_central_directory(directory)
    member = metadata_member(list(members), dist_info_prefix)
    if member is None:
        raise NoRanges("no .dist-info/METADATA in the central directory")
    method, compressed_size, local_offset = members[member]
    # Local header (30 bytes) + name + extra: the extra's length is only known from the
    # header itself, so ask for a generous margin; fetch again if it was not enough.
    margin = 30 + len(member.encode()) + 1024
    end = local_offset + margin + compressed_size - 1
    if local_offset >= start:
        # The member is in the tail already (`.dist-info` files are usually written last,
        # just before the central directory): no second request.
        blob = tail[local_offset - start :]
    else:
        _s, _o, blob = await _range(http, url, f"{local_offset}-{end}")
    if blob[:4] != _LOCAL:
        raise NoRanges("bad local file header")
    name_length, extra_length = struct.unpack("<HH", blob[26:30])
    data_start = 30 + name_length + extra_length
    data = blob[data_start : data_start + compressed_size]
    if len(data) < compressed_size:
        _s, _o, data = await _range(
            http, url, f"{local_offset + data_start}-"
            f"{local_offset + data_start + compressed_size - 1}")
    if method == 0:
        return RemoteMetadata(data)
    if method == 8:
        try:
            return RemoteMetadata(zlib.decompress(data, -15))
        except zlib.error as exc:
            raise NoRanges(f"cannot inflate METADATA: {exc}") from None
    raise NoRanges(f"unsupported compression method {method}")


def _parse_central_directory(directory: bytes) -> dict[str, tuple[int, int, int]]:
    """name -> (compression method, compressed size, local header offset)."""
    members: dict[str, tuple[int, int, int]] = {}
    position = 0
    while position + 46 <= len(directory) and directory[position : position + 4] == _CENTRAL:
        (method, compressed, _uncompressed, name_length, extra_length, comment_length,
         offset) = struct.unpack("<6xH8xLLHHH8xL", directory[position + 4 : position + 46])
        name_bytes = directory[position + 46 : position + 46 + name_length]
        extra = directory[position + 46 + name_length : position + 46 + name_length
                          + extra_length]
        if 0xFFFFFFFF in (compressed, offset):
            compressed, offset = _zip64_extra(extra, compressed, _uncompressed, offset)
        members[name_bytes.decode("utf-8", "replace")] = (method, compressed, offset)
        position += 46 + name_length + extra_length + comment_length
    return members


def _zip64_extra(extra: bytes, compressed: int, uncompressed: int, offset: int
                 ) -> tuple[int, int]:
    position = 0
    while position + 4 <= len(extra):
        header_id, size = struct.unpack("<HH", extra[position : position + 4])
        if header_id == 1:
            values = extra[position + 4 : position + 4 + size]
            cursor = 0
            if uncompressed == 0xFFFFFFFF:
                cursor += 8
            if compressed == 0xFFFFFFFF:
                compressed = struct.unpack("<Q", values[cursor : cursor + 8])[0]
                cursor += 8
            if offset == 0xFFFFFFFF:
                offset = struct.unpack("<Q", values[cursor : cursor + 8])[0]
            break
        position += 4 + size
    return compressed, offset
