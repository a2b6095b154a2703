"""A TOML document as `toml_edit` (the crate uv edits `pyproject.toml` with) holds and prints it.

`uv add` and `uv remove` parse `pyproject.toml` with `toml_edit`, change it, and print the
whole document again. Where the printed text differs from the input is decided by how
`toml_edit` stores a document, so this module stores it the same way:

- Whitespace and comments belong to what *follows* them: the blank lines and comments above a
  header are that table's `prefix`, those above a key are the key's. What is left at the end of
  the file is the document's `trailing` text.
- Tables form a tree (root -> `tool` -> `uv` -> `sources`); each key of a table's map is
  inserted when the parser finishes that table (so `[project]` goes after `[project.urls]` when
  it comes after it in the file). Parents that only appear inside a dotted header
  (`[tool.uv]` makes `tool`) are *implicit*: in the tree, never printed.
- Each header of the file has a position (1, 2, ... in file order); tables created by an edit
  have none. Printing walks the tree depth first, gives a table without a position the position
  of the table walked just before it, and sorts the tables by position (a stable sort). This is
  why a new `[project.optional-dependencies]` lands right after `[project.scripts]` and a new
  `[tool.uv.sources]` after the last table of the file.
- Every key-value line is printed with a newline after it (a file without a final newline
  gains one after its last key; `\\r\\n` becomes `\\n`).

Only what `add` and `remove` touch is modelled: tables, arrays of tables and key-value lines
(kept as text). Values are parsed on demand (`tomllib`). Dotted keys (`tool.uv.x = 1`) are kept
as lines; the edit model refuses to edit tables written that way.

The caller validates the text with a real TOML parser first: the scanner assumes valid TOML.
"""

from __future__ import annotations

import re
import sys

