"""The environment a pip command resolves for: an interpreter, or another Python version
(`--python-version`) and platform (`--python-platform`), as uv's `resolution_markers` and
`resolution_tags` make them.

- `--python-version 3.9` keeps the interpreter's markers but sets `python_version` to `3.9`
  and `python_full_version` (and CPython's `implementation_version`) to the text as given;
  requirements (`Requires-Python`) are checked against that version, and wheels against its
  tags.
- `--python-platform` takes uv's target triples and their aliases (`linux` is
  `x86_64-unknown-linux-gnu`, `windows` is `x86_64-pc-windows-msvc`, `macos` is
  `aarch64-apple-darwin`): it sets the platform markers (`sys_platform`, `platform_system`,
  `platform_machine`, `os_name`, `platform_release`, `platform_version`) and the platform
  tags. A Linux triple assumes glibc 2.28 (`manylinux_2_28` and older; `*-manylinux_2_X`
  triples say which), musl triples musl 1.2, macOS 13.0 or `MACOSX_DEPLOYMENT_TARGET`.

`resolver_environment(interpreter, python_version=..., python_platform=...)` is what
`pip compile` and `pip install` call.
"""

from __future__ import annotations

import re

from puv.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from puv.core.tags import TargetTags
    from puv.python.interpreter import Interpreter
    from puv.resolver.resolution import ResolverEnvironment

__all__ = ["PLATFORMS", "Triple", "parse_python_version", "resolver_environment"]


class Triple:
    """One `--python-platform` value: its markers and what `TargetTags` needs."""

    __slots__ = ("glibc", "musl", "os_name", "platform", "platform_machine", "platform_release",
                 "platform_system", "platform_version", "pointer_size", "sys_platform")

    def __init__(self, *, platform: str, machine: str, system: str, sys_platform: str,
                 os_name: str = "posix", glibc: str | None = None, musl: str | None = None,
                 release: str = "", version: str = "", pointer_size: int = 64) -> None:
        self.platform = platform  # as `sysconfig.get_platform()` spells it
        self.platform_machine = machine
        self.platform_system = system
        self.sys_platform = sys_platform
        self.os_name = os_name
        self.glibc = glibc
        self.musl = musl
        self.platform_release = release
        self.platform_version = version
        self.pointer_size = pointer_size

    def markers(self, base: Mapping[str, str]) -> dict[str, str]:
        return {**base, "os_name": self.os_name, "platform_machine": self.platform_machine,
                "platform_system": self.platform_system, "sys_platform": self.sys_platform,
                "platform_release": self.platform_release,
                "platform_version": self.platform_version}


def _windows(arch: str, machine: str, pointer_size: int = 64) -> Triple:
    return Triple(platform=arch, machine=machine, system="Windows", sys_platform="win32",
                  os_name="nt", pointer_size=pointer_size)


def _linux(arch: str, glibc: str | None = "2.28", musl: str | None = None) -> Triple:
    return Triple(platform=f"linux-{arch}", machine=arch, system="Linux", sys_platform="linux",
                  glibc=glibc, musl=musl)


def _macos(arch: str) -> Triple:
    return Triple(platform=f"macosx-13.0-{arch}", machine=arch, system="Darwin",
                  sys_platform="darwin")


def _build_platforms() -> dict[str, Triple]:
    table: dict[str, Triple] = {
        "windows": _windows("win-amd64", "x86_64"),
        "linux": _linux("x86_64"),
        "macos": _macos("arm64"),
        "x86_64-pc-windows-msvc": _windows("win-amd64", "x86_64"),
        "aarch64-pc-windows-msvc": _windows("win-arm64", "ARM64"),
        "i686-pc-windows-msvc": _windows("win32", "x86", pointer_size=32),
        "x86_64-unknown-linux-gnu": _linux("x86_64"),
        "aarch64-apple-darwin": _macos("arm64"),
        "x86_64-apple-darwin": _macos("x86_64"),
        "aarch64-unknown-linux-gnu": _linux("aarch64"),
        "aarch64-unknown-linux-musl": _linux("aarch64", glibc=None, musl="1.2"),
        "x86_64-unknown-linux-musl": _linux("x86_64", glibc=None, musl="1.2"),
        "riscv64-unknown-linux": _linux("riscv64", glibc="2.39"),
    }
    for arch in ("x86_64", "aarch64"):
        table[f"{arch}-manylinux2014"] = _linux(arch, glibc="2.17")
        for minor in (17, 28, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40):
            table[f"{arch}-manylinux_2_{minor}"] = _linux(arch, glibc=f"2.{minor}")
    table["aarch64-linux-android"] = Triple(platform="android-24-arm64_v8a", machine="aarch64",
                                            system="Android", sys_platform="android")
    table["x86_64-linux-android"] = Triple(platform="android-24-x86_64", machine="x86_64",
                                           system="Android", sys_platform="android")
    table["wasm32-pyodide2024"] = Triple(platform="pyodide-2024-0-wasm32", machine="wasm32",
                                         system="Emscripten", sys_platform="emscripten",
                                         release="3.1.58", version="#1", pointer_size=32)
    table["wasm32-pyodide2025"] = Triple(platform="pyodide-2025-0-wasm32", machine="wasm32",
                                         system="Emscripten", sys_platform="emscripten",
                                         release="4.0.9", version="#1", pointer_size=32)
    table["arm64-apple-ios"] = Triple(platform="ios-13.0-arm64-iphoneos", machine="arm64",
                                      system="iOS", sys_platform="ios")
    table["arm64-apple-ios-simulator"] = Triple(platform="ios-13.0-arm64-iphonesimulator",
                                                machine="arm64", system="iOS",
                                                sys_platform="ios")
    table["x86_64-apple-ios-simulator"] = Triple(platform="ios-13.0-x86_64-iphonesimulator",
                                                 machine="x86_64", system="iOS",
                                                 sys_platform="ios")
    return table


