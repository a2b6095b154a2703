"""A wheel's METADATA read by range requests, against an in-memory server of one file."""

from __future__ import annotations

import asyncio
import io
import os
import zipfile
from unittest import mock

import pytest

from puv.index.remote_zip import NoRanges, fetch_wheel_metadata, metadata_member
from puv.net.client import Response

METADATA = b"Metadata-Version: 2.1\nName: a\nVersion: 1.0\nRequires-Dist: b\n"
URL = "https://files.example/a-1.0-py3-none-any.whl"


class RangeServer:
    """Stands in for `HttpClient.get`: serves `data` by single byte ranges (or whole)."""

    def __init__(self, data: bytes, *, ranges: bool = True, status: int | None = None) -> None:
        self.data = data
        self.ranges = ranges
        self.status = status
        self.asked: list[str] = []

    async def get(self, url, headers=None):
        spec = (headers or {}).get("Range", "")
        self.asked.append(spec)
        if self.status is not None:
            return Response(self.status, {}, b"", url)
        if not self.ranges or not spec:
            return Response(200, {}, self.data, url)
        first, _, last = spec.removeprefix("bytes=").partition("-")
        size = len(self.data)
        if not first:
            start, end = max(size - int(last), 0), size - 1
        else:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        return Response(206, {"content-range": f"bytes {start}-{end}/{size}"},
                        self.data[start : end + 1], url)


def wheel(*, members: dict[str, bytes] | None = None, metadata: bytes = METADATA,
          compression: int = zipfile.ZIP_DEFLATED, extra: bytes = b"",
          dist_info: str = "a-1.0.dist-info", after: dict[str, bytes] | None = None) -> bytes:
    """A wheel: `members`, then METADATA (with `extra`), then `after`, then RECORD."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("a/__init__.py", "__version__ = '1.0'\n")
        for name, content in (members or {}).items():
            archive.writestr(name, content)
        info = zipfile.ZipInfo(f"{dist_info}/METADATA")
        info.compress_type = compression
        info.extra = extra
        archive.writestr(info, metadata)
        for name, content in (after or {}).items():
            archive.writestr(name, content)
        archive.writestr(f"{dist_info}/RECORD", "")
    return buffer.getvalue()


def read(server: RangeServer, prefix: str = "a-1.0"):
    return asyncio.run(fetch_wheel_metadata(server, URL, prefix))  # type: ignore[arg-type]


def test_small_wheel_takes_one_request():
    server = RangeServer(wheel())
    result = read(server)
    assert result.metadata == METADATA and result.whole_file is None
    assert server.asked == ["bytes=-65536"]


def test_metadata_written_last_is_read_from_the_tail():
    server = RangeServer(wheel(members={"a/pad.bin": os.urandom(200000)}))
    assert read(server).metadata == METADATA
    assert server.asked == ["bytes=-65536"]


def test_metadata_before_the_tail_takes_a_second_request():
    server = RangeServer(wheel(after={"a/pad.bin": os.urandom(200000)}))
    assert read(server).metadata == METADATA
    assert len(server.asked) == 2


def test_stored_metadata_member():
    assert read(RangeServer(wheel(compression=zipfile.ZIP_STORED))).metadata == METADATA


def test_central_directory_larger_than_the_tail_is_fetched_separately():
    members = {f"a/{'long_module_name_' * 4}{i}.py": b"" for i in range(1500)}
    data = wheel(members=members)
    server = RangeServer(data)
    assert read(server).metadata == METADATA
    assert len(server.asked) == 3  # tail, the rest of the central directory, the member


def test_member_with_a_large_extra_field_is_fetched_again():
    big_extra = b"\xfe\xca" + (3000).to_bytes(2, "little") + b"\0" * 3000
    server = RangeServer(wheel(extra=big_extra, after={"a/pad.bin": os.urandom(70000)}))
    assert read(server).metadata == METADATA
    assert len(server.asked) == 3  # tail, the member with a margin too small, its data


def test_large_incompressible_metadata():
    metadata = METADATA + b"Description: " + os.urandom(50000).hex().encode() + b"\n"
    server = RangeServer(wheel(metadata=metadata, members={"a/pad.bin": os.urandom(100000)}))
    assert read(server).metadata == metadata


def test_zip64_archive():
    with mock.patch.object(zipfile, "ZIP64_LIMIT", 10), \
            mock.patch.object(zipfile, "ZIP_FILECOUNT_LIMIT", 2):
        data = wheel()
    assert b"PK\x06\x06" in data  # really a zip64 end record
    assert read(RangeServer(data)).metadata == METADATA


def test_server_without_ranges_sends_the_whole_file_which_is_returned():
    data = wheel()
    result = read(RangeServer(data, ranges=False))
    assert result.metadata == METADATA and result.whole_file == data


@pytest.mark.parametrize("status", [404, 416, 500])
def test_range_failure_means_no_ranges(status):
    with pytest.raises(NoRanges):
        read(RangeServer(wheel(), status=status))


def test_not_a_zip_means_no_ranges():
    with pytest.raises(NoRanges):
        read(RangeServer(b"this is not a zip archive" * 10))
    with pytest.raises(NoRanges):
        read(RangeServer(b"this is not a zip archive", ranges=False))


def test_wheel_without_metadata_means_no_ranges():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a/__init__.py", "")
    with pytest.raises(NoRanges):
        read(RangeServer(buffer.getvalue()))


def test_dist_info_directory_is_matched_normalized():
    data = wheel(dist_info="Foo.Bar-1.0.dist-info")
    assert read(RangeServer(data), "foo-bar-1.0").metadata == METADATA


def test_metadata_member_prefers_the_matching_dist_info():
    names = ["other-2.0.dist-info/METADATA", "Foo_Bar-1.0.dist-info/METADATA",
             "foo_bar-1.0.dist-info/sub/METADATA"]
    assert metadata_member(names, "foo-bar-1.0") == "Foo_Bar-1.0.dist-info/METADATA"
    assert metadata_member(["x-1.dist-info/METADATA"], "foo-1.0") == "x-1.dist-info/METADATA"
    assert metadata_member(["x-1.dist-info/METADATA", "y-1.dist-info/METADATA"],
                           "foo-1.0") is None
