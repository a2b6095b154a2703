"""The edit model of `pyproject.toml`: what `add` and `remove` change, with `tomlkit`.

Comments and layout outside the edited values survive; an edited dependency array is
re-rendered as uv renders it (`_array.py`): one requirement per line with a trailing comma,
an empty array as `[]`. A new requirement goes where uv puts it: in order when the array was
sorted, else at the end. Written back atomically.

Requirements are written in uv's normal form (`format_requirement`): the normalized name,
extras (sorted), the specifiers in the order given (`>=2,<3`), then ` ; ` and the marker with
single quotes.
"""

from __future__ import annotations

import itertools
import os
import re
import sys

from puv.errors import SettingsError
from puv.fs import write_atomic
from puv.workspace._array import DependencyArray

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from _typeshed import StrPath
    from tomlkit.toml_document import TOMLDocument

__all__ = [
    "DEV",
    "PROJECT",
    "DependencyTarget",
    "Edit",
    "PyProjectEditor",
    "format_requirement",
    "group",
    "optional",
]


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
    """The outcome of adding a requirement: `added` or `updated`, at `index`."""

    __slots__ = ("index", "kind", "requirement")

    def __init__(self, kind: str, index: int, requirement: str) -> None:
        self.kind = kind
        self.index = index
        self.requirement = requirement

    def __repr__(self) -> str:
        return f"Edit({self.kind!r}, {self.index}, {self.requirement!r})"


# -- requirements ------------------------------------------------------------------------

_HEAD = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*")


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
    from packaging.specifiers import Specifier

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
        specifiers = [str(Specifier(part.strip())) for part in rest.split(",") if part.strip()]
    extras = sorted({_normalize(extra) for extra in parsed.extras})
    marker = None
    if parsed.marker is not None:
        from puv.core.marker_algebra import MarkerTree

        # uv writes the marker's canonical form (`python_version >= '3.8'` becomes
        # `python_full_version >= '3.8'`); `true` means none at all.
        canonical = str(MarkerTree.parse(parsed.marker))
        marker = None if canonical == "true" else canonical
    return _Req(_normalize(parsed.name), extras, specifiers, parsed.url, marker)


def format_requirement(text: str) -> str:
    """`text` in uv's normal form: `Flask[async] >=2; python_version>="3.8"` ->
    `flask[async]>=2 ; python_full_version >= '3.8'`."""
    return str(_parse_requirement(text))


def _decoded(value: str) -> Any:
    """The Python value of one array entry's TOML text (`None` when it doesn't parse)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return None


def _requirement_name(value: str) -> tuple[str, str | None] | None:
    """The normalized name and marker of an array entry's requirement, if it is one."""
    decoded = _decoded(value)
    if not isinstance(decoded, str):
        return None
    try:
        req = _parse_requirement(decoded)
    except SettingsError:
        return None
    return req.name, req.marker


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{escaped}"'


def _inline_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_inline_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return _inline_table(value)
    raise TypeError(f"cannot write {value!r} to TOML")


def _inline_table(fields: Mapping[str, Any]) -> str:
    if not fields:
        return "{}"
    return "{ " + ", ".join(f"{k} = {_inline_value(v)}" for k, v in fields.items()) + " }"


# -- the document ------------------------------------------------------------------------


