"""What the read-only pip commands read: an environment's installed distributions, their
dependencies as uv sees them, and the text of `puv pip freeze`, `list` and `show`.

`SitePackages` wraps the installer's `Inventory` with what these commands add: the target
interpreter's marker environment (a `Requires-Dist` counts when its markers hold there, extras
never requested), its Python version and tags (for `check`), and each distribution's metadata
read once. `Dependency` is one `Requires-Dist` entry, shown as uv shows requirements: the name
normalized, specifiers sorted by version, markers in uv's canonical form (`marker_text`).

These functions return lines and values; `cli/pip_inspect.py` decides which stream each goes
to, because uv sends parts of one command's output to stdout and stderr under different `-q`
rules (see docs/cli.md). `check` is `commands/pip/check.py`, `tree` is `commands/pip/tree.py`.
"""

from __future__ import annotations

import os

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from puv.commands.pip.environment import Environment, find_environment
from puv.errors import PuvError
from puv.installer.inventory import InstalledDist, Inventory, read_record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any

    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.specifiers import Specifier

    from puv.commands.pip.outdated import Latest
    from puv.core.metadata import CoreMetadata
    from puv.python.interpreter import Interpreter

__all__ = [
    "Dependency",
    "Shown",
    "SitePackages",
    "direct_url_text",
    "editable_location",
    "freeze_line",
    "freeze_lines",
    "is_editable",
    "list_columns",
    "list_json",
    "location",
    "marker_text",
    "open_site_packages",
    "path_site_packages",
    "select_dists",
    "show",
    "sorted_specifiers",
    "specifiers_text",
]


# -- requirements as uv shows them -----------------------------------------------------------

# uv's `Operator` order, the tie-break when two specifiers name the same version.
_OPERATOR_RANK = {op: i for i, op in enumerate(
    ("==", "==*", "===", "!=", "!=*", "~=", "<", "<=", ">", ">="))}


def _specifier_key(spec: Specifier) -> tuple[int, Version, int]:
    text = spec.version
    star = text.endswith(".*")
    try:
        version = Version(text[:-2] if star else text)
    except InvalidVersion:  # `===anything`: after the others, as written
        return (1, Version("0"), 0)
    return (0, version, _OPERATOR_RANK.get(spec.operator + ("*" if star else ""), 0))


def _specifier_text(spec: Specifier) -> str:
    text = spec.version
    if spec.operator == "===":
        return f"==={text}"
    star = text.endswith(".*")
    try:
        shown = str(Version(text[:-2] if star else text))
    except InvalidVersion:
        return f"{spec.operator}{text}"
    return f"{spec.operator}{shown}{'.*' if star else ''}"


def sorted_specifiers(specs: Iterable[Specifier]) -> list[Specifier]:
    """Specifiers in uv's order: by version, then by operator."""
    return sorted(specs, key=_specifier_key)


def specifiers_text(specs: Iterable[Specifier], separator: str = ",") -> str:
    """`>=1,<2` (uv's requirement form) or, with `", "`, `>=1, <2` (its specifier-set form)."""
    return separator.join(_specifier_text(s) for s in sorted_specifiers(specs))


class Dependency:
    """One `Requires-Dist` entry of an installed distribution."""

    __slots__ = ("extras", "marker", "name", "specifiers", "url")

    def __init__(self, requirement: Requirement) -> None:
        self.name: str = canonicalize_name(requirement.name)
        self.extras: list[str] = sorted(canonicalize_name(e) for e in requirement.extras)
        self.specifiers = sorted_specifiers(requirement.specifier)
        self.url: str | None = requirement.url
        self.marker: Marker | None = requirement.marker

    def applies(self, markers: dict[str, str]) -> bool:
        """Whether the entry counts in the marker environment `markers` (no extra asked)."""
        return self.marker is None or self.marker.evaluate({**markers, "extra": ""})

    def allows(self, version: Version) -> bool:
        """Whether `version` satisfies the specifiers (pre-releases included, as uv checks an
        installed version); a URL requirement accepts any version."""
        return all(spec.contains(version, prereleases=True) for spec in self.specifiers)

    def __str__(self) -> str:
        text = self.name
        if self.extras:
            text += f"[{','.join(self.extras)}]"
        if self.url is not None:
            text += f" @ {self.url}"
        elif self.specifiers:
            text += specifiers_text(self.specifiers)
        if self.marker is not None:
            text += f" ; {marker_text(self.marker)}"
        return text


