"""What a `puv pip compile` (or `pip install`) is asked to resolve, read from its inputs as
uv reads them:

- requirements files (`requirements.in`, `.txt`, anything else; `-` is stdin), with their
  includes, constraints and options (`-i`, `--extra-index-url`, `-f`, `--no-index`,
  `--no-binary`, `--only-binary`);
- `pyproject.toml`: `[project] dependencies`, the `optional-dependencies` asked for with
  `--extra` / `--all-extras`, and PEP 735 `[dependency-groups]` (`--group [path:]name`, with
  `{include-group = ...}`); a project whose dependencies are `dynamic` is built for its
  metadata;
- `setup.py` / `setup.cfg`: the project is built for its metadata (through the build layer).

Each requirement keeps where it came from, as uv's `# via` annotations name it: `-r file`,
`-c file`, `--override file`, `name (pyproject.toml)`, `name (pyproject.toml:group)`; a
requirement read from stdin names nothing.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field

from puv.errors import PuvError, RequirementsError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any

    from packaging.requirements import Requirement

    from puv.core.metadata import CoreMetadata
    from puv.core.requirements_txt import RequirementEntry, RequirementsFile
    from puv.distribution import Dist
    from puv.resolver.resolution import RootRequirement

__all__ = ["InputError", "Specification", "annotation_key", "read_specification",
           "verbatim_url"]

STDIN = "-"


class InputError(PuvError):
    """An input uv refuses before resolving (a missing file, an unknown extra or group):
    uv ends with status 2 for these."""

    exit_code = 2


@dataclass(frozen=True)
class Specification:
    """The root requirements, constraints and overrides of a run, and what the requirements
    files said about indexes and builds. `verbatim` maps a direct reference's name to the URL
    or path as the user wrote it (what the output shows)."""

    requirements: tuple[RootRequirement, ...] = ()
    constraints: tuple[RootRequirement, ...] = ()
    overrides: tuple[RootRequirement, ...] = ()
    verbatim: Mapping[str, str] = field(default_factory=dict)
    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    no_binary: tuple[str, ...] = ()
    only_binary: tuple[str, ...] = ()
    # Whether a project's metadata came from a build (its extras are only known then).
    source_trees: bool = False
    used_extras: frozenset[str] = frozenset()

    def requirements_file(self) -> RequirementsFile:
        """The index options as a `RequirementsFile` (what `make_registry` takes)."""
        from puv.core.requirements_txt import RequirementsFile

        return RequirementsFile(index_url=self.index_url,
                                extra_index_urls=self.extra_index_urls,
                                find_links=self.find_links, no_index=self.no_index)


def annotation_key(source: str) -> tuple[Any, ...]:
    """How uv orders the sources of one package (`BTreeSet<SourceAnnotation>`): constraints,
    then overrides, then requirements; within each, files before projects before groups,
    paths component by component."""
    kind = 2
    text = source
    if text.startswith("-c "):
        kind, text = 0, text[3:]
    elif text.startswith("--override "):
        kind, text = 1, text[len("--override "):]
    if text.startswith("-r "):
        return (kind, 0, tuple(text[3:].split("/")), "", "")
    grouped = re.fullmatch(r"(\S*) ?\((.*):([^:/)]+)\)", text)
    if grouped is not None:
        return (kind, 2, tuple(grouped.group(2).split("/")), grouped.group(1),
                grouped.group(3))
    project = re.fullmatch(r"(\S+) \((.*)\)", text)
    if project is not None:
        return (kind, 1, tuple(project.group(2).split("/")), project.group(1), "")
    return (kind, 0, tuple(text.split("/")), "", "")


def verbatim_url(entry: RequirementEntry) -> str | None:
    """The URL or path of a direct reference as written (`./dist/a.whl`, `https://...`)."""
    if entry.url is None and (entry.requirement is None or entry.requirement.url is None):
        return None
    text = entry.text.strip()
    text = re.sub(r"^(?:-e|--editable)(?:\s*=\s*|\s+)", "", text)
    named = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\]\s*)?@\s*", text)
    if named is not None and entry.requirement is not None:
        text = text[named.end():]
    text = re.split(r"\s+;\s*|\s;", text, maxsplit=1)[0]
    return text.strip()


def _read_text(path: str) -> str:
    if path == STDIN:
        return sys.stdin.read()
    from puv.commands.pip.requirements import _read

    try:
        return _read(path)
    except RequirementsError as exc:
        if exc.message.startswith("File not found"):
            raise InputError(f"File not found: {path}") from None
        raise


class _Reader:
    """Collects root requirements from every input (see the module docstring)."""

    def __init__(self, *, markers: Mapping[str, str], metadata: Callable[[Dist], CoreMetadata],
                 warn: Callable[[str], None] | None) -> None:
        self.markers = markers
        self.metadata = metadata
        self.warn = warn
        self.requirements: list[RootRequirement] = []
        self.constraints: list[RootRequirement] = []
        self.overrides: list[RootRequirement] = []
        self.verbatim: dict[str, str] = {}
        self.index_url: str | None = None
        self.extra_index_urls: list[str] = []
        self.find_links: list[str] = []
        self.no_index = False
        self.no_binary: list[str] = []
        self.only_binary: list[str] = []
        self.source_trees = False
        self.used_extras: set[str] = set()

    # requirements files ---------------------------------------------------------------------

    def requirements_file(self, path: str, *, kind: str) -> None:
        """A requirements file: `kind` is `requirement`, `constraint` or `override`."""
        from puv.core.requirements_txt import parse_requirements, parse_requirements_text

        if path == STDIN:
            parsed = parse_requirements_text(_read_text(STDIN), STDIN, read=_read_text,
                                             constraint=kind == "constraint")
        else:
            parsed = parse_requirements(path, read=_read_text, constraint=kind == "constraint")
        if self.warn is not None and kind == "requirement" and not parsed.requirements \
                and not parsed.constraints:
            self.warn(f"Requirements file `{path}` does not contain any dependencies")
        flag = {"requirement": "-r", "constraint": "-c", "override": "--override"}[kind]
        for entry in parsed.requirements:
            source = "" if entry.source == STDIN else f"{flag} {entry.source}"
            root = self._root(entry, source)
            target = {"requirement": self.requirements, "constraint": self.constraints,
                      "override": self.overrides}[kind]
            target.append(root)
        for entry in parsed.constraints:
            source = "" if entry.source == STDIN else f"-c {entry.source}"
            self.constraints.append(self._root(entry, source))
        self.index_url = parsed.index_url or self.index_url
        self.extra_index_urls += parsed.extra_index_urls
        self.find_links += parsed.find_links
        self.no_index = self.no_index or parsed.no_index
        self.no_binary += parsed.no_binary
        self.only_binary += parsed.only_binary

    def _root(self, entry: RequirementEntry, source: str) -> RootRequirement:
        from packaging.requirements import Requirement

        from puv.distribution import parse_direct_reference
        from puv.resolver.resolution import RootRequirement

        requirement = entry.requirement
        url = entry.url or (requirement.url if requirement is not None else None)
        dist = None
        if url is not None:
            name = requirement.name if requirement is not None else entry.name
            dist = parse_direct_reference(url, name=name, editable=entry.editable)
            if name is None:
                name = str(self.metadata(dist).name)
                dist = parse_direct_reference(url, name=name, editable=entry.editable)
            if requirement is None:
                extras = f"[{','.join(sorted(entry.extras))}]" if entry.extras else ""
                marker = f" ; {entry.marker}" if entry.marker is not None else ""
                requirement = Requirement(f"{name}{extras} @ {url}{marker}")
            given = verbatim_url(entry)
            if given is not None:
                from packaging.utils import canonicalize_name

                self.verbatim[canonicalize_name(name)] = given
        assert requirement is not None
        return RootRequirement(requirement, source, editable=entry.editable, dist=dist)

    # projects ----------------------------------------------------------------------------

    def project(self, path: str, *, extras: Sequence[str], all_extras: bool) -> None:
        """A `pyproject.toml`, `setup.py` or `setup.cfg`, with the extras asked for."""
        from packaging.utils import canonicalize_name

        from puv.resolver.resolution import RootRequirement

        if not os.path.exists(path):
            raise InputError(f"File not found: {path}")
        name, base, optional = self._project_requirements(path)
        source = f"{name} ({path})"
        wanted = {canonicalize_name(e) for e in extras}
        self.used_extras |= {e for e in optional if e in wanted}
        for requirement in base:
            self.requirements.append(RootRequirement(requirement, source))
        for extra in sorted(optional):
            if all_extras or extra in wanted:
                for requirement in optional[extra]:
                    self.requirements.append(RootRequirement(requirement, source))

    def _project_requirements(self, path: str) -> tuple[str, list[Requirement],
                                                        dict[str, list[Requirement]]]:
        """The project's name, base requirements and extras' requirements (from the static
        `[project]` table when it has them, else from a build)."""
        from packaging.requirements import InvalidRequirement, Requirement
        from packaging.utils import canonicalize_name

        if os.path.basename(path) == "pyproject.toml":
            from puv.settings.files import read_toml

            data, _ = read_toml(path)
            project = data.get("project")
            if isinstance(project, dict) and isinstance(project.get("name"), str):
                dynamic = set(project.get("dynamic", ()))
                if not {"dependencies", "optional-dependencies"} & dynamic:
                    base: list[Requirement] = []
                    optional: dict[str, list[Requirement]] = {}
                    try:
                        base = [Requirement(t) for t in project.get("dependencies", ())]
                        for extra, texts in dict(project.get("optional-dependencies",
                                                             {})).items():
                            optional[canonicalize_name(extra)] = [Requirement(t) for t in texts]
                    except (InvalidRequirement, TypeError) as exc:
                        raise InputError(f"Failed to parse `{path}`: invalid requirement "
                                         f"({exc})") from None
                    return canonicalize_name(project["name"]), base, optional
        return self._built_requirements(path)

    def _built_requirements(self, path: str) -> tuple[str, list[Requirement],
                                                      dict[str, list[Requirement]]]:
        """A project's requirements from its built metadata: a requirement whose marker
        names an extra belongs to that extra (the marker is decided here, for the target)."""
        from packaging.utils import canonicalize_name

        from puv.distribution import DirectoryDist

        self.source_trees = True
        tree = os.path.dirname(os.path.abspath(path))
        metadata = self.metadata(DirectoryDist(path=tree))
        base = []
        optional: dict[str, list[Requirement]] = {}
        # The extras: those declared, and any a marker names (old metadata may not declare).
        extras = {canonicalize_name(e) for e in metadata.provides_extra}
        for requirement in metadata.requires_dist:
            extras.update(canonicalize_name(e) for e in re.findall(
                r"extra\s*==\s*['\"]([^'\"]+)['\"]", str(requirement.marker or "")))
        for requirement in metadata.requires_dist:
            marker = requirement.marker
            if marker is None or "extra" not in str(marker):
                base.append(requirement)
                continue
            for extra in sorted(extras):
                if marker.evaluate({**self.markers, "extra": extra}):
                    optional.setdefault(extra, []).append(_without_marker(requirement))
        for extra in extras:
            optional.setdefault(extra, [])
        return canonicalize_name(str(metadata.name)), base, optional

    def group(self, path: str, group: str) -> None:
        """The dependency group `group` of the `pyproject.toml` at `path`."""
        from packaging.utils import canonicalize_name

        from puv.resolver.resolution import RootRequirement
        from puv.settings.files import read_toml

        if not os.path.isfile(path):
            raise InputError(f"Failed to read dependency groups from: {os.path.abspath(path)}"
                             f"\n  cause: No `pyproject.toml` found at: "
                             f"{os.path.abspath(path)}")
        data, _ = read_toml(path)
        project = data.get("project")
        name = canonicalize_name(project["name"]) if isinstance(project, dict) and \
            isinstance(project.get("name"), str) else None
        groups = data.get("dependency-groups", {})
        if not isinstance(groups, dict):
            raise InputError(f"Failed to parse `{path}`: `dependency-groups` must be a table")
        source = f"{name + ' ' if name else ''}({path}:{group})"
        for requirement in _group_requirements(groups, group, path):
            self.requirements.append(RootRequirement(requirement, source))

    def specification(self) -> Specification:
        return Specification(
            requirements=tuple(self.requirements), constraints=tuple(self.constraints),
            overrides=tuple(self.overrides), verbatim=dict(self.verbatim),
            index_url=self.index_url, extra_index_urls=tuple(self.extra_index_urls),
            find_links=tuple(self.find_links), no_index=self.no_index,
            no_binary=tuple(self.no_binary), only_binary=tuple(self.only_binary),
            source_trees=self.source_trees, used_extras=frozenset(self.used_extras))


def _without_marker(requirement: Requirement) -> Requirement:
    from packaging.requirements import Requirement

    copy = Requirement(str(requirement))
    copy.marker = None
    return copy


def _group_requirements(groups: Mapping[str, Any], group: str, path: str,
                        chain: tuple[str, ...] = ()) -> list[Requirement]:
    """PEP 735: the requirements of `group`, with `{include-group = ...}` expanded (names
    compared normalized; a cycle is an error)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    by_name = {canonicalize_name(k): (k, v) for k, v in groups.items()}
    wanted = canonicalize_name(group)
    if wanted not in by_name:
        if chain:
            raise InputError(f"Failed to find group `{group}` included by `{chain[-1]}` in "
                             f"`{path}`")
        raise InputError(f"The dependency group '{group}' was not found in the project: "
                         f"{path}")
    if wanted in chain:
        cycle = " -> ".join([*chain[chain.index(wanted):], wanted])
        raise InputError(f"Detected a cycle in `dependency-groups` of `{path}`: {cycle}")
    _, items = by_name[wanted]
    found: list[Requirement] = []
    for item in items if isinstance(items, list) else ():
        if isinstance(item, str):
            try:
                found.append(Requirement(item))
            except InvalidRequirement as exc:
                raise InputError(f"Failed to parse entry in group `{group}` of `{path}`: "
                                 f"`{item}` ({exc})") from None
        elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
            found += _group_requirements(groups, item["include-group"], path,
                                         (*chain, wanted))
        else:
            raise InputError(f"Invalid entry in group `{group}` of `{path}`: expected a "
                             "requirement string or `{include-group = \"...\"}`")
    return found


