"""The resolver and build settings: how to choose versions, what may be built, what constrains
the resolution, merged from the command line, `UV_*` variables and the configuration files.

Precedence, highest first, as uv merges them: the command line, then the environment variable,
then (for the pip interface only) `[tool.uv.pip]`, then `[tool.uv]` (project over user over
system, already merged by `load_settings`). Lists are concatenated in that order.

Words (`resolution`, `prerelease`) are checked here for the environment; the files are checked
by `schema.py` and the command line by argparse. `exclude-newer` values are parsed here for
every source: an RFC 3339 timestamp, a date (`2024-01-01`: everything uploaded on that day, in
the local time zone, counts, as uv reads it), a duration (`1 week`, `24 hours`, `P7D`) counted
back from now, or `false` (no cut-off).
"""

from __future__ import annotations

import re

from puv.errors import SettingsError
from puv.settings import env

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any

__all__ = [
    "PRERELEASE_MODES",
    "RESOLUTION_MODES",
    "ResolverFields",
    "package_specifiers",
    "parse_exclude_newer",
    "resolver_fields",
]

RESOLUTION_MODES = ("highest", "lowest", "lowest-direct")
FORK_STRATEGIES = ("requires-python", "fewest")
PRERELEASE_MODES = ("disallow", "allow", "if-necessary", "explicit", "if-necessary-or-explicit")

_EXCLUDE_NEWER_EXPECTED = ("expected a date like `2024-01-01`, a timestamp like "
                           "`2024-01-01T00:00:00Z`, or a duration like `3 days` or `P3D`")

# Friendly duration units (jiff's names), in seconds; months and years are refused, as uv does.
_UNITS: dict[str, float] = {}
for _spellings, _seconds in (
    (("s", "sec", "secs", "second", "seconds"), 1),
    (("m", "min", "mins", "minute", "minutes"), 60),
    (("h", "hr", "hrs", "hour", "hours"), 3600),
    (("d", "day", "days"), 86400),
    (("w", "wk", "wks", "week", "weeks"), 7 * 86400),
    (("mo", "mos", "month", "months"), -30.0),
    (("y", "yr", "yrs", "year", "years"), -365.0),
):
    for _spelling in _spellings:
        _UNITS[_spelling] = _seconds
# A friendly unit's letter in an ISO 8601 span (dates upper case, times lower case here).
_SPAN_UNITS = {spelling: letter for spellings, letter in (
    (("s", "sec", "secs", "second", "seconds"), "s"),
    (("m", "min", "mins", "minute", "minutes"), "m"),
    (("h", "hr", "hrs", "hour", "hours"), "h"),
    (("d", "day", "days"), "D"),
    (("w", "wk", "wks", "week", "weeks"), "W"),
) for spelling in spellings}
_FRIENDLY = re.compile(r"\s*(\d+)\s*([a-z]+)\s*,?", re.IGNORECASE)
_ISO = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
                  r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", re.IGNORECASE)


def _duration_seconds(text: str) -> float | None:
    """The length of a friendly (`1 week 2 days`, `24h`) or ISO 8601 (`P7D`, `PT24H`)
    duration in seconds; `None` when `text` is neither. Months and years raise `ValueError`
    with uv's advice (a duration counts fixed days)."""
    body = text.strip()
    sign_less = body.lstrip("+-").strip()
    if sign_less[:1] in ("P", "p"):
        match = _ISO.fullmatch(sign_less)
        if match is None or not any(match.groups()) or sign_less.upper().endswith("T"):
            raise ValueError(f"`{text}` could not be parsed as an ISO 8601 duration")
        years, months, weeks, days, hours, minutes, seconds = match.groups()
        units = {"years": years, "months": months}
        total = (int(weeks or 0) * 7 * 86400 + int(days or 0) * 86400
                 + int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0))
        _refuse_calendar_units(text, int(units["years"] or 0), int(units["months"] or 0),
                               total)
        return total
    if sign_less.endswith(" ago"):
        sign_less = sign_less[:-4]
    position = 0
    total = 0.0
    years = months = 0
    parts = 0
    while position < len(sign_less):
        match = _FRIENDLY.match(sign_less, position)
        if match is None:
            if parts or (sign_less[:1].isdigit() and re.match(r"\d+\s*[a-z]", sign_less, re.I)):
                raise ValueError(f"`{text}` could not be parsed as a duration")
            return None
        number, unit = int(match.group(1)), match.group(2).lower()
        seconds = _UNITS.get(unit)
        if seconds is None:
            raise ValueError(f"`{text}` could not be parsed as a duration: unknown unit "
                             f"`{match.group(2)}`")
        if seconds == -365.0:
            years += number
        elif seconds == -30.0:
            months += number
        else:
            total += number * seconds
        parts += 1
        position = match.end()
    if not parts:
        return None
    _refuse_calendar_units(text, years, months, total)
    return total


