"""Tests of the test package index itself (``tests/support``): the built distributions are real
(pip installs them, their own backend builds them) and the server speaks the index protocols.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import http.client
import importlib.util
import io
import json
import os
import socket
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.support import _backend
from tests.support.builder import (
    BuildCache,
    BuiltFile,
    build_description,
    load_description,
    parse_release,
)
from tests.support.fixtures import PackageIndexFactory
from tests.support.index import HTML_TYPE, JSON_TYPE, PackageIndex, byte_range, negotiate
from tests.support.packse import PACKSE_DIR, description_from_packse, packse_scenarios

PIP_ACCEPT = (
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, "
    "text/html; q=0.01"
)

DESCRIPTION: dict[str, Any] = {
    "a": {
        "1.0.0": {
            "requires": ["b>=1", "c; sys_platform == 'win32'"],
            "requires_python": ">=3.8",
            "extras": {"x": ["d[y]>=2"], "Win_Only": ["e; os_name == 'nt'"]},
            "sdist": True,
            "files": {"a/extra.txt": "hi"},
            "entry_points": {"console_scripts": {"a-cli": "a:main"}},
        },
        "2.0.0": {"sdist": True, "wheel": False, "yanked": "broken <build>"},
    },
    "b": ["1.0.0"],
}


# Helpers


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes


def fetch(url: str, headers: Mapping[str, str] | None = None, method: str = "GET") -> Reply:
    """One raw request: no redirects followed, no exception for error statuses."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(method, parts.path, headers=dict(headers or {}))
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs))


def parse_links(body: bytes) -> dict[str, dict[str, str | None]]:
    """Anchors of an HTML page, by text-less key: the file name at the end of the href."""
    parser = LinkParser()
    parser.feed(body.decode())
    links = {}
    for attrs in parser.links:
        href = attrs["href"] or ""
        links[href.split("#")[0].rstrip("/").rsplit("/", 1)[-1]] = attrs
    return links