def parse_group(text: str) -> tuple[str, str]:
    """`--group name` or `--group path/pyproject.toml:name` -> (path, name)."""
    path, colon, name = text.rpartition(":")
    if not colon:
        return "pyproject.toml", text
    if not name or not path:
        raise InputError(f"invalid value '{text}' for '--group <GROUP>': expected a group "
                         "name or `path/to/pyproject.toml:group`")
    return path, name


def _is_project_file(path: str) -> bool:
    return os.path.basename(path) in ("pyproject.toml", "setup.py", "setup.cfg")


def read_specification(
    src_files: Sequence[str],
    *,
    constraints: Iterable[str] = (),
    overrides: Iterable[str] = (),
    extras: Sequence[str] = (),
    all_extras: bool = False,
    groups: Sequence[str] = (),
    markers: Mapping[str, str],
    metadata: Callable[[Dist], CoreMetadata],
    warn: Callable[[str], None] | None = None,
) -> Specification:
    """Read every input (see the module docstring). `markers` decides extra markers of built
    projects; `metadata(dist)` builds a project for its metadata, when one must be."""
    from packaging.utils import canonicalize_name

    if (extras or all_extras) and not any(_is_project_file(p) for p in src_files):
        raise InputError("Requesting extras requires a `pyproject.toml`, `setup.cfg`, or "
                         "`setup.py` file.")
    reader = _Reader(markers=markers, metadata=metadata, warn=warn)
    parsed_groups = [parse_group(g) for g in groups]
    for path in src_files:
        if _is_project_file(path):
            reader.project(path, extras=extras, all_extras=all_extras)
        else:
            reader.requirements_file(path, kind="requirement")
    for file, group in parsed_groups:
        reader.group(file, group)
    for path in constraints:
        reader.requirements_file(path, kind="constraint")
    for path in overrides:
        reader.requirements_file(path, kind="override")
    spec = reader.specification()
    if not spec.source_trees:
        unused = sorted({str(canonicalize_name(e)) for e in extras} - spec.used_extras)
        if unused:
            s = "" if len(unused) == 1 else "s"
            raise InputError(f"Requested extra{s} not found: {', '.join(unused)}")
    return spec
