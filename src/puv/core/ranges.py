"""Sets of PEP 440 versions as sorted, disjoint intervals: the resolver's version algebra.

`Ranges` is what PubGrub needs of a version set (intersection, union, complement, membership,
emptiness, subset, singleton) plus the PEP 440 meaning of specifiers, computed once when a
requirement is read so that the resolver never re-checks a `SpecifierSet` per candidate:

- `==1.0` admits local versions (`1.0+cpu`); `==1.0+cpu` admits only itself; `===x` is itself.
- `<1.0` admits no pre-release or development release of 1.0 (unless `1.0` is itself one);
  `>1.0` admits no post-release of 1.0 (unless it is itself one) and no local version of it.
- `<=1.0` admits `1.0+local`; `==1.4.*` and `~=1.4.5` are intervals ending before `1.5.dev0`.

Pre-release *policy* (whether `1.0a1` may be chosen) is not a property of the set: choosing
candidates is the provider's business.

Representation: a flat tuple of *cuts*. A cut is a position between versions: just below or just
above a version, or above every post-release of a version (`>V`). Intervals are consecutive
pairs of cuts, `(cuts[0], cuts[1]), (cuts[2], cuts[3]), ...`, sorted and never touching. Cuts
are plain tuples of ints, floats and strings, so comparing two is done by the interpreter's
tuple comparison (no Python-level `__lt__`), which is what keeps the algebra fast (see
`docs/resolver.md` for the measurements against `packaging.ranges`).

Each cut also carries the version and operator it was written with (`<1.0` is stored as "below
1.0.dev0" but shown as `<1.0`); that label never takes part in comparisons or hashing.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.version import InvalidVersion, Version

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

__all__ = ["Bound", "Ranges", "Segment"]

_INF = math.inf
# A local segment sorts as (0, 0, text) for words and (1, number, "") for numbers; this sorts
# above every local version label.
_LOCAL_MAX: tuple[tuple[int, ...], ...] = ((2,),)
_PRE_PHASE = {"a": 0, "b": 1, "rc": 2}
_BELOW = 0
_AT = 1
_ABOVE = 2

# A cut is the version key followed by its side and its label: a tuple whose last element is a
# `_Label`. Typed loosely on purpose: the tuples are built and compared in the hot loops.
_Cut = tuple[Any, ...]


class _Label:
    """How a cut is shown. Equal to every other label, so it never decides a comparison."""

    __slots__ = ("upper_closed", "version")

    def __init__(self, version: Version, upper_closed: bool) -> None:
        self.version = version
        # As an upper bound the cut reads `<=version` (True) or `<version`; as a lower bound
        # the opposite: `>version` or `>=version`. Complementing a set turns upper cuts into
        # lower cuts, so storing one flag keeps both readings right without rewriting labels.
        self.upper_closed = upper_closed

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Label)

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return f"{'<=' if self.upper_closed else '<'}{self.version}"


_NEG: _Cut = (-_INF,)
_POS: _Cut = (_INF,)


def _local_key(local: str | None) -> tuple[tuple[Any, ...], ...]:
    if local is None:
        return ()
    parts: list[tuple[Any, ...]] = []
    for part in local.replace("-", ".").replace("_", ".").split("."):
        parts.append((1, int(part), "") if part.isdigit() else (0, 0, part.lower()))
    return tuple(parts)


def _trim(release: tuple[int, ...]) -> tuple[int, ...]:
    end = len(release)
    while end and release[end - 1] == 0:
        end -= 1
    return release[:end]


def _key_of(epoch: int, release: tuple[int, ...], pre: tuple[str, int] | None, post: int | None,
            dev: int | None, local: str | None) -> tuple[Any, ...]:
    """The sort key of a version from its parts: PEP 440 order, as packaging's `_cmpkey`."""
    if pre is None and post is None and dev is not None:
        phase, number = -1, 0  # 1.0.dev0 sorts before 1.0a1
    elif pre is None:
        phase, number = 3, 0
    else:
        phase, number = _PRE_PHASE[pre[0]], pre[1]
    return (epoch, _trim(release), phase, number, -1 if post is None else post,
            _INF if dev is None else dev, _local_key(local))


@lru_cache(maxsize=1 << 16)
def _key(version: Version) -> tuple[Any, ...]:
    return _key_of(version.epoch, version.release, version.pre, version.post, version.dev,
                   version.local)


