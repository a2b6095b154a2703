"""From requirements files to the distributions to install, without resolving dependencies
(what `pip sync` does: every package is listed, usually pinned).

- files are read here (UTF-8, a BOM allowed; a missing file is one clear error);
- markers are evaluated for the target environment, and entries that do not apply dropped;
- a named requirement becomes the best version its specifier (and the constraints) allow,
  with the best file for the target (`puv.resolver.candidates`); a wheel path or URL is taken
  as it is, once its tags are checked against the target;
- `--require-hashes` (or a `--require-hashes` line, or a `--hash` anywhere) makes hashes
  mandatory, as uv and pip do; `--no-verify-hashes` turns the checking off.
"""

from __future__ import annotations

import os

from puv.errors import PuvError, RequirementsError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from puv.cache import Cache
    from puv.core.hashes import Hash
    from puv.core.requirements_txt import RequirementEntry, RequirementsFile
    from puv.index.registry import Registry
    from puv.installer.inventory import InstalledDist
    from puv.installer.planner import Wanted
    from puv.python.interpreter import Interpreter
    from puv.settings import Settings

__all__ = ["elapsed", "make_registry", "packages_text", "read_requirements", "to_wanted"]


def packages_text(n: int) -> str:
    """`1 package`, `3 packages`."""
    return f"{n} package" + ("" if n == 1 else "s")


def elapsed(seconds: float) -> str:
    """A duration as uv prints it: `0.04ms`, `8ms`, `1.23s`, `1m 05s`."""
    if seconds >= 60:
        return f"{int(seconds) // 60}m {int(seconds) % 60:02d}s"
    if seconds >= 1:
        return f"{int(seconds)}.{int(seconds * 100) % 100:02d}s"
    ms = int(seconds * 1000)
    if ms > 0:
        return f"{ms}ms"
    return f"0.{int(seconds * 100_000) % 100:02d}ms"