def _refuse_calendar_units(text: str, years: int, months: int, rest: float) -> None:
    import math

    days = rest / 86400 + months * 30 + years * 365
    if years:
        whole = math.ceil(days / 365)
        raise ValueError(f"Duration `{text}` uses unit 'years' which is not allowed; use days "
                         f"instead, e.g., `{whole * 365} days`.")
    if months:
        whole = math.ceil(days / 30)
        raise ValueError(f"Duration `{text}` uses 'months' which is not allowed; use days "
                         f"instead, e.g., `{whole * 30} days`.")


def parse_exclude_newer(text: str, *, now: float | None = None) -> float | None:
    """An `exclude-newer` value as a POSIX timestamp (files uploaded at or after it are
    ignored), `None` for `false`. Raises `ValueError` with uv's explanation."""
    import datetime
    import time

    value = text.strip()
    if value.lower() == "false":
        return None
    if "T" in value.upper() and re.match(r"\d{4}-\d{2}-\d{2}[Tt ]", value):
        candidate = value[:-1] + "+00:00" if value[-1:] in ("Z", "z") else value
        try:
            parsed = datetime.datetime.fromisoformat(candidate)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed.timestamp()
        if parsed is not None:
            raise ValueError(f"`{text}` could not be parsed as a valid exclude-newer value "
                             f"(a timestamp needs a time zone, e.g. `Z`; {_EXCLUDE_NEWER_EXPECTED})")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError as exc:
            why = str(exc)
            if not 1 <= int(value[5:7]) <= 12:
                why = ("failed to parse two digit integer as month: parameter 'month' is not in "
                       "the required range of 1..=12")
            raise ValueError(f"`{text}` could not be parsed as a valid date: {why}") from None
        # The whole day counts: the cut-off is the next midnight, local time (as uv).
        after = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
        return after.timestamp()
    if re.match(r"\d{4}-", value):
        raise ValueError(f"`{text}` could not be parsed as a valid date")
    seconds = _duration_seconds(value)
    if seconds is not None:
        return (time.time() if now is None else now) - abs(seconds)
    raise ValueError(f"`{text}` could not be parsed as a valid exclude-newer value "
                     f"({_EXCLUDE_NEWER_EXPECTED})")


def package_specifiers(values: Iterable[str]) -> tuple[bool, tuple[str, ...]]:
    """pip's `--no-binary` / `--only-binary` values (`:all:`, `:none:`, names, commas allowed)
    as (every package, the named ones). `:none:` clears what came before it."""
    every = False
    names: list[str] = []
    for value in values:
        for part in value.split(","):
            word = part.strip()
            if not word:
                continue
            if word == ":all:":
                every = True
            elif word == ":none:":
                every = False
                names.clear()
            else:
                names.append(_canonical(word))
    return every, tuple(dict.fromkeys(names))


class ResolverFields:
    """What `resolver_fields` returns: the values `Settings` keeps (see its docstring)."""

    __slots__ = ("build_constraint_dependencies", "build_constraints", "config_settings",
                 "constraint_dependencies", "constraints", "dependency_metadata",
                 "exclude_dependencies", "exclude_newer", "exclude_newer_package",
                 "exclude_newer_span", "fork_strategy", "no_binary", "no_binary_package", "no_build",
                 "no_build_isolation", "no_build_isolation_package", "no_build_package",
                 "no_sources", "override_dependencies", "overrides", "prerelease",
                 "resolution", "upgrade", "upgrade_package")

    def __init__(self, **values: Any) -> None:
        for name in self.__slots__:
            setattr(self, name, values[name])

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


