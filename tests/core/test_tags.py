"""Wheel tags a target interpreter supports, their order, and why a wheel does not fit."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
import sysconfig

import packaging
import packaging.tags
import pytest
from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms, sys_tags
from packaging.version import Version

from puv.core.filenames import parse_filename
from puv.core.tags import TargetTags
from puv.python.interpreter import Interpreter

QUERY = os.path.join(os.path.dirname(__file__), "..", "..", "src", "puv", "python", "_query.py")
PACKAGING_DIR = os.path.dirname(packaging.__file__)

# packaging 26.3 moved the native `linux_<arch>` tag before `manylinux`; puv follows it.
needs_packaging_26_3 = pytest.mark.skipif(
    Version(packaging.__version__) < Version("26.3"),
    reason="puv orders tags as packaging 26.3 does",
)


def query(python: str) -> dict:
    with open(QUERY, encoding="utf-8") as handle:
        script = handle.read()
    out = subprocess.run([python, "-E", "-s", "-c", script], capture_output=True, check=True)
    info = json.loads(out.stdout)
    assert info["ok"], info
    return info


def target(**facts) -> TargetTags:
    facts.setdefault("implementation", "cpython")
    facts.setdefault("python_version", (3, 12))
    facts.setdefault("platform", "linux-x86_64")
    return TargetTags(**facts)


LINUX_312 = target(glibc="2.39")


# The running interpreter and the other interpreters on this machine.

@needs_packaging_26_3
def test_running_interpreter_tags_equal_sys_tags():
    tags = TargetTags.from_interpreter_info(query(sys.executable))
    assert list(tags.tags()) == list(sys_tags())


def _pyenv_pythons() -> list[str]:
    found = []
    for path in sorted(glob.glob("/root/.pyenv/versions/3.*/bin/python3")):
        version = os.path.basename(os.path.dirname(os.path.dirname(path))).split(".")
        if (int(version[0]), int(version[1])) >= (3, 8):
            found.append(path)
    return found


@needs_packaging_26_3
@pytest.mark.parametrize("python", _pyenv_pythons() or [pytest.param("", marks=pytest.mark.skip(
    reason="no /root/.pyenv/versions/3.* interpreters"))])
def test_other_interpreters_tags_equal_their_own_sys_tags(python, tmp_path):
    """Each interpreter runs our packaging's `sys_tags` itself (the package is put on its path
    through a link, and `-B` keeps it from writing bytecode there). packaging 26.3 no longer
    imports on 3.8: there the expectation is computed here from what differs (Python version,
    ABI `cp38`) and this machine's platform tags, which the two interpreters share."""
    info = query(python)
    tags = TargetTags.from_interpreter_info(info)
    os.symlink(PACKAGING_DIR, tmp_path / "packaging")
    script = ("import json, sys; sys.path.insert(0, sys.argv[1]); "
              "from packaging.tags import sys_tags; "
              "print(json.dumps([str(t) for t in sys_tags()]))")
    out = subprocess.run([python, "-E", "-s", "-B", "-c", script, str(tmp_path)],
                         capture_output=True, text=True)
    if out.returncode == 0:
        expected = json.loads(out.stdout)
    else:
        version = tuple(info["version"][:2])
        assert version == (3, 8), out.stderr  # only 3.8 is too old for this packaging
        assert not info["abiflags"] and sysconfig.get_platform() == info["platform"]
        platforms = list(packaging.tags.platform_tags())
        expected = [str(t) for t in cpython_tags(version, ["cp38"], platforms)]
        expected += [str(t) for t in compatible_tags(version, "cp38", platforms)]
    assert [str(t) for t in tags.tags()] == expected


def test_interpreter_tags_are_computed_once():
    interpreter = Interpreter(sys.executable, query(sys.executable))
    assert interpreter.tags() is interpreter.tags()
    assert interpreter.tags() == TargetTags.from_interpreter_info(interpreter.info)


# Synthetic targets.

