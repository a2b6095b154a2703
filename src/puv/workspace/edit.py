"""The edit model of `pyproject.toml`: what `add`, `remove` and `init` change, written the way
uv 0.13.8 writes it.

The document is held as `toml_edit` holds it (`_document.py`), so whitespace, comments and
the order of tables come out as uv prints them, byte for byte; a dependency array is edited
and re-rendered as uv's `add`/`remove` do it (`_array.py`). Nothing here reads anything but
the text it is given; `write()` replaces the file atomically.

Requirements are written in uv's normal form (`format_requirement`): the normalized name,
extras, the specifiers in the order given (each version normalized, joined by `,`), or
` @ url`, then ` ; ` and the canonical marker with single quotes.
"""

from __future__ import annotations

import itertools
import os
import re
import sys

from puv.errors import SettingsError
from puv.fs import write_atomic
from puv.workspace._array import DependencyArray
from puv.workspace._document import Document, Table, decode_value, format_key, format_string

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from _typeshed import StrPath

__all__ = [
    "BOUNDS",
    "DEV",
    "PROJECT",
    "DependencyTarget",
    "Edit",
    "PyProjectEditor",
    "bound_specifiers",
    "format_requirement",
    "group",
    "optional",
    "specifiers_of",
]

BOUNDS = ("lower", "major", "minor", "exact")


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class DependencyTarget:
    """Where a requirement goes: `project.dependencies` (`PROJECT`), an extra of
    `project.optional-dependencies`, a `[dependency-groups]` group, or the legacy
    `tool.uv.dev-dependencies` (`DEV`)."""

    __slots__ = ("kind", "name")

    def __init__(self, kind: str, name: str | None = None) -> None:
        self.kind = kind  # "project", "optional", "group" or "dev"
        self.name = name

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, DependencyTarget) and other.kind == self.kind
                and other.name == self.name)

    def __hash__(self) -> int:
        return hash((self.kind, self.name))

    def __repr__(self) -> str:
        return f"DependencyTarget({self.kind!r}, {self.name!r})"

    def describe(self) -> str:
        """The table's key path, as uv names it in messages."""
        if self.kind == "project":
            return "project.dependencies"
        if self.kind == "optional":
            return f"project.optional-dependencies.{self.name}"
        if self.kind == "group":
            return f"dependency-groups.{self.name}"
        return "tool.uv.dev-dependencies"


PROJECT = DependencyTarget("project")
DEV = DependencyTarget("dev")


def optional(extra: str) -> DependencyTarget:
    return DependencyTarget("optional", _normalize(extra))


def group(name: str) -> DependencyTarget:
    return DependencyTarget("group", _normalize(name))


class Edit:
    """The outcome of adding a requirement: `added` or `updated`, at `index` of its array."""

    __slots__ = ("index", "kind", "requirement")

    def __init__(self, kind: str, index: int, requirement: str) -> None:
        self.kind = kind
        self.index = index
        self.requirement = requirement

    def __repr__(self) -> str:
        return f"Edit({self.kind!r}, {self.index}, {self.requirement!r})"


# -- requirements ------------------------------------------------------------------------

_HEAD = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*")


def _specifier_text(text: str) -> str:
    """One specifier as uv prints it: the operator, then the version normalized."""
    from packaging.specifiers import Specifier
    from packaging.version import InvalidVersion, Version

    spec = Specifier(text.strip())
    if spec.operator == "===":
        return str(spec)
    version = spec.version
    wildcard = version.endswith(".*")
    try:
        normal = str(Version(version[:-2] if wildcard else version))
    except InvalidVersion:
        return str(spec)
    return f"{spec.operator}{normal}{'.*' if wildcard else ''}"


class _Req:
    """A requirement split the way uv prints it."""

    __slots__ = ("extras", "marker", "name", "specifiers", "url")

    def __init__(self, name: str, extras: list[str], specifiers: list[str],
                 url: str | None, marker: str | None) -> None:
        self.name = name
        self.extras = extras
        self.specifiers = specifiers
        self.url = url
        self.marker = marker

    def __str__(self) -> str:
        text = self.name
        if self.extras:
            text += f"[{','.join(self.extras)}]"
        if self.url is not None:
            text += f" @ {self.url}"
        else:
            text += ",".join(self.specifiers)
        if self.marker:
            text += f" ; {self.marker}"
        return text


