"""A real package index over HTTP for tests: PEP 503 HTML, PEP 691/700 JSON, PEP 658 metadata.

Usage::

    with PackageIndex({"a": {"1.0.0": {"requires": ["b"]}}, "b": ["1.0.0"]}) as index:
        run(["puv", "pip", "install", "--index-url", index.url, "a"])
        assert ("GET", "/simple/b/") in [(r.method, r.path) for r in index.requests]

The server (``ThreadingHTTPServer`` on 127.0.0.1, ephemeral port, background thread) serves:

* ``/simple/`` and ``/simple/{project}/``: HTML or JSON chosen by the ``Accept`` header (with
  q-values); non-normalized project names redirect (301), unknown projects are 404;
* ``/files/{filename}``: the files, with ``ETag``/``Last-Modified`` revalidation (304) and byte
  ranges (206/416); ``/files/{filename}.metadata``: PEP 658 core metadata of wheels;
* ``/flat/``: one HTML page linking every file (for ``--find-links``), and
  :attr:`PackageIndex.find_links_dir`, a directory holding every file.

Faults are injected per path (decoded, without query; a trailing ``*`` makes it a prefix):
``fail`` answers an error status, ``truncate`` sends half the body then closes, ``hang`` waits
then drops the connection without answering, ``delay`` waits then answers, ``corrupt`` flips a
byte of the body.  ``times`` is how many requests a fault applies to (``None``: all).
Every request is logged in :attr:`PackageIndex.requests`.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import html
import json
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import quote, unquote, urlsplit

from packaging.utils import canonicalize_name
from packaging.version import Version

from .builder import BuildCache, BuiltFile, Description, parse_upload_time

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_TYPE = "application/vnd.pypi.simple.v1+html"
TEXT_HTML = "text/html"
API_VERSION = "1.1"
FILES_CACHE_CONTROL = "max-age=365000000, immutable, public"

Builder = Callable[[Description | str], list[BuiltFile]]


class Headers(dict[str, str]):
    """Request headers; keys are stored lower-case and looked up case-insensitively."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__()
        for key, value in items:
            key = key.lower()
            self[key] = f"{self[key]}, {value}" if key in self else value

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


class Request(NamedTuple):
    """One logged request: the method, the decoded path (no query) and the headers."""

    method: str
    path: str
    headers: Headers


@dataclass
class Fault:
    kind: str  # "fail", "truncate", "hang", "delay" or "corrupt"
    pattern: str  # an exact path, or a prefix ending in "*"
    times: int | None  # remaining requests to affect; None for all
    status: int = 500
    seconds: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)

    def matches(self, path: str) -> bool:
        if self.pattern.endswith("*"):
            return path.startswith(self.pattern[:-1])
        return path == self.pattern


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes = b""


class _Unsatisfiable(Exception):
    pass