class PyProjectEditor:
    """An editable `pyproject.toml`. Load it, change it, then `write` (atomic) or `text`."""

    __slots__ = ("doc", "path")

    def __init__(self, path: str, doc: TOMLDocument) -> None:
        self.path = path
        self.doc = doc

    @classmethod
    def parse(cls, text: str, path: str = "pyproject.toml") -> PyProjectEditor:
        """Parse `text`; broken TOML is a `SettingsError` naming `path` and the position."""
        import tomlkit
        from tomlkit.exceptions import ParseError

        try:
            doc = tomlkit.parse(text)
        except ParseError as exc:
            line, col = exc.line, exc.col
            lines = text.splitlines()
            snippet = ""
            if 1 <= line <= len(lines):
                pad = " " * len(str(line))
                snippet = f"\n  {line} | {lines[line - 1]}\n  {pad} | {' ' * max(col - 1, 0)}^"
            message = str(exc).split(" at line ")[0]
            raise SettingsError(
                f"Failed to parse `{path}`: TOML parse error at line {line}, column {col}: "
                f"{message}{snippet}",
                hint="fix the syntax at the position shown") from None
        return cls(path, doc)

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
        return self.doc.as_string()

    def write(self) -> None:
        """Write the document back in place, atomically."""
        write_atomic(self.path, self.text())

    # -- tables ------------------------------------------------------------------------

    def _malformed(self, key: str, expected: str) -> SettingsError:
        return SettingsError(f"Invalid `{key}` in `{self.path}`: expected {expected}")

    def _table(self, keys: tuple[str, ...], *, create: bool) -> Any:
        """The table at `keys` (`("tool", "uv", "sources")`), created when asked: parents
        that don't exist are made implicit (`[tool.uv.sources]`, not `[tool]`)."""
        import tomlkit

        container: Any = self.doc
        created = False  # tomlkit separates a new super-table itself
        for depth, key in enumerate(keys):
            found = container.get(key)
            if found is None:
                if not create:
                    return None
                last = depth == len(keys) - 1
                table = tomlkit.table(is_super_table=not last)
                if last and not created:
                    self._separate(table)
                created = True
                container[key] = table
                found = container[key]
            if not hasattr(found, "get") or isinstance(found, list):
                raise self._malformed(".".join(keys[:depth + 1]), "a table")
            container = found
        return container

    def _separate(self, table: Any) -> None:
        """A blank line before a new table's header, as uv leaves one."""
        if self.doc.as_string().strip():
            table.trivia.indent = "\n"

    def _set_in_table(self, table: Any, key: str, value: Any) -> None:
        """Set `key`, putting a new key before the blank lines that end the table (so the
        next table's header stays separated)."""
        from tomlkit.items import Whitespace

        if key in table:
            table[key] = value
            return
        body = getattr(table, "value", table).body
        trailing: list[Any] = []
        while body and body[-1][0] is None and isinstance(body[-1][1], Whitespace):
            trailing.insert(0, body.pop()[1])
        table[key] = value
        for item in trailing:
            table.add(item)

    def _array_location(self, target: DependencyTarget, *, create: bool
                        ) -> tuple[Any, str] | None:
        if target.kind == "project":
            table = self._table(("project",), create=create)
            return (table, "dependencies") if table is not None else None
        if target.kind == "optional":
            table = self._table(("project", "optional-dependencies"), create=create)
        elif target.kind == "group":
            table = self._table(("dependency-groups",), create=create)
        else:
            table = self._table(("tool", "uv"), create=create)
            return (table, "dev-dependencies") if table is not None else None
        if table is None:
            return None
        assert target.name is not None
        for key in table:
            if _normalize(key) == target.name:
                return table, key
        return table, target.name

    def _array(self, target: DependencyTarget, *, create: bool
               ) -> tuple[Any, str, DependencyArray] | None:
        location = self._array_location(target, create=create)
        if location is None:
            return None
        table, key = location
        value = table.get(key)
        if value is None:
            if not create:
                return None
            return table, key, DependencyArray([], "    ", [])
        if not isinstance(value, list):
            raise self._malformed(f"{target.describe()}" if target.kind != "group" else
                                  f"dependency-groups.{key}", "an array of requirements")
        return table, key, DependencyArray.parse(value.as_string())  # type: ignore[attr-defined]

    def _store(self, table: Any, key: str, array: DependencyArray) -> None:
        import tomlkit

        value = tomlkit.parse(f"v = {array.render()}\n")["v"]
        self._set_in_table(table, key, value)

    # -- requirements ------------------------------------------------------------------

    def requirements(self, target: DependencyTarget) -> list[str]:
        """The requirement strings in `target` (nothing when it doesn't exist)."""
        found = self._array(target, create=False)
        if found is None:
            return []
        return [v for v in map(_decoded, found[2].values()) if isinstance(v, str)]

    def dev_dependencies(self) -> list[str]:
        """`tool.uv.dev-dependencies` (deprecated by uv, still read)."""
        return self.requirements(DEV)

    def add_requirement(self, requirement: str, target: DependencyTarget = PROJECT) -> Edit:
        """Add `requirement` to `target`, or update the entry with the same name and marker
        (its extras merged, its specifier and marker replaced when the new one has them)."""
        new = _parse_requirement(requirement)
        found = self._array(target, create=True)
        assert found is not None
        table, key, array = found
        matches = []
        for index, value in enumerate(array.values()):
            parsed = _requirement_name(value)
            if parsed is not None and parsed[0] == new.name and parsed[1] == new.marker:
                matches.append(index)
        if len(matches) > 1:
            raise SettingsError(
                f"Cannot update `{new.name}` in `{self.path}`: found multiple entries with "
                "matching package names")
        if matches:
            index = matches[0]
            old = _parse_requirement(_decoded(array.values()[index]))
            old.extras = sorted(set(old.extras) | set(new.extras))
            if new.url is not None:
                old.url, old.specifiers = new.url, []
            elif new.specifiers:
                old.url, old.specifiers = None, new.specifiers
            if new.marker:
                old.marker = new.marker
            text = str(old)
            array.entries[index].value = _toml_string(text)
            self._store(table, key, array)
            return Edit("updated", index, text)
        text = str(new)
        decoded = [_decoded(v) for v in array.values()]
        is_sorted = all(isinstance(v, str) for v in decoded) and all(
            a <= b for a, b in itertools.pairwise(decoded))
        index = len(decoded)
        if is_sorted:
            index = next((i for i, v in enumerate(decoded) if v > text), len(decoded))
        array.insert(index, _toml_string(text))
        self._store(table, key, array)
        return Edit("added", index, text)

    def remove_requirement(self, name: str, target: DependencyTarget = PROJECT) -> list[str]:
        """Remove every requirement on `name` from `target`; the removed strings. Its
        `[tool.uv.sources]` entry goes too, as in uv."""
        wanted = _normalize(name)
        found = self._array(target, create=False)
        if found is None:
            return []
        table, key, array = found
        removed: list[str] = []
        for index in reversed(range(len(array.entries))):
            parsed = _requirement_name(array.entries[index].value)
            if parsed is not None and parsed[0] == wanted:
                removed.insert(0, _decoded(array.remove(index)))
        if removed:
            self._store(table, key, array)
            self.remove_source(wanted)
        return removed

    def find_requirement(self, name: str) -> list[DependencyTarget]:
        """Every table that holds a requirement on `name`."""
        wanted = _normalize(name)
        targets = [PROJECT]
        extras = self._table(("project", "optional-dependencies"), create=False)
        targets += [optional(k) for k in (extras or {})]
        groups = self._table(("dependency-groups",), create=False)
        targets += [group(k) for k in (groups or {})]
        targets.append(DEV)
        result = []
        for target in targets:
            found = self._array(target, create=False)
            if found is None:
                continue
            names = [_requirement_name(v) for v in found[2].values()]
            if any(n is not None and n[0] == wanted for n in names):
                result.append(target)
        return result

    # -- workspace ---------------------------------------------------------------------

    def workspace_members(self) -> list[str] | None:
        """`tool.uv.workspace.members`, or `None` when there is no `[tool.uv.workspace]`."""
        workspace = self._table(("tool", "uv", "workspace"), create=False)
        if workspace is None:
            return None
        members = workspace.get("members")
        return [str(m) for m in members] if members is not None else []

    def add_workspace_member(self, path: str) -> None:
        """Append `path` (with `/` separators) to `tool.uv.workspace.members`."""
        workspace = self._table(("tool", "uv", "workspace"), create=True)
        members = workspace.get("members")
        if members is not None and not isinstance(members, list):
            raise self._malformed("tool.uv.workspace.members", "an array of paths")
        array = (DependencyArray.parse(members.as_string())  # type: ignore[attr-defined]
                 if members is not None else DependencyArray([], "    ", []))
        array.insert(len(array.entries), _toml_string(path.replace(os.sep, "/")))
        self._store(workspace, "members", array)

    # -- sources and indexes -----------------------------------------------------------

    def sources(self) -> dict[str, Any]:
        table = self._table(("tool", "uv", "sources"), create=False)
        return {} if table is None else dict(table.unwrap())

    def add_source(self, name: str, source: Mapping[str, Any]) -> None:
        """Set `[tool.uv.sources]` `name = { ... }` (an inline table, keys in order)."""
        import tomlkit

        table = self._table(("tool", "uv", "sources"), create=True)
        value = tomlkit.parse(f"v = {_inline_table(source)}\n")["v"]
        key = next((k for k in table if _normalize(k) == _normalize(name)), _normalize(name))
        self._set_in_table(table, key, value)

    def remove_source(self, name: str) -> bool:
        """Drop `name` from `[tool.uv.sources]`; the table goes when it is left empty."""
        table = self._table(("tool", "uv", "sources"), create=False)
        if table is None:
            return False
        key = next((k for k in table if _normalize(k) == _normalize(name)), None)
        if key is None:
            return False
        del table[key]
        if not table:
            uv = self._table(("tool", "uv"), create=False)
            blank_runs = self.doc.as_string().count("\n\n\n")
            del uv["sources"]
            self._drop_extra_blank_line(uv, blank_runs)
        return True

    def _drop_empty_implicit(self, keys: tuple[str, ...]) -> None:
        """Remove the implicit tables of `keys` (`[tool.uv]` only as a prefix of
        `[[tool.uv.index]]`) that an edit left empty, deepest first."""
        for depth in range(len(keys), 0, -1):
            parent: Any = self.doc
            for key in keys[:depth - 1]:
                parent = parent[key]
            table = parent.get(keys[depth - 1])
            if table is None or len(table) or not table.is_super_table():
                return
            del parent[keys[depth - 1]]
        text = self.doc.as_string()
        if text.endswith("\n\n"):  # the blank line that separated the removed tables
            body = self.doc.body
            while body and body[-1][0] is None:
                body.pop()
            last = body[-1][1] if body else None
            inner = getattr(last, "value", None)
            if inner is not None and inner.body and inner.body[-1][0] is None:
                inner.body.pop()

    def _drop_extra_blank_line(self, uv: Any, blank_runs: int) -> None:
        """Removing the first table of an implicit `[tool.uv]` can leave the blank line
        `tomlkit` gave the super-table and the next table's own: keep one, as uv does."""
        if self.doc.as_string().count("\n\n\n") <= blank_runs:
            return
        for key, item in uv.value.body:
            if key is None:  # what a deleted key leaves behind
                continue
            first = item[0] if isinstance(item, list) and len(item) else item
            trivia = getattr(first, "trivia", None)
            if trivia is not None and trivia.indent.strip(" \t") == "\n":
                trivia.indent = ""
            break

    def indexes(self) -> list[dict[str, Any]]:
        uv = self._table(("tool", "uv"), create=False)
        found = uv.get("index") if uv is not None else None
        return [dict(t.unwrap()) for t in found] if found is not None else []

    def add_index(self, name: str | None, url: str, *, explicit: bool = False,
                  default: bool = False) -> None:
        """Add a `[[tool.uv.index]]` table; one with the same name (or, unnamed, the same
        URL) is updated in place."""
        import tomlkit

        uv = self._table(("tool", "uv"), create=True)
        entries = uv.get("index")
        if entries is not None and not isinstance(entries, list):
            raise self._malformed("tool.uv.index", "an array of tables")
        if entries is not None:
            for entry in entries:
                if (name is not None and entry.get("name") == name) or (
                        name is None and entry.get("url") == url):
                    entry["url"] = url
                    if explicit:
                        entry["explicit"] = True
                    if default:
                        entry["default"] = True
                    return
        table = tomlkit.table()
        if name is not None:
            table["name"] = name
        table["url"] = url
        if explicit:
            table["explicit"] = True
        if default:
            table["default"] = True
        if entries is None:
            self._separate(table)
            aot = tomlkit.aot()
            aot.append(table)
            uv["index"] = aot
        else:
            entries.append(table)

    def remove_index(self, name: str) -> bool:
        """Remove the `[[tool.uv.index]]` table called `name`."""
        uv = self._table(("tool", "uv"), create=False)
        entries = uv.get("index") if uv is not None else None
        if entries is None:
            return False
        for position, entry in enumerate(entries):
            if entry.get("name") == name:
                del entries[position]
                if not entries:
                    del uv["index"]
                    self._drop_empty_implicit(("tool", "uv"))
                return True
        return False

