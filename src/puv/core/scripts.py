"""PEP 723 inline script metadata: the `# /// script` block of a Python file.

Pure: `read_script_metadata(text, name)` takes the script's text (and the name to use in
messages) and returns its `ScriptMetadata`, `None` when it has no `script` block, or raises
`ScriptError` naming the script and the line at fault.

The block is found as PEP 723's reference regular expression finds it: an opening line
`# /// script`, then lines that are `#` alone or `#` and a space, closed by the *last* `# ///`
line of that run of comment lines (so two blocks with only comments between them read as one,
as in uv). Every content line loses its `# ` (or `#`) prefix and the result is TOML. An opening
line without a closing one is uv's error; a second `script` block is an error (PEP 723).

Read from the TOML: `requires-python` (a version specifier), `dependencies` (PEP 508
requirement strings) and the `[tool]` table; other keys are ignored, as uv ignores them.
"""

from __future__ import annotations

import re

from puv.errors import PuvError

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

__all__ = ["ScriptError", "ScriptMetadata", "find_script_block", "read_script_metadata"]

# PEP 723's reference expression.
_BLOCK = re.compile(
    r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
_OPENING = re.compile(r"(?m)^# /// script$")
_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)$")


class ScriptError(PuvError):
    """A script's inline metadata cannot be read; the message names the script and line."""


class ScriptBlock:
    """The raw block: the line of its opening tag (1-based), its content lines (prefix
    removed) and the text of those lines (TOML)."""

    __slots__ = ("lines", "start")

    def __init__(self, start: int, lines: tuple[str, ...]) -> None:
        self.start = start
        self.lines = lines

    @property
    def toml(self) -> str:
        return "".join(line + "\n" for line in self.lines)

    def line_of(self, index: int) -> int:
        """The script's line number of content line `index` (0-based)."""
        return self.start + 1 + index


class ScriptMetadata:
    """What a script's block declares. `requirements` are the `dependencies` strings, checked
    to be PEP 508 requirements; `tool` is the `[tool]` table (`tool["uv"]` for uv's own
    settings)."""

    __slots__ = ("block", "name", "requirements", "requires_python", "tool")

    def __init__(self, *, name: str, block: ScriptBlock, requires_python: str | None,
                 requirements: tuple[str, ...], tool: Mapping[str, Any]) -> None:
        self.name = name  # the script, as messages name it
        self.block = block
        self.requires_python = requires_python
        self.requirements = requirements
        self.tool = tool

    @property
    def tool_uv(self) -> Mapping[str, Any]:
        uv = self.tool.get("uv")
        return uv if isinstance(uv, dict) else {}


def find_script_block(text: str, name: str) -> ScriptBlock | None:
    """The `script` block of a script's text, `None` when there is none."""
    text = text.replace("\r\n", "\n")
    blocks = [m for m in _BLOCK.finditer(text) if m.group("type") == "script"]
    if len(blocks) > 1:
        first, second = (text.count("\n", 0, m.start()) + 1 for m in blocks[:2])
        raise ScriptError(f"`{name}` has more than one `# /// script` block (lines {first} and "
                          f"{second}); PEP 723 allows one per script")
    if not blocks:
        opening = _OPENING.search(text)
        if opening is None:
            return None
        line = text.count("\n", 0, opening.start()) + 1
        raise ScriptError(
            f"Failed to read the inline script metadata of `{name}`: an opening tag "
            f"(`# /// script`) was found at line {line} without a closing tag (`# ///`). "
            "Ensure that every line between the opening and closing tags (including empty "
            "lines) starts with a leading `#`.")
    match = blocks[0]
    start = text.count("\n", 0, match.start()) + 1
    lines = tuple(line[2:] if line.startswith("# ") else line[1:]
                  for line in match.group("content").splitlines())
    return ScriptBlock(start, lines)


def _failure(name: str, line: int, what: str) -> ScriptError:
    return ScriptError(f"Failed to parse the inline script metadata of `{name}` at line "
                       f"{line}: {what}")


def _key_line(block: ScriptBlock, key: str, needle: str | None = None) -> int:
    """The script line where `key` is assigned (or, given `needle`, the first line from
    there that contains it); the opening tag's line when not found."""
    start = next((i for i, line in enumerate(block.lines)
                  if line.lstrip().startswith(key)), None)
    if start is None:
        return block.start
    if needle is not None:
        for index in range(start, len(block.lines)):
            if needle in block.lines[index]:
                return block.line_of(index)
    return block.line_of(start)


def _parse_toml(block: ScriptBlock, name: str) -> dict[str, Any]:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        data: dict[str, Any] = tomllib.loads(block.toml)
        return data
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _POSITION.search(message)
        if position is not None:
            index = int(position.group(1)) - 1
            line = block.line_of(index)
            prefix = 2 if index < len(block.lines) else 0
            column = int(position.group(2)) + prefix
            reason = message[: position.start()].rstrip()
            raise _failure(name, line, f"{reason} (column {column})") from None
        reason = message.replace(" (at end of document)", "")
        end = block.line_of(len(block.lines))  # the closing tag
        raise _failure(name, end, f"{reason} at the end of the block") from None


def _type_name(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a float",
             list: "an array", dict: "a table"}
    return names.get(type(value), f"a {type(value).__name__}")


def _checked_requirement(text: str, name: str, line: int) -> str:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement as error:
        raise _failure(name, line, f"invalid requirement `{text}` in `dependencies`: "
                       f"{error}") from None
    for specifier in requirement.specifier:
        if not specifier.version:
            raise _failure(name, line, f"invalid requirement `{text}` in `dependencies`: "
                           "Unexpected end of version specifier, expected version")
    return text


def read_script_metadata(text: str, name: str) -> ScriptMetadata | None:
    """The metadata of a script's `script` block (see the module docstring)."""
    block = find_script_block(text, name)
    if block is None:
        return None
    data = _parse_toml(block, name)
    requires_python = data.get("requires-python")
    if requires_python is not None:
        line = _key_line(block, "requires-python")
        if not isinstance(requires_python, str):
            raise _failure(name, line, "`requires-python` must be a string, found "
                           f"{_type_name(requires_python)}")
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            SpecifierSet(requires_python)
        except InvalidSpecifier as error:
            raise _failure(name, line, f"invalid `requires-python` `{requires_python}`: "
                           f"{error}") from None
    dependencies = data.get("dependencies", [])
    if not isinstance(dependencies, list):
        raise _failure(name, _key_line(block, "dependencies"), "`dependencies` must be an "
                       f"array of strings, found {_type_name(dependencies)}")
    requirements = []
    for item in dependencies:
        if not isinstance(item, str):
            raise _failure(name, _key_line(block, "dependencies"), "`dependencies` must be "
                           f"an array of strings, found {_type_name(item)} in it")
        requirements.append(
            _checked_requirement(item, name, _key_line(block, "dependencies", item)))
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise _failure(name, _key_line(block, "tool"), "`tool` must be a table, found "
                       f"{_type_name(tool)}")
    return ScriptMetadata(name=name, block=block, requires_python=requires_python,
                          requirements=tuple(requirements), tool=tool)