@needs_packaging_26_3
def test_manylinux_target_lists_every_glibc_down_to_2_5_with_legacy_aliases():
    platforms = target(glibc="2.17").platforms()
    assert platforms[:4] == ("linux_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64",
                             "manylinux_2_16_x86_64")
    assert platforms.index("manylinux2010_x86_64") == platforms.index("manylinux_2_12_x86_64") + 1
    assert platforms[-2:] == ("manylinux_2_5_x86_64", "manylinux1_x86_64")
    assert len(platforms) == 1 + (17 - 5 + 1) + 3


def test_aarch64_manylinux_stops_at_glibc_2_17():
    platforms = target(platform="linux-aarch64", glibc="2.28").platforms()
    assert platforms[-2:] == ("manylinux_2_17_aarch64", "manylinux2014_aarch64")


@needs_packaging_26_3
def test_musllinux_target():
    tags = target(platform="linux-aarch64", musl="1.2.4")
    assert tags.platforms() == ("linux_aarch64", "musllinux_1_2_aarch64",
                                "musllinux_1_1_aarch64", "musllinux_1_0_aarch64")
    assert tags.priority("cp312-cp312-musllinux_1_1_aarch64") is not None
    assert tags.priority("cp312-cp312-manylinux_2_17_aarch64") is None


@needs_packaging_26_3
def test_32_bit_interpreter_on_64_bit_kernel_uses_i686():
    platforms = target(glibc="2.17", pointer_size=32).platforms()
    assert platforms[:3] == ("linux_i686", "manylinux_2_17_i686", "manylinux2014_i686")
    assert not any("x86_64" in platform for platform in platforms)


@pytest.mark.parametrize(("platform", "glibc", "musl", "is_32bit"), [
    ("linux-x86_64", "2.39", None, False),
    ("linux-x86_64", "2.17", None, True),
    ("linux-aarch64", "2.31", None, False),
    ("linux-aarch64", "2.31", None, True),
    ("linux-armv7l", "2.28", None, True),
    ("linux-ppc64le", "2.17", None, False),
    ("linux-armv6l", "2.28", None, True),
    ("linux-x86_64", None, "1.2.3", False),
    ("linux-x86_64", None, None, False),
])
@needs_packaging_26_3
def test_linux_platforms_match_packaging_on_such_a_system(monkeypatch, platform, glibc, musl,
                                                           is_32bit):
    """packaging's own Linux code, pointed at a pretend system through its private hooks."""
    manylinux = pytest.importorskip("packaging._manylinux")
    musllinux = pytest.importorskip("packaging._musllinux")
    for module, name in [(manylinux, "_get_glibc_version"), (manylinux, "_have_compatible_abi"),
                         (manylinux, "_get_manylinux_module"),
                         (musllinux, "_get_musl_version"),
                         (packaging.tags, "_linux_platforms")]:
        if not hasattr(module, name):
            pytest.skip(f"packaging has no {module.__name__}.{name}")
    glibc_version = tuple(map(int, glibc.split("."))) if glibc else (-1, -1)
    monkeypatch.setattr(manylinux, "_get_glibc_version", lambda: glibc_version)
    monkeypatch.setattr(manylinux, "_get_manylinux_module", lambda: None)
    monkeypatch.setattr(
        manylinux, "_have_compatible_abi",
        lambda executable, archs: bool({"i686", "armv7l"} & set(archs)) or any(
            arch in manylinux._ALLOWED_ARCHS for arch in archs))
    musl_version = musllinux._MuslVersion(*map(int, musl.split(".")[:2])) if musl else None
    monkeypatch.setattr(musllinux, "_get_musl_version", lambda executable: musl_version)
    monkeypatch.setattr(packaging.tags.sysconfig, "get_platform", lambda: platform)
    expected = tuple(packaging.tags._linux_platforms(is_32bit))
    tags = target(platform=platform, glibc=glibc, musl=musl, pointer_size=32 if is_32bit else 64)
    assert tags.platforms() == expected