# -- markers in uv's canonical form ---------------------------------------------------------
#
# uv keeps a marker as a decision diagram and prints it back in disjunctive normal form:
# `python_version` becomes a range of `python_full_version`, `platform_system` values with a
# `sys_platform` twin become that twin, values are single-quoted, each clause is sorted by the
# kind of variable and the clauses by their kinds. This renders the same text for the markers
# metadata carries; markers that need uv's full algebra to simplify may print differently.

_STRING_RANK = {name: 10 + i for i, name in enumerate((
    "implementation_name", "os_name", "platform_machine", "platform_python_implementation",
    "platform_release", "platform_system", "platform_version", "sys_platform"))}
_VERSION_RANK = {"implementation_version": 0, "python_full_version": 1, "python_version": 2}
_SYS_PLATFORM = {"Darwin": "darwin", "Linux": "linux", "Windows": "win32"}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=", "~=": "~=",
         "===": "==="}
_DNF_LIMIT = 64

# An atom is (rank, key, op, value, reversed): `reversed` for `'value' in key`.
Atom = tuple[int, str, str, str, bool]


def marker_text(marker: Marker) -> str:
    """`marker` as uv prints it (`python_full_version >= '3.9' and sys_platform == 'linux'`)."""
    try:
        clauses = _dnf(marker._markers)
    except (AttributeError, TypeError, ValueError, _TooBig):
        return str(marker).replace('"', "'")
    rendered = []
    for clause in clauses:
        rendered.append((tuple(a[0] for a in clause), tuple(a[3] for a in clause),
                         " and ".join(_atom_text(a) for a in clause)))
    rendered.sort(key=lambda r: (r[0], r[1]))
    if len(rendered) == 1:
        return rendered[0][2]
    return " or ".join(f"({text})" if " and " in text else text for _, _, text in rendered)


class _TooBig(Exception):
    pass


def _dnf(items: Sequence[Any]) -> list[list[Atom]]:
    """The marker list `items` (packaging's parsed form) as a list of clauses."""
    # `items` alternates operands and the words `and` / `or`; `and` binds tighter.
    groups: list[list[list[list[Atom]]]] = [[]]  # conjunctions of operands (each clauses)
    for item in items:
        if isinstance(item, str):
            if item == "or":
                groups.append([])
            continue
        groups[-1].append(_dnf(item) if isinstance(item, list) else _lower(item))
    result: list[list[Atom]] = []
    for conjunction in groups:
        clauses: list[list[Atom]] = [[]]
        for operand in conjunction:
            clauses = [left + right for left in clauses for right in operand]
            if len(clauses) > _DNF_LIMIT:
                raise _TooBig
        result.extend(_simplify(clause) for clause in clauses)
    return result


def _lower(atom: tuple[Any, Any, Any]) -> list[list[Atom]]:
    """One comparison, lowered as uv lowers it, as clauses (several for `python_version in`)."""
    left, op_node, right = atom
    op = op_node.value
    if type(left).__name__ == "Value" and op not in ("in", "not in"):
        left, right, op = right, left, _FLIP[op]
    if type(left).__name__ == "Value":  # `'linux' in sys_platform`
        key, value = right.value, left.value
        return [[(_STRING_RANK.get(key, 20), key, op, value, True)]]
    key, value = left.value, right.value
    if key == "extra":
        return [[(30, key, op, canonicalize_name(value), False)]]
    if key == "python_version":
        return _python_version(op, value)
    if key in _VERSION_RANK:
        return [[(_VERSION_RANK[key], key, op, value, False)]]
    if key == "platform_system" and op in ("==", "!=") and value in _SYS_PLATFORM:
        key, value = "sys_platform", _SYS_PLATFORM[value]
    return [[(_STRING_RANK.get(key, 20), key, op, value, False)]]


