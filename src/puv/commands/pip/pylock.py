"""`pylock.toml` (PEP 751) as input of `puv pip sync`: what one environment installs from it.

`packaging.pylock` reads and validates the file and selects, for the target interpreter's
markers and wheel tags, one artifact per package (a wheel, else the sdist; a directory or a
VCS checkout). Each becomes a requirement entry the rest of `pip sync` knows already: `name @
URL` with the file's hashes (checked when the file is downloaded), a path (relative to the
lock file), or `git+URL@commit`.
"""

from __future__ import annotations

import os

from puv.errors import RequirementsError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from puv.core.requirements_txt import RequirementEntry, RequirementsFile
    from puv.python.interpreter import Interpreter

__all__ = ["is_pylock", "pylock_requirements"]


def is_pylock(path: str) -> bool:
    """`pylock.toml` or `pylock.<name>.toml` (PEP 751's file names)."""
    name = os.path.basename(path)
    return name == "pylock.toml" or (name.startswith("pylock.") and name.endswith(".toml")
                                     and name.count(".") == 2)


def pylock_requirements(paths: Iterable[str], interpreter: Interpreter) -> RequirementsFile:
    """The requirements the lock files select for `interpreter` (see the module
    docstring); an unreadable or invalid file is a `RequirementsError` naming it."""
    from puv.core.requirements_txt import RequirementsFile

    entries: list[RequirementEntry] = []
    for path in paths:
        entries += _select(path, interpreter)
    return RequirementsFile(requirements=tuple(entries))


def _select(path: str, interpreter: Interpreter) -> list[RequirementEntry]:
    from packaging.pylock import (
        PackageArchive,
        PackageDirectory,
        PackageSdist,
        PackageVcs,
        PackageWheel,
        Pylock,
        PylockSelectError,
        PylockUnsupportedVersionError,
        PylockValidationError,
    )

    from puv.settings.files import read_toml

    data, _text = read_toml(path)
    try:
        lock = Pylock.from_dict(data)
        selected = list(lock.select(environment=dict(interpreter.markers),  # type: ignore[arg-type]
                                    tags=interpreter.tags().tags()))
    except (PylockValidationError, PylockUnsupportedVersionError) as exc:
        raise RequirementsError(f"Failed to read `{path}`: {exc}") from None
    except PylockSelectError as exc:
        raise RequirementsError(f"`{path}` has nothing for this environment: {exc}") from None
    base = os.path.dirname(os.path.abspath(path))
    entries = []
    for package, dist in selected:
        name = str(package.name)
        hashes: tuple[str, ...] = ()
        editable = False
        from_index = isinstance(dist, (PackageWheel, PackageSdist))
        if isinstance(dist, PackageVcs):
            url = f"git+{dist.url or dist.path}@{dist.commit_id}"
        elif isinstance(dist, PackageDirectory):
            url = _file_url(os.path.join(base, dist.path))
            editable = bool(dist.editable)
        else:
            assert isinstance(dist, (PackageWheel, PackageSdist, PackageArchive))
            url = dist.url or _file_url(os.path.join(base, str(dist.path)))
            hashes = tuple(f"{algorithm}:{digest}"
                           for algorithm, digest in sorted(dist.hashes.items()))
        entries.append(_entry(name, url, hashes, editable, path, from_index=from_index))
    return entries


def _file_url(path: str) -> str:
    import urllib.parse

    return "file://" + urllib.parse.quote(os.path.normpath(path))


def _entry(name: str, url: str, hashes: tuple[str, ...], editable: bool, source: str, *,
           from_index: bool = False) -> RequirementEntry:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    from puv.core.requirements_txt import RequirementEntry

    text = f"{name} @ {url}"
    return RequirementEntry(requirement=Requirement(text), url=url,
                            name=str(canonicalize_name(name)), editable=editable,
                            hashes=hashes, source=source, text=text, from_index=from_index)
