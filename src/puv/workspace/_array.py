"""A TOML array as uv edits it: entries with their comments, re-rendered one per line.

uv (toml_edit) rewrites a dependency array after every `add`/`remove`: one entry per line,
each followed by a comma, indented like the first entry (four spaces when the array was on
one line), comments kept. A comment on the line of an entry stays at the end of that line; a
comment on a line of its own stays above the entry that follows it; comments after the last
entry stay at the end. When an entry is removed its comments move to the entry below.

This module only scans and renders the array's text (pure); `edit.py` puts it back into the
`tomlkit` document.
"""

from __future__ import annotations

__all__ = ["ArrayEntry", "DependencyArray"]


class ArrayEntry:
    """One value of the array: its TOML text, the comment lines above it and the comment at
    the end of its line (with the spaces before it)."""

    __slots__ = ("leading", "trailing", "value")

    def __init__(self, value: str, leading: list[str] | None = None,
                 trailing: str | None = None) -> None:
        self.value = value
        self.leading = leading if leading is not None else []
        self.trailing = trailing


def _scan_string(text: str, i: int) -> int:
    """The index just past the TOML string starting at `text[i]`."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        if end < 0:
            raise ValueError("unterminated string")
        end += 3
        while end < len(text) and text[end] == quote:  # `""""a""""`: up to two more quotes
            end += 1
        return end
    j = i + 1
    while j < len(text):
        char = text[j]
        if char == "\\" and quote == '"':
            j += 2
            continue
        if char == quote:
            return j + 1
        j += 1
    raise ValueError("unterminated string")


def _scan_value(text: str, i: int) -> int:
    """The index just past the value starting at `text[i]` (a string, a scalar, an inline
    table or a nested array)."""
    if text[i] in "\"'":
        return _scan_string(text, i)
    depth = 0
    j = i
    while j < len(text):
        char = text[j]
        if char in "\"'":
            j = _scan_string(text, j)
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            if depth == 0:
                return j
            depth -= 1
            if depth == 0:
                return j + 1
        elif depth == 0 and char in ",#\n \t\r":
            return j
        j += 1
    return j


class DependencyArray:
    """The entries of a TOML array, its indentation and its closing comments."""

    __slots__ = ("end", "entries", "indent")

    def __init__(self, entries: list[ArrayEntry], indent: str, end: list[str]) -> None:
        self.entries = entries
        self.indent = indent
        self.end = end

    @classmethod
    def parse(cls, text: str) -> DependencyArray:
        """Scan the text of an array (`[...]`, as `tomlkit` renders it)."""
        text = text.strip()
        if not text.startswith("[") or not text.endswith("]"):
            raise ValueError(f"not an array: {text!r}")
        entries: list[ArrayEntry] = []
        pending: list[str] = []
        first_prefix: str | None = None
        prefix_start = 1
        same_line = False  # still on the line of the last entry (a comment there is its own)
        i, stop = 1, len(text) - 1
        while i < stop:
            char = text[i]
            if char == "\n":
                same_line = False
                i += 1
            elif char in " \t\r,":
                i += 1
            elif char == "#":
                end = text.find("\n", i)
                end = stop if end < 0 or end > stop else end
                comment = text[i:end].rstrip()
                if same_line and entries and entries[-1].trailing is None:
                    start = i
                    while start > 0 and text[start - 1] in " \t":
                        start -= 1
                    entries[-1].trailing = text[start:i] + comment
                else:
                    pending.append(comment)
                i = end
            else:
                if first_prefix is None:
                    first_prefix = text[prefix_start:i]
                end = _scan_value(text, i)
                entries.append(ArrayEntry(text[i:end], pending))
                pending = []
                same_line = True
                i = end
        indent = (first_prefix or "").split("#", 1)[0].lstrip("\n")
        return cls(entries, indent or "    ", pending)

    def values(self) -> list[str]:
        return [entry.value for entry in self.entries]

    def insert(self, index: int, value: str) -> None:
        """Insert a value; at the end, the closing comments move above it (as uv does)."""
        entry = ArrayEntry(value)
        if index >= len(self.entries):
            entry.leading, self.end = self.end, []
        self.entries.insert(index, entry)

    def remove(self, index: int) -> str:
        """Remove an entry; its comments move to the entry below (or to the end)."""
        entry = self.entries.pop(index)
        moved = list(entry.leading)
        if entry.trailing is not None:
            moved.append(entry.trailing.strip())
        if index < len(self.entries):
            self.entries[index].leading[:0] = moved
        else:
            self.end[:0] = moved
        return entry.value

    def render(self) -> str:
        """The multi-line text: one entry per line, a comma after each."""
        if not self.entries and not self.end:
            return "[]"
        parts = ["["]
        for entry in self.entries:
            for comment in entry.leading:
                parts.append(f"\n{self.indent}{comment}")
            parts.append(f"\n{self.indent}{entry.value},{entry.trailing or ''}")
        for comment in self.end:
            parts.append(f"\n    {comment}")
        parts.append("\n]")
        return "".join(parts)