def _point(version: Version) -> tuple[Any, ...]:
    return (*_key(version), _AT)


def _below(version: Version) -> _Cut:
    return (*_key(version), _BELOW, _Label(version, False))


def _above(version: Version) -> _Cut:
    return (*_key(version), _ABOVE, _Label(version, True))


def _above_locals(version: Version) -> _Cut:
    """Above `version` and every local version of it, shown as `<=version` / `>version`.

    Stored as "below the next version", so that `<=1.0` and `<1.0.post0.dev0` are one set.
    """
    epoch, release, pre, post, dev = (version.epoch, version.release, version.pre, version.post,
                                      version.dev)
    if dev is not None:
        key = _key_of(epoch, release, pre, post, dev + 1, None)
    elif post is not None:
        key = _key_of(epoch, release, pre, post + 1, 0, None)
    else:
        key = _key_of(epoch, release, pre, 0, 0, None)
    return (*key, _BELOW, _Label(version, True))


def _above_posts(version: Version) -> _Cut:
    """Above every post-release and local version of `version` (`>version`, PEP 440)."""
    epoch, release, pre = version.epoch, version.release, version.pre
    phase, number = (3, 0) if pre is None else (_PRE_PHASE[pre[0]], pre[1])
    return (epoch, _trim(release), phase, number, _INF, _INF, _LOCAL_MAX, _ABOVE,
            _Label(version, True))


def _below_prereleases(version: Version) -> _Cut:
    """Below every pre- and development release of `version`, shown as `<version`."""
    key = _key_of(version.epoch, version.release, version.pre, version.post, 0, None)
    return (*key, _BELOW, _Label(version, False))


# Nothing sorts below 0.dev0: a cut there is the same as no lower bound.
_FLOOR: _Cut = (*_key_of(0, (0,), None, None, 0, None), _BELOW, _Label(Version("0.dev0"), False))


@dataclass(frozen=True, slots=True)
class Bound:
    """One end of an interval as written: `version`, included or not."""

    version: Version
    inclusive: bool


@dataclass(frozen=True, slots=True)
class Segment:
    """One interval of a `Ranges`; `None` is an unbounded end."""

    lower: Bound | None
    upper: Bound | None


