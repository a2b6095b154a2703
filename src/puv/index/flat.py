"""Flat indexes (`--find-links`, `format = "flat"`): a local directory of distributions, or an
HTML page whose links are distributions. Files are grouped by the project their name says."""

from __future__ import annotations

import os
from urllib.parse import quote, unquote, urlsplit

from puv.core.filenames import parse_filename
from puv.index.simple import IndexFile, parse_html

__all__ = ["is_local", "list_directory", "local_path", "parse_flat_page"]


def is_local(location: str) -> bool:
    return "://" not in location or location.startswith("file://")


def local_path(location: str) -> str:
    """The filesystem path of a `file://` URL or plain path."""
    if location.startswith("file://"):
        return unquote(urlsplit(location).path)
    return os.path.abspath(os.path.expanduser(location))


def list_directory(path: str) -> dict[str, list[IndexFile]]:
    """Project name -> the wheels and sdists directly inside `path`."""
    projects: dict[str, list[IndexFile]] = {}
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return projects
    for name in names:
        parsed = parse_filename(name)
        if parsed is None:
            continue
        full = os.path.join(path, name)
        url = "file://" + quote(full)
        projects.setdefault(parsed.name, []).append(IndexFile(name, url))
    return projects


def parse_flat_page(content: bytes, url: str) -> dict[str, list[IndexFile]]:
    """Project name -> the distributions an HTML page links to."""
    projects: dict[str, list[IndexFile]] = {}
    for file in parse_html(content, url):
        parsed = parse_filename(file.filename)
        if parsed is not None:
            projects.setdefault(parsed.name, []).append(file)
    return projects
