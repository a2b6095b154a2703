"""`puv.core.ranges.Ranges`: PEP 440 meaning of specifiers, the set algebra, uv-style bounds.

(The module lives in `core/`; its tests are here because the resolver is what it is for.)
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.specifiers import Specifier, SpecifierSet
from packaging.version import Version

from puv.core.ranges import Bound, Ranges

# -- strategies -------------------------------------------------------------------------------

_release = st.lists(st.integers(0, 3), min_size=1, max_size=3).map(
    lambda parts: ".".join(map(str, parts)))
_pre = st.sampled_from(["", "a0", "a1", "b1", "rc1"])
_post = st.sampled_from(["", ".post0", ".post1"])
_dev = st.sampled_from(["", ".dev0", ".dev1"])
_local = st.sampled_from(["", "+cpu", "+1"])


@st.composite
def versions(draw: st.DrawFn, local: bool = True) -> Version:
    text = draw(_release) + draw(_pre) + draw(_post) + draw(_dev)
    if local:
        text += draw(_local)
    return Version(text)


@st.composite
def specifiers(draw: st.DrawFn) -> str:
    operator = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "~=", "==*", "!=*"]))
    if operator in ("==*", "!=*"):
        return f"{operator[:2]}{draw(_release)}.*"
    if operator == "~=":
        return f"~={draw(_release)}.{draw(st.integers(0, 3))}{draw(_pre)}"
    version = draw(versions(local=operator in ("==", "!=")))
    return f"{operator}{version}"


@st.composite
def version_sets(draw: st.DrawFn) -> Ranges:
    """Unions of intersections of specifiers: any shape of set."""
    result = Ranges.empty()
    for _ in range(draw(st.integers(1, 3))):
        part = Ranges.full()
        for text in draw(st.lists(specifiers(), min_size=1, max_size=3)):
            part = part & Ranges.from_specifier(text)
        result = result | part
    return result


PROBES = [Version(v) for v in [
    "0", "0.dev0", "0.1", "1.0.dev0", "1.0a1", "1.0rc1", "1.0", "1.0+cpu", "1.0.post0",
    "1.0.post1.dev0", "1.0.post1", "1.0.post1+x", "1.0.0.1", "1.1", "1.1a1", "2.0.dev1", "2",
    "2.0+1", "2.0.post2", "2.1", "3!1.0", "10.0",
]]


def members(ranges: Ranges, probes: list[Version]) -> set[Version]:
    return {version for version in probes if ranges.contains(version)}


# -- specifier semantics ----------------------------------------------------------------------

def _packaging_agrees(text: str, version: Version) -> bool:
    """Where puv follows uv rather than packaging's reading of PEP 440."""
    specifier = Specifier(text)
    if specifier.operator == ">":
        spec_version = Version(specifier.version)
        # packaging also excludes the post and local releases of the base of a pre-release
        # (`>1.0a1` excludes `1.0.post1`); uv (and puv) exclude those of the version itself.
        if spec_version.is_prerelease and version.base_version == spec_version.base_version:
            return False
    return True


@settings(max_examples=600, deadline=None)
@given(specifiers(), versions())
def test_membership_matches_pep440(text: str, version: Version) -> None:
    expected = Specifier(text).contains(version, prereleases=True)
    if not _packaging_agrees(text, version):
        return
    assert Ranges.from_specifier(text).contains(version) == expected, (text, version)


@pytest.mark.parametrize(("text", "inside", "outside"), [
    ("==1.0", ["1.0", "1.0.0", "1.0+cpu"], ["1.0.post0", "1.0a1", "1.1"]),
    ("==1.0+cpu", ["1.0+cpu"], ["1.0", "1.0+gpu"]),
    ("!=1.0", ["0.9", "1.0.post0", "1.1"], ["1.0", "1.0+cpu"]),
    ("<1.0", ["0.9", "0.9.post1"], ["1.0.dev0", "1.0a1", "1.0rc1", "1.0"]),
    ("<1.0rc1", ["1.0a1", "1.0.dev0"], ["1.0rc1"]),
    ("<1.0.post1", ["1.0", "1.0.post0", "1.0a1"], ["1.0.post1.dev0", "1.0.post1"]),
    ("<=1.0", ["1.0", "1.0+cpu", "1.0a1"], ["1.0.post0"]),
    (">1.0", ["1.0.0.1", "1.1a1", "2"], ["1.0", "1.0+cpu", "1.0.post1"]),
    (">1.0.post1", ["1.0.post2", "1.1"], ["1.0.post1", "1.0.post1+x"]),
    (">=1.0", ["1.0", "1.0+cpu", "1.0.post1"], ["1.0rc1", "1.0.dev0"]),
    ("~=1.4.5", ["1.4.5", "1.4.9"], ["1.4.4", "1.5.dev0", "1.5"]),
    ("==1.4.*", ["1.4", "1.4.dev0", "1.4.9.post1", "1.4rc1"], ["1.5.dev0", "1.3.9"]),
    ("!=1.4.*", ["1.3.9", "1.5.dev0"], ["1.4", "1.4.1"]),
    ("===1.0", ["1.0"], ["1.0+cpu", "1.0.0.1"]),
])
def test_pep440_edge_cases(text: str, inside: list[str], outside: list[str]) -> None:
    ranges = Ranges.from_specifier(text)
    for version in inside:
        assert ranges.contains(Version(version)), (text, version)
    for version in outside:
        assert not ranges.contains(Version(version)), (text, version)


