"""Requirements files in pip's format, as `uv pip install -r` and `uv pip sync` read them.

Pure: the caller reads files (`read(path) -> str`, which may raise `OSError`), so the command
layer decides how to decode them and whether a remote `-r https://...` may be fetched.

What is understood:

- Comments: `#` at the start of a line or after whitespace; `a.whl#sha256=...` is a URL
  fragment, not a comment. A comment line never continues onto the next line.
- Continuations: a line ending in `\\` is joined to the next one (without a space) before
  comments are stripped; an entry's `line` is its first physical line.
- Environment variables: `${NAME}` (upper case, digits, `_`), after comments are stripped;
  unset variables stay as written. `RequirementEntry.text` keeps the text as written.
- Options on their own line, with `=` or a space: `-r`/`--requirement`, `-c`/`--constraint`,
  `-e`/`--editable`, `-i`/`--index-url`, `--extra-index-url`, `-f`/`--find-links`,
  `--no-index`, `--no-binary`, `--only-binary`, `--trusted-host`, `--pre`, `--require-hashes`.
  pip's `--prefer-binary` and `--use-feature` are accepted and listed in
  `RequirementsFile.ignored_options` (uv ignores them too); any other option is an error.
- After a requirement, on the same logical line: `--hash=algo:hex` (repeatable),
  `--config-settings`/`-C KEY=VALUE` (stored), `--global-option`/`--install-option`
  (accepted and dropped: they drive `setup.py`, which uv never calls directly).
- An option's value is one word (no shell quoting); `-e` starts its line. A NUL character
  means the file is binary data, an error (decoding the bytes is the caller's job).

Relative paths follow uv (and pip):

- `-r`/`-c` files are relative to the directory of the file that names them; a remote file's
  relative includes are joined to its URL.
- `--find-links` directories are relative to the file that names them (uv 0.12.1 and later),
  and made absolute against `working_dir`.
- Requirements that are paths (`./dist/a-1.0-py3-none-any.whl`, `-e ../pkg`, `file:./x`,
  `name @ ./x`) are relative to the *working directory* (`working_dir`, default the current
  one), wherever the file that names them lies: uv resolves them like pip does.

Local paths come out as absolute `file://` URLs (percent-encoded, fragment kept) in
`RequirementEntry.url`; `RequirementEntry.path` gives the filesystem path back. Other URLs
(`https://`, `git+https://`) are kept as written. A hash in a URL fragment is left in the URL.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from puv.core.filenames import parse_filename
from puv.core.hashes import Hash
from puv.errors import RequirementsError

__all__ = [
    "RequirementEntry",
    "RequirementsFile",
    "parse_requirement_line",
    "parse_requirements",
    "parse_requirements_text",
]

COMMAND_LINE = "<command line>"
_ENV_VAR = r"\$\{([A-Z0-9_]+)\}"
_SCHEME = r"[A-Za-z][A-Za-z0-9+.-]*:"
_DRIVE = r"[A-Za-z]:[\\/]"
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
# `name @ url` and `name[extras] @ url`: PEP 508 even when the URL is a local path.
_NAMED_URL = r"[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\]\s*)?@"  # no nested `\s*`: linear
_EDITABLE = r"(?:-e|--editable(?=[\s=]))\s*=?\s*"
_ARCHIVES = (".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar")
_SHOWN = 200  # characters of a bad line echoed in a message

# Option -> (what it sets, takes a value).
_OPTIONS: dict[str, tuple[str, bool]] = {
    "-r": ("requirement", True), "--requirement": ("requirement", True),
    "-c": ("constraint", True), "--constraint": ("constraint", True),
    "-e": ("editable", True), "--editable": ("editable", True),
    "-i": ("index_url", True), "--index-url": ("index_url", True),
    "--extra-index-url": ("extra_index_url", True),
    "-f": ("find_links", True), "--find-links": ("find_links", True),
    "--no-index": ("no_index", False),
    "--no-binary": ("no_binary", True), "--only-binary": ("only_binary", True),
    "--trusted-host": ("trusted_host", True),
    "--pre": ("pre", False),
    "--require-hashes": ("require_hashes", False),
    "--prefer-binary": ("ignored", False), "--use-feature": ("ignored", True),
}
_PER_REQUIREMENT: dict[str, str] = {
    "--hash": "hash", "--config-settings": "config_settings", "-C": "config_settings",
    "--global-option": "ignored", "--install-option": "ignored",
}
_OPTIONS_HINT = ("a requirements file accepts `-r`, `-c`, `-e`, `-i`, `--extra-index-url`, "
                 "`-f`, `--no-index`, `--no-binary`, `--only-binary`, `--trusted-host`, "
                 "`--pre` and `--require-hashes` on their own line, and `--hash` after a "
                 "requirement")


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementEntry:
    """One requirement of a file or a command line.

    Named requirements (`a>=1`, `a @ https://...`) have `requirement`; unnamed ones (a path or
    URL) only `url`, with `name` when the file name or an `#egg=` fragment tells it. `name` is
    canonical (`Foo_Bar` -> `foo-bar`); `text` is the requirement as written, for messages.
    """

    requirement: Requirement | None = None
    url: str | None = None
    name: str | None = None
    extras: frozenset[str] = frozenset()
    marker: Marker | None = None
    editable: bool = False
    hashes: tuple[str, ...] = ()  # "sha256:<hex>"
    config_settings: tuple[str, ...] = ()  # "KEY=VALUE", from `--config-settings`
    source: str = COMMAND_LINE
    line: int = 1
    text: str = ""
    # A locked file of an index (a `pylock.toml` wheel): fetched from `url`, but installed as
    # a registry distribution (no `direct_url.json`, so `pip freeze` shows `name==version`).
    from_index: bool = False

    @property
    def is_pinned(self) -> bool:
        """`==1.0` (no wildcard) or `===1.0`, alone: what `--require-hashes` asks of a
        requirement that is not a direct URL."""
        if self.requirement is None or self.requirement.url is not None:
            return False
        specifiers = list(self.requirement.specifier)
        return len(specifiers) == 1 and (specifiers[0].operator == "===" or (
            specifiers[0].operator == "==" and not specifiers[0].version.endswith(".*")))

    @property
    def path(self) -> str | None:
        """The local path of a `file://` URL, else `None`."""
        location = (self.url or "").partition("#")[0].replace("file://localhost/", "file:///")
        if not location.startswith("file:///"):
            return None
        path = urllib.parse.unquote(location[7:])
        if re.match(r"/[A-Za-z]:/", path):  # file:///C:/x on Windows
            path = path[1:]
        return os.path.normpath(path)


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementsFile:
    """What a requirements file (and the files it includes) asks for.

    `no_binary`/`only_binary` list `:all:`, `:none:` and canonical names in the order given;
    the last `-i` wins, as in pip.
    """

    requirements: tuple[RequirementEntry, ...] = ()
    constraints: tuple[RequirementEntry, ...] = ()
    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    no_binary: tuple[str, ...] = ()
    only_binary: tuple[str, ...] = ()
    trusted_hosts: tuple[str, ...] = ()
    pre: bool = False
    require_hashes: bool = False
    ignored_options: tuple[str, ...] = ()  # pip options puv accepts and ignores


def parse_requirements(path: str, *, read: Callable[[str], str], constraint: bool = False,
                       environ: Mapping[str, str] | None = None,
                       working_dir: str | None = None) -> RequirementsFile:
    """Parse the requirements file at `path` (a `-c` file when `constraint`), with its
    includes, each read through `read`. `environ` expands `${VAR}` (default `os.environ`);
    `working_dir` anchors relative requirement paths (default the current directory)."""
    reader = _Reader(read, environ, working_dir)
    reader.include(path, constraint=constraint, chain=(), origin=None)
    return reader.result()


def parse_requirements_text(text: str, source: str, *, read: Callable[[str], str] | None = None,
                            constraint: bool = False, environ: Mapping[str, str] | None = None,
                            working_dir: str | None = None) -> RequirementsFile:
    """Parse `text` as the requirements file `source` (named in messages; its directory
    anchors `-r`/`-c`). Without `read`, an include is an error."""
    reader = _Reader(read, environ, working_dir)
    reader.parse(text, source, constraint=constraint, chain=((reader.key(source), source),))
    return reader.result()


def parse_requirement_line(text: str, source: str = COMMAND_LINE, base_dir: str | None = None,
                           *, editable: bool = False) -> RequirementEntry:
    """One requirement as given on a command line (`'a>=1'`, `./a.whl`, `a @ https://...`);
    relative paths resolve against `base_dir` (default the current directory). Nothing is
    expanded and no `--hash` options are read."""
    spec = text.strip()
    where = _Where(source, 1, 0)
    if not spec:
        raise RequirementsError(f"Empty requirement{where.suffix()}")
    entry = _entry(spec, spec, where, base_dir or os.getcwd(), editable=editable)
    requirement = entry.requirement
    if (requirement is not None and spec.endswith((".txt", ".in")) and not requirement.url
            and not requirement.specifier and not requirement.extras):
        raise RequirementsError(
            f"Requirement `{_show(spec)}` looks like a requirements file but was passed as a "
            f"package name. Did you mean `-r {_show(spec)}`?")
    return entry


class _Where:
    """Where a line came from, for messages: file, 1-based line, character offset."""

    __slots__ = ("line", "position", "source")

    def __init__(self, source: str, line: int, position: int) -> None:
        self.source = source
        self.line = line
        self.position = position

    def suffix(self) -> str:
        return "" if self.source == COMMAND_LINE else f" in `{self.source}` at line {self.line}"

    def error(self, what: str, text: str, hint: str | None = None) -> RequirementsError:
        return RequirementsError(f"{what}{self.suffix()}: `{_show(text)}`", hint=hint)

    def parse_error(self, text: str, detail: str, hint: str | None) -> RequirementsError:
        if self.source == COMMAND_LINE:
            heading = f"Failed to parse: `{_show(text)}`"
        else:
            heading = (f"Couldn't parse requirement in `{self.source}` at position "
                       f"{self.position} (line {self.line}): `{_show(text)}`")
        if len(detail) > 4 * _SHOWN:  # the caret picture of a huge line helps nobody
            detail = detail.partition("\n")[0]
        detail = "\n".join("  " + line for line in detail.splitlines())
        return RequirementsError(f"{heading}\n{detail}", hint=hint)


class _Reader:
    """Collects the entries and options of a file and its includes, in order."""

    def __init__(self, read: Callable[[str], str] | None, environ: Mapping[str, str] | None,
                 working_dir: str | None) -> None:
        self.read = read
        self.environ = os.environ if environ is None else environ
        self.working_dir = working_dir or os.getcwd()
        self.requirements: list[RequirementEntry] = []
        self.constraints: list[RequirementEntry] = []
        self.lists: dict[str, list[str]] = {key: [] for key in (
            "extra_index_url", "find_links", "no_binary", "only_binary", "trusted_host",
            "ignored")}
        self.flags: dict[str, bool] = {"no_index": False, "pre": False, "require_hashes": False}
        self.index_url: str | None = None

    def result(self) -> RequirementsFile:
        lists = self.lists
        return RequirementsFile(
            requirements=tuple(self.requirements), constraints=tuple(self.constraints),
            index_url=self.index_url, extra_index_urls=tuple(lists["extra_index_url"]),
            find_links=tuple(lists["find_links"]), no_index=self.flags["no_index"],
            no_binary=tuple(lists["no_binary"]), only_binary=tuple(lists["only_binary"]),
            trusted_hosts=tuple(lists["trusted_host"]), pre=self.flags["pre"],
            require_hashes=self.flags["require_hashes"],
            ignored_options=tuple(dict.fromkeys(lists["ignored"])))

    def key(self, path: str) -> str:
        """What identifies a file in an include chain."""
        if "://" in path:
            return path
        return os.path.normpath(os.path.join(self.working_dir, path))

    def include(self, path: str, *, constraint: bool, chain: tuple[tuple[str, str], ...],
                origin: _Where | None) -> None:
        key = self.key(path)
        if any(key == seen for seen, _ in chain):
            names = " -> ".join(f"`{name}`" for _, name in (*chain, (key, path)))
            raise RequirementsError(f"Requirements file `{path}` includes itself: {names}",
                                    hint="remove one of the `-r`/`-c` lines of that cycle")
        if self.read is None:
            assert origin is not None
            raise RequirementsError(
                f"Cannot include `{path}`{origin.suffix()}: no file reader was given")
        via = "" if origin is None else f" (included from `{origin.source}` at line {origin.line})"
        try:
            text = self.read(path)
        except FileNotFoundError:
            raise RequirementsError(f"File not found: `{path}`{via}") from None
        except IsADirectoryError:
            raise RequirementsError(f"`{path}` is a directory, not a requirements file{via}",
                                    hint=f"to install the project in it, drop the `-r`: "
                                    f"`{path}`") from None
        except OSError as error:
            reason = error.strerror or str(error)
            raise RequirementsError(f"Failed to read `{path}`{via}: {reason}") from None
        self.parse(text, path, constraint=constraint, chain=(*chain, (key, path)))

    def parse(self, text: str, source: str, *, constraint: bool,
              chain: tuple[tuple[str, str], ...]) -> None:
        nul = text.find("\0")
        if nul != -1:
            raise RequirementsError(
                f"`{source}` is not a requirements file: it holds binary data (a NUL "
                f"character on line {text.count(chr(10), 0, nul) + 1})",
                hint="a requirements file is UTF-8 text with one requirement per line")
        text = text.removeprefix("\ufeff")
        for number, offset, raw in _logical_lines(text):
            written = _strip_comment(raw)
            line = _expand(written, self.environ).strip()
            if not line:
                continue
            where = _Where(source, number, offset + len(raw) - len(raw.lstrip()))
            if line.startswith("-"):
                self._options(line, written.strip(), where, constraint, chain)
                continue
            spec, options = _split_options(line)
            entry = _entry(spec, _split_options(written.strip())[0], where, self.working_dir,
                           options=options)
            self._add(entry, where, constraint)

    def _add(self, entry: RequirementEntry, where: _Where, constraint: bool) -> None:
        if not constraint:
            self.requirements.append(entry)
            return
        if entry.editable:
            raise where.error("Editable requirements are not allowed as constraints",
                              entry.text)
        if entry.requirement is None:
            raise where.error("Unnamed requirements are not allowed as constraints",
                              entry.text, hint="give the requirement a name: `name @ url`")
        self.constraints.append(entry)

    def _options(self, line: str, written: str, where: _Where, constraint: bool,
                 chain: tuple[tuple[str, str], ...]) -> None:
        editable = re.match(_EDITABLE, line)
        if editable:
            spec, options = _split_options(line[editable.end():])
            if not spec:
                raise where.error("`-e` needs a path or URL", line)
            as_written = re.match(_EDITABLE, written)
            text = _split_options(written[as_written.end():])[0] if as_written else spec
            entry = _entry(spec, text, where, self.working_dir, editable=True, options=options)
            self._add(entry, where, constraint)
            return
        tokens = line.split()
        index = 0
        while index < len(tokens):
            token = tokens[index]
            index += 1
            flag, value = _split_flag(token)
            if flag not in _OPTIONS:
                if flag in _PER_REQUIREMENT:
                    raise where.error(f"`{flag}` must follow a requirement on the same line",
                                      line)
                if flag.startswith("-"):
                    raise where.error(f"Unknown option `{flag}`", line, hint=_OPTIONS_HINT)
                raise where.error(f"Unexpected `{_show(token)}` after an option", line)
            kind, takes_value = _OPTIONS[flag]
            if not takes_value:
                if value is not None:
                    raise where.error(f"`{flag}` takes no value", line)
                if kind == "ignored":
                    self.lists["ignored"].append(flag)
                else:
                    self.flags[kind] = True
                continue
            if value is None:
                if index == len(tokens):
                    raise where.error(f"`{flag}` needs a value", line)
                value = tokens[index]
                index += 1
            if kind == "editable":
                raise where.error(f"`{flag}` must start its line", line)
            self._option(kind, flag, value, where, constraint, chain)

    def _option(self, kind: str, flag: str, value: str, where: _Where, constraint: bool,
                chain: tuple[tuple[str, str], ...]) -> None:
        if kind in ("requirement", "constraint"):
            self.include(_relative_to(where.source, value),
                         constraint=constraint or kind == "constraint", chain=chain,
                         origin=where)
        elif kind == "index_url":
            self.index_url = value
        elif kind == "find_links":
            if not re.match(_SCHEME, value) or re.match(_DRIVE, value):
                value = _relative_to(where.source, os.path.expanduser(value))
                value = value if "://" in value else os.path.join(self.working_dir, value)
            self.lists[kind].append(value)
        elif kind in ("no_binary", "only_binary"):
            for item in value.split(","):
                item = item.strip()
                if item in (":all:", ":none:"):
                    self.lists[kind].append(item)
                elif re.fullmatch(_NAME, item):
                    self.lists[kind].append(canonicalize_name(item))
                else:
                    raise where.error(f"Invalid package name for `{flag}`", item,
                                      hint="give `:all:`, `:none:` or package names, "
                                      "separated by commas")
        elif kind == "ignored":
            self.lists[kind].append(flag)
        else:
            self.lists[kind].append(value)


def _logical_lines(text: str) -> list[tuple[int, int, str]]:
    """(first line number, offset, text) of each logical line: continuations joined, comment
    lines dropped."""
    lines: list[tuple[int, int, str]] = []
    parts: list[str] = []
    start = (1, 0)
    offset = 0
    for number, (line, physical) in enumerate(
            zip(text.splitlines(), text.splitlines(keepends=True), strict=True), 1):
        if not parts:
            start = (number, offset)
        offset += len(physical)
        if line.lstrip().startswith("#"):
            # pip: a comment line does not continue, and it ends a continued line.
            if parts:
                lines.append((*start, "".join(parts)))
                parts = []
        elif line.endswith("\\"):
            parts.append(line[:-1])
        else:
            parts.append(line)
            lines.append((*start, "".join(parts)))
            parts = []
    if parts:
        lines.append((*start, "".join(parts)))
    return lines


def _strip_comment(line: str) -> str:
    """`line` without a comment: `#` at the start or after whitespace (not in `x.whl#sha256`)."""
    at = line.find("#")
    while at != -1:
        if at == 0 or line[at - 1].isspace():
            return line[:at]
        at = line.find("#", at + 1)
    return line


def _expand(line: str, environ: Mapping[str, str]) -> str:
    if "${" not in line:
        return line
    return re.sub(_ENV_VAR, lambda m: environ.get(m.group(1), m.group(0)), line)


def _split_flag(token: str) -> tuple[str, str | None]:
    """`--opt=value` / `--opt`, `-xvalue` / `-x=value` / `-x` -> (option, value or None)."""
    if token.startswith("--"):
        flag, equals, value = token.partition("=")
        return flag, value if equals else None
    if token.startswith("-") and len(token) > 2:
        return token[:2], token[2:].removeprefix("=")
    return token, None


def _split_options(line: str) -> tuple[str, list[str]]:
    """A requirement line -> (requirement, option tokens): options start at the first `-`
    after whitespace outside quotes (`--hash=...`); a marker's `"x86-64"` is not one."""
    for match in re.finditer(r"\s-", line):
        at = match.start()
        if line.count('"', 0, at) % 2 == 0 and line.count("'", 0, at) % 2 == 0:
            return line[:at].rstrip(), line[at:].split()
    return line, []


