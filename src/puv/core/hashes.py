"""File digests as indexes publish them (`sha256=<hex>` in a URL fragment, `{"sha256": ...}` in
PEP 691 JSON) and a streaming checker for downloads."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from puv.errors import HashMismatch

__all__ = ["Hash", "HashChecker", "from_mapping", "parse_fragment", "strongest"]

# Strongest first; only algorithms pip/uv accept for `--require-hashes`.
ALGORITHMS = ("sha512", "sha384", "sha256", "md5")
_HEX = "0123456789abcdefABCDEF"


class Hash:
    """One digest: `algorithm` (lower-case) and `digest` (lower-case hex)."""

    __slots__ = ("algorithm", "digest")

    def __init__(self, algorithm: str, digest: str) -> None:
        self.algorithm = algorithm.lower()
        self.digest = digest.lower()

    @classmethod
    def parse(cls, text: str) -> Hash:
        """`sha256=abc...` or `sha256:abc...`; a `ValueError` for anything else."""
        for separator in ("=", ":"):
            algorithm, found, digest = text.partition(separator)
            if found and algorithm.lower() in ALGORITHMS and digest:
                # Not `int(digest, 16)`: it accepts "0x", signs, "_" and spaces.
                if digest.strip(_HEX):
                    break
                return cls(algorithm, digest)
        raise ValueError(f"not a hash: `{text}` (expected `sha256=<hex digest>`)")

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.digest}"

    def __repr__(self) -> str:
        return f"Hash({self.algorithm!r}, {self.digest!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Hash) and self.algorithm == other.algorithm
                and self.digest == other.digest)

    def __hash__(self) -> int:
        return hash((self.algorithm, self.digest))


def parse_fragment(fragment: str) -> Hash | None:
    """The hash in a simple-API URL fragment (`#sha256=...`), if there is one."""
    if not fragment:
        return None
    try:
        return Hash.parse(fragment)
    except ValueError:
        return None


def from_mapping(hashes: Mapping[str, str]) -> tuple[Hash, ...]:
    """Known algorithms of a PEP 691 `hashes` mapping, strongest first."""
    return tuple(Hash(a, hashes[a]) for a in ALGORITHMS if hashes.get(a))


def strongest(hashes: Iterable[Hash]) -> Hash | None:
    """The strongest of `hashes` (sha512 > sha384 > sha256 > md5)."""
    best: Hash | None = None
    for candidate in hashes:
        if candidate.algorithm not in ALGORITHMS:
            continue
        if best is None or (ALGORITHMS.index(candidate.algorithm)
                            < ALGORITHMS.index(best.algorithm)):
            best = candidate
    return best


class HashChecker:
    """Feed it bytes as they arrive; `verify()` raises `HashMismatch` if a digest differs.

    Computes sha256 always (the cache keys on it) plus every algorithm of `expected`.
    """

    def __init__(self, expected: Iterable[Hash], *, what: str) -> None:
        self.expected = tuple(expected)
        self.what = what
        algorithms = {h.algorithm for h in self.expected} | {"sha256"}
        self._hashers = {a: hashlib.new(a) for a in sorted(algorithms)}

    def update(self, data: bytes) -> None:
        for hasher in self._hashers.values():
            hasher.update(data)

    def digest(self, algorithm: str = "sha256") -> Hash:
        return Hash(algorithm, self._hashers[algorithm].hexdigest())

    def verify(self) -> Hash:
        """Check every expected digest; return the sha256 of what was read."""
        for expected in self.expected:
            actual = self.digest(expected.algorithm)
            if actual != expected:
                raise HashMismatch(
                    f"Hash mismatch for `{self.what}`:\n  Expected: {expected}\n  Computed: "
                    f"{actual}",
                    hint="the file changed on the index or was corrupted in transit; if you "
                    "pinned this hash yourself, check it",
                )
        return self.digest("sha256")