def _python_version(op: str, value: str) -> list[list[Atom]]:
    key, rank = "python_full_version", _VERSION_RANK["python_full_version"]
    if op in ("in", "not in"):
        versions = sorted(_minor(v) for v in value.split())
        if op == "not in":
            return [[(rank, key, "!=", f"{m}.{n}.*", False) for m, n in versions]]
        clauses: list[list[Atom]] = []
        start = prev = versions[0]
        for version in [*versions[1:], None]:
            if version is not None and version == (prev[0], prev[1] + 1):
                prev = version
                continue
            if start == prev:
                clauses.append([(rank, key, "==", f"{start[0]}.{start[1]}.*", False)])
            else:
                clauses.append([(rank, key, ">=", f"{start[0]}.{start[1]}", False),
                                (rank, key, "<", f"{prev[0]}.{prev[1] + 1}", False)])
            if version is not None:
                start = prev = version
        return clauses
    parts = value.split(".")
    if len(parts) > 2 or not all(p.isdigit() for p in parts):
        return [[(rank, key, op, value, False)]]
    major, minor = _minor(value)
    if op == ">":
        return [[(rank, key, ">=", f"{major}.{minor + 1}", False)]]
    if op == "<=":
        return [[(rank, key, "<", f"{major}.{minor + 1}", False)]]
    if op in ("==", "!="):
        return [[(rank, key, op, f"{value}.*", False)]]
    if op == "~=":
        return [[(rank, key, ">=", value, False), (rank, key, "<", f"{major + 1}", False)]]
    return [[(rank, key, op, value, False)]]


def _minor(text: str) -> tuple[int, int]:
    parts = text.split(".")
    return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0


def _simplify(clause: list[Atom]) -> list[Atom]:
    """Drop repeated terms, keep the tightest bounds on a version, sort as uv sorts."""
    lower: dict[str, Atom] = {}
    upper: dict[str, Atom] = {}
    others: list[Atom] = []
    for atom in clause:
        rank, key, op, _, _ = atom
        if rank < 10 and op in (">", ">=", "<", "<="):
            bounds, better = (lower, 1) if op in (">", ">=") else (upper, -1)
            current = bounds.get(key)
            if current is None or _tighter(atom, current, better):
                bounds[key] = atom
        elif atom not in others:
            others.append(atom)
    atoms = [*lower.values(), *upper.values(), *others]

    def order(atom: Atom) -> tuple[int, int, str]:
        rank, _, op, value, _ = atom
        position = 0 if op in (">", ">=") else 1 if op in ("<", "<=") else 2
        return (rank, position if rank < 10 else 0, "" if rank < 10 else value)

    return sorted(atoms, key=order)


def _tighter(atom: Atom, current: Atom, better: int) -> bool:
    try:
        new, old = Version(atom[3]), Version(current[3])
    except InvalidVersion:
        return False
    if new != old:
        return (new > old) if better > 0 else (new < old)
    return atom[2] in (">", "<")  # a strict bound is tighter than an inclusive one


def _atom_text(atom: Atom) -> str:
    _, key, op, value, reversed_ = atom
    if reversed_:
        return f"'{value}' {op} {key}"
    return f"{key} {op} '{value}'"


# -- the environment --------------------------------------------------------------------------