def _per_requirement(options: list[str], where: _Where, text: str
                     ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(hashes, config settings) of a requirement's trailing options."""
    hashes: list[str] = []
    settings: list[str] = []
    index = 0
    while index < len(options):
        flag, value = _split_flag(options[index])
        index += 1
        kind = _PER_REQUIREMENT.get(flag)
        if kind is None:
            hint = ("`-r`, `-i` and the like go on a line of their own" if flag in _OPTIONS
                    else _OPTIONS_HINT)
            raise where.error(f"Unknown option `{flag}` after a requirement", text, hint=hint)
        if value is None:
            if index == len(options):
                raise where.error(f"`{flag}` needs a value", text)
            value = options[index]
            index += 1
        if kind == "hash":
            try:
                hashes.append(str(Hash.parse(value)))
            except ValueError:
                raise where.error("Invalid `--hash`", value, hint="expected "
                                  "`--hash=<algorithm>:<hex digest>` with sha256, sha384, "
                                  "sha512 or md5") from None
        elif kind == "config_settings":
            if "=" not in value:
                raise where.error(f"`{flag}` expects `KEY=VALUE`", value)
            settings.append(value)
    return tuple(hashes), tuple(settings)


def _entry(spec: str, written: str, where: _Where, working_dir: str, *,
           editable: bool = False, options: list[str] | None = None) -> RequirementEntry:
    """The entry for the requirement `spec` (`written` is the text before `${VAR}`
    expansion)."""
    hashes, settings = _per_requirement(options or [], where, written)
    if re.match(_NAMED_URL, spec) or not _is_location(spec):
        try:
            requirement: Requirement | None = Requirement(spec)
        except InvalidRequirement as error:
            raise where.parse_error(written, str(error), _hint(spec, str(error))) from None
        assert requirement is not None
        url = None
        if requirement.url is not None:
            url = requirement.url = _resolve(requirement.url, working_dir)
        elif editable:
            raise where.error("Expected a path or URL after `-e`", written,
                              hint="use `-e ./path/to/project`, or drop the `-e`")
        name: str | None = canonicalize_name(requirement.name)
        extras = frozenset(requirement.extras)
        marker = requirement.marker
    else:
        requirement, url, name, extras, marker = _unnamed(spec, written, where, working_dir)
    return RequirementEntry(
        requirement=requirement, url=url, name=name, extras=extras, marker=marker,
        editable=editable, hashes=hashes, config_settings=settings, source=where.source,
        line=where.line, text=written)


def _unnamed(spec: str, written: str, where: _Where, working_dir: str
             ) -> tuple[None, str, str | None, frozenset[str], Marker | None]:
    """(None, url, name, extras, marker) of a path or URL with optional `[extras]` and
    `; marker`."""
    location, marker = spec, None
    split = re.search(r"\s;|;\s", spec)
    if split:
        location, marker_text = spec[:split.start()].rstrip(), spec[split.end():]
        try:
            marker = Marker(marker_text)
        except InvalidMarker as error:
            raise where.parse_error(written, str(error), _hint(spec, str(error))) from None
    extras: frozenset[str] = frozenset()
    if location.endswith("]") and "[" in location:
        bracket = location.rfind("[")
        names = [e.strip() for e in location[bracket + 1:-1].split(",") if e.strip()]
        bad = [e for e in names if not re.fullmatch(_NAME, e)]
        if bad:
            raise where.error(f"Invalid extra name `{_show(bad[0])}`", written)
        location, extras = location[:bracket], frozenset(names)
    url = _resolve(location, working_dir)
    return None, url, _name_from_url(url), extras, marker


def _is_location(spec: str) -> bool:
    """Whether `spec` (not `name @ url`) is a path or URL rather than a PEP 508 requirement."""
    head = spec.split(None, 1)[0].partition(";")[0] if spec.strip() else spec
    if head.startswith((".", "/", "\\", "~")) or "/" in head or "\\" in head:
        return True
    if re.match(_SCHEME, head):
        return True
    return head.partition("[")[0].partition("#")[0].lower().endswith(_ARCHIVES)


def _resolve(location: str, working_dir: str) -> str:
    """A URL as written, or a local path (or `file:` URL) as an absolute `file://` URL."""
    head, hash_sign, fragment = location.partition("#")
    if re.match(_SCHEME, head) and not re.match(_DRIVE, head):
        if head[:5].lower() != "file:":
            return location
        rest = head[5:]
        if rest.startswith("//"):
            host = rest[2:].partition("/")[0]
            if host not in (".", ".."):  # file:///abs, file://localhost/abs, file://server/
                return location
            rest = rest[2:]  # file://./x, a common slip for file:./x
        path = urllib.parse.unquote(rest)
    else:
        path = head
    if path.startswith("~") and "\0" not in path:
        path = os.path.expanduser(path)
    path = os.path.normpath(os.path.join(working_dir, path)).replace(os.sep, "/")
    url = "file://" + urllib.parse.quote(path if path.startswith("/") else "/" + path, safe="/:")
    return url + hash_sign + fragment  # C:/x -> file:///C:/x


def _name_from_url(url: str) -> str | None:
    """The project name an `#egg=` fragment or a wheel/sdist file name gives, if any."""
    head, _, fragment = url.partition("#")
    for part in fragment.split("&"):
        key, _, value = part.partition("=")
        egg = value.partition("[")[0]
        if key == "egg" and re.fullmatch(_NAME, egg):
            return canonicalize_name(egg)
    last = urllib.parse.unquote(head.partition("?")[0].rstrip("/").rpartition("/")[2])
    dist = parse_filename(last)
    return None if dist is None else dist.name


def _relative_to(source: str, target: str) -> str:
    """`target` of a `-r`/`-c` line, relative to the file `source` that names it."""
    if "://" in target or os.path.isabs(target):
        return target
    if "://" in source:
        return urllib.parse.urljoin(source, target)
    return os.path.normpath(os.path.join(os.path.dirname(source), target))


def _hint(spec: str, detail: str) -> str | None:
    """What to change, for the mistakes people make most."""
    requirement, _, marker = spec.partition(";")
    if detail.startswith("Expected marker operator") and re.search(r"[^=!<>~]=[^=]", marker):
        return "compare with `==` in markers, not `=`"
    if "Expected comma" in detail:
        return "separate version specifiers with a comma, as in `>=1.0,<2.0`"
    if re.search(r"(?:===|[=!<>~]=|[<>])\s*\Z", requirement.rstrip()):
        return "put a version after the operator, as in `name==1.0`"
    if re.match(_NAME + r"\s*=\s*[^=\s]", requirement):
        return "pin a version with `==`, as in `name==1.0`"
    if re.match(_NAME + r"\s+v?[0-9]", requirement):
        return "put an operator between the name and the version, as in `name==1.0`"
    if "RIGHT_BRACKET" in detail:
        return "close the extras with `]`, as in `name[extra]`"
    if "Expected URL after @" in detail:
        return "give a URL or path after `@`, as in `name @ https://example.com/name-1.0.tar.gz`"
    if ".* suffix" in detail:
        return "a wildcard may only end a plain release, as in `==1.0.*`"
    return None


def _show(text: str) -> str:
    """`text` for a message: control characters escaped, long text cut short."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."

