"""Simple repository API pages (PEP 503 HTML, PEP 691 JSON) into `IndexFile` values. Pure:
bytes and the page's URL in, files out.

What is read from each file entry: its URL (made absolute), file name, hashes (URL fragment or
JSON `hashes`), `data-requires-python` / `requires-python`, PEP 592 yanked (with its reason),
PEP 658/714 core-metadata availability (and its hash), and PEP 700 `size` / `upload-time`.

The HTML parser is a single regular expression over the anchors, not `html.parser`: a page
with thousands of files (botocore's) parses in a few milliseconds (bench/parse_simple.py).
Parsed pages are cached in the marshal-friendly tuple form of `IndexFile.to_tuple`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from urllib.parse import unquote, urljoin

from puv.core.hashes import ALGORITHMS
from puv.errors import PackageIndexError

__all__ = ["IndexFile", "group_html", "is_json_type", "page_base", "parse_html", "parse_json",
           "parse_page"]

# (algorithm, hex digest) pairs, strongest first.
Hashes = tuple[tuple[str, str], ...]


class IndexFile:
    """One file of a project on an index."""

    __slots__ = ("core_metadata", "filename", "hashes", "requires_python", "size",
                 "upload_time", "url", "yanked")

    def __init__(self, filename: str, url: str, *, hashes: Hashes = (),
                 requires_python: str | None = None, yanked: str | None = None,
                 core_metadata: Hashes | None = None, size: int | None = None,
                 upload_time: str | None = None) -> None:
        self.filename = filename
        self.url = url  # absolute, without fragment
        self.hashes = hashes
        self.requires_python = requires_python
        self.yanked = yanked  # None: not yanked; "" yanked without a reason; else the reason
        self.core_metadata = core_metadata  # None: no PEP 658 file; () one without a hash
        self.size = size
        self.upload_time = upload_time

    @property
    def is_yanked(self) -> bool:
        return self.yanked is not None

    def to_tuple(self) -> tuple[object, ...]:
        return (self.filename, self.url, self.hashes, self.requires_python, self.yanked,
                self.core_metadata, self.size, self.upload_time)

    @classmethod
    def from_tuple(cls, data: tuple[object, ...]) -> IndexFile:
        file = cls.__new__(cls)
        (file.filename, file.url, file.hashes, file.requires_python, file.yanked,
         file.core_metadata, file.size, file.upload_time) = data  # type: ignore[assignment]
        return file

    def __repr__(self) -> str:
        return f"IndexFile({self.filename!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IndexFile) and self.to_tuple() == other.to_tuple()

    def __hash__(self) -> int:
        return hash(self.url)


# A quoted attribute value may hold a raw `>` (`data-requires-python=">=3.8"` from indexes that
# do not escape it); the unrolled alternation keeps such values whole (about 6% of a parse).
_ANCHOR = re.compile(rb"""<a\s([^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*)>""", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    rb"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_BASE = re.compile(rb"<base\s[^>]*href\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


def _attributes(raw: bytes) -> dict[bytes, str]:
    found: dict[bytes, str] = {}
    for match in _ATTRIBUTE.finditer(raw):
        value = match.group(2)
        if value is None:
            value = match.group(3)
        if value is None:
            value = match.group(4)
        text = value.decode("utf-8", "replace") if value is not None else ""
        if "&" in text:
            text = html.unescape(text)
        found[match.group(1).lower()] = text
    return found


def _fragment_hashes(fragment: str) -> Hashes:
    algorithm, eq, digest = fragment.partition("=")
    algorithm = algorithm.lower()
    if eq and algorithm in ALGORITHMS and digest:
        return ((algorithm, digest.lower()),)
    return ()


def _metadata_attribute(value: str | None) -> Hashes | None:
    """`data-core-metadata="true"` / `"sha256=..."` (PEP 714) -> availability and hash."""
    if value is None or value.lower() == "false":
        return None
    return _fragment_hashes(value)


def _filename(url: str) -> str:
    """The last path segment of `url` (which has no fragment), unquoted."""
    name = url.partition("?")[0].rsplit("/", 1)[-1]
    return unquote(name) if "%" in name else name


def _absolute(href: str, base: str) -> str:
    if href.startswith(("https://", "http://")):
        return href
    return urljoin(base, href)


def _anchor_attributes(raw: bytes) -> dict[bytes, str]:
    """The attributes of one `<a ...>`; the common `href="..."`-first form takes a fast path."""
    if raw.startswith(b'href="'):
        end = raw.find(b'"', 6)
        if end > 0:
            href = raw[6:end].decode("utf-8", "replace")
            rest = raw[end + 1 :].strip(b" \t\r\n/")
            found = _attributes(rest) if rest else {}
            found[b"href"] = html.unescape(href) if "&" in href else href
            return found
    return _attributes(raw)


# PyPI's form of an anchor, and most indexes': `href` first, every value double-quoted. One
# `findall` over the page does the matching in C; a page where some anchor has another form
# (the counts differ) takes the general path below.
_PLAIN_ANCHOR = re.compile(
    rb'''<a\s+href="([^"]*)"((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*="[^"]*")*)\s*/?>''',
    re.IGNORECASE)
_PLAIN_ATTRIBUTE = re.compile(rb'''([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)"''')


def _text(value: bytes) -> str:
    text = value.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def _parse_plain(content: bytes, base: str) -> list[IndexFile] | None:
    """`parse_html`'s fast path (see `_PLAIN_ANCHOR`), or `None` when it does not apply."""
    found = _PLAIN_ANCHOR.findall(content)
    if len(found) != len(_ANCHOR.findall(content)):
        return None
    files = []
    new = IndexFile.__new__
    for raw_href, rest in found:
        href = _text(raw_href)
        if not href:
            continue
        requires_python = yanked = metadata = dist_info_metadata = upload_time = None
        if rest:
            for key, value in _PLAIN_ATTRIBUTE.findall(rest):
                key = key.lower()
                if key == b"data-requires-python":
                    requires_python = _text(value) or None
                elif key == b"data-core-metadata":
                    metadata = _text(value)
                elif key == b"data-dist-info-metadata":
                    dist_info_metadata = _text(value)
                elif key == b"data-yanked":
                    yanked = _text(value)
                elif key == b"data-upload-time":
                    upload_time = _text(value) or None
        link, _, fragment = href.partition("#")
        absolute = link if link.startswith(("https://", "http://")) else urljoin(base, link)
        file = new(IndexFile)
        file.filename = _filename(absolute)
        file.url = absolute
        file.hashes = _fragment_hashes(fragment) if fragment else ()
        file.requires_python = requires_python
        file.yanked = yanked
        file.core_metadata = _metadata_attribute(
            metadata if metadata is not None else dist_info_metadata)
        file.size = None
        file.upload_time = upload_time
        files.append(file)
    return files


# `_PLAIN_ANCHOR`, whole (the tag, then its `href`); and the start of any anchor, to count them.
_PLAIN_TAG = re.compile(
    rb'''(<a\s+href="([^"]*)"(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*="[^"]*")*\s*/?>)''',
    re.IGNORECASE)
_ANCHOR_START = re.compile(rb"<a\s", re.IGNORECASE)


def page_base(content: bytes, url: str) -> str:
    """The URL relative links of a page served at `url` resolve against (its `<base>`)."""
    base_match = _BASE.search(content, 0, 4096)
    if base_match:
        return urljoin(url, html.unescape(base_match.group(1).decode("utf-8", "replace")))
    return url


def group_html(content: bytes, url: str, name: str,
               version_of: Callable[[str], tuple[str, str] | None]) -> dict[str, bytes] | None:
    """The anchors of a PEP 503 page, still unparsed, grouped by the version their file names
    give (`version_of(filename)` -> (normalized project, version text)), for `name`'s files
    only: what a page costs to keep when a resolver will look at a few of its versions (each
    group is parsed by `parse_html` when it is looked at). `None` when some anchor is not in
    the plain form (see `_PLAIN_ANCHOR`): the caller parses the page whole."""
    tags = _PLAIN_TAG.findall(content)
    if len(tags) != len(_ANCHOR_START.findall(content)):
        return None
    groups: dict[str, list[bytes]] = {}
    for tag, href in tags:
        filename = href.partition(b"#")[0].partition(b"?")[0].rsplit(b"/", 1)[-1].decode(
            "utf-8", "replace")
        if "&" in filename:
            filename = html.unescape(filename)
        if "%" in filename:
            filename = unquote(filename)
        split = version_of(filename)
        if split is not None and split[0] == name:
            groups.setdefault(split[1], []).append(tag)
    return {text: b"\n".join(tags) for text, tags in groups.items()}


def parse_html(content: bytes, url: str, *, base: str | None = None) -> list[IndexFile]:
    """The files linked from a PEP 503 project page served at `url` (`base`: the URL its
    links resolve against, when `content` is a fragment of it)."""
    if base is None:
        base = page_base(content, url)
    plain = _parse_plain(content, base)
    if plain is not None:
        return plain
    files = []
    new = IndexFile.__new__
    for match in _ANCHOR.finditer(content):
        attributes = _anchor_attributes(match.group(1))
        href = attributes.get(b"href")
        if not href:
            continue
        link, _, fragment = href.partition("#")
        absolute = link if link.startswith(("https://", "http://")) else urljoin(base, link)
        metadata = attributes.get(b"data-core-metadata")
        if metadata is None:
            metadata = attributes.get(b"data-dist-info-metadata")
        file = new(IndexFile)
        file.filename = _filename(absolute)
        file.url = absolute
        file.hashes = _fragment_hashes(fragment) if fragment else ()
        file.requires_python = attributes.get(b"data-requires-python") or None
        file.yanked = attributes.get(b"data-yanked")
        file.core_metadata = _metadata_attribute(metadata)
        file.size = None
        file.upload_time = attributes.get(b"data-upload-time") or None
        files.append(file)
    return files


def _json_hashes(value: object) -> Hashes:
    if not isinstance(value, dict):
        return ()
    return tuple((a, str(value[a]).lower()) for a in ALGORITHMS if value.get(a))


def _json_metadata(value: object) -> Hashes | None:
    if value is None or value is False:
        return None
    if isinstance(value, dict):
        return _json_hashes(value)
    return ()


def parse_json(content: bytes, url: str) -> list[IndexFile]:
    """The files of a PEP 691 JSON project page served at `url`."""
    try:
        page = json.loads(content)
        entries = page["files"]
    except (ValueError, KeyError, TypeError):
        entries = None
    if not isinstance(entries, list):
        raise PackageIndexError(f"The index page `{url}` is not valid PEP 691 JSON")
    files = []
    for entry in entries:
        href = entry.get("url") if isinstance(entry, dict) else None
        if not isinstance(href, str):
            continue
        absolute = _absolute(href.partition("#")[0], url)
        yanked = entry.get("yanked", False)
        if yanked is True:
            yanked = ""
        elif yanked is False:
            yanked = None
        metadata = entry.get("core-metadata", entry.get("dist-info-metadata"))
        size = entry.get("size")
        filename = entry.get("filename")
        requires_python = entry.get("requires-python")
        upload_time = entry.get("upload-time")
        files.append(IndexFile(
            filename if isinstance(filename, str) and filename else _filename(absolute),
            absolute,
            hashes=_json_hashes(entry.get("hashes")),
            requires_python=requires_python if isinstance(requires_python, str)
            and requires_python else None,
            yanked=str(yanked) if yanked is not None else None,
            core_metadata=_json_metadata(metadata),
            size=size if isinstance(size, int) and not isinstance(size, bool) else None,
            upload_time=upload_time if isinstance(upload_time, str) else None,
        ))
    return files


JSON_TYPE = "application/vnd.pypi.simple.v1+json"
ACCEPT = f"{JSON_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"


def is_json_type(content_type: str | None) -> bool:
    """Whether a page's `Content-Type` is PEP 691 JSON."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind == JSON_TYPE or kind == "application/json"


def parse_page(content: bytes, content_type: str | None, url: str) -> list[IndexFile]:
    """Parse a project page by its `Content-Type` (JSON when the server chose PEP 691)."""
    if is_json_type(content_type):
        return parse_json(content, url)
    return parse_html(content, url)