# Every `--python-platform` value, in uv's order (its `--help` and error messages list them so).
PLATFORMS: dict[str, Triple] = _build_platforms()
# Other spellings uv accepts for the same triples.
ALIASES = {f"manylinux_2_{m}_{a}": f"{a}-manylinux_2_{m}" for a in ("x86_64", "aarch64")
           for m in (17, 28, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)}
ALIASES.update({"manylinux2014_x86_64": "x86_64-manylinux2014",
                "manylinux2014_aarch64": "aarch64-manylinux2014"})


def platform_choice(value: str) -> str:
    """The canonical name of a `--python-platform` value (an alias resolved), or the value
    unchanged when it is unknown (argparse's `choices` then refuses it)."""
    return ALIASES.get(value, value)


def parse_python_version(text: str) -> str:
    """A `--python-version` value (`3.12`, `3.12.1`), checked; a `UsageError` in uv's
    words otherwise. Use `check_supported` for the minimum version."""
    value = text.strip()
    match = re.fullmatch(r"(\d+)\.(\d+)(?:\.(\d+))?((?:a|b|rc)\d+)?", value)
    if match is None:
        why = f"Python version `{text}` could not be parsed"
        prefix = re.match(r"\d+(?:\.\d+)*", value)
        if prefix is not None and prefix.end() < len(value):
            why += (f": after parsing `{prefix.group()}`, found `{value[prefix.end():]}`, which "
                    "is not part of a valid version")
        raise UsageError(f"invalid value '{text}' for '--python-version <PYTHON_VERSION>': "
                         f"{why}")
    return value


def check_supported(python_version: str) -> None:
    """uv refuses to resolve for a Python older than 3.6."""
    major, minor = (int(part) for part in python_version.split(".")[:2])
    if (major, minor) < (3, 6):
        raise UsageError(f"Invalid version request: Python <3.6 is not supported but "
                         f"{python_version} was requested.")


def _macos_version() -> tuple[int, int]:
    from puv.settings import env

    target = env.string("MACOSX_DEPLOYMENT_TARGET")
    if target:
        parts = target.split(".")
        try:
            return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
        except ValueError:
            pass
    return 13, 0


def target_tags(interpreter: Interpreter, *, python_version: str | None,
                python_platform: str | None) -> TargetTags:
    """The wheel tags of the target: the interpreter's own, or those of another Python
    version and/or platform (the interpreter's implementation and ABI flags kept)."""
    from puv.core.tags import TargetTags

    if python_version is None and python_platform is None:
        return interpreter.tags()
    info = interpreter.info
    version = interpreter.version
    major_minor = (version.major, version.minor)
    if python_version is not None:
        parts = python_version.split(".")
        major_minor = (int(parts[0]), int(re.match(r"\d+", parts[1]).group()))  # type: ignore[union-attr]
    same_python = major_minor == (version.major, version.minor)
    facts: dict[str, object] = {
        "implementation": interpreter.implementation,
        "python_version": major_minor,
        "abiflags": str(info.get("abiflags") or ""),
        "gil_disabled": interpreter.gil_disabled,
        "soabi": (info.get("soabi") or None) if same_python else None,
        "ext_suffix": (info.get("ext_suffix") or None) if same_python else None,
    }
    if python_platform is None:
        base = TargetTags.from_interpreter_info(info)
        return TargetTags(**facts, platform=base.platform, glibc=base.glibc,  # type: ignore[arg-type]
                          musl=base.musl, pointer_size=base.pointer_size, machine=base.machine,
                          macos_version=base.macos_version)
    triple = PLATFORMS[platform_choice(python_platform)]
    macos = _macos_version() if triple.platform.startswith("macosx-") else None
    platform = triple.platform
    if macos is not None:
        platform = f"macosx-{macos[0]}.{macos[1]}-{platform.rsplit('-', 1)[1]}"
    return TargetTags(**facts, platform=platform, glibc=triple.glibc,  # type: ignore[arg-type]
                      musl=triple.musl, pointer_size=triple.pointer_size,
                      machine=triple.platform_machine if macos is not None else None,
                      macos_version=macos)


def target_markers(interpreter: Interpreter, *, python_version: str | None,
                   python_platform: str | None) -> dict[str, str]:
    """The marker environment of the target (see the module docstring)."""
    markers = dict(interpreter.markers)
    if python_platform is not None:
        markers = PLATFORMS[platform_choice(python_platform)].markers(markers)
    if python_version is not None:
        parts = python_version.split(".")
        if markers.get("implementation_name") == "cpython":
            markers["implementation_version"] = python_version
        markers["python_full_version"] = python_version
        markers["python_version"] = f"{parts[0]}.{re.match(r'[0-9]+', parts[1]).group()}"  # type: ignore[union-attr]
    return markers


def resolver_environment(interpreter: Interpreter, *, python_version: str | None = None,
                         python_platform: str | None = None) -> ResolverEnvironment:
    """The `ResolverEnvironment` for `interpreter`, or for the Python version and platform
    given instead (see the module docstring)."""
    from packaging.version import Version

    from puv.resolver.resolution import ResolverEnvironment

    installed = Version(str(interpreter.version))
    return ResolverEnvironment(
        markers=target_markers(interpreter, python_version=python_version,
                               python_platform=python_platform),
        python=Version(python_version) if python_version is not None else installed,
        tags=target_tags(interpreter, python_version=python_version,
                         python_platform=python_platform),
        installed_python=installed if python_version is not None else None,
    )