def test_macos_11_arm64_accepts_universal2_back_to_10_4_as_packaging_does():
    platforms = target(platform="macosx-11.0-arm64", machine="arm64",
                       macos_version=(11, 0)).platforms()
    assert platforms == tuple(mac_platforms((11, 0), "arm64"))
    assert platforms[:2] == ("macosx_11_0_arm64", "macosx_11_0_universal2")
    assert "macosx_10_16_universal2" in platforms
    assert "macosx_10_16_arm64" not in platforms and "macosx_10_9_x86_64" not in platforms


def test_macos_uses_the_running_system_not_the_build_target():
    """A `macosx-10.9-universal2` build on macOS 14 (Darwin 23) on Apple silicon."""
    info = {"implementation": "cpython", "version": [3, 12, 1, "final", 0],
            "platform": "macosx-10.9-universal2", "abiflags": "", "gil_disabled": False,
            "pointer_size": 64, "markers": {"platform_machine": "arm64",
                                            "platform_release": "23.5.0"}}
    tags = TargetTags.from_interpreter_info(info)
    assert tags.macos_version == (14, 0)
    assert tags.platforms() == tuple(mac_platforms((14, 0), "arm64"))
    assert tags.tags()[0] == Tag("cp312", "cp312", "macosx_14_0_arm64")


@pytest.mark.parametrize(("darwin", "macos"), [
    ("19.6.0", (10, 15)), ("20.1.0", (11, 0)), ("24.0.0", (15, 0)), ("25.0.0", (26, 0)),
])
def test_darwin_release_gives_macos_version(darwin, macos):
    info = {"implementation": "cpython", "version": [3, 12, 0, "final", 0],
            "platform": "macosx-10.13-x86_64", "markers": {"platform_machine": "x86_64",
                                                          "platform_release": darwin}}
    assert TargetTags.from_interpreter_info(info).macos_version == macos


@pytest.mark.parametrize(("platform", "expected"), [
    ("win-amd64", "win_amd64"), ("win32", "win32"), ("win-arm64", "win_arm64"),
])
def test_windows_platform(platform, expected):
    tags = target(platform=platform)
    assert tags.platforms() == (expected,)
    assert tags.tags()[:3] == (Tag("cp312", "cp312", expected), Tag("cp312", "abi3", expected),
                               Tag("cp312", "none", expected))
    assert tags.tags()[-1] == Tag("py30", "none", "any")


def test_windows_debug_build_also_loads_ordinary_extensions():
    tags = target(platform="win-amd64", ext_suffix="_d.cp312-win_amd64.pyd")
    assert [tag.abi for tag in tags.tags()[:2]] == ["cp312d", "cp312"]


def test_free_threaded_3_13_uses_cp313t_and_no_abi3():
    tags = target(python_version=(3, 13), glibc="2.39", abiflags="t", gil_disabled=True)
    assert tags.tags()[0] == Tag("cp313", "cp313t", "linux_x86_64")
    abis = {tag.abi for tag in tags.tags()}
    assert "cp313t" in abis and "cp313" not in abis and "abi3" not in abis
    assert tags.priority("cp313-cp313t-manylinux_2_17_x86_64") is not None
    assert tags.priority("cp313-cp313-manylinux_2_17_x86_64") is None
    assert tags.priority("cp38-abi3-manylinux_2_17_x86_64") is None


def test_pypy_uses_its_soabi_and_pp3_none_any():
    tags = target(implementation="pypy", python_version=(3, 10), glibc="2.28",
                  soabi="pypy310-pp73", ext_suffix=".pypy310-pp73-x86_64-linux-gnu.so")
    assert tags.tags()[1] == Tag("pp310", "pypy310_pp73", "manylinux_2_28_x86_64")
    assert {tag.abi for tag in tags.tags()} == {"pypy310_pp73", "none"}
    assert Tag("pp3", "none", "any") in tags.tags()
    assert tags.priority("cp310-cp310-manylinux_2_17_x86_64") is None
    assert tags.priority("pp310-pypy310_pp73-manylinux_2_17_x86_64.manylinux2014_x86_64") \
        is not None