def pip_env() -> dict[str, str]:
    """An environment where pip ignores this machine's configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def run_pip(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("pip") is None:
        pytest.skip("pip is not available")
    command = [sys.executable, "-m", "pip", "--isolated", "--no-input", *args]
    result = subprocess.run(
        command, env=pip_env(), cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def run_python(code: str, cwd: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def unpack_sdist(sdist: Path, destination: Path) -> Path:
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
        for member in archive.getmembers():
            assert member.isfile() and not member.name.startswith(("/", ".."))
            target = destination / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            extracted = archive.extractfile(member)
            assert extracted is not None
            target.write_bytes(extracted.read())
    return destination / names[0].split("/")[0]


def by_name(files: list[BuiltFile]) -> dict[str, BuiltFile]:
    return {built.filename: built for built in files}


# The builder


def test_wheel_is_complete_and_its_record_is_right(tmp_path: Path) -> None:
    files = by_name(build_description(DESCRIPTION, tmp_path))
    assert sorted(files) == [
        "a-1.0.0-py3-none-any.whl",
        "a-1.0.0.tar.gz",
        "a-2.0.0.tar.gz",
        "b-1.0.0-py3-none-any.whl",
    ]
    wheel = files["a-1.0.0-py3-none-any.whl"]
    with zipfile.ZipFile(wheel.path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
    assert contents["a/__init__.py"] == b'__version__ = "1.0.0"\n'
    assert contents["a/extra.txt"] == b"hi"
    metadata = contents["a-1.0.0.dist-info/METADATA"].decode()
    assert metadata == wheel.metadata.decode()
    assert metadata.splitlines() == [
        "Metadata-Version: 2.3",
        "Name: a",
        "Version: 1.0.0",
        "Requires-Python: >=3.8",
        "Requires-Dist: b>=1",
        'Requires-Dist: c; sys_platform == "win32"',
        'Requires-Dist: e; (os_name == "nt") and extra == "win-only"',
        'Requires-Dist: d[y]>=2; extra == "x"',
        "Provides-Extra: win-only",
        "Provides-Extra: x",
    ]
    assert contents["a-1.0.0.dist-info/WHEEL"].decode().splitlines() == [
        "Wheel-Version: 1.0",
        "Generator: puv-test-backend 1.0",
        "Root-Is-Purelib: true",
        "Tag: py3-none-any",
    ]
    assert contents["a-1.0.0.dist-info/entry_points.txt"] == b"[console_scripts]\na-cli = a:main\n"

    rows = list(csv.reader(io.StringIO(contents["a-1.0.0.dist-info/RECORD"].decode())))
    assert {row[0] for row in rows} == set(contents)
    for path, digest, size in rows:
        if path.endswith("RECORD"):
            assert (digest, size) == ("", "")
            continue
        expected = base64.urlsafe_b64encode(hashlib.sha256(contents[path]).digest()).rstrip(b"=")
        assert digest == "sha256=" + expected.decode()
        assert int(size) == len(contents[path])
    assert wheel.sha256 == hashlib.sha256(wheel.path.read_bytes()).hexdigest()
    assert wheel.size == wheel.path.stat().st_size


def test_wheel_names_tags_and_sdist_layout(tmp_path: Path) -> None:
    description = {
        "My.Cool-Pkg": {
            "1.0": {"wheel_tags": ["py2.py3-none-any", "7-cp312-abi3-manylinux_2_17_x86_64"]},
            "1.0.1+local": {"wheel": False, "sdist": True},
        }
    }
    files = by_name(build_description(description, tmp_path))
    assert sorted(files) == [
        "my_cool_pkg-1.0-7-cp312-abi3-manylinux_2_17_x86_64.whl",
        "my_cool_pkg-1.0-py2.py3-none-any.whl",
        "my_cool_pkg-1.0.1+local.tar.gz",
    ]
    with zipfile.ZipFile(files["my_cool_pkg-1.0-py2.py3-none-any.whl"].path) as archive:
        wheel_file = archive.read("my_cool_pkg-1.0.dist-info/WHEEL").decode()
        assert "my_cool_pkg/__init__.py" in archive.namelist()
    assert "Tag: py2-none-any\nTag: py3-none-any\n" in wheel_file
    with zipfile.ZipFile(files["my_cool_pkg-1.0-7-cp312-abi3-manylinux_2_17_x86_64.whl"].path) as z:
        wheel_file = z.read("my_cool_pkg-1.0.dist-info/WHEEL").decode()
    assert "Root-Is-Purelib: false\nBuild: 7\nTag: cp312-abi3-manylinux_2_17_x86_64" in wheel_file

    with tarfile.open(files["my_cool_pkg-1.0.1+local.tar.gz"].path) as archive:
        names = sorted(archive.getnames())
        pyproject = archive.extractfile("my_cool_pkg-1.0.1+local/pyproject.toml")
        assert pyproject is not None
        pyproject_text = pyproject.read().decode()
    assert names == [
        f"my_cool_pkg-1.0.1+local/{name}"
        for name in [
            "PKG-INFO",
            "_backend.json",
            "_backend.py",
            "my_cool_pkg/__init__.py",
            "pyproject.toml",
        ]
    ]
    assert 'build-backend = "_backend"' in pyproject_text
    assert 'backend-path = ["."]' in pyproject_text
    assert 'name = "My.Cool-Pkg"' in pyproject_text


def test_builds_are_deterministic_and_fast(tmp_path: Path) -> None:
    description: dict[str, Any] = {
        f"pkg-{i}": {"1.0": {"requires": [f"pkg-{i + 1}"]}} for i in range(20)
    }
    description["pkg-0"]["1.0"]["sdist"] = True
    start = time.perf_counter()
    first = build_description(description, tmp_path / "one")
    elapsed = time.perf_counter() - start
    second = build_description(description, tmp_path / "two")
    assert elapsed < 1.0
    assert len(first) == 21
    assert [f.sha256 for f in first] == [f.sha256 for f in second]


def test_description_validation_and_toml(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown keys"):
        build_description({"a": {"1.0": {"requirez": []}}}, tmp_path)
    with pytest.raises(ValueError, match="same project"):
        build_description({"a-b": ["1"], "A_B": ["2"]}, tmp_path)
    with pytest.raises(ValueError, match="are equal"):
        build_description({"a": ["1.0", "1.0.0"]}, tmp_path)
    with pytest.raises(ValueError):
        build_description({"a": {"1.0": {"requires": ["not a requirement!"]}}}, tmp_path)

    toml = """
    b = ["1.0"]
    [a."1.0.0"]
    requires = ["b"]
    yanked = "reason"
    upload_time = 2023-05-06T07:08:09Z
    """
    description = load_description(toml)
    files = by_name(build_description(toml, tmp_path))
    assert description["a"]["1.0.0"]["requires"] == ["b"]
    assert files["a-1.0.0-py3-none-any.whl"].yanked == "reason"
    assert files["a-1.0.0-py3-none-any.whl"].upload_time == "2023-05-06T07:08:09Z"
    assert files["b-1.0-py3-none-any.whl"].upload_time == "2024-01-01T00:00:00Z"


# The server: pages


def test_pip_installs_from_the_index(package_index: PackageIndexFactory, tmp_path: Path) -> None:
    index = package_index(DESCRIPTION)
    target = tmp_path / "target"
    run_pip("install", "--index-url", index.url, "--no-cache-dir", "--target", str(target), "a")
    code = "import a, b; print(a.__version__, b.__version__, a.__file__)"
    output = run_python(code, cwd=target).split()
    assert output[:2] == ["1.0.0", "1.0.0"]
    assert Path(output[2]).parent == target / "a"
    assert (target / "a" / "extra.txt").read_text() == "hi"
    paths = [request.path for request in index.requests]
    assert "/simple/a/" in paths
    assert "/simple/b/" in paths
    assert "/files/a-2.0.0.tar.gz" not in paths  # yanked, so never picked


def test_html_and_json_pages_agree_with_the_files(package_index: PackageIndexFactory) -> None:
    index = package_index(DESCRIPTION)
    html_page = fetch(index.url + "a/")
    assert html_page.status == 200
    assert html_page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'data-requires-python="&gt;=3.8"' in html_page.body
    assert b'data-yanked="broken &lt;build&gt;"' in html_page.body
    links = parse_links(html_page.body)

    json_page = fetch(index.url + "a/", {"Accept": JSON_TYPE})
    assert json_page.headers["Content-Type"] == JSON_TYPE
    project = json.loads(json_page.body)
    assert project["meta"] == {"api-version": "1.1"}
    assert project["name"] == "a"
    assert project["versions"] == ["1.0.0", "2.0.0"]
    entries = {entry["filename"]: entry for entry in project["files"]}
    assert (
        set(entries)
        == set(links)
        == {"a-1.0.0-py3-none-any.whl", "a-1.0.0.tar.gz", "a-2.0.0.tar.gz"}
    )

    for filename, entry in entries.items():
        link = links[filename]
        href = link["href"] or ""
        url, _, fragment = href.partition("#")
        assert url == entry["url"] == index.file_url(filename)
        body = fetch(url).body
        digest = hashlib.sha256(body).hexdigest()
        assert fragment == f"sha256={digest}"
        assert entry["hashes"] == {"sha256": digest}
        assert entry["size"] == len(body)
        assert entry["upload-time"] == "2024-01-01T00:00:00Z"
    wheel = entries["a-1.0.0-py3-none-any.whl"]
    assert wheel["requires-python"] == links["a-1.0.0-py3-none-any.whl"]["data-requires-python"]
    assert wheel["requires-python"] == ">=3.8"
    assert wheel["yanked"] is False
    assert "data-yanked" not in links["a-1.0.0-py3-none-any.whl"]
    assert entries["a-2.0.0.tar.gz"]["yanked"] == "broken <build>"
    assert links["a-2.0.0.tar.gz"]["data-yanked"] == "broken <build>"
    assert "requires-python" not in entries["a-2.0.0.tar.gz"]
    assert "core-metadata" not in entries["a-1.0.0.tar.gz"]  # like PyPI: wheels only

    root = fetch(index.url)
    assert set(parse_links(root.body)) == {"a", "b"}
    root_json = json.loads(fetch(index.url, {"Accept": PIP_ACCEPT}).body)
    assert root_json["projects"] == [{"name": "a"}, {"name": "b"}]


def test_yanked_without_reason_and_upload_times(package_index: PackageIndexFactory) -> None:
    index = package_index(
        {"c": {"1.0": {"yanked": True, "upload_time": "2022-02-03T04:05:06.5+00:00"}}}
    )
    links = parse_links(fetch(index.url + "c/").body)
    assert links["c-1.0-py3-none-any.whl"]["data-yanked"] == ""
    entry = json.loads(fetch(index.url + "c/", {"Accept": JSON_TYPE}).body)["files"][0]
    assert entry["yanked"] is True
    assert entry["upload-time"] == "2022-02-03T04:05:06.500000Z"
    file_reply = fetch(index.file_url("c-1.0-py3-none-any.whl"))
    assert file_reply.headers["Last-Modified"] == "Thu, 03 Feb 2022 04:05:06 GMT"


def test_content_negotiation(package_index: PackageIndexFactory) -> None:
    offered = ["text/html", HTML_TYPE, JSON_TYPE]
    assert negotiate(None, offered) == "text/html"
    assert negotiate("*/*", offered) == "text/html"
    assert negotiate(PIP_ACCEPT, offered) == JSON_TYPE
    assert negotiate(f"{JSON_TYPE}; q=0.5, {HTML_TYPE}", offered) == HTML_TYPE
    assert negotiate("application/vnd.pypi.simple.latest+json", offered) == JSON_TYPE
    assert negotiate("application/*", offered) == HTML_TYPE
    assert negotiate(f"*/*, {JSON_TYPE}; q=0", offered) == "text/html"
    assert negotiate(f"text/html; q=0, {HTML_TYPE}; q=0, */*; q=0.1", offered) == JSON_TYPE
    assert negotiate("image/png", offered) is None

    json_only = package_index(DESCRIPTION, formats=("json",))
    assert fetch(json_only.url + "a/", {"Accept": "text/html"}).status == 406
    assert fetch(json_only.url + "a/").headers["Content-Type"] == JSON_TYPE
    html_only = package_index(DESCRIPTION, formats=("html",))
    reply = fetch(html_only.url + "a/", {"Accept": PIP_ACCEPT})
    assert reply.headers["Content-Type"] == HTML_TYPE
    assert reply.headers["Vary"] == "Accept"


def test_redirects_and_not_found(package_index: PackageIndexFactory) -> None:
    index = package_index({"My_Pkg": ["1.0"]})
    for path in ("/simple/My_Pkg/", "/simple/my.pkg/", "/simple/my-pkg"):
        reply = fetch(index.base_url + path)
        assert reply.status == 301
        assert reply.headers["Location"] == index.url + "my-pkg/"
    assert fetch(index.url + "my-pkg/").status == 200
    assert fetch(index.base_url + "/simple").headers["Location"] == index.url
    assert fetch(index.url + "unknown/").status == 404
    assert fetch(index.files_url + "nothing.whl").status == 404
    assert fetch(index.base_url + "/elsewhere").status == 404
    assert json.loads(fetch(index.url, {"Accept": JSON_TYPE}).body)["projects"] == [
        {"name": "My_Pkg"}
    ]


# The server: files


def test_range_requests(package_index: PackageIndexFactory) -> None:
    index = package_index(DESCRIPTION)
    url = index.file_url("a-1.0.0-py3-none-any.whl")
    full = fetch(url)
    size = len(full.body)
    assert full.headers["Accept-Ranges"] == "bytes"
    assert int(full.headers["Content-Length"]) == size
    head = fetch(url, method="HEAD")
    assert head.status == 200 and head.body == b""
    assert int(head.headers["Content-Length"]) == size

    cases = {
        "bytes=0-9": (0, 9),
        "bytes=10-": (10, size - 1),
        "bytes=-22": (size - 22, size - 1),
        "bytes=5-5": (5, 5),
        f"bytes=100-{size * 2}": (100, size - 1),
        f"bytes=-{size * 2}": (0, size - 1),
    }
    for header, (start, end) in cases.items():
        reply = fetch(url, {"Range": header})
        assert reply.status == 206, header
        assert reply.body == full.body[start : end + 1], header
        assert reply.headers["Content-Range"] == f"bytes {start}-{end}/{size}"
        assert int(reply.headers["Content-Length"]) == end - start + 1
    for header in (f"bytes={size}-", f"bytes={size + 5}-{size + 9}", "bytes=-0"):
        reply = fetch(url, {"Range": header})
        assert reply.status == 416, header
        assert reply.headers["Content-Range"] == f"bytes */{size}"
    for header in ("bytes=0-1,4-5", "bytes=9-3", "items=0-1", "bytes=x-y"):
        assert fetch(url, {"Range": header}).status == 200, header
    assert byte_range(None, 10) is None

    plain = package_index(DESCRIPTION, range_requests=False)
    reply = fetch(plain.file_url("a-1.0.0-py3-none-any.whl"), {"Range": "bytes=0-9"})
    assert reply.status == 200
    assert reply.body == full.body
    assert "Accept-Ranges" not in reply.headers


def test_pep658_metadata(package_index: PackageIndexFactory) -> None:
    index = package_index(DESCRIPTION)
    wheel = index.file("a-1.0.0-py3-none-any.whl")
    reply = fetch(index.file_url(wheel.filename) + ".metadata")
    assert reply.status == 200
    with zipfile.ZipFile(wheel.path) as archive:
        assert reply.body == archive.read("a-1.0.0.dist-info/METADATA")
    digest = hashlib.sha256(reply.body).hexdigest()
    links = parse_links(fetch(index.url + "a/").body)
    assert links[wheel.filename]["data-core-metadata"] == f"sha256={digest}"
    assert links[wheel.filename]["data-dist-info-metadata"] == f"sha256={digest}"
    assert "data-core-metadata" not in links["a-1.0.0.tar.gz"]
    entry = json.loads(fetch(index.url + "a/", {"Accept": JSON_TYPE}).body)["files"][0]
    assert entry["core-metadata"] == {"sha256": digest}
    assert fetch(index.file_url("a-1.0.0.tar.gz") + ".metadata").status == 404

    without = package_index(DESCRIPTION, metadata=False)
    assert b"metadata" not in fetch(without.url + "a/").body
    assert b"metadata" not in fetch(without.url + "a/", {"Accept": JSON_TYPE}).body
    assert fetch(without.file_url(wheel.filename) + ".metadata").status == 404


def test_basic_auth(package_index: PackageIndexFactory) -> None:
    index = package_index(DESCRIPTION, auth=("user", "p@ss:word"))
    file_url = index.file_url("b-1.0.0-py3-none-any.whl")
    for url in (index.url, index.url + "a/", file_url):
        denied = fetch(url)
        assert denied.status == 401
        assert denied.headers["WWW-Authenticate"].startswith("Basic ")
        assert fetch(url, basic("user", "wrong")).status == 401
        assert fetch(url, basic("user", "p@ss:word")).status == 200
    assert index.auth_url.startswith("http://user:p%40ss%3Aword@127.0.0.1:")
    wrong, right = (
        basic("user", "wrong")["Authorization"],
        basic("user", "p@ss:word")["Authorization"],
    )
    sent = [request.headers.get("Authorization") for request in index.requests]
    assert sent == [None, wrong, right] * 3


# The server: faults and caching


def test_fail_then_succeed(package_index: PackageIndexFactory) -> None:
    index = package_index(DESCRIPTION)
    index.fail("/simple/a/", status=503, times=2, headers={"Retry-After": "0"})
    first = fetch(index.url + "a/")
    assert (first.status, first.headers["Retry-After"]) == (503, "0")
    assert fetch(index.url + "a/").status == 503
    assert fetch(index.url + "a/").status == 200
    assert fetch(index.url + "b/").status == 200

    index.fail("/files/*", status=500, times=None)
    assert fetch(index.file_url("b-1.0.0-py3-none-any.whl")).status == 500
    assert fetch(index.file_url("a-1.0.0.tar.gz")).status == 500
    index.clear_faults()
    assert fetch(index.file_url("a-1.0.0.tar.gz")).status == 200


def test_truncated_body(package_index: PackageIndexFactory) -> None:
    index = package_index(DESCRIPTION)
    url = index.file_url("a-1.0.0-py3-none-any.whl")
    index.truncate(urlsplit(url).path)
    with pytest.raises(http.client.IncompleteRead) as caught:
        fetch(url)
    assert 0 < len(caught.value.partial) < index.file(url.rsplit("/", 1)[-1]).size
    reply = fetch(url)
    assert reply.status == 200
    assert hashlib.sha256(reply.body).hexdigest() == index.file(url.rsplit("/", 1)[-1]).sha256


def test_corrupted_body(package_index: PackageIndexFactory) -> None:
    index = package_index(DESCRIPTION)
    built = index.file("b-1.0.0-py3-none-any.whl")
    index.corrupt("/files/b-1.0.0-py3-none-any.whl", times=1)
    bad = fetch(index.file_url(built.filename)).body
    assert len(bad) == built.size
    assert hashlib.sha256(bad).hexdigest() != built.sha256
    assert hashlib.sha256(fetch(index.file_url(built.filename)).body).hexdigest() == built.sha256


def test_hang_delay_and_prompt_shutdown(package_index: PackageIndexFactory) -> None:
    index = package_index(DESCRIPTION)
    index.delay("/simple/b/", 0.2, times=1)
    start = time.perf_counter()
    assert fetch(index.url + "b/").status == 200
    assert time.perf_counter() - start >= 0.2

    index.hang("/simple/a/", seconds=0)  # dropped at once, unanswered
    with pytest.raises(http.client.RemoteDisconnected):
        fetch(index.url + "a/")
    assert fetch(index.url + "a/").status == 200

    index.hang("/simple/a/", seconds=60, times=None)
    connection = http.client.HTTPConnection(index.host, index.port, timeout=0.2)
    with pytest.raises(socket.timeout):
        connection.request("GET", "/simple/a/")
        connection.getresponse()
    connection.close()
    errors: list[BaseException] = []

    def blocked_client() -> None:
        try:
            fetch(index.url + "a/")
        except BaseException as error:
            errors.append(error)

    client = threading.Thread(target=blocked_client)
    client.start()
    time.sleep(0.1)
    start = time.perf_counter()
    index.close()
    assert time.perf_counter() - start < 1.0
    client.join(5)
    assert not client.is_alive()
    assert errors and isinstance(errors[0], (http.client.RemoteDisconnected, ConnectionError))


def test_revalidation(package_index: PackageIndexFactory) -> None:
    index = package_index(DESCRIPTION, max_age=42)
    page = fetch(index.url + "a/")
    assert page.headers["Cache-Control"] == "max-age=42"
    etag, modified = page.headers["ETag"], page.headers["Last-Modified"]
    assert fetch(index.url + "a/", {"If-None-Match": etag}).status == 304
    assert fetch(index.url + "a/", {"If-None-Match": '"other"'}).status == 200
    not_modified = fetch(index.url + "a/", {"If-Modified-Since": modified})
    assert (not_modified.status, not_modified.body) == (304, b"")
    assert not_modified.headers["ETag"] == etag
    json_page = fetch(index.url + "a/", {"Accept": JSON_TYPE, "If-None-Match": etag})
    assert json_page.status == 200  # another representation, another ETag

    file_url = index.file_url("b-1.0.0-py3-none-any.whl")
    reply = fetch(file_url)
    assert "immutable" in reply.headers["Cache-Control"]
    assert fetch(file_url, {"If-None-Match": reply.headers["ETag"]}).status == 304
    assert fetch(file_url, {"If-Modified-Since": reply.headers["Last-Modified"]}).status == 304
    assert fetch(file_url, {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}).status == 200

    index.add({"a": {"3.0.0": {}}})
    changed = fetch(index.url + "a/", {"If-None-Match": etag})
    assert changed.status == 200
    assert b"a-3.0.0-py3-none-any.whl" in changed.body
    assert fetch(index.url + "a/", {"If-Modified-Since": modified}).status == 200
    assert "3.0.0" in json.loads(fetch(index.url + "a/", {"Accept": JSON_TYPE}).body)["versions"]
    assert fetch(index.url + "b/", {"If-Modified-Since": modified}).status == 304
    index.add({"uv-test": ["0.1"]})  # a new project changes the root page
    assert b"uv-test" in fetch(index.url, {"If-Modified-Since": modified}).body


def test_find_links(package_index: PackageIndexFactory) -> None:
    index = package_index(DESCRIPTION)
    files = {built.filename: built for built in index.files}
    on_disk = {path.name: path for path in index.find_links_dir.iterdir()}
    assert set(on_disk) == set(files)
    for name, path in on_disk.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == files[name].sha256
    flat = fetch(index.find_links_html_url)
    links = parse_links(flat.body)
    assert set(links) == set(files)

    relative = package_index(DESCRIPTION, relative_urls=True)
    for page_url in (relative.find_links_html_url, relative.url + "a/"):
        for filename, attrs in parse_links(fetch(page_url).body).items():
            url = urljoin(page_url, (attrs["href"] or "").split("#")[0])
            assert hashlib.sha256(fetch(url).body).hexdigest() == files[filename].sha256
    href = parse_links(fetch(relative.url).body)["a"]["href"] or ""
    assert fetch(urljoin(relative.url, href)).status == 200


def test_concurrent_requests_are_logged(package_index: PackageIndexFactory) -> None:
    index = package_index(DESCRIPTION)
    statuses: list[int] = []

    def client() -> None:
        for _ in range(5):
            statuses.append(fetch(index.url + "a/", {"Accept": PIP_ACCEPT}).status)

    threads = [threading.Thread(target=client) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 50
    assert len(index.requests) == 50
    assert all(r.method == "GET" and r.path == "/simple/a/" for r in index.requests)
    assert index.requests[0].headers["ACCEPT"] == PIP_ACCEPT
    index.clear_requests()
    assert index.requests == []


def test_index_starts_and_stops_quickly() -> None:
    start = time.perf_counter()
    with PackageIndex({"a": ["1.0"]}) as index:
        assert fetch(index.url).status == 200
        directory = index.directory
    assert time.perf_counter() - start < 1.0
    assert not directory.exists()


def test_fixture_caches_builds(package_index: PackageIndexFactory) -> None:
    first = package_index(DESCRIPTION)
    second = package_index(dict(DESCRIPTION), metadata=False)
    assert {f.path for f in first.files} == {f.path for f in second.files}
    assert first.url != second.url


# The sdist's own build backend


def test_sdist_builds_with_pip_and_its_own_backend(tmp_path: Path) -> None:
    files = by_name(build_description(DESCRIPTION, tmp_path / "dist"))
    sdist, wheel = files["a-1.0.0.tar.gz"], files["a-1.0.0-py3-none-any.whl"]
    out = tmp_path / "out"
    run_pip(
        "wheel", "--no-build-isolation", "--no-index", "--no-deps", "-w", str(out), str(sdist.path)
    )
    built = out / wheel.filename
    with zipfile.ZipFile(built) as mine, zipfile.ZipFile(wheel.path) as published:
        assert mine.read("a-1.0.0.dist-info/METADATA") == wheel.metadata
        assert sorted(mine.namelist()) == sorted(published.namelist())
    assert built.read_bytes() == wheel.path.read_bytes()


def test_backend_hooks(tmp_path: Path) -> None:
    description = {"a": {"1.0.0": {**DESCRIPTION["a"]["1.0.0"], "build_requires": ["pip"]}}}
    sdist = by_name(build_description(description, tmp_path / "dist"))["a-1.0.0.tar.gz"]
    source = unpack_sdist(sdist.path, tmp_path / "src")
    code = """