class SitePackages:
    """The distributions installed in an environment (or in `--path` directories), sorted by
    name then version, with the target interpreter's markers and tags."""

    def __init__(self, dists: Iterable[InstalledDist], interpreter: Interpreter) -> None:
        self.dists = sorted(dists, key=lambda d: (d.name, d.version))
        self.interpreter = interpreter
        self.markers = interpreter.markers
        self._by_name: dict[str, list[InstalledDist]] = {}
        for dist in self.dists:
            self._by_name.setdefault(dist.name, []).append(dist)
        self._metadata: dict[str, CoreMetadata | PuvError] = {}
        self._requires: dict[str, list[Dependency] | None] = {}

    @classmethod
    def scan(cls, directories: Iterable[str], interpreter: Interpreter) -> SitePackages:
        return cls(Inventory.scan(directories), interpreter)

    @classmethod
    def of(cls, environment: Environment) -> SitePackages:
        return cls.scan(environment.layout.site_packages, environment.interpreter)

    def __len__(self) -> int:
        return len(self.dists)

    def names(self) -> list[str]:
        return list(self._by_name)

    def get(self, name: str) -> list[InstalledDist]:
        """Every installed distribution called `name` (normally one)."""
        return list(self._by_name.get(canonicalize_name(name), ()))

    def read_metadata(self, dist: InstalledDist) -> CoreMetadata:
        """The core metadata (`METADATA`, or `PKG-INFO` for eggs); a `MetadataError` when it
        is missing or unusable."""
        if dist.path not in self._metadata:
            try:
                self._metadata[dist.path] = dist.metadata()
            except PuvError as exc:
                self._metadata[dist.path] = exc
        found = self._metadata[dist.path]
        if isinstance(found, PuvError):
            raise found
        return found

    def metadata(self, dist: InstalledDist) -> CoreMetadata | None:
        """The core metadata, or `None` when it is missing or unusable."""
        try:
            return self.read_metadata(dist)
        except PuvError:
            return None

    def dependencies(self, dist: InstalledDist) -> list[Dependency] | None:
        """The `Requires-Dist` entries that apply here, in metadata order; `None` when the
        metadata cannot be read."""
        if dist.path not in self._requires:
            metadata = self.metadata(dist)
            self._requires[dist.path] = None if metadata is None else [
                dep for dep in map(Dependency, metadata.requires_dist)
                if dep.applies(self.markers)]
        return self._requires[dist.path]


def open_site_packages(**environment: Any) -> SitePackages:
    """Find the environment as every pip command does (printing which one) and list it."""
    return SitePackages.of(find_environment(**environment))


def path_site_packages(paths: Iterable[str], interpreter: Interpreter) -> list[SitePackages]:
    """`freeze --path DIR...`: each directory on its own (a missing one lists nothing)."""
    return [SitePackages.scan([os.path.abspath(path)], interpreter) for path in paths]


# -- what a distribution was installed from --------------------------------------------------

def egg_link_target(dist: InstalledDist) -> str | None:
    """The project directory an `.egg-link` names (its first non-empty line), as written,
    joined to the directory holding the link."""
    try:
        with open(dist.path, encoding="utf-8", errors="surrogateescape") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    target = next((line.strip() for line in lines if line.strip()), None)
    return None if target is None else os.path.join(os.path.dirname(dist.path), target)


def direct_url_text(direct_url: dict[str, Any]) -> str | None:
    """A `direct_url.json` (PEP 610) as the URL uv prints for it: a VCS URL gets its scheme
    prefix and `@commit`, an archive its preferred hash in the fragment, each its
    `subdirectory`; credentials are redacted. `None` if it is not a direct URL record."""
    from urllib.parse import urlsplit, urlunsplit

    url = direct_url.get("url")
    if not isinstance(url, str) or not url:
        return None
    fragments: list[str] = []
    subdirectory = direct_url.get("subdirectory")
    if isinstance(direct_url.get("vcs_info"), dict):
        vcs = direct_url["vcs_info"]
        url = f"{vcs.get('vcs', 'git')}+{url}"
        revision = vcs.get("commit_id") or vcs.get("requested_revision")
        if revision:
            parts = urlsplit(url)
            url = urlunsplit(parts._replace(path=f"{parts.path}@{revision}"))
        if subdirectory:
            fragments.append(f"subdirectory={subdirectory}")
        if vcs.get("git_lfs") is True:
            fragments.append("lfs=true")
    elif isinstance(direct_url.get("archive_info"), dict):
        archive = direct_url["archive_info"]
        if subdirectory:
            fragments.append(f"subdirectory={subdirectory}")
        hashes = archive.get("hashes") if isinstance(archive.get("hashes"), dict) else {}
        digest = next((f"{name}={hashes[name]}" for name in
                       ("sha512", "sha384", "sha256", "blake2b", "md5") if name in hashes), None)
        legacy = archive.get("hash")
        if digest is None and isinstance(legacy, str) and legacy.count("=") == 1 \
                and legacy.split("=")[0] in ("sha512", "sha384", "sha256", "blake2b", "md5"):
            digest = legacy
        if digest:
            fragments.append(digest)
    elif isinstance(direct_url.get("dir_info"), dict):
        if subdirectory:
            fragments.append(f"subdirectory={subdirectory}")
    else:
        return None
    if fragments:
        url = url.partition("#")[0] + "#" + "&".join(fragments)
    return _redact(url)


