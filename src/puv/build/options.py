"""How to build: isolation, PEP 517 config settings, extra build requirements, `--no-build`.

`BuildOptions` is one frozen value per run, made by the command from its flags and the
settings (`BuildOptions.from_settings`): command-line values first, then `UV_*` variables,
then `[tool.uv]` (`no-build-isolation`, `no-build-isolation-package`, `config-settings`,
`config-settings-package`, `extra-build-dependencies`, `extra-build-variables`, `no-build`,
`no-build-package`), as uv merges them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from packaging.utils import NormalizedName, canonicalize_name

from puv.errors import SettingsError, UsageError
from puv.settings import env

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from puv.settings import Settings

__all__ = ["BuildOptions", "ConfigSettings", "parse_config_settings"]

# PEP 517 `config_settings`: a key given once is a string, a repeated key a list (as uv, pip).
ConfigSettings = Mapping[str, "str | list[str]"]


def parse_config_settings(values: Iterable[str], *, option: str = "--config-setting"
                          ) -> dict[str, str | list[str]]:
    """`-C key=value` arguments as a config settings mapping (a repeated key gives a list)."""
    settings: dict[str, str | list[str]] = {}
    for text in values:
        key, eq, value = text.partition("=")
        if not eq or not key:
            raise UsageError(f"invalid value '{text}' for '{option} <CONFIG_SETTING>': "
                             "Expected a key-value pair of the form `KEY=VALUE`")
        _add(settings, key, value)
    return settings


def _add(settings: dict[str, str | list[str]], key: str, value: str) -> None:
    old = settings.get(key)
    if old is None:
        settings[key] = value
    elif isinstance(old, list):
        old.append(value)
    else:
        settings[key] = [old, value]


def _table_settings(table: Mapping[str, Any], where: str) -> dict[str, str | list[str]]:
    settings: dict[str, str | list[str]] = {}
    for key, value in table.items():
        if isinstance(value, str):
            settings[key] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            settings[key] = list(value)
        else:
            raise SettingsError(f"Invalid value for `{where}.{key}`: expected a string or a "
                                "list of strings")
    return settings


def _names(values: Iterable[str]) -> frozenset[NormalizedName]:
    return frozenset(canonicalize_name(v) for v in values)


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    """What a run says about building (see the module docstring). Defaults: isolated builds,
    no config settings, building allowed."""

    no_build_isolation: bool = False
    no_build_isolation_package: frozenset[NormalizedName] = frozenset()
    config_settings: Mapping[str, str | list[str]] = field(default_factory=dict)
    config_settings_package: Mapping[NormalizedName, Mapping[str, str | list[str]]] = field(
        default_factory=dict)
    extra_build_dependencies: Mapping[NormalizedName, tuple[str, ...]] = field(
        default_factory=dict)
    extra_build_variables: Mapping[NormalizedName, Mapping[str, str]] = field(
        default_factory=dict)
    # `{ requirement = "torch", match-runtime = true }`: the build dependencies (by package)
    # pinned to the version the environment gets (`runtime_versions`, known when syncing a
    # lock; elsewhere the requirement is used as written).
    match_runtime: Mapping[NormalizedName, frozenset[NormalizedName]] = field(
        default_factory=dict)
    runtime_versions: Mapping[NormalizedName, str] = field(default_factory=dict)
    no_build: bool = False
    no_build_package: frozenset[NormalizedName] = frozenset()
    concurrent_builds: int | None = None

    def isolated(self, name: str | None) -> bool:
        """Whether `name` is built in an isolated environment (unknown names: the global
        setting)."""
        if self.no_build_isolation:
            return False
        return name is None or canonicalize_name(name) not in self.no_build_isolation_package

    def build_allowed(self, name: str | None) -> bool:
        """Whether building `name` from source is allowed (`--no-build[-package]`)."""
        if self.no_build:
            return False
        return name is None or canonicalize_name(name) not in self.no_build_package

    def settings_for(self, name: str | None) -> dict[str, str | list[str]]:
        """The config settings passed to `name`'s backend: the global ones, then the
        package's own (which win)."""
        merged: dict[str, str | list[str]] = {
            k: list(v) if isinstance(v, list) else v for k, v in self.config_settings.items()}
        if name is not None:
            merged.update(self.config_settings_package.get(canonicalize_name(name), {}))
        return merged

    def extra_requires(self, name: str | None) -> tuple[str, ...]:
        """The `extra-build-dependencies` of `name`, those marked `match-runtime` pinned to
        the runtime version when it is known."""
        if name is None:
            return ()
        package = canonicalize_name(name)
        matched = self.match_runtime.get(package, frozenset())
        out = []
        for text in self.extra_build_dependencies.get(package, ()):
            if matched:
                from packaging.requirements import Requirement

                requirement = Requirement(text)
                dependency = canonicalize_name(requirement.name)
                version = self.runtime_versions.get(dependency)
                if dependency in matched and version is not None:
                    marker = f"; {requirement.marker}" if requirement.marker else ""
                    text = f"{requirement.name}=={version}{marker}"
            out.append(text)
        return tuple(out)

    def variables(self, name: str | None) -> Mapping[str, str]:
        if name is None:
            return {}
        return self.extra_build_variables.get(canonicalize_name(name), {})

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        no_build_isolation: bool = False,
        no_build_isolation_package: Iterable[str] = (),
        config_settings: Iterable[str] = (),
        config_settings_package: Iterable[str] = (),
        no_build: bool = False,
        no_build_package: Iterable[str] = (),
        environ: Mapping[str, str] | None = None,
    ) -> BuildOptions:
        """Merge the command line (the keyword arguments: flags as given, `-C key=value`,
        `--config-settings-package PKG:KEY=VALUE`), `UV_*` variables and `[tool.uv]`."""
        options = settings.options

        def flag(cli: bool, var: str, key: str) -> bool:
            if cli:
                return True
            value = env.flag(var, environ)
            if value is not None:
                return value
            return bool(options.get(key, False))

        merged = _table_settings(options.get("config-settings", {}), "config-settings")
        for key, value in parse_config_settings(config_settings).items():
            merged[key] = value  # the command line wins over the file
        per_package: dict[NormalizedName, dict[str, str | list[str]]] = {}
        for name, table in dict(options.get("config-settings-package", {})).items():
            if not isinstance(table, dict):
                raise SettingsError(f"Invalid value for `config-settings-package.{name}`: "
                                    "expected a table")
            per_package[canonicalize_name(name)] = _table_settings(
                table, f"config-settings-package.{name}")
        for text in config_settings_package:
            package, colon, rest = text.partition(":")
            if not colon or not package:
                raise UsageError(f"invalid value '{text}' for '--config-settings-package "
                                 "<CONFIG_SETTINGS_PACKAGE>': Expected a value of the form "
                                 "`PACKAGE:KEY=VALUE`")
            table = per_package.setdefault(canonicalize_name(package), {})
            for key, value in parse_config_settings(
                    [rest], option="--config-settings-package").items():
                table[key] = value
        extra: dict[NormalizedName, tuple[str, ...]] = {}
        match_runtime: dict[NormalizedName, frozenset[NormalizedName]] = {}
        table = options.get("extra-build-dependencies", {})
        if not isinstance(table, dict):
            raise SettingsError("Invalid value for `extra-build-dependencies`: expected a table "
                                "of package names to lists of requirements")
        for name, requirements in table.items():
            if not isinstance(requirements, list):
                raise SettingsError(f"Invalid value for `extra-build-dependencies.{name}`: "
                                    "expected a list of requirements")
            texts = tuple(_extra_requirement(r, name) for r in requirements)
            names = [_requirement_name(text) for text in texts]  # each checked once, here
            extra[canonicalize_name(name)] = texts
            matched = frozenset(dependency for r, dependency in zip(requirements, names,
                                                                    strict=True)
                                if isinstance(r, dict) and r.get("match-runtime") is True)
            if matched:
                match_runtime[canonicalize_name(name)] = matched
        variables: dict[NormalizedName, dict[str, str]] = {}
        for name, table in dict(options.get("extra-build-variables", {})).items():
            if not isinstance(table, dict) or not all(
                    isinstance(v, str) for v in table.values()):
                raise SettingsError(f"Invalid value for `extra-build-variables.{name}`: "
                                    "expected a table of strings")
            variables[canonicalize_name(name)] = dict(table)
        return cls(
            no_build_isolation=flag(no_build_isolation, "UV_NO_BUILD_ISOLATION",
                                    "no-build-isolation"),
            no_build_isolation_package=_names([*no_build_isolation_package,
                                               *options.get("no-build-isolation-package", ())]),
            config_settings=merged,
            config_settings_package=per_package,
            extra_build_dependencies=extra,
            extra_build_variables=variables,
            match_runtime=match_runtime,
            no_build=flag(no_build, "UV_NO_BUILD", "no-build"),
            no_build_package=_names([*no_build_package, *env.words("UV_NO_BUILD_PACKAGE", environ),
                                     *options.get("no-build-package", ())]),
            concurrent_builds=settings.concurrent_builds,
        )


def _requirement_name(text: str) -> NormalizedName:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return canonicalize_name(Requirement(text).name)
    except InvalidRequirement as exc:
        raise SettingsError(f"Invalid requirement `{text}` in `extra-build-dependencies`: "
                            f"{exc}") from None


def _extra_requirement(value: object, name: str) -> str:
    """An `extra-build-dependencies` entry: a requirement string, or a table with one (and
    `match-runtime`, see `BuildOptions.match_runtime`)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("requirement"), str):
        return str(value["requirement"])
    raise SettingsError(f"Invalid value for `extra-build-dependencies.{name}`: expected "
                        "requirement strings or `{ requirement = \"...\" }` tables")
