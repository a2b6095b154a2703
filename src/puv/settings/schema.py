"""The keys of `[tool.uv]` (and `uv.toml`) and the type each must have.

Validation here is about shape only (a boolean, a list of strings, one of some words); the
layers that use a complex value (sources, indexes, conflicts) check its contents themselves
and report with the same key path. Unknown keys are not errors: like uv, puv warns and goes on.
"""

from __future__ import annotations

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["KEYS", "PIP_KEYS", "Problem", "Spec", "check_options"]


class Spec:
    """An expected shape: a predicate and the words that describe it in an error."""

    __slots__ = ("check", "choices", "expected")

    def __init__(self, expected: str, check: Callable[[object], bool],
                 choices: tuple[str, ...] = ()) -> None:
        self.expected = expected
        self.check = check
        self.choices = choices


def _is_str(v: object) -> bool:
    return isinstance(v, str)


def _is_bool(v: object) -> bool:
    return isinstance(v, bool)


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _is_table(v: object) -> bool:
    return isinstance(v, dict)


def _is_list_of(pred: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda v: isinstance(v, list) and all(pred(x) for x in v)


def _one_of(*words: str) -> Spec:
    listed = ", ".join(f"`{w}`" for w in words)
    return Spec(f"one of {listed}", lambda v: v in words, words)


STRING = Spec("a string", _is_str)
BOOL = Spec("a boolean (`true` or `false`)", _is_bool)
INT = Spec("a non-negative integer", _is_int)
TABLE = Spec("a table", _is_table)
STRINGS = Spec("a list of strings", _is_list_of(_is_str))
TABLES = Spec("a list of tables", _is_list_of(_is_table))
STRING_OR_STRINGS = Spec("a string or a list of strings",
                         lambda v: _is_str(v) or _is_list_of(_is_str)(v))
BOOL_OR_STRINGS = Spec("a boolean or a list of package names",
                       lambda v: _is_bool(v) or _is_list_of(_is_str)(v))
STRING_OR_FALSE = Spec("a string or `false`", lambda v: _is_str(v) or v is False)
CONFLICTS = Spec("a list of lists of tables", _is_list_of(_is_list_of(_is_table)))
ENVIRONMENTS = Spec("a marker string or a list of marker strings",
                    lambda v: _is_str(v) or _is_list_of(_is_str)(v))
ANY = Spec("anything", lambda v: True)

_SHARED: dict[str, Spec] = {
    # Global and network options.
    "required-version": STRING,
    "system-certs": BOOL,
    "native-tls": BOOL,
    "offline": BOOL,
    "no-cache": BOOL,
    "cache-dir": STRING,
    "preview": BOOL,
    "preview-features": STRINGS,
    "python-preference": _one_of("only-managed", "managed", "system", "only-system"),
    "python-downloads": _one_of("automatic", "manual", "never"),
    "concurrent-downloads": INT,
    "concurrent-builds": INT,
    "concurrent-installs": INT,
    "allow-insecure-host": STRINGS,
    "http-proxy": STRING,
    "https-proxy": STRING,
    "no-proxy": STRINGS,
    # Indexes.
    "index": TABLES,
    "index-url": STRING,
    "extra-index-url": STRINGS,
    "no-index": BOOL,
    "find-links": STRINGS,
    "index-strategy": _one_of("first-index", "unsafe-first-match", "unsafe-best-match"),
    "keyring-provider": _one_of("disabled", "subprocess"),
    # Resolution.
    "resolution": _one_of("highest", "lowest", "lowest-direct"),
    "prerelease": _one_of("disallow", "allow", "if-necessary", "explicit",
                          "if-necessary-or-explicit"),
    "prerelease-package": TABLE,
    "fork-strategy": _one_of("fewest", "requires-python"),
    "dependency-metadata": TABLES,
    "exclude-newer": STRING_OR_FALSE,
    "exclude-newer-package": TABLE,
    "no-sources": BOOL,
    "no-sources-package": STRINGS,
    "upgrade": BOOL,
    "upgrade-package": STRINGS,
    "torch-backend": STRING,
    # Building.
    "config-settings": TABLE,
    "config-settings-package": TABLE,
    "no-build-isolation": BOOL,
    "no-build-isolation-package": STRINGS,
    "require-build-hashes": BOOL,
    "extra-build-dependencies": TABLE,
    "extra-build-variables": TABLE,
    "no-build": BOOL,
    "no-build-package": STRINGS,
    "no-binary": BOOL,
    "no-binary-package": STRINGS,
    "cache-keys": TABLES,
    # Installing.
    "link-mode": _one_of("clone", "copy", "hardlink", "symlink"),
    "compile-bytecode": BOOL,
    "reinstall": BOOL,
    "reinstall-package": STRINGS,
    # Python downloads and publishing.
    "python-install-mirror": STRING,
    "pypy-install-mirror": STRING,
    "graalpy-install-mirror": STRING,
    "pyodide-install-mirror": STRING,
    "python-downloads-json-url": STRING,
    "publish-url": STRING,
    "trusted-publishing": _one_of("automatic", "always", "never"),
    "check-url": STRING,
    "add-bounds": _one_of("lower", "major", "minor", "exact"),
    "audit": TABLE,
    "pip": TABLE,
    # Project dependencies.
    "override-dependencies": STRINGS,
    "exclude-dependencies": STRINGS,
    "constraint-dependencies": STRINGS,
    "build-constraint-dependencies": STRINGS,
    "environments": ENVIRONMENTS,
    "required-environments": ENVIRONMENTS,
    "minimum-libc-version": STRING,
}

_PROJECT_ONLY: dict[str, Spec] = {
    "conflicts": CONFLICTS,
    "workspace": TABLE,
    "sources": TABLE,
    "managed": BOOL,
    "package": BOOL,
    "default-groups": Spec('a list of group names or "all"',
                           lambda v: v == "all" or _is_list_of(_is_str)(v)),
    "dependency-groups": TABLE,
    "dev-dependencies": STRINGS,
    "build-backend": TABLE,
}

KEYS: Mapping[str, Spec] = {**_SHARED, **_PROJECT_ONLY}

# `[tool.uv.pip]`: the pip interface's own defaults (shape only; more keys are accepted).
PIP_KEYS: Mapping[str, Spec] = {
    "index-url": STRING,
    "extra-index-url": STRINGS,
    "find-links": STRINGS,
    "no-index": BOOL,
    "system": BOOL,
    "break-system-packages": BOOL,
    "target": STRING,
    "prefix": STRING,
    "python": STRING,
    "python-version": STRING,
    "python-platform": STRING,
    "universal": BOOL,
    "generate-hashes": BOOL,
    "output-file": STRING,
    "no-deps": BOOL,
    "require-hashes": BOOL,
    "verify-hashes": BOOL,
    "strict": BOOL,
    "compile-bytecode": BOOL,
    "link-mode": _one_of("clone", "copy", "hardlink", "symlink"),
    "annotation-style": _one_of("line", "split"),
    "no-annotate": BOOL,
    "no-header": BOOL,
    "custom-compile-command": STRING,
    "extra": STRINGS,
    "all-extras": BOOL,
    "no-extra": STRINGS,
    "group": STRINGS,
    "index": TABLES,
    "index-strategy": _one_of("first-index", "unsafe-first-match", "unsafe-best-match"),
    "keyring-provider": _one_of("disabled", "subprocess"),
    "resolution": _one_of("highest", "lowest", "lowest-direct"),
    "prerelease": _one_of("disallow", "allow", "if-necessary", "explicit",
                          "if-necessary-or-explicit"),
    "fork-strategy": _one_of("fewest", "requires-python"),
    "exclude-newer": STRING_OR_FALSE,
    "dependency-metadata": TABLES,
    "no-build": BOOL,
    "no-binary": STRINGS,
    "only-binary": STRINGS,
    "no-build-isolation": BOOL,
    "no-build-isolation-package": STRINGS,
    "config-settings": TABLE,
    "config-settings-package": TABLE,
    "upgrade": BOOL,
    "upgrade-package": STRINGS,
    "reinstall": BOOL,
    "reinstall-package": STRINGS,
    "no-strip-extras": BOOL,
    "no-strip-markers": BOOL,
    "no-emit-package": STRINGS,
    "emit-index-url": BOOL,
    "emit-find-links": BOOL,
    "emit-build-options": BOOL,
    "emit-index-annotation": BOOL,
    "allow-empty-requirements": BOOL,
    "torch-backend": STRING,
}


class Problem:
    """One thing wrong with a configuration table."""

    __slots__ = ("key", "message", "unknown")

    def __init__(self, key: str, message: str, unknown: bool = False) -> None:
        self.key = key  # dotted path below the table, e.g. `offline` or `pip.system`
        self.message = message
        self.unknown = unknown  # unknown keys are warnings; the rest are errors


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"the boolean `{str(value).lower()}`"
    if isinstance(value, str):
        return f'the string "{value}"'
    if isinstance(value, int):
        return f"the integer `{value}`"
    if isinstance(value, float):
        return f"the float `{value}`"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return f"`{value!r}`"


def check_options(options: Mapping[str, object], *, project: bool) -> list[Problem]:
    """Check each key of a `[tool.uv]` table (or a whole `uv.toml`) against its spec."""
    problems: list[Problem] = []
    known = KEYS if project else _SHARED
    for key, value in options.items():
        spec = known.get(key)
        if spec is None:
            if key in _PROJECT_ONLY:
                problems.append(Problem(key, f"`{key}` is only read from `pyproject.toml`",
                                        unknown=True))
            else:
                problems.append(Problem(key, f"unknown field `{key}`", unknown=True))
            continue
        if not spec.check(value):
            problems.append(Problem(key, f"expected {spec.expected}, found {_describe(value)}"))
            continue
        if key == "index" and isinstance(value, list):
            problems.extend(_check_indexes(value))
        if key == "pip" and isinstance(value, dict):
            for sub, subvalue in value.items():
                subspec = PIP_KEYS.get(sub)
                if subspec is not None and not subspec.check(subvalue):
                    problems.append(Problem(
                        f"pip.{sub}", f"expected {subspec.expected}, found {_describe(subvalue)}"
                    ))
    return problems


INDEX_KEYS: dict[str, Spec] = {
    "name": STRING,
    "url": STRING,
    "explicit": BOOL,
    "default": BOOL,
    "format": _one_of("simple", "flat"),
    "publish-url": STRING,
    "authenticate": _one_of("always", "never", "auto"),
    "ignore-error-codes": Spec("a list of integers", _is_list_of(_is_int)),
    "cache-control": TABLE,
}


def _check_indexes(tables: list[object]) -> list[Problem]:
    """Each `[[tool.uv.index]]` needs a `url`; its other keys have types too."""
    problems = []
    for number, table in enumerate(tables):
        if not isinstance(table, dict):
            continue
        where = f"index[{number}]"
        if "url" not in table:
            problems.append(Problem(where, "missing field `url`"))
        for key, value in table.items():
            spec = INDEX_KEYS.get(key)
            if spec is None:
                problems.append(Problem(f"{where}.{key}", f"unknown field `{key}`",
                                        unknown=True))
            elif not spec.check(value):
                problems.append(Problem(f"{where}.{key}",
                                        f"expected {spec.expected}, found {_describe(value)}"))
    return problems