def _read(path: str) -> str:
    if path.startswith(("http://", "https://")):
        raise RequirementsError(f"Reading the remote requirements file `{path}` is not "
                                "supported", hint="download it and pass the local file")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise RequirementsError(f"File not found: `{path}`") from None
    except IsADirectoryError:
        raise RequirementsError(f"`{path}` is a directory, not a requirements file") from None
    except OSError as exc:
        raise RequirementsError(f"Failed to read `{path}`: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RequirementsError(f"Failed to read `{path}`: it is not UTF-8 text") from None


def read_requirements(paths: Iterable[str], constraints: Iterable[str] = (), *,
                      warn: Callable[[str], None] | None = None) -> RequirementsFile:
    """Every file of `paths` (and `-c` files), merged into one `RequirementsFile`; `warn`
    hears of a file that asks for nothing at all, as uv warns of it."""
    from dataclasses import replace

    from puv.core.requirements_txt import RequirementsFile, parse_requirements

    merged = RequirementsFile()
    parts = [(p, False) for p in paths] + [(p, True) for p in constraints]
    for path, constraint in parts:
        found = parse_requirements(path, read=_read, constraint=constraint)
        if warn is not None and found == RequirementsFile():
            warn(f"Requirements file `{path}` does not contain any dependencies")
        merged = replace(
            merged,
            requirements=merged.requirements + found.requirements,
            constraints=merged.constraints + found.constraints,
            index_url=found.index_url or merged.index_url,
            extra_index_urls=merged.extra_index_urls + found.extra_index_urls,
            find_links=merged.find_links + found.find_links,
            no_index=merged.no_index or found.no_index,
            require_hashes=merged.require_hashes or found.require_hashes,
        )
    return merged


class _IndexSettings:
    """`Settings`' index fields, with what the requirements files add (the command line and
    configuration keep precedence)."""

    def __init__(self, settings: Settings, reqs: RequirementsFile) -> None:
        self.indexes = tuple(settings.indexes) + tuple(
            {"url": url} for url in reqs.extra_index_urls)
        self.default_index = settings.default_index or reqs.index_url
        self.find_links = tuple(settings.find_links) + tuple(reqs.find_links)
        self.no_index = settings.no_index or reqs.no_index
        self.index_strategy = settings.index_strategy


def make_registry(settings: Settings, cache: Cache, reqs: RequirementsFile) -> Registry:
    from puv.index.locations import IndexLocations
    from puv.index.registry import Registry
    from puv.net.auth import CredentialStore
    from puv.net.client import HttpOptions

    credentials = CredentialStore()
    locations = IndexLocations.from_settings(_IndexSettings(settings, reqs), credentials)
    return Registry(locations, cache, HttpOptions.from_settings(settings),
                    credentials=credentials, refresh=settings.refresh,
                    refresh_packages=settings.refresh_packages)


def _applies(entry: RequirementEntry, markers: dict[str, str]) -> bool:
    return entry.marker is None or entry.marker.evaluate({**markers, "extra": ""})


def _hashes(entry: RequirementEntry) -> tuple[Hash, ...]:
    from puv.core.hashes import Hash

    found = []
    for text in entry.hashes:
        try:
            found.append(Hash.parse(text))
        except ValueError:
            raise RequirementsError(f"Invalid hash `{text}` for `{entry.text}` in "
                                    f"`{entry.source}` (line {entry.line})") from None
    return tuple(found)


class _HashModeError(RequirementsError):
    """A requirement `--require-hashes` refuses; uv ends with status 2 for these."""

    exit_code = 2


def _shown(entry: RequirementEntry) -> str:
    """A requirement as uv names it in messages: `name==1.0 ; marker`, or its URL."""
    from packaging.utils import canonicalize_name

    requirement = entry.requirement
    if requirement is None:
        return entry.url or entry.text
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    text = f"{canonicalize_name(requirement.name)}{extras}"
    text += f" @ {requirement.url}" if requirement.url else str(requirement.specifier)
    return text + (f" ; {requirement.marker}" if requirement.marker is not None else "")


def _unsatisfiable(requirement: str, reasons: list[str] | None = None) -> PuvError:
    if not reasons:
        return PuvError(
            "No solution found when resolving dependencies\n  cause: Because there is no version "
            f"of {requirement} and you require {requirement}, we can conclude that your "
            "requirements are unsatisfiable.")
    listed = "; ".join(reasons[:3])
    return PuvError(
        f"No solution found when resolving dependencies\n  cause: Because no version of "
        f"{requirement} can be installed here ({listed}) and you require {requirement}, we "
        "can conclude that your requirements are unsatisfiable.")


def to_wanted(
    reqs: RequirementsFile,
    interpreter: Interpreter,
    registry: Callable[[], Registry],
    *,
    require_hashes: bool,
    verify_hashes: bool,
    installed: Callable[[str], InstalledDist | None] | None = None,
) -> list[Wanted]:
    """The distributions `reqs` asks for, on `interpreter` (see the module docstring).

    `installed(name)` gives what the environment holds: a requirement (without hashes) that
    an installed registry distribution already satisfies is taken as it is, without asking
    the index (nothing would change), so that a sync with nothing to do makes no request at
    all.
    """
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    from puv.core.filenames import parse_filename
    from puv.installer.planner import Wanted
    from puv.resolver.candidates import Unavailable, select, wheel_tag_string

    markers = interpreter.markers
    entries = [e for e in reqs.requirements if _applies(e, markers)]
    # As uv: a `--hash` checks its own requirement only; `--require-hashes` asks one of all.
    require_hashes = require_hashes or reqs.require_hashes
    tags = interpreter.tags()
    python = Version(str(interpreter.version))
    constraints: dict[str, SpecifierSet] = {}
    for entry in reqs.constraints:
        if entry.requirement is not None and _applies(entry, markers):
            constrained = str(canonicalize_name(entry.requirement.name))
            constraints[constrained] = constraints.get(constrained, SpecifierSet()) & \
                entry.requirement.specifier

    wanted: dict[str, Wanted] = {}
    named: list[tuple[RequirementEntry, str, SpecifierSet]] = []
    for entry in entries:
        where = f"`{entry.text}` (`{entry.source}`, line {entry.line})" \
            if entry.source != "<command line>" else f"`{entry.text}`"
        if entry.editable:
            raise PuvError(f"Editable requirements such as {where} need a build, which puv "
                           "cannot do yet", hint="build a wheel of the project and list it "
                           "instead, or wait for source builds (the resolver issue)")
        hashes = _hashes(entry) if verify_hashes or require_hashes else ()
        url = entry.url or (entry.requirement.url if entry.requirement is not None else None)
        if require_hashes and url is None and not entry.is_pinned:
            raise _HashModeError("In `--require-hashes` mode, all requirements must have "
                                 f"their versions pinned with `==`, but found: {_shown(entry)}")
        if require_hashes and not hashes:
            raise _HashModeError("In `--require-hashes` mode, all requirements must have a "
                                 f"hash, but none were provided for: {_shown(entry)}")
        if url is None:
            assert entry.requirement is not None
            name = str(canonicalize_name(entry.requirement.name))
            present = installed(name) if installed is not None and not hashes else None
            # As uv does, an installed version the requirement (and constraints) allow is
            # kept, even when the index has a newer one.
            allowed = entry.requirement.specifier & constraints.get(name, SpecifierSet())
            if present is not None and allowed.contains(
                    present.version, prereleases=True if entry.is_pinned else None):
                kept = Wanted(canonicalize_name(name), present.version, filename="")
                if kept.satisfied_by(present):
                    wanted[name] = kept
                    continue
            named.append((entry, name, entry.requirement.specifier))
            continue
        filename = url.partition("#")[0].rstrip("/").rsplit("/", 1)[-1]
        parsed = parse_filename(filename)
        if parsed is None or not parsed.is_wheel:
            raise PuvError(f"The requirement {where} is not a wheel, so it needs a build, "
                           "which puv cannot do yet", hint="build a wheel and list it instead")
        if tags.priority(wheel_tag_string(filename)) is None:
            raise PuvError(f"The wheel {where} cannot be installed: "
                           f"{tags.describe_incompatibility(filename)}")
        from puv.core.hashes import parse_fragment

        fragment = parse_fragment(url.partition("#")[2]) if "#" in url else None
        local = entry.path if entry.url is not None else None
        if local is None and url.startswith("file://"):
            import urllib.parse

            local = urllib.parse.unquote(url[7:].partition("#")[0])
        if local is not None and not os.path.isfile(local):
            raise PuvError(f"The wheel {where} does not exist at `{local}`")
        archive: dict[str, object] = {}
        direct = {"url": url.partition("#")[0], "archive_info": archive}
        all_hashes = (*hashes, fragment) if fragment is not None else hashes
        wanted[parsed.name] = Wanted(
            parsed.name, parsed.version, filename=filename, url=None if local else url,
            path=local, hashes=all_hashes, direct_url=None if entry.from_index else direct)

    if named:
        projects = registry().fetch_projects(name for _, name, _ in named)
        for entry, name, specifier in named:
            if name in constraints:
                specifier = specifier & constraints[name]
            files = projects[name]
            shown = f"{name}{specifier}" if str(specifier) else name
            if not files:
                raise PuvError(
                    "No solution found when resolving dependencies\n  cause: Because "
                    f"{name} was not found in the package registry and you require {shown}, "
                    "we can conclude that your requirements are unsatisfiable.")
            chosen = select(files, specifier, tags, python)
            if isinstance(chosen, Unavailable):
                raise _unsatisfiable(shown, chosen.reasons)
            candidate = chosen.candidate
            if not candidate.is_wheel:
                raise PuvError(f"`{name}=={chosen.version}` has no wheel for "
                               f"{tags.description()}, only a source distribution "
                               f"(`{candidate.file.filename}`), which needs a build: puv "
                               "cannot build yet", hint="pin a version with a wheel for "
                               "this platform")
            wanted[name] = Wanted(canonicalize_name(name), chosen.version, filename=candidate.file.filename,
                                  candidate=candidate, hashes=_hashes(entry)
                                  if verify_hashes or require_hashes else ())
    return list(wanted.values())
