"""`.env` files as `uv run --env-file` reads them (uv uses the `dotenvy` crate; this module
reproduces its grammar, its quirks included, as observed with uv 0.13.8).

Pure: `parse_dotenv(text, environ)` takes the file's text and the environment used for
`$NAME` / `${NAME}` substitution, and returns the assignments read *before* the first syntax
error together with that error (or `None`). uv keeps those earlier assignments and prints a
warning naming the file, the position and the text at fault; `DotenvError.describe()` gives
that text. Merging files into the child's environment (`apply_env_files`) is also here.

The grammar, line by line:

- blank lines and lines whose first non-blank character is `#` are skipped;
- `KEY=value`, `KEY = value`, `export KEY=value`; a key starts with an ASCII letter or `_` and
  continues with letters, digits, `_` and `.`;
- an unquoted value ends at whitespace, after which only a `# comment` may follow (`a b` is
  an error, `a#b` is the value `a#b`); `\\` escapes the next character;
- `'single'` quotes are literal; `"double"` quotes allow the escapes `\\\\`, `\\'`, `\\"`,
  `\\$`, `\\ ` and `\\n`; a quoted value may span lines; quoted and unquoted parts concatenate
  (`"a"b` is `ab`);
- outside single quotes, `$NAME` (a run of alphanumeric characters: `$MY_VAR` is `$MY`
  followed by `_VAR`) and `${NAME}` are replaced by the variable from `environ`, else by the
  latest value this file gave it, else by nothing. As in `dotenvy`, a `$NAME` that ends at the
  closing double quote swallows the quote (`"x $A"` is an unterminated-quote error).
"""

from __future__ import annotations

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, MutableMapping

__all__ = ["DotenvError", "apply_env_files", "parse_dotenv"]


class DotenvError:
    """A syntax error: the text at fault (a value, a line, or an unterminated stretch of
    lines) and the character position in it, as `dotenvy` reports them."""

    __slots__ = ("content", "position")

    def __init__(self, content: str, position: int) -> None:
        self.content = content
        self.position = position

    def describe(self) -> str:
        return f"at position {self.position}: {self.content}"

    def __repr__(self) -> str:
        return f"DotenvError({self.content!r}, {self.position})"


class _Failure(Exception):
    def __init__(self, content: str, position: int) -> None:
        super().__init__(content)
        self.error = DotenvError(content, position)


# -- logical lines (dotenvy's `QuotedLines`) --------------------------------------------------

_COMPLETE, _WHITESPACE, _ESCAPE, _WEAK, _WEAK_ESCAPE, _STRONG, _STRONG_ESCAPE, _COMMENT = range(8)


def _end_state(state: int, text: str) -> tuple[int, int]:
    """The quoting state after `text` (starting in `state`) and the position it was reached;
    a comment (`#` after whitespace, outside quotes) ends the scan at once."""
    position = 0
    for position, char in enumerate(text):
        if state == _WHITESPACE:
            if char == "#":
                return position, _COMMENT
            state = {"\\": _ESCAPE, '"': _WEAK, "'": _STRONG}.get(char, _COMPLETE)
        elif state == _ESCAPE:
            state = _COMPLETE
        elif state == _COMPLETE:
            if char.isspace() and char not in "\n\r":
                state = _WHITESPACE
            else:
                state = {"\\": _ESCAPE, '"': _WEAK, "'": _STRONG}.get(char, _COMPLETE)
        elif state == _WEAK:
            state = {"\\": _WEAK_ESCAPE, '"': _COMPLETE}.get(char, _WEAK)
        elif state == _WEAK_ESCAPE:
            state = _WEAK
        elif state == _STRONG:
            state = {"\\": _STRONG_ESCAPE, "'": _COMPLETE}.get(char, _STRONG)
        elif state == _STRONG_ESCAPE:
            state = _STRONG
    return position, state


def _logical_lines(text: str) -> Iterator[str]:
    """Physical lines joined while a quote is open; comments after a value cut off."""
    physical = text.splitlines(keepends=True)
    index = 0
    while index < len(physical):
        buffer = ""
        state = _COMPLETE
        while True:
            if index >= len(physical):
                raise _Failure(buffer, len(buffer))  # a quote left open at the end
            start = len(buffer)
            buffer += physical[index]
            index += 1
            if buffer.lstrip().startswith("#"):
                yield ""
                break
            position, state = _end_state(state, buffer[start:])
            if state == _COMPLETE:
                if buffer.endswith("\n"):
                    buffer = buffer[:-1]
                    if buffer.endswith("\r"):
                        buffer = buffer[:-1]
                yield buffer
                break
            if state in (_COMMENT, _WHITESPACE):
                yield buffer[: start + position]
                break