import json, os, _backend
os.makedirs("out/meta")
print(json.dumps({
    "requires": _backend.get_requires_for_build_wheel(),
    "editable_requires": _backend.get_requires_for_build_editable(),
    "metadata": _backend.prepare_metadata_for_build_wheel("out/meta"),
    "wheel": _backend.build_wheel("out"),
    "sdist": _backend.build_sdist("out"),
    "editable": _backend.build_editable("out"),
}))
"""
    result = json.loads(run_python(code, cwd=source))
    assert result["requires"] == result["editable_requires"] == ["pip"]
    out = source / "out"
    dist_info = out / "meta" / result["metadata"]
    assert (dist_info / "METADATA").read_bytes() == sdist.metadata
    assert (dist_info / "entry_points.txt").read_text() == "[console_scripts]\na-cli = a:main\n"
    assert (out / result["sdist"]).read_bytes() == sdist.path.read_bytes()  # a round trip

    # The editable wheel puts the source tree on sys.path: edits show without reinstalling.
    with zipfile.ZipFile(out / result["editable"]) as archive:
        pth_names = [name for name in archive.namelist() if name.endswith(".pth")]
        assert pth_names == ["__editable__.a-1.0.0.pth"]
        assert archive.read(pth_names[0]).decode().strip() == str(source)
        site_dir = tmp_path / "site"
        archive.extractall(site_dir)
    (source / "a" / "__init__.py").write_text('__version__ = "edited"\n')
    code = f"import site; site.addsitedir({str(site_dir)!r}); import a; print(a.__version__)"
    assert run_python(code, cwd=tmp_path).strip() == "edited"

    # A missing build requirement fails the build, as with a real backend.
    config = json.loads((source / "_backend.json").read_text())
    config["build_requires"] = ["surely-not-installed-dist"]
    (source / "_backend.json").write_text(json.dumps(config))
    failed = subprocess.run(
        [sys.executable, "-c", "import _backend; _backend.build_wheel('out')"],
        cwd=source,
        capture_output=True,
        text=True,
    )
    assert failed.returncode != 0
    assert "surely-not-installed-dist" in failed.stderr


def test_backend_source_is_shared() -> None:
    release = parse_release("a", "1", {"sdist": True})
    tree = _backend.source_tree(release.config, release.files)
    assert tree["_backend.py"] == Path(_backend.__file__).read_bytes()
    assert json.loads(tree["_backend.json"])["files"] == ["a/__init__.py"]


# packse scenarios


@pytest.mark.skipif(not PACKSE_DIR.is_dir(), reason="no packse scenarios on this machine")
def test_every_packse_scenario_builds(tmp_path: Path) -> None:
    paths = packse_scenarios()
    assert len(paths) > 100
    cache = BuildCache(tmp_path)
    count = 0
    for path in paths:
        scenario = description_from_packse(path)
        assert scenario.root_requires, path
        assert isinstance(scenario.expected["satisfiable"], bool)
        count += len(cache.build(scenario.packages))
    assert count > 400

    basic_fork = description_from_packse(PACKSE_DIR / "scenarios" / "fork" / "basic.toml")
    assert basic_fork.name == "fork-basic"
    assert basic_fork.resolver_options == {"universal": True}
    assert basic_fork.packages == {
        "a": {
            "1.0.0": {"sdist": True, "wheel": True},
            "2.0.0": {"sdist": True, "wheel": True},
        }
    }
    overridden = description_from_packse(
        PACKSE_DIR / "scenarios" / "prereleases" / "package-only-prereleases-in-range.toml",
        overrides=PACKSE_DIR / "uv-differences.toml",
    )
    assert overridden.expected["packages"] == {"a": "1.0.0a1"}


@pytest.mark.skipif(not PACKSE_DIR.is_dir(), reason="no packse scenarios on this machine")
def test_packse_scenario_is_served(package_index: PackageIndexFactory) -> None:
    path = next(p for p in packse_scenarios() if p.name == "local-not-latest.toml")
    scenario = description_from_packse(path)
    index = package_index(scenario.packages)
    project = json.loads(fetch(index.url + "a/", {"Accept": JSON_TYPE}).body)
    filenames = {entry["filename"] for entry in project["files"]}
    assert "a-1.2.1+foo.tar.gz" in filenames
    assert "a-1.2.3-py3-any-macosx_10_0_ppc64.whl" in filenames
    assert "a-1.2.3.tar.gz" not in filenames
    assert fetch(index.file_url("a-1.2.1+foo.tar.gz")).status == 200
    assert "%2B" in index.file_url("a-1.2.1+foo.tar.gz")
