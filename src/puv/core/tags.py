"""Wheel compatibility tags (PEP 425, the platform compatibility tags specification): which
wheels a target interpreter can install, and in what order of preference.

The target need not be the running interpreter: `TargetTags` is built from plain facts (what
`puv.python._query` reports about an interpreter) and hands them to `packaging.tags`'
building blocks (`cpython_tags`, `generic_tags`, `compatible_tags`, `mac_platforms`) with
every parameter explicit, so nothing is read from the running process. For the running
interpreter the result is `list(packaging.tags.sys_tags())` (packaging 26.3, which orders
the native `linux_<arch>` tag before `manylinux` and `musllinux`); the tests check it.

What cannot be learnt without running code in the target is assumed, as uv does: a glibc
target runs every `manylinux` wheel its glibc allows (packaging would also ask an optional
`_manylinux` module in the target's environment), and a 32-bit ARM target is hard-float.
"""

from __future__ import annotations

import functools
import re

from packaging.tags import (
    INTERPRETER_SHORT_NAMES,
    Tag,
    compatible_tags,
    cpython_tags,
    generic_tags,
    mac_platforms,
    parse_tag,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from typing import Any

    from puv.core.marker_algebra import MarkerTree

__all__ = ["TargetTags", "wheel_platform_marker"]

_PRETTY_NAMES = {"cpython": "CPython", "pypy": "PyPy", "graalpy": "GraalPy"}

# Architectures packaging gives manylinux tags (besides i686 and armv7l, which it allows after
# checking the interpreter's ELF header: a target's header is not ours to read).
_MANYLINUX_ARCHS = {"x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x",
                    "loongarch64", "riscv64"}
_LEGACY_MANYLINUX = {(2, 17): "manylinux2014", (2, 12): "manylinux2010", (2, 5): "manylinux1"}
_LEGACY_GLIBC = {"manylinux2014": "2.17", "manylinux2010": "2.12", "manylinux1": "2.5"}
_LAST_GLIBC_MINOR = 50  # packaging's guess for a glibc major that has ended
_STABLE_ABIS = frozenset({"abi3", "abi3t"})
_EXPAND_LIMIT = 64  # a compressed tag set with more tags is matched by scanning ours


class TargetTags:
    """The wheel tags a target interpreter supports, best first.

    Immutable; the tag list and the lookup tables are computed on first use and kept.
    """

    __slots__ = ("_by_string", "_ranks", "_tags", "abiflags", "ext_suffix", "gil_disabled",
                 "glibc", "implementation", "machine", "macos_version", "musl", "platform",
                 "pointer_size", "python_version", "soabi")

    implementation: str
    python_version: tuple[int, int]
    abiflags: str
    gil_disabled: bool
    soabi: str | None
    ext_suffix: str | None
    platform: str
    glibc: str | None
    musl: str | None
    pointer_size: int
    machine: str | None
    macos_version: tuple[int, int] | None
    _tags: tuple[Tag, ...] | None
    _ranks: dict[Tag, int] | None
    _by_string: dict[str, int | None]

    def __init__(self, *, implementation: str, python_version: tuple[int, int],
                 platform: str, abiflags: str = "", gil_disabled: bool = False,
                 soabi: str | None = None, ext_suffix: str | None = None,
                 glibc: str | None = None, musl: str | None = None, pointer_size: int = 64,
                 machine: str | None = None,
                 macos_version: tuple[int, int] | None = None) -> None:
        """`platform` is `sysconfig.get_platform()`; `machine` is `platform.machine()` and
        `macos_version` the running macOS release (both only read on macOS, where the
        sysconfig platform names the build's deployment target, not the system)."""
        facts = {
            "implementation": implementation.lower(),
            "python_version": (int(python_version[0]), int(python_version[1])),
            "platform": platform,
            "abiflags": abiflags,
            "gil_disabled": bool(gil_disabled),
            "soabi": soabi,
            "ext_suffix": ext_suffix,
            "glibc": glibc,
            "musl": musl,
            "pointer_size": int(pointer_size),
            "machine": machine,
            "macos_version": macos_version,
            "_tags": None,
            "_ranks": None,
            "_by_string": {},
        }
        for name, value in facts.items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_interpreter_info(cls, info: Mapping[str, Any]) -> TargetTags:
        """The target described by an `Interpreter.info` dict (the query script's output)."""
        markers = info.get("markers") or {}
        platform = str(info["platform"])
        macos_version = None
        if platform.startswith("macosx-"):
            macos_version = _macos_version(str(markers.get("platform_release") or ""),
                                           platform)
        return cls(
            implementation=str(info["implementation"]),
            python_version=(int(info["version"][0]), int(info["version"][1])),
            platform=platform,
            abiflags=str(info.get("abiflags") or ""),
            gil_disabled=bool(info.get("gil_disabled")),
            soabi=info.get("soabi") or None,
            ext_suffix=info.get("ext_suffix") or None,
            glibc=info.get("glibc") or None,
            musl=info.get("musl") or None,
            pointer_size=int(info.get("pointer_size") or 64),
            machine=markers.get("platform_machine") or None,
            macos_version=macos_version,
        )

    # Immutability, equality and hashing over the facts (never the caches).

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"TargetTags is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"TargetTags is immutable: cannot delete {name!r}")

    def _facts(self) -> tuple[object, ...]:
        return (self.implementation, self.python_version, self.platform, self.abiflags,
                self.gil_disabled, self.soabi, self.ext_suffix, self.glibc, self.musl,
                self.pointer_size, self.machine, self.macos_version)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TargetTags):
            return NotImplemented
        return self._facts() == other._facts()

    def __hash__(self) -> int:
        return hash(self._facts())

    def __repr__(self) -> str:
        return f"TargetTags({self.description()!r})"

    # What the target supports.

    def description(self) -> str:
        """`CPython 3.12 on linux-x86_64`: how messages name the target."""
        name = _PRETTY_NAMES.get(self.implementation, self.implementation)
        major, minor = self.python_version
        threading = " (free-threaded)" if self.gil_disabled else ""
        return f"{name} {major}.{minor}{threading} on {self.platform}"

    def platforms(self) -> tuple[str, ...]:
        """The platform tags the target supports, best first (without `any`)."""
        return tuple(self._platforms())

    def tags(self) -> tuple[Tag, ...]:
        """Every tag the target supports, best first: what `packaging.tags.sys_tags()` would
        yield if it ran in the target."""
        if self._tags is None:
            object.__setattr__(self, "_tags", tuple(self._generate()))
        assert self._tags is not None
        return self._tags

    def priority(self, tags_of_a_wheel: Iterable[Tag] | str) -> int | None:
        """The rank of a wheel's best tag (0 is the target's favourite), or `None` when the
        target supports none of them. `tags_of_a_wheel` is a set of tags (`DistFilename.tags`)
        or a wheel file name's tag triple as written, compressed sets included
        (`py2.py3-none-any`); the answer for a string is kept, as an index page repeats the
        same few triples across thousands of files."""
        ranks = self._ranks if self._ranks is not None else self._build_ranks()
        if isinstance(tags_of_a_wheel, str):
            try:
                return self._by_string[tags_of_a_wheel]
            except KeyError:
                best = self._string_priority(tags_of_a_wheel, ranks)
                self._by_string[tags_of_a_wheel] = best
                return best
        best = None
        for tag in tags_of_a_wheel:
            rank = ranks.get(tag)
            if rank is not None and (best is None or rank < best):
                best = rank
        return best

    def describe_incompatibility(self, filename: str) -> str:
        """One sentence saying why the target cannot install the wheel `filename`, naming the
        Python version, ABI or platform the wheel is built for when one of them is the
        obvious culprit."""
        if not filename.endswith(".whl"):
            return f"`{filename}` is not a wheel"
        parts = filename[:-4].split("-")
        if len(parts) not in (5, 6):
            return f"`{filename}` is not a valid wheel file name"
        tag_string = "-".join(parts[-3:])
        try:
            wheel_tags = parse_tag(tag_string)
        except ValueError:
            return f"`{filename}` has invalid compatibility tags (`{tag_string}`)"
        if self.priority(wheel_tags) is not None:
            return f"`{filename}` is compatible with the target interpreter " \
                   f"({self.description()})"

        supported = self.tags()
        interpreters = {tag.interpreter for tag in wheel_tags}
        abis = {tag.abi for tag in wheel_tags}
        platforms = {tag.platform for tag in wheel_tags}
        supported_interpreters = {tag.interpreter for tag in supported}
        # Interpreters the target supports for more than an older version's stable ABI
        # (`cp39` is in a 3.12's tags only as `cp39-abi3-*`).
        exact_interpreters = {tag.interpreter for tag in supported
                              if tag.abi not in _STABLE_ABIS}
        pairs = {(tag.interpreter, tag.abi) for tag in supported}
        pair_ok = any((tag.interpreter, tag.abi) in pairs for tag in wheel_tags)
        version_bad = not pair_ok and (
            not interpreters & supported_interpreters
            or (not interpreters & exact_interpreters and not abis & _STABLE_ABIS))
        abi_bad = not pair_ok and not version_bad
        platform_bad = not platforms & ({tag.platform for tag in supported} | {"any"})

        built_for = []
        if version_bad:
            built_for.append(_join(sorted(_describe_interpreter(i) for i in interpreters)))
        elif abi_bad:
            built_for.append(_join(sorted(f"the `{abi}` ABI" for abi in abis)))
        if platform_bad:
            platform_text = _join(sorted({_describe_platform(p) for p in platforms}))
            built_for.append(f"on {platform_text}" if built_for else platform_text)
        if not built_for:
            return (f"`{filename}` is built for `{tag_string}`, but the target interpreter "
                    f"({self.description()}) supports tags such as `{self._example()}`")
        target = self.description()
        if platform_bad:
            target += self._platform_detail()
        message = (f"`{filename}` is built for {' '.join(built_for)} (`{tag_string}`), but the "
                   f"target interpreter is {target}")
        if abi_bad and supported:
            message += f", whose ABI is `{supported[0].abi}`"
        return message

    # Computing the tags.

    def _generate(self) -> Iterator[Tag]:
        platforms = list(self._platforms())
        version = self.python_version
        nodot = f"{version[0]}{version[1]}"
        if self.implementation == "cpython":
            yield from cpython_tags(version, self._cpython_abis(), platforms)
            interpreter: str | None = f"cp{nodot}"
        else:
            name = INTERPRETER_SHORT_NAMES.get(self.implementation) or self.implementation
            yield from generic_tags(f"{name}{nodot}", self._generic_abis(), platforms)
            interpreter = "pp3" if name == "pp" else None
        yield from compatible_tags(version, interpreter, platforms)

    def _cpython_abis(self) -> list[str]:
        """As packaging's `_cpython_abis`, from the target's ABI flags: `cp312`,
        `cp313t`, a debug build's `cp312d` then `cp312`, an old `cp37m`."""
        version = self.python_version
        nodot = f"{version[0]}{version[1]}"
        threading = "t" if version >= (3, 13) and self.gil_disabled else ""
        # Windows has no `sys.abiflags` (before 3.14); its debug builds load `_d.pyd` files.
        debug = "d" if "d" in self.abiflags or (self.ext_suffix or "").startswith("_d.") else ""
        if version < (3, 8):
            flags = self.abiflags.replace("d", "").replace("t", "")
            if not flags and self.platform.startswith("win"):
                flags = "m"  # packaging assumes pymalloc when the build does not say
            return [f"cp{nodot}{threading}{debug}{flags}"]
        if debug:
            # A debug build also loads ordinary extension modules.
            return [f"cp{nodot}{threading}{debug}", f"cp{nodot}{threading}"]
        return [f"cp{nodot}{threading}"]

    def _generic_abis(self) -> list[str]:
        """As packaging's `_generic_abi`, from the extension module suffix:
        `.pypy310-pp73-x86_64-linux-gnu.so` gives `pypy310_pp73`."""
        if self.ext_suffix and self.ext_suffix.startswith("."):
            parts = self.ext_suffix.split(".")
            if len(parts) < 3:
                return self._cpython_abis()
            soabi = parts[1]
        else:
            soabi = self.soabi or ""
        if soabi.startswith("cpython"):
            abi = "cp" + soabi.split("-")[1] if "-" in soabi else soabi
        elif soabi.startswith("cp"):
            abi = soabi.split("-")[0]
        elif soabi.startswith("pypy"):
            abi = "-".join(soabi.split("-")[:2])
        elif soabi.startswith("graalpy"):
            abi = "-".join(soabi.split("-")[:3])
        elif soabi:
            abi = soabi
        else:
            return []
        return [_normalize(abi)]

    def _platforms(self) -> Iterator[str]:
        platform = self.platform
        if platform.startswith("linux-"):
            yield from self._linux_platforms()
        elif platform.startswith("macosx-"):
            yield from self._mac_platforms()
        else:
            # Windows (`win_amd64`, `win32`, `win_arm64`) and everything else: the sysconfig
            # platform itself.
            yield _normalize(platform)

    def _linux_platforms(self) -> Iterator[str]:
        arch = _normalize(self.platform).split("_", 1)[1]
        if self.pointer_size == 32:
            # A 32-bit interpreter on a 64-bit kernel reports the kernel's architecture.
            arch = {"x86_64": "i686", "aarch64": "armv8l"}.get(arch, arch)
        archs = ["armv8l", "armv7l"] if arch == "armv8l" else [arch]
        for each in archs:
            yield f"linux_{each}"
        glibc = _major_minor(self.glibc)
        if glibc is not None and any(each in _MANYLINUX_ARCHS for each in archs):
            oldest = (2, 5) if {"x86_64", "i686"} & set(archs) else (2, 17)
            # glibc keeps compatibility across major versions: the last minor of each older
            # major counts too (packaging guesses it).
            maxima = [glibc] + [(major, _LAST_GLIBC_MINOR) for major in range(glibc[0] - 1, 1, -1)]
            for each in archs:
                for major, top in maxima:
                    bottom = oldest[1] if major == oldest[0] else 0
                    for minor in range(top, bottom - 1, -1):
                        yield f"manylinux_{major}_{minor}_{each}"
                        legacy = _LEGACY_MANYLINUX.get((major, minor))
                        if legacy is not None:
                            yield f"{legacy}_{each}"
        musl = _major_minor(self.musl)
        if musl is not None:
            for each in archs:
                for minor in range(musl[1], -1, -1):
                    yield f"musllinux_{musl[0]}_{minor}_{each}"

    def _mac_platforms(self) -> Iterator[str]:
        # `macosx-10.9-universal2`: the build's deployment target and architectures. What a
        # wheel needs is the system's version and the machine's architecture.
        _, target, build_arch = self.platform.split("-", 2)
        version = self.macos_version or _major_minor(target) or (10, 9)
        arch = self.machine or build_arch
        if self.pointer_size == 32:
            arch = "ppc" if arch.startswith("ppc") else "i386"
        return mac_platforms(version, arch)

    def _build_ranks(self) -> dict[Tag, int]:
        ranks: dict[Tag, int] = {}
        for rank, tag in enumerate(self.tags()):
            ranks.setdefault(tag, rank)
        object.__setattr__(self, "_ranks", ranks)
        return ranks

    def _string_priority(self, tag_string: str, ranks: dict[Tag, int]) -> int | None:
        components = tag_string.lower().split("-")
        if len(components) != 3:
            return None
        interpreters, abis, platforms = (component.split(".") for component in components)
        if len(interpreters) * len(abis) * len(platforms) <= _EXPAND_LIMIT:
            return self.priority(Tag(interpreter, abi, platform) for interpreter in interpreters
                                 for abi in abis for platform in platforms)
        # A huge compressed set (a hostile file name): look for our first tag in it instead.
        wanted = (set(interpreters), set(abis), set(platforms))
        for tag in self.tags():
            if (tag.interpreter in wanted[0] and tag.abi in wanted[1]
                    and tag.platform in wanted[2]):
                return ranks[tag]
        return None

    # Describing.

    def _example(self) -> str:
        """A tag to show in messages: the best one, passing over `linux_<arch>` (no public
        index hosts such wheels) for the best `manylinux` or `musllinux` one."""
        tags = self.tags()
        for tag in tags:
            if not tag.platform.startswith("linux_"):
                return str(tag)
        return str(tags[0]) if tags else "none"

    def _platform_detail(self) -> str:
        if self.platform.startswith("linux-"):
            if self.glibc:
                return f" with glibc {self.glibc}"
            if self.musl:
                return f" with musl {self.musl}"
        if self.platform.startswith("macosx-") and self.macos_version:
            return f" (macOS {self.macos_version[0]}.{self.macos_version[1]})"
        return ""