# -- one assignment (dotenvy's `LineParser` and `parse_value`) ------------------------------


def _substitute(name: str, environ: Mapping[str, str], seen: Mapping[str, str | None]) -> str:
    if name in environ:
        return environ[name]
    return seen.get(name) or ""


def _parse_value(text: str, environ: Mapping[str, str], seen: dict[str, str | None]) -> str:
    strong = weak = escaped = expecting_end = False
    output: list[str] = []
    mode = ""  # "", "$" (a `$NAME`) or "{" (a `${NAME}`)
    name: list[str] = []
    for index, char in enumerate(text):
        if expecting_end:
            if char in " \t":
                continue
            if char == "#":
                break
            raise _Failure(text, index)
        if escaped:
            if char in "\\'\"$ ":
                output.append(char)
            elif char == "n":
                output.append("\n")
            else:
                raise _Failure(text, index)
            escaped = False
        elif strong:
            if char == "'":
                strong = False
            else:
                output.append(char)
        elif mode:
            if char.isalnum():
                name.append(char)
            elif mode == "$":
                if char == "{" and not name:
                    mode = "{"
                else:
                    output.append(_substitute("".join(name), environ, seen))
                    name.clear()
                    if char == "$":
                        mode = "$"
                    else:
                        mode = ""
                        output.append(char)
            elif char == "}":
                mode = ""
                output.append(_substitute("".join(name), environ, seen))
                name.clear()
            else:
                name.append(char)
        elif char == "$":
            mode = "$"
        elif weak:
            if char == '"':
                weak = False
            elif char == "\\":
                escaped = True
            else:
                output.append(char)
        elif char == "'":
            strong = True
        elif char == '"':
            weak = True
        elif char == "\\":
            escaped = True
        elif char in " \t":
            expecting_end = True
        else:
            output.append(char)
    if mode == "{" or strong or weak:
        raise _Failure(text, max(len(text) - 1, 0))
    output.append(_substitute("".join(name), environ, seen))
    return "".join(output)


def _is_key_start(char: str) -> bool:
    return char == "_" or (char.isascii() and char.isalpha())


def _is_key_char(char: str) -> bool:
    return char in "_." or (char.isascii() and char.isalnum())


def _key(line: str, position: int, original: str) -> tuple[str, int]:
    if position >= len(line) or not _is_key_start(line[position]):
        raise _Failure(original, position)
    end = position
    while end < len(line) and _is_key_char(line[end]):
        end += 1
    return line[position:end], end


def _skip_blank(line: str, position: int) -> int:
    while position < len(line) and line[position].isspace():
        position += 1
    return position


def _parse_line(line: str, environ: Mapping[str, str], seen: dict[str, str | None]
                ) -> tuple[str, str] | None:
    position = _skip_blank(line, 0)
    if position == len(line) or line[position] == "#":
        return None
    key, position = _key(line, position, line)
    position = _skip_blank(line, position)
    if key == "export" and not line.startswith("=", position):
        key, position = _key(line, position, line)
        position = _skip_blank(line, position)
    if not line.startswith("=", position):
        raise _Failure(line, position)
    position = _skip_blank(line, position + 1)
    rest = line[position:]
    if not rest or rest.startswith("#"):
        seen[key] = None
        return key, ""
    value = _parse_value(rest, environ, seen)
    seen[key] = value
    return key, value


def parse_dotenv(text: str, environ: Mapping[str, str]
                 ) -> tuple[list[tuple[str, str]], DotenvError | None]:
    """The `(key, value)` assignments of a `.env` file in order (a key may repeat), up to
    the first syntax error, and that error (`None` when the whole file is valid)."""
    found: list[tuple[str, str]] = []
    seen: dict[str, str | None] = {}
    try:
        for line in _logical_lines(text):
            entry = _parse_line(line, environ, seen)
            if entry is not None:
                found.append(entry)
    except _Failure as failure:
        return found, failure.error
    return found, None


def apply_env_files(files: list[tuple[str, str]], environ: MutableMapping[str, str]
                    ) -> list[tuple[str, DotenvError]]:
    """Add the variables of `.env` files (`(name, text)` pairs, in command-line order) to
    `environ`, as uv does: a variable already set is never replaced, the first assignment of
    a variable in a file wins over later ones, and a later file wins over an earlier one (uv
    reads them last to first). Substitution sees the original environment. Returns each
    file's syntax error, for the caller's warnings; what preceded an error still applies."""
    original = dict(environ)
    added: set[str] = set()
    errors: list[tuple[str, DotenvError]] = []
    for name, text in reversed(files):
        entries, error = parse_dotenv(text, original)
        for key, value in entries:
            if key in original or key in added:
                continue
            environ[key] = value
            added.add(key)
        if error is not None:
            errors.append((name, error))
    return errors