def _redact(url: str) -> str:
    from urllib.parse import urlsplit

    from puv.net.auth import redact_url

    parts = urlsplit(url)
    if parts.username == "git" and parts.password is None \
            and parts.scheme in ("ssh", "git+ssh", "git+https"):
        return url  # `git@github.com` names an account, not a secret (as uv shows it)
    return redact_url(url)


def editable_location(dist: InstalledDist) -> str | None:
    """The project directory of an editable install (`Editable project location`)."""
    if dist.kind == "egg-link":
        target = egg_link_target(dist)
        return os.path.normpath(target) if target else None
    direct_url = dist.direct_url()
    if not direct_url or not (direct_url.get("dir_info") or {}).get("editable"):
        return None
    return _file_url_path(str(direct_url.get("url", "")))


def _file_url_path(url: str) -> str | None:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    return unquote(parts.path)


def is_editable(dist: InstalledDist) -> bool:
    return dist.kind == "egg-link" or (
        dist.kind == "dist-info" and editable_location(dist) is not None)


def location(dist: InstalledDist) -> str:
    """Where `show` says a distribution lives: the directory holding its metadata directory
    (for a legacy editable, the project)."""
    if dist.kind == "egg-link":
        info = dist.info_dir
        if info is not None:
            return os.path.dirname(info)
        return egg_link_target(dist) or dist.site_packages
    return os.path.dirname(dist.path)


# -- freeze -----------------------------------------------------------------------------------

def freeze_line(dist: InstalledDist, bold: Callable[[str], str] = str) -> str:
    """`name==version`, `-e <location>` or `name @ url`, as `puv pip freeze` prints it."""
    if dist.kind == "egg-link":
        target = egg_link_target(dist)
        if target is not None:
            return f"-e {target}"
    elif dist.kind == "dist-info":
        direct_url = dist.direct_url()
        url = direct_url_text(direct_url) if direct_url else None
        if url is not None:
            if (direct_url or {}).get("dir_info", {}).get("editable") is True:
                return f"-e {url}"
            return f"{bold(dist.name)} @ {url}"
    return f"{bold(dist.name)}=={dist.version}"


def freeze_lines(sites: Iterable[SitePackages], *, exclude_editable: bool = False,
                 exclude: Iterable[str] = (), bold: Callable[[str], str] = str) -> list[str]:
    """The lines of `puv pip freeze`, sorted by name and version, repeats dropped."""
    excluded = {canonicalize_name(name) for name in exclude}
    dists = [dist for site in sites for dist in site.dists
             if dist.name not in excluded and not (exclude_editable and is_editable(dist))]
    dists.sort(key=lambda d: (d.name, d.version))
    lines: list[str] = []
    for dist in dists:
        line = freeze_line(dist, bold)
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


# -- list -------------------------------------------------------------------------------------

def select_dists(site: SitePackages, *, editable: bool | None = None,
                 exclude: Iterable[str] = ()) -> list[InstalledDist]:
    """The distributions `puv pip list` shows: only editables (`editable=True`), none
    (`False`) or all, less the excluded names."""
    excluded = {canonicalize_name(name) for name in exclude}
    return [dist for dist in site.dists if dist.name not in excluded
            and (editable is None or is_editable(dist) == editable)]


