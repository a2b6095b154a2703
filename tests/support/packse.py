"""Read packse resolver scenarios (``/work/shared/packse/scenarios/**.toml``) for the test index.

Usage::

    scenario = description_from_packse(path, overrides=PACKSE_DIR / "uv-differences.toml")
    with PackageIndex(scenario.packages) as index:
        ...  # resolve scenario.root_requires against index.url, compare to scenario.expected

Package names are kept exactly as the scenario file writes them.  packse's defaults differ from
the builder's: every version has both a wheel and an sdist unless it says otherwise.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the stdlib module's backport, a puv dependency on 3.10
    import tomli as tomllib

PACKSE_DIR = Path("/work/shared/packse")

# packse version keys the builder understands directly; "description" is documentation only.
_COPIED_KEYS = ("requires", "requires_python", "extras", "wheel_tags", "yanked", "sdist", "wheel")


@dataclass(frozen=True)
class PackseScenario:
    name: str
    summary: str  # the scenario's ``description`` text
    packages: dict[str, dict[str, dict[str, Any]]]  # a builder description
    root_requires: list[str]
    root_requires_python: str | None
    expected: dict[str, Any]  # ``satisfiable``, optional ``packages`` and ``explanation``
    resolver_options: dict[str, Any] = field(default_factory=dict)
    environment: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def description_from_packse(path: Path, *, overrides: Path | None = None) -> PackseScenario:
    """Load one scenario; ``overrides`` (``uv-differences.toml``) may replace its ``expected``."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    packages: dict[str, dict[str, dict[str, Any]]] = {}
    for name, package in data.get("packages", {}).items():
        versions = packages.setdefault(name, {})
        for version, spec in package.get("versions", {}).items():
            converted: dict[str, Any] = {"sdist": True, "wheel": True}
            converted.update({k: spec[k] for k in _COPIED_KEYS if k in spec})
            unknown = set(spec) - set(_COPIED_KEYS) - {"description"}
            if unknown:
                raise ValueError(f"{path}: {name} {version}: unsupported keys {sorted(unknown)}")
            versions[version] = converted

    expected = dict(data.get("expected", {}))
    if overrides is not None:
        table = tomllib.loads(Path(overrides).read_text(encoding="utf-8")).get("override", {})
        if data["name"] in table:
            expected = dict(table[data["name"]])

    root = data.get("root", {})
    return PackseScenario(
        name=data["name"],
        summary=data.get("description", "").strip(),
        packages=packages,
        root_requires=list(root.get("requires", [])),
        root_requires_python=root.get("requires_python"),
        expected=expected,
        resolver_options=dict(data.get("resolver_options", {})),
        environment=dict(data.get("environment", {})),
        path=Path(path),
    )


def packse_scenarios(directory: Path = PACKSE_DIR / "scenarios") -> list[Path]:
    """All scenario files under ``directory``, sorted."""
    return sorted(Path(directory).rglob("*.toml"))