def _parse_requirement(text: str) -> _Req:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        parsed = Requirement(text)
    except InvalidRequirement as exc:
        raise SettingsError(f"Invalid requirement `{text}`: {exc}") from None
    specifiers: list[str] = []
    if parsed.url is None:
        head = _HEAD.match(text)
        rest = text[head.end():] if head else ""
        rest = rest.split(";", 1)[0].strip()
        if rest.startswith("(") and rest.endswith(")"):
            rest = rest[1:-1]
        specifiers = [_specifier_text(part) for part in rest.split(",") if part.strip()]
    extras = sorted({_normalize(extra) for extra in parsed.extras})
    marker = None
    if parsed.marker is not None:
        from puv.core.marker_algebra import MarkerTree

        # uv writes the marker's canonical form (`python_version >= '3.8'` becomes
        # `python_full_version >= '3.8'`); `true` means none at all.
        canonical = str(MarkerTree.parse(parsed.marker))
        marker = None if canonical == "true" else canonical
    url = None if parsed.url is None else _verbatim_url(text, parsed.url)
    return _Req(_normalize(parsed.name), extras, specifiers, url, marker)


def _verbatim_url(text: str, parsed: str) -> str:
    """The URL as written after `@` (packaging may have normalized it)."""
    after = text.split("@", 1)[1] if "@" in text else parsed
    match = re.match(r"\s*(\S+?)(?:\s+;|\s*$)", after)
    return match.group(1) if match else parsed


def format_requirement(text: str) -> str:
    """`text` in uv's normal form: `Flask[async] >=2; python_version>="3.8"` ->
    `flask[async]>=2 ; python_full_version >= '3.8'`."""
    return str(_parse_requirement(text))


def specifiers_of(text: str) -> str:
    """The version specifiers of the requirement `text` as uv writes them (`>=1.0,<2`, in
    the order given), or `""`."""
    return ",".join(_parse_requirement(text).specifiers)


def _entry(value: str) -> _Req | None:
    """The requirement an array element's text holds, if it is one."""
    decoded = decode_value(value)
    if not isinstance(decoded, str):
        return None
    try:
        return _parse_requirement(decoded)
    except SettingsError:
        return None


def _split_specifiers(text: str) -> tuple[str, str]:
    """`flask>=1.0` -> (`flask`, `>=1.0`): what uv compares to tell whether a list is
    sorted (`flask[dotenv]` keeps its extras on the name side)."""
    match = re.search(r"[><=~!@]", text)
    if match is None:
        return text.strip(), ""
    return text[:match.start()].strip(), text[match.start():].strip()


def _insert_index(existing: list[str | None], text: str) -> int:
    """Where uv inserts a new requirement `text` among the array's elements (`None` for one
    that is not a string): in order when the strings were sorted (by name then specifiers,
    ignoring case, or with case, or as plain strings), else after the last string."""
    strings = [s for s in existing if s is not None]
    lower = [s.lower() for s in strings]

    def ordered(values: list[Any]) -> bool:
        return all(a <= b for a, b in itertools.pairwise(values))

    def after(key: Any) -> int | None:
        target = key(text)
        return next((i for i, s in enumerate(existing) if s is not None and key(s) > target),
                    None)

    index: int | None
    if ordered([_split_specifiers(s) for s in lower]):
        index = after(lambda s: _split_specifiers(s.lower()))
    elif ordered([_split_specifiers(s) for s in strings]):
        index = after(_split_specifiers)
    elif ordered(lower):
        index = after(str.lower)
    elif ordered(strings):
        index = after(lambda s: s)
    else:
        index = None
    if index is None:
        last = [i + 1 for i, s in enumerate(existing) if s is not None]
        index = last[-1] if last else len(existing)
    return index


def bound_specifiers(version: str, kind: str = "lower") -> str:
    """The specifiers uv's `--bounds` writes for the locked `version` (its local part
    dropped): `lower` `>=1.2.3`; `major` `>=1.2.3,<2.0.0`; `minor` `>=1.2.3,<1.3.0`; `exact`
    `==1.2.3`. Leading zeros are skipped (`major` of 0.1.2 is `<0.2.0`)."""
    from packaging.version import Version

    parsed = Version(version)
    text = str(parsed).split("+", 1)[0]
    if kind == "lower":
        return f">={text}"
    if kind == "exact":
        return f"=={text}"
    release = list(parsed.release)
    zeros = next((i for i, part in enumerate(release) if part != 0), len(release))
    if kind == "major":
        if zeros == len(release):
            upper = [0, 1] + [0] * max(len(release) - 2, 0)
        else:
            upper = [0] * zeros + [release[zeros] + 1] + [0] * (len(release) - zeros - 1)
    elif kind == "minor":
        if zeros == len(release):
            upper = [0, 0, 1] + [0] * max(len(release) - 3, 0)
        elif zeros >= 2:
            upper = [0] * zeros + [release[zeros] + 1] + [0] * (len(release) - zeros - 1)
        else:
            major = release[zeros]
            minor = release[zeros + 1] if zeros + 1 < len(release) else 0
            upper = ([0] * zeros + [major, minor + 1]
                     + [0] * max(len(release) - zeros - 2, 0))
    else:
        raise ValueError(f"unknown bound kind {kind!r}")
    return f">={text},<{'.'.join(map(str, upper))}"