def _canonical(name: str) -> str:
    """PEP 503 normalization (`packaging` stays out of start-up: this module is on every
    command's path)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_canonical(v) for v in values))


def _check_word(name: str, value: str | None, words: Sequence[str]) -> str | None:
    if value is not None and value not in words:
        listed = ", ".join(f"`{w}`" for w in words)
        raise SettingsError(f"Invalid value for `{name}`: expected one of {listed}, "
                            f"found `{value}`")
    return value


def resolver_fields(
    cli: Any,
    options: Mapping[str, Any],
    environ: Mapping[str, str],
    *,
    pip: bool,
    where: Callable[[str], str],
) -> ResolverFields:
    """Merge the resolver and build settings (see the module docstring). `cli` is a
    `CliSettings`; `where(key)` names the file (and line) a file key came from, for errors."""
    pip_table: Mapping[str, Any] = options.get("pip", {}) if pip else {}

    def scalar(cli_value: Any, env_value: Any, key: str, default: Any) -> Any:
        for value in (cli_value, env_value, pip_table.get(key), options.get(key)):
            if value is not None:
                return value
        return default

    def listed(cli_values: Iterable[str], env_values: Iterable[str], key: str) -> list[Any]:
        return [*cli_values, *env_values, *pip_table.get(key, ()), *options.get(key, ())]

    resolution = scalar(cli.resolution, _check_word(
        "UV_RESOLUTION", env.string("UV_RESOLUTION", environ), RESOLUTION_MODES),
        "resolution", "highest")
    prerelease = scalar(cli.prerelease, _check_word(
        "UV_PRERELEASE", env.string("UV_PRERELEASE", environ), PRERELEASE_MODES),
        "prerelease", "if-necessary-or-explicit")

    exclude_newer, exclude_newer_span = _exclude_newer(cli.exclude_newer, environ, pip_table,
                                                       options, where)
    exclude_newer_package = _exclude_newer_package(
        getattr(cli, "exclude_newer_package", ()), options, where)
    fork_strategy = scalar(getattr(cli, "fork_strategy", None), _check_word(
        "UV_FORK_STRATEGY", env.string("UV_FORK_STRATEGY", environ), FORK_STRATEGIES),
        "fork-strategy", "requires-python")

    # `--no-build`, `--only-binary` (pip's spelling of "no builds"), `no-build-package`.
    only_binary_all, only_binary = package_specifiers(
        [*cli.only_binary, *pip_table.get("only-binary", ())])
    no_build_flag = scalar(cli.no_build, env.flag("UV_NO_BUILD", environ), "no-build", False)
    no_build = bool(no_build_flag) or only_binary_all
    no_build_package = _names([*only_binary, *cli.no_build_package,
                               *env.words("UV_NO_BUILD_PACKAGE", environ),
                               *options.get("no-build-package", ())])

    # `--no-binary` (pip's specifiers, or uv's boolean) and `no-binary-package`.
    no_binary_all, no_binary_named = package_specifiers(
        [*cli.no_binary, *pip_table.get("no-binary", ())])
    env_no_binary = env.flag("UV_NO_BINARY", environ)
    top_no_binary = options.get("no-binary")
    no_binary = no_binary_all or bool(env_no_binary) or (
        env_no_binary is None and bool(top_no_binary))
    no_binary_package = _names([*no_binary_named, *cli.no_binary_package,
                                *env.words("UV_NO_BINARY_PACKAGE", environ),
                                *options.get("no-binary-package", ())])

    no_build_isolation = bool(scalar(cli.no_build_isolation,
                                     env.flag("UV_NO_BUILD_ISOLATION", environ),
                                     "no-build-isolation", False))
    no_build_isolation_package = _names(listed(cli.no_build_isolation_package, (),
                                               "no-build-isolation-package"))

    config_settings: dict[str, str | list[str]] = {}
    for table in (options.get("config-settings", {}), pip_table.get("config-settings", {})):
        config_settings.update(table)  # the pip table wins over the top level
    for text in cli.config_settings:
        key, _, value = text.partition("=")
        config_settings[key] = value

    upgrade = bool(scalar(cli.upgrade, None, "upgrade", False))
    upgrade_package = tuple(listed(cli.upgrade_package, (), "upgrade-package"))
    if upgrade_package:
        from packaging.requirements import InvalidRequirement, Requirement

        for text in upgrade_package:
            try:
                Requirement(text)
            except InvalidRequirement as exc:
                raise SettingsError(f"Invalid value for `--upgrade-package`: `{text}` is not "
                                    f"a package name or requirement ({exc})") from None

    return ResolverFields(
        resolution=resolution,
        prerelease=prerelease,
        exclude_newer=exclude_newer,
        exclude_newer_span=exclude_newer_span,
        exclude_newer_package=exclude_newer_package,
        exclude_dependencies=_names(options.get("exclude-dependencies", ())),
        fork_strategy=fork_strategy,
        no_build=no_build,
        no_build_package=no_build_package,
        no_binary=no_binary,
        no_binary_package=no_binary_package,
        no_build_isolation=no_build_isolation,
        no_build_isolation_package=no_build_isolation_package,
        no_sources=bool(scalar(cli.no_sources or None, env.flag("UV_NO_SOURCES", environ),
                               "no-sources", False)),
        config_settings=config_settings,
        upgrade=upgrade,
        upgrade_package=upgrade_package,
        constraint_dependencies=tuple(options.get("constraint-dependencies", ())),
        override_dependencies=tuple(options.get("override-dependencies", ())),
        build_constraint_dependencies=tuple(options.get("build-constraint-dependencies", ())),
        dependency_metadata=tuple(listed((), (), "dependency-metadata")),
        constraints=tuple(cli.constraints) or tuple(env.words("UV_CONSTRAINT", environ)),
        overrides=tuple(cli.overrides) or tuple(env.words("UV_OVERRIDE", environ)),
        build_constraints=tuple(cli.build_constraints)
        or tuple(env.words("UV_BUILD_CONSTRAINT", environ)),
    )


def _exclude_newer(cli_value: str | None, environ: Mapping[str, str],
                   pip_table: Mapping[str, Any], options: Mapping[str, Any],
                   where: Callable[[str], str]) -> tuple[float | None, str | None]:
    """The cut-off from the first source that gives one (`false` in a file: none), and its
    ISO 8601 span when it was given as a duration (`1 week`: `P1W`)."""
    candidates: list[tuple[Any, str]] = [
        (cli_value, "`--exclude-newer`"),
        (env.string("UV_EXCLUDE_NEWER", environ), "`UV_EXCLUDE_NEWER`"),
    ]
    if "exclude-newer" in pip_table:
        candidates.append((pip_table["exclude-newer"], "pip.exclude-newer"))
    if "exclude-newer" in options:
        candidates.append((options["exclude-newer"], "exclude-newer"))
    for value, source in candidates:
        if value is None:
            continue
        if value is False:
            return None, None
        try:
            return parse_exclude_newer(str(value)), duration_span(str(value))
        except ValueError as exc:
            named = source if source.startswith("`") else where(source)
            raise SettingsError(f"Invalid value for {named}: {exc}") from None
    return None, None


def _exclude_newer_package(cli_values: Iterable[str], options: Mapping[str, Any],
                           where: Callable[[str], str]
                           ) -> dict[str, tuple[float | None, str | None]]:
    """`--exclude-newer-package NAME=CUTOFF` and `exclude-newer-package = { NAME = CUTOFF }`
    (the command line wins): each package's (timestamp, span), `(None, None)` for `false`."""
    given: list[tuple[str, Any, str]] = []
    table = options.get("exclude-newer-package") or {}
    if isinstance(table, dict):
        given += [(str(name), value, "exclude-newer-package") for name, value in table.items()]
    for text in cli_values:
        name, equals, value = text.partition("=")
        if not equals or not name.strip():
            raise SettingsError(f"Invalid value for `--exclude-newer-package`: `{text}` is not "
                                "`PACKAGE=DATE`")
        given.append((name.strip(), value.strip(), "`--exclude-newer-package`"))
    out: dict[str, tuple[float | None, str | None]] = {}
    for name, value, source in given:
        if value is False or str(value).strip().lower() == "false":
            out[_canonical(name)] = (None, None)
            continue
        try:
            out[_canonical(name)] = (parse_exclude_newer(str(value)),
                                     duration_span(str(value)))
        except ValueError as exc:
            named = source if source.startswith("`") else where(source)
            raise SettingsError(f"Invalid value for {named} (`{name}`): {exc}") from None
    return out


def duration_span(text: str) -> str | None:
    """A relative `exclude-newer` as the ISO 8601 span uv writes to `uv.lock` (`1 week`:
    `P1W`, `3 days`: `P3D`, `24 hours`: `PT24H`); `None` for a date or timestamp."""
    value = text.strip().lstrip("+-").strip()
    if value[:1] in ("P", "p"):
        return value.upper() if _duration_seconds(value) is not None else None
    if value.endswith(" ago"):
        value = value[:-4]
    counts: dict[str, int] = {}
    position = 0
    while position < len(value):
        match = _FRIENDLY.match(value, position)
        if match is None:
            return None
        unit = _SPAN_UNITS.get(match.group(2).lower())
        if unit is None:
            return None
        counts[unit] = counts.get(unit, 0) + int(match.group(1))
        position = match.end()
    if not counts:
        return None
    date = "".join(f"{counts[u]}{u}" for u in "WD" if u in counts)
    time = "".join(f"{counts[u.lower()]}{u}" for u in "HMS" if u.lower() in counts)
    return "P" + date + (f"T{time}" if time else "")