def _normalize(text: str) -> str:
    return text.replace(".", "_").replace("-", "_").replace(" ", "_")


def _major_minor(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    match = re.match(r"(\d+)\.(\d+)", text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _macos_version(darwin_release: str, platform: str) -> tuple[int, int] | None:
    """The macOS release running Darwin `darwin_release` (`platform.release()`: `23.5.0` is
    macOS 14), or, failing that, the deployment target in the sysconfig platform (a lower
    bound). Only the major version matters from macOS 11 on: wheels name `X_0`."""
    match = re.match(r"(\d+)\.", darwin_release)
    if match:
        darwin = int(match.group(1))
        if darwin >= 25:
            return (darwin + 1, 0)  # Darwin 25 is macOS 26: Apple's versions follow the year
        if darwin >= 20:
            return (darwin - 9, 0)
        if darwin >= 5:
            return (10, darwin - 4)
    return _major_minor(platform.split("-")[1]) if platform.count("-") >= 2 else None


_ARCHES = {"x86_64": "x86-64", "amd64": "x86-64", "i686": "x86", "i386": "x86",
           "aarch64": "ARM64", "arm64": "ARM64"}


def _describe_platform(platform: str) -> str:
    """`Windows x86-64`, `macOS 11.0+ ARM64`, `Linux x86-64 with glibc 2.17+`..."""
    if platform == "win32":
        return "Windows x86"
    if platform.startswith("win_"):
        arch = platform[4:]
        return f"Windows {_ARCHES.get(arch, arch)}"
    match = re.fullmatch(r"macosx_(\d+)_(\d+)_(\w+)", platform)
    if match:
        arch = match.group(3)
        return f"macOS {match.group(1)}.{match.group(2)}+ {_ARCHES.get(arch, arch)}"
    match = re.fullmatch(r"(many|musl)linux_(\d+)_(\d+)_(\w+)", platform)
    if match:
        libc = "glibc" if match.group(1) == "many" else "musl"
        arch = match.group(4)
        return f"Linux {_ARCHES.get(arch, arch)} with {libc} {match.group(2)}.{match.group(3)}+"
    match = re.fullmatch(r"(manylinux2014|manylinux2010|manylinux1)_(\w+)", platform)
    if match:
        arch = match.group(2)
        return f"Linux {_ARCHES.get(arch, arch)} with glibc {_LEGACY_GLIBC[match.group(1)]}+"
    if platform.startswith("linux_"):
        arch = platform[6:]
        return f"Linux {_ARCHES.get(arch, arch)}"
    return f"`{platform}`"


def _describe_interpreter(interpreter: str) -> str:
    """`CPython 3.9`, `PyPy 3.10`, `Python 2`..."""
    match = re.fullmatch(r"(cp|pp|py|graalpy)(\d)(\d*)", interpreter)
    if not match:
        return f"`{interpreter}`"
    name = {"cp": "CPython", "pp": "PyPy", "py": "Python", "graalpy": "GraalPy"}[match.group(1)]
    version = match.group(2) + (f".{match.group(3)}" if match.group(3) else "")
    return f"{name} {version}"


def _join(items: list[str]) -> str:
    unique = list(dict.fromkeys(items))
    if len(unique) <= 2:
        return " or ".join(unique)
    return ", ".join(unique[:-1]) + " or " + unique[-1]


_MACHINES = {"x86_64": "x86_64", "aarch64": "aarch64", "i686": "i686", "armv7l": "armv7l",
             "ppc64le": "ppc64le", "s390x": "s390x", "ppc64": "ppc64", "riscv64": "riscv64"}


def wheel_platform_marker(filename: str, *, coarse: bool = False) -> MarkerTree:
    """The environments a wheel's platform tags can install on, as a marker (`any`: all;
    `win_amd64`: `sys_platform == 'win32' and platform_machine == 'AMD64'`; ...). `coarse`:
    the operating system only (`sys_platform == 'win32'`), as uv splits forks on wheel
    coverage."""
    return _platform_marker(filename[:-4].rsplit("-", 1)[-1], coarse)


@functools.lru_cache(maxsize=1024)
def _platform_marker(platform_tags: str, coarse: bool) -> MarkerTree:
    """`wheel_platform_marker` by the file name's platform tag (shared by many files)."""
    from puv.core.marker_algebra import FALSE, TRUE, MarkerTree

    platforms = platform_tags.split(".")
    result = FALSE
    for tag in platforms:
        if tag == "any":
            return TRUE
        text = None
        if tag.startswith("win"):
            machine = {"win32": "x86", "win_amd64": "AMD64", "win_arm64": "ARM64"}.get(tag)
            text = "sys_platform == 'win32'" + (
                f" and platform_machine == '{machine}'" if machine and not coarse else "")
        elif tag.startswith(("manylinux", "musllinux", "linux")):
            arch = next((m for m in _MACHINES if tag.endswith("_" + m)), None)
            text = "sys_platform == 'linux'" + (
                f" and platform_machine == '{arch}'" if arch and not coarse else "")
        elif tag.startswith("macosx"):
            arch = "arm64" if tag.endswith("_arm64") else "x86_64" if tag.endswith(
                "_x86_64") else None
            text = "sys_platform == 'darwin'" + (
                f" and platform_machine == '{arch}'" if arch and not coarse else "")
        if text is None:
            return TRUE  # a platform we do not know: keep the wheel
        result = result | MarkerTree(text)
    return result