def _inline_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return format_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_inline_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return _inline_table(value)
    raise TypeError(f"cannot write {value!r} to TOML")


def _inline_table(fields: Mapping[str, Any]) -> str:
    if not fields:
        return "{}"
    return "{ " + ", ".join(f"{format_key(k)} = {_inline_value(v)}"
                            for k, v in fields.items()) + " }"


def _same_url(left: str, right: str) -> bool:
    """Whether two index URLs name the same place (credentials, case of the host and a
    trailing slash aside), as uv's canonical URLs compare."""
    from urllib.parse import urlsplit

    def canonical(url: str) -> tuple[str, str, str, str]:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.port:
            host += f":{parts.port}"
        return parts.scheme.lower(), host, parts.path.rstrip("/"), parts.query

    return canonical(left) == canonical(right)


# -- the document ------------------------------------------------------------------------


class PyProjectEditor:
    """An editable `pyproject.toml`. Load it, change it, then `write` (atomic) or `text`."""

    __slots__ = ("document", "path")

    def __init__(self, path: str, document: Document) -> None:
        self.path = path
        self.document = document

    @classmethod
    def parse(cls, text: str, path: str = "pyproject.toml") -> PyProjectEditor:
        """Parse `text`; broken TOML is a `SettingsError` naming `path` and the position."""
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover
            import tomli as tomllib
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _syntax_error(text, path, str(exc)) from None
        return cls(path, Document.parse(text))

    @classmethod
    def load(cls, path: StrPath) -> PyProjectEditor:
        path = os.fspath(path)
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                text = handle.read()
        except UnicodeDecodeError as exc:
            raise SettingsError(f"Failed to read `{path}`: it is not valid UTF-8 "
                                f"({exc.reason})") from None
        except OSError as exc:
            raise SettingsError(f"Failed to read `{path}`: {exc.strerror}") from None
        return cls.parse(text, path)

    def text(self) -> str:
        return self.document.render()

    def write(self) -> None:
        """Write the document back in place, atomically."""
        write_atomic(self.path, self.text())

    @property
    def doc(self) -> dict[str, Any]:
        """The document's data (a plain `dict`, read again from the current text)."""
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover
            import tomli as tomllib
        data: dict[str, Any] = tomllib.loads(self.text())
        return data

    # -- tables ------------------------------------------------------------------------

    def _malformed(self, key: str, expected: str) -> SettingsError:
        return SettingsError(f"Invalid `{key}` in `{self.path}`: expected {expected}")

    def _table(self, keys: tuple[str, ...], *, create: bool = False,
               implicit: tuple[bool, ...] = ()) -> Table | None:
        """The table at `keys`; missing ones are created when asked, implicit (never printed
        on their own) where `implicit` says so, as uv creates them."""
        table = self.document.root
        for depth, key in enumerate(keys):
            if table.dotted_under(key) or table.get(key) is not None:
                raise SettingsError(
                    f"Cannot edit `{'.'.join(keys[:depth + 1])}` in `{self.path}`: it is "
                    "written as an inline table or with dotted keys",
                    hint=f"write it as a `[{'.'.join(keys[:depth + 1])}]` table")
            found = table.child(key)
            if isinstance(found, list):
                raise self._malformed(".".join(keys[:depth + 1]), "a table")
            if found is None:
                if not create:
                    return None
                found = Table(keys[:depth + 1],
                              implicit=implicit[depth] if depth < len(implicit) else False)
                table.add_child(key, found)
            table = found
        return table

    def _array_location(self, target: DependencyTarget, *, create: bool
                        ) -> tuple[Table, str] | None:
        if target.kind == "project":
            table = self._table(("project",), create=create)
            return (table, "dependencies") if table is not None else None
        if target.kind == "dev":
            table = self._table(("tool", "uv"), create=create, implicit=(True, False))
            return (table, "dev-dependencies") if table is not None else None
        if target.kind == "optional":
            table = self._table(("project", "optional-dependencies"), create=create)
        else:
            table = self._table(("dependency-groups",), create=create)
        if table is None:
            return None
        assert target.name is not None
        for kv in table.items:
            if not kv.dotted and _normalize(kv.keys[0]) == target.name:
                return table, kv.keys[0]
        return table, target.name

    def _array(self, target: DependencyTarget, *, create: bool
               ) -> tuple[Table, str, DependencyArray] | None:
        location = self._array_location(target, create=create)
        if location is None:
            return None
        table, key = location
        kv = table.get(key)
        if kv is None:
            if not create:
                return None
            return table, key, DependencyArray()
        if not kv.value.startswith("["):
            name = target.describe() if target.kind != "group" else f"dependency-groups.{key}"
            raise self._malformed(name, "an array of requirements")
        return table, key, DependencyArray.parse(kv.value)

    # -- requirements ------------------------------------------------------------------

    def requirements(self, target: DependencyTarget) -> list[str]:
        """The requirement strings in `target` (nothing when it doesn't exist)."""
        found = self._array(target, create=False)
        if found is None:
            return []
        return [v for v in map(decode_value, found[2].values()) if isinstance(v, str)]

    def dev_dependencies(self) -> list[str]:
        """`tool.uv.dev-dependencies` (deprecated by uv, still read)."""
        return self.requirements(DEV)

    def has_target(self, target: DependencyTarget) -> bool:
        """Whether the array of `target` exists (`tool.uv.dev-dependencies`, a group)."""
        return self._array(target, create=False) is not None

    def add_requirement(self, requirement: str, target: DependencyTarget = PROJECT, *,
                        has_source: bool = False) -> Edit:
        """Add `requirement` to `target`, or update the entry with the same name and marker
        (extras merged, the specifier or URL and the marker replaced when the new one has
        them; the URL dropped when the requirement has a `[tool.uv.sources]` entry). Two such
        entries are an error, as in uv."""
        new = _parse_requirement(requirement)
        found = self._array(target, create=True)
        assert found is not None
        table, key, array = found
        groups_sorted = target.kind == "group" and _sorted_keys(table)
        matches = []
        for index, value in enumerate(array.values()):
            entry = _entry(value)
            if entry is not None and entry.name == new.name and entry.marker == new.marker:
                matches.append((index, entry))
        if len(matches) > 1:
            listed = "\n".join(f"- `{decode_value(array.values()[i])}`" for i, _ in matches)
            raise SettingsError(
                f"Cannot perform ambiguous update; found multiple entries for `{new.name}`:"
                f"\n{listed}")
        if matches:
            index, old = matches[0]
            old.extras = sorted(set(old.extras) | set(new.extras))
            if has_source:
                old.url = None
            if new.url is not None:
                old.url, old.specifiers = new.url, []
            elif new.specifiers:
                old.url, old.specifiers = None, new.specifiers
            if new.marker:
                old.marker = new.marker
            text = str(old)
            array.replace(index, format_string(text))
            array.reformat()
            table.set(key, array.render())
            return Edit("updated", index, text)
        text = str(new)
        existing = [decode_value(v) for v in array.values()]
        index = _insert_index([v if isinstance(v, str) else None for v in existing], text)
        array.insert(index, format_string(text))
        array.reformat()
        table.set(key, array.render())
        if groups_sorted:
            table.sort_items()
        return Edit("added", index, text)

    def set_specifiers(self, target: DependencyTarget, index: int, specifiers: str) -> str:
        """Give the requirement at `index` of `target` these specifiers (what uv does with
        the locked version of a requirement added without any); its text."""
        found = self._array(target, create=False)
        if found is None or index >= len(found[2].items):
            raise SettingsError(f"Expected a dependency at index {index} of "
                                f"`{target.describe()}` in `{self.path}`")
        table, key, array = found
        entry = _entry(array.items[index].value)
        if entry is None:
            raise self._malformed(target.describe(), "an array of requirements")
        entry.url = None
        entry.specifiers = specifiers.split(",")
        text = str(entry)
        array.replace(index, format_string(text))
        table.set(key, array.render())
        return text

    def ensure_target(self, target: DependencyTarget) -> None:
        """Create an empty group or extra if it does not exist (`add -r empty.txt --group
        x`)."""
        found = self._array(target, create=True)
        assert found is not None
        table, key, array = found
        if table.get(key) is None:
            groups_sorted = target.kind == "group" and _sorted_keys(table)
            table.set(key, array.render())
            if groups_sorted:
                table.sort_items()

    def remove_requirement(self, name: str, target: DependencyTarget = PROJECT) -> list[str]:
        """Remove every requirement on `name` from `target`; the removed strings. Its
        `[tool.uv.sources]` entry goes too when nothing else requires it, as in uv."""
        wanted = _normalize(name)
        found = self._array(target, create=False)
        if found is None:
            return []
        table, key, array = found
        removed: list[str] = []
        for index in reversed(range(len(array.items))):
            entry = _entry(array.items[index].value)
            if entry is not None and entry.name == wanted:
                value = decode_value(array.remove(index))
                removed.insert(0, value if isinstance(value, str) else "")
        if removed:
            array.reformat()
            table.set(key, array.render())
        self.remove_source(wanted, only_unused=True)
        return removed

    def find_requirement(self, name: str, marker: str | None = None
                         ) -> list[DependencyTarget]:
        """Every table that holds a requirement on `name` (with exactly `marker`, when
        given), in uv's order: dependencies, extras, groups, then dev-dependencies."""
        wanted = _normalize(name)
        targets = [PROJECT]
        extras = self._table(("project", "optional-dependencies"))
        targets += [optional(kv.keys[0]) for kv in (extras.items if extras else [])
                    if not kv.dotted]
        groups = self._table(("dependency-groups",))
        targets += [group(kv.keys[0]) for kv in (groups.items if groups else [])
                    if not kv.dotted]
        targets.append(DEV)
        result = []
        for target in targets:
            try:
                found = self._array(target, create=False)
            except SettingsError:
                continue
            if found is None:
                continue
            entries = [_entry(v) for v in found[2].values()]
            if any(e is not None and e.name == wanted and (marker is None or e.marker == marker)
                   for e in entries):
                result.append(target)
        return result

    # -- the version -------------------------------------------------------------------

    def set_version(self, version: str) -> bool:
        """Give `project.version` the value `version`, as uv's `version` writes it: a new
        basic string in place of the old value, the key's spacing and comment kept. `False`
        when there is no such key to replace (no `version` under `[project]` or as
        `project.version`; an inline `project = { ... }` is not edited, as in uv)."""
        project = self.document.root.child("project")
        found = project.get("version") if isinstance(project, Table) else None
        if found is None:
            found = next((kv for kv in self.document.root.items
                          if kv.keys == ("project", "version")), None)
        if found is None:
            return False
        found.value = format_string(version)
        return True

    # -- workspace ---------------------------------------------------------------------

    def workspace_members(self) -> list[str] | None:
        """`tool.uv.workspace.members`, or `None` when there is no `[tool.uv.workspace]`."""
        workspace = self._table(("tool", "uv", "workspace"))
        if workspace is None:
            return None
        members = workspace.get("members")
        value = decode_value(members.value) if members is not None else []
        return [str(m) for m in value] if isinstance(value, list) else []

    def add_workspace_member(self, path: str) -> None:
        """Append `path` (with `/` separators) to `tool.uv.workspace.members`."""
        workspace = self._table(("tool", "uv", "workspace"), create=True,
                                implicit=(True, True, False))
        assert workspace is not None
        members = workspace.get("members")
        if members is not None and not members.value.startswith("["):
            raise self._malformed("tool.uv.workspace.members", "an array of paths")
        array = DependencyArray.parse(members.value) if members is not None \
            else DependencyArray()
        array.push(format_string(path.replace(os.sep, "/")))
        array.reformat()
        workspace.set("members", array.render())

    # -- sources and indexes -----------------------------------------------------------

    def sources(self) -> dict[str, Any]:
        table = self._table(("tool", "uv", "sources"))
        if table is None:
            return {}
        return {kv.keys[0]: decode_value(kv.value) for kv in table.items if not kv.dotted}

    def add_source(self, name: str, source: Mapping[str, Any]) -> None:
        """Set `[tool.uv.sources]` `name = { ... }` (an inline table, keys in order). An
        existing entry is replaced and moves to the end, as in uv."""
        table = self._table(("tool", "uv", "sources"), create=True,
                            implicit=(True, True, False))
        assert table is not None
        wanted = _normalize(name)
        for kv in list(table.items):
            if not kv.dotted and _normalize(kv.keys[0]) == wanted:
                table.items.remove(kv)
        table.set(wanted, _inline_table(source))

    def remove_source(self, name: str, *, only_unused: bool = False) -> bool:
        """Drop `name` from `[tool.uv.sources]` (with `only_unused`, only when no requirement
        names it any more); the table goes when it is left empty."""
        if only_unused and self.find_requirement(name):
            return False
        table = self._table(("tool", "uv", "sources"))
        if table is None:
            return False
        wanted = _normalize(name)
        kv = next((kv for kv in table.items if not kv.dotted
                   and _normalize(kv.keys[0]) == wanted), None)
        if kv is None:
            return False
        table.items.remove(kv)
        if not table.items:
            uv = self._table(("tool", "uv"))
            assert uv is not None
            uv.remove_child("sources")
        return True

    def indexes(self) -> list[dict[str, Any]]:
        uv = self._table(("tool", "uv"))
        found = uv.child("index") if uv is not None else None
        if not isinstance(found, list):
            return []
        return [{kv.keys[0]: decode_value(kv.value) for kv in table.items}
                for table in found]

    def add_index(self, name: str | None, url: str, *, default: bool = False) -> None:
        """Add a `[[tool.uv.index]]` table, as uv's `add_index` does: one with the same name,
        the same URL or (for a default index) another default is updated and replaced; the
        index goes first (before the other indexes' positions, or at the position the
        document's size gives when there is none)."""
        size = len(self.document)
        uv = self._table(("tool", "uv"), create=True, implicit=(True, True))
        assert uv is not None
        if uv.dotted_under("index") or uv.get("index") is not None:
            raise SettingsError(f"Cannot edit `tool.uv.index` in `{self.path}`: it is not "
                                "written as `[[tool.uv.index]]` tables")
        existing = uv.child("index")
        if isinstance(existing, Table):
            raise self._malformed("tool.uv.index", "an array of tables")
        if existing is None:
            existing = []
            uv.add_child("index", existing)

        def value(table: Table, key: str) -> Any:
            kv = table.get(key)
            return decode_value(kv.value) if kv is not None else None

        def replaced(table: Table) -> bool:
            if name is not None and value(table, "name") == name:
                return True
            if default and value(table, "default") is True:
                return True
            found = value(table, "url")
            return isinstance(found, str) and _same_url(found, url)

        match = next((t for t in existing if replaced(t)), None)
        table = Table(("tool", "uv", "index"))
        if match is not None:
            table.prefix, table.header = match.prefix, match.header
            table.items = list(match.items)
        if name is not None and value(table, "name") != name:
            table.set("name", format_string(name))
        old_url = value(table, "url")
        if old_url != url:
            table.set("url", format_string(url))
        if default and value(table, "default") is not True:
            table.set("default", "true")
        if not (isinstance(old_url, str) and _same_url(old_url, url)):
            table.remove("format")
        existing[:] = [t for t in existing if not replaced(t)]
        positions = [t.position for t in existing if t.position is not None]
        if positions:
            table.position = min(positions)
            for other in existing:
                if other.position is not None:
                    other.position += 1
        else:
            table.position = size
        existing.append(table)

    def remove_index(self, name: str) -> bool:
        """Remove the `[[tool.uv.index]]` table called `name`."""
        uv = self._table(("tool", "uv"))
        existing = uv.child("index") if uv is not None else None
        if not isinstance(existing, list):
            return False
        for position, table in enumerate(existing):
            kv = table.get("name")
            if kv is not None and decode_value(kv.value) == name:
                del existing[position]
                if not existing and uv is not None:
                    uv.remove_child("index")
                return True
        return False


def _sorted_keys(table: Table) -> bool:
    keys = [kv.keys[0] for kv in table.items]
    return all(a <= b for a, b in itertools.pairwise(keys))


def _syntax_error(text: str, path: str, detail: str) -> SettingsError:
    """A TOML syntax error naming the file and position, the line reprinted with a caret."""
    found = re.search(r"\(at line (\d+), column (\d+)\)", detail)
    message = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", detail)
    if found is None:
        return SettingsError(f"Failed to parse `{path}`: TOML parse error: {message}",
                             hint="fix the syntax at the position shown")
    line, col = int(found.group(1)), int(found.group(2))
    lines = text.splitlines()
    snippet = ""
    if 1 <= line <= len(lines):
        pad = " " * len(str(line))
        snippet = f"\n  {line} | {lines[line - 1]}\n  {pad} | {' ' * max(col - 1, 0)}^"
    return SettingsError(
        f"Failed to parse `{path}`: TOML parse error at line {line}, column {col}: "
        f"{message}{snippet}", hint="fix the syntax at the position shown")