__all__ = ["Document", "KeyValue", "Table", "decode_value", "format_key", "format_string"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def decode_value(text: str) -> object:
    """The Python value of a TOML value's text (`None` when it doesn't parse)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return None


def format_string(value: str) -> str:
    """A string as `toml_edit` writes a new one: a literal `'...'` when it holds a backslash
    (and no character that forbids it), else a basic `"..."` string with escapes."""
    if "\\" in value and "'" not in value and "\n" not in value and all(
            ch == "\t" or (ch >= " " and ch != "\x7f") for ch in value):
        return f"'{value}'"
    out = ['"']
    for ch in value:
        if ch == "\b":
            out.append("\\b")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\f":
            out.append("\\f")
        elif ch == "\r":
            out.append("\\r")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch < " " or ch == "\x7f":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def format_key(key: str) -> str:
    """A key as written in a header or before `=`: bare when it can be."""
    return key if _BARE_KEY.fullmatch(key) else format_string(key)


class KeyValue:
    """One `key = value` line (or lines, for a multi-line array), as text: the whitespace and
    comments above it (`prefix`), the key as written, what lies between key and value
    (`eq`, usually ` = `), the value, and what follows it on its last line (`suffix`: spaces
    and a comment)."""

    __slots__ = ("eq", "key_text", "keys", "prefix", "suffix", "value")

    def __init__(self, keys: tuple[str, ...], value: str, *, prefix: str = "",
                 key_text: str | None = None, eq: str = " = ", suffix: str = "") -> None:
        self.keys = keys
        self.value = value
        self.prefix = prefix
        self.key_text = key_text if key_text is not None else ".".join(map(format_key, keys))
        self.eq = eq
        self.suffix = suffix

    @property
    def dotted(self) -> bool:
        return len(self.keys) > 1

    def render(self) -> str:
        return f"{self.prefix}{self.key_text}{self.eq}{self.value}{self.suffix}\n"


class Table:
    """A table: its header line as written (`None` for a new or implicit one), the text above
    the header, its position, its key-value lines and its sub-tables (a `Table`, or a list of
    them for an array of tables), in the order `toml_edit` keeps them."""

    __slots__ = ("children", "header", "implicit", "items", "path", "position", "prefix")

    def __init__(self, path: tuple[str, ...], *, implicit: bool = False,
                 position: int | None = None, prefix: str | None = None,
                 header: str | None = None) -> None:
        self.path = path
        self.implicit = implicit
        self.position = position
        self.prefix = prefix
        self.header = header
        self.items: list[KeyValue] = []
        self.children: dict[str, Table | list[Table]] = {}

    # -- key-values --------------------------------------------------------------------

    def get(self, key: str) -> KeyValue | None:
        return next((kv for kv in self.items if kv.keys == (key,)), None)

    def set(self, key: str, value: str) -> KeyValue:
        """Replace the value of `key` (its decoration kept), or append `key = value`."""
        found = self.get(key)
        if found is not None:
            found.value = value
            return found
        kv = KeyValue((key,), value)
        self.items.append(kv)
        return kv

    def remove(self, key: str) -> KeyValue | None:
        found = self.get(key)
        if found is not None:
            self.items.remove(found)
        return found

    def dotted_under(self, key: str) -> bool:
        """Whether a dotted key line (`key.x = ...`) defines `key` inside this table."""
        return any(kv.dotted and kv.keys[0] == key for kv in self.items)

    def sort_items(self) -> None:
        """`toml_edit`'s `Table::sort_values`: the key-value lines in key order."""
        self.items.sort(key=lambda kv: kv.keys)

    # -- sub-tables --------------------------------------------------------------------

    def child(self, key: str) -> Table | list[Table] | None:
        return self.children.get(key)

    def add_child(self, key: str, table: Table | list[Table]) -> None:
        self.children[key] = table

    def remove_child(self, key: str) -> None:
        self.children.pop(key, None)

    def visible(self) -> bool:
        return not (self.implicit and not self.items)


class Document:
    """A parsed document: the root table and the text after the last line."""

    __slots__ = ("root", "trailing")

    def __init__(self, root: Table, trailing: str) -> None:
        self.root = root
        self.trailing = trailing

    def __len__(self) -> int:
        """How many keys the root table has (values and tables), as `toml_edit` counts."""
        keys = {kv.keys[0] for kv in self.root.items}
        keys.update(self.root.children)
        return len(keys)

    @classmethod
    def parse(cls, text: str) -> Document:
        return _Parser(text.replace("\r\n", "\n")).parse()

    def render(self) -> str:
        """The document as `toml_edit` prints it (see the module docstring)."""
        walked: list[tuple[int, Table, bool]] = []
        last = 0

        def visit(table: Table, is_array: bool) -> None:
            nonlocal last
            if table.position is not None:
                last = table.position
            walked.append((last, table, is_array))
            for child in table.children.values():
                if isinstance(child, list):
                    for element in child:
                        visit(element, True)
                else:
                    visit(child, False)

        visit(self.root, False)
        walked.sort(key=lambda entry: entry[0])
        out: list[str] = []
        first = True
        for _, table, is_array in walked:
            if table is self.root:
                first = first and not table.items
            elif is_array or table.visible():
                prefix = table.prefix if table.prefix is not None else ("" if first else "\n")
                first = False
                header = table.header
                if header is None:
                    path = ".".join(map(format_key, table.path))
                    header = f"[[{path}]]" if is_array else f"[{path}]"
                out.append(f"{prefix}{header}\n")
            out.extend(kv.render() for kv in table.items)
        out.append(self.trailing)
        return "".join(out)


# -- the scanner ---------------------------------------------------------------------------


def _scan_string(text: str, i: int) -> int:
    """The index just past the TOML string that starts at `text[i]`."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.index(quote * 3, i + 3) + 3
        while end < len(text) and text[end] == quote:  # `""""a""""`: up to two more quotes
            end += 1
        return end
    j = i + 1
    while text[j] != quote:
        j += 2 if text[j] == "\\" and quote == '"' else 1
    return j + 1


def _scan_value(text: str, i: int) -> int:
    """The index just past the value starting at `text[i]`: a string, an array or inline
    table (with strings and comments inside), or a scalar (up to a comment or the line's
    end, trailing spaces excluded)."""
    char = text[i]
    if char in "\"'":
        return _scan_string(text, i)
    if char in "[{":
        depth = 0
        j = i
        while True:
            char = text[j]
            if char in "\"'":
                j = _scan_string(text, j)
                continue
            if char == "#":
                j = text.find("\n", j)
                continue
            if char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
    end = len(text)
    for stop in ("#", "\n"):
        found = text.find(stop, i)
        if 0 <= found < end:
            end = found
    while end > i and text[end - 1] in " \t":
        end -= 1
    return end


def _scan_key(text: str, i: int) -> tuple[tuple[str, ...], int]:
    """A (dotted) key starting at `text[i]`: its parts and the index past it (spaces after
    the last part not included)."""
    keys: list[str] = []
    while True:
        while text[i] in " \t":
            i += 1
        if text[i] in "\"'":
            end = _scan_string(text, i)
            decoded = decode_value(text[i:end])
            keys.append(decoded if isinstance(decoded, str) else text[i + 1:end - 1])
        else:
            match = _BARE_KEY.match(text, i)
            end = match.end() if match else i + 1
            keys.append(text[i:end])
        i = end
        j = i
        while j < len(text) and text[j] in " \t":
            j += 1
        if j < len(text) and text[j] == ".":
            i = j + 1
            continue
        return tuple(keys), i


class _Parser:
    """Builds the tree the way `toml_edit`'s parser does (see the module docstring)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.root = Table(())
        self.current = self.root
        self.current_is_array = False
        self.position = 0

    def parse(self) -> Document:
        text = self.text
        i = 0
        trivia_start = 0
        while i < len(text):
            char = text[i]
            if char in " \t\n":
                i += 1
            elif char == "#":
                end = text.find("\n", i)
                i = len(text) if end < 0 else end
            elif char == "[":
                i = self._header(i, text[trivia_start:self._line_start(i)],
                                 self._line_start(i))
                trivia_start = i
            else:
                i = self._key_value(i, text[trivia_start:self._line_start(i)],
                                    self._line_start(i))
                trivia_start = i
        self._finish()
        return Document(self.root, text[trivia_start:])

    def _line_start(self, i: int) -> int:
        """Where the line of `text[i]` starts, spaces before `i` being part of the prefix."""
        start = i
        while start > 0 and self.text[start - 1] in " \t":
            start -= 1
        return start

    def _rest_of_line(self, i: int) -> tuple[str, int]:
        """The spaces and comment after a value or header, and the index after the line."""
        end = self.text.find("\n", i)
        if end < 0:
            return self.text[i:], len(self.text)
        return self.text[i:end], end + 1

    def _key_value(self, i: int, prefix: str, line_start: int) -> int:
        text = self.text
        indent = text[line_start:i]
        keys, after_key = _scan_key(text, i)
        eq_end = text.index("=", after_key) + 1
        while text[eq_end] in " \t":
            eq_end += 1
        value_end = _scan_value(text, eq_end)
        suffix, next_line = self._rest_of_line(value_end)
        kv = KeyValue(keys, text[eq_end:value_end], prefix=prefix + indent,
                      key_text=text[i:after_key], eq=text[after_key:eq_end], suffix=suffix)
        self.current.items.append(kv)
        return next_line

    def _header(self, i: int, prefix: str, line_start: int) -> int:
        text = self.text
        is_array = text.startswith("[[", i)
        keys, after = _scan_key(text, i + (2 if is_array else 1))
        close = text.index("]]" if is_array else "]", after) + (2 if is_array else 1)
        rest, next_line = self._rest_of_line(close)
        header = text[i:close] + rest
        self._finish()
        parent = self._descend(keys[:-1])
        key = keys[-1]
        self.position += 1
        if is_array:
            if not isinstance(parent.children.get(key), list):
                parent.children[key] = []
            table = Table(keys, position=self.position, prefix=prefix + text[line_start:i],
                          header=header)
        else:
            existing = parent.children.pop(key, None)
            table = existing if isinstance(existing, Table) else Table(keys)
            table.implicit = False
            table.position = self.position
            table.prefix = prefix + text[line_start:i]
            table.header = header
        self.current = table
        self.current_is_array = is_array
        return next_line

    def _descend(self, keys: tuple[str, ...]) -> Table:
        table = self.root
        for depth, key in enumerate(keys):
            found = table.children.get(key)
            if found is None:
                found = Table(keys[:depth + 1], implicit=True)
                table.children[key] = found
            table = found[-1] if isinstance(found, list) else found
        return table

    def _finish(self) -> None:
        """Put the table being read into its parent (at the end of the parent's map)."""
        table = self.current
        if table is self.root:
            return
        parent = self._descend(table.path[:-1])
        key = table.path[-1]
        if self.current_is_array:
            found = parent.children.get(key)
            if isinstance(found, list):
                found.append(table)
            else:
                parent.children[key] = [table]
        else:
            parent.children[key] = table
        self.current = self.root
