"""The digest of a file, read in chunks."""

from __future__ import annotations

__all__ = ["file_sha256"]

_CHUNK = 1 << 20


def file_sha256(path: str) -> str:
    """The hex sha256 of the file at `path`."""
    import hashlib  # not at import: `puv.fs` is on every command's start-up path

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