def test_pypy_abi_from_soabi_when_no_extension_suffix_is_known():
    tags = target(implementation="pypy", python_version=(3, 9), soabi="pypy39-pp73")
    assert tags.tags()[0] == Tag("pp39", "pypy39_pp73", "linux_x86_64")


def test_target_tags_are_immutable_values():
    tags = target(glibc="2.17")
    with pytest.raises(AttributeError):
        tags.glibc = "2.39"  # type: ignore[misc]
    assert tags == target(glibc="2.17") and hash(tags) == hash(target(glibc="2.17"))
    assert tags != target(glibc="2.28")


# Priority.

def test_cp312_manylinux_wheel_beats_pure_python():
    native = LINUX_312.priority("cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64")
    pure = LINUX_312.priority("py3-none-any")
    assert native is not None and pure is not None and native < pure


def test_newer_manylinux_beats_older():
    new = LINUX_312.priority("cp312-cp312-manylinux_2_28_x86_64")
    old = LINUX_312.priority("cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64")
    assert new is not None and old is not None and new < old


def test_abi3_wheel_for_cp38_is_accepted_by_3_12_after_its_own_abi():
    abi3 = LINUX_312.priority("cp38-abi3-manylinux_2_17_x86_64")
    assert abi3 is not None
    assert LINUX_312.priority("cp312-cp312-manylinux_2_17_x86_64") < abi3  # type: ignore[operator]
    assert LINUX_312.priority("cp313-abi3-manylinux_2_17_x86_64") is None


def test_windows_wheel_is_incompatible_on_linux():
    assert LINUX_312.priority("cp312-cp312-win_amd64") is None


def test_too_new_glibc_is_incompatible():
    assert LINUX_312.priority("cp312-cp312-manylinux_2_40_x86_64") is None
    assert LINUX_312.priority("cp312-cp312-manylinux_2_39_x86_64") is not None


def test_compressed_tag_set_takes_its_best_member():
    assert LINUX_312.priority("py2.py3-none-any") == LINUX_312.priority("py3-none-any")
    assert LINUX_312.priority("py2.py3-none-any") == LINUX_312.tags().index(
        Tag("py3", "none", "any"))


def test_priority_of_a_tag_string_equals_that_of_the_parsed_filename():
    filename = "numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    dist = parse_filename(filename)
    assert dist is not None
    assert LINUX_312.priority(dist.tags) == LINUX_312.priority(
        "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64")


def test_priority_is_case_insensitive_like_tags():
    assert LINUX_312.priority("PY3-NONE-ANY") == LINUX_312.priority("py3-none-any")


@pytest.mark.parametrize("text", ["", "py3-none", "py3-none-any-extra", "py3--any"])
def test_malformed_tag_strings_are_incompatible(text):
    assert LINUX_312.priority(text) is None


def test_huge_compressed_tag_set_is_matched_without_expanding_it():
    interpreters = ".".join(f"cp3{minor}" for minor in range(100))
    abis = ".".join(["abi3"] + [f"cp3{minor}" for minor in range(100)])
    platforms = ".".join([f"manylinux_2_{minor}_x86_64" for minor in range(100)] + ["any"])
    text = f"{interpreters}-{abis}-{platforms}"
    best = LINUX_312.priority(text)
    assert best is not None
    assert LINUX_312.tags()[best] == Tag("cp312", "cp312", "manylinux_2_39_x86_64")
    assert LINUX_312.priority(text.replace("cp312.", "")) is not None  # abi3 for cp311
    assert LINUX_312.priority(text.replace(".any", "").replace("_x86_64", "_aarch64")) is None


def test_priority_agrees_with_the_tag_list():
    for rank, tag in enumerate(LINUX_312.tags()[:200]):
        found = LINUX_312.priority(str(tag))
        assert found is not None and found <= rank


# Describing an incompatible wheel.

def test_wrong_python_version_and_platform():
    assert LINUX_312.describe_incompatibility("foo-1.0-cp39-cp39-win_amd64.whl") == (
        "`foo-1.0-cp39-cp39-win_amd64.whl` is built for CPython 3.9 on Windows x86-64 "
        "(`cp39-cp39-win_amd64`), but the target interpreter is CPython 3.12 on linux-x86_64 "
        "with glibc 2.39")


