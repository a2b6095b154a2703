"""An in-memory package universe and a `Provider` over it, for the solver's tests.

A universe is a dict: package name -> version -> either a list of requirement strings or a
dict in the test index's description format (what `tests/support/packse.py` makes of a packse
scenario): `requires`, `extras` (name -> requirements), `requires_python`, `yanked`,
`wheel_tags`, `wheel`, `sdist`.

The provider applies uv's default policy: newest first (or lowest), stable versions before
pre-releases (pre-releases only when no stable version is allowed, or with
`prereleases="allow"`; never with `"disallow"`), yanked versions only when the root pins them
with `==`, a wheel compatible with the target tags (or an sdist, unless `no_build`),
`Requires-Python` as a dependency on the virtual `Python` package.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.tags import parse_tag
from packaging.utils import canonicalize_name
from packaging.version import Version

from puv.core.ranges import Ranges
from puv.core.tags import TargetTags
from puv.resolver.pubgrub import (
    BaseProvider,
    Dependencies,
    Package,
    PythonKind,
    Unavailable,
    UnavailableKind,
)
from puv.resolver.pubgrub.requirements import dependencies

DEFAULT_PYTHON = "3.12"


def target_tags(python: str, platform: str = "linux-x86_64", glibc: str = "2.17") -> TargetTags:
    major, minor = (int(part) for part in python.split(".")[:2])
    return TargetTags(implementation="cpython", python_version=(major, minor), platform=platform,
                      glibc=glibc)


def environment(python: str) -> dict[str, str]:
    parts = python.split(".")
    full = python if len(parts) >= 3 else f"{python}.0"
    return {
        "python_version": ".".join(parts[:2]), "python_full_version": full,
        "implementation_name": "cpython", "implementation_version": full, "os_name": "posix",
        "platform_machine": "x86_64", "platform_python_implementation": "CPython",
        "platform_release": "", "platform_system": "Linux", "platform_version": "",
        "sys_platform": "linux",
    }


class FakeProvider(BaseProvider):
    """A `Provider` over an in-memory universe (see the module docstring)."""

    def __init__(self, universe: Mapping[str, Mapping[str, Any]], requires: Iterable[str], *,
                 python: str = DEFAULT_PYTHON, python_kind: PythonKind = PythonKind.TARGET,
                 prereleases: str = "if-necessary", lowest: bool = False,
                 tags: TargetTags | None = None, no_build: Iterable[str] = (),
                 no_binary: Iterable[str] = (), not_found_reason: UnavailableKind | None = None,
                 ) -> None:
        self.universe: dict[str, dict[Version, dict[str, Any]]] = {}
        for name, versions in universe.items():
            entries = self.universe.setdefault(canonicalize_name(name), {})
            for version, spec in versions.items():
                entries[Version(version)] = {"requires": spec} if isinstance(spec, list) else (
                    dict(spec or {}))
        self.sorted = {name: sorted(entries) for name, entries in self.universe.items()}
        self.requires = [Requirement(text) for text in requires]
        self.python = Version(python)
        self.python_kind = python_kind
        self.env = environment(python)
        self.prereleases = prereleases
        self.lowest = lowest
        self.tags = tags or target_tags(python)
        self.no_build = {canonicalize_name(name) for name in no_build}
        self.no_binary = {canonicalize_name(name) for name in no_binary}
        self.not_found_reason = not_found_reason or UnavailableKind.NOT_FOUND
        self.allowed_yanks = {
            (canonicalize_name(r.name), Version(s.version)) for r in self.requires
            for s in r.specifier if s.operator in ("==", "===") and "*" not in s.version
        }
        self.calls: list[tuple[str, str]] = []
        self.prefetched: list[list[str]] = []

    # -- Provider ---------------------------------------------------------------------------

    def choose_version(self, package: Package, allowed: Ranges) -> Version | Unavailable | None:
        self.calls.append(("choose_version", str(package)))
        if package.is_python:
            return self.python if allowed.contains(self.python) else None
        versions = self.sorted.get(package.name)
        if versions is None:
            return Unavailable(self.not_found_reason)
        ordered = versions if self.lowest else list(reversed(versions))
        candidates = [version for version in ordered if allowed.contains(version)]
        stable = [version for version in candidates if not version.is_prerelease]
        if self.prereleases == "allow":
            pool = candidates
        elif self.prereleases == "disallow":
            pool = stable
        else:
            pool = stable or candidates
        return pool[0] if pool else None

    def get_dependencies(self, package: Package, version: Version) -> Dependencies | Unavailable:
        self.calls.append(("get_dependencies", f"{package}=={version}"))
        if package.is_root:
            return self._dependencies(self.requires, extra="")
        if package.is_python:
            return Dependencies()
        spec = self.universe[package.name][version]
        problem = self._distribution_problem(package.name, version, spec)
        if problem is not None:
            return problem
        requires_python = spec.get("requires_python")
        if requires_python and not self._python_satisfies(requires_python):
            return Dependencies(((Package.python_package(self.python_kind),
                                  Ranges.from_specifiers(requires_python)),))
        if package.extra:
            extras = {canonicalize_name(k): v for k, v in (spec.get("extras") or {}).items()}
            texts = list(extras.get(package.extra, ()))
            texts += [t for t in spec.get("requires", ()) if "extra" in t]
            return self._dependencies([Requirement(t) for t in texts], extra=package.extra)
        texts = [t for t in spec.get("requires", ())]
        return self._dependencies([Requirement(t) for t in texts], extra="")

    def known_versions(self, package: Package) -> Sequence[Version] | None:
        if package.distribution is None:
            return None
        return self.sorted.get(package.name)

    def prefetch(self, pending: Sequence[tuple[Package, Ranges]]) -> None:
        self.prefetched.append([str(package) for package, _ in pending])

    # -- helpers ----------------------------------------------------------------------------

    def _dependencies(self, requirements: list[Requirement],
                      extra: str) -> Dependencies | Unavailable:
        return dependencies(self._applicable(requirements, extra))

    def _applicable(self, requirements: Iterable[Requirement], extra: str) -> list[Requirement]:
        """The requirements whose markers hold here (for an extra: only the extra's own)."""
        result: list[Requirement] = []
        for requirement in requirements:
            marker: Marker | None = requirement.marker
            if marker is not None:
                if not marker.evaluate({**self.env, "extra": extra}):
                    continue
                if extra and marker.evaluate({**self.env, "extra": ""}):
                    continue  # a base requirement, already the base package's
            result.append(requirement)
        return result

    def _python_satisfies(self, requires_python: str) -> bool:
        """uv ignores upper bounds: only the lower bound has to admit the interpreter."""
        lowest = Ranges.from_specifiers(requires_python).lowest()
        if lowest is None:
            return True
        return lowest.version < self.python or (lowest.inclusive and lowest.version == self.python)

    def _distribution_problem(self, name: str, version: Version,
                              spec: Mapping[str, Any]) -> Unavailable | None:
        if spec.get("yanked") and (name, version) not in self.allowed_yanks:
            reason = spec["yanked"] if isinstance(spec["yanked"], str) else ""
            return Unavailable(UnavailableKind.YANKED, reason)
        has_wheel = spec.get("wheel", True)
        has_sdist = spec.get("sdist", True)
        wheel_tags = list(spec.get("wheel_tags") or (["py3-none-any"] if has_wheel else []))
        compatible = [t for t in wheel_tags if self.tags.priority(t) is not None]
        if name in self.no_binary:
            if has_sdist:
                return None
            return Unavailable(UnavailableKind.NO_SOURCE_DISTRIBUTION, hints=(
                f"A source distribution is required for `{name}` because using pre-built "
                f"wheels is disabled for `{name}` (i.e., with `--no-binary-package {name}`)",))
        if compatible:
            return None
        if has_sdist and name not in self.no_build:
            return None
        if not wheel_tags:
            if name in self.no_build:
                return Unavailable(UnavailableKind.NO_USABLE_WHEELS, hints=(
                    f"Wheels are required for `{name}` because building from source is "
                    f"disabled for `{name}` (i.e., with `--no-build-package {name}`)",))
            return Unavailable(UnavailableKind.NO_DISTRIBUTIONS)
        return self._tag_problem(name, version, wheel_tags)

    def _tag_problem(self, name: str, version: Version, wheel_tags: list[str]) -> Unavailable:
        supported = self.tags.tags()
        interpreters = {tag.interpreter for tag in supported}
        abis = {(tag.interpreter, tag.abi) for tag in supported}
        parsed = [tag for text in wheel_tags for tag in parse_tag(text)]
        best = next((tag for tag in supported if tag.platform.startswith("manylinux")),
                    supported[0])
        python_tag = f"cp{self.tags.python_version[0]}{self.tags.python_version[1]}"
        label = f"CPython {self.tags.python_version[0]}.{self.tags.python_version[1]}"
        if not any(tag.interpreter in interpreters for tag in parsed):
            found = sorted({tag.interpreter for tag in parsed})
            noun = "tag" if len(found) == 1 else "tags"
            return Unavailable(UnavailableKind.INCOMPATIBLE_WHEEL_TAG, "python", python_tag, hints=(
                f"You require {label} (`{python_tag}`), but we only found wheels for `{name}` "
                f"(v{version}) with the following Python implementation {noun}: "
                + ", ".join(f"`{t}`" for t in found),))
        if not any((tag.interpreter, tag.abi) in abis for tag in parsed):
            found = sorted({tag.abi for tag in parsed if tag.abi != "none"})
            noun = "tag" if len(found) == 1 else "tags"
            return Unavailable(UnavailableKind.INCOMPATIBLE_WHEEL_TAG, "abi", python_tag, hints=(
                f"You require {label} (`{python_tag}`), but we only found wheels for `{name}` "
                f"(v{version}) with the following Python ABI {noun}: "
                + ", ".join(f"`{t}`" for t in found),))
        platforms = sorted({tag.platform for tag in parsed})
        noun = "platform" if len(platforms) == 1 else "platforms"
        return Unavailable(UnavailableKind.INCOMPATIBLE_WHEEL_TAG, "platform", best.platform,
                           hints=(f"Wheels are available for `{name}` (v{version}) on the "
                                  f"following {noun}: " + ", ".join(f"`{p}`" for p in platforms),))