def test_from_specifiers_intersects_and_reads_strings() -> None:
    assert Ranges.from_specifiers(">=1.0,<2.0") == Ranges.from_specifiers(SpecifierSet(
        "<2.0,>=1.0"))
    assert Ranges.from_specifiers(">=2,<1").is_empty()
    assert Ranges.from_specifiers("").is_full()
    assert Ranges.from_specifiers("===not-a-version").is_empty()


# -- algebra ----------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(version_sets(), version_sets())
def test_intersection_union_and_difference_are_pointwise(a: Ranges, b: Ranges) -> None:
    for version in PROBES:
        inside_a, inside_b = a.contains(version), b.contains(version)
        assert (a & b).contains(version) == (inside_a and inside_b)
        assert (a | b).contains(version) == (inside_a or inside_b)
        assert (a - b).contains(version) == (inside_a and not inside_b)
        assert (~a).contains(version) == (not inside_a)


@settings(max_examples=300, deadline=None)
@given(version_sets(), version_sets(), version_sets())
def test_algebra_laws_hold_structurally(a: Ranges, b: Ranges, c: Ranges) -> None:
    assert a & b == b & a
    assert a | b == b | a
    assert (a & b) & c == a & (b & c)
    assert (a | b) | c == a | (b | c)
    assert a & (b | c) == (a & b) | (a & c)
    assert ~~a == a
    assert ~(a | b) == ~a & ~b
    assert ~(a & b) == ~a | ~b
    assert a | ~a == Ranges.full()
    assert (a & ~a).is_empty()
    assert a & Ranges.full() == a
    assert a | Ranges.empty() == a
    assert hash(a & b) == hash(b & a)


@settings(max_examples=300, deadline=None)
@given(version_sets(), version_sets())
def test_subset_and_disjoint_agree_with_the_algebra(a: Ranges, b: Ranges) -> None:
    assert a.is_subset(b) == ((a & b) == a)
    assert a.is_disjoint(b) == (a & b).is_empty()
    assert (a & b).is_subset(a)
    assert a.is_subset(a | b)
    if a.is_subset(b):
        assert members(a, PROBES) <= members(b, PROBES)


def test_equal_sets_written_differently_are_equal() -> None:
    assert Ranges.from_specifiers("<=1.0") == Ranges.from_specifiers("<1.0.post0.dev0")
    assert Ranges.from_specifiers("<1.0") == Ranges.from_specifiers("<1.0.dev0")
    assert Ranges.from_specifiers(">=1,<2") | Ranges.from_specifiers(">=2.dev0") == (
        Ranges.from_specifiers(">=1"))
    # `<1` stops before 1's pre-releases, `>=1` starts at 1: 1.0rc1 is in neither.
    assert not (Ranges.from_specifiers("<1") | Ranges.from_specifiers(">=1")).is_full()


def test_nothing_sorts_below_the_first_version() -> None:
    assert Ranges.from_specifiers("<0.dev0").is_empty()
    assert Ranges.from_specifiers(">=0.dev0").is_full()


# -- inspection -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "shown"), [
    (">=1.0,<2.0", ">=1.0, <2.0"),
    ("==1.0", "==1.0"),
    ("!=1.0", "<1.0 | >1.0"),
    ("<1.0", "<1.0"),
    (">1.0", ">1.0"),
    ("~=1.4.5", ">=1.4.5, <1.5.dev0"),
    ("==1.4.*", ">=1.4.dev0, <1.5.dev0"),
    ("", "*"),
    (">=2,<1", "∅"),
])
def test_sets_show_the_bounds_as_written(text: str, shown: str) -> None:
    assert str(Ranges.from_specifiers(text)) == shown


def test_singletons_and_pins() -> None:
    one = Version("1.0")
    assert Ranges.singleton(one).as_singleton() == one
    assert not Ranges.singleton(one).contains(Version("1.0+cpu"))
    pinned = Ranges.from_specifiers("==1.0")
    assert pinned.as_singleton() is None
    assert pinned.pinned_version() == one
    assert pinned.is_singleton_constraint()
    assert not Ranges.from_specifiers(">=1.0").is_singleton_constraint()
    assert Ranges.from_specifiers("==1.0+cpu").as_singleton() == Version("1.0+cpu")