def test_wrong_python_version():
    assert LINUX_312.describe_incompatibility(
        "foo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl") == (
        "`foo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl` is built for CPython 3.11 "
        "(`cp311-cp311-manylinux_2_17_x86_64`), but the target interpreter is CPython 3.12 "
        "on linux-x86_64")
    assert LINUX_312.describe_incompatibility("foo-1.0-py2-none-any.whl") == (
        "`foo-1.0-py2-none-any.whl` is built for Python 2 (`py2-none-any`), but the target "
        "interpreter is CPython 3.12 on linux-x86_64")


def test_wrong_platform():
    assert LINUX_312.describe_incompatibility("foo-1.0-cp312-cp312-win_amd64.whl") == (
        "`foo-1.0-cp312-cp312-win_amd64.whl` is built for Windows x86-64 "
        "(`cp312-cp312-win_amd64`), but the target interpreter is CPython 3.12 on "
        "linux-x86_64 with glibc 2.39")
    assert LINUX_312.describe_incompatibility(
        "foo-1.0-cp312-cp312-manylinux_2_40_x86_64.whl") == (
        "`foo-1.0-cp312-cp312-manylinux_2_40_x86_64.whl` is built for Linux x86-64 with "
        "glibc 2.40+ (`cp312-cp312-manylinux_2_40_x86_64`), but the target interpreter is "
        "CPython 3.12 on linux-x86_64 with glibc 2.39")
    assert LINUX_312.describe_incompatibility(
        "foo-1.0-cp38-abi3-macosx_10_9_x86_64.macosx_11_0_arm64.whl") == (
        "`foo-1.0-cp38-abi3-macosx_10_9_x86_64.macosx_11_0_arm64.whl` is built for "
        "macOS 10.9+ x86-64 or macOS 11.0+ ARM64 "
        "(`cp38-abi3-macosx_10_9_x86_64.macosx_11_0_arm64`), but the target interpreter is "
        "CPython 3.12 on linux-x86_64 with glibc 2.39")


def test_wrong_abi():
    free_threaded = target(python_version=(3, 13), glibc="2.39", abiflags="t",
                           gil_disabled=True)
    assert free_threaded.describe_incompatibility(
        "foo-1.0-cp313-cp313-manylinux_2_17_x86_64.whl") == (
        "`foo-1.0-cp313-cp313-manylinux_2_17_x86_64.whl` is built for the `cp313` ABI "
        "(`cp313-cp313-manylinux_2_17_x86_64`), but the target interpreter is CPython 3.13 "
        "(free-threaded) on linux-x86_64, whose ABI is `cp313t`")
    assert free_threaded.describe_incompatibility(
        "foo-1.0-cp39-abi3-manylinux_2_17_x86_64.whl").startswith(
        "`foo-1.0-cp39-abi3-manylinux_2_17_x86_64.whl` is built for the `abi3` ABI")


def test_no_obvious_reason_names_the_tags_and_an_example():
    assert LINUX_312.describe_incompatibility("foo-1.0-cp312-abi3-any.whl") == (
        "`foo-1.0-cp312-abi3-any.whl` is built for `cp312-abi3-any`, but the target "
        "interpreter (CPython 3.12 on linux-x86_64) supports tags such as "
        "`cp312-cp312-manylinux_2_39_x86_64`")


def test_describing_what_is_not_an_incompatible_wheel():
    assert LINUX_312.describe_incompatibility("foo-1.0.tar.gz") == "`foo-1.0.tar.gz` is not a wheel"
    assert LINUX_312.describe_incompatibility("foo-py3-none-any.whl") == (
        "`foo-py3-none-any.whl` is not a valid wheel file name")
    assert LINUX_312.describe_incompatibility("foo-1.0-py3-none-any.whl") == (
        "`foo-1.0-py3-none-any.whl` is compatible with the target interpreter "
        "(CPython 3.12 on linux-x86_64)")