class Ranges:
    """A set of versions: sorted, disjoint intervals (see the module docstring).

    Immutable and hashable; equal sets compare equal whatever specifiers built them (up to
    PEP 440 sentinels: `>1.0` has no equal written as `>=V`).
    """

    __slots__ = ("_cuts", "_hash", "_point")

    _cuts: tuple[_Cut, ...]
    _hash: int | None
    _point: tuple[Any, ...] | None  # set by `singleton`: the version's position

    def __init__(self) -> None:
        raise TypeError("use Ranges.full(), .empty(), .singleton() or .from_specifiers()")

    @classmethod
    def _make(cls, cuts: tuple[_Cut, ...]) -> Ranges:
        ranges = object.__new__(cls)
        ranges._cuts = cuts
        ranges._hash = None
        ranges._point = None
        return ranges

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def empty(cls) -> Ranges:
        """No version."""
        return _EMPTY

    @classmethod
    def full(cls) -> Ranges:
        """Every version."""
        return _FULL

    @classmethod
    def singleton(cls, version: Version) -> Ranges:
        """Exactly `version` (not its local variants: `1.0+cpu` is not in `singleton(1.0)`)."""
        ranges = cls._make((_below(version), _above(version)))
        ranges._point = _point(version)
        return ranges

    @classmethod
    def higher_than(cls, version: Version) -> Ranges:
        """`>=version`."""
        return cls._interval(_below(version), _POS)

    @classmethod
    def strictly_higher_than(cls, version: Version) -> Ranges:
        """Every version after `version` (no PEP 440 exclusions; see `from_specifier`)."""
        return cls._interval(_above(version), _POS)

    @classmethod
    def lower_than(cls, version: Version) -> Ranges:
        """Every version up to `version` included (not its local variants)."""
        return cls._interval(_NEG, _above(version))

    @classmethod
    def strictly_lower_than(cls, version: Version) -> Ranges:
        """Every version before `version` (no PEP 440 exclusions)."""
        return cls._interval(_NEG, _below(version))

    @classmethod
    def from_bounds(cls, lower: Bound | None, upper: Bound | None) -> Ranges:
        """The interval between two bounds (`None` is unbounded)."""
        low = _NEG if lower is None else (
            _below(lower.version) if lower.inclusive else _above(lower.version))
        high = _POS if upper is None else (
            _above(upper.version) if upper.inclusive else _below(upper.version))
        return cls._interval(low, high)

    @classmethod
    def _interval(cls, low: _Cut, high: _Cut) -> Ranges:
        if low <= _FLOOR:
            low = _NEG
        if not low < high or high <= _FLOOR:
            return _EMPTY
        return cls._make((low, high))

    @classmethod
    def from_specifier(cls, specifier: Specifier | str) -> Ranges:
        """The versions one PEP 440 specifier admits (see the module docstring)."""
        if isinstance(specifier, str):
            specifier = Specifier(specifier)
        operator, text = specifier.operator, specifier.version
        if operator == "===":
            try:
                return cls.singleton(Version(text))
            except InvalidVersion:
                return _EMPTY  # an arbitrary string no version equals
        if operator in ("==", "!=") and text.endswith(".*"):
            prefix = Version(text[:-2])
            allowed = cls._interval(_below(_with_dev0(prefix)), _below(_prefix_end(prefix)))
            return allowed if operator == "==" else allowed.complement()
        version = Version(text)
        if operator in ("==", "!="):
            if version.local is not None:
                allowed = cls.singleton(version)
            else:
                allowed = cls._interval(_below(version), _above_locals(version))
            return allowed if operator == "==" else allowed.complement()
        if operator == ">=":
            return cls._interval(_below(version), _POS)
        if operator == "<=":
            return cls._interval(_NEG, _above_locals(version))
        if operator == "<":
            if version.is_prerelease:  # a pre-release or development release
                return cls._interval(_NEG, _below(version))
            return cls._interval(_NEG, _below_prereleases(version))
        if operator == ">":
            if version.dev is not None or version.post is not None:
                return cls._interval(_above_locals(version), _POS)
            return cls._interval(_above_posts(version), _POS)
        if operator == "~=":
            release = version.release
            upper = Version(".".join(map(str, (*release[:-2], release[-2] + 1))) + ".dev0")
            if version.epoch:
                upper = Version(f"{version.epoch}!{upper}")
            return cls._interval(_below(version), _below(upper))
        raise InvalidSpecifier(f"unsupported operator in {specifier}")

    @classmethod
    def from_specifiers(cls, specifiers: SpecifierSet | str | Iterable[Specifier]) -> Ranges:
        """The versions every specifier admits: `from_specifiers(">=1.0,<2")`."""
        if isinstance(specifiers, str):
            specifiers = SpecifierSet(specifiers)
        result = _FULL
        for specifier in specifiers:
            result = result.intersection(cls.from_specifier(specifier))
        return result

    # -- algebra ----------------------------------------------------------------------------

    def intersection(self, other: Ranges) -> Ranges:
        """The versions in both sets.

        Where both sets have a bound at the same place, the one kept (its label: `>=2` or
        `>=2.0.0`) is chosen as pubgrub's `Ranges` chooses it, so reports read as uv's: a
        lower bound from `other`, an upper bound from `self`.
        """
        a, b = self._cuts, other._cuts
        if not a or b is _FULL._cuts:
            return self
        if not b or a is _FULL._cuts:
            return other
        out: list[_Cut] = []
        i = j = 0
        len_a, len_b = len(a), len(b)
        while i < len_a and j < len_b:
            a_low, a_high, b_low, b_high = a[i], a[i + 1], b[j], b[j + 1]
            low = a_low if b_low < a_low else b_low
            if b_high < a_high:
                high = b_high
                j += 2
            else:
                high = a_high
                i += 2
            if low < high:
                out.append(low)
                out.append(high)
        return Ranges._make(tuple(out)) if out else _EMPTY

    def union(self, other: Ranges) -> Ranges:
        """The versions in either set (bounds in the same place: as pubgrub's `Ranges`)."""
        a, b = self._cuts, other._cuts
        if not a:
            return other
        if not b:
            return self
        out: list[_Cut] = []
        i = j = 0
        len_a, len_b = len(a), len(b)
        while i < len_a or j < len_b:
            if j >= len_b or (i < len_a and not b[j] < a[i]):
                low, high = a[i], a[i + 1]
                i += 2
            else:
                low, high = b[j], b[j + 1]
                j += 2
            if out and not out[-1] < low:
                if not high < out[-1]:
                    out[-1] = high
            else:
                out.append(low)
                out.append(high)
        return Ranges._make(tuple(out))

    def complement(self) -> Ranges:
        """The versions not in this set."""
        cuts = self._cuts
        if not cuts:
            return _FULL
        head: tuple[_Cut, ...] = cuts[1:] if cuts[0] == _NEG else (_NEG, *cuts)
        head = head[:-1] if head and head[-1] == _POS else (*head, _POS)
        return Ranges._make(head) if head else _EMPTY

    def difference(self, other: Ranges) -> Ranges:
        """The versions in this set and not in `other`."""
        return self.intersection(other.complement())

    __and__ = intersection
    __or__ = union
    __invert__ = complement
    __sub__ = difference

    # -- predicates -------------------------------------------------------------------------

    def contains(self, version: Version) -> bool:
        """Whether `version` is in the set."""
        return bisect.bisect_right(self._cuts, _point(version)) % 2 == 1

    __contains__ = contains

    def is_empty(self) -> bool:
        return not self._cuts

    def is_full(self) -> bool:
        return self._cuts == _FULL._cuts

    SUBSET = 0
    DISJOINT = 1
    OVERLAPPING = 2

    def relation(self, other: Ranges) -> int:
        """`SUBSET` if every version of this set is in `other` (the empty set is a subset of
        any), else `DISJOINT` if none is, else `OVERLAPPING`: one sweep, nothing built (the
        solver asks this of every incompatibility it propagates)."""
        a, b = self._cuts, other._cuts
        if not a:
            return 0
        if not b:
            return 1
        if len(b) == 2 and b[0] == _NEG and b[1] == _POS:
            return 0
        if self._point is not None:  # a decision: one version
            return 0 if bisect.bisect_right(b, self._point) % 2 else 1
        len_a, len_b = len(a), len(b)
        subset, overlap = True, False
        j = 0
        for i in range(0, len_a, 2):
            low, high = a[i], a[i + 1]
            while j < len_b and not low < b[j + 1]:
                j += 2  # b's interval ends before this one starts
            if j >= len_b:
                subset = False
                break
            other_low, other_high = b[j], b[j + 1]
            if other_low < high:
                overlap = True
                if low < other_low or other_high < high:
                    subset = False
            else:
                subset = False
            if overlap and not subset:
                return 2
        if subset:
            return 0
        return 2 if overlap else 1

    def is_subset(self, other: Ranges) -> bool:
        """Whether every version of this set is in `other`."""
        return self.relation(other) == 0

    def is_disjoint(self, other: Ranges) -> bool:
        """Whether no version is in both sets."""
        return not self._cuts or self.relation(other) == 1

    def as_singleton(self) -> Version | None:
        """The version, if this set is exactly one version (`singleton(v)`)."""
        cuts = self._cuts
        if len(cuts) == 2 and len(cuts[0]) > 1 and len(cuts[1]) > 1 and (
                cuts[0][-2] == _BELOW and cuts[1][-2] == _ABOVE and cuts[0][:-2] == cuts[1][:-2]):
            version: Version = cuts[0][-1].version
            return version
        return None

    def pinned_version(self) -> Version | None:
        """The version, if this set is one version: exactly (`singleton`), or as `==V` writes
        it (V and its local variants)."""
        version = self.as_singleton()
        if version is not None:
            return version
        lower, upper = self._first_segment_bounds()
        if (len(self._cuts) == 2 and lower is not None and upper is not None
                and lower.inclusive and upper.inclusive and lower.version == upper.version):
            return lower.version
        return None

    def is_singleton_constraint(self) -> bool:
        """Whether this is one version pinned (`==V`, which admits local variants of V)."""
        return self.pinned_version() is not None

    def __bool__(self) -> bool:
        return bool(self._cuts)

    # -- inspection -------------------------------------------------------------------------

    def segments(self) -> Iterator[Segment]:
        """The intervals, lowest first, with their bounds as written."""
        cuts = self._cuts
        for index in range(0, len(cuts), 2):
            yield Segment(_lower_bound(cuts[index]), _upper_bound(cuts[index + 1]))

    # -- relative to a list of versions (the versions an index lists) ----------------------

    def _locations(self, versions: Sequence[Version]) -> list[int | None]:
        """For each version (ascending), the index of the interval holding it, or None."""
        cuts = self._cuts
        locations: list[int | None] = []
        for version in versions:
            position = bisect.bisect_right(cuts, _point(version))
            locations.append(position // 2 if position % 2 else None)
        return locations

    def simplify(self, versions: Sequence[Version]) -> Ranges:
        """A simpler set that agrees with this one on `versions` (ascending), keeping the bounds
        as written: intervals holding a run of consecutive versions merge, and a run reaching
        the first (last) version loses its lower (upper) bound. Exact versions are kept, as is
        a set holding none of `versions` (PubGrub's `simplify`)."""
        if self.as_singleton() is not None:
            return self
        runs: list[tuple[int | None, int | None]] = []
        start: int | None = None
        end: int | None = None
        open_run = False
        locations = self._locations(versions)
        for position, location in enumerate(locations):
            if location is None:
                if open_run:
                    runs.append((start, end))
                    open_run = False
                continue
            if not open_run:
                start = None if position == 0 else location
                open_run = True
            end = location
        if open_run:
            runs.append((start, None))
        if not runs:
            return self
        cuts = self._cuts
        out: list[_Cut] = []
        for first, last in runs:
            out.append(_NEG if first is None else cuts[2 * first])
            out.append(_POS if last is None else cuts[2 * last + 1])
        return Ranges._make(tuple(out))

    def narrow(self, versions: Sequence[Version]) -> Ranges:
        """This set described by the `versions` (ascending) it holds: each interval's bounded
        ends move onto the first and last version inside it (inclusive), unbounded ends stay,
        intervals holding none are dropped. Every version: the full set. None: unchanged.

        The inverse of widening a version to the gap around it: `a>1.0,<3.0` holding only
        `a 2.0` of `1.0, 2.0, 3.0` narrows to `a==2.0`."""
        locations = self._locations(versions)
        if locations and all(location is not None for location in locations):
            return _FULL
        firsts: dict[int, Version] = {}
        lasts: dict[int, Version] = {}
        for version, location in zip(versions, locations, strict=True):
            if location is not None:
                firsts.setdefault(location, version)
                lasts[location] = version
        if not firsts:
            return self
        cuts = self._cuts
        out: list[_Cut] = []
        for location in sorted(firsts):
            low, high = cuts[2 * location], cuts[2 * location + 1]
            out.append(low if low == _NEG else _below(firsts[location]))
            out.append(high if high == _POS else _above(lasts[location]))
        return Ranges._make(tuple(out))

    def availability(self, versions: Sequence[Version]) -> Ranges:
        """This set (of available versions) restated against `versions` (ascending), the way
        uv reports it: intervals holding none of them are dropped, an interval holding them all
        ends on the first and last (`a<1000` of `1.0 ... 9.0` is `a<=9.0`), and an inclusive
        bound on a version that does not exist becomes exclusive."""
        if not versions:
            return _EMPTY
        first, last = versions[0], versions[-1]
        if first == last:
            return Ranges._make((_below(first), _above(last)))
        low_point, high_point = _point(first), _point(last)
        listed = {_key(version) for version in versions}
        cuts = self._cuts
        out: list[_Cut] = []
        for index in range(0, len(cuts), 2):
            low, high = cuts[index], cuts[index + 1]
            if not low < high_point or not low_point < high:
                continue  # outside [first, last]
            if low < low_point and high_point < high:
                if low == _NEG:
                    high = _above(last)
                elif high == _POS:
                    low = _below(first)
                else:
                    low, high = _below(first), _above(last)
            else:
                if low != _NEG and not low[-1].upper_closed and (
                        _key(low[-1].version) not in listed):
                    low = _above(low[-1].version)
                if high != _POS and high[-1].upper_closed and (
                        _key(high[-1].version) not in listed):
                    high = _below(high[-1].version)
            out.append(low)
            out.append(high)
        return Ranges._make(tuple(out)) if out else _EMPTY

    def without_local_sentinels(self) -> Ranges:
        """The same set with `==V` and `<=V` read as ending at V itself rather than after V's
        local versions, as uv reports them (`==1.0` is shown as the single version 1.0)."""
        cuts = self._cuts
        changed = False
        out: list[_Cut] = []
        for cut in cuts:
            if len(cut) > 1 and cut[-2] == _BELOW and cut[-1].upper_closed:
                cut = _above(cut[-1].version)
                changed = True
            out.append(cut)
        if not changed:
            return self
        merged: list[_Cut] = []
        for index in range(0, len(out), 2):
            low, high = out[index], out[index + 1]
            if merged and not merged[-1] < low:
                merged[-1] = max(merged[-1], high)
            elif low < high:
                merged.extend((low, high))
        return Ranges._make(tuple(merged)) if merged else _EMPTY

    def is_local_variants_only(self) -> bool:
        """Whether this set is, in each interval, only the local versions of one version
        (what is left of `==1.0` once `1.0` itself is excluded)."""
        cuts = self._cuts
        if not cuts:
            return False
        for index in range(0, len(cuts), 2):
            low, high = cuts[index], cuts[index + 1]
            if len(low) == 1 or len(high) == 1:
                return False
            if not (low[-2] == _ABOVE and high[-2] == _BELOW and high[-1].upper_closed
                    and low[:-2] == _key(high[-1].version)):
                return False
        return True

    def lowest(self) -> Bound | None:
        """The lower bound of the first interval (`None` if unbounded or empty)."""
        return _lower_bound(self._cuts[0]) if self._cuts else None

    def _first_segment_bounds(self) -> tuple[Bound | None, Bound | None]:
        if not self._cuts:
            return None, None
        return _lower_bound(self._cuts[0]), _upper_bound(self._cuts[1])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ranges):
            return NotImplemented
        return self._cuts == other._cuts

    def __hash__(self) -> int:
        cached: int | None = self._hash
        if cached is None:
            cached = self._hash = hash(tuple(cut[:-1] for cut in self._cuts))
        return cached

    def __repr__(self) -> str:
        return f"Ranges({str(self)!r})"

    def __str__(self) -> str:
        if not self._cuts:
            return "∅"
        return " | ".join(_show_segment(segment) for segment in self.segments())