def test_segments_give_bounds_as_written() -> None:
    (segment,) = Ranges.from_specifiers(">1.0,<=2.0").segments()
    assert segment.lower == Bound(Version("1.0"), inclusive=False)
    assert segment.upper == Bound(Version("2.0"), inclusive=True)
    assert [str(s.lower and s.lower.version) for s in (~Ranges.from_specifiers(">=1")).segments()
            ] == ["None"]


def test_bound_constructors() -> None:
    v1, v2 = Version("1"), Version("2")
    assert str(Ranges.higher_than(v1)) == ">=1"
    assert str(Ranges.strictly_higher_than(v1)) == ">1"
    assert str(Ranges.lower_than(v2)) == "<=2"
    assert str(Ranges.strictly_lower_than(v2)) == "<2"
    assert Ranges.from_bounds(Bound(v1, True), Bound(v2, False)) == (
        Ranges.higher_than(v1) & Ranges.strictly_lower_than(v2))
    with pytest.raises(TypeError):
        Ranges()


# -- relative to the versions that exist ------------------------------------------------------

LISTED = [Version(v) for v in ("1.0.0", "2.0.0", "3.0.0")]


@pytest.mark.parametrize(("text", "simplified"), [
    ("==1.0.0 || ==3.0.0", "<=1.0.0 | >=3.0.0"),
    ("!=2.0.0", "<2.0.0 | >2.0.0"),
    (">=2.0.0,<3.0.0", ">=2.0.0, <3.0.0"),
    (">=0.5", "*"),
    ("==2.0.0", "==2.0.0"),
    (">=4", ">=4"),
])
def test_simplify_keeps_bounds_and_drops_the_ones_past_the_ends(text: str,
                                                                simplified: str) -> None:
    ranges = Ranges.empty()
    for part in text.split(" || "):
        ranges = ranges | Ranges.from_specifiers(part)
    assert str(ranges.simplify(LISTED)) == simplified


def test_narrow_moves_bounds_onto_the_listed_versions() -> None:
    v1, v2, v3 = LISTED
    assert str(Ranges.from_bounds(None, Bound(v2, False)).narrow(LISTED)) == "<=1.0.0"
    assert str(Ranges.from_bounds(Bound(v1, False), None).narrow(LISTED)) == ">=2.0.0"
    assert str(Ranges.from_bounds(Bound(v1, False), Bound(v3, False)).narrow(LISTED)) == (
        "==2.0.0")
    assert Ranges.from_specifiers(">=0.1").narrow(LISTED).is_full()
    assert Ranges.from_specifiers(">=9").narrow(LISTED) == Ranges.from_specifiers(">=9")


def test_availability_reads_available_versions_as_uv_does() -> None:
    listed = [Version("0.1"), Version("1.0.0")]
    assert str((Ranges.from_specifiers("<=0.1") | Ranges.singleton(Version("1.0.0"))
                ).availability(listed)) == "<=0.1 | ==1.0.0"
    assert str(Ranges.from_specifiers("<1000").availability(LISTED)) == "<=3.0.0"
    assert str(Ranges.from_specifiers(">0").availability(LISTED)) == ">=1.0.0"
    assert str(Ranges.from_specifiers(">=1.5,<=2.5").availability(LISTED)) == ">1.5, <2.5"
    assert str(Ranges.full().availability([Version("1.0.0")])) == "==1.0.0"
    assert Ranges.from_specifiers(">9").availability(LISTED).is_empty()


def test_local_sentinels_for_reports() -> None:
    pinned = Ranges.from_specifiers("==1.0")
    assert pinned.without_local_sentinels() == Ranges.singleton(Version("1.0"))
    assert str(Ranges.from_specifiers("<=1.0").without_local_sentinels()) == "<=1.0"
    locals_only = pinned - Ranges.singleton(Version("1.0"))
    assert locals_only.is_local_variants_only()
    assert not pinned.is_local_variants_only()
    assert not Ranges.empty().is_local_variants_only()


def test_equal_bounds_keep_the_label_pubgrub_keeps() -> None:
    # 2 and 2.0.0 are one version; which spelling a report shows follows pubgrub's Ranges.
    two, two_zero = Ranges.from_specifiers(">=2"), Ranges.from_specifiers(">=2.0.0")
    assert str(two | Ranges.from_specifiers("==2.0.0")) == ">=2"
    assert str(Ranges.from_specifiers("==2.0.0") | two) == ">=2.0.0"
    assert str(two & two_zero) == ">=2.0.0"
    assert str(two_zero & two) == ">=2"
    below, below_zero = Ranges.from_specifiers("<3"), Ranges.from_specifiers("<3.0.0")
    assert str(below & below_zero) == "<3"
    assert str(below_zero & below) == "<3.0.0"
