"""A TOML array as `toml_edit` holds it, and uv's way of editing dependency arrays.

`toml_edit` keeps, for every element of an array, the text before it (`prefix`: what follows
the previous comma, so an end-of-line comment of the line above, then blank lines, own-line
comments and the indentation) and the text between it and its comma (`suffix`); after the
last comma comes the array's `trailing` text. uv's `add` and `remove` move these decorations
when they insert or remove an element, then re-render the array one element per line
(`reformat`): every comment is kept, an end-of-line comment stays at the end of its line, an
own-line comment gets a line of its own, indented like the first element (four spaces when it
had no indentation).

This module only scans and renders text (pure); `edit.py` puts the result back into the
document.
"""

from __future__ import annotations

from puv.workspace._document import _scan_value

__all__ = ["ArrayItem", "DependencyArray", "split_lines"]


def split_lines(text: str) -> list[str]:
    """Rust's `str::lines`: split at `\\n`, no empty last line, a `\\r` before `\\n` dropped."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


class ArrayItem:
    """One element: its value's text and the decorations around it (`None`: none set)."""

    __slots__ = ("prefix", "suffix", "value")

    def __init__(self, value: str, prefix: str | None = None, suffix: str | None = None) -> None:
        self.value = value
        self.prefix = prefix
        self.suffix = suffix


def _comments(text: str | None) -> list[tuple[str, str | None]]:
    """The comments of a decoration: (text, leading spaces) for one at the end of a line
    (`None` for one on its own line), as uv's `find_comments` tells them apart: a comment is
    on its own line when the line before it was blank or a comment."""
    found: list[tuple[str, str | None]] = []
    previous_empty = previous_comment = False
    for line in split_lines(text or ""):
        if "#" in line:
            before, comment = line.split("#", 1)
            leading = before[len(before.rstrip()):]
            own = previous_empty or previous_comment
            found.append(("#" + comment.rstrip(), None if own else leading))
            previous_empty, previous_comment = not line.strip(), True
        else:
            previous_empty, previous_comment = not line.strip(), False
    return found


class DependencyArray:
    """The elements of an array with their decorations, its trailing text and whether the
    last element has a comma after it."""

    __slots__ = ("items", "trailing", "trailing_comma")

    def __init__(self, items: list[ArrayItem] | None = None, trailing: str = "",
                 trailing_comma: bool = False) -> None:
        self.items = items if items is not None else []
        self.trailing = trailing
        self.trailing_comma = trailing_comma

    @classmethod
    def parse(cls, text: str) -> DependencyArray:
        """Scan the text of an array value (`[...]`)."""
        text = text.strip()
        if not text.startswith("[") or not text.endswith("]"):
            raise ValueError(f"not an array: {text!r}")
        items: list[ArrayItem] = []
        i, stop = 1, len(text) - 1
        while True:
            start = i
            i = _skip_trivia(text, i, stop)
            if i >= stop:
                return cls(items, text[start:stop], trailing_comma=bool(items))
            end = _scan_value(text, i)
            after = _skip_trivia(text, end, stop)
            items.append(ArrayItem(text[i:end], text[start:i], text[end:after]))
            if after < stop and text[after] == ",":
                i = after + 1
                continue
            return cls(items, "", trailing_comma=False)

    def values(self) -> list[str]:
        return [item.value for item in self.items]

    def render(self) -> str:
        parts = ["["]
        for index, item in enumerate(self.items):
            if index:
                parts.append(",")
            default = "" if index == 0 else " "
            parts.append(f"{item.prefix if item.prefix is not None else default}{item.value}"
                         f"{item.suffix or ''}")
        if self.trailing_comma and self.items:
            parts.append(",")
        parts.append(self.trailing)
        parts.append("]")
        return "".join(parts)

    # -- uv's edits ------------------------------------------------------------------------

    def insert(self, index: int, value: str) -> None:
        """Insert `value` at `index`, moving comments as uv's `add_dependency` does: at the
        end it takes the array's trailing comments; in the middle it takes the decoration of
        the element it displaces; at the start it shares the first element's (what is on the
        `[` line stays there)."""
        item = ArrayItem(value)
        if index == len(self.items):
            item.prefix, self.trailing = self.trailing, ""
        elif index > 0:
            target = self.items[index]
            item.prefix, target.prefix = target.prefix or "", ""
        self.items.insert(index, item)
        if len(self.items) > 1 and index == 0:
            nxt = self.items[1]
            prefix = nxt.prefix or ""
            if "\n" in prefix:
                first_line, rest = prefix.split("\n", 1)
                lines = split_lines(rest)
                item.prefix = f"{first_line}\n{lines[-1] if lines else ''}"
                nxt.prefix = f"\n{rest}"
            else:
                item.prefix = prefix

    def push(self, value: str) -> None:
        """Append `value` (`toml_edit`'s `push`: the trailing comments stay at the end)."""
        self.items.append(ArrayItem(value, " " if self.items else ""))

    def remove(self, index: int) -> str:
        """Remove the element at `index`; its decoration (with the end-of-line comment of the
        line above) moves to the next element, or to the trailing text."""
        item = self.items[index]
        if item.prefix:
            if index + 1 < len(self.items):
                nxt = self.items[index + 1]
                nxt.prefix = item.prefix + (nxt.prefix or "")
            else:
                self.trailing = item.prefix + self.trailing
        del self.items[index]
        return item.value

    def replace(self, index: int, value: str) -> None:
        """Replace a value, keeping its decoration."""
        self.items[index].value = value

    def reformat(self) -> None:
        """uv's `reformat_array_multiline`: one element per line, a comma after each,
        comments kept (see the module docstring)."""
        if not self.trailing_comma and self.items:
            last = self.items[-1]
            if last.suffix and "#" in last.suffix:
                self.trailing = last.suffix + self.trailing
                last.suffix = ""
        indent = None
        if self.items:
            lines = split_lines(self.items[0].prefix or "")
            line = lines[-1] if lines else ""
            line = line.split("#", 1)[0]
            indent = line or None
        newline = "\n" + (indent or "    ")
        for item in self.items:
            prefix = []
            for comment, leading in _comments(item.prefix) + _comments(item.suffix):
                prefix.append(newline if leading is None else leading)
                prefix.append(comment)
            prefix.append(newline)
            item.prefix = "".join(prefix)
            item.suffix = ""
        trailing = []
        for comment, leading in _comments(self.trailing):
            trailing.append(newline if leading is None else leading)
            trailing.append(comment)
        if trailing or self.items:
            trailing.append("\n")
        self.trailing = "".join(trailing)
        self.trailing_comma = True


def _skip_trivia(text: str, i: int, stop: int) -> int:
    """Past spaces, newlines and comments."""
    while i < stop:
        char = text[i]
        if char in " \t\r\n":
            i += 1
        elif char == "#":
            end = text.find("\n", i)
            i = stop if end < 0 or end > stop else end
        else:
            break
    return i