class PackageIndex:
    """An HTTP package index serving built distributions; see the module docstring.

    Options: ``metadata`` advertises and serves PEP 658 metadata for wheels; ``range_requests``
    honours ``Range`` (else full 200 responses, no ``Accept-Ranges``); ``auth`` requires HTTP
    Basic credentials on every path; ``formats`` restricts the page formats offered ("html",
    "json"); ``max_age`` is the pages' ``Cache-Control`` max-age (None: no header);
    ``relative_urls`` links files relative to the page; ``builder`` turns a description into
    files (default: built under ``directory``, a temporary directory unless given).
    """

    def __init__(
        self,
        description: Description | str | None = None,
        *,
        metadata: bool = True,
        range_requests: bool = True,
        auth: tuple[str, str] | None = None,
        formats: Sequence[str] = ("html", "json"),
        max_age: int | None = 600,
        relative_urls: bool = False,
        directory: Path | None = None,
        builder: Builder | None = None,
    ) -> None:
        unknown_formats = set(formats) - {"html", "json"}
        if unknown_formats or not formats:
            raise ValueError(f"formats must be some of 'html', 'json', not {formats!r}")
        self.metadata = metadata
        self.range_requests = range_requests
        self.auth = auth
        self.formats = tuple(formats)
        self.max_age = max_age
        self.relative_urls = relative_urls

        self._temporary = directory is None
        self.directory = (
            Path(tempfile.mkdtemp(prefix="puv-index-")) if directory is None else directory
        )
        self.find_links_dir = self.directory / "find-links"
        self.find_links_dir.mkdir(parents=True, exist_ok=True)
        self._builder: Builder = builder or BuildCache(self.directory / "builds").build

        self._lock = threading.Lock()
        self._files: dict[str, tuple[BuiltFile, bytes]] = {}
        self._projects: dict[str, str] = {}  # normalized name -> name as first described
        self._modified: dict[str, int] = {}  # page key -> Last-Modified (epoch seconds)
        self._faults: list[Fault] = []
        self._requests: list[Request] = []
        self._closing = threading.Event()
        self._closed = False

        self._server = _Server(self)
        self.host = "127.0.0.1"
        self.port = int(self._server.server_address[1])
        self.base_url = f"http://{self.host}:{self.port}"
        self.url = f"{self.base_url}/simple/"
        self.files_url = f"{self.base_url}/files/"
        self.find_links_html_url = f"{self.base_url}/flat/"
        self._touch("root", "flat")
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"package-index-{self.port}",
            daemon=True,
        )
        self._thread.start()
        if description is not None:
            try:
                self.add(description)
            except BaseException:
                self.close()
                raise

    # Content

    def add(self, description: Description | str) -> list[BuiltFile]:
        """Build a description and publish its files; pages reflect them at once."""
        built = self._builder(description)
        self.add_files(built)
        return built

    def add_files(self, files: Iterable[BuiltFile]) -> None:
        """Publish already built files (and copy them into :attr:`find_links_dir`)."""
        changed = {"flat"}
        for built in files:
            data = built.path.read_bytes()
            with self._lock:
                known = self._files.get(built.filename)
                if known is not None and known[0].sha256 != built.sha256:
                    raise ValueError(f"{built.filename} is already published, with other content")
                self._files[built.filename] = (built, data)
                if built.project not in self._projects:
                    self._projects[built.project] = built.name
                    changed.add("root")
            changed.add(f"project:{built.project}")
            target = self.find_links_dir / built.filename
            if not target.exists():
                try:
                    os.link(built.path, target)
                except OSError:
                    shutil.copyfile(built.path, target)
        self._touch(*changed)

    @property
    def files(self) -> list[BuiltFile]:
        with self._lock:
            return [built for built, _ in self._files.values()]

    def file(self, filename: str) -> BuiltFile:
        with self._lock:
            return self._files[filename][0]

    def file_url(self, filename: str) -> str:
        return self.files_url + quote(filename)

    def project_url(self, name: str) -> str:
        return f"{self.url}{canonicalize_name(name)}/"

    @property
    def auth_url(self) -> str:
        """:attr:`url` with the ``auth`` credentials embedded (``user:pass@``)."""
        if self.auth is None:
            return self.url
        user, password = (quote(part, safe="") for part in self.auth)
        return f"http://{user}:{password}@{self.host}:{self.port}/simple/"

    # Request log

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    # Faults

    def fail(
        self,
        path: str,
        status: int = 500,
        times: int | None = 1,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer ``status`` (with optional extra ``headers``, e.g. Retry-After)."""
        self._add_fault(Fault("fail", path, times, status=status, headers=dict(headers or {})))

    def truncate(self, path: str, times: int | None = 1) -> None:
        """Announce the full ``Content-Length``, send half the body, close the connection."""
        self._add_fault(Fault("truncate", path, times))

    def hang(self, path: str, seconds: float = 60.0, times: int | None = 1) -> None:
        """Wait ``seconds`` (cut short by ``close()``), then drop the connection unanswered."""
        self._add_fault(Fault("hang", path, times, seconds=seconds))

    def delay(self, path: str, seconds: float, times: int | None = None) -> None:
        """Wait ``seconds`` before answering normally."""
        self._add_fault(Fault("delay", path, times, seconds=seconds))

    def corrupt(self, path: str, times: int | None = None) -> None:
        """Serve the body with one byte changed (same length), e.g. for hash mismatches."""
        self._add_fault(Fault("corrupt", path, times))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _add_fault(self, fault: Fault) -> None:
        if not fault.pattern.startswith("/"):
            raise ValueError(f"fault paths start with '/', not {fault.pattern!r}")
        with self._lock:
            self._faults.append(fault)

    def _take_faults(self, path: str) -> dict[str, Fault]:
        """The first live fault of each kind matching ``path``, each used up once."""
        taken: dict[str, Fault] = {}
        with self._lock:
            for fault in self._faults:
                if fault.kind not in taken and fault.matches(path):
                    taken[fault.kind] = fault
                    if fault.times is not None:
                        fault.times -= 1
            self._faults = [f for f in self._faults if f.times is None or f.times > 0]
        return taken

    # Life cycle

    def close(self) -> None:
        """Stop the server (promptly, even with hanging requests) and remove temporary files."""
        if self._closed:
            return
        self._closed = True
        self._closing.set()
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join(timeout=5)
        if self._temporary:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> PackageIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<PackageIndex {self.url} ({len(self._files)} files)>"

    def _touch(self, *keys: str) -> None:
        """Mark pages as changed: their Last-Modified moves forward by at least a second."""
        now = int(time.time())
        with self._lock:
            for key in keys:
                self._modified[key] = max(now, self._modified.get(key, 0) + 1)

    # Serving

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        """Answer one request (called by the handler thread)."""
        path = unquote(urlsplit(handler.path).path)
        headers = Headers(handler.headers.items())
        with self._lock:
            self._requests.append(Request(handler.command, path, headers))
        faults = self._take_faults(path)
        for kind in ("hang", "delay"):
            if kind in faults:
                interrupted = self._closing.wait(faults[kind].seconds)
                if interrupted or kind == "hang":
                    handler.close_connection = True
                    return
        if "fail" in faults:
            fault = faults["fail"]
            response = _text(fault.status, f"injected failure {fault.status}\n")
            response.headers.update(fault.headers)
        else:
            response = self._respond(path, headers)
        if "corrupt" in faults and response.body:
            middle = len(response.body) // 2
            body = bytearray(response.body)
            body[middle] ^= 0xFF
            response.body = bytes(body)
        _send(handler, response, "truncate" in faults)

    def _respond(self, path: str, headers: Headers) -> Response:
        if self.auth is not None and not self._authorized(headers):
            response = _text(401, "authentication required\n")
            response.headers["WWW-Authenticate"] = 'Basic realm="puv test index"'
            return response
        if path in ("/simple", "/flat"):
            return self._redirect(path + "/")
        if path == "/simple/":
            return self._page(headers, "root", self._root_html, self._root_json)
        if path.startswith("/simple/"):
            name = path[len("/simple/") :].rstrip("/")
            project = canonicalize_name(name)
            if not name or "/" in name:
                return _text(404, "not found\n")
            if path != f"/simple/{project}/":
                return self._redirect(f"/simple/{project}/")
            with self._lock:
                known = project in self._projects
            if not known:
                return _text(404, f"no project named {name}\n")
            return self._page(
                headers,
                f"project:{project}",
                lambda: self._project_html(project),
                lambda: self._project_json(project),
            )
        if path == "/flat/":
            return self._page(headers, "flat", self._flat_html, None)
        if path.startswith("/files/"):
            return self._file(path[len("/files/") :], headers)
        return _text(404, "not found\n")

    def _authorized(self, headers: Headers) -> bool:
        assert self.auth is not None
        scheme, _, encoded = (headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except ValueError:
            return False
        return decoded == f"{self.auth[0]}:{self.auth[1]}"

    def _redirect(self, target: str) -> Response:
        return Response(301, {"Location": self.base_url + target, "Content-Length": "0"})

    def _page(
        self,
        headers: Headers,
        key: str,
        render_html: Callable[[], str],
        render_json: Callable[[], dict[str, Any]] | None,
    ) -> Response:
        if render_json is None:
            offered = [TEXT_HTML]
        else:
            offered = [TEXT_HTML, HTML_TYPE] if "html" in self.formats else []
            offered += [JSON_TYPE] if "json" in self.formats else []
        content_type = negotiate(headers.get("Accept"), offered)
        if content_type is None:
            return _text(406, f"not acceptable; offered: {', '.join(offered)}\n")
        if content_type == JSON_TYPE:
            assert render_json is not None
            body = json.dumps(render_json(), indent=1, sort_keys=True).encode()
        else:
            body = render_html().encode()
        with self._lock:
            modified = self._modified[key]
        response_headers = {
            "Content-Type": content_type + ("; charset=utf-8" if content_type == TEXT_HTML else ""),
            "ETag": f'"{hashlib.sha256(body).hexdigest()[:32]}"',
            "Last-Modified": email.utils.formatdate(modified, usegmt=True),
            "Vary": "Accept",
        }
        if self.max_age is not None:
            response_headers["Cache-Control"] = f"max-age={self.max_age}"
        return _conditional(
            headers,
            Response(200, response_headers, body),
            datetime.fromtimestamp(modified, timezone.utc),
        )

    def _file(self, name: str, headers: Headers) -> Response:
        with self._lock:
            entry = self._files.get(name)
            metadata_of = (
                self._files.get(name[: -len(".metadata")]) if name.endswith(".metadata") else None
            )
        if entry is not None:
            built, body = entry
            content_type = "application/octet-stream"
        elif metadata_of is not None and self.metadata and metadata_of[0].kind == "wheel":
            built, body = metadata_of[0], metadata_of[0].metadata
            content_type = "text/plain; charset=utf-8"
        else:
            return _text(404, f"no file named {name}\n")
        response_headers = {
            "Content-Type": content_type,
            "ETag": f'"{hashlib.sha256(body).hexdigest()}"',
            "Last-Modified": email.utils.format_datetime(
                parse_upload_time(built.upload_time), usegmt=True
            ),
            "Cache-Control": FILES_CACHE_CONTROL,
        }
        if self.range_requests:
            response_headers["Accept-Ranges"] = "bytes"
        response = Response(200, response_headers, body)
        response = _conditional(headers, response, parse_upload_time(built.upload_time))
        if response.status != 200 or not self.range_requests:
            return response
        try:
            selected = byte_range(headers.get("Range"), len(body))
        except _Unsatisfiable:
            response_headers["Content-Range"] = f"bytes */{len(body)}"
            return Response(416, response_headers)
        if selected is None:
            return response
        start, end = selected
        response_headers["Content-Range"] = f"bytes {start}-{end}/{len(body)}"
        return Response(206, response_headers, body[start : end + 1])

    # Pages

    def _sorted_files(self, project: str | None = None) -> list[BuiltFile]:
        with self._lock:
            files = [b for b, _ in self._files.values() if project in (None, b.project)]
        return sorted(files, key=lambda b: (b.project, Version(b.version), b.filename))

    def _href(self, built: BuiltFile, page_depth: int) -> str:
        """The URL of a file, from a page ``page_depth`` levels below the server root."""
        prefix = "../" * page_depth if self.relative_urls else self.base_url + "/"
        return f"{prefix}files/{quote(built.filename)}"

    def _link(self, built: BuiltFile, page_depth: int) -> str:
        attributes = [f'href="{html.escape(self._href(built, page_depth))}#sha256={built.sha256}"']
        if built.requires_python:
            attributes.append(f'data-requires-python="{html.escape(built.requires_python)}"')
        if self.metadata and built.kind == "wheel":
            value = f"sha256={built.metadata_sha256}"
            attributes.append(f'data-dist-info-metadata="{value}"')
            attributes.append(f'data-core-metadata="{value}"')
        if built.yanked is not False:
            reason = "" if built.yanked is True else built.yanked
            attributes.append(f'data-yanked="{html.escape(reason)}"')
        return f"    <a {' '.join(attributes)}>{html.escape(built.filename)}</a><br/>"

    def _root_html(self) -> str:
        with self._lock:
            projects = sorted(self._projects)
        prefix = "" if self.relative_urls else self.url
        links = [f'    <a href="{prefix}{p}/">{html.escape(p)}</a><br/>' for p in projects]
        return _html_document("Simple index", links)

    def _root_json(self) -> dict[str, Any]:
        with self._lock:
            projects = sorted(self._projects.items())
        return {
            "meta": {"api-version": API_VERSION},
            "projects": [{"name": name} for _, name in projects],
        }

    def _project_html(self, project: str) -> str:
        links = [self._link(built, 3) for built in self._sorted_files(project)]
        return _html_document(f"Links for {project}", links)

    def _project_json(self, project: str) -> dict[str, Any]:
        files = self._sorted_files(project)
        versions = sorted({b.version for b in files}, key=Version)
        entries = []
        for built in files:
            entry: dict[str, Any] = {
                "filename": built.filename,
                "url": self._href(built, 3),
                "hashes": {"sha256": built.sha256},
                "yanked": built.yanked,
                "size": built.size,
                "upload-time": built.upload_time,
            }
            if built.requires_python:
                entry["requires-python"] = built.requires_python
            if self.metadata and built.kind == "wheel":
                # Only the PEP 714 name: "dist-info-metadata" in JSON breaks pip 22.3 to 23.1.
                entry["core-metadata"] = {"sha256": built.metadata_sha256}
            entries.append(entry)
        return {
            "meta": {"api-version": API_VERSION},
            "name": project,
            "versions": versions,
            "files": entries,
        }

    def _flat_html(self) -> str:
        links = [self._link(built, 1) for built in self._sorted_files()]
        return _html_document("Links", links)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # close() must not wait for idle keep-alive connections
    request_queue_size = 128

    def __init__(self, index: PackageIndex) -> None:
        self.index = index
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def track(self, connection: socket.socket, alive: bool) -> None:
        with self._connections_lock:
            if alive:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        """Wake handler threads blocked on their sockets by shutting the sockets down."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 30  # idle keep-alive connections are dropped after this many seconds

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        self.server.track(self.connection, False)
        try:
            super().finish()
        except OSError:
            pass

    def do_GET(self) -> None:
        self.server.index._serve(self)

    def do_HEAD(self) -> None:
        self.server.index._serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """Pick the offered media type the ``Accept`` header prefers (None: nothing acceptable).

    The most specific matching range gives a type its q-value; ties go to the more specific
    match, then to the range listed first, then to the first offered type.
    """
    ranges: list[tuple[str, float, int]] = []
    for position, item in enumerate((accept or "*/*").split(",")):
        media, *parameters = (part.strip() for part in item.split(";"))
        if not media:
            continue
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower().replace(".latest+", ".v1+")  # PEP 691's "latest" aliases
        ranges.append((media, quality, position))

    best: str | None = None
    best_rank: tuple[float, int, int, int] | None = None
    for order, offer in enumerate(offered):
        match: tuple[int, float, int] | None = None
        for media, quality, position in ranges:
            if media == offer:
                specificity = 2
            elif media == offer.split("/")[0] + "/*":
                specificity = 1
            elif media == "*/*":
                specificity = 0
            else:
                continue
            if match is None or specificity > match[0]:
                match = (specificity, quality, position)
        if match is None or match[1] <= 0:
            continue
        rank = (match[1], match[0], -match[2], -order)
        if best_rank is None or rank > best_rank:
            best, best_rank = offer, rank
    return best


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive ``(start, end)`` a single ``Range: bytes=...`` asks for.

    None means "ignore the header" (absent, malformed, or several ranges): answer in full.
    Raises ``_Unsatisfiable`` for ranges starting past the end (or an empty suffix).
    """
    if not header:
        return None
    unit, _, spec = header.partition("=")
    first, dash, last = spec.strip().partition("-")
    if unit.strip().lower() != "bytes" or "," in spec or not dash:
        return None
    try:
        if not first.strip():
            length = int(last)
            if length <= 0 or size == 0:
                raise _Unsatisfiable
            return max(size - length, 0), size - 1
        start = int(first)
        end = int(last) if last.strip() else None
    except ValueError:
        return None
    if start < 0 or (end is not None and end < start):
        return None
    if start >= size:
        raise _Unsatisfiable
    return start, size - 1 if end is None else min(end, size - 1)


def _conditional(headers: Headers, response: Response, modified: datetime) -> Response:
    """Turn ``response`` into a 304 when the request's validators still match."""
    if_none_match = headers.get("If-None-Match")
    etag = response.headers["ETag"]
    if if_none_match is not None:
        tags = {tag.strip() for tag in if_none_match.split(",")}
        fresh = "*" in tags or etag in tags or f"W/{etag}" in tags
    elif headers.get("If-Modified-Since"):
        try:
            since = email.utils.parsedate_to_datetime(headers["If-Modified-Since"])
        except (TypeError, ValueError):
            return response
        if since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        fresh = modified.replace(microsecond=0) <= since
    else:
        fresh = False
    if not fresh:
        return response
    kept = ("ETag", "Last-Modified", "Cache-Control", "Vary")
    return Response(304, {k: v for k, v in response.headers.items() if k in kept})


def _text(status: int, message: str) -> Response:
    return Response(status, {"Content-Type": "text/plain; charset=utf-8"}, message.encode())


def _html_document(title: str, links: list[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            "<html>",
            "  <head>",
            f'    <meta name="pypi:repository-version" content="{API_VERSION}">',
            f"    <title>{html.escape(title)}</title>",
            "  </head>",
            "  <body>",
            f"    <h1>{html.escape(title)}</h1>",
            *links,
            "  </body>",
            "</html>",
            "",
        ]
    )


def _send(handler: BaseHTTPRequestHandler, response: Response, truncate: bool) -> None:
    """Write ``response``; with ``truncate``, only half the body, then close the connection."""
    try:
        handler.send_response(response.status)
        for key, value in response.headers.items():
            handler.send_header(key, value)
        if response.status != 304 and "Content-Length" not in response.headers:
            handler.send_header("Content-Length", str(len(response.body)))
        handler.end_headers()
        if handler.command == "HEAD" or response.status == 304:
            return
        if truncate:
            handler.wfile.write(response.body[: len(response.body) // 2])
            handler.wfile.flush()
            handler.close_connection = True
        else:
            handler.wfile.write(response.body)
    except OSError:  # the client went away
        handler.close_connection = True