def list_columns(dists: Sequence[InstalledDist],
                 latest: Mapping[str, Latest] | None = None) -> list[str]:
    """uv's table: a header, dashes, one row per distribution, columns one space apart and
    as wide as their widest cell; the editable column only when an editable is listed;
    `Latest` and `Type` columns with `latest` (`--outdated`)."""
    if not dists:
        return []
    columns = [("Package", [str(d.name) for d in dists]),
               ("Version", [str(d.version) for d in dists])]
    if latest is not None:
        columns.append(("Latest", [str(latest[d.name].version) for d in dists]))
        columns.append(("Type", [latest[d.name].filetype for d in dists]))
    locations = [editable_location(d) if is_editable(d) else None for d in dists]
    if any(loc is not None for loc in locations):
        columns.append(("Editable project location", [loc or "" for loc in locations]))
    widths = [max(len(header), *(len(cell) for cell in cells)) for header, cells in columns]
    lines = [" ".join(h.ljust(w) for (h, _), w in zip(columns, widths, strict=True)).rstrip(),
             " ".join("-" * w for w in widths)]
    for row in range(len(dists)):
        lines.append(" ".join(cells[row].ljust(w)
                              for (_, cells), w in zip(columns, widths, strict=True)).rstrip())
    return lines


def list_json(dists: Sequence[InstalledDist],
              latest: Mapping[str, Latest] | None = None) -> str:
    """`[{"name":..,"version":..}]`, with `editable_project_location` for editables, and
    `latest_version` / `latest_filetype` with `latest` (`--outdated`)."""
    import json

    rows: list[dict[str, str]] = []
    for dist in dists:
        row = {"name": str(dist.name), "version": str(dist.version)}
        if latest is not None:
            row["latest_version"] = str(latest[dist.name].version)
            row["latest_filetype"] = latest[dist.name].filetype
        where = editable_location(dist) if is_editable(dist) else None
        if where is not None:
            row["editable_project_location"] = where
        rows.append(row)
    return json.dumps(rows, separators=(",", ":"), ensure_ascii=False)


# -- show -------------------------------------------------------------------------------------

class Shown:
    """What `puv pip show NAME...` found: the names not installed (normalized, sorted), the
    lines to print, and the error that stopped it (`--files` without a RECORD), if any."""

    __slots__ = ("error", "lines", "missing")

    def __init__(self, missing: list[str], lines: list[str],
                 error: PuvError | None = None) -> None:
        self.missing = missing
        self.lines = lines
        self.error = error


def show(site: SitePackages, names: Sequence[str], *, files: bool) -> Shown:
    """Name, version, location, editable location, `Requires` and `Required-by` (names of
    the dependencies that apply here) and, with `files`, RECORD's paths, for each installed
    distribution of each name, `---` between them."""
    wanted: list[str] = sorted({canonicalize_name(name) for name in names})
    missing = [name for name in wanted if not site.get(name)]
    dists = [dist for name in wanted for dist in site.get(name)]
    if not dists:
        return Shown(missing, [])
    # Names each distribution requires: the shown ones, and (for `Required-by`) every other
    # one that requires something.
    requires: dict[str, list[str]] = {}
    for dist in dists:
        deps = site.dependencies(dist)
        if deps is not None:
            requires[dist.name] = sorted({dep.name for dep in deps})
    if requires:
        for dist in site.dists:
            deps = site.dependencies(dist) if dist.name not in requires else None
            if deps:
                requires[dist.name] = [dep.name for dep in deps]
    lines: list[str] = []
    for i, dist in enumerate(dists):
        if i:
            lines.append("---")
        lines += [f"Name: {dist.name}", f"Version: {dist.version}",
                  f"Location: {location(dist)}"]
        where = editable_location(dist) if is_editable(dist) else None
        if where is not None:
            lines.append(f"Editable project location: {where}")
        if dist.name in requires:
            lines.append(_field("Requires", requires[dist.name]))
            lines.append(_field("Required-by", sorted(
                name for name, deps in requires.items()
                if name != dist.name and dist.name in deps)))
        if files:
            record = dist.read_text("RECORD") if dist.kind == "dist-info" else None
            if record is None:
                path = os.path.join(dist.info_dir or dist.path, "RECORD")
                return Shown(missing, lines, PuvError(
                    f"The package `{dist.name}` has no `RECORD` file (`{path}`), so its "
                    "installed files are unknown"))
            lines.append("Files:")
            lines += [f"  {row[0]}" for row in read_record(record)]
    return Shown(missing, lines)


def _field(name: str, values: Sequence[str]) -> str:
    return f"{name}: {', '.join(values)}" if values else f"{name}:"