def _lower_bound(cut: _Cut) -> Bound | None:
    if cut is _NEG or cut == _NEG:
        return None
    label: _Label = cut[-1]
    return Bound(label.version, not label.upper_closed)


def _upper_bound(cut: _Cut) -> Bound | None:
    if cut is _POS or cut == _POS:
        return None
    label: _Label = cut[-1]
    return Bound(label.version, label.upper_closed)


def _show_segment(segment: Segment) -> str:
    lower, upper = segment.lower, segment.upper
    if lower is None and upper is None:
        return "*"
    if lower is not None and upper is not None and lower.inclusive and upper.inclusive and (
            lower.version == upper.version):
        return f"=={lower.version}"
    parts = []
    if lower is not None:
        parts.append(f"{'>=' if lower.inclusive else '>'}{lower.version}")
    if upper is not None:
        parts.append(f"{'<=' if upper.inclusive else '<'}{upper.version}")
    return ", ".join(parts)


def _with_dev0(version: Version) -> Version:
    base = version.base_version
    pre = "" if version.pre is None else f"{version.pre[0]}{version.pre[1]}"
    post = "" if version.post is None else f".post{version.post}"
    return Version(f"{base}{pre}{post}.dev0")


def _prefix_end(prefix: Version) -> Version:
    """The first version after every version matching `==prefix.*`, as `X.dev0`."""
    epoch = f"{prefix.epoch}!" if prefix.epoch else ""
    release = ".".join(map(str, prefix.release))
    if prefix.post is not None:
        pre = "" if prefix.pre is None else f"{prefix.pre[0]}{prefix.pre[1]}"
        return Version(f"{epoch}{release}{pre}.post{prefix.post + 1}.dev0")
    if prefix.pre is not None:
        return Version(f"{epoch}{release}{prefix.pre[0]}{prefix.pre[1] + 1}.dev0")
    bumped = (*prefix.release[:-1], prefix.release[-1] + 1)
    return Version(f"{epoch}{'.'.join(map(str, bumped))}.dev0")


_EMPTY = Ranges._make(())
_FULL = Ranges._make((_NEG, _POS))
